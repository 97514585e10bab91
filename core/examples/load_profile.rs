//! Where pack load time goes (checksum, decompression, postcard decode, invariant check).
//! Run: `cargo run --release -p kru-core --features authoring --example load_profile`.
//! Add `--loop decode` (or `lz4`, `load`, `json`) to repeat one part for a profiler.
#[path = "../tests/common/mod.rs"]
mod common;
use std::time::Instant;

fn time<T>(name: &str, n: u32, mut f: impl FnMut() -> T) {
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(f());
    }
    println!(
        "{name:44} {:8.1} µs",
        t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    );
}

fn main() {
    let pack = common::safe_migration();
    let bin = kru_core::pack::format::encode(&pack).unwrap();
    let h = kru_core::pack::format::read_header(&bin).unwrap();
    let payload = &bin[h.payload.clone()];
    let plain = lz4_flex::block::decompress(payload, h.decoded_len).unwrap();
    let json = serde_json::to_vec(&*pack).unwrap();
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
        "{texts} texts, {strings} strings, {bytes} bytes of text; payload {} bytes decoded, file {} bytes, JSON {} bytes",
        plain.len(),
        bin.len(),
        json.len()
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
                    lz4_flex::block::decompress(payload, h.decoded_len).unwrap(),
                )),
                "decode" => drop(std::hint::black_box(
                    kru_core::pack::format::decode_plain_payload(&plain, 0).unwrap(),
                )),
                "json" => drop(std::hint::black_box(
                    serde_json::from_slice::<kru_core::Pack>(&json).unwrap(),
                )),
                _ => drop(std::hint::black_box(
                    kru_core::pack::signature::load(&bin, &trust).unwrap(),
                )),
            }
        }
        return;
    }
    time("read_header (incl. CRC-32)", 500, || {
        kru_core::pack::format::read_header(&bin).unwrap()
    });
    time("LZ4 decompress", 500, || {
        lz4_flex::block::decompress(payload, h.decoded_len).unwrap()
    });
    time("postcard decode (text table + pack)", 500, || {
        kru_core::pack::format::decode_plain_payload(&plain, 0).unwrap()
    });
    time("check (invariants)", 500, || pack.check().unwrap());
    time("full load", 500, || {
        kru_core::pack::signature::load(&bin, &trust).unwrap()
    });
    time("JSON (serde_json::from_slice::<Pack>)", 500, || {
        serde_json::from_slice::<kru_core::Pack>(&json).unwrap()
    });
}
