//! wasm-bindgen tests of the bindings, run under Node.js:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p kru-wasm
//! --target wasm32-unknown-unknown` (`cargo xtask test wasm-test` builds the test packs first).
//!
//! The packs are read from `$KRU_TEST_PACKS` (default `target/test-packs/`), built by the real
//! CLI: `safe-migration.krupack` (unsigned), `safe-migration.signed.krupack` and `test-key.pub`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, Uint8Array, JSON};
use kru_wasm::{log, KruError, Pack, Session};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(module = "fs")]
extern "C" {
    #[wasm_bindgen(js_name = readFileSync, catch)]
    fn read_file_sync(path: &str) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(js_name = readFileSync, catch)]
    fn read_text_sync(path: &str, encoding: &str) -> Result<String, JsValue>;
}

fn packs_dir() -> String {
    let env = Reflect::get(&js_sys::global(), &"process".into())
        .and_then(|p| Reflect::get(&p, &"env".into()))
        .and_then(|e| Reflect::get(&e, &"KRU_TEST_PACKS".into()))
        .ok()
        .and_then(|v| v.as_string());
    env.unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/test-packs").to_owned())
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/{name}", packs_dir());
    read_file_sync(&path)
        .unwrap_or_else(|_| {
            panic!("missing {path}: run `cargo xtask test wasm-test` to build the test packs")
        })
        .to_vec()
}

