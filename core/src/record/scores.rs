//! Scores derived from a record: per phase, pre/post totals, the gain, and per objective.

use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::{ResponseRecord, ResultRecord};
use crate::credit::{Points, Ratio};
use crate::pack::item::Answer;
use crate::pack::journey::PhaseKind;
use crate::pack::Pack;

impl ResultRecord {
    /// Scores per phase, pre/post totals and the gain.
    pub fn scores(&self) -> Scores {
        Self::scores_of(&self.responses)
    }

    /// Scores of a list of responses. Credits are summed exactly; each score, percentage and
    /// gain becomes a float once, so equal scores are equal floats.
    pub fn scores_of(responses: &[ResponseRecord]) -> Scores {
        // Per phase: its score, its exact points and its number of scored answers.
        let mut phases: Vec<(PhaseScore, Points, u32)> = Vec::new();
        for r in responses {
            if matches!(r.answer, Answer::Scale(_)) {
                continue;
            }
            let i = match phases.iter().position(|(p, _, _)| p.phase == r.phase) {
                Some(i) => i,
                None => {
                    phases.push((
                        PhaseScore {
                            phase: r.phase,
                            kind: r.phase_kind,
                            score: 0.0,
                            max: 0.0,
                            correct: 0,
                        },
                        Points::default(),
                        0,
                    ));
                    phases.len() - 1
                }
            };
            if let Some((ps, points, n)) = phases.get_mut(i) {
                points.add(r.credit);
                *n += 1;
                ps.correct += u32::from(r.correct);
            }
        }
        for (ps, points, n) in &mut phases {
            ps.score = points.to_f64();
            ps.max = f64::from(*n);
        }
        let total = |kind: PhaseKind| {
            let mut points = Points::default();
            let mut n = 0u32;
            for (_, p, k) in phases.iter().filter(|(p, _, _)| p.kind == kind) {
                points.merge(*p);
                n += k;
            }
            (n > 0).then_some((points, n))
        };
        let pre = total(PhaseKind::PreTest);
        let post = total(PhaseKind::PostTest);
        let pair = |t: Option<(Points, u32)>| {
            t.map(|(p, n)| ScorePair {
                score: p.to_f64(),
                max: f64::from(n),
            })
        };
        let gain = match (pre, post) {
            (Some(a), Some(b)) => Gain::exact(a, b),
            _ => None,
        };
        Scores {
            phases: phases.into_iter().map(|(p, _, _)| p).collect(),
            pre: pair(pre),
            post: pair(post),
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
                pair.score += r.credit.to_f64();
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
    /// The gain from `pre` to `post`, each an exact sum of credits over a number of scored
    /// answers: the difference of the percentages and the normalised gain are computed
    /// exactly and rounded once. `None` when a test has no scored answer.
    pub fn exact(pre: (Points, u32), post: (Points, u32)) -> Option<Self> {
        let a = pre.0.percent_of(pre.1)?;
        let b = post.0.percent_of(post.1)?;
        let d = b.minus(a);
        let room = Ratio::whole(100).minus(a);
        Some(Gain {
            absolute: d.to_f64(),
            normalised: if room.signum() > 0 {
                d.over(room).map(Ratio::to_f64)
            } else {
                None
            },
        })
    }

    /// The gain from `pre` to `post` (floating point).
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
