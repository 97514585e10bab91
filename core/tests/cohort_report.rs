//! The cohort report: hand-computed cohorts, missing post-tests, tiny groups, warnings, Likert,
//! grouping, the renderers (HTML escaping, CSV shape), JSON round trip, and agreement with
//! `kru_core::report::stats` and with the full record decoder.

mod common;

use common::simulated;
mod tiny;

use std::sync::Arc;

use kru_core::pack::item::{Answer, Item, ItemKind};
use kru_core::pack::journey::{PhaseContent, PhaseKind, Selection};
use kru_core::pack::text::Text;
use kru_core::pack::{IntakeField, IntakeOption, Pack, Version};
use kru_core::record::log;
use kru_core::record::ResponseRecord;
use kru_core::report::stats;
use kru_core::report::{
    self, CohortReport, CohortReportBuilder, GroupReport, McNemarKind, ReliabilityMethod,
    ReportError, ReportOptions, WarningCode, NOT_ANSWERED,
};
use kru_core::ResultRecord;
use proptest::prelude::*;

const T0: i64 = 1_790_000_000_000;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn assert_close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what} is None, expected {b}"));
    assert!(close(a, b), "{what}: {a} != {b}");
}

/// A response to the tiny pack: item 0 ("which", single choice, right = 0) or item 1 ("type",
/// text, right = "1288"); phase 0 is the pre-test, phase 2 the post-test.
fn resp(phase: u8, item: u16, right: bool) -> ResponseRecord {
    let answer = match (item, right) {
        (0, true) => Answer::Choice(0),
        (0, false) => Answer::Choice(2),
        (_, true) => Answer::Text("1288".into()),
        (_, false) => Answer::Text("911".into()),
    };
    ResponseRecord {
        phase,
        phase_kind: if phase == 0 {
            PhaseKind::PreTest
        } else {
            PhaseKind::PostTest
        },
        item,
        answer,
        credit: kru_core::credit::Credit::all_or_nothing(right),
        correct: right,
        at_offset_ms: 1000,
    }
}

/// A record of the tiny pack's kiosk journey: `pre` and `post` are (which right, type right).
fn record(
    n: u8,
    pre: Option<(bool, bool)>,
    post: Option<(bool, bool)>,
    completed: bool,
) -> ResultRecord {
    let mut responses = Vec::new();
    if let Some((a, b)) = pre {
        responses.push(resp(0, 0, a));
        responses.push(resp(0, 1, b));
    }
    if let Some((a, b)) = post {
        responses.push(resp(2, 0, a));
        responses.push(resp(2, 1, b));
    }
    ResultRecord {
        record_id: [n; 16],
        learner: format!("L{n}"),
        pack_id: "tiny".into(),
        pack_version: Version {
            major: 1,
            minor: 0,
            patch: 0,
        },
        journey: "kiosk".into(),
        language: "en".into(),
        seed: u64::from(n),
        forms: vec![],
        started_at: T0 + i64::from(n) * 60_000,
        ended_at: T0 + i64::from(n) * 60_000 + 300_000,
        completed,
        demographics: vec![],
        responses,
        story_path: vec![],
    }
}

/// Five learners with known scores:
/// A 50 % → 100 %, B 0 % → 50 %, C 100 % → 100 % (completed);
/// D 50 % and left during the lesson; E left in the middle of the pre-test.
fn hand_cohort() -> Vec<ResultRecord> {
    let mut e = record(5, Some((true, false)), None, false);
    e.responses.truncate(1);
    vec![
        record(1, Some((true, false)), Some((true, true)), true),
        record(2, Some((false, false)), Some((true, false)), true),
        record(3, Some((true, true)), Some((true, true)), true),
        record(4, Some((false, true)), None, false),
        e,
    ]
}

fn opts(min_n: u32) -> ReportOptions {
    ReportOptions {
        min_n,
        ..ReportOptions::default()
    }
}

fn codes(g: &GroupReport) -> Vec<WarningCode> {
    g.warnings.iter().map(|w| w.code).collect()
}

fn log_of(records: &[ResultRecord]) -> Vec<u8> {
    records
        .iter()
        .flat_map(|r| log::encode_record(r).unwrap())
        .collect()
}

#[test]
fn hand_computed_cohort() {
    let pack = tiny::tiny_pack();
    let records = hand_cohort();
    let r = report::report(&pack, &opts(3), &records).unwrap();
    let c = &r.cohort;
    let l = c.learners;
    assert_eq!(
        (
            l.records,
            l.completed,
            l.abandoned,
            l.with_pre,
            l.with_post,
            l.paired,
            l.pre_only,
            l.post_only,
            l.no_test
        ),
        (5, 3, 2, 4, 3, 3, 1, 0, 1)
    );
    // Every learner with a complete pre-test, paired or not: (50 + 0 + 100 + 50) / 4.
    assert_eq!(c.pre.n, 4);
    assert_close(c.pre.mean, 50.0, "pre mean");
    assert_close(c.post.mean, 250.0 / 3.0, "post mean");
    let p = &c.paired;
    assert_eq!(p.n, 3);
    assert_close(p.pre.mean, 50.0, "paired pre mean");
    assert_close(p.post.mean, 250.0 / 3.0, "paired post mean");
    assert_close(p.gain.mean, 100.0 / 3.0, "mean gain");
    assert_close(p.pre.sd, 50.0, "paired pre sd");
    // ⟨g⟩ = (83.3 − 50) / (100 − 50); per learner: A 1, B 0.5, C excluded (pre 100 %).
    assert_close(p.class_normalised_gain, 2.0 / 3.0, "class gain");
    assert_close(p.mean_normalised_gain, 0.75, "mean individual gain");
    assert_eq!((p.normalised_gain_n, p.excluded_at_ceiling), (2, 1));
    // The tests are those of kru_core::report::stats on the same percentages.
    let (pre, post) = ([50.0, 0.0, 100.0], [100.0, 50.0, 100.0]);
    let t = stats::paired_t_test(&pre, &post).unwrap();
    let rt = p.t_test.unwrap();
    assert_eq!((rt.t, rt.df, rt.p_value), (t.t, t.df, t.p_value));
    let d = stats::cohens_dz(&pre, &post).unwrap();
    let rd = p.cohens_dz.unwrap();
    assert_eq!((rd.d, rd.ci_low, rd.ci_high), (d.d, d.ci_low, d.ci_high));
    let w = stats::wilcoxon_signed_rank(&pre, &post).unwrap();
    assert_eq!(p.wilcoxon.unwrap().p_value, w.p_value);
    assert_eq!(p.wilcoxon.unwrap().n_zero, 1);
    // Gains +50, +50, 0.
    let hist: Vec<(f64, u64)> = c
        .gain_histogram
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| (b.center, b.count))
        .collect();
    assert_eq!(hist, vec![(0.0, 1), (50.0, 2)]);

    // Items: "which" right pre by A, C of A–D; right post by all three.
    let which = &c.items[0];
    assert_eq!(which.id, "which");
    assert_eq!(
        (
            which.pre.n,
            which.pre.correct,
            which.post.n,
            which.post.correct
        ),
        (4, 2, 3, 3)
    );
    assert_close(which.pre.facility, 0.5, "which pre facility");
    assert_close(which.post.facility, 1.0, "which post facility");
    let m = which.mcnemar.unwrap();
    assert_eq!(
        (
            m.n,
            m.both_right,
            m.right_to_wrong,
            m.wrong_to_right,
            m.both_wrong
        ),
        (3, 2, 0, 1, 0)
    );
    assert_eq!(m.method, McNemarKind::ExactBinomial);
    assert_eq!(m.p_value, 1.0);
    let typ = &c.items[1];
    assert_eq!(
        (typ.pre.correct, typ.pre.n, typ.post.correct, typ.post.n),
        (2, 4, 2, 3)
    );
    // Corrected point-biserial: item vs the other item, over the learners of each test.
    let rows = [[1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
    let x: Vec<f64> = rows.iter().map(|r| r[0]).collect();
    let rest: Vec<f64> = rows.iter().map(|r| r[1]).collect();
    assert_close(
        which.pre.discrimination,
        stats::pearson_r(&x, &rest).unwrap(),
        "discrimination",
    );
    assert_eq!(
        which.post.discrimination, None,
        "everyone right after: undefined"
    );
    // KR-20 of the fixed two-item pre-test (D's complete pre-test included, E's not).
    let rel = c
        .reliability
        .iter()
        .find(|t| t.phase_kind == "pre-test")
        .unwrap();
    assert_eq!(
        (rel.k, rel.items, rel.n, rel.method),
        (2, 2, 4, ReliabilityMethod::Kr20)
    );
    assert_eq!(rel.kr20, stats::kr20(2, rows));
    // Objective: credit 4 of 8 before, 5 of 6 after. Indicator "knows-hotline" = item "type".
    let o = &c.objectives[0];
    assert_eq!((o.pre.responses, o.post.responses), (8, 6));
    assert_close(o.pre.percent, 50.0, "objective pre");
    assert_close(o.post.percent, 500.0 / 6.0, "objective post");
    // Indicators before and after count the same learners: those asked in both tests (A, B,
    // C; D has no post-test). Before: C met it; after: A and C.
    let ind = &c.indicators[0];
    assert_eq!(
        (ind.pre.n, ind.pre.met, ind.post.n, ind.post.met),
        (3, 1, 3, 2)
    );
    assert_eq!(ind.mcnemar.unwrap().n, 3);
    // Warnings: the post-test item everyone got right; attrition is 1 of 4 (> 20 %).
    let ws = codes(c);
    assert!(ws.contains(&WarningCode::AllCorrect), "{ws:?}");
    assert!(ws.contains(&WarningCode::Attrition), "{ws:?}");
    assert!(!ws.contains(&WarningCode::SmallN), "{ws:?}");
    let all_correct = c
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::AllCorrect)
        .unwrap();
    assert_eq!(all_correct.subject.as_deref(), Some("which"));
    assert!(all_correct.message.contains("post-test"));
    assert_eq!(r.records.accepted, 5);
    assert_eq!(r.records.first_session.as_deref(), Some("2026-09-21"));
}

