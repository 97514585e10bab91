//! The harness of the `workbook_convert` fuzz target (`fuzz/`), also replayed over the
//! committed corpus by `workbook/tests/fuzz_corpus.rs` on every `cargo test`. Its
//! assertions are the point: they panic when an invariant breaks.
#![allow(clippy::expect_used, clippy::panic)]

use kru_core::authoring::compile;

use crate::{from_book, gift, read_book, to_book, WorkbookError};

/// Feeds bytes to every converter: as a workbook (a zip) when they start with `PK`, else as a
/// GIFT question bank. Panics only when an invariant breaks:
/// - nothing panics, whatever the bytes;
/// - the sources made from any workbook or GIFT file are valid TOML, and map back to a
///   workbook (or to a clear refusal of a value a cell cannot hold);
/// - the compiler's diagnostics on them can be placed.
pub fn convert(data: &[u8]) {
    if data.starts_with(b"PK") {
        let Ok(book) = read_book(data) else { return };
        let Ok(converted) = from_book(&book) else {
            return;
        };
        check_sources(&converted.files);
        for d in &compile(&converted.files, None).diagnostics {
            let _ = converted.locate(d);
        }
    } else if let Ok(out) = gift::import(data, "fuzz", "en") {
        assert!(out.imported > 0, "an import without items is an error");
        check_sources(&out.files);
        let _ = compile(&out.files, None);
    }
}

fn check_sources(files: &[kru_core::authoring::SourceFile]) {
    match to_book(files) {
        Ok(book) => {
            // A folder made from a workbook converts back to the same folder.
            let again = from_book(&book).expect("a book made from sources reads back");
            assert_eq!(
                to_book(&again.files).expect("converts again").sheets.len(),
                book.sheets.len()
            );
        }
        Err(WorkbookError::Unsupported { .. }) => {}
        Err(e) => panic!("generated sources do not convert back: {e}"),
    }
}
