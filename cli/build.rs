//! Compiles the bundled safe-migration pack into `OUT_DIR` so `kru play` works with no file,
//! and lists the web app's files (`web-demo/`, and `bindings-wasm/pkg/` when it is built) for
//! `kru preview` to embed.

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
    println!("cargo:rerun-if-changed={}", root.display());
    let files = kru_core::authoring::read_source_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()));
    for f in &files {
        println!("cargo:rerun-if-changed={}", root.join(&f.path).display());
    }
    let compiled = kru_core::authoring::compile(&files, None);
    let Some(pack) = compiled.pack else {
        for d in &compiled.diagnostics {
            println!("cargo:warning={d}");
        }
        panic!("the bundled pack content-packs/safe-migration has errors (see warnings above)");
    };
    let bytes = kru_core::pack::format::encode(&pack)
        .unwrap_or_else(|e| panic!("encoding the bundled pack: {e}"));
    let out =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("safe-migration.krupack");
    std::fs::write(&out, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
    web_assets();
}

/// Writes `OUT_DIR/web_assets.rs`: `WEB`, the web app's files as (URL path, bytes), and
/// `HAS_ENGINE`, whether the WebAssembly engine was there to embed.
fn web_assets() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let web = root.join("web-demo");
    let pkg = root.join("bindings-wasm/pkg");
    // Each file is watched (not web-demo/, whose test results change often). Without pkg/,
    // bindings-wasm/ is watched so that building the engine embeds it.
    if !pkg.is_dir() {
        println!(
            "cargo:rerun-if-changed={}",
            root.join("bindings-wasm").display()
        );
    }
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    // The app: its pages, modules, styles and icons (not its tests, test results, README, or
    // the demo's signed pack and keys, which preview replaces).
    if let Ok(rd) = std::fs::read_dir(&web) {
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let keep = p.is_file()
                && [".html", ".js", ".css", ".svg", ".webmanifest"]
                    .iter()
                    .any(|x| name.ends_with(x));
            if keep {
                println!("cargo:rerun-if-changed={}", p.display());
                files.push((name, p));
            }
        }
    }
    let mut has_engine = false;
    for name in [
        "kru_wasm.js",
        "kru_wasm_bg.wasm",
        "kru_wasm_full.js",
        "kru_wasm_full_bg.wasm",
    ] {
        let p = pkg.join(name);
        if p.is_file() {
            println!("cargo:rerun-if-changed={}", p.display());
            has_engine |= name == "kru_wasm_bg.wasm";
            files.push((format!("pkg/{name}"), p));
        }
    }
    files.sort();
    let mut src = String::from(
        "/// The web app's files: (URL path, bytes).\npub static WEB: &[(&str, &[u8])] = &[\n",
    );
    for (name, p) in &files {
        src.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            p.display().to_string()
        ));
    }
    src.push_str("];\n");
    src.push_str(&format!(
        "/// Whether the WebAssembly engine is embedded.\npub const HAS_ENGINE: bool = {has_engine};\n"
    ));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("web_assets.rs");
    std::fs::write(&out, src).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
