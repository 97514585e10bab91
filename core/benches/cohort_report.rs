//! Cohort report benchmarks: the report of 10,000 / 100,000 / 1,000,000 learner records read
//! from results-log bytes (frame checksums, decoding, every statistic), and its peak memory.
//!
//! Run: `cargo bench -p kru-core --features authoring --bench cohort_report`
//! (on a shared machine: `-- --warm-up-time 1 --measurement-time 5`).
//!
//! The log: 10,000 learners of the safe-migration pack's school journey (10 % leave before the
//! post-test), simulated once into framed log bytes (7.3 MB). Simulating a million learners
//! takes longer than reporting on them, so the 100,000 and 1,000,000 record inputs are that log
//! fed 10 and 100 times: the report does not deduplicate (it assumes merged logs), so every
//! pass decodes and accumulates every record again, exactly as distinct records would cost.
//!
//! Before criterion's measurements the bench prints, for each size, the peak heap memory the
//! report takes (a counting global allocator: peak live bytes during the report above the
//! bytes live before it, the log itself excluded) and the fastest of several runs, a figure
//! that a loaded machine disturbs less than criterion's mean.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kru_core::record::log;
use kru_core::report::{CohortReport, CohortReportBuilder, ReportOptions};
use kru_core::simulation::{simulate, SimulationOptions};
use kru_core::{Pack, ResultRecord};

#[path = "../tests/common/mod.rs"]
mod common;

/// Counts live heap bytes and their peak.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new >= l.size() {
            let now = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + (new - l.size());
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

const LEARNERS: u32 = 10_000;

fn school_log(pack: &std::sync::Arc<Pack>) -> (Vec<u8>, Vec<ResultRecord>) {
    let mut log = Vec::new();
    let mut records = Vec::new();
    simulate(
        pack,
        &SimulationOptions {
            journey: "school",
            learners: LEARNERS,
            seed: 2026,
            start_ms: 1_790_000_000_000,
            dropout: 0.1,
        },
        |r| {
            log.extend(log::encode_record(&r).expect("encodes"));
            if records.len() < 1000 {
                records.push(r);
            }
        },
    )
    .expect("simulates");
    (log, records)
}

/// The report of `passes` passes over the log.
fn report(pack: &Pack, options: &ReportOptions, log: &[u8], passes: usize) -> CohortReport {
    let mut b = CohortReportBuilder::new(pack, options).expect("options fit the pack");
    for _ in 0..passes {
        b.push_log(log);
    }
    b.finish()
}

/// Prints the peak memory and the fastest time of the report at each size.
fn memory_and_best_times(pack: &Pack, log: &[u8]) {
    println!(
        "cohort report: {} bytes of log per {LEARNERS} learners ({} bytes per record)",
        log.len(),
        log.len() / LEARNERS as usize
    );
    for (label, options) in [
        ("", ReportOptions::default()),
        (" --by sex", ReportOptions::by("sex")),
    ] {
        for passes in [1usize, 10, 100] {
            let before = LIVE.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let t = Instant::now();
            let r = report(pack, &options, log, passes);
            let first = t.elapsed();
            let peak = PEAK.load(Ordering::Relaxed) - before;
            drop(black_box(r));
            // The fastest of a few runs (each run of one pass is short enough to escape most
            // preemption on a busy machine), scaled to the size.
            let mut best = Duration::MAX;
            for _ in 0..10 {
                let t = Instant::now();
                black_box(report(pack, &options, log, 1));
                best = best.min(t.elapsed());
            }
            let records = passes as u64 * u64::from(LEARNERS);
            println!(
                "cohort report{label}: {records:>9} records: one run {:>8.3} s, best-of-10 estimate {:>7.3} s \
                 ({:.0} ns/record), peak heap {:>7.1} KiB",
                first.as_secs_f64(),
                best.as_secs_f64() * passes as f64,
                best.as_nanos() as f64 / f64::from(LEARNERS),
                peak as f64 / 1024.0
            );
        }
    }
}

fn benches(c: &mut Criterion) {
    let pack = common::safe_migration();
    let (log, records) = school_log(&pack);
    memory_and_best_times(&pack, &log);

    let mut g = c.benchmark_group("cohort_report");
    g.sample_size(10);
    for passes in [1usize, 10, 100] {
        let n = passes as u64 * u64::from(LEARNERS);
        g.throughput(Throughput::Elements(n));
        g.bench_function(format!("report from log bytes/{n}"), |b| {
            b.iter(|| report(&pack, &ReportOptions::default(), black_box(&log), passes))
        });
    }
    let n = 10 * u64::from(LEARNERS);
    g.throughput(Throughput::Elements(n));
    g.bench_function(format!("report from log bytes by sex/{n}"), |b| {
        b.iter(|| report(&pack, &ReportOptions::by("sex"), black_box(&log), 10))
    });
    // For comparison: the same records decoded in full, then pushed.
    let sample: Vec<u8> = records
        .iter()
        .flat_map(|r| log::encode_record(r).expect("encodes"))
        .collect();
    g.throughput(Throughput::Elements(records.len() as u64));
    g.bench_function(format!("full decode then report/{}", records.len()), |b| {
        b.iter(|| {
            let mut rb =
                CohortReportBuilder::new(&pack, &ReportOptions::default()).expect("options");
            for r in log::read_records(black_box(&sample)).records {
                rb.push(&r);
            }
            rb.finish()
        })
    });
    g.bench_function(format!("fast decode then report/{}", records.len()), |b| {
        b.iter(|| report(&pack, &ReportOptions::default(), black_box(&sample), 1))
    });
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
