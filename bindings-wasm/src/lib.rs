//! # kru-wasm
//!
//! WebAssembly bindings of the **kru** quiz engine ([`kru_core`]), for browsers and Node.js.
//! `cargo xtask wasm` turns this crate into two npm packages: `bindings-wasm/pkg` (ES module
//! for browsers, `--target web`) and `bindings-wasm/pkg-node` (`--target nodejs`).
//!
//! The JS API (see `docs/js-api.md`):
//! - [`Pack`]: `Pack.open(bytes, { trustedKeys, allowUnsigned })` (a promise: Ed25519 by the
//!   host's WebCrypto), `Pack.load` (synchronous, Ed25519 in WebAssembly: with the `ed25519`
//!   feature, i.e. the `full` module), `journeys()`, `languages()`, `resources(todayMs)`;
//!   with the `analysis` feature (the `full` module) also `catalogue()`, `coverage()` and
//!   `staleResources(todayMs)`, which authors, translators and officers need, not kiosks;
//! - [`Session`]: `Session.start(pack, options)`, `step()`, `answer()`,
//!   `advance()`, `setLanguages()`, `snapshot()`, `Session.restore()`, `finish()`, `abandon()`;
//! - results logs ([`log`]): `appendOffset`;
//! - with the default `analysis` feature (the npm package's `full` module): reading results
//!   logs (`readLog`, `LogReader`), the cohort report
//!   (`report`) `cohortReport(pack, logBytes, options)`, the core's renderings of it
//!   (`reportHtml`, `reportCsv`, `responsesCsv`), and `mergeLogs`; xAPI statements
//!   ([`xapi`]) `xapiStatements(pack, recordBytes, options)`, `xapiRecords(pack, pages)`;
//! - interface strings ([`ui`]): `uiStrings(languages, builtins)`,
//!   `pack.uiStrings(languages, builtins)`;
//! - [`version()`].
//!
//! Thin on purpose: every rule lives in the core; this crate converts arguments, results and
//! errors (see [`error`]: every error is a JS `Error` with a stable `code`). Results leave as
//! plain objects built by hand in the shape of the core's serde form: the step view by
//! [`view`] (with the pack's strings made once), records and pack information by [`plain`];
//! only the `full` module's cohort report, catalogue and log contents go through
//! `serde-wasm-bindgen`. The few small argument objects are read with `Reflect` (see [`js`]),
//! answers in one call into JS (`answer`); bytes cross as `Uint8Array`.
//! Precise TypeScript types for every object are in `src/types.d.ts`, appended to the
//! generated `.d.ts`.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]
#![cfg_attr(not(any(test, feature = "std")), no_std)]

extern crate alloc;

mod answer;
pub mod error;
pub mod js;
pub mod log;
pub mod opening;
pub mod pack;
pub mod plain;
#[cfg(feature = "analysis")]
pub mod report;
pub mod session;
mod tape;
pub mod ui;
pub mod view;
#[cfg(feature = "analysis")]
pub mod xapi;

use wasm_bindgen::prelude::wasm_bindgen;

pub use error::{KruError, KruResult};
pub use pack::Pack;
pub use session::Session;

/// The TypeScript types of every plain object the API takes or returns.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// The engine's version (the `kru-core` crate version, which this package shares).
#[wasm_bindgen]
pub fn version() -> alloc::string::String {
    kru_core::ENGINE_VERSION.into()
}

/// talc instead of std's dlmalloc: smaller and faster on wasm (single-threaded).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Without the `std` feature (the main module): a panic traps (`unreachable`, a
/// `RuntimeError` in JavaScript), which is what std's handler does with `panic = "abort"` on
/// wasm32-unknown-unknown, where it has nowhere to print the message. Bad input never gets
/// here: every error is a `KruError` with its own message.
#[cfg(all(not(feature = "std"), not(test), target_family = "wasm"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
