//! The `kru` binary end to end: play with piped input, validate, build, info, sign, verify.

use std::path::PathBuf;

mod common;

use common::{kru, text};

fn pack_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration")
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// Lines that answer any step eventually: each invalid line is reported and the step asked again.
fn answers(n: usize) -> String {
    let cycle = ["1", "", "1288", "2 1 3 4", "1 2", "2", "1 2 3", "3 1 2"];
    (0..n)
        .map(|i| cycle[i % cycle.len()])
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn play_completes_a_kiosk_journey_with_piped_answers() {
    let log = tmp("play.log");
    let _ = std::fs::remove_file(&log);
    let out = kru(
        &[
            "play",
            "--journey",
            "kiosk",
            "--lang",
            "en",
            "--seed",
            "42",
            "--log",
            log.to_str().unwrap(),
        ],
        &answers(400),
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("before:") && t.contains("after:"), "{t}");
    assert!(t.contains("1288"), "the hotline is shown");
    assert!(std::fs::metadata(&log).unwrap().len() > 0);
}

#[test]
fn play_in_khmer_uses_khmer_digits() {
    let out = kru(&["play", "--lang", "km", "--seed", "1"], &answers(400));
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("១/៥") || t.contains("១ / ៥") || t.contains('១'),
        "{t}"
    );
    // The post-test is reviewed after its score (feedback = "after-phase"), answer by answer.
    for n in ["១", "២", "៣", "៤", "៥"] {
        assert!(t.contains(&format!("── ពិនិត្យឡើងវិញ {n} / ៥ ──")), "{t}");
    }
}

#[test]
fn invalid_lines_are_reported_and_asked_again() {
    let out = kru(
        &["play", "--lang", "en", "--seed", "3"],
        "\n\n\n\nbanana\n99\n",
    );
    let t = text(&out);
    assert!(t.contains("try again"), "{t}");
}

#[test]
fn input_that_ends_early_exits_non_zero_with_a_clear_message() {
    let out = kru(&["play", "--lang", "en", "--seed", "3"], "1\n");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("input ended before the journey finished"));
}

