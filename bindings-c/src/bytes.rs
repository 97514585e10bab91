//! Bytes handed out by the library (snapshots, log frames, JSON).

use crate::ffi::{self, handle, kru_slice, out};
use crate::kru_result;
use crate::panic::{boundary, boundary_void};

/// Bytes the library hands out: a snapshot, a log frame, a merged log or JSON. Read them
/// with kru_bytes_data(); free them with kru_bytes_free(). Immutable: may be read from
/// several threads at once.
#[allow(non_camel_case_types)]
pub struct kru_bytes {
    _private: [u8; 0],
}
handle!(kru_bytes => Vec<u8>, b"kru.byte");

/// Wraps bytes in a new handle.
pub(crate) fn new_bytes(bytes: Vec<u8>) -> *mut kru_bytes {
    ffi::new_handle::<kru_bytes>(bytes)
}

/// The bytes: a pointer (never NULL) and a length. Valid until kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_bytes_data(
    bytes: *const kru_bytes,
    out_data: *mut kru_slice,
) -> kru_result {
    boundary("kru_bytes_data", || {
        // SAFETY: argument contract of this function.
        let b = unsafe { ffi::borrow(bytes, "bytes")? };
        out(out_data, "out_data")?.set(kru_slice::of(b));
        Ok(())
    })
}

/// Frees bytes handed out by the library. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn kru_bytes_free(bytes: *mut kru_bytes) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_bytes_free", || unsafe { ffi::free(bytes, "bytes") });
}
