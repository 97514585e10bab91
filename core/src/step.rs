//! Views of the current step, with every text resolved in the session's language.
//!
//! A [`Step`] borrows from the pack and the session; hosts render it (the CLI prints it, the
//! WASM binding turns it into a plain object, the C binding reads it through accessors).
//! Option lists are in the order shown to the learner; answers use those positions.

use alloc::vec::Vec;
use serde::Serialize;

use crate::item::ItemKind;
use crate::journey::PhaseKind;
use crate::lesson::Block;
use crate::pack::{Date, Pack, Resource};
use crate::plan::PlannedStep;
use crate::result_record::{Gain, ScorePair};
use crate::session::{Session, SubStep};
use crate::text::Text;

/// A learner-facing string with its audio, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label<'a> {
    /// The text.
    pub text: &'a str,
    /// Path of the audio reading it, if the pack has one.
    pub audio: Option<&'a str>,
}

impl<'a> Label<'a> {
    fn of(t: &'a Text, chain: &[u8]) -> Self {
        Label {
            text: t.resolve(chain),
            audio: t.resolve_audio(chain),
        }
    }

    fn plain(s: &'a str) -> Self {
        Label {
            text: s,
            audio: None,
        }
    }
}

/// An intake question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntakeStep<'a> {
    /// Field id.
    pub field: &'a str,
    /// The question.
    pub label: Label<'a>,
    /// Option codes and labels; empty for a text field.
    pub options: Vec<(&'a str, Label<'a>)>,
    /// Whether it must be answered.
    pub required: bool,
}

/// A block of a lesson page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BlockView<'a> {
    /// A heading.
    Heading {
        /// Text.
        text: Label<'a>,
    },
    /// A paragraph.
    Paragraph {
        /// Text.
        text: Label<'a>,
    },
    /// A list.
    List {
        /// Entries.
        entries: Vec<Label<'a>>,
    },
    /// A highlighted call-out.
    Emphasis {
        /// Text.
        text: Label<'a>,
    },
    /// A key-message card.
    KeyMessage {
        /// Objective id.
        objective: &'a str,
        /// The message.
        title: Label<'a>,
        /// Its explanation.
        summary: Label<'a>,
    },
    /// An image.
    Image {
        /// Media path.
        src: &'a str,
        /// Alternative text.
        alt: Label<'a>,
    },
    /// A story follows this page.
    Story {
        /// Story id.
        story: &'a str,
        /// Its title.
        title: Label<'a>,
    },
    /// A help service.
    Resource(ResourceView<'a>),
}

/// A help service, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: Label<'a>,
    /// Number to dial.
    pub phone: &'a str,
    /// Opening hours.
    pub hours: Label<'a>,
    /// What it is for.
    pub purpose: Label<'a>,
    /// Date last verified.
    pub verified: Date,
}

/// A lesson page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageStep<'a> {
    /// Phase id.
    pub phase: &'a str,
    /// Lesson id.
    pub lesson: &'a str,
    /// Lesson title.
    pub title: Label<'a>,
    /// 1-based page number within the lesson.
    pub page: usize,
    /// Pages in the lesson.
    pub pages: usize,
    /// The blocks.
    pub blocks: Vec<BlockView<'a>>,
}

/// A story scene.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryStep<'a> {
    /// Story id.
    pub story: &'a str,
    /// Story title.
    pub title: Label<'a>,
    /// Node id.
    pub node: &'a str,
    /// What happens.
    pub text: Label<'a>,
    /// Picture, if any.
    pub image: Option<&'a str>,
    /// Choices (answer with their index); empty at an ending or while a consequence shows.
    pub choices: Vec<Label<'a>>,
    /// The choice made and its consequence, while it is shown (then advance).
    pub consequence: Option<(Label<'a>, Label<'a>)>,
    /// `safe`, `unsafe` or `neutral` at an ending (then advance).
    pub ending: Option<&'static str>,
}

/// A question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStep<'a> {
    /// Phase id.
    pub phase: &'a str,
    /// Phase kind.
    pub phase_kind: &'static str,
    /// Item id.
    pub item: &'a str,
    /// Item kind (`single`, `multiple`, `true-false`, `ordering`, `matching`, `text`,
    /// `numeric`, `likert`).
    pub item_kind: &'static str,
    /// The answer type it takes (`choice`, `choices`, `true-false`, `order`, `matches`,
    /// `text`, `scale`).
    pub expects: &'static str,
    /// 1-based number within the phase.
    pub number: u16,
    /// Questions in the phase.
    pub total: u16,
    /// The question.
    pub prompt: Label<'a>,
    /// Options, steps, right-hand matching entries or scale points, in shown order.
    pub options: Vec<Label<'a>>,
    /// Left-hand matching entries (matching items only).
    pub left: Vec<Label<'a>>,
}

/// Feedback after answering.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackStep<'a> {
    /// Item id.
    pub item: &'a str,
    /// Full credit?
    pub correct: bool,
    /// Points earned (0..=1).
    pub credit: f32,
    /// Extra message for a right or wrong answer (may be empty).
    pub message: Label<'a>,
    /// Why.
    pub explanation: Label<'a>,
    /// The right answer as text: the right option(s), the steps in order, `left → right`
    /// pairs as two entries each, or the accepted text.
    pub right_answer: Vec<Label<'a>>,
    /// For true/false items, the right value.
    pub right_bool: Option<bool>,
}

/// The score of a quiz phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseSummaryStep<'a> {
    /// Phase id.
    pub phase: &'a str,
    /// Phase kind.
    pub phase_kind: &'static str,
    /// Phase title.
    pub title: Label<'a>,
    /// Points earned.
    pub score: f64,
    /// Scored questions.
    pub max: f64,
    /// Questions with full credit.
    pub correct: u32,
}

/// The reference card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardStep<'a> {
    /// Title.
    pub title: Label<'a>,
    /// Key messages: objective id, message, explanation.
    pub messages: Vec<(&'a str, Label<'a>, Label<'a>)>,
    /// Help services.
    pub resources: Vec<ResourceView<'a>>,
    /// Closing line.
    pub footer: Label<'a>,
}

/// The end of the journey: the learner's own result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoneStep {
    /// Pre-test total.
    pub pre: Option<ScorePair>,
    /// Post-test total.
    pub post: Option<ScorePair>,
    /// Gain.
    pub gain: Option<Gain>,
}

/// The current step of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Step<'a> {
    /// An intake question: answer with a choice (index) or text, or advance to skip when
    /// optional.
    Intake(IntakeStep<'a>),
    /// A lesson page: advance.
    Page(PageStep<'a>),
    /// A story scene: answer with a choice, or advance after a consequence or at an ending.
    Story(StoryStep<'a>),
    /// A question: answer.
    Question(QuestionStep<'a>),
    /// Feedback on the last answer: advance.
    Feedback(FeedbackStep<'a>),
    /// A phase score: advance.
    PhaseSummary(PhaseSummaryStep<'a>),
    /// The reference card: advance.
    Card(CardStep<'a>),
    /// The end: finish.
    Done(DoneStep),
}

impl Step<'_> {
    /// The step's kind as a stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Intake(_) => "intake",
            Step::Page(_) => "page",
            Step::Story(_) => "story",
            Step::Question(_) => "question",
            Step::Feedback(_) => "feedback",
            Step::PhaseSummary(_) => "phase-summary",
            Step::Card(_) => "card",
            Step::Done(_) => "done",
        }
    }
}

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
    let scores = crate::result_record::ResultRecord::scores_of(&session.state.responses);
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
                .filter(|r| r.phase == *p && !matches!(r.answer, crate::item::Answer::Scale(_)))
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
