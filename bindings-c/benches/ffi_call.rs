//! The cost of a call through the C ABI against the same call in Rust.
//!
//! `cargo bench -p kru-c --bench ffi_call`. The FFI functions are called through a
//! `black_box`ed function pointer, so that the optimiser cannot inline them into the
//! benchmark: each call is a real call through the C calling convention, with the handle
//! check, the panic boundary and the per-thread error reset, as from C.
//!
//! Pairs measured:
//! - baseline: `kru_abi_version`, a call that does nothing, for the bare cost of a call;
//! - `step_kind`: `kru_session_step_kind` (reads the step view the binding keeps) against
//!   `session.step().kind()` in Rust (builds the step view, then reads its kind);
//! - `question`: `kru_session_question` (item, answer type, prompt, counts) against
//!   `session.step()` and a match on the question in Rust;
//! - `answer`: answering a question, `kru_session_answer_choice` (which also rebuilds the step
//!   view for the accessors) against `session.answer(...)` alone and
//!   `session.answer(...)` + `session.step()` in Rust.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use kru::{
    kru_answer_type, kru_label, kru_pack, kru_result, kru_session, kru_step_kind, kru_str,
    kru_trust,
};
use kru_core::authoring::{compile, SourceFile};
use kru_core::{Answer, Pack, Session, SessionOptions, Step};

fn pack() -> Pack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
    let mut files = Vec::new();
    for rel in [
        "pack.toml",
        "items.toml",
        "lessons.toml",
        "i18n/en.toml",
        "i18n/km.toml",
    ] {
        if let Ok(text) = std::fs::read_to_string(dir.join(rel)) {
            files.push(SourceFile::new(rel, text));
        }
    }
    let compiled = compile(&files, None);
    let errors: Vec<String> = compiled.errors().map(|d| format!("{d:?}")).collect();
    compiled
        .pack
        .unwrap_or_else(|| panic!("the safe-migration pack does not compile: {errors:?}"))
}

const T0: i64 = 1_767_225_600_000;

fn options() -> SessionOptions<'static> {
    SessionOptions {
        journey: "kiosk",
        languages: &["en"],
        seed: 42,
        learner: "bench",
        now_ms: T0,
    }
}

struct Ffi {
    pack: *mut kru_pack,
}

impl Ffi {
    fn new(bytes: &[u8]) -> Self {
        let mut trust: *mut kru_trust = std::ptr::null_mut();
        let mut pack: *mut kru_pack = std::ptr::null_mut();
        // SAFETY: valid out-pointers and byte ranges.
        unsafe {
            assert_eq!(kru::kru_trust_new(&mut trust), kru_result::KRU_OK);
            assert_eq!(kru::kru_trust_allow_unsigned(trust), kru_result::KRU_OK);
            assert_eq!(
                kru::kru_pack_load(trust, bytes.as_ptr(), bytes.len(), &mut pack),
                kru_result::KRU_OK
            );
            kru::kru_trust_free(trust);
        }
        Ffi { pack }
    }

    fn start(&self) -> *mut kru_session {
        let mut s: *mut kru_session = std::ptr::null_mut();
        let lang = kru_str {
            data: "en".as_ptr().cast(),
            len: 2,
        };
        // SAFETY: valid handles, strings and out-pointer.
        let r = unsafe {
            kru::kru_session_start(
                self.pack,
                "kiosk".as_ptr().cast(),
                5,
                &lang,
                1,
                42,
                "bench".as_ptr().cast(),
                5,
                T0,
                &mut s,
            )
        };
        assert_eq!(r, kru_result::KRU_OK);
        s
    }
}

impl Drop for Ffi {
    fn drop(&mut self) {
        // SAFETY: the pack handle is live and freed once.
        unsafe { kru::kru_pack_free(self.pack) }
    }
}

type StepKindFn = unsafe extern "C" fn(*const kru_session, *mut kru_step_kind) -> kru_result;
type QuestionFn = unsafe extern "C" fn(
    *const kru_session,
    *mut kru_str,
    *mut kru_answer_type,
    *mut kru_label,
    *mut usize,
    *mut usize,
) -> kru_result;
type AnswerChoiceFn = unsafe extern "C" fn(*mut kru_session, u32, i64) -> kru_result;

