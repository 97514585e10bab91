//! Fuzz target `authoring_parse`: see `kru_fuzz::harness::authoring_parse` and
//! docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_fuzz::harness::authoring_parse(
    kru_fuzz::sources(),
    data
));
