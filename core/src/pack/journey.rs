//! Journeys: named flows of phases (pre-test, lesson, practice, post-test, follow-up).

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::pack::text::Text;

/// A named flow through a pack, e.g. `school` or `kiosk`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journey {
    /// The journey's id.
    pub id: String,
    /// The journey's title.
    pub title: Text,
    /// Whether the intake questions are asked first.
    pub intake: bool,
    /// Whether the reference card is shown at the end.
    pub card: bool,
    /// Parallel forms (indices into the pack's forms) for crossover assignment; empty when the
    /// journey uses fixed item lists only.
    pub forms: Vec<u16>,
    /// The phases in order.
    pub phases: Vec<Phase>,
}

/// One phase of a journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// The phase's id, unique within the journey.
    pub id: String,
    /// The phase's title.
    pub title: Text,
    /// What kind of phase it is.
    pub kind: PhaseKind,
    /// What it shows.
    pub content: PhaseContent,
}

/// The kinds of phase. Pre- and post-tests are what knowledge gain is measured between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhaseKind {
    /// Before the lesson; never gives feedback.
    PreTest,
    /// Lesson pages and stories.
    Lesson,
    /// Practice questions with feedback.
    Practice,
    /// After the lesson.
    PostTest,
    /// A later follow-up test.
    FollowUp,
}

impl PhaseKind {
    /// The stable name used in the source format, results and reports.
    pub fn name(self) -> &'static str {
        match self {
            PhaseKind::PreTest => "pre-test",
            PhaseKind::Lesson => "lesson",
            PhaseKind::Practice => "practice",
            PhaseKind::PostTest => "post-test",
            PhaseKind::FollowUp => "follow-up",
        }
    }

    /// Whether the phase asks questions.
    pub fn is_quiz(self) -> bool {
        !matches!(self, PhaseKind::Lesson)
    }
}

/// What a phase shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PhaseContent {
    /// Lessons, by index.
    Lessons(Vec<u16>),
    /// Questions.
    Quiz(Quiz),
}

/// How a quiz phase picks and shows its questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quiz {
    /// Which items.
    pub selection: Selection,
    /// Shuffle the order of the items.
    pub shuffle_items: bool,
    /// Shuffle the options of each item (ordering items are always shuffled).
    pub shuffle_options: bool,
    /// What the learner sees after answering.
    pub feedback: FeedbackPolicy,
    /// Whether knowledge items offer "I don't know" ([`Answer::DontKnow`](crate::pack::item::Answer::DontKnow)).
    /// Not in the phase's own bytes: a pack file lists these phases in a section after the
    /// pack (see [`crate::pack::format`]), so that packs without it keep their format-2 bytes.
    #[serde(skip)]
    pub dont_know: bool,
}

/// Which items a quiz phase asks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Selection {
    /// These items, by index.
    Fixed(Vec<u16>),
    /// Items from one of the journey's parallel forms.
    Form {
        /// Which form in the learner's crossover order.
        slot: FormSlot,
        /// Draw this many items per objective (0 = the whole form).
        per_objective: u8,
    },
}

/// Position of a form in the learner's crossover order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FormSlot {
    /// The form the learner gets first (A for half the learners, B for the other half).
    First,
    /// The other form.
    Second,
}

/// What the learner sees after answering a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FeedbackPolicy {
    /// Nothing (pre-tests).
    None,
    /// Right or wrong, the right answer and the explanation, after each answer.
    AfterEach,
    /// Nothing while the phase runs; after its score, a review of every scored answer
    /// (right or wrong, the right answer and the explanation), so that no explanation can
    /// answer a later question of the same phase.
    AfterPhase,
}
