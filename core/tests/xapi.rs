//! Result records ↔ xAPI statements: lossless both ways on simulated cohorts, the same
//! cohort report from statements as from the results log, and hostile statements skipped and
//! counted, never a panic.

mod common;

use common::simulated;

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use kru_core::record::log;
use kru_core::report::{self, ReportOptions};
use kru_core::xapi::{self, record_statements, StatementReader, XapiOptions};
use kru_core::{Pack, ResultRecord};
use proptest::prelude::*;
use serde_json::{json, Value};

const OPTS: XapiOptions<'static> = XapiOptions {
    home_page: "https://kru.example.org/pilot",
    pack_signer: Some("0123456789abcdef"),
};

/// The safe-migration pack, compiled once.
fn pack() -> Arc<Pack> {
    static PACK: OnceLock<Arc<Pack>> = OnceLock::new();
    PACK.get_or_init(common::safe_migration).clone()
}

fn statements_of(pack: &Pack, records: &[ResultRecord]) -> Vec<Value> {
    records
        .iter()
        .flat_map(|r| record_statements(r, pack, &OPTS).unwrap())
        .collect()
}

fn read_back(pack: &Pack, statements: &[Value]) -> (Vec<ResultRecord>, xapi::ReadCounts) {
    let mut reader = StatementReader::new(pack);
    for s in statements {
        reader.push(s);
    }
    reader.finish()
}

/// A deterministic shuffle (an LRS returns statements newest first, in pages).
fn shuffled(mut v: Vec<Value>, seed: u64) -> Vec<Value> {
    let mut s = common::Script(seed);
    for i in (1..v.len()).rev() {
        let j = usize::from(s.next(i + 1));
        v.swap(i, j);
    }
    v
}

fn sorted(mut records: Vec<ResultRecord>) -> Vec<ResultRecord> {
    records.sort_by(|a, b| {
        a.started_at
            .cmp(&b.started_at)
            .then_with(|| a.record_id.cmp(&b.record_id))
    });
    records
}

#[test]
fn xapi_records_round_trip_through_statements() {
    let pack = pack();
    for (journey, seed) in [("school", 21), ("kiosk", 22)] {
        let records = simulated(&pack, journey, 150, seed, 0.25);
        assert!(records.iter().any(|r| !r.completed));
        let statements = shuffled(statements_of(&pack, &records), seed);
        let (back, counts) = read_back(&pack, &statements);
        assert_eq!(back, sorted(records.clone()), "{journey}");
        assert_eq!(counts.records, 150);
        assert_eq!(counts.skipped(), 0, "{counts:?}");
        assert_eq!(counts.accepted, statements.len() as u64);
        assert_eq!(counts.incomplete_records + counts.inconsistent_records, 0);
    }
}

#[test]
fn xapi_statements_to_records_give_the_log_report_byte_for_byte() {
    let pack = pack();
    let records = simulated(&pack, "school", 400, 31, 0.15);
    let mut log = Vec::new();
    for r in &records {
        log.extend(log::encode_record(r).unwrap());
    }
    let statements = shuffled(statements_of(&pack, &records), 5);
    // Through JSON text, as an LRS hands them back.
    let text = serde_json::to_string(&json!({ "statements": statements, "more": "" })).unwrap();
    let mut reader = StatementReader::new(&pack);
    assert_eq!(reader.push_json(&text).unwrap(), None);
    let (back, _) = reader.finish();
    for by in [None, Some("sex"), Some("province")] {
        let options = ReportOptions {
            by: by.map(String::from),
            ..ReportOptions::default()
        };
        let from_log = report::report_log(&pack, &options, &log).unwrap();
        let from_lrs = report::report(&pack, &options, &back).unwrap();
        assert_eq!(
            serde_json::to_string_pretty(&from_log).unwrap(),
            serde_json::to_string_pretty(&from_lrs).unwrap(),
            "by {by:?}"
        );
    }
}

