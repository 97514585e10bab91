//! Result codes, the per-thread last error message, and the conversion of core errors.
//!
//! Every core error maps to one [`kru_result`] in one `match` per error family (unknown,
//! future variants last), and its `Display` text becomes the thread's last error message,
//! prefixed with the name of the C function that failed.

use core::ffi::c_char;
use std::cell::RefCell;

use kru_core::envelope::PackError;
use kru_core::item::AnswerError;
use kru_core::result_record::RecordError;
use kru_core::results_log::LogError;
use kru_core::SessionError;

/// The result of every fallible call. The numbers are permanent: a retired code keeps its
/// number reserved and a new code gets a new number.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kru_result {
    /// Success.
    KRU_OK = 0,
    /// An internal error (a panic) was caught at the boundary. The handle involved may be
    /// in an unspecified but safe state; free it.
    KRU_PANIC = 1,
    /// A required pointer argument is NULL.
    KRU_NULL_ARGUMENT = 2,
    /// A string argument is not valid UTF-8.
    KRU_INVALID_UTF8 = 3,
    /// The caller's buffer is too small; the needed size was written.
    KRU_INSUFFICIENT_SIZE = 4,
    /// An index or a length is out of range.
    KRU_OUT_OF_RANGE = 5,
    /// The pointer is not a live handle of the expected type.
    KRU_INVALID_HANDLE = 6,
    /// The accessor does not apply to the kind of the current step (e.g. asking a page for
    /// its question options).
    KRU_WRONG_STEP = 7,
    /// An argument has an invalid value (e.g. a public key that is not 32 bytes).
    KRU_INVALID_ARGUMENT = 8,
    /// A public key is not a valid Ed25519 key.
    KRU_INVALID_PUBLIC_KEY = 9,

    /// Pack: the bytes end before a field that must be there.
    KRU_PACK_TRUNCATED = 100,
    /// Pack: not a kru pack (bad magic number).
    KRU_PACK_BAD_MAGIC = 101,
    /// Pack: a pack format this engine does not read.
    KRU_PACK_UNSUPPORTED_FORMAT = 102,
    /// Pack: unknown header flags.
    KRU_PACK_UNKNOWN_FLAGS = 103,
    /// Pack: larger than the engine accepts (or declares a length beyond the limit).
    KRU_PACK_TOO_LARGE = 104,
    /// Pack: the header's pack id is invalid.
    KRU_PACK_BAD_ID = 105,
    /// Pack: checksum mismatch; the file is damaged.
    KRU_PACK_CHECKSUM_MISMATCH = 106,
    /// Pack: bytes after the end of the pack.
    KRU_PACK_TRAILING_BYTES = 107,
    /// Pack: the payload does not decode.
    KRU_PACK_DECODE = 108,
    /// Pack: the header disagrees with the payload.
    KRU_PACK_HEADER_MISMATCH = 109,
    /// Pack: needs a newer engine.
    KRU_PACK_ENGINE_TOO_OLD = 110,
    /// Pack: the content breaks an invariant (the message says where).
    KRU_PACK_INVALID = 111,
    /// Pack: not signed, and the trust policy does not allow unsigned packs.
    KRU_PACK_UNSIGNED = 112,
    /// Pack: the signature block is malformed.
    KRU_PACK_MALFORMED_SIGNATURE = 113,
    /// Pack: the signature does not match the contents (the pack was changed after signing).
    KRU_PACK_SIGNATURE_MISMATCH = 114,
    /// Pack: signed by a key the trust policy does not trust.
    KRU_PACK_UNTRUSTED_SIGNER = 115,
    /// Pack: any other pack error (from a newer engine).
    KRU_PACK_ERROR = 199,

    /// Session: the pack has no journey with that id.
    KRU_UNKNOWN_JOURNEY = 200,
    /// Session: the learner code is empty, too long or has control characters.
    KRU_BAD_LEARNER_CODE = 201,
    /// Session: the answer's type does not fit the question (e.g. text for a choice item).
    KRU_WRONG_ANSWER_TYPE = 202,
    /// Session: an answer index is out of range, repeated, or a list has the wrong length.
    KRU_ANSWER_OUT_OF_RANGE = 203,
    /// Session: a text answer is too long.
    KRU_ANSWER_TOO_LONG = 204,
    /// Session: the current step does not take an answer (call kru_session_advance).
    KRU_NOT_ANSWERABLE = 205,
    /// Session: the current step must be answered before advancing.
    KRU_ANSWER_REQUIRED = 206,
    /// Session: an intake answer is required, too long or not printable.
    KRU_INVALID_CHOICE = 207,
    /// Session: the session has already ended (finished or abandoned).
    KRU_SESSION_ENDED = 208,
    /// Session: kru_session_finish before the end of the journey (use kru_session_abandon).
    KRU_NOT_FINISHED = 209,
    /// Session: a snapshot is damaged, from another pack, or from an incompatible engine.
    KRU_BAD_SNAPSHOT = 210,
    /// Session: any other session error (from a newer engine).
    KRU_SESSION_ERROR = 299,

    /// Record: a result record does not decode.
    KRU_RECORD_DECODE = 300,
    /// Record: a result record is larger than the limit.
    KRU_RECORD_TOO_LARGE = 301,
    /// Record: a result record could not be encoded.
    KRU_RECORD_ENCODE = 302,
    /// Record: any other record or log error.
    KRU_RECORD_ERROR = 399,

    /// Report: the cohort report could not be computed.
    KRU_REPORT_ERROR = 400,
    /// Report: the `by` option names no intake field of the pack.
    KRU_REPORT_UNKNOWN_FIELD = 401,

    /// xAPI: any other error turning a record into statements.
    KRU_XAPI_ERROR = 500,
    /// xAPI: the record does not fit the pack (another pack, or a journey, phase, item or
    /// answer the pack does not have).
    KRU_XAPI_RECORD_NOT_IN_PACK = 501,
    /// xAPI: the account home page is not an absolute http(s) IRI.
    KRU_XAPI_BAD_HOME_PAGE = 502,
}

