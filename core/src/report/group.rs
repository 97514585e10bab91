//! [`GroupAccumulators`]: the accumulators of the whole cohort or of one demographic group,
//! and their report.

use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

use super::context::{Ctx, TestDef, KINDS};
use super::crossover::CrossoverAcc;
use super::learner::{Learner, Scratch, Tally, TestAnswers, NOT_IN_TEST};
use super::warnings::group_warnings;
use super::*;
use crate::credit::{Points, Ratio};
use crate::report::stats::{
    hake_gain, Correlation, DichotomousKr20, McNemarMethod, McNemarTable, Moments,
    PairedAccumulator, WilcoxonAccumulator,
};

/// Bins of the gain histogram: centres −100, −90, …, +100.
pub(crate) const HISTOGRAM_BINS: usize = 21;

/// One item in one phase kind: its responses and how many were right are counted by its
/// [`PointBiserial`] (one counter per response), the rest here.
#[derive(Clone, Default)]
struct ItemPhaseAcc {
    credit: Points,
    /// Of the responses, answered "I don't know".
    dont_know: u64,
    discrimination: PointBiserial,
}

/// One item in one phase kind, as reported.
#[derive(Clone, Copy, Default)]
struct Facility {
    n: u64,
    correct: u64,
    credit: Points,
    dont_know: u64,
}

impl ItemPhaseAcc {
    fn facility(&self) -> Facility {
        let (n, correct) = self.discrimination.counts();
        Facility {
            n,
            correct,
            credit: self.credit,
            dont_know: self.dont_know,
        }
    }
}

/// Rest scores kept in the joint histogram of [`PointBiserial`]; larger ones (learners with
/// more than this many other items right) go straight to a [`Correlation`].
const MAX_REST: usize = 256;

/// The data of a corrected point-biserial correlation — the item right (0/1) against the
/// number of the learner's other items right — kept as a joint histogram: one counter
/// increment per response instead of a floating-point update. [`correlation`](Self::correlation)
/// turns it into the [`Correlation`] of those pairs.
#[derive(Clone, Default)]
struct PointBiserial {
    /// Per rest score: learners with the item wrong, right.
    cells: Vec<[u64; 2]>,
    overflow: Correlation,
    /// The pairs in `overflow`, and of those the item right.
    overflow_n: u64,
    overflow_right: u64,
}

impl PointBiserial {
    #[inline(always)]
    fn push(&mut self, right: bool, rest: u32) {
        // The usual case: a rest score seen before (one bounds check); the rest out of line,
        // so that the accumulators' loop keeps its values in registers.
        match self.cells.get_mut(rest as usize) {
            Some(cell) => {
                if let Some(c) = cell.get_mut(usize::from(right)) {
                    *c += 1;
                }
            }
            None => self.push_new(right, rest),
        }
    }

    /// [`push`](Self::push) of a rest score not seen before.
    #[cold]
    #[inline(never)]
    fn push_new(&mut self, right: bool, rest: u32) {
        let r = rest as usize;
        if r >= MAX_REST {
            self.overflow
                .push(f64::from(u8::from(right)), f64::from(rest));
            self.overflow_n += 1;
            self.overflow_right += u64::from(right);
            return;
        }
        self.cells.resize(r + 1, [0, 0]);
        if let Some([wrong, ok]) = self.cells.get_mut(r) {
            *(if right { ok } else { wrong }) += 1;
        }
    }

    /// The pairs pushed, and of those the item right.
    fn counts(&self) -> (u64, u64) {
        self.cells.iter().fold(
            (self.overflow_n, self.overflow_right),
            |(n, right), &[w, r]| (n + w + r, right + r),
        )
    }

    /// The correlation of the pairs pushed: each cell of m equal pairs is one pair merged
    /// with itself by doubling (exact: equal pairs add no spread), then the cells are merged.
    fn correlation(&self) -> Correlation {
        let mut total = self.overflow;
        for (rest, &[wrong, right]) in self.cells.iter().enumerate() {
            for (x, m) in [(0.0, wrong), (1.0, right)] {
                total.merge(&repeated(x, rest as f64, m));
            }
        }
        total
    }
}

