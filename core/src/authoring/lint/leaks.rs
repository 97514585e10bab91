//! `answer-leak`: an item's right answer shown, earlier in the same test, by another item.
//!
//! "Earlier in the same test" is what a learner may have seen before the item without being
//! taught in between: the items of the same phase that can come before it (every other item
//! when the phase shuffles), and the items of the test phases before it since the last lesson
//! or practice phase. What an earlier item shows is its prompt and its options, and its
//! explanation and messages when its phase gives feedback (after each answer within the
//! phase, or at the end of the phase for later phases).

use std::collections::BTreeSet;

use super::{feedback_of, is_test, variants, Lint};
use crate::authoring::diag::Diags;
use crate::numerals::normalize_answer;
use crate::pack::item::{Item, ItemKind};
use crate::pack::journey::{FeedbackPolicy, Phase};
use crate::pack::text::Text;

/// What gives an answer away: a number (a whole run of digits) or a phrase (whole words).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Needle {
    Number(String),
    Phrase(String),
}

impl Needle {
    fn shown(&self) -> &str {
        match self {
            Needle::Number(s) | Needle::Phrase(s) => s,
        }
    }
}

/// The digit runs of a normalised text that are at least two digits long.
fn numbers(norm: &str) -> Vec<String> {
    norm.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() >= 2)
        .map(str::to_string)
        .collect()
}

/// The needles of one right-answer text: its numbers, and the whole text as a phrase when it
/// is more than a number and has at least four letters.
fn needles_of(text: &str, out: &mut Vec<Needle>) {
    let norm = normalize_answer(text);
    let norm = norm.trim_end_matches(['.', '!', '?', '។']).to_string();
    for n in numbers(&norm) {
        out.push(Needle::Number(n));
    }
    let is_number = norm
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '.');
    // Short words ("you", "yes", "no") are everywhere: a phrase needs four letters.
    if !is_number && norm.chars().filter(|c| c.is_alphanumeric()).count() >= 4 {
        out.push(Needle::Phrase(norm));
    }
}

/// The needles of an item's right answer in language chain `chain`.
fn answer_needles(item: &Item, chain: &[u8]) -> Vec<Needle> {
    let mut out = Vec::new();
    match &item.kind {
        ItemKind::SingleChoice { options, correct } => {
            if let Some(t) = options.get(usize::from(*correct)) {
                needles_of(t.resolve(chain), &mut out);
            }
        }
        ItemKind::MultipleResponse { options, correct } => {
            for t in correct.iter().filter_map(|&c| options.get(usize::from(c))) {
                needles_of(t.resolve(chain), &mut out);
            }
        }
        ItemKind::ShortText { accepted } => {
            for a in accepted {
                needles_of(a, &mut out);
            }
        }
        ItemKind::Numeric { value, .. } => {
            let n = if value.fract() == 0.0 && value.abs() < 1e15 {
                format!("{}", *value as i64)
            } else {
                format!("{value}")
            };
            needles_of(&n, &mut out);
        }
        ItemKind::TrueFalse { .. }
        | ItemKind::Ordering { .. }
        | ItemKind::Matching { .. }
        | ItemKind::Likert { .. } => {}
    }
    out.dedup();
    out
}

/// Whether `needle` occurs in the normalised text `hay` as a whole number or whole words.
fn occurs(hay: &str, needle: &Needle) -> bool {
    match needle {
        Needle::Number(n) => numbers(hay).iter().any(|h| h == n),
        Needle::Phrase(p) => hay.match_indices(p.as_str()).any(|(at, _)| {
            let before = hay.get(..at).and_then(|s| s.chars().next_back());
            let after = hay.get(at + p.len()..).and_then(|s| s.chars().next());
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        }),
    }
}

/// The texts an item shows: (what, text), with its explanation and messages when
/// `with_feedback`.
fn shown_texts(item: &Item, with_feedback: bool) -> Vec<(&'static str, &Text)> {
    let mut out = vec![("prompt", &item.prompt)];
    let options: Vec<&Text> = match &item.kind {
        ItemKind::SingleChoice { options, .. } | ItemKind::MultipleResponse { options, .. } => {
            options.iter().collect()
        }
        ItemKind::Ordering { steps } => steps.iter().collect(),
        ItemKind::Matching { left, right, .. } => left.iter().chain(right).collect(),
        ItemKind::Likert { scale } => scale.iter().collect(),
        ItemKind::TrueFalse { .. } | ItemKind::ShortText { .. } | ItemKind::Numeric { .. } => {
            Vec::new()
        }
    };
    out.extend(options.into_iter().map(|t| ("options", t)));
    if with_feedback {
        out.push(("explanation", &item.explanation));
        out.push(("feedback", &item.feedback_correct));
        out.push(("feedback", &item.feedback_incorrect));
    }
    out
}

