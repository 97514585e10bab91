//! Folder → workbook → folder gives a byte-identical built pack, for every bundled pack and
//! for the `kru new` template, through both .xlsx and .ods.

use std::path::Path;

use kru_core::authoring::{compile, read_source_dir, SourceFile};
use kru_workbook::{from_book, read_book, to_book, write_ods, write_xlsx};

fn build(files: &[SourceFile]) -> Vec<u8> {
    let c = compile(files, None);
    let errors: Vec<String> = c.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    kru_core::pack::format::encode(c.pack.as_ref().unwrap()).unwrap()
}

fn bundled_packs() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content-packs");
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    dirs
}

fn round_trip(files: &[SourceFile], what: &str) {
    let original = build(files);
    let book = to_book(files).unwrap();
    for (format, bytes) in [
        ("xlsx", write_xlsx(&book).unwrap()),
        ("ods", write_ods(&book).unwrap()),
    ] {
        let read = read_book(&bytes).unwrap_or_else(|e| panic!("{what} {format}: {e}"));
        let back = from_book(&read).unwrap_or_else(|e| panic!("{what} {format}: {e}"));
        let rebuilt = build(&back.files);
        assert!(
            original == rebuilt,
            "{what} through {format} builds a different pack"
        );
        // The workbook of the converted folder has the same sheets, and converting it again
        // gives the same files: the conversion has reached its fixed point.
        let again = to_book(&back.files).unwrap();
        let names = |b: &kru_workbook::Book| {
            b.sheets
                .iter()
                .map(|s| (s.name.clone(), s.rows.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&again), names(&book), "{what} {format}: second round");
        assert_eq!(
            from_book(&again).unwrap().files,
            back.files,
            "{what} {format}: fixed point"
        );
        assert_eq!(
            first_difference(&book, &read),
            None,
            "{what} {format}: file changed cells"
        );
    }
}

#[test]
fn every_bundled_pack_round_trips_byte_identically() {
    for dir in bundled_packs() {
        let files = read_source_dir(&dir).unwrap();
        round_trip(&files, &dir.display().to_string());
    }
}

/// The first cell where two books differ, for a readable failure.
fn first_difference(a: &kru_workbook::Book, b: &kru_workbook::Book) -> Option<String> {
    let names =
        |x: &kru_workbook::Book| x.sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    if names(a) != names(b) {
        return Some(format!("sheets {:?} vs {:?}", names(a), names(b)));
    }
    for (sa, sb) in a.sheets.iter().zip(&b.sheets) {
        let rows = sa.rows.len().max(sb.rows.len());
        for r in 0..rows {
            let cols = sa
                .rows
                .get(r)
                .map_or(0, Vec::len)
                .max(sb.rows.get(r).map_or(0, Vec::len));
            for c in 0..cols {
                if sa.get(r, c) != sb.get(r, c) {
                    return Some(format!(
                        "{}: {:?} vs {:?}",
                        kru_workbook::CellRef::new(&sa.name, r, c),
                        sa.get(r, c),
                        sb.get(r, c)
                    ));
                }
            }
        }
    }
    None
}

#[test]
fn the_new_pack_template_is_valid_has_every_item_type_and_round_trips() {
    let files = kru_workbook::template::new_pack("demo", &["en", "km"], "2026-12-01").unwrap();
    let c = compile(&files, kru_core::pack::Date::parse("2026-12-06"));
    let errors: Vec<String> = c.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // Only the untranslated second language is worth a warning.
    let warnings: Vec<String> = c.warnings().map(ToString::to_string).collect();
    assert!(
        warnings.iter().all(|w| w.contains("km")),
        "{}",
        warnings.join("\n")
    );
    let items = &files.iter().find(|f| f.path == "items.toml").unwrap().text;
    for t in kru_core::pack::item::ItemKind::NAMES {
        assert!(items.contains(&format!("type = \"{t}\"")), "no {t} item");
    }
    round_trip(&files, "template");
}

/// The book of the bundled pack.
fn bundled_book() -> kru_workbook::Book {
    let files = read_source_dir(&bundled_packs()[0]).unwrap();
    to_book(&files).unwrap()
}

fn set(
    book: &mut kru_workbook::Book,
    sheet: &str,
    row: usize,
    column: &str,
    value: kru_workbook::Cell,
) -> usize {
    let s = book.sheets.iter_mut().find(|s| s.name == sheet).unwrap();
    let col = s.rows[0]
        .iter()
        .position(|c| *c == kru_workbook::Cell::Text(column.into()))
        .unwrap_or_else(|| panic!("no column {column} in {sheet}"));
    let r = &mut s.rows[row];
    if r.len() <= col {
        r.resize(col + 1, kru_workbook::Cell::Empty);
    }
    r[col] = value;
    col
}

#[test]
fn validation_errors_point_at_the_cell() {
    use kru_workbook::Cell;
    let mut book = bundled_book();
    let col = set(
        &mut book,
        "items",
        1,
        "answer",
        Cell::Text("check-frist".into()),
    );
    let label = set(&mut book, "items", 3, "label::English (en)", Cell::Empty);
    set(&mut book, "items", 3, "label::ខ្មែរ (km)", Cell::Empty);
    let back = from_book(&book).unwrap();
    let c = compile(&back.files, None);
    let located: Vec<String> = c.errors().map(|d| back.locate(d)).collect();
    let at = format!("items!{}2: ", kru_workbook::column_name(col));
    assert!(
        located
            .iter()
            .any(|l| l.contains(&at) && l.contains("check-frist")),
        "{located:#?}"
    );
    // A missing text points at the empty cell where it belongs.
    let at = format!("items!{}4: ", kru_workbook::column_name(label));
    assert!(
        located
            .iter()
            .any(|l| l.contains(&at) && l.contains("prompt")),
        "{located:#?} (expected the missing prompt at {at})"
    );
}

#[test]
fn layout_problems_name_their_cell() {
    use kru_workbook::{Cell, WorkbookError};
    let mut book = bundled_book();
    set(
        &mut book,
        "phases",
        2,
        "journey",
        Cell::Text("shcool".into()),
    );
    match from_book(&book) {
        Err(WorkbookError::BadCell { at, message }) => {
            assert_eq!(at.to_string(), "phases!A3");
            assert!(message.contains("shcool"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut book = bundled_book();
    set(
        &mut book,
        "items",
        5,
        "options",
        Cell::Text("[\"a\", ".into()),
    );
    let e = from_book(&book).unwrap_err();
    assert!(e.to_string().starts_with("items!D6: "), "{e}");
}

#[test]
fn audio_tables_dates_and_quoted_keys_round_trip() {
    let mut files = kru_workbook::template::new_pack("extra", &["en"], "2026-12-01").unwrap();
    for f in &mut files {
        if f.path == "i18n/en.toml" {
            f.text
                .push_str("\n[audio]\n\"item.plan-first.prompt\" = \"audio/en/plan-first.ogg\"\n");
        }
        if f.path == "pack.toml" {
            // An unquoted TOML date, as docs/pack-format.md allows.
            f.text = f
                .text
                .replace("verified = \"2026-12-01\"", "verified = 2026-12-01");
        }
    }
    let book = to_book(&files).unwrap();
    let strings = book.sheets.iter().find(|s| s.name == "strings").unwrap();
    assert!(strings
        .rows
        .iter()
        .any(|r| r[0] == kru_workbook::Cell::Text("audio.\"item.plan-first.prompt\"".into())));
    round_trip(&files, "audio");
}

#[test]
fn an_xlsform_name_column_is_the_item_id() {
    let mut book = bundled_book();
    let items = book.sheets.iter_mut().find(|s| s.name == "items").unwrap();
    assert_eq!(items.rows[0][0], kru_workbook::Cell::Text("id".into()));
    items.rows[0][0] = kru_workbook::Cell::Text("name".into());
    let files = read_source_dir(&bundled_packs()[0]).unwrap();
    assert!(build(&from_book(&book).unwrap().files) == build(&files));
}
