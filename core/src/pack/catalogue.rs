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
use serde::{Serialize, Serializer};

use crate::pack::item::ItemKind;
use crate::pack::signature;
use crate::pack::text::Text;
use crate::pack::{Date, Pack};

/// A text resolved in a language chain: the string shown and the path of its audio reading.
/// Serialised as the string alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The string in the first language of the chain that has one (see [`Text::resolve`]).
    pub text: &'a str,
    /// The audio path in the same language, if the pack has one.
    pub audio: Option<&'a str>,
}

impl<'a> Resolved<'a> {
    /// Resolves `text` in `chain`.
    pub fn of(text: &'a Text, chain: &[u8]) -> Self {
        Resolved {
            text: text.resolve(chain),
            audio: text.resolve_audio(chain),
        }
    }
}

impl Serialize for Resolved<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.text)
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
        numerals: l.numerals.name(),
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
mod tests {
    use super::*;
    use crate::numerals::Numerals;
    use crate::pack::item::Item;
    use crate::pack::journey::Selection;
    use crate::pack::journey::{FeedbackPolicy, Journey, Phase, PhaseContent, PhaseKind, Quiz};
    use crate::pack::{
        Form, IntakeField, IntakeOption, Objective, PackLanguage, PackMeta, ReferenceCard,
        Resource, TranslationStatus, Version,
    };
    use alloc::vec;

    /// Khmer and English; `en` alone when a text has no Khmer.
    fn t(km: &str, en: &str) -> Text {
        Text::new(&[km, en], &[])
    }