/// The correlation accumulator of `m` copies of the pair (x, y).
fn repeated(x: f64, y: f64, mut m: u64) -> Correlation {
    let mut out = Correlation::new();
    let mut power = Correlation::new();
    power.push(x, y);
    while m > 0 {
        if m & 1 == 1 {
            out.merge(&power);
        }
        m >>= 1;
        if m > 0 {
            let copy = power;
            power.merge(&copy);
        }
    }
    out
}

#[derive(Clone, Copy, Default)]
struct ShareAcc {
    responses: u64,
    credit: Points,
}

#[derive(Clone, Copy, Default)]
struct IndicatorAcc {
    /// The paired learners asked it in both tests: met before and after, or not. Its
    /// proportions before and after come from this table, so both count the same learners.
    mcnemar: McNemarTable,
}

#[derive(Clone)]
struct LikertAcc {
    /// Answers per scale point, per phase kind (their means come from these counts).
    dist: [Vec<u64>; 2],
    /// Learners who answered in both, and the sum of their shifts post − pre.
    paired: u64,
    shift: i64,
}

/// The reliability accumulator of one test.
#[derive(Clone)]
enum TestAcc {
    /// Every learner answers every item: rows go to a [`DichotomousKr20`].
    Exact(DichotomousKr20),
    /// Learners answer `k` items drawn from the test's items.
    Sampled {
        /// Per item: learners who answered it, and of whom right.
        items: Vec<(u64, u64)>,
        totals: Moments,
        skipped: u64,
    },
}

/// The accumulators of the whole cohort or of one demographic group.
#[derive(Clone)]
pub(crate) struct GroupAccumulators {
    learners: LearnerCounts,
    pre: Moments,
    post: Moments,
    paired: PairedAccumulator,
    wilcoxon: WilcoxonAccumulator,
    /// The paired learners' normalised gains (those below 100 % before; the class gain comes
    /// from the means of `paired`, which holds the same pre and post scores).
    gains: Moments,
    excluded_at_ceiling: u64,
    histogram: [u64; HISTOGRAM_BINS],
    crossover: CrossoverAcc,
    /// Per phase kind (pre, post), per pack item.
    item_phases: [Vec<ItemPhaseAcc>; 2],
    /// Per pack item: the learners who answered it in both tests.
    item_mcnemar: Vec<McNemarTable>,
    indicators: Vec<IndicatorAcc>,
    likert: Vec<LikertAcc>,
    tests: Vec<TestAcc>,
}

fn pct(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| 100.0 * part / whole)
}

fn summary(m: &Moments) -> Summary {
    Summary {
        n: m.n(),
        mean: m.mean(),
        sd: m.sample_sd(),
    }
}

fn mcnemar_report(t: &McNemarTable) -> Option<McNemarReport> {
    let n = t.a + t.b + t.c + t.d;
    if n == 0 {
        return None;
    }
    let m = t.test();
    Some(McNemarReport {
        n,
        both_right: t.a,
        right_to_wrong: t.b,
        wrong_to_right: t.c,
        both_wrong: t.d,
        method: match m.method {
            McNemarMethod::ExactBinomial => McNemarKind::ExactBinomial,
            McNemarMethod::ChiSquareCorrected => McNemarKind::ChiSquareCorrected,
        },
        statistic: m.statistic,
        p_value: m.p_value,
    })
}

