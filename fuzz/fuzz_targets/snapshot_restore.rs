//! Fuzz target `snapshot_restore`: see `kru_fuzz::harness::snapshot_restore` and docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_fuzz::harness::snapshot_restore(
    kru_fuzz::packs(),
    data
));
