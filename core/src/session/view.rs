//! Building the [`Step`] a session is at: every text resolved in the session's language chain.

use alloc::vec::Vec;

use super::step::*;
use super::{Session, SubStep};
use crate::pack::item::ItemKind;
use crate::pack::journey::PhaseKind;
use crate::pack::lesson::Block;
use crate::pack::text::Text;
use crate::pack::{Pack, Resource};
use crate::session::plan::PlannedStep;

fn resource<'a>(r: &'a Resource, chain: &[u8]) -> ResourceView<'a> {
    ResourceView {
        id: &r.id,
        name: Label::of(&r.name, chain),
        phone: &r.phone,
        hours: Label::of(&r.hours, chain),
        purpose: Label::of(&r.purpose, chain),
        verified: r.verified,
    }
}

fn block<'a>(pack: &'a Pack, b: &'a Block, chain: &[u8]) -> Option<BlockView<'a>> {
    Some(match b {
        Block::Heading(t) => BlockView::Heading {
            text: Label::of(t, chain),
        },
        Block::Paragraph(t) => BlockView::Paragraph {
            text: Label::of(t, chain),
        },
        Block::Emphasis(t) => BlockView::Emphasis {
            text: Label::of(t, chain),
        },
        Block::List(ts) => BlockView::List {
            entries: ts.iter().map(|t| Label::of(t, chain)).collect(),
        },
        Block::KeyMessage(o) => {
            let o = pack.objectives.get(usize::from(*o))?;
            BlockView::KeyMessage {
                objective: &o.id,
                title: Label::of(&o.title, chain),
                summary: Label::of(&o.summary, chain),
            }
        }
        Block::Image { src, alt } => BlockView::Image {
            src,
            alt: Label::of(alt, chain),
        },
        Block::Story(s) => {
            let s = pack.stories.get(usize::from(*s))?;
            BlockView::Story {
                story: &s.id,
                title: Label::of(&s.title, chain),
            }
        }
        Block::Resource(r) => {
            BlockView::Resource(resource(pack.resources.get(usize::from(*r))?, chain))
        }
    })
}

fn shown<'a>(list: &'a [Text], order: &[u16], chain: &[u8]) -> Vec<Label<'a>> {
    if order.is_empty() {
        list.iter().map(|t| Label::of(t, chain)).collect()
    } else {
        order
            .iter()
            .filter_map(|&i| list.get(usize::from(i)))
            .map(|t| Label::of(t, chain))
            .collect()
    }
}

fn done(session: &Session) -> Step<'_> {
    let scores = crate::record::ResultRecord::scores_of(&session.state.responses);
    Step::Done(DoneStep {
        pre: scores.pre,
        post: scores.post,
        gain: scores.gain,
    })
}

