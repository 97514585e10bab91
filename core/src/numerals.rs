//! Numbers as learners see and type them: digits of several scripts, and typed answers
//! normalised for comparison.

use alloc::string::String;
use serde::{Deserialize, Serialize};

/// Which digits numbers are shown with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Numerals {
    /// 0123456789
    #[default]
    Latin,
    /// ០១២៣៤៥៦៧៨៩
    Khmer,
}

impl Numerals {
    /// The stable name used in the source format and the APIs: `latin` or `khmer`.
    pub fn name(self) -> &'static str {
        match self {
            Numerals::Latin => "latin",
            Numerals::Khmer => "khmer",
        }
    }
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
}
