//! Interface strings: the words of the player and of the hosts around a pack's content
//! (buttons, hints, headings, messages), keyed by id, in every language.
//!
//! One catalogue serves every host: `kru play`, the C kiosk, the web app and the HTML report.
//! The built-in catalogues ([`BUILTIN`]: English, the one list of ids, and Khmer) are data
//! files next to this module (`en.toml`, `km.toml`, and the report's words in
//! `report-en.toml`, `report-km.toml`), in the `[interface]` form that
//! [`Catalogue::parse`] reads. A pack may carry its own strings for any of its languages (the
//! `[interface]` table of its `i18n/<tag>.toml`, stored as [`crate::pack::Pack::interface`]);
//! for that language they win over the built-in ones. [`UiStrings::resolve`] picks, for each
//! id, the first string along a language chain: the pack's, then the built-in one, language by
//! language, and English at last.
//!
//! Hosts that keep their code small (the browser's WebAssembly module) do not link
//! [`BUILTIN`] nor the TOML reader: they load the same catalogues as data, compiled at build
//! time into a form that needs no parsing ([`table`]), and hand them to
//! [`UiStrings::resolve_tables`]. [`UiStrings::resolve_with`] takes the TOML text instead.

mod error;
mod parse;
pub mod table;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

pub use error::UiError;

use crate::error_code::ErrorCode;
use crate::pack::Pack;

/// The built-in catalogues as `(language tag, catalogue text)`, English first. English holds
/// every id; the others may lack some. Each is the language's main file followed by its
/// report file (`report-<tag>.toml`: the words of the HTML report and its warnings), which
/// the web app loads only with its report screen (`web-demo/ui-strings.js`).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "en",
        concat!(
            include_str!("en.toml"),
            "\n",
            include_str!("report-en.toml")
        ),
    ),
    (
        "km",
        concat!(
            include_str!("km.toml"),
            "\n",
            include_str!("report-km.toml")
        ),
    ),
];

/// One language's interface strings, `(id, text)` in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    entries: Vec<(String, String)>,
}

impl Catalogue {
    /// Reads a catalogue: comments, the `[interface]` header, then one `id = "text"` line per
    /// string (a subset of TOML; see `core/src/ui/en.toml`).
    pub fn parse(text: &str) -> Result<Self, UiError> {
        parse::parse(text).map(|entries| Catalogue { entries })
    }

    /// Reads a compiled catalogue (`id` U+001F `text` U+001E …, see [`table`]), as
    /// `cargo xtask wasm` writes it with [`Catalogue::to_table`].
    pub fn from_table(text: &str) -> Result<Self, UiError> {
        table::read(text).map(|entries| Catalogue { entries })
    }

