//! "I don't know" (issue 15, item 6) through the engine, on the real safe-migration pack:
//! offered where the pack says, refused elsewhere, scored zero, recorded apart (record
//! version 4), kept by snapshots, carried by xAPI and counted by the report.

mod common;

use std::sync::Arc;

use common::*;
use kru_core::authoring::compile;
use kru_core::record::log;
use kru_core::report::{self, ReportOptions};
use kru_core::session::step::Step;
use kru_core::{Answer, Pack, ResultRecord, Session, SessionError};
use proptest::prelude::*;

/// Plays a journey: at each question, `dont_know(n)` (n = 0-based question count) says whether
/// to answer "I don't know" where it is offered, else the script answers. The script is
/// consumed the same either way (on a copy of the session), so that two plays with the same
/// script differ only where `dont_know` says.
fn play(
    session: &mut Session,
    script: &mut Script,
    mut dont_know: impl FnMut(usize) -> bool,
) -> ResultRecord {
    let mut n = 0usize;
    let mut now = 1_790_000_000_000;
    loop {
        now += 1000;
        match session.step() {
            Step::Done(_) => break,
            Step::Question(q) if q.dont_know => {
                let dk = dont_know(n);
                n += 1;
                if dk {
                    let mut copy = session.clone();
                    assert!(act(&mut copy, script, now));
                    session.answer(Answer::DontKnow, now).unwrap();
                    continue;
                }
            }
            Step::Question(_) => n += 1,
            _ => {}
        }
        assert!(act(session, script, now));
    }
    session.finish(now).unwrap()
}

#[test]
fn the_kiosk_offers_it_on_every_knowledge_question_and_scores_it_zero() {
    let pack = safe_migration();
    let mut s = start(&pack, "kiosk", 3);
    let mut offered = 0;
    let mut feedback_dk = 0;
    let mut now = 1_790_000_000_000;
    loop {
        now += 1000;
        let step = s.step();
        match &step {
            Step::Done(_) => break,
            Step::Question(q) => {
                assert!(
                    q.dont_know,
                    "kiosk question {} offers \"I don't know\"",
                    q.item
                );
                offered += 1;
                drop(step);
                s.answer(Answer::DontKnow, now).unwrap();
                continue;
            }
            Step::Feedback(f) => {
                assert!(f.dont_know && !f.correct && f.credit == 0.0);
                assert!(
                    !f.right_answer.is_empty() || f.right_bool.is_some(),
                    "the review shows the right answer"
                );
                feedback_dk += 1;
            }
            _ => {}
        }
        drop(step);
        s.advance(now).unwrap();
    }
    let record = s.finish(now).unwrap();
    assert_eq!(offered, 10, "five questions before and five after");
    assert_eq!(feedback_dk, 5, "the post-test's review goes over each");
    assert!(record.responses.iter().all(|r| r.answer == Answer::DontKnow
        && !r.correct
        && r.credit == kru_core::credit::Credit::ZERO));
    let scores = record.scores();
    assert_eq!(
        (scores.pre.unwrap().score, scores.pre.unwrap().max),
        (0.0, 5.0)
    );
    assert_eq!(
        (scores.post.unwrap().score, scores.post.unwrap().max),
        (0.0, 5.0)
    );
    // Record version 4 (tag 3), read back the same.
    let bytes = record.to_bytes().unwrap();
    assert_eq!(bytes[0], 3);
    assert_eq!(ResultRecord::from_bytes(&bytes).unwrap(), record);
}

