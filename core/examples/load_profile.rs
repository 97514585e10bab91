//! Where pack load time goes (checksum, decompression, postcard decode, invariant check).
//! Run: `cargo run --release -p kru-core --features authoring --example load_profile`.
#[path = "../tests/common/mod.rs"]
mod common;
use std::time::Instant;

fn time<T>(name: &str, n: u32, mut f: impl FnMut() -> T) {
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(f());
    }
    println!(
        "{name:40} {:8.1} µs",
        t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    );
}

fn main() {
    let pack = common::safe_migration();
    let bin = kru_core::envelope::encode(&pack).unwrap();
    let h = kru_core::envelope::read_header(&bin).unwrap();
    let payload = &bin[h.payload.clone()];
    let plain = lz4_flex::block::decompress(payload, h.decoded_len).unwrap();
    let json = serde_json::to_vec(&*pack).unwrap();
    let mut strings: Vec<String> = Vec::new();
    pack.for_each_text(|t| strings.extend(t.values.iter().cloned()));
    let sbytes = postcard::to_allocvec(&strings).unwrap();
    let arena: String = strings.concat();
    let abytes = postcard::to_allocvec(&arena).unwrap();
    println!("texts: {} strings, {} bytes", strings.len(), arena.len());
    time("read_header (incl. crc)", 200, || {
        kru_core::envelope::read_header(&bin).unwrap()
    });
    time("lz4 decompress", 200, || {
        lz4_flex::block::decompress(payload, h.decoded_len).unwrap()
    });
    time("postcard decode", 200, || {
        postcard::from_bytes::<kru_core::envelope::PackSchema>(&plain).unwrap()
    });
    time("  of which the texts as Vec<String>", 200, || {
        postcard::from_bytes::<Vec<String>>(&sbytes).unwrap()
    });
    time("  the texts as Vec<&str> (no copies)", 200, || {
        postcard::from_bytes::<Vec<&str>>(&sbytes).unwrap().len()
    });
    time("  the texts as one arena String", 200, || {
        postcard::from_bytes::<String>(&abytes).unwrap()
    });
    time("check", 200, || pack.check().unwrap());
    time("full load", 200, || {
        kru_core::signature::load(
            &bin,
            &kru_core::signature::TrustPolicy::default().allow_unsigned(),
        )
        .unwrap()
    });
    time("json", 200, || {
        serde_json::from_slice::<kru_core::Pack>(&json).unwrap()
    });
}
