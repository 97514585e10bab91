//! Fuzz target `strings_po`: see `kru_fuzz::harness::strings_po` and docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_fuzz::harness::strings_po(
    kru_fuzz::sources(),
    data
));
