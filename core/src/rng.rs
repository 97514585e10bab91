//! The portable seeded random generator behind every shuffle and draw.
//!
//! ChaCha8 seeded from the session's `u64` seed, one stream per purpose, with our own bounded
//! draw and Fisher–Yates shuffle so that the same seed gives the same session on every platform
//! and every release (golden values are tested below; changing them is a breaking change of
//! recorded sessions).
//!
//! The generator is [`ChaCha8`], a one-block implementation that produces exactly the stream of
//! `rand_chacha` 0.9's `ChaCha8Rng::seed_from_u64(seed)` with `set_stream(stream)` (a proptest
//! below compares the two): that crate's four-block SIMD-style code was about 6 KB of the
//! browser module, this is a few hundred bytes, and a session is only a few hundred draws.

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

/// The ChaCha stream cipher with 8 rounds as a random generator: 256-bit key, 64-bit block
/// counter (words 12–13), 64-bit stream id (words 14–15), output words in block order.
struct ChaCha8 {
    /// The input block: constants, key, counter, stream.
    input: [u32; 16],
    /// The current output block.
    block: [u32; 16],
    /// The next unread word of `block` (16: none left).
    next: usize,
}

impl ChaCha8 {
    /// The generator `rand_core` 0.9's `SeedableRng::seed_from_u64(seed)` builds: the 32-byte
    /// key is eight outputs of PCG32 started at `seed`; counter 0, stream `stream`.
    fn new(seed: u64, stream: u64) -> Self {
        const MUL: u64 = 6_364_136_223_846_793_005;
        const INC: u64 = 11_634_580_027_462_260_723;
        let mut input = [0u32; 16];
        let (constants, rest) = input.split_at_mut(4);
        constants.copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
        let mut state = seed;
        for word in rest.iter_mut().take(8) {
            state = state.wrapping_mul(MUL).wrapping_add(INC);
            let xorshifted = (((state >> 18) ^ state) >> 27) as u32;
            *word = xorshifted.rotate_right((state >> 59) as u32);
        }
        input[14] = stream as u32;
        input[15] = (stream >> 32) as u32;
        Self {
            input,
            block: [0; 16],
            next: 16,
        }
    }

    /// Computes the block at the current counter and advances the counter.
    fn refill(&mut self) {
        /// One quarter round on words `a b c d` of `x` (literal indices: checked at compile
        /// time).
        macro_rules! quarter {
            ($x:ident, $a:literal, $b:literal, $c:literal, $d:literal) => {
                $x[$a] = $x[$a].wrapping_add($x[$b]);
                $x[$d] = ($x[$d] ^ $x[$a]).rotate_left(16);
                $x[$c] = $x[$c].wrapping_add($x[$d]);
                $x[$b] = ($x[$b] ^ $x[$c]).rotate_left(12);
                $x[$a] = $x[$a].wrapping_add($x[$b]);
                $x[$d] = ($x[$d] ^ $x[$a]).rotate_left(8);
                $x[$c] = $x[$c].wrapping_add($x[$d]);
                $x[$b] = ($x[$b] ^ $x[$c]).rotate_left(7);
            };
        }
        let mut x = self.input;
        for _ in 0..4 {
            quarter!(x, 0, 4, 8, 12);
            quarter!(x, 1, 5, 9, 13);
            quarter!(x, 2, 6, 10, 14);
            quarter!(x, 3, 7, 11, 15);
            quarter!(x, 0, 5, 10, 15);
            quarter!(x, 1, 6, 11, 12);
            quarter!(x, 2, 7, 8, 13);
            quarter!(x, 3, 4, 9, 14);
        }
        for (out, (w, i)) in self.block.iter_mut().zip(x.iter().zip(self.input.iter())) {
            *out = w.wrapping_add(*i);
        }
        let counter = (u64::from(self.input[13]) << 32 | u64::from(self.input[12])).wrapping_add(1);
        self.input[12] = counter as u32;
        self.input[13] = (counter >> 32) as u32;
        self.next = 0;
    }

    /// The next 32-bit output word.
    fn next_u32(&mut self) -> u32 {
        if self.next >= self.block.len() {
            self.refill();
        }
        let w = self.block.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        w
    }

    /// The next two output words as one value, the first one low.
    fn next_u64(&mut self) -> u64 {
        let lo = u64::from(self.next_u32());
        lo | u64::from(self.next_u32()) << 32
    }
}

/// A deterministic random stream.
pub struct SeededRng(ChaCha8);

impl SeededRng {
    /// The stream for `purpose` of the session seeded with `seed`.
    pub fn new(seed: u64, purpose: Purpose) -> Self {
        Self(ChaCha8::new(seed, purpose.stream()))
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
        /// The one-block generator is `rand_chacha`'s `ChaCha8Rng` word for word, including
        /// `next_u64` across block boundaries.
        #[test]
        fn same_stream_as_rand_chacha(seed: u64, stream: u64, words in 0usize..200, wide: bool) {
            use rand::{RngCore, SeedableRng};
            let mut theirs = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            theirs.set_stream(stream);
            let mut ours = ChaCha8::new(seed, stream);
            for _ in 0..words {
                proptest::prop_assert_eq!(ours.next_u32(), theirs.next_u32());
            }
            if wide {
                for _ in 0..40 {
                    proptest::prop_assert_eq!(ours.next_u64(), theirs.next_u64());
                }
            }
        }

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
