//! The translation files `i18n/<tag>.toml`: every learner-facing string, at keys derived
//! from the ids, and the `[audio]` table. Tracks which keys the pack needs, to report
//! missing strings (per language) and keys that match nothing.

use std::collections::{BTreeMap, BTreeSet};

use toml::de::{DeTable, DeValue};

use super::diag::{did_you_mean, Diags, Loc};
use super::read::{check_len, check_path, parse, type_name, Sp};
use crate::numerals::normalize_answer;
use crate::pack::text::Text;

/// How many missing keys a per-language summary lists.
const LIST_FIRST: usize = 10;

/// A translation value.
#[derive(Debug, Clone)]
enum Value {
    Str(String),
    List(Vec<String>),
    /// A value of the wrong type (already reported): neither missing nor usable.
    Invalid,
}

#[derive(Debug, Clone)]
struct Entry {
    value: Value,
    at: usize,
}

/// One language's translation file, flattened to dotted keys.
#[derive(Debug, Default)]
pub(crate) struct LangFile {
    /// The file's index (registered even when the file is missing).
    pub file: usize,
    /// Whether the file exists.
    pub present: bool,
    /// The language's tag and name, for messages.
    pub tag: String,
    entries: BTreeMap<String, Entry>,
    /// Table paths (`item.broker-promise`) and where their header or key is.
    tables: BTreeMap<String, usize>,
    audio: BTreeMap<String, Entry>,
    /// The `[translated_from]` table: for a key, the fingerprint ([`source_fingerprint`])
    /// of the default language's text the translation was made from.
    from: BTreeMap<String, Entry>,
}

/// One language's strings as plain maps: what `kru strings` reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct LangStrings {
    /// The language tag, as declared in `pack.toml`.
    pub tag: String,
    /// The translation file's path (`i18n/<tag>.toml`), whether or not it exists.
    pub path: String,
    /// Whether the file exists.
    pub present: bool,
    /// Key → string (lists and values of the wrong type left out).
    pub values: BTreeMap<String, String>,
    /// Key → fingerprint of the source text it was translated from.
    pub from: BTreeMap<String, String>,
}

/// The name of the table of a translation file that records, for each translated key, the
/// fingerprint of the source text it was translated from (written by `kru strings import`).
pub(crate) const TRANSLATED_FROM: &str = "translated_from";

/// The fingerprint of a source text: its CRC-32 in 8 lowercase hex digits. Enough to notice
/// that a text changed; it is not a security measure.
pub(crate) fn source_fingerprint(text: &str) -> String {
    format!("{:08x}", crate::checksum::crc32(text.as_bytes()))
}

impl LangFile {
    /// A missing file.
    pub fn missing(file: usize, tag: &str) -> Self {
        LangFile {
            file,
            present: false,
            tag: tag.to_string(),
            ..LangFile::default()
        }
    }

    /// Parses and flattens a translation file.
    pub fn load(d: &mut Diags, file: usize, tag: &str, text: &str) -> Self {
        let mut lf = LangFile {
            file,
            present: true,
            tag: tag.to_string(),
            ..LangFile::default()
        };
        let root = parse(d, file, text);
        for (k, v) in root.get_ref().iter() {
            let key = k.get_ref().as_ref();
            if key == "audio" {
                match v.get_ref() {
                    DeValue::Table(t) => {
                        let mut audio = BTreeMap::new();
                        lf.flatten(d, t, "", &mut audio, true);
                        lf.audio = audio;
                    }
                    other => d.error(
                        Loc::new(file, v.span().start),
                        "wrong-type",
                        format!("`audio` is {}, but it must be a table", type_name(other)),
                        "write audio paths as audio.\"item.x.prompt\" = \"audio/km/x.ogg\"".into(),
                    ),
                }
                continue;
            }
            if key == TRANSLATED_FROM {
                match v.get_ref() {
                    DeValue::Table(t) => {
                        for (k, fv) in t.iter() {
                            let at = fv.span().start;
                            let value = match fv.get_ref() {
                                DeValue::String(s) => Value::Str(s.to_string()),
                                _ => Value::Invalid,
                            };
                            lf.from.insert(k.get_ref().to_string(), Entry { value, at });
                        }
                    }
                    other => d.error(
                        Loc::new(file, v.span().start),
                        "wrong-type",
                        format!(
                            "`{TRANSLATED_FROM}` is {}, but it must be a table",
                            type_name(other)
                        ),
                        "leave this table to `kru strings import`, which writes it".into(),
                    ),
                }
                continue;
            }
            let mut entries = std::mem::take(&mut lf.entries);
            lf.add(d, key, k.span().start, v, &mut entries, false);
            lf.entries = entries;
        }
        lf
    }

