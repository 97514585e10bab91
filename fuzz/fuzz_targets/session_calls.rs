//! Fuzz target `session_calls`: see `kru_fuzz::harness::session_calls` and docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_fuzz::harness::session_calls(
    kru_fuzz::packs(),
    data
));
