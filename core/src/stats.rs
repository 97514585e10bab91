//! Statistics for measuring knowledge gain: streaming accumulators, the tests the cohort report
//! needs, and the special functions behind their p-values.
//!
//! # Design
//!
//! * **Streaming first.** Every statistic is computed by an accumulator that takes one learner
//!   at a time (`push`) and whose memory grows with the number of items, groups or *distinct
//!   values*, never with the number of learners. Accumulators are mergeable (`merge`), so a
//!   report can be computed in shards and combined. The slice functions ([`paired_t_test`],
//!   [`wilcoxon_signed_rank`], [`pearson_r`], [`kr20`], …) are thin conveniences that push a
//!   slice through the same accumulators.
//! * **`Option`, never `NaN`.** A statistic that is undefined for the data seen so far (too few
//!   observations, zero variance, a gain from a 100 % pre-test, …) is `None`. No function in this
//!   module panics, whatever its input.
//! * **Non-finite input is rejected, not propagated.** A `NaN` or infinite value passed to a
//!   `push` is skipped and counted in the accumulator's `rejected()` counter (for paired data the
//!   whole pair is skipped). This is SciPy's `nan_policy='omit'`, not its default `'propagate'`.
//! * **Reference implementation.** Each statistic documents the SciPy (or NumPy) call it matches.
//!   `scripts/stats_reference.py` computes those values on the fixtures in
//!   `core/tests/data/stats/`, and `core/tests/stats_scipy.rs` checks this module against them:
//!   statistics to 1e-9 (absolute, or relative when the magnitude exceeds 1) and p-values to
//!   1e-6 absolute and 1e-6 relative.
//! * **Sign convention for paired data.** A difference is always `post − pre`, so improvement
//!   is positive. (`scipy.stats.ttest_rel(post, pre)` and `scipy.stats.wilcoxon(post - pre)`.)
//!
//! The special functions used for p-values live in [`special`] and are built on `libm`, so the
//! module is `no_std` + `alloc`.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// `Some(x)` when `x` is finite, `None` for `NaN` and ±∞.
fn finite(x: f64) -> Option<f64> {
    if x.is_finite() {
        Some(x)
    } else {
        None
    }
}

/// Converts a count to `f64` (exact below 2⁵³, which every realistic count is).
fn count_f64(n: u64) -> f64 {
    n as f64
}

// ---------------------------------------------------------------------------------------------
// Moments
// ---------------------------------------------------------------------------------------------

/// Streaming count, mean and variance of one variable (Welford's algorithm; mergeable with
/// Chan et al.'s parallel formula).
///
/// Memory is constant. After pushing `x₁ … xₙ`:
///
/// * [`mean`](Self::mean) = Σxᵢ / n — `numpy.mean(x)`;
/// * [`sample_variance`](Self::sample_variance) = Σ(xᵢ − x̄)² / (n − 1) — `numpy.var(x, ddof=1)`;
/// * [`population_variance`](Self::population_variance) = Σ(xᵢ − x̄)² / n —
///   `numpy.var(x, ddof=0)`.
///
/// Non-finite values are skipped and counted in [`rejected`](Self::rejected).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    /// Σ(xᵢ − x̄)², the second central co-moment.
    m2: f64,
    rejected: u64,
}

impl Moments {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Self {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            rejected: 0,
        }
    }

    /// Accumulates the values of a slice (a convenience over [`push`](Self::push)).
    pub fn from_slice(xs: &[f64]) -> Self {
        let mut m = Self::new();
        for &x in xs {
            m.push(x);
        }
        m
    }

    /// Adds one observation (Welford's update: `δ = x − x̄; x̄ += δ/n; M₂ += δ·(x − x̄)`).
    /// A non-finite `x` is skipped and counted in [`rejected`](Self::rejected).
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            self.rejected = self.rejected.saturating_add(1);
            return;
        }
        self.n = self.n.saturating_add(1);
        let delta = x - self.mean;
        self.mean += delta / count_f64(self.n);
        self.m2 += delta * (x - self.mean);
    }

    /// Combines another accumulator into this one, as if its observations had been pushed here
    /// (Chan et al.: `δ = x̄_b − x̄_a; x̄ = x̄_a + δ·n_b/n; M₂ = M₂a + M₂b + δ²·n_a·n_b/n`).
    pub fn merge(&mut self, other: &Self) {
        self.rejected = self.rejected.saturating_add(other.rejected);
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            self.n = other.n;
            self.mean = other.mean;
            self.m2 = other.m2;
            return;
        }
        let na = count_f64(self.n);
        let nb = count_f64(other.n);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * (nb / n));
        self.n = self.n.saturating_add(other.n);
    }

    /// Number of (finite) observations accumulated.
    pub const fn n(&self) -> u64 {
        self.n
    }

    /// Number of non-finite values that were skipped.
    pub const fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Arithmetic mean Σxᵢ/n (`numpy.mean`); `None` when n = 0.
    pub fn mean(&self) -> Option<f64> {
        if self.n == 0 {
            None
        } else {
            finite(self.mean)
        }
    }

    /// Σ(xᵢ − x̄)², or `None` when the accumulation overflowed.
    fn sum_sq(&self) -> Option<f64> {
        if self.mean.is_finite() && self.m2.is_finite() {
            Some(self.m2.max(0.0))
        } else {
            None
        }
    }

    /// Population variance Σ(xᵢ − x̄)²/n (`numpy.var(x, ddof=0)`); `None` when n = 0.
    pub fn population_variance(&self) -> Option<f64> {
        if self.n == 0 {
            None
        } else {
            finite(self.sum_sq()? / count_f64(self.n))
        }
    }

    /// Population standard deviation, √[`population_variance`](Self::population_variance)
    /// (`numpy.std(x, ddof=0)`); `None` when n = 0.
    pub fn population_sd(&self) -> Option<f64> {
        self.population_variance().map(libm::sqrt)
    }

    /// Sample variance Σ(xᵢ − x̄)²/(n − 1) (`numpy.var(x, ddof=1)`); `None` when n < 2.
    pub fn sample_variance(&self) -> Option<f64> {
        if self.n < 2 {
            None
        } else {
            finite(self.sum_sq()? / count_f64(self.n - 1))
        }
    }

    /// Sample standard deviation, √[`sample_variance`](Self::sample_variance)
    /// (`numpy.std(x, ddof=1)`); `None` when n < 2.
    pub fn sample_sd(&self) -> Option<f64> {
        self.sample_variance().map(libm::sqrt)
    }
}

impl Extend<f64> for Moments {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Self::new();
        m.extend(iter);
        m
    }
}

/// Mean of a slice (`numpy.mean`); `None` when it holds no finite value.
pub fn mean(xs: &[f64]) -> Option<f64> {
    Moments::from_slice(xs).mean()
}

/// Sample standard deviation of a slice (`numpy.std(x, ddof=1)`); `None` when it holds fewer
/// than two finite values.
pub fn sample_sd(xs: &[f64]) -> Option<f64> {
    Moments::from_slice(xs).sample_sd()
}

// ---------------------------------------------------------------------------------------------
// Paired pre/post: t-test and Cohen's d_z
// ---------------------------------------------------------------------------------------------

/// Result of a two-sided paired (one-sample on differences) Student t-test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TTest {
    /// t = d̄ / √(s_d²/n), where d = post − pre and s_d² is the sample variance (ddof = 1).
    pub t: f64,
    /// Degrees of freedom, n − 1.
    pub df: f64,
    /// Two-sided p-value, 2·P(T_df ≥ |t|).
    pub p_value: f64,
}

/// Cohen's d_z (standardised mean difference of paired data) with a normal-approximation
/// confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CohensDz {
    /// d_z = mean(post − pre) / sd(post − pre), sd with ddof = 1.
    pub d: f64,
    /// Standard error by the normal approximation, √(1/n + d²/(2n)).
    pub se: f64,
    /// Lower bound, d − z·se.
    pub ci_low: f64,
    /// Upper bound, d + z·se.
    pub ci_high: f64,
}

/// Streaming accumulator for paired pre/post scores: moments of pre, post and the difference
/// `post − pre`, the paired t-test and Cohen's d_z. Constant memory; mergeable.
///
/// A pair with a non-finite member is skipped as a whole and counted in
/// [`rejected`](Self::rejected).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairedAccumulator {
    pre: Moments,
    post: Moments,
    diff: Moments,
    rejected: u64,
}

