//! The hand-written pack reader (`core/src/pack/decode.rs`) against the writer
//! (`#[derive(Serialize)]` + postcard): arbitrary packs written by serde/postcard read back
//! equal; truncated and damaged payloads give a `PackError`, never a panic.

#[path = "common/mod.rs"]
mod common;

use kru_core::numerals::Numerals;
use kru_core::pack::format::{self, decode_plain_payload, encode_payload};
use kru_core::pack::item::{Item, ItemKind};
use kru_core::pack::journey::{
    FeedbackPolicy, FormSlot, Journey, Phase, PhaseContent, PhaseKind, Quiz, Selection,
};
use kru_core::pack::lesson::{Block, Ending, Lesson, Page, Story, StoryChoice, StoryNode};
use kru_core::pack::text::Text;
use kru_core::pack::{
    Date, Form, Indicator, IntakeField, IntakeOption, Objective, Pack, PackLanguage, PackMeta,
    ReferenceCard, Resource, TranslationStatus, Version,
};
use kru_core::PackError;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn s() -> impl Strategy<Value = String> {
    ".{0,6}"
}

fn text(langs: usize) -> impl Strategy<Value = Text> {
    (vec(s(), langs), any::<bool>(), vec("[a-z/]{0,5}", langs)).prop_map(|(v, audio, a)| {
        if audio {
            Text::new(&v, &a)
        } else {
            Text::new(&v, &[])
        }
    })
}

fn texts(langs: usize) -> impl Strategy<Value = Vec<Text>> {
    vec(text(langs), 0..4)
}

fn u16s() -> impl Strategy<Value = Vec<u16>> {
    vec(any::<u16>(), 0..4)
}

fn version() -> impl Strategy<Value = Version> {
    (any::<u16>(), any::<u16>(), any::<u16>()).prop_map(|(major, minor, patch)| Version {
        major,
        minor,
        patch,
    })
}

fn block(l: usize) -> impl Strategy<Value = Block> {
    prop_oneof![
        text(l).prop_map(Block::Heading),
        text(l).prop_map(Block::Paragraph),
        texts(l).prop_map(Block::List),
        text(l).prop_map(Block::Emphasis),
        any::<u16>().prop_map(Block::KeyMessage),
        (s(), text(l)).prop_map(|(src, alt)| Block::Image { src, alt }),
        any::<u16>().prop_map(Block::Story),
        any::<u16>().prop_map(Block::Resource),
    ]
}

fn item_kind(l: usize) -> impl Strategy<Value = ItemKind> {
    let finite = -1e12f64..1e12;
    prop_oneof![
        (texts(l), any::<u16>())
            .prop_map(|(options, correct)| ItemKind::SingleChoice { options, correct }),
        (texts(l), u16s())
            .prop_map(|(options, correct)| ItemKind::MultipleResponse { options, correct }),
        any::<bool>().prop_map(|correct| ItemKind::TrueFalse { correct }),
        texts(l).prop_map(|steps| ItemKind::Ordering { steps }),
        (texts(l), texts(l), u16s()).prop_map(|(left, right, pairs)| ItemKind::Matching {
            left,
            right,
            pairs
        }),
        vec(s(), 0..3).prop_map(|accepted| ItemKind::ShortText { accepted }),
        (finite.clone(), finite)
            .prop_map(|(value, tolerance)| ItemKind::Numeric { value, tolerance }),
        texts(l).prop_map(|scale| ItemKind::Likert { scale }),
    ]
}

fn item(l: usize) -> impl Strategy<Value = Item> {
    (
        s(),
        u16s(),
        text(l),
        item_kind(l),
        text(l),
        text(l),
        text(l),
    )
        .prop_map(
            |(id, objectives, prompt, kind, explanation, feedback_correct, feedback_incorrect)| {
                Item {
                    id,
                    objectives,
                    prompt,
                    kind,
                    explanation,
                    feedback_correct,
                    feedback_incorrect,
                }
            },
        )
}

fn story(l: usize) -> impl Strategy<Value = Story> {
    let choice =
        (s(), text(l), text(l), any::<u16>()).prop_map(|(id, label, consequence, next)| {
            StoryChoice {
                id,
                label,
                consequence,
                next,
            }
        });
    let ending = prop_oneof![
        Just(Ending::Safe),
        Just(Ending::Unsafe),
        Just(Ending::Neutral)
    ];
    let node = (
        s(),
        text(l),
        option::of(s()),
        vec(choice, 0..3),
        option::of(ending),
    )
        .prop_map(|(id, text, image, choices, ending)| StoryNode {
            id,
            text,
            image,
            choices,
            ending,
        });
    (s(), text(l), u16s(), any::<u16>(), vec(node, 0..3)).prop_map(
        |(id, title, objectives, start, nodes)| Story {
            id,
            title,
            objectives,
            start,
            nodes,
        },
    )
}

