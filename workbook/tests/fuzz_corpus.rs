//! Replays the committed seeds of the `workbook_convert` fuzz target (`fuzz/corpus/`) and
//! any crash found (`fuzz/regressions/`), through the target's own harness, on every
//! `cargo test`. See docs/robustness.md.

use std::path::Path;

#[test]
fn workbook_convert_corpus_replays() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    let mut failed = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join("workbook_convert")) else {
            continue;
        };
        for e in entries.flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            n += 1;
            if std::panic::catch_unwind(|| kru_workbook::fuzzing::convert(&bytes)).is_err() {
                failed.push(e.path().display().to_string());
            }
        }
    }
    assert!(n >= 3, "the seeds are missing");
    assert!(
        failed.is_empty(),
        "inputs that panic:\n{}",
        failed.join("\n")
    );
}