impl PairedAccumulator {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Self {
            pre: Moments::new(),
            post: Moments::new(),
            diff: Moments::new(),
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

    /// Adds one learner's pre and post score. The difference is `post − pre`.
    pub fn push(&mut self, pre: f64, post: f64) {
        let d = post - pre;
        if !(pre.is_finite() && post.is_finite() && d.is_finite()) {
            self.rejected = self.rejected.saturating_add(1);
            return;
        }
        self.pre.push(pre);
        self.post.push(post);
        self.diff.push(d);
    }

    /// Combines another accumulator into this one.
    pub fn merge(&mut self, other: &Self) {
        self.pre.merge(&other.pre);
        self.post.merge(&other.post);
        self.diff.merge(&other.diff);
        self.rejected = self.rejected.saturating_add(other.rejected);
    }

    /// Number of pairs accumulated.
    pub const fn n(&self) -> u64 {
        self.diff.n()
    }

    /// Number of pairs skipped because a member was not finite.
    pub const fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Moments of the pre scores.
    pub const fn pre(&self) -> &Moments {
        &self.pre
    }

    /// Moments of the post scores.
    pub const fn post(&self) -> &Moments {
        &self.post
    }

    /// Moments of the differences `post − pre`.
    pub const fn diff(&self) -> &Moments {
        &self.diff
    }

    /// Mean difference mean(post − pre); `None` when n = 0.
    pub fn mean_difference(&self) -> Option<f64> {
        self.diff.mean()
    }

    /// Two-sided paired t-test on d = post − pre; matches
    /// `scipy.stats.ttest_rel(post, pre)` (statistic, `df`, pvalue).
    ///
    /// t = d̄ / √(s_d²/n), df = n − 1, p = 2·P(T_df ≥ |t|) with the Student t tail from
    /// [`special::student_t_two_sided_p`]. `None` when n < 2 or the differences have zero
    /// variance (SciPy returns `nan` or `±inf` there).
    pub fn t_test(&self) -> Option<TTest> {
        let n = self.diff.n();
        if n < 2 {
            return None;
        }
        let mean = self.diff.mean()?;
        let var = self.diff.sample_variance()?;
        if var <= 0.0 {
            return None;
        }
        let t = finite(mean / libm::sqrt(var / count_f64(n)))?;
        let df = count_f64(n - 1);
        let p_value = special::student_t_two_sided_p(t, df)?;
        Some(TTest { t, df, p_value })
    }

    /// Cohen's d_z with a 95 % confidence interval: as
    /// [`cohens_dz_with_level`](Self::cohens_dz_with_level) at 0.95, with
    /// z = Φ⁻¹(0.975) ≈ 1.959964 (`scipy.stats.norm.ppf(0.975)`).
    pub fn cohens_dz(&self) -> Option<CohensDz> {
        self.dz_with_quantile(0.975)
    }

    /// Cohen's d_z = mean(d)/sd(d) (sd with ddof = 1) with a two-sided confidence interval at
    /// `level` (e.g. 0.95) by the normal approximation: SE = √(1/n + d_z²/(2n)),
    /// CI = d_z ± z·SE with z = Φ⁻¹(1 − (1 − level)/2) (`scipy.stats.norm.ppf`).
    ///
    /// `None` when n < 2, the differences have zero variance, or `level` is not in (0, 1).
    pub fn cohens_dz_with_level(&self, level: f64) -> Option<CohensDz> {
        if !(level > 0.0 && level < 1.0) {
            return None;
        }
        self.dz_with_quantile(1.0 - (1.0 - level) / 2.0)
    }

    fn dz_with_quantile(&self, q: f64) -> Option<CohensDz> {
        let n = self.diff.n();
        if n < 2 {
            return None;
        }
        let sd = self.diff.sample_sd()?;
        if sd <= 0.0 {
            return None;
        }
        let d = finite(self.diff.mean()? / sd)?;
        let nf = count_f64(n);
        let se = finite(libm::sqrt(1.0 / nf + d * d / (2.0 * nf)))?;
        let z = special::normal_ppf(q)?;
        Some(CohensDz {
            d,
            se,
            ci_low: d - z * se,
            ci_high: d + z * se,
        })
    }
}

/// Paired t-test of two equally long slices (difference `post − pre`); matches
/// `scipy.stats.ttest_rel(post, pre)`. See [`PairedAccumulator::t_test`]. `None` when the
/// lengths differ or the test is undefined.
pub fn paired_t_test(pre: &[f64], post: &[f64]) -> Option<TTest> {
    PairedAccumulator::from_slices(pre, post)?.t_test()
}

/// Cohen's d_z with its 95 % normal-approximation CI for two equally long slices. See
/// [`PairedAccumulator::cohens_dz`]. `None` when the lengths differ or d_z is undefined.
pub fn cohens_dz(pre: &[f64], post: &[f64]) -> Option<CohensDz> {
    PairedAccumulator::from_slices(pre, post)?.cohens_dz()
}

// ---------------------------------------------------------------------------------------------
// Wilcoxon signed-rank test
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// McNemar
// ---------------------------------------------------------------------------------------------

/// Which McNemar test [`mcnemar`] used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum McNemarMethod {
    /// Exact two-sided binomial test, used when b + c < 25.
    ExactBinomial,
    /// χ² with one degree of freedom and Edwards' continuity correction, used when b + c ≥ 25.
    ChiSquareCorrected,
}

/// Result of McNemar's test on the discordant counts of a paired 2×2 table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct McNemar {
    /// b: discordant pairs of one kind (by [`McNemarTable`]'s convention: right before, wrong
    /// after).
    pub b: u64,
    /// c: discordant pairs of the other kind (wrong before, right after).
    pub c: u64,
    /// The method used, chosen by b + c.
    pub method: McNemarMethod,
    /// For [`McNemarMethod::ExactBinomial`]: min(b, c), the binomial count tested. For
    /// [`McNemarMethod::ChiSquareCorrected`]: χ² = (|b − c| − 1)²/(b + c).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Number of discordant pairs below which [`mcnemar`] uses the exact binomial test.
pub const MCNEMAR_EXACT_BELOW: u64 = 25;

/// McNemar's test from the discordant counts `b` and `c`. Never undefined.
///
/// * b + c = 0: no discordant pair, no evidence of change: p = 1, statistic 0, method
///   [`McNemarMethod::ExactBinomial`] (a convention; SciPy's `binomtest` rejects n = 0).
/// * 0 < b + c < 25: exact, p = min(1, 2·F(min(b, c); b + c, ½)) with F the binomial CDF
///   ([`special::binomial_cdf`]); matches `scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue`.
/// * b + c ≥ 25: χ² = (|b − c| − 1)²/(b + c), p = `scipy.stats.chi2.sf(χ², 1)` =
///   erfc(√(χ²/2)). (This is the formula as written, also statsmodels' `mcnemar(exact=False)`:
///   when b = c it gives χ² = 1/(b + c), not 0.)
pub fn mcnemar(b: u64, c: u64) -> McNemar {
    let total = u128::from(b) + u128::from(c);
    if total == 0 {
        return McNemar {
            b,
            c,
            method: McNemarMethod::ExactBinomial,
            statistic: 0.0,
            p_value: 1.0,
        };
    }
    if total < u128::from(MCNEMAR_EXACT_BELOW) {
        let k = b.min(c);
        let n = b.saturating_add(c);
        let cdf = special::binomial_cdf(k, n, 0.5).unwrap_or(1.0);
        return McNemar {
            b,
            c,
            method: McNemarMethod::ExactBinomial,
            statistic: count_f64(k),
            p_value: (2.0 * cdf).min(1.0),
        };
    }
    let diff = count_f64(b.abs_diff(c)) - 1.0;
    let statistic = diff * diff / (count_f64(b) + count_f64(c));
    McNemar {
        b,
        c,
        method: McNemarMethod::ChiSquareCorrected,
        statistic,
        p_value: special::chi2_sf_1df(statistic).unwrap_or(1.0),
    }
}