fn phase(l: usize) -> impl Strategy<Value = Phase> {
    let kind = prop_oneof![
        Just(PhaseKind::PreTest),
        Just(PhaseKind::Lesson),
        Just(PhaseKind::Practice),
        Just(PhaseKind::PostTest),
        Just(PhaseKind::FollowUp),
    ];
    let selection = prop_oneof![
        u16s().prop_map(Selection::Fixed),
        (any::<bool>(), any::<u8>()).prop_map(|(second, per_objective)| Selection::Form {
            slot: if second {
                FormSlot::Second
            } else {
                FormSlot::First
            },
            per_objective,
        }),
    ];
    let feedback = prop_oneof![
        Just(FeedbackPolicy::None),
        Just(FeedbackPolicy::AfterEach),
        Just(FeedbackPolicy::AfterPhase),
    ];
    let quiz = (
        selection,
        any::<bool>(),
        any::<bool>(),
        feedback,
        any::<bool>(),
    )
        .prop_map(
            |(selection, shuffle_items, shuffle_options, feedback, dont_know)| Quiz {
                selection,
                shuffle_items,
                shuffle_options,
                feedback,
                dont_know,
            },
        );
    let content = prop_oneof![
        u16s().prop_map(PhaseContent::Lessons),
        quiz.prop_map(PhaseContent::Quiz),
    ];
    (s(), text(l), kind, content).prop_map(|(id, title, kind, content)| Phase {
        id,
        title,
        kind,
        content,
    })
}

fn pack() -> impl Strategy<Value = Pack> {
    (0usize..3).prop_flat_map(|l| {
        let language =
            (s(), s(), any::<bool>(), 0..Numerals::ALL.len()).prop_map(|(tag, name, draft, n)| {
                PackLanguage {
                    tag,
                    name,
                    status: if draft {
                        TranslationStatus::Draft
                    } else {
                        TranslationStatus::Reviewed
                    },
                    numerals: Numerals::ALL[n],
                }
            });
        let meta = (
            s(),
            version(),
            text(l),
            text(l),
            vec(s(), 0..3),
            s(),
            version(),
            any::<u8>(),
            any::<u16>(),
        )
            .prop_map(
                |(id, version, title, description, authors, licence, min_engine, dl, age)| {
                    PackMeta {
                        id,
                        version,
                        title,
                        description,
                        authors,
                        licence,
                        min_engine,
                        default_language: dl,
                        verification_max_age_days: age,
                    }
                },
            );
        let objective = (s(), text(l), text(l)).prop_map(|(id, title, summary)| Objective {
            id,
            title,
            summary,
        });
        let indicator =
            (s(), text(l), u16s()).prop_map(|(id, label, items)| Indicator { id, label, items });
        let resource = (
            s(),
            text(l),
            s(),
            text(l),
            text(l),
            (any::<u16>(), any::<u8>(), any::<u8>()),
        )
            .prop_map(
                |(id, name, phone, hours, purpose, (year, month, day))| Resource {
                    id,
                    name,
                    phone,
                    hours,
                    purpose,
                    verified: Date { year, month, day },
                },
            );
        let intake = (
            s(),
            text(l),
            vec(
                (s(), text(l)).prop_map(|(code, label)| IntakeOption { code, label }),
                0..3,
            ),
            any::<bool>(),
        )
            .prop_map(|(id, label, options, required)| IntakeField {
                id,
                label,
                options,
                required,
            });
        let lesson = (
            s(),
            text(l),
            u16s(),
            vec(vec(block(l), 0..4).prop_map(|blocks| Page { blocks }), 0..3),
        )
            .prop_map(|(id, title, objectives, pages)| Lesson {
                id,
                title,
                objectives,
                pages,
            });
        let form = (s(), u16s()).prop_map(|(id, items)| Form { id, items });
        let journey = (
            s(),
            text(l),
            any::<bool>(),
            any::<bool>(),
            u16s(),
            vec(phase(l), 0..4),
        )
            .prop_map(|(id, title, intake, card, forms, phases)| Journey {
                id,
                title,
                intake,
                card,
                forms,
                phases,
            });
        let card = (text(l), u16s(), u16s(), text(l)).prop_map(
            |(title, objectives, resources, footer)| ReferenceCard {
                title,
                objectives,
                resources,
                footer,
            },
        );
        (
            (
                meta,
                vec(language, 0..3),
                vec(objective, 0..3),
                vec(indicator, 0..3),
                vec(resource, 0..3),
                vec(intake, 0..3),
            ),
            (
                vec(lesson, 0..3),
                vec(story(l), 0..3),
                vec(item(l), 0..5),
                vec(form, 0..3),
                vec(journey, 0..3),
                card,
            ),
            (vec((s(), text(l)), 0..3), u16s()),
        )
            .prop_map(
                |(
                    (meta, languages, objectives, indicators, resources, intake),
                    (lessons, stories, items, forms, journeys, card),
                    (interface, mut reverse_keyed),
                )| {
                    reverse_keyed.sort_unstable();
                    Pack {
                        meta,
                        languages,
                        objectives,
                        indicators,
                        resources,
                        intake,
                        lessons,
                        stories,
                        items,
                        forms,
                        journeys,
                        card,
                        interface,
                        reverse_keyed,
                    }
                },
            )
    })
}

