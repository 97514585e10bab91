//! `kru new` and `kru convert`, run as an author would: the built packs are compared byte for
//! byte with `kru build`, and workbook errors are shown at their cell.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn kru(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kru"))
        .args(args)
        .output()
        .expect("run kru")
}

fn ok(args: &[&str]) -> String {
    let out = kru(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "kru {args:?} failed:\n{err}");
    err
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kru-authoring-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_bundled_pack_builds_byte_identically_after_a_workbook_round_trip() {
    let dir = tmp("roundtrip");
    let src = common::bundled_pack();
    for ext in ["xlsx", "ods"] {
        let book = dir.join(format!("sm.{ext}"));
        let back = dir.join(format!("back-{ext}"));
        ok(&["convert", s(&src), "-o", s(&book)]);
        let err = ok(&["convert", s(&book), "-o", s(&back)]);
        assert!(err.contains("0 error(s)"), "{err}");
        // A workbook holds the pack's text, not its media: the pictograms stay files beside it
        // (docs/authoring.md), so the folder made from it gets them as an author would copy them.
        common::copy_dir(&src.join("pictograms"), &back.join("pictograms"));
        common::copy_dir(&src.join("audio"), &back.join("audio"));
        let (a, b) = (dir.join("a.krupack"), dir.join(format!("b-{ext}.krupack")));
        ok(&["build", s(&src), "-o", s(&a)]);
        ok(&["build", s(&back), "-o", s(&b)]);
        assert!(
            std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
            "{ext}: the packs differ"
        );
    }
}

#[test]
fn kru_new_makes_a_valid_pack_and_its_workbook() {
    let dir = tmp("new").join("field-pack");
    let err = ok(&["new", s(&dir), "--languages", "en,km"]);
    assert!(err.contains("pack 'field-pack'"), "{err}");
    ok(&["validate", s(&dir)]);
    let book = dir.join("field-pack.xlsx");
    assert!(book.is_file());
    // The workbook converts back over the folder (with --force) and still validates.
    let refused = kru(&["convert", s(&book), "-o", s(&dir)]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    ok(&["convert", s(&book), "-o", s(&dir), "--force"]);
    ok(&["validate", s(&dir)]);
    // An existing folder is never overwritten by `kru new`.
    assert!(!kru(&["new", s(&dir)]).status.success());
}

#[test]
fn a_gift_bank_imports_and_reports_what_it_skips() {
    let dir = tmp("gift");
    let bank = dir.join("bank.gift");
    std::fs::write(
        &bank,
        "::Q1:: The hotline is free. {T}\n\n::Q2:: Which is safest? {=Check first ~Go now ~Pay}\n\nWrite an essay. {}\n",
    )
    .unwrap();
    let out = dir.join("quiz");
    let err = ok(&["convert", s(&bank), "-o", s(&out)]);
    assert!(
        err.contains("bank.gift:5: skipped: an essay question"),
        "{err}"
    );
    assert!(err.contains("2 question(s) imported, 1 skipped"), "{err}");
    ok(&["validate", s(&out)]);
}

#[test]
fn validate_takes_a_workbook_and_points_at_the_cell() {
    let dir = tmp("validate-book");
    let src = common::bundled_pack();
    for ext in ["xlsx", "ods"] {
        let book = dir.join(format!("sm.{ext}"));
        ok(&["convert", s(&src), "-o", s(&book)]);
        let err = ok(&["validate", s(&book)]);
        assert!(err.contains("0 error(s)"), "{err}");
    }
    // A misspelt answer is reported at its cell, and the run fails.
    let book = dir.join("sm.xlsx");
    let mut b = kru_workbook::read_book(&std::fs::read(&book).unwrap()).unwrap();
    let items = b.sheets.iter_mut().find(|s| s.name == "items").unwrap();
    let col = items.rows[0]
        .iter()
        .position(|c| c.as_text() == "answer")
        .unwrap();
    items.rows[1][col] = kru_workbook::Cell::Text("check-frist".into());
    std::fs::write(&book, kru_workbook::write_xlsx(&b).unwrap()).unwrap();
    let out = kru(&["validate", s(&book)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let at = format!("items!{}2: ", kru_workbook::column_name(col));
    assert!(
        err.lines()
            .any(|l| l.contains(&at) && l.contains("check-frist")),
        "{err}"
    );
    // A file that is not a workbook is refused by the workbook reader.
    std::fs::write(&book, b"PK\x03\x04 not a zip").unwrap();
    let out = kru(&["validate", s(&book)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable workbook"));
}
