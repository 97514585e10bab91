//! [`Index`]: the ids of one kind mapped to their position, resolving references to them.

use std::collections::BTreeMap;

use super::to_u16;
use crate::authoring::diag::{did_you_mean, suggest, Diags};
use crate::authoring::read::Id;
use crate::authoring::source::check_duplicates;

/// Ids of one kind, mapped to their index (the first definition wins).
pub(super) struct Index {
    what: &'static str,
    defined_in: &'static str,
    map: BTreeMap<String, u16>,
}

impl Index {
    /// Indexes `ids`, reporting the second and later uses of an id.
    pub(super) fn new<'a>(
        d: &mut Diags,
        ids: impl IntoIterator<Item = &'a Id> + Clone,
        what: &'static str,
        defined_in: &'static str,
    ) -> Self {
        check_duplicates(d, ids.clone(), what, "");
        Self::unchecked(ids, what, defined_in)
    }

    /// Indexes `ids` whose duplicates were already reported.
    pub(super) fn unchecked<'a>(
        ids: impl IntoIterator<Item = &'a Id>,
        what: &'static str,
        defined_in: &'static str,
    ) -> Self {
        let mut map = BTreeMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            map.entry(id.v.clone()).or_insert(to_u16(i));
        }
        Index {
            what,
            defined_in,
            map,
        }
    }

    /// The index of `id`, if it is defined.
    fn get(&self, id: &str) -> Option<u16> {
        self.map.get(id).copied()
    }

    /// Resolves a reference, reporting an unknown id.
    pub(super) fn resolve(&self, d: &mut Diags, id: &Id) -> Option<u16> {
        let found = self.get(&id.v);
        if found.is_none() {
            let hint = did_you_mean(&id.v, self.map.keys().map(String::as_str));
            let article = if self.what.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            let help = if self.map.is_empty() {
                format!(
                    "there is no {} yet: define {article} {} with id '{}' in {}",
                    self.what, self.what, id.v, self.defined_in
                )
            } else {
                format!(
                    "fix the spelling, or define {article} {} with id '{}' in {}",
                    self.what, id.v, self.defined_in
                )
            };
            d.error(
                id.loc,
                "unknown-reference",
                format!("there is no {} '{}'{hint}", self.what, id.v),
                help,
            );
        }
        found
    }

    /// The index of the id an unknown `id` is probably a misspelling of (the "did you mean"
    /// of [`Self::resolve`]), so that its "unused" warning, an echo of the typo, can be left out.
    pub(super) fn suggestion(&self, id: &str) -> Option<u16> {
        suggest(id, self.map.keys().map(String::as_str)).and_then(|k| self.get(k))
    }

    /// Resolves references, reporting (and leaving out) the unknown ones.
    pub(super) fn resolve_all(&self, d: &mut Diags, ids: &[Id]) -> Vec<u16> {
        ids.iter().filter_map(|id| self.resolve(d, id)).collect()
    }
}

/// The ids the parts of a pack refer to, each kind indexed once.
pub(super) struct Indexes {
    pub(super) objectives: Index,
    pub(super) items: Index,
    pub(super) lessons: Index,
    pub(super) stories: Index,
    pub(super) resources: Index,
    pub(super) forms: Index,
}
