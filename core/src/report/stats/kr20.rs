//! KR-20 and item analysis.

use super::correlation::Correlation;
use super::moments::Moments;
use super::{count_f64, finite};
use alloc::vec::Vec;

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

    /// Adds one learner's answers to a test of `len` items, at most 64, every one answered:
    /// bit `i` of `right` set when item `i` was right. The same as [`push_answers`] of that
    /// row, without building it; returns `false` (and counts the row in
    /// [`rejected`](Self::rejected)) when `len != k`, `len > 64` or a bit at or above `len`
    /// is set.
    ///
    /// [`push_answers`]: Self::push_answers
    pub fn push_right_bits(&mut self, len: usize, right: u64) -> bool {
        let beyond = u32::try_from(len)
            .ok()
            .filter(|&l| l <= 64)
            .map(|l| right.checked_shr(l).unwrap_or(0));
        if len != self.right.len() || beyond != Some(0) {
            self.rejected = self.rejected.saturating_add(1);
            return false;
        }
        let mut bits = right;
        while bits != 0 {
            if let Some(c) = self.right.get_mut(bits.trailing_zeros() as usize) {
                *c += 1;
            }
            bits &= bits - 1;
        }
        if let Some(t) = self.totals.get_mut(right.count_ones() as usize) {
            *t += 1;
        }
        true
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
