//! Numbers as learners see and type them: digits of several scripts, and typed answers
//! normalised for comparison.

use alloc::string::String;
use serde::{Deserialize, Serialize};

/// The first code point (the digit zero) of every run of ten decimal digits in Unicode 16
/// (general category Nd), sorted. Digit `d` of a run is `zero + d`.
const DIGIT_ZEROS: [u32; 76] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50,
    0x11D50, 0x11DA0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit of any script (Unicode general category Nd): `'7'`, `'៧'`
/// (Khmer), `'၇'` (Myanmar), `'໗'` (Lao), `'๗'` (Thai), `'७'` (Devanagari), `'٧'` (Arabic) …
/// all give 7. `None` for anything else.
pub fn digit_value(c: char) -> Option<u32> {
    let cp = c as u32;
    if cp < 0x80 {
        return c.to_digit(10);
    }
    // The last run starting at or before `cp`.
    let i = DIGIT_ZEROS.partition_point(|&z| z <= cp).checked_sub(1)?;
    let zero = *DIGIT_ZEROS.get(i)?;
    (cp - zero < 10).then_some(cp - zero)
}

/// Which digits numbers are shown with: a CLDR numbering system with decimal digits.
///
/// In pack sources and JSON it is written with its CLDR name (`latn`, `khmr`, `mymr`, `laoo`,
/// `thai`, …); `latin` and `khmer` are accepted too (the names of the first release). New
/// systems are added at the end: the binary pack format stores the variant's position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Numerals {
    /// 0123456789 (`latn`)
    #[default]
    Latin,
    /// ០១២៣៤៥៦៧៨៩ (`khmr`)
    Khmer,
    /// ၀၁၂၃၄၅၆၇၈၉ (`mymr`)
    Myanmar,
    /// ໐໑໒໓໔໕໖໗໘໙ (`laoo`)
    Lao,
    /// ๐๑๒๓๔๕๖๗๘๙ (`thai`)
    Thai,
    /// ০১২৩৪৫৬৭৮৯ (`beng`)
    Bengali,
    /// ०१२३४५६७८९ (`deva`)
    Devanagari,
    /// ٠١٢٣٤٥٦٧٨٩ (`arab`)
    Arabic,
    /// ۰۱۲۳۴۵۶۷۸۹ (`arabext`)
    ArabicExtended,
    /// ௦௧௨௩௪௫௬௭௮௯ (`tamldec`)
    Tamil,
    /// ౦౧౨౩౪౫౬౭౮౯ (`telu`)
    Telugu,
    /// ೦೧೨೩೪೫೬೭೮೯ (`knda`)
    Kannada,
    /// ൦൧൨൩൪൫൬൭൮൯ (`mlym`)
    Malayalam,
    /// ૦૧૨૩૪૫૬૭૮૯ (`gujr`)
    Gujarati,
    /// ੦੧੨੩੪੫੬੭੮੯ (`guru`)
    Gurmukhi,
    /// ୦୧୨୩୪୫୬୭୮୯ (`orya`)
    Odia,
    /// ༠༡༢༣༤༥༦༧༨༩ (`tibt`)
    Tibetan,
    /// ᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙ (`mong`)
    Mongolian,
    /// ꧐꧑꧒꧓꧔꧕꧖꧗꧘꧙ (`java`)
    Javanese,
    /// ０１２３４５６７８９ (`fullwide`)
    Fullwidth,
}

impl Numerals {
    /// Every numbering system, in the order of the binary format.
    pub const ALL: [Numerals; 20] = [
        Numerals::Latin,
        Numerals::Khmer,
        Numerals::Myanmar,
        Numerals::Lao,
        Numerals::Thai,
        Numerals::Bengali,
        Numerals::Devanagari,
        Numerals::Arabic,
        Numerals::ArabicExtended,
        Numerals::Tamil,
        Numerals::Telugu,
        Numerals::Kannada,
        Numerals::Malayalam,
        Numerals::Gujarati,
        Numerals::Gurmukhi,
        Numerals::Odia,
        Numerals::Tibetan,
        Numerals::Mongolian,
        Numerals::Javanese,
        Numerals::Fullwidth,
    ];

