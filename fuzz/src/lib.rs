//! Shared code of the kru-core fuzz targets: the harness (also replayed by
//! `core/tests/fuzz_corpus.rs`) and the packs sessions run on.

#[path = "../../core/tests/tiny/mod.rs"]
pub mod tiny;

pub mod harness;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use kru_core::Pack;

/// The source folder of the real pack.
pub fn pack_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration")
}

/// The packs, built once per process.
pub fn packs() -> &'static harness::Packs {
    static PACKS: OnceLock<harness::Packs> = OnceLock::new();
    PACKS.get_or_init(|| harness::Packs {
        tiny: Arc::new(tiny::tiny_pack()),
        real: real_pack(),
    })
}

/// The safe-migration pack compiled from its sources, if it compiles.
#[cfg(feature = "authoring")]
fn real_pack() -> Option<Arc<Pack>> {
    let out = kru_core::authoring::compile(sources(), None);
    if out.pack.is_none() {
        eprintln!("kru-fuzz: the safe-migration pack does not compile; using the tiny pack only");
    }
    out.pack.map(Arc::new)
}

#[cfg(not(feature = "authoring"))]
fn real_pack() -> Option<Arc<Pack>> {
    None
}

/// The safe-migration source files, read once.
#[cfg(feature = "authoring")]
pub fn sources() -> &'static [kru_core::authoring::SourceFile] {
    static SOURCES: OnceLock<Vec<kru_core::authoring::SourceFile>> = OnceLock::new();
    SOURCES.get_or_init(|| harness::read_sources(&pack_dir()))
}
