//! Normalised gain.

use super::finite;
use super::moments::Moments;

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

    /// Adds one learner's pre and post score in percent with their normalised gain computed
    /// by the caller (exactly; `None` when the pre-test was at 100 %).
    pub fn push_with_gain(&mut self, pre_pct: f64, post_pct: f64, gain: Option<f64>) {
        if !(pre_pct.is_finite() && post_pct.is_finite()) {
            self.rejected = self.rejected.saturating_add(1);
            return;
        }
        self.pre.push(pre_pct);
        self.post.push(post_pct);
        match gain.and_then(finite) {
            Some(g) => self.gains.push(g),
            None => self.excluded = self.excluded.saturating_add(1),
        }
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