#[test]
fn frames_and_records_give_the_same_report() {
    let pack = tiny::tiny_pack();
    let records = hand_cohort();
    let a = report::report(&pack, &opts(3), &records).unwrap();
    let b = report::report_log(&pack, &opts(3), &log_of(&records)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn the_default_minimum_flags_a_small_cohort() {
    let pack = tiny::tiny_pack();
    let r = report::report(&pack, &ReportOptions::default(), &hand_cohort()).unwrap();
    let ws = codes(&r.cohort);
    assert!(ws.contains(&WarningCode::SmallN), "{ws:?}");
    // Item warnings need min_n answers.
    assert!(!ws.contains(&WarningCode::AllCorrect), "{ws:?}");
}

#[test]
fn missing_post_tests_are_counted_not_dropped() {
    let pack = Arc::new(tiny::tiny_pack());
    // Everyone leaves before the post-test.
    let records = simulated(&pack, "kiosk", 40, 7, 1.0);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let l = r.cohort.learners;
    assert_eq!(
        (l.records, l.abandoned, l.with_pre, l.pre_only, l.paired),
        (40, 40, 40, 40, 0)
    );
    assert_eq!(r.cohort.pre.n, 40);
    assert_eq!(r.cohort.post.n, 0);
    let p = &r.cohort.paired;
    assert!(p.t_test.is_none() && p.wilcoxon.is_none() && p.cohens_dz.is_none());
    assert!(p.class_normalised_gain.is_none() && p.pre.mean.is_none());
    let ws = codes(&r.cohort);
    assert!(
        ws.contains(&WarningCode::NoPairs) && ws.contains(&WarningCode::Attrition),
        "{ws:?}"
    );

    // Some leave: the counts add up, and the gain uses exactly the completed sessions.
    let records = simulated(&pack, "kiosk", 300, 8, 0.3);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let l = r.cohort.learners;
    assert_eq!(l.paired + l.pre_only + l.post_only + l.no_test, l.records);
    assert_eq!(l.with_pre, l.paired + l.pre_only);
    assert_eq!(l.completed + l.abandoned, 300);
    let (pre, post): (Vec<f64>, Vec<f64>) = records
        .iter()
        .filter_map(|r| {
            let s = r.scores();
            Some((s.pre?.percent()?, s.post?.percent()?))
        })
        .unzip();
    assert_eq!(pre.len() as u64, l.paired);
    assert!(l.pre_only > 50, "about 30 % leave");
    let t = stats::paired_t_test(&pre, &post).unwrap();
    let rt = r.cohort.paired.t_test.unwrap();
    assert!(close(rt.t, t.t) && close(rt.p_value, t.p_value) && rt.df == t.df);
    assert_close(
        r.cohort.paired.class_normalised_gain,
        stats::class_gain(&pre, &post).unwrap(),
        "⟨g⟩",
    );
}

/// The tiny pack with an intake field `sex` (female, male) and a free-text `commune`.
fn pack_with_intake() -> Pack {
    let mut pack = tiny::tiny_pack();
    let option = |code: &str, label: &str| IntakeOption {
        code: code.into(),
        label: Text::single(label),
    };
    pack.intake = vec![
        IntakeField {
            id: "sex".into(),
            label: Text::single("Sex"),
            options: vec![option("female", "Female"), option("male", "Male")],
            required: false,
        },
        IntakeField {
            id: "commune".into(),
            label: Text::single("Commune"),
            options: vec![],
            required: false,
        },
    ];
    pack
}

fn with_demo(mut r: ResultRecord, field: &str, value: &str) -> ResultRecord {
    r.demographics.push((field.into(), value.into()));
    r
}

#[test]
fn groups_carry_the_same_statistics_and_a_group_of_one_has_none() {
    let pack = pack_with_intake();
    let records = vec![
        with_demo(
            record(1, Some((true, false)), Some((true, true)), true),
            "sex",
            "female",
        ),
        with_demo(
            record(2, Some((false, false)), Some((true, false)), true),
            "sex",
            "female",
        ),
        with_demo(
            record(3, Some((false, false)), Some((true, true)), true),
            "sex",
            "female",
        ),
        with_demo(
            record(4, Some((true, false)), Some((true, true)), true),
            "sex",
            "male",
        ),
        record(5, Some((true, true)), Some((true, true)), true),
    ];
    // Small cells off (1), to see the figures of a group of one.
    let options = ReportOptions {
        by: Some("sex".into()),
        min_n: 3,
        small_group: 1,
        ..ReportOptions::default()
    };
    let r = report::report(&pack, &options, &records).unwrap();
    let values: Vec<&str> = r
        .groups
        .iter()
        .map(|g| g.value.as_deref().unwrap())
        .collect();
    assert_eq!(values, ["female", "male", NOT_ANSWERED]);
    assert!(r.groups.iter().all(|g| g.field.as_deref() == Some("sex")));
    let total: u64 = r.groups.iter().map(|g| g.learners.records).sum();
    assert_eq!(total, r.cohort.learners.records);
    // The female block is the report of the female records alone.
    let female = report::report(&pack, &opts(3), &records[..3]).unwrap();
    assert_eq!(r.groups[0].paired, female.cohort.paired);
    assert_eq!(r.groups[0].items, female.cohort.items);
    assert_eq!(r.groups[0].indicators, female.cohort.indicators);
    // A group of one: means, but no spread, no tests, no effect size; warnings, no panic.
    let male = &r.groups[1];
    assert_eq!(male.paired.n, 1);
    assert_close(male.paired.gain.mean, 50.0, "gain of one");
    assert!(male.paired.gain.sd.is_none() && male.paired.t_test.is_none());
    // No Wilcoxon either: from one learner SciPy would give z = 1, p = 0.317.
    assert!(male.paired.cohens_dz.is_none() && male.paired.wilcoxon.is_none());
    let ws = codes(male);
    assert!(ws.contains(&WarningCode::SmallN), "{ws:?}");
    assert!(!male.suppressed);
    // Every renderer copes with it.
    let html = report::render_html(&r, &pack, 0);
    assert!(html.contains("Male") && html.contains("Not answered"));
    assert!(report::render_csv(&r).contains("sex,male,paired,,change,t,\r\n"));
}

#[test]
fn free_text_groups_are_normalised_and_capped() {
    let pack = pack_with_intake();
    let mut records = Vec::new();
    for (i, v) in [
        "Prey Veng",
        " prey  veng",
        "PREY VENG",
        "Svay Rieng",
        "",
        "Takeo",
        "Kampot",
    ]
    .iter()
    .enumerate()
    {
        let r = record(i as u8, Some((true, false)), Some((true, true)), true);
        records.push(if v.is_empty() {
            r
        } else {
            with_demo(r, "commune", v)
        });
    }
    let options = ReportOptions {
        by: Some("commune".into()),
        max_groups: 3,
        small_group: 1,
        ..ReportOptions::default()
    };
    let r = report::report(&pack, &options, &records).unwrap();
    let groups: Vec<(&str, u64)> = r
        .groups
        .iter()
        .map(|g| (g.value.as_deref().unwrap(), g.learners.records))
        .collect();
    assert_eq!(
        groups,
        [
            ("Prey Veng", 3),
            ("Svay Rieng", 1),
            ("Takeo", 1),
            ("(other)", 1),
            (NOT_ANSWERED, 1)
        ]
    );
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::TooManyGroups));
}

