//! Correlation.

use super::{count_f64, finite};

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
