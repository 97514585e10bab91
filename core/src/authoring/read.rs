//! Reading values out of a parsed TOML tree, reporting wrong types, missing and unknown
//! fields with their places.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::diag::{did_you_mean, Diags, Loc};
use crate::limits;
use crate::pack::Date;

/// A value with its place in the sources.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sp<T> {
    pub v: T,
    pub loc: Loc,
}

impl<T> Sp<T> {
    pub fn new(v: T, loc: Loc) -> Self {
        Sp { v, loc }
    }
}

/// An id with its place.
pub(crate) type Id = Sp<String>;

/// The name of a TOML value's type, for messages.
pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// Parses a TOML file, reporting its syntax errors; returns the (recovered) tree.
pub(crate) fn parse<'i>(d: &mut Diags, file: usize, text: &'i str) -> Spanned<DeTable<'i>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    let mut seen_lines = Vec::new();
    for e in errors {
        let loc = match e.span() {
            Some(s) => Loc::new(file, s.start),
            None => Loc::file(file),
        };
        // One syntax error per line is enough: the rest are usually consequences.
        let line = d.line_of(loc);
        if seen_lines.contains(&line) {
            continue;
        }
        seen_lines.push(line);
        let message = e.message().to_string();
        let (message, help) = syntax_message(text, e.span(), message);
        d.error(loc, "toml-syntax", message, help);
    }
    table
}

/// The message and help of a TOML syntax error: a duplicate key is named, a bad date or
/// time is echoed with help about dates (not the generic help about quotes and brackets).
fn syntax_message(
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: String,
) -> (String, String) {
    // What the error points at: the span's text, or the token that starts there.
    let at = span.as_ref().map_or("", |s| {
        let spanned = text.get(s.clone()).unwrap_or("").trim();
        if spanned.is_empty() || spanned.contains('\n') {
            text.get(s.start..)
                .unwrap_or("")
                .split(|c: char| c.is_whitespace() || matches!(c, '#' | ',' | ']' | '}'))
                .next()
                .unwrap_or("")
        } else {
            spanned
        }
    });
    let at: String = at.chars().take(60).collect();
    if message.contains("duplicate key") {
        let key = at.trim_start_matches('[').trim_end_matches(']');
        return (
            format!("invalid TOML: duplicate key `{key}`"),
            format!("`{key}` may appear once per table; remove or rename the second one (a table header such as [item.x] also may appear only once)"),
        );
    }
    let is_date = ["date", "month", "day", "hour", "minute", "second", "offset"]
        .iter()
        .any(|w| message.contains(w));
    if is_date {
        return (
            format!("invalid TOML: {message}: {at}"),
            "write a date as \"YYYY-MM-DD\" with a month from 01 to 12 and a day that exists in that month, e.g. verified = \"2026-10-01\"".into(),
        );
    }
    (
        format!("invalid TOML: {message}"),
        "fix the TOML syntax here: strings need \"quotes\", lists [brackets], one `key = value` per line (see docs/pack-format.md)".into(),
    )
}

/// Checks that an id uses only `A-Z a-z 0-9 _ -` and fits the limit; reports otherwise.
pub(crate) fn check_id(d: &mut Diags, id: &Id, what: &str) -> bool {
    let s = id.v.as_str();
    // "the item id 'x'", but "the string key 'x'".
    let what = if what.ends_with("key") {
        what.to_string()
    } else {
        format!("{what} id")
    };
    if s.is_empty() {
        d.error(
            id.loc,
            "invalid-id",
            format!("the {what} is empty"),
            "give it an id made of letters, digits, '-' and '_', e.g. \"broker-promise\"".into(),
        );
        return false;
    }
    if s.len() > limits::MAX_ID_BYTES {
        d.error(
            id.loc,
            "invalid-id",
            format!(
                "the {what} '{s}' is {} bytes long, more than the limit of {}",
                s.len(),
                limits::MAX_ID_BYTES
            ),
            "use a shorter id".into(),
        );
        return false;
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        d.error(
            id.loc,
            "invalid-id",
            format!("the {what} '{s}' contains {c:?}; ids may only use A-Z a-z 0-9 _ -"),
            format!(
                "rename it, e.g. '{}', and update every place that refers to it",
                s.chars()
                    .map(|c| if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    })
                    .collect::<String>()
                    .trim_matches('-')
            ),
        );
        return false;
    }
    true
}

