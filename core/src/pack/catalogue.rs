//! The pack catalogue: what a pack offers, in one serialisable summary for hosts.
//!
//! Hosts list a pack's languages, journeys, intake questions, objectives, items and help
//! resources (`kru info`, the C accessors and `kru_pack_catalogue_json`, the WebAssembly
//! `Pack`): they all read them from here, so that each rule (which texts count for
//! coverage, when a resource is stale, the names of item kinds) has one home.
//!
//! [`PackCatalogue::new`] builds the whole summary; the functions beside it build one part
//! (e.g. [`journeys`], [`resources`]) for hosts that need only that. Texts are resolved in a
//! language chain (pack language indices, best first, see [`Pack::negotiate`]). Field names
//! are camelCase when serialised (`ageDays`, `signerKeyId`), as the WebAssembly API returns
//! them.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Deref;
use serde::{Serialize, Serializer};

use crate::pack::item::ItemKind;
use crate::pack::signature;
use crate::pack::text::{Label, Text};
use crate::pack::{Date, Pack};

/// A text resolved in a language chain: the session's [`Label`] (the string shown and the path
/// of its audio reading), serialised as the string alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved<'a>(pub Label<'a>);

impl<'a> Resolved<'a> {
    /// Resolves `text` in `chain` (see [`Text::resolve`]).
    pub fn of(text: &'a Text, chain: &[u8]) -> Self {
        Resolved(Label::of(text, chain))
    }
}

impl<'a> Deref for Resolved<'a> {
    type Target = Label<'a>;

    fn deref(&self) -> &Label<'a> {
        &self.0
    }
}

impl Serialize for Resolved<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.text)
    }
}

/// A language of the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageSummary<'a> {
    /// BCP 47 tag, e.g. `km`.
    pub tag: &'a str,
    /// The language's own name, e.g. `ខ្មែរ`.
    pub name: &'a str,
    /// `reviewed` or `draft` ([`crate::pack::TranslationStatus::name`]).
    pub status: &'static str,
    /// `latin` or `khmer` ([`crate::numerals::Numerals::name`]).
    pub numerals: &'static str,
    /// The writing direction for a page's `dir` attribute: `ltr` or `rtl`
    /// ([`crate::language::LanguageTag::direction`]).
    pub dir: &'static str,
}

/// How many of the pack's required texts a language has (item feedback is optional and not
/// counted, see [`Pack::coverage`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage<'a> {
    /// The language's tag.
    pub tag: &'a str,
    /// Required texts present in the language.
    pub present: usize,
    /// Required texts in the pack.
    pub total: usize,
}

/// A phase of a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseSummary<'a> {
    /// The phase's id, unique within its journey.
    pub id: &'a str,
    /// Its kind's name, e.g. `pre-test` ([`crate::pack::journey::PhaseKind::name`]).
    pub kind: &'static str,
    /// Its title.
    pub title: Resolved<'a>,
}

/// A journey of the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JourneySummary<'a> {
    /// The journey's id, e.g. `kiosk` (what a session starts).
    pub id: &'a str,
    /// Its title.
    pub title: Resolved<'a>,
    /// Whether the intake questions are asked first.
    pub intake: bool,
    /// Whether the reference card is shown at the end.
    pub card: bool,
    /// Its phases in order.
    pub phases: Vec<PhaseSummary<'a>>,
}

/// A choice of an intake question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntakeOptionSummary<'a> {
    /// The code stored in results, e.g. `female`.
    pub code: &'a str,
    /// What the learner sees.
    pub label: Resolved<'a>,
}

/// An intake question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntakeSummary<'a> {
    /// The field id, e.g. `sex` (results and report groups use it).
    pub id: &'a str,
    /// The question.
    pub label: Resolved<'a>,
    /// Whether an answer is required.
    pub required: bool,
    /// Its choices; empty for a free text field.
    pub options: Vec<IntakeOptionSummary<'a>>,
}

