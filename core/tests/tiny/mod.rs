//! A tiny pack built in code (no authoring), for format and log tests.
#![allow(dead_code)]

use kru_core::numerals::Numerals;
use kru_core::pack::item::{Item, ItemKind};
use kru_core::pack::journey::{
    FeedbackPolicy, Journey, Phase, PhaseContent, PhaseKind, Quiz, Selection,
};
use kru_core::pack::lesson::{Block, Lesson, Page};
use kru_core::pack::text::Text;
use kru_core::pack::*;

fn t(s: &str) -> Text {
    Text::single(s)
}

/// Two items, one lesson page, a kiosk journey, one hotline.
pub fn tiny_pack() -> Pack {
    let item = |id: &str, kind| Item {
        id: id.into(),
        objectives: vec![0],
        prompt: t("Which number do you call?"),
        kind,
        explanation: t("1288 is the hotline."),
        feedback_correct: Text::default().with_len(1),
        feedback_incorrect: Text::default().with_len(1),
    };
    let quiz = |kind, feedback| Phase {
        id: if kind == PhaseKind::PreTest {
            "pre".into()
        } else {
            "post".into()
        },
        title: t("Quiz"),
        kind,
        content: PhaseContent::Quiz(Quiz {
            selection: Selection::Fixed(vec![0, 1]),
            shuffle_items: true,
            shuffle_options: true,
            dont_know: false,
            feedback,
        }),
    };
    Pack {
        meta: PackMeta {
            id: "tiny".into(),
            version: Version {
                major: 1,
                minor: 0,
                patch: 0,
            },
            title: t("Tiny"),
            description: t("A tiny pack"),
            authors: vec!["kru".into()],
            licence: "CC0-1.0".into(),
            min_engine: Version {
                major: 0,
                minor: 1,
                patch: 0,
            },
            default_language: 0,
            verification_max_age_days: 365,
        },
        languages: vec![PackLanguage {
            tag: "en".into(),
            name: "English".into(),
            status: TranslationStatus::Reviewed,
            numerals: Numerals::Latin,
        }],
        objectives: vec![Objective {
            id: "hotline".into(),
            title: t("Call 1288"),
            summary: t("If in trouble call 1288."),
        }],
        indicators: vec![Indicator {
            id: "knows-hotline".into(),
            label: t("Knows 1288"),
            items: vec![1],
        }],
        resources: vec![Resource {
            id: "hotline-1288".into(),
            name: t("Hotline"),
            phone: "1288".into(),
            hours: t("Any time"),
            purpose: t("Help"),
            verified: Date::parse("2026-10-01").unwrap(),
        }],
        intake: vec![],
        lessons: vec![Lesson {
            id: "l".into(),
            title: t("Lesson"),
            objectives: vec![0],
            pages: vec![Page {
                blocks: vec![Block::KeyMessage(0), Block::Resource(0)],
            }],
        }],
        stories: vec![],
        items: vec![
            item(
                "which",
                ItemKind::SingleChoice {
                    options: vec![t("1288"), t("117"), t("911")],
                    correct: 0,
                },
            ),
            item(
                "type",
                ItemKind::ShortText {
                    accepted: vec!["1288".into()],
                },
            ),
        ],
        forms: vec![],
        journeys: vec![Journey {
            id: "kiosk".into(),
            title: t("Kiosk"),
            intake: false,
            card: true,
            forms: vec![],
            phases: vec![
                quiz(PhaseKind::PreTest, FeedbackPolicy::None),
                Phase {
                    id: "lesson".into(),
                    title: t("Lesson"),
                    kind: PhaseKind::Lesson,
                    content: PhaseContent::Lessons(vec![0]),
                },
                quiz(PhaseKind::PostTest, FeedbackPolicy::AfterEach),
            ],
        }],
        card: ReferenceCard {
            title: t("Card"),
            objectives: vec![0],
            resources: vec![0],
            footer: t("Stay safe"),
        },
        interface: Vec::new(),
        reverse_keyed: Vec::new(),
    }
}

trait WithLen {
    fn with_len(self, n: usize) -> Self;
}

impl WithLen for Text {
    fn with_len(self, n: usize) -> Self {
        let mut values: Vec<&str> = self.values().collect();
        values.resize(n, "");
        Text::new(&values, &[])
    }
}
