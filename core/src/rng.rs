//! The portable seeded random generator behind every shuffle and draw.
//!
//! ChaCha8 (`rand_chacha`, pinned) seeded from the session's `u64` seed, one stream per
//! purpose, with our own bounded draw and Fisher–Yates shuffle so that the same seed gives the
//! same session on every platform and every release (golden values are tested below; changing
//! them is a breaking change of recorded sessions).

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a random stream is used for; each purpose has its own independent stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The crossover order of parallel forms.
    Crossover,
    /// Drawing and ordering the items of phase `n`.
    Phase(u8),
    /// Shuffling the options of the `n`-th question of the session.
    Options(u32),
}

impl Purpose {
    fn stream(self) -> u64 {
        match self {
            Purpose::Crossover => 1,
            Purpose::Phase(p) => 0x100 | u64::from(p),
            Purpose::Options(n) => 0x1_0000_0000 | u64::from(n),
        }
    }
}

/// A deterministic random stream.
pub struct SeededRng(ChaCha8Rng);

impl SeededRng {
    /// The stream for `purpose` of the session seeded with `seed`.
    pub fn new(seed: u64, purpose: Purpose) -> Self {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(purpose.stream());
        Self(r)
    }

    /// A uniform integer in `0..n` (0 when `n` is 0), by rejection sampling.
    pub fn below(&mut self, n: u32) -> u32 {
        if n <= 1 {
            return 0;
        }
        let zone = u32::MAX - (u32::MAX % n);
        loop {
            let v = self.0.next_u32();
            if v < zone {
                return v % n;
            }
        }
    }

    /// A fair coin.
    pub fn coin(&mut self) -> bool {
        self.0.next_u32() & 1 == 1
    }

    /// Shuffles in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        let mut i = xs.len();
        while i > 1 {
            let j = self.below(i as u32) as usize;
            i -= 1;
            xs.swap(i, j);
        }
    }

    /// A random 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_values_are_stable_across_platforms_and_releases() {
        let mut r = SeededRng::new(42, Purpose::Crossover);
        let draws: alloc::vec::Vec<u32> = (0..6).map(|_| r.below(1000)).collect();
        let mut xs = [0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        SeededRng::new(7, Purpose::Phase(0)).shuffle(&mut xs);
        // Recorded once; must never change.
        assert_eq!(draws, GOLDEN_DRAWS);
        assert_eq!(xs, GOLDEN_SHUFFLE);
    }

    const GOLDEN_DRAWS: [u32; 6] = [728, 705, 821, 450, 967, 320];
    const GOLDEN_SHUFFLE: [u8; 10] = [8, 1, 2, 5, 7, 6, 0, 3, 9, 4];

    proptest::proptest! {
        #[test]
        fn shuffle_is_a_permutation(seed: u64, n in 0usize..40) {
            let mut xs: alloc::vec::Vec<usize> = (0..n).collect();
            SeededRng::new(seed, Purpose::Options(3)).shuffle(&mut xs);
            let mut sorted = xs.clone();
            sorted.sort_unstable();
            proptest::prop_assert_eq!(sorted, (0..n).collect::<alloc::vec::Vec<_>>());
        }

        #[test]
        fn below_is_in_range(seed: u64, n in 1u32..1000) {
            let mut r = SeededRng::new(seed, Purpose::Crossover);
            for _ in 0..20 { proptest::prop_assert!(r.below(n) < n); }
        }
    }
}
