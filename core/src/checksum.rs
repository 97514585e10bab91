//! CRC-32 (IEEE 802.3, the checksum of zip and PNG) for detecting damaged bytes.
//!
//! Used by the pack envelope, session snapshots and the results log. It detects accidental
//! damage (a torn write, a bad SD card); authenticity is the job of [`crate::pack::signature`].
//! With the `std` feature it is computed by `crc32fast` (carry-less multiplication, PCLMULQDQ or
//! PMULL, detected at run time: what a kiosk or a report over a million records wants); without
//! it (WASM, microcontrollers) by a 1 KB table: a byte at a time for short inputs (snapshots,
//! log records), eight bytes at a time ("slicing-by-8") for long ones (a pack file), with the
//! other seven tables derived from the first on the stack for that call, so that the module
//! carries 1 KB of table, not 8. Checksums are the same either way.

#[cfg(any(test, not(feature = "std")))]
const fn make_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        // Evaluated at compile time with i < 256.
        #[allow(clippy::indexing_slicing)]
        {
            table[i] = c;
        }
        i += 1;
    }
    table
}

#[cfg(any(test, not(feature = "std")))]
static TABLE: [u32; 256] = make_table();

/// From this many bytes on, [`table_update`] builds the slicing-by-8 tables (≈ 1,800 table
/// entries, a few microseconds in WASM) and reads eight bytes a step, about four times as fast
/// as a byte at a time on a pack file.
#[cfg(any(test, not(feature = "std")))]
const SLICING_FROM: usize = 4096;

/// `t[i & 0xFF]` (the index is masked, so the compiler drops the bounds check).
#[cfg(any(test, not(feature = "std")))]
#[inline(always)]
fn at(t: &[u32; 256], i: u32) -> u32 {
    t.get((i & 0xFF) as usize).copied().unwrap_or(0)
}

/// The running CRC `c` (before the final inversion) after `bytes`, with the table: the
/// implementation without `std`.
#[cfg(any(test, not(feature = "std")))]
fn table_update(mut c: u32, bytes: &[u8]) -> u32 {
    let mut rest = bytes;
    if bytes.len() >= SLICING_FROM {
        // t[k][i]: the CRC of byte i followed by k zero bytes.
        let mut t = [TABLE; 8];
        for k in 1..8 {
            let (done, rest) = t.split_at_mut(k);
            if let (Some(prev), Some(next)) = (done.last(), rest.first_mut()) {
                for (n, &p) in next.iter_mut().zip(prev.iter()) {
                    *n = (p >> 8) ^ at(&TABLE, p);
                }
            }
        }
        let [t0, t1, t2, t3, t4, t5, t6, t7] = &t;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes) ^ u64::from(c);
            let (lo, hi) = (word as u32, (word >> 32) as u32);
            c = at(t7, lo)
                ^ at(t6, lo >> 8)
                ^ at(t5, lo >> 16)
                ^ at(t4, lo >> 24)
                ^ at(t3, hi)
                ^ at(t2, hi >> 8)
                ^ at(t1, hi >> 16)
                ^ at(t0, hi >> 24);
        }
        rest = chunks.remainder();
    }
    for &b in rest {
        c = at(&TABLE, c ^ u32::from(b)) ^ (c >> 8);
    }
    c
}

/// A running CRC-32 over several byte slices.
#[derive(Debug, Clone)]
pub struct Crc32 {
    #[cfg(feature = "std")]
    hasher: crc32fast::Hasher,
    #[cfg(not(feature = "std"))]
    state: u32,
}

impl Default for Crc32 {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc32 {
    /// A fresh checksum.
    pub fn new() -> Self {
        Self {
            #[cfg(feature = "std")]
            hasher: crc32fast::Hasher::new(),
            #[cfg(not(feature = "std"))]
            state: 0xFFFF_FFFF,
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        #[cfg(feature = "std")]
        self.hasher.update(bytes);
        #[cfg(not(feature = "std"))]
        {
            self.state = table_update(self.state, bytes);
        }
    }

    /// The checksum of everything fed so far.
    pub fn finish(&self) -> u32 {
        #[cfg(feature = "std")]
        return self.hasher.clone().finalize();
        #[cfg(not(feature = "std"))]
        return self.state ^ 0xFFFF_FFFF;
    }
}

/// The CRC-32 of one byte slice.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = Crc32::new();
    c.update(bytes);
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytewise(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        c ^ 0xFFFF_FFFF
    }

    #[test]
    fn known_vectors() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let mut c = Crc32::new();
        c.update(b"1234");
        c.update(b"56789");
        assert_eq!(c.finish(), 0xCBF4_3926);
    }

    /// The table implementation (the one without `std`), a byte at a time and sliced.
    fn by_table(parts: &[&[u8]]) -> u32 {
        parts.iter().fold(0xFFFF_FFFF, |c, p| table_update(c, p)) ^ 0xFFFF_FFFF
    }

    #[test]
    fn the_table_gives_the_known_vectors_short_and_sliced() {
        assert_eq!(by_table(&[b"123456789"]), 0xCBF4_3926);
        // Long enough to be sliced, with a tail that is not a multiple of eight.
        let long: alloc::vec::Vec<u8> = (0..SLICING_FROM as u32 * 3 + 5)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(by_table(&[&long]), bytewise(&long));
        assert_eq!(by_table(&[&long]), crc32(&long));
    }

    proptest::proptest! {
        #[test]
        fn the_table_matches_the_bitwise_definition(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..3 * SLICING_FROM),
            split in 0usize..(3 * SLICING_FROM),
        ) {
            let split = split.min(bytes.len());
            proptest::prop_assert_eq!(by_table(&[&bytes[..split], &bytes[split..]]), bytewise(&bytes));
        }

        #[test]
        fn matches_the_bitwise_definition(bytes: alloc::vec::Vec<u8>, split in 0usize..64) {
            let split = split.min(bytes.len());
            let mut c = Crc32::new();
            c.update(&bytes[..split]);
            c.update(&bytes[split..]);
            proptest::prop_assert_eq!(c.finish(), bytewise(&bytes));
        }
    }
}