#[test]
fn unknown_journey_lists_the_journeys() {
    let out = kru(&["play", "--journey", "nope"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("kiosk"), "{}", text(&out));
}

#[test]
fn validate_build_info_sign_verify() {
    let out = kru(
        &[
            "validate",
            pack_dir().to_str().unwrap(),
            "--today",
            "2026-11-01",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("0 error(s)"));

    let pack = tmp("sm.krupack");
    let out = kru(
        &[
            "build",
            pack_dir().to_str().unwrap(),
            "-o",
            pack.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out));

    let out = kru(&["info", pack.to_str().unwrap()], "");
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    for want in [
        "km", "en", "draft", "reviewed", "kiosk", "school", "unsigned",
    ] {
        assert!(t.contains(want), "info lacks {want}: {t}");
    }
    // Audio: no person has recorded anything yet, so every text is still to record; the
    // kiosk's English is read by a synthetic voice (scripts/synthetic_audio.py: 62 files, one
    // of them the micro-lesson's title, which is also its first heading: 63 texts), Khmer never.
    assert!(
        t.contains("audio (recorded by a person / synthetic voice / none; texts still to record):"),
        "{t}"
    );
    assert!(t.contains("en     0 recorded, 63 synthetic voice"), "{t}");
    assert!(t.contains("km     0 recorded, 0 synthetic voice"), "{t}");
    assert!(t.contains("(kru info --audio lists them all)"), "{t}");
    let all = text(&kru(&["info", "--audio", pack.to_str().unwrap()], ""));
    assert!(all.contains("- Safe migration: six key messages"), "{all}");
    assert!(
        all.lines().count() > t.lines().count() + 100,
        "--audio lists every text"
    );
    let out = kru(&["info", "--json", pack.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "safe-migration");
    // The catalogue, plus what only the file tells.
    assert_eq!(v["format"], 2);
    assert_eq!(v["bytes"], std::fs::metadata(&pack).unwrap().len());
    assert_eq!(v["signerKeyId"], serde_json::Value::Null);
    assert_eq!(v["title"], "Safe migration: six key messages");
    assert_eq!(v["languages"][0]["tag"], "km");
    assert_eq!(v["coverage"][1]["tag"], "en");
    let en_todo = v["unrecorded"]["en"].as_array().unwrap();
    assert!(en_todo
        .iter()
        .any(|s| s == "Safe migration: six key messages"));
    assert!(en_todo.len() <= v["coverage"][1]["present"].as_u64().unwrap() as usize);
    assert!(!v["unrecorded"]["km"].as_array().unwrap().is_empty());
    assert_eq!(v["audio"]["en"]["synthetic"], 63);
    assert_eq!(v["audio"]["en"]["recorded"], 0);
    assert_eq!(v["audio"]["km"]["synthetic"], 0);
    // Synthetic readings are still to record: every English text is listed.
    assert_eq!(
        en_todo.len() as u64,
        v["coverage"][1]["present"].as_u64().unwrap()
    );
    let kiosk = &v["journeys"][1];
    assert_eq!(kiosk["id"], "kiosk");
    let kinds: Vec<&str> = kiosk["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["pre-test", "lesson", "post-test"]);
    assert_eq!(v["intake"][0]["id"], "sex");
    assert_eq!(v["intake"][0]["options"][0]["code"], "female");
    assert_eq!(v["intake"][0]["options"][0]["label"], "Female");
    assert_eq!(v["objectives"].as_array().unwrap().len(), 6);
    let items = v["items"].as_array().unwrap();
    let per_kind = v["itemKinds"].as_array().unwrap();
    assert_eq!(per_kind.len(), 8);
    for k in per_kind {
        let n = items.iter().filter(|i| i["kind"] == k["kind"]).count();
        assert_eq!(k["count"], n, "{k}");
    }
    assert_eq!(v["forms"][0]["items"].as_array().unwrap().len(), 20);
    let hotline = &v["resources"][0];
    assert_eq!(hotline["phone"], "1288");
    assert!(hotline["ageDays"].as_i64().unwrap() > 0);
    assert_eq!(v["card"]["resources"][0], "hotline-1288");

    let key = tmp("dev.key");
    let out = kru(&["keygen", "-o", key.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out));
    let public = format!("{}.pub", key.display());
    let signed = tmp("sm-signed.krupack");
    let out = kru(
        &[
            "sign",
            pack.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "-o",
            signed.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = kru(
        &["verify", signed.to_str().unwrap(), "--trust", &public],
        "",
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = kru(&["info", "--json", signed.to_str().unwrap()], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hex = std::fs::read_to_string(&public).unwrap();
    assert_eq!(v["signerKeyId"], hex.trim().get(..16).unwrap());
    let out = kru(&["verify", pack.to_str().unwrap(), "--trust", &public], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("not signed"), "{}", text(&out));

    // Playing a file needs trust or --allow-unsigned.
    let out = kru(&["play", pack.to_str().unwrap()], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("--allow-unsigned"), "{}", text(&out));
    let out = kru(
        &[
            "play",
            signed.to_str().unwrap(),
            "--trust",
            &public,
            "--lang",
            "en",
            "--seed",
            "9",
        ],
        &answers(400),
    );
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn validate_reports_file_and_line_of_every_problem() {
    let dir = tmp("broken-pack");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("i18n")).unwrap();
    for f in [
        "pack.toml",
        "lessons.toml",
        "items.toml",
        "i18n/en.toml",
        "i18n/km.toml",
    ] {
        std::fs::copy(pack_dir().join(f), dir.join(f)).unwrap();
    }
    let items = std::fs::read_to_string(dir.join("items.toml")).unwrap();
    let broken = items.replacen("objectives = [\"broker\"]", "objectives = [\"brokers\"]", 1);
    std::fs::write(dir.join("items.toml"), broken).unwrap();
    let out = kru(&["validate", dir.to_str().unwrap()], "");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("items.toml:"), "{t}");
    assert!(t.contains("brokers"), "{t}");
    assert!(t.contains("help:"), "{t}");
}