#[test]
fn unknown_fields_and_journeys_are_errors() {
    let pack = tiny::tiny_pack();
    let e = CohortReportBuilder::new(&pack, &ReportOptions::by("sex"))
        .err()
        .unwrap();
    assert!(matches!(e, ReportError::UnknownField { .. }));
    let options = ReportOptions {
        journey: Some("school".into()),
        ..ReportOptions::default()
    };
    let e = CohortReportBuilder::new(&pack, &options).err().unwrap();
    assert!(e.to_string().contains("kiosk"), "{e}");
}

#[test]
fn ceiling_warning_when_everyone_already_knows() {
    let pack = tiny::tiny_pack();
    let records: Vec<ResultRecord> = (0..12)
        .map(|i| record(i, Some((true, true)), Some((true, i % 3 != 0)), true))
        .collect();
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let c = &r.cohort;
    assert_close(c.pre.mean, 100.0, "pre mean");
    assert!(codes(c).contains(&WarningCode::Ceiling), "{:?}", codes(c));
    assert!(codes(c).contains(&WarningCode::AllCorrect));
    assert_eq!(c.paired.class_normalised_gain, None, "no room to gain");
    assert_eq!(c.paired.mean_normalised_gain, None);
    assert_eq!(c.paired.excluded_at_ceiling, 12);
}

#[test]
fn records_of_other_packs_and_versions_are_skipped() {
    let pack = tiny::tiny_pack();
    let mut records = hand_cohort();
    let mut other = record(9, Some((true, true)), Some((true, true)), true);
    other.pack_id = "other".into();
    let mut v2 = record(10, Some((true, true)), Some((true, true)), true);
    v2.pack_version.major = 2;
    let mut minor = record(11, Some((true, true)), Some((true, true)), true);
    minor.pack_version.minor = 3;
    let mut stranger = record(12, Some((true, true)), None, false);
    stranger.journey = "walk-in".into();
    stranger.responses.push(resp(0, 99, true));
    records.extend([other, v2, minor, stranger]);
    let r = report::report(&pack, &opts(3), &records).unwrap();
    assert_eq!((r.records.other_pack, r.records.other_version), (1, 1));
    assert_eq!(r.records.accepted, 7);
    assert_eq!((r.records.unknown_journey, r.records.unknown_items), (1, 1));
    let codes: Vec<WarningCode> = r.warnings.iter().map(|w| w.code).collect();
    for c in [
        WarningCode::SkippedRecords,
        WarningCode::UnknownJourney,
        WarningCode::UnknownItems,
        WarningCode::MixedJourneys,
    ] {
        assert!(codes.contains(&c), "{c:?} missing in {codes:?}");
    }
    // An abandoned record of an unknown journey has no complete test.
    assert_eq!(r.cohort.learners.no_test, 2);
}

#[test]
fn damaged_logs_are_counted() {
    let pack = tiny::tiny_pack();
    let mut log = log_of(&hand_cohort());
    log[20] ^= 0xFF; // inside the first frame's payload: its checksum fails
    log.extend_from_slice(b"KRL1garbage");
    let r = report::report_log(&pack, &opts(3), &log).unwrap();
    assert_eq!(r.records.accepted, 4);
    assert_eq!(r.records.damaged_stretches, 2);
    assert!(r.warnings.iter().any(|w| w.code == WarningCode::DamagedLog));
    // A frame with a good checksum that is not a record.
    let mut log = Vec::new();
    log::append_frame(&mut log, b"not a record").unwrap();
    let mut b = CohortReportBuilder::new(&pack, &ReportOptions::default()).unwrap();
    b.push_log(&log);
    b.note_duplicate();
    let r = b.finish();
    assert_eq!(
        (
            r.records.undecodable,
            r.records.duplicates,
            r.records.accepted
        ),
        (1, 1, 0)
    );
}

/// The tiny pack with a 5-point Likert item asked before and after.
fn pack_with_likert() -> Pack {
    let mut pack = tiny::tiny_pack();
    pack.items.push(Item {
        id: "att".into(),
        objectives: vec![],
        prompt: Text::single("I would call 1288"),
        kind: ItemKind::Likert {
            scale: ["no", "rather not", "maybe", "rather yes", "yes"]
                .iter()
                .map(|s| Text::single(s))
                .collect(),
        },
        explanation: Text::single("-"),
        feedback_correct: Text::single(""),
        feedback_incorrect: Text::single(""),
    });
    for phase in &mut pack.journeys[0].phases {
        if let PhaseContent::Quiz(q) = &mut phase.content {
            q.selection = Selection::Fixed(vec![0, 1, 2]);
        }
    }
    pack
}

/// Five learners who answer the Likert item (item 2) of [`pack_with_likert`]: four before and
/// after (points 0→2, 1→3, 1→4, 3→3), and one who left after the pre-test (its answer, 4,
/// counts before, not in the shift).
fn likert_records() -> Vec<ResultRecord> {
    let scale = |phase: u8, v: u16| ResponseRecord {
        answer: Answer::Scale(v),
        credit: kru_core::credit::Credit::ZERO,
        correct: false,
        item: 2,
        ..resp(phase, 0, false)
    };
    let mut records = Vec::new();
    for (i, (a, b)) in [(0, 2), (1, 3), (1, 4), (3, 3)].into_iter().enumerate() {
        let mut r = record(i as u8, Some((true, false)), Some((true, true)), true);
        r.responses.insert(2, scale(0, a));
        r.responses.push(scale(2, b));
        records.push(r);
    }
    let mut r = record(9, Some((false, false)), None, false);
    r.responses.push(scale(0, 4));
    records.push(r);
    records
}

#[test]
fn likert_distribution_and_shift() {
    let pack = pack_with_likert();
    let records = likert_records();
    let rep = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let lk = &rep.cohort.likert[0];
    assert_eq!((lk.id.as_str(), lk.points), ("att", 5));
    assert_eq!(lk.pre.distribution, vec![1, 2, 0, 1, 1]);
    assert_eq!(lk.post.distribution, vec![0, 0, 1, 2, 1]);
    assert_eq!((lk.pre.n, lk.post.n, lk.paired_n), (5, 4, 4));
    assert_close(lk.pre.mean, 9.0 / 5.0, "Likert pre mean");
    assert_close(lk.post.mean, 3.0, "Likert post mean");
    assert_close(lk.mean_shift, (2.0 + 2.0 + 3.0 + 0.0) / 4.0, "Likert shift");
    // Likert answers are not scored: the scores are those without them.
    assert_close(rep.cohort.paired.pre.mean, 50.0, "scores ignore Likert");
    assert_eq!(rep.cohort.items.len(), 2);
    // The abandoned record answered all three pre-test questions: a complete pre-test.
    assert_eq!(rep.cohort.learners.pre_only, 1);
    let html = report::render_html(&rep, &pack, 0);
    assert!(html.contains("rather yes") && html.contains("Mean shift +1.8"));
}

