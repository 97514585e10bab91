//! Fuzz target `ui_strings`: see `kru_fuzz::harness::ui_strings` and docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_fuzz::harness::ui_strings(data));
