//! Strings for translators: every learner-facing string of a pack with where it is shown,
//! its source-language text and its current translation ([`catalogue`]), and a translator's
//! work taken back into the pack's `i18n/<tag>.toml` ([`import`]), reporting new, changed
//! and stale strings and refusing broken placeholders or the wrong language.
//!
//! Stale translations: a translation file may hold a `[translated_from]` table that records,
//! for each translated key, the fingerprint (CRC-32, 8 hex digits) of the source text it was
//! translated from. [`import`] writes it; [`catalogue`] marks a translation whose source text
//! has changed since as [`EntryState::Stale`] (fuzzy in a PO file), and `kru validate` warns
//! about such strings (`stale-translations`). A translation with no fingerprint (written by
//! hand) is taken as current. The file formats are in [`po`] here and, for spreadsheets, in
//! the `kru` tool; the layout is documented in `docs/translating.md`.

mod edit;
pub mod po;

use std::collections::{BTreeMap, BTreeSet};

use super::build::{compile_keeping_keys, KeptStrings};
use super::i18n::{source_fingerprint, LangStrings, TRANSLATED_FROM};
use super::SourceFile;
use crate::error_code::ErrorCode;
use crate::language::LanguageTag;

/// Why strings cannot be exported or imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StringsError {
    /// The pack has no language with that tag.
    #[error("the pack has no language '{language}' (it has: {known})")]
    UnknownLanguage {
        /// The tag asked for.
        language: String,
        /// The pack's tags.
        known: String,
    },
    /// The language is the pack's default (source) language: there is nothing to translate.
    #[error("'{language}' is the pack's default language, the source of every translation: choose another language")]
    SourceLanguage {
        /// The tag.
        language: String,
    },
    /// The file's translations are not in the file's language.
    #[error("the translations do not look like {language}: {count} of {of} translated strings have no letter of its script, e.g. {key} = \"{sample}\" (is this the file of another language?)")]
    WrongLanguage {
        /// The language the file says it is for.
        language: String,
        /// Strings without a letter of the script.
        count: usize,
        /// Translated strings with letters.
        of: usize,
        /// The key of one such string.
        key: String,
        /// Its text (shortened).
        sample: String,
    },
    /// Translations that drop, add or misspell a `{placeholder}` of their source.
    #[error("{} translation(s) have broken placeholders, nothing was imported: {}", .0.len(), .0.join("; "))]
    BrokenPlaceholders(Vec<String>),
    /// The file is not a strings file kru can read.
    #[error("{place}: {message}")]
    BadFile {
        /// Where (a line, a cell).
        place: String,
        /// What is wrong.
        message: String,
    },
    /// The file is larger than the reader takes.
    #[error("the {what} is larger than the limit of {limit}")]
    TooLarge {
        /// What.
        what: String,
        /// The limit.
        limit: String,
    },
    /// The translations could not be written into the translation file.
    #[error("{path}: {message}")]
    CannotWrite {
        /// The translation file.
        path: String,
        /// Why.
        message: String,
    },
}

impl StringsError {
    /// The error's entry in the [error table](crate::error_code).
    pub fn code(&self) -> ErrorCode {
        match self {
            StringsError::UnknownLanguage { .. } | StringsError::SourceLanguage { .. } => {
                ErrorCode::StringsUnknownLanguage
            }
            StringsError::WrongLanguage { .. } => ErrorCode::StringsWrongLanguage,
            StringsError::BrokenPlaceholders(_) => ErrorCode::StringsBrokenPlaceholder,
            StringsError::BadFile { .. }
            | StringsError::TooLarge { .. }
            | StringsError::CannotWrite { .. } => ErrorCode::StringsBadFile,
        }
    }
}

/// The state of a string's translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryState {
    /// Not translated yet.
    Untranslated,
    /// Translated (from the current source text, or with no record of the source).
    Translated,
    /// Translated from a source text that has changed since.
    Stale,
}

impl EntryState {
    /// `"untranslated"`, `"translated"` or `"stale"`.
    pub fn name(self) -> &'static str {
        match self {
            EntryState::Untranslated => "untranslated",
            EntryState::Translated => "translated",
            EntryState::Stale => "stale",
        }
    }
}

