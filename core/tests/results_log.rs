//! The results log: crash recovery at every byte offset, corruption, merging.

mod tiny;

use std::sync::Arc;

use kru_core::results_log::{self, LogEntry};
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
        log.extend(results_log::encode_record(r).unwrap());
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
        let rec = results_log::read_records(torn);
        let complete = ends.iter().filter(|&&e| e <= cut).count();
        assert_eq!(rec.records, rs[..complete].to_vec(), "cut at {cut}");
        assert!(rec.undecodable.is_empty());
        // Append after recovery: truncate the torn tail, then append.
        let mut repaired = torn[..results_log::append_offset(torn)].to_vec();
        repaired.extend(results_log::encode_record(&extra).unwrap());
        let after = results_log::read_records(&repaired);
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
        let rec = results_log::read_records(&bad);
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
    let rec = results_log::read_records(&garbage);
    assert!(rec.records.is_empty());
    assert_eq!(rec.damaged.len(), 1);
    let noise: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert!(results_log::read_records(&noise).records.is_empty());
}

#[test]
fn merging_logs_from_many_kiosks_drops_duplicates() {
    let a = records(4, 3);
    let b = records(3, 4);
    let (la, _) = log_of(&a);
    let (lb, _) = log_of(&b);
    let (lab, _) = log_of(&[a[1].clone(), b[0].clone()]);
    let merged = results_log::merge(&[&la, &lb, &lab, &la]);
    let got = results_log::read_records(&merged).records;
    assert_eq!(got.len(), 7);
    let mut ids: Vec<_> = got.iter().map(|r| r.record_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7);
    assert!(results_log::LogReader::new(&merged).all(|e| matches!(e, LogEntry::Frame { .. })));
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
