//! Compiles the bundled safe-migration pack into `OUT_DIR` so `kru play` works with no file.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<kru_core::authoring::SourceFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            out.push(kru_core::authoring::SourceFile { path: rel, text });
        }
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
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
    let bytes = kru_core::envelope::encode(&pack)
        .unwrap_or_else(|e| panic!("encoding the bundled pack: {e}"));
    let out =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("safe-migration.krupack");
    std::fs::write(&out, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