/// One learner-facing string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    /// The key, e.g. `item.broker-promise.prompt`.
    pub key: String,
    /// Where a learner sees it, in words.
    pub context: String,
    /// The place in the sources of the part that shows it (`items.toml:13`).
    pub reference: String,
    /// The text in the pack's default language.
    pub source: String,
    /// The current translation ("" when none).
    pub translation: String,
    /// Whether it is translated, and from the current source text.
    pub state: EntryState,
    /// Whether the pack needs it (optional strings: item feedback, a Likert explanation).
    pub required: bool,
}

/// Every learner-facing string of a pack, for translation into one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringCatalogue {
    /// The pack's id.
    pub pack_id: String,
    /// The default language's tag (the source of the translations).
    pub source_language: String,
    /// The target language's tag.
    pub language: String,
    /// The translation file (`i18n/<tag>.toml`).
    pub path: String,
    /// The strings, in the order of the parts that show them.
    pub entries: Vec<CatalogueEntry>,
}

impl StringCatalogue {
    /// How many entries are in each state: (untranslated, translated, stale).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s| self.entries.iter().filter(|e| e.state == s).count();
        (
            n(EntryState::Untranslated),
            n(EntryState::Translated),
            n(EntryState::Stale),
        )
    }
}

/// Finds the language `tag` among the pack's (the same tag, or a tag meaning the same
/// language), refusing the default language.
fn target<'a>(kept: &'a KeptStrings, tag: &str) -> Result<(usize, &'a LangStrings), StringsError> {
    let wanted = LanguageTag::parse(tag).ok();
    let i = kept
        .langs
        .iter()
        .position(|l| {
            l.tag == tag || (wanted.is_some() && LanguageTag::parse(&l.tag).ok() == wanted)
        })
        .ok_or_else(|| StringsError::UnknownLanguage {
            language: tag.to_string(),
            known: kept
                .langs
                .iter()
                .map(|l| l.tag.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    if i == kept.default {
        return Err(StringsError::SourceLanguage {
            language: tag.to_string(),
        });
    }
    let lang = kept.langs.get(i).ok_or(StringsError::UnknownLanguage {
        language: tag.to_string(),
        known: String::new(),
    })?;
    Ok((i, lang))
}

/// The keys a translator translates: the pack's wanted keys that have a source text, except
/// the per-language lists of accepted answers (`accept`).
fn translatable(kept: &KeptStrings) -> Vec<(&super::build::WantedKey, &str)> {
    let Some(source) = kept.langs.get(kept.default) else {
        return Vec::new();
    };
    kept.wanted
        .iter()
        .filter(|w| !w.key.ends_with(".accept"))
        .filter_map(|w| {
            source
                .values
                .get(&w.key)
                .filter(|s| !s.is_empty())
                .map(|s| (w, s.as_str()))
        })
        .collect()
}

/// Every learner-facing string of the pack in `files`, with its translation into `language`.
/// Works on a pack with errors too (a translator can start before the pack is finished), as
/// long as `pack.toml` declares the languages.
pub fn catalogue(files: &[SourceFile], language: &str) -> Result<StringCatalogue, StringsError> {
    let (_, kept) = compile_keeping_keys(files, None, None);
    let (_, lang) = target(&kept, language)?;
    let source_language = kept
        .langs
        .get(kept.default)
        .map_or(String::new(), |l| l.tag.clone());
    let entries = translatable(&kept)
        .into_iter()
        .map(|(w, source)| {
            let translation = lang.values.get(&w.key).cloned().unwrap_or_default();
            let state = if translation.is_empty() {
                EntryState::Untranslated
            } else if lang
                .from
                .get(&w.key)
                .is_some_and(|fp| *fp != source_fingerprint(source))
            {
                EntryState::Stale
            } else {
                EntryState::Translated
            };
            CatalogueEntry {
                key: w.key.clone(),
                context: context_of(&w.key, w.required),
                reference: match w.line {
                    Some(l) => format!("{}:{l}", w.file),
                    None => w.file.clone(),
                },
                source: source.to_string(),
                translation,
                state,
                required: w.required,
            }
        })
        .collect();
    Ok(StringCatalogue {
        pack_id: kept.pack_id.clone(),
        source_language,
        language: lang.tag.clone(),
        path: lang.path.clone(),
        entries,
    })
}

/// A translated string coming back from a translator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The key.
    pub key: String,
    /// The source text the translator saw.
    pub source: String,
    /// The translation ("" for untranslated: ignored).
    pub translation: String,
    /// Whether the translator left it marked fuzzy (not confirmed): not imported.
    pub fuzzy: bool,
    /// Where it is in the file (`line 42`, `strings!D7`), for messages.
    pub place: String,
}

/// What [`import`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The translation file (`i18n/<tag>.toml`).
    pub path: String,
    /// Its new text.
    pub text: String,
    /// Whether the file existed before.
    pub existed: bool,
    /// Keys translated for the first time.
    pub new: Vec<String>,
    /// Keys whose translation changed.
    pub changed: Vec<String>,
    /// Keys imported from a source text that is no longer the pack's (the source changed
    /// since the file was exported): they stay marked stale.
    pub stale: Vec<String>,
    /// Keys left as they were, marked fuzzy in the file.
    pub fuzzy: Vec<String>,
    /// Keys of the file that the pack does not have (ignored).
    pub unknown: Vec<String>,
    /// Strings with the same translation as before.
    pub unchanged: usize,
    /// Strings of the file with no translation (ignored).
    pub untranslated: usize,
}

/// Takes a translator's strings for `language` into the pack in `files`: returns the new
/// text of the language's translation file (nothing is written here) and what changed.
///
/// Refused as a whole, so that a half-imported file never exists: a language the pack does
/// not have or its default language, translations whose script is not the language's
/// ([`StringsError::WrongLanguage`]), and translations whose `{placeholders}` differ from
/// their source's ([`StringsError::BrokenPlaceholders`]).
pub fn import(
    files: &[SourceFile],
    language: &str,
    incoming: &[Incoming],
) -> Result<ImportOutcome, StringsError> {
    let (_, kept) = compile_keeping_keys(files, None, None);
    let (_, lang) = target(&kept, language)?;
    let sources: BTreeMap<&str, &str> = translatable(&kept)
        .into_iter()
        .map(|(w, s)| (w.key.as_str(), s))
        .collect();
    let mut out = ImportOutcome {
        path: lang.path.clone(),
        existed: lang.present,
        ..ImportOutcome::default()
    };
    let mut seen = BTreeSet::new();
    let mut broken = Vec::new();
    let mut taken: Vec<&Incoming> = Vec::new();
    for e in incoming {
        if !seen.insert(e.key.as_str()) {
            return Err(StringsError::BadFile {
                place: e.place.clone(),
                message: format!("the key '{}' is in the file twice", e.key),
            });
        }
        let Some(&now) = sources.get(e.key.as_str()) else {
            if !e.translation.is_empty() {
                out.unknown.push(e.key.clone());
            }
            continue;
        };
        if e.translation.is_empty() {
            out.untranslated += 1;
            continue;
        }
        if e.fuzzy {
            out.fuzzy.push(e.key.clone());
            continue;
        }
        if let Some(problem) = placeholder_problem(now, &e.translation) {
            broken.push(format!("{} ({}): {problem}", e.key, e.place));
            continue;
        }
        taken.push(e);
    }
    if !broken.is_empty() {
        return Err(StringsError::BrokenPlaceholders(broken));
    }
    check_script(&lang.tag, &taken)?;
    let mut sets = Vec::new();
    for e in taken {
        let now = sources.get(e.key.as_str()).copied().unwrap_or("");
        let before = lang.values.get(&e.key).map_or("", String::as_str);
        // The fingerprint of the text the translator translated: the current source, or the
        // older one the file was exported with (then the string stays stale).
        let fingerprint = source_fingerprint(&e.source);
        if e.source != now {
            out.stale.push(e.key.clone());
        }
        if before.is_empty() {
            out.new.push(e.key.clone());
        } else if before != e.translation {
            out.changed.push(e.key.clone());
        } else {
            out.unchanged += 1;
        }
        if before != e.translation {
            sets.push(edit::Set {
                path: e.key.split('.').map(str::to_string).collect(),
                value: e.translation.clone(),
            });
        }
        if lang.from.get(&e.key) != Some(&fingerprint) {
            sets.push(edit::Set {
                path: vec![TRANSLATED_FROM.to_string(), e.key.clone()],
                value: fingerprint,
            });
        }
    }
    let current = files
        .iter()
        .find(|f| f.path.trim_start_matches("./") == lang.path)
        .map_or("", |f| f.text.as_str());
    let start = if lang.present || !current.is_empty() {
        current.to_string()
    } else {
        format!(
            "# {} strings of the pack '{}', written by kru strings import.\n",
            lang.tag, kept.pack_id
        )
    };
    out.text = edit::apply(&start, &sets).map_err(|message| StringsError::CannotWrite {
        path: lang.path.clone(),
        message,
    })?;
    Ok(out)
}

/// The `{placeholders}` of a text, in order.
fn placeholders(s: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = rest.get(i..).unwrap_or("");
        if tail.starts_with('}') {
            return Err("a '}' without its '{'".into());
        }
        let Some(end) = tail.find('}') else {
            return Err("a '{' without its '}'".into());
        };
        let name = tail.get(..=end).unwrap_or("");
        if name.get(1..).is_some_and(|n| n.contains('{')) {
            return Err(format!("'{{' inside {name}"));
        }
        out.push(name);
        rest = tail.get(end + 1..).unwrap_or("");
    }
    Ok(out)
}

