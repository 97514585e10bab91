//! GNU gettext PO files for translators: one entry per string, `msgctxt` the string's key,
//! `msgid` the source-language text, `msgstr` the translation, `#.` where the string is shown
//! and `#:` the source place; stale translations carry the `fuzzy` flag.
//!
//! The reader takes the subset of PO that a translation tool (Poedit, Weblate, Lokalize,
//! OmegaT) writes back for such a file: comments, `msgctxt`, `msgid`, `msgstr`, continued
//! strings and the escapes `\n \t \r \" \\`. Plural forms are refused (kru strings have
//! none), obsolete entries (`#~`) are skipped. It never panics and refuses input beyond
//! [`MAX_PO_BYTES`] or [`MAX_PO_ENTRIES`]; the fuzz target `strings_po` runs it on arbitrary
//! bytes.

use std::fmt::Write as _;

use super::{EntryState, StringCatalogue, StringsError};

/// The largest PO file read (bytes).
pub const MAX_PO_BYTES: usize = 16 << 20;
/// The most entries a PO file may hold.
pub const MAX_PO_ENTRIES: usize = 65_536;

/// One entry read from a PO file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoEntry {
    /// `msgctxt`: the string's key.
    pub context: String,
    /// `msgid`: the source text the translator saw.
    pub source: String,
    /// `msgstr`: the translation ("" when untranslated).
    pub translation: String,
    /// Whether the entry has the `fuzzy` flag (a translation not confirmed yet).
    pub fuzzy: bool,
    /// The 1-based line of the entry's `msgid`.
    pub line: usize,
}

/// A PO file read: the `Language` of its header, and its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoFile {
    /// The header's `Language:` value, if any.
    pub language: Option<String>,
    /// The entries, header left out.
    pub entries: Vec<PoEntry>,
}

/// Writes a catalogue as a PO file.
pub fn write(c: &StringCatalogue) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Strings of the kru pack '{}' for translation into {} (from {}).",
        c.pack_id, c.language, c.source_language
    );
    out.push_str("# Translate each msgstr; keep every {placeholder} as it is. Entries marked\n");
    out.push_str("# fuzzy were translated from an older source text: check them, then remove\n");
    out.push_str("# the fuzzy flag. Import with: kru strings import PACK-FOLDER THIS-FILE\n");
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for h in [
        format!("Project-Id-Version: {}", c.pack_id),
        format!("Language: {}", c.language),
        "MIME-Version: 1.0".to_string(),
        "Content-Type: text/plain; charset=UTF-8".to_string(),
        "Content-Transfer-Encoding: 8bit".to_string(),
        format!("X-Kru-Source-Language: {}", c.source_language),
    ] {
        let _ = writeln!(out, "\"{}\\n\"", escape(&h));
    }
    for e in &c.entries {
        out.push('\n');
        let _ = writeln!(out, "#. {}", e.context.replace('\n', " "));
        if e.state == EntryState::Stale {
            out.push_str("#. STALE: the source text changed since this was translated\n");
        }
        if !e.reference.is_empty() {
            let _ = writeln!(out, "#: {}", e.reference.replace(' ', "_"));
        }
        if e.state == EntryState::Stale {
            out.push_str("#, fuzzy\n");
        }
        write_field(&mut out, "msgctxt", &e.key);
        write_field(&mut out, "msgid", &e.source);
        write_field(&mut out, "msgstr", &e.translation);
    }
    out
}