#[test]
fn a_journey_without_it_refuses_it_and_stays_unchanged() {
    let pack = safe_migration();
    let mut s = start(&pack, "school", 1);
    let mut script = Script(9);
    // Past the intake to the first question.
    while !matches!(s.step(), Step::Question(_)) {
        assert!(act(&mut s, &mut script, 1_790_000_000_000));
    }
    let Step::Question(q) = s.step() else {
        unreachable!()
    };
    assert!(!q.dont_know);
    let before = s.snapshot();
    let e = s.answer(Answer::DontKnow, 1_790_000_001_000).unwrap_err();
    assert!(matches!(e, SessionError::DontKnowNotOffered { .. }), "{e}");
    assert_eq!(e.code().name(), "dont-know-not-offered");
    assert_eq!(e.code().number(), 212);
    assert!(e.to_string().contains("does not offer"), "{e}");
    assert_eq!(s.snapshot(), before, "the session is unchanged");
}

/// The pack with the school journey's practice phase offering "I don't know" and asking an
/// attitude item among its knowledge items.
fn mixed_practice() -> Arc<Pack> {
    let mut files = sources(&pack_dir());
    edit(
        &mut files,
        "pack.toml",
        "select = { items = [\"practice-broker-agency\", ",
        "dont_know = true\nselect = { items = [\"att-trust-broker\", \"practice-broker-agency\", ",
    );
    let c = compile(&files, None);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    Arc::new(c.pack.unwrap())
}

#[test]
fn an_attitude_item_never_offers_it_even_in_a_phase_that_does() {
    let pack = mixed_practice();
    let mut s = start(&pack, "school", 2);
    let mut script = Script(5);
    let mut seen_likert = false;
    let mut seen_knowledge = false;
    for _ in 0..400 {
        let (likert, offered, phase) = match s.step() {
            Step::Question(q) => (q.expects == "scale", q.dont_know, q.phase.to_string()),
            Step::Done(_) => break,
            _ => {
                assert!(act(&mut s, &mut script, 1_790_000_000_000));
                continue;
            }
        };
        if phase == "practice" && likert {
            assert!(!offered);
            seen_likert = true;
            let e = s.answer(Answer::DontKnow, 1_790_000_000_000).unwrap_err();
            assert!(matches!(e, SessionError::DontKnowNotOffered { .. }));
        } else if phase == "practice" {
            assert!(offered);
            if !seen_knowledge {
                seen_knowledge = true;
                s.answer(Answer::DontKnow, 1_790_000_000_000).unwrap();
                let Step::Feedback(f) = s.step() else {
                    panic!("practice gives feedback after each answer")
                };
                assert!(f.dont_know && !f.correct);
                continue;
            }
        } else {
            assert!(!offered, "phase {phase} does not offer it");
        }
        assert!(act(&mut s, &mut script, 1_790_000_000_000));
    }
    assert!(seen_likert && seen_knowledge);
}

#[test]
fn the_validator_refuses_it_where_there_is_nothing_to_know() {
    let mut files = sources(&pack_dir());
    // The attitude pre-test asks only Likert items.
    edit(
        &mut files,
        "pack.toml",
        "id = \"attitude-pre\"\nkind = \"pre-test\"\n",
        "id = \"attitude-pre\"\nkind = \"pre-test\"\ndont_know = true\n",
    );
    let c = compile(&files, None);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == "dont-know-without-knowledge-items")
        .expect("an error for dont_know on an attitude-only phase");
    assert!(d.message.contains("attitude-pre"), "{}", d.message);
    assert!(c.pack.is_none());

    // On a lesson phase it is an unknown key.
    let mut files = sources(&pack_dir());
    edit(
        &mut files,
        "pack.toml",
        "lessons = [\"micro-lesson\"]",
        "lessons = [\"micro-lesson\"]\ndont_know = true",
    );
    let c = compile(&files, None);
    assert!(c.pack.is_none());
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.message.contains("dont_know")),
        "{:?}",
        c.diagnostics
    );
}