/// Why a translation's placeholders do not fit its source's, if they do not.
fn placeholder_problem(source: &str, translation: &str) -> Option<String> {
    let Ok(mut want) = placeholders(source) else {
        return None; // the source itself has stray braces: nothing to compare
    };
    let mut have = match placeholders(translation) {
        Ok(h) => h,
        Err(e) => return Some(e),
    };
    want.sort_unstable();
    have.sort_unstable();
    (want != have).then(|| {
        format!(
            "the source has {}, the translation {}",
            list_or_none(&want),
            list_or_none(&have)
        )
    })
}

fn list_or_none(v: &[&str]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(" ")
    }
}

/// The letters of the scripts of the languages whose script tells them apart from the
/// source text (`km` Khmer, `my` Myanmar, `lo` Lao, `th` Thai, `zh`/`ja`/`ko` CJK, Hangul,
/// kana), as ranges of code points.
fn script_of(tag: &str) -> Option<&'static [(u32, u32)]> {
    let lang = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match lang.as_str() {
        "km" => &[(0x1780, 0x17FF), (0x19E0, 0x19FF)],
        "my" => &[(0x1000, 0x109F), (0xAA60, 0xAA7F)],
        "lo" => &[(0x0E80, 0x0EFF)],
        "th" => &[(0x0E00, 0x0E7F)],
        "zh" => &[(0x4E00, 0x9FFF), (0x3400, 0x4DBF)],
        "ja" => &[(0x3040, 0x30FF), (0x4E00, 0x9FFF)],
        "ko" => &[(0xAC00, 0xD7AF), (0x1100, 0x11FF)],
        _ => return None,
    })
}

