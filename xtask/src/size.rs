//! `cargo xtask size [FILE…]`: the size report and budget of the browser package.
//!
//! For the .wasm and its JS glue (by default `bindings-wasm/pkg/kru_wasm_bg.wasm` and
//! `kru_wasm.js`) prints raw, gzip (level 9) and brotli (quality 11) sizes as a table, writes
//! the same table to `target/size-report.txt`, and fails when the gzip total exceeds
//! [`GZIP_BUDGET`].

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::bail;
use crate::util::{
    banner, display_path, format_bytes, root_path, table, target_dir, IoContext, Result,
};
use crate::wasm::{FULL_STEM, WASM_STEM, WEB};

/// Budget for wasm + JS glue, gzip-compressed: 86 KiB (88,064 bytes). Issue 18's cuts took
/// the module from 115,188 to 104,455 bytes; the interface-string catalogue (issue 12), exact
/// credit and the after-phase review (issue 14) brought it back to 113,099 when they were
/// merged; issue 18's second round (`readLog` in the full module, curve25519-dalek's 64-bit
/// arithmetic, one record decoder, externref glue) to about 108,300 (108,931 later); its third
/// round (records and pack information built by hand, no serde-wasm-bindgen in the main
/// module) to 103,243; its speed work (the step view's hash table of JS strings, CRC-32
/// slicing-by-8, curve25519-dalek's 32-bit backend) added about 1.2 KB, to 104,505. Its fourth
/// round moved Ed25519 out of the main module (`Pack.open` verifies with WebCrypto; ed25519-dalek,
/// SHA-512 and the basepoint table only in the full module): 97,925 (98,388 with the decoding
/// overlapped with WebCrypto). Its fifth round kept in the main module only what a kiosk, a
/// class tablet or an embedding app runs (`coverage()`, `staleResources()` to the full module;
/// `Pack::check`'s id rule without a list of every id): 96,499; and read the pack payload and
/// snapshots by hand instead of serde's derived decoders (`core/src/pack/decode.rs`,
/// `core/src/session/snapshot_decode.rs`): 92,995 alone, 91,605 with the step built in one call (+523 alone) merged.
/// Its sixth round (91,563 at its start): the glue minified by esbuild (−1,268), short
/// import names (−1,880), kru's own words for postcard's and lz4_flex's errors (−434, −294)
/// and no standard library in the main module (−589): 87,099, the budget 86 KiB. Its seventh
/// round (87,134 at its start): the built-in interface strings compiled at build time, so that
/// the module has no TOML reader (−774), UTF-16 by a loop of kru's own (+256, and +73 of glue
/// for Node's `Buffer`), LZ4 through `kru-lz4` compiled for speed (+433): the budget stays
/// 86 KiB. The goal is 60 KB, see docs/performance.md.
pub const GZIP_BUDGET: u64 = 86 * 1024;
/// gzip level used for the report.
const GZIP_LEVEL: u32 = 9;
/// brotli quality used for the report.
const BROTLI_QUALITY: i32 = 11;
/// brotli window (log2 of bytes); 22 is the format's default and maximum for the stream format.
const BROTLI_LG_WINDOW: i32 = 22;

/// Sizes of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Uncompressed bytes.
    pub raw: u64,
    /// gzip -9 bytes.
    pub gzip: u64,
    /// brotli -q 11 bytes.
    pub brotli: u64,
}

/// Compresses `data` both ways and returns the sizes.
pub fn measure(data: &[u8]) -> Result<Sizes> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
    gz.write_all(data)
        .map_err(|e| format!("gzip failed: {e}"))?;
    let gzip = gz.finish().map_err(|e| format!("gzip failed: {e}"))?.len() as u64;
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_LG_WINDOW,
        ..Default::default()
    };
    let mut compressed = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut compressed, &params)
        .map_err(|e| format!("brotli failed: {e}"))?;
    Ok(Sizes {
        raw: data.len() as u64,
        gzip,
        brotli: compressed.len() as u64,
    })
}

/// The files measured by default: the browser package's .wasm and glue.
pub fn default_files() -> Vec<PathBuf> {
    let dir = root_path(WEB.dir);
    vec![
        dir.join(format!("{WASM_STEM}_bg.wasm")),
        dir.join(format!("{WASM_STEM}.js")),
    ]
}

