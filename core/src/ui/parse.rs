//! The reader of interface-string catalogues: the `[interface]` table of a TOML file, written
//! as one `id = "text"` line per string.
//!
//! The core has no TOML parser (`toml` is an authoring dependency), and a catalogue needs
//! very little of TOML: comments, blank lines, the `[interface]` header, and basic strings
//! with the escapes `\" \\ \n \t \uXXXX \UXXXXXXXX`. Every catalogue this reader accepts is
//! also valid TOML with the same meaning, so the same file can be read by `kru build` as part
//! of a pack's `i18n/<tag>.toml`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::error::UiError;

/// Parses a catalogue into its `(id, text)` entries, in file order (a list, not a map: it
/// keeps the browser's module small). A repeated id, a line outside the
/// grammar, an id with characters other than ASCII letters, digits, `-` and `_`, or a table
/// other than `[interface]` is an error.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, UiError> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut in_table = false;
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let err = |detail: &'static str| UiError::Syntax { line, detail };
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('[') {
            if strip_comment(l) != "[interface]" {
                return Err(err("only an [interface] table may be here"));
            }
            in_table = true;
            continue;
        }
        if !in_table {
            return Err(err("a string before the [interface] header"));
        }
        let (id, rest) = l
            .split_once('=')
            .ok_or_else(|| err("expected id = \"text\""))?;
        let id = id.trim();
        if !is_id(id) {
            return Err(err("not an id (letters, digits, - and _)"));
        }
        let value = string(rest.trim_start()).map_err(err)?;
        if out.iter().any(|(k, _)| k == id) {
            return Err(err("an id is defined twice"));
        }
        out.push((id.to_string(), value));
    }
    Ok(out)
}

/// Whether `id` is an id: not empty, ASCII letters, digits, `-` and `_` only.
pub(super) fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `s` without a trailing `# comment` (for a header line, which holds no string).
fn strip_comment(s: &str) -> &str {
    s.split_once('#').map_or(s, |(head, _)| head).trim_end()
}

/// A basic string at the start of `s`, followed by nothing but an optional comment.
fn string(s: &str) -> Result<String, &'static str> {
    let mut chars = s.char_indices();
    if chars.next().map(|(_, c)| c) != Some('"') {
        return Err("the text must be in \"quotes\"");
    }
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let tail = s.get(i + 1..).unwrap_or("").trim();
                if !tail.is_empty() && !tail.starts_with('#') {
                    return Err("unexpected text after the string");
                }
                return Ok(out);
            }
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(u @ ('u' | 'U')) => {
                    let len = if u == 'u' { 4 } else { 8 };
                    let mut v: u32 = 0;
                    for _ in 0..len {
                        let d = chars
                            .next()
                            .and_then(|(_, c)| c.to_digit(16))
                            .ok_or("a \\u escape needs hexadecimal digits")?;
                        v = v * 16 + d;
                    }
                    out.push(char::from_u32(v).ok_or("a \\u escape is not a character")?);
                }
                _ => return Err("unknown escape (use \\\" \\\\ \\n \\t \\uXXXX)"),
            },
            c if c.is_control() && c != '\t' => {
                return Err("a control character inside the string")
            }
            c => out.push(c),
        }
    }
    Err("the string has no closing quote")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_strings_escapes_and_comments() {
        let c = parse(
            "# c\n[interface] # t\nnext = \"Next\" # go on\nq = \"say \\\"hi\\\"\\n\\u17E1\"\n\nx-y_2 = \"\"\n",
        )
        .unwrap();
        let get = |k: &str| c.iter().find(|(i, _)| i == k).map(|(_, v)| v.as_str());
        assert_eq!(get("next"), Some("Next"));
        assert_eq!(get("q"), Some("say \"hi\"\n១"));
        assert_eq!(get("x-y_2"), Some(""));
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn refuses_what_is_not_a_catalogue() {
        for (text, line) in [
            ("next = \"Next\"", 1),
            ("[interface]\nnext = Next", 2),
            ("[interface]\nnext = \"Next", 2),
            ("[interface]\nnext = \"a\" b", 2),
            ("[interface]\na.b = \"x\"", 2),
            ("[interface]\na = \"x\"\na = \"y\"", 3),
            ("[other]\n", 1),
            ("[interface]\na = \"\\q\"", 2),
            ("[interface]\na = \"\\u12\"", 2),
            ("[interface]\na = \"\\uD800\"", 2),
            ("[interface]\nnothing", 2),
        ] {
            match parse(text) {
                Err(UiError::Syntax { line: l, .. }) => assert_eq!(l, line, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[cfg(feature = "authoring")]
    #[test]
    fn agrees_with_toml() {
        let text = "[interface]\na = \"x \\\"y\\\" \\\\ \\t \\U0001F600\"\nb-c = \"ខ្មែរ\"\n";
        let ours = parse(text).unwrap();
        let t: toml::Table = toml::from_str(text).unwrap();
        let theirs = t["interface"].as_table().unwrap();
        assert_eq!(ours.len(), theirs.len());
        for (k, v) in &ours {
            assert_eq!(theirs[k].as_str(), Some(v.as_str()));
        }
    }
}
