//! Properties of the workbook mapping, on generated input.

use kru_core::authoring::SourceFile;
use kru_workbook::{
    from_book, read_book, to_book, write_ods, write_xlsx, Book, Cell, Sheet, WorkbookError,
};
use proptest::prelude::*;

/// A pack whose first item's prompt (en) and explanation (km) are the given texts.
fn pack_with(prompt: &str, explanation: &str) -> Vec<SourceFile> {
    let mut files = kru_workbook::template::new_pack("p", &["en", "km"], "2026-12-01").unwrap();
    for f in &mut files {
        if f.path == "i18n/en.toml" {
            f.text = f.text.replace(
                "prompt = \"Someone offers you a job abroad. What do you do first?\"",
                &format!("prompt = {}", toml::Value::String(prompt.into())),
            );
        }
        if f.path == "i18n/km.toml" {
            f.text.push_str(&format!(
                "[item.plan-first]\nexplanation = {}\n",
                toml::Value::String(explanation.into())
            ));
        }
    }
    files
}

fn text_of(files: &[SourceFile], path: &str, table: &str, key: &str) -> Option<toml::Value> {
    let f = files.iter().find(|f| f.path == path)?;
    let t: toml::Table = f.text.parse().ok()?;
    t.get("item")?.get(table)?.get(key).cloned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any text (printable, with quotes, brackets, spaces and line breaks) comes back from a
    /// workbook file unchanged, in either format.
    #[test]
    fn texts_survive_a_workbook_file(
        prompt in "[ -~\u{a0}-\u{17ff}\n\t]{1,60}",
        explanation in "[\\[\\]{}\"' a-z\u{1780}-\u{17ff}]{1,40}",
    ) {
        let files = pack_with(&prompt, &explanation);
        let book = match to_book(&files) {
            Ok(b) => b,
            // A text that would read back as a list is refused, never mangled.
            Err(WorkbookError::Unsupported { .. }) => return Ok(()),
            Err(e) => panic!("{e}"),
        };
        for bytes in [write_xlsx(&book).unwrap(), write_ods(&book).unwrap()] {
            let back = from_book(&read_book(&bytes).unwrap()).unwrap();
            prop_assert_eq!(
                text_of(&back.files, "i18n/en.toml", "plan-first", "prompt"),
                Some(toml::Value::String(prompt.clone()))
            );
            prop_assert_eq!(
                text_of(&back.files, "i18n/km.toml", "plan-first", "explanation"),
                Some(toml::Value::String(explanation.clone()))
            );
        }
    }

    /// Any grid under the sheet names kru knows converts or is refused with a cell, and what it
    /// converts to is valid TOML that maps back to a workbook.
    #[test]
    fn any_grid_converts_or_is_refused(
        sheets in proptest::collection::vec(
            (
                prop::sample::select(vec!["items", "choices", "settings", "phases", "journeys", "strings", "nodes", "stories", "languages"]),
                proptest::collection::vec(
                    proptest::collection::vec(
                        prop_oneof![
                            Just(Cell::Empty),
                            "[a-z:=._ ()\\[\\]{}\"-]{0,12}".prop_map(Cell::Text),
                            prop::sample::select(vec!["id", "type", "answer", "options", "label::English (en)", "key", "value", "list_name", "name", "journey", "story", "text::km", "tag", "pack.id", "item.x.prompt"]).prop_map(|s| Cell::Text(s.into())),
                            any::<f64>().prop_map(Cell::Number),
                            any::<bool>().prop_map(Cell::Bool),
                        ],
                        0..6,
                    ),
                    0..6,
                ),
            ),
            0..5,
        )
    ) {
        let mut book = Book::default();
        for (name, rows) in sheets {
            book.sheets.push(Sheet { name: name.to_string(), rows, look: Default::default() });
        }
        match from_book(&book) {
            Ok(converted) => {
                for f in &converted.files {
                    prop_assert!(f.text.parse::<toml::Table>().is_ok(), "{}:\n{}", f.path, f.text);
                }
                match to_book(&converted.files) {
                    Ok(_) | Err(WorkbookError::Unsupported { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            Err(WorkbookError::BadCell { .. } | WorkbookError::Layout(_)) => {}
            Err(e) => panic!("unexpected error {e:?}"),
        }
    }
}