#[test]
fn the_pack_file_carries_the_setting_and_old_packs_keep_their_bytes() {
    let pack = safe_migration();
    let bytes = kru_core::pack::format::encode(&pack).unwrap();
    let back = kru_core::pack::signature::load(
        &bytes,
        &kru_core::pack::signature::TrustPolicy::default().allow_unsigned(),
    )
    .unwrap();
    assert_eq!(&back, &*pack);
    let kiosk = &back.journeys[back.journey_index("kiosk").unwrap()];
    let offered: Vec<&str> = kiosk
        .phases
        .iter()
        .filter(
            |p| matches!(&p.content, kru_core::pack::journey::PhaseContent::Quiz(q) if q.dont_know),
        )
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(offered, ["pre", "post"]);
    // Without the setting, the payload is the one it was before the setting existed: no
    // trailing section.
    let mut plain = (*pack).clone();
    for j in &mut plain.journeys {
        for p in &mut j.phases {
            if let kru_core::pack::journey::PhaseContent::Quiz(q) = &mut p.content {
                q.dont_know = false;
            }
        }
    }
    let with = kru_core::pack::format::encode_payload(&pack).unwrap();
    let without = kru_core::pack::format::encode_payload(&plain).unwrap();
    assert!(
        with.starts_with(&without),
        "the setting only adds bytes at the end"
    );
    // …ending with the list of the phases: (journey index, phase index) pairs.
    let k = pack.journey_index("kiosk").unwrap() as u8;
    assert!(
        with.ends_with(&[2, k, 0, k, 2]),
        "{:?}",
        &with[with.len() - 5..]
    );
    // A listed phase that is not a quiz phase is refused.
    let mut bad = with.clone();
    let n = bad.len();
    bad[n - 1] = 1; // the kiosk's lesson phase
    assert!(kru_core::pack::format::decode_plain_payload(&bad, 0).is_err());
}

#[test]
fn snapshots_keep_dont_know_answers() {
    let pack = safe_migration();
    let mut s = start(&pack, "kiosk", 11);
    let mut script = Script(1);
    while !matches!(s.step(), Step::Question(_)) {
        assert!(act(&mut s, &mut script, 1_790_000_000_000));
    }
    s.answer(Answer::DontKnow, 1_790_000_002_000).unwrap();
    let snap = s.snapshot();
    let restored = Session::restore(pack.clone(), &snap).unwrap();
    assert_eq!(restored.responses(), s.responses());
    assert_eq!(restored.responses()[0].answer, Answer::DontKnow);
}

