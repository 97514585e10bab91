//! Generates the C header `kru.h` into `OUT_DIR` with cbindgen (pinned in the workspace).
//!
//! The committed `include/kru.h` must equal this output: `tests/header.rs` and
//! `tests/run.sh` fail when it does not. To update it, run `bash bindings-c/tests/run.sh
//! --bless` (or copy `$OUT_DIR/kru.h` over `include/kru.h`).

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");

    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings-c/cbindgen.toml is not a valid cbindgen configuration");
    let version = env::var("CARGO_PKG_VERSION").expect("CARGO_PKG_VERSION");
    let part = |name: &str| env::var(name).expect("CARGO_PKG_VERSION_*");
    config.after_includes = Some(format!(
        "\n/** The library version as a string, e.g. \"{version}\" (see also kru_version()). */\n\
         #define KRU_VERSION \"{version}\"\n\
         /** Major version of the library. */\n\
         #define KRU_VERSION_MAJOR {}\n\
         /** Minor version of the library. */\n\
         #define KRU_VERSION_MINOR {}\n\
         /** Patch version of the library. */\n\
         #define KRU_VERSION_PATCH {}\n",
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH"),
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate kru.h");
    bindings.write_to_file(out_dir.join("kru.h"));
}