/// Checks a string against [`limits::MAX_STRING_BYTES`].
pub(crate) fn check_len(d: &mut Diags, s: &Sp<String>, what: &str) {
    if s.v.len() > limits::MAX_STRING_BYTES {
        d.error(
            s.loc,
            "too-long",
            format!(
                "{what} is {} bytes long, more than the limit of {} bytes",
                s.v.len(),
                limits::MAX_STRING_BYTES
            ),
            "shorten it or split it into several strings".into(),
        );
    }
}

/// Reports a list longer than `max`.
pub(crate) fn check_count(d: &mut Diags, loc: Loc, len: usize, max: usize, what: &str) {
    if len > max {
        d.error(
            loc,
            "too-many",
            format!("there are {len} {what}, more than the limit of {max}"),
            format!("remove some {what}, or split the content into several packs"),
        );
    }
}

/// Checks a media path (image, audio): relative, inside the pack folder, not empty.
pub(crate) fn check_path(d: &mut Diags, p: &Sp<String>, what: &str) {
    let s = p.v.as_str();
    let bad = if s.trim().is_empty() {
        Some("is empty")
    } else if s.starts_with('/') || s.starts_with('\\') || s.contains(':') {
        Some("is absolute")
    } else if s.split(['/', '\\']).any(|part| part == "..") {
        Some("leaves the pack folder ('..')")
    } else {
        None
    };
    if let Some(why) = bad {
        d.error(
            p.loc,
            "invalid-path",
            format!("the {what} path '{s}' {why}"),
            "write a path relative to the pack folder, e.g. \"images/passport.svg\"".into(),
        );
    }
    check_len(d, p, &format!("the {what} path"));
}

