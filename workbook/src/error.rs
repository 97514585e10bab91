//! [`WorkbookError`]: why a folder, a workbook or a GIFT file could not be converted.

use crate::book::CellRef;

/// Why a conversion failed. Each variant says what and where; [`WorkbookError::code`] gives a
/// stable kebab-case name for tools.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookError {
    /// A source file of the folder is not valid TOML (run `kru validate` for the details).
    #[error("{file}: invalid TOML, so it cannot be put in a workbook: {message} (run `kru validate` for every problem)")]
    SourceSyntax {
        /// The file's relative path.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A value of the folder has no faithful place in a workbook.
    #[error("{file}: {message}")]
    Unsupported {
        /// The file's relative path.
        file: String,
        /// What cannot be written.
        message: String,
    },
    /// The file is not a workbook kru can read (not xlsx or ods, damaged, encrypted).
    #[error("not a readable workbook: {0}")]
    Unreadable(String),
    /// The workbook exceeds a limit (file size, unpacked size, sheets, rows, columns, cells).
    #[error("the workbook is too large: {0}")]
    TooLarge(String),
    /// A cell holds a formula: kru reads values only.
    #[error("{at}: the cell holds a formula ({formula}); type the value itself (kru does not compute formulas)")]
    Formula {
        /// Where.
        at: CellRef,
        /// The formula's text (shortened).
        formula: String,
    },
    /// A cell cannot be read (an error value, a list or table that is not valid TOML, a
    /// header that is not a column name).
    #[error("{at}: {message}")]
    BadCell {
        /// Where.
        at: CellRef,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A required sheet or column is missing.
    #[error("{0}")]
    Layout(String),
    /// Writing the workbook failed (a library error).
    #[error("cannot write the workbook: {0}")]
    Write(String),
    /// A GIFT file that cannot be read at all (not UTF-8, no question).
    #[error("not a GIFT question bank: {0}")]
    Gift(String),
}

impl WorkbookError {
    /// A stable kebab-case name of the kind of error, e.g. `"workbook-formula"`.
    pub fn code(&self) -> &'static str {
        match self {
            WorkbookError::SourceSyntax { .. } => "workbook-source-syntax",
            WorkbookError::Unsupported { .. } => "workbook-unsupported",
            WorkbookError::Unreadable(_) => "workbook-unreadable",
            WorkbookError::TooLarge(_) => "workbook-too-large",
            WorkbookError::Formula { .. } => "workbook-formula",
            WorkbookError::BadCell { .. } => "workbook-bad-cell",
            WorkbookError::Layout(_) => "workbook-layout",
            WorkbookError::Write(_) => "workbook-write",
            WorkbookError::Gift(_) => "gift-unreadable",
        }
    }
}
