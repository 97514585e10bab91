//! `forms-differ-in-kinds`: parallel forms that ask an objective with different kinds of
//! items (a true/false item in one form where the other has a single-choice item), so that
//! the two forms are not equally hard and a pre/post difference mixes learning with form.

use std::collections::BTreeMap;

use super::{any_allowed, Lint};
use crate::authoring::diag::Diags;

/// Reports, for each journey with two forms, the objectives its forms ask differently.
pub(super) fn forms_differ_in_kinds(l: &mut Lint<'_>, d: &mut Diags) {
    let pack = l.pack;
    for j in &pack.journeys {
        let (Some(&fa), Some(&fb)) = (j.forms.first(), j.forms.get(1)) else {
            continue;
        };
        let (Some(a), Some(b)) = (
            pack.forms.get(usize::from(fa)),
            pack.forms.get(usize::from(fb)),
        ) else {
            continue;
        };
        // Per objective (an item's first one; "" for none): the kinds of its items, sorted.
        let kinds = |items: &[u16]| {
            let mut m: BTreeMap<&str, (Vec<&'static str>, Vec<u16>)> = BTreeMap::new();
            for &i in items {
                let Some(it) = pack.items.get(usize::from(i)) else {
                    continue;
                };
                let obj = it
                    .objectives
                    .first()
                    .and_then(|&o| pack.objectives.get(usize::from(o)))
                    .map_or("", |o| o.id.as_str());
                let e = m.entry(obj).or_default();
                e.0.push(it.kind.name());
                e.1.push(i);
            }
            for e in m.values_mut() {
                e.0.sort_unstable();
            }
            m
        };
        let (ka, kb) = (kinds(&a.items), kinds(&b.items));
        let objectives: std::collections::BTreeSet<&str> =
            ka.keys().chain(kb.keys()).copied().collect();
        let mut differ = Vec::new();
        for o in objectives {
            let (ea, eb) = (ka.get(o), kb.get(o));
            let (la, lb) = (
                ea.map(|e| e.0.clone()).unwrap_or_default(),
                eb.map(|e| e.0.clone()).unwrap_or_default(),
            );
            if la == lb {
                continue;
            }
            let members: Vec<u16> = ea
                .iter()
                .chain(eb.iter())
                .flat_map(|e| e.1.iter().copied())
                .collect();
            if !any_allowed(l, &members, "forms-differ-in-kinds") {
                differ.push(format!(
                    "'{o}': {} has {}, {} has {}",
                    a.id,
                    la.join(" + "),
                    b.id,
                    lb.join(" + ")
                ));
            }
        }
        if differ.is_empty() {
            continue;
        }
        d.warn(
            l.form_loc(usize::from(fb)),
            "forms-differ-in-kinds",
            format!(
                "forms '{}' and '{}' of journey '{}' ask objectives with different kinds of items: {}",
                a.id,
                b.id,
                j.id,
                differ.join("; ")
            ),
            "give each objective the same kinds of items in both forms (a true/false item is easier to guess than a single-choice one)".into(),
        );
    }
}
