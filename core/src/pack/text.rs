//! Learner-facing text in several languages: one table of strings per pack, and cheap handles into it.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use serde::ser::{SerializeStruct, SerializeTuple, Serializer};
use serde::Serialize;

/// The strings of many texts in one UTF-8 buffer.
///
/// String `k` is `buf[ends[k - 1]..ends[k]]` (with `ends[-1] = 0`). A loaded pack keeps every
/// learner-facing string in one table: loading validates UTF-8 once over one contiguous
/// buffer and allocates three times, instead of validating and allocating once per string
/// (most of a pack's bytes are Khmer text, so this is most of the loading time).
///
/// In binary form (postcard) a table is the buffer (UTF-8 bytes) followed by the byte length
/// of each string; decoding checks that the lengths add up to the buffer and that every
/// string starts and ends on a character boundary.
#[derive(Default, Clone, PartialEq, Eq)]
pub struct TextTable {
    buf: String,
    ends: Vec<u32>,
    /// The byte length of the longest string (0 for none): a check of string lengths
    /// ([`crate::pack::Pack::check`]) need not look at the strings of a table whose longest
    /// is within its limit.
    longest: u32,
}

impl TextTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a string and returns its index.
    ///
    /// A table holds at most `u32::MAX` bytes; beyond that the string is stored empty (pack
    /// limits are far smaller: see [`crate::limits::MAX_PACK_BYTES`]).
    pub fn push(&mut self, s: &str) -> u32 {
        if u32::try_from(self.buf.len() + s.len()).is_ok() {
            self.buf.push_str(s);
        }
        let end = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        let start = self.ends.last().copied().unwrap_or(0);
        self.longest = self.longest.max(end.saturating_sub(start));
        self.ends.push(end);
        u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX)
    }

    /// The string at `index`, or "" when there is none.
    pub fn get(&self, index: usize) -> &str {
        let start = match index.checked_sub(1) {
            None => 0,
            Some(p) => self.ends.get(p).map_or(usize::MAX, |&e| e as usize),
        };
        let end = self.ends.get(index).map_or(0, |&e| e as usize);
        self.buf.get(start..end).unwrap_or("")
    }

    /// How many strings the table holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the table holds no string.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The total length of the strings, in bytes.
    pub fn byte_len(&self) -> usize {
        self.buf.len()
    }

    /// The byte length of the longest string (0 for an empty table).
    pub fn longest(&self) -> usize {
        self.longest as usize
    }

    /// A table of the strings `buf[..ends[0]]`, `buf[ends[0]..ends[1]]`, … as the pack
    /// reader ([`crate::pack::decode`]) found them: it has checked that the ends rise, lie on
    /// character boundaries and that the last one is the buffer's length.
    pub(crate) fn from_parts(buf: String, ends: Vec<u32>) -> Self {
        let mut longest = 0;
        let mut start = 0;
        for &end in &ends {
            longest = longest.max(end.saturating_sub(start));
            start = end;
        }
        TextTable { buf, ends, longest }
    }
}

impl fmt::Debug for TextTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries((0..self.len()).map(|k| self.get(k)))
            .finish()
    }
}

impl Serialize for TextTable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut lens = Vec::with_capacity(self.ends.len());
        let mut prev = 0u32;
        for &e in &self.ends {
            lens.push(e.saturating_sub(prev));
            prev = e;
        }
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(self.buf.as_str())?;
        t.serialize_element(&lens)?;
        t.end()
    }
}

/// A learner-facing string in every language of a pack, with optional audio.
///
/// Value `i` is the string in the pack's language `i`; an empty string means "not translated"
/// and is never shown: [`Text::resolve`] falls back along the session's language chain. A text
/// either has no audio or one media path per language ("" for none).
///
/// A text is a handle into a shared [`TextTable`]: cloning it is cheap, and every text of a
/// loaded pack points into the pack's one table. Texts made with [`Text::new`] have a table of
/// their own.
///
/// Serialised in a human-readable format (JSON) a text is `{"values": [..], "audio": [..]}`.
/// In binary form (postcard) it is its handle — index of its first string, number of
/// languages, whether it has audio — which means something only next to its table: packs are
/// written and read through [`crate::pack::format`], which stores the table.
#[derive(Clone, Default)]
pub struct Text {
    /// The table holding the strings; `None` for a text not yet attached to its pack's table
    /// (while decoding) and for the empty default text.
    table: Option<Arc<TextTable>>,
    /// Index of the first value in the table; the audio paths, if any, follow the values.
    first: u32,
    /// Number of values (languages).
    langs: u16,
    /// Whether `langs` audio paths follow the values.
    audio: bool,
}