#[test]
fn xapi_statements_follow_the_profile() {
    let pack = pack();
    let records = simulated(&pack, "school", 60, 41, 0.3);
    let statements = statements_of(&pack, &records);
    let mut ids = BTreeSet::new();
    let mut types = BTreeSet::new();
    let mut verbs = BTreeSet::new();
    for s in &statements {
        assert!(
            ids.insert(s["id"].as_str().unwrap().to_string()),
            "ids unique"
        );
        verbs.insert(s["verb"]["id"].as_str().unwrap().to_string());
        // Privacy: an account, nothing else about the person.
        let actor = s["actor"].as_object().unwrap();
        assert_eq!(
            actor.keys().collect::<Vec<_>>(),
            ["account", "objectType"],
            "{actor:?}"
        );
        assert_eq!(s["actor"]["account"]["homePage"], OPTS.home_page);
        let ctx = &s["context"];
        assert!(ctx["registration"].as_str().unwrap().len() == 36);
        let grouping = ctx["contextActivities"]["grouping"].as_array().unwrap();
        assert!(grouping[0]["id"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/safe-migration@{}", pack.meta.version)));
        if s["verb"]["id"] == xapi::verbs::ANSWERED {
            let def = &s["object"]["definition"];
            let t = def["interactionType"].as_str().unwrap();
            types.insert(t.to_string());
            if t != "likert" {
                assert!(def["correctResponsesPattern"].as_array().is_some(), "{s}");
                let scaled = s["result"]["score"]["scaled"].as_f64().unwrap();
                assert!((0.0..=1.0).contains(&scaled));
                assert!(s["result"]["success"].is_boolean());
            }
            assert!(ctx["contextActivities"]["parent"][0]["id"]
                .as_str()
                .unwrap()
                .contains("/phases/"));
        }
        if s["verb"]["id"] == xapi::verbs::ATTEMPTED
            && s["object"]["id"]
                .as_str()
                .unwrap()
                .ends_with("/journeys/school")
        {
            let ext = &ctx["extensions"];
            assert_eq!(ext[xapi::extensions::PACK_SIGNER], "0123456789abcdef");
            assert!(ext[xapi::extensions::FORM_ORDER].as_array().unwrap().len() == 2);
            assert!(!ext[xapi::extensions::INTAKE].as_array().unwrap().is_empty());
        }
    }
    for t in [
        "choice",
        "true-false",
        "sequencing",
        "matching",
        "fill-in",
        "numeric",
        "likert",
    ] {
        assert!(types.contains(t), "{t} missing from {types:?}");
    }
    for v in [
        xapi::verbs::ANSWERED,
        xapi::verbs::ATTEMPTED,
        xapi::verbs::COMPLETED,
        xapi::verbs::ABANDONED,
    ] {
        assert!(verbs.contains(v), "{v} missing");
    }
    // The same record gives the same statements.
    assert_eq!(statements, statements_of(&pack, &records));
}

#[test]
fn xapi_responses_in_the_spec_format() {
    let pack = pack();
    let records = simulated(&pack, "school", 30, 51, 0.0);
    for s in statements_of(&pack, &records) {
        if s["verb"]["id"] != xapi::verbs::ANSWERED {
            continue;
        }
        let t = s["object"]["definition"]["interactionType"]
            .as_str()
            .unwrap();
        let Some(resp) = s["result"]["response"].as_str() else {
            assert!(t == "choice" || t == "fill-in" || t == "numeric", "{s}");
            continue;
        };
        let ok = match t {
            "true-false" => resp == "true" || resp == "false",
            "choice" | "sequencing" => resp.split("[,]").all(|p| p.parse::<u16>().is_ok()),
            "matching" => resp.split("[,]").all(|p| {
                p.split_once("[.]")
                    .is_some_and(|(a, b)| a.parse::<u16>().is_ok() && b.parse::<u16>().is_ok())
            }),
            "numeric" => resp.parse::<f64>().is_ok() || s["result"]["extensions"].is_null(),
            "likert" => resp.parse::<u16>().is_ok(),
            _ => true,
        };
        assert!(ok, "{t}: {resp}");
    }
}

fn kru_statement(pack: &Pack) -> (Vec<Value>, ResultRecord) {
    let records = simulated(&Arc::new(pack.clone()), "kiosk", 1, 61, 0.0);
    let r = records.into_iter().next().unwrap();
    (record_statements(&r, pack, &OPTS).unwrap(), r)
}

#[test]
fn xapi_foreign_malformed_and_unfit_statements_are_skipped_and_counted() {
    let pack = pack();
    let (statements, record) = kru_statement(&pack);
    let answered = statements
        .iter()
        .position(|s| s["verb"]["id"] == xapi::verbs::ANSWERED)
        .unwrap();
    let mut all = statements.clone();

    // Another tool's statement.
    all.push(json!({
        "id": "12345678-1234-4234-8234-123456789abc",
        "actor": { "mbox": "mailto:someone@example.org" },
        "verb": { "id": "http://adlnet.gov/expapi/verbs/experienced" },
        "object": { "id": "https://example.org/video/1" },
        "timestamp": "2026-01-01T00:00:00Z"
    }));
    all.push(json!(42));
    // Another pack.
    let mut other = statements[answered].clone();
    other["context"]["contextActivities"]["grouping"][0]["id"] =
        json!("https://w3id.org/xapi/kru/packs/other-pack@1.0.0");
    all.push(other);
    // Malformed: no record id; a bad timestamp.
    let mut m1 = statements[answered].clone();
    m1["context"]["extensions"]
        .as_object_mut()
        .unwrap()
        .remove(xapi::extensions::RECORD_ID);
    all.push(m1);
    let mut m2 = statements[answered].clone();
    m2["timestamp"] = json!("yesterday");
    all.push(m2);
    // Unfit: an answer out of range for its item, an unknown item.
    let mut u1 = statements[answered].clone();
    u1["result"]["response"] = json!("99");
    u1["context"]["extensions"][xapi::extensions::RECORD_ID] =
        json!("00000000000000000000000000000001");
    all.push(u1);
    let mut u2 = statements[answered].clone();
    u2["object"]["id"] = json!("https://w3id.org/xapi/kru/packs/safe-migration/items/no-such-item");
    all.push(u2);
    // A duplicate.
    all.push(statements[0].clone());

    let (back, counts) = read_back(&pack, &all);
    assert_eq!(back, vec![record]);
    assert_eq!(counts.other_tool, 2);
    assert_eq!(counts.other_pack, 1);
    assert_eq!(counts.malformed, 2);
    assert_eq!(counts.unfit_response, 2);
    assert_eq!(counts.duplicates, 1);
    assert_eq!(counts.statements, all.len() as u64);
    assert!(!counts.examples.is_empty());

    // A record missing one statement is not rebuilt, and is counted.
    let mut missing = statements.clone();
    missing.remove(answered);
    let (back, counts) = read_back(&pack, &missing);
    assert!(back.is_empty());
    assert_eq!(counts.incomplete_records, 1);

    // A duplicate that disagrees with the first copy makes the record inconsistent.
    let mut changed = statements.clone();
    let mut c = statements[answered].clone();
    c["timestamp"] = json!("1990-01-01T00:00:00Z");
    changed.push(c);
    let (back, counts) = read_back(&pack, &changed);
    assert!(back.is_empty());
    assert_eq!(counts.inconsistent_records, 1);
}

#[test]
fn xapi_pages_that_are_not_statements_are_errors() {
    let pack = pack();
    let mut reader = StatementReader::new(&pack);
    for bad in [
        "<html><body>502 Bad Gateway</body></html>",
        "",
        "{\"statements\": 3}",
        "{\"statements\": [], \"more\": 7}",
        "12",
        "[1, 2",
    ] {
        assert!(reader.push_json(bad).is_err(), "{bad}");
    }
    assert_eq!(
        reader
            .push_json("{\"statements\": [], \"more\": \"/xAPI/statements?x=1\"}")
            .unwrap()
            .as_deref(),
        Some("/xAPI/statements?x=1")
    );
    assert_eq!(reader.counts().statements, 0);
}

#[test]
fn xapi_records_that_do_not_fit_the_pack_are_refused() {
    let pack = pack();
    let (_, record) = kru_statement(&pack);
    let mut r = record.clone();
    r.pack_id = "other".into();
    assert!(matches!(
        record_statements(&r, &pack, &OPTS),
        Err(xapi::XapiError::OtherPack { .. })
    ));
    let mut r = record.clone();
    r.responses[0].item = 9999;
    assert!(matches!(
        record_statements(&r, &pack, &OPTS),
        Err(xapi::XapiError::UnknownItem(9999))
    ));
    let mut r = record.clone();
    r.journey = "nowhere".into();
    assert!(record_statements(&r, &pack, &OPTS).is_err());
    let bad_home = XapiOptions {
        home_page: "kru.example.org",
        pack_signer: None,
    };
    assert!(matches!(
        record_statements(&record, &pack, &bad_home),
        Err(xapi::XapiError::HomePage(_))
    ));
    let mut r = record.clone();
    r.started_at = i64::MAX - 5;
    assert!(matches!(
        record_statements(&r, &pack, &OPTS),
        Err(xapi::XapiError::Timestamp(_))
    ));
    // Undeclared intake fields never leave the device.
    let mut r = record.clone();
    r.demographics.push(("name".into(), "Sokha".into()));
    let text = xapi::record_statements_json(&r, &pack, &OPTS).unwrap();
    assert!(!text.contains("Sokha"));
}

#[test]
fn xapi_records_without_answers_or_language_round_trip() {
    let pack = pack();
    let (_, record) = kru_statement(&pack);
    let mut bare = record.clone();
    bare.responses.clear();
    bare.story_path.clear();
    bare.demographics.clear();
    bare.forms.clear();
    bare.language.clear();
    bare.completed = false;
    bare.seed = u64::MAX;
    let statements = record_statements(&bare, &pack, &OPTS).unwrap();
    assert_eq!(statements.len(), 2, "start and end only");
    let (back, counts) = read_back(&pack, &statements);
    assert_eq!(back, vec![bare]);
    assert_eq!(counts.records, 1);
}

/// Replaces the value at a pseudo-random path of a JSON tree.
fn mutate(v: &mut Value, path: &[u16], replacement: &Value) {
    let Some((&first, rest)) = path.split_first() else {
        *v = replacement.clone();
        return;
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(usize::from(first) % m.len()).unwrap().clone();
            if rest.is_empty() && first % 5 == 0 {
                m.remove(&key);
            } else {
                mutate(m.get_mut(&key).unwrap(), rest, replacement);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let n = a.len();
            mutate(&mut a[usize::from(first) % n], rest, replacement);
        }
        _ => *v = replacement.clone(),
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[0-9\\[\\],.:a-z-]{0,12}".prop_map(Value::from),
        Just(json!("1[.]0[,]0[.]1")),
        Just(json!("2026-13-01T00:00:00Z")),
        Just(json!([])),
        Just(json!({})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any mutation of one statement: no panic, and a record comes back either exactly as
    /// it was or not at all (counted).
    #[test]
    fn xapi_mutated_statements_never_panic_nor_invent(
        which in 0usize..64,
        path in proptest::collection::vec(any::<u16>(), 0..7),
        replacement in any_json(),
    ) {
        let pack = pack();
        let (mut statements, record) = kru_statement(&pack);
        let n = statements.len();
        mutate(&mut statements[which % n], &path, &replacement);
        let (back, counts) = read_back(&pack, &statements);
        prop_assert!(back.len() <= 1);
        if let Some(b) = back.first() {
            // A mutation the reader does not need (a definition, a phase score) is harmless;
            // one it needs must change nothing it rebuilds or be refused.
            let same_answers = b.responses.len() == record.responses.len();
            prop_assert!(same_answers);
        } else {
            prop_assert!(counts.skipped() + counts.incomplete_records + counts.inconsistent_records > 0);
        }
    }

    /// Arbitrary text as an LRS answer: an error or a count, never a panic.
    #[test]
    fn xapi_arbitrary_pages_never_panic(text in ".{0,200}") {
        let pack = pack();
        let mut reader = StatementReader::new(&pack);
        let _ = reader.push_json(&text);
        let _ = reader.finish();
    }
}
