//! Core errors → JavaScript `Error`s with a stable `code`.
//!
//! Every error thrown by the package is an `Error` whose `name` is `"KruError"`, whose
//! `message` is the core's readable message, and whose `code` is one of the stable kebab-case
//! strings below. [`KruError::code`] is the ONE place where core errors are mapped to codes
//! (automerge-wasm style): a new core variant falls into the area's catch-all code until it is
//! given its own. Codes are permanent: a retired code is never reused for something else.

use alloc::string::{String, ToString};
#[cfg(feature = "analysis")]
use kru_core::cohort_report::ReportError;
use kru_core::envelope::PackError;
use kru_core::item::AnswerError;
use kru_core::result_record::RecordError;
use kru_core::results_log::LogError;
use kru_core::signature::InvalidPublicKey;
#[cfg(feature = "analysis")]
use kru_core::xapi::XapiError;
use kru_core::SessionError;
use wasm_bindgen::JsValue;

/// Everything that can go wrong in a binding call, before it becomes a JS `Error`.
#[derive(Debug)]
pub enum KruError {
    /// Loading or verifying a pack.
    Pack(PackError),
    /// A trusted key that is not an Ed25519 public key.
    PublicKey(InvalidPublicKey),
    /// A session call.
    Session(SessionError),
    /// Encoding or decoding a result record.
    Record(RecordError),
    /// Writing a results-log frame.
    Log(LogError),
    /// Building a cohort report.
    #[cfg(feature = "analysis")]
    Report(ReportError),
    /// Turning a record into xAPI statements, or reading a page of statements.
    #[cfg(feature = "analysis")]
    Xapi(XapiError),
    /// An argument from JavaScript has the wrong shape (the message says which).
    Argument {
        /// The stable code (`bad-options`, `bad-answer`, `bad-argument`, `bad-record`).
        code: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl KruError {
    /// A wrong-shaped argument.
    pub fn argument(code: &'static str, message: impl Into<String>) -> Self {
        KruError::Argument {
            code,
            message: message.into(),
        }
    }

    /// The stable code of the error: the one mapping from core errors to codes.
    pub fn code(&self) -> &'static str {
        match self {
            KruError::Pack(e) => match e {
                PackError::Truncated { .. } => "pack-truncated",
                PackError::BadMagic => "pack-bad-magic",
                PackError::UnsupportedFormat { .. } => "pack-unsupported-format",
                PackError::UnknownFlags(_) => "pack-unknown-flags",
                PackError::TooLarge { .. } => "pack-too-large",
                PackError::BadId => "pack-bad-id",
                PackError::ChecksumMismatch { .. } => "pack-checksum",
                PackError::TrailingBytes(_) => "pack-trailing-bytes",
                PackError::Decode { .. } => "pack-decode",
                PackError::HeaderMismatch { .. } => "pack-header-mismatch",
                PackError::EngineTooOld { .. } => "pack-engine-too-old",
                PackError::Invalid { .. } => "pack-invalid",
                PackError::Unsigned => "pack-unsigned",
                PackError::MalformedSignature(_) => "pack-signature-malformed",
                PackError::SignatureMismatch { .. } => "pack-signature-mismatch",
                PackError::UntrustedSigner { .. } => "pack-untrusted-signer",
                PackError::Encode(_) => "pack-encode",
                _ => "pack-error",
            },
            KruError::PublicKey(_) => "bad-public-key",
            KruError::Session(e) => match e {
                SessionError::UnknownJourney(_) => "unknown-journey",
                SessionError::BadLearnerCode { .. } => "bad-learner-code",
                SessionError::Answer(AnswerError::WrongType { .. }) => "wrong-answer-type",
                SessionError::Answer(AnswerError::OutOfRange { .. }) => "answer-out-of-range",
                SessionError::Answer(AnswerError::TooLong { .. }) => "answer-too-long",
                SessionError::Answer(_) => "bad-answer",
                SessionError::NotAnswerable { .. } => "not-answerable",
                SessionError::AnswerRequired { .. } => "answer-required",
                SessionError::InvalidChoice(_) => "invalid-choice",
                SessionError::Ended => "session-ended",
                SessionError::NotFinished { .. } => "not-finished",
                SessionError::Snapshot(_) => "bad-snapshot",
                _ => "session-error",
            },
            KruError::Record(e) | KruError::Log(LogError::Record(e)) => match e {
                RecordError::Decode(_) => "record-decode",
                RecordError::TooLarge { .. } => "record-too-large",
                RecordError::Encode(_) => "record-encode",
                _ => "record-error",
            },
            KruError::Log(LogError::TooLarge { .. }) => "record-too-large",
            KruError::Log(_) => "record-error",
            #[cfg(feature = "analysis")]
            KruError::Report(e) => match e {
                ReportError::UnknownField { .. } => "unknown-field",
                ReportError::UnknownJourney { .. } => "unknown-journey",
                _ => "report-error",
            },
            #[cfg(feature = "analysis")]
            KruError::Xapi(e) => match e {
                XapiError::OtherPack { .. }
                | XapiError::UnknownJourney(_)
                | XapiError::UnknownPhase(_)
                | XapiError::UnknownItem(_)
                | XapiError::Answer { .. } => "xapi-record-not-in-pack",
                XapiError::HomePage(_) => "xapi-bad-home-page",
                XapiError::Page(_) => "xapi-bad-page",
                _ => "xapi-error",
            },
            KruError::Argument { code, .. } => code,
        }
    }

    fn message(&self) -> String {
        match self {
            KruError::Pack(e) => e.to_string(),
            KruError::PublicKey(e) => e.to_string(),
            KruError::Session(e) => e.to_string(),
            KruError::Record(e) => e.to_string(),
            KruError::Log(e) => e.to_string(),
            #[cfg(feature = "analysis")]
            KruError::Report(e) => e.to_string(),
            #[cfg(feature = "analysis")]
            KruError::Xapi(e) => e.to_string(),
            KruError::Argument { message, .. } => message.clone(),
        }
    }
}

impl From<PackError> for KruError {
    fn from(e: PackError) -> Self {
        KruError::Pack(e)
    }
}

impl From<InvalidPublicKey> for KruError {
    fn from(e: InvalidPublicKey) -> Self {
        KruError::PublicKey(e)
    }
}

impl From<SessionError> for KruError {
    fn from(e: SessionError) -> Self {
        KruError::Session(e)
    }
}

impl From<RecordError> for KruError {
    fn from(e: RecordError) -> Self {
        KruError::Record(e)
    }
}

impl From<LogError> for KruError {
    fn from(e: LogError) -> Self {
        KruError::Log(e)
    }
}

#[cfg(feature = "analysis")]
impl From<ReportError> for KruError {
    fn from(e: ReportError) -> Self {
        KruError::Report(e)
    }
}

#[cfg(feature = "analysis")]
impl From<XapiError> for KruError {
    fn from(e: XapiError) -> Self {
        KruError::Xapi(e)
    }
}

impl From<KruError> for JsValue {
    fn from(e: KruError) -> Self {
        let error = js_sys::Error::new(&e.message());
        error.set_name("KruError");
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(
            &error,
            &JsValue::from_str("code"),
            &JsValue::from_str(e.code()),
        );
        error.into()
    }
}

/// The result type of binding calls: `Err` is thrown as a JS `Error` with a `code`.
pub type KruResult<T> = Result<T, KruError>;