impl GroupAccumulators {
    pub(crate) fn new(ctx: &Ctx) -> Self {
        Self {
            learners: LearnerCounts::default(),
            pre: Moments::new(),
            post: Moments::new(),
            paired: PairedAccumulator::new(),
            wilcoxon: WilcoxonAccumulator::new(),
            gains: Moments::new(),
            excluded_at_ceiling: 0,
            histogram: [0; HISTOGRAM_BINS],
            crossover: CrossoverAcc::default(),
            item_phases: [
                vec![ItemPhaseAcc::default(); ctx.items.len()],
                vec![ItemPhaseAcc::default(); ctx.items.len()],
            ],
            item_mcnemar: vec![McNemarTable::default(); ctx.items.len()],
            indicators: vec![IndicatorAcc::default(); ctx.indicators],
            likert: ctx
                .likert_items
                .iter()
                .map(|&(_, points)| LikertAcc {
                    dist: [vec![0; usize::from(points)], vec![0; usize::from(points)]],
                    paired: 0,
                    shift: 0,
                })
                .collect(),
            tests: ctx
                .tests
                .iter()
                .map(|t| {
                    if t.sampled {
                        TestAcc::Sampled {
                            items: vec![(0, 0); t.items.len()],
                            totals: Moments::new(),
                            skipped: 0,
                        }
                    } else {
                        TestAcc::Exact(DichotomousKr20::new(t.items.len()))
                    }
                })
                .collect(),
        }
    }

    /// Whether item `item` was answered in a complete test.
    pub(crate) fn item_answered(&self, item: usize) -> bool {
        self.item_phases
            .iter()
            .any(|p| p.get(item).is_some_and(|p| p.facility().n > 0))
    }

    /// Whether a Likert item (by slot) was answered.
    pub(crate) fn likert_answered(&self, slot: usize) -> bool {
        self.likert
            .get(slot)
            .is_some_and(|l| l.dist.iter().flatten().any(|&c| c > 0))
    }

    /// Adds one learner, whose per-record figures are in `learner` and `scratch`.
    pub(crate) fn apply(&mut self, ctx: &Ctx, learner: &Learner, scratch: &mut Scratch) {
        self.count_learner(learner);
        self.apply_scored(learner, scratch);
        self.apply_touched(scratch);
        self.apply_tests(ctx, learner, scratch);
    }

    /// Counts the learner (completed or not, which tests) and adds their scores and gain.
    fn count_learner(&mut self, learner: &Learner) {
        let c = &mut self.learners;
        c.records += 1;
        if learner.completed {
            c.completed += 1;
        } else {
            c.abandoned += 1;
        }
        // Scores in percent, exactly, then each rounded once to a float.
        let pct_of = |t: &Tally| t.credit.percent_of(t.n);
        let pre_exact = learner.tally[0].as_ref().and_then(pct_of);
        let post_exact = learner.tally[1].as_ref().and_then(pct_of);
        let pre = pre_exact.map(Ratio::to_f64);
        let post = post_exact.map(Ratio::to_f64);
        match (pre, post) {
            (Some(_), Some(_)) => c.paired += 1,
            (Some(_), None) => c.pre_only += 1,
            (None, Some(_)) => c.post_only += 1,
            (None, None) => c.no_test += 1,
        }
        if let Some(a) = pre {
            c.with_pre += 1;
            c.pre_zero += u64::from(pre_exact.is_some_and(Ratio::is_zero));
            self.pre.push(a);
        }
        if let Some(b) = post {
            c.with_post += 1;
            self.post.push(b);
        }
        if let (Some(a), Some(b), Some(ea), Some(eb)) = (pre, post, pre_exact, post_exact) {
            // The difference is exact: equal gains are equal floats (ties), a zero gain is 0.
            let d = eb.minus(ea);
            let df = d.to_f64();
            self.paired.push_with_difference(a, b, df);
            self.wilcoxon.push_difference(df);
            let room = Ratio::whole(100).minus(ea);
            let g = if room.signum() > 0 {
                d.over(room).map(Ratio::to_f64)
            } else {
                None
            };
            // As `GainAccumulator::push_with_gain`, whose pre and post scores would repeat
            // those of `paired`.
            if a.is_finite() && b.is_finite() {
                match g.filter(|g| g.is_finite()) {
                    Some(g) => self.gains.push(g),
                    None => self.excluded_at_ceiling += 1,
                }
            }
            self.crossover.push(learner.forms, a, b, df);
            let bin = d.bin(10).clamp(-10, 10) + 10;
            if let Some(h) = self.histogram.get_mut(usize::try_from(bin).unwrap_or(0)) {
                *h += 1;
            }
        }
    }

