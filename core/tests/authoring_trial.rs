//! The validator gaps found by a new author's trial (issue 13, item 6): each mistake below is
//! made in a copy of the real safe-migration pack, and the test checks what the author is
//! told — the cause once, where it is, and how to fix it — and that its echoes stay quiet.
#![cfg(feature = "authoring")]

use std::path::Path;

use kru_core::authoring::{
    compile, compile_with_media, read_source_dir, Compiled, Diagnostic, SourceFile,
};
use kru_core::pack::format;
use kru_core::pack::signature::TrustPolicy;
use kru_core::pack::Date;

mod common;
use common::edit;

fn pack() -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
    read_source_dir(&dir).unwrap()
}

fn today() -> Option<Date> {
    Date::parse("2026-12-06")
}

fn show(c: &Compiled) -> String {
    c.diagnostics
        .iter()
        .map(|d| format!("{d}\n"))
        .collect::<String>()
}

/// The diagnostics with `code`.
fn with_code<'a>(c: &'a Compiled, code: &str) -> Vec<&'a Diagnostic> {
    c.diagnostics.iter().filter(|d| d.code == code).collect()
}

/// The one diagnostic of the compilation: there must be exactly one.
fn only(c: &Compiled) -> &Diagnostic {
    assert_eq!(c.diagnostics.len(), 1, "{}", show(c));
    &c.diagnostics[0]
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(files: &[SourceFile], path: &str, needle: &str) -> u32 {
    let text = &files.iter().find(|f| f.path == path).unwrap().text;
    let i = text.lines().position(|l| l.contains(needle)).unwrap();
    u32::try_from(i + 1).unwrap()
}

#[test]
fn the_unchanged_pack_has_no_diagnostics() {
    let c = compile(&pack(), today());
    assert!(c.diagnostics.is_empty(), "{}", show(&c));
}

/// A prompt written in items.toml: the error says that strings live in i18n/<tag>.toml under
/// [item.<id>] and shows the exact lines, with the author's text.
#[test]
fn a_string_in_a_structure_file_shows_the_lines_to_write() {
    let mut files = pack();
    edit(
        &mut files,
        "items.toml",
        "id = \"broker-promise\"\n",
        "id = \"broker-promise\"\nprompt = \"What do you \\\"do\\\"?\"\n",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert_eq!(d.code, "unknown-field");
    assert_eq!(d.line, Some(line_of(&files, "items.toml", "prompt = ")));
    assert!(d.message.contains("`prompt`"), "{d}");
    assert!(d.help.contains("i18n/<language>.toml"), "{d}");
    assert!(
        d.help
            .contains("[item.broker-promise]\n      prompt = \"What do you \\\"do\\\"?\""),
        "{d}"
    );
    // The same for a lesson's and a journey's strings.
    let mut files = pack();
    edit(
        &mut files,
        "lessons.toml",
        "id = \"key-messages\"\n",
        "id = \"key-messages\"\ntitle = \"Six messages\"\n",
    );
    let c = compile(&files, today());
    assert!(only(&c)
        .help
        .contains("[lesson.key-messages]\n      title = \"Six messages\""));
    // A field that holds no text keeps the did-you-mean help.
    let mut files = pack();
    edit(
        &mut files,
        "items.toml",
        "id = \"broker-promise\"\n",
        "id = \"broker-promise\"\nobjective = [1]\n",
    );
    let c = compile(&files, today());
    assert!(
        only(&c).message.contains("did you mean 'objectives'"),
        "{}",
        show(&c)
    );
}

/// Errors in items.toml (a syntax error, a bad value) do not hide translation problems: all
/// are reported in the same run.
#[test]
fn an_error_in_items_toml_does_not_hide_translation_problems() {
    let mut files = pack();
    edit(
        &mut files,
        "items.toml",
        "type = \"single\"",
        "type = \"singel\"",
    );
    edit(
        &mut files,
        "items.toml",
        "answer = \"commune\"",
        "answer = commune",
    );
    edit(
        &mut files,
        "i18n/en.toml",
        "[item.broker-no-papers]\nprompt",
        "[item.broker-no-papers]\nprompt_",
    );
    let c = compile(&files, today());
    for code in [
        "invalid-value",
        "toml-syntax",
        "missing-translation",
        "unknown-translation-key",
    ] {
        assert_eq!(with_code(&c, code).len(), 1, "{code}:\n{}", show(&c));
    }
}

/// An unknown item in a form: one error; no "not parallel" and no "unused" for the item it
/// misspells.
#[test]
fn an_unknown_item_in_a_form_is_reported_once() {
    let mut files = pack();
    edit(
        &mut files,
        "pack.toml",
        "\"broker-promise\", \"broker-no-papers\"",
        "\"broker-promis\", \"broker-no-papers\"",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert_eq!(d.code, "unknown-reference");
    assert!(d.message.contains("did you mean 'broker-promise'"), "{d}");
}

/// A `per_objective` too high for every objective of both forms: one error naming them all.
#[test]
fn per_objective_too_high_is_one_error() {
    let mut files = pack();
    edit(
        &mut files,
        "pack.toml",
        "select = { form = \"first\", per_objective = 2 }",
        "select = { form = \"first\", per_objective = 5 }",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert_eq!(d.code, "too-few-items");
    for part in ["form 'A'", "form 'B'", "'check' 3", "'hotline' 3"] {
        assert!(d.message.contains(part), "{part}: {d}");
    }
    assert!(d.help.contains("lower per_objective to 3"), "{d}");
}

/// A journey without phases: one error, not a warning for every lesson and item it no longer
/// uses, nor for its phases' strings.
#[test]
fn a_journey_without_phases_is_one_error() {
    let mut files = pack();
    let f = files.iter_mut().find(|f| f.path == "pack.toml").unwrap();
    let start = f.text.find("[[journey.phase]]\nid = \"pre\"").unwrap();
    let end = f.text.find("# A self-service").unwrap();
    f.text.replace_range(start..end, "");
    let c = compile(&files, today());
    assert_eq!(only(&c).code, "empty-journey", "{}", show(&c));
}

/// A duplicate item id: the second copy is not called "unused".
#[test]
fn a_duplicate_item_id_is_not_called_unused() {
    let mut files = pack();
    edit(
        &mut files,
        "items.toml",
        "id = \"broker-no-papers\"",
        "id = \"broker-promise\"",
    );
    let c = compile(&files, today());
    assert_eq!(with_code(&c, "duplicate-id").len(), 1, "{}", show(&c));
    assert!(with_code(&c, "unused-item").is_empty(), "{}", show(&c));
}

/// `duplicate key` names the key.
#[test]
fn a_duplicate_key_is_named() {
    let mut files = pack();
    edit(
        &mut files,
        "items.toml",
        "answer = \"check-first\"",
        "answer = \"check-first\"\nanswer = \"go-now\"",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert_eq!(d.code, "toml-syntax");
    assert!(d.message.ends_with("duplicate key `answer`"), "{d}");
    assert!(d.help.starts_with("`answer` may appear once"), "{d}");
}

/// A bad date echoes the value and gives help about dates, not about quotes and brackets;
/// quoted or not.
#[test]
fn a_bad_date_is_echoed_with_help_about_dates() {
    let mut files = pack();
    edit(
        &mut files,
        "pack.toml",
        "verified = \"2026-10-01\"",
        "verified = 2026-13-01 # checked by phone",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert!(d.message.contains("2026-13-01"), "{d}");
    assert!(
        d.help.contains("YYYY-MM-DD") && !d.help.contains("brackets"),
        "{d}"
    );

    let mut files = pack();
    edit(
        &mut files,
        "pack.toml",
        "verified = \"2026-10-01\"",
        "verified = \"2026-02-30\"",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert_eq!(d.code, "invalid-date");
    assert!(d.message.contains("\"2026-02-30\""), "{d}");
}

/// A matching item whose pair value is misspelt: the value is pointed at, and the author is
/// not told to add a pair that is already there.
#[test]
fn a_misspelt_pair_value_is_not_called_a_missing_pair() {
    let mut files = pack();
    edit(
        &mut files,
        "items.toml",
        "trapped = \"call-1288\"",
        "trapped = \"call-128\"",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert_eq!(d.code, "matching-pairs");
    assert!(d.message.contains("did you mean 'call-1288'"), "{d}");
    assert!(!d.help.contains("add "), "{d}");
}

/// A lesson image and an audio file that are not in the folder, when the caller lists the
/// folder's media files.
#[test]
fn missing_media_files_are_errors() {
    let mut files = pack();
    edit(
        &mut files,
        "lessons.toml",
        "  { paragraph = \"intro\" },",
        "  { paragraph = \"intro\" },\n  { image = \"img/map.png\", alt = \"map-alt\" },",
    );
    edit(
        &mut files,
        "i18n/en.toml",
        "[lesson.key-messages]\n",
        "[lesson.key-messages]\nmap-alt = \"A map\"\n",
    );
    edit(
        &mut files,
        "i18n/km.toml",
        "[lesson.key-messages]\n",
        "[lesson.key-messages]\nmap-alt = \"ផែនទី\"\n",
    );
    files
        .iter_mut()
        .find(|f| f.path == "i18n/km.toml")
        .unwrap()
        .text
        .push_str("\n[audio]\n\"item.broker-promise.prompt\" = \"audio/km/broker-promise.ogg\"\n");
    // Without a media list (a host that passes only the TOML files): nothing to check.
    let c = compile(&files, today());
    assert!(c.diagnostics.is_empty(), "{}", show(&c));
    // With the files there: no error.
    let pictograms = pictograms();
    let mut present = vec![
        "audio/km/broker-promise.ogg".to_string(),
        "img/map.png".to_string(),
    ];
    present.extend(pictograms.iter().cloned());
    let c = compile_with_media(&files, today(), &present);
    assert!(c.diagnostics.is_empty(), "{}", show(&c));
    // The image misnamed on disk and the audio missing.
    let mut misnamed = vec!["img/maps.png".to_string()];
    misnamed.extend(pictograms);
    let c = compile_with_media(&files, today(), &misnamed);
    let missing = with_code(&c, "missing-media");
    assert_eq!(missing.len(), 2, "{}", show(&c));
    let img = missing.iter().find(|d| d.file == "lessons.toml").unwrap();
    assert_eq!(
        img.line,
        Some(line_of(&files, "lessons.toml", "img/map.png"))
    );
    assert!(img.message.contains("did you mean 'img/maps.png'"), "{img}");
    let audio = missing.iter().find(|d| d.file == "i18n/km.toml").unwrap();
    assert!(
        audio.message.contains("audio/km/broker-promise.ogg"),
        "{audio}"
    );
}

/// A verification date after today is an error (a mistyped year); one day ahead is allowed
/// (time zones).
#[test]
fn a_verification_date_in_the_future_is_an_error() {
    let mut files = pack();
    edit(
        &mut files,
        "pack.toml",
        "verified = \"2026-10-01\"",
        "verified = \"2027-10-01\"",
    );
    let c = compile(&files, today());
    let d = only(&c);
    assert_eq!(d.code, "future-verification");
    assert!(d.message.contains("2027-10-01"), "{d}");
    // Without a date to compare with, nothing is said.
    assert!(compile(&files, None).diagnostics.is_empty());
    // Tomorrow (the author's calendar may be ahead of UTC) is fine.
    let mut files = pack();
    edit(
        &mut files,
        "pack.toml",
        "verified = \"2026-10-01\"",
        "verified = \"2026-12-07\"",
    );
    assert!(compile(&files, today()).diagnostics.is_empty());
}

/// `mm` and `my_MM` as language tags are caught (warnings with the tag meant).
#[test]
fn country_codes_and_underscores_in_language_tags_are_caught() {
    let mut files = pack();
    edit(&mut files, "pack.toml", "tag = \"km\"", "tag = \"my_MM\"");
    edit(&mut files, "pack.toml", "tag = \"en\"", "tag = \"mm\"");
    edit(
        &mut files,
        "pack.toml",
        "default_language = \"en\"",
        "default_language = \"mm\"",
    );
    let f = files.iter_mut().find(|f| f.path == "i18n/en.toml").unwrap();
    f.path = "i18n/mm.toml".into();
    let f = files.iter_mut().find(|f| f.path == "i18n/km.toml").unwrap();
    f.path = "i18n/my_MM.toml".into();
    let c = compile(&files, today());
    let form = with_code(&c, "language-tag-form");
    let country = with_code(&c, "language-tag-country");
    assert!(
        form.iter().any(|d| d.help.contains("\"my-MM\"")),
        "{}",
        show(&c)
    );
    assert!(
        country.iter().any(|d| d.help.contains("\"my\"")),
        "{}",
        show(&c)
    );
}

/// A Likert item needs no explanation: there is no right answer to explain.
#[test]
fn a_likert_item_needs_no_explanation() {
    let mut files = pack();
    for lang in ["en", "km"] {
        let f = files
            .iter_mut()
            .find(|f| f.path == format!("i18n/{lang}.toml"))
            .unwrap();
        let start = f.text.find("[item.att-check-commune]").unwrap();
        let e = start + f.text[start..].find("explanation").unwrap();
        let end = e + f.text[e..].find('\n').unwrap() + 1;
        f.text.replace_range(e..end, "");
    }
    let c = compile(&files, today());
    assert!(c.diagnostics.is_empty(), "{}", show(&c));
    let pack = c.pack.unwrap();
    // Coverage does not count it either: still complete.
    for (present, total) in pack.coverage() {
        assert_eq!(present, total);
    }
    // A scored item still needs one.
    let mut files = self::pack();
    let f = files.iter_mut().find(|f| f.path == "i18n/en.toml").unwrap();
    let start = f.text.find("[item.broker-promise]").unwrap();
    let e = start + f.text[start..].find("explanation").unwrap();
    let end = e + f.text[e..].find('\n').unwrap() + 1;
    f.text.replace_range(e..end, "");
    let c = compile(&files, today());
    assert_eq!(only(&c).code, "missing-translation");
}

/// `kru validate` and `kru info` count strings the same way: the validator's "N of M strings
/// are missing" is the compiled pack's coverage.
#[test]
fn the_validator_counts_strings_as_the_pack_does() {
    let mut files = pack();
    // One string missing in km.
    edit(
        &mut files,
        "i18n/km.toml",
        "[item.broker-no-papers]\nprompt",
        "[item.broker-no-papers]\nprompt_removed",
    );
    let c = compile(&files, today());
    let warnings = with_code(&c, "missing-translations");
    assert_eq!(warnings.len(), 1, "{}", show(&c));
    let message = warnings[0].message.clone();
    let bytes = format::encode(c.pack.as_ref().unwrap()).unwrap();
    let pack = kru_core::pack::signature::load(
        &bytes,
        &TrustPolicy::trusting(&[]).unwrap().allow_unsigned(),
    )
    .unwrap();
    let km = pack.languages.iter().position(|l| l.tag == "km").unwrap();
    let (present, total) = pack.coverage()[km];
    assert_eq!(present + 1, total);
    assert!(
        message.starts_with(&format!("1 of {total} strings are missing in km")),
        "{message} (coverage {present}/{total})"
    );
}

/// The bundled pack's own media files (its pictograms and its synthetic English audio), as
/// paths inside the pack folder.
fn pictograms() -> Vec<String> {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
    ["pictograms", "audio/en/synthetic"]
        .into_iter()
        .flat_map(|folder| {
            std::fs::read_dir(root.join(folder))
                .unwrap()
                .map(move |e| format!("{folder}/{}", e.unwrap().file_name().to_string_lossy()))
        })
        .collect()
}
