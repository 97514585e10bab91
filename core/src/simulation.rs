//! Synthetic cohorts: realistic learners driven through real sessions, for demos, tests and
//! benchmarks.
//!
//! Each simulated learner has a prior knowledge level, a learning rate and a chance to leave
//! early. For every objective they either know it (and answer its items right, bar a small
//! slip) or guess. The lesson teaches each unknown objective with the learner's learning
//! rate. Some learners walk away before the post-test: their sessions are abandoned, as a
//! kiosk does, and still recorded. Intake answers are drawn from the pack's options.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::pack::item::{Answer, ItemKind};
use crate::pack::journey::PhaseKind;
use crate::pack::Pack;
use crate::record::ResultRecord;
use crate::rng::{Purpose, SeededRng};
use crate::session::{Position, Session, SessionError, SessionOptions};

/// How to simulate a cohort.
#[derive(Debug, Clone)]
pub struct SimulationOptions<'a> {
    /// Journey id.
    pub journey: &'a str,
    /// Number of learners.
    pub learners: u32,
    /// Seed of the whole cohort.
    pub seed: u64,
    /// Start time of the first session, ms since the Unix epoch.
    pub start_ms: i64,
    /// Share of learners who leave before the post-test (0..=1).
    pub dropout: f64,
}

/// A simulated learner's knowledge and behaviour.
struct Learner {
    knows: Vec<bool>,
    learning: f64,
    leaves: bool,
    attitude: u32,
}

/// A uniform draw in [0, 1).
fn unit(r: &mut SeededRng) -> f64 {
    f64::from(r.below(1 << 24)) / f64::from(1u32 << 24)
}

/// Simulates a cohort and hands each record to `sink` (so a million learners stream).
pub fn simulate(
    pack: &Arc<Pack>,
    options: &SimulationOptions<'_>,
    mut sink: impl FnMut(ResultRecord),
) -> Result<(), SessionError> {
    let mut rng = SeededRng::new(options.seed, Purpose::Crossover);
    let dropout_cutoff = (options.dropout.clamp(0.0, 1.0) * f64::from(1u32 << 24)) as u32;
    for n in 0..options.learners {
        let seed = rng.next_u64();
        let mut r = SeededRng::new(seed, Purpose::Phase(255));
        let prior = 0.15 + 0.5 * unit(&mut r);
        let learner = Learner {
            knows: (0..pack.objectives.len())
                .map(|_| unit(&mut r) < prior)
                .collect(),
            learning: 0.3 + 0.65 * unit(&mut r),
            leaves: r.below(1 << 24) < dropout_cutoff,
            attitude: r.below(3),
        };
        let code = format!("S{:06}", n + 1);
        let mut now = options.start_ms + i64::from(n) * 600_000;
        let mut session = Session::start(
            Arc::clone(pack),
            &SessionOptions {
                journey: options.journey,
                languages: &[],
                seed,
                learner: &code,
                now_ms: now,
            },
        )?;
        let record = run_learner(&mut session, learner, &mut r, &mut now)?;
        sink(record);
    }
    Ok(())
}

/// What a simulated learner does at a step.
enum Move {
    Answer(Answer),
    Advance,
    Leave,
    Finish,
}

