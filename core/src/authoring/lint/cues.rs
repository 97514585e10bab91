//! Cues that let a learner find the answer without knowing the content: the right option
//! is the longest, every true/false item has the same answer, "all of the above" options,
//! and attitude items all keyed the same way.
//!
//! The lints about a whole test (a form, or a test phase with a fixed list) are switched off
//! by an `allow` on any one of its items.

use super::{any_allowed, id_list, is_test, variants, Keyed, Lint};
use crate::authoring::diag::{Diags, Loc};
use crate::numerals::normalize_answer;
use crate::pack::item::ItemKind;

/// `longest-right-option`: in more than half of a test's single-choice items (at least
/// two), the right option is strictly longer than every other option, in some language.
pub(super) fn longest_right_option(l: &mut Lint<'_>, d: &mut Diags) {
    let pack = l.pack;
    for (items, name, loc) in l.tests() {
        let singles: Vec<u16> = items
            .iter()
            .copied()
            .filter(|&i| {
                pack.items
                    .get(usize::from(i))
                    .is_some_and(|it| matches!(it.kind, ItemKind::SingleChoice { .. }))
            })
            .collect();
        if singles.len() < 2 {
            continue;
        }
        let mut fired: Vec<(String, Vec<&str>)> = Vec::new();
        for chain in l.chains.clone() {
            let longest: Vec<&str> = singles
                .iter()
                .filter_map(|&i| pack.items.get(usize::from(i)))
                .filter(|it| match &it.kind {
                    ItemKind::SingleChoice { options, correct } => {
                        let len = |t: &crate::pack::text::Text| t.resolve(&chain).chars().count();
                        let right = options.get(usize::from(*correct)).map_or(0, len);
                        options
                            .iter()
                            .enumerate()
                            .all(|(o, t)| o == usize::from(*correct) || len(t) < right)
                    }
                    _ => false,
                })
                .map(|it| it.id.as_str())
                .collect();
            if longest.len() * 2 > singles.len() {
                fired.push((l.language_tag(&chain).to_string(), longest));
            }
        }
        let Some((_, longest)) = fired.first() else {
            continue;
        };
        if any_allowed(l, &singles, "longest-right-option") {
            continue;
        }
        let langs: Vec<&str> = fired.iter().map(|(t, _)| t.as_str()).collect();
        d.warn(
            loc,
            "longest-right-option",
            format!(
                "in {name} the right option is the longest in {} of {} single-choice items ({}: {})",
                longest.len(),
                singles.len(),
                langs.join(", "),
                id_list(longest)
            ),
            "make a wrong option the longest in some items (as long and as specific as the right one), or shorten the right one".into(),
        );
    }
}

/// `true-false-keyed-alike`: every true/false item of a test (at least two) has the same
/// answer, so "always false" scores full marks.
pub(super) fn true_false_keyed_alike(l: &mut Lint<'_>, d: &mut Diags) {
    let pack = l.pack;
    for (items, name, loc) in l.tests() {
        let tfs: Vec<(u16, bool)> = items
            .iter()
            .filter_map(
                |&i| match pack.items.get(usize::from(i)).map(|it| &it.kind) {
                    Some(ItemKind::TrueFalse { correct }) => Some((i, *correct)),
                    _ => None,
                },
            )
            .collect();
        let Some(&(_, first)) = tfs.first() else {
            continue;
        };
        if tfs.len() < 2 || tfs.iter().any(|&(_, c)| c != first) {
            continue;
        }
        let ids: Vec<u16> = tfs.iter().map(|&(i, _)| i).collect();
        if any_allowed(l, &ids, "true-false-keyed-alike") {
            continue;
        }
        let names: Vec<&str> = ids.iter().map(|&i| l.item_id(i)).collect();
        d.warn(
            loc,
            "true-false-keyed-alike",
            format!(
                "every true/false item of {name} is {} ({})",
                if first { "true" } else { "false" },
                id_list(&names)
            ),
            format!(
                "rewrite some of them so that the right answer is {}: a learner who always answers \"{}\" should not score full marks",
                if first { "false" } else { "true" },
                if first { "true" } else { "false" }
            ),
        );
    }
}

/// Option texts that refer to the other options, normalised (lower case).
const ABOVE: &[&str] = &[
    "all of the above",
    "none of the above",
    "both of the above",
    "all the above",
    "none of these",
    "all of these",
    "ខាងលើ",
];

/// `all-none-of-the-above`: an option that refers to the other options.
pub(super) fn all_none_of_the_above(l: &mut Lint<'_>, d: &mut Diags) {
    let pack = l.pack;
    for (i, it) in pack.items.iter().enumerate() {
        let options = match &it.kind {
            ItemKind::SingleChoice { options, .. } | ItemKind::MultipleResponse { options, .. } => {
                options
            }
            _ => continue,
        };
        let hit = options.iter().find_map(|o| {
            o.values().find(|v| {
                let norm = normalize_answer(v);
                ABOVE.iter().any(|a| norm.contains(a))
            })
        });
        let Some(text) = hit else {
            continue;
        };
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        if l.allowed(i, "all-none-of-the-above") {
            continue;
        }
        d.warn(
            l.item_loc(i),
            "all-none-of-the-above",
            format!(
                "item '{}' has the option \"{text}\", which refers to the other options",
                it.id
            ),
            "replace it with a plausible wrong answer of its own (\"all of the above\" is right whenever two options look right, and \"none of the above\" tests only what is not true)".into(),
        );
    }
}

/// `likert-keyed-alike`: every Likert item of a test phase (at least two) has its safe
/// attitude at the same end of the scale, so agreeing with everything looks like a good
/// attitude.
pub(super) fn likert_keyed_alike(l: &mut Lint<'_>, d: &mut Diags) {
    let pack = l.pack;
    for (ji, j) in pack.journeys.iter().enumerate() {
        for p in j.phases.iter().filter(|p| is_test(p)) {
            let mut likerts: Vec<u16> = variants(pack, j, p)
                .iter()
                .flat_map(|v| v.items.iter().copied())
                .filter(|&i| {
                    pack.items
                        .get(usize::from(i))
                        .is_some_and(|it| matches!(it.kind, ItemKind::Likert { .. }))
                })
                .collect();
            likerts.sort_unstable();
            likerts.dedup();
            let Some(&first) = likerts.first() else {
                continue;
            };
            let keyed = l.keyed(first);
            if likerts.len() < 2 || likerts.iter().any(|&i| l.keyed(i) != keyed) {
                continue;
            }
            if any_allowed(l, &likerts, "likert-keyed-alike") {
                continue;
            }
            let names: Vec<&str> = likerts.iter().map(|&i| l.item_id(i)).collect();
            let loc: Loc = l.phase_loc(ji, &p.id);
            d.warn(
                loc,
                "likert-keyed-alike",
                format!(
                    "every Likert item of phase '{}' of journey '{}' is keyed \"{}\" ({}): agreeing (or disagreeing) with everything looks like the safe attitude",
                    p.id,
                    j.id,
                    if keyed == Keyed::High { "high" } else { "low" },
                    id_list(&names)
                ),
                "word some statements the other way round (agreeing is the unsafe attitude) and mark them keyed = \"low\"".into(),
            );
        }
    }
}
