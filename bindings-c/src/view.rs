//! The C view of a session's current step.
//!
//! [`kru_core::Step`] borrows from the session; C needs pointers that stay put between
//! calls. After every call that changes a session, the binding rebuilds this flat view of
//! the step: every string is a [`kru_str`] pointing into the pack (kept alive by the
//! session's `Arc<Pack>`) or into static data, so the pointers handed to C stay valid until
//! the next change, as documented. Accessors only read the view.

use kru_core::record::{Gain, ScorePair};
use kru_core::session::step::{BlockView, ResourceView};
use kru_core::Step;

use crate::ffi::{kru_label, kru_str};

/// The kind of the current step. The numbers are permanent.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kru_step_kind {
    /// An intake question: answer with a choice (kru_session_answer_choice) or text
    /// (kru_session_answer_text), or advance to skip an optional one.
    KRU_STEP_INTAKE = 1,
    /// A lesson page: advance.
    KRU_STEP_PAGE = 2,
    /// A story scene: answer with a choice, or advance after a consequence or at an ending.
    KRU_STEP_STORY = 3,
    /// A question: answer with the kru_session_answer_* function of the type that
    /// kru_session_question() gives in `out_expects`.
    KRU_STEP_QUESTION = 4,
    /// Feedback on the last answer: advance.
    KRU_STEP_FEEDBACK = 5,
    /// A quiz phase's score: advance.
    KRU_STEP_PHASE_SUMMARY = 6,
    /// The take-home reference card: advance.
    KRU_STEP_CARD = 7,
    /// The end of the journey: kru_session_finish() (answering or advancing gives
    /// KRU_JOURNEY_COMPLETE).
    KRU_STEP_DONE = 8,
}

/// The kind of a block of a lesson page. The numbers are permanent.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kru_block_kind {
    /// A heading: `text`.
    KRU_BLOCK_HEADING = 1,
    /// A paragraph: `text`.
    KRU_BLOCK_PARAGRAPH = 2,
    /// A bulleted list: entries (kru_session_page_block_entry).
    KRU_BLOCK_LIST = 3,
    /// A highlighted call-out: `text`.
    KRU_BLOCK_EMPHASIS = 4,
    /// A key-message card: `id` (objective id), `text` (the message), `detail` (summary).
    KRU_BLOCK_KEY_MESSAGE = 5,
    /// An image: `media` (path in the pack's media folder), `text` (alternative text).
    KRU_BLOCK_IMAGE = 6,
    /// A story follows this page: `id` (story id), `text` (its title).
    KRU_BLOCK_STORY = 7,
    /// A help service: `id`, `text` (name), `detail` (purpose) and
    /// kru_session_page_block_resource() for all of it.
    KRU_BLOCK_RESOURCE = 8,
}

/// The type of answer a question takes; each has its kru_session_answer_* function. The
/// numbers are permanent.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kru_answer_type {
    /// One option, by shown position: kru_session_answer_choice().
    KRU_ANSWER_CHOICE = 1,
    /// Several options: kru_session_answer_choices().
    KRU_ANSWER_CHOICES = 2,
    /// True or false: kru_session_answer_bool().
    KRU_ANSWER_TRUE_FALSE = 3,
    /// The shown steps in order: kru_session_answer_order().
    KRU_ANSWER_ORDER = 4,
    /// For each left entry, the shown right entry: kru_session_answer_matches().
    KRU_ANSWER_MATCHES = 5,
    /// Typed text or a number: kru_session_answer_text().
    KRU_ANSWER_TEXT = 6,
    /// A point of a scale, 0 = lowest: kru_session_answer_scale().
    KRU_ANSWER_SCALE = 7,
}

impl kru_answer_type {
    fn from_name(name: &str) -> Self {
        match name {
            "choice" => Self::KRU_ANSWER_CHOICE,
            "choices" => Self::KRU_ANSWER_CHOICES,
            "true-false" => Self::KRU_ANSWER_TRUE_FALSE,
            "order" => Self::KRU_ANSWER_ORDER,
            "matches" => Self::KRU_ANSWER_MATCHES,
            "scale" => Self::KRU_ANSWER_SCALE,
            "text" => Self::KRU_ANSWER_TEXT,
            other => {
                debug_assert!(false, "unknown answer type {other}");
                Self::KRU_ANSWER_TEXT
            }
        }
    }
}

/// A help service (hotline), resolved in the session's language. Strings are valid as long
/// as the object they were read from (see the function that gave it).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct kru_resource {
    /// The resource's id, e.g. `hotline-1288`.
    pub id: kru_str,
    /// Name of the service.
    pub name: kru_label,
    /// The number to dial, e.g. `1288`.
    pub phone: kru_str,
    /// Opening hours.
    pub hours: kru_label,
    /// What it is for.
    pub purpose: kru_label,
    /// Year the number was last verified.
    pub verified_year: u16,
    /// Month (1-12) it was last verified.
    pub verified_month: u8,
    /// Day (1-31) it was last verified.
    pub verified_day: u8,
}

