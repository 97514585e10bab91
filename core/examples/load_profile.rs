//! Where pack load time goes (checksum, decompression, payload decoding, invariant check),
//! with the allocations of each part.
//! Run: `cargo run --release -p kru-core --features authoring --example load_profile`.
//! Add `--loop decode` (or `lz4`, `load`) to repeat one part for a profiler.
//! The same parts in WebAssembly: docs/performance.md, "fifth round: pack decoding" and
//! "seventh round: pack load".
#[path = "../tests/common/mod.rs"]
mod common;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use kru_core::pack::format::{self, PayloadCoding};

/// Counts allocations and their bytes.
struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Fastest and median of 30 batches of `n` calls, and the allocations of one call.
fn time<T>(name: &str, n: u32, mut f: impl FnMut() -> T) {
    let mut per_call = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(f());
        }
        per_call.push(t.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    }
    per_call.sort_by(f64::total_cmp);
    let (a0, b0) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    std::hint::black_box(f());
    let (a1, b1) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    println!(
        "{name:48} min {:7.1} µs  median {:7.1} µs  {} allocations, {} bytes",
        per_call[0],
        per_call[per_call.len() / 2],
        a1 - a0,
        b1 - b0
    );
}

fn main() {
    let pack = common::safe_migration();
    let bin = format::encode(&pack).unwrap();
    let stored = format::encode_with(&pack, PayloadCoding::Stored).unwrap();
    let h = format::read_header(&bin).unwrap();
    let payload = &bin[h.payload.clone()];
    let plain = kru_lz4::decompress(payload, h.decoded_len).unwrap();
    let trust = kru_core::pack::signature::TrustPolicy::default().allow_unsigned();
    let (mut texts, mut strings, mut bytes) = (0, 0, 0);
    pack.for_all_texts(|t| {
        texts += 1;
        for s in t.values().chain(t.audio_values()) {
            strings += 1;
            bytes += s.len();
        }
    });
    println!(
        "{texts} texts, {strings} strings, {bytes} bytes of text; payload {} bytes decoded, file {} bytes ({} stored)",
        plain.len(),
        bin.len(),
        stored.len()
    );
    let args: Vec<String> = std::env::args().collect();
    if let Some(part) = args
        .iter()
        .position(|a| a == "--loop")
        .and_then(|i| args.get(i + 1))
    {
        for _ in 0..20_000 {
            match part.as_str() {
                "lz4" => drop(std::hint::black_box(
                    kru_lz4::decompress(payload, h.decoded_len).unwrap(),
                )),
                "decode" => drop(std::hint::black_box(
                    format::decode_plain_payload(&plain, 0).unwrap(),
                )),
                _ => drop(std::hint::black_box(
                    kru_core::pack::signature::load(&bin, &trust).unwrap(),
                )),
            }
        }
        return;
    }
    let n = 20;
    time("CRC-32 (the signed bytes)", n, || {
        kru_core::checksum::crc32(&bin[..h.signed.end - 4])
    });
    time("read_header (incl. CRC-32)", n, || {
        format::read_header(&bin).unwrap()
    });
    time("LZ4 decompress", n, || {
        kru_lz4::decompress(payload, h.decoded_len).unwrap()
    });
    time("decode_plain_payload (text table + pack)", n, || {
        format::decode_plain_payload(&plain, 0).unwrap()
    });
    time("check (invariants)", n, || pack.check().unwrap());
    // The one text table of a loaded pack (a compiled pack's texts each have their own).
    let loaded = format::decode_plain_payload(&plain, 0).unwrap();
    let table = loaded.meta.title.table_buffer().as_bytes().to_vec();
    time("UTF-8 check of the text table (simdutf8)", n, || {
        simdutf8::basic::from_utf8(&table).is_ok()
    });
    time("the same with core::str::from_utf8 (scalar)", n, || {
        std::str::from_utf8(&table).is_ok()
    });
    time("whole unsigned load (LZ4)", n, || {
        kru_core::pack::signature::load(&bin, &trust).unwrap()
    });
    time("whole unsigned load (stored, no LZ4)", n, || {
        kru_core::pack::signature::load(&stored, &trust).unwrap()
    });
}
