//! Views of the current step, with every text resolved in the session's language.
//!
//! A [`Step`] borrows from the pack and the session; hosts render it (the CLI prints it, the
//! WASM binding turns it into a plain object, the C binding reads it through accessors).
//! Option lists are in the order shown to the learner; answers use those positions.

use alloc::vec::Vec;
use serde::Serialize;

use crate::pack::Date;
use crate::record::{Gain, ScorePair};

pub use crate::pack::text::Label;

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
    /// Whether the question offers "I don't know" (answer with
    /// [`Answer::DontKnow`](crate::pack::item::Answer::DontKnow)): a knowledge item in a
    /// phase with `dont_know = true`. Show it as a secondary choice.
    pub dont_know: bool,
}

/// Where a feedback step stands in an end-of-phase review (`feedback = "after-phase"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReviewPlace {
    /// 1-based number of this answer in the review.
    pub number: u16,
    /// Answers in the review.
    pub total: u16,
}

/// Feedback on an answer: right after it (`after-each`) or in the review at the end of the
/// phase (`after-phase`, then `review` is set).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackStep<'a> {
    /// Item id.
    pub item: &'a str,
    /// Item kind, as in [`QuestionStep::item_kind`] (says how to show `right_answer`).
    pub item_kind: &'static str,
    /// The question, so that a review can show what was asked.
    pub prompt: Label<'a>,
    /// In an end-of-phase review: this answer's place in it; `None` right after an answer.
    pub review: Option<ReviewPlace>,
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
    /// Whether the learner answered "I don't know" (then `correct` is false: say what the
    /// right answer is, not that the learner was wrong).
    pub dont_know: bool,
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
    /// Feedback on the last answer, or one answer of an end-of-phase review: advance.
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

/// Where a session is, by pack indices and without any text resolved: for hosts that drive a
/// session without showing it (the simulator, test bots), where building the whole [`Step`]
/// would be wasted. [`Session::step`](super::Session::step) shows the same step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position<'a> {
    /// An intake question: answer, or advance to skip when optional.
    Intake {
        /// The field's index in the pack's intake.
        field: u16,
    },
    /// A lesson page: advance.
    Page,
    /// A story scene.
    Story {
        /// The story's index in the pack.
        story: u16,
        /// The node's index in the story.
        node: u16,
        /// The choice whose consequence is shown (then advance); `None` while the node's
        /// choices are offered (answer with one) or at an ending (advance).
        chosen: Option<u16>,
    },
    /// A question: answer.
    Question {
        /// The phase's index in the journey.
        phase: u8,
        /// The item's index in the pack.
        item: u16,
        /// The shown option order: `order[shown position] = canonical index` (empty when
        /// nothing is shuffled).
        order: &'a [u16],
    },
    /// Feedback on the last answer, or one answer of an end-of-phase review: advance.
    Feedback,
    /// A phase score: advance.
    PhaseSummary,
    /// The reference card: advance.
    Card,
    /// The end: finish.
    Done,
}