    fn flatten(
        &mut self,
        d: &mut Diags,
        t: &DeTable<'_>,
        prefix: &str,
        out: &mut BTreeMap<String, Entry>,
        audio: bool,
    ) {
        for (k, v) in t.iter() {
            let key = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            self.add(d, &key, k.span().start, v, out, audio);
        }
    }

    fn add(
        &mut self,
        d: &mut Diags,
        key: &str,
        key_at: usize,
        v: &toml::Spanned<DeValue<'_>>,
        out: &mut BTreeMap<String, Entry>,
        audio: bool,
    ) {
        let at = v.span().start;
        let loc = Loc::new(self.file, at);
        let value = match v.get_ref() {
            DeValue::Table(t) => {
                if !audio {
                    self.tables.entry(key.to_string()).or_insert(key_at);
                }
                self.flatten(d, t, key, out, audio);
                return;
            }
            DeValue::String(s) => {
                let s = Sp::new(s.to_string(), loc);
                if audio {
                    check_path(d, &s, &format!("audio of '{key}'"));
                } else {
                    check_len(d, &s, &format!("the string '{key}'"));
                }
                Value::Str(s.v)
            }
            DeValue::Array(a) if !audio => {
                let mut list = Vec::new();
                for e in a.iter() {
                    match e.get_ref() {
                        DeValue::String(s) => {
                            let s = Sp::new(s.to_string(), Loc::new(self.file, e.span().start));
                            check_len(d, &s, &format!("an entry of '{key}'"));
                            list.push(s.v);
                        }
                        other => d.error(
                            Loc::new(self.file, e.span().start),
                            "wrong-type",
                            format!(
                                "an entry of '{key}' is {}, but it must be a string",
                                type_name(other)
                            ),
                            "put every entry in \"quotes\"".into(),
                        ),
                    }
                }
                Value::List(list)
            }
            other => {
                d.error(
                    loc,
                    "wrong-type",
                    format!(
                        "'{key}' is {}, but translations must be strings",
                        type_name(other)
                    ),
                    format!(
                        "put the text in \"quotes\"{}",
                        if audio { " (an audio file path)" } else { "" }
                    ),
                );
                Value::Invalid
            }
        };
        out.insert(key.to_string(), Entry { value, at });
    }

    /// Where to point at for a missing key: its closest existing parent table below the top
    /// level (`[item.x]`, not `[item]`), if any.
    fn parent_loc(&self, key: &str) -> Option<Loc> {
        let mut p = key;
        while let Some((head, _)) = p.rsplit_once('.') {
            if !head.contains('.') {
                return None;
            }
            if let Some(&at) = self.tables.get(head) {
                return Some(Loc::new(self.file, at));
            }
            p = head;
        }
        None
    }
}

/// Whether a key is needed and where it comes from.
#[derive(Debug, Clone, Copy)]
struct Want {
    required: bool,
    origin: Loc,
}

/// The pack's strings in every language, and the keys the pack needs.
pub(crate) struct Strings {
    /// One per pack language, in `[[language]]` order.
    langs: Vec<LangFile>,
    default: usize,
    wanted: BTreeMap<String, Want>,
    /// Lists (`accept`) asked for, so that a list in a text's place is reported once.
    reported: BTreeSet<(usize, String)>,
    /// Key prefixes whose keys are not reported as unknown (the strings of an item whose
    /// structure is broken: its errors are reported already).
    allowed: Vec<String>,
}

impl Strings {
    pub fn new(langs: Vec<LangFile>, default: usize) -> Self {
        Strings {
            langs,
            default,
            wanted: BTreeMap::new(),
            reported: BTreeSet::new(),
            allowed: Vec::new(),
        }
    }

    fn want(&mut self, key: &str, required: bool, origin: Loc) {
        // A key made from an invalid id (already reported) would only repeat the error.
        if !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            || key.contains("..")
            || key.ends_with('.')
        {
            return;
        }
        let w = self
            .wanted
            .entry(key.to_string())
            .or_insert(Want { required, origin });
        w.required |= required;
    }

