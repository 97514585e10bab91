//! [`XapiError`]: why a record cannot be written as statements.

use alloc::string::String;

use crate::ErrorCode;

/// Why a record cannot be turned into xAPI statements. (Reading statements never fails: what
/// cannot be read is skipped and counted in [`super::ReadCounts`].)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XapiError {
    /// The record is of another pack than the one given.
    #[error("the record is of pack '{record}', not of pack '{pack}'")]
    OtherPack {
        /// The record's pack id.
        record: String,
        /// The pack given.
        pack: String,
    },
    /// The record's journey is not in the pack.
    #[error("the pack has no journey '{0}'")]
    UnknownJourney(String),
    /// A response's phase is not in the journey.
    #[error("the journey has no phase {0}")]
    UnknownPhase(u8),
    /// A response's item is not in the pack.
    #[error("the pack has no item {0}")]
    UnknownItem(u16),
    /// A response's answer does not fit its item.
    #[error("response {index}: {reason}")]
    Answer {
        /// The response's position.
        index: usize,
        /// What does not fit.
        reason: String,
    },
    /// A timestamp is outside the years 0001–9999.
    #[error("timestamp {0} ms is outside the years 0001 to 9999")]
    Timestamp(i64),
    /// The deployment's `homePage` is not an absolute IRI.
    #[error("the account home page '{0}' is not an absolute http(s) IRI")]
    HomePage(String),
    /// The learner code is empty (an xAPI account needs a name).
    #[error("the record has an empty learner code")]
    Learner,
    /// A page of statements (from an LRS) is not JSON, or not statements.
    #[error("not a page of xAPI statements: {0}")]
    Page(String),
    /// The statements could not be serialised.
    #[error("statements could not be serialised: {0}")]
    Json(String),
}

impl XapiError {
    /// The error's entry in the engine's one error table.
    pub fn code(&self) -> ErrorCode {
        match self {
            XapiError::OtherPack { .. }
            | XapiError::UnknownJourney(_)
            | XapiError::UnknownPhase(_)
            | XapiError::UnknownItem(_)
            | XapiError::Answer { .. } => ErrorCode::XapiRecordNotInPack,
            XapiError::HomePage(_) => ErrorCode::XapiBadHomePage,
            XapiError::Page(_) => ErrorCode::XapiBadPage,
            XapiError::Timestamp(_) | XapiError::Learner | XapiError::Json(_) => {
                ErrorCode::XapiError
            }
        }
    }
}