/// A learning objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectiveSummary<'a> {
    /// Its id (reports use it).
    pub id: &'a str,
    /// Its title (the key message).
    pub title: Resolved<'a>,
    /// One or two sentences.
    pub summary: Resolved<'a>,
}

/// An item of the item bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemSummary<'a> {
    /// Its id (reports use it).
    pub id: &'a str,
    /// Its kind's name, e.g. `single` ([`ItemKind::name`]).
    pub kind: &'static str,
    /// Whether it earns points (all kinds but `likert`).
    pub scored: bool,
    /// The question.
    pub prompt: Resolved<'a>,
    /// The ids of the objectives it serves.
    pub objectives: Vec<&'a str>,
}

/// How many items of one kind the pack has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCount {
    /// The kind's name ([`ItemKind::NAMES`]).
    pub kind: &'static str,
    /// Items of that kind.
    pub count: usize,
}

/// A test form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormSummary<'a> {
    /// Its id, e.g. `A`.
    pub id: &'a str,
    /// The ids of its items.
    pub items: Vec<&'a str>,
}

/// A help service such as a hotline, with the age of its verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSummary<'a> {
    /// Its id.
    pub id: &'a str,
    /// Name of the service.
    pub name: Resolved<'a>,
    /// Phone number as dialled.
    pub phone: &'a str,
    /// Opening hours.
    pub hours: Resolved<'a>,
    /// What it is for.
    pub purpose: Resolved<'a>,
    /// When the number was last verified.
    pub verified: Date,
    /// Days from `verified` to the host's today ([`crate::pack::Resource::age_days`]).
    pub age_days: i64,
    /// Whether that is longer than the pack allows ([`Pack::is_stale`]).
    pub stale: bool,
}

/// The take-home reference card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardSummary<'a> {
    /// Its title.
    pub title: Resolved<'a>,
    /// The ids of the objectives whose key messages are on it.
    pub objectives: Vec<&'a str>,
    /// The ids of the help resources on it.
    pub resources: Vec<&'a str>,
    /// Its closing line.
    pub footer: Resolved<'a>,
}

/// What a pack offers, for hosts: metadata, languages with coverage, journeys, intake
/// questions, objectives, items (and counts per kind), forms, help resources with the age of
/// their verification, the reference card and the signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackCatalogue<'a> {
    /// The pack's id, e.g. `safe-migration`.
    pub id: &'a str,
    /// The content's version, e.g. `1.0.0`.
    pub version: String,
    /// Title.
    pub title: Resolved<'a>,
    /// Description.
    pub description: Resolved<'a>,
    /// Authors.
    pub authors: &'a [String],
    /// Licence (SPDX id).
    pub licence: &'a str,
    /// Oldest engine that can run the pack, e.g. `0.1.0`.
    pub min_engine: String,
    /// The tag of the language used as the last fallback.
    pub default_language: &'a str,
    /// The key id of the signer ([`signature::key_id`]), `None` for an unsigned pack or when
    /// the host did not say.
    pub signer_key_id: Option<String>,
    /// Languages, the pack's first language first.
    pub languages: Vec<LanguageSummary<'a>>,
    /// Required texts present in each language, in the order of `languages`.
    pub coverage: Vec<Coverage<'a>>,
    /// Journeys.
    pub journeys: Vec<JourneySummary<'a>>,
    /// Intake questions, in the order they are asked.
    pub intake: Vec<IntakeSummary<'a>>,
    /// Learning objectives.
    pub objectives: Vec<ObjectiveSummary<'a>>,
    /// The item bank.
    pub items: Vec<ItemSummary<'a>>,
    /// Items per kind, every kind listed (in the order of [`ItemKind::NAMES`]).
    pub item_kinds: Vec<KindCount>,
    /// Test forms.
    pub forms: Vec<FormSummary<'a>>,
    /// Number of lessons.
    pub lessons: usize,
    /// Number of branching stories.
    pub stories: usize,
    /// Help resources verified longer ago than this many days are stale.
    pub verification_max_age_days: u16,
    /// Help resources.
    pub resources: Vec<ResourceSummary<'a>>,
    /// The reference card.
    pub card: CardSummary<'a>,
}