    /// The catalogue in its compiled form ([`table`]), which [`Catalogue::from_table`] reads
    /// back the same; a text holding U+001E or U+001F is refused.
    pub fn to_table(&self) -> Result<String, UiError> {
        table::write(self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The string `id`, if the catalogue has it (and it is not empty).
    pub fn get(&self, id: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The ids, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// How many strings the catalogue has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalogue has no string.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The built-in catalogue of `tag`, if there is one. The built-in files are part of the
/// engine and are checked by its tests, so they always parse.
pub fn builtin(tag: &str) -> Option<Catalogue> {
    BUILTIN
        .iter()
        .find(|(t, _)| *t == tag)
        .and_then(|(_, text)| Catalogue::parse(text).ok())
}

/// The ids every host may ask for: those of the built-in English catalogue.
pub fn builtin_ids() -> Vec<String> {
    builtin("en")
        .map(|c| c.ids().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// The interface strings for one language chain, resolved once: every id has its string, in
/// the order of the English catalogue (a list, not a map: it keeps the browser's module small;
/// a lookup is a scan of a few hundred short ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UiStrings {
    strings: Vec<(String, String)>,
}

impl UiStrings {
    /// Resolves every built-in id along `chain` (language tags, the learner's first), with the
    /// pack's own strings, if any, winning over the built-in ones of the same language.
    pub fn resolve(chain: &[&str], pack: Option<&Pack>) -> Self {
        let builtins: Vec<(&str, Catalogue)> = BUILTIN
            .iter()
            .filter_map(|(t, text)| Catalogue::parse(text).ok().map(|c| (*t, c)))
            .collect();
        Self::from_catalogues(chain, pack, &builtins)
    }

    /// The interface strings for a host's preferred languages (BCP 47 tags, best first):
    /// [`UiStrings::resolve`] along [`chain`].
    pub fn for_preferred(pack: Option<&Pack>, preferred: &[&str]) -> Self {
        let chain = chain(pack, preferred);
        let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
        Self::resolve(&chain, pack)
    }

    /// [`UiStrings::for_preferred`] with the built-in catalogues handed in as text (see
    /// [`UiStrings::resolve_with`]).
    pub fn for_preferred_with(
        pack: Option<&Pack>,
        preferred: &[&str],
        builtins: &[(&str, &str)],
    ) -> Result<Self, UiError> {
        let chain = chain(pack, preferred);
        let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
        Self::resolve_with(&chain, pack, builtins)
    }

    /// [`UiStrings::resolve`] with the built-in catalogues handed in as text (`(tag, text)`,
    /// English first: its ids are the ids), for hosts that load them as data.
    pub fn resolve_with(
        chain: &[&str],
        pack: Option<&Pack>,
        builtins: &[(&str, &str)],
    ) -> Result<Self, UiError> {
        Self::read_and_resolve(chain, pack, builtins, Catalogue::parse)
    }

    /// [`UiStrings::resolve_with`] with the built-in catalogues in their compiled form
    /// ([`table`]: the WebAssembly package's `ui/<tag>.txt`), which needs no TOML reader.
    pub fn resolve_tables(
        chain: &[&str],
        pack: Option<&Pack>,
        builtins: &[(&str, &str)],
    ) -> Result<Self, UiError> {
        Self::read_and_resolve(chain, pack, builtins, Catalogue::from_table)
    }

    fn read_and_resolve(
        chain: &[&str],
        pack: Option<&Pack>,
        builtins: &[(&str, &str)],
        read: fn(&str) -> Result<Catalogue, UiError>,
    ) -> Result<Self, UiError> {
        let parsed = builtins
            .iter()
            .map(|(t, text)| read(text).map(|c| (*t, c)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_catalogues(chain, pack, &parsed))
    }

    fn from_catalogues(
        chain: &[&str],
        pack: Option<&Pack>,
        builtins: &[(&str, Catalogue)],
    ) -> Self {
        let Some((_, base)) = builtins.first() else {
            return UiStrings::default();
        };
        let mut strings = Vec::new();
        for id in base.ids() {
            let found = chain
                .iter()
                .find_map(|tag| {
                    pack_string(pack, tag, id).or_else(|| {
                        builtins
                            .iter()
                            .find(|(t, _)| t == tag)
                            .and_then(|(_, c)| c.get(id))
                    })
                })
                .or_else(|| pack_string(pack, "en", id))
                .or_else(|| base.get(id))
                .unwrap_or(id);
            strings.push((id.to_string(), found.to_string()));
        }
        UiStrings { strings }
    }

    /// The string `id`, or `id` itself when there is no such string.
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.find(id).unwrap_or(id)
    }

    fn find(&self, id: &str) -> Option<&str> {
        self.strings
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.as_str())
    }

    /// The string `id` with every `{name}` replaced by its value in `args` (a placeholder
    /// without a value stays as it is).
    pub fn fill(&self, id: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(id), args)
    }

    /// The learner-facing message of an error code: the string [`error_id`] of the code, or
    /// [`ERROR_OTHER`] when the catalogue has none for it.
    pub fn error(&self, code: ErrorCode) -> &str {
        match self.error_message(code) {
            Some(s) => s,
            None => self.get(ERROR_OTHER),
        }
    }

    /// The catalogue's own message for an error code (the string [`error_id`] of the code),
    /// or `None` when it has none; hosts that show something else in that case (the CLI shows
    /// the engine's message) ask this instead of [`UiStrings::error`].
    pub fn error_message(&self, code: ErrorCode) -> Option<&str> {
        self.find(&error_id(code))
    }

    /// Every `(id, string)` as a JSON object (`{"next": "Next", …}`), for hosts that hand the
    /// whole catalogue over at once (C, JavaScript).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        for (i, (k, v)) in self.strings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(&mut out, k);
            out.push(':');
            json_string(&mut out, v);
        }
        out.push('}');
        out
    }

    /// Every `(id, string)`, in the order of the English catalogue.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.strings.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many strings there are.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether there is no string.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

/// The language chain of the interface strings for a host's preferred languages (best
/// first): each preference as the pack language it negotiates to (`lo-LA` → `lo`, see
/// [`crate::language::negotiate`]), or as its own primary language when the pack does not have
/// it (the built-in catalogues may), then the pack's default language.
pub fn chain(pack: Option<&Pack>, preferred: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: &str| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    };
    for p in preferred {
        let in_pack = pack.and_then(|pk| {
            let i = *pk.negotiate(&[p]).first()?;
            let tag = &pk.languages.get(usize::from(i))?.tag;
            let same = crate::language::LanguageTag::parse(tag).ok()?.language()
                == crate::language::LanguageTag::parse(p).ok()?.language();
            same.then_some(tag.as_str())
        });
        match in_pack {
            Some(t) => push(t),
            None => {
                if let Ok(tag) = crate::language::LanguageTag::parse(p) {
                    push(tag.language());
                }
            }
        }
    }
    if let Some(pk) = pack {
        if let Some(l) = pk.languages.get(usize::from(pk.meta.default_language)) {
            push(&l.tag);
        }
    }
    out
}

/// The pack's own string `id` in language `tag`, if it has one.
fn pack_string<'a>(pack: Option<&'a Pack>, tag: &str, id: &str) -> Option<&'a str> {
    let pack = pack?;
    let lang = pack.languages.iter().position(|l| l.tag == tag)?;
    pack.interface
        .iter()
        .find(|(i, _)| i == id)
        .and_then(|(_, t)| t.get(lang))
        .filter(|s| !s.is_empty())
}

