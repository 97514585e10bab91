//! `items.toml`: the item bank, each item with its kind, options and answer key.

use toml::de::{DeTable, DeValue};

use super::{check_duplicates, list_or_empty, to_u16, word};
use crate::authoring::diag::{did_you_mean, Diags, Loc};
use crate::authoring::lint::{read_item_lints, ItemLints};
use crate::authoring::read::{check_count, type_name, Fields, Id, Sp};
use crate::limits;
use crate::numerals::normalize_answer;
use crate::pack::item::ItemKind;

#[derive(Debug)]
pub(crate) enum KindSrc {
    Single {
        options: Vec<Id>,
        correct: u16,
    },
    Multiple {
        options: Vec<Id>,
        correct: Vec<u16>,
    },
    TrueFalse(bool),
    Ordering {
        steps: Vec<Id>,
    },
    Matching {
        left: Vec<Id>,
        right: Vec<Id>,
        pairs: Vec<u16>,
    },
    Text {
        accept: Vec<String>,
    },
    Numeric {
        value: f64,
        tolerance: f64,
    },
    Likert {
        scale: Vec<Id>,
    },
}

/// `[[item]]`.
#[derive(Debug)]
pub(crate) struct ItemSrc {
    pub id: Id,
    pub objectives: Vec<Id>,
    /// `None` when the type or key is broken (already reported).
    pub kind: Option<KindSrc>,
    /// Lints switched off for it, and a Likert item's keying (see `authoring::lint`).
    pub lints: ItemLints,
}

/// The item types, as written in `type`: the kinds' own names.
const ITEM_TYPES: [&str; 8] = ItemKind::NAMES;

/// The fields of every item.
const COMMON_FIELDS: [&str; 4] = ["id", "objectives", "type", "allow"];

/// The fields of the item types (each type takes some of them).
const KIND_FIELDS: [&str; 10] = [
    "options",
    "answer",
    "steps",
    "left",
    "right",
    "pairs",
    "accept",
    "tolerance",
    "scale",
    "keyed",
];

/// Reads `items.toml`.
pub(crate) fn read_items(d: &mut Diags, file: usize, root: &DeTable<'_>) -> Vec<ItemSrc> {
    let top = Fields::new(root, Loc::new(file, 0), "items.toml");
    top.deny_unknown(d, &["item"], "items.toml ");
    let mut out = Vec::new();
    for (t, loc) in top.tables(d, "item") {
        let f = Fields::new(t, loc, "[[item]]");
        let Some(id) = f.id(d, "id", "item") else {
            let all: Vec<&str> = COMMON_FIELDS.iter().chain(&KIND_FIELDS).copied().collect();
            f.deny_unknown(d, &all, "an [[item]] ");
            continue;
        };
        let f =
            Fields::new(t, loc, format!("item '{}'", id.v)).with_strings(format!("item.{}", id.v));
        let objectives = list_or_empty(f.strings(d, "objectives", false, Some("objective")));
        check_duplicates(
            d,
            &objectives,
            "objective",
            &format!(" in the objectives of item '{}'", id.v),
        );
        let kind = read_kind(d, &f, &id);
        let lints = read_item_lints(d, &f);
        out.push(ItemSrc {
            id,
            objectives,
            kind,
            lints,
        });
    }
    out
}

/// Reads a list of option ids (`options`, `steps`, `left`, `right`, `scale`), checking its
/// size.
fn option_list(d: &mut Diags, f: &Fields<'_, '_>, key: &str, min: usize) -> Option<Sp<Vec<Id>>> {
    let l = f.strings(d, key, true, Some("option"))?;
    check_count(d, l.loc, l.v.len(), limits::MAX_OPTIONS, key);
    if l.v.len() < min {
        d.error(
            l.loc,
            "too-few-options",
            format!("{} has {} `{key}`, fewer than {min}", f.what, l.v.len()),
            format!("give it at least {min} {key}"),
        );
    }
    Some(l)
}

