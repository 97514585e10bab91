//! Fuzz target `workbook_convert`: see `kru_workbook::fuzzing::convert` and
//! docs/robustness.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kru_workbook::fuzzing::convert(data));