fn bench(c: &mut Criterion) {
    let pack = Arc::new(pack());
    let bytes = kru_core::pack::format::encode(&pack).expect("encode");
    let ffi = Ffi::new(&bytes);
    let rust_session = Session::start(Arc::clone(&pack), &options()).expect("start");
    let c_session = ffi.start();

    let mut g = c.benchmark_group("step_kind");
    let abi_version: extern "C" fn() -> u32 = black_box(kru::kru_abi_version);
    g.bench_function("ffi baseline: kru_abi_version (empty call)", |b| {
        b.iter(|| black_box(abi_version()))
    });
    g.bench_function("rust: session.step().kind()", |b| {
        b.iter(|| black_box(black_box(&rust_session).step().kind()))
    });
    let step_kind: StepKindFn = black_box(kru::kru_session_step_kind);
    g.bench_function("ffi: kru_session_step_kind", |b| {
        let mut kind = kru_step_kind::KRU_STEP_DONE;
        b.iter(|| {
            // SAFETY: a live session and a valid out-pointer.
            let r = unsafe { step_kind(black_box(c_session), &mut kind) };
            black_box((r, kind))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("question");
    g.bench_function("rust: step() + match Question", |b| {
        b.iter(|| match black_box(&rust_session).step() {
            Step::Question(q) => black_box((
                q.item.len(),
                q.expects,
                q.prompt.text.len(),
                q.options.len(),
            )),
            _ => unreachable!(),
        })
    });
    let question: QuestionFn = black_box(kru::kru_session_question);
    g.bench_function("ffi: kru_session_question", |b| {
        let (mut item, mut prompt) = (
            kru_str {
                data: std::ptr::null(),
                len: 0,
            },
            kru_label {
                text: kru_str {
                    data: std::ptr::null(),
                    len: 0,
                },
                audio: kru_str {
                    data: std::ptr::null(),
                    len: 0,
                },
            },
        );
        let (mut expects, mut n, mut left) = (kru_answer_type::KRU_ANSWER_CHOICE, 0usize, 0usize);
        b.iter(|| {
            // SAFETY: a live session and valid out-pointers.
            let r = unsafe {
                question(
                    black_box(c_session),
                    &mut item,
                    &mut expects,
                    &mut prompt,
                    &mut n,
                    &mut left,
                )
            };
            black_box((r, item.len, prompt.text.len, n))
        })
    });
    g.finish();

    // Answering: the first kiosk question is true/false; the second is a single choice. Start
    // each iteration at the second question (setup not measured).
    let mut at_second = Session::start(Arc::clone(&pack), &options()).expect("start");
    at_second
        .answer(Answer::TrueFalse(false), T0)
        .expect("answer");
    assert_eq!(at_second.step().kind(), "question");
    let snapshot = at_second.snapshot();
    let mut g = c.benchmark_group("answer");
    g.bench_function("rust: session.answer(Choice)", |b| {
        b.iter_batched(
            || at_second.clone(),
            |mut s| {
                s.answer(Answer::Choice(0), T0).expect("answer");
                s
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("rust: session.answer(Choice) + step()", |b| {
        b.iter_batched(
            || at_second.clone(),
            |mut s| {
                s.answer(Answer::Choice(0), T0).expect("answer");
                black_box(s.step().kind());
                s
            },
            BatchSize::SmallInput,
        )
    });
    let answer_choice: AnswerChoiceFn = black_box(kru::kru_session_answer_choice);
    g.bench_function("ffi: kru_session_answer_choice", |b| {
        b.iter_batched(
            || {
                let mut s: *mut kru_session = std::ptr::null_mut();
                // SAFETY: live pack, valid bytes and out-pointer.
                let r = unsafe {
                    kru::kru_session_restore(ffi.pack, snapshot.as_ptr(), snapshot.len(), &mut s)
                };
                assert_eq!(r, kru_result::KRU_OK);
                SessionGuard(s)
            },
            |s| {
                // SAFETY: a live session.
                let r = unsafe { answer_choice(s.0, 0, T0) };
                assert_eq!(r, kru_result::KRU_OK);
                s
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();

    // SAFETY: the session is live and freed once.
    unsafe { kru::kru_session_free(c_session) };
}

/// Frees a session when the benchmark drops it (outside the measured routine).
struct SessionGuard(*mut kru_session);

impl Drop for SessionGuard {
    fn drop(&mut self) {
        // SAFETY: a live session, freed once.
        unsafe { kru::kru_session_free(self.0) }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