use kru_result::*;

/// Every code with its name and static description, for [`kru_result_name`] and
/// [`kru_result_message`] (and the tests that check the numbers never change).
pub(crate) const CODES: &[(kru_result, &str, &str)] = &[
    (KRU_OK, "KRU_OK\0", "success\0"),
    (
        KRU_PANIC,
        "KRU_PANIC\0",
        "internal error (a panic was caught)\0",
    ),
    (
        KRU_NULL_ARGUMENT,
        "KRU_NULL_ARGUMENT\0",
        "a required pointer argument is NULL\0",
    ),
    (
        KRU_INVALID_UTF8,
        "KRU_INVALID_UTF8\0",
        "a string argument is not valid UTF-8\0",
    ),
    (
        KRU_INSUFFICIENT_SIZE,
        "KRU_INSUFFICIENT_SIZE\0",
        "the buffer is too small\0",
    ),
    (
        KRU_OUT_OF_RANGE,
        "KRU_OUT_OF_RANGE\0",
        "an index or length is out of range\0",
    ),
    (
        KRU_INVALID_HANDLE,
        "KRU_INVALID_HANDLE\0",
        "not a live handle of the expected type\0",
    ),
    (
        KRU_WRONG_STEP,
        "KRU_WRONG_STEP\0",
        "the accessor does not apply to the current step\0",
    ),
    (
        KRU_INVALID_ARGUMENT,
        "KRU_INVALID_ARGUMENT\0",
        "an argument has an invalid value\0",
    ),
    (
        KRU_INVALID_PUBLIC_KEY,
        "KRU_INVALID_PUBLIC_KEY\0",
        "not a valid Ed25519 public key\0",
    ),
    (
        KRU_PACK_TRUNCATED,
        "KRU_PACK_TRUNCATED\0",
        "the pack is truncated\0",
    ),
    (
        KRU_PACK_BAD_MAGIC,
        "KRU_PACK_BAD_MAGIC\0",
        "not a kru pack\0",
    ),
    (
        KRU_PACK_UNSUPPORTED_FORMAT,
        "KRU_PACK_UNSUPPORTED_FORMAT\0",
        "unsupported pack format version\0",
    ),
    (
        KRU_PACK_UNKNOWN_FLAGS,
        "KRU_PACK_UNKNOWN_FLAGS\0",
        "the pack header has unknown flags\0",
    ),
    (
        KRU_PACK_TOO_LARGE,
        "KRU_PACK_TOO_LARGE\0",
        "the pack is too large\0",
    ),
    (
        KRU_PACK_BAD_ID,
        "KRU_PACK_BAD_ID\0",
        "the pack header has an invalid pack id\0",
    ),
    (
        KRU_PACK_CHECKSUM_MISMATCH,
        "KRU_PACK_CHECKSUM_MISMATCH\0",
        "pack checksum mismatch (damaged file)\0",
    ),
    (
        KRU_PACK_TRAILING_BYTES,
        "KRU_PACK_TRAILING_BYTES\0",
        "unexpected bytes after the end of the pack\0",
    ),
    (
        KRU_PACK_DECODE,
        "KRU_PACK_DECODE\0",
        "the pack payload does not decode\0",
    ),
    (
        KRU_PACK_HEADER_MISMATCH,
        "KRU_PACK_HEADER_MISMATCH\0",
        "the pack header disagrees with its payload\0",
    ),
    (
        KRU_PACK_ENGINE_TOO_OLD,
        "KRU_PACK_ENGINE_TOO_OLD\0",
        "the pack needs a newer engine\0",
    ),
    (
        KRU_PACK_INVALID,
        "KRU_PACK_INVALID\0",
        "the pack content is invalid\0",
    ),
    (
        KRU_PACK_UNSIGNED,
        "KRU_PACK_UNSIGNED\0",
        "the pack is not signed and unsigned packs are not allowed\0",
    ),
    (
        KRU_PACK_MALFORMED_SIGNATURE,
        "KRU_PACK_MALFORMED_SIGNATURE\0",
        "the pack signature block is malformed\0",
    ),
    (
        KRU_PACK_SIGNATURE_MISMATCH,
        "KRU_PACK_SIGNATURE_MISMATCH\0",
        "the pack signature does not match its contents\0",
    ),
    (
        KRU_PACK_UNTRUSTED_SIGNER,
        "KRU_PACK_UNTRUSTED_SIGNER\0",
        "the pack is signed by an untrusted key\0",
    ),
    (
        KRU_PACK_ERROR,
        "KRU_PACK_ERROR\0",
        "the pack could not be loaded\0",
    ),
    (
        KRU_UNKNOWN_JOURNEY,
        "KRU_UNKNOWN_JOURNEY\0",
        "the pack has no journey with that id\0",
    ),
    (
        KRU_BAD_LEARNER_CODE,
        "KRU_BAD_LEARNER_CODE\0",
        "invalid learner code\0",
    ),
    (
        KRU_WRONG_ANSWER_TYPE,
        "KRU_WRONG_ANSWER_TYPE\0",
        "the answer type does not fit the question\0",
    ),
    (
        KRU_ANSWER_OUT_OF_RANGE,
        "KRU_ANSWER_OUT_OF_RANGE\0",
        "the answer is out of range\0",
    ),
    (
        KRU_ANSWER_TOO_LONG,
        "KRU_ANSWER_TOO_LONG\0",
        "the text answer is too long\0",
    ),
    (
        KRU_NOT_ANSWERABLE,
        "KRU_NOT_ANSWERABLE\0",
        "the current step does not take an answer\0",
    ),
    (
        KRU_ANSWER_REQUIRED,
        "KRU_ANSWER_REQUIRED\0",
        "the current step must be answered first\0",
    ),
    (
        KRU_INVALID_CHOICE,
        "KRU_INVALID_CHOICE\0",
        "the answer does not fit the intake field or story choice\0",
    ),
    (
        KRU_SESSION_ENDED,
        "KRU_SESSION_ENDED\0",
        "the session has already ended\0",
    ),
    (
        KRU_NOT_FINISHED,
        "KRU_NOT_FINISHED\0",
        "the journey is not finished yet\0",
    ),
    (
        KRU_BAD_SNAPSHOT,
        "KRU_BAD_SNAPSHOT\0",
        "the snapshot cannot be restored\0",
    ),
    (KRU_SESSION_ERROR, "KRU_SESSION_ERROR\0", "session error\0"),
    (
        KRU_RECORD_DECODE,
        "KRU_RECORD_DECODE\0",
        "the result record does not decode\0",
    ),
    (
        KRU_RECORD_TOO_LARGE,
        "KRU_RECORD_TOO_LARGE\0",
        "the result record is too large\0",
    ),
    (
        KRU_RECORD_ENCODE,
        "KRU_RECORD_ENCODE\0",
        "the result record could not be encoded\0",
    ),
    (
        KRU_RECORD_ERROR,
        "KRU_RECORD_ERROR\0",
        "result record or log error\0",
    ),
    (
        KRU_REPORT_ERROR,
        "KRU_REPORT_ERROR\0",
        "the cohort report could not be computed\0",
    ),
    (
        KRU_REPORT_UNKNOWN_FIELD,
        "KRU_REPORT_UNKNOWN_FIELD\0",
        "the report groups by an unknown intake field\0",
    ),
    (
        KRU_XAPI_ERROR,
        "KRU_XAPI_ERROR\0",
        "the record could not be turned into xAPI statements\0",
    ),
    (
        KRU_XAPI_RECORD_NOT_IN_PACK,
        "KRU_XAPI_RECORD_NOT_IN_PACK\0",
        "the record does not fit the pack\0",
    ),
    (
        KRU_XAPI_BAD_HOME_PAGE,
        "KRU_XAPI_BAD_HOME_PAGE\0",
        "the xAPI account home page is not an absolute http(s) IRI\0",
    ),
];

