//! Result codes and the conversion of core errors.
//!
//! The codes are the engine's one error table ([`ErrorCode`], `kru_core::error_code`): every
//! core error says its entry with `code()`, and [`kru_result::from`] gives the C value with
//! the same number. Its `Display` text becomes the thread's last error message, prefixed with
//! the name of the C function that failed. This file does not know about the panic boundary
//! (`panic.rs`), which uses it.

use core::ffi::c_char;
use std::ffi::CString;
use std::sync::OnceLock;

use kru_core::pack::signature::InvalidPublicKey;
use kru_core::pack::PackError;
use kru_core::record::log::LogError;
use kru_core::record::RecordError;
use kru_core::report::ReportError;
use kru_core::{ErrorCode, SessionError};

/// The result of every fallible call: KRU_OK, or the number of an entry of the engine's one
/// error table (`kru_core::ErrorCode`, listed in docs/error-codes.md). The numbers are
/// permanent: a retired code keeps its number reserved and a new code gets a new number.
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
    /// An options argument has the wrong shape (the JavaScript API only: the C API reports
    /// options JSON that does not parse as KRU_INVALID_ARGUMENT).
    KRU_BAD_OPTIONS = 10,
    /// An answer argument has the wrong shape (the JavaScript API only: C answers are typed).
    KRU_BAD_ANSWER = 11,
    /// A value the engine produced could not be converted (the JavaScript API only; a bug).
    KRU_INTERNAL = 12,
    /// The host has no Ed25519 to verify a pack's signature with (the JavaScript API's main
    /// module only, where WebCrypto has no Ed25519; the C API always has it).
    KRU_ED25519_UNAVAILABLE = 13,

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
    /// Pack: the pack could not be encoded (only when writing packs).
    KRU_PACK_ENCODE = 116,
    /// Retired: was the catch-all for pack errors without a code of their own; no longer
    /// returned (every pack error has its own code). The number stays reserved.
    KRU_PACK_ERROR = 199,

    /// Session: the pack has no journey with that id.
    KRU_UNKNOWN_JOURNEY = 200,
    /// Session: the learner code is empty, too long or has control characters.
    KRU_BAD_LEARNER_CODE = 201,
    /// Session: the answer's type does not fit the question (e.g. text for a choice item).
    KRU_WRONG_ANSWER_TYPE = 202,
    /// Session: an answer index is out of range, repeated, or a list has the wrong length.
    KRU_ANSWER_OUT_OF_RANGE = 203,
    /// Session: a text answer (to a question or an intake field) is too long.
    KRU_ANSWER_TOO_LONG = 204,
    /// Session: the current step does not take an answer (a page, feedback, a story
    /// consequence or ending, …: call kru_session_advance).
    KRU_NOT_ANSWERABLE = 205,
    /// Session: the current step must be answered before advancing.
    KRU_ANSWER_REQUIRED = 206,
    /// Session: a required intake field left empty, or an intake text that is not printable
    /// (a text that is too long gives KRU_ANSWER_TOO_LONG).
    KRU_INVALID_CHOICE = 207,
    /// Session: the session has already ended (finished or abandoned).
    KRU_SESSION_ENDED = 208,
    /// Session: kru_session_finish before the end of the journey (use kru_session_abandon).
    KRU_NOT_FINISHED = 209,
    /// Session: a snapshot is damaged, from another pack, or from an incompatible engine.
    KRU_BAD_SNAPSHOT = 210,
    /// Session: the journey is complete (KRU_STEP_DONE) and takes no answer and no advance:
    /// call kru_session_finish() (ABI 2).
    KRU_JOURNEY_COMPLETE = 211,
    /// Session: "I don't know" given to a question that does not offer it
    /// (kru_session_question_dont_know() is false).
    KRU_DONT_KNOW_NOT_OFFERED = 212,
    /// Session: another session failure (e.g. a step that does not serialise as JSON).
    KRU_SESSION_ERROR = 299,

    /// Record: a result record does not decode.
    KRU_RECORD_DECODE = 300,
    /// Record: a result record is larger than the limit.
    KRU_RECORD_TOO_LARGE = 301,
    /// Record: a result record could not be encoded.
    KRU_RECORD_ENCODE = 302,
    /// Retired: was the catch-all for record and log errors without a code of their own; no
    /// longer returned. The number stays reserved.
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
    /// xAPI: a page of statements is not JSON or not statements (JavaScript only; never
    /// returned by C).
    KRU_XAPI_BAD_PAGE = 503,
    /// Interface strings: a catalogue of interface strings does not parse.
    KRU_UI_BAD_CATALOGUE = 600,
    /// Strings: the language is not one of the pack's, or is its default language (the
    /// `kru` tool only; never returned by C).
    KRU_STRINGS_UNKNOWN_LANGUAGE = 700,
    /// Strings: the translations are not in the file's language (the `kru` tool only).
    KRU_STRINGS_WRONG_LANGUAGE = 701,
    /// Strings: a translation breaks a {placeholder} of its source (the `kru` tool only).
    KRU_STRINGS_BROKEN_PLACEHOLDER = 702,
    /// Strings: a strings file cannot be read or written (the `kru` tool only).
    KRU_STRINGS_BAD_FILE = 703,
    /// Workbooks: a source file is not valid TOML, so it cannot be put in a workbook (the
    /// `kru` tool only; never returned by C).
    KRU_WORKBOOK_SOURCE_SYNTAX = 800,
    /// Workbooks: a value has no faithful place in a workbook (the `kru` tool only).
    KRU_WORKBOOK_UNSUPPORTED = 801,
    /// Workbooks: not a readable xlsx or ods file (the `kru` tool only).
    KRU_WORKBOOK_UNREADABLE = 802,
    /// Workbooks: the workbook exceeds a limit (the `kru` tool only).
    KRU_WORKBOOK_TOO_LARGE = 803,
    /// Workbooks: a cell holds a formula (the `kru` tool only).
    KRU_WORKBOOK_FORMULA = 804,
    /// Workbooks: a cell cannot be read (the `kru` tool only).
    KRU_WORKBOOK_BAD_CELL = 805,
    /// Workbooks: a required sheet or column is missing (the `kru` tool only).
    KRU_WORKBOOK_LAYOUT = 806,
    /// Workbooks: the workbook could not be written (the `kru` tool only).
    KRU_WORKBOOK_WRITE = 807,
    /// Question banks: not a GIFT file (the `kru` tool only).
    KRU_GIFT_UNREADABLE = 808,
}

