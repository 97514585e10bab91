//! Items as `cmi.interaction` activities, and answers in xAPI's response format.
//!
//! | item kind | `interactionType` | components | response |
//! | --- | --- | --- | --- |
//! | single choice | `choice` | `choices` `0`…`n-1` | `2` |
//! | multiple response | `choice` | `choices` | `0[,]2` (none chosen: no `response`) |
//! | true/false | `true-false` | — | `true` / `false` |
//! | ordering | `sequencing` | `choices` (the steps) | `2[,]0[,]1` (the learner's order) |
//! | matching | `matching` | `source` (left), `target` (right) | `0[.]1[,]1[.]0` |
//! | short text | `fill-in` | — | the text as typed (empty: no `response`) |
//! | numeric | `numeric` | — | the number; the typed text in `result.extensions` when it differs |
//! | Likert | `likert` | `scale` `0`…`n-1` | `3` |
//! | "I don't know" (any knowledge item) | as the item | as the item | none; `result.extensions` `dont-know: true`, `success` false, score 0 |
//!
//! Component ids are the canonical indices of the pack (the order of the source), so a
//! response means the same whatever order the learner saw.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use crate::numerals::parse_number;
use crate::pack::item::{Answer, Item, ItemKind};

/// The xAPI `interactionType` of an item kind.
pub fn interaction_type(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::SingleChoice { .. } | ItemKind::MultipleResponse { .. } => "choice",
        ItemKind::TrueFalse { .. } => "true-false",
        ItemKind::Ordering { .. } => "sequencing",
        ItemKind::Matching { .. } => "matching",
        ItemKind::ShortText { .. } => "fill-in",
        ItemKind::Numeric { .. } => "numeric",
        ItemKind::Likert { .. } => "likert",
    }
}

fn join(xs: impl Iterator<Item = String>, sep: &str) -> String {
    let v: Vec<String> = xs.collect();
    v.join(sep)
}

fn number(x: f64) -> String {
    format!("{x}")
}

/// The `correctResponsesPattern` of an item (`None` for Likert items, which have no key).
pub fn correct_responses_pattern(kind: &ItemKind) -> Option<Vec<String>> {
    let p = match kind {
        ItemKind::SingleChoice { correct, .. } => alloc::vec![correct.to_string()],
        ItemKind::MultipleResponse { correct, .. } => {
            let mut c = correct.clone();
            c.sort_unstable();
            alloc::vec![join(c.iter().map(u16::to_string), "[,]")]
        }
        ItemKind::TrueFalse { correct } => alloc::vec![correct.to_string()],
        ItemKind::Ordering { steps } => {
            alloc::vec![join((0..steps.len()).map(|i| i.to_string()), "[,]")]
        }
        ItemKind::Matching { pairs, .. } => alloc::vec![join(
            pairs.iter().enumerate().map(|(l, r)| format!("{l}[.]{r}")),
            "[,]"
        )],
        ItemKind::ShortText { accepted } => {
            accepted.iter().filter(|a| !a.is_empty()).cloned().collect()
        }
        ItemKind::Numeric { value, tolerance } => {
            let t = libm::fabs(*tolerance);
            alloc::vec![format!("{}[:]{}", number(value - t), number(value + t))]
        }
        ItemKind::Likert { .. } => return None,
    };
    (!p.is_empty()).then_some(p)
}

fn components(n: usize) -> Value {
    Value::Array((0..n).map(|i| json!({ "id": i.to_string() })).collect())
}

/// The activity definition of an item: type, `interactionType`, `correctResponsesPattern`
/// and the component lists, named by the item id.
pub(crate) fn interaction_definition(item: &Item) -> Value {
    let mut d = Map::new();
    d.insert("type".into(), json!(super::activity_types::INTERACTION));
    d.insert("name".into(), json!({ "und": item.id }));
    d.insert(
        "interactionType".into(),
        json!(interaction_type(&item.kind)),
    );
    if let Some(p) = correct_responses_pattern(&item.kind) {
        d.insert("correctResponsesPattern".into(), json!(p));
    }
    match &item.kind {
        ItemKind::SingleChoice { options, .. } | ItemKind::MultipleResponse { options, .. } => {
            d.insert("choices".into(), components(options.len()));
        }
        ItemKind::Ordering { steps } => {
            d.insert("choices".into(), components(steps.len()));
        }
        ItemKind::Matching { left, right, .. } => {
            d.insert("source".into(), components(left.len()));
            d.insert("target".into(), components(right.len()));
        }
        ItemKind::Likert { scale } => {
            d.insert("scale".into(), components(scale.len()));
        }
        ItemKind::TrueFalse { .. } | ItemKind::ShortText { .. } | ItemKind::Numeric { .. } => {}
    }
    Value::Object(d)
}