    fn make_text(&mut self, d: &mut Diags, key: &str) -> Text {
        let mut values = Vec::with_capacity(self.langs.len());
        let mut audio = Vec::with_capacity(self.langs.len());
        for (li, lf) in self.langs.iter().enumerate() {
            let v = match lf.entries.get(key) {
                Some(Entry {
                    value: Value::Str(s),
                    ..
                }) => s.clone(),
                Some(Entry {
                    value: Value::List(_),
                    at,
                }) => {
                    if self.reported.insert((li, key.to_string())) {
                        d.error(
                            Loc::new(lf.file, *at),
                            "wrong-type",
                            format!("'{key}' is a list, but it must be a string"),
                            "write one string in \"quotes\"".into(),
                        );
                    }
                    String::new()
                }
                Some(Entry {
                    value: Value::Invalid,
                    ..
                })
                | None => String::new(),
            };
            values.push(v);
            audio.push(match lf.audio.get(key) {
                Some(Entry {
                    value: Value::Str(s),
                    ..
                }) => s.clone(),
                _ => String::new(),
            });
        }
        Text::new(&values, &audio)
    }

    /// The strings of every language as plain maps, in language order (for `kru strings`).
    pub fn lang_strings(&self, d: &Diags) -> Vec<LangStrings> {
        self.langs
            .iter()
            .map(|lf| LangStrings {
                tag: lf.tag.clone(),
                path: d.path(lf.file).to_string(),
                present: lf.present,
                values: lf
                    .entries
                    .iter()
                    .filter_map(|(k, e)| match &e.value {
                        Value::Str(s) => Some((k.clone(), s.clone())),
                        _ => None,
                    })
                    .collect(),
                from: lf
                    .from
                    .iter()
                    .filter_map(|(k, e)| match &e.value {
                        Value::Str(s) => Some((k.clone(), s.clone())),
                        _ => None,
                    })
                    .collect(),
            })
            .collect()
    }

    /// The index of the default language.
    pub fn default_language(&self) -> usize {
        self.default
    }

