//! Welch's two-sample t-test (unequal variances), for comparing two independent groups of
//! learners, such as the two orders of a crossover design.

use super::moments::Moments;
use super::{count_f64, finite, special};

/// Result of a two-sided Welch t-test of the means of two independent samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WelchTest {
    /// mean(a) − mean(b).
    pub difference: f64,
    /// t = (mean(a) − mean(b)) / √(s²_a/n_a + s²_b/n_b).
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Welch's t-test of the samples summarised by `a` and `b`, matching
/// `scipy.stats.ttest_ind(a, b, equal_var=False)`. `None` when a sample has fewer than 2
/// values or both have zero variance.
pub fn welch_t_test(a: &Moments, b: &Moments) -> Option<WelchTest> {
    let (na, nb) = (a.n(), b.n());
    if na < 2 || nb < 2 {
        return None;
    }
    let (ma, mb) = (a.mean()?, b.mean()?);
    let qa = a.sample_variance()? / count_f64(na);
    let qb = b.sample_variance()? / count_f64(nb);
    let se2 = qa + qb;
    if se2.is_nan() || se2 <= 0.0 {
        return None;
    }
    let difference = ma - mb;
    let t = finite(difference / libm::sqrt(se2))?;
    let df = finite(se2 * se2 / (qa * qa / count_f64(na - 1) + qb * qb / count_f64(nb - 1)))?;
    let p_value = special::student_t_two_sided_p(t, df)?;
    Some(WelchTest {
        difference,
        t,
        df,
        p_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: &[f64], b: &[f64], t: f64, p: f64, df: f64) {
        let w = welch_t_test(&Moments::from_slice(a), &Moments::from_slice(b)).unwrap();
        assert!((w.t - t).abs() < 1e-9, "t {} vs {t}", w.t);
        assert!((w.df - df).abs() < 1e-9, "df {} vs {df}", w.df);
        assert!((w.p_value - p).abs() < 1e-9, "p {} vs {p}", w.p_value);
    }

    /// Reference values: `scipy.stats.ttest_ind(a, b, equal_var=False)` (SciPy 1.17.1).
    #[test]
    fn matches_scipy() {
        check(
            &[50.0, 75.0, 25.0, 100.0, 50.0, 62.5, 37.5],
            &[25.0, 50.0, 25.0, 75.0, 0.0, 12.5],
            1.784150932399961,
            0.10374809231370385,
            10.332286101483977,
        );
        check(
            &[25.0 / 3.0, 50.0 / 3.0, -25.0, 100.0 / 3.0, 0.0],
            &[125.0 / 3.0, 50.0, 25.0],
            -2.6570305084379813,
            0.03786017390616911,
            5.969080312647365,
        );
    }

    #[test]
    fn undefined_cases_are_none() {
        let one = Moments::from_slice(&[1.0]);
        let two = Moments::from_slice(&[1.0, 2.0]);
        let flat = Moments::from_slice(&[3.0, 3.0]);
        assert!(welch_t_test(&one, &two).is_none());
        assert!(welch_t_test(&flat, &flat).is_none());
        assert!(welch_t_test(&flat, &two).is_some());
    }
}
