//! The per-thread last error message: written by the panic boundary (`panic.rs`) when a call
//! fails, read by C with [`kru_last_error_message`].

use core::ffi::c_char;
use std::cell::RefCell;

use crate::error::Failure;
use crate::ffi::out;
use crate::kru_result::{self, *};
use crate::panic::boundary_keep_error;

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Sets the thread's last error message to `function: message`, reusing the thread's buffer.
pub(crate) fn set_last_error(function: &str, message: &dyn core::fmt::Display) {
    LAST_ERROR.with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            use core::fmt::Write;
            m.clear();
            let _ = write!(m, "{function}: {message}");
        }
    });
}

/// Copies the message of this thread's most recent failed call into `buf` (UTF-8,
/// NUL-terminated) and writes its length in bytes, without the NUL, to `*written`. The
/// message says what failed and where, e.g. `kru_pack_load: pack checksum mismatch at offset
/// 5012: …`. Like `errno`, successful calls leave it unchanged, so read it right after the
/// failure; it is empty before any call failed on this thread. Calling this function does
/// not change the message.
///
/// Returns KRU_INSUFFICIENT_SIZE, with the message length in `*written` and nothing copied,
/// when `buf_len` is less than that length + 1. `buf` may be NULL when `buf_len` is 0.
#[no_mangle]
pub unsafe extern "C" fn kru_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    written: *mut usize,
) -> kru_result {
    boundary_keep_error(|| {
        let written = out(written, "written")?;
        let message = LAST_ERROR.with(|m| m.try_borrow().map(|m| m.clone()).unwrap_or_default());
        let len = message.len();
        if buf_len <= len {
            written.set(len);
            return Err(Failure::new(
                KRU_INSUFFICIENT_SIZE,
                format!(
                    "the message needs {} bytes with its NUL, buf_len is {buf_len}",
                    len + 1
                ),
            ));
        }
        if buf.is_null() {
            return Err(Failure::null("buf"));
        }
        // SAFETY: the caller promises `buf` has `buf_len` writable bytes and
        // `buf_len > len`; the regions cannot overlap (ours is a fresh String).
        unsafe {
            core::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast::<u8>(), len);
            buf.cast::<u8>().add(len).write(0);
        }
        written.set(len);
        Ok(())
    })
}
