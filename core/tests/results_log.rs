//! The results log: crash recovery at every byte offset, corruption, merging.

mod tiny;

use std::sync::Arc;

use kru_core::credit::Credit;
use kru_core::record::log::{self, LogEntry};
use kru_core::simulation::{simulate, SimulationOptions};
use kru_core::ResultRecord;

fn records(n: u32, seed: u64) -> Vec<ResultRecord> {
    let pack = Arc::new(tiny::tiny_pack());
    let mut out = Vec::new();
    simulate(
        &pack,
        &SimulationOptions {
            journey: "kiosk",
            learners: n,
            seed,
            start_ms: 1_790_000_000_000,
            dropout: 0.2,
        },
        |r| out.push(r),
    )
    .unwrap();
    out
}

fn log_of(rs: &[ResultRecord]) -> (Vec<u8>, Vec<usize>) {
    let mut log = Vec::new();
    let mut ends = Vec::new();
    for r in rs {
        log.extend(log::encode_record(r).unwrap());
        ends.push(log.len());
    }
    (log, ends)
}

#[test]
fn truncation_at_every_offset_keeps_every_complete_record_and_appending_works() {
    let rs = records(6, 1);
    let (log, ends) = log_of(&rs);
    let extra = records(1, 99).remove(0);
    for cut in 0..=log.len() {
        let torn = &log[..cut];
        let rec = log::read_records(torn);
        let complete = ends.iter().filter(|&&e| e <= cut).count();
        assert_eq!(rec.records, rs[..complete].to_vec(), "cut at {cut}");
        assert!(rec.undecodable.is_empty());
        // Append after recovery: truncate the torn tail, then append.
        let mut repaired = torn[..log::append_offset(torn)].to_vec();
        repaired.extend(log::encode_record(&extra).unwrap());
        let after = log::read_records(&repaired);
        assert_eq!(after.records.len(), complete + 1, "cut at {cut}");
        assert!(after.damaged.is_empty(), "cut at {cut}");
        assert_eq!(after.records.last(), Some(&extra));
    }
}

#[test]
fn corruption_at_every_offset_loses_at_most_the_damaged_record() {
    let rs = records(5, 2);
    let (log, ends) = log_of(&rs);
    for i in 0..log.len() {
        let mut bad = log.clone();
        bad[i] ^= 0xA5;
        let rec = log::read_records(&bad);
        let damaged_record = ends.iter().position(|&e| i < e).unwrap();
        let expected: Vec<_> = rs
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != damaged_record)
            .map(|(_, r)| r.clone())
            .collect();
        assert_eq!(rec.records, expected, "byte {i}");
        assert_eq!(rec.damaged.len(), 1, "byte {i}");
    }
}

#[test]
fn garbage_and_huge_lengths_never_panic_or_invent_records() {
    let mut garbage = b"KRL1".to_vec();
    garbage.extend(u32::MAX.to_le_bytes());
    garbage.extend([0u8; 64]);
    let rec = log::read_records(&garbage);
    assert!(rec.records.is_empty());
    assert_eq!(rec.damaged.len(), 1);
    let noise: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert!(log::read_records(&noise).records.is_empty());
}

#[test]
fn merging_logs_from_many_kiosks_drops_duplicates() {
    let a = records(4, 3);
    let b = records(3, 4);
    let (la, _) = log_of(&a);
    let (lb, _) = log_of(&b);
    let (lab, _) = log_of(&[a[1].clone(), b[0].clone()]);
    let merged = log::merge(&[&la, &lb, &lab, &la]);
    let got = log::read_records(&merged).records;
    assert_eq!(got.len(), 7);
    let mut ids: Vec<_> = got.iter().map(|r| r.record_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7);
    assert!(log::LogFrames::new(&merged).all(|e| matches!(e, LogEntry::Frame { .. })));
}

#[test]
fn abandoned_sessions_are_recorded() {
    let rs = records(50, 5);
    let abandoned = rs.iter().filter(|r| !r.completed).count();
    assert!(abandoned > 0 && abandoned < 50, "{abandoned}");
    for r in rs.iter().filter(|r| !r.completed) {
        assert!(r.scores().pre.is_some());
        assert!(r.scores().post.is_none());
    }
}