/// A TOML table being read: tracks its place and what it is, for messages.
pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    /// The place of the table (its header, or its `{` for inline tables).
    pub loc: Loc,
    /// What the table is, e.g. `[[item]] 'broker-promise'`, for messages.
    pub what: String,
    /// The translation table of this part's strings (`item.broker-promise`), when it has
    /// strings: an unknown field holding text is then shown where it belongs.
    strings_table: Option<String>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, loc: Loc, what: impl Into<String>) -> Self {
        Fields {
            table,
            loc,
            what: what.into(),
            strings_table: None,
        }
    }

    /// Names the translation table of the part's strings (e.g. `item.broker-promise`).
    pub fn with_strings(mut self, table: String) -> Self {
        self.strings_table = Some(table);
        self
    }

    /// The field `id` as written, when it is a string (before it is checked).
    pub fn raw_id(&self) -> Option<&str> {
        match self.raw("id").map(Spanned::get_ref) {
            Some(DeValue::String(s)) => Some(s.as_ref()),
            _ => None,
        }
    }

    fn at(&self, span_start: usize) -> Loc {
        Loc::new(self.loc.file, span_start)
    }

    /// The raw value of a field.
    pub fn raw(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    /// Whether the field is present.
    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// The place of a field's key, or of the table when it is absent.
    pub fn key_loc(&self, key: &str) -> Loc {
        self.table
            .get_key_value(key)
            .map_or(self.loc, |(k, _)| self.at(k.span().start))
    }

    fn missing(&self, d: &mut Diags, key: &str, example: &str) {
        d.error(
            self.loc,
            "missing-field",
            format!("{} has no `{key}`", self.what),
            format!("add `{key} = {example}` to it"),
        );
    }

    fn wrong(&self, d: &mut Diags, key: &str, v: &Spanned<DeValue<'i>>, want: &str) {
        d.error(
            self.at(v.span().start),
            "wrong-type",
            format!(
                "`{key}` of {} is {}, but it must be {want}",
                self.what,
                type_name(v.get_ref())
            ),
            format!("write `{key}` as {want}"),
        );
    }

    /// A string field; `example` is shown when it is required and missing.
    pub fn string(&self, d: &mut Diags, key: &str, required: Option<&str>) -> Option<Sp<String>> {
        let Some(v) = self.raw(key) else {
            if let Some(example) = required {
                self.missing(d, key, example);
            }
            return None;
        };
        match v.get_ref() {
            DeValue::String(s) => Some(Sp::new(s.to_string(), self.at(v.span().start))),
            _ => {
                self.wrong(d, key, v, "a string in \"quotes\"");
                None
            }
        }
    }

    /// A required id field, checked for its characters.
    pub fn id(&self, d: &mut Diags, key: &str, what: &str) -> Option<Id> {
        let id = self.string(d, key, Some("\"some-id\""))?;
        check_id(d, &id, what);
        Some(id)
    }

    /// An optional boolean field.
    pub fn boolean(&self, d: &mut Diags, key: &str) -> Option<Sp<bool>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Sp::new(*b, self.at(v.span().start))),
            _ => {
                self.wrong(d, key, v, "true or false");
                None
            }
        }
    }

    /// An optional integer field.
    pub fn integer(&self, d: &mut Diags, key: &str) -> Option<Sp<i64>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(Sp::new(n, self.at(v.span().start))),
                Err(_) => {
                    d.error(
                        self.at(v.span().start),
                        "invalid-number",
                        format!("`{key}` of {} is too large", self.what),
                        "use a smaller number".into(),
                    );
                    None
                }
            },
            _ => {
                self.wrong(d, key, v, "a whole number");
                None
            }
        }
    }

    /// An optional number field (integer or float).
    pub fn number(&self, d: &mut Diags, key: &str, required: Option<&str>) -> Option<Sp<f64>> {
        let Some(v) = self.raw(key) else {
            if let Some(example) = required {
                self.missing(d, key, example);
            }
            return None;
        };
        let loc = self.at(v.span().start);
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => {
                self.wrong(d, key, v, "a number");
                return None;
            }
        };
        match parsed {
            Some(x) if x.is_finite() => Some(Sp::new(x, loc)),
            _ => {
                d.error(
                    loc,
                    "invalid-number",
                    format!("`{key}` of {} is not a finite number", self.what),
                    "write an ordinary number such as 1288 or 2.5".into(),
                );
                None
            }
        }
    }

    /// A date field: a "YYYY-MM-DD" string or a TOML local date.
    pub fn date(&self, d: &mut Diags, key: &str, required: bool) -> Option<Sp<Date>> {
        let Some(v) = self.raw(key) else {
            if required {
                self.missing(d, key, "\"2026-01-31\"");
            }
            return None;
        };
        let loc = self.at(v.span().start);
        let parsed = match v.get_ref() {
            DeValue::String(s) => Date::parse(s),
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|x| Date::parse(&x.to_string()))
            }
            DeValue::Datetime(_) => None,
            _ => {
                self.wrong(d, key, v, "a date such as \"2026-01-31\"");
                return None;
            }
        };
        if parsed.is_none() {
            let written = match v.get_ref() {
                DeValue::String(s) => format!("\"{s}\""),
                DeValue::Datetime(dt) => dt.to_string(),
                _ => String::new(),
            };
            d.error(
                loc,
                "invalid-date",
                format!("`{key}` of {} is {written}, not a valid date", self.what),
                "write the date as \"YYYY-MM-DD\", e.g. \"2026-01-31\" (a day that exists)".into(),
            );
        }
        parsed.map(|x| Sp::new(x, loc))
    }

    /// A list of strings. `ids`: check each as an id (`what` names them). Returns `None`
    /// when absent (reported when `required`).
    pub fn strings(
        &self,
        d: &mut Diags,
        key: &str,
        required: bool,
        ids: Option<&str>,
    ) -> Option<Sp<Vec<Sp<String>>>> {
        let Some(v) = self.raw(key) else {
            if required {
                self.missing(d, key, "[\"…\"]");
            }
            return None;
        };
        let loc = self.at(v.span().start);
        let DeValue::Array(a) = v.get_ref() else {
            self.wrong(d, key, v, "a list such as [\"a\", \"b\"]");
            return None;
        };
        let mut out = Vec::new();
        for e in a.iter() {
            let eloc = self.at(e.span().start);
            match e.get_ref() {
                DeValue::String(s) => {
                    let s = Sp::new(s.to_string(), eloc);
                    match ids {
                        Some(what) => {
                            check_id(d, &s, what);
                        }
                        None => check_len(d, &s, &format!("an entry of `{key}`")),
                    }
                    out.push(s);
                }
                other => d.error(
                    eloc,
                    "wrong-type",
                    format!(
                        "an entry of `{key}` of {} is {}, but it must be a string",
                        self.what,
                        type_name(other)
                    ),
                    "put every entry in \"quotes\"".into(),
                ),
            }
        }
        Some(Sp::new(out, loc))
    }

    /// A sub-table field (a `[x.y]` table or an inline `{ … }` table).
    pub fn table(&self, d: &mut Diags, key: &str) -> Option<(&'t DeTable<'i>, Loc)> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, self.at(v.span().start))),
            _ => {
                self.wrong(d, key, v, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[key]]`, or a list of inline tables).
    pub fn tables(&self, d: &mut Diags, key: &str) -> Vec<(&'t DeTable<'i>, Loc)> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(a) = v.get_ref() else {
            self.wrong(d, key, v, &format!("a list of tables, written [[{key}]]"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in a.iter() {
            match e.get_ref() {
                DeValue::Table(t) => out.push((t, self.at(e.span().start))),
                other => d.error(
                    self.at(e.span().start),
                    "wrong-type",
                    format!(
                        "an entry of `{key}` of {} is {}, but it must be a table",
                        self.what,
                        type_name(other)
                    ),
                    format!("write each entry as a [[{key}]] table or {{ … }}"),
                ),
            }
        }
        out
    }

    /// When `key` holds text (a string, or a list of strings for `accept`) and the part has
    /// a translation table: the help that shows the exact lines to write in the strings file.
    fn text_in_structure(&self, key: &str) -> Option<String> {
        let table = self.strings_table.as_deref()?;
        let value = match self.raw(key)?.get_ref() {
            DeValue::String(s) => toml_string(s),
            DeValue::Array(a) if !a.is_empty() => {
                let mut parts = Vec::new();
                for e in a.iter() {
                    match e.get_ref() {
                        DeValue::String(s) => parts.push(toml_string(s)),
                        _ => return None,
                    }
                }
                format!("[{}]", parts.join(", "))
            }
            _ => return None,
        };
        Some(format!(
            "strings live in i18n/<language>.toml (i18n/en.toml, i18n/km.toml, …) under [{table}]; move it there, in each language:\n      [{table}]\n      {key} = {value}"
        ))
    }

    /// Reports every field not in `allowed`.
    pub fn deny_unknown(&self, d: &mut Diags, allowed: &[&str], context: &str) {
        for (k, _) in self.table.iter() {
            let key = k.get_ref().as_ref();
            if allowed.contains(&key) {
                continue;
            }
            if let Some(help) = self.text_in_structure(key) {
                let file = d.path(self.loc.file).to_string();
                d.error(
                    self.at(k.span().start),
                    "unknown-field",
                    format!(
                        "{} has text in `{key}`, but learner-facing strings do not live in {}",
                        self.what, file
                    ),
                    help,
                );
                continue;
            }
            let hint = did_you_mean(key, allowed.iter().copied());
            let list = if allowed.is_empty() {
                "no fields".to_string()
            } else {
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            d.error(
                self.at(k.span().start),
                "unknown-field",
                format!("{} has an unknown field `{key}`{hint}", self.what),
                format!("{context}takes {list}; remove or rename `{key}`"),
            );
        }
    }
}

/// `s` as a TOML basic string, quoted and escaped.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