    fn item(id: &str, kind: ItemKind) -> Item {
        Item {
            id: id.into(),
            objectives: vec![1],
            prompt: t("សំណួរ", id),
            kind,
            explanation: t("ព្រោះ", "because"),
            feedback_correct: Text::empty(2),
            feedback_incorrect: Text::empty(2),
        }
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn pack() -> Pack {
        let v = |major, minor, patch| Version {
            major,
            minor,
            patch,
        };
        let resource = |id: &str, phone: &str, verified| Resource {
            id: id.into(),
            name: t("ខ្សែទូរស័ព្ទ", "Hotline"),
            phone: phone.into(),
            hours: t("", "Any time"),
            purpose: t("ជំនួយ", "Help"),
            verified: date(verified),
        };
        Pack {
            meta: PackMeta {
                id: "demo".into(),
                version: v(1, 2, 3),
                title: t("ចំណងជើង", "Title"),
                description: t("", "About"),
                authors: vec!["kru".into()],
                licence: "CC0-1.0".into(),
                min_engine: v(0, 1, 0),
                default_language: 1,
                verification_max_age_days: 100,
            },
            languages: vec![
                PackLanguage {
                    tag: "km".into(),
                    name: "ខ្មែរ".into(),
                    status: TranslationStatus::Draft,
                    numerals: Numerals::Khmer,
                },
                PackLanguage {
                    tag: "en".into(),
                    name: "English".into(),
                    status: TranslationStatus::Reviewed,
                    numerals: Numerals::Latin,
                },
            ],
            objectives: vec![
                Objective {
                    id: "plan".into(),
                    title: t("គម្រោង", "Plan"),
                    summary: t("", "Plan ahead"),
                },
                Objective {
                    id: "hotline".into(),
                    title: t("ហៅ ១២៨៨", "Call 1288"),
                    summary: t("", "Call when in trouble"),
                },
            ],
            indicators: vec![],
            resources: vec![
                resource("old", "1288", "2020-01-01"),
                resource("new", "117", "2026-09-01"),
            ],
            intake: vec![
                IntakeField {
                    id: "sex".into(),
                    label: t("ភេទ", "Sex"),
                    options: vec![
                        IntakeOption {
                            code: "female".into(),
                            label: t("ស្រី", "Female"),
                        },
                        IntakeOption {
                            code: "male".into(),
                            label: t("ប្រុស", "Male"),
                        },
                    ],
                    required: true,
                },
                IntakeField {
                    id: "village".into(),
                    label: t("ភូមិ", "Village"),
                    options: vec![],
                    required: false,
                },
            ],
            lessons: vec![],
            stories: vec![],
            items: vec![
                item(
                    "a",
                    ItemKind::SingleChoice {
                        options: vec![t("១", "1"), t("២", "2")],
                        correct: 0,
                    },
                ),
                item("b", ItemKind::TrueFalse { correct: true }),
                item(
                    "c",
                    ItemKind::SingleChoice {
                        options: vec![t("១", "1"), t("២", "2")],
                        correct: 1,
                    },
                ),
                item(
                    "feel",
                    ItemKind::Likert {
                        scale: vec![t("ទេ", "No"), t("បាទ", "Yes")],
                    },
                ),
            ],
            forms: vec![Form {
                id: "A".into(),
                items: vec![2, 0],
            }],
            journeys: vec![Journey {
                id: "school".into(),
                title: t("សាលា", "School"),
                intake: true,
                card: true,
                forms: vec![0],
                phases: vec![
                    Phase {
                        id: "pre".into(),
                        title: t("មុន", "Before"),
                        kind: PhaseKind::PreTest,
                        content: PhaseContent::Quiz(Quiz {
                            selection: Selection::Fixed(vec![0, 1]),
                            shuffle_items: false,
                            shuffle_options: false,
                            feedback: FeedbackPolicy::None,
                        }),
                    },
                    Phase {
                        id: "learn".into(),
                        title: t("", "Learn"),
                        kind: PhaseKind::Lesson,
                        content: PhaseContent::Lessons(vec![]),
                    },
                ],
            }],
            card: ReferenceCard {
                title: t("កាត", "Card"),
                objectives: vec![1, 0],
                resources: vec![0],
                footer: t("", "Stay safe"),
            },
        }
    }

    #[test]
    fn texts_follow_the_language_chain_and_fall_back() {
        let p = pack();
        let today = date("2026-10-01");
        let km = PackCatalogue::new(&p, &[0, 1], today, None);
        let en = PackCatalogue::new(&p, &[1], today, None);
        assert_eq!(km.title.text, "ចំណងជើង");
        assert_eq!(en.title.text, "Title");
        // No Khmer description: the English one rather than nothing.
        assert_eq!(km.description.text, "About");
        let phases: Vec<(&str, &str, &str)> = km.journeys[0]
            .phases
            .iter()
            .map(|ph| (ph.id, ph.kind, ph.title.text))
            .collect();
        assert_eq!(
            phases,
            [("pre", "pre-test", "មុន"), ("learn", "lesson", "Learn")]
        );
        assert_eq!(en.journeys[0].title.text, "School");
        assert!(en.journeys[0].intake && en.journeys[0].card);
        let sex = &km.intake[0];
        assert_eq!((sex.id, sex.label.text, sex.required), ("sex", "ភេទ", true));
        let options: Vec<(&str, &str)> =
            sex.options.iter().map(|o| (o.code, o.label.text)).collect();
        assert_eq!(options, [("female", "ស្រី"), ("male", "ប្រុស")]);
        assert!(km.intake[1].options.is_empty() && !km.intake[1].required);
        let titles: Vec<(&str, &str)> =
            en.objectives.iter().map(|o| (o.id, o.title.text)).collect();
        assert_eq!(titles, [("plan", "Plan"), ("hotline", "Call 1288")]);
        assert_eq!(en.items[3].prompt.text, "feel");
        assert_eq!(en.items[0].objectives, ["hotline"]);
        assert_eq!(en.card.objectives, ["hotline", "plan"]);
        assert_eq!(en.card.resources, ["old"]);
        assert_eq!(km.card.footer.text, "Stay safe");
    }

    #[test]
    fn metadata_languages_and_coverage() {
        let p = pack();
        let key = [0xabu8; 32];
        let c = PackCatalogue::new(&p, &[1], date("2026-10-01"), Some(&key));
        assert_eq!((c.id, c.version.as_str()), ("demo", "1.2.3"));
        assert_eq!(c.min_engine, "0.1.0");
        assert_eq!(c.default_language, "en");
        assert_eq!(c.signer_key_id.as_deref(), Some("abababababababab"));
        assert_eq!(
            PackCatalogue::new(&p, &[1], date("2026-10-01"), None).signer_key_id,
            None
        );
        let langs: Vec<_> = c
            .languages
            .iter()
            .map(|l| (l.tag, l.name, l.status, l.numerals))
            .collect();
        assert_eq!(
            langs,
            [
                ("km", "ខ្មែរ", "draft", "khmer"),
                ("en", "English", "reviewed", "latin")
            ]
        );
        // Every English text is there; Khmer lacks the description, an objective summary
        // twice, the resource hours twice, the lesson phase title and the card footer.
        let total = c.coverage[0].total;
        assert_eq!(c.coverage[1].present, total);
        assert_eq!(c.coverage[0].present, total - 7);
        assert_eq!(c.coverage[0].tag, "km");
    }

    #[test]
    fn items_are_counted_per_kind_with_the_kinds_own_names() {
        let p = pack();
        let c = PackCatalogue::new(&p, &[1], date("2026-10-01"), None);
        let kinds: Vec<&str> = c.item_kinds.iter().map(|k| k.kind).collect();
        assert_eq!(kinds, ItemKind::NAMES);
        let count = |name: &str| c.item_kinds.iter().find(|k| k.kind == name).unwrap().count;
        assert_eq!(count("single"), 2);
        assert_eq!(count("true-false"), 1);
        assert_eq!(count("likert"), 1);
        assert_eq!(count("numeric"), 0);
        assert_eq!(
            c.item_kinds.iter().map(|k| k.count).sum::<usize>(),
            p.items.len()
        );
        assert_eq!(c.scored_items(), 3);
        assert_eq!(c.items[1].kind, "true-false");
        assert_eq!(c.forms[0].id, "A");
        assert_eq!(c.forms[0].items, ["c", "a"]);
    }

    #[test]
    fn resources_carry_their_age_and_the_stale_flag() {
        let p = pack();
        let c = PackCatalogue::new(&p, &[1], date("2026-10-01"), None);
        let ages: Vec<(&str, i64, bool)> = c
            .resources
            .iter()
            .map(|r| (r.id, r.age_days, r.stale))
            .collect();
        assert_eq!(ages, [("old", 2465, true), ("new", 30, false)]);
        assert_eq!(c.resources[0].hours.text, "Any time");
        let stale: Vec<&str> = c.stale_resources().map(|r| r.id).collect();
        assert_eq!(stale, ["old"]);
        // The limit itself is not stale; one day more is.
        let at = |today| resources(&p, &[1], date(today))[1].stale;
        assert!(!at("2026-12-10"));
        assert!(at("2026-12-11"));
        assert_eq!(p.stale_resources(date("2026-12-11")), [(0, 2536), (1, 101)]);
    }

    #[test]
    fn serialises_with_the_names_hosts_read() {
        let p = pack();
        let c = PackCatalogue::new(&p, &[0], date("2026-10-01"), Some(&[1u8; 32]));
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["title"], "ចំណងជើង");
        assert_eq!(v["signerKeyId"], "0101010101010101");
        assert_eq!(v["defaultLanguage"], "en");
        assert_eq!(v["minEngine"], "0.1.0");
        assert_eq!(v["verificationMaxAgeDays"], 100);
        assert_eq!(v["journeys"][0]["phases"][0]["kind"], "pre-test");
        assert_eq!(v["journeys"][0]["phases"][0]["title"], "មុន");
        assert_eq!(v["intake"][0]["options"][1]["code"], "male");
        assert_eq!(v["intake"][0]["options"][1]["label"], "ប្រុស");
        assert_eq!(v["itemKinds"][0]["kind"], "single");
        assert_eq!(v["itemKinds"][0]["count"], 2);
        assert_eq!(v["resources"][0]["ageDays"], 2465);
        assert_eq!(v["resources"][0]["stale"], true);
        assert_eq!(
            v["resources"][0]["verified"],
            serde_json::json!({"year": 2020, "month": 1, "day": 1})
        );
        assert_eq!(v["coverage"][1]["tag"], "en");
        assert_eq!(v["card"]["resources"][0], "old");
        assert_eq!(v["lessons"], 0);
        let unsigned = serde_json::to_value(PackCatalogue::new(&p, &[0], date("2026-10-01"), None));
        assert_eq!(unsigned.unwrap()["signerKeyId"], serde_json::Value::Null);
    }

    #[test]
    fn single_parts_match_the_whole() {
        let p = pack();
        let c = PackCatalogue::new(&p, &[0], date("2026-10-01"), None);
        assert_eq!(language(&p, 1).as_ref(), c.languages.get(1));
        assert_eq!(language(&p, 2), None);
        assert_eq!(journey(&p, 0, &[0]).as_ref(), c.journeys.first());
        assert_eq!(journey(&p, 1, &[0]), None);
    }
}