/// A record with every kind of answer, for the golden fixtures of the record format.
fn golden_record() -> ResultRecord {
    use kru_core::pack::journey::PhaseKind;
    use kru_core::pack::Version;
    use kru_core::record::{ResponseRecord, StoryChoiceRecord};
    use kru_core::Answer;
    let answers = [
        (PhaseKind::PreTest, Answer::Choice(2), 0.0, false),
        (PhaseKind::PreTest, Answer::Choices(vec![0, 3]), 0.5, false),
        (PhaseKind::PreTest, Answer::TrueFalse(true), 1.0, true),
        (PhaseKind::Practice, Answer::Order(vec![2, 0, 1]), 1.0, true),
        (
            PhaseKind::PostTest,
            Answer::Matches(vec![1, 0, 300]),
            0.0,
            false,
        ),
        (PhaseKind::PostTest, Answer::Text("១២៨៨".into()), 1.0, true),
        (PhaseKind::PostTest, Answer::Scale(4), 0.0, false),
        (PhaseKind::FollowUp, Answer::Choice(200), 1.0, true),
    ];
    ResultRecord {
        record_id: *b"0123456789abcdef",
        learner: "K-7Q2".into(),
        pack_id: "safe-migration".into(),
        pack_version: Version {
            major: 1,
            minor: 2,
            patch: 3,
        },
        journey: "school".into(),
        language: "km".into(),
        seed: u64::MAX - 5,
        forms: vec!["A".into(), "B".into()],
        started_at: 1_790_000_000_000,
        ended_at: 1_790_000_321_000,
        completed: true,
        demographics: vec![("sex".into(), "f".into()), ("commune".into(), "ស្វាយ".into())],
        responses: answers
            .into_iter()
            .enumerate()
            .map(|(i, (kind, answer, credit, correct))| ResponseRecord {
                phase: i as u8 / 2,
                phase_kind: kind,
                item: [0, 1, 2, 130, 300, 5, 6, 40_000][i],
                answer,
                credit: kru_core::credit::Credit::from_f64(credit),
                correct,
                at_offset_ms: [0, 127, 128, 16_383, 16_384, 2_097_152, 300_000, u32::MAX][i],
            })
            .collect(),
        story_path: vec![StoryChoiceRecord {
            story: 0,
            node: 3,
            choice: 1,
        }],
    }
}

const GOLDEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golden/");

#[test]
fn golden_record_v1_is_frozen() {
    let path = format!("{GOLDEN_DIR}record-v1.bin");
    if std::env::var_os("KRU_BLESS_V1").is_some() {
        std::fs::write(&path, golden_record().to_bytes().unwrap()).unwrap();
    }
    let v1 = std::fs::read(&path).unwrap();
    assert_eq!(ResultRecord::from_bytes(&v1).unwrap(), golden_record());
}

/// The head of the golden record in the version-2 and version-3 layouts, after the tag.
fn golden_head(tag: u8) -> Vec<u8> {
    postcard::to_allocvec(&(
        tag,
        *b"0123456789abcdef",
        "safe-migration",
        (1u16, 2u16, 3u16),
        "school",
        vec!["A", "B"],
        1_790_000_000_000i64,
        true,
        vec![("sex", "f"), ("commune", "ស្វាយ")],
    ))
    .unwrap()
}

#[test]
fn golden_record_v2_is_frozen_and_still_reads() {
    use kru_core::record::{format::v2::Compact, RecordSchema};
    let path = format!("{GOLDEN_DIR}record-v2.bin");
    let golden = std::fs::read(&path).expect("golden record of version 2");
    assert_eq!(ResultRecord::from_bytes(&golden).unwrap(), golden_record());
    // The version-2 layout (kept for reading) still encodes to the frozen bytes.
    let owned = RecordSchema::V2(Compact::<2>(golden_record()));
    assert_eq!(postcard::to_allocvec(&owned).unwrap(), golden);
    assert_eq!(golden[0], 1);
    let head = golden_head(1);
    assert_eq!(&golden[..head.len()], &head[..]);
    let row0 = head.len() + 1;
    // Row 1 holds 0.5 as an f32.
    assert_eq!(&golden[row0 + 14..row0 + 18], &0.5f32.to_le_bytes());
    let mut bad_kind = golden.clone();
    bad_kind[row0 + 1] = 0x05;
    assert!(ResultRecord::from_bytes(&bad_kind).is_err());
    // A version-2 credit of 1/3 (0.33333334 as f32) reads back as exactly 1/3, in the full
    // decoder and in the report's reader.
    let mut third = golden.clone();
    third[row0 + 14..row0 + 18].copy_from_slice(&(1.0f32 / 3.0).to_le_bytes());
    let r = ResultRecord::from_bytes(&third).unwrap();
    assert_eq!(r.responses[1].credit, Credit::new(1, 3).unwrap());
    assert_eq!(r.responses[1].credit.to_string(), "1/3");
}

