//! The page's numbers in the digits of its language (`numerals` in the pack: Khmer ០–៩, Lao
//! ໐–໙, Burmese ၀–၉ …), written once the page is built, so that no number on it can be missed.
//!
//! Only text is changed, never markup: not inside tags (attributes, SVG coordinates), not in
//! character references (`&#39;`), not in `<style>`, `<script>` or `<code>` elements (ids and
//! codes), and not in a word that has an ASCII letter (`K1`, `KR-20`, `q3`): those are names.
//! Dates (`2026-12-06`), decimals (`0.001`), signs and percentages are numbers and change.

use alloc::string::String;

use crate::numerals::Numerals;

/// `html` with the ASCII digits of its numbers written in `numerals` (unchanged for Latin).
pub(super) fn native_digits(html: &str, numerals: Numerals) -> String {
    if numerals == Numerals::Latin {
        return String::from(html);
    }
    let zero = numerals.zero();
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    // Inside an element whose text is not prose: its closing tag.
    let mut skip_until: Option<&str> = None;
    let mut i = 0;
    while i < html.len() {
        let rest = html.get(i..).unwrap_or_default();
        let c = rest.chars().next().unwrap_or('\0');
        if c == '<' {
            let end = rest.find('>').map_or(html.len(), |e| i + e + 1);
            let tag = html.get(i..end).unwrap_or_default();
            if skip_until.is_none() {
                for (open, close) in [
                    ("<style", "</style"),
                    ("<script", "</script"),
                    ("<code", "</code"),
                ] {
                    if starts_with_tag(tag, open) {
                        skip_until = Some(close);
                    }
                }
            } else if skip_until.is_some_and(|close| starts_with_tag(tag, close)) {
                skip_until = None;
            }
            out.push_str(tag);
            i = end;
            continue;
        }
        if c == '&' {
            // A character reference: copied whole.
            let end = rest
                .find(';')
                .filter(|&e| e <= 10)
                .map_or(i + 1, |e| i + e + 1);
            out.push_str(html.get(i..end).unwrap_or_default());
            i = end;
            continue;
        }
        if skip_until.is_none() && c.is_ascii_digit() {
            // The word around this digit run: ASCII letters, digits, `_`, and `-` between two
            // of them.
            let start = word_start(bytes, i);
            let end = word_end(bytes, i);
            let word = html.get(start..end).unwrap_or_default();
            let named = word.bytes().any(|b| b.is_ascii_alphabetic());
            // `start` is never after `i`: the part of the word before `i` is already written.
            for ch in html.get(i..end).unwrap_or_default().chars() {
                match ch.to_digit(10) {
                    Some(d) if !named => {
                        out.push(char::from_u32(zero + d).unwrap_or(ch));
                    }
                    _ => out.push(ch),
                }
            }
            i = end;
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn starts_with_tag(tag: &str, name: &str) -> bool {
    tag.get(..name.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(name))
        && matches!(
            tag.as_bytes().get(name.len()),
            Some(b'>' | b' ' | b'/' | b'\n' | b'\t')
        )
}

/// Whether byte `i` of `bytes` belongs to a word: an ASCII letter, digit or `_`.
fn word_byte(bytes: &[u8], i: usize) -> bool {
    bytes
        .get(i)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether byte `i` is part of a word: a word byte, or a `-` between two of them.
fn in_word(bytes: &[u8], i: usize) -> bool {
    word_byte(bytes, i)
        || (bytes.get(i) == Some(&b'-')
            && i > 0
            && word_byte(bytes, i - 1)
            && word_byte(bytes, i + 1))
}

/// Where the word that holds byte `i` starts.
fn word_start(bytes: &[u8], mut i: usize) -> usize {
    while i > 0 && in_word(bytes, i - 1) {
        i -= 1;
    }
    i
}

/// Where the word that holds byte `i` ends (exclusive).
fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && in_word(bytes, i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_text_change_names_and_markup_do_not() {
        let html = "<html lang=\"km\"><style>p{margin:0 0 1em}</style><p class=\"c2\">33% → 67%, \
                    +0.5, −20, p &lt; 0.001, 2026-12-06, n = 300</p><p>K1 KR-20 q3 &#39;x&#39; \
                    <code>item-1</code></p><svg><rect x=\"10\" y=\"20\"/><text x=\"4\">50</text></svg></html>";
        let got = native_digits(html, Numerals::Khmer);
        assert_eq!(
            got,
            "<html lang=\"km\"><style>p{margin:0 0 1em}</style><p class=\"c2\">៣៣% → ៦៧%, \
             +០.៥, −២០, p &lt; ០.០០១, ២០២៦-១២-០៦, n = ៣០០</p><p>K1 KR-20 q3 &#39;x&#39; \
             <code>item-1</code></p><svg><rect x=\"10\" y=\"20\"/><text x=\"4\">៥០</text></svg></html>"
        );
        assert_eq!(native_digits(html, Numerals::Latin), html);
        assert!(native_digits("<p>12</p>", Numerals::Lao).contains("໑໒"));
    }

    #[test]
    fn a_page_cut_anywhere_is_not_a_panic() {
        let html = "<p>ក 12 &#3 <code>1</code> <style>9";
        for cut in 0..=html.len() {
            if html.is_char_boundary(cut) {
                let _ = native_digits(&html[..cut], Numerals::Myanmar);
            }
        }
    }
}
