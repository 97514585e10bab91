//! Library and ABI versions.

use core::ffi::c_char;

/// The ABI version: bumped whenever a change breaks binary compatibility (a function's
/// signature, a struct's layout, an enum's numbers). Compare with kru_abi_version() at run
/// time when loading libkru dynamically.
pub const KRU_ABI_VERSION: u32 = 2;

const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version as a static NUL-terminated string, e.g. `"0.1.0"` (the engine's
/// version; the header's KRU_VERSION is the version it was generated for). Do not free.
#[no_mangle]
pub extern "C" fn kru_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// The ABI version of the library (KRU_ABI_VERSION of the header it was built with).
#[no_mangle]
pub extern "C" fn kru_abi_version() -> u32 {
    KRU_ABI_VERSION
}