use kru_result::*;

impl From<ErrorCode> for kru_result {
    /// The C value of a table entry (same number: checked by the tests).
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::Panic => KRU_PANIC,
            ErrorCode::NullArgument => KRU_NULL_ARGUMENT,
            ErrorCode::InvalidUtf8 => KRU_INVALID_UTF8,
            ErrorCode::InsufficientSize => KRU_INSUFFICIENT_SIZE,
            ErrorCode::OutOfRange => KRU_OUT_OF_RANGE,
            ErrorCode::InvalidHandle => KRU_INVALID_HANDLE,
            ErrorCode::WrongStep => KRU_WRONG_STEP,
            ErrorCode::InvalidArgument => KRU_INVALID_ARGUMENT,
            ErrorCode::InvalidPublicKey => KRU_INVALID_PUBLIC_KEY,
            ErrorCode::BadOptions => KRU_BAD_OPTIONS,
            ErrorCode::BadAnswer => KRU_BAD_ANSWER,
            ErrorCode::Internal => KRU_INTERNAL,
            ErrorCode::Ed25519Unavailable => KRU_ED25519_UNAVAILABLE,
            ErrorCode::PackTruncated => KRU_PACK_TRUNCATED,
            ErrorCode::PackBadMagic => KRU_PACK_BAD_MAGIC,
            ErrorCode::PackUnsupportedFormat => KRU_PACK_UNSUPPORTED_FORMAT,
            ErrorCode::PackUnknownFlags => KRU_PACK_UNKNOWN_FLAGS,
            ErrorCode::PackTooLarge => KRU_PACK_TOO_LARGE,
            ErrorCode::PackBadId => KRU_PACK_BAD_ID,
            ErrorCode::PackChecksumMismatch => KRU_PACK_CHECKSUM_MISMATCH,
            ErrorCode::PackTrailingBytes => KRU_PACK_TRAILING_BYTES,
            ErrorCode::PackDecode => KRU_PACK_DECODE,
            ErrorCode::PackHeaderMismatch => KRU_PACK_HEADER_MISMATCH,
            ErrorCode::PackEngineTooOld => KRU_PACK_ENGINE_TOO_OLD,
            ErrorCode::PackInvalid => KRU_PACK_INVALID,
            ErrorCode::PackUnsigned => KRU_PACK_UNSIGNED,
            ErrorCode::PackMalformedSignature => KRU_PACK_MALFORMED_SIGNATURE,
            ErrorCode::PackSignatureMismatch => KRU_PACK_SIGNATURE_MISMATCH,
            ErrorCode::PackUntrustedSigner => KRU_PACK_UNTRUSTED_SIGNER,
            ErrorCode::PackEncode => KRU_PACK_ENCODE,
            ErrorCode::PackError => KRU_PACK_ERROR,
            ErrorCode::UnknownJourney => KRU_UNKNOWN_JOURNEY,
            ErrorCode::BadLearnerCode => KRU_BAD_LEARNER_CODE,
            ErrorCode::WrongAnswerType => KRU_WRONG_ANSWER_TYPE,
            ErrorCode::AnswerOutOfRange => KRU_ANSWER_OUT_OF_RANGE,
            ErrorCode::AnswerTooLong => KRU_ANSWER_TOO_LONG,
            ErrorCode::NotAnswerable => KRU_NOT_ANSWERABLE,
            ErrorCode::AnswerRequired => KRU_ANSWER_REQUIRED,
            ErrorCode::InvalidChoice => KRU_INVALID_CHOICE,
            ErrorCode::SessionEnded => KRU_SESSION_ENDED,
            ErrorCode::NotFinished => KRU_NOT_FINISHED,
            ErrorCode::BadSnapshot => KRU_BAD_SNAPSHOT,
            ErrorCode::JourneyComplete => KRU_JOURNEY_COMPLETE,
            ErrorCode::DontKnowNotOffered => KRU_DONT_KNOW_NOT_OFFERED,
            ErrorCode::SessionError => KRU_SESSION_ERROR,
            ErrorCode::RecordDecode => KRU_RECORD_DECODE,
            ErrorCode::RecordTooLarge => KRU_RECORD_TOO_LARGE,
            ErrorCode::RecordEncode => KRU_RECORD_ENCODE,
            ErrorCode::RecordError => KRU_RECORD_ERROR,
            ErrorCode::ReportError => KRU_REPORT_ERROR,
            ErrorCode::ReportUnknownField => KRU_REPORT_UNKNOWN_FIELD,
            ErrorCode::XapiError => KRU_XAPI_ERROR,
            ErrorCode::XapiRecordNotInPack => KRU_XAPI_RECORD_NOT_IN_PACK,
            ErrorCode::XapiBadHomePage => KRU_XAPI_BAD_HOME_PAGE,
            ErrorCode::XapiBadPage => KRU_XAPI_BAD_PAGE,
            ErrorCode::UiBadCatalogue => KRU_UI_BAD_CATALOGUE,
            ErrorCode::StringsUnknownLanguage => KRU_STRINGS_UNKNOWN_LANGUAGE,
            ErrorCode::StringsWrongLanguage => KRU_STRINGS_WRONG_LANGUAGE,
            ErrorCode::StringsBrokenPlaceholder => KRU_STRINGS_BROKEN_PLACEHOLDER,
            ErrorCode::StringsBadFile => KRU_STRINGS_BAD_FILE,
            ErrorCode::WorkbookSourceSyntax => KRU_WORKBOOK_SOURCE_SYNTAX,
            ErrorCode::WorkbookUnsupported => KRU_WORKBOOK_UNSUPPORTED,
            ErrorCode::WorkbookUnreadable => KRU_WORKBOOK_UNREADABLE,
            ErrorCode::WorkbookTooLarge => KRU_WORKBOOK_TOO_LARGE,
            ErrorCode::WorkbookFormula => KRU_WORKBOOK_FORMULA,
            ErrorCode::WorkbookBadCell => KRU_WORKBOOK_BAD_CELL,
            ErrorCode::WorkbookLayout => KRU_WORKBOOK_LAYOUT,
            ErrorCode::WorkbookWrite => KRU_WORKBOOK_WRITE,
            ErrorCode::GiftUnreadable => KRU_GIFT_UNREADABLE,
        }
    }
}