/// Streaming paired 2×2 table of right/wrong before and after (for one item or one skill).
///
/// | pre \ post | right | wrong |
/// |------------|-------|-------|
/// | right      | a     | b     |
/// | wrong      | c     | d     |
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct McNemarTable {
    /// Right before and after.
    pub a: u64,
    /// Right before, wrong after.
    pub b: u64,
    /// Wrong before, right after.
    pub c: u64,
    /// Wrong before and after.
    pub d: u64,
}

impl McNemarTable {
    /// An empty table.
    pub const fn new() -> Self {
        Self {
            a: 0,
            b: 0,
            c: 0,
            d: 0,
        }
    }

    /// Adds one learner: whether they were right before and after.
    pub fn push(&mut self, pre_right: bool, post_right: bool) {
        let cell = match (pre_right, post_right) {
            (true, true) => &mut self.a,
            (true, false) => &mut self.b,
            (false, true) => &mut self.c,
            (false, false) => &mut self.d,
        };
        *cell = cell.saturating_add(1);
    }

    /// Combines another table into this one.
    pub fn merge(&mut self, other: &Self) {
        self.a = self.a.saturating_add(other.a);
        self.b = self.b.saturating_add(other.b);
        self.c = self.c.saturating_add(other.c);
        self.d = self.d.saturating_add(other.d);
    }

    /// McNemar's test on the discordant cells: [`mcnemar`]`(b, c)`.
    pub fn test(&self) -> McNemar {
        mcnemar(self.b, self.c)
    }
}

// ---------------------------------------------------------------------------------------------
// Correlation
// ---------------------------------------------------------------------------------------------

/// Streaming Pearson correlation of two variables, by co-moment Welford updates (no raw sums
/// of squares, so no catastrophic cancellation); mergeable. Constant memory.
///
/// After pushing (xᵢ, yᵢ): r = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)² · Σ(yᵢ − ȳ)²), which matches
/// the statistic of `scipy.stats.pearsonr(x, y)` (r only; no p-value).
///
/// **Item discrimination.** The cohort report uses one `Correlation` per item for the
/// *corrected point-biserial* (item–rest) correlation: for each learner push
/// `(item score, total score − item score)`, so that the item does not correlate with itself.
/// [`Kr20Accumulator::item_discrimination`] does exactly this.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Correlation {
    n: u64,
    mean_x: f64,
    mean_y: f64,
    m2x: f64,
    m2y: f64,
    cxy: f64,
    rejected: u64,
}

impl Correlation {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Self {
            n: 0,
            mean_x: 0.0,
            mean_y: 0.0,
            m2x: 0.0,
            m2y: 0.0,
            cxy: 0.0,
            rejected: 0,
        }
    }

    /// Accumulates two equally long slices; `None` when their lengths differ.
    pub fn from_slices(x: &[f64], y: &[f64]) -> Option<Self> {
        if x.len() != y.len() {
            return None;
        }
        let mut acc = Self::new();
        for (&a, &b) in x.iter().zip(y) {
            acc.push(a, b);
        }
        Some(acc)
    }

    /// Adds one pair (a pair with a non-finite member is skipped and counted in
    /// [`rejected`](Self::rejected)).
    pub fn push(&mut self, x: f64, y: f64) {
        if !(x.is_finite() && y.is_finite()) {
            self.rejected = self.rejected.saturating_add(1);
            return;
        }
        self.n = self.n.saturating_add(1);
        let n = count_f64(self.n);
        let dx = x - self.mean_x;
        let dy = y - self.mean_y;
        self.mean_x += dx / n;
        self.mean_y += dy / n;
        self.m2x += dx * (x - self.mean_x);
        self.m2y += dy * (y - self.mean_y);
        self.cxy += dx * (y - self.mean_y);
    }

    /// Combines another accumulator into this one (Chan et al.'s pairwise update of the
    /// co-moments).
    pub fn merge(&mut self, other: &Self) {
        self.rejected = self.rejected.saturating_add(other.rejected);
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            let rejected = self.rejected;
            *self = *other;
            self.rejected = rejected;
            return;
        }
        let na = count_f64(self.n);
        let nb = count_f64(other.n);
        let n = na + nb;
        let dx = other.mean_x - self.mean_x;
        let dy = other.mean_y - self.mean_y;
        let w = na * (nb / n);
        self.mean_x += dx * (nb / n);
        self.mean_y += dy * (nb / n);
        self.m2x += other.m2x + dx * dx * w;
        self.m2y += other.m2y + dy * dy * w;
        self.cxy += other.cxy + dx * dy * w;
        self.n = self.n.saturating_add(other.n);
    }

    /// Number of pairs accumulated.
    pub const fn n(&self) -> u64 {
        self.n
    }

    /// Number of pairs skipped because a member was not finite.
    pub const fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Mean of x; `None` when n = 0.
    pub fn mean_x(&self) -> Option<f64> {
        if self.n == 0 {
            None
        } else {
            finite(self.mean_x)
        }
    }

    /// Mean of y; `None` when n = 0.
    pub fn mean_y(&self) -> Option<f64> {
        if self.n == 0 {
            None
        } else {
            finite(self.mean_y)
        }
    }

    /// Sample covariance Σ(xᵢ − x̄)(yᵢ − ȳ)/(n − 1) (`numpy.cov(x, y)[0, 1]`); `None` when
    /// n < 2.
    pub fn sample_covariance(&self) -> Option<f64> {
        if self.n < 2 {
            None
        } else {
            finite(self.cxy / count_f64(self.n - 1))
        }
    }

    /// Pearson's r, clamped to [−1, 1] (`scipy.stats.pearsonr(x, y).statistic`). `None` when
    /// n < 2 or either variable is constant (SciPy returns `nan` with a warning). For n = 2 the
    /// result is exactly ±1, as in SciPy.
    pub fn pearson_r(&self) -> Option<f64> {
        let finite_moments = self.m2x.is_finite() && self.m2y.is_finite() && self.cxy.is_finite();
        if self.n < 2 || !finite_moments || self.m2x <= 0.0 || self.m2y <= 0.0 {
            return None;
        }
        if self.n == 2 {
            return if self.cxy > 0.0 {
                Some(1.0)
            } else if self.cxy < 0.0 {
                Some(-1.0)
            } else {
                None
            };
        }
        let r = self.cxy / (libm::sqrt(self.m2x) * libm::sqrt(self.m2y));
        finite(r).map(|r| r.clamp(-1.0, 1.0))
    }
}

/// Pearson's r of two equally long slices (`scipy.stats.pearsonr(x, y).statistic`); see
/// [`Correlation::pearson_r`]. `None` when the lengths differ or r is undefined.
pub fn pearson_r(x: &[f64], y: &[f64]) -> Option<f64> {
    Correlation::from_slices(x, y)?.pearson_r()
}

// ---------------------------------------------------------------------------------------------
// KR-20 and item analysis
// ---------------------------------------------------------------------------------------------

/// Streaming KR-20 reliability and item analysis of a test with `k` dichotomous (0/1) items.
/// Memory grows with `k`, not with the number of learners; mergeable.
///
/// Per learner, [`push`](Self::push) takes the `k` item scores. Then, with pᵢ the mean score
/// of item i, qᵢ = 1 − pᵢ, and σ²_X the **population** variance (ddof = 0) of the learners'
/// total scores X = Σᵢ itemᵢ:
///
/// α = k/(k − 1) · (1 − Σᵢ pᵢqᵢ / σ²_X)
///
/// computed in the reference with NumPy as
/// `k/(k-1) * (1 - (p*(1-p)).sum() / X.sum(axis=1).var(ddof=0))`.
///
/// Item scores other than 0 and 1 are accepted (pᵢ is then the item mean), but KR-20 is only
/// meaningful for dichotomous items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Kr20Accumulator {
    k: usize,
    /// Per item: correlation of (item score, total − item score); its x-mean is pᵢ.
    items: Vec<Correlation>,
    total: Moments,
    rejected: u64,
}

impl Kr20Accumulator {
    /// An empty accumulator for a test of `k` items. (Should the `k` item slots fail to
    /// allocate, the accumulator rejects every row instead of panicking.)
    pub fn new(k: usize) -> Self {
        let mut items = Vec::new();
        if items.try_reserve_exact(k).is_ok() {
            items.resize(k, Correlation::new());
        }
        Self {
            k,
            items,
            total: Moments::new(),
            rejected: 0,
        }
    }

