//! Moments.

use super::{count_f64, finite};

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