/// A code's name and description as static NUL-terminated strings, for [`kru_result_name`]
/// and [`kru_result_message`].
struct Described {
    number: u32,
    name: CString,
    message: CString,
}

/// The names (`KRU_` + the table name in upper case) and descriptions of KRU_OK and every
/// table entry, made once.
fn described() -> &'static [Described] {
    static TABLE: OnceLock<Vec<Described>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let entry = |code: kru_result, message: &str| Described {
            number: code as u32,
            name: CString::new(format!("{code:?}")).unwrap_or_default(),
            message: CString::new(message).unwrap_or_default(),
        };
        core::iter::once(entry(KRU_OK, "success"))
            .chain(
                ErrorCode::ALL
                    .iter()
                    .map(|&c| entry(c.into(), c.description())),
            )
            .collect()
    })
}

fn lookup(result: u32) -> Option<&'static Described> {
    described().iter().find(|d| d.number == result)
}

/// The name of a result code as a static NUL-terminated string, e.g. `"KRU_PACK_TRUNCATED"`;
/// `"KRU_UNKNOWN_RESULT"` for a number that is not a code. Never NULL; do not free.
#[no_mangle]
pub extern "C" fn kru_result_name(result: u32) -> *const c_char {
    lookup(result).map_or(c"KRU_UNKNOWN_RESULT".as_ptr(), |d| d.name.as_ptr())
}

