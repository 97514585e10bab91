use super::*;
use crate::numerals::Numerals;
use crate::pack::text::Text;
use crate::pack::{PackLanguage, PackMeta, ReferenceCard, TranslationStatus};
use alloc::vec;

#[test]
fn the_builtin_catalogues_parse_and_english_has_every_id() {
    let en = builtin("en").unwrap();
    assert!(en.len() > 200, "{}", en.len());
    for (tag, text) in BUILTIN {
        let c = Catalogue::parse(text).unwrap_or_else(|e| panic!("{tag}: {e}"));
        for id in c.ids() {
            assert!(en.get(id).is_some(), "{tag} has '{id}', English does not");
        }
    }
    // Khmer covers every id today (a new id needs its Khmer too).
    let km = builtin("km").unwrap();
    let missing: Vec<&str> = en.ids().filter(|id| km.get(id).is_none()).collect();
    assert!(missing.is_empty(), "km lacks {missing:?}");
}

#[test]
fn placeholders_are_filled_and_unknown_ones_kept() {
    assert_eq!(fill("{a} of {b}", &[("a", "1"), ("b", "2")]), "1 of 2");
    assert_eq!(fill("{a} {x} {", &[("a", "១")]), "១ {x} {");
    assert_eq!(fill("no braces", &[]), "no braces");
    assert_eq!(fill("}{}", &[("", "e")]), "}e");
}

#[test]
fn resolves_along_the_chain_to_english() {
    let km = UiStrings::resolve(&["km", "en"], None);
    assert_eq!(km.get("playTrue"), "ពិត");
    let lo = UiStrings::resolve(&["lo", "en"], None);
    assert_eq!(lo.get("playTrue"), "true");
    assert_eq!(lo.get("no-such-id"), "no-such-id");
    assert_eq!(lo.len(), builtin_ids().len());
}

/// A pack in English and Khmer with nothing but interface strings.
fn pack_with(interface: Vec<(String, Text)>) -> Pack {
    let v = crate::pack::Version {
        major: 1,
        minor: 0,
        patch: 0,
    };
    let lang = |tag: &str, numerals| PackLanguage {
        tag: tag.into(),
        name: tag.into(),
        status: TranslationStatus::Draft,
        numerals,
    };
    Pack {
        meta: PackMeta {
            id: "ui".into(),
            version: v,
            title: Text::new(&["UI", ""], &[]),
            description: Text::empty(2),
            authors: vec![],
            licence: "CC0-1.0".into(),
            min_engine: crate::pack::Version {
                major: 0,
                minor: 1,
                patch: 0,
            },
            default_language: 0,
            verification_max_age_days: 100,
        },
        languages: vec![lang("en", Numerals::Latin), lang("km", Numerals::Khmer)],
        objectives: vec![],
        indicators: vec![],
        resources: vec![],
        intake: vec![],
        lessons: vec![],
        stories: vec![],
        items: vec![],
        forms: vec![],
        journeys: vec![],
        card: ReferenceCard {
            title: Text::empty(2),
            objectives: vec![],
            resources: vec![],
            footer: Text::empty(2),
        },
        interface,
        reverse_keyed: Vec::new(),
    }
}

#[test]
fn a_packs_strings_win_for_their_language_only() {
    // test_pack's languages are en and km.
    let p = pack_with(vec![
        ("playRight".into(), Text::new(&["", "ល្អណាស់"], &[])),
        ("playTrue".into(), Text::new(&["yes", ""], &[])),
    ]);
    let km = UiStrings::resolve(&["km", "en"], Some(&p));
    assert_eq!(km.get("playRight"), "ល្អណាស់");
    assert_eq!(km.get("playTrue"), "ពិត", "built-in km before the pack's en");
    let en = UiStrings::resolve(&["en"], Some(&p));
    assert_eq!(en.get("playTrue"), "yes");
    assert_eq!(en.get("playRight"), "✓ Right!");
    let cov = coverage(&p);
    assert_eq!(cov.len(), 2);
    assert!(cov
        .iter()
        .all(|c| c.missing.is_empty() && c.covered == c.total));
    assert_eq!(cov[0].from_pack + cov[1].from_pack, 2);
}

#[test]
fn a_packs_strings_survive_encoding_and_a_pack_without_keeps_its_bytes() {
    use crate::pack::format;
    let decode = |bytes: &[u8]| {
        let header = format::read_header(bytes)?;
        format::decode_payload(bytes, &header)
    };
    let p = pack_with(vec![("playRight".into(), Text::new(&["", "ល្អណាស់"], &[]))]);
    let bytes = format::encode(&p).unwrap();
    let back = decode(&bytes).unwrap();
    assert_eq!(back.interface.len(), 1);
    assert_eq!(back.interface[0].1.get(1), Some("ល្អណាស់"));
    let plain = pack_with(vec![]);
    let without = format::encode_payload(&plain).unwrap();
    let decoded = format::decode_plain_payload(&without, 0).unwrap();
    assert!(decoded.interface.is_empty());
    // Bad ids and disorder are refused on load.
    for bad in [
        vec![("a.b".to_string(), Text::empty(2))],
        vec![
            ("b".to_string(), Text::empty(2)),
            ("a".to_string(), Text::empty(2)),
        ],
    ] {
        let p = pack_with(bad);
        let bytes = format::encode(&p).unwrap();
        assert!(decode(&bytes).is_err());
    }
}