impl Text {
    /// A text with the string `values[i]` in language `i`, and `audio[i]` as its audio (pass
    /// an empty slice for none; missing entries are "" and entries beyond `values` are
    /// ignored). At most `u16::MAX` languages are kept.
    pub fn new<S: AsRef<str>>(values: &[S], audio: &[S]) -> Self {
        let values = values.get(..usize::from(u16::MAX)).unwrap_or(values);
        let has_audio = audio.iter().any(|a| !a.as_ref().is_empty());
        let mut table = TextTable::new();
        for v in values {
            table.push(v.as_ref());
        }
        if has_audio {
            for i in 0..values.len() {
                table.push(audio.get(i).map_or("", AsRef::as_ref));
            }
        }
        Self {
            table: Some(Arc::new(table)),
            first: 0,
            langs: u16::try_from(values.len()).unwrap_or(u16::MAX),
            audio: has_audio,
        }
    }

    /// A text whose only language (index 0) is `s`. For tests and tools.
    pub fn single(s: &str) -> Self {
        Self::new(&[s], &[])
    }

    /// A text that is empty ("not translated") in each of `languages` languages.
    pub fn empty(languages: usize) -> Self {
        Self::new(&alloc::vec![""; languages], &[])
    }

    /// The text whose strings start at index `first` of `table` (a handle read by the pack
    /// reader), and whether the table holds all of them; when it does not, the text has no
    /// table (it reads as empty) and the pack is refused.
    pub(crate) fn from_table(
        table: &Arc<TextTable>,
        first: u32,
        langs: u16,
        audio: bool,
    ) -> (Self, bool) {
        let count = u64::from(langs) * if audio { 2 } else { 1 };
        let fits = u64::from(first) + count <= table.len() as u64;
        let text = Text {
            table: fits.then(|| table.clone()),
            first,
            langs,
            audio,
        };
        (text, fits)
    }

    /// Re-points this text at `table` from index `first` (the encoder's interning).
    pub(crate) fn repoint(&mut self, table: &Arc<TextTable>, first: u32) {
        self.table = Some(table.clone());
        self.first = first;
    }

    fn string(&self, k: usize) -> &str {
        match &self.table {
            Some(t) => t.get(self.first as usize + k),
            None => "",
        }
    }

    /// The whole buffer of the table that holds this text's strings ("" for a text without
    /// one). Every text of a loaded pack is in the pack's one table, so a host can tell a
    /// pack's string (which lives, unchanged, as long as the pack) by its address: the WASM
    /// binding keeps the JS strings of those.
    pub fn table_buffer(&self) -> &str {
        self.table.as_ref().map_or("", |t| t.buf.as_str())
    }

    /// The byte length of the longest string in this text's table (0 without one): no string
    /// of the text (value or audio path) is longer.
    pub fn table_longest(&self) -> usize {
        self.table.as_ref().map_or(0, |t| t.longest())
    }

    /// Number of languages the text has a value (possibly empty) for.
    pub fn language_count(&self) -> usize {
        usize::from(self.langs)
    }

    /// The value in language `lang` ("" when not translated), or `None` past the last
    /// language.
    pub fn get(&self, lang: usize) -> Option<&str> {
        (lang < self.language_count()).then(|| self.string(lang))
    }

    /// The values, one per language ("" when not translated).
    pub fn values(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        (0..self.language_count()).map(|i| self.string(i))
    }

    /// Whether any language has audio.
    pub fn has_any_audio(&self) -> bool {
        self.audio
    }

    /// The audio paths, one per language ("" for none), or nothing when the text has no audio.
    pub fn audio_values(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        let n = if self.audio { self.language_count() } else { 0 };
        (0..n).map(|i| self.string(self.language_count() + i))
    }

