//! Unit tests of the statistics (SciPy agreement is tested in `core/tests/stats_scipy.rs`).

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
        // Whole points, as the report passes them (exact scores): differences that are equal
        // are equal floats, so "zero spread" means the same in one stream and in merged parts.
        // (With thirds or twelfths as floats, 10/12 − 2/12 and 8/12 − 0 differ in the last
        // bit and the two sums of squares round to different tiny numbers.)
        let pre: Vec<f64> = pairs.iter().map(|&(a, _)| f64::from(a)).collect();
        let post: Vec<f64> = pairs.iter().map(|&(_, b)| f64::from(b)).collect();
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

    #[test]
    fn right_bits_add_what_rows_add(
        k in 0usize..=66,
        rows in proptest::collection::vec((proptest::prelude::any::<u64>(), 0usize..=66), 0..30),
    ) {
        // A row as bits and the same row as answers change the accumulator alike, rejected
        // rows (another length, a bit beyond the test) included.
        let (mut bits, mut answers) = (DichotomousKr20::new(k), DichotomousKr20::new(k));
        for &(right, len) in &rows {
            let len = if len % 3 == 0 { len } else { k };
            // Half the rows cut to the test's length (they fit), half as drawn.
            let right = if len < 64 && right >> 63 == 0 { right & ((1u64 << len) - 1) } else { right };
            let row: Vec<Option<bool>> = (0..len)
                .map(|i| Some(i < 64 && right >> i & 1 == 1))
                .collect();
            let fits = len <= 64 && (len == 64 || right >> len == 0);
            let a = bits.push_right_bits(len, right);
            // A row that does not fit is rejected: on the other side, a row of a length no
            // test of k items takes.
            let b = if fits { answers.push_answers(&row) } else { answers.push_answers(&vec![None; k + 1]) };
            proptest::prop_assert_eq!(a, b);
        }
        proptest::prop_assert_eq!(&bits, &answers);
    }
}