fn write_field(out: &mut String, keyword: &str, value: &str) {
    if value.contains('\n') {
        let _ = writeln!(out, "{keyword} \"\"");
        for part in value.split_inclusive('\n') {
            let _ = writeln!(out, "\"{}\"", escape(part));
        }
    } else {
        let _ = writeln!(out, "{keyword} \"{}\"", escape(value));
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Which field a continued string belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Context,
    Id,
    Str,
}

#[derive(Default)]
struct Pending {
    context: Option<String>,
    id: Option<String>,
    translation: Option<String>,
    fuzzy: bool,
    line: usize,
}

fn err(line: usize, message: impl Into<String>) -> StringsError {
    StringsError::BadFile {
        place: format!("line {line}"),
        message: message.into(),
    }
}

/// Reads a PO file.
pub fn read(bytes: &[u8]) -> Result<PoFile, StringsError> {
    if bytes.len() > MAX_PO_BYTES {
        return Err(StringsError::TooLarge {
            what: "PO file".into(),
            limit: format!("{MAX_PO_BYTES} bytes"),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
            + 1;
        err(line, "the file is not UTF-8 text (save it as UTF-8)")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut file = PoFile::default();
    let mut p = Pending::default();
    let mut field = Field::None;
    let mut header_seen = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('#') {
            if p.translation.is_some() {
                finish(&mut file, &mut p, &mut header_seen)?;
                field = Field::None;
            }
            if rest.starts_with('~') {
                field = Field::None; // an obsolete entry: skipped
            } else if let Some(flags) = rest.strip_prefix(',') {
                p.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
            }
            continue;
        }
        if line.starts_with('"') {
            let s = unquote(line).map_err(|m| err(n, m))?;
            let target = match field {
                Field::Context => p.context.as_mut(),
                Field::Id => p.id.as_mut(),
                Field::Str => p.translation.as_mut(),
                Field::None => None,
            };
            match target {
                Some(t) => t.push_str(&s),
                None => return Err(err(n, "a string that continues no msgid or msgstr")),
            }
            continue;
        }
        let (keyword, value) = line
            .split_once(|c: char| c.is_whitespace())
            .map(|(k, v)| (k, v.trim()))
            .unwrap_or((line, ""));
        let value = unquote(value).map_err(|m| err(n, format!("{keyword}: {m}")))?;
        match keyword {
            "msgctxt" => {
                if p.translation.is_some() {
                    finish(&mut file, &mut p, &mut header_seen)?;
                }
                if p.context.is_some() || p.id.is_some() {
                    return Err(err(n, "msgctxt out of place (each entry: msgctxt, msgid, msgstr)"));
                }
                p.context = Some(value);
                field = Field::Context;
            }
            "msgid" => {
                if p.translation.is_some() {
                    finish(&mut file, &mut p, &mut header_seen)?;
                }
                if p.id.is_some() {
                    return Err(err(n, "a second msgid in one entry (a msgstr is missing)"));
                }
                p.id = Some(value);
                p.line = n;
                field = Field::Id;
            }
            "msgstr" => {
                if p.id.is_none() || p.translation.is_some() {
                    return Err(err(n, "msgstr without its msgid"));
                }
                p.translation = Some(value);
                field = Field::Str;
            }
            k if k.starts_with("msgid_plural") || k.starts_with("msgstr[") => {
                return Err(err(
                    n,
                    "plural forms are not used by kru strings: this file was not exported by kru",
                ))
            }
            other => {
                return Err(err(
                    n,
                    format!("'{other}' is not a PO keyword (msgctxt, msgid, msgstr, or a \"continued string\")"),
                ))
            }
        }
    }
    if p.id.is_some() || p.context.is_some() {
        if p.translation.is_none() {
            return Err(err(p.line, "the last entry has no msgstr"));
        }
        finish(&mut file, &mut p, &mut header_seen)?;
    }
    Ok(file)
}

/// Ends the pending entry: the header (msgid "" without context) or an entry.
fn finish(file: &mut PoFile, p: &mut Pending, header_seen: &mut bool) -> Result<(), StringsError> {
    let done = std::mem::take(p);
    let (Some(id), Some(translation)) = (done.id, done.translation) else {
        return Err(err(done.line, "an entry without msgid or msgstr"));
    };
    if id.is_empty() && done.context.is_none() {
        if *header_seen {
            return Err(err(done.line, "a second header (msgid \"\")"));
        }
        *header_seen = true;
        file.language = translation.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim().eq_ignore_ascii_case("language")).then(|| v.trim().to_string())
        });
        return Ok(());
    }
    let Some(context) = done.context else {
        return Err(err(
            done.line,
            "an entry without msgctxt (the string's key): this file was not exported by kru strings",
        ));
    };
    if file.entries.len() >= MAX_PO_ENTRIES {
        return Err(StringsError::TooLarge {
            what: "PO file".into(),
            limit: format!("{MAX_PO_ENTRIES} entries"),
        });
    }
    file.entries.push(PoEntry {
        context,
        source: id,
        translation,
        fuzzy: done.fuzzy,
        line: done.line,
    });
    Ok(())
}

