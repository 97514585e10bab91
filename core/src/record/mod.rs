//! The result record of one session, and the scores derived from it.
//!
//! A record holds a pseudonymous learner code (never a name), what the pack's intake asked,
//! every response with its phase, and the host's timestamps: nothing else about the person.
//! It is written with postcard inside a versioned [`RecordSchema`]: version 4
//! ([`format::v4`], exact credit and "I don't know" answers); records of versions 1 to 3
//! still read.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::credit::Credit;
use crate::error_code::ErrorCode;
use crate::pack::item::Answer;
use crate::pack::journey::PhaseKind;
use crate::pack::Version;

pub mod format;
pub mod log;
mod log_reader;
mod scores;

pub use format::{v2::CompactRecordV2, v3::CompactRecordV3, v4::CompactRecord, RecordSchema};
pub use log::{LogError, LogFrames, LogReader};
pub use scores::{Gain, ObjectiveScore, PhaseScore, ScorePair, Scores};

/// One answered question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseRecord {
    /// Phase index within the journey.
    pub phase: u8,
    /// The phase's kind.
    pub phase_kind: PhaseKind,
    /// Item index within the pack (the record's pack version fixes the meaning).
    pub item: u16,
    /// The answer, in canonical option indices.
    pub answer: Answer,
    /// Points earned: an exact fraction from 0 to 1.
    pub credit: Credit,
    /// Whether the answer earned full credit.
    pub correct: bool,
    /// When it was answered, in milliseconds after the session started.
    pub at_offset_ms: u32,
}

/// A choice made in a branching story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryChoiceRecord {
    /// Story index.
    pub story: u16,
    /// Node index.
    pub node: u16,
    /// Choice index.
    pub choice: u16,
}

/// The record of one finished or abandoned session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    /// Unique id (derived from pack, learner, seed and start time); merging logs drops
    /// records whose id was already seen.
    pub record_id: [u8; 16],
    /// Pseudonymous learner code (never a name).
    pub learner: String,
    /// Pack id.
    pub pack_id: String,
    /// Pack version.
    pub pack_version: Version,
    /// Journey id.
    pub journey: String,
    /// Language tag the session was in when it ended.
    pub language: String,
    /// The session's seed.
    pub seed: u64,
    /// Ids of the forms in the order taken (crossover), empty without forms.
    pub forms: Vec<String>,
    /// Start, milliseconds since the Unix epoch (host clock).
    pub started_at: i64,
    /// End (finish or abandonment), milliseconds since the Unix epoch.
    pub ended_at: i64,
    /// Whether the journey was completed (false: abandoned, e.g. a kiosk visitor walked away).
    pub completed: bool,
    /// Intake answers: field id → option code or typed text.
    pub demographics: Vec<(String, String)>,
    /// Every response in order.
    pub responses: Vec<ResponseRecord>,
    /// Story choices in order.
    pub story_path: Vec<StoryChoiceRecord>,
}

/// Why a record could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The bytes do not decode.
    #[error("result record does not decode: {0}")]
    Decode(String),
    /// The record is larger than the limit.
    #[error("result record is {len} bytes, more than the limit of {max}")]
    TooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Encoding failed.
    #[error("result record could not be encoded: {0}")]
    Encode(String),
}

impl RecordError {
    /// The error's entry in the [error table](crate::error_code).
    pub fn code(&self) -> ErrorCode {
        match self {
            RecordError::Decode(_) => ErrorCode::RecordDecode,
            RecordError::TooLarge { .. } => ErrorCode::RecordTooLarge,
            RecordError::Encode(_) => ErrorCode::RecordEncode,
        }
    }
}

impl ResultRecord {
    /// The value the learner gave for intake field `field`.
    pub fn demographic(&self, field: &str) -> Option<&str> {
        self.demographics
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }
}
