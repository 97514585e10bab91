//! Learner-facing text in several languages: one table of strings per pack, and cheap handles into it.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

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

impl<'de> Deserialize<'de> for TextTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextTable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text table: the strings' bytes, then their lengths")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TextTable, A::Error> {
                let Utf8(buf) = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let mut ends: Vec<u32> = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let mut at = 0u32;
                for e in &mut ends {
                    at = at
                        .checked_add(*e)
                        .filter(|&a| buf.is_char_boundary(a as usize))
                        .ok_or_else(|| {
                            de::Error::custom("a text table's string lengths do not fit its bytes")
                        })?;
                    *e = at;
                }
                if at as usize != buf.len() {
                    return Err(de::Error::custom(
                        "a text table's string lengths do not add up to its bytes",
                    ));
                }
                Ok(TextTable { buf, ends })
            }
        }
        d.deserialize_tuple(2, V)
    }
}

/// A UTF-8 string decoded with SIMD validation where the CPU has it. The encoding is the same
/// as for `String`.
struct Utf8(String);

impl<'de> Deserialize<'de> for Utf8 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Utf8;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a UTF-8 string")
            }
            fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Utf8, E> {
                simdutf8::basic::from_utf8(b)
                    .map(|s| Utf8(String::from(s)))
                    .map_err(|_| E::custom("invalid UTF-8 in a text"))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Utf8, E> {
                Ok(Utf8(String::from(s)))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Utf8, E> {
                Ok(Utf8(s))
            }
        }
        // Self-describing formats (JSON) hand over strings; postcard hands over bytes.
        if d.is_human_readable() {
            d.deserialize_string(V)
        } else {
            d.deserialize_bytes(V)
        }
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

    /// Points this decoded handle at its pack's table, after checking that the table holds
    /// its strings. Returns `false` (and leaves the text alone) when it does not.
    pub(crate) fn attach(&mut self, table: &Arc<TextTable>) -> bool {
        let count = u64::from(self.langs) * if self.audio { 2 } else { 1 };
        if u64::from(self.first) + count > table.len() as u64 {
            return false;
        }
        self.table = Some(table.clone());
        true
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
    fn pick(&self, chain: &[u8]) -> Option<(usize, &str)> {
        let table = self.table.as_ref()?;
        let n = self.language_count();
        let first = self.first as usize;
        chain
            .iter()
            .map(|&l| usize::from(l))
            .chain(0..n)
            .filter(|&l| l < n)
            .map(|l| (l, table.get(first + l)))
            .find(|(_, s)| !s.is_empty())
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

/// Appends a sequence of strings to a table and returns how many there were.
struct AppendStrings<'t>(&'t mut TextTable);

impl<'de> DeserializeSeed<'de> for AppendStrings<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for AppendStrings<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0usize;
        while seq.next_element_seed(PushString(self.0))?.is_some() {
            n += 1;
        }
        Ok(n)
    }
}

/// Appends one string to a table, without an intermediate `String`.
struct PushString<'a>(&'a mut TextTable);

impl<'de> DeserializeSeed<'de> for PushString<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for PushString<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        self.0.push(s);
        Ok(())
    }
}

/// The field names of a text in human-readable form, read without allocating.
enum TextField {
    Values,
    Audio,
    Other,
}

impl<'de> Deserialize<'de> for TextField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<TextField, E> {
                Ok(match s {
                    "values" => TextField::Values,
                    "audio" => TextField::Audio,
                    _ => TextField::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            let (first, langs, audio) = <(u32, u16, bool)>::deserialize(d)?;
            return Ok(Text {
                table: None,
                first,
                langs,
                audio,
            });
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text: {\"values\": [...], \"audio\": [...]}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut values = TextTable::new();
                let mut audio = TextTable::new();
                let (mut nv, mut na) = (None, 0usize);
                while let Some(key) = map.next_key::<TextField>()? {
                    match key {
                        TextField::Values => {
                            nv = Some(map.next_value_seed(AppendStrings(&mut values))?)
                        }
                        TextField::Audio => na = map.next_value_seed(AppendStrings(&mut audio))?,
                        TextField::Other => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                let nv = nv.ok_or_else(|| de::Error::missing_field("values"))?;
                let langs = u16::try_from(nv)
                    .map_err(|_| de::Error::custom("a text has more than 65535 languages"))?;
                let has_audio = audio.byte_len() > 0;
                if has_audio && na != nv {
                    return Err(de::Error::custom(
                        "a text's audio must have one entry per language, or none",
                    ));
                }
                if has_audio {
                    for k in 0..na {
                        values.push(audio.get(k));
                    }
                }
                Ok(Text {
                    table: Some(Arc::new(values)),
                    first: 0,
                    langs,
                    audio: has_audio,
                })
            }
        }
        d.deserialize_struct("Text", &["values", "audio"], V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(postcard::from_bytes::<TextTable>(&bytes).unwrap(), t);
        let bad = |buf: &str, lens: &[u32]| {
            let bytes = postcard::to_allocvec(&(buf, lens)).unwrap();
            postcard::from_bytes::<TextTable>(&bytes).unwrap_err()
        };
        bad("abc", &[1, 1]); // lengths short of the buffer
        bad("abc", &[2, 2]); // lengths beyond the buffer
        bad("ក", &[1, 2]); // a string ends inside a character
        bad("a", &[u32::MAX, 2]); // overflow
        let invalid = postcard::to_allocvec(&(&[0xE1u8, 0x9E][..], &[2u32][..])).unwrap();
        assert!(postcard::from_bytes::<TextTable>(&invalid).is_err());
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
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), t);
        let no_audio: Text =
            serde_json::from_str(r#"{"audio":["",""],"values":["x","y"]}"#).unwrap();
        assert!(!no_audio.has_any_audio());
        assert_eq!(no_audio, Text::new(&["x", "y"], &[]));
        assert!(serde_json::from_str::<Text>(r#"{"values":["x","y"],"audio":["a"]}"#).is_err());
        assert!(serde_json::from_str::<Text>(r#"{"audio":[]}"#).is_err());
        // A text not attached to a table (as decoded, before the pack attaches it) shows "".
        let loose: Text = postcard::from_bytes(&postcard::to_allocvec(&t).unwrap()).unwrap();
        assert_eq!((loose.resolve(&[0]), loose.language_count()), ("", 2));
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
            let back: TextTable = postcard::from_bytes(&postcard::to_allocvec(&t).unwrap()).unwrap();
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