/// Scores of a session or record: pre-test and post-test totals and the gain. A `has_*`
/// flag is false when that part does not exist (e.g. no pre-test).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct kru_scores {
    /// Whether there was a scored pre-test.
    pub has_pre: bool,
    /// Pre-test points earned.
    pub pre_score: f64,
    /// Pre-test points possible.
    pub pre_max: f64,
    /// Whether there was a scored post-test.
    pub has_post: bool,
    /// Post-test points earned.
    pub post_score: f64,
    /// Post-test points possible.
    pub post_max: f64,
    /// Whether both tests exist, so that there is a gain.
    pub has_gain: bool,
    /// Post% − pre%, in percentage points.
    pub gain_absolute: f64,
    /// Whether the normalised gain exists (not when the pre-test was already 100%).
    pub has_normalised_gain: bool,
    /// (post% − pre%) / (100 − pre%).
    pub gain_normalised: f64,
}

impl kru_scores {
    pub(crate) fn of(pre: Option<ScorePair>, post: Option<ScorePair>, gain: Option<Gain>) -> Self {
        let pre_pair = pre.unwrap_or_default();
        let post_pair = post.unwrap_or_default();
        kru_scores {
            has_pre: pre.is_some(),
            pre_score: pre_pair.score,
            pre_max: pre_pair.max,
            has_post: post.is_some(),
            post_score: post_pair.score,
            post_max: post_pair.max,
            has_gain: gain.is_some(),
            gain_absolute: gain.map_or(0.0, |g| g.absolute),
            has_normalised_gain: gain.is_some_and(|g| g.normalised.is_some()),
            gain_normalised: gain.and_then(|g| g.normalised).unwrap_or(0.0),
        }
    }
}

impl kru_resource {
    pub(crate) fn of(r: &ResourceView<'_>) -> Self {
        kru_resource {
            id: kru_str::of(r.id),
            name: kru_label::of(&r.name),
            phone: kru_str::of(r.phone),
            hours: kru_label::of(&r.hours),
            purpose: kru_label::of(&r.purpose),
            verified_year: r.verified.year,
            verified_month: r.verified.month,
            verified_day: r.verified.day,
        }
    }
}

/// A block of a page.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub(crate) kind: kru_block_kind,
    pub(crate) text: kru_label,
    pub(crate) detail: kru_label,
    pub(crate) id: kru_str,
    pub(crate) media: kru_str,
    pub(crate) entries: Vec<kru_label>,
    pub(crate) resource: Option<kru_resource>,
}

/// The flat view of the current step.
#[derive(Debug, Clone)]
pub(crate) enum View {
    Intake {
        field: kru_str,
        label: kru_label,
        options: Vec<(kru_str, kru_label)>,
        required: bool,
    },
    Page {
        phase: kru_str,
        lesson: kru_str,
        title: kru_label,
        page: usize,
        pages: usize,
        blocks: Vec<Block>,
    },
    Story {
        story: kru_str,
        title: kru_label,
        node: kru_str,
        text: kru_label,
        image: kru_str,
        choices: Vec<kru_label>,
        consequence: Option<(kru_label, kru_label)>,
        ending: kru_str,
    },
    Question {
        phase: kru_str,
        phase_kind: kru_str,
        item: kru_str,
        item_kind: kru_str,
        expects: kru_answer_type,
        number: u16,
        total: u16,
        prompt: kru_label,
        options: Vec<kru_label>,
        left: Vec<kru_label>,
        dont_know: bool,
    },
    Feedback {
        item: kru_str,
        prompt: kru_label,
        review: Option<(u16, u16)>,
        correct: bool,
        credit: f32,
        message: kru_label,
        explanation: kru_label,
        right_answer: Vec<kru_label>,
        right_bool: Option<bool>,
        dont_know: bool,
    },
    PhaseSummary {
        phase: kru_str,
        phase_kind: kru_str,
        title: kru_label,
        score: f64,
        max: f64,
        correct: u32,
    },
    Card {
        title: kru_label,
        messages: Vec<(kru_str, kru_label, kru_label)>,
        resources: Vec<kru_resource>,
        footer: kru_label,
    },
    Done {
        scores: kru_scores,
    },
}