/// The same five learners as [`likert_distribution_and_shift`], the item now keyed "low":
/// the distributions stay as answered, the means and the shift are of the reversed answers
/// (point p of 0..=4 scores 4 − p), computed here by hand.
#[test]
fn reverse_keyed_likert_is_reversed_before_means_and_shift() {
    let mut pack = pack_with_likert();
    pack.reverse_keyed = vec![2];
    let records = likert_records();
    let rep = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let lk = &rep.cohort.likert[0];
    assert!(lk.reversed);
    // As answered.
    assert_eq!(lk.pre.distribution, vec![1, 2, 0, 1, 1]);
    assert_eq!(lk.post.distribution, vec![0, 0, 1, 2, 1]);
    // Reversed before: 0 1 1 3 4 → 4 3 3 1 0 (sum 11); after: 2 3 4 3 → 2 1 0 1 (sum 4).
    assert_close(lk.pre.mean, 11.0 / 5.0, "reversed pre mean");
    assert_close(lk.post.mean, 4.0 / 4.0, "reversed post mean");
    // Paired shifts of the reversed answers: (2−4) + (1−3) + (0−3) + (1−1) = −7.
    assert_close(lk.mean_shift, -7.0 / 4.0, "reversed shift");
    // min + max − value, for every point: the reversed mean is 4 minus the plain one.
    let plain = {
        let mut p = pack.clone();
        p.reverse_keyed.clear();
        report::report(&p, &ReportOptions::default(), &records).unwrap()
    };
    let pl = &plain.cohort.likert[0];
    assert!(!pl.reversed);
    assert_close(lk.pre.mean, 4.0 - pl.pre.mean.unwrap(), "min + max − mean");
    assert_close(lk.mean_shift, -pl.mean_shift.unwrap(), "shift reversed");
    // Said in every output.
    let html = report::render_html(&rep, &pack, 0);
    assert!(
        html.contains("Mean shift -1.8") && html.contains("data-reversed"),
        "{html}"
    );
    assert!(!report::render_html(&plain, &pack, 0).contains("data-reversed"));
    let csv = report::render_csv(&rep);
    assert!(csv.contains("likert,att,,reversed,1\r\n"), "{csv}");
    assert!(report::render_csv(&plain).contains("likert,att,,reversed,0\r\n"));
    let json = serde_json::to_value(&rep).unwrap();
    assert_eq!(json["cohort"]["likert"][0]["reversed"], true);
}

#[test]
fn html_escapes_everything_from_the_pack_and_the_records() {
    let mut pack = pack_with_intake();
    let evil = "<script>alert(1)</script>";
    pack.meta.title = Text::single(evil);
    pack.objectives[0].title = Text::single("\"><img src=x onerror=alert(2)>");
    pack.items[0].prompt = Text::single("<iframe src=//evil>");
    pack.indicators[0].label = Text::single("<svg onload=alert(3)>");
    pack.intake[1].label = Text::single("<b>Commune</b>");
    let records = vec![
        with_demo(
            record(1, Some((true, false)), Some((true, true)), true),
            "commune",
            "<style>*{}</style>'\"",
        ),
        with_demo(
            record(2, Some((false, false)), Some((true, false)), true),
            "commune",
            "&amp; <a href=x>",
        ),
    ];
    let r = report::report(&pack, &ReportOptions::by("commune"), &records).unwrap();
    let html = report::render_html(&r, &pack, 0);
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "<svg onload",
        "<b>",
        "<style>*",
        "<a href",
    ] {
        assert!(!html.contains(bad), "{bad} got through");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;style&gt;*{}&lt;/style&gt;&#39;&quot;"));
    assert!(html.contains("&amp;amp; &lt;a href=x&gt;"));
    // Exactly one style element and no script at all.
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(!html.to_lowercase().contains("<script"));
}

/// The safe-migration pack's attitude items: the two keyed "low" are reversed in every output,
/// the page gives d_z's critical value and the tie rule.
#[test]
fn safe_migration_reverse_keyed_items_in_every_output() {
    let pack = common::safe_migration();
    let low: Vec<&str> = pack
        .reverse_keyed
        .iter()
        .map(|&i| pack.items[usize::from(i)].id.as_str())
        .collect();
    assert_eq!(low, ["att-trust-broker", "att-wage-later"]);
    let records = simulated(&pack, "school", 300, 11, 0.1);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    assert_eq!(r.cohort.likert.len(), 6);
    for lk in &r.cohort.likert {
        assert_eq!(lk.reversed, low.contains(&lk.id.as_str()), "{}", lk.id);
        // Simulated learners move towards the safe end: after reversal, up for every item.
        assert!(lk.mean_shift.is_some_and(|s| s > 0.0), "{lk:?}");
    }
    // The page in English (the pack's first language is Khmer, and the page speaks it).
    let en = pack.languages.iter().position(|l| l.tag == "en").unwrap();
    let html = report::render_html(&r, &pack, en);
    assert_eq!(html.matches("data-reversed").count(), 2);
    assert!(html.contains("± 1.959964 ×") && html.contains("Equal gains are ties"));
    let csv = report::render_csv(&r);
    assert_eq!(csv.matches(",reversed,1\r\n").count(), 2);
    assert_eq!(csv.matches(",reversed,0\r\n").count(), 4);
    // Indicators: before and after on the same learners in JSON, CSV and HTML.
    assert!(!r.cohort.indicators.is_empty());
    for ind in &r.cohort.indicators {
        let n = ind.pre.n;
        assert!(n > 0 && ind.post.n == n, "{ind:?}");
        assert_eq!(ind.mcnemar.map(|m| m.n), Some(n));
        for phase in ["pre", "post"] {
            let row = format!("\n,all,indicator,{},{phase},n,{n}\r\n", ind.id);
            assert!(csv.contains(&row), "{row}");
        }
        let cells = format!("<small>({}/{n})</small></td><td>", ind.pre.met);
        assert!(html.contains(&cells), "{cells}");
    }
}

#[test]
fn html_page_is_self_contained_and_accessible() {
    let pack = common::safe_migration();
    let records = simulated(&pack, "school", 300, 11, 0.1);
    let r = report::report(&pack, &ReportOptions::by("sex"), &records).unwrap();
    let km = pack.languages.iter().position(|l| l.tag == "km").unwrap();
    let html = report::render_html(&r, &pack, km);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"km\" dir=\"ltr\">"));
    assert!(html.contains("\"Noto Sans Khmer\",\"Khmer OS\""));
    assert!(html.contains("lang=\"km\" dir=\"ltr\""));
    assert!(html.contains("@media print"));
    for id in ["messages", "gains", "indicators", "groups"] {
        assert!(
            html.contains(&format!("<svg id=\"{id}\" role=\"img\"")),
            "chart {id}"
        );
    }
    // No external resources.
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(!html.contains("https://") && !html.contains("src="));
    // The headline numbers come first.
    let head = html.find("<dl class=\"cards\">").unwrap();
    assert!(
        head < html.find("id=\"ind-h\"").unwrap() && head < html.find("id=\"items-h\"").unwrap()
    );
    // Khmer pack text is shown (objective titles in Khmer script).
    assert!(html.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c)));
}

fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn csv_tables_have_the_expected_rows() {
    let pack = common::safe_migration();
    let mut records = simulated(&pack, "school", 120, 12, 0.2);
    records[0].demographics.retain(|(k, _)| k != "commune");
    records[0]
        .demographics
        .push(("commune".into(), "=HYPERLINK(\"x\"), \"quoted\"".into()));
    let csv = report::responses_csv(&pack, &records);
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    let responses: usize = records.iter().map(|r| r.responses.len()).sum();
    assert_eq!(lines.len(), 1 + responses);
    let header = csv_fields(lines[0]);
    assert_eq!(header.len(), 8 + pack.intake.len() + 12);
    for l in &lines {
        assert_eq!(csv_fields(l).len(), header.len(), "{l}");
    }
    // Readable by a person: the date, exact credit (no float noise), option labels.
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (date, credit, code, answer) = (
        col("date"),
        col("credit"),
        col("answer_code"),
        col("answer"),
    );
    let mut partial = 0;
    for l in &lines[1..] {
        let f = csv_fields(l);
        assert!(
            f[date].len() == 10 && f[date].starts_with("2026-"),
            "{}",
            f[date]
        );
        let c = &f[credit];
        assert!(c.len() <= 7, "credit {c}");
        assert!(
            c.chars()
                .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '/'),
            "credit {c}"
        );
        if c.contains('/') || c.contains('.') {
            partial += 1;
        }
        if f[code].starts_with("c:") {
            assert!(!f[answer].starts_with("c:") && !f[answer].is_empty(), "{l}");
        }
    }
    assert!(partial > 0, "the school journey gives partial credit");
    let first = csv_fields(lines[1]);
    assert_eq!(first[0].len(), 32, "record id in hex");
    let commune = header.iter().position(|h| h == "intake_commune").unwrap();
    assert_eq!(
        first[commune], "'=HYPERLINK(\"x\"), \"quoted\"",
        "formula neutralised"
    );

    let r = report::report(&pack, &ReportOptions::by("sex"), &records).unwrap();
    let summary = report::render_csv(&r);
    let rows: Vec<Vec<String>> = summary
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(csv_fields)
        .collect();
    assert_eq!(
        rows[0],
        [
            "field",
            "group",
            "section",
            "subject",
            "phase",
            "statistic",
            "value"
        ]
    );
    assert!(rows.iter().all(|r| r.len() == 7));
    let cohort_items = rows
        .iter()
        .filter(|r| r[1] == "all" && r[2] == "item")
        .count();
    let with_mcnemar = r
        .cohort
        .items
        .iter()
        .filter(|i| i.mcnemar.is_some())
        .count();
    assert_eq!(cohort_items, r.cohort.items.len() * 10 + with_mcnemar * 4);
    let groups: std::collections::BTreeSet<&str> =
        rows.iter().skip(1).map(|r| r[1].as_str()).collect();
    assert_eq!(groups.len(), 1 + r.groups.len());
    let paired = rows
        .iter()
        .find(|r| r[1] == "all" && r[2] == "learners" && r[5] == "paired")
        .unwrap();
    assert_eq!(paired[6], r.cohort.learners.paired.to_string());
}

#[test]
fn responses_of_a_log_are_the_rows_of_its_selected_records() {
    let pack = common::safe_migration();
    let school = simulated(&pack, "school", 6, 3, 0.3);
    let kiosk = simulated(&pack, "kiosk", 4, 4, 0.0);
    let mut other = school[0].clone();
    other.pack_id = "other-pack".into();
    let mut all = school.clone();
    all.extend(kiosk.iter().cloned());
    all.push(other);
    let mut bytes = log_of(&all);
    bytes.extend_from_slice(b"KRL1 torn write");
    log::append_frame(&mut bytes, b"not a record").unwrap();

    // Every record of the pack, in log order; the other pack's, the damage and the frame
    // that does not decode have no rows.
    let mine: Vec<ResultRecord> = school.iter().chain(&kiosk).cloned().collect();
    let csv = report::responses_csv_log(&pack, &ReportOptions::default(), &bytes).unwrap();
    assert_eq!(csv, report::responses_csv(&pack, &mine));
    // One journey.
    let options = ReportOptions {
        journey: Some("kiosk".into()),
        ..ReportOptions::default()
    };
    let csv = report::responses_csv_log(&pack, &options, &bytes).unwrap();
    assert_eq!(csv, report::responses_csv(&pack, &kiosk));
    assert!(report::responses_include(&pack, &options, &kiosk[0]));
    assert!(!report::responses_include(&pack, &options, &school[0]));
    assert!(!report::responses_include(
        &pack,
        &ReportOptions::default(),
        &all[all.len() - 1]
    ));
    // The options the report refuses.
    let e = report::responses_csv_log(&pack, &ReportOptions::by("shoe-size"), &bytes);
    assert!(matches!(e, Err(ReportError::UnknownField { .. })), "{e:?}");
    let museum = ReportOptions {
        journey: Some("museum".into()),
        ..ReportOptions::default()
    };
    let e = report::responses_csv_log(&pack, &museum, &bytes);
    assert!(
        matches!(e, Err(ReportError::UnknownJourney { .. })),
        "{e:?}"
    );
    // An empty log: the header alone.
    assert_eq!(
        report::responses_csv_log(&pack, &ReportOptions::default(), &[]).unwrap(),
        report::responses_csv_header(&pack)
    );
}

#[test]
fn the_report_language_is_the_best_match_else_the_default() {
    let pack = common::safe_migration();
    let index = |tag: &str| pack.languages.iter().position(|l| l.tag == tag).unwrap();
    let default = usize::from(pack.meta.default_language);
    assert_eq!(report::report_language(&pack, &["en"]), index("en"));
    assert_eq!(
        report::report_language(&pack, &["en-GB", "km"]),
        index("en")
    );
    assert_eq!(report::report_language(&pack, &["km-KH"]), index("km"));
    assert_eq!(report::report_language(&pack, &["fr"]), default);
    assert_eq!(report::report_language(&pack, &[]), default);
}