fn public_key() -> Vec<u8> {
    let path = format!("{}/test-key.pub", packs_dir());
    let hex = read_text_sync(&path, "utf8").unwrap_or_else(|_| panic!("missing {path}"));
    let hex = hex.trim();
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn get_str(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

fn dev_options() -> JsValue {
    obj(r#"{"allowUnsigned": true}"#)
}

/// "I don't know" at every other question that offers it (`n` even), else a right answer.
fn dont_know_or_answer(step: &JsValue, n: u32) -> JsValue {
    if get(step, "dont_know").as_bool() == Some(true) && n % 2 == 0 {
        obj(r#"{"dontKnow": true}"#)
    } else {
        answer_for(step)
    }
}

fn unsigned_pack() -> Pack {
    Pack::load(&fixture("safe-migration.krupack"), dev_options()).unwrap()
}

/// The same pack loaded by the core itself, for comparing the binding's objects with the
/// core's serde form.
fn native_pack() -> std::sync::Arc<kru_core::pack::Pack> {
    let bytes = fixture("safe-migration.krupack");
    std::sync::Arc::new(
        kru_core::pack::signature::load(
            &bytes,
            &kru_core::pack::signature::TrustPolicy::default().allow_unsigned(),
        )
        .unwrap(),
    )
}

fn code<T>(r: Result<T, KruError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code().name(),
    }
}

fn start(pack: &Pack, journey: &str) -> Result<Session, KruError> {
    let options = obj(&format!(
        r#"{{"journey": "{journey}", "languages": ["en"], "seed": 7, "learner": "K-001", "nowMs": 1795000000000}}"#
    ));
    Session::start(pack, options)
}

/// An answer of the type the question expects: the first option, or a plausible value.
fn answer_for(step: &JsValue) -> JsValue {
    let n = Array::from(&get(step, "options")).length();
    match get_str(step, "expects").as_str() {
        "choice" => obj(r#"{"choice": 0}"#),
        "choices" => obj(r#"{"choices": [0]}"#),
        "true-false" => obj(r#"{"trueFalse": true}"#),
        "order" => {
            let order: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            obj(&format!(r#"{{"order": [{}]}}"#, order.join(",")))
        }
        "matches" => {
            let left = Array::from(&get(step, "left")).length();
            let m: Vec<String> = (0..left).map(|i| (i % n.max(1)).to_string()).collect();
            obj(&format!(r#"{{"matches": [{}]}}"#, m.join(",")))
        }
        "scale" => obj(r#"{"scale": 1}"#),
        _ => obj(r#"{"text": "1288"}"#),
    }
}

/// Plays to the end, answering every question; returns the number of questions answered.
fn play_to_end(s: &mut Session) -> u32 {
    let mut answered = 0;
    for _ in 0..500 {
        let step = s.step();
        match get_str(&step, "kind").as_str() {
            "done" => return answered,
            "question" => {
                s.answer(answer_for(&step), 1_795_000_010_000.0).unwrap();
                answered += 1;
            }
            _ => go_on(s, &step),
        }
    }
    panic!("the journey did not end within 500 steps");
}

/// Past a step that is not a question: the first intake option (or a typed "x"), the first
/// story choice, else on.
fn go_on(s: &mut Session, step: &JsValue) {
    match get_str(step, "kind").as_str() {
        "intake" => {
            let answer = if Array::from(&get(step, "options")).length() > 0 {
                obj(r#"{"choice": 0}"#)
            } else {
                obj(r#"{"text": "x"}"#)
            };
            s.answer(answer, 1_795_000_010_000.0).unwrap();
        }
        "story" if Array::from(&get(step, "choices")).length() > 0 => {
            s.answer(obj(r#"{"choice": 0}"#), 1_795_000_010_000.0)
                .unwrap();
        }
        _ => s.advance(1_795_000_010_000.0).unwrap(),
    }
}

#[wasm_bindgen_test]
fn version_is_the_engine_version() {
    assert_eq!(kru_wasm::version(), kru_core::ENGINE_VERSION);
}

#[wasm_bindgen_test]
fn trust_policy() {
    let unsigned = fixture("safe-migration.krupack");
    let signed = fixture("safe-migration.signed.krupack");
    let key = Uint8Array::from(&public_key()[..]);
    let trusted = obj("{}");
    Reflect::set(&trusted, &"trustedKeys".into(), &Array::of1(&key)).unwrap();

    assert_eq!(
        code(Pack::load(&unsigned, JsValue::UNDEFINED)),
        "pack-unsigned"
    );
    assert_eq!(
        code(Pack::load(&unsigned, trusted.clone())),
        "pack-unsigned"
    );
    assert_eq!(
        code(Pack::load(&signed, JsValue::UNDEFINED)),
        "pack-untrusted-signer"
    );
    let pack = Pack::load(&signed, trusted.clone()).unwrap();
    assert_eq!(pack.id(), "safe-migration");
    assert_eq!(pack.signer_key_id().unwrap().len(), 16);
    let dev = Pack::load(&unsigned, dev_options()).unwrap();
    assert_eq!(dev.signer_key_id(), None);

    // One digit of the hotline number changed (a valid pack with a valid checksum) under the
    // original signature: refused, even by a development host.
    let forged = forged_hotline_pack(&signed);
    assert_eq!(
        code(Pack::load(&forged, trusted.clone())),
        "pack-signature-mismatch"
    );
    assert_eq!(
        code(Pack::load(&forged, dev_options())),
        "pack-signature-mismatch"
    );
    // The same bytes unsigned are a valid pack (so the signature is the only thing refusing).
    let tampered = fixture("safe-migration.hotline-1289.krupack");
    assert!(Pack::load(&tampered, dev_options()).is_ok());
    assert_eq!(
        code(Pack::load(&tampered, trusted.clone())),
        "pack-unsigned"
    );

    let short_key = obj("{}");
    Reflect::set(
        &short_key,
        &"trustedKeys".into(),
        &Array::of1(&Uint8Array::new_with_length(5)),
    )
    .unwrap();
    assert_eq!(code(Pack::load(&signed, short_key)), "invalid-public-key");
    assert_eq!(
        code(Pack::load(&signed, obj(r#"{"trustedKeys": 3}"#))),
        "bad-options"
    );
    assert_eq!(
        code(Pack::load(&signed, obj(r#"{"allowUnsigned": "yes"}"#))),
        "bad-options"
    );
}

/// The pack built from the source with the hotline number changed by one digit (1288 →
/// 1289), carrying the signature of the original: what an attacker who rebuilt the pack
/// would ship. The last 2 bytes of an unsigned pack are its (zero) signature length; the last
/// 99 bytes of a signed one are the signature length and the 97-byte block.
fn forged_hotline_pack(signed: &[u8]) -> Vec<u8> {
    let tampered = fixture("safe-migration.hotline-1289.krupack");
    let mut forged = tampered[..tampered.len() - 2].to_vec();
    forged.extend_from_slice(&signed[signed.len() - 99..]);
    forged
}

#[wasm_bindgen_test]
fn pack_information() {
    let pack = unsigned_pack();
    assert_eq!(pack.version(), "1.0.0");
    let journeys = Array::from(&pack.journeys(Some(vec!["en".into()])).unwrap());
    let ids: Vec<String> = journeys.iter().map(|j| get_str(&j, "id")).collect();
    assert!(ids.contains(&"kiosk".to_owned()), "{ids:?}");
    let languages = Array::from(&pack.languages().unwrap());
    assert_eq!(get_str(&languages.get(0), "tag"), "km");
    assert_eq!(get_str(&languages.get(0), "numerals"), "khmr");
    let coverage = Array::from(&pack.coverage().unwrap());
    assert_eq!(coverage.length(), languages.length());
    assert!(!pack.title(None).is_empty());
    // Verified 2026-10-01, at most 365 days old: stale two years later.
    let later = 1_795_000_000_000.0 + 2.0 * 365.0 * 86_400_000.0;
    assert_eq!(
        Array::from(&pack.stale_resources(later).unwrap()).length(),
        1
    );
    assert_eq!(
        Array::from(&pack.stale_resources(1_795_000_000_000.0).unwrap()).length(),
        0
    );
    assert_eq!(code(pack.stale_resources(f64::NAN)), "invalid-argument");
}

#[wasm_bindgen_test]
fn kiosk_journey_to_the_end() {
    let pack = unsigned_pack();
    let mut s = start(&pack, "kiosk").unwrap();
    assert_eq!(s.journey(), "kiosk");
    assert_eq!(s.language(), "en");
    assert_eq!(code(s.finish(1.0)), "not-finished");
    let answered = play_to_end(&mut s);
    assert_eq!(
        answered, 10,
        "five questions before and five after the lesson"
    );
    assert!(s.is_done());
    let record = s.finish(1_795_000_020_000.0).unwrap();
    assert_eq!(get(&record, "completed").as_bool(), Some(true));
    assert_eq!(get_str(&record, "journey"), "kiosk");
    assert_eq!(Array::from(&get(&record, "responses")).length(), 10);
    assert!(get(&record, "seed").is_bigint());
    assert_eq!(code(s.finish(1.0)), "session-ended");
    assert_eq!(code(s.advance(1.0)), "session-ended");

    let frame = Uint8Array::from(get(&record, "bytes")).to_vec();
    let read = log::read_log(&frame).unwrap();
    let records = Array::from(&get(&read, "records"));
    assert_eq!(records.length(), 1);
    assert_eq!(Array::from(&get(&read, "damaged")).length(), 0);
    assert_eq!(
        Uint8Array::from(get(&records.get(0), "bytes")).to_vec(),
        frame
    );
    assert_eq!(
        JSON::stringify(&get(&records.get(0), "record_id")).unwrap(),
        JSON::stringify(&get(&record, "record_id")).unwrap()
    );
}

#[wasm_bindgen_test]
fn answers_of_the_wrong_type_or_shape_are_refused() {
    let pack = unsigned_pack();
    let mut s = start(&pack, "kiosk").unwrap();
    assert_eq!(code(s.advance(1.0)), "answer-required");
    let step = s.step();
    assert_eq!(get_str(&step, "kind"), "question");
    let wrong = if get_str(&step, "expects") == "text" {
        obj(r#"{"choice": 0}"#)
    } else {
        obj(r#"{"text": "maybe"}"#)
    };
    assert_eq!(code(s.answer(wrong, 1.0)), "wrong-answer-type");
    assert_eq!(code(s.answer(obj(r#"{"banana": 1}"#), 1.0)), "bad-answer");
    assert_eq!(code(s.answer(JsValue::from(3), 1.0)), "bad-answer");
    assert_eq!(code(s.answer(obj(r#"{"choice": -1}"#), 1.0)), "bad-answer");
    assert_eq!(code(s.answer(obj(r#"{"choice": 1.5}"#), 1.0)), "bad-answer");
    assert_eq!(
        code(s.answer(obj(r#"{"choice": 1, "text": "x"}"#), 1.0)),
        "bad-answer"
    );
    assert_eq!(code(s.answer(obj(r#"[1]"#), 1.0)), "bad-answer");
    assert_eq!(
        code(s.answer(obj(r#"{"choice": 99}"#), 1.0)),
        if get_str(&step, "expects") == "choice" {
            "answer-out-of-range"
        } else {
            "wrong-answer-type"
        }
    );
    assert_eq!(
        code(s.answer(answer_for(&step), f64::INFINITY)),
        "invalid-argument"
    );
    // Nothing above changed the session.
    assert_eq!(
        JSON::stringify(&s.step()).unwrap(),
        JSON::stringify(&step).unwrap()
    );
}

#[wasm_bindgen_test]
fn bad_start_options() {
    let pack = unsigned_pack();
    assert_eq!(code(start(&pack, "nowhere")), "unknown-journey");
    assert_eq!(
        code(Session::start(&pack, obj(r#"{"journey": "kiosk"}"#))),
        "bad-options"
    );
    assert_eq!(
        code(Session::start(&pack, JsValue::UNDEFINED)),
        "bad-options"
    );
    let empty_learner = obj(r#"{"journey": "kiosk", "seed": 1, "learner": " ", "nowMs": 0}"#);
    assert_eq!(
        code(Session::start(&pack, empty_learner)),
        "bad-learner-code"
    );
    let big_seed = obj(r#"{"journey": "kiosk", "learner": "a", "nowMs": 0}"#);
    Reflect::set(
        &big_seed,
        &"seed".into(),
        &js_sys::BigInt::from(u64::MAX).into(),
    )
    .unwrap();
    let s = Session::start(&pack, big_seed).unwrap();
    assert_eq!(s.seed(), u64::MAX);
}

#[wasm_bindgen_test]
fn snapshot_and_restore_continue_exactly() {
    let pack = unsigned_pack();
    let mut s = start(&pack, "school").unwrap();
    // Go some way in: intake, a few questions.
    for _ in 0..8 {
        let step = s.step();
        match get_str(&step, "kind").as_str() {
            "question" => s.answer(answer_for(&step), 5.0).unwrap(),
            "intake" if Array::from(&get(&step, "options")).length() > 0 => {
                s.answer(obj(r#"{"choice": 1}"#), 5.0).unwrap()
            }
            _ => s.advance(5.0).unwrap(),
        }
    }
    let bytes = s.snapshot();
    let mut r = Session::restore(&pack, &bytes).unwrap();
    assert_eq!(
        JSON::stringify(&r.step()).unwrap(),
        JSON::stringify(&s.step()).unwrap()
    );
    play_to_end(&mut s);
    play_to_end(&mut r);
    let a = s.finish(9.0).unwrap();
    let b = r.finish(9.0).unwrap();
    assert_eq!(
        Uint8Array::from(get(&a, "bytes")).to_vec(),
        Uint8Array::from(get(&b, "bytes")).to_vec()
    );

    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert_eq!(code(Session::restore(&pack, &damaged)), "bad-snapshot");
    assert_eq!(
        code(Session::restore(&pack, &bytes[..bytes.len() / 2])),
        "bad-snapshot"
    );
    assert_eq!(code(Session::restore(&pack, b"garbage")), "bad-snapshot");
}

#[wasm_bindgen_test]
fn hostile_pack_bytes_give_codes() {
    let good = fixture("safe-migration.signed.krupack");
    assert_eq!(code(Pack::load(&[], dev_options())), "pack-truncated");
    assert_eq!(
        code(Pack::load(
            b"hello, this is not a pack at all",
            dev_options()
        )),
        "pack-bad-magic"
    );
    // Truncation at every offset: always an error with a code, never a trap.
    for n in 0..good.len() {
        let c = code(Pack::load(&good[..n], dev_options()));
        assert!(
            c.starts_with("pack-") && c != "pack-error",
            "offset {n}: {c}"
        );
    }
    // A huge declared payload length.
    let mut huge = good.clone();
    huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    let c = code(Pack::load(&huge, dev_options()));
    assert!(c == "pack-too-large" || c == "pack-truncated", "{c}");
    // Every single-byte flip in the header and the signature block.
    for i in (0..64).chain(good.len() - 100..good.len()) {
        let mut bad = good.clone();
        bad[i] ^= 0x55;
        let c = code(Pack::load(&bad, dev_options()));
        assert!(c.starts_with("pack-"), "byte {i}: {c}");
    }
}

#[wasm_bindgen_test]
fn errors_become_js_errors_with_a_code() {
    let err = match Pack::load(&[1, 2, 3], JsValue::UNDEFINED) {
        Err(e) => JsValue::from(e),
        Ok(_) => panic!("loaded garbage"),
    };
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&err, "code"), "pack-truncated");
    assert_eq!(get_str(&err, "name"), "KruError");
    assert!(get_str(&err, "message").contains("truncated"));
}

#[wasm_bindgen_test]
fn logs_merge_and_recover() {
    let pack = unsigned_pack();
    let mut frames = Vec::new();
    for learner in ["A-1", "A-2"] {
        let options = obj(&format!(
            r#"{{"journey": "kiosk", "seed": 3, "learner": "{learner}", "nowMs": 1000}}"#
        ));
        let mut s = Session::start(&pack, options).unwrap();
        let record = s.abandon(2000.0).unwrap();
        assert_eq!(get(&record, "completed").as_bool(), Some(false));
        frames.push(Uint8Array::from(get(&record, "bytes")).to_vec());
    }
    let mut log_bytes = frames.concat();
    #[cfg(feature = "analysis")]
    {
        let merged = log::merge_logs(vec![
            Uint8Array::from(&log_bytes[..]),
            Uint8Array::from(&frames[0][..]),
        ]);
        assert_eq!(merged, log_bytes, "the duplicate record is dropped");
    }
    let full = log_bytes.len();
    log_bytes.extend_from_slice(&frames[0][..10]); // a torn write
    assert_eq!(log::append_offset(&log_bytes), full);
    let read = log::read_log(&log_bytes).unwrap();
    assert_eq!(Array::from(&get(&read, "records")).length(), 2);
    assert_eq!(Array::from(&get(&read, "damaged")).length(), 1);
}

#[cfg(feature = "analysis")]
#[wasm_bindgen_test]
fn cohort_report_of_a_log() {
    let pack = unsigned_pack();
    let mut log_bytes = Vec::new();
    for (i, learner) in ["C-1", "C-2", "C-3"].iter().enumerate() {
        let options = obj(&format!(
            r#"{{"journey": "kiosk", "seed": {i}, "learner": "{learner}", "nowMs": 1795000000000}}"#
        ));
        let mut s = Session::start(&pack, options).unwrap();
        play_to_end(&mut s);
        let record = s.finish(1_795_000_100_000.0).unwrap();
        log_bytes.extend(Uint8Array::from(get(&record, "bytes")).to_vec());
    }
    let report = kru_wasm::report::cohort_report(&pack, &log_bytes, JsValue::UNDEFINED).unwrap();
    let records = get(&report, "records");
    assert_eq!(get(&records, "accepted").as_f64(), Some(3.0));
    let paired = get(&get(&report, "cohort"), "paired");
    assert_eq!(get(&paired, "n").as_f64(), Some(3.0));
    let by_journey = obj(r#"{"journey": "kiosk", "minN": 2}"#);
    assert!(kru_wasm::report::cohort_report(&pack, &log_bytes, by_journey).is_ok());
    assert_eq!(
        code(kru_wasm::report::cohort_report(
            &pack,
            &log_bytes,
            obj(r#"{"by": "shoe-size"}"#)
        )),
        "report-unknown-field"
    );
    assert_eq!(
        code(kru_wasm::report::cohort_report(
            &pack,
            &log_bytes,
            obj(r#"{"journey": "nowhere"}"#)
        )),
        "unknown-journey"
    );
    assert_eq!(
        code(kru_wasm::report::cohort_report(
            &pack,
            &log_bytes,
            obj(r#"{"minN": -1}"#)
        )),
        "bad-options"
    );
    // Garbage is counted as damage, not thrown.
    let report = kru_wasm::report::cohort_report(&pack, b"garbage", JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&get(&report, "records"), "accepted").as_f64(),
        Some(0.0)
    );
}

/// The step objects are built by hand (`view.rs`, for speed); they must stay what the core's
/// serde form of the same step is (`types.d.ts` documents that form). At every step of whole
/// kiosk and school journeys, in English and Khmer, the object `step()` returns equals the
/// core's `Step` of the same session (restored natively from the snapshot) serialised to JSON:
/// a field added to a step in the core and not to the view fails here.
#[wasm_bindgen_test]
fn step_objects_equal_the_cores_serde_form() {
    let native = native_pack();
    let pack = unsigned_pack();
    let mut kinds = std::collections::BTreeSet::new();
    for journey in ["kiosk", "school"] {
        for lang in ["en", "km"] {
            let options = obj(&format!(
                r#"{{"journey": "{journey}", "languages": ["{lang}"], "seed": 11, "learner": "P-001", "nowMs": 1795000000000}}"#
            ));
            let mut s = Session::start(&pack, options).unwrap();
            for n in 0..500 {
                let step = s.step();
                let js: serde_json::Value =
                    serde_json::from_str(&String::from(JSON::stringify(&step).unwrap())).unwrap();
                let restored =
                    kru_core::Session::restore(std::sync::Arc::clone(&native), &s.snapshot())
                        .unwrap();
                let core = serde_json::to_value(restored.step()).unwrap();
                assert!(
                    same(&js, &core),
                    "{journey}/{lang}, step {n}:\n  view {js}\n  core {core}"
                );
                let kind = get_str(&step, "kind");
                kinds.insert(kind.clone());
                match kind.as_str() {
                    "done" => break,
                    "question" => {
                        // "I don't know" where it is offered (its feedback step too), else an answer.
                        let answer = dont_know_or_answer(&step, n);
                        s.answer(answer, 1_795_000_010_000.0).unwrap();
                    }
                    _ => go_on(&mut s, &step),
                }
            }
        }
    }
    for kind in ["question", "feedback", "page", "done"] {
        assert!(
            kinds.contains(kind),
            "no {kind} step was compared: {kinds:?}"
        );
    }
}

/// Equal JSON values, numbers compared as `f32` (the serde form writes a feedback's `f32`
/// credit in its shortest `f32` digits, the view as the `f64` of the same `f32`).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => {
            x.as_f64().map(|v| v as f32) == y.as_f64().map(|v| v as f32)
        }
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (V::Object(x), V::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `JSON.stringify` of `v` read back as a `serde_json` value.
fn json_of(v: &JsValue) -> serde_json::Value {
    serde_json::from_str(&String::from(JSON::stringify(v).unwrap())).unwrap()
}

/// Records and pack information are built by hand too (`plain.rs`); like the step objects they
/// must stay the core's serde form (`types.d.ts`). Whole kiosk and school journeys (with "I
/// don't know" answers, intake and story choices), finished and abandoned: the record
/// `finish()`/`abandon()` returns equals the record the core gives for the same session
/// (restored natively from the snapshot) serialised to JSON, with `seed`, `started_at` and
/// `ended_at` as `BigInt`s of the same values and `bytes` its frame. The pack's `journeys()`,
/// `languages()`, `coverage()`, `resources()` and `staleResources()` equal the core's
/// catalogue functions serialised to JSON, in English and Khmer.
#[wasm_bindgen_test]
fn records_and_pack_information_equal_the_cores_serde_form() {
    use kru_core::pack::catalogue;
    let native = native_pack();
    let pack = unsigned_pack();
    let mut answers = std::collections::BTreeSet::new();
    for journey in ["kiosk", "school"] {
        for (lang, finish) in [("en", true), ("km", true), ("en", false)] {
            let options = obj(&format!(
                r#"{{"journey": "{journey}", "languages": ["{lang}"], "seed": 0, "learner": "P-002", "nowMs": 1795000000000}}"#
            ));
            // A seed above 2^53 (a BigInt) so that the record's `seed` needs its 64 bits.
            Reflect::set(&options, &"seed".into(), &JsValue::from(u64::MAX - 6)).unwrap();
            let mut s = Session::start(&pack, options).unwrap();
            for n in 0..500 {
                let step = s.step();
                match get_str(&step, "kind").as_str() {
                    "done" => break,
                    _ if !finish && n == 12 => break,
                    "question" => {
                        let answer = dont_know_or_answer(&step, n);
                        s.answer(answer, 1_795_000_010_000.0 + f64::from(n))
                            .unwrap();
                    }
                    _ => go_on(&mut s, &step),
                }
            }
            let mut restored =
                kru_core::Session::restore(std::sync::Arc::clone(&native), &s.snapshot()).unwrap();
            let end = 1_795_000_090_000;
            let (record, core) = if finish {
                (s.finish(end as f64).unwrap(), restored.finish(end).unwrap())
            } else {
                (
                    s.abandon(end as f64).unwrap(),
                    restored.abandon(end).unwrap(),
                )
            };
            assert_eq!(get(&record, "seed"), JsValue::from(u64::MAX - 6));
            assert_eq!(get(&record, "seed"), JsValue::from(core.seed));
            assert_eq!(get(&record, "started_at"), JsValue::from(core.started_at));
            assert_eq!(get(&record, "ended_at"), JsValue::from(core.ended_at));
            assert_eq!(
                Uint8Array::from(get(&record, "bytes")).to_vec(),
                kru_core::record::log::encode_record(&core).unwrap()
            );
            for key in ["seed", "started_at", "ended_at", "bytes"] {
                Reflect::delete_property(record.unchecked_ref::<js_sys::Object>(), &key.into())
                    .unwrap();
            }
            let mut core_json = serde_json::to_value(&core).unwrap();
            for key in ["seed", "started_at", "ended_at"] {
                core_json.as_object_mut().unwrap().remove(key);
            }
            let js = json_of(&record);
            assert!(
                same(&js, &core_json),
                "{journey}/{lang}:\n  object {js}\n  core   {core_json}"
            );
            for r in &core.responses {
                let a = serde_json::to_value(&r.answer).unwrap();
                answers.insert(match a {
                    serde_json::Value::Object(m) => m.keys().next().unwrap().clone(),
                    other => other.to_string(),
                });
            }
        }
    }
    assert!(
        answers.len() >= 3 && answers.contains("\"DontKnow\""),
        "too few answer types compared: {answers:?}"
    );

    let later = 1_795_000_000_000.0 + 2.0 * 365.0 * 86_400_000.0;
    let today = kru_core::pack::Date::from_unix_ms(later as i64);
    for lang in ["en", "km"] {
        let chain = native.negotiate(&[lang]);
        let pairs = [
            (
                pack.journeys(Some(vec![lang.into()])).unwrap(),
                serde_json::to_value(catalogue::journeys(&native, &chain)).unwrap(),
            ),
            (
                pack.languages().unwrap(),
                serde_json::to_value(catalogue::languages(&native)).unwrap(),
            ),
            (
                pack.coverage().unwrap(),
                serde_json::to_value(catalogue::coverage(&native)).unwrap(),
            ),
            (
                pack.resources(later, Some(vec![lang.into()])).unwrap(),
                serde_json::to_value(catalogue::resources(&native, &chain, today)).unwrap(),
            ),
        ];
        for (object, core) in pairs {
            let js = json_of(&object);
            assert!(
                js.as_array().is_some_and(|a| !a.is_empty()),
                "empty list: {js}"
            );
            assert!(same(&js, &core), "{lang}:\n  object {js}\n  core   {core}");
        }
    }
    let default = [native.meta.default_language];
    let stale: Vec<_> = catalogue::resources(&native, &default, today)
        .into_iter()
        .filter(|r| r.stale)
        .collect();
    assert!(!stale.is_empty());
    assert!(same(
        &json_of(&pack.stale_resources(later).unwrap()),
        &serde_json::to_value(stale).unwrap()
    ));
}