/// The full module of the browser package (with the cohort report and its renderings):
/// reported, outside the budget.
pub fn full_files() -> Vec<PathBuf> {
    let dir = root_path(WEB.dir);
    vec![
        dir.join(format!("{FULL_STEM}_bg.wasm")),
        dir.join(format!("{FULL_STEM}.js")),
    ]
}

/// `cargo xtask size [FILE…]`.
pub fn main(args: &[String]) -> Result {
    let files: Vec<PathBuf> = if args.is_empty() {
        default_files()
    } else {
        let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
        args.iter().map(|a| cwd.join(a)).collect()
    };
    report(&files)
}

/// Measures `files`, prints and writes the report, and checks the budget.
pub fn report(files: &[PathBuf]) -> Result {
    banner("size report");
    let mut rows = vec![vec![
        "file".to_owned(),
        "raw".to_owned(),
        "gzip -9".to_owned(),
        "brotli -q11".to_owned(),
    ]];
    let mut total = Sizes {
        raw: 0,
        gzip: 0,
        brotli: 0,
    };
    for file in files {
        let data = read(file)?;
        let s = measure(&data)?;
        rows.push(vec![
            display_path(file),
            format_bytes(s.raw),
            format_bytes(s.gzip),
            format_bytes(s.brotli),
        ]);
        total.raw += s.raw;
        total.gzip += s.gzip;
        total.brotli += s.brotli;
    }
    rows.push(vec![
        "total".to_owned(),
        format_bytes(total.raw),
        format_bytes(total.gzip),
        format_bytes(total.brotli),
    ]);
    let within = total.gzip <= GZIP_BUDGET;
    let mut text = table(&rows, &[false, true, true, true]);
    text.push_str(&format!(
        "\nbudget: gzip total {} of {} bytes ({:.1}%) {}\n",
        format_bytes(total.gzip),
        format_bytes(GZIP_BUDGET),
        total.gzip as f64 * 100.0 / GZIP_BUDGET as f64,
        if within { "✓" } else { "✗ OVER BUDGET" }
    ));
    let full = full_files();
    if files == default_files().as_slice() && full.iter().all(|f| f.is_file()) {
        let mut rows = vec![vec![
            "full module (cohortReport), not in the budget".to_owned(),
            "raw".to_owned(),
            "gzip -9".to_owned(),
            "brotli -q11".to_owned(),
        ]];
        let mut sum = Sizes {
            raw: 0,
            gzip: 0,
            brotli: 0,
        };
        for file in &full {
            let s = measure(&read(file)?)?;
            rows.push(vec![
                display_path(file),
                format_bytes(s.raw),
                format_bytes(s.gzip),
                format_bytes(s.brotli),
            ]);
            sum.raw += s.raw;
            sum.gzip += s.gzip;
            sum.brotli += s.brotli;
        }
        rows.push(vec![
            "total".to_owned(),
            format_bytes(sum.raw),
            format_bytes(sum.gzip),
            format_bytes(sum.brotli),
        ]);
        text.push('\n');
        text.push_str(&table(&rows, &[false, true, true, true]));
    }
    print!("{text}");
    let out = target_dir().join("size-report.txt");
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).at("cannot create", parent)?;
    }
    std::fs::write(&out, &text).at("cannot write", &out)?;
    println!("(written to {})", display_path(&out));
    if !within {
        bail!(
            "size budget exceeded: wasm + glue is {} bytes gzipped, the budget is {} bytes",
            format_bytes(total.gzip),
            format_bytes(GZIP_BUDGET)
        );
    }
    Ok(())
}

fn read(file: &Path) -> Result<Vec<u8>> {
    if !file.is_file() {
        bail!(
            "missing: {} (build it with `cargo xtask wasm`)",
            display_path(file)
        );
    }
    std::fs::read(file).at("cannot read", file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_shrinks_repetitive_data() {
        let data = b"kru kru kru kru kru kru kru kru kru kru kru kru kru kru kru kru ".repeat(64);
        let s = measure(&data).unwrap();
        assert_eq!(s.raw, data.len() as u64);
        assert!(s.gzip < s.raw / 10, "{s:?}");
        assert!(s.brotli < s.raw / 10, "{s:?}");
    }

    #[test]
    fn empty_input_has_a_small_header() {
        let s = measure(b"").unwrap();
        assert_eq!(s.raw, 0);
        assert!(s.gzip > 0 && s.gzip < 32, "{s:?}");
        assert!(s.brotli < 8, "{s:?}");
    }
}
