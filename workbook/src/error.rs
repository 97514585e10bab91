//! [`WorkbookError`]: why a folder, a workbook or a GIFT file could not be converted.

use kru_core::ErrorCode;

use crate::book::CellRef;

/// Why a conversion failed. Each variant says what and where; [`WorkbookError::code`] gives
/// its entry of the engine's error table (`core/src/error_code.rs`, area 800).
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
    /// The entry of the engine's error table (`kru_core::ErrorCode`, area 800–899) for this
    /// kind of error; its [`name`](ErrorCode::name) is the stable kebab-case name, e.g.
    /// `"workbook-formula"`, and its number the permanent one (804).
    pub fn code(&self) -> ErrorCode {
        match self {
            WorkbookError::SourceSyntax { .. } => ErrorCode::WorkbookSourceSyntax,
            WorkbookError::Unsupported { .. } => ErrorCode::WorkbookUnsupported,
            WorkbookError::Unreadable(_) => ErrorCode::WorkbookUnreadable,
            WorkbookError::TooLarge(_) => ErrorCode::WorkbookTooLarge,
            WorkbookError::Formula { .. } => ErrorCode::WorkbookFormula,
            WorkbookError::BadCell { .. } => ErrorCode::WorkbookBadCell,
            WorkbookError::Layout(_) => ErrorCode::WorkbookLayout,
            WorkbookError::Write(_) => ErrorCode::WorkbookWrite,
            WorkbookError::Gift(_) => ErrorCode::GiftUnreadable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant has its own entry in the workbook area of the table, with the names the
    /// converter has always used.
    #[test]
    fn every_error_has_its_own_code_in_the_workbook_area() {
        let at = CellRef::new("items", 13, 3);
        let all = [
            (
                WorkbookError::SourceSyntax {
                    file: "a".into(),
                    message: "m".into(),
                },
                "workbook-source-syntax",
                800,
            ),
            (
                WorkbookError::Unsupported {
                    file: "a".into(),
                    message: "m".into(),
                },
                "workbook-unsupported",
                801,
            ),
            (
                WorkbookError::Unreadable("x".into()),
                "workbook-unreadable",
                802,
            ),
            (
                WorkbookError::TooLarge("x".into()),
                "workbook-too-large",
                803,
            ),
            (
                WorkbookError::Formula {
                    at: at.clone(),
                    formula: "=1".into(),
                },
                "workbook-formula",
                804,
            ),
            (
                WorkbookError::BadCell {
                    at,
                    message: "m".into(),
                },
                "workbook-bad-cell",
                805,
            ),
            (WorkbookError::Layout("x".into()), "workbook-layout", 806),
            (WorkbookError::Write("x".into()), "workbook-write", 807),
            (WorkbookError::Gift("x".into()), "gift-unreadable", 808),
        ];
        for (e, name, number) in all {
            assert_eq!(e.code().name(), name, "{e:?}");
            assert_eq!(e.code().number(), number, "{e:?}");
            assert_eq!(ErrorCode::from_number(number), Some(e.code()));
        }
    }
}