    /// The audio path in language `lang`, if it has one.
    pub fn audio(&self, lang: usize) -> Option<&str> {
        if !self.audio || lang >= self.language_count() {
            return None;
        }
        Some(self.string(self.language_count() + lang)).filter(|s| !s.is_empty())
    }

    /// The string in the first language of `chain` that has one, else in any language
    /// (so that nothing is ever shown empty), else "".
    pub fn resolve(&self, chain: &[u8]) -> &str {
        self.pick(chain).map_or("", |(_, s)| s)
    }

    /// The audio path in the same language that [`Text::resolve`] picks, if any.
    pub fn resolve_audio(&self, chain: &[u8]) -> Option<&str> {
        self.audio(self.pick(chain)?.0)
    }

    /// The language [`Text::resolve`] picks, and its string: one pass over `chain`, then over
    /// every language.
    ///
    /// Plain loops: every label of every step is picked, and in the size-optimised WASM build
    /// the iterator chain this was (`chain`, `filter`, `map`, `find`) stayed a call per closure
    /// per language.
    fn pick(&self, chain: &[u8]) -> Option<(usize, &str)> {
        let table = self.table.as_ref()?;
        let n = self.language_count();
        let first = self.first as usize;
        for &l in chain {
            let l = usize::from(l);
            if l < n {
                let s = table.get(first + l);
                if !s.is_empty() {
                    return Some((l, s));
                }
            }
        }
        for l in 0..n {
            let s = table.get(first + l);
            if !s.is_empty() {
                return Some((l, s));
            }
        }
        None
    }

    /// Whether the text exists (non-empty) in language `lang`.
    pub fn has(&self, lang: usize) -> bool {
        self.get(lang).is_some_and(|s| !s.is_empty())
    }
}

/// Whether the audio file at `path` is a synthetic voice (text to speech), not a person's
/// recording: one of the folders of its path is named `synthetic`
/// (`audio/en/synthetic/x.ogg`). Players label such audio as a synthetic voice, and `kru info`
/// counts it apart; a synthetic reading still counts as a text to record
/// ([`crate::pack::Pack::unrecorded`]).
pub fn is_synthetic_audio(path: &str) -> bool {
    let mut parts = path.split('/');
    parts.next_back();
    parts.any(|p| p == "synthetic")
}

