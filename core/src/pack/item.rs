//! Items of the item bank, the answers a learner gives, and how answers are scored.
//!
//! Scoring rules (every scored item is worth at most 1 point):
//! - single choice, true/false, short text, numeric: 1 when right, else 0;
//! - multiple response: `max(0, (right options chosen − wrong options chosen) / right options)`,
//!   so choosing everything earns nothing and missing one of three right options earns 2/3;
//! - ordering: the share of pairs of steps in the right relative order (Kendall's concordance),
//!   1 only for the exact order;
//! - matching: the share of left entries matched to their right entry;
//! - Likert: not scored (its value is kept and its pre/post shift reported).
//!
//! An item counts as *correct* (for facility, McNemar and indicators) only with full credit.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::credit::Credit;
use crate::error_code::ErrorCode;
use crate::numerals::{normalize_answer, parse_number};
use crate::pack::text::Text;

/// One question of the item bank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The item's id (stable across pack versions; reports use it).
    pub id: String,
    /// Indices of the objectives it serves.
    pub objectives: Vec<u16>,
    /// The question.
    pub prompt: Text,
    /// What kind of answer it takes, with its options and key.
    pub kind: ItemKind,
    /// Why the right answer is right; shown after answering where the phase allows.
    pub explanation: Text,
    /// Extra feedback after a right answer (may be empty).
    pub feedback_correct: Text,
    /// Extra feedback after a wrong answer (may be empty).
    pub feedback_incorrect: Text,
}

/// The kind of an item with its options and answer key. Indices are canonical (the order of
/// the source), not the shuffled order a learner sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ItemKind {
    /// Choose one option.
    SingleChoice {
        /// The options.
        options: Vec<Text>,
        /// Index of the right option.
        correct: u16,
    },
    /// Choose every option that applies.
    MultipleResponse {
        /// The options.
        options: Vec<Text>,
        /// Indices of the right options (sorted, distinct, at least one).
        correct: Vec<u16>,
    },
    /// True or false.
    TrueFalse {
        /// The right answer.
        correct: bool,
    },
    /// Put the steps in order; `steps` is the right order.
    Ordering {
        /// The steps in their right order.
        steps: Vec<Text>,
    },
    /// Match each left entry to one right entry.
    Matching {
        /// The entries to match.
        left: Vec<Text>,
        /// The entries to match them with.
        right: Vec<Text>,
        /// For each left entry, the index of its right entry.
        pairs: Vec<u16>,
    },
    /// Type a short text; right when it equals an accepted answer after normalisation.
    ShortText {
        /// Accepted answers, already normalised with [`normalize_answer`].
        accepted: Vec<String>,
    },
    /// Type a number; right when within `tolerance` of `value`.
    Numeric {
        /// The right value.
        value: f64,
        /// Allowed absolute difference.
        tolerance: f64,
    },
    /// An attitude scale (not scored).
    Likert {
        /// The scale points, lowest first.
        scale: Vec<Text>,
    },
}

impl ItemKind {
    /// The stable names of the kinds, as used in the source format and the APIs, in the order
    /// of the variants ([`ItemKind::ordinal`]).
    pub const NAMES: [&'static str; 8] = [
        "single",
        "multiple",
        "true-false",
        "ordering",
        "matching",
        "text",
        "numeric",
        "likert",
    ];

    /// The position of the kind among the variants: its index in [`ItemKind::NAMES`].
    pub fn ordinal(&self) -> usize {
        match self {
            ItemKind::SingleChoice { .. } => 0,
            ItemKind::MultipleResponse { .. } => 1,
            ItemKind::TrueFalse { .. } => 2,
            ItemKind::Ordering { .. } => 3,
            ItemKind::Matching { .. } => 4,
            ItemKind::ShortText { .. } => 5,
            ItemKind::Numeric { .. } => 6,
            ItemKind::Likert { .. } => 7,
        }
    }

    /// The stable name of the kind, as used in the source format and the APIs.
    pub fn name(&self) -> &'static str {
        Self::NAMES.get(self.ordinal()).copied().unwrap_or_default()
    }

    /// Whether the item earns points (everything but Likert).
    pub fn is_scored(&self) -> bool {
        !matches!(self, ItemKind::Likert { .. })
    }

    /// How many entries are shuffled when the item is shown: options, steps, right-hand
    /// entries of a matching item; 0 for kinds without options.
    pub fn shuffle_len(&self) -> usize {
        match self {
            ItemKind::SingleChoice { options, .. } | ItemKind::MultipleResponse { options, .. } => {
                options.len()
            }
            ItemKind::Ordering { steps } => steps.len(),
            ItemKind::Matching { right, .. } => right.len(),
            _ => 0,
        }
    }
}

