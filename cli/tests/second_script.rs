//! The second bundled pack (`content-packs/safe-migration-lo`, English and Lao) end to end:
//! the player in Lao script with Lao digits and the pack's own interface strings, and the
//! interface-string checks of `kru validate` and `kru info`.

use std::path::PathBuf;

mod common;

use common::{kru, text};

fn lao_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration-lo")
}

fn built() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-second-script");
    std::fs::create_dir_all(&d).unwrap();
    // One file per call: the tests run in parallel threads of one process.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let pack = d.join(format!("lo-{}-{n}.krupack", std::process::id()));
    let out = kru(
        &[
            "build",
            lao_dir().to_str().unwrap(),
            "-o",
            pack.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out));
    pack
}

#[test]
fn validate_lists_the_interface_strings_lao_lacks() {
    let out = kru(&["validate", lao_dir().to_str().unwrap()], "");
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("0 error(s), 1 warning(s)"), "{t}");
    assert!(t.contains("missing-interface-strings"), "{t}");
    assert!(t.contains("missing in lo"), "{t}");
    // The pack's own player strings are not among the missing.
    assert!(!t.contains("playTrue"), "{t}");
}

#[test]
fn info_shows_interface_coverage_per_language() {
    let pack = built();
    let out = kru(&["info", pack.to_str().unwrap(), "--json"], "");
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cov = v["interface"].as_array().unwrap();
    let lo = cov.iter().find(|c| c["tag"] == "lo").unwrap();
    let en = cov.iter().find(|c| c["tag"] == "en").unwrap();
    assert_eq!(en["covered"], en["total"]);
    // English: the built-in strings, but for the kiosk pitch, which names the pack's content.
    assert_eq!(en["from_pack"], 1);
    let from_pack = lo["from_pack"].as_u64().unwrap();
    assert!(from_pack >= 40, "{lo}");
    assert_eq!(lo["covered"].as_u64().unwrap(), from_pack);
    assert!(lo["missing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "appName"));
    // The title in each pack language (what a host's pack index lists).
    assert_eq!(v["titles"]["en"], "Safe migration: two key messages");
    let lo_title = v["titles"]["lo"].as_str().unwrap();
    assert!(
        lo_title
            .chars()
            .any(|c| ('\u{0E80}'..='\u{0EFF}').contains(&c)),
        "{lo_title}"
    );
    // Every interface string in each pack language, resolved as a host shows it: the pack's
    // own (the Lao start button, the English pitch that names the content) over the built-in.
    let strings = &v["interface_strings"];
    let lo_start = strings["lo"]["start"].as_str().unwrap();
    assert!(
        lo_start
            .chars()
            .any(|c| ('\u{0E80}'..='\u{0EFF}').contains(&c)),
        "{lo_start}"
    );
    assert_ne!(
        strings["en"]["kioskPitch"],
        "Learn the six key messages for safe migration in five minutes."
    );
    assert_eq!(strings["en"]["start"], "Start");
    // Not in the pack's Lao strings: the built-in English one.
    assert_eq!(strings["lo"]["appName"], "kru");
    // The report's words count too: the Lao pack translates every one of them.
    let total = en["total"].as_u64().unwrap();
    let report_ids = lo["missing"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            let m = m.as_str().unwrap();
            m.starts_with("rpt") || m.starts_with("warning-")
        })
        .count();
    assert_eq!(report_ids, 0, "{lo}");
    let ui = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/src/ui");
    let ids: usize = ["en.toml", "report-en.toml"]
        .iter()
        .map(|f| {
            std::fs::read_to_string(ui.join(f))
                .unwrap()
                .lines()
                .filter(|l| l.contains(" = \"") && !l.starts_with('#'))
                .count()
        })
        .sum();
    assert_eq!(
        total as usize, ids,
        "every id of the catalogue, the report's included"
    );
    let out = kru(&["info", pack.to_str().unwrap()], "");
    assert!(text(&out).contains("interface strings"), "{}", text(&out));
}

#[test]
fn validate_counts_the_report_strings_a_pack_lacks() {
    // A copy of the Lao pack without its report strings: each one is now missing.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-second-script-no-report-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("i18n")).unwrap();
    for f in ["pack.toml", "items.toml", "lessons.toml", "i18n/en.toml"] {
        std::fs::copy(lao_dir().join(f), dir.join(f)).unwrap();
    }
    let lo = std::fs::read_to_string(lao_dir().join("i18n/lo.toml")).unwrap();
    let is_report = |l: &str| l.starts_with("rpt") || l.starts_with("warning-");
    let removed = lo.lines().filter(|l| is_report(l)).count();
    assert!(removed > 100, "{removed}");
    let kept: Vec<&str> = lo.lines().filter(|l| !is_report(l)).collect();
    std::fs::write(dir.join("i18n/lo.toml"), kept.join("\n")).unwrap();
    let missing = |d: &std::path::Path| -> usize {
        let t = text(&kru(&["validate", d.to_str().unwrap()], ""));
        let (_, after) = t.split_once("lo.toml: ").unwrap_or_else(|| panic!("{t}"));
        after.split(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(missing(&dir), missing(&lao_dir()) + removed);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn play_in_lao_with_lao_digits_and_the_packs_own_words() {
    let pack = built();
    // Every answer typed in Lao digits (໐–໙); the text item in Lao script, then in English.
    let pre = "໒\n໑\n໑ ໒\n໒ ໓ ໑\n໑ ໒\n໓\nໜັງສືຜ່ານແດນ\n\n໓\n\n\n໑\n\n\n";
    // The post-test is reviewed after its score (feedback = "after-phase"): seven answers, then
    // Enter through the seven reviews and the result.
    let post = "໒\n໑\n໑ ໒\n໒ ໓ ໑\n໑ ໒\n໓\npassport\n\n\n\n\n\n\n\n\n\n";
    let out = kru(
        &[
            "play",
            pack.to_str().unwrap(),
            "--allow-unsigned",
            "--lang",
            "lo",
            "--journey",
            "short",
            "--seed",
            "1",
        ],
        &format!("{pre}{post}"),
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    // Question numbers in Lao digits, true/false and hints from the pack's [interface].
    assert!(t.contains("[pre ໑/໗]"), "{t}");
    assert!(t.contains("໑) ຖືກ\n  ໒) ຜິດ"), "{t}");
    assert!(t.contains("(ພິມຕົວເລກດຽວ)"), "{t}");
    assert!(t.contains("✓ ຖືກແລ້ວ!"), "{t}");
    assert!(t.contains("── ທົບທວນ ໗ / ໗ ──"), "{t}");
    // Every pre-test answer was right: Lao digits are read as numbers and option numbers.
    assert!(t.contains("ກ່ອນ: ໗ / ໗"), "{t}");
    assert!(t.contains("══ ຜົນໄດ້ຮັບ ══"), "{t}");
    assert!(!t.contains("true") && !t.contains("Right!"), "{t}");
}

#[test]
fn a_lao_learner_gets_the_catalogue_s_lao_error() {
    let pack = built();
    // A learner code of 65 characters is refused: the message is the pack's Lao one.
    let code = "ກ".repeat(65);
    let out = kru(
        &[
            "play",
            pack.to_str().unwrap(),
            "--allow-unsigned",
            "--lang",
            "lo",
            "--journey",
            "short",
            "--learner",
            &code,
        ],
        "",
    );
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("ລະຫັດຜູ້ຮຽນ"), "{t}");
    // Its limit, from the error's parameters, in Lao digits; no English.
    assert!(t.contains("໖໔"), "{t}");
    assert!(!t.contains("learner code"), "{t}");
}
