//! `kru strings export` / `import` end to end on a copy of the real pack: PO and xlsx round
//! trips, stale strings found and cleared, and the files refused whole (wrong language,
//! broken placeholders, formulas, not a workbook).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};

mod common;

fn kru(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kru"))
        .args(args)
        .output()
        .expect("run kru")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh copy of the bundled pack's sources in a folder of its own.
fn pack_copy(name: &str) -> PathBuf {
    let dst = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("strings-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dst);
    common::copy_dir(&common::bundled_pack(), &dst);
    dst
}

/// Exports the Khmer strings of the pack in `dir` to the PO file `po`.
fn export_km_po(dir: &Path, po: &Path) {
    let out = kru(&["strings", "export", s(dir), "--lang", "km", "-o", s(po)]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn replace_in(path: &Path, old: &str, new: &str) {
    let t = std::fs::read_to_string(path).unwrap();
    assert!(t.contains(old), "{} has no {old:?}", path.display());
    std::fs::write(path, t.replacen(old, new, 1)).unwrap();
}

/// The value of `key` (a `[item.x]`-style table key) in a TOML file.
fn toml_value(path: &Path, key: &str) -> Option<String> {
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut v = &toml::Value::Table(t);
    for part in key.split('.') {
        v = v.get(part)?;
    }
    v.as_str().map(str::to_string)
}

#[test]
fn po_round_trip_changes_nothing_but_records_the_sources() {
    let dir = pack_copy("po-round-trip");
    let po = dir.join("km.po");
    let out = kru(&["strings", "export", s(&dir), "--lang", "km", "-o", s(&po)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("0 untranslated, 0 stale"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&po).unwrap();
    assert!(text.contains("\"Language: km\\n\""));
    assert!(text.contains("msgctxt \"item.broker-promise.prompt\""));
    assert!(text.contains("#. question 'broker-promise': the question"));
    let before = std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap();
    let out = kru(&["strings", "import", s(&dir), s(&po)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("0 new\n0 changed\n"),
        "{}",
        stderr(&out)
    );
    let after = std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap();
    // The translations and comments are untouched; the fingerprints are added at the end.
    assert!(after.starts_with(&before), "the existing text was changed");
    assert!(after[before.len()..].contains("[translated_from]"));
    assert!(kru(&["validate", s(&dir)]).status.success());
}

#[test]
fn a_changed_source_makes_the_translation_stale_until_reviewed() {
    let dir = pack_copy("review");
    let po = dir.join("km.po");
    export_km_po(&dir, &po);
    assert!(kru(&["strings", "import", s(&dir), s(&po)])
        .status
        .success());
    // The author rewrites an English prompt.
    let en = dir.join("i18n/en.toml");
    let old = toml_value(&en, "item.broker-promise.prompt").unwrap();
    replace_in(
        &en,
        &old,
        "A broker offers you a job abroad today. What should you do first?",
    );
    let out = kru(&["validate", s(&dir)]);
    assert!(
        stderr(&out).contains("warning[stale-translations]: i18n/km.toml: 1 string(s) of km")
            && stderr(&out).contains("item.broker-promise.prompt"),
        "{}",
        stderr(&out)
    );
    // The export marks it fuzzy with the new source.
    let po2 = dir.join("km2.po");
    let out = kru(&["strings", "export", s(&dir), "--lang", "km", "-o", s(&po2)]);
    assert!(stderr(&out).contains("1 stale"), "{}", stderr(&out));
    let text = std::fs::read_to_string(&po2).unwrap();
    let entry = text
        .split("\n\n")
        .find(|e| e.contains("msgctxt \"item.broker-promise.prompt\""))
        .unwrap();
    assert!(entry.contains("#, fuzzy"), "{entry}");
    assert!(
        entry.contains("today. What should you do first?"),
        "{entry}"
    );
    // Imported as it is, the fuzzy entry is left out and still stale.
    let out = kru(&["strings", "import", s(&dir), s(&po2)]);
    assert!(
        stderr(&out).contains("1 left out, still marked fuzzy"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&kru(&["validate", s(&dir)])).contains("stale-translations"));
    // The reviewer updates the translation and removes the flag: no longer stale.
    let reviewed = text.replace(
        &entry.to_string(),
        &entry
            .replace("#, fuzzy\n", "")
            .replace("msgstr \"", "msgstr \"ថ្ងៃនេះ "),
    );
    std::fs::write(&po2, reviewed).unwrap();
    let out = kru(&["strings", "import", s(&dir), s(&po2)]);
    assert!(
        stderr(&out).contains("1 changed: item.broker-promise.prompt"),
        "{}",
        stderr(&out)
    );
    let out = kru(&["validate", s(&dir)]);
    assert!(
        out.status.success() && !stderr(&out).contains("stale-translations"),
        "{}",
        stderr(&out)
    );
    assert!(
        toml_value(&dir.join("i18n/km.toml"), "item.broker-promise.prompt")
            .unwrap()
            .starts_with("ថ្ងៃនេះ ")
    );
}

#[test]
fn xlsx_round_trip_with_a_translators_edit() {
    let dir = pack_copy("xlsx");
    let book = dir.join("km.xlsx");
    let out = kru(&["strings", "export", s(&dir), "--lang", "km", "-o", s(&book)]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Read it as a translator's spreadsheet program would.
    let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let range = wb.worksheet_range("strings").unwrap();
    let header: Vec<String> = (0..6)
        .map(|c| range.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "key",
            "where it is shown",
            "source (en)",
            "translation (km)",
            "status",
            "place"
        ]
    );
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let row = rows
        .iter()
        .position(|r| r[0] == Data::String("item.broker-promise.prompt".into()))
        .unwrap();
    // The translator changes one translation: write the workbook again with the edit.
    let mut out_wb = rust_xlsxwriter::Workbook::new();
    let ws = out_wb.add_worksheet();
    ws.set_name("strings").unwrap();
    for (r, cells) in rows.iter().enumerate() {
        for (c, d) in cells.iter().enumerate() {
            let mut v = d.to_string();
            if r == row && c == 3 {
                v = "មេខ្យល់ម្នាក់ប្រាប់អ្នក…".into();
            }
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    out_wb.save(&book).unwrap();
    let out = kru(&["strings", "import", s(&dir), s(&book)]);
    assert!(
        stderr(&out).contains("1 changed: item.broker-promise.prompt"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        toml_value(&dir.join("i18n/km.toml"), "item.broker-promise.prompt").unwrap(),
        "មេខ្យល់ម្នាក់ប្រាប់អ្នក…"
    );
    assert!(kru(&["validate", s(&dir)]).status.success());

    // A formula in the sheet is refused with its cell, and nothing is written.
    let before = std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap();
    let mut f_wb = rust_xlsxwriter::Workbook::new();
    let ws = f_wb.add_worksheet();
    ws.set_name("strings").unwrap();
    ws.write_string(0, 0, "key").unwrap();
    ws.write_string(0, 3, "translation (km)").unwrap();
    ws.write_string(1, 0, "pack.title").unwrap();
    ws.write_formula(1, 3, "=HYPERLINK(\"http://example.invalid\")")
        .unwrap();
    f_wb.save(&book).unwrap();
    let out = kru(&["strings", "import", s(&dir), s(&book)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("strings!D2 is a formula"),
        "{}",
        stderr(&out)
    );
    // Not a workbook at all.
    std::fs::write(&book, b"PK\x03\x04 not really a zip").unwrap();
    let out = kru(&["strings", "import", s(&dir), s(&book)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not an xlsx workbook"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap(),
        before
    );
}

#[test]
fn a_file_in_the_wrong_language_is_refused_whole() {
    let dir = pack_copy("wrong-language");
    let po = dir.join("km.po");
    export_km_po(&dir, &po);
    // The English text pasted as the "Khmer" translation.
    let text = std::fs::read_to_string(&po).unwrap();
    let mut out = String::new();
    let mut last_id = String::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("msgid ") {
            last_id = id.to_string();
            out.push_str(line);
        } else if line.starts_with("msgstr ") && last_id != "\"\"" {
            out.push_str(&format!("msgstr {last_id}"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    std::fs::write(&po, out).unwrap();
    let before = std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap();
    let o = kru(&["strings", "import", s(&dir), s(&po)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the translations do not look like km"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap(),
        before
    );
    // The default language and a language the pack lacks are refused too.
    let o = kru(&["strings", "export", s(&dir), "--lang", "en", "-o", s(&po)]);
    assert!(
        stderr(&o).contains("'en' is the pack's default language"),
        "{}",
        stderr(&o)
    );
    let o = kru(&["strings", "export", s(&dir), "--lang", "th", "-o", s(&po)]);
    assert!(
        stderr(&o).contains("the pack has no language 'th' (it has: km, en)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn broken_placeholders_are_refused_whole() {
    let dir = pack_copy("placeholders");
    replace_in(
        &dir.join("i18n/en.toml"),
        "Keep this card and share it with your family. In trouble? Call 1288 from a phone in Cambodia.",
        "Keep this card and share it with your family. In trouble? Call {hotline} from a phone in Cambodia.",
    );
    let po = dir.join("km.po");
    export_km_po(&dir, &po);
    let text = std::fs::read_to_string(&po).unwrap();
    let entry = text
        .split("\n\n")
        .find(|e| e.contains("msgctxt \"card.footer\""))
        .unwrap()
        .to_string();
    // A translation that misspells the placeholder, and a new one that is right.
    let bad = entry
        .replace("#, fuzzy\n", "")
        .replace("msgstr \"", "msgstr \"{hotlin} ");
    let before = std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap();
    std::fs::write(&po, text.replace(&entry, &bad)).unwrap();
    let o = kru(&["strings", "import", s(&dir), s(&po)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("card.footer (line ")
            && stderr(&o).contains("the source has {hotline}, the translation {hotlin}"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("i18n/km.toml")).unwrap(),
        before
    );
    let good = entry
        .replace("#, fuzzy\n", "")
        .replace("msgstr \"", "msgstr \"{hotline} ");
    std::fs::write(&po, text.replace(&entry, &good)).unwrap();
    let o = kru(&["strings", "import", s(&dir), s(&po)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 changed: card.footer"),
        "{}",
        stderr(&o)
    );
}