    /// Adds the scored responses to the items' facilities and discriminations.
    fn apply_scored(&mut self, learner: &Learner, scratch: &Scratch) {
        for (k, items) in self
            .item_phases
            .iter_mut()
            .map(Vec::as_mut_slice)
            .enumerate()
        {
            let scored = scratch.scored.get(k);
            let Some(total) = learner
                .tally
                .get(k)
                .and_then(Option::as_ref)
                .map(|t| t.correct)
            else {
                continue;
            };
            for r in scored {
                let right = r.correct();
                if let Some(f) = items.get_mut(usize::from(r.item())) {
                    f.credit.add(r.credit());
                    if r.dont_know() {
                        f.dont_know += 1;
                    }
                    f.discrimination.push(right, total - u32::from(right));
                }
            }
        }
    }

    /// Adds the pre/post pairs of the items and indicators asked in both tests to their
    /// McNemar tables (the indicators' proportions), and the Likert answers and shifts.
    fn apply_touched(&mut self, scratch: &Scratch) {
        for &item in &scratch.paired_items {
            let i = usize::from(item);
            let [a, b] = scratch.item_states(i);
            if a != 0 && b != 0 {
                if let Some(t) = self.item_mcnemar.get_mut(i) {
                    t.push(a == 2, b == 2);
                }
            }
        }
        // Indicators as bit sets (packs of up to 64 indicators): those asked in both tests,
        // met when none of their items was answered wrong.
        let [asked_pre, asked_post] = scratch.indicators_asked;
        let [wrong_pre, wrong_post] = scratch.indicators_wrong;
        let mut both = asked_pre & asked_post;
        while both != 0 {
            let i = both.trailing_zeros();
            if let Some(acc) = self.indicators.get_mut(i as usize) {
                acc.mcnemar
                    .push((wrong_pre >> i) & 1 == 0, (wrong_post >> i) & 1 == 0);
            }
            both &= both - 1;
        }
        // Listed states (packs of more than 64 indicators).
        for &ind in &scratch.touched_indicators {
            let i = usize::from(ind);
            let Some(&[a, b]) = scratch.indicator_state.get(i) else {
                continue;
            };
            let Some(acc) = self.indicators.get_mut(i) else {
                continue;
            };
            if a != 0 && b != 0 {
                acc.mcnemar.push(a == 1, b == 1);
            }
        }
        for &slot in &scratch.touched_likert {
            let s = usize::from(slot);
            let Some(acc) = self.likert.get_mut(s) else {
                continue;
            };
            let vals = scratch.likert_state.get(s).copied().unwrap_or([None, None]);
            for (k, v) in vals.iter().enumerate() {
                if let Some(d) = v.and_then(|v| acc.dist.get_mut(k)?.get_mut(usize::from(v))) {
                    *d += 1;
                }
            }
            if let [Some(a), Some(b)] = vals {
                acc.paired += 1;
                acc.shift += i64::from(b) - i64::from(a);
            }
        }
    }

