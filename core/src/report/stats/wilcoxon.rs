//! Wilcoxon signed-rank test.

use super::{count_f64, finite};
use alloc::collections::BTreeMap;

/// Differences are quantised to multiples of `1 / WILCOXON_GRID` (10⁻⁹) before ranking.
pub const WILCOXON_GRID: f64 = 1e9;

/// Counts of positive and negative differences sharing one absolute (quantised) value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct TieBin {
    positive: u64,
    negative: u64,
}

/// Result of a two-sided Wilcoxon signed-rank test by the normal approximation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wilcoxon {
    /// min(W⁺, W⁻): SciPy's two-sided `statistic`.
    pub statistic: f64,
    /// W⁺: sum of the (average) ranks of |d| over the positive differences (post > pre).
    pub w_plus: f64,
    /// W⁻: sum of the (average) ranks of |d| over the negative differences.
    pub w_minus: f64,
    /// −|z|: SciPy's two-sided `zstatistic` (always ≤ 0).
    pub z: f64,
    /// Signed z = (W⁺ − n(n+1)/4)/σ: positive when post tends to exceed pre. This is SciPy's
    /// `zstatistic` for `alternative='greater'`.
    pub z_signed: f64,
    /// Two-sided p-value 2·Φ(−|z|) = erfc(|z|/√2).
    pub p_value: f64,
    /// n: the number of non-zero differences, the sample size of the test.
    pub n_nonzero: u64,
    /// Number of zero differences, discarded (`zero_method='wilcox'`).
    pub n_zero: u64,
}

/// Streaming Wilcoxon signed-rank test of paired data, kept as a histogram of differences.
///
/// Each difference d = post − pre is quantised to the grid key `round(d · 10⁹)` (rounding half
/// away from zero, see [`WILCOXON_GRID`]); keys are kept in a sorted map from |key| to the
/// number of positive and negative differences with that magnitude, so memory grows with the
/// number of *distinct* differences, not with the number of learners (scores on a 0..=k grid
/// give at most 2k + 1 keys). Differences whose key is 0 (|d| < 5·10⁻¹⁰) are zeros.
///
/// Ranking the quantised values also makes ties robust: `7/12 − 5/12` and `3/12 − 1/12`
/// differ in the last bit in floating point, and SciPy, which compares floats exactly, would
/// rank them apart. The reference values are therefore computed on the quantised differences,
/// as SciPy's documentation recommends (round before testing).
///
/// [`test`](Self::test) matches
/// `scipy.stats.wilcoxon(keys, zero_method='wilcox', correction=False, method='approx')`
/// (`'approx'` is an alias of `'asymptotic'`; checked against SciPy 1.17.1):
///
/// * zeros are discarded; n = number of non-zero differences;
/// * |d| is ranked with average ranks for ties; W⁺ and W⁻ are the rank sums of the positive
///   and negative differences;
/// * σ² = [n(n+1)(2n+1) − ½ Σ(t³ − t)] / 24, t over the tie groups of |d|;
/// * z = (W⁺ − n(n+1)/4)/σ, no continuity correction; p = 2·Φ(−|z|);
/// * SciPy reports `statistic = min(W⁺, W⁻)` and `zstatistic = −|z|` for a two-sided test.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WilcoxonAccumulator {
    bins: BTreeMap<u64, TieBin>,
    n_nonzero: u64,
    n_zero: u64,
    rejected: u64,
}