/// Refuses translations into a language with its own script when most of them have no
/// letter of it (an English or Thai file imported as Khmer).
fn check_script(tag: &str, taken: &[&Incoming]) -> Result<(), StringsError> {
    let Some(ranges) = script_of(tag) else {
        return Ok(());
    };
    let in_script = |c: char| ranges.iter().any(|&(a, b)| (a..=b).contains(&u32::from(c)));
    let with_letters: Vec<&&Incoming> = taken
        .iter()
        .filter(|e| e.translation.chars().any(char::is_alphabetic))
        .collect();
    let foreign: Vec<&&Incoming> = with_letters
        .iter()
        .copied()
        .filter(|e| !e.translation.chars().any(in_script))
        .collect();
    // Names and numbers (CARE, 1288) are fine; most strings in another script are not.
    if let Some(first) = foreign.first() {
        if foreign.len() * 2 > with_letters.len() {
            return Err(StringsError::WrongLanguage {
                language: tag.to_string(),
                count: foreign.len(),
                of: with_letters.len(),
                key: first.key.clone(),
                sample: first.translation.chars().take(40).collect(),
            });
        }
    }
    Ok(())
}

/// Where a learner sees the string at `key`, in words (from the shape of the key; see the
/// key table in `docs/pack-format.md`).
pub fn context_of(key: &str, required: bool) -> String {
    let p: Vec<&str> = key.split('.').collect();
    let optional = if required { "" } else { " (optional)" };
    let what = match p.as_slice() {
        ["pack", "title"] => "the pack's title, on the start screen".to_string(),
        ["pack", "description"] => "the pack's description, on the start screen".to_string(),
        ["objective", id, "title"] => {
            format!("learning objective '{id}': its title (lessons, reference card, report)")
        }
        ["objective", id, "summary"] => format!(
            "learning objective '{id}': its key message in a few sentences (reference card)"
        ),
        ["indicator", id, "label"] => format!("indicator '{id}': its label in reports"),
        ["resource", id, "name"] => {
            format!("help resource '{id}': its name (reference card, lessons)")
        }
        ["resource", id, "hours"] => format!("help resource '{id}': when it can be reached"),
        ["resource", id, "purpose"] => format!("help resource '{id}': what it helps with"),
        ["intake", id, "label"] => format!("intake question '{id}' (asked before the quiz)"),
        ["intake", id, "options", o] => format!("intake question '{id}': answer '{o}'"),
        ["card", "title"] => "the reference card's title".to_string(),
        ["card", "footer"] => "the reference card's footer".to_string(),
        ["journey", id, "title"] => {
            format!("journey '{id}': its title, where the learner chooses what to do")
        }
        ["journey", id, "phase", ph, "title"] => {
            format!("journey '{id}': the heading of phase '{ph}'")
        }
        ["lesson", id, "title"] => format!("lesson '{id}': its title"),
        ["lesson", id, k] => format!("lesson '{id}': text '{k}' on one of its pages"),
        ["story", id, "title"] => format!("story '{id}': its title"),
        ["story", id, "node", n, "text"] => format!("story '{id}', scene '{n}': what happens"),
        ["story", id, "node", n, "choice", c, "label"] => {
            format!("story '{id}', scene '{n}': choice '{c}' (a button)")
        }
        ["story", id, "node", n, "choice", c, "consequence"] => {
            format!("story '{id}', scene '{n}': what follows choice '{c}'")
        }
        ["item", id, "prompt"] => format!("question '{id}': the question"),
        ["item", id, "explanation"] => {
            format!("question '{id}': the explanation shown after the answer")
        }
        ["item", id, "feedback_correct"] => {
            format!("question '{id}': feedback after a right answer")
        }
        ["item", id, "feedback_incorrect"] => {
            format!("question '{id}': feedback after a wrong answer")
        }
        ["item", id, "options", o] => {
            format!("question '{id}': answer option (or step, or entry) '{o}'")
        }
        _ => format!("the string '{key}'"),
    };
    format!("{what}{optional}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_must_match() {
        assert_eq!(placeholder_problem("Call {phone} now", "ហៅ {phone}"), None);
        assert_eq!(placeholder_problem("no braces", "គ្មាន"), None);
        assert!(placeholder_problem("Call {phone}", "ហៅ {phon}").is_some());
        assert!(placeholder_problem("Call {phone}", "ហៅ").is_some());
        assert!(placeholder_problem("Call", "ហៅ {x}").is_some());
        assert!(placeholder_problem("Call {a}", "ហៅ {a").is_some());
        assert!(placeholder_problem("Call {a}", "ហៅ a}").is_some());
        // Order may change with the language's word order.
        assert_eq!(placeholder_problem("{a} and {b}", "{b} និង {a}"), None);
    }

    #[test]
    fn contexts_name_the_part() {
        assert_eq!(
            context_of("item.broker-promise.options.go-now", true),
            "question 'broker-promise': answer option (or step, or entry) 'go-now'"
        );
        assert!(context_of("item.x.feedback_correct", false).ends_with("(optional)"));
    }
}