/// Builds the view of a session's current step.
pub(crate) fn view(session: &Session) -> Step<'_> {
    let pack: &Pack = &session.pack;
    let chain = session.language_chain();
    let journey = pack.journeys.get(usize::from(session.state.journey));
    let phase = |p: u8| journey.and_then(|j| j.phases.get(usize::from(p)));
    let Some(planned) = session.planned() else {
        return done(session);
    };
    if session.state.ended {
        return done(session);
    }
    match (planned, &session.state.sub) {
        (PlannedStep::Question { item, .. }, SubStep::Feedback) => {
            let Some(it) = pack.items.get(usize::from(*item)) else {
                return done(session);
            };
            let last = session.state.responses.last();
            let correct = last.is_some_and(|r| r.correct);
            let (right_answer, right_bool) = right_answer(&it.kind, chain);
            Step::Feedback(FeedbackStep {
                item: &it.id,
                correct,
                credit: last.map_or(0.0, |r| r.credit),
                message: Label::of(
                    if correct {
                        &it.feedback_correct
                    } else {
                        &it.feedback_incorrect
                    },
                    chain,
                ),
                explanation: Label::of(&it.explanation, chain),
                right_answer,
                right_bool,
            })
        }
        (
            PlannedStep::Question {
                phase: p,
                item,
                number,
                order,
            },
            _,
        ) => {
            let Some(it) = pack.items.get(usize::from(*item)) else {
                return done(session);
            };
            let ph = phase(*p);
            let (options, left) = match &it.kind {
                ItemKind::SingleChoice { options, .. }
                | ItemKind::MultipleResponse { options, .. } => {
                    (shown(options, order, chain), Vec::new())
                }
                ItemKind::Ordering { steps } => (shown(steps, order, chain), Vec::new()),
                ItemKind::Matching { left, right, .. } => {
                    (shown(right, order, chain), shown(left, &[], chain))
                }
                ItemKind::Likert { scale } => (shown(scale, &[], chain), Vec::new()),
                _ => (Vec::new(), Vec::new()),
            };
            Step::Question(QuestionStep {
                phase: ph.map_or("", |p| p.id.as_str()),
                phase_kind: ph.map_or(PhaseKind::PreTest, |p| p.kind).name(),
                item: &it.id,
                item_kind: it.kind.name(),
                expects: it.expected_answer(),
                number: *number,
                total: session
                    .state
                    .plan
                    .questions_per_phase
                    .get(usize::from(*p))
                    .copied()
                    .unwrap_or(0),
                prompt: Label::of(&it.prompt, chain),
                options,
                left,
            })
        }
        (PlannedStep::Intake { field }, _) => {
            let Some(f) = pack.intake.get(usize::from(*field)) else {
                return done(session);
            };
            Step::Intake(IntakeStep {
                field: &f.id,
                label: Label::of(&f.label, chain),
                options: f
                    .options
                    .iter()
                    .map(|o| (o.code.as_str(), Label::of(&o.label, chain)))
                    .collect(),
                required: f.required,
            })
        }
        (
            PlannedStep::Page {
                phase: p,
                lesson,
                page,
            },
            _,
        ) => {
            let Some(l) = pack.lessons.get(usize::from(*lesson)) else {
                return done(session);
            };
            let blocks = l
                .pages
                .get(usize::from(*page))
                .map(|pg| {
                    pg.blocks
                        .iter()
                        .filter_map(|b| block(pack, b, chain))
                        .collect()
                })
                .unwrap_or_default();
            Step::Page(PageStep {
                phase: phase(*p).map_or("", |p| p.id.as_str()),
                lesson: &l.id,
                title: Label::of(&l.title, chain),
                page: usize::from(*page) + 1,
                pages: l.pages.len(),
                blocks,
            })
        }
        (PlannedStep::Story { story, .. }, sub) => {
            let Some(s) = pack.stories.get(usize::from(*story)) else {
                return done(session);
            };
            let (node, chosen) = match sub {
                SubStep::Story { node, chosen } => (*node, *chosen),
                _ => (s.start, None),
            };
            let Some(n) = s.nodes.get(usize::from(node)) else {
                return done(session);
            };
            let consequence = chosen
                .and_then(|c| n.choices.get(usize::from(c)))
                .map(|c| (Label::of(&c.label, chain), Label::of(&c.consequence, chain)));
            Step::Story(StoryStep {
                story: &s.id,
                title: Label::of(&s.title, chain),
                node: &n.id,
                text: Label::of(&n.text, chain),
                image: n.image.as_deref(),
                choices: if consequence.is_some() {
                    Vec::new()
                } else {
                    n.choices
                        .iter()
                        .map(|c| Label::of(&c.label, chain))
                        .collect()
                },
                consequence,
                ending: n.ending.map(|e| e.name()),
            })
        }
        (PlannedStep::PhaseSummary { phase: p }, _) => {
            let ph = phase(*p);
            let (score, max, correct) = session
                .state
                .responses
                .iter()
                .filter(|r| {
                    r.phase == *p && !matches!(r.answer, crate::pack::item::Answer::Scale(_))
                })
                .fold((0.0, 0.0, 0u32), |(s, m, c), r| {
                    (s + f64::from(r.credit), m + 1.0, c + u32::from(r.correct))
                });
            Step::PhaseSummary(PhaseSummaryStep {
                phase: ph.map_or("", |p| p.id.as_str()),
                phase_kind: ph.map_or(PhaseKind::PreTest, |p| p.kind).name(),
                title: ph.map_or(Label::plain(""), |p| Label::of(&p.title, chain)),
                score,
                max,
                correct,
            })
        }
        (PlannedStep::Card, _) => Step::Card(CardStep {
            title: Label::of(&pack.card.title, chain),
            messages: pack
                .card
                .objectives
                .iter()
                .filter_map(|&o| pack.objectives.get(usize::from(o)))
                .map(|o| {
                    (
                        o.id.as_str(),
                        Label::of(&o.title, chain),
                        Label::of(&o.summary, chain),
                    )
                })
                .collect(),
            resources: pack
                .card
                .resources
                .iter()
                .filter_map(|&r| pack.resources.get(usize::from(r)))
                .map(|r| resource(r, chain))
                .collect(),
            footer: Label::of(&pack.card.footer, chain),
        }),
    }
}

fn right_answer<'a>(kind: &'a ItemKind, chain: &[u8]) -> (Vec<Label<'a>>, Option<bool>) {
    match kind {
        ItemKind::SingleChoice { options, correct } => (
            options
                .get(usize::from(*correct))
                .map(|t| Label::of(t, chain))
                .into_iter()
                .collect(),
            None,
        ),
        ItemKind::MultipleResponse { options, correct } => (
            correct
                .iter()
                .filter_map(|&c| options.get(usize::from(c)))
                .map(|t| Label::of(t, chain))
                .collect(),
            None,
        ),
        ItemKind::TrueFalse { correct } => (Vec::new(), Some(*correct)),
        ItemKind::Ordering { steps } => (steps.iter().map(|t| Label::of(t, chain)).collect(), None),
        ItemKind::Matching { left, right, pairs } => (
            left.iter()
                .zip(pairs)
                .flat_map(|(l, &p)| {
                    [
                        Some(Label::of(l, chain)),
                        right.get(usize::from(p)).map(|r| Label::of(r, chain)),
                    ]
                })
                .flatten()
                .collect(),
            None,
        ),
        ItemKind::ShortText { accepted } => (
            accepted
                .first()
                .map(|a| Label::plain(a))
                .into_iter()
                .collect(),
            None,
        ),
        ItemKind::Numeric { .. } | ItemKind::Likert { .. } => (Vec::new(), None),
    }
}
