//! Setting string values in a translation file's TOML text without rewriting it: a value
//! that is there is replaced where it stands, a new one is added at the end of its table's
//! section (or in a new section at the end), and every comment and layout stays as the
//! translator left it. The result is parsed again and every value checked, so a file the
//! editor cannot place a value in is refused, never written broken.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::authoring::read::toml_string;

/// One value to set: the path of tables and the last key (`["item", "x", "prompt"]`, or
/// `["translated_from", "item.x.prompt"]`), and the string.
#[derive(Debug, Clone)]
pub(crate) struct Set {
    pub path: Vec<String>,
    pub value: String,
}

/// Returns `text` with every value of `sets` set, or why that cannot be done.
pub(crate) fn apply(text: &str, sets: &[Set]) -> Result<String, String> {
    // A last line without its newline could not take a line after it.
    let owned;
    let text = if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        owned.as_str()
    };
    let root = DeTable::parse(text)
        .map_err(|e| format!("the file is not valid TOML ({}): fix it first", e.message()))?;
    let sections = sections(text);
    // Replacements (range → text) and insertions (offset → lines), applied from the end.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut inserts: BTreeMap<usize, String> = BTreeMap::new();
    let mut new_sections: BTreeMap<String, String> = BTreeMap::new();
    for s in sets {
        let Some((leaf, parents)) = s.path.split_last() else {
            continue;
        };
        let line = format!("{} = {}\n", key_text(leaf), toml_string(&s.value));
        match find(root.get_ref(), &s.path) {
            Found::String(span) => edits.push((span, toml_string(&s.value))),
            Found::Other => {
                return Err(format!(
                    "`{}` is not a string in the file: fix it by hand first",
                    s.path.join(".")
                ))
            }
            Found::Missing => {
                let header = parents
                    .iter()
                    .map(|p| key_text(p))
                    .collect::<Vec<_>>()
                    .join(".");
                match sections.get(&header) {
                    Some(&end) => inserts.entry(end).or_default().push_str(&line),
                    None => new_sections.entry(header).or_default().push_str(&line),
                }
            }
        }
    }
    let mut out = text.to_string();
    let mut all: Vec<(Range<usize>, String)> = edits;
    all.extend(inserts.into_iter().map(|(at, s)| (at..at, s)));
    all.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    for (r, s) in all {
        if out.get(r.clone()).is_none() {
            return Err("internal: an edit falls outside the file".into());
        }
        out.replace_range(r, &s);
    }
    for (header, lines) in new_sections {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
        if !header.is_empty() {
            out.push_str(&format!("[{header}]\n"));
        }
        out.push_str(&lines);
    }
    verify(&out, sets)?;
    Ok(out)
}

enum Found {
    String(Range<usize>),
    Other,
    Missing,
}

fn find(root: &DeTable<'_>, path: &[String]) -> Found {
    let mut table = root;
    let Some((leaf, parents)) = path.split_last() else {
        return Found::Missing;
    };
    for p in parents {
        match table.get(p.as_str()).map(Spanned::get_ref) {
            Some(DeValue::Table(t)) => table = t,
            Some(_) => return Found::Other,
            None => return Found::Missing,
        }
    }
    match table.get(leaf.as_str()) {
        Some(v) => match v.get_ref() {
            DeValue::String(_) => Found::String(v.span()),
            _ => Found::Other,
        },
        None => Found::Missing,
    }
}

/// A key as written: bare when it can be, quoted otherwise.
fn key_text(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.to_string()
    } else {
        toml_string(k)
    }
}

/// The standard table headers of the file (`[a.b]` written with bare keys) and, for each, the
/// offset just after its section's last line that is not blank or a comment.
fn sections(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut last_end = 0usize;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[').filter(|h| !h.starts_with('[')) {
            if let Some(name) = current.take() {
                out.insert(name, last_end);
            }
            let name = h.split(']').next().unwrap_or("");
            let name: String = name.split('.').map(str::trim).collect::<Vec<_>>().join(".");
            current = Some(name);
            last_end = end;
        } else if t.starts_with("[[") {
            if let Some(name) = current.take() {
                out.insert(name, last_end);
            }
        } else if !t.is_empty() && !t.starts_with('#') {
            last_end = end;
        }
        offset = end;
    }
    if let Some(name) = current {
        out.insert(name, last_end);
    }
    out
}

/// Checks that `text` parses and holds every value of `sets`.
fn verify(text: &str, sets: &[Set]) -> Result<(), String> {
    let root = DeTable::parse(text).map_err(|e| {
        format!(
            "the strings could not be placed in the file without breaking it ({}): the file's layout is unusual; add the strings by hand",
            e.message()
        )
    })?;
    for s in sets {
        let ok = match find(root.get_ref(), &s.path) {
            Found::String(span) => text
                .get(span)
                .and_then(|literal| {
                    toml::from_str::<BTreeMap<String, String>>(&format!("v = {literal}")).ok()
                })
                .is_some_and(|m| m.get("v") == Some(&s.value)),
            _ => false,
        };
        if !ok {
            return Err(format!(
                "`{}` could not be set in the file: add it by hand",
                s.path.join(".")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(path: &[&str], value: &str) -> Set {
        Set {
            path: path.iter().map(|s| s.to_string()).collect(),
            value: value.into(),
        }
    }

    #[test]
    fn replaces_in_place_and_keeps_comments() {
        let text = "# Khmer\n[item.a]\n# the question\nprompt = \"old\" # note\n\n[item.b]\nprompt = \"b\"\n";
        let out = apply(text, &[set(&["item", "a", "prompt"], "ថ្មី \"q\"")]).unwrap();
        assert_eq!(
            out,
            "# Khmer\n[item.a]\n# the question\nprompt = \"ថ្មី \\\"q\\\"\" # note\n\n[item.b]\nprompt = \"b\"\n"
        );
    }

    #[test]
    fn adds_to_a_section_or_a_new_one() {
        let text = "[item.a]\nprompt = \"a\"\n\n# next\n[item.b]\nprompt = \"b\"";
        let out = apply(
            text,
            &[
                set(&["item", "a", "explanation"], "why"),
                set(&["item", "b", "explanation"], "why b"),
                set(&["translated_from", "item.a.prompt"], "0badf00d"),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "[item.a]\nprompt = \"a\"\nexplanation = \"why\"\n\n# next\n[item.b]\nprompt = \"b\"\nexplanation = \"why b\"\n\n[translated_from]\n\"item.a.prompt\" = \"0badf00d\"\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_place() {
        // A dotted key defines item.a inside [item]: a new [item.a] section would redefine it.
        let text = "[item]\na.prompt = \"a\"\n";
        assert!(apply(text, &[set(&["item", "a", "explanation"], "x")]).is_err());
        assert!(apply("a = [", &[set(&["a"], "x")]).is_err());
        assert!(apply(
            "[item.a]\nprompt = 3\n",
            &[set(&["item", "a", "prompt"], "x")]
        )
        .is_err());
    }
}
