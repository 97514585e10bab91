//! The panic boundary every `extern "C"` function body runs inside, and the per-thread last
//! error message it leaves: panics never unwind into C, and a failure becomes a result code
//! plus a message that C reads with [`kru_last_error_message`]. The codes come from
//! `error.rs` (the error table), which knows nothing of the boundary.

use core::ffi::c_char;
use core::panic::AssertUnwindSafe;
use std::cell::RefCell;
use std::panic::catch_unwind;

use crate::error::{Failure, FfiResult};
use crate::ffi::out;
use crate::kru_result::{self, *};

/// Runs the body of an `extern "C"` function that returns a result code: catches panics
/// (they never unwind into C) and, on failure, sets the thread's last error message, prefixed
/// with the function's name. Like `errno`, a success leaves the message as it was.
pub(crate) fn boundary(name: &'static str, body: impl FnOnce() -> FfiResult) -> kru_result {
    run(name, body)
}

/// Like [`boundary`] but never touches the last error message (for `kru_last_error_message`,
/// which must not replace what it reports with its own failures).
pub(crate) fn boundary_keep_error(body: impl FnOnce() -> FfiResult) -> kru_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => KRU_OK,
        Ok(Err(f)) => f.code,
        Err(_) => KRU_PANIC,
    }
}

fn run(name: &'static str, body: impl FnOnce() -> FfiResult) -> kru_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => KRU_OK,
        Ok(Err(failure)) => {
            set_last_error(name, &failure.message);
            failure.code
        }
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            // Dropping the payload could itself panic; keep it from unwinding into C.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            set_last_error(name, &format_args!("internal error (panic): {what}"));
            KRU_PANIC
        }
    }
}

/// Runs the body of an `extern "C"` function without a result code (the `_free`
/// functions): failures and panics become the thread's last error message.
pub(crate) fn boundary_void(name: &'static str, body: impl FnOnce() -> FfiResult) {
    let _ = run(name, body);
}

// ---------------------------------------------------------------------------------------------
// The last error message

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
/// When `buf_len` is less than that length + 1, copies as much of the message as fits,
/// cut at a UTF-8 character boundary and NUL-terminated (when `buf_len` > 0), writes the
/// full length to `*written` and returns KRU_INSUFFICIENT_SIZE: call again with a buffer of
/// `*written + 1` bytes for all of it. `buf` may be NULL when `buf_len` is 0.
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
        if buf_len > 0 && buf.is_null() {
            return Err(Failure::null("buf"));
        }
        // As much as fits with the NUL, never cutting a UTF-8 character.
        let mut fits = len.min(buf_len.saturating_sub(1));
        while !message.is_char_boundary(fits) {
            fits -= 1;
        }
        if buf_len > 0 {
            // SAFETY: the caller promises `buf` has `buf_len` writable bytes and
            // `fits < buf_len`; the regions cannot overlap (ours is a fresh String).
            unsafe {
                core::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast::<u8>(), fits);
                buf.cast::<u8>().add(fits).write(0);
            }
        }
        written.set(len);
        if fits < len {
            return Err(Failure::new(
                KRU_INSUFFICIENT_SIZE,
                format!(
                    "the message needs {} bytes with its NUL, buf_len is {buf_len}",
                    len + 1
                ),
            ));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_error() -> String {
        let mut buf = vec![0 as c_char; 512];
        let mut n = 0usize;
        // SAFETY: a writable buffer of its length and a valid out-pointer.
        let r = unsafe { crate::kru_last_error_message(buf.as_mut_ptr(), buf.len(), &mut n) };
        assert_eq!(r, KRU_OK);
        String::from_utf8(buf[..n].iter().map(|&c| c as u8).collect()).unwrap()
    }

    #[test]
    fn panics_are_caught_and_reported() {
        let r = boundary("kru_test_panic", || panic!("boom {}", 42));
        assert_eq!(r, KRU_PANIC);
        assert_eq!(
            last_error(),
            "kru_test_panic: internal error (panic): boom 42"
        );
        boundary_void("kru_test_void", || panic!("quiet"));
        assert!(last_error().starts_with("kru_test_void: internal error (panic): quiet"));
        // A success leaves the message as it was.
        assert_eq!(boundary("kru_test_ok", || Ok(())), KRU_OK);
        assert!(last_error().starts_with("kru_test_void: internal error (panic): quiet"));
        // The reader's own failures and panics do not replace the message either.
        assert_eq!(boundary_keep_error(|| panic!("reader")), KRU_PANIC);
        assert!(last_error().starts_with("kru_test_void: internal error (panic): quiet"));
    }
}
