//! Learner-facing text in several languages, numerals, and answer normalisation.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// A learner-facing string in every language of a pack, with optional audio.
///
/// `values[i]` is the string in the pack's language `i`; an empty string means "not
/// translated" and is never shown: [`Text::resolve`] falls back along the session's language
/// chain. `audio` is either empty or holds, per language, a media path ("" for none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The string per pack language.
    #[serde(deserialize_with = "deserialize_strings")]
    pub values: Vec<String>,
    /// The audio file per pack language, or empty when no language has audio.
    #[serde(deserialize_with = "deserialize_strings")]
    pub audio: Vec<String>,
}

/// Decodes a list of strings, validating UTF-8 with SIMD where the CPU has it: most of a
/// pack's bytes are Khmer text, whose validation dominates pack loading otherwise. The
/// encoding is the same as for `Vec<String>`.
fn deserialize_strings<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Bytes(String);
    impl<'de> Deserialize<'de> for Bytes {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Bytes;
                fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    f.write_str("a UTF-8 string")
                }
                fn visit_borrowed_bytes<E: serde::de::Error>(
                    self,
                    b: &'de [u8],
                ) -> Result<Bytes, E> {
                    self.visit_bytes(b)
                }
                fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Bytes, E> {
                    simdutf8::basic::from_utf8(b)
                        .map(|s| Bytes(String::from(s)))
                        .map_err(|_| E::custom("invalid UTF-8 in a text"))
                }
                fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Bytes, E> {
                    Ok(Bytes(String::from(s)))
                }
                fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Bytes, E> {
                    Ok(Bytes(s))
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
    let v: Vec<Bytes> = Vec::deserialize(d)?;
    Ok(v.into_iter().map(|b| b.0).collect())
}

impl Text {
    /// A text whose only language (index 0) is `s`. For tests and tools.
    pub fn single(s: &str) -> Self {
        Self {
            values: alloc::vec![String::from(s)],
            audio: Vec::new(),
        }
    }

    /// The string in the first language of `chain` that has one, else in any language
    /// (so that nothing is ever shown empty), else "".
    pub fn resolve(&self, chain: &[u8]) -> &str {
        self.resolve_index(chain)
            .and_then(|i| self.values.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The audio path in the same language that [`Text::resolve`] picks, if any.
    pub fn resolve_audio(&self, chain: &[u8]) -> Option<&str> {
        let i = self.resolve_index(chain)?;
        self.audio
            .get(i)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    fn resolve_index(&self, chain: &[u8]) -> Option<usize> {
        chain
            .iter()
            .map(|&l| usize::from(l))
            .find(|&l| self.values.get(l).is_some_and(|s| !s.is_empty()))
            .or_else(|| self.values.iter().position(|s| !s.is_empty()))
    }

    /// Whether the text exists (non-empty) in language `lang`.
    pub fn has(&self, lang: usize) -> bool {
        self.values.get(lang).is_some_and(|s| !s.is_empty())
    }
}

/// Which digits numbers are shown with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Numerals {
    /// 0123456789
    #[default]
    Latin,
    /// ០១២៣៤៥៦៧៨៩
    Khmer,
}

const KHMER_ZERO: u32 = 0x17E0;

/// Writes `n` with the given digits.
pub fn format_number(n: u64, numerals: Numerals) -> String {
    let latin = alloc::format!("{n}");
    match numerals {
        Numerals::Latin => latin,
        Numerals::Khmer => latin.chars().map(to_khmer_digit).collect(),
    }
}

fn to_khmer_digit(c: char) -> char {
    match c.to_digit(10) {
        Some(d) => char::from_u32(KHMER_ZERO + d).unwrap_or(c),
        None => c,
    }
}

/// Maps Khmer (and other common Unicode) decimal digits to ASCII digits.
fn to_ascii_digit(c: char) -> char {
    let cp = c as u32;
    // Khmer ០-៩, Arabic-Indic, Thai ๐-๙, Lao ໐-໙, fullwidth ０-９.
    for base in [0x17E0u32, 0x0660, 0x06F0, 0x0E50, 0x0ED0, 0xFF10] {
        if (base..base + 10).contains(&cp) {
            return char::from_u32(u32::from(b'0') + (cp - base)).unwrap_or(c);
        }
    }
    c
}

/// Normalises a typed answer for comparison: digits to ASCII, lower case, trimmed, runs of
/// white space collapsed to one space, and zero-width characters removed.
///
/// `" 1288 "`, `"1288"` and `"១២៨៨"` all normalise to `"1288"`.
pub fn normalize_answer(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}') {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let c = to_ascii_digit(c);
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// Parses a typed number after normalisation: digits in any supported script, spaces, `,`
/// thousands separators and `-`/`.` inside a phone-like number are ignored; `.` is the
/// decimal point only when it appears once.
pub fn parse_number(s: &str) -> Option<f64> {
    let norm = normalize_answer(s);
    let mut digits = String::new();
    for c in norm.chars() {
        match c {
            '0'..='9' | '.' | '-' | '+' => digits.push(c),
            ' ' | ',' | '\u{202F}' => {}
            _ => return None,
        }
    }
    let negative = digits.starts_with('-');
    let body = digits.trim_start_matches(['-', '+']);
    if body.is_empty() || body.contains(['-', '+']) {
        return None;
    }
    let mut int_part: f64 = 0.0;
    let mut frac: f64 = 0.0;
    let mut scale = 1.0;
    let mut seen_point = false;
    for c in body.chars() {
        if c == '.' {
            if seen_point {
                return None;
            }
            seen_point = true;
            continue;
        }
        let d = f64::from(c.to_digit(10)?);
        if seen_point {
            scale /= 10.0;
            frac += d * scale;
        } else {
            int_part = int_part * 10.0 + d;
        }
    }
    let v = int_part + frac;
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_matches_hotline_variants() {
        assert_eq!(normalize_answer(" 1288 "), "1288");
        assert_eq!(normalize_answer("១២៨៨"), "1288");
        assert_eq!(
            normalize_answer("  Call   The\tHotline "),
            "call the hotline"
        );
        assert_eq!(normalize_answer("12\u{200B}88"), "1288");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("១២៨៨"), Some(1288.0));
        assert_eq!(parse_number(" 1 288 "), Some(1288.0));
        assert_eq!(parse_number("1,288"), Some(1288.0));
        assert_eq!(parse_number("-2.5"), Some(-2.5));
        assert_eq!(parse_number("12a"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1.2.3"), None);
    }

    #[test]
    fn khmer_digits() {
        assert_eq!(format_number(1288, Numerals::Khmer), "១២៨៨");
        assert_eq!(format_number(1288, Numerals::Latin), "1288");
    }

    #[test]
    fn fallback_never_empty() {
        let t = Text {
            values: alloc::vec![String::new(), String::from("hello")],
            audio: Vec::new(),
        };
        assert_eq!(t.resolve(&[0]), "hello");
        assert_eq!(t.resolve(&[0, 1]), "hello");
        assert_eq!(Text::default().resolve(&[0]), "");
    }
}