/// Drives one learner through their session, using only where the session says it is.
fn run_learner(
    session: &mut Session,
    mut learner: Learner,
    r: &mut SeededRng,
    now: &mut i64,
) -> Result<ResultRecord, SessionError> {
    let pack = Arc::clone(session.pack_arc());
    let journey = pack
        .journey_index(session.journey_id())
        .and_then(|j| pack.journeys.get(j));
    let phase_kind = |p: u8| {
        journey
            .and_then(|j| j.phases.get(usize::from(p)))
            .map(|p| p.kind)
    };
    let mut taught = false;
    // Every step moves the cursor or a sub-step forward; the bound guards against a loop.
    for _ in 0..100_000 {
        *now += 3_000 + i64::from(r.below(15_000));
        let next = match session.position() {
            Position::Done => Move::Finish,
            Position::Intake { field } => match pack.intake.get(usize::from(field)) {
                Some(f) if f.options.is_empty() => {
                    Move::Answer(Answer::Text(format!("{}-{}", f.id, 1 + r.below(8))))
                }
                Some(f) => Move::Answer(Answer::Choice(r.below(f.options.len() as u32) as u16)),
                None => Move::Advance,
            },
            Position::Page => {
                if !taught {
                    taught = true;
                    for k in learner.knows.iter_mut() {
                        if !*k && unit(r) < learner.learning {
                            *k = true;
                        }
                    }
                }
                Move::Advance
            }
            Position::Story {
                story,
                node,
                chosen: None,
            } => {
                let n = pack
                    .stories
                    .get(usize::from(story))
                    .and_then(|s| s.nodes.get(usize::from(node)));
                match n {
                    Some(n) if !n.choices.is_empty() => {
                        Move::Answer(Answer::Choice(r.below(n.choices.len() as u32) as u16))
                    }
                    _ => Move::Advance,
                }
            }
            Position::Question { phase, item, order } => {
                if learner.leaves && phase_kind(phase) == Some(PhaseKind::PostTest) {
                    Move::Leave
                } else if let Some(it) = pack.items.get(usize::from(item)) {
                    let knows = it
                        .objectives
                        .first()
                        .and_then(|&o| learner.knows.get(usize::from(o)))
                        .copied()
                        .unwrap_or(false);
                    let post = phase_kind(phase) != Some(PhaseKind::PreTest);
                    let right = knows && unit(r) > 0.05;
                    let answer = answer_for(&it.kind, order, right, post, learner.attitude, r);
                    Move::Answer(match (answer, &it.kind) {
                        // A reverse-keyed statement: the safe attitude is disagreeing.
                        (Answer::Scale(v), ItemKind::Likert { scale })
                            if pack.is_reverse_keyed(item) =>
                        {
                            let top = u16::try_from(scale.len().saturating_sub(1)).unwrap_or(0);
                            Answer::Scale(top.saturating_sub(v))
                        }
                        (a, _) => a,
                    })
                } else {
                    Move::Advance
                }
            }
            _ => Move::Advance,
        };
        match next {
            Move::Answer(answer) => session.answer(answer, *now)?,
            Move::Advance => session.advance(*now)?,
            Move::Leave => return session.abandon(*now),
            Move::Finish => return session.finish(*now),
        }
    }
    session.abandon(*now)
}

/// The shown position of canonical option `canonical` (`order[shown] = canonical`).
fn shown_of(order: &[u16], canonical: u16) -> u16 {
    order
        .iter()
        .position(|&c| c == canonical)
        .map_or(canonical, |p| p as u16)
}

/// The answer a learner gives to an item of kind `kind` shown in `order`: the right one when
/// `right`, else a guess; a Likert answer from their attitude, a notch higher after the lesson
/// (`post`), on a scale whose safe end is the top (the caller reverses it for an item keyed
/// "low").
fn answer_for(
    kind: &ItemKind,
    order: &[u16],
    right: bool,
    post: bool,
    attitude: u32,
    r: &mut SeededRng,
) -> Answer {
    let n = kind.shuffle_len() as u32;
    match kind {
        ItemKind::SingleChoice { correct, .. } => Answer::Choice(if right {
            shown_of(order, *correct)
        } else {
            r.below(n) as u16
        }),
        ItemKind::MultipleResponse { correct, .. } => {
            if right {
                Answer::Choices(correct.iter().map(|&c| shown_of(order, c)).collect())
            } else {
                let v: Vec<u16> = (0..n as u16).filter(|_| r.coin()).collect();
                Answer::Choices(v)
            }
        }
        ItemKind::TrueFalse { correct } => {
            Answer::TrueFalse(if right { *correct } else { r.coin() })
        }
        ItemKind::Ordering { .. } => {
            let mut canon: Vec<u16> = (0..n as u16).collect();
            if !right {
                r.shuffle(&mut canon);
            }
            Answer::Order(canon.iter().map(|&c| shown_of(order, c)).collect())
        }
        ItemKind::Matching { pairs, .. } => Answer::Matches(
            pairs
                .iter()
                .map(|&p| {
                    if right {
                        shown_of(order, p)
                    } else {
                        r.below(n) as u16
                    }
                })
                .collect(),
        ),
        ItemKind::ShortText { accepted } => Answer::Text(if right {
            accepted.first().cloned().unwrap_or_default()
        } else {
            String::from("1000")
        }),
        ItemKind::Numeric { value, .. } => Answer::Text(if right {
            format!("{value}")
        } else {
            format!("{}", value + 1.0 + f64::from(r.below(9)))
        }),
        ItemKind::Likert { scale } => {
            let top = scale.len().saturating_sub(1) as u32;
            let base = attitude + u32::from(post) + r.below(2);
            Answer::Scale(base.min(top) as u16)
        }
    }
}
