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

/// A scored response of a complete test (of the phase kind of its list in
/// [`Scratch::scored`]): the response's row as it was read, and its position in the
/// learner's reliability test of that phase kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub row: ResponseView,
    /// The position of its item in the learner's test ([`NOT_IN_TEST`]: outside it, or no
    /// test).
    pub pos: u16,
}

/// [`Scored::pos`] of a response outside the learner's test.
pub(crate) const NOT_IN_TEST: u16 = u16::MAX;

/// A learner's answers in the reliability test of one phase kind, gathered while the record
/// is scored, as bit sets: the accumulators add a usual test (up to 64 items, each answered
/// at most once) without walking the answers again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TestAnswers {
    /// Bit `p`: position `p` of the test answered.
    pub seen: u64,
    /// Bit `p`: position `p` answered right.
    pub right: u64,
    /// An answer fell outside the test.
    pub outside: bool,
    /// A position was answered twice or lies beyond 63: the bits do not describe the answers,
    /// which are then read from the scored list ([`Scored::pos`]).
    pub irregular: bool,
}

impl TestAnswers {
    /// Notes an answer at position `pos` of the test ([`NOT_IN_TEST`]: outside it).
    #[inline(always)]
    pub fn note(&mut self, pos: u16, right: bool) {
        if pos < 64 {
            let bit = 1u64 << pos;
            self.irregular |= self.seen & bit != 0;
            self.seen |= bit;
            if right {
                self.right |= bit;
            }
        } else if pos == NOT_IN_TEST {
            self.outside = true;
        } else {
            self.irregular = true;
        }
    }
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
    /// Per phase kind: the learner's answers in its reliability test.
    pub test_answers: [TestAnswers; 2],
    /// The answers of an irregular test ([`TestAnswers::irregular`]), as (position, right).
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
        s.scored.iter_mut().for_each(Vec::clear);
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
                    t.credit.add(r.credit());
                    t.n += 1;
                    t.correct += u32::from(r.correct());
                }
                if let Some(list) = s.scored.get_mut(k) {
                    list.push(Scored {
                        row: *r,
                        pos: NOT_IN_TEST,
                    });
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
        s.stamp += 1;
        let [pre, post] = positions;
        s.mark::<0>(ctx, pre);
        s.mark::<1>(ctx, post);
        (tallies, unknown_items)
    }

    /// The second pass over the scored responses of phase kind `K` (0 pre, 1 post; the
    /// post-test after the pre-test), apart from the first so that each loop keeps its values
    /// in registers: their positions in the learner's test (`positions`, by item) and its
    /// answers, and the record's item and indicator states.
    #[inline(never)]
    fn mark<const K: usize>(&mut self, ctx: &Ctx, positions: &[u16]) {
        let s = self;
        let stamp = s.stamp;
        let (Some(scored), Some(answers)) = (s.scored.get_mut(K), s.test_answers.get_mut(K)) else {
            return;
        };
        // In registers, not behind the reference.
        let mut a = *answers;
        for sc in scored.iter_mut() {
            let item = sc.row.item();
            let correct = sc.row.correct();
            sc.pos = positions
                .get(usize::from(item))
                .copied()
                .unwrap_or(NOT_IN_TEST);
            a.note(sc.pos, correct);
            if let Some((at, st)) = s.item_state.get_mut(usize::from(item)) {
                if *at != stamp {
                    *at = stamp;
                    *st = [0, 0];
                }
                // Listed once, when it is first answered in both tests: the pre-test's
                // states are all set when the post-test's are.
                if K == 1 && st[0] != 0 && st[1] == 0 {
                    s.paired_items.push(item);
                }
                if let Some(x) = st.get_mut(K) {
                    *x = 1 + u8::from(correct);
                }
            }
            let Some(info) = ctx.items.get(usize::from(item)) else {
                continue;
            };
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
        *answers = a;
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