    /// The CLDR name of the numbering system (`latn`, `khmr`, `mymr`, …).
    pub fn cldr_name(self) -> &'static str {
        match self {
            Numerals::Latin => "latn",
            Numerals::Khmer => "khmr",
            Numerals::Myanmar => "mymr",
            Numerals::Lao => "laoo",
            Numerals::Thai => "thai",
            Numerals::Bengali => "beng",
            Numerals::Devanagari => "deva",
            Numerals::Arabic => "arab",
            Numerals::ArabicExtended => "arabext",
            Numerals::Tamil => "tamldec",
            Numerals::Telugu => "telu",
            Numerals::Kannada => "knda",
            Numerals::Malayalam => "mlym",
            Numerals::Gujarati => "gujr",
            Numerals::Gurmukhi => "guru",
            Numerals::Odia => "orya",
            Numerals::Tibetan => "tibt",
            Numerals::Mongolian => "mong",
            Numerals::Javanese => "java",
            Numerals::Fullwidth => "fullwide",
        }
    }

    /// The numbering system of a CLDR name (`mymr`), or of the first release's names
    /// (`latin`, `khmer`). Case-insensitive.
    pub fn from_name(name: &str) -> Option<Numerals> {
        if name.eq_ignore_ascii_case("latin") {
            return Some(Numerals::Latin);
        }
        if name.eq_ignore_ascii_case("khmer") {
            return Some(Numerals::Khmer);
        }
        Numerals::ALL
            .into_iter()
            .find(|n| n.cldr_name().eq_ignore_ascii_case(name))
    }

    /// The code point of this system's digit zero.
    pub fn zero(self) -> u32 {
        match self {
            Numerals::Latin => 0x30,
            Numerals::Khmer => 0x17E0,
            Numerals::Myanmar => 0x1040,
            Numerals::Lao => 0x0ED0,
            Numerals::Thai => 0x0E50,
            Numerals::Bengali => 0x09E6,
            Numerals::Devanagari => 0x0966,
            Numerals::Arabic => 0x0660,
            Numerals::ArabicExtended => 0x06F0,
            Numerals::Tamil => 0x0BE6,
            Numerals::Telugu => 0x0C66,
            Numerals::Kannada => 0x0CE6,
            Numerals::Malayalam => 0x0D66,
            Numerals::Gujarati => 0x0AE6,
            Numerals::Gurmukhi => 0x0A66,
            Numerals::Odia => 0x0B66,
            Numerals::Tibetan => 0x0F20,
            Numerals::Mongolian => 0x1810,
            Numerals::Javanese => 0xA9D0,
            Numerals::Fullwidth => 0xFF10,
        }
    }
}

/// Writes `n` with the given digits.
pub fn format_number(n: u64, numerals: Numerals) -> String {
    let latin = alloc::format!("{n}");
    if numerals == Numerals::Latin {
        return latin;
    }
    let zero = numerals.zero();
    latin
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Maps a decimal digit of any script to its ASCII digit; other characters are unchanged.
fn to_ascii_digit(c: char) -> char {
    match digit_value(c) {
        Some(d) if !c.is_ascii() => char::from_u32(u32::from(b'0') + d).unwrap_or(c),
        _ => c,
    }
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
        if c == '\u{130}' {
            // İ lowers to i + combining dot above, as `char::to_lowercase` does.
            out.push('i');
            out.push('\u{307}');
        } else {
            out.push(to_lower(c));
        }
    }
    out
}