impl WilcoxonAccumulator {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Self {
            bins: BTreeMap::new(),
            n_nonzero: 0,
            n_zero: 0,
            rejected: 0,
        }
    }

    /// Accumulates two equally long slices; `None` when their lengths differ.
    pub fn from_slices(pre: &[f64], post: &[f64]) -> Option<Self> {
        if pre.len() != post.len() {
            return None;
        }
        let mut acc = Self::new();
        for (&a, &b) in pre.iter().zip(post) {
            acc.push(a, b);
        }
        Some(acc)
    }

    /// Adds one learner's pre and post score (difference `post − pre`).
    pub fn push(&mut self, pre: f64, post: f64) {
        if pre.is_finite() && post.is_finite() {
            self.push_difference(post - pre);
        } else {
            self.rejected = self.rejected.saturating_add(1);
        }
    }

    /// Adds one difference directly. Non-finite differences are skipped and counted in
    /// [`rejected`](Self::rejected); magnitudes beyond ≈ 1.8·10¹⁰ saturate the grid.
    pub fn push_difference(&mut self, d: f64) {
        let scaled = d * WILCOXON_GRID;
        if !scaled.is_finite() {
            self.rejected = self.rejected.saturating_add(1);
            return;
        }
        // Saturating float-to-integer conversion; libm::round rounds half away from zero.
        let key = libm::round(libm::fabs(scaled)) as u64;
        if key == 0 {
            self.n_zero = self.n_zero.saturating_add(1);
            return;
        }
        let bin = self.bins.entry(key).or_default();
        if scaled > 0.0 {
            bin.positive = bin.positive.saturating_add(1);
        } else {
            bin.negative = bin.negative.saturating_add(1);
        }
        self.n_nonzero = self.n_nonzero.saturating_add(1);
    }

    /// Combines another accumulator into this one.
    pub fn merge(&mut self, other: &Self) {
        for (&key, b) in &other.bins {
            let bin = self.bins.entry(key).or_default();
            bin.positive = bin.positive.saturating_add(b.positive);
            bin.negative = bin.negative.saturating_add(b.negative);
        }
        self.n_nonzero = self.n_nonzero.saturating_add(other.n_nonzero);
        self.n_zero = self.n_zero.saturating_add(other.n_zero);
        self.rejected = self.rejected.saturating_add(other.rejected);
    }

    /// Number of pairs accumulated (zero differences included, rejected pairs excluded).
    pub const fn n(&self) -> u64 {
        self.n_nonzero.saturating_add(self.n_zero)
    }

    /// Number of zero differences.
    pub const fn n_zero(&self) -> u64 {
        self.n_zero
    }

    /// Number of pairs skipped because a member (or the difference) was not finite.
    pub const fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Number of distinct non-zero |d| values held (the accumulator's memory, in bins).
    pub fn distinct_magnitudes(&self) -> usize {
        self.bins.len()
    }

    /// The two-sided test by the normal approximation (see the type's documentation for the
    /// formulas and the matching SciPy call). `None` when there is no non-zero difference.
    pub fn test(&self) -> Option<Wilcoxon> {
        if self.n_nonzero == 0 {
            return None;
        }
        let mut below = 0.0_f64; // number of |d| ranked below the current tie group
        let mut w_plus = 0.0_f64;
        let mut w_minus = 0.0_f64;
        let mut ties = 0.0_f64;
        for bin in self.bins.values() {
            let t = count_f64(bin.positive.saturating_add(bin.negative));
            let rank = below + (t + 1.0) / 2.0;
            w_plus += count_f64(bin.positive) * rank;
            w_minus += count_f64(bin.negative) * rank;
            ties += t * t * t - t;
            below += t;
        }
        let n = count_f64(self.n_nonzero);
        let mean = n * (n + 1.0) * 0.25;
        let se = libm::sqrt((n * (n + 1.0) * (2.0 * n + 1.0) - ties / 2.0) / 24.0);
        if !(se > 0.0 && se.is_finite()) {
            return None;
        }
        let z_signed = finite((w_plus - mean) / se)?;
        let abs_z = libm::fabs(z_signed);
        Some(Wilcoxon {
            statistic: w_plus.min(w_minus),
            w_plus,
            w_minus,
            z: -abs_z,
            z_signed,
            p_value: libm::erfc(abs_z * core::f64::consts::FRAC_1_SQRT_2).min(1.0),
            n_nonzero: self.n_nonzero,
            n_zero: self.n_zero,
        })
    }
}

/// Wilcoxon signed-rank test of two equally long slices; see [`WilcoxonAccumulator`]. `None`
/// when the lengths differ or every difference is zero.
pub fn wilcoxon_signed_rank(pre: &[f64], post: &[f64]) -> Option<Wilcoxon> {
    WilcoxonAccumulator::from_slices(pre, post)?.test()
}
