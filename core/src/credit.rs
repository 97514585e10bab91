//! Exact credit: the points an answer earns, as a fraction, and exact sums of them.
//!
//! Partial credit is a ratio of small integers (2 of 3 right options, 5 of 6 ordered pairs,
//! 3 of 4 matches), so it is kept as one: a [`Credit`] is a reduced fraction `num/den` with
//! `0 ≤ num ≤ den`, and a learner's score is an exact sum of credits ([`Points`]). Scores,
//! percentages, differences, ties and histogram bins are then computed from integers, and a
//! figure becomes a float only once, by one correctly rounded division, so two scores that are
//! mathematically equal are equal as floats too.
//!
//! Records of versions 1 and 2 and session snapshots stored credit as a 32-bit float.
//! [`Credit::from_f32`] reads such a float back as the fraction it was rounded from: every
//! fraction with a denominator up to [`LEGACY_MAX_DEN`] rounds to a different `f32` (two
//! such fractions differ by at least 1/255², far more than the float's spacing), and every
//! credit this engine computes has a denominator of at most 120 (16 ordering steps give 120
//! pairs). A float that is no such fraction (a credit imported from another tool) is rounded
//! to the nearest 1/10,000.

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Denominators up to this are recovered exactly from a 32-bit float.
pub const LEGACY_MAX_DEN: u16 = 255;

/// The denominator of a credit that is no small fraction (read from a float).
const DECIMAL_DEN: u16 = 10_000;

/// Greatest common divisor.
pub(crate) fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// The points an answer earns: a reduced fraction between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Credit {
    num: u16,
    den: u16,
}

impl Default for Credit {
    fn default() -> Self {
        Credit::ZERO
    }
}

impl Credit {
    /// No credit.
    pub const ZERO: Credit = Credit { num: 0, den: 1 };
    /// Full credit.
    pub const FULL: Credit = Credit { num: 1, den: 1 };

    /// `num/den` as stored in a record of version 3: `None` when `den` is 0 or `num > den`.
    /// Not reduced (the report's reader takes it as it is; the full decoder also checks that
    /// it is reduced, see [`Credit::is_reduced`]).
    #[inline(always)]
    pub(crate) fn from_parts(num: u16, den: u16) -> Option<Credit> {
        (den != 0 && num <= den).then_some(Credit { num, den })
    }

    /// `num/den` already checked to be a fraction from 0 to 1 (`den != 0`, `num <= den`), as
    /// [`from_parts`](Self::from_parts) checks it: for values read again from a row that was
    /// checked when it was made, without checking them a second time.
    #[inline(always)]
    pub(crate) fn from_checked_parts(num: u16, den: u16) -> Credit {
        debug_assert!(den != 0 && num <= den);
        Credit { num, den }
    }

    /// Whether the fraction is reduced (no common factor), as every credit a record stores is.
    pub fn is_reduced(self) -> bool {
        gcd(u64::from(self.num), u64::from(self.den)) == 1
    }

    /// `num/den`, reduced; `None` when `den` is 0, `num > den`, or the reduced fraction does
    /// not fit 16 bits.
    pub fn new(num: u64, den: u64) -> Option<Credit> {
        if den == 0 || num > den {
            return None;
        }
        let g = gcd(num, den).max(1);
        Some(Credit {
            num: u16::try_from(num / g).ok()?,
            den: u16::try_from(den / g).ok()?,
        })
    }

    /// Full credit when `ok`, none otherwise.
    pub fn all_or_nothing(ok: bool) -> Credit {
        if ok {
            Credit::FULL
        } else {
            Credit::ZERO
        }
    }

    /// The numerator (of the reduced fraction).
    pub fn num(self) -> u16 {
        self.num
    }

    /// The denominator (of the reduced fraction, at least 1).
    pub fn den(self) -> u16 {
        self.den
    }

    /// Whether this is full credit.
    pub fn is_full(self) -> bool {
        self.num == self.den
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }

    /// The nearest `f32` (what records of version 2 stored).
    pub fn to_f32(self) -> f32 {
        f32::from(self.num) / f32::from(self.den)
    }