/// Lower case for the cased scripts a pack's learners type: Latin (ASCII, Latin-1, Latin
/// Extended-A, the regular Latin Extended-B pairs including Vietnamese Ơ/Ư, and Latin Extended
/// Additional with all of Vietnamese), modern Greek, Cyrillic and full-width Latin, exactly as
/// `char::to_lowercase` maps them (tested over every character of those blocks). Other cased
/// scripts (Armenian, Georgian, Cherokee, …) are left as typed: the full Unicode table is
/// about 12 KB of the browser module and no pack language needs it.
fn to_lower(c: char) -> char {
    let u = u32::from(c);
    // Pairs in a range where the upper-case letter has the given parity (0 even, 1 odd).
    let pair = |lo: u32, hi: u32, parity: u32| (lo..=hi).contains(&u) && u % 2 == parity;
    let lower = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => {
            u + 32
        }
        0xFF21..=0xFF3A => u + 32,
        0x178 => 0xFF,
        0x386 => 0x3AC,
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC,
        0x38E | 0x38F => u + 63,
        0x400..=0x40F => u + 80,
        0x4C0 => 0x4CF,
        0x1E9E => 0xDF,
        0x1A0 | 0x1AF => u + 1,
        _ if pair(0x100, 0x12F, 0)
            || pair(0x132, 0x137, 0)
            || pair(0x139, 0x148, 1)
            || pair(0x14A, 0x177, 0)
            || pair(0x179, 0x17E, 1)
            || pair(0x1CD, 0x1DC, 1)
            || pair(0x1DE, 0x1EF, 0)
            || pair(0x1F8, 0x21F, 0)
            || pair(0x222, 0x233, 0)
            || pair(0x3D8, 0x3EF, 0)
            || pair(0x460, 0x481, 0)
            || pair(0x48A, 0x4BF, 0)
            || pair(0x4C1, 0x4CE, 1)
            || pair(0x4D0, 0x52F, 0)
            || pair(0x1E00, 0x1E95, 0)
            || pair(0x1EA0, 0x1EFF, 0) =>
        {
            u + 1
        }
        _ => u,
    };
    char::from_u32(lower).unwrap_or(c)
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

    /// Every character of the blocks `to_lower` claims lowers exactly as `char::to_lowercase`.
    #[test]
    fn lower_case_matches_the_unicode_table_in_the_covered_blocks() {
        let blocks = [
            0..=0x17F,
            0x1A0..=0x1A1,
            0x1AF..=0x1B0,
            0x1CD..=0x1EF,
            0x1F8..=0x21F,
            0x222..=0x233,
            0x380..=0x3CE,
            0x3D8..=0x3EF,
            0x400..=0x52F,
            0x1E00..=0x1EFF,
            0xFF00..=0xFFEF,
        ];
        let mut bad = alloc::vec::Vec::new();
        for u in blocks.into_iter().flatten() {
            let Some(c) = char::from_u32(u) else { continue };
            let expected: alloc::string::String = c.to_lowercase().collect();
            let ours = normalize_answer(&alloc::format!("x{c}")).split_off(1);
            if c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}') || digit_value(c).is_some()
            {
                continue;
            }
            if ours != expected {
                bad.push(alloc::format!("U+{u:04X}"));
            }
        }
        assert!(bad.is_empty(), "{bad:?}");
    }

    #[test]
    fn other_cased_scripts_are_left_as_typed() {
        assert_eq!(normalize_answer("Ա"), "Ա");
        assert_eq!(normalize_answer("ĐÀ NẴNG"), "đà nẵng");
        assert_eq!(normalize_answer("ƠƯ"), "ơư");
    }

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
    fn digits_of_the_region_are_read_and_written() {
        for (n, hotline) in [
            (Numerals::Myanmar, "၁၂၈၈"),
            (Numerals::Lao, "໑໒໘໘"),
            (Numerals::Thai, "๑๒๘๘"),
            (Numerals::Devanagari, "१२८८"),
            (Numerals::Bengali, "১২৮৮"),
            (Numerals::Arabic, "١٢٨٨"),
        ] {
            assert_eq!(format_number(1288, n), hotline);
            assert_eq!(normalize_answer(hotline), "1288");
            assert_eq!(parse_number(hotline), Some(1288.0));
            assert_eq!(Numerals::from_name(n.cldr_name()), Some(n));
        }
        // Mixed scripts in one number still read (a learner switching keyboards).
        assert_eq!(parse_number("၁2៨8"), Some(1288.0));
        assert_eq!(digit_value('၁'), Some(1));
        assert_eq!(digit_value('a'), None);
        assert_eq!(digit_value('½'), None); // a number, not a decimal digit
        assert_eq!(digit_value('²'), None);
        assert_eq!(Numerals::from_name("khmer"), Some(Numerals::Khmer));
        assert_eq!(Numerals::from_name("LATN"), Some(Numerals::Latin));
        assert_eq!(Numerals::from_name("roman"), None);
    }

    #[test]
    fn the_digit_table_holds_runs_of_ten_numeric_characters() {
        for w in DIGIT_ZEROS.windows(2) {
            assert!(
                w[0] + 10 <= w[1],
                "runs overlap or are unsorted: {:x} {:x}",
                w[0],
                w[1]
            );
        }
        for &zero in &DIGIT_ZEROS {
            for d in 0..10 {
                let c = char::from_u32(zero + d).unwrap();
                assert!(c.is_numeric(), "U+{:04X} is not numeric", zero + d);
                assert_eq!(digit_value(c), Some(d));
            }
        }
        for n in Numerals::ALL {
            assert_eq!(
                digit_value(char::from_u32(n.zero()).unwrap()),
                Some(0),
                "{n:?}"
            );
            assert!(DIGIT_ZEROS.contains(&n.zero()));
        }
        let names: alloc::collections::BTreeSet<_> =
            Numerals::ALL.iter().map(|n| n.cldr_name()).collect();
        assert_eq!(names.len(), Numerals::ALL.len());
    }

    /// Every decimal digit Python's `unicodedata` knows (Unicode 14) is in the table: the
    /// zeros below are what `[c for c in range(0x110000) if unicodedata.category(chr(c)) ==
    /// "Nd" and unicodedata.decimal(chr(c)) == 0]` prints.
    #[test]
    fn every_unicode_14_digit_zero_is_in_the_table() {
        let unicode_14: [u32; 66] = [
            0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6,
            0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0,
            0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0,
            0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0,
            0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50,
            0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6,
            0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
        ];
        for z in unicode_14 {
            assert!(DIGIT_ZEROS.contains(&z), "U+{z:04X} missing");
        }
    }
}