    /// Number of items, k.
    pub const fn k(&self) -> usize {
        self.k
    }

    /// Adds one learner's item scores. Returns `false` (and counts the row in
    /// [`rejected`](Self::rejected)) when `scores.len() != k` or a score is not finite; the row
    /// is then ignored.
    pub fn push(&mut self, scores: &[f64]) -> bool {
        if scores.len() != self.k
            || self.items.len() != self.k
            || !scores.iter().all(|s| s.is_finite())
        {
            self.rejected = self.rejected.saturating_add(1);
            return false;
        }
        let total: f64 = scores.iter().sum();
        if !total.is_finite() {
            self.rejected = self.rejected.saturating_add(1);
            return false;
        }
        self.total.push(total);
        for (item, &s) in self.items.iter_mut().zip(scores) {
            item.push(s, total - s);
        }
        true
    }

    /// Combines another accumulator into this one. Returns `false` and changes nothing when the
    /// two have different numbers of items.
    pub fn merge(&mut self, other: &Self) -> bool {
        if self.k != other.k || self.items.len() != other.items.len() {
            return false;
        }
        for (a, b) in self.items.iter_mut().zip(&other.items) {
            a.merge(b);
        }
        self.total.merge(&other.total);
        self.rejected = self.rejected.saturating_add(other.rejected);
        true
    }

    /// Number of learners accumulated.
    pub const fn n(&self) -> u64 {
        self.total.n()
    }

    /// Number of rows rejected by [`push`](Self::push).
    pub const fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Moments of the learners' total scores.
    pub const fn total(&self) -> &Moments {
        &self.total
    }

    /// Item difficulty pᵢ: the mean score of item `i` (proportion correct for 0/1 items).
    /// `None` when `i ≥ k` or no learner was pushed.
    pub fn item_difficulty(&self, i: usize) -> Option<f64> {
        self.items.get(i)?.mean_x()
    }

    /// Corrected point-biserial discrimination of item `i`: Pearson's r between the item score
    /// and the total score *minus that item* (`scipy.stats.pearsonr(X[:, i], X.sum(1) - X[:, i])`).
    /// `None` when `i ≥ k`, n < 2, or either variable is constant (e.g. an item everyone got
    /// right).
    pub fn item_discrimination(&self, i: usize) -> Option<f64> {
        self.items.get(i)?.pearson_r()
    }

    /// KR-20 reliability α (formula in the type's documentation). `None` when k < 2, no learner
    /// was pushed, or the total scores have zero variance.
    pub fn alpha(&self) -> Option<f64> {
        let k = self.k;
        if k < 2 || self.items.len() != k {
            return None;
        }
        let var_total = self.total.population_variance()?;
        if var_total <= 0.0 {
            return None;
        }
        let mut sum_pq = 0.0;
        for item in &self.items {
            let p = item.mean_x()?;
            sum_pq += p * (1.0 - p);
        }
        let kf = k as f64;
        finite(kf / (kf - 1.0) * (1.0 - sum_pq / var_total))
    }
}

/// KR-20 reliability of right/wrong (0/1) items from counts: the same α as
/// [`Kr20Accumulator::alpha`] for 0/1 rows, accumulated exactly in integers (per item the
/// learners who got it right, and how many learners had each total score), so that adding a
/// learner costs an increment per right answer instead of a floating-point update per item.
/// Exact for any number of learners. Mergeable; memory grows with k only.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DichotomousKr20 {
    /// Per item: learners who got it right.
    right: Vec<u64>,
    /// Per total score 0..=k: learners with that total.
    totals: Vec<u64>,
    rejected: u64,
}

impl DichotomousKr20 {
    /// An empty accumulator for a test of `k` items. (Should its slots fail to allocate, it
    /// rejects every row instead of panicking.)
    pub fn new(k: usize) -> Self {
        let mut right = Vec::new();
        let mut totals = Vec::new();
        if right.try_reserve_exact(k).is_ok() && totals.try_reserve_exact(k + 1).is_ok() {
            right.resize(k, 0);
            totals.resize(k + 1, 0);
        }
        Self {
            right,
            totals,
            rejected: 0,
        }
    }

    /// Number of items, k.
    pub fn k(&self) -> usize {
        self.right.len()
    }

    /// Adds one learner's answers, one per item: `Some(true)` right, `Some(false)` wrong.
    /// Returns `false` (and counts the row in [`rejected`](Self::rejected)) when
    /// `answers.len() != k` or an item was not answered (`None`).
    pub fn push_answers(&mut self, answers: &[Option<bool>]) -> bool {
        let complete = answers.iter().all(Option::is_some);
        self.push_row(
            complete,
            answers.len(),
            answers.iter().map(|&a| a == Some(true)),
        )
    }

    /// Adds one learner's 0/1 scores, one per item. Returns `false` (and counts the row in
    /// [`rejected`](Self::rejected)) when `scores.len() != k` or a score is neither 0 nor 1.
    pub fn push(&mut self, scores: &[f64]) -> bool {
        let valid = scores.iter().all(|&s| s == 0.0 || s == 1.0);
        self.push_row(valid, scores.len(), scores.iter().map(|&s| s == 1.0))
    }

    /// Adds a row of `len` right/wrong answers when it is `valid` and one per item; otherwise
    /// counts it as rejected.
    fn push_row(&mut self, valid: bool, len: usize, right: impl Iterator<Item = bool>) -> bool {
        if !valid || len != self.right.len() {
            self.rejected = self.rejected.saturating_add(1);
            return false;
        }
        let mut total = 0usize;
        for (c, r) in self.right.iter_mut().zip(right) {
            *c += u64::from(r);
            total += usize::from(r);
        }
        if let Some(t) = self.totals.get_mut(total) {
            *t += 1;
        }
        true
    }

    /// Combines another accumulator into this one. Returns `false` and changes nothing when the
    /// two have different numbers of items.
    pub fn merge(&mut self, other: &Self) -> bool {
        if self.right.len() != other.right.len() || self.totals.len() != other.totals.len() {
            return false;
        }
        for (a, b) in self.right.iter_mut().zip(&other.right) {
            *a += b;
        }
        for (a, b) in self.totals.iter_mut().zip(&other.totals) {
            *a += b;
        }
        self.rejected = self.rejected.saturating_add(other.rejected);
        true
    }

    /// Number of learners accumulated.
    pub fn n(&self) -> u64 {
        self.totals.iter().sum()
    }

    /// Number of rows rejected.
    pub const fn rejected(&self) -> u64 {
        self.rejected
    }

    /// KR-20 reliability α. `None` when k < 2, no learner was pushed, or the total scores have
    /// zero variance.
    pub fn alpha(&self) -> Option<f64> {
        let k = self.right.len();
        let n = self.n();
        if k < 2 || n == 0 {
            return None;
        }
        // Population variance of the totals from exact integer sums:
        // σ² = (n·Σt² − (Σt)²) / n².
        let (mut st, mut st2) = (0u128, 0u128);
        for (t, &c) in self.totals.iter().enumerate() {
            let (t, c) = (t as u128, u128::from(c));
            st += t * c;
            st2 += t * t * c;
        }
        let nn = u128::from(n);
        let var_num = (nn * st2).checked_sub(st * st)?;
        if var_num == 0 {
            return None;
        }
        let nf = count_f64(n);
        let var_total = var_num as f64 / (nf * nf);
        let sum_pq: f64 = self
            .right
            .iter()
            .map(|&r| {
                let p = r as f64 / nf;
                p * (1.0 - p)
            })
            .sum();
        let kf = k as f64;
        finite(kf / (kf - 1.0) * (1.0 - sum_pq / var_total))
    }
}

/// KR-20 α of `k` items from an iterator of learners' score rows; see [`Kr20Accumulator`].
/// Rows whose length is not `k` are ignored. `None` when α is undefined.
pub fn kr20<I, R>(k: usize, rows: I) -> Option<f64>
where
    I: IntoIterator<Item = R>,
    R: AsRef<[f64]>,
{
    let mut acc = Kr20Accumulator::new(k);
    for row in rows {
        acc.push(row.as_ref());
    }
    acc.alpha()
}

