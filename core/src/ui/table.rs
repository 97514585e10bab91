//! The compiled form of a catalogue: its `(id, text)` entries as one string, each entry an id,
//! U+001F (unit separator), the text and U+001E (record separator), with no escapes.
//!
//! Hosts that keep their code small (the browser's WebAssembly module) read this form instead
//! of the `[interface]` TOML lines ([`super::parse`]): a split at two characters, no escapes,
//! no comments. `cargo xtask wasm` writes it from `core/src/ui/*.toml` with [`write`] (the
//! package's `ui/<tag>.txt`); two tables put together are one table (the report's words are
//! appended to a language's catalogue that way). The TOML files stay the source.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::error::UiError;
use super::parse::is_id;

/// Ends an entry (U+001E, record separator).
pub const ENTRY_END: char = '\u{1e}';
/// Ends an entry's id (U+001F, unit separator).
pub const ID_END: char = '\u{1f}';

/// Reads a compiled catalogue into its `(id, text)` entries, in order. Empty entries are
/// skipped (the end of the text, or two tables put together). An entry without [`ID_END`],
/// with two of them, or whose id has characters other than ASCII letters, digits, `-` and `_`
/// is an error (a TOML catalogue handed in by mistake is one entry without [`ID_END`]). A
/// repeated id is not checked: the first one counts ([`super::Catalogue::get`]).
pub fn read(text: &str) -> Result<Vec<(String, String)>, UiError> {
    let mut out = Vec::new();
    for (n, entry) in text.split(ENTRY_END).enumerate() {
        if entry.is_empty() {
            continue;
        }
        let err = |detail| UiError::Table {
            entry: n + 1,
            detail,
        };
        let (id, s) = entry
            .split_once(ID_END)
            .ok_or_else(|| err("no U+001F after the id (not a compiled catalogue)"))?;
        if !is_id(id) {
            return Err(err("not an id (letters, digits, - and _)"));
        }
        if s.contains(ID_END) {
            return Err(err("a second U+001F"));
        }
        out.push((id.to_string(), s.to_string()));
    }
    Ok(out)
}

/// Writes `(id, text)` entries as a compiled catalogue that [`read`] reads back the same. A
/// text holding [`ENTRY_END`] or [`ID_END`] (possible in TOML only through a `\u` escape) or
/// an entry with a bad id is refused, naming the entry (from 1).
pub fn write<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<String, UiError> {
    let mut out = String::new();
    for (n, (id, text)) in entries.into_iter().enumerate() {
        let err = |detail| UiError::Table {
            entry: n + 1,
            detail,
        };
        if !is_id(id) {
            return Err(err("not an id (letters, digits, - and _)"));
        }
        if text.contains([ENTRY_END, ID_END]) {
            return Err(err("the text holds U+001E or U+001F"));
        }
        out.push_str(id);
        out.push(ID_END);
        out.push_str(text);
        out.push(ENTRY_END);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes_and_tables_put_together() {
        let entries = [("next", "Next"), ("q", "say \"hi\"\n\t១"), ("x-y_2", "")];
        let t = write(entries).unwrap();
        assert_eq!(
            t,
            "next\u{1f}Next\u{1e}q\u{1f}say \"hi\"\n\t១\u{1e}x-y_2\u{1f}\u{1e}"
        );
        let back = read(&t).unwrap();
        let pairs: Vec<(&str, &str)> = back.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(pairs, entries);
        let two = read(&alloc::format!("{t}{}", write([("z", "Z")]).unwrap())).unwrap();
        assert_eq!(two.len(), 4);
        assert!(read("").unwrap().is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_table() {
        for (text, entry) in [
            ("[interface]\nnext = \"Next\"\n", 1),
            ("a\u{1f}b\u{1e}c d\u{1f}e\u{1e}", 2),
            ("a\u{1f}b\u{1f}c\u{1e}", 1),
            ("\u{1f}b\u{1e}", 1),
            ("a\u{1f}b\u{1e}\nc\u{1f}d", 2),
        ] {
            match read(text) {
                Err(UiError::Table { entry: e, .. }) => assert_eq!(e, entry, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert!(matches!(
            write([("a", "b\u{1e}")]),
            Err(UiError::Table { entry: 1, .. })
        ));
        assert!(matches!(
            write([("a", "b"), ("c.d", "e")]),
            Err(UiError::Table { entry: 2, .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn read_never_panics(s in "\\PC*|[a-z\u{1e}\u{1f}]*") {
            let _ = read(&s);
        }

        #[test]
        fn round_trips(entries in proptest::collection::vec(("[A-Za-z0-9_-]{1,8}", "[^\u{1e}\u{1f}]*"), 0..8)) {
            let t = write(entries.iter().map(|(a, b)| (a.as_str(), b.as_str()))).unwrap();
            proptest::prop_assert_eq!(read(&t).unwrap(), entries);
        }
    }
}
