//! The compiled pack: everything a session needs, with every reference resolved to an index.
//!
//! Packs are built by the `authoring` compiler (or any tool) and carried in the binary
//! [`crate::pack::format`]. [`Pack::check`] verifies the invariants after decoding, so that the
//! session engine can rely on them without panicking on hostile bytes.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::language::{negotiate, LanguageTag};
use crate::numerals::Numerals;
use crate::pack::item::{Item, ItemKind};
use crate::pack::journey::Journey;
use crate::pack::lesson::{Block, Lesson, Story};
use crate::pack::text::Text;

pub mod catalogue;
mod check;
pub(crate) mod decode;
pub mod error;
pub mod format;
pub mod item;
pub mod journey;
pub mod lesson;
pub mod signature;
pub mod text;
mod version;

pub use error::PackError;
pub use format::PackHeader;
pub use version::{Date, Version};

/// Whether a translation has been reviewed by a native speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TranslationStatus {
    /// Reviewed.
    Reviewed,
    /// Draft, not yet reviewed.
    Draft,
}

impl TranslationStatus {
    /// The stable name used in the source format and the APIs.
    pub fn name(self) -> &'static str {
        match self {
            TranslationStatus::Reviewed => "reviewed",
            TranslationStatus::Draft => "draft",
        }
    }
}

/// A language of the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackLanguage {
    /// BCP 47 tag, e.g. `km`.
    pub tag: String,
    /// The language's own name, e.g. `ខ្មែរ`.
    pub name: String,
    /// Review status of the translation.
    pub status: TranslationStatus,
    /// Digits used for numbers shown in this language.
    pub numerals: Numerals,
}

/// The pack's metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackMeta {
    /// The pack's id, e.g. `safe-migration`.
    pub id: String,
    /// The content's version.
    pub version: Version,
    /// Title.
    pub title: Text,
    /// Description.
    pub description: Text,
    /// Authors.
    pub authors: Vec<String>,
    /// Licence (SPDX id).
    pub licence: String,
    /// Oldest engine that can run the pack.
    pub min_engine: Version,
    /// Index of the language used as the last fallback.
    pub default_language: u8,
    /// Help resources verified longer ago than this many days get a warning.
    pub verification_max_age_days: u16,
}

/// A learning objective, e.g. one key message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    /// Its id.
    pub id: String,
    /// Short title (the key message).
    pub title: Text,
    /// One or two sentences.
    pub summary: Text,
}

/// A named figure for reports: the learner has all these items correct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Its id.
    pub id: String,
    /// What it says, e.g. "knows the hotline number".
    pub label: Text,
    /// Items that must all be correct.
    pub items: Vec<u16>,
}

/// A help service such as a hotline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// Its id.
    pub id: String,
    /// Name of the service.
    pub name: Text,
    /// Phone number as dialled.
    pub phone: String,
    /// Opening hours.
    pub hours: Text,
    /// What it is for.
    pub purpose: Text,
    /// When the number was last verified.
    pub verified: Date,
}

impl Resource {
    /// Days from the resource's verification to `today` (negative when verified after it).
    pub fn age_days(&self, today: Date) -> i64 {
        today.days_since_epoch() - self.verified.days_since_epoch()
    }
}

/// A demographic question asked at the start of journeys with intake.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntakeField {
    /// Its id, e.g. `sex`; results and reports use it.
    pub id: String,
    /// The question.
    pub label: Text,
    /// Choice codes and their labels; empty for a free text field.
    pub options: Vec<IntakeOption>,
    /// Whether an answer is required.
    pub required: bool,
}

/// A choice of an intake field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntakeOption {
    /// The code stored in results, e.g. `female`.
    pub code: String,
    /// What the learner sees.
    pub label: Text,
}

/// A test form: a list of items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Form {
    /// Its id.
    pub id: String,
    /// Item indices.
    pub items: Vec<u16>,
}

/// The take-home reference card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceCard {
    /// Title.
    pub title: Text,
    /// Objectives whose key messages are on it.
    pub objectives: Vec<u16>,
    /// Help services on it.
    pub resources: Vec<u16>,
    /// A closing line.
    pub footer: Text,
}

