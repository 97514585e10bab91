//! Why an interface-string catalogue could not be read.

use crate::error_code::ErrorCode;

/// Why an interface-string catalogue (`[interface]` lines, see [`super::Catalogue::parse`])
/// or its compiled form ([`super::table`]) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UiError {
    /// A line is not a comment, the `[interface]` header or `id = "text"`.
    #[error("interface strings, line {line}: {detail}")]
    Syntax {
        /// The line number, from 1.
        line: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// An entry of a compiled catalogue (see [`super::table`]) is not `id`, U+001F, text.
    #[error("interface strings (compiled), entry {entry}: {detail}")]
    Table {
        /// The entry's number, from 1.
        entry: usize,
        /// What is wrong.
        detail: &'static str,
    },
}

impl UiError {
    /// The error's entry in the one table of error codes.
    pub fn code(&self) -> ErrorCode {
        match self {
            UiError::Syntax { .. } | UiError::Table { .. } => ErrorCode::UiBadCatalogue,
        }
    }
}