    /// The credit a 32-bit float stood for (records of versions 1 and 2, snapshots): the
    /// fraction with the smallest denominator up to [`LEGACY_MAX_DEN`] that rounds to exactly
    /// this float, else the nearest multiple of 1/10,000. Values outside 0..=1 are clamped;
    /// a value that is not a number is no credit.
    pub fn from_f32(x: f32) -> Credit {
        if x.is_nan() {
            return Credit::ZERO;
        }
        let x = x.clamp(0.0, 1.0);
        for den in 1..=LEGACY_MAX_DEN {
            let num = libm::roundf(x * f32::from(den));
            // 0 ≤ num ≤ den ≤ 255: the cast is exact.
            let num = num as u16;
            if f32::from(num) / f32::from(den) == x {
                return Credit { num, den }.reduced();
            }
        }
        Self::decimal(f64::from(x))
    }

    /// The credit a 64-bit float stands for (a number in JSON or xAPI): the fraction with
    /// the smallest denominator up to [`LEGACY_MAX_DEN`] whose nearest `f64` or `f32` is this
    /// value, else the nearest multiple of 1/10,000. Clamped to 0..=1; not a number is none.
    pub fn from_f64(x: f64) -> Credit {
        if x.is_nan() {
            return Credit::ZERO;
        }
        let x = x.clamp(0.0, 1.0);
        for den in 1..=LEGACY_MAX_DEN {
            let num = libm::round(x * f64::from(den)) as u16;
            let c = Credit { num, den };
            if c.to_f64() == x || f64::from(c.to_f32()) == x {
                return c.reduced();
            }
        }
        Self::decimal(x)
    }

    fn decimal(x: f64) -> Credit {
        let num = libm::round(x * f64::from(DECIMAL_DEN)) as u16;
        Credit {
            num: num.min(DECIMAL_DEN),
            den: DECIMAL_DEN,
        }
        .reduced()
    }

    fn reduced(self) -> Credit {
        Credit::new(u64::from(self.num), u64::from(self.den)).unwrap_or(Credit::ZERO)
    }
}

/// Exact decimal when the denominator divides a power of ten (`0`, `1`, `0.5`, `0.25`,
/// `0.3125`), otherwise the fraction (`1/3`, `5/6`).
impl fmt::Display for Credit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.num == 0 {
            return f.write_str("0");
        }
        if self.num == self.den {
            return f.write_str("1");
        }
        let mut d = self.den;
        let (mut twos, mut fives) = (0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        if d != 1 {
            return write!(f, "{}/{}", self.num, self.den);
        }
        // num/den = num·2^(k−twos)·5^(k−fives) / 10^k.
        let k = twos.max(fives);
        let scaled = u64::from(self.num) * 2u64.pow(k - twos) * 5u64.pow(k - fives);
        let width = k as usize;
        write!(f, "0.{scaled:0width$}")
    }
}

/// In a human-readable format (JSON) a credit is a number, as hosts have always read it; in
/// postcard (session snapshots, version-1 records) it is the 32-bit float those formats
/// always held, read back exactly by [`Credit::from_f32`].
impl Serialize for Credit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_f64(self.to_f64())
        } else {
            s.serialize_f32(self.to_f32())
        }
    }
}

impl<'de> Deserialize<'de> for Credit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            f64::deserialize(d).map(Credit::from_f64)
        } else {
            f32::deserialize(d).map(Credit::from_f32)
        }
    }
}

/// The largest denominator of a sum of credits (see [`Points::add`]).
const MAX_POINTS_DEN: u64 = 1 << 40;

/// An exact sum of credits: `num/den` (not always reduced: its denominator is a common
/// multiple of the credits' denominators, reduced when a new one joins). Exact for every credit this engine
/// computes and every decimal credit (denominators dividing 720,720 · 125); a sum whose
/// denominator would pass 2⁴⁰ (only possible with foreign fractions such as 1/251 + 1/241 + …)
/// rounds the further credit to its denominator instead of overflowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Points {
    num: u64,
    den: u64,
}