/// A compiled content pack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pack {
    /// Metadata.
    pub meta: PackMeta,
    /// Languages, the pack's first language first.
    pub languages: Vec<PackLanguage>,
    /// Learning objectives.
    pub objectives: Vec<Objective>,
    /// Report indicators.
    pub indicators: Vec<Indicator>,
    /// Help services.
    pub resources: Vec<Resource>,
    /// Intake questions.
    pub intake: Vec<IntakeField>,
    /// Lessons.
    pub lessons: Vec<Lesson>,
    /// Branching stories.
    pub stories: Vec<Story>,
    /// The item bank.
    pub items: Vec<Item>,
    /// Test forms.
    pub forms: Vec<Form>,
    /// Journeys.
    pub journeys: Vec<Journey>,
    /// The reference card.
    pub card: ReferenceCard,
    /// The pack's own interface strings (`[interface]` in `i18n/<tag>.toml`): `(id, text)`,
    /// ids unique and in order, a text empty in the languages that do not translate it. They
    /// win over the engine's built-in ones (see [`crate::ui`]). Stored after the pack in the
    /// payload, and only when there are some (see [`format`]), so that a pack without them
    /// has the same bytes as before they existed.
    #[serde(skip)]
    pub interface: Vec<(String, Text)>,
    /// The Likert items keyed "low" (`keyed = "low"` in the sources: disagreeing is the safe
    /// attitude), by item index, in order. The report reverses their answers (point p of n
    /// becomes n − 1 − p) before any mean or shift, so that higher is safer for every item.
    /// Stored after the interface strings, and only when there are some (see [`format`]).
    #[serde(skip)]
    pub reverse_keyed: Vec<u16>,
}

impl Pack {
    /// Whether item `item` is a Likert item keyed "low" (see [`Pack::reverse_keyed`]).
    pub fn is_reverse_keyed(&self, item: u16) -> bool {
        self.reverse_keyed.binary_search(&item).is_ok()
    }
}

/// Visits the texts of a pack: `$f` gets every required text, `$g` the optional ones (item
/// feedback, interface strings); `$iter` and `$m` choose shared (`iter`) or mutable (`iter_mut`, `mut`) access.
macro_rules! visit_texts {
    ($p:expr, $f:ident, $g:ident, $iter:ident $(, $m:tt)?) => {{
        $f(&$($m)? $p.meta.title);
        $f(&$($m)? $p.meta.description);
        for o in &$($m)? $p.objectives {
            $f(&$($m)? o.title);
            $f(&$($m)? o.summary);
        }
        for i in &$($m)? $p.indicators {
            $f(&$($m)? i.label);
        }
        for r in &$($m)? $p.resources {
            $f(&$($m)? r.name);
            $f(&$($m)? r.hours);
            $f(&$($m)? r.purpose);
        }
        for field in &$($m)? $p.intake {
            $f(&$($m)? field.label);
            field.options.$iter().for_each(|o| $f(&$($m)? o.label));
        }
        for l in &$($m)? $p.lessons {
            $f(&$($m)? l.title);
            for p in &$($m)? l.pages {
                for b in &$($m)? p.blocks {
                    match b {
                        Block::Heading(t) | Block::Paragraph(t) | Block::Emphasis(t) => $f(t),
                        Block::List(ts) => ts.$iter().for_each(&mut $f),
                        Block::Image { alt, .. } => $f(alt),
                        Block::KeyMessage(_) | Block::Story(_) | Block::Resource(_) => {}
                    }
                }
            }
        }
        for s in &$($m)? $p.stories {
            $f(&$($m)? s.title);
            for n in &$($m)? s.nodes {
                $f(&$($m)? n.text);
                for c in &$($m)? n.choices {
                    $f(&$($m)? c.label);
                    $f(&$($m)? c.consequence);
                }
            }
        }
        for it in &$($m)? $p.items {
            $f(&$($m)? it.prompt);
            // An attitude (Likert) item has no right answer: its explanation is optional.
            if matches!(it.kind, ItemKind::Likert { .. }) {
                $g(&$($m)? it.explanation);
            } else {
                $f(&$($m)? it.explanation);
            }
            $g(&$($m)? it.feedback_correct);
            $g(&$($m)? it.feedback_incorrect);
            match &$($m)? it.kind {
                ItemKind::SingleChoice { options, .. }
                | ItemKind::MultipleResponse { options, .. } => options.$iter().for_each(&mut $f),
                ItemKind::Ordering { steps } => steps.$iter().for_each(&mut $f),
                ItemKind::Matching { left, right, .. } => {
                    left.$iter().for_each(&mut $f);
                    right.$iter().for_each(&mut $f);
                }
                ItemKind::Likert { scale } => scale.$iter().for_each(&mut $f),
                ItemKind::TrueFalse { .. }
                | ItemKind::ShortText { .. }
                | ItemKind::Numeric { .. } => {}
            }
        }
        for j in &$($m)? $p.journeys {
            $f(&$($m)? j.title);
            j.phases.$iter().for_each(|p| $f(&$($m)? p.title));
        }
        $f(&$($m)? $p.card.title);
        $f(&$($m)? $p.card.footer);
        for (_, t) in &$($m)? $p.interface {
            $g(t);
        }
    }};
}

