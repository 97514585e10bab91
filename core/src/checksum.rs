//! CRC-32 (IEEE 802.3, the checksum of zip and PNG) for detecting damaged bytes.
//!
//! Used by the pack envelope, session snapshots and the results log. It detects accidental
//! damage (a torn write, a bad SD card); authenticity is the job of [`crate::pack::signature`].
//! With the `std` feature it is computed by `crc32fast` (carry-less multiplication, PCLMULQDQ or
//! PMULL, detected at run time: what a kiosk or a report over a million records wants); without
//! it (WASM, microcontrollers) by a 1 KB table, a byte at a time, which keeps the WASM module
//! small. Checksums are the same either way.

#[cfg(not(feature = "std"))]
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

#[cfg(not(feature = "std"))]
static TABLE: [u32; 256] = make_table();

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
            let mut c = self.state;
            for &b in bytes {
                let idx = ((c ^ u32::from(b)) & 0xFF) as usize;
                c = TABLE.get(idx).copied().unwrap_or(0) ^ (c >> 8);
            }
            self.state = c;
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