// ---------------------------------------------------------------------------------------------
// Normalised gain
// ---------------------------------------------------------------------------------------------

/// Hake's normalised gain ⟨g⟩ = (post% − pre%)/(100 − pre%), scores in percent.
///
/// Used for the class gain (from the class means) and for each learner's gain. `None` when an
/// input is not finite or `pre_pct ≥ 100` (no room to gain; at exactly 100 the ratio is
/// undefined). A loss gives a negative gain, which may be below −1.
pub fn hake_gain(pre_pct: f64, post_pct: f64) -> Option<f64> {
    if !(pre_pct.is_finite() && post_pct.is_finite()) || pre_pct >= 100.0 {
        return None;
    }
    finite((post_pct - pre_pct) / (100.0 - pre_pct))
}

/// Streaming normalised gains of a class, scores in percent (0–100). Constant memory;
/// mergeable.
///
/// * [`class_gain`](Self::class_gain): Hake's ⟨g⟩ from the class means,
///   `hake_gain(mean(pre%), mean(post%))`, over **all** learners pushed.
/// * [`mean_individual_gain`](Self::mean_individual_gain): mean of the per-learner gains
///   gᵢ = `hake_gain(preᵢ%, postᵢ%)`. Learners with preᵢ% ≥ 100 have no defined gᵢ: they are
///   **excluded** from this mean (but not from the class means) and counted in
///   [`excluded_at_ceiling`](Self::excluded_at_ceiling).
///
/// Reference (NumPy): `(post.mean() - pre.mean()) / (100 - pre.mean())` and
/// `np.mean(((post - pre) / (100 - pre))[pre < 100])`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GainAccumulator {
    pre: Moments,
    post: Moments,
    gains: Moments,
    excluded: u64,
    rejected: u64,
}

impl GainAccumulator {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Self {
            pre: Moments::new(),
            post: Moments::new(),
            gains: Moments::new(),
            excluded: 0,
            rejected: 0,
        }
    }

    /// Accumulates two equally long slices of percentages; `None` when their lengths differ.
    pub fn from_slices(pre_pct: &[f64], post_pct: &[f64]) -> Option<Self> {
        if pre_pct.len() != post_pct.len() {
            return None;
        }
        let mut acc = Self::new();
        for (&a, &b) in pre_pct.iter().zip(post_pct) {
            acc.push(a, b);
        }
        Some(acc)
    }

    /// Adds one learner's pre and post score in percent. A pair with a non-finite member is
    /// skipped and counted in [`rejected`](Self::rejected).
    pub fn push(&mut self, pre_pct: f64, post_pct: f64) {
        if !(pre_pct.is_finite() && post_pct.is_finite()) {
            self.rejected = self.rejected.saturating_add(1);
            return;
        }
        self.pre.push(pre_pct);
        self.post.push(post_pct);
        match hake_gain(pre_pct, post_pct) {
            Some(g) => self.gains.push(g),
            None => self.excluded = self.excluded.saturating_add(1),
        }
    }

    /// Combines another accumulator into this one.
    pub fn merge(&mut self, other: &Self) {
        self.pre.merge(&other.pre);
        self.post.merge(&other.post);
        self.gains.merge(&other.gains);
        self.excluded = self.excluded.saturating_add(other.excluded);
        self.rejected = self.rejected.saturating_add(other.rejected);
    }

    /// Number of learners accumulated (including those excluded from the individual gains).
    pub const fn n(&self) -> u64 {
        self.pre.n()
    }

    /// Number of learners whose pre-test was at or above 100 %, excluded from the individual
    /// gains.
    pub const fn excluded_at_ceiling(&self) -> u64 {
        self.excluded
    }

    /// Number of pairs skipped because a member was not finite.
    pub const fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Hake's class gain from the class means; `None` when no learner was pushed or the mean
    /// pre-test is 100 %.
    pub fn class_gain(&self) -> Option<f64> {
        hake_gain(self.pre.mean()?, self.post.mean()?)
    }

    /// Mean of the per-learner gains over learners with pre < 100 %; `None` when there is none.
    pub fn mean_individual_gain(&self) -> Option<f64> {
        self.gains.mean()
    }

    /// Moments of the per-learner gains (for their spread).
    pub const fn individual_gains(&self) -> &Moments {
        &self.gains
    }
}

/// Hake's class gain of two equally long slices of percentages; see
/// [`GainAccumulator::class_gain`].
pub fn class_gain(pre_pct: &[f64], post_pct: &[f64]) -> Option<f64> {
    GainAccumulator::from_slices(pre_pct, post_pct)?.class_gain()
}

/// Mean per-learner normalised gain of two equally long slices of percentages; see
/// [`GainAccumulator::mean_individual_gain`].
pub fn mean_individual_gain(pre_pct: &[f64], post_pct: &[f64]) -> Option<f64> {
    GainAccumulator::from_slices(pre_pct, post_pct)?.mean_individual_gain()
}

// ---------------------------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------------------------

/// Special functions for the p-values, on `libm` (no_std). Every function returns `None` for a
/// `NaN` or out-of-domain argument instead of `NaN`.
pub mod special {
    use core::f64::consts::FRAC_1_SQRT_2;

    /// Iteration cap of the incomplete-beta continued fraction (it needs about √max(a, b)
    /// iterations; 10⁵ covers a, b up to ~10⁹).
    const BETACF_MAX_ITER: u32 = 100_000;

    /// Natural log of the gamma function for x > 0 (`libm::lgamma`; `scipy.special.gammaln`).
    pub fn ln_gamma(x: f64) -> Option<f64> {
        if x > 0.0 && x.is_finite() {
            super::finite(libm::lgamma(x))
        } else {
            None
        }
    }

