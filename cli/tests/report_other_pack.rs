//! `kru report` on a log of another pack than the one it reports on fails and names the
//! pack the records belong to (issue 13): an empty report would read as a cohort that
//! learned nothing.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kru(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kru"))
        .args(args)
        .output()
        .expect("run kru")
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-other-pack");
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// Copies the bundled pack's sources with another pack id.
fn other_pack_dir() -> PathBuf {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
    let dst = tmp("other-src");
    let _ = std::fs::remove_dir_all(&dst);
    std::fs::create_dir_all(dst.join("i18n")).unwrap();
    for f in [
        "pack.toml",
        "items.toml",
        "lessons.toml",
        "i18n/en.toml",
        "i18n/km.toml",
    ] {
        let mut text = std::fs::read_to_string(src.join(f)).unwrap();
        if f == "pack.toml" {
            text = text.replacen("id = \"safe-migration\"", "id = \"flood-safety\"", 1);
        }
        std::fs::write(dst.join(f), text).unwrap();
    }
    // The lessons' images: `kru build` checks that they exist.
    std::fs::create_dir_all(dst.join("pictograms")).unwrap();
    for e in std::fs::read_dir(src.join("pictograms")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dst.join("pictograms").join(e.file_name())).unwrap();
    }
    dst
}

#[test]
fn a_log_of_another_pack_fails_and_names_its_pack() {
    let dir = other_pack_dir();
    let pack = tmp("flood.krupack");
    let log = tmp("flood.log");
    let _ = std::fs::remove_file(&log);
    let p = pack.to_str().unwrap();
    let l = log.to_str().unwrap();
    assert!(kru(&["build", dir.to_str().unwrap(), "-o", p])
        .status
        .success());
    assert!(kru(&["simulate", p, "--learners", "6", "-o", l])
        .status
        .success());

    // Without --pack: the bundled pack, which is not theirs.
    let out = kru(&["report", l]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("none of the 6 record(s) is of the bundled pack 'safe-migration'"),
        "{err}"
    );
    assert!(err.contains("'flood-safety 1.0.0' (6 record(s))"), "{err}");
    assert!(err.contains("--pack"), "{err}");

    // With their pack: a report of 6 records.
    let out = kru(&["report", l, "--pack", p]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["records"]["accepted"], 6);
}
