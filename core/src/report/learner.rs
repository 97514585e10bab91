//! One learner's record, reduced to what the accumulators need: the scores of the complete
//! tests and the per-item, per-indicator and per-Likert states, in working memory reused
//! from record to record.

use alloc::vec::Vec;

use super::context::{Ctx, TestDef};
use crate::credit::Points;
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

/// A position in no test: [`TestDef::positions`] of an item outside the test.
pub(crate) const NOT_IN_TEST: u16 = u16::MAX;

/// A learner's answers in the reliability test of one phase kind, gathered while the record
/// is scored, as bit sets: the accumulators add a usual test (up to 64 items, each answered
/// at most once, [`regular`](Self::regular)) without walking the answers again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TestAnswers {
    /// Bit `p`: position `p` of the test answered (positions up to 63).
    pub seen: u64,
    /// Bit `p`: position `p` answered right.
    pub right: u64,
    /// A position up to 63 was answered twice (positions beyond set no bit: a test of more
    /// than 64 items is never [`regular`](Self::regular)).
    pub repeated: bool,
    /// An answer fell outside the test (known when no position was answered twice).
    pub outside: bool,
}

impl TestAnswers {
    /// The answers of `scored` (the scored responses of one phase kind) in a test whose
    /// position of each item is `positions` ([`NOT_IN_TEST`]: not in it). One loop without
    /// branches: answers outside the test or beyond position 63 set no bit, and are told
    /// apart by counting the bits once at the end.
    pub fn of(scored: &[ResponseView], positions: &[u16]) -> Self {
        let (mut seen, mut right, mut twice) = (0u64, 0u64, 0u64);
        for r in scored {
            let pos = positions
                .get(usize::from(r.item()))
                .copied()
                .unwrap_or(NOT_IN_TEST);
            let bit = 1u64.checked_shl(u32::from(pos)).unwrap_or(0);
            twice |= seen & bit;
            seen |= bit;
            right |= bit & 0u64.wrapping_sub(u64::from(r.correct()));
        }
        TestAnswers {
            seen,
            right,
            repeated: twice != 0,
            outside: (seen.count_ones() as usize) < scored.len(),
        }
    }

    /// Whether the bits describe the answers in a test of `len` items: no position answered
    /// twice, and none beyond 63. Otherwise the answers are read again from the scored
    /// responses.
    pub fn regular(&self, len: usize) -> bool {
        !self.repeated && len <= 64
    }
}

/// A record's scored responses in complete tests, per phase kind (pre, post): the first
/// rows of buffers that only grow, so that scoring writes each row in place without a
/// capacity check.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScoredRows {
    rows: [Vec<ResponseView>; 2],
    len: [usize; 2],
}

impl ScoredRows {
    /// The scored responses of phase kind `k` (0 pre, 1 post).
    pub fn get(&self, k: usize) -> &[ResponseView] {
        let n = self.len.get(k).copied().unwrap_or(0);
        self.rows
            .get(k)
            .and_then(|rows| rows.get(..n))
            .unwrap_or(&[])
    }
}

