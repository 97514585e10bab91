//! Special functions for the p-values, on `libm` (no_std). Every function returns `None` for a
//! `NaN` or out-of-domain argument instead of `NaN`.

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
    r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 * (1.0 / 1680.0 - r2 / 1188.0))))
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
        ln_n_fact - libm::lgamma(i + 1.0) - libm::lgamma(nf - i + 1.0) + i * ln_p + (nf - i) * ln_q
    };
    let max = (0..=k).map(term).fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return None;
    }
    let sum: f64 = (0..=k).map(|i| libm::exp(term(i) - max)).sum();
    super::finite((libm::exp(max) * sum).clamp(0.0, 1.0))
}
