//! One learner's record, reduced to what the accumulators need: the scores of the complete
//! tests and the per-item, per-indicator and per-Likert states, in working memory reused
//! from record to record.

use alloc::vec::Vec;

use super::context::Ctx;
use crate::credit::{Credit, Points};
use crate::record::format::view::ResponseView;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    /// Credit earned, exactly.
    pub credit: Points,
    /// Scored items answered.
    pub n: u32,
    /// Of which right.
    pub correct: u32,
}

/// The per-record figures shared by the accumulators a record goes to (the cohort's and
/// its group's).
#[derive(Debug, Clone, Default)]
pub(crate) struct Learner {
    pub completed: bool,
    /// The complete tests (pre, post) with at least one scored item.
    pub tally: [Option<Tally>; 2],
    /// The reliability test of each.
    pub tests: [Option<usize>; 2],
    /// The pack forms of the pre-test and the post-test (crossover), by index.
    pub forms: [Option<u16>; 2],
}

/// A scored response of a complete test (of the phase kind of its list in
/// [`Scratch::scored`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub item: u16,
    pub correct: bool,
    pub credit: Credit,
    /// The answer was "I don't know".
    pub dont_know: bool,
}

/// Per-record working memory, reused (sized by the pack, reset after each record).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// The record's scored responses in complete tests, per phase kind (pre, post): the
    /// accumulators look up a test's state once per list, not once per response.
    pub scored: [Vec<Scored>; 2],
    /// Per item, per phase kind: 0 not asked, 1 wrong, 2 right.
    /// Valid for the record whose stamp it carries (older entries count as not asked), so that
    /// nothing needs resetting between records.
    pub item_state: Vec<(u64, [u8; 2])>,
    /// The current record's stamp.
    pub stamp: u64,
    /// The items answered in both tests (their final states go to the McNemar tables).
    pub paired_items: Vec<u16>,
    /// Per indicator, per phase kind: 0 not asked, 1 all right so far, 2 one wrong.
    pub indicator_state: Vec<[u8; 2]>,
    pub touched_indicators: Vec<u16>,
    /// Per Likert slot, per phase kind: the scale point.
    pub likert_state: Vec<[Option<u16>; 2]>,
    pub touched_likert: Vec<u16>,
    /// Per phase kind: the learner's answers in its test, as (position in the test, right).
    pub test_answers: [Vec<(usize, bool)>; 2],
    /// A row of an exact test, by position: right, wrong or not answered.
    pub test_row: Vec<Option<bool>>,
    /// The record's responses, as decoded (kept to reuse the allocation).
    pub responses: Vec<ResponseView>,
    /// Per phase: answers counted, zero between records.
    pub phase_counts: Vec<u32>,
}

impl Scratch {
    /// Scores a record's responses in the complete tests (`complete`, pre and post): returns
    /// the tally of each test and the number of responses to items the pack does not have,
    /// and fills `scored` and the touched item, indicator and Likert states.
    pub fn score(
        &mut self,
        ctx: &Ctx,
        responses: &[ResponseView],
        complete: [bool; 2],
    ) -> ([Tally; 2], u64) {
        let s = self;
        let mut tallies = [Tally::default(); 2];
        let mut unknown_items = 0;
        s.scored.iter_mut().for_each(Vec::clear);
        s.stamp += 1;
        let stamp = s.stamp;
        for r in responses {
            let item = r.item();
            let Some(info) = ctx.items.get(usize::from(item)) else {
                unknown_items += 1;
                continue;
            };
            let Some(k) = r.test_kind() else {
                continue;
            };
            if !complete.get(k).copied().unwrap_or(false) {
                continue;
            }
            let correct = r.correct();
            if info.scored {
                if let Some(t) = tallies.get_mut(k) {
                    t.credit.add(r.credit());
                    t.n += 1;
                    t.correct += u32::from(correct);
                }
                if let Some(list) = s.scored.get_mut(k) {
                    list.push(Scored {
                        item,
                        correct,
                        credit: r.credit(),
                        dont_know: r.dont_know(),
                    });
                }
                if let Some((at, st)) = s.item_state.get_mut(usize::from(item)) {
                    if *at != stamp {
                        *at = stamp;
                        *st = [0, 0];
                    }
                    // Listed once, when it is first answered in both tests.
                    let [a, b] = *st;
                    if (k == 0 && a == 0 && b != 0) || (k == 1 && b == 0 && a != 0) {
                        s.paired_items.push(item);
                    }
                    if let Some(x) = st.get_mut(k) {
                        *x = 1 + u8::from(correct);
                    }
                }
                for &ind in ctx.indicators_of(info) {
                    if let Some(st) = s.indicator_state.get_mut(usize::from(ind)) {
                        if *st == [0, 0] {
                            s.touched_indicators.push(ind);
                        }
                        if let Some(x) = st.get_mut(k) {
                            *x = match (*x, correct) {
                                (0 | 1, true) => 1,
                                _ => 2,
                            };
                        }
                    }
                }
            } else if let Some(slot) = info.likert {
                let points = ctx
                    .likert_items
                    .get(usize::from(slot))
                    .map_or(0, |&(_, p)| p);
                if let Some(v) = r.scale().filter(|&v| v < points) {
                    if let Some(st) = s.likert_state.get_mut(usize::from(slot)) {
                        if *st == [None, None] {
                            s.touched_likert.push(slot);
                        }
                        if let Some(x) = st.get_mut(k) {
                            *x = Some(v);
                        }
                    }
                }
            }
        }
        (tallies, unknown_items)
    }

    /// Resets the per-record states the record touched (item states need no reset: they
    /// carry the record's stamp).
    pub fn end_record(&mut self) {
        let s = self;
        for &i in &s.touched_indicators {
            if let Some(x) = s.indicator_state.get_mut(usize::from(i)) {
                *x = [0, 0];
            }
        }
        for &i in &s.touched_likert {
            if let Some(x) = s.likert_state.get_mut(usize::from(i)) {
                *x = [None, None];
            }
        }
        s.paired_items.clear();
        s.touched_indicators.clear();
        s.touched_likert.clear();
    }
}
