//! CRC-32 (IEEE 802.3, the checksum of zip and PNG) for detecting damaged bytes.
//!
//! Used by the pack envelope, session snapshots and the results log. It detects accidental
//! damage (a torn write, a bad SD card); authenticity is the job of [`crate::signature`].
//! Computed by `crc32fast`: carry-less multiplication (PCLMULQDQ / PMULL) where the CPU has it
//! (detected at run time with the `std` feature), else slicing-by-16 tables. Checksums are the
//! same either way.

/// A running CRC-32 over several byte slices.
#[derive(Debug, Clone)]
pub struct Crc32 {
    hasher: crc32fast::Hasher,
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
            hasher: crc32fast::Hasher::new(),
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    /// The checksum of everything fed so far.
    pub fn finish(&self) -> u32 {
        self.hasher.clone().finalize()
    }
}

/// The CRC-32 of one byte slice.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
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

    proptest::proptest! {
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