impl Pack {
    /// Index of a journey by id.
    pub fn journey_index(&self, id: &str) -> Option<usize> {
        self.journeys.iter().position(|j| j.id == id)
    }

    /// Index of an item by id.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }

    /// The pack's language tags, parsed.
    pub fn language_tags(&self) -> Vec<LanguageTag> {
        self.languages
            .iter()
            .filter_map(|l| LanguageTag::parse(&l.tag).ok())
            .collect()
    }

    /// Visits the required learner-facing texts of the pack only (for coverage): the
    /// optional ones (item feedback, a Likert item's explanation) are left out. [`Pack::for_all_texts`] visits those too.
    pub fn for_required_texts<'a>(&'a self, mut f: impl FnMut(&'a Text)) {
        let g = |_: &Text| {};
        visit_texts!(self, f, g, iter);
    }

    /// Visits all the learner-facing texts of the pack: the required ones and the optional
    /// ones (item feedback). [`Pack::for_required_texts`] leaves the optional ones out.
    pub fn for_all_texts<'a>(&'a self, mut f: impl FnMut(&'a Text)) {
        visit_texts!(self, f, f, iter);
    }

    /// Visits all the learner-facing texts of the pack mutably, optional ones included, in
    /// the same order as [`Pack::for_all_texts`].
    pub fn for_all_texts_mut(&mut self, mut f: impl FnMut(&mut Text)) {
        visit_texts!(self, f, f, iter_mut, mut);
    }

    /// Share of required texts present in each language, `(present, total)` per language.
    /// Optional texts (item feedback) are not counted.
    pub fn coverage(&self) -> Vec<(usize, usize)> {
        let n = self.languages.len();
        let mut present = alloc::vec![0usize; n];
        let mut total = 0usize;
        self.for_required_texts(|t| {
            total += 1;
            for (lang, p) in present.iter_mut().enumerate() {
                if t.has(lang) {
                    *p += 1;
                }
            }
        });
        present.into_iter().map(|p| (p, total)).collect()
    }

    /// The required texts that language `lang` has but that no person has recorded in it
    /// (no audio, or a synthetic voice: [`text::is_synthetic_audio`]): what a voice artist
    /// still has to record, as the strings to read, in the pack's order. Empty for a language
    /// the pack does not have. Optional texts (item feedback) are left out, as in
    /// [`Pack::coverage`].
    pub fn unrecorded(&self, lang: usize) -> Vec<&str> {
        let mut out = Vec::new();
        self.for_required_texts(|t| {
            if let Some(s) = t.get(lang).filter(|s| !s.is_empty()) {
                if t.audio(lang).is_none_or(text::is_synthetic_audio) {
                    out.push(s);
                }
            }
        });
        out
    }

    /// How the required texts that language `lang` has are read aloud: recorded by a person,
    /// a synthetic voice, or not at all. All zero for a language the pack does not have.
    pub fn audio_counts(&self, lang: usize) -> AudioCounts {
        let mut c = AudioCounts::default();
        self.for_required_texts(|t| {
            if !t.has(lang) {
                return;
            }
            match t.audio(lang) {
                None => c.missing += 1,
                Some(a) if text::is_synthetic_audio(a) => c.synthetic += 1,
                Some(_) => c.recorded += 1,
            }
        });
        c
    }

    /// Whether a help resource verified `age_days` ago is stale: older than the pack's
    /// `verification_max_age_days`.
    pub fn is_stale(&self, age_days: i64) -> bool {
        age_days > i64::from(self.meta.verification_max_age_days)
    }

    /// Help resources whose verification is older than the pack allows on `today`:
    /// `(resource index, age in days)`.
    pub fn stale_resources(&self, today: Date) -> Vec<(usize, i64)> {
        self.resources
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.age_days(today)))
            .filter(|&(_, age)| self.is_stale(age))
            .collect()
    }

    /// The language fallback chain (pack language indices, best first) for a host's
    /// preferred languages (BCP 47 tags, best first), ending with the pack's default
    /// language: see [`negotiate`].
    pub fn negotiate(&self, preferred: &[&str]) -> Vec<u8> {
        negotiate(preferred, &self.language_tags(), self.meta.default_language)
    }
}

/// How a language's texts are read aloud ([`Pack::audio_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AudioCounts {
    /// Texts with a person's recording.
    pub recorded: usize,
    /// Texts read by a synthetic voice ([`text::is_synthetic_audio`]).
    pub synthetic: usize,
    /// Texts without audio.
    pub missing: usize,
}