impl Default for Points {
    fn default() -> Self {
        Points { num: 0, den: 1 }
    }
}

impl Points {
    /// Adds a credit. Whole credits (the usual case) cost one addition.
    #[inline]
    pub fn add(&mut self, c: Credit) {
        let (n, d) = (u64::from(c.num), u64::from(c.den));
        if d == self.den {
            self.num += n;
        } else if d == 1 {
            self.num += n * self.den;
        } else if self.den == 1 && self.num < (1 << 40) {
            // A whole sum meets its first fraction: the fraction's denominator.
            self.num = self.num * d + n;
            self.den = d;
        } else {
            self.add_fraction(n, d);
        }
    }

    #[inline(never)]
    fn add_fraction(&mut self, n: u64, d: u64) {
        // The sum's denominator is a multiple of the credit's (the usual case once the sum has
        // seen the item's denominators): one division, no reduction.
        if d != 0 && self.den % d == 0 {
            if let Some(num) = n
                .checked_mul(self.den / d)
                .and_then(|x| x.checked_add(self.num))
            {
                self.num = num;
                return;
            }
        }
        let g = gcd(self.den, d).max(1);
        let exact = (self.den / g).checked_mul(d).and_then(|den| {
            let num = self
                .num
                .checked_mul(d / g)?
                .checked_add(n.checked_mul(self.den / g)?)?;
            // Over a common multiple of the denominators; reduced only when it grows large.
            let (num, den) = if den <= MAX_POINTS_DEN {
                (num, den)
            } else {
                let r = gcd(num, den).max(1);
                (num / r, den / r)
            };
            (den <= MAX_POINTS_DEN).then_some((num, den))
        });
        match exact {
            Some((num, den)) => {
                self.num = num;
                self.den = den;
            }
            None => {
                // Only credits from outside the engine can get here: every credit the
                // engine computes has a denominator dividing 720720 (= lcm 1..16, which
                // holds every n(n−1)/2 up to 120), and decimals divide 10,000. Such a
                // credit is rounded to the sum's denominator rather than overflow.
                let add = (u128::from(n) * u128::from(self.den) + u128::from(d) / 2)
                    / u128::from(d.max(1));
                self.num = self
                    .num
                    .saturating_add(u64::try_from(add).unwrap_or(u64::MAX));
            }
        }
    }

    /// Adds another sum.
    pub fn merge(&mut self, o: Points) {
        if o.den == self.den {
            self.num += o.num;
        } else {
            self.add_fraction(o.num, o.den);
        }
    }

    /// The numerator.
    pub fn num(self) -> u64 {
        self.num
    }

    /// The denominator (at least 1).
    pub fn den(self) -> u64 {
        self.den
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        ratio_f64(i128::from(self.num), i128::from(self.den))
    }

    /// `100 · self / n` as an exact [`Ratio`] (a score in percent); `None` when `n` is 0.
    pub fn percent_of(self, n: u32) -> Option<Ratio> {
        (n > 0).then(|| Ratio {
            num: 100 * i128::from(self.num),
            den: i128::from(self.den) * i128::from(n),
        })
    }
}

/// An exact rational number (a score in percent, or a difference of two).
#[derive(Debug, Clone, Copy)]
pub struct Ratio {
    num: i128,
    /// Always positive.
    den: i128,
}

impl PartialEq for Ratio {
    fn eq(&self, o: &Self) -> bool {
        self.num * o.den == o.num * self.den
    }
}

impl Ratio {
    /// The whole number `n`.
    pub fn whole(n: i64) -> Ratio {
        Ratio {
            num: i128::from(n),
            den: 1,
        }
    }

    /// `self − o`, exactly.
    pub fn minus(self, o: Ratio) -> Ratio {
        if self.den == o.den {
            return Ratio {
                num: self.num - o.num,
                den: self.den,
            };
        }
        Ratio {
            num: self.num * o.den - o.num * self.den,
            den: self.den * o.den,
        }
        .reduced()
    }