    /// Adds the learner's answers to the reliability accumulators of their tests.
    fn apply_tests(&mut self, ctx: &Ctx, learner: &Learner, scratch: &mut Scratch) {
        for (k, test) in learner.tests.iter().enumerate() {
            let (Some(t), Some(answers), Some(scored), Some(Some(tally))) = (
                *test,
                scratch.test_answers.get(k),
                Some(scratch.scored.get(k)),
                learner.tally.get(k),
            ) else {
                continue;
            };
            let (Some(def), Some(acc)) = (ctx.tests.get(t), self.tests.get_mut(t)) else {
                continue;
            };
            if answers.regular(def.items.len()) {
                acc.push_bits(def, tally, answers);
            } else {
                // Rare (an item answered twice, a test of more than 64 items): the answers
                // from the scored responses.
                let positions = def.positions();
                let list = &mut scratch.test_list;
                list.clear();
                list.extend(scored.iter().filter_map(|r| {
                    let p = *positions.get(usize::from(r.item()))?;
                    (p != NOT_IN_TEST).then_some((usize::from(p), r.correct()))
                }));
                let outside = list.len() < scored.len();
                acc.push(def, tally, list, outside, &mut scratch.test_row);
            }
        }
    }

    /// The report of the cohort or group. `items` and `likert` list the pack items (and
    /// Likert slots) to report; `group` is `(field, value)` for a group.
    pub(crate) fn finish(
        &self,
        ctx: &Ctx,
        pack: &Pack,
        options: &ReportOptions,
        items: &[usize],
        likert: &[usize],
        group: Option<(&str, &str)>,
    ) -> GroupReport {
        let paired = self.paired_report();
        let gain_histogram = self.gain_histogram();
        let item_reports = self.item_reports(pack, items);
        let dont_know = dont_know_report(&item_reports);
        let objectives = self.objective_reports(ctx, pack);
        let indicators = self.indicator_reports(pack);
        let likert_reports = self.likert_reports(ctx, pack, likert);
        let reliability = ctx
            .tests
            .iter()
            .zip(&self.tests)
            .filter_map(|(def, acc)| acc.report(def, pack))
            .collect();
        let mut report = GroupReport {
            field: group.map(|(f, _)| f.to_string()),
            value: group.map(|(_, v)| v.to_string()),
            suppressed: false,
            learners: self.learners,
            pre: summary(&self.pre),
            post: summary(&self.post),
            paired,
            gain_histogram,
            items: item_reports,
            objectives,
            indicators,
            likert: likert_reports,
            reliability,
            crossover: self.crossover.report(pack),
            dont_know,
            warnings: Vec::new(),
        };
        report.warnings = group_warnings(&report, options, group.is_some());
        report
    }

    /// The paired learners' scores, gain, tests and effect size.
    fn paired_report(&self) -> PairedReport {
        PairedReport {
            n: self.paired.n(),
            pre: summary(self.paired.pre()),
            post: summary(self.paired.post()),
            gain: summary(self.paired.diff()),
            // As `GainAccumulator::class_gain`: from the class means.
            class_normalised_gain: self
                .paired
                .pre()
                .mean()
                .zip(self.paired.post().mean())
                .and_then(|(a, b)| hake_gain(a, b)),
            mean_normalised_gain: self.gains.mean(),
            normalised_gain_n: self.gains.n(),
            excluded_at_ceiling: self.excluded_at_ceiling,
            t_test: self.paired.t_test().map(|t| TTestReport {
                t: t.t,
                df: t.df,
                p_value: t.p_value,
            }),
            // Not from fewer than 2 learners or 2 non-zero gains (SciPy would give z = ±1,
            // p = 0.317 for one learner: a figure that says nothing).
            wilcoxon: self
                .wilcoxon
                .test()
                .filter(|w| self.paired.n() >= 2 && w.n_nonzero >= 2)
                .map(|w| WilcoxonReport {
                    statistic: w.statistic,
                    w_plus: w.w_plus,
                    w_minus: w.w_minus,
                    z: w.z_signed,
                    p_value: w.p_value,
                    n_nonzero: w.n_nonzero,
                    n_zero: w.n_zero,
                }),
            cohens_dz: self.paired.cohens_dz().map(|d| EffectSize {
                d: d.d,
                se: d.se,
                ci_low: d.ci_low,
                ci_high: d.ci_high,
            }),
        }
    }

