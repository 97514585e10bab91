//! The panic boundary every `extern "C"` function body runs inside: panics never unwind into
//! C, and a failure becomes a result code plus the thread's last error message. The codes
//! come from `error.rs` (the error table); the boundary only runs bodies and reports.

use core::panic::AssertUnwindSafe;
use std::panic::catch_unwind;

use crate::error::FfiResult;
use crate::kru_result::{self, *};
use crate::last_error::set_last_error;

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

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::c_char;

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