/// An item a learner may have seen before another: which, whether its feedback was shown,
/// and the phase it is in.
struct Earlier<'p> {
    item: u16,
    feedback: bool,
    phase: &'p str,
}

/// Reports every item whose right answer an earlier item of the same test shows.
pub(super) fn answer_leaks(l: &mut Lint<'_>, d: &mut Diags) {
    let pack = l.pack;
    let mut reported: BTreeSet<(u16, u16)> = BTreeSet::new();
    for j in &pack.journeys {
        let mut window: Vec<&Phase> = Vec::new();
        for p in &j.phases {
            if !is_test(p) {
                // A lesson or a practice teaches: what came before it is not "the same test".
                window.clear();
                continue;
            }
            for v in variants(pack, j, p) {
                for (pos, &x) in v.items.iter().enumerate() {
                    let mut earlier: Vec<Earlier<'_>> = v
                        .items
                        .iter()
                        .enumerate()
                        .filter(|&(q, &y)| y != x && (!v.ordered || q < pos))
                        .map(|(_, &y)| Earlier {
                            item: y,
                            feedback: feedback_of(p) == FeedbackPolicy::AfterEach,
                            phase: &p.id,
                        })
                        .collect();
                    for w in &window {
                        for wv in variants(pack, j, w) {
                            earlier.extend(wv.items.iter().filter(|&&y| y != x).map(|&y| {
                                Earlier {
                                    item: y,
                                    feedback: feedback_of(w) != FeedbackPolicy::None,
                                    phase: &w.id,
                                }
                            }));
                        }
                    }
                    check_item(l, d, &mut reported, x, &earlier, &j.id);
                }
            }
            window.push(p);
        }
    }
}

/// Reports item `x` once per earlier item that shows its answer.
fn check_item(
    l: &mut Lint<'_>,
    d: &mut Diags,
    reported: &mut BTreeSet<(u16, u16)>,
    x: u16,
    earlier: &[Earlier<'_>],
    journey: &str,
) {
    let pack = l.pack;
    let Some(item) = pack.items.get(usize::from(x)) else {
        return;
    };
    let chains = l.chains.clone();
    for chain in &chains {
        let needles = answer_needles(item, chain);
        if needles.is_empty() {
            continue;
        }
        for e in earlier {
            if reported.contains(&(x, e.item)) {
                continue;
            }
            let Some(y) = pack.items.get(usize::from(e.item)) else {
                continue;
            };
            let hit = shown_texts(y, e.feedback)
                .into_iter()
                .find_map(|(what, t)| {
                    let hay = normalize_answer(t.resolve(chain));
                    needles
                        .iter()
                        .find(|n| occurs(&hay, n))
                        .map(|n| (what, n.shown().to_string()))
                });
            let Some((what, shown)) = hit else {
                continue;
            };
            reported.insert((x, e.item));
            if l.allowed(x, "answer-leak") {
                continue;
            }
            d.warn(
                l.item_loc(x),
                "answer-leak",
                format!(
                    "the answer of item '{}' (\"{shown}\", {}) is in the {what} of item '{}', which learners may see before it in phase '{}' of journey '{journey}'",
                    item.id,
                    l.language_tag(chain),
                    y.id,
                    e.phase
                ),
                format!(
                    "reword '{}' so that it does not show the answer, put the two items in different tests, or switch the lint off for '{}' with allow = {{ answer-leak = \"why\" }}",
                    y.id, item.id
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_whole_runs_in_any_script() {
        let hay = normalize_answer("Call ១២៨៨ today, not 12880.");
        assert!(occurs(&hay, &Needle::Number("1288".into())));
        let hay = normalize_answer("Call 12880.");
        assert!(!occurs(&hay, &Needle::Number("1288".into())));
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let hay = normalize_answer("Ask the Commune office first.");
        assert!(occurs(&hay, &Needle::Phrase("commune office".into())));
        assert!(!occurs(&hay, &Needle::Phrase("commune off".into())));
        let mut n = Vec::new();
        needles_of("At the commune office.", &mut n);
        assert_eq!(n, vec![Needle::Phrase("at the commune office".into())]);
        let mut n = Vec::new();
        needles_of("1288", &mut n);
        assert_eq!(n, vec![Needle::Number("1288".into())]);
    }
}