/// An answer as the learner gives it. Option indices are positions **as shown** (after
/// shuffling); the session maps them to canonical indices before scoring and recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// One option (single choice, a story choice, an intake choice).
    Choice(u16),
    /// Several options (multiple response), in any order.
    Choices(Vec<u16>),
    /// True or false.
    TrueFalse(bool),
    /// The shown steps in the order the learner puts them.
    Order(Vec<u16>),
    /// For each shown left entry, the shown right entry chosen.
    Matches(Vec<u16>),
    /// Typed text (short text, numeric, a free intake field).
    Text(String),
    /// A point of a Likert scale, 0 = lowest.
    Scale(u16),
    /// "I don't know": offered on knowledge items of a quiz phase with `dont_know = true`;
    /// scored zero, and recorded and reported apart from a wrong answer (never a skip).
    DontKnow,
}

impl Answer {
    /// The stable name of the answer's type (as used in error messages and the APIs).
    pub fn type_name(&self) -> &'static str {
        match self {
            Answer::Choice(_) => "choice",
            Answer::Choices(_) => "choices",
            Answer::TrueFalse(_) => "true-false",
            Answer::Order(_) => "order",
            Answer::Matches(_) => "matches",
            Answer::Text(_) => "text",
            Answer::Scale(_) => "scale",
            Answer::DontKnow => "dont-know",
        }
    }
}

/// What an answer to an item is worth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// Points earned, an exact fraction from 0 to 1 (0 for Likert items).
    pub credit: Credit,
    /// Whether the answer earned full credit (false for Likert items).
    pub correct: bool,
}

/// Why an answer cannot be scored against an item (the answer type does not fit).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    /// The answer's type does not fit the item's kind.
    #[error("'{item}' is a {kind} step and takes a {expected} answer, not a {given} answer")]
    WrongType {
        /// The item's id.
        item: String,
        /// The item kind.
        kind: &'static str,
        /// The answer type it takes.
        expected: &'static str,
        /// The answer type given.
        given: &'static str,
    },
    /// An index is out of range or repeated, or a list has the wrong length.
    #[error("answer to '{item}' is out of range: {detail}")]
    OutOfRange {
        /// The item's id.
        item: String,
        /// What exactly is wrong.
        detail: String,
    },
    /// A text answer is too long.
    #[error("answer to item '{item}' is longer than {max} bytes")]
    TooLong {
        /// The item's id.
        item: String,
        /// The limit.
        max: usize,
    },
}

impl AnswerError {
    /// The error's entry in the [error table](crate::error_code).
    pub fn code(&self) -> ErrorCode {
        match self {
            AnswerError::WrongType { .. } => ErrorCode::WrongAnswerType,
            AnswerError::OutOfRange { .. } => ErrorCode::AnswerOutOfRange,
            AnswerError::TooLong { .. } => ErrorCode::AnswerTooLong,
        }
    }
}

/// `part/whole` as a credit (item sizes are bounded by the pack's limits, so it fits; a
/// whole of 0 is full credit).
fn fraction(part: usize, whole: usize) -> Credit {
    if whole == 0 {
        return Credit::FULL;
    }
    Credit::new(part as u64, whole as u64).unwrap_or(Credit::ZERO)
}