    /// The histogram of the paired learners' gains.
    fn gain_histogram(&self) -> Vec<HistogramBin> {
        self.histogram
            .iter()
            .enumerate()
            .map(|(i, &count)| {
                let center = (i as f64 - 10.0) * 10.0;
                HistogramBin {
                    center,
                    from: (center - 5.0).max(-100.0),
                    to: (center + 5.0).min(100.0),
                    count,
                }
            })
            .collect()
    }

    /// The reports of items `items` (pack indices).
    fn item_reports(&self, pack: &Pack, items: &[usize]) -> Vec<ItemReport> {
        items
            .iter()
            .filter_map(|&i| {
                let it = pack.items.get(i)?;
                let acc = |k: usize| self.item_phases.get(k).and_then(|p| p.get(i));
                let phase = |k: usize| {
                    let f = acc(k).map(ItemPhaseAcc::facility).unwrap_or_default();
                    let nf = f.n as f64;
                    ItemPhase {
                        n: f.n,
                        correct: f.correct,
                        dont_know: f.dont_know,
                        dont_know_rate: (f.n > 0).then(|| f.dont_know as f64 / nf),
                        facility: (f.n > 0).then(|| f.correct as f64 / nf),
                        mean_credit: (f.n > 0).then(|| f.credit.to_f64() / nf),
                        discrimination: acc(k)
                            .and_then(|p| p.discrimination.correlation().pearson_r()),
                    }
                };
                Some(ItemReport {
                    id: it.id.clone(),
                    index: u16::try_from(i).unwrap_or(u16::MAX),
                    kind: it.kind.name().to_string(),
                    objectives: it
                        .objectives
                        .iter()
                        .filter_map(|&o| pack.objectives.get(usize::from(o)).map(|o| o.id.clone()))
                        .collect(),
                    pre: phase(0),
                    post: phase(1),
                    mcnemar: self.item_mcnemar.get(i).and_then(mcnemar_report),
                })
            })
            .collect()
    }

    /// The objectives' shares of credit, pre and post.
    fn objective_reports(&self, ctx: &Ctx, pack: &Pack) -> Vec<ObjectiveReport> {
        // An objective's responses and credit are those of its items.
        let mut shares = vec![[ShareAcc::default(); 2]; ctx.objectives];
        for i in 0..ctx.items.len() {
            for &o in ctx
                .items
                .get(i)
                .map_or(&[][..], |info| ctx.objectives_of(info))
            {
                let Some(share) = shares.get_mut(usize::from(o)) else {
                    continue;
                };
                for (s, p) in share.iter_mut().zip(&self.item_phases) {
                    if let Some(p) = p.get(i) {
                        s.responses += p.facility().n;
                        s.credit.merge(p.credit);
                    }
                }
            }
        }
        pack.objectives
            .iter()
            .zip(&shares)
            .map(|(o, [a, b])| {
                let share = |s: &ShareAcc| Share {
                    responses: s.responses,
                    percent: pct(s.credit.to_f64(), s.responses as f64),
                };
                let (pre, post) = (share(a), share(b));
                ObjectiveReport {
                    id: o.id.clone(),
                    change: pre.percent.zip(post.percent).map(|(a, b)| b - a),
                    pre,
                    post,
                }
            })
            .collect()
    }

    /// The indicators' proportions met, pre and post.
    fn indicator_reports(&self, pack: &Pack) -> Vec<IndicatorReport> {
        pack.indicators
            .iter()
            .zip(&self.indicators)
            .map(|(ind, acc)| {
                // Before and after on the same learners: those asked it in both tests.
                let t = &acc.mcnemar;
                let n = t.a + t.b + t.c + t.d;
                let prop = |met: u64| Proportion {
                    n,
                    met,
                    percent: pct(met as f64, n as f64),
                };
                IndicatorReport {
                    id: ind.id.clone(),
                    pre: prop(t.a + t.b),
                    post: prop(t.a + t.c),
                    mcnemar: mcnemar_report(&acc.mcnemar),
                }
            })
            .collect()
    }