/// Per-record working memory, reused (sized by the pack, reset after each record).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// The record's scored responses in complete tests, per phase kind (pre, post): the
    /// accumulators look up a test's state once per list, not once per response.
    pub scored: ScoredRows,
    /// Per item, packed in one word: the record's stamp (bits 16 and up) and per phase kind
    /// a byte (pre bits 0–7, post 8–15): 0 not asked, 1 wrong, 2 right. Valid for the record
    /// whose stamp it carries (older entries count as not asked), so that nothing needs
    /// resetting between records; read with [`Scratch::item_states`].
    pub item_state: Vec<u64>,
    /// The current record's stamp.
    pub stamp: u64,
    /// The items answered in both tests (their final states go to the McNemar tables).
    pub paired_items: Vec<u16>,
    /// Per phase kind, bit `i`: indicator `i` asked; of those, one of its items answered
    /// wrong (packs of up to 64 indicators, [`Ctx::indicator_bits`]).
    pub indicators_asked: [u64; 2],
    pub indicators_wrong: [u64; 2],
    /// Per indicator, per phase kind, in packs of more than 64 indicators: 0 not asked, 1
    /// all right so far, 2 one wrong.
    pub indicator_state: Vec<[u8; 2]>,
    pub touched_indicators: Vec<u16>,
    /// Per Likert slot, per phase kind: the scale point.
    pub likert_state: Vec<[Option<u16>; 2]>,
    pub touched_likert: Vec<u16>,
    /// Per phase kind: the learner's answers in its reliability test.
    pub test_answers: [TestAnswers; 2],
    /// The answers of a test the bits do not describe (not [`TestAnswers::regular`]), as
    /// (position, right).
    pub test_list: Vec<(usize, bool)>,
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
    /// and fills `scored`, `test_answers` (the answers in `tests`, the learner's reliability
    /// test of each phase kind) and the touched item, indicator and Likert states.
    pub fn score(
        &mut self,
        ctx: &Ctx,
        responses: &[ResponseView],
        complete: [bool; 2],
        tests: [Option<&TestDef>; 2],
    ) -> ([Tally; 2], u64) {
        let s = self;
        let mut tallies = [Tally::default(); 2];
        let mut unknown_items = 0;
        for rows in &mut s.scored.rows {
            if rows.len() < responses.len() {
                rows.resize(responses.len(), ResponseView::EMPTY);
            }
        }
        s.test_answers = [TestAnswers::default(); 2];
        let positions = tests.map(|t| t.map_or(&[][..], TestDef::positions));
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
            if info.scored {
                if let Some(t) = tallies.get_mut(k) {
                    if let Some(row) = s
                        .scored
                        .rows
                        .get_mut(k)
                        .and_then(|l| l.get_mut(t.n as usize))
                    {
                        *row = *r;
                    }
                    t.credit.add(r.credit());
                    t.n += 1;
                    t.correct += u32::from(r.correct());
                }
            } else if let Some((slot, points)) = info.likert {
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
        s.scored.len = tallies.map(|t| t.n as usize);
        s.stamp += 1;
        let [pre, post] = positions;
        s.mark::<0>(ctx, pre);
        s.mark::<1>(ctx, post);
        (tallies, unknown_items)
    }

    /// The passes over the scored responses of phase kind `K` (0 pre, 1 post; the post-test
    /// after the pre-test) after the first: the answers in the learner's test (`positions`:
    /// its position of each item), the record's item states and its indicators. Each is a
    /// loop of its own, apart from the first, so that each keeps its values in registers.
    #[inline(never)]
    fn mark<const K: usize>(&mut self, ctx: &Ctx, positions: &[u16]) {
        let answers = TestAnswers::of(self.scored.get(K), positions);
        if let Some(a) = self.test_answers.get_mut(K) {
            *a = answers;
        }
        self.mark_items::<K>();
        self.mark_indicators::<K>(ctx);
    }

    /// Sets the record's state of each item of the scored responses of phase kind `K`, and
    /// lists the items answered in both tests.
    fn mark_items<const K: usize>(&mut self) {
        let s = self;
        let stamp = s.stamp;
        let scored = s.scored.get(K);
        for r in scored {
            let item = r.item();
            if let Some(e) = s.item_state.get_mut(usize::from(item)) {
                let now = if *e >> 16 == stamp { *e } else { stamp << 16 };
                // Listed once, when it is first answered in both tests: the pre-test's
                // states are all set when the post-test's are.
                if K == 1 && now & 0xFF != 0 && now & 0xFF00 == 0 {
                    s.paired_items.push(item);
                }
                let shift = 8 * K as u32;
                *e = (now & !(0xFF << shift)) | (u64::from(1 + u8::from(r.correct())) << shift);
            }
        }
    }

    /// Notes the indicators of the scored responses of phase kind `K`: as bit sets (packs of
    /// up to 64 indicators), else in listed states.
    fn mark_indicators<const K: usize>(&mut self, ctx: &Ctx) {
        let s = self;
        let scored = s.scored.get(K);
        if !ctx.indicator_bits.is_empty() {
            let (mut asked, mut wrong) = (0u64, 0u64);
            for r in scored {
                let bits = ctx
                    .indicator_bits
                    .get(usize::from(r.item()))
                    .copied()
                    .unwrap_or(0);
                asked |= bits;
                wrong |= bits & 0u64.wrapping_sub(u64::from(!r.correct()));
            }
            if let (Some(x), Some(w)) =
                (s.indicators_asked.get_mut(K), s.indicators_wrong.get_mut(K))
            {
                *x = asked;
                *w = wrong;
            }
            return;
        }
        for r in scored {
            let Some(info) = ctx.items.get(usize::from(r.item())) else {
                continue;
            };
            let correct = r.correct();
            for &ind in ctx.indicators_of(info) {
                if let Some(st) = s.indicator_state.get_mut(usize::from(ind)) {
                    if *st == [0, 0] {
                        s.touched_indicators.push(ind);
                    }
                    if let Some(x) = st.get_mut(K) {
                        *x = match (*x, correct) {
                            (0 | 1, true) => 1,
                            _ => 2,
                        };
                    }
                }
            }
        }
    }

    /// The states of item `item` in this record, per phase kind: 0 not asked, 1 wrong,
    /// 2 right.
    pub fn item_states(&self, item: usize) -> [u8; 2] {
        match self.item_state.get(item) {
            Some(&e) if e >> 16 == self.stamp => [(e & 0xFF) as u8, ((e >> 8) & 0xFF) as u8],
            _ => [0, 0],
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::Credit;
    use crate::pack::journey::PhaseKind;
    use alloc::vec;
    use proptest::prelude::*;

    proptest! {
        /// The bit sets gathered in one loop are the listed answers: whether a position
        /// repeats, and for a test whose bits describe its answers, the positions answered,
        /// those right and whether an answer fell outside the test.
        #[test]
        fn test_answers_are_the_listed_answers(
            len in 1usize..80,
            n_items in 1usize..100,
            answers in proptest::collection::vec((0u16..110, any::<bool>()), 0..40),
        ) {
            // Item i is at position i of the test when i < len; items beyond the pack's
            // `n_items` have no entry at all.
            let positions: Vec<u16> = (0..n_items)
                .map(|i| if i < len { i as u16 } else { NOT_IN_TEST })
                .collect();
            let rows: Vec<ResponseView> = answers
                .iter()
                .map(|&(item, right)| {
                    let credit = Credit::all_or_nothing(right);
                    ResponseView::new(0, PhaseKind::PreTest, item, credit, right, None, false)
                })
                .collect();
            let a = TestAnswers::of(&rows, &positions);
            let listed: Vec<(usize, bool)> = answers
                .iter()
                .filter_map(|&(item, right)| {
                    let p = *positions.get(usize::from(item))?;
                    (p != NOT_IN_TEST).then_some((usize::from(p), right))
                })
                .collect();
            let mut count = vec![0u32; len];
            for &(p, _) in &listed {
                count[p] += 1;
            }
            // Positions beyond 63 set no bit, so a repeat is seen only among the first 64;
            // a test of more than 64 items is never `regular` and is read from its list.
            let repeats_in_bits = count.iter().take(64).any(|&c| c > 1);
            prop_assert_eq!(a.repeated, repeats_in_bits);
            if len <= 64 {
                prop_assert_eq!(a.repeated, count.iter().any(|&c| c > 1));
            }
            if a.regular(len) {
                let seen = listed.iter().fold(0u64, |s, &(p, _)| s | 1 << p);
                let right = listed
                    .iter()
                    .filter(|&&(_, r)| r)
                    .fold(0u64, |s, &(p, _)| s | 1 << p);
                prop_assert_eq!(a.seen, seen);
                prop_assert_eq!(a.right, right);
                prop_assert_eq!(a.outside, listed.len() < answers.len());
            } else {
                prop_assert!(a.repeated || len > 64);
            }
        }
    }
}