fn is_decode_error(e: &PackError) -> bool {
    matches!(e, PackError::Decode { .. })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any pack written by serde/postcard reads back equal, and every shorter prefix of the
    /// pack's own part is refused with a decoding error.
    #[test]
    fn arbitrary_packs_read_back_equal(pack in pack(), cut in any::<prop::sample::Index>()) {
        let payload = encode_payload(&pack).unwrap();
        let back = decode_plain_payload(&payload, 27).unwrap();
        prop_assert_eq!(&back, &pack);
        // A prefix may end exactly between optional sections (a valid, shorter payload);
        // elsewhere it is a decoding error that names the end of the bytes.
        let prefix = &payload[..cut.index(payload.len())];
        match decode_plain_payload(prefix, 27) {
            Ok(_) => {}
            Err(e) => prop_assert!(is_decode_error(&e), "{e}"),
        }
    }
}

/// The real pack and its payload (compiled once): written, read back equal, and (below)
/// truncated and damaged.
fn real_payload() -> (std::sync::Arc<Pack>, Vec<u8>) {
    static REAL: std::sync::OnceLock<(std::sync::Arc<Pack>, Vec<u8>)> = std::sync::OnceLock::new();
    REAL.get_or_init(|| {
        let pack = common::safe_migration();
        let payload = encode_payload(&pack).unwrap();
        (pack, payload)
    })
    .clone()
}

#[test]
fn the_real_pack_reads_back_equal_and_every_prefix_fails() {
    let (pack, payload) = real_payload();
    assert_eq!(&decode_plain_payload(&payload, 0).unwrap(), &*pack);
    // Without the optional sections a pack's bytes end with its reference card; the real
    // pack has some of them, so the prefixes before its own end all fail.
    let mut bare = (*pack).clone();
    bare.interface.clear();
    bare.reverse_keyed.clear();
    for j in &mut bare.journeys {
        for p in &mut j.phases {
            if let PhaseContent::Quiz(q) = &mut p.content {
                q.dont_know = false;
            }
        }
    }
    let own = encode_payload(&bare).unwrap().len();
    assert!(own < payload.len(), "the real pack has optional sections");
    // Every 61st prefix and the last 200 (each re-reads the 150 KB text table).
    for n in (0..own).step_by(61).chain(own - 200..own) {
        let e = decode_plain_payload(&payload[..n], 40).unwrap_err();
        assert!(is_decode_error(&e), "prefix of {n} bytes: {e}");
    }
    let e = decode_plain_payload(&payload[..own - 1], 40).unwrap_err();
    assert!(e.to_string().contains("the bytes end early at byte"), "{e}");
}

#[test]
fn errors_say_what_and_where() {
    let (_, payload) = real_payload();
    // A length that claims more bytes than are left: refused before allocating.
    let mut lying = vec![0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
    lying.extend_from_slice(&payload[..20]);
    let e = decode_plain_payload(&lying, 27).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pack payload (offset 27) does not decode: text table: a length beyond the bytes left at byte 5 of the decoded payload"
    );
    // A varint with too many bytes for a u32.
    let mut long = payload.clone();
    let e = decode_plain_payload(
        &{
            long.truncate(0);
            long.extend_from_slice(&[
                0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
            ]);
            long
        },
        0,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("text table: a number too large for its type"),
        "{e}"
    );
    // Bytes after the last section.
    let mut extra = payload.clone();
    extra.push(0);
    let e = decode_plain_payload(&extra, 0).unwrap_err();
    assert!(is_decode_error(&e), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Flipped bytes in the real pack's payload: the reader and the invariant check return a
    /// result (often an error), never panic; whatever reads still writes.
    #[test]
    fn damaged_payloads_never_panic(flips in vec((any::<prop::sample::Index>(), 1u8..=255), 1..4)) {
        let (_, payload) = real_payload();
        let mut bytes = payload.clone();
        for (at, x) in &flips {
            let i = at.index(bytes.len());
            bytes[i] ^= x;
        }
        if let Ok(pack) = decode_plain_payload(&bytes, 0) {
            let _ = pack.check();
            prop_assert!(encode_payload(&pack).is_ok());
        }
    }

    /// The same through a whole file (the checksum fixed, as a forger would): never a panic.
    #[test]
    fn damaged_files_never_panic(at in any::<prop::sample::Index>(), x in 1u8..=255) {
        static FILE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let file = FILE.get_or_init(|| {
            format::encode_with(&real_payload().0, format::PayloadCoding::Stored).unwrap()
        });
        let h = format::read_header(file).unwrap();
        let mut bytes = file.clone();
        let i = h.payload.start + at.index(h.payload.len());
        bytes[i] ^= x;
        let end = h.payload.end;
        let crc = kru_core::checksum::crc32(&bytes[..end]);
        bytes[end..end + 4].copy_from_slice(&crc.to_le_bytes());
        let _ = format::decode_payload(&bytes, &h);
    }
}
