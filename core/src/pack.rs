//! The compiled pack: everything a session needs, with every reference resolved to an index.
//!
//! Packs are built by the `authoring` compiler (or any tool) and carried in the binary
//! [`crate::envelope`]. [`Pack::check`] verifies the invariants after decoding, so that the
//! session engine can rely on them without panicking on hostile bytes.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::envelope::PackError;
use crate::item::{Item, ItemKind};
use crate::journey::{Journey, PhaseContent, Selection};
use crate::language::LanguageTag;
use crate::lesson::{Block, Lesson, Story};
use crate::limits;
use crate::text::{Numerals, Text, TextTable};

/// A semantic version `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    /// Incompatible changes.
    pub major: u16,
    /// Additions.
    pub minor: u16,
    /// Fixes.
    pub patch: u16,
}

impl Version {
    /// Parses `1.2.3`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().split('.').map(|p| p.parse::<u16>().ok());
        let v = Version {
            major: it.next()??,
            minor: it.next()??,
            patch: it.next()??,
        };
        it.next().is_none().then_some(v)
    }

    /// The engine's own version.
    pub fn engine() -> Self {
        Self::parse(crate::ENGINE_VERSION).unwrap_or(Version {
            major: 0,
            minor: 0,
            patch: 0,
        })
    }
}

impl core::fmt::Display for Version {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// A calendar date (for "last verified" dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists.
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().split('-');
        let year: u16 = it.next()?.parse().ok()?;
        let month: u8 = it.next()?.parse().ok()?;
        let day: u8 = it.next()?.parse().ok()?;
        if it.next().is_some() {
            return None;
        }
        let d = Date { year, month, day };
        d.is_valid().then_some(d)
    }

    fn is_valid(self) -> bool {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        self.day >= 1 && self.day <= days
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a timestamp in milliseconds since the Unix epoch (UTC).
    pub fn from_unix_ms(ms: i64) -> Self {
        let z = ms.div_euclid(86_400_000) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl core::fmt::Display for Date {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whether a translation has been reviewed by a native speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// Its id.
    pub id: String,
    /// Short title (the key message).
    pub title: Text,
    /// One or two sentences.
    pub summary: Text,
}

/// A named figure for reports: the learner has all these items correct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Its id.
    pub id: String,
    /// What it says, e.g. "knows the hotline number".
    pub label: Text,
    /// Items that must all be correct.
    pub items: Vec<u16>,
}

/// A help service such as a hotline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A demographic question asked at the start of journeys with intake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeOption {
    /// The code stored in results, e.g. `female`.
    pub code: String,
    /// What the learner sees.
    pub label: Text,
}

/// A test form: a list of items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form {
    /// Its id.
    pub id: String,
    /// Item indices.
    pub items: Vec<u16>,
}

/// The take-home reference card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

fn bad(path: String, reason: &str) -> PackError {
    PackError::Invalid {
        path,
        reason: String::from(reason),
    }
}

fn check_len(path: &str, len: usize, max: usize) -> Result<(), PackError> {
    if len > max {
        Err(PackError::Invalid {
            path: String::from(path),
            reason: format!("has {len} entries, more than the limit of {max}"),
        })
    } else {
        Ok(())
    }
}

fn check_index(path: impl FnOnce() -> String, idx: u16, len: usize) -> Result<(), PackError> {
    if usize::from(idx) < len {
        Ok(())
    } else {
        Err(PackError::Invalid {
            path: path(),
            reason: format!("refers to index {idx}, but there are only {len}"),
        })
    }
}