    /// The reports of Likert items `likert` (by slot).
    fn likert_reports(&self, ctx: &Ctx, pack: &Pack, likert: &[usize]) -> Vec<LikertReport> {
        likert
            .iter()
            .filter_map(|&slot| {
                let &(item, points) = ctx.likert_items.get(slot)?;
                let acc = self.likert.get(slot)?;
                // A reverse-keyed item's answers are reversed (point p scores top − p) before
                // its means and shift; counted in integers, so the means are exact.
                let reversed = pack.is_reverse_keyed(item);
                let top = u64::from(points.saturating_sub(1));
                let phase = |k: usize| {
                    let distribution = acc.dist.get(k).cloned().unwrap_or_default();
                    let n: u64 = distribution.iter().sum();
                    let sum: u64 = distribution
                        .iter()
                        .zip(0u64..)
                        .map(|(&c, point)| {
                            c * if reversed {
                                top - point.min(top)
                            } else {
                                point
                            }
                        })
                        .sum();
                    let sum = sum as f64;
                    LikertPhase {
                        n,
                        mean: (n > 0).then(|| sum / n as f64),
                        distribution,
                    }
                };
                Some(LikertReport {
                    id: pack.items.get(usize::from(item))?.id.clone(),
                    index: item,
                    points,
                    reversed,
                    pre: phase(0),
                    post: phase(1),
                    paired_n: acc.paired,
                    // (top − b) − (top − a) = −(b − a).
                    mean_shift: (acc.paired > 0).then(|| {
                        let shift = if reversed { -acc.shift } else { acc.shift };
                        shift as f64 / acc.paired as f64
                    }),
                })
            })
            .collect()
    }
}

impl TestAcc {
    /// Adds a learner's answers given as bit sets ([`TestAnswers::regular`]): the same
    /// as [`push`](Self::push) of the listed answers, without walking them.
    fn push_bits(&mut self, def: &TestDef, tally: &Tally, answers: &TestAnswers) {
        match self {
            TestAcc::Exact(acc) => {
                // A row needs every item of the test answered once and nothing else; with
                // no position repeated or beyond 63, that fits only a test of up to 64 items.
                let len = def.items.len();
                if !answers.outside && tally.n as usize == len && len <= 64 {
                    acc.push_right_bits(len, answers.right);
                } else {
                    acc.push_answers(&[]);
                }
            }
            TestAcc::Sampled {
                items,
                totals,
                skipped,
            } => {
                if answers.outside || def.k == 0 || tally.n != def.k {
                    *skipped += 1;
                    return;
                }
                for (bits, right) in [(answers.seen, false), (answers.right, true)] {
                    let mut bits = bits;
                    while bits != 0 {
                        if let Some(e) = items.get_mut(bits.trailing_zeros() as usize) {
                            *(if right { &mut e.1 } else { &mut e.0 }) += 1;
                        }
                        bits &= bits - 1;
                    }
                }
                totals.push(f64::from(tally.correct));
            }
        }
    }

    /// Adds a learner's answers to the test: `answers` are (position in the test, right),
    /// `outside` says whether the learner also answered items outside it, `row` is scratch.
    fn push(
        &mut self,
        def: &TestDef,
        tally: &Tally,
        answers: &[(usize, bool)],
        outside: bool,
        row: &mut Vec<Option<bool>>,
    ) {
        match self {
            TestAcc::Exact(acc) => {
                // A row needs every item of the test answered once and nothing else.
                let mut ok = !outside && tally.n as usize == def.items.len();
                if ok && def.items.len() <= 64 {
                    // The usual test: the row as bits (answered, right), no row built.
                    let (mut seen, mut right) = (0u64, 0u64);
                    for &(p, r) in answers {
                        let bit = u32::try_from(p)
                            .ok()
                            .and_then(|p| 1u64.checked_shl(p))
                            .unwrap_or(0);
                        if bit == 0 || seen & bit != 0 {
                            ok = false;
                            break;
                        }
                        seen |= bit;
                        right |= if r { bit } else { 0 };
                    }
                    if ok {
                        acc.push_right_bits(def.items.len(), right);
                    } else {
                        acc.push_answers(&[]);
                    }
                    return;
                }
                if ok {
                    row.clear();
                    row.resize(def.items.len(), None);
                    for &(p, right) in answers {
                        match row.get_mut(p) {
                            Some(x) if x.is_none() => *x = Some(right),
                            _ => ok = false,
                        }
                    }
                }
                acc.push_answers(if ok { row } else { &[] });
            }
            TestAcc::Sampled {
                items,
                totals,
                skipped,
            } => {
                if outside || def.k == 0 || tally.n != def.k {
                    *skipped += 1;
                    return;
                }
                for &(p, right) in answers {
                    if let Some(e) = items.get_mut(p) {
                        e.0 += 1;
                        e.1 += u64::from(right);
                    }
                }
                totals.push(f64::from(tally.correct));
            }
        }
    }

