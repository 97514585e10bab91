//! The source model: what `pack.toml`, `lessons.toml` and `items.toml` say, with places,
//! read from the TOML trees with every local check (types, unknown fields, ids, answer
//! keys). References between files are resolved later, in `build`.
//!
//! One file per part of the source: [`pack_toml`] (`[pack]`, languages, objectives,
//! indicators, resources, intake, forms, card), [`journeys`] (`[[journey]]` and its phases),
//! [`lessons`] (`lessons.toml`'s lessons), [`stories`] (its stories) and [`items`]
//! (`items.toml`). The helpers shared by all of them are here.

mod items;
mod journeys;
mod lessons;
mod pack_toml;
mod stories;

pub(crate) use items::{read_items, ItemSrc, KindSrc};
pub(crate) use journeys::{JourneySrc, PhaseSrc, SelectSrc};
pub(crate) use lessons::{read_lessons, BlockSrc, LessonSrc, LessonsSrc};
pub(crate) use pack_toml::{read_pack, PackSrc};
pub(crate) use stories::StorySrc;

use super::diag::{did_you_mean, Diags};
use super::read::{Fields, Id, Sp};
use crate::pack::Version;

/// Reports the second and later uses of an id among `ids`.
pub(crate) fn check_duplicates<'a>(
    d: &mut Diags,
    ids: impl IntoIterator<Item = &'a Id>,
    what: &str,
    scope: &str,
) {
    let mut seen: std::collections::BTreeMap<&str, &Id> = std::collections::BTreeMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.v.as_str()) {
            let line = d
                .line_of(first.loc)
                .map_or(String::new(), |l| format!(" (first on line {l})"));
            d.error(
                id.loc,
                "duplicate-id",
                format!("{what} id '{}' is used twice{scope}{line}", id.v),
                format!("rename one of them: every {what}{scope} needs its own id"),
            );
        } else {
            seen.insert(id.v.as_str(), id);
        }
    }
}

/// Reads a field that takes one of a few words.
pub(crate) fn word<T: Copy>(
    d: &mut Diags,
    f: &Fields<'_, '_>,
    key: &str,
    choices: &[(&str, T)],
    required: bool,
) -> Option<Sp<T>> {
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    let example = format!("\"{}\"", names.first().copied().unwrap_or(""));
    let s = f.string(d, key, required.then_some(example.as_str()))?;
    match choices.iter().find(|(n, _)| *n == s.v) {
        Some((_, t)) => Some(Sp::new(*t, s.loc)),
        None => {
            let hint = did_you_mean(&s.v, names.iter().copied());
            d.error(
                s.loc,
                "invalid-value",
                format!("`{key}` of {} is \"{}\"{hint}", f.what, s.v),
                format!(
                    "`{key}` must be one of: {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            None
        }
    }
}

/// The ids of an optional list, or none when it is missing.
fn list_or_empty(v: Option<Sp<Vec<Id>>>) -> Vec<Id> {
    v.map(|l| l.v).unwrap_or_default()
}

/// An index as `u16`, saturating (the limits keep real indices below it).
fn to_u16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

// ------------------------------------------------------------------------------- pack.toml

/// Reads a version field (`"1.0.0"`).
fn version(d: &mut Diags, f: &Fields<'_, '_>, key: &str, required: bool) -> Option<Sp<Version>> {
    let s = f.string(d, key, required.then_some("\"1.0.0\""))?;
    let v = Version::parse(&s.v);
    if v.is_none() {
        d.error(
            s.loc,
            "invalid-version",
            format!("`{key}` \"{}\" is not a version", s.v),
            "write it as three whole numbers (0 to 65535) separated by dots, e.g. \"1.0.0\"".into(),
        );
    }
    v.map(|v| Sp::new(v, s.loc))
}