fn json_close(a: &serde_json::Value, b: &serde_json::Value, path: &str) {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
                "{path}: {x} != {y}"
            );
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                json_close(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "{path}"
            );
            for (k, x) in x {
                json_close(x, &y[k], &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

#[test]
fn json_round_trip() {
    let pack = common::safe_migration();
    let records = simulated(&pack, "school", 200, 13, 0.15);
    let r = report::report(&pack, &ReportOptions::by("age-band"), &records).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let back: CohortReport = serde_json::from_str(&json).unwrap();
    // serde_json parses floats to within one unit in the last place.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    json_close(&serde_json::to_value(&back).unwrap(), &v, "$");
    assert_eq!(back.cohort.learners, r.cohort.learners);
    assert_eq!(back.groups.len(), r.groups.len());
    assert_eq!(v["schema_version"], 1);
    assert!(v["cohort"]["paired"]["t_test"]["p_value"].is_number());
    assert_eq!(v["cohort"]["reliability"][0]["method"], "kr20_sampled");
    assert!(v["cohort"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["code"].is_string()));
    // Unknown warning codes (from a newer engine) still read.
    let newer = json.replacen("\"sampled_reliability\"", "\"something_new\"", 1);
    let back: CohortReport = serde_json::from_str(&newer).unwrap();
    assert!(back
        .cohort
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::Other));
    // Options read with defaults for what is missing (the C binding passes them as JSON).
    let o: ReportOptions = serde_json::from_str("{\"by\":\"sex\"}").unwrap();
    assert_eq!(o, ReportOptions::by("sex"));
}

#[test]
fn the_school_journey_report_agrees_with_the_records() {
    let pack = common::safe_migration();
    let records = simulated(&pack, "school", 400, 14, 0.1);
    let options = ReportOptions::by("sex");
    let r = report::report(&pack, &options, &records).unwrap();
    // The fast frame decoder and the full decoder agree.
    assert_eq!(
        report::report_log(&pack, &options, &log_of(&records)).unwrap(),
        r
    );
    // The t-test is stats::paired_t_test on the learners' percentages (ResultRecord::scores).
    let (pre, post): (Vec<f64>, Vec<f64>) = records
        .iter()
        .filter_map(|r| {
            let s = r.scores();
            Some((s.pre?.percent()?, s.post?.percent()?))
        })
        .unzip();
    let t = stats::paired_t_test(&pre, &post).unwrap();
    let rt = r.cohort.paired.t_test.unwrap();
    assert!(
        close(rt.t, t.t) && close(rt.p_value, t.p_value),
        "{rt:?} vs {t:?}"
    );
    assert_eq!(r.cohort.paired.n, pre.len() as u64);
    // Objective percentages pool ResultRecord::objective_scores over the complete tests.
    let mut pooled = vec![(0.0, 0.0); pack.objectives.len()];
    for rec in records.iter().filter(|r| r.completed) {
        for o in rec.objective_scores(&pack) {
            pooled[o.objective as usize].0 += o.post.score;
            pooled[o.objective as usize].1 += o.post.max;
        }
    }
    for (o, (s, m)) in r.cohort.objectives.iter().zip(pooled) {
        assert_close(o.post.percent, 100.0 * s / m, &o.id);
    }
    // Crossover forms: learners take A then B or B then A, so items are never paired, while
    // the reliability of each form is estimated from the items drawn.
    assert!(r.cohort.items.iter().all(|i| i.mcnemar.is_none()));
    assert_eq!(r.cohort.reliability.len(), 4);
    for t in &r.cohort.reliability {
        assert_eq!((t.k, t.items, t.skipped), (12, 20, 0), "{t:?}");
        assert!(t.kr20.is_some_and(|a| a > 0.0 && a < 1.0), "{t:?}");
    }
    // Attitude items: asked of every learner before; their distributions add up.
    assert_eq!(r.cohort.likert.len(), 6);
    for lk in &r.cohort.likert {
        assert_eq!(lk.pre.n, 400);
        assert_eq!(lk.pre.distribution.iter().sum::<u64>(), lk.pre.n);
        assert!(
            lk.mean_shift.is_some_and(|s| s > 0.0),
            "the simulation shifts attitudes up"
        );
    }
    // Groups partition the cohort.
    let n: u64 = r.groups.iter().map(|g| g.learners.records).sum();
    assert_eq!(n, 400);
}

/// The safe-migration pack with its kiosk journey asking form K1 before and after the lesson
/// (a retest design, as the kiosk was before it had parallel forms).
fn kiosk_retest_pack() -> Arc<Pack> {
    let mut pack = (*common::safe_migration()).clone();
    let k1 = pack
        .forms
        .iter()
        .find(|f| f.id == "K1")
        .unwrap()
        .items
        .clone();
    let kiosk = pack.journeys.iter_mut().find(|j| j.id == "kiosk").unwrap();
    kiosk.forms.clear();
    for p in &mut kiosk.phases {
        if let PhaseContent::Quiz(q) = &mut p.content {
            q.selection = Selection::Fixed(k1.clone());
        }
    }
    pack.check().unwrap();
    Arc::new(pack)
}

#[test]
fn the_kiosk_journey_crosses_over_its_parallel_forms() {
    let pack = common::safe_migration();
    let records = simulated(&pack, "kiosk", 200, 18, 0.0);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    // K1 then K2 or K2 then K1: nobody answers an item twice, so no item is paired.
    let firsts: Vec<&str> = records.iter().map(|r| r.forms[0].as_str()).collect();
    assert!(firsts.contains(&"K1") && firsts.contains(&"K2"));
    for rec in &records {
        let mut items: Vec<u16> = rec.responses.iter().map(|x| x.item).collect();
        let n = items.len();
        items.sort_unstable();
        items.dedup();
        assert_eq!(items.len(), n, "an item asked twice");
    }
    assert_eq!(r.cohort.items.len(), 10);
    assert!(r.cohort.items.iter().all(|i| i.mcnemar.is_none()));
}

#[test]
fn the_kiosk_journey_has_exact_reliability_and_item_mcnemar() {
    let pack = kiosk_retest_pack();
    let records = simulated(&pack, "kiosk", 300, 15, 0.2);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    // The same five items before and after: McNemar per item.
    assert_eq!(r.cohort.items.len(), 5);
    assert!(r
        .cohort
        .items
        .iter()
        .all(|i| i.mcnemar.is_some_and(|m| m.n == r.cohort.learners.paired)));
    // KR-20 of the pre-test is kru_core::report::stats::kr20 on the learners' 0/1 rows.
    let items: Vec<u16> = r.cohort.items.iter().map(|i| i.index).collect();
    let rows: Vec<Vec<f64>> = records
        .iter()
        .filter(|rec| {
            rec.responses
                .iter()
                .filter(|x| x.phase_kind == PhaseKind::PreTest)
                .count()
                == 5
        })
        .map(|rec| {
            items
                .iter()
                .map(|&i| {
                    let x = rec
                        .responses
                        .iter()
                        .find(|x| x.item == i && x.phase_kind == PhaseKind::PreTest)
                        .unwrap();
                    f64::from(u8::from(x.correct))
                })
                .collect()
        })
        .collect();
    let rel = r
        .cohort
        .reliability
        .iter()
        .find(|t| t.phase_kind == "pre-test")
        .unwrap();
    assert_eq!(rel.method, ReliabilityMethod::Kr20);
    assert_eq!(rel.n, rows.len() as u64);
    assert_close(rel.kr20, stats::kr20(5, &rows).unwrap(), "KR-20");
}

/// Packs of more than 64 indicators keep their indicators' states in lists instead of bit
/// sets: the same figures either way.
#[test]
fn indicators_beyond_64_report_as_the_first_64() {
    let pack = kiosk_retest_pack();
    let records = simulated(&pack, "kiosk", 300, 21, 0.2);
    let r = report::report(&pack, &ReportOptions::by("sex"), &records).unwrap();
    let mut many = (*pack).clone();
    let n = many.indicators.len();
    for copy in 0..14 {
        for i in 0..n {
            let mut ind = many.indicators[i].clone();
            ind.id = format!("{}-copy-{copy}", ind.id);
            many.indicators.push(ind);
        }
    }
    assert!(many.indicators.len() > 64);
    let m = report::report(&many, &ReportOptions::by("sex"), &records).unwrap();
    let paired: u64 = r.cohort.indicators.iter().map(|i| i.pre.n).sum();
    assert!(paired > 0, "the retest pairs its indicators");
    for (a, b) in [(&r.cohort, &m.cohort)]
        .into_iter()
        .chain(r.groups.iter().zip(&m.groups))
    {
        for (k, ind) in b.indicators.iter().enumerate() {
            let first = &a.indicators[k % n];
            assert_eq!(
                (ind.pre, ind.post, ind.mcnemar),
                (first.pre, first.post, first.mcnemar),
                "{}",
                ind.id
            );
        }
    }
}

#[test]
fn a_journey_filter_keeps_one_journey() {
    let pack = common::safe_migration();
    let mut records = simulated(&pack, "school", 50, 16, 0.0);
    records.extend(simulated(&pack, "kiosk", 30, 17, 0.0));
    let options = ReportOptions {
        journey: Some("kiosk".into()),
        ..ReportOptions::default()
    };
    let r = report::report(&pack, &options, &records).unwrap();
    assert_eq!((r.records.accepted, r.records.other_journey), (30, 50));
    assert!(r
        .warnings
        .iter()
        .all(|w| w.code != WarningCode::MixedJourneys));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Damaged or hostile frames never panic the report, and a frame either counts as a record
    /// or as undecodable.
    #[test]
    fn mutated_frames_never_panic(flips in proptest::collection::vec((0usize..4096, any::<u8>()), 1..8), cut in 0usize..4096) {
        let pack = tiny::tiny_pack();
        let rec = record(1, Some((true, false)), Some((true, true)), true);
        let mut payload = rec.to_bytes().unwrap();
        for (i, x) in flips {
            let n = payload.len();
            payload[i % n] ^= x;
        }
        payload.truncate(cut.max(1));
        let mut b = CohortReportBuilder::new(&pack, &opts(3)).unwrap();
        let ok = b.push_frame(&payload).is_ok();
        let r = b.finish();
        prop_assert_eq!(r.records.undecodable, u64::from(!ok));
        let _ = report::render_html(&r, &pack, 0);
        let _ = report::render_csv(&r);
    }

    /// The fast decoder reads what the full decoder reads.
    #[test]
    fn fast_and_full_decoders_agree(seed in any::<u64>(), dropout in 0.0f64..1.0) {
        let pack = Arc::new(tiny::tiny_pack());
        let records = simulated(&pack, "kiosk", 5, seed, dropout);
        let a = report::report(&pack, &opts(3), &records).unwrap();
        let b = report::report_log(&pack, &opts(3), &log_of(&records)).unwrap();
        prop_assert_eq!(a, b);
    }
}

/// Credits in sixths (0, 1/6, 1/3, 1/2, 2/3, 5/6, 1): as a [`Credit`](kru_core::credit::Credit).
fn sixths(k: u8) -> kru_core::credit::Credit {
    kru_core::credit::Credit::new(u64::from(k), 6).unwrap()
}

/// A record of the tiny pack whose four answers earn `c[0..2]` sixths before and `c[2..4]`
/// after (the report reads the stored credit, whatever the answer).
fn sixths_record(n: u16, c: [u8; 4]) -> ResultRecord {
    let mut r = record(0, Some((true, true)), Some((true, true)), true);
    r.record_id = [0; 16];
    r.record_id[..2].copy_from_slice(&n.to_le_bytes());
    for (resp, &k) in r.responses.iter_mut().zip(&c) {
        resp.credit = sixths(k);
        resp.correct = k == 6;
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Scores in thirds and sixths, checked against exact rational arithmetic: a learner's
    /// pre-test is 50·(a + b)/6 %, so the gain is 25·k/3 points with k an integer. The zero
    /// count, the histogram (bins [10q − 5, 10q + 5)), the Wilcoxon rank sums (ranks of |k|,
    /// ties averaged) and the mean gain must be exact; the report is the same from records
    /// of version 2 (credit as f32), read back as the same fractions.
    #[test]
    fn scores_ties_and_bins_are_exact(cohort in proptest::collection::vec(proptest::array::uniform4(0u8..=6), 1..80)) {
        let pack = tiny::tiny_pack();
        let records: Vec<ResultRecord> = cohort
            .iter()
            .enumerate()
            .map(|(i, &c)| sixths_record(i as u16, c))
            .collect();
        let mut log_v3 = Vec::new();
        let mut log_v2 = Vec::new();
        for r in &records {
            log_v3.extend(log::encode_record(r).unwrap());
            let v2 = postcard::to_allocvec(&kru_core::record::RecordSchema::V2(
                kru_core::record::format::v2::Compact::<2>(r.clone()),
            ))
            .unwrap();
            log::append_frame(&mut log_v2, &v2).unwrap();
        }
        let rep = report::report_log(&pack, &opts(2), &log_v3).unwrap();
        let rep_v2 = report::report_log(&pack, &opts(2), &log_v2).unwrap();
        prop_assert_eq!(&rep.cohort, &rep_v2.cohort);
        // k = 2·(post sixths − pre sixths) ... in units of 25/3 points: gain = 25·k/3.
        let ks: Vec<i64> = cohort
            .iter()
            .map(|c| i64::from(c[2]) + i64::from(c[3]) - i64::from(c[0]) - i64::from(c[1]))
            .collect();
        let p = &rep.cohort.paired;
        prop_assert_eq!(p.n, ks.len() as u64);
        // Histogram: 25k/3 in [10q − 5, 10q + 5)  ⇔  q = ⌊(25k + 15) / 30⌋.
        let mut bins = [0u64; 21];
        for &k in &ks {
            let q = (25 * k + 15).div_euclid(30);
            bins[(q.clamp(-10, 10) + 10) as usize] += 1;
        }
        let got: Vec<u64> = rep.cohort.gain_histogram.iter().map(|b| b.count).collect();
        prop_assert_eq!(got, bins.to_vec());
        // Mean gain: 25·Σk / (3n), one rounding away.
        let exact_mean = 25.0 * ks.iter().sum::<i64>() as f64 / (3.0 * ks.len() as f64);
        prop_assert!(close(p.gain.mean.unwrap(), exact_mean));
        // Zero spread is exactly zero: no t-test when every k is equal.
        if ks.iter().all(|&k| k == ks[0]) {
            prop_assert!(p.t_test.is_none());
            prop_assert!(p.gain.sd.is_none_or(|sd| sd == 0.0));
        }
        // Wilcoxon: zeros dropped, |k| ranked with average ranks; W⁺ in half-units exactly.
        let nonzero: Vec<i64> = ks.iter().copied().filter(|&k| k != 0).collect();
        let zeros = (ks.len() - nonzero.len()) as u64;
        let mut mags: Vec<i64> = nonzero.iter().map(|k| k.abs()).collect();
        mags.sort_unstable();
        let twice_rank = |m: i64| {
            let below = mags.iter().filter(|&&x| x < m).count() as i64;
            let tied = mags.iter().filter(|&&x| x == m).count() as i64;
            2 * below + tied + 1
        };
        let w_plus2: i64 = nonzero.iter().filter(|&&k| k > 0).map(|&k| twice_rank(k.abs())).sum();
        let w_minus2: i64 = nonzero.iter().filter(|&&k| k < 0).map(|&k| twice_rank(k.abs())).sum();
        match &p.wilcoxon {
            Some(w) => {
                prop_assert_eq!(w.n_zero, zeros);
                prop_assert_eq!(w.n_nonzero, nonzero.len() as u64);
                prop_assert_eq!(w.w_plus * 2.0, w_plus2 as f64);
                prop_assert_eq!(w.w_minus * 2.0, w_minus2 as f64);
            }
            None => prop_assert!(nonzero.len() < 2 || ks.len() < 2),
        }
    }
}

/// What version-2 records got wrong, measured: three thirds make a whole, so pre = post is a
/// zero gain, and a gain of exactly +25 points is in the +30 bin ([25, 35)).
#[test]
fn thirds_add_up_to_a_whole() {
    let pack = tiny::tiny_pack();
    // Pre: 1/3 + 2/3 = 1 of 2 (50 %); post: 1/2 + 1/2 (50 %): zero gain.
    let a = sixths_record(1, [2, 4, 3, 3]);
    // Pre: 1/6 + 1/3 = 1/2 of 2 (25 %); post: 1/2 + 1/2 (50 %): +25.
    let b = sixths_record(2, [1, 2, 3, 3]);
    let rep = report::report(&pack, &opts(2), &[a, b]).unwrap();
    let p = &rep.cohort.paired;
    let bins: Vec<(f64, u64)> = rep
        .cohort
        .gain_histogram
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| (b.center, b.count))
        .collect();
    assert_eq!(bins, vec![(0.0, 1), (30.0, 1)]);
    assert_eq!(p.gain.mean, Some(12.5));
    assert_eq!(p.pre.mean, Some(37.5));
}

/// `n` records of the tiny pack with `sex` = `value`, numbered from `first`.
fn sex_records(first: u8, n: u8, value: &str) -> Vec<ResultRecord> {
    (first..first + n)
        .map(|i| {
            with_demo(
                record(i, Some((i % 2 == 0, false)), Some((true, i % 3 == 0)), true),
                "sex",
                value,
            )
        })
        .collect()
}

#[test]
fn small_cells_are_withheld_in_every_output() {
    let pack = pack_with_intake();
    // 7 female, 6 male, 2 not answered: the 2 are withheld, and with them the next smallest
    // group (male), or male = cohort − female would give them away.
    let mut records = sex_records(0, 7, "female");
    records.extend(sex_records(10, 6, "male"));
    records.extend((20..22).map(|i| record(i, Some((true, false)), Some((true, true)), true)));
    let r = report::report(&pack, &ReportOptions::by("sex"), &records).unwrap();
    let shown: Vec<(&str, bool, u64)> = r
        .groups
        .iter()
        .map(|g| {
            (
                g.value.as_deref().unwrap(),
                g.suppressed,
                g.learners.records,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("female", false, 7),
            ("male", true, 0),
            (NOT_ANSWERED, true, 0)
        ]
    );
    for g in r.groups.iter().filter(|g| g.suppressed) {
        assert_eq!(g.paired.n, 0);
        assert!(g.items.is_empty() && g.indicators.is_empty() && g.gain_histogram.is_empty());
        assert_eq!(codes(g), [WarningCode::SmallGroup]);
    }
    assert_eq!(r.cohort.learners.records, 15);
    let csv = report::render_csv(&r);
    assert!(
        csv.contains("sex,male,learners,,,suppressed_fewer_than,5\r\n"),
        "{csv}"
    );
    assert!(!csv.contains("sex,male,scores"));
    assert!(csv.contains("sex,female,scores"));
    let html = report::render_html(&r, &pack, 0);
    assert_eq!(html.matches("Not shown: fewer than 5 learners").count(), 2);
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(json.matches("\"suppressed\":true").count(), 2);
    // The threshold is an option: at 2, nothing is withheld here.
    let r = report::report(
        &pack,
        &ReportOptions {
            small_group: 2,
            ..ReportOptions::by("sex")
        },
        &records,
    )
    .unwrap();
    assert!(r.groups.iter().all(|g| !g.suppressed));
}

#[test]
fn zero_spread_floor_and_crossover_say_why() {
    let pack = tiny::tiny_pack();
    // Everyone 0 % → 50 %: the same gain for all, and all at the floor.
    let records: Vec<ResultRecord> = (0..12)
        .map(|i| record(i, Some((false, false)), Some((true, false)), true))
        .collect();
    let r = report::report(&pack, &opts(2), &records).unwrap();
    let p = &r.cohort.paired;
    assert_eq!(p.gain.sd, Some(0.0));
    assert!(p.t_test.is_none() && p.cohens_dz.is_none());
    let ws = codes(&r.cohort);
    assert!(ws.contains(&WarningCode::ZeroSpread), "{ws:?}");
    assert!(ws.contains(&WarningCode::Floor), "{ws:?}");
    assert_eq!(r.cohort.learners.pre_zero, 12);
    let html = report::render_html(&r, &pack, 0);
    assert!(!html.contains("cannot be tested"), "{html}");
    assert!(html.contains("gained exactly +50.0 points"));
    // Nobody changes: no test at all, and the warning says so.
    let same: Vec<ResultRecord> = (0..12)
        .map(|i| record(i, Some((true, false)), Some((true, false)), true))
        .collect();
    let r = report::report(&pack, &opts(2), &same).unwrap();
    assert!(r.cohort.paired.wilcoxon.is_none() && r.cohort.paired.t_test.is_none());
    let w = r
        .cohort
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::ZeroSpread)
        .expect("zero_spread");
    assert!(w.message.contains("all gains are 0"), "{}", w.message);
    assert!(!codes(&r.cohort).contains(&WarningCode::Floor));
}

/// The crossover analysis of the school journey (forms A/B in both orders), recomputed from
/// the records' own scores: the orders' figures, the form and order effects with Welch's test,
/// and the balanced gain; the kiosk journey (no forms) has none.
#[test]
fn crossover_analysis_of_the_school_journey() {
    let pack = common::safe_migration();
    let records = simulated(&pack, "school", 400, 21, 0.0);
    let r = report::report(&pack, &ReportOptions::default(), &records).unwrap();
    let x = r
        .cohort
        .crossover
        .as_ref()
        .expect("school has forms A and B");
    assert_eq!(x.forms, ["A".to_string(), "B".to_string()]);
    // Per order: (pre, post, gain) of the paired learners, from ResultRecord::scores.
    let mut by_order: std::collections::BTreeMap<(String, String), [stats::Moments; 3]> =
        Default::default();
    for rec in &records {
        let s = rec.scores();
        let (Some(pre), Some(post), Some(g)) = (s.pre, s.post, s.gain) else {
            continue;
        };
        let key = (rec.forms[0].clone(), rec.forms[1].clone());
        let m = by_order.entry(key).or_default();
        m[0].push(pre.percent().unwrap());
        m[1].push(post.percent().unwrap());
        m[2].push(g.absolute);
    }
    let ab = &by_order[&("A".to_string(), "B".to_string())];
    let ba = &by_order[&("B".to_string(), "A".to_string())];
    assert_eq!(x.orders[0].first, "A");
    assert_eq!(x.orders[0].n, ab[2].n());
    assert_eq!(x.orders[1].n, ba[2].n());
    assert_eq!(x.orders[0].n + x.orders[1].n, r.cohort.paired.n);
    assert_close(x.orders[0].pre.mean, ab[0].mean().unwrap(), "pre A>B");
    assert_close(x.orders[1].gain.mean, ba[2].mean().unwrap(), "gain B>A");
    let form = stats::welch_t_test(&ab[0], &ba[0]).unwrap();
    let fe = x.form_effect.unwrap();
    assert!(close(fe.difference, form.difference) && close(fe.p_value.unwrap(), form.p_value));
    let order = stats::welch_t_test(&ab[2], &ba[2]).unwrap();
    let oe = x.order_effect.unwrap();
    assert!(close(oe.t.unwrap(), order.t) && close(oe.df.unwrap(), order.df));
    assert_close(
        x.balanced_gain,
        (ab[2].mean().unwrap() + ba[2].mean().unwrap()) / 2.0,
        "balanced gain",
    );
    // The renderers show it.
    let en = pack.languages.iter().position(|l| l.tag == "en").unwrap();
    assert!(report::render_html(&r, &pack, en).contains("Forms A and B (crossover)"));
    let km = pack.languages.iter().position(|l| l.tag == "km").unwrap();
    assert!(report::render_html(&r, &pack, km).contains("ទម្រង់ A និង B (ឆ្លងគ្នា)"));
    assert!(report::render_csv(&r).contains("form_effect,A-B,pre,difference,"));
    // A gap above the threshold is a warning; at the default it depends on the data.
    let strict = ReportOptions {
        form_gap_points: fe.difference.abs() / 2.0,
        ..ReportOptions::default()
    };
    let r2 = report::report(&pack, &strict, &records).unwrap();
    assert!(codes(&r2.cohort).contains(&WarningCode::FormsDiffer));
    let lax = ReportOptions {
        form_gap_points: fe.difference.abs() + 1.0,
        ..ReportOptions::default()
    };
    let r3 = report::report(&pack, &lax, &records).unwrap();
    assert!(!codes(&r3.cohort).contains(&WarningCode::FormsDiffer));
    // The kiosk's parallel forms K1 and K2 are a crossover too.
    let kiosk = simulated(&pack, "kiosk", 50, 3, 0.0);
    let rk = report::report(&pack, &ReportOptions::default(), &kiosk).unwrap();
    let kx = rk.cohort.crossover.as_ref().expect("K1/K2 crossover");
    assert_eq!(kx.orders.len(), 2);
    // The same items before and after (a retest design): no crossover.
    let retest = kiosk_retest_pack();
    let records = simulated(&retest, "kiosk", 50, 3, 0.0);
    let rr = report::report(&retest, &ReportOptions::default(), &records).unwrap();
    assert!(rr.cohort.crossover.is_none());
}

/// The report reads every record version into the same figures: the safe-migration pack's
/// school and kiosk learners (abandoned sessions, "I don't know" answers, Likert items)
/// from a log of version 4 (rows taken as they are), from decoded records (rows built from
/// the responses), and school learners from logs of versions 3 and 1 (rows rewritten).
#[test]
fn every_record_version_gives_the_same_report() {
    use kru_core::record::format::v2::Compact;
    use kru_core::record::RecordSchema;
    use kru_core::report::CohortReportBuilder;
    let pack = common::safe_migration();
    let frames = |records: &[ResultRecord], f: &dyn Fn(&ResultRecord) -> Vec<u8>| {
        let mut out = Vec::new();
        for r in records {
            log::append_frame(&mut out, &f(r)).unwrap();
        }
        out
    };
    let of_records = |records: &[ResultRecord]| {
        let mut b = CohortReportBuilder::new(&pack, &ReportOptions::by("sex")).unwrap();
        for r in records {
            b.push(r);
        }
        b.finish()
    };
    let of_log = |log: &[u8]| report::report_log(&pack, &ReportOptions::by("sex"), log).unwrap();
    for journey in ["school", "kiosk"] {
        let mut records = simulated(&pack, journey, 300, 14, 0.2);
        if journey == "kiosk" {
            // Every 7th knowledge answer of a test "I don't know" (the kiosk offers it).
            for r in &mut records {
                let tests = r.responses.iter_mut().filter(|x| {
                    matches!(x.phase_kind, PhaseKind::PreTest | PhaseKind::PostTest)
                        && !matches!(x.answer, Answer::Scale(_))
                });
                for x in tests.step_by(7) {
                    x.answer = Answer::DontKnow;
                    x.credit = kru_core::credit::Credit::ZERO;
                    x.correct = false;
                }
            }
        }
        let v4 = frames(&records, &|r| r.to_bytes().unwrap());
        let from_log = of_log(&v4);
        assert_eq!(from_log.records.accepted, 300);
        if journey == "kiosk" {
            assert!(from_log.cohort.dont_know.pre.dont_know > 0);
        }
        assert_eq!(from_log, of_records(&records), "{journey}: log and records");
        if journey == "school" {
            let v3 = frames(&records, &|r| {
                postcard::to_allocvec(&RecordSchema::V3(Compact::<3>(r.clone()))).unwrap()
            });
            let v1 = frames(&records, &|r| {
                postcard::to_allocvec(&RecordSchema::V1(r.clone())).unwrap()
            });
            assert_eq!(from_log, of_log(&v3), "version 3");
            assert_eq!(from_log, of_log(&v1), "version 1");
        }
    }
}