#[test]
fn golden_record_v3_is_frozen_and_checked() {
    use kru_core::record::{format::v2::Compact, RecordSchema};
    let path = format!("{GOLDEN_DIR}record-v3.bin");
    let mut record = golden_record();
    // Exact partial credits: 1/3 and 5/6 (which no float holds).
    record.responses[1].credit = Credit::new(1, 3).unwrap();
    record.responses[4].credit = Credit::new(5, 6).unwrap();
    let golden = std::fs::read(&path).expect("golden record of version 3");
    assert_eq!(ResultRecord::from_bytes(&golden).unwrap(), record);
    // The version-3 layout (kept for reading) still encodes to the frozen bytes.
    let owned = RecordSchema::V3(Compact::<3>(record.clone()));
    assert_eq!(postcard::to_allocvec(&owned).unwrap(), golden);
    // Version 3: tag 2, the record id, then the head.
    assert_eq!(golden[0], 2);
    assert_eq!(&golden[1..17], b"0123456789abcdef");
    let head = golden_head(2);
    assert_eq!(&golden[..head.len()], &head[..]);
    let row0 = head.len() + 1; // after the rows' byte length (80 < 128: one byte)
    assert_eq!(golden[head.len()], 80);
    // Row 1's credit: numerator 1, denominator 3 (u16 LE each); row 0's: 0/1.
    assert_eq!(&golden[row0 + 14..row0 + 18], &[1, 0, 3, 0]);
    assert_eq!(&golden[row0 + 4..row0 + 8], &[0, 0, 1, 0]);
    // The rows must agree with the answers: a scale point on a non-scale answer is refused, as
    // is an unknown phase kind.
    let mut bad_scale = golden.clone();
    bad_scale[row0 + 8] = 0; // row 0 is a choice: its scale must be FFFF
    assert!(ResultRecord::from_bytes(&bad_scale).is_err());
    let mut bad_kind = golden.clone();
    bad_kind[row0 + 1] = 0x05;
    assert!(ResultRecord::from_bytes(&bad_kind).is_err());
    let mut short = golden.clone();
    short[head.len()] = 70; // rows no longer match the answers
    assert!(ResultRecord::from_bytes(&short).is_err());
    // One encoding per credit: 2/6 (not reduced), 4/3 (above 1) and 1/0 are refused.
    for credit in [[2, 0, 6, 0], [4, 0, 3, 0], [1, 0, 0, 0]] {
        let mut bad = golden.clone();
        bad[row0 + 14..row0 + 18].copy_from_slice(&credit);
        assert!(ResultRecord::from_bytes(&bad).is_err(), "{credit:?}");
    }
}

#[test]
fn golden_record_v4_is_frozen_and_checked() {
    use kru_core::record::{format::v2::Compact, RecordSchema};
    use kru_core::Answer;
    let path = format!("{GOLDEN_DIR}record-v4.bin");
    let mut record = golden_record();
    record.responses[1].credit = Credit::new(1, 3).unwrap();
    record.responses[4].credit = Credit::new(5, 6).unwrap();
    // Response 0 (a wrong choice in the pre-test) becomes "I don't know".
    record.responses[0].answer = Answer::DontKnow;
    let bytes = record.to_bytes().unwrap();
    if std::env::var_os("KRU_BLESS").is_some() {
        std::fs::write(&path, &bytes).unwrap();
    }
    let golden = std::fs::read(&path)
        .expect("golden record (regenerate with KRU_BLESS=1 only for a new format)");
    assert_eq!(
        bytes, golden,
        "the record encoding changed: add a new schema version"
    );
    assert_eq!(ResultRecord::from_bytes(&golden).unwrap(), record);
    let owned = RecordSchema::V4(Compact::<4>(record.clone()));
    assert_eq!(postcard::to_allocvec(&owned).unwrap(), golden);
    // Version 4: tag 3, then version 3's head.
    assert_eq!(golden[0], 3);
    let head = golden_head(3);
    assert_eq!(&golden[..head.len()], &head[..]);
    let row0 = head.len() + 1;
    // Row 0: "I don't know" in the scale field (FFFE), credit 0/1, full-credit bit clear.
    assert_eq!(&golden[row0 + 8..row0 + 10], &[0xFE, 0xFF]);
    assert_eq!(&golden[row0 + 4..row0 + 8], &[0, 0, 1, 0]);
    assert_eq!(golden[row0 + 1] & 0x80, 0);
    // A row that says "I don't know" for another answer, or another row for it, is refused.
    let mut not_dk = golden.clone();
    not_dk[row0 + 8..row0 + 10].copy_from_slice(&[0xFF, 0xFF]);
    assert!(ResultRecord::from_bytes(&not_dk).is_err());
    let mut credited = golden.clone();
    credited[row0 + 4..row0 + 8].copy_from_slice(&[1, 0, 1, 0]);
    assert!(ResultRecord::from_bytes(&credited).is_err());
    let mut other = golden.clone();
    let row1 = row0 + 10;
    other[row1 + 8..row1 + 10].copy_from_slice(&[0xFE, 0xFF]);
    assert!(ResultRecord::from_bytes(&other).is_err());
    // An older layout cannot hold "I don't know": writing it there is refused.
    assert!(postcard::to_allocvec(&RecordSchema::V3(Compact::<3>(record.clone()))).is_err());
    // The same record in version 3 bytes with the tag changed to 2 does not read: the answer
    // is unknown to version 3.
    let mut as_v3 = golden.clone();
    as_v3[0] = 2;
    assert!(ResultRecord::from_bytes(&as_v3).is_err());
    // Records of versions 1 to 3 still read.
    for v in 1..=3 {
        let old = std::fs::read(format!("{GOLDEN_DIR}record-v{v}.bin")).unwrap();
        assert!(ResultRecord::from_bytes(&old).is_ok(), "version {v}");
    }
}