    fn report(&self, def: &TestDef, pack: &Pack) -> Option<ReliabilityReport> {
        let (n, skipped, method, kr20) = match self {
            TestAcc::Exact(acc) => (
                acc.n(),
                acc.rejected(),
                ReliabilityMethod::Kr20,
                acc.alpha(),
            ),
            TestAcc::Sampled {
                items,
                totals,
                skipped,
            } => (
                totals.n(),
                *skipped,
                ReliabilityMethod::Kr20Sampled,
                sampled_kr20(def.k, items, totals),
            ),
        };
        if n == 0 && skipped == 0 {
            return None;
        }
        Some(ReliabilityReport {
            journey: pack.journeys.get(def.journey)?.id.clone(),
            phase_kind: KINDS.get(def.kind)?.name().to_string(),
            form: def
                .form
                .and_then(|f| pack.forms.get(usize::from(f)))
                .map(|f| f.id.clone()),
            k: def.k,
            items: u32::try_from(def.items.len()).unwrap_or(u32::MAX),
            n,
            skipped,
            method,
            kr20,
        })
    }
}

/// KR-20 of a `k`-item test whose items are drawn per learner from a larger set:
/// α = k/(k − 1) · (1 − Σᵢ (nᵢ/N)·pᵢqᵢ / σ²_X), with nᵢ the learners who answered item i, pᵢ
/// their proportion right, N the learners and σ²_X the population variance of their totals.
/// When every learner answers every item (nᵢ = N) this is the classic KR-20.
fn sampled_kr20(k: u32, items: &[(u64, u64)], totals: &Moments) -> Option<f64> {
    if k < 2 {
        return None;
    }
    let n = totals.n() as f64;
    let var = totals.population_variance()?;
    if var <= 0.0 || n <= 0.0 {
        return None;
    }
    let mut sum_pq = 0.0;
    for &(ni, ci) in items {
        if ni > 0 {
            let p = ci as f64 / ni as f64;
            sum_pq += (ni as f64 / n) * p * (1.0 - p);
        }
    }
    let kf = f64::from(k);
    let a = kf / (kf - 1.0) * (1.0 - sum_pq / var);
    a.is_finite().then_some(a)
}

/// "I don't know" answers in the pre- and post-tests, over the reported items: how many of
/// the scored responses they were, and the change (a drop is a learning signal of its own).
fn dont_know_report(items: &[ItemReport]) -> DontKnowReport {
    let share = |f: fn(&ItemReport) -> &ItemPhase| {
        let (responses, dont_know) = items
            .iter()
            .map(f)
            .fold((0u64, 0u64), |(n, d), p| (n + p.n, d + p.dont_know));
        DontKnowShare {
            responses,
            dont_know,
            percent: pct(dont_know as f64, responses as f64),
        }
    };
    let pre = share(|i| &i.pre);
    let post = share(|i| &i.post);
    DontKnowReport {
        change: pre.percent.zip(post.percent).map(|(a, b)| b - a),
        pre,
        post,
    }
}