const UNKNOWN_NAME: &str = "KRU_UNKNOWN_RESULT\0";
const UNKNOWN_MESSAGE: &str = "unknown result code\0";

/// Why a call failed: the code and the message (without the function name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) code: kru_result,
    pub(crate) message: String,
}

/// What every `extern "C"` body returns.
pub(crate) type FfiResult<T = ()> = Result<T, Failure>;

impl Failure {
    pub(crate) fn new(code: kru_result, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn null(arg: &str) -> Self {
        Self::new(KRU_NULL_ARGUMENT, format!("argument `{arg}` is NULL"))
    }

    pub(crate) fn out_of_range(what: &str, index: usize, len: usize) -> Self {
        Self::new(
            KRU_OUT_OF_RANGE,
            if len == 0 {
                format!("{what} index {index} is out of range: there are none")
            } else {
                format!(
                    "{what} index {index} is out of range: there are {len} (0 to {})",
                    len - 1
                )
            },
        )
    }
}

impl From<PackError> for Failure {
    fn from(e: PackError) -> Self {
        let code = match &e {
            PackError::Truncated { .. } => KRU_PACK_TRUNCATED,
            PackError::BadMagic => KRU_PACK_BAD_MAGIC,
            PackError::UnsupportedFormat { .. } => KRU_PACK_UNSUPPORTED_FORMAT,
            PackError::UnknownFlags(_) => KRU_PACK_UNKNOWN_FLAGS,
            PackError::TooLarge { .. } => KRU_PACK_TOO_LARGE,
            PackError::BadId => KRU_PACK_BAD_ID,
            PackError::ChecksumMismatch { .. } => KRU_PACK_CHECKSUM_MISMATCH,
            PackError::TrailingBytes(_) => KRU_PACK_TRAILING_BYTES,
            PackError::Decode { .. } => KRU_PACK_DECODE,
            PackError::HeaderMismatch { .. } => KRU_PACK_HEADER_MISMATCH,
            PackError::EngineTooOld { .. } => KRU_PACK_ENGINE_TOO_OLD,
            PackError::Invalid { .. } => KRU_PACK_INVALID,
            PackError::Unsigned => KRU_PACK_UNSIGNED,
            PackError::MalformedSignature(_) => KRU_PACK_MALFORMED_SIGNATURE,
            PackError::SignatureMismatch { .. } => KRU_PACK_SIGNATURE_MISMATCH,
            PackError::UntrustedSigner { .. } => KRU_PACK_UNTRUSTED_SIGNER,
            _ => KRU_PACK_ERROR,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<SessionError> for Failure {
    fn from(e: SessionError) -> Self {
        let code = match &e {
            SessionError::UnknownJourney(_) => KRU_UNKNOWN_JOURNEY,
            SessionError::BadLearnerCode { .. } => KRU_BAD_LEARNER_CODE,
            SessionError::Answer(a) => match a {
                AnswerError::WrongType { .. } => KRU_WRONG_ANSWER_TYPE,
                AnswerError::OutOfRange { .. } => KRU_ANSWER_OUT_OF_RANGE,
                AnswerError::TooLong { .. } => KRU_ANSWER_TOO_LONG,
                _ => KRU_SESSION_ERROR,
            },
            SessionError::NotAnswerable { .. } => KRU_NOT_ANSWERABLE,
            SessionError::AnswerRequired { .. } => KRU_ANSWER_REQUIRED,
            SessionError::InvalidChoice(_) => KRU_INVALID_CHOICE,
            SessionError::Ended => KRU_SESSION_ENDED,
            SessionError::NotFinished { .. } => KRU_NOT_FINISHED,
            SessionError::Snapshot(_) => KRU_BAD_SNAPSHOT,
            _ => KRU_SESSION_ERROR,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<RecordError> for Failure {
    fn from(e: RecordError) -> Self {
        let code = match &e {
            RecordError::Decode(_) => KRU_RECORD_DECODE,
            RecordError::TooLarge { .. } => KRU_RECORD_TOO_LARGE,
            RecordError::Encode(_) => KRU_RECORD_ENCODE,
            _ => KRU_RECORD_ERROR,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<LogError> for Failure {
    fn from(e: LogError) -> Self {
        match e {
            LogError::Record(r) => r.into(),
            LogError::TooLarge { .. } => Failure::new(KRU_RECORD_TOO_LARGE, e.to_string()),
            other => Failure::new(KRU_RECORD_ERROR, other.to_string()),
        }
    }
}

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

fn lookup(result: u32) -> Option<&'static (kru_result, &'static str, &'static str)> {
    CODES.iter().find(|(code, _, _)| *code as u32 == result)
}

/// The name of a result code as a static NUL-terminated string, e.g. `"KRU_PACK_TRUNCATED"`;
/// `"KRU_UNKNOWN_RESULT"` for a number that is not a code. Never NULL; do not free.
#[no_mangle]
pub extern "C" fn kru_result_name(result: u32) -> *const c_char {
    lookup(result)
        .map_or(UNKNOWN_NAME, |(_, name, _)| name)
        .as_ptr()
        .cast()
}

/// A short static description of a result code as a NUL-terminated string, e.g. `"the pack
/// is truncated"`. For the details of a failure (what and where), use
/// kru_last_error_message(). Never NULL; do not free.
#[no_mangle]
pub extern "C" fn kru_result_message(result: u32) -> *const c_char {
    lookup(result)
        .map_or(UNKNOWN_MESSAGE, |(_, _, message)| message)
        .as_ptr()
        .cast()
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
    crate::ffi::boundary_keep_error(|| {
        let written = crate::ffi::out(written, "written")?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_named_after_themselves() {
        for (i, (code, name, message)) in CODES.iter().enumerate() {
            assert!(name.ends_with('\0') && message.ends_with('\0'));
            assert_eq!(format!("{code:?}\0"), *name);
            assert!(!CODES[..i].iter().any(|(c, _, _)| *c as u32 == *code as u32));
        }
    }

    #[test]
    fn numbers_are_permanent() {
        // These numbers are part of the ABI: never change them.
        let fixed = [
            (KRU_OK, 0),
            (KRU_PANIC, 1),
            (KRU_NULL_ARGUMENT, 2),
            (KRU_INVALID_UTF8, 3),
            (KRU_INSUFFICIENT_SIZE, 4),
            (KRU_OUT_OF_RANGE, 5),
            (KRU_INVALID_HANDLE, 6),
            (KRU_WRONG_STEP, 7),
            (KRU_INVALID_ARGUMENT, 8),
            (KRU_INVALID_PUBLIC_KEY, 9),
            (KRU_PACK_TRUNCATED, 100),
            (KRU_PACK_UNTRUSTED_SIGNER, 115),
            (KRU_PACK_ERROR, 199),
            (KRU_UNKNOWN_JOURNEY, 200),
            (KRU_BAD_SNAPSHOT, 210),
            (KRU_SESSION_ERROR, 299),
            (KRU_RECORD_DECODE, 300),
            (KRU_RECORD_ERROR, 399),
            (KRU_REPORT_ERROR, 400),
            (KRU_REPORT_UNKNOWN_FIELD, 401),
            (KRU_XAPI_ERROR, 500),
            (KRU_XAPI_RECORD_NOT_IN_PACK, 501),
            (KRU_XAPI_BAD_HOME_PAGE, 502),
        ];
        for (code, n) in fixed {
            assert_eq!(code as u32, n, "{code:?}");
        }
    }
}
