//! Fuzz target `results_log`: see `kru_fuzz::harness::results_log` and docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_fuzz::harness::results_log(data));