/// Appends `s` as a JSON string.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX.get(n >> 4).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(n & 15).copied().unwrap_or(b'0')));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The id of the general message for an error whose code has no message of its own.
pub const ERROR_OTHER: &str = "error-other";

/// The id of the interface string a learner reads for an error code: `error-<code name>`
/// (`error-bad-learner-code`). The one place this rule is written: [`UiStrings::error`], the
/// CLI, the C API (`kru_ui_error`) and the WebAssembly package's `messageId` of a thrown
/// error (which the web app looks up) all come here. Whether the catalogue has that string
/// is the catalogue's business: a code without one shows [`ERROR_OTHER`].
pub fn error_id(code: ErrorCode) -> String {
    let mut id = String::from("error-");
    id.push_str(code.name());
    id
}

/// `template` with every `{name}` replaced by its value in `args`.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some((head, after)) = rest.split_once('{') {
        out.push_str(head);
        match after.split_once('}') {
            Some((name, tail)) => {
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How far a pack's language is covered by interface strings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// The language tag.
    pub tag: String,
    /// How many ids have a string in this language (the pack's or the built-in one).
    pub covered: usize,
    /// How many ids there are.
    pub total: usize,
    /// How many of the covered strings the pack carries itself.
    pub from_pack: usize,
    /// The ids without a string in this language (shown in another language).
    pub missing: Vec<String>,
}

/// The interface-string coverage of each of the pack's languages, in pack language order,
/// against the built-in ids.
pub fn coverage(pack: &Pack) -> Vec<Coverage> {
    let ids = builtin_ids();
    pack.languages
        .iter()
        .map(|l| {
            let built = builtin(&l.tag);
            let mut c = Coverage {
                tag: l.tag.clone(),
                covered: 0,
                total: ids.len(),
                from_pack: 0,
                missing: Vec::new(),
            };
            for id in &ids {
                if pack_string(Some(pack), &l.tag, id).is_some() {
                    c.from_pack += 1;
                    c.covered += 1;
                } else if built.as_ref().and_then(|b| b.get(id)).is_some() {
                    c.covered += 1;
                } else {
                    c.missing.push(id.clone());
                }
            }
            c
        })
        .collect()
}

#[cfg(test)]
mod tests;