    /// Stirling-series remainder lgamma(x) − [(x − ½)·ln x − x + ½·ln 2π] for x ≥ 15
    /// (error below 3e-16 there).
    fn stirling_correction(x: f64) -> f64 {
        let r = 1.0 / x;
        let r2 = r * r;
        r * (1.0 / 12.0
            - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 * (1.0 / 1680.0 - r2 / 1188.0))))
    }

    /// ln B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b) for a, b > 0, without the
    /// cancellation of the direct formula when an argument is large (the t-test's df/2 for a
    /// million learners): the large arguments go through the Stirling series, with the
    /// differences of logarithms taken by `log1p`.
    fn ln_beta(a: f64, b: f64) -> f64 {
        const STIRLING_MIN: f64 = 15.0;
        let (small, big) = if a < b { (a, b) } else { (b, a) };
        if big < STIRLING_MIN {
            libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
        } else if small < STIRLING_MIN {
            // lgamma(big + small) − lgamma(big), by the Stirling series for both.
            let sum = big + small;
            let diff = (big - 0.5) * libm::log1p(small / big) + small * libm::log(sum) - small
                + (stirling_correction(sum) - stirling_correction(big));
            libm::lgamma(small) - diff
        } else {
            let sum = a + b;
            0.5 * libm::log(2.0 * core::f64::consts::PI)
                - (a - 0.5) * libm::log1p(b / a)
                - (b - 0.5) * libm::log1p(a / b)
                - 0.5 * libm::log(sum)
                + (stirling_correction(a) + stirling_correction(b) - stirling_correction(sum))
        }
    }

    /// Continued fraction of the incomplete beta function by the modified Lentz method
    /// (Numerical Recipes `betacf`).
    fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
        const TINY: f64 = 1e-300;
        const EPS: f64 = 2.0 * f64::EPSILON;
        let qab = a + b;
        let qap = a + 1.0;
        let qam = a - 1.0;
        let mut c = 1.0;
        let mut d = 1.0 - qab * x / qap;
        if libm::fabs(d) < TINY {
            d = TINY;
        }
        d = 1.0 / d;
        let mut h = d;
        for m in 1..=BETACF_MAX_ITER {
            let m = f64::from(m);
            let m2 = 2.0 * m;
            let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            if libm::fabs(d) < TINY {
                d = TINY;
            }
            c = 1.0 + aa / c;
            if libm::fabs(c) < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
            let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            if libm::fabs(d) < TINY {
                d = TINY;
            }
            c = 1.0 + aa / c;
            if libm::fabs(c) < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if libm::fabs(del - 1.0) <= EPS {
                break;
            }
        }
        h
    }

    /// I_x(a, b) given both x and y = 1 − x (so that callers can pass an accurate complement).
    fn reg_inc_beta_xy(a: f64, b: f64, x: f64, y: f64) -> Option<f64> {
        if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
            return None;
        }
        if !(x.is_finite() && y.is_finite()) || x < 0.0 || y < 0.0 {
            return None;
        }
        if x == 0.0 {
            return Some(0.0);
        }
        if y == 0.0 {
            return Some(1.0);
        }
        // ln x and ln y from whichever of x, y is small (log1p), so that a large exponent
        // (a = df/2 for a million learners) does not magnify the rounding of x near 1.
        let ln_x = if y < 0.5 {
            libm::log1p(-y)
        } else {
            libm::log(x)
        };
        let ln_y = if x < 0.5 {
            libm::log1p(-x)
        } else {
            libm::log(y)
        };
        let ln_front = a * ln_x + b * ln_y - ln_beta(a, b);
        let front = libm::exp(ln_front);
        let value = if x < (a + 1.0) / (a + b + 2.0) {
            front * beta_cf(a, b, x) / a
        } else {
            1.0 - front * beta_cf(b, a, y) / b
        };
        super::finite(value.clamp(0.0, 1.0))
    }

    /// Regularized incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b) for a, b > 0 and
    /// 0 ≤ x ≤ 1, by the continued fraction with the modified Lentz method (Numerical Recipes
    /// §6.4), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges
    /// slowly. Matches `scipy.special.betainc(a, b, x)`.
    pub fn reg_inc_beta(a: f64, b: f64, x: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&x) {
            return None;
        }
        reg_inc_beta_xy(a, b, x, 1.0 - x)
    }

    /// Two-sided Student t tail 2·P(T_df ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2) for df > 0
    /// (`2 * scipy.stats.t.sf(abs(t), df)`). `None` when t is `NaN` or df is not a positive
    /// finite number.
    pub fn student_t_two_sided_p(t: f64, df: f64) -> Option<f64> {
        if t.is_nan() || !(df > 0.0 && df.is_finite()) {
            return None;
        }
        let at = libm::fabs(t);
        if at == f64::INFINITY {
            return Some(0.0);
        }
        // x = df/(df + t²) and its complement, computed without cancellation or overflow.
        let (x, y) = if at * at <= df {
            let tt = at * at;
            (df / (df + tt), tt / (df + tt))
        } else {
            let r = (df / at) / at; // df/t² ≤ 1
            (r / (1.0 + r), 1.0 / (1.0 + r))
        };
        reg_inc_beta_xy(df / 2.0, 0.5, x, y)
    }

    /// Student t survival function P(T_df > t) (`scipy.stats.t.sf(t, df)`).
    pub fn student_t_sf(t: f64, df: f64) -> Option<f64> {
        let half_tail = 0.5 * student_t_two_sided_p(t, df)?;
        Some(if t >= 0.0 { half_tail } else { 1.0 - half_tail })
    }

    /// Student t CDF P(T_df ≤ t) (`scipy.stats.t.cdf(t, df)`).
    pub fn student_t_cdf(t: f64, df: f64) -> Option<f64> {
        let half_tail = 0.5 * student_t_two_sided_p(t, df)?;
        Some(if t >= 0.0 { 1.0 - half_tail } else { half_tail })
    }

    /// Standard normal CDF Φ(x) = ½·erfc(−x/√2) (`scipy.stats.norm.cdf`); `None` for `NaN`.
    pub fn normal_cdf(x: f64) -> Option<f64> {
        if x.is_nan() {
            None
        } else {
            Some(0.5 * libm::erfc(-x * FRAC_1_SQRT_2))
        }
    }

    /// Standard normal survival function 1 − Φ(x) = ½·erfc(x/√2) (`scipy.stats.norm.sf`);
    /// `None` for `NaN`.
    pub fn normal_sf(x: f64) -> Option<f64> {
        if x.is_nan() {
            None
        } else {
            Some(0.5 * libm::erfc(x * FRAC_1_SQRT_2))
        }
    }

    /// Standard normal quantile Φ⁻¹(p) for 0 < p < 1 by Wichura's algorithm AS 241 (PPND16,
    /// relative accuracy about 1e-16) (`scipy.stats.norm.ppf`). `None` when p ∉ (0, 1) (SciPy
    /// returns ∓∞ at 0 and 1).
    pub fn normal_ppf(p: f64) -> Option<f64> {
        if !(p > 0.0 && p < 1.0) {
            return None;
        }
        let q = p - 0.5;
        if libm::fabs(q) <= 0.425 {
            let r = 0.180_625 - q * q;
            let num = ((((((2.509_080_928_730_122_7e3 * r + 3.343_057_558_358_813e4) * r
                + 6.726_577_092_700_87e4)
                * r
                + 4.592_195_393_154_987e4)
                * r
                + 1.373_169_376_550_946e4)
                * r
                + 1.971_590_950_306_551_3e3)
                * r
                + 1.331_416_678_917_843_7e2)
                * r
                + 3.387_132_872_796_366_5;
            let den = ((((((5.226_495_278_852_854e3 * r + 2.872_908_573_572_194_3e4) * r
                + 3.930_789_580_009_271e4)
                * r
                + 2.121_379_430_158_659_7e4)
                * r
                + 5.394_196_021_424_751e3)
                * r
                + 6.871_870_074_920_579e2)
                * r
                + 4.231_333_070_160_091e1)
                * r
                + 1.0;
            return super::finite(q * num / den);
        }
        let tail = if q < 0.0 { p } else { 1.0 - p };
        let mut r = libm::sqrt(-libm::log(tail));
        let value = if r <= 5.0 {
            r -= 1.6;
            let num = ((((((7.745_450_142_783_414e-4 * r + 2.272_384_498_926_918_4e-2) * r
                + 2.417_807_251_774_506e-1)
                * r
                + 1.270_458_252_452_368_4)
                * r
                + 3.647_848_324_763_204_5)
                * r
                + 5.769_497_221_460_691)
                * r
                + 4.630_337_846_156_546)
                * r
                + 1.423_437_110_749_683_5;
            let den = ((((((1.050_750_071_644_416_9e-9 * r + 5.475_938_084_995_345e-4) * r
                + 1.519_866_656_361_645_7e-2)
                * r
                + 1.481_039_764_274_800_8e-1)
                * r
                + 6.897_673_349_851e-1)
                * r
                + 1.676_384_830_183_803_8)
                * r
                + 2.053_191_626_637_759)
                * r
                + 1.0;
            num / den
        } else {
            r -= 5.0;
            let num = ((((((2.010_334_399_292_288_1e-7 * r + 2.711_555_568_743_487_6e-5) * r
                + 1.242_660_947_388_078_4e-3)
                * r
                + 2.653_218_952_657_612_4e-2)
                * r
                + 2.965_605_718_285_048_7e-1)
                * r
                + 1.784_826_539_917_291_3)
                * r
                + 5.463_784_911_164_114)
                * r
                + 6.657_904_643_501_103;
            let den = ((((((2.044_263_103_389_939_7e-15 * r + 1.421_511_758_316_446e-7) * r
                + 1.846_318_317_510_054_8e-5)
                * r
                + 7.868_691_311_456_133e-4)
                * r
                + 1.487_536_129_085_061_5e-2)
                * r
                + 1.369_298_809_227_358e-1)
                * r
                + 5.998_322_065_558_88e-1)
                * r
                + 1.0;
            num / den
        };
        super::finite(if q < 0.0 { -value } else { value })
    }

    /// χ² survival function with one degree of freedom, P(χ²₁ > x) = erfc(√(x/2))
    /// (`scipy.stats.chi2.sf(x, 1)`); 1 for x ≤ 0, `None` for `NaN`.
    pub fn chi2_sf_1df(x: f64) -> Option<f64> {
        if x.is_nan() {
            None
        } else if x <= 0.0 {
            Some(1.0)
        } else {
            Some(libm::erfc(libm::sqrt(x / 2.0)))
        }
    }

    /// Largest n for which [`binomial_cdf`] sums terms; above it uses the incomplete beta.
    const BINOMIAL_SUM_MAX_N: u64 = 100_000;

    /// Binomial CDF P(K ≤ k) for K ~ Binomial(n, p) (`scipy.stats.binom.cdf(k, n, p)`).
    ///
    /// For n ≤ 100 000 the terms C(n, i)·pⁱ·(1 − p)ⁿ⁻ⁱ, i = 0..=k, are formed in log space with
    /// `lgamma` and summed relative to the largest (log-sum-exp). Above that it uses the
    /// identity P(K ≤ k) = I_{1−p}(n − k, k + 1). `None` when p ∉ [0, 1].
    pub fn binomial_cdf(k: u64, n: u64, p: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&p) {
            return None;
        }
        if k >= n {
            return Some(1.0);
        }
        if p == 0.0 {
            return Some(1.0);
        }
        if p == 1.0 {
            return Some(0.0);
        }
        let nf = super::count_f64(n);
        if n > BINOMIAL_SUM_MAX_N {
            let kf = super::count_f64(k);
            return reg_inc_beta_xy(nf - kf, kf + 1.0, 1.0 - p, p);
        }
        let ln_p = libm::log(p);
        let ln_q = libm::log1p(-p);
        let ln_n_fact = libm::lgamma(nf + 1.0);
        let term = |i: u64| {
            let i = super::count_f64(i);
            ln_n_fact - libm::lgamma(i + 1.0) - libm::lgamma(nf - i + 1.0)
                + i * ln_p
                + (nf - i) * ln_q
        };
        let max = (0..=k).map(term).fold(f64::NEG_INFINITY, f64::max);
        if !max.is_finite() {
            return None;
        }
        let sum: f64 = (0..=k).map(|i| libm::exp(term(i) - max)).sum();
        super::finite((libm::exp(max) * sum).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::special::*;
    use super::*;
    use alloc::vec;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn moments_edge_cases() {
        let mut m = Moments::new();
        assert_eq!(
            (m.mean(), m.population_variance(), m.sample_sd()),
            (None, None, None)
        );
        m.push(f64::NAN);
        m.push(f64::INFINITY);
        assert_eq!((m.n(), m.rejected()), (0, 2));
        m.push(3.0);
        assert_eq!(
            (m.mean(), m.population_variance(), m.sample_sd()),
            (Some(3.0), Some(0.0), None)
        );
        m.push(5.0);
        assert_eq!((m.mean(), m.sample_variance()), (Some(4.0), Some(2.0)));
        // Overflowing variance is reported as undefined, not ∞.
        let big: Moments = [1e308, -1e308, 1e308].into_iter().collect();
        assert_eq!(big.population_variance(), None);
        // Merging with an empty accumulator, either way round.
        let mut e = Moments::new();
        e.merge(&m);
        assert_eq!(e.mean(), m.mean());
        let mut m2 = m;
        m2.merge(&Moments::new());
        assert_eq!(m2, m);
    }

    #[test]
    fn paired_undefined_cases() {
        let acc = PairedAccumulator::from_slices(&[0.5], &[0.75]).unwrap();
        assert_eq!((acc.t_test(), acc.cohens_dz()), (None, None));
        assert_eq!(acc.mean_difference(), Some(0.25));
        let shift = PairedAccumulator::from_slices(&[0.0, 0.25, 0.5], &[0.25, 0.5, 0.75]).unwrap();
        assert_eq!((shift.t_test(), shift.cohens_dz()), (None, None));
        assert!(PairedAccumulator::from_slices(&[1.0], &[]).is_none());
        let mut acc = PairedAccumulator::new();
        acc.push(f64::MAX, -f64::MAX); // difference overflows
        acc.push(f64::NAN, 1.0);
        assert_eq!((acc.n(), acc.rejected()), (0, 2));
        let ok = PairedAccumulator::from_slices(&[1.0, 2.0, 4.0], &[2.0, 4.0, 5.0]).unwrap();
        assert!(ok.cohens_dz_with_level(0.0).is_none());
        assert!(ok.cohens_dz_with_level(1.0).is_none());
        assert!(ok.cohens_dz_with_level(f64::NAN).is_none());
        let (w95, w99) = (
            ok.cohens_dz().unwrap(),
            ok.cohens_dz_with_level(0.99).unwrap(),
        );
        assert!(w99.ci_low < w95.ci_low && w99.ci_high > w95.ci_high);
    }

    #[test]
    fn wilcoxon_grid_and_extremes() {
        // Differences that are equal as rationals but not as floats tie on the grid.
        let mut w = WilcoxonAccumulator::new();
        w.push(5.0 / 12.0, 7.0 / 12.0);
        w.push(1.0 / 12.0, 3.0 / 12.0);
        w.push(0.5, 0.5);
        w.push_difference(1e-12); // below half a grid step: a zero
        assert_eq!((w.distinct_magnitudes(), w.n_zero(), w.n()), (1, 2, 4));
        let t = w.test().unwrap();
        assert_eq!((t.w_plus, t.w_minus, t.statistic), (3.0, 0.0, 0.0));
        // Saturating and rejected magnitudes.
        w.push_difference(1e15);
        w.push_difference(-1e300);
        w.push_difference(f64::NAN);
        w.push(f64::INFINITY, 0.0);
        assert_eq!(w.rejected(), 3);
        assert!(w.test().is_some());
        assert!(WilcoxonAccumulator::new().test().is_none());
        let only_zeros = WilcoxonAccumulator::from_slices(&[0.5, 0.25], &[0.5, 0.25]).unwrap();
        assert!(only_zeros.test().is_none());
        // n = 1 is defined (|z| = 1), as in SciPy.
        let one = wilcoxon_signed_rank(&[0.0], &[1.0]).unwrap();
        assert_eq!((one.z, one.z_signed), (-1.0, 1.0));
    }

    #[test]
    fn mcnemar_conventions_and_extremes() {
        let zero = mcnemar(0, 0);
        assert_eq!(
            (zero.p_value, zero.method),
            (1.0, McNemarMethod::ExactBinomial)
        );
        assert_eq!(mcnemar(24, 0).method, McNemarMethod::ExactBinomial);
        assert_eq!(mcnemar(25, 0).method, McNemarMethod::ChiSquareCorrected);
        for (b, c) in [
            (u64::MAX, u64::MAX),
            (u64::MAX, 0),
            (0, u64::MAX),
            (u64::MAX, 24),
        ] {
            let r = mcnemar(b, c);
            assert!(r.statistic.is_finite() && (0.0..=1.0).contains(&r.p_value));
        }
        let mut table = McNemarTable::new();
        for (pre, post) in [
            (true, true),
            (true, false),
            (false, true),
            (false, true),
            (false, false),
        ] {
            table.push(pre, post);
        }
        let mut merged = McNemarTable::new();
        merged.merge(&table);
        assert_eq!((merged.a, merged.b, merged.c, merged.d), (1, 1, 2, 1));
        assert_eq!(merged.test(), mcnemar(1, 2));
    }

    #[test]
    fn correlation_and_kr20_edge_cases() {
        assert_eq!(pearson_r(&[1.0, 2.0], &[5.0, 3.0]), Some(-1.0));
        assert_eq!(pearson_r(&[1.0, 1.0, 1.0], &[5.0, 3.0, 2.0]), None);
        assert_eq!(pearson_r(&[1.0], &[5.0]), None);
        assert_eq!(pearson_r(&[1.0], &[]), None);
        let mut kr = Kr20Accumulator::new(3);
        assert!(!kr.push(&[1.0, 0.0]));
        assert!(!kr.push(&[1.0, f64::NAN, 0.0]));
        assert_eq!((kr.n(), kr.rejected(), kr.alpha()), (0, 2, None));
        assert!(!kr.merge(&Kr20Accumulator::new(2)));
        let mut huge = Kr20Accumulator::new(usize::MAX);
        assert!(!huge.push(&[1.0]));
        assert_eq!(
            (huge.k(), huge.alpha(), huge.item_difficulty(0)),
            (usize::MAX, None, None)
        );
        let mut empty = Kr20Accumulator::new(0);
        assert!(empty.push(&[]));
        assert_eq!(empty.alpha(), None);
        let rows = vec![vec![1.0, 1.0], vec![0.0, 0.0], vec![1.0, 0.0]];
        // Two items, totals 2, 0, 1: p = (2/3, 1/3), Σpq = 4/9, σ² = 2/3, α = 2·(1 − 2/3).
        assert!(close(kr20(2, &rows).unwrap(), 2.0 / 3.0, 1e-15));
    }

    #[test]
    fn gains() {
        assert_eq!(hake_gain(50.0, 75.0), Some(0.5));
        assert_eq!(hake_gain(50.0, 25.0), Some(-0.5));
        assert_eq!(hake_gain(100.0, 100.0), None);
        assert_eq!(hake_gain(120.0, 100.0), None);
        assert_eq!(hake_gain(f64::NAN, 1.0), None);
        let g = GainAccumulator::from_slices(&[100.0, 50.0, 0.0], &[90.0, 100.0, 50.0]).unwrap();
        assert_eq!(g.excluded_at_ceiling(), 1);
        assert_eq!(g.mean_individual_gain(), Some(0.75));
        assert!(close(g.class_gain().unwrap(), (80.0 - 50.0) / 50.0, 1e-15));
        assert_eq!(GainAccumulator::new().class_gain(), None);
    }

    #[test]
    fn special_function_domains() {
        assert_eq!(normal_ppf(0.0), None);
        assert_eq!(normal_ppf(1.0), None);
        assert_eq!(normal_ppf(f64::NAN), None);
        assert_eq!(normal_ppf(0.5), Some(0.0));
        for x in [-8.0, -3.0, -0.5, 0.1, 2.0] {
            assert!(close(normal_ppf(normal_cdf(x).unwrap()).unwrap(), x, 1e-12));
        }
        assert_eq!(normal_cdf(f64::NAN), None);
        assert_eq!(normal_sf(f64::INFINITY), Some(0.0));
        assert_eq!(student_t_two_sided_p(1.0, 0.0), None);
        assert_eq!(student_t_two_sided_p(1.0, -2.0), None);
        assert_eq!(student_t_two_sided_p(1.0, f64::INFINITY), None);
        assert_eq!(student_t_two_sided_p(f64::NAN, 3.0), None);
        assert_eq!(student_t_two_sided_p(f64::INFINITY, 3.0), Some(0.0));
        assert_eq!(student_t_sf(f64::NEG_INFINITY, 3.0), Some(1.0));
        assert_eq!(student_t_two_sided_p(0.0, 3.0), Some(1.0));
        // Cauchy (df = 1): P(|T| > t) = 1 − 2·atan(t)/π, also far in the tail.
        for t in [0.5, 3.0, 1e10, 1e200] {
            let want = 1.0 - 2.0 * libm::atan(t) / core::f64::consts::PI;
            let want = if t > 1e9 {
                2.0 / (core::f64::consts::PI * t)
            } else {
                want
            };
            assert!(close(student_t_two_sided_p(t, 1.0).unwrap(), want, 1e-12));
        }
        assert_eq!(chi2_sf_1df(-1.0), Some(1.0));
        assert_eq!(chi2_sf_1df(f64::NAN), None);
        assert_eq!(binomial_cdf(3, 10, f64::NAN), None);
        assert_eq!(binomial_cdf(3, 10, 1.5), None);
        assert_eq!(binomial_cdf(10, 10, 0.3), Some(1.0));
        assert_eq!(binomial_cdf(0, 10, 0.0), Some(1.0));
        assert_eq!(binomial_cdf(9, 10, 1.0), Some(0.0));
        assert!(binomial_cdf(5, u64::MAX, 0.5).is_some_and(|p| (0.0..=1.0).contains(&p)));
        assert_eq!(reg_inc_beta(1.0, 1.0, 1.5), None);
        assert_eq!(reg_inc_beta(0.0, 1.0, 0.5), None);
        assert_eq!(reg_inc_beta(2.0, 3.0, 0.0), Some(0.0));
        assert_eq!(reg_inc_beta(2.0, 3.0, 1.0), Some(1.0));
        assert!(close(reg_inc_beta(1.0, 1.0, 0.3).unwrap(), 0.3, 1e-14));
        assert_eq!(ln_gamma(0.0), None);
        assert!(close(ln_gamma(5.0).unwrap(), libm::log(24.0), 1e-15));
    }

    fn any_f64() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            4 => -2.0..2.0_f64,
            1 => proptest::num::f64::ANY,
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(0.0),
        ]
    }

    fn ok_stat(x: Option<f64>) -> bool {
        x.is_none_or(f64::is_finite)
    }

    fn ok_p(x: Option<f64>) -> bool {
        x.is_none_or(|p| (0.0..=1.0).contains(&p))
    }

    proptest::proptest! {
        #[test]
        fn never_nan_never_panics(
            pairs in proptest::collection::vec((any_f64(), any_f64()), 0..40),
            split in 0usize..40,
        ) {
            let (pre, post): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
            let t = paired_t_test(&pre, &post);
            proptest::prop_assert!(ok_stat(t.map(|t| t.t)) && ok_p(t.map(|t| t.p_value)));
            let dz = cohens_dz(&pre, &post);
            proptest::prop_assert!(ok_stat(dz.map(|d| d.ci_low)) && ok_stat(dz.map(|d| d.ci_high)));
            let w = wilcoxon_signed_rank(&pre, &post);
            proptest::prop_assert!(ok_stat(w.map(|w| w.z)) && ok_p(w.map(|w| w.p_value)));
            let r = pearson_r(&pre, &post);
            proptest::prop_assert!(r.is_none_or(|r| (-1.0..=1.0).contains(&r)));
            proptest::prop_assert!(ok_stat(class_gain(&pre, &post)));
            proptest::prop_assert!(ok_stat(mean_individual_gain(&pre, &post)));
            let rows: Vec<[f64; 2]> = pairs.iter().map(|&(a, b)| [a, b]).collect();
            proptest::prop_assert!(ok_stat(kr20(2, &rows)));
            let s = split.min(pre.len());
            let mut whole = PairedAccumulator::from_slices(&pre, &post).unwrap_or_default();
            let mut left = PairedAccumulator::from_slices(&pre[..s], &post[..s]).unwrap_or_default();
            let right = PairedAccumulator::from_slices(&pre[s..], &post[s..]).unwrap_or_default();
            left.merge(&right);
            proptest::prop_assert_eq!((left.n(), left.rejected()), (whole.n(), whole.rejected()));
            whole.merge(&PairedAccumulator::new());
            proptest::prop_assert!(ok_stat(whole.mean_difference()));
        }

        #[test]
        fn merge_matches_one_stream(
            pairs in proptest::collection::vec((0u32..=12, 0u32..=12), 0..60),
            split in 0usize..60,
        ) {
            let pre: Vec<f64> = pairs.iter().map(|&(a, _)| f64::from(a) / 12.0).collect();
            let post: Vec<f64> = pairs.iter().map(|&(_, b)| f64::from(b) / 12.0).collect();
            let s = split.min(pre.len());
            let mut wl = WilcoxonAccumulator::from_slices(&pre[..s], &post[..s]).unwrap_or_default();
            wl.merge(&WilcoxonAccumulator::from_slices(&pre[s..], &post[s..]).unwrap_or_default());
            proptest::prop_assert_eq!(wl.test(), wilcoxon_signed_rank(&pre, &post));
            let mut cl = Correlation::from_slices(&pre[..s], &post[..s]).unwrap_or_default();
            cl.merge(&Correlation::from_slices(&pre[s..], &post[s..]).unwrap_or_default());
            let (a, b) = (cl.pearson_r(), pearson_r(&pre, &post));
            proptest::prop_assert_eq!(a.is_some(), b.is_some());
            if let (Some(a), Some(b)) = (a, b) {
                proptest::prop_assert!(close(a, b, 1e-12));
            }
            let mut pl = PairedAccumulator::from_slices(&pre[..s], &post[..s]).unwrap_or_default();
            pl.merge(&PairedAccumulator::from_slices(&pre[s..], &post[s..]).unwrap_or_default());
            let (a, b) = (pl.t_test(), paired_t_test(&pre, &post));
            proptest::prop_assert_eq!(a.is_some(), b.is_some());
            if let (Some(a), Some(b)) = (a, b) {
                proptest::prop_assert!(close(a.t, b.t, 1e-9) && close(a.p_value, b.p_value, 1e-9));
            }
        }
    }
}
