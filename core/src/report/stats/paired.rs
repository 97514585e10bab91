//! Paired pre/post: t-test and Cohen's d_z.

use super::moments::Moments;
use super::{count_f64, finite, special};

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

    /// Adds one learner's pre and post score with their difference `post − pre` computed by
    /// the caller (exactly, so that equal differences are equal floats).
    pub fn push_with_difference(&mut self, pre: f64, post: f64, d: f64) {
        if !(pre.is_finite() && post.is_finite() && d.is_finite()) {
            self.rejected = self.rejected.saturating_add(1);
            return;
        }
        self.pre.push(pre);
        self.post.push(post);
        self.diff.push(d);
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
