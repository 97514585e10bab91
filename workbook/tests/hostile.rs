//! Hostile workbooks are refused with a clear error, within the limits of
//! `kru_workbook::limits` (docs/robustness.md): zip bombs, huge sheets, declared repetition,
//! formulas, wrong types, files that are not workbooks.

use std::io::{Cursor, Write};

use kru_workbook::limits::{MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES};
use kru_workbook::{read_book, Cell, WorkbookError};
use zip::write::SimpleFileOptions;

/// A zip of (name, contents) with deflate.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An .ods whose content.xml is `table` inside the usual wrapper.
fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#),
    ])
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_parsed() {
    // 65 MiB of zeros compress to some 65 KiB.
    let zeros = vec![0u8; MAX_UNPACKED_BYTES as usize + 1024 * 1024];
    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/sharedStrings.xml", &zeros),
    ]);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    match read_book(&bomb) {
        Err(WorkbookError::TooLarge(m)) => assert!(m.contains("unpacks"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn too_big_a_file_is_refused_unread() {
    let big = vec![b'P'; kru_workbook::limits::MAX_WORKBOOK_BYTES + 1];
    assert!(matches!(read_book(&big), Err(WorkbookError::TooLarge(_))));
}

#[test]
fn files_that_are_not_workbooks_are_unreadable() {
    for bytes in [&b""[..], b"hello", b"PK\x03\x04 broken"] {
        assert!(
            matches!(read_book(bytes), Err(WorkbookError::Unreadable(_))),
            "{bytes:?}"
        );
    }
    let other_zip = zip_of(&[("readme.txt", b"hi")]);
    match read_book(&other_zip) {
        Err(WorkbookError::Unreadable(m)) => assert!(m.contains("neither"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn cells_past_the_row_or_column_limit_are_refused() {
    for (row, col) in [(MAX_ROWS as u32, 0u16), (0, MAX_COLUMNS as u16)] {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "id").unwrap();
        ws.write_string(row, col, "far away").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        match read_book(&bytes) {
            Err(WorkbookError::TooLarge(m)) => assert!(m.contains("limit"), "{m}"),
            other => panic!("({row}, {col}): {other:?}"),
        }
    }
}

#[test]
fn formulas_are_refused_at_their_cell() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("items").unwrap();
    ws.write_string(0, 0, "id").unwrap();
    ws.write_formula(3, 2, "=1+1").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    match read_book(&bytes) {
        Err(e @ WorkbookError::Formula { .. }) => {
            assert!(
                e.to_string()
                    .starts_with("items!C4: the cell holds a formula (=1+1)"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    let with_formula = ods(
        r#"<table:table table:name="items"><table:table-row><table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    match read_book(&with_formula) {
        Err(e @ WorkbookError::Formula { .. }) => {
            assert!(e.to_string().starts_with("items!A1: "), "{e}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn declared_repetition_in_an_ods_is_bounded() {
    let wide = ods(
        r#"<table:table table:name="a"><table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="2000000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    assert!(matches!(read_book(&wide), Err(WorkbookError::TooLarge(_))));
    let tall = ods(
        r#"<table:table table:name="a"><table:table-row table:number-rows-repeated="2000000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    assert!(matches!(read_book(&tall), Err(WorkbookError::TooLarge(_))));
    // LibreOffice's trailing filler is fine.
    let filler = ods(
        r#"<table:table table:name="a"><table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#,
    );
    let book = read_book(&filler).unwrap();
    assert_eq!(book.sheets[0].rows, vec![vec![Cell::Text("id".into())]]);
}

#[test]
fn dates_are_text_and_times_are_refused() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 10, 1).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(0, 0, &date, &fmt).unwrap();
    let book = read_book(&wb.save_to_buffer().unwrap()).unwrap();
    assert_eq!(book.sheets[0].rows[0][0], Cell::Text("2026-10-01".into()));

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let time = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 10, 1)
        .unwrap()
        .and_hms(9, 30, 0)
        .unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm");
    ws.write_datetime_with_format(1, 1, &time, &fmt).unwrap();
    match read_book(&wb.save_to_buffer().unwrap()) {
        Err(e @ WorkbookError::BadCell { .. }) => {
            assert!(e.to_string().starts_with("Sheet1!B2: "), "{e}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_types_in_a_workbook_are_reported_at_their_cell() {
    // A true-false answer typed as text, and a list column that is not a list.
    let files = kru_workbook::template::new_pack("t", &["en"], "2026-12-01").unwrap();
    let mut book = kru_workbook::to_book(&files).unwrap();
    let items = book.sheets.iter_mut().find(|s| s.name == "items").unwrap();
    let answer = items.rows[0]
        .iter()
        .position(|c| *c == Cell::Text("answer".into()))
        .unwrap();
    let row = items
        .rows
        .iter()
        .position(|r| r[0] == Cell::Text("help-free".into()))
        .unwrap();
    items.rows[row][answer] = Cell::Text("yes".into());
    let back = kru_workbook::from_book(&book).unwrap();
    let c = kru_core::authoring::compile(&back.files, None);
    let located: Vec<String> = c.errors().map(|d| back.locate(d)).collect();
    let at = format!("items!{}{}: ", kru_workbook::column_name(answer), row + 1);
    assert!(located.iter().any(|l| l.contains(&at)), "{located:#?}");
}

#[test]
fn a_malformed_part_that_trips_the_reader_is_unreadable_not_a_crash() {
    use std::io::Read;
    // Found by the mutation tests: an inverted <dimension> makes calamine subtract past zero.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "id").unwrap();
    let good = wb.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(good)).unwrap();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = String::new();
        f.read_to_string(&mut data).unwrap();
        files.push((f.name().unwrap().to_string(), data));
    }
    let sheet = files
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap();
    assert!(sheet.1.contains("<dimension ref=\"A1\"/>"), "{}", sheet.1);
    sheet.1 = sheet
        .1
        .replace("<dimension ref=\"A1\"/>", "<dimension ref=\"B2:A1\"/>");
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_bytes()))
        .collect();
    match read_book(&zip_of(&entries)) {
        Err(WorkbookError::Unreadable(m)) => assert!(m.contains("reader failed"), "{m}"),
        // Without overflow checks calamine's subtraction wraps and the sheet still reads.
        Ok(_) if !cfg!(debug_assertions) => {}
        other => panic!("{other:?}"),
    }
}