/// The value of a quoted PO string, unescaped.
fn unquote(s: &str) -> Result<String, String> {
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|_| s.len() >= 2)
        .ok_or_else(|| format!("expected a string in \"quotes\", found {}", short(s)))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                other => {
                    return Err(format!(
                        "unknown escape \\{} in {}",
                        other.map_or(String::new(), String::from),
                        short(s)
                    ))
                }
            },
            '"' => {
                return Err(format!(
                    "a \" inside a string must be written \\\": {}",
                    short(s)
                ))
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(40).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::strings::CatalogueEntry;

    #[test]
    fn writes_and_reads_back() {
        let c = StringCatalogue {
            pack_id: "p".into(),
            source_language: "en".into(),
            language: "km".into(),
            path: "i18n/km.toml".into(),
            entries: vec![
                CatalogueEntry {
                    key: "item.a.prompt".into(),
                    context: "question".into(),
                    reference: "items.toml:3".into(),
                    source: "Say \"hi\"\\\nnow\t!".into(),
                    translation: "សួស្តី".into(),
                    state: EntryState::Stale,
                    required: true,
                },
                CatalogueEntry {
                    key: "item.a.explanation".into(),
                    context: "explanation".into(),
                    reference: String::new(),
                    source: "Because.".into(),
                    translation: String::new(),
                    state: EntryState::Untranslated,
                    required: true,
                },
            ],
        };
        let text = write(&c);
        let back = read(text.as_bytes()).unwrap();
        assert_eq!(back.language.as_deref(), Some("km"));
        assert_eq!(back.entries.len(), 2);
        assert_eq!(back.entries[0].context, "item.a.prompt");
        assert_eq!(back.entries[0].source, "Say \"hi\"\\\nnow\t!");
        assert_eq!(back.entries[0].translation, "សួស្តី");
        assert!(back.entries[0].fuzzy);
        assert!(!back.entries[1].fuzzy);
        assert_eq!(back.entries[1].translation, "");
    }

    #[test]
    fn refuses_broken_files_with_the_line() {
        for (text, line) in [
            ("msgctxt \"k\"\nmsgid \"a\nmsgstr \"b\"\n", 2),
            ("msgctxt \"k\"\nmsgid \"a\"\nmsgstr \"b\\q\"\n", 3),
            ("msgctxt \"k\"\nmsgid \"a\"\nmsgid_plural \"b\"\n", 3),
            ("msgid \"a\"\nmsgstr \"b\"\n", 1),
            ("\"stray\"\n", 1),
            ("msgctxt \"k\"\nmsgid \"a\"\n", 2),
            ("msgstr \"x\"\n", 1),
            ("msgctxt \"k\"\nmsgid \"a\"\nmsgstr \"b\" \"c\"\n", 3),
        ] {
            match read(text.as_bytes()) {
                Err(StringsError::BadFile { place, .. }) => {
                    assert_eq!(place, format!("line {line}"), "{text:?}")
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert!(matches!(
            read(&[0xff, 0xfe]),
            Err(StringsError::BadFile { .. })
        ));
    }

    #[test]
    fn continued_strings_and_obsolete_entries() {
        let text = "msgid \"\"\nmsgstr \"\"\n\"Language: km\\n\"\n\n#~ msgctxt \"old\"\n#~ msgid \"x\"\n#~ msgstr \"y\"\n\n#, fuzzy, c-format\nmsgctxt \"k\"\nmsgid \"\"\n\"a\"\n\"b\"\nmsgstr \"c\"\n\"d\"\n";
        let f = read(text.as_bytes()).unwrap();
        assert_eq!(f.language.as_deref(), Some("km"));
        assert_eq!(
            f.entries,
            vec![PoEntry {
                context: "k".into(),
                source: "ab".into(),
                translation: "cd".into(),
                fuzzy: true,
                line: 11,
            }]
        );
    }

    proptest::proptest! {
        /// Any bytes: an answer, never a panic; any text that reads, reads the same twice.
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = read(&bytes);
        }

        /// Any strings round-trip through write and read.
        #[test]
        fn round_trips(source in "\\PC*", translation in "\\PC*", key in "[a-z.-]{1,20}") {
            let c = StringCatalogue {
                pack_id: "p".into(),
                source_language: "en".into(),
                language: "km".into(),
                path: String::new(),
                entries: vec![CatalogueEntry {
                    key: key.clone(),
                    context: "c".into(),
                    reference: String::new(),
                    source: source.clone(),
                    translation: translation.clone(),
                    state: EntryState::Translated,
                    required: true,
                }],
            };
            let back = read(write(&c).as_bytes()).unwrap();
            proptest::prop_assert_eq!(back.entries.len(), 1);
            proptest::prop_assert_eq!(&back.entries[0].context, &key);
            proptest::prop_assert_eq!(&back.entries[0].source, &source);
            proptest::prop_assert_eq!(&back.entries[0].translation, &translation);
        }
    }
}
