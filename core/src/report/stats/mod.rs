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

/// `Some(x)` when `x` is finite, `None` for `NaN` and ±∞.
fn finite(x: f64) -> Option<f64> {
    if x.is_finite() {
        Some(x)
    } else {
        None
    }
}

/// Converts a count to `f64` (exact below 2⁵³, which every realistic count is). Through
/// `i64`, one instruction instead of the longer unsigned conversion (it runs in every
/// streaming update); a count beyond `i64::MAX`, which no count of observations reaches,
/// would give 2⁶³.
#[inline(always)]
fn count_f64(n: u64) -> f64 {
    i64::try_from(n).unwrap_or(i64::MAX) as f64
}

mod correlation;
mod gain;
mod kr20;
mod mcnemar;
mod moments;
mod paired;
pub mod special;
#[cfg(test)]
mod tests;
mod welch;
mod wilcoxon;

pub use correlation::*;
pub use gain::*;
pub use kr20::*;
pub use mcnemar::*;
pub use moments::*;
pub use paired::*;
pub use welch::*;
pub use wilcoxon::*;
