//! Small cells: the figures of groups too small to share are withheld in every output.
//!
//! A group with fewer learners than [`ReportOptions::small_group`] (default 5) could identify
//! the people in it (the privacy guide, `docs/privacy.md`). Its report keeps only its field,
//! its value and a `small_group` warning; the renderers show it as withheld. When exactly one
//! group is small, the next smallest group is withheld with it: otherwise the small group's
//! figures would follow from the cohort's minus the other groups'. The cohort itself is
//! always shown.

use alloc::vec;
use alloc::vec::Vec;

use super::warnings::suppressed_warning;
use super::*;

/// Withholds the figures of the small groups of `groups` (see the module documentation).
pub(crate) fn suppress_small_cells(groups: &mut [GroupReport], options: &ReportOptions) {
    let min = u64::from(options.small_group);
    if min <= 1 {
        return;
    }
    let mut withheld: Vec<usize> = groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.learners.records < min)
        .map(|(i, _)| i)
        .collect();
    if let [only] = withheld[..] {
        let next = groups
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != only)
            .min_by_key(|(_, g)| g.learners.records)
            .map(|(i, _)| i);
        withheld.extend(next);
    }
    for i in withheld {
        if let Some(g) = groups.get_mut(i) {
            *g = withheld_group(g, options);
        }
    }
}

/// The report of a withheld group: its field and value, and why nothing else is shown.
fn withheld_group(g: &GroupReport, options: &ReportOptions) -> GroupReport {
    let empty = Summary::default();
    GroupReport {
        field: g.field.clone(),
        value: g.value.clone(),
        suppressed: true,
        learners: LearnerCounts::default(),
        pre: empty,
        post: empty,
        paired: PairedReport {
            n: 0,
            pre: empty,
            post: empty,
            gain: empty,
            class_normalised_gain: None,
            mean_normalised_gain: None,
            normalised_gain_n: 0,
            excluded_at_ceiling: 0,
            t_test: None,
            wilcoxon: None,
            cohens_dz: None,
        },
        gain_histogram: Vec::new(),
        items: Vec::new(),
        objectives: Vec::new(),
        indicators: Vec::new(),
        likert: Vec::new(),
        reliability: Vec::new(),
        crossover: None,
        dont_know: Default::default(),
        warnings: vec![suppressed_warning(options)],
    }
}