fn labels(ls: &[kru_core::session::step::Label<'_>]) -> Vec<kru_label> {
    ls.iter().map(kru_label::of).collect()
}

fn block(b: &BlockView<'_>) -> Block {
    let mut out = Block {
        kind: kru_block_kind::KRU_BLOCK_HEADING,
        text: kru_label::NONE,
        detail: kru_label::NONE,
        id: kru_str::NONE,
        media: kru_str::NONE,
        entries: Vec::new(),
        resource: None,
    };
    match b {
        BlockView::Heading { text } => out.text = kru_label::of(text),
        BlockView::Paragraph { text } => {
            out.kind = kru_block_kind::KRU_BLOCK_PARAGRAPH;
            out.text = kru_label::of(text);
        }
        BlockView::List { entries } => {
            out.kind = kru_block_kind::KRU_BLOCK_LIST;
            out.entries = labels(entries);
        }
        BlockView::Emphasis { text } => {
            out.kind = kru_block_kind::KRU_BLOCK_EMPHASIS;
            out.text = kru_label::of(text);
        }
        BlockView::KeyMessage {
            objective,
            title,
            summary,
        } => {
            out.kind = kru_block_kind::KRU_BLOCK_KEY_MESSAGE;
            out.id = kru_str::of(objective);
            out.text = kru_label::of(title);
            out.detail = kru_label::of(summary);
        }
        BlockView::Image { src, alt } => {
            out.kind = kru_block_kind::KRU_BLOCK_IMAGE;
            out.media = kru_str::of(src);
            out.text = kru_label::of(alt);
        }
        BlockView::Story { story, title } => {
            out.kind = kru_block_kind::KRU_BLOCK_STORY;
            out.id = kru_str::of(story);
            out.text = kru_label::of(title);
        }
        BlockView::Resource(r) => {
            out.kind = kru_block_kind::KRU_BLOCK_RESOURCE;
            out.id = kru_str::of(r.id);
            out.text = kru_label::of(&r.name);
            out.detail = kru_label::of(&r.purpose);
            out.resource = Some(kru_resource::of(r));
        }
    }
    out
}

impl View {
    /// Builds the view of a step. Every pointer in it points into the pack or static data.
    pub(crate) fn of(step: &Step<'_>) -> Self {
        match step {
            Step::Intake(s) => View::Intake {
                field: kru_str::of(s.field),
                label: kru_label::of(&s.label),
                options: s
                    .options
                    .iter()
                    .map(|(code, label)| (kru_str::of(code), kru_label::of(label)))
                    .collect(),
                required: s.required,
            },
            Step::Page(s) => View::Page {
                phase: kru_str::of(s.phase),
                lesson: kru_str::of(s.lesson),
                title: kru_label::of(&s.title),
                page: s.page,
                pages: s.pages,
                blocks: s.blocks.iter().map(block).collect(),
            },
            Step::Story(s) => View::Story {
                story: kru_str::of(s.story),
                title: kru_label::of(&s.title),
                node: kru_str::of(s.node),
                text: kru_label::of(&s.text),
                image: kru_str::opt(s.image),
                choices: labels(&s.choices),
                consequence: s
                    .consequence
                    .as_ref()
                    .map(|(c, q)| (kru_label::of(c), kru_label::of(q))),
                ending: kru_str::opt(s.ending),
            },
            Step::Question(s) => View::Question {
                phase: kru_str::of(s.phase),
                phase_kind: kru_str::of(s.phase_kind),
                item: kru_str::of(s.item),
                item_kind: kru_str::of(s.item_kind),
                expects: kru_answer_type::from_name(s.expects),
                number: s.number,
                total: s.total,
                prompt: kru_label::of(&s.prompt),
                options: labels(&s.options),
                left: labels(&s.left),
                dont_know: s.dont_know,
            },
            Step::Feedback(s) => View::Feedback {
                item: kru_str::of(s.item),
                prompt: kru_label::of(&s.prompt),
                review: s.review.map(|r| (r.number, r.total)),
                correct: s.correct,
                credit: s.credit,
                message: kru_label::of(&s.message),
                explanation: kru_label::of(&s.explanation),
                right_answer: labels(&s.right_answer),
                right_bool: s.right_bool,
                dont_know: s.dont_know,
            },
            Step::PhaseSummary(s) => View::PhaseSummary {
                phase: kru_str::of(s.phase),
                phase_kind: kru_str::of(s.phase_kind),
                title: kru_label::of(&s.title),
                score: s.score,
                max: s.max,
                correct: s.correct,
            },
            Step::Card(s) => View::Card {
                title: kru_label::of(&s.title),
                messages: s
                    .messages
                    .iter()
                    .map(|(id, t, m)| (kru_str::of(id), kru_label::of(t), kru_label::of(m)))
                    .collect(),
                resources: s.resources.iter().map(kru_resource::of).collect(),
                footer: kru_label::of(&s.footer),
            },
            Step::Done(s) => View::Done {
                scores: kru_scores::of(s.pre, s.post, s.gain),
            },
        }
    }

    /// The step's kind.
    pub(crate) fn kind(&self) -> kru_step_kind {
        match self {
            View::Intake { .. } => kru_step_kind::KRU_STEP_INTAKE,
            View::Page { .. } => kru_step_kind::KRU_STEP_PAGE,
            View::Story { .. } => kru_step_kind::KRU_STEP_STORY,
            View::Question { .. } => kru_step_kind::KRU_STEP_QUESTION,
            View::Feedback { .. } => kru_step_kind::KRU_STEP_FEEDBACK,
            View::PhaseSummary { .. } => kru_step_kind::KRU_STEP_PHASE_SUMMARY,
            View::Card { .. } => kru_step_kind::KRU_STEP_CARD,
            View::Done { .. } => kru_step_kind::KRU_STEP_DONE,
        }
    }
}