#[test]
fn xapi_says_dont_know_and_reads_it_back() {
    let pack = safe_migration();
    let mut s = start(&pack, "kiosk", 4);
    let record = play(&mut s, &mut Script(2), |n| n % 3 == 0);
    let options = kru_core::xapi::XapiOptions {
        home_page: "https://kru.example.org/pilot",
        pack_signer: None,
    };
    let statements = kru_core::xapi::record_statements(&record, &pack, &options).unwrap();
    let answered: Vec<&serde_json::Value> = statements
        .iter()
        .filter(|st| st["verb"]["id"].as_str().unwrap().ends_with("/answered"))
        .collect();
    assert_eq!(answered.len(), record.responses.len());
    let mut dk = 0;
    for (st, r) in answered.iter().zip(&record.responses) {
        let ext = &st["result"]["extensions"]["https://w3id.org/xapi/kru/extensions/dont-know"];
        if r.answer == Answer::DontKnow {
            dk += 1;
            assert_eq!(ext, &serde_json::Value::Bool(true));
            assert!(st["result"].get("response").is_none(), "no response: {st}");
            assert_eq!(st["result"]["success"], false);
            assert_eq!(st["result"]["score"]["scaled"], 0.0);
        } else {
            assert!(ext.is_null());
        }
    }
    assert!(dk >= 3);
    let mut reader = kru_core::xapi::StatementReader::new(&pack);
    for st in &statements {
        reader.push(st);
    }
    let (back, _) = reader.finish();
    let got = &back[0];
    let answers = |r: &ResultRecord| {
        r.responses
            .iter()
            .map(|x| x.answer.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(answers(got), answers(&record));
}

#[test]
fn the_report_counts_dont_know_before_and_after() {
    let pack = safe_migration();
    let mut log_bytes = Vec::new();
    let mut records = Vec::new();
    // Six visitors: in the pre-test two of five questions "I don't know", in the post-test one
    // of five for the first three visitors and none for the others.
    for v in 0..6u64 {
        let mut s = start(&pack, "kiosk", 100 + v);
        let r = play(&mut s, &mut Script(v), |n| match n {
            0 | 1 => true,
            5 => v < 3,
            _ => false,
        });
        log_bytes.extend(log::encode_record(&r).unwrap());
        records.push(r);
    }
    let options = ReportOptions {
        journey: Some("kiosk".into()),
        small_group: 1,
        ..ReportOptions::default()
    };
    let rep = report::report_log(&pack, &options, &log_bytes).unwrap();
    let dk = &rep.cohort.dont_know;
    assert_eq!((dk.pre.dont_know, dk.pre.responses), (12, 30));
    assert_eq!((dk.post.dont_know, dk.post.responses), (3, 30));
    assert_eq!(dk.pre.percent, Some(40.0));
    assert_eq!(dk.post.percent, Some(10.0));
    assert_eq!(dk.change, Some(-30.0));
    // Per item: the counts add up to the totals, and each rate is count / n.
    let pre: u64 = rep.cohort.items.iter().map(|i| i.pre.dont_know).sum();
    assert_eq!(pre, 12);
    for i in &rep.cohort.items {
        if i.pre.n > 0 {
            assert_eq!(
                i.pre.dont_know_rate,
                Some(i.pre.dont_know as f64 / i.pre.n as f64)
            );
        }
    }
    // The same figures from the decoded records (the report's two readers agree).
    let rep2 = report::report(&pack, &options, &records).unwrap();
    assert_eq!(rep2.cohort.dont_know, rep.cohort.dont_know);
    // CSV: summary rows, and the responses readable.
    let csv = report::render_csv(&rep);
    assert!(csv.contains("dont_know,,pre,dont_know,12"), "{csv}");
    assert!(csv.contains("dont_know,,change,points,-30"), "{csv}");
    let responses = report::responses_csv(&pack, &records);
    assert!(responses.contains(",dk,(don't know),"), "{responses}");
    // HTML: its own table.
    // The page in English (the pack's first language is Khmer, and the page speaks it).
    let en = pack.languages.iter().position(|l| l.tag == "en").unwrap();
    let html = report::render_html(&rep, &pack, en);
    assert!(html.contains("data-dont-know=\"all\""));
    assert!(
        html.contains("12 of 30 (40%)"),
        "pre-test total in the page"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Answering "I don't know" instead never raises a score: per answer and per test.
    #[test]
    fn dont_know_never_scores_above_the_answer_it_replaces(seed in 0u64..1000, script in 0u64..1000, mask in 0u32..1024) {
        let pack = safe_migration();
        let mut a = start(&pack, "kiosk", seed);
        let ra = play(&mut a, &mut Script(script), |_| false);
        let mut b = start(&pack, "kiosk", seed);
        let rb = play(&mut b, &mut Script(script), |n| mask & (1 << n) != 0);
        prop_assert_eq!(ra.responses.len(), rb.responses.len());
        for (x, y) in ra.responses.iter().zip(&rb.responses) {
            prop_assert_eq!(x.item, y.item);
            prop_assert!(y.credit.to_f64() <= x.credit.to_f64());
            if y.answer == Answer::DontKnow {
                prop_assert!(!y.correct);
            }
        }
        let (sa, sb) = (ra.scores(), rb.scores());
        prop_assert!(sb.pre.unwrap().score <= sa.pre.unwrap().score);
        prop_assert!(sb.post.unwrap().score <= sa.post.unwrap().score);
        prop_assert_eq!(sb.pre.unwrap().max, sa.pre.unwrap().max);
    }
}