/// An answer in xAPI's response format: `(response, typed)`. `response` is `None` when it
/// would be empty (xAPI does not allow an empty response); `typed` is the text exactly as
/// typed when it differs from `response` (numeric items). The answer's type must fit the
/// item (checked by the caller with [`Item::grade`]).
pub fn response_of(item: &Item, answer: &Answer) -> (Option<String>, Option<String>) {
    let nonempty = |s: String| (!s.is_empty()).then_some(s);
    match (&item.kind, answer) {
        (_, Answer::Choice(c)) => (Some(c.to_string()), None),
        (_, Answer::Choices(cs)) => (nonempty(join(cs.iter().map(u16::to_string), "[,]")), None),
        (_, Answer::TrueFalse(b)) => (Some(b.to_string()), None),
        (_, Answer::Order(os)) => (nonempty(join(os.iter().map(u16::to_string), "[,]")), None),
        (_, Answer::Matches(ms)) => (
            nonempty(join(
                ms.iter().enumerate().map(|(l, r)| format!("{l}[.]{r}")),
                "[,]",
            )),
            None,
        ),
        (ItemKind::Numeric { .. }, Answer::Text(t)) => match parse_number(t) {
            Some(x) if x.is_finite() => {
                let n = number(x);
                let typed = (n != *t).then(|| t.clone());
                (Some(n), typed)
            }
            _ => (nonempty(t.clone()), None),
        },
        (_, Answer::Text(t)) => (nonempty(t.clone()), None),
        (_, Answer::Scale(s)) => (Some(s.to_string()), None),
        // No response: the learner chose none; the statement's `dont-know` extension says so.
        (_, Answer::DontKnow) => (None, None),
    }
}

fn index(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn indices(s: Option<&str>) -> Option<Vec<u16>> {
    match s {
        None => Some(Vec::new()),
        Some(s) => s.split("[,]").map(index).collect(),
    }
}

/// Reads a response (and the typed text, for numeric items) back into an answer of the
/// item's type. `None` when it is not in the item's format; whether its indices are in range
/// is for [`Item::grade`] to say.
pub fn parse_response(item: &Item, response: Option<&str>, typed: Option<&str>) -> Option<Answer> {
    match &item.kind {
        ItemKind::SingleChoice { .. } => Some(Answer::Choice(index(response?)?)),
        ItemKind::MultipleResponse { .. } => Some(Answer::Choices(indices(response)?)),
        ItemKind::TrueFalse { .. } => match response? {
            "true" => Some(Answer::TrueFalse(true)),
            "false" => Some(Answer::TrueFalse(false)),
            _ => None,
        },
        ItemKind::Ordering { .. } => Some(Answer::Order(indices(response)?)),
        ItemKind::Matching { left, .. } => {
            let mut m: Vec<Option<u16>> = alloc::vec![None; left.len()];
            if let Some(r) = response {
                for pair in r.split("[,]") {
                    let (l, t) = pair.split_once("[.]")?;
                    let slot = m.get_mut(usize::from(index(l)?))?;
                    if slot.is_some() {
                        return None;
                    }
                    *slot = Some(index(t)?);
                }
            }
            Some(Answer::Matches(
                m.into_iter().collect::<Option<Vec<u16>>>()?,
            ))
        }
        ItemKind::ShortText { .. } => {
            if typed.is_some() {
                return None;
            }
            Some(Answer::Text(String::from(response.unwrap_or(""))))
        }
        ItemKind::Numeric { .. } => match typed {
            Some(t) => {
                // The response must be the number the typed text reads as.
                let x = parse_number(t)?;
                (response? == number(x)).then(|| Answer::Text(String::from(t)))
            }
            None => Some(Answer::Text(String::from(response.unwrap_or("")))),
        },
        ItemKind::Likert { .. } => Some(Answer::Scale(index(response?)?)),
    }
}
