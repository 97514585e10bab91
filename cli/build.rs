//! Compiles the bundled safe-migration pack into `OUT_DIR` so `kru play` works with no file.

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
}
