//! The second bundled pack (`content-packs/safe-migration-lo`, English and Lao) through the
//! engine: it compiles with its own interface strings, its report marks Lao texts with their
//! language and direction and names Lao fonts, and a tiny right-to-left fixture (its Lao
//! retagged as Arabic) is marked `dir="rtl"`, its page too.

mod common;

use std::sync::Arc;

use kru_core::authoring::compile;
use kru_core::pack::catalogue;
use kru_core::report::{self, ReportOptions};
use kru_core::ui::UiStrings;
use kru_core::Pack;

fn lao_pack() -> Arc<Pack> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../content-packs/safe-migration-lo");
    let compiled = compile(&common::sources(&dir), None);
    let codes: Vec<&str> = compiled.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["missing-interface-strings"],
        "{:?}",
        compiled.diagnostics
    );
    Arc::new(compiled.pack.expect("the Lao pack compiles"))
}

#[test]
fn the_lao_pack_carries_its_own_interface_strings() {
    let pack = lao_pack();
    assert!(pack.interface.len() >= 40);
    let lo = UiStrings::for_preferred(Some(&pack), &["lo"]);
    assert_eq!(lo.get("playTrue"), "ຖືກ");
    assert_eq!(lo.get("appName"), "kru");
    let km = UiStrings::for_preferred(Some(&pack), &["km"]);
    assert_eq!(
        km.get("playTrue"),
        "ពិត",
        "the built-in Khmer serves a pack without Khmer"
    );
}

#[test]
fn the_report_marks_lao_texts_and_names_lao_fonts() {
    let pack = lao_pack();
    let records = common::simulated(&pack, "short", 40, 3, 0.0);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let lo = pack.languages.iter().position(|l| l.tag == "lo").unwrap();
    let html = report::render_html(&r, &pack, lo);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"lo\" dir=\"ltr\">"));
    assert!(
        html.contains("<span lang=\"lo\" dir=\"ltr\">ການເຄື່ອນຍ້າຍແຮງງານ"),
        "the title in Lao"
    );
    assert!(html.contains(":lang(lo){font-family:\"Noto Sans Lao\",\"Phetsarath OT\""));
    assert!(html.contains(":lang(my){font-family:\"Noto Sans Myanmar\",\"Padauk\""));
    assert!(!html.contains("dir=\"rtl\""));
}

#[test]
fn a_right_to_left_language_is_marked_rtl() {
    // The tiny RTL fixture: the Lao pack with its Lao retagged as Arabic (`ar`).
    let mut pack = (*lao_pack()).clone();
    let lo = pack.languages.iter().position(|l| l.tag == "lo").unwrap();
    pack.languages[lo].tag = "ar".into();
    let pack = Arc::new(pack);
    let langs = catalogue::languages(&pack);
    let dirs: Vec<(&str, &str)> = langs.iter().map(|l| (l.tag, l.dir)).collect();
    assert_eq!(dirs, [("ar", "rtl"), ("en", "ltr")]);
    let records = common::simulated(&pack, "short", 10, 4, 0.0);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let html = report::render_html(&r, &pack, lo);
    assert!(
        html.contains("<span lang=\"ar\" dir=\"rtl\">"),
        "pack texts right to left"
    );
    assert!(
        html.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "the page, in the report's language, right to left"
    );
}
