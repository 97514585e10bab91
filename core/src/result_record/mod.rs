//! The result record of one session, and the scores derived from it.
//!
//! A record holds a pseudonymous learner code (never a name), what the pack's intake asked,
//! every response with its phase, and the host's timestamps: nothing else about the person.
//! It is written with postcard inside a versioned [`RecordSchema`]: version 2
//! ([`compact`]) since the first release; version 1 records still read.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::item::Answer;
use crate::journey::PhaseKind;
use crate::pack::{Pack, Version};

pub mod compact;
pub use compact::CompactRecord;

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
    /// Points earned (0..=1).
    pub credit: f32,
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

/// The versioned encoding of a record. Writers write the newest version; readers read all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RecordSchema {
    /// Version 1: the fields in declaration order, each answer next to its score.
    V1(ResultRecord),
    /// Version 2: the fields a report reads first, the scores in fixed-width rows.
    V2(CompactRecord),
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

impl ResultRecord {
    /// Encodes the record (postcard, versioned).
    pub fn to_bytes(&self) -> Result<Vec<u8>, RecordError> {
        let bytes = postcard::to_allocvec(&compact::SchemaV2Ref(self))
            .map_err(|e| RecordError::Encode(e.to_string()))?;
        if bytes.len() > crate::limits::MAX_RECORD_BYTES {
            return Err(RecordError::TooLarge {
                len: bytes.len(),
                max: crate::limits::MAX_RECORD_BYTES,
            });
        }
        Ok(bytes)
    }

    /// Decodes a record.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RecordError> {
        if bytes.len() > crate::limits::MAX_RECORD_BYTES {
            return Err(RecordError::TooLarge {
                len: bytes.len(),
                max: crate::limits::MAX_RECORD_BYTES,
            });
        }
        match postcard::take_from_bytes::<RecordSchema>(bytes) {
            Ok((RecordSchema::V1(r) | RecordSchema::V2(CompactRecord(r)), [])) => Ok(r),
            Ok((_, rest)) => Err(RecordError::Decode(alloc::format!(
                "{} bytes left over after the record",
                rest.len()
            ))),
            Err(e) => Err(RecordError::Decode(e.to_string())),
        }
    }

    /// The value the learner gave for intake field `field`.
    pub fn demographic(&self, field: &str) -> Option<&str> {
        self.demographics
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }

    /// Scores per phase, pre/post totals and the gain.
    pub fn scores(&self) -> Scores {
        Self::scores_of(&self.responses)
    }

    /// Scores of a list of responses.
    pub fn scores_of(responses: &[ResponseRecord]) -> Scores {
        let mut phases: Vec<PhaseScore> = Vec::new();
        for r in responses {
            if matches!(r.answer, Answer::Scale(_)) {
                continue;
            }
            let ps = match phases.iter_mut().find(|p| p.phase == r.phase) {
                Some(p) => p,
                None => {
                    phases.push(PhaseScore {
                        phase: r.phase,
                        kind: r.phase_kind,
                        score: 0.0,
                        max: 0.0,
                        correct: 0,
                    });
                    match phases.last_mut() {
                        Some(p) => p,
                        None => continue,
                    }
                }
            };
            ps.score += f64::from(r.credit);
            ps.max += 1.0;
            ps.correct += u32::from(r.correct);
        }
        let total = |kind: PhaseKind| {
            let (s, m) = phases
                .iter()
                .filter(|p| p.kind == kind)
                .fold((0.0, 0.0), |(s, m), p| (s + p.score, m + p.max));
            (m > 0.0).then_some(ScorePair { score: s, max: m })
        };
        let pre = total(PhaseKind::PreTest);
        let post = total(PhaseKind::PostTest);
        let gain = match (pre, post) {
            (Some(a), Some(b)) => Some(Gain::between(a, b)),
            _ => None,
        };
        Scores {
            phases,
            pre,
            post,
            gain,
        }
    }

    /// Per-objective pre and post scores, using the pack for the items' objectives.
    pub fn objective_scores(&self, pack: &Pack) -> Vec<ObjectiveScore> {
        let mut out: Vec<ObjectiveScore> = (0..pack.objectives.len())
            .map(|o| ObjectiveScore {
                objective: u16::try_from(o).unwrap_or(u16::MAX),
                pre: ScorePair::default(),
                post: ScorePair::default(),
            })
            .collect();
        for r in &self.responses {
            if matches!(r.answer, Answer::Scale(_)) {
                continue;
            }
            let Some(item) = pack.items.get(usize::from(r.item)) else {
                continue;
            };
            for &o in &item.objectives {
                let Some(os) = out.get_mut(usize::from(o)) else {
                    continue;
                };
                let pair = match r.phase_kind {
                    PhaseKind::PreTest => &mut os.pre,
                    PhaseKind::PostTest => &mut os.post,
                    _ => continue,
                };
                pair.score += f64::from(r.credit);
                pair.max += 1.0;
            }
        }
        out
    }
}

/// A score out of a maximum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ScorePair {
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max: f64,
}

impl ScorePair {
    /// The score in percent (None when nothing was asked).
    pub fn percent(self) -> Option<f64> {
        (self.max > 0.0).then(|| 100.0 * self.score / self.max)
    }
}

/// A learner's gain from pre-test to post-test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Gain {
    /// Post% − pre%, in percentage points.
    pub absolute: f64,
    /// (post% − pre%) / (100 − pre%); None when the pre-test was already 100%.
    pub normalised: Option<f64>,
}

impl Gain {
    /// The gain from `pre` to `post`.
    pub fn between(pre: ScorePair, post: ScorePair) -> Self {
        let a = pre.percent().unwrap_or(0.0);
        let b = post.percent().unwrap_or(0.0);
        Gain {
            absolute: b - a,
            normalised: (a < 100.0).then(|| (b - a) / (100.0 - a)),
        }
    }
}

/// The score of one phase.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PhaseScore {
    /// Phase index.
    pub phase: u8,
    /// Its kind.
    pub kind: PhaseKind,
    /// Points earned.
    pub score: f64,
    /// Points possible (scored questions answered).
    pub max: f64,
    /// Questions with full credit.
    pub correct: u32,
}

/// Scores of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Per quiz phase, in the order first answered.
    pub phases: Vec<PhaseScore>,
    /// All pre-test phases together.
    pub pre: Option<ScorePair>,
    /// All post-test phases together.
    pub post: Option<ScorePair>,
    /// From pre to post.
    pub gain: Option<Gain>,
}

/// Pre and post score on one objective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveScore {
    /// Objective index.
    pub objective: u16,
    /// Pre-test.
    pub pre: ScorePair,
    /// Post-test.
    pub post: ScorePair,
}
