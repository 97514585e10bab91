//! Replays the committed fuzz corpus and every crash ever found, through the same harness the
//! fuzz targets use (`fuzz/src/harness.rs`), so that a fixed crash stays fixed in a plain
//! stable `cargo test`. Inputs live in `fuzz/corpus/<target>/` (seeds, minimised) and
//! `fuzz/regressions/<target>/` (crashes, after their fix). See `docs/robustness.md`.
//!
//! `authoring_parse` and the real safe-migration pack need the `authoring` feature (on in a
//! workspace `cargo test`, where the CLI enables it); without it, session inputs that pick
//! the real pack run on the tiny pack instead and authoring inputs are skipped.

mod tiny;

#[cfg(feature = "authoring")]
mod common;

#[path = "../../fuzz/src/harness.rs"]
#[allow(clippy::all, missing_docs, unused)]
mod harness;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use harness::Packs;

const TARGETS: &[&str] = &[
    "pack_decode",
    "authoring_parse",
    "results_log",
    "snapshot_restore",
    "session_calls",
    "strings_po",
    "ui_strings",
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Every input of a target: the corpus and the regressions, sorted by path.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                let bytes = std::fs::read(&p).expect("read fuzz input");
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

fn packs() -> &'static Packs {
    static PACKS: OnceLock<Packs> = OnceLock::new();
    PACKS.get_or_init(|| Packs {
        tiny: Arc::new(tiny::tiny_pack()),
        #[cfg(feature = "authoring")]
        real: Some(common::safe_migration()),
        #[cfg(not(feature = "authoring"))]
        real: None,
    })
}

/// Runs every input of `target`; reports every input that panics, not only the first.
fn replay(target: &str, run: impl Fn(&[u8]) + std::panic::RefUnwindSafe) -> usize {
    let all = inputs(target);
    let mut failed = Vec::new();
    for (path, bytes) in &all {
        if std::panic::catch_unwind(|| run(bytes)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} input(s) panic:\n{}",
        failed.len(),
        failed.join("\n")
    );
    all.len()
}

#[test]
fn every_target_has_seeds() {
    for target in TARGETS {
        let dir = fuzz_dir().join("corpus").join(target);
        assert!(
            std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()),
            "no seeds in {}",
            dir.display()
        );
    }
}

#[test]
fn pack_decode_corpus_replays() {
    assert!(replay("pack_decode", harness::pack_decode) > 0);
}

#[test]
fn ui_strings_corpus_replays() {
    assert!(replay("ui_strings", harness::ui_strings) > 0);
}

#[test]
fn results_log_corpus_replays() {
    assert!(replay("results_log", harness::results_log) > 0);
}

#[test]
fn snapshot_restore_corpus_replays() {
    assert!(
        replay("snapshot_restore", |d| harness::snapshot_restore(
            packs(),
            d
        )) > 0
    );
}

#[test]
fn session_calls_corpus_replays() {
    assert!(replay("session_calls", |d| harness::session_calls(packs(), d)) > 0);
}

#[cfg(feature = "authoring")]
#[test]
fn strings_po_corpus_replays() {
    let base = common::sources(&common::pack_dir());
    assert!(replay("strings_po", |d| harness::strings_po(&base, d)) > 0);
}

#[cfg(feature = "authoring")]
#[test]
fn authoring_parse_corpus_replays() {
    let base = common::sources(&common::pack_dir());
    assert!(replay("authoring_parse", |d| harness::authoring_parse(&base, d)) > 0);
}