    /// `self / o`, exactly; `None` when `o` is 0.
    pub fn over(self, o: Ratio) -> Option<Ratio> {
        if o.num == 0 {
            return None;
        }
        let sign = if o.num < 0 { -1 } else { 1 };
        Some(
            Ratio {
                num: sign * self.num * o.den,
                den: sign * o.num * self.den,
            }
            .reduced(),
        )
    }

    fn reduced(self) -> Ratio {
        // Only when the terms grow: the common case stays division-free.
        if self.den < (1 << 40) && self.num.unsigned_abs() < (1 << 40) {
            return self;
        }
        let g = i128::try_from(gcd_u128(self.num.unsigned_abs(), self.den.unsigned_abs()))
            .unwrap_or(1)
            .max(1);
        Ratio {
            num: self.num / g,
            den: self.den / g,
        }
    }

    /// Whether it is zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// The sign: −1, 0 or 1.
    pub fn signum(self) -> i32 {
        match self.num {
            n if n > 0 => 1,
            0 => 0,
            _ => -1,
        }
    }

    /// Whether `self < o`.
    pub fn less_than(self, o: Ratio) -> bool {
        self.num * o.den < o.num * self.den
    }

    /// The nearest `f64`: equal ratios give equal floats.
    pub fn to_f64(self) -> f64 {
        ratio_f64(self.num, self.den)
    }

    /// ⌊self / step + ½⌋: the bin of a histogram whose bins are `step` wide and centred on
    /// its multiples, each from its lower edge (inclusive) to its upper edge (exclusive), so
    /// a value on an edge goes to the bin above it.
    pub fn bin(self, step: i64) -> i64 {
        // ⌊(2n + d·step) / (2·d·step)⌋ with a positive divisor.
        let d = self.den * i128::from(step.max(1));
        let top = 2 * self.num + d;
        // In 64 bits when the terms fit (always, for scores): 128-bit division is slow.
        if let (Ok(t), Ok(b)) = (i64::try_from(top), i64::try_from(2 * d)) {
            return t.div_euclid(b);
        }
        let q = top.div_euclid(2 * d);
        i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
    }
}

fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// `num/den` as the nearest `f64`: one correctly rounded division when both terms are exact
/// as floats (below 2⁵³), which makes the result a function of the value alone; larger terms
/// are reduced first.
fn ratio_f64(num: i128, den: i128) -> f64 {
    const EXACT: u128 = 1 << 53;
    if num.unsigned_abs() < EXACT && den.unsigned_abs() < EXACT {
        // Both exact as floats (and as i64, whose conversion is cheaper than i128's).
        return num as i64 as f64 / den as i64 as f64;
    }
    let (mut n, mut d) = (num, den);
    if n.unsigned_abs() >= EXACT || d.unsigned_abs() >= EXACT {
        let g = i128::try_from(gcd_u128(n.unsigned_abs(), d.unsigned_abs()))
            .unwrap_or(1)
            .max(1);
        n /= g;
        d /= g;
    }
    n as f64 / d as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    /// The denominators of the engine's credits (1..16 options, n(n−1)/2 ordered pairs) and
    /// of a decimal credit.
    const ENGINE_DENS: &[u64] = &[
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 21, 28, 36, 45, 55, 66, 78, 91, 105,
        120, 10_000,
    ];

    #[test]
    fn every_small_fraction_survives_a_32_bit_float() {
        for den in 1..=LEGACY_MAX_DEN {
            for num in 0..=den {
                let c = Credit::new(u64::from(num), u64::from(den)).unwrap();
                assert_eq!(Credit::from_f32(c.to_f32()), c, "{num}/{den}");
                assert_eq!(Credit::from_f64(c.to_f64()), c, "{num}/{den}");
                assert_eq!(Credit::from_f64(f64::from(c.to_f32())), c, "{num}/{den}");
            }
        }
        // What version-2 records held for 1/3.
        assert_eq!(Credit::from_f32(0.333_333_34), Credit::new(1, 3).unwrap());
        assert_eq!(
            Credit::from_f64(0.3333333432674408),
            Credit::new(1, 3).unwrap()
        );
        // A foreign decimal: to the nearest 1/10,000.
        assert_eq!(
            Credit::from_f64(0.123_45),
            Credit::new(1235, 10_000).unwrap()
        );
        assert_eq!(Credit::from_f64(f64::NAN), Credit::ZERO);
        assert_eq!(Credit::from_f64(7.0), Credit::FULL);
    }

    #[test]
    fn edges_go_to_the_bin_above() {
        let r = |n: i64, d: i64| Ratio {
            num: i128::from(n),
            den: i128::from(d),
        };
        assert_eq!(r(25, 1).bin(10), 3);
        assert_eq!(r(-25, 1).bin(10), -2);
        assert_eq!(r(75, 3).bin(10), 3);
        assert_eq!(r(-5, 1).bin(10), 0);
        assert_eq!(r(5, 1).bin(10), 1);
        assert_eq!(r(49, 2).bin(10), 2);
    }

    #[test]
    fn credits_print_as_exact_decimals_or_fractions() {
        let s = |n, d| Credit::new(n, d).unwrap().to_string();
        assert_eq!(s(0, 3), "0");
        assert_eq!(s(3, 3), "1");
        assert_eq!(s(1, 2), "0.5");
        assert_eq!(s(3, 4), "0.75");
        assert_eq!(s(5, 16), "0.3125");
        assert_eq!(s(1, 5), "0.2");
        assert_eq!(s(1, 3), "1/3");
        assert_eq!(s(10, 12), "5/6");
        assert_eq!(s(7, 120), "7/120");
    }

    proptest! {
        /// Sums of credits equal the sums of the fractions (cross-multiplied in integers).
        #[test]
        fn points_are_exact_sums(parts in proptest::collection::vec((0u64..=10_000, proptest::sample::select(ENGINE_DENS)), 0..60)) {
            let mut p = Points::default();
            // Reference: a common denominator of all parts (their product, kept small).
            let mut num: i128 = 0;
            let mut den: i128 = 1;
            for &(n, d) in &parts {
                let (n, d) = (n.min(d), d);
                p.add(Credit::new(n, d).unwrap());
                num = num * i128::from(d) + i128::from(n) * den;
                den *= i128::from(d);
                let g = gcd_u128(num.unsigned_abs(), den.unsigned_abs()) as i128;
                num /= g;
                den /= g;
            }
            prop_assert_eq!(i128::from(p.num()) * den, num * i128::from(p.den()));
        }

        /// Any small fractions: no overflow, no panic, close to the exact sum.
        #[test]
        fn points_never_overflow(parts in proptest::collection::vec((0u64..=255, 1u64..=255), 0..200)) {
            let mut p = Points::default();
            let mut x = 0.0f64;
            for &(n, d) in &parts {
                let c = Credit::new(n.min(d), d).unwrap();
                p.add(c);
                x += c.to_f64();
            }
            prop_assert!(p.den() <= MAX_POINTS_DEN);
            prop_assert!((p.to_f64() - x).abs() < 1e-6);
        }

        /// Equal ratios give equal floats, whatever their terms.
        #[test]
        fn equal_ratios_equal_floats(n in -1_000_000i64..1_000_000, d in 1i64..1_000_000, k in 1i64..1_000_000) {
            let a = Ratio { num: i128::from(n), den: i128::from(d) };
            let b = Ratio { num: i128::from(n) * i128::from(k), den: i128::from(d) * i128::from(k) };
            prop_assert_eq!(a.to_f64().to_bits(), b.to_f64().to_bits());
            prop_assert_eq!(a.bin(10), b.bin(10));
        }

        /// A value is in its bin: 10q − 5 ≤ n/d < 10q + 5 (in integers).
        #[test]
        fn bins_hold_their_values(n in -100_000i64..100_000, d in 1i64..1000) {
            let r = Ratio { num: i128::from(n), den: i128::from(d) };
            let q = i128::from(r.bin(10));
            let (n, d) = (i128::from(n), i128::from(d));
            prop_assert!((10 * q - 5) * d <= n);
            prop_assert!(n < (10 * q + 5) * d);
        }
    }
}