/// A short static description of a result code as a NUL-terminated string, e.g. `"the pack
/// is truncated"`. For the details of a failure (what and where), use
/// kru_last_error_message(). Never NULL; do not free.
#[no_mangle]
pub extern "C" fn kru_result_message(result: u32) -> *const c_char {
    lookup(result).map_or(c"unknown result code".as_ptr(), |d| d.message.as_ptr())
}

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

/// Converts core errors: the code from the error's table entry, the message from its text.
macro_rules! from_core_errors {
    ($($error:ty),*) => {
        $(
            impl From<$error> for Failure {
                fn from(e: $error) -> Self {
                    Failure::new(e.code().into(), e.to_string())
                }
            }
        )*
    };
}
from_core_errors!(
    PackError,
    InvalidPublicKey,
    SessionError,
    RecordError,
    LogError,
    ReportError
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    /// `KRU_` + the table name in upper case with `_` for `-`.
    fn c_name(code: ErrorCode) -> String {
        format!("KRU_{}", code.name().to_uppercase().replace('-', "_"))
    }

    #[test]
    fn every_table_entry_has_a_c_value_with_its_number_and_name() {
        for &code in ErrorCode::ALL {
            let c = kru_result::from(code);
            assert_eq!(c as u32, code.number(), "{code:?}");
            assert_eq!(format!("{c:?}"), c_name(code), "{code:?}");
            // SAFETY: kru_result_name and kru_result_message return static C strings.
            let (name, message) = unsafe {
                (
                    CStr::from_ptr(kru_result_name(code.number())),
                    CStr::from_ptr(kru_result_message(code.number())),
                )
            };
            assert_eq!(name.to_str().unwrap(), c_name(code));
            assert_eq!(message.to_str().unwrap(), code.description());
        }
    }

    #[test]
    fn every_c_value_in_the_header_is_kru_ok_or_in_the_table() {
        let header = include_str!("../include/kru.h");
        let start = header
            .find("enum kru_result\n")
            .expect("kru_result in kru.h");
        let body = &header[start..];
        let body = &body[..body.find("};").expect("end of kru_result")];
        let mut values = 0;
        for line in body
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("KRU_"))
        {
            let (name, number) = line.trim_end_matches(',').split_once(" = ").expect(line);
            let number: u32 = number.parse().expect(line);
            values += 1;
            if number == 0 {
                assert_eq!(name, "KRU_OK");
                continue;
            }
            let code = ErrorCode::from_number(number)
                .unwrap_or_else(|| panic!("{name} = {number} is not in the error table"));
            assert_eq!(name, c_name(code));
        }
        assert_eq!(
            values,
            ErrorCode::ALL.len() + 1,
            "one C value per entry, and KRU_OK"
        );
        // SAFETY: as above.
        let ok = unsafe { CStr::from_ptr(kru_result_name(0)) };
        assert_eq!(ok.to_str().unwrap(), "KRU_OK");
        let unknown = unsafe { CStr::from_ptr(kru_result_name(98)) };
        assert_eq!(unknown.to_str().unwrap(), "KRU_UNKNOWN_RESULT");
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
            (KRU_PACK_MALFORMED_SIGNATURE, 113),
            (KRU_PACK_UNTRUSTED_SIGNER, 115),
            (KRU_PACK_ERROR, 199),
            (KRU_UNKNOWN_JOURNEY, 200),
            (KRU_BAD_SNAPSHOT, 210),
            (KRU_JOURNEY_COMPLETE, 211),
            (KRU_DONT_KNOW_NOT_OFFERED, 212),
            (KRU_SESSION_ERROR, 299),
            (KRU_RECORD_DECODE, 300),
            (KRU_RECORD_ERROR, 399),
            (KRU_REPORT_ERROR, 400),
            (KRU_REPORT_UNKNOWN_FIELD, 401),
            (KRU_XAPI_ERROR, 500),
            (KRU_XAPI_RECORD_NOT_IN_PACK, 501),
            (KRU_XAPI_BAD_HOME_PAGE, 502),
            (KRU_XAPI_BAD_PAGE, 503),
            (KRU_UI_BAD_CATALOGUE, 600),
            (KRU_STRINGS_UNKNOWN_LANGUAGE, 700),
            (KRU_STRINGS_WRONG_LANGUAGE, 701),
            (KRU_STRINGS_BROKEN_PLACEHOLDER, 702),
            (KRU_STRINGS_BAD_FILE, 703),
            (KRU_WORKBOOK_SOURCE_SYNTAX, 800),
            (KRU_WORKBOOK_UNSUPPORTED, 801),
            (KRU_WORKBOOK_UNREADABLE, 802),
            (KRU_WORKBOOK_TOO_LARGE, 803),
            (KRU_WORKBOOK_FORMULA, 804),
            (KRU_WORKBOOK_BAD_CELL, 805),
            (KRU_WORKBOOK_LAYOUT, 806),
            (KRU_WORKBOOK_WRITE, 807),
            (KRU_GIFT_UNREADABLE, 808),
        ];
        for (code, n) in fixed {
            assert_eq!(code as u32, n, "{code:?}");
        }
    }
}