impl<'a> PackCatalogue<'a> {
    /// The catalogue of `pack`, texts resolved in `chain`, resource ages as of `today`.
    /// `signer` is the signer's public key as the host learnt it when loading the pack
    /// ([`signature::signer`]); `None` for unsigned.
    pub fn new(pack: &'a Pack, chain: &[u8], today: Date, signer: Option<&[u8; 32]>) -> Self {
        let meta = &pack.meta;
        PackCatalogue {
            id: &meta.id,
            version: meta.version.to_string(),
            title: Resolved::of(&meta.title, chain),
            description: Resolved::of(&meta.description, chain),
            authors: &meta.authors,
            licence: &meta.licence,
            min_engine: meta.min_engine.to_string(),
            default_language: pack
                .languages
                .get(usize::from(meta.default_language))
                .map_or("", |l| &l.tag),
            signer_key_id: signer.map(signature::key_id),
            languages: languages(pack),
            coverage: coverage(pack),
            journeys: journeys(pack, chain),
            intake: intake(pack, chain),
            objectives: objectives(pack, chain),
            items: items(pack, chain),
            item_kinds: item_kinds(pack),
            forms: forms(pack),
            lessons: pack.lessons.len(),
            stories: pack.stories.len(),
            verification_max_age_days: meta.verification_max_age_days,
            resources: resources(pack, chain, today),
            card: card(pack, chain),
        }
    }

    /// Items that earn points.
    pub fn scored_items(&self) -> usize {
        self.items.iter().filter(|i| i.scored).count()
    }

    /// The help resources whose verification is too old.
    pub fn stale_resources(&self) -> impl Iterator<Item = &ResourceSummary<'a>> + '_ {
        self.resources.iter().filter(|r| r.stale)
    }
}

/// Language `index` of the pack.
pub fn language(pack: &Pack, index: usize) -> Option<LanguageSummary<'_>> {
    pack.languages.get(index).map(|l| LanguageSummary {
        tag: &l.tag,
        name: &l.name,
        status: l.status.name(),
        numerals: l.numerals.cldr_name(),
        dir: crate::language::LanguageTag::parse(&l.tag).map_or("ltr", |t| t.direction()),
    })
}

/// The pack's languages, the pack's first language first.
pub fn languages(pack: &Pack) -> Vec<LanguageSummary<'_>> {
    (0..pack.languages.len())
        .filter_map(|i| language(pack, i))
        .collect()
}

/// Required texts present in each language.
pub fn coverage(pack: &Pack) -> Vec<Coverage<'_>> {
    pack.languages
        .iter()
        .zip(pack.coverage())
        .map(|(l, (present, total))| Coverage {
            tag: &l.tag,
            present,
            total,
        })
        .collect()
}

/// Journey `index` of the pack, texts resolved in `chain`.
pub fn journey<'a>(pack: &'a Pack, index: usize, chain: &[u8]) -> Option<JourneySummary<'a>> {
    pack.journeys.get(index).map(|j| JourneySummary {
        id: &j.id,
        title: Resolved::of(&j.title, chain),
        intake: j.intake,
        card: j.card,
        phases: j
            .phases
            .iter()
            .map(|p| PhaseSummary {
                id: &p.id,
                kind: p.kind.name(),
                title: Resolved::of(&p.title, chain),
            })
            .collect(),
    })
}

/// The pack's journeys, texts resolved in `chain`.
pub fn journeys<'a>(pack: &'a Pack, chain: &[u8]) -> Vec<JourneySummary<'a>> {
    (0..pack.journeys.len())
        .filter_map(|i| journey(pack, i, chain))
        .collect()
}

