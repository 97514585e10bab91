//! Building the [`Step`] a session is at from its state: every text resolved in the
//! session's language chain.

use alloc::vec::Vec;

use super::plan::PlannedStep;
use super::state::{review_entries, SessionState, SubStep};
use super::step::*;
use crate::credit::Points;
use crate::pack::item::{Answer, ItemKind};
use crate::pack::journey::{Phase, PhaseKind};
use crate::pack::lesson::Block;
use crate::pack::text::Text;
use crate::pack::{Pack, Resource};

/// A help resource, resolved.
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

/// A lesson page block, resolved; `None` when what it refers to is missing.
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

/// The labels of `list` in shown order (`order[shown] = canonical index`; empty: as is).
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

/// The end of the journey: the learner's own scores.
fn done(state: &SessionState) -> Step<'static> {
    let scores = crate::record::ResultRecord::scores_of(&state.responses);
    Step::Done(DoneStep {
        pre: scores.pre,
        post: scores.post,
        gain: scores.gain,
    })
}

/// The view of the step a session with state `state` is at, shown in language chain `chain`.
/// Anything the pack does not have (a checked pack has everything) shows as the end.
pub(crate) fn view<'a>(pack: &'a Pack, state: &SessionState, chain: &[u8]) -> Step<'a> {
    let planned = state.plan.steps.get(state.cursor as usize);
    let Some(planned) = planned.filter(|_| !state.ended) else {
        return done(state);
    };
    let phase = |p: u8| phase_of(pack, state, p);
    let step = match (planned, &state.sub) {
        (PlannedStep::Question { item, .. }, SubStep::Feedback) => {
            let last = state.responses.last();
            feedback(pack, *item, last, None, chain)
        }
        (
            PlannedStep::Question {
                phase: p,
                item,
                number,
                order,
            },
            _,
        ) => question(pack, state, *p, *item, *number, order, chain),
        (PlannedStep::Intake { field }, _) => intake(pack, *field, chain),
        (
            PlannedStep::Page {
                phase: p,
                lesson,
                page,
            },
            _,
        ) => lesson_page(pack, phase(*p), *lesson, *page, chain),
        (PlannedStep::Story { story, .. }, sub) => story_scene(pack, *story, sub, chain),
        (PlannedStep::PhaseSummary { phase: p }, SubStep::Review { entry }) => {
            review(pack, state, *p, *entry, chain)
        }
        (PlannedStep::PhaseSummary { phase: p }, _) => {
            Some(phase_summary(state, phase(*p), *p, chain))
        }
        (PlannedStep::Card, _) => Some(card(pack, chain)),
    };
    step.unwrap_or_else(|| done(state))
}

/// Feedback on item `item` answered with `response` (`None`: not answered), shown right
/// after the answer or, with `place`, in an end-of-phase review.
fn feedback<'a>(
    pack: &'a Pack,
    item: u16,
    response: Option<&crate::record::ResponseRecord>,
    place: Option<ReviewPlace>,
    chain: &[u8],
) -> Option<Step<'a>> {
    let it = pack.items.get(usize::from(item))?;
    let correct = response.is_some_and(|r| r.correct);
    let (right_answer, right_bool) = right_answer(&it.kind, chain);
    Some(Step::Feedback(FeedbackStep {
        item: &it.id,
        item_kind: it.kind.name(),
        prompt: Label::of(&it.prompt, chain),
        review: place,
        correct,
        credit: response.map_or(0.0, |r| r.credit.to_f32()),
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
        dont_know: response.is_some_and(|r| r.answer == crate::pack::item::Answer::DontKnow),
    }))
}

/// Answer `entry` of the end-of-phase review of phase `p`.
fn review<'a>(
    pack: &'a Pack,
    state: &SessionState,
    p: u8,
    entry: u16,
    chain: &[u8],
) -> Option<Step<'a>> {
    let entries = || review_entries(pack, &state.responses, p);
    let total = u16::try_from(entries().count()).unwrap_or(u16::MAX);
    let r = state.responses.get(entries().nth(usize::from(entry))?)?;
    let place = ReviewPlace {
        number: entry.saturating_add(1),
        total,
    };
    feedback(pack, r.item, Some(r), Some(place), chain)
}

/// Phase `p` of the session's journey.
fn phase_of<'a>(pack: &'a Pack, state: &SessionState, p: u8) -> Option<&'a Phase> {
    pack.journeys
        .get(usize::from(state.journey))
        .and_then(|j| j.phases.get(usize::from(p)))
}