impl Item {
    /// The answer type this item takes.
    pub fn expected_answer(&self) -> &'static str {
        match self.kind {
            ItemKind::SingleChoice { .. } => "choice",
            ItemKind::MultipleResponse { .. } => "choices",
            ItemKind::TrueFalse { .. } => "true-false",
            ItemKind::Ordering { .. } => "order",
            ItemKind::Matching { .. } => "matches",
            ItemKind::ShortText { .. } | ItemKind::Numeric { .. } => "text",
            ItemKind::Likert { .. } => "scale",
        }
    }

    fn wrong_type(&self, given: &Answer) -> AnswerError {
        AnswerError::WrongType {
            item: self.id.clone(),
            kind: self.kind.name(),
            expected: self.expected_answer(),
            given: given.type_name(),
        }
    }

    fn out_of_range(&self, detail: String) -> AnswerError {
        AnswerError::OutOfRange {
            item: self.id.clone(),
            detail,
        }
    }

    /// Checks an answer given in **canonical** indices and grades it.
    pub fn grade(&self, answer: &Answer) -> Result<Grade, AnswerError> {
        let full = |ok: bool| Grade {
            credit: Credit::all_or_nothing(ok),
            correct: ok,
        };
        match (&self.kind, answer) {
            // Not knowing earns nothing on a knowledge item; an attitude has no "don't know".
            (kind, Answer::DontKnow) if kind.is_scored() => Ok(full(false)),
            (ItemKind::SingleChoice { options, correct }, Answer::Choice(c)) => {
                self.check_index(*c, options.len())?;
                Ok(full(c == correct))
            }
            (ItemKind::MultipleResponse { options, correct }, Answer::Choices(cs)) => {
                self.check_set(cs, options.len(), false)?;
                let hits = cs.iter().filter(|c| correct.contains(c)).count();
                let misses = cs.len() - hits;
                let exact = hits == correct.len() && misses == 0;
                // (hits − misses) / right options, at least 0.
                let credit = if exact {
                    Credit::FULL
                } else {
                    fraction(hits.saturating_sub(misses), correct.len().max(1))
                };
                Ok(Grade {
                    credit,
                    correct: exact,
                })
            }
            (ItemKind::TrueFalse { correct }, Answer::TrueFalse(b)) => Ok(full(b == correct)),
            (ItemKind::Ordering { steps }, Answer::Order(order)) => {
                self.check_set(order, steps.len(), true)?;
                let n = order.len();
                let pairs = n * n.saturating_sub(1) / 2;
                let mut concordant = 0usize;
                for (i, a) in order.iter().enumerate() {
                    concordant += order.iter().skip(i + 1).filter(|b| a < b).count();
                }
                let exact = concordant == pairs;
                let credit = if exact {
                    Credit::FULL
                } else {
                    fraction(concordant, pairs)
                };
                Ok(Grade {
                    credit,
                    correct: exact,
                })
            }
            (ItemKind::Matching { left, right, pairs }, Answer::Matches(m)) => {
                if m.len() != left.len() {
                    return Err(self.out_of_range(alloc::format!(
                        "{} matches given for {} entries",
                        m.len(),
                        left.len()
                    )));
                }
                for &r in m {
                    self.check_index(r, right.len())?;
                }
                let right_count = m.iter().zip(pairs).filter(|(a, b)| a == b).count();
                let exact = right_count == left.len();
                let credit = if exact {
                    Credit::FULL
                } else {
                    fraction(right_count, left.len())
                };
                Ok(Grade {
                    credit,
                    correct: exact,
                })
            }
            (ItemKind::ShortText { accepted }, Answer::Text(t)) => {
                self.check_text(t)?;
                let n = normalize_answer(t);
                let squeezed: String = n.chars().filter(|c| *c != ' ').collect();
                Ok(full(accepted.iter().any(|a| {
                    a == &n || a.chars().filter(|c| *c != ' ').eq(squeezed.chars())
                })))
            }
            (ItemKind::Numeric { value, tolerance }, Answer::Text(t)) => {
                self.check_text(t)?;
                let ok = parse_number(t).is_some_and(|x| libm::fabs(x - value) <= *tolerance);
                Ok(full(ok))
            }
            (ItemKind::Likert { scale }, Answer::Scale(s)) => {
                self.check_index(*s, scale.len())?;
                Ok(Grade {
                    credit: Credit::ZERO,
                    correct: false,
                })
            }
            (_, other) => Err(self.wrong_type(other)),
        }
    }

    fn check_index(&self, i: u16, len: usize) -> Result<(), AnswerError> {
        if usize::from(i) < len {
            Ok(())
        } else {
            Err(self.out_of_range(alloc::format!(
                "index {i} but the item has {len} entries (0 to {})",
                len.saturating_sub(1)
            )))
        }
    }

    fn check_set(&self, xs: &[u16], len: usize, permutation: bool) -> Result<(), AnswerError> {
        for (i, &x) in xs.iter().enumerate() {
            self.check_index(x, len)?;
            if xs.iter().take(i).any(|&y| y == x) {
                return Err(self.out_of_range(alloc::format!("index {x} is given twice")));
            }
        }
        if permutation && xs.len() != len {
            return Err(self.out_of_range(alloc::format!(
                "an order must list all {len} entries once, {} given",
                xs.len()
            )));
        }
        Ok(())
    }

    fn check_text(&self, t: &str) -> Result<(), AnswerError> {
        if t.len() > crate::limits::MAX_ANSWER_BYTES {
            Err(AnswerError::TooLong {
                item: self.id.clone(),
                max: crate::limits::MAX_ANSWER_BYTES,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn item(kind: ItemKind) -> Item {
        Item {
            id: "t".into(),
            objectives: vec![],
            prompt: Text::single("?"),
            kind,
            explanation: Text::default(),
            feedback_correct: Text::default(),
            feedback_incorrect: Text::default(),
        }
    }

    fn opts(n: usize) -> Vec<Text> {
        (0..n).map(|_| Text::single("o")).collect()
    }

    #[test]
    fn every_kind_has_its_own_name() {
        let kinds = [
            ItemKind::SingleChoice {
                options: opts(2),
                correct: 0,
            },
            ItemKind::MultipleResponse {
                options: opts(2),
                correct: vec![0],
            },
            ItemKind::TrueFalse { correct: true },
            ItemKind::Ordering { steps: opts(2) },
            ItemKind::Matching {
                left: opts(1),
                right: opts(1),
                pairs: vec![0],
            },
            ItemKind::ShortText {
                accepted: vec!["a".into()],
            },
            ItemKind::Numeric {
                value: 1.0,
                tolerance: 0.0,
            },
            ItemKind::Likert { scale: opts(3) },
        ];
        let names: Vec<&str> = kinds.iter().map(ItemKind::name).collect();
        // The source format's names (authoring reads these), one per variant, in order.
        assert_eq!(
            names,
            [
                "single",
                "multiple",
                "true-false",
                "ordering",
                "matching",
                "text",
                "numeric",
                "likert"
            ]
        );
        assert_eq!(names, ItemKind::NAMES);
        let ordinals: Vec<usize> = kinds.iter().map(ItemKind::ordinal).collect();
        assert_eq!(ordinals, (0..ItemKind::NAMES.len()).collect::<Vec<_>>());
    }

    #[test]
    fn multiple_response_partial_credit() {
        let it = item(ItemKind::MultipleResponse {
            options: opts(4),
            correct: vec![0, 1, 2],
        });
        let g = |v: Vec<u16>| it.grade(&Answer::Choices(v)).unwrap();
        let c = |n, d| Credit::new(n, d).unwrap();
        assert_eq!(g(vec![0, 1, 2]).credit, Credit::FULL);
        assert!(g(vec![2, 1, 0]).correct);
        assert_eq!(g(vec![0, 1]).credit, c(2, 3));
        assert!(!g(vec![0, 1]).correct);
        assert_eq!(g(vec![0, 1, 2, 3]).credit, c(2, 3));
        assert_eq!(g(vec![0, 3]).credit, Credit::ZERO);
        assert_eq!(g(vec![3]).credit, Credit::ZERO);
        assert_eq!(g(vec![]).credit, Credit::ZERO);
        assert!(it.grade(&Answer::Choices(vec![0, 0])).is_err());
        assert!(it.grade(&Answer::Choices(vec![9])).is_err());
    }

    #[test]
    fn ordering_kendall_credit() {
        let it = item(ItemKind::Ordering { steps: opts(4) });
        let g = |v: Vec<u16>| it.grade(&Answer::Order(v)).unwrap();
        assert!(g(vec![0, 1, 2, 3]).correct);
        assert_eq!(g(vec![3, 2, 1, 0]).credit, Credit::ZERO);
        assert_eq!(g(vec![1, 0, 2, 3]).credit, Credit::new(5, 6).unwrap());
        assert!(it.grade(&Answer::Order(vec![0, 1, 2])).is_err());
    }

    #[test]
    fn text_and_numeric() {
        let t = item(ItemKind::ShortText {
            accepted: vec!["1288".into()],
        });
        assert!(t.grade(&Answer::Text("១២៨៨".into())).unwrap().correct);
        assert!(t.grade(&Answer::Text(" 1288 ".into())).unwrap().correct);
        assert!(t.grade(&Answer::Text("12 88".into())).unwrap().correct);
        assert!(!t.grade(&Answer::Text("1289".into())).unwrap().correct);
        let n = item(ItemKind::Numeric {
            value: 1288.0,
            tolerance: 0.0,
        });
        assert!(n.grade(&Answer::Text("១២៨៨".into())).unwrap().correct);
        assert!(!n.grade(&Answer::Text("abc".into())).unwrap().correct);
    }

    #[test]
    fn wrong_type_is_an_error() {
        let it = item(ItemKind::TrueFalse { correct: true });
        let e = it.grade(&Answer::Choice(0)).unwrap_err();
        assert!(matches!(e, AnswerError::WrongType { .. }));
        assert!(e.to_string().contains("true-false"));
    }
}
