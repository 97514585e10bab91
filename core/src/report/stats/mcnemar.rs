//! McNemar.

use super::{count_f64, special};

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
