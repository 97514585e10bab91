//! Planning a session: the ordered list of steps a journey gives for one seed.
//!
//! The plan is fixed when a session starts (items drawn, forms assigned, options shuffled),
//! so a session is a cursor over it plus the learner's answers. Feedback and story scenes
//! are sub-steps of a planned step.

use alloc::vec::Vec;
use serde::Serialize;

use crate::pack::journey::{FormSlot, Journey, PhaseContent, Selection};
use crate::pack::lesson::Block;
use crate::pack::Pack;
use crate::rng::{Purpose, SeededRng};

/// One planned step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub enum PlannedStep {
    /// An intake question (field index).
    Intake {
        /// Field index.
        field: u16,
    },
    /// A lesson page.
    Page {
        /// Phase index.
        phase: u8,
        /// Lesson index.
        lesson: u16,
        /// Page index.
        page: u16,
    },
    /// A branching story, played scene by scene.
    Story {
        /// Phase index.
        phase: u8,
        /// Story index.
        story: u16,
    },
    /// A question.
    Question {
        /// Phase index.
        phase: u8,
        /// Item index.
        item: u16,
        /// 1-based number within the phase.
        number: u16,
        /// Shown order: `order[shown position] = canonical index` (empty when the item has
        /// nothing to shuffle).
        order: Vec<u16>,
    },
    /// The score of a quiz phase.
    PhaseSummary {
        /// Phase index.
        phase: u8,
    },
    /// The take-home reference card.
    Card,
}

/// A session's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct Plan {
    /// The steps in order.
    pub steps: Vec<PlannedStep>,
    /// Questions per phase (index = phase index).
    pub questions_per_phase: Vec<u16>,
    /// The forms in the order this learner takes them (crossover), as form indices.
    pub form_order: Vec<u16>,
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Draws the items of a quiz selection.
fn select_items(
    pack: &Pack,
    selection: &Selection,
    form_order: &[u16],
    rng: &mut SeededRng,
) -> Vec<u16> {
    match selection {
        Selection::Fixed(items) => items.clone(),
        Selection::Form {
            slot,
            per_objective,
        } => {
            let pos = match slot {
                FormSlot::First => 0,
                FormSlot::Second => 1,
            };
            let Some(form) = form_order
                .get(pos)
                .and_then(|&f| pack.forms.get(usize::from(f)))
            else {
                return Vec::new();
            };
            if *per_objective == 0 {
                return form.items.clone();
            }
            let mut chosen = Vec::new();
            for o in 0..pack.objectives.len() {
                let mut pool: Vec<u16> = form
                    .items
                    .iter()
                    .copied()
                    .filter(|&i| {
                        pack.items
                            .get(usize::from(i))
                            .and_then(|it| it.objectives.first())
                            .is_some_and(|&first| usize::from(first) == o)
                    })
                    .collect();
                rng.shuffle(&mut pool);
                pool.truncate(usize::from(*per_objective));
                super::small_sort::sort_by_key(&mut pool, |i| {
                    form.items.iter().position(|x| x == i)
                });
                chosen.extend(pool);
            }
            chosen
        }
    }
}

/// Builds the plan of journey `journey` for `seed`.
pub fn build(pack: &Pack, journey: &Journey, seed: u64) -> Plan {
    let mut steps = Vec::new();
    let mut form_order: Vec<u16> = journey.forms.clone();
    if form_order.len() >= 2 && SeededRng::new(seed, Purpose::Crossover).coin() {
        form_order.swap(0, 1);
    }
    if journey.intake {
        steps.extend((0..pack.intake.len()).map(|f| PlannedStep::Intake { field: to_u16(f) }));
    }
    let mut questions_per_phase = Vec::with_capacity(journey.phases.len());
    let mut question_counter: u32 = 0;
    for (pi, phase) in journey.phases.iter().enumerate() {
        let phase_idx = u8::try_from(pi).unwrap_or(u8::MAX);
        match &phase.content {
            PhaseContent::Lessons(lessons) => {
                questions_per_phase.push(0);
                for &l in lessons {
                    let Some(lesson) = pack.lessons.get(usize::from(l)) else {
                        continue;
                    };
                    for (pg, page) in lesson.pages.iter().enumerate() {
                        steps.push(PlannedStep::Page {
                            phase: phase_idx,
                            lesson: l,
                            page: to_u16(pg),
                        });
                        for b in &page.blocks {
                            if let Block::Story(s) = b {
                                steps.push(PlannedStep::Story {
                                    phase: phase_idx,
                                    story: *s,
                                });
                            }
                        }
                    }
                }
            }
            PhaseContent::Quiz(quiz) => {
                let mut rng = SeededRng::new(seed, Purpose::Phase(phase_idx));
                let mut items = select_items(pack, &quiz.selection, &form_order, &mut rng);
                if quiz.shuffle_items {
                    rng.shuffle(&mut items);
                }
                questions_per_phase.push(to_u16(items.len()));
                for (n, &item) in items.iter().enumerate() {
                    let Some(it) = pack.items.get(usize::from(item)) else {
                        continue;
                    };
                    let len = it.kind.shuffle_len();
                    let mut order: Vec<u16> = (0..len).map(to_u16).collect();
                    let is_ordering =
                        matches!(it.kind, crate::pack::item::ItemKind::Ordering { .. });
                    if quiz.shuffle_options || is_ordering {
                        let mut r = SeededRng::new(seed, Purpose::Options(question_counter));
                        r.shuffle(&mut order);
                        // An ordering item shown in its right order gives the answer away.
                        if is_ordering && order.windows(2).all(|w| w.first() < w.get(1)) {
                            order.rotate_left(1);
                        }
                    }
                    question_counter += 1;
                    steps.push(PlannedStep::Question {
                        phase: phase_idx,
                        item,
                        number: to_u16(n + 1),
                        order,
                    });
                }
                let scored = items.iter().any(|&i| {
                    pack.items
                        .get(usize::from(i))
                        .is_some_and(|it| it.kind.is_scored())
                });
                if scored {
                    steps.push(PlannedStep::PhaseSummary { phase: phase_idx });
                }
            }
        }
    }
    if journey.card {
        steps.push(PlannedStep::Card);
    }
    Plan {
        steps,
        questions_per_phase,
        form_order,
    }
}
