//! Fuzz target `pack_decode`: see `kru_fuzz::harness::pack_decode` and docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_fuzz::harness::pack_decode(data));