/// The index of option `s` among `options`.
fn index_of(options: &[Id], s: &str) -> Option<u16> {
    options.iter().position(|o| o.v == s).map(to_u16)
}

/// Reports an answer that names none of the options.
fn not_an_option(d: &mut Diags, f: &Fields<'_, '_>, ans: &Sp<String>, options: &[Id]) {
    let hint = did_you_mean(&ans.v, options.iter().map(|o| o.v.as_str()));
    d.error(
        ans.loc,
        "answer-not-an-option",
        format!(
            "the answer \"{}\" of {} is not one of its options{hint}",
            ans.v, f.what
        ),
        format!(
            "the answer must be one of the option ids: {}",
            options
                .iter()
                .map(|o| format!("\"{}\"", o.v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
}

/// Reads an item's `type` and the fields of that type, with its answer key.
fn read_kind(d: &mut Diags, f: &Fields<'_, '_>, id: &Id) -> Option<KindSrc> {
    let ty = word(d, f, "type", &ITEM_TYPES.map(|t| (t, t)), true);
    let allowed: &[&str] = match ty.as_ref().map(|t| t.v) {
        Some("single") | Some("multiple") => &["options", "answer"],
        Some("true-false") => &["answer"],
        Some("ordering") => &["steps"],
        Some("matching") => &["left", "right", "pairs"],
        Some("text") => &["accept"],
        Some("numeric") => &["answer", "tolerance"],
        Some("likert") => &["scale", "keyed"],
        _ => &KIND_FIELDS,
    };
    let all: Vec<&str> = COMMON_FIELDS.iter().chain(allowed).copied().collect();
    let context = match &ty {
        Some(t) => format!("a {} item ", t.v),
        None => "an item ".to_string(),
    };
    f.deny_unknown(d, &all, &context);
    match ty?.v {
        "single" => read_single(d, f, id),
        "multiple" => read_multiple(d, f, id),
        "true-false" => read_true_false(d, f),
        "ordering" => {
            let steps = option_list(d, f, "steps", 2)?;
            check_duplicates(d, &steps.v, "step", &format!(" in item '{}'", id.v));
            Some(KindSrc::Ordering { steps: steps.v })
        }
        "matching" => read_matching(d, f, id),
        "text" => Some(read_text(d, f)),
        "numeric" => read_numeric(d, f),
        _ => read_likert(d, f, id),
    }
}

/// Reads a single-choice item's options and answer.
fn read_single(d: &mut Diags, f: &Fields<'_, '_>, id: &Id) -> Option<KindSrc> {
    let options = option_list(d, f, "options", 2)?;
    check_duplicates(d, &options.v, "option", &format!(" in item '{}'", id.v));
    let Some(raw) = f.raw("answer") else {
        d.error(
            f.loc,
            "missing-field",
            format!("{} has no `answer`", f.what),
            "add answer = \"<the id of the right option>\"".into(),
        );
        return None;
    };
    let DeValue::String(s) = raw.get_ref() else {
        d.error(
            Loc::new(f.loc.file, raw.span().start),
            "wrong-type",
            format!(
                "the answer of single-choice {} is {}, but it must be the id of the right option",
                f.what,
                type_name(raw.get_ref())
            ),
            "write answer = \"<option id>\" (for several right options use type = \"multiple\")"
                .into(),
        );
        return None;
    };
    let ans = Sp::new(s.to_string(), Loc::new(f.loc.file, raw.span().start));
    let Some(correct) = index_of(&options.v, &ans.v) else {
        not_an_option(d, f, &ans, &options.v);
        return None;
    };
    Some(KindSrc::Single {
        options: options.v,
        correct,
    })
}

/// Reads a multiple-response item's options and answers.
fn read_multiple(d: &mut Diags, f: &Fields<'_, '_>, id: &Id) -> Option<KindSrc> {
    let options = option_list(d, f, "options", 2)?;
    check_duplicates(d, &options.v, "option", &format!(" in item '{}'", id.v));
    let answers = match f.raw("answer").map(|v| v.get_ref()) {
        Some(DeValue::String(_)) => {
            let s = f.string(d, "answer", None)?;
            Sp::new(vec![s.clone()], s.loc)
        }
        _ => f.strings(d, "answer", true, None)?,
    };
    let mut correct = Vec::new();
    let mut ok = true;
    for a in &answers.v {
        match index_of(&options.v, &a.v) {
            Some(i) if correct.contains(&i) => {
                d.error(
                    a.loc,
                    "duplicate-answer",
                    format!("the answer of {} lists \"{}\" twice", f.what, a.v),
                    "list each right option once".into(),
                );
            }
            Some(i) => correct.push(i),
            None => {
                not_an_option(d, f, a, &options.v);
                ok = false;
            }
        }
    }
    if answers.v.is_empty() {
        d.error(
            answers.loc,
            "no-right-option",
            format!("multiple-response {} has no right option", f.what),
            "list the right options, e.g. answer = [\"passport\", \"visa\"]".into(),
        );
        return None;
    }
    if !ok {
        return None;
    }
    correct.sort_unstable();
    Some(KindSrc::Multiple {
        options: options.v,
        correct,
    })
}

/// Reads a true/false item's answer.
fn read_true_false(d: &mut Diags, f: &Fields<'_, '_>) -> Option<KindSrc> {
    let Some(raw) = f.raw("answer") else {
        d.error(
            f.loc,
            "missing-field",
            format!("{} has no `answer`", f.what),
            "add answer = true or answer = false".into(),
        );
        return None;
    };
    match raw.get_ref() {
        DeValue::Boolean(b) => Some(KindSrc::TrueFalse(*b)),
        other => {
            let quoted = matches!(other, DeValue::String(s) if s == "true" || s == "false");
            d.error(
                Loc::new(f.loc.file, raw.span().start),
                "wrong-type",
                format!(
                    "the answer of true/false {} is {}, but it must be true or false",
                    f.what,
                    type_name(other)
                ),
                if quoted {
                    "write true or false without quotes".into()
                } else {
                    "write answer = true or answer = false".into()
                },
            );
            None
        }
    }
}

/// Reads a short-text item's accepted answers (normalised; empty ones are reported).
fn read_text(d: &mut Diags, f: &Fields<'_, '_>) -> KindSrc {
    let accept = f.strings(d, "accept", false, None);
    let accept: Vec<String> = accept
        .map(|a| a.v)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| {
            let n = normalize_answer(&a.v);
            if n.is_empty() {
                d.error(
                    a.loc,
                    "no-accepted-answer",
                    format!("an accepted answer of {} is empty", f.what),
                    "remove the empty answer".into(),
                );
                None
            } else {
                Some(n)
            }
        })
        .collect();
    KindSrc::Text { accept }
}

/// Reads a numeric item's answer and tolerance.
fn read_numeric(d: &mut Diags, f: &Fields<'_, '_>) -> Option<KindSrc> {
    let value = f.number(d, "answer", Some("1288"))?;
    let tolerance = match f.number(d, "tolerance", None) {
        Some(t) if t.v < 0.0 => {
            d.error(
                t.loc,
                "invalid-number",
                format!("the tolerance of {} is negative", f.what),
                "use 0 for an exact answer, or a positive allowed difference".into(),
            );
            0.0
        }
        Some(t) => t.v,
        None => 0.0,
    };
    Some(KindSrc::Numeric {
        value: value.v,
        tolerance,
    })
}

/// Reads a Likert item's scale.
fn read_likert(d: &mut Diags, f: &Fields<'_, '_>, id: &Id) -> Option<KindSrc> {
    let scale = f.strings(d, "scale", true, Some("scale point"))?;
    if scale.v.len() < 2 || scale.v.len() > 7 {
        d.error(
            scale.loc,
            "likert-scale",
            format!(
                "the Likert scale of {} has {} point{}",
                f.what,
                scale.v.len(),
                if scale.v.len() == 1 { "" } else { "s" }
            ),
            "give a Likert scale 2 to 7 points, lowest first, e.g. [\"disagree\", \"unsure\", \"agree\"]".into(),
        );
    }
    check_duplicates(d, &scale.v, "scale point", &format!(" in item '{}'", id.v));
    Some(KindSrc::Likert { scale: scale.v })
}

/// Reads a matching item's entries and pairs.
fn read_matching(d: &mut Diags, f: &Fields<'_, '_>, id: &Id) -> Option<KindSrc> {
    let left = option_list(d, f, "left", 1);
    let right = option_list(d, f, "right", 1);
    if let (Some(l), Some(r)) = (&left, &right) {
        check_duplicates(
            d,
            l.v.iter().chain(&r.v),
            "entry",
            &format!(
                " in item '{}' (left and right entries share the keys item.{}.options.<entry>)",
                id.v, id.v
            ),
        );
    }
    let (left, right) = (left?, right?);
    let Some((pt, ploc)) = f.table(d, "pairs") else {
        if !f.has("pairs") {
            d.error(
                f.loc,
                "missing-field",
                format!("matching {} has no `pairs`", f.what),
                "add pairs = { <left> = \"<right>\", … } with one pair per left entry".into(),
            );
        }
        return None;
    };
    let mut pairs: Vec<Option<u16>> = vec![None; left.v.len()];
    // Left entries that `pairs` names, even with a wrong value (reported at the value).
    let mut named = vec![false; left.v.len()];
    let mut ok = true;
    for (k, v) in pt.iter() {
        let kloc = Loc::new(f.loc.file, k.span().start);
        let key = k.get_ref().as_ref();
        let Some(li) = left.v.iter().position(|l| l.v == key) else {
            let hint = did_you_mean(key, left.v.iter().map(|l| l.v.as_str()));
            d.error(
                kloc,
                "matching-pairs",
                format!(
                    "the pairs of {} name '{key}', which is not a left entry{hint}",
                    f.what
                ),
                "each key of `pairs` must be an entry of `left`".into(),
            );
            ok = false;
            continue;
        };
        if let Some(n) = named.get_mut(li) {
            *n = true;
        }
        let vloc = Loc::new(f.loc.file, v.span().start);
        let DeValue::String(target) = v.get_ref() else {
            d.error(
                vloc,
                "wrong-type",
                format!(
                    "the pair of '{key}' in {} is {}",
                    f.what,
                    type_name(v.get_ref())
                ),
                "write the right entry's id in quotes".into(),
            );
            ok = false;
            continue;
        };
        match index_of(&right.v, target) {
            Some(ri) => {
                if let Some(slot) = pairs.get_mut(li) {
                    *slot = Some(ri);
                }
            }
            None => {
                let hint = did_you_mean(target, right.v.iter().map(|r| r.v.as_str()));
                d.error(
                    vloc,
                    "matching-pairs",
                    format!(
                        "the pair of '{key}' in {} is '{target}', which is not a right entry{hint}",
                        f.what
                    ),
                    "each value of `pairs` must be an entry of `right`".into(),
                );
                ok = false;
            }
        }
    }
    for ((l, p), named) in left.v.iter().zip(&pairs).zip(&named) {
        if p.is_none() && !named {
            d.error(
                ploc,
                "matching-pairs",
                format!("the pairs of {} do not match left entry '{}'", f.what, l.v),
                format!("add {} = \"<right entry>\" to `pairs`", l.v),
            );
        }
    }
    if !ok || pairs.iter().any(Option::is_none) {
        return None;
    }
    Some(KindSrc::Matching {
        left: left.v,
        right: right.v,
        pairs: pairs.into_iter().flatten().collect(),
    })
}
