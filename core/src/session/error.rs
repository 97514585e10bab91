//! Why a session call failed.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error_code::ErrorCode;
use crate::pack::item::AnswerError;

/// Why a session call failed. The session is unchanged after every error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// No journey with that id.
    #[error("pack has no journey '{0}'")]
    UnknownJourney(String),
    /// The learner code is empty, too long or has control characters.
    #[error("learner code must be 1 to {max} printable characters")]
    BadLearnerCode {
        /// The limit in characters.
        max: usize,
    },
    /// The answer does not fit the current question.
    #[error(transparent)]
    Answer(#[from] AnswerError),
    /// The current step does not take an answer.
    #[error("the current step ({step}) does not take an answer; call advance")]
    NotAnswerable {
        /// The current step's kind.
        step: &'static str,
    },
    /// The current step must be answered before moving on.
    #[error("the current step ({step}) must be answered before advancing")]
    AnswerRequired {
        /// The current step's kind.
        step: &'static str,
    },
    /// An intake answer is missing or not printable.
    #[error("{0}")]
    InvalidChoice(String),
    /// The session already ended (finished or abandoned).
    #[error("the session has already ended (finished or abandoned)")]
    Ended,
    /// The journey is complete: nothing is left to answer or advance past; `finish` gives the
    /// record.
    #[error("the journey is complete: nothing is left to answer or advance past; call finish to get the record")]
    JourneyComplete,
    /// `finish` before the end of the journey.
    #[error(
        "the journey is not finished yet ({remaining} steps remain); use abandon to end early"
    )]
    NotFinished {
        /// Planned steps left.
        remaining: usize,
    },
    /// "I don't know" given to a question that does not offer it.
    #[error("question '{item}' does not offer \"I don't know\" (only knowledge items of a phase with dont_know = true do)")]
    DontKnowNotOffered {
        /// The item's id.
        item: String,
    },
    /// A snapshot is damaged, from another pack, or from an incompatible engine.
    #[error("cannot restore snapshot: {0}")]
    Snapshot(String),
}

impl SessionError {
    /// The error's entry in the [error table](crate::error_code).
    pub fn code(&self) -> ErrorCode {
        match self {
            SessionError::UnknownJourney(_) => ErrorCode::UnknownJourney,
            SessionError::BadLearnerCode { .. } => ErrorCode::BadLearnerCode,
            SessionError::Answer(e) => e.code(),
            SessionError::NotAnswerable { .. } => ErrorCode::NotAnswerable,
            SessionError::AnswerRequired { .. } => ErrorCode::AnswerRequired,
            SessionError::InvalidChoice(_) => ErrorCode::InvalidChoice,
            SessionError::Ended => ErrorCode::SessionEnded,
            SessionError::JourneyComplete => ErrorCode::JourneyComplete,
            SessionError::NotFinished { .. } => ErrorCode::NotFinished,
            SessionError::Snapshot(_) => ErrorCode::BadSnapshot,
            SessionError::DontKnowNotOffered { .. } => ErrorCode::DontKnowNotOffered,
        }
    }

    /// The values of the placeholders of the error's learner-facing message (the interface
    /// string `error-<code>`, e.g. `{max}` of `error-bad-learner-code`), as `(name, value)`
    /// with the value in ASCII digits: every host fills the catalogue's message from here.
    pub fn params(&self) -> Vec<(&'static str, usize)> {
        match self {
            SessionError::BadLearnerCode { max } => alloc::vec![("max", *max)],
            _ => Vec::new(),
        }
    }
}
