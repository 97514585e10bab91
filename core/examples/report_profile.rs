//! Where the cohort report's time goes per record: framing and CRC, decoding, accumulating.
//! Run: `cargo run --release -p kru-core --features authoring --example report_profile`.
#[path = "../tests/common/mod.rs"]
mod common;
use std::hint::black_box;
use std::time::Instant;

use kru_core::record::log::{self, LogEntry, LogFrames};
use kru_core::report::{CohortReportBuilder, ReportOptions};
use kru_core::simulation::{simulate, SimulationOptions};

const LEARNERS: u32 = 10_000;

fn best(name: &str, mut f: impl FnMut()) {
    let mut best = f64::MAX;
    for _ in 0..15 {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{name:52} {:7.0} ns/record",
        best * 1e9 / f64::from(LEARNERS)
    );
}

fn main() {
    let pack = common::safe_migration();
    let mut log = Vec::new();
    let mut responses = 0usize;
    simulate(
        &pack,
        &SimulationOptions {
            journey: "school",
            learners: LEARNERS,
            seed: 2026,
            start_ms: 1_790_000_000_000,
            dropout: 0.1,
        },
        |r| {
            responses += r.responses.len();
            log.extend(log::encode_record(&r).unwrap());
        },
    )
    .unwrap();
    println!(
        "{} bytes per record, {:.1} responses per record",
        log.len() / LEARNERS as usize,
        responses as f64 / f64::from(LEARNERS)
    );
    let mut other = (*pack).clone();
    other.meta.id = "another-pack".into();
    if let Some(part) = std::env::args().nth(1) {
        let p = if part == "decode" { &other } else { &*pack };
        let times = std::env::args()
            .nth(2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(100);
        for _ in 0..times {
            let mut b = CohortReportBuilder::new(p, &ReportOptions::default()).unwrap();
            b.push_log(&log);
            black_box(b.finish());
        }
        return;
    }
    best("frames (length, CRC-32)", || {
        let mut n = 0usize;
        for e in LogFrames::new(&log) {
            if let LogEntry::Frame { payload, .. } = e {
                n += payload.len();
            }
        }
        black_box(n);
    });
    best("frames + decode (records of another pack)", || {
        let mut b = CohortReportBuilder::new(&other, &ReportOptions::default()).unwrap();
        b.push_log(&log);
        black_box(b.finish());
    });
    best("full report", || {
        let mut b = CohortReportBuilder::new(&pack, &ReportOptions::default()).unwrap();
        b.push_log(&log);
        black_box(b.finish());
    });
    best("full report --by sex", || {
        let mut b = CohortReportBuilder::new(&pack, &ReportOptions::by("sex")).unwrap();
        b.push_log(&log);
        black_box(b.finish());
    });
}
