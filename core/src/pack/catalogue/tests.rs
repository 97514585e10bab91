//! Unit tests of the pack catalogue, on a two-language pack built in code.

use super::*;
use crate::numerals::Numerals;
use crate::pack::item::Item;
use crate::pack::journey::Selection;
use crate::pack::journey::{FeedbackPolicy, Journey, Phase, PhaseContent, PhaseKind, Quiz};
use crate::pack::{
    Form, IntakeField, IntakeOption, Objective, PackLanguage, PackMeta, ReferenceCard, Resource,
    TranslationStatus, Version,
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
                        dont_know: false,
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
        interface: Vec::new(),
        reverse_keyed: Vec::new(),
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
    let options: Vec<(&str, &str)> = sex.options.iter().map(|o| (o.code, o.label.text)).collect();
    assert_eq!(options, [("female", "ស្រី"), ("male", "ប្រុស")]);
    assert!(km.intake[1].options.is_empty() && !km.intake[1].required);
    let titles: Vec<(&str, &str)> = en.objectives.iter().map(|o| (o.id, o.title.text)).collect();
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
            ("km", "ខ្មែរ", "draft", "khmr"),
            ("en", "English", "reviewed", "latn")
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

#[test]
fn unrecorded_texts_per_language() {
    let mut p = pack();
    let total = p.coverage()[1].1;
    // Nothing recorded: every English text is still to record; Khmer only those it has.
    assert_eq!(p.unrecorded(1).len(), total);
    assert_eq!(p.unrecorded(0).len(), p.coverage()[0].0);
    assert!(p.unrecorded(1).contains(&"Title"));
    // The title recorded in English only.
    p.meta.title = Text::new(&["ចំណងជើង", "Title"], &["", "audio/en/title.ogg"]);
    assert_eq!(p.unrecorded(1).len(), total - 1);
    assert!(!p.unrecorded(1).contains(&"Title"));
    assert!(p.unrecorded(0).contains(&"ចំណងជើង"));
    assert!(p.unrecorded(0).iter().all(|s| !s.is_empty()));
    assert!(p.unrecorded(7).is_empty());
}

#[test]
fn synthetic_audio_is_counted_apart_and_still_to_record() {
    use crate::pack::text::is_synthetic_audio;
    assert!(is_synthetic_audio("audio/en/synthetic/title.ogg"));
    assert!(is_synthetic_audio("synthetic/title.ogg"));
    assert!(!is_synthetic_audio("audio/en/title.ogg"));
    // The file's own name is not a folder.
    assert!(!is_synthetic_audio("audio/synthetic"));
    assert!(!is_synthetic_audio("audio/en/synthetic-title.ogg"));

    let mut p = pack();
    let total = p.coverage()[1].1;
    let none = p.audio_counts(1);
    assert_eq!((none.recorded, none.synthetic, none.missing), (0, 0, total));
    p.meta.title = Text::new(
        &["ចំណងជើង", "Title"],
        &["audio/km/title.ogg", "audio/en/synthetic/title.ogg"],
    );
    let en = p.audio_counts(1);
    assert_eq!((en.recorded, en.synthetic, en.missing), (0, 1, total - 1));
    let km = p.audio_counts(0);
    assert_eq!(km.recorded, 1);
    assert_eq!(km.recorded + km.synthetic + km.missing, p.coverage()[0].0);
    // A synthetic reading is not a recording: the English title is still to record.
    assert!(p.unrecorded(1).contains(&"Title"));
    assert!(!p.unrecorded(0).contains(&"ចំណងជើង"));
    assert_eq!(p.audio_counts(7), crate::pack::AudioCounts::default());
    // Players see the label on the text.
    let label = crate::pack::text::Label::of(&p.meta.title, &[1]);
    assert!(label.synthetic);
    assert!(!crate::pack::text::Label::of(&p.meta.title, &[0]).synthetic);
}
