//! Engine benchmarks: pack load, one session step, session memory.
//!
//! Run: `cargo bench -p kru-core --features authoring --bench engine`.
//! Prints the pack sizes and the memory a running session holds before criterion's numbers.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::session::step::Step;
use kru_core::{Answer, Pack, Session, SessionOptions};

#[path = "../tests/common/mod.rs"]
mod common;

/// Counts live heap bytes, to measure what a session holds.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn start(pack: &Arc<Pack>, journey: &str, seed: u64) -> Session {
    Session::start(
        pack.clone(),
        &SessionOptions {
            journey,
            languages: &["km"],
            seed,
            learner: "B-1",
            now_ms: 0,
        },
    )
    .unwrap()
}

fn at_first_question(pack: &Arc<Pack>) -> Session {
    let mut s = start(pack, "school", 3);
    let mut script = common::Script(1);
    while !matches!(s.step(), Step::Question(q) if q.expects == "choice") {
        common::act(&mut s, &mut script, 0);
    }
    s
}

fn report_sizes_and_memory(pack: &Arc<Pack>, bin: &[u8], json: &[u8]) {
    println!(
        "pack sizes: binary {} bytes, JSON {} bytes, binary/JSON = {:.1}%",
        bin.len(),
        json.len(),
        100.0 * bin.len() as f64 / json.len() as f64
    );
    let trust = TrustPolicy::default().allow_unsigned();
    let heap = || {
        (
            LIVE.load(Ordering::Relaxed),
            ALLOCATIONS.load(Ordering::Relaxed),
        )
    };
    let (b0, a0) = heap();
    let loaded = signature::load(bin, &trust).unwrap();
    let (b1, a1) = heap();
    println!(
        "pack in memory: loaded from the binary {} bytes of heap ({} allocations while loading)",
        b1 - b0,
        a1 - a0,
    );
    drop(loaded);
    for journey in ["kiosk", "school"] {
        let before = LIVE.load(Ordering::Relaxed);
        let mut s = start(pack, journey, 11);
        let at_start = LIVE.load(Ordering::Relaxed) - before;
        common::play_out(&mut s, &mut common::Script(5));
        let at_end = LIVE.load(Ordering::Relaxed) - before;
        let snap = s.snapshot().len();
        println!(
            "session memory ({journey}): {at_start} bytes at start, {at_end} bytes at the end (all responses); snapshot {snap} bytes"
        );
        drop(s);
    }
}

fn benches(c: &mut Criterion) {
    let pack = common::safe_migration();
    let bin = kru_core::pack::format::encode(&pack).unwrap();
    let json = serde_json::to_vec(&*pack).unwrap();
    report_sizes_and_memory(&pack, &bin, &json);
    let trust = TrustPolicy::default().allow_unsigned();

    let mut g = c.benchmark_group("pack load");
    g.bench_function("binary (checksum + postcard + invariants)", |b| {
        b.iter(|| signature::load(black_box(&bin), &trust).unwrap())
    });
    let secret = [7u8; 32];
    let signed = signature::sign(&bin, &secret).unwrap();
    let strust = TrustPolicy::trusting(&[signature::public_key(&secret)]).unwrap();
    g.bench_function("binary, signed (+ Ed25519 verify)", |b| {
        b.iter(|| signature::load(black_box(&signed), &strust).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("session step");
    let base = at_first_question(&pack);
    g.bench_function("view the current step", |b| {
        b.iter(|| black_box(base.step()).kind())
    });
    g.bench_function("answer a question", |b| {
        b.iter_batched_ref(
            || base.clone(),
            |s| s.answer(black_box(Answer::Choice(0)), 1).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("one step: view, answer, view the next", |b| {
        b.iter_batched_ref(
            || base.clone(),
            |s| {
                common::act(s, &mut common::Script(1), 1);
                black_box(s.step()).kind()
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("snapshot", |b| b.iter(|| black_box(base.snapshot())));
    let snap = base.snapshot();
    g.bench_function("restore", |b| {
        b.iter(|| Session::restore(pack.clone(), black_box(&snap)).unwrap())
    });
    g.bench_function("start a school session (plan, draw, shuffle)", |b| {
        b.iter(|| start(&pack, "school", black_box(9)))
    });
    g.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