/// The intake questions, texts resolved in `chain`.
pub fn intake<'a>(pack: &'a Pack, chain: &[u8]) -> Vec<IntakeSummary<'a>> {
    pack.intake
        .iter()
        .map(|f| IntakeSummary {
            id: &f.id,
            label: Resolved::of(&f.label, chain),
            required: f.required,
            options: f
                .options
                .iter()
                .map(|o| IntakeOptionSummary {
                    code: &o.code,
                    label: Resolved::of(&o.label, chain),
                })
                .collect(),
        })
        .collect()
}

/// The learning objectives, texts resolved in `chain`.
pub fn objectives<'a>(pack: &'a Pack, chain: &[u8]) -> Vec<ObjectiveSummary<'a>> {
    pack.objectives
        .iter()
        .map(|o| ObjectiveSummary {
            id: &o.id,
            title: Resolved::of(&o.title, chain),
            summary: Resolved::of(&o.summary, chain),
        })
        .collect()
}

/// The ids of the objectives at `indices` (indices are checked when the pack is loaded;
/// one out of range is left out).
fn objective_ids<'a>(pack: &'a Pack, indices: &[u16]) -> Vec<&'a str> {
    indices
        .iter()
        .filter_map(|&i| pack.objectives.get(usize::from(i)))
        .map(|o| o.id.as_str())
        .collect()
}

/// The item bank, prompts resolved in `chain`.
pub fn items<'a>(pack: &'a Pack, chain: &[u8]) -> Vec<ItemSummary<'a>> {
    pack.items
        .iter()
        .map(|it| ItemSummary {
            id: &it.id,
            kind: it.kind.name(),
            scored: it.kind.is_scored(),
            prompt: Resolved::of(&it.prompt, chain),
            objectives: objective_ids(pack, &it.objectives),
        })
        .collect()
}

/// How many items of each kind the pack has: every kind, in the order of
/// [`ItemKind::NAMES`], with 0 for the kinds the pack does not use.
pub fn item_kinds(pack: &Pack) -> Vec<KindCount> {
    let mut counts: Vec<KindCount> = ItemKind::NAMES
        .iter()
        .map(|&kind| KindCount { kind, count: 0 })
        .collect();
    for it in &pack.items {
        if let Some(c) = counts.get_mut(it.kind.ordinal()) {
            c.count += 1;
        }
    }
    counts
}

/// The test forms.
pub fn forms(pack: &Pack) -> Vec<FormSummary<'_>> {
    pack.forms
        .iter()
        .map(|f| FormSummary {
            id: &f.id,
            items: f
                .items
                .iter()
                .filter_map(|&i| pack.items.get(usize::from(i)))
                .map(|it| it.id.as_str())
                .collect(),
        })
        .collect()
}

/// The help resources with the age of their verification as of `today`, texts resolved in
/// `chain`.
pub fn resources<'a>(pack: &'a Pack, chain: &[u8], today: Date) -> Vec<ResourceSummary<'a>> {
    pack.resources
        .iter()
        .map(|r| {
            let age_days = r.age_days(today);
            ResourceSummary {
                id: &r.id,
                name: Resolved::of(&r.name, chain),
                phone: &r.phone,
                hours: Resolved::of(&r.hours, chain),
                purpose: Resolved::of(&r.purpose, chain),
                verified: r.verified,
                age_days,
                stale: pack.is_stale(age_days),
            }
        })
        .collect()
}

/// The reference card, texts resolved in `chain`.
pub fn card<'a>(pack: &'a Pack, chain: &[u8]) -> CardSummary<'a> {
    let c = &pack.card;
    CardSummary {
        title: Resolved::of(&c.title, chain),
        objectives: objective_ids(pack, &c.objectives),
        resources: c
            .resources
            .iter()
            .filter_map(|&i| pack.resources.get(usize::from(i)))
            .map(|r| r.id.as_str())
            .collect(),
        footer: Resolved::of(&c.footer, chain),
    }
}

#[cfg(test)]
mod tests;