#[test]
fn errors_come_from_the_catalogue_by_code() {
    let km = UiStrings::resolve(&["km"], None);
    assert!(km.error(ErrorCode::BadLearnerCode).starts_with("លេខកូដ"));
    assert_eq!(km.error(ErrorCode::PackTruncated), km.get("error-other"));
    assert_eq!(km.error_message(ErrorCode::PackTruncated), None);
    assert_eq!(
        km.error_message(ErrorCode::BadLearnerCode),
        Some(km.get("error-bad-learner-code"))
    );
}

#[test]
fn error_ids_are_error_and_the_code_name() {
    assert_eq!(
        super::error_id(ErrorCode::BadLearnerCode),
        "error-bad-learner-code"
    );
    assert_eq!(super::ERROR_OTHER, "error-other");
    // Every `error-…` string of the English catalogue (the list of ids) is the message of a
    // code of the error table, or the general one: no message that no code can reach.
    let en = UiStrings::resolve(&["en"], None);
    for (id, _) in en.iter().filter(|(id, _)| id.starts_with("error-")) {
        assert!(
            id == super::ERROR_OTHER || ErrorCode::ALL.iter().any(|c| super::error_id(*c) == id),
            "{id} is no code's message"
        );
    }
}

#[test]
fn resolve_with_data_matches_the_builtin_and_reports_bad_data() {
    let a = UiStrings::resolve(&["km", "en"], None);
    let b = UiStrings::resolve_with(&["km", "en"], None, BUILTIN).unwrap();
    assert_eq!(a, b);
    let e = UiStrings::resolve_with(&["en"], None, &[("en", "[interface]\nx = ")]).unwrap_err();
    assert_eq!(e.code(), ErrorCode::UiBadCatalogue);
    assert!(UiStrings::resolve_with(&["en"], None, &[])
        .unwrap()
        .is_empty());
}

/// Every built-in catalogue, compiled ([`Catalogue::to_table`], as `cargo xtask wasm` ships
/// it), reads back as the same catalogue and resolves to the same strings as its TOML.
#[test]
fn compiled_catalogues_agree_with_the_toml() {
    let mut tables = Vec::new();
    for (tag, text) in BUILTIN {
        let c = Catalogue::parse(text).unwrap();
        let t = c.to_table().unwrap();
        assert_eq!(Catalogue::from_table(&t).unwrap(), c, "{tag}");
        tables.push((*tag, t));
    }
    let tables: Vec<(&str, &str)> = tables.iter().map(|(t, x)| (*t, x.as_str())).collect();
    for chain in [&["km", "en"][..], &["en"], &["lo", "km"]] {
        assert_eq!(
            UiStrings::resolve_tables(chain, None, &tables).unwrap(),
            UiStrings::resolve_with(chain, None, BUILTIN).unwrap()
        );
    }
    let e = UiStrings::resolve_tables(&["en"], None, &[("en", BUILTIN[0].1)]).unwrap_err();
    assert_eq!(e.code(), ErrorCode::UiBadCatalogue);
    assert!(e.to_string().contains("entry 1"), "{e}");
}

proptest::proptest! {
    #[test]
    fn parse_never_panics(s in "\\PC*") {
        let _ = Catalogue::parse(&s);
    }

    #[test]
    fn fill_keeps_text_without_placeholders(s in "[^{}]*") {
        proptest::prop_assert_eq!(fill(&s, &[("a", "b")]), s);
    }
}

#[test]
fn the_chain_follows_preferences_through_the_pack_and_beyond() {
    let p = pack_with(vec![]);
    assert_eq!(chain(Some(&p), &["km-KH"]), ["km", "en"]);
    assert_eq!(chain(Some(&p), &["lo-LA", "km"]), ["lo", "km", "en"]);
    assert_eq!(chain(Some(&p), &["not a tag"]), ["en"]);
    assert_eq!(chain(None, &["km", "en"]), ["km", "en"]);
    let km = UiStrings::for_preferred(Some(&p), &["km-KH"]);
    assert_eq!(km.get("playTrue"), "ពិត");
}

#[test]
fn json_is_an_object_of_every_string() {
    let en = UiStrings::resolve(&["en"], None);
    let v: serde_json::Value = serde_json::from_str(&en.to_json()).unwrap();
    let o = v.as_object().unwrap();
    assert_eq!(o.len(), en.len());
    assert_eq!(o["playRight"], "✓ Right!");
    let odd = UiStrings {
        strings: vec![("a".to_string(), "\"q\" \\ \n \u{1}".to_string())],
    };
    let v: serde_json::Value = serde_json::from_str(&odd.to_json()).unwrap();
    assert_eq!(v["a"], "\"q\" \\ \n \u{1}");
}