/// Visits the texts of a pack: `$f` gets every required text, `$g` the optional ones (item
/// feedback); `$iter` and `$m` choose shared (`iter`) or mutable (`iter_mut`, `mut`) access.
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
            $f(&$($m)? it.explanation);
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

    /// Visits every required learner-facing text of the pack (for coverage); optional texts
    /// (item feedback) are left out.
    pub fn for_each_text<'a>(&'a self, mut f: impl FnMut(&'a Text)) {
        let g = |_: &Text| {};
        visit_texts!(self, f, g, iter);
    }

    /// Visits every learner-facing text of the pack, optional ones (item feedback) included.
    pub fn for_every_text<'a>(&'a self, mut f: impl FnMut(&'a Text)) {
        visit_texts!(self, f, f, iter);
    }

    /// Visits every learner-facing text of the pack mutably, optional ones included, in the
    /// same order as [`Pack::for_every_text`].
    pub fn for_every_text_mut(&mut self, mut f: impl FnMut(&mut Text)) {
        visit_texts!(self, f, f, iter_mut, mut);
    }

    /// Points every text of a freshly decoded pack at the pack's text table, checking that
    /// the table holds each text's strings.
    pub(crate) fn attach_texts(
        &mut self,
        table: &alloc::sync::Arc<TextTable>,
    ) -> Result<(), PackError> {
        let mut ok = true;
        self.for_every_text_mut(|t| ok &= t.attach(table));
        if ok {
            Ok(())
        } else {
            Err(bad(
                "text".into(),
                "refers to strings beyond the end of the pack's text table",
            ))
        }
    }

    /// Share of required texts present in each language, `(present, total)` per language.
    /// Optional texts (item feedback) are not counted.
    pub fn coverage(&self) -> Vec<(usize, usize)> {
        let n = self.languages.len();
        let mut present = alloc::vec![0usize; n];
        let mut total = 0usize;
        self.for_each_text(|t| {
            total += 1;
            for (lang, p) in present.iter_mut().enumerate() {
                if t.has(lang) {
                    *p += 1;
                }
            }
        });
        present.into_iter().map(|p| (p, total)).collect()
    }

    /// Checks the invariants the engine relies on: sizes within [`limits`], every index in
    /// range, every text with one value per language, every item's key consistent. Run after
    /// decoding untrusted bytes.
    pub fn check(&self) -> Result<(), PackError> {
        let nl = self.languages.len();
        if nl == 0 {
            return Err(bad(
                "languages".into(),
                "a pack needs at least one language",
            ));
        }
        check_len("languages", nl, limits::MAX_LANGUAGES)?;
        check_index(
            || "meta.default_language".into(),
            u16::from(self.meta.default_language),
            nl,
        )?;
        for (name, len) in [
            ("objectives", self.objectives.len()),
            ("indicators", self.indicators.len()),
            ("resources", self.resources.len()),
            ("intake", self.intake.len()),
            ("lessons", self.lessons.len()),
            ("stories", self.stories.len()),
            ("items", self.items.len()),
            ("forms", self.forms.len()),
            ("journeys", self.journeys.len()),
        ] {
            check_len(name, len, limits::MAX_LIST_LEN)?;
        }
        for (i, l) in self.languages.iter().enumerate() {
            if LanguageTag::parse(&l.tag).is_err() {
                return Err(bad(
                    format!("languages[{i}].tag"),
                    "is not a valid BCP 47 tag",
                ));
            }
        }
        let mut text_err: Option<PackError> = None;
        self.for_every_text(|t| {
            if text_err.is_some() {
                return;
            }
            let too_long = t
                .values()
                .chain(t.audio_values())
                .any(|s| s.len() > limits::MAX_STRING_BYTES);
            if t.language_count() != nl {
                text_err = Some(bad(
                    "text".into(),
                    "a text does not have one value per pack language",
                ));
            } else if too_long {
                text_err = Some(bad("text".into(), "a string is longer than the limit"));
            }
        });
        if let Some(e) = text_err {
            return Err(e);
        }
        self.check_ids()?;
        let no = self.objectives.len();
        let ni = self.items.len();
        for (i, ind) in self.indicators.iter().enumerate() {
            for &it in &ind.items {
                check_index(|| format!("indicators[{i}].items"), it, ni)?;
            }
        }
        for (li, l) in self.lessons.iter().enumerate() {
            check_len("lesson pages", l.pages.len(), limits::MAX_LIST_LEN)?;
            for &o in &l.objectives {
                check_index(|| format!("lessons[{li}].objectives"), o, no)?;
            }
            for (pi, p) in l.pages.iter().enumerate() {
                check_len("page blocks", p.blocks.len(), limits::MAX_LIST_LEN)?;
                for b in &p.blocks {
                    let path = || format!("lessons[{li}].pages[{pi}]");
                    match b {
                        Block::KeyMessage(o) => check_index(path, *o, no)?,
                        Block::Story(s) => check_index(path, *s, self.stories.len())?,
                        Block::Resource(r) => check_index(path, *r, self.resources.len())?,
                        Block::List(ts) => check_len("list", ts.len(), limits::MAX_LIST_LEN)?,
                        _ => {}
                    }
                }
            }
        }
        for (si, s) in self.stories.iter().enumerate() {
            let nn = s.nodes.len();
            check_len("story nodes", nn, limits::MAX_LIST_LEN)?;
            check_index(|| format!("stories[{si}].start"), s.start, nn)?;
            for &o in &s.objectives {
                check_index(|| format!("stories[{si}].objectives"), o, no)?;
            }
            for (ni_, n) in s.nodes.iter().enumerate() {
                check_len("story choices", n.choices.len(), limits::MAX_OPTIONS)?;
                if n.choices.is_empty() && n.ending.is_none() {
                    return Err(bad(
                        format!("stories[{si}].nodes[{ni_}]"),
                        "has no choices and is not an ending",
                    ));
                }
                for c in &n.choices {
                    check_index(|| format!("stories[{si}].nodes[{ni_}].choices"), c.next, nn)?;
                }
            }
        }
        for (ii, it) in self.items.iter().enumerate() {
            let path = || format!("items[{ii}] ('{}')", it.id);
            for &o in &it.objectives {
                check_index(path, o, no)?;
            }
            let n = it.kind.shuffle_len();
            check_len(&path(), n, limits::MAX_OPTIONS)?;
            match &it.kind {
                ItemKind::SingleChoice { options, correct } => {
                    if options.len() < 2 {
                        return Err(bad(path(), "a single-choice item needs at least 2 options"));
                    }
                    check_index(path, *correct, options.len())?;
                }
                ItemKind::MultipleResponse { options, correct } => {
                    if correct.is_empty() {
                        return Err(bad(path(), "a multiple-response item needs a right option"));
                    }
                    for (k, &c) in correct.iter().enumerate() {
                        check_index(path, c, options.len())?;
                        if correct.iter().take(k).any(|&d| d == c) {
                            return Err(bad(path(), "repeats a right option"));
                        }
                    }
                }
                ItemKind::Ordering { steps } => {
                    if steps.len() < 2 {
                        return Err(bad(path(), "an ordering item needs at least 2 steps"));
                    }
                }
                ItemKind::Matching { left, right, pairs } => {
                    check_len(&path(), left.len(), limits::MAX_OPTIONS)?;
                    if pairs.len() != left.len() || left.is_empty() {
                        return Err(bad(path(), "a matching item needs one pair per left entry"));
                    }
                    for &p in pairs {
                        check_index(path, p, right.len())?;
                    }
                }
                ItemKind::ShortText { accepted } => {
                    if accepted.is_empty() {
                        return Err(bad(path(), "a text item needs an accepted answer"));
                    }
                }
                ItemKind::Numeric { value, tolerance } => {
                    if !value.is_finite() || !tolerance.is_finite() || *tolerance < 0.0 {
                        return Err(bad(
                            path(),
                            "a numeric item needs a finite value and tolerance",
                        ));
                    }
                }
                ItemKind::Likert { scale } => {
                    if scale.len() < 2 {
                        return Err(bad(path(), "a Likert scale needs at least 2 points"));
                    }
                }
                ItemKind::TrueFalse { .. } => {}
            }
        }
        for (fi, f) in self.forms.iter().enumerate() {
            check_len("form items", f.items.len(), limits::MAX_LIST_LEN)?;
            for &it in &f.items {
                check_index(|| format!("forms[{fi}].items"), it, ni)?;
            }
        }
        for (ji, j) in self.journeys.iter().enumerate() {
            check_len("journey phases", j.phases.len(), 255)?;
            for &f in &j.forms {
                check_index(|| format!("journeys[{ji}].forms"), f, self.forms.len())?;
            }
            for (pi, p) in j.phases.iter().enumerate() {
                let path = || format!("journeys[{ji}].phases[{pi}]");
                match &p.content {
                    PhaseContent::Lessons(ls) => {
                        for &l in ls {
                            check_index(path, l, self.lessons.len())?;
                        }
                    }
                    PhaseContent::Quiz(q) => match &q.selection {
                        Selection::Fixed(items) => {
                            check_len(&path(), items.len(), limits::MAX_LIST_LEN)?;
                            for &it in items {
                                check_index(path, it, ni)?;
                            }
                        }
                        Selection::Form { .. } => {
                            if j.forms.is_empty() {
                                return Err(bad(
                                    path(),
                                    "selects from a form but the journey has no forms",
                                ));
                            }
                        }
                    },
                }
            }
        }
        for field in &self.intake {
            check_len("intake options", field.options.len(), limits::MAX_LIST_LEN)?;
        }
        for &o in &self.card.objectives {
            check_index(|| "card.objectives".into(), o, no)?;
        }
        for &r in &self.card.resources {
            check_index(|| "card.resources".into(), r, self.resources.len())?;
        }
        Ok(())
    }

    fn check_ids(&self) -> Result<(), PackError> {
        let mut ids: Vec<(&str, &str)> = Vec::new();
        ids.push(("meta.id", &self.meta.id));
        ids.extend(
            self.objectives
                .iter()
                .map(|o| ("objective id", o.id.as_str())),
        );
        ids.extend(
            self.indicators
                .iter()
                .map(|o| ("indicator id", o.id.as_str())),
        );
        ids.extend(
            self.resources
                .iter()
                .map(|o| ("resource id", o.id.as_str())),
        );
        for f in &self.intake {
            ids.push(("intake id", &f.id));
            ids.extend(
                f.options
                    .iter()
                    .map(|o| ("intake option code", o.code.as_str())),
            );
        }
        ids.extend(self.lessons.iter().map(|o| ("lesson id", o.id.as_str())));
        for st in &self.stories {
            ids.push(("story id", &st.id));
            for n in &st.nodes {
                ids.push(("story node id", &n.id));
                ids.extend(n.choices.iter().map(|c| ("story choice id", c.id.as_str())));
            }
        }
        ids.extend(self.items.iter().map(|o| ("item id", o.id.as_str())));
        ids.extend(self.forms.iter().map(|o| ("form id", o.id.as_str())));
        for j in &self.journeys {
            ids.push(("journey id", &j.id));
            ids.extend(j.phases.iter().map(|p| ("phase id", p.id.as_str())));
        }
        for l in &self.languages {
            ids.push(("language tag", &l.tag));
            if l.name.len() > limits::MAX_ID_BYTES {
                return Err(bad(
                    "languages".into(),
                    "has a name longer than the id limit",
                ));
            }
        }
        match ids
            .iter()
            .find(|(_, id)| id.is_empty() || id.len() > limits::MAX_ID_BYTES)
        {
            Some((what, _)) => Err(PackError::Invalid {
                path: String::from(*what),
                reason: format!("is empty or longer than {} bytes", limits::MAX_ID_BYTES),
            }),
            None => Ok(()),
        }
    }

    /// Help resources whose verification is older than the pack allows on `today`:
    /// `(resource index, age in days)`.
    pub fn stale_resources(&self, today: Date) -> Vec<(usize, i64)> {
        let max = i64::from(self.meta.verification_max_age_days);
        self.resources
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let age = today.days_since_epoch() - r.verified.days_since_epoch();
                (age > max).then_some((i, age))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = Date::parse("2026-10-01").unwrap();
        assert_eq!(Date::from_unix_ms(d.days_since_epoch() * 86_400_000), d);
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2026-13-01").is_none());
        assert_eq!(
            Date::from_unix_ms(1_795_000_000_000).to_string(),
            "2026-11-18"
        );
    }

    #[test]
    fn versions() {
        assert_eq!(Version::parse("1.2.3").unwrap().to_string(), "1.2.3");
        assert!(Version::parse("1.2").is_none());
        assert!(Version::parse("1.2.3.4").is_none());
        assert!(Version::parse("a.b.c").is_none());
    }
}