/// Question `number` of phase `p`, asking item `item` with its options in `order`.
fn question<'a>(
    pack: &'a Pack,
    state: &SessionState,
    p: u8,
    item: u16,
    number: u16,
    order: &[u16],
    chain: &[u8],
) -> Option<Step<'a>> {
    let it = pack.items.get(usize::from(item))?;
    let ph = phase_of(pack, state, p);
    let (options, left) = match &it.kind {
        ItemKind::SingleChoice { options, .. } | ItemKind::MultipleResponse { options, .. } => {
            (shown(options, order, chain), Vec::new())
        }
        ItemKind::Ordering { steps } => (shown(steps, order, chain), Vec::new()),
        ItemKind::Matching { left, right, .. } => {
            (shown(right, order, chain), shown(left, &[], chain))
        }
        ItemKind::Likert { scale } => (shown(scale, &[], chain), Vec::new()),
        _ => (Vec::new(), Vec::new()),
    };
    Some(Step::Question(QuestionStep {
        phase: ph.map_or("", |p| p.id.as_str()),
        phase_kind: ph.map_or(PhaseKind::PreTest, |p| p.kind).name(),
        item: &it.id,
        item_kind: it.kind.name(),
        expects: it.expected_answer(),
        number,
        total: state
            .plan
            .questions_per_phase
            .get(usize::from(p))
            .copied()
            .unwrap_or(0),
        prompt: Label::of(&it.prompt, chain),
        options,
        left,
        dont_know: super::offers_dont_know(ph, it),
    }))
}

/// Intake question `field`.
fn intake<'a>(pack: &'a Pack, field: u16, chain: &[u8]) -> Option<Step<'a>> {
    let f = pack.intake.get(usize::from(field))?;
    Some(Step::Intake(IntakeStep {
        field: &f.id,
        label: Label::of(&f.label, chain),
        options: f
            .options
            .iter()
            .map(|o| (o.code.as_str(), Label::of(&o.label, chain)))
            .collect(),
        required: f.required,
    }))
}

/// Page `page` of lesson `lesson`, in phase `ph`.
fn lesson_page<'a>(
    pack: &'a Pack,
    ph: Option<&'a Phase>,
    lesson: u16,
    page: u16,
    chain: &[u8],
) -> Option<Step<'a>> {
    let l = pack.lessons.get(usize::from(lesson))?;
    let blocks = l
        .pages
        .get(usize::from(page))
        .map(|pg| {
            pg.blocks
                .iter()
                .filter_map(|b| block(pack, b, chain))
                .collect()
        })
        .unwrap_or_default();
    Some(Step::Page(PageStep {
        phase: ph.map_or("", |p| p.id.as_str()),
        lesson: &l.id,
        title: Label::of(&l.title, chain),
        page: usize::from(page) + 1,
        pages: l.pages.len(),
        blocks,
    }))
}

/// The scene of story `story` the session is at (`sub`): its node, and the consequence of
/// the choice made while it is shown.
fn story_scene<'a>(pack: &'a Pack, story: u16, sub: &SubStep, chain: &[u8]) -> Option<Step<'a>> {
    let s = pack.stories.get(usize::from(story))?;
    let (node, chosen) = match sub {
        SubStep::Story { node, chosen } => (*node, *chosen),
        _ => (s.start, None),
    };
    let n = s.nodes.get(usize::from(node))?;
    let consequence = chosen
        .and_then(|c| n.choices.get(usize::from(c)))
        .map(|c| (Label::of(&c.label, chain), Label::of(&c.consequence, chain)));
    Some(Step::Story(StoryStep {
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
    }))
}

/// The score of quiz phase `p` (`ph`): credit, scored questions and full-credit answers.
fn phase_summary<'a>(state: &SessionState, ph: Option<&'a Phase>, p: u8, chain: &[u8]) -> Step<'a> {
    let (points, max, correct) = state
        .responses
        .iter()
        .filter(|r| r.phase == p && !matches!(r.answer, Answer::Scale(_)))
        .fold((Points::default(), 0.0, 0u32), |(mut s, m, c), r| {
            s.add(r.credit);
            (s, m + 1.0, c + u32::from(r.correct))
        });
    let score = points.to_f64();
    Step::PhaseSummary(PhaseSummaryStep {
        phase: ph.map_or("", |p| p.id.as_str()),
        phase_kind: ph.map_or(PhaseKind::PreTest, |p| p.kind).name(),
        title: ph.map_or(Label::plain(""), |p| Label::of(&p.title, chain)),
        score,
        max,
        correct,
    })
}

/// The reference card.
fn card<'a>(pack: &'a Pack, chain: &[u8]) -> Step<'a> {
    Step::Card(CardStep {
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
    })
}

/// The right answer of an item as labels, and for a true/false item the right value.
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
