//! LZ4 block decompression of a pack's payload (`lz4_flex`), for `kru-core`'s pack reader.
//!
//! A crate of its own for one reason: the browser's WebAssembly module is compiled for size
//! (`opt-level = "z"`), and `lz4_flex`'s decoder is generic and inlined, so it is compiled
//! in whichever crate calls it, at that crate's level. Called through the one non-generic,
//! non-inlined [`decompress`] here, it is compiled at this crate's level, which the `wasm`
//! profile sets to `"s"` (`[profile.wasm.package.kru-lz4]` in the workspace manifest): a
//! third less time for the demo pack's payload in WebAssembly, about as fast as at level 3
//! and smaller (docs/performance.md, "Issue 18, seventh round: pack load"). Native builds
//! are at level 3 anyway.
//!
//! The decoder checks every literal and match against the input's and the output's bounds
//! and returns an error for bad input, never reading or writing out of them (`lz4_flex`
//! 0.14's decoder, with or without its `safe-decode` feature).
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

pub use lz4_flex::block::DecompressError;

/// Decompresses one LZ4 block of at most `max_len` bytes into a new vector (its capacity
/// `max_len`, allocated once). An error for a block that is damaged or decompresses to more
/// than `max_len` bytes.
#[inline(never)]
pub fn decompress(block: &[u8], max_len: usize) -> Result<Vec<u8>, DecompressError> {
    lz4_flex::block::decompress(block, max_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "ក្រុមគ្រួសារ ".repeat(200);
        let block = lz4_flex::block::compress(text.as_bytes());
        assert!(block.len() < text.len() / 4);
        assert_eq!(decompress(&block, text.len()).unwrap(), text.as_bytes());
    }

    #[test]
    fn refuses_a_block_that_does_not_fit() {
        let text = "ក្រុមគ្រួសារ ".repeat(200);
        let block = lz4_flex::block::compress(text.as_bytes());
        assert!(matches!(
            decompress(&block, text.len() - 1),
            Err(DecompressError::OutputTooSmall { .. })
        ));
    }

    #[test]
    fn refuses_damaged_blocks_without_panicking() {
        let text = "ក្រុមគ្រួសារ ".repeat(50);
        let block = lz4_flex::block::compress(text.as_bytes());
        // A cut block is refused, or (cut between two sequences) gives less than the text.
        for cut in 0..block.len() {
            if let Ok(out) = decompress(&block[..cut], text.len()) {
                assert!(out.len() < text.len(), "cut at {cut}");
            }
        }
        assert!(decompress(&[], text.len()).is_err());
        for at in 0..block.len() {
            for flip in [0x01u8, 0x10, 0x80, 0xFF] {
                let mut bad = block.clone();
                bad[at] ^= flip;
                if let Ok(out) = decompress(&bad, text.len()) {
                    assert!(out.len() <= text.len());
                }
            }
        }
    }
}