    /// Every key the pack asked for: whether it is required, and where the part that shows
    /// it is.
    pub fn wanted(&self) -> impl Iterator<Item = (&str, bool, Loc)> + '_ {
        self.wanted
            .iter()
            .map(|(k, w)| (k.as_str(), w.required, w.origin))
    }

    /// The audio file paths of every language's `[audio]` table, where they are written.
    pub fn audio_files(&self) -> Vec<Sp<String>> {
        let mut out = Vec::new();
        for lf in &self.langs {
            for e in lf.audio.values() {
                if let Value::Str(s) = &e.value {
                    out.push(Sp::new(s.clone(), Loc::new(lf.file, e.at)));
                }
            }
        }
        out
    }

    /// Accepts every key under `prefix` without reporting it as unknown.
    pub fn allow_prefix(&mut self, prefix: &str) {
        self.allowed.push(prefix.to_string());
    }

    /// A required string: missing in the default language is an error.
    pub fn text(&mut self, d: &mut Diags, key: &str, origin: Loc) -> Text {
        self.want(key, true, origin);
        self.make_text(d, key)
    }

    /// An optional string (item feedback).
    pub fn optional(&mut self, d: &mut Diags, key: &str, origin: Loc) -> Text {
        self.want(key, false, origin);
        self.make_text(d, key)
    }

    /// The normalised accepted answers listed at `key` in every language, in language order.
    pub fn accept(&mut self, d: &mut Diags, key: &str, origin: Loc) -> Vec<String> {
        self.want(key, false, origin);
        let mut out = Vec::new();
        for lf in &self.langs {
            let list = match lf.entries.get(key) {
                Some(Entry {
                    value: Value::List(l),
                    ..
                }) => l.clone(),
                Some(Entry {
                    value: Value::Str(s),
                    ..
                }) => vec![s.clone()],
                Some(Entry {
                    value: Value::Invalid,
                    ..
                })
                | None => Vec::new(),
            };
            for a in list {
                let n = normalize_answer(&a);
                if n.is_empty() {
                    if let Some(e) = lf.entries.get(key) {
                        d.error(
                            Loc::new(lf.file, e.at),
                            "no-accepted-answer",
                            format!("an accepted answer in '{key}' is empty"),
                            "remove the empty answer".into(),
                        );
                    }
                } else {
                    out.push(n);
                }
            }
        }
        out
    }

    /// Reports missing strings and keys that match nothing. `coverage` is the compiled
    /// pack's `(present, total)` per language ([`crate::pack::Pack::coverage`]): the counts
    /// in the messages are the same as `kru info`'s (a key shown in two places counts twice).
    pub fn report(&self, d: &mut Diags, coverage: &[(usize, usize)]) {
        for (li, lf) in self.langs.iter().enumerate() {
            let missing: Vec<(&String, &Want)> = self
                .wanted
                .iter()
                .filter(|(k, w)| {
                    w.required
                        && match lf.entries.get(k.as_str()) {
                            Some(Entry {
                                value: Value::Str(s),
                                ..
                            }) => s.is_empty(),
                            Some(Entry {
                                value: Value::Invalid,
                                ..
                            }) => false,
                            _ => true,
                        }
                })
                .collect();
            if li == self.default {
                if !lf.present {
                    continue; // reported as a missing file
                }
                for (key, want) in &missing {
                    let (head, leaf) = key.rsplit_once('.').unwrap_or(("", key.as_str()));
                    let loc = lf.parent_loc(key).unwrap_or(want.origin);
                    d.error(
                        loc,
                        "missing-translation",
                        format!(
                            "the string '{key}' is missing in the default language ({})",
                            lf.tag
                        ),
                        format!("add `{leaf} = \"…\"` under [{head}] in {}", d.path(lf.file)),
                    );
                }
            } else if !missing.is_empty() {
                let (present, total) = coverage.get(li).copied().unwrap_or((0, 0));
                let count = total.saturating_sub(present).max(missing.len());
                let total = total.max(count);
                let first: Vec<&str> = missing
                    .iter()
                    .take(LIST_FIRST)
                    .map(|(k, _)| k.as_str())
                    .collect();
                let more = if missing.len() > LIST_FIRST {
                    format!(", and {} more", missing.len() - LIST_FIRST)
                } else {
                    String::new()
                };
                let default_tag = self.langs.get(self.default).map_or("", |l| l.tag.as_str());
                let what = if lf.present {
                    format!("{count} of {total} strings are missing in {}", lf.tag)
                } else {
                    format!(
                        "there is no {}: all {total} strings are missing in {}",
                        d.path(lf.file),
                        lf.tag
                    )
                };
                d.warn(
                    Loc::file(lf.file),
                    "missing-translations",
                    format!("{what}: {}{more}", first.join(", ")),
                    format!(
                        "translate them in {}; until then learners who chose {} see them in another language ({} at last)",
                        d.path(lf.file),
                        lf.tag,
                        default_tag
                    ),
                );
            }
            if li != self.default {
                self.report_stale(d, lf);
            }
            self.report_unknown(d, lf);
        }
    }

    /// The keys of `lf` translated from a default-language text that has changed since (by
    /// its `[translated_from]` fingerprints).
    pub fn stale_keys(&self, lf: &LangFile) -> Vec<String> {
        let Some(source) = self.langs.get(self.default) else {
            return Vec::new();
        };
        lf.from
            .iter()
            .filter_map(|(k, e)| {
                let Value::Str(fp) = &e.value else {
                    return None;
                };
                let Some(Entry {
                    value: Value::Str(now),
                    ..
                }) = source.entries.get(k)
                else {
                    return None;
                };
                let translated = matches!(
                    lf.entries.get(k),
                    Some(Entry { value: Value::Str(s), .. }) if !s.is_empty()
                );
                (translated && *fp != source_fingerprint(now)).then(|| k.clone())
            })
            .collect()
    }

    /// Warns about translations made from a source text that has changed since.
    fn report_stale(&self, d: &mut Diags, lf: &LangFile) {
        let stale = self.stale_keys(lf);
        if stale.is_empty() {
            return;
        }
        let first: Vec<&str> = stale.iter().take(LIST_FIRST).map(String::as_str).collect();
        let more = if stale.len() > LIST_FIRST {
            format!(", and {} more", stale.len() - LIST_FIRST)
        } else {
            String::new()
        };
        d.warn(
            Loc::file(lf.file),
            "stale-translations",
            format!(
                "{} string(s) of {} were translated from a source text that has changed since: {}{more}",
                stale.len(),
                lf.tag,
                first.join(", ")
            ),
            format!(
                "export them for review (kru strings export DIR --lang {} --format po), where they are marked fuzzy, and import the reviewed file",
                lf.tag
            ),
        );
    }

    /// Reports, for each language, the interface strings that neither the pack (`[interface]`
    /// in its translation file) nor the engine has: learners who chose it see them in another
    /// language.
    pub fn report_interface(&self, d: &mut Diags, pack: &crate::pack::Pack) {
        for (lf, cov) in self.langs.iter().zip(crate::ui::coverage(pack)) {
            if cov.missing.is_empty() {
                continue;
            }
            let first: Vec<&str> = cov
                .missing
                .iter()
                .take(LIST_FIRST)
                .map(String::as_str)
                .collect();
            let more = if cov.missing.len() > LIST_FIRST {
                format!(", and {} more", cov.missing.len() - LIST_FIRST)
            } else {
                String::new()
            };
            d.warn(
                Loc::file(lf.file),
                "missing-interface-strings",
                format!(
                    "{} of {} interface strings are missing in {} (kru has no built-in {} strings): {}{more}",
                    cov.missing.len(),
                    cov.total,
                    lf.tag,
                    lf.tag,
                    first.join(", ")
                ),
                format!(
                    "translate them under [interface] in {} (docs/pack-format.md says where the ids and their English texts are); until then they are shown in English",
                    d.path(lf.file)
                ),
            );
        }
    }

    fn has_wanted_under(&self, prefix: &str) -> bool {
        let dotted = format!("{prefix}.");
        self.wanted
            .range(dotted.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&dotted))
    }

    /// The next key part of the wanted keys under `parent` (for "did you mean").
    fn children(&self, parent: &str) -> BTreeSet<String> {
        let dotted = if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}.")
        };
        self.wanted
            .range(dotted.clone()..)
            .take_while(|(k, _)| k.starts_with(&dotted))
            .filter_map(|(k, _)| {
                k.get(dotted.len()..)
                    .and_then(|rest| rest.split('.').next())
                    .map(str::to_string)
            })
            .collect()
    }

    fn report_unknown(&self, d: &mut Diags, lf: &LangFile) {
        let mut reported: BTreeSet<String> = BTreeSet::new();
        for (key, e) in &lf.entries {
            let allowed = self.allowed.iter().any(|p| {
                key.strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            });
            if allowed || self.wanted.contains_key(key) {
                continue;
            }
            // The shortest prefix that matches nothing: report a mistyped table once.
            let parts: Vec<&str> = key.split('.').collect();
            let mut culprit = key.clone();
            let mut at = e.at;
            for n in 1..=parts.len() {
                let prefix = parts.get(..n).map_or(String::new(), |p| p.join("."));
                if self.wanted.contains_key(&prefix) && n < parts.len() {
                    break; // a key below a string: report the key itself
                }
                if !self.has_wanted_under(&prefix) && !self.wanted.contains_key(&prefix) {
                    if let Some(&tat) = lf.tables.get(&prefix) {
                        at = tat;
                    }
                    culprit = prefix;
                    break;
                }
            }
            if !reported.insert(culprit.clone()) {
                continue;
            }
            let (parent, last) = culprit.rsplit_once('.').unwrap_or(("", culprit.as_str()));
            let known = self.children(parent);
            let hint = did_you_mean(last, known.iter().map(String::as_str));
            d.warn(
                Loc::new(lf.file, at),
                "unknown-translation-key",
                format!("'{culprit}' matches nothing in the pack{hint}"),
                "check the spelling against the ids in pack.toml, lessons.toml and items.toml (keys are listed in docs/pack-format.md); remove it if it is left over".into(),
            );
        }
        for (key, e) in &lf.audio {
            if !self.wanted.contains_key(key) {
                let (parent, last) = key.rsplit_once('.').unwrap_or(("", key.as_str()));
                let known = self.children(parent);
                let hint = did_you_mean(last, known.iter().map(String::as_str));
                d.warn(
                    Loc::new(lf.file, e.at),
                    "unknown-translation-key",
                    format!("the audio for '{key}' matches no string of the pack{hint}"),
                    "the key of an audio entry must be the key of a string, e.g. audio.\"item.x.prompt\"".into(),
                );
            }
        }
    }
}