/// A learner-facing string with its audio, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label<'a> {
    /// The text.
    pub text: &'a str,
    /// Path of the audio reading it, if the pack has one.
    pub audio: Option<&'a str>,
    /// Whether that audio is a synthetic voice ([`is_synthetic_audio`]); left out of the
    /// serialised label when `false`.
    #[serde(skip_serializing_if = "is_false")]
    pub synthetic: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl<'a> Label<'a> {
    /// `t` resolved in `chain` (see [`Text::resolve`] and [`Text::resolve_audio`]).
    pub(crate) fn of(t: &'a Text, chain: &[u8]) -> Self {
        // One pick for both (a step resolves every label it shows).
        let picked = t.pick(chain);
        let audio = picked.and_then(|(lang, _)| t.audio(lang));
        Label {
            text: picked.map_or("", |(_, s)| s),
            audio,
            synthetic: audio.is_some_and(is_synthetic_audio),
        }
    }

    /// A string without audio.
    pub(crate) fn plain(s: &'a str) -> Self {
        Label {
            text: s,
            audio: None,
            synthetic: false,
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.values().eq(other.values()) && self.audio_values().eq(other.audio_values())
    }
}

impl Eq for Text {}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct List<I>(I);
        impl<'a, I: Iterator<Item = &'a str> + Clone> fmt::Debug for List<I> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.0.clone()).finish()
            }
        }
        f.debug_struct("Text")
            .field("values", &List(self.values()))
            .field("audio", &List(self.audio_values()))
            .finish()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            struct Strs<'a>(&'a Text, bool);
            impl Serialize for Strs<'_> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    if self.1 {
                        s.collect_seq(self.0.audio_values())
                    } else {
                        s.collect_seq(self.0.values())
                    }
                }
            }
            let mut st = s.serialize_struct("Text", 2)?;
            st.serialize_field("values", &Strs(self, false))?;
            st.serialize_field("audio", &Strs(self, true))?;
            st.end()
        } else {
            let mut t = s.serialize_tuple(3)?;
            t.serialize_element(&self.first)?;
            t.serialize_element(&self.langs)?;
            t.serialize_element(&self.audio)?;
            t.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text table as the pack reader reads it at the start of a payload.
    fn read_table(bytes: &[u8]) -> Result<TextTable, super::super::decode::DecodeError> {
        super::super::decode::PayloadReader::new(bytes).map(|p| p.text_table().clone())
    }

    #[test]
    fn table_round_trips_and_refuses_bad_lengths() {
        let mut t = TextTable::new();
        for s in ["ក្រសួង", "", "1288", "é"] {
            t.push(s);
        }
        assert_eq!(
            (t.len(), t.get(0), t.get(1), t.get(3), t.get(4)),
            (4, "ក្រសួង", "", "é", "")
        );
        let bytes = postcard::to_allocvec(&t).unwrap();
        assert_eq!(read_table(&bytes).unwrap(), t);
        let bad = |buf: &str, lens: &[u32]| {
            let bytes = postcard::to_allocvec(&(buf, lens)).unwrap();
            read_table(&bytes).unwrap_err().problem
        };
        let short = "lengths that do not add up to its bytes";
        assert_eq!(bad("abc", &[1, 1]), short); // lengths short of the buffer
        assert_eq!(bad("abc", &[2, 2]), "a string beyond its bytes");
        assert_eq!(bad("ក", &[1, 2]), "a string beyond its bytes"); // ends inside a character
        assert_eq!(bad("a", &[u32::MAX, 2]), "a string beyond its bytes"); // overflow
        let invalid = postcard::to_allocvec(&(&[0xE1u8, 0x9E][..], &[2u32][..])).unwrap();
        assert_eq!(read_table(&invalid).unwrap_err().problem, "invalid UTF-8");
    }

    #[test]
    fn text_accessors_and_json_shape() {
        let t = Text::new(&["សួស្តី", "hello"], &["a/km.ogg", ""]);
        assert_eq!(t.language_count(), 2);
        assert_eq!(t.get(1), Some("hello"));
        assert_eq!(t.get(2), None);
        assert_eq!(t.audio(0), Some("a/km.ogg"));
        assert_eq!(t.audio(1), None);
        assert_eq!(t.resolve_audio(&[1]), None);
        assert_eq!(t.resolve_audio(&[0]), Some("a/km.ogg"));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"values":["សួស្តី","hello"],"audio":["a/km.ogg",""]}"#);
        let no_audio = Text::new(&["x", "y"], &["", ""]);
        assert!(!no_audio.has_any_audio());
        assert_eq!(no_audio, Text::new(&["x", "y"], &[]));
        // In binary form a text is its handle: first string, languages, audio.
        assert_eq!(postcard::to_allocvec(&t).unwrap(), [0, 2, 1]);
        // A handle beyond its table is refused and reads as "".
        let table = Arc::new(TextTable::new());
        let (dangling, fits) = Text::from_table(&table, 0, 2, false);
        assert!(!fits);
        assert_eq!((dangling.resolve(&[0]), dangling.language_count()), ("", 2));
    }

    proptest::proptest! {
        #[test]
        fn table_holds_what_was_pushed(strings in proptest::collection::vec(".{0,12}", 0..40)) {
            let mut t = TextTable::new();
            for (i, s) in strings.iter().enumerate() {
                proptest::prop_assert_eq!(t.push(s) as usize, i);
            }
            for (i, s) in strings.iter().enumerate() {
                proptest::prop_assert_eq!(t.get(i), s.as_str());
            }
            let longest = strings.iter().map(String::len).max().unwrap_or(0);
            proptest::prop_assert_eq!(t.longest(), longest);
            // Read back (`from_parts`), the same table, its longest string included.
            let back = read_table(&postcard::to_allocvec(&t).unwrap()).unwrap();
            proptest::prop_assert_eq!(back.longest(), longest);
            proptest::prop_assert_eq!(back, t);
        }
    }

    #[test]
    fn fallback_never_empty() {
        let t = Text::new(&["", "hello"], &[]);
        assert_eq!(t.resolve(&[0]), "hello");
        assert_eq!(t.resolve(&[0, 1]), "hello");
        assert_eq!(Text::default().resolve(&[0]), "");
    }
}
