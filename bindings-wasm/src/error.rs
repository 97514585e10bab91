//! Core errors → JavaScript `Error`s with a stable `code`.
//!
//! Every error thrown by the package is an `Error` whose `name` is `"KruError"`, whose
//! `message` is the core's readable message, and whose `code` is the kebab-case name of the
//! error's entry in the engine's one error table (`kru_core::ErrorCode`, listed in
//! docs/error-codes.md): core errors say their entry with `code()`, and the arguments this
//! binding checks use the table's host codes (`bad-options`, `bad-answer`,
//! `invalid-argument`, `internal`). Codes are permanent: a retired code is never reused.

use alloc::string::{String, ToString};
use kru_core::pack::signature::InvalidPublicKey;
use kru_core::pack::PackError;
use kru_core::record::log::LogError;
use kru_core::record::RecordError;
#[cfg(feature = "analysis")]
use kru_core::report::ReportError;
use kru_core::ui::UiError;
#[cfg(feature = "analysis")]
use kru_core::xapi::XapiError;
use kru_core::{ErrorCode, SessionError};
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
    /// A catalogue of interface strings handed in does not parse.
    Ui(UiError),
    /// An argument from JavaScript has the wrong shape, or the host lacks what the call needs
    /// (the message says which).
    Argument {
        /// Its code (`BadOptions`, `BadAnswer`, `InvalidArgument`, `Internal`,
        /// `Ed25519Unavailable`).
        code: ErrorCode,
        /// What is wrong.
        message: String,
    },
}

impl KruError {
    /// A wrong-shaped argument.
    pub fn argument(code: ErrorCode, message: impl Into<String>) -> Self {
        KruError::Argument {
            code,
            message: message.into(),
        }
    }

    /// The error's entry in the engine's error table; its name is the JS `code`.
    pub fn code(&self) -> ErrorCode {
        match self {
            KruError::Pack(e) => e.code(),
            KruError::PublicKey(e) => e.code(),
            KruError::Session(e) => e.code(),
            KruError::Record(e) => e.code(),
            KruError::Log(e) => e.code(),
            #[cfg(feature = "analysis")]
            KruError::Report(e) => e.code(),
            #[cfg(feature = "analysis")]
            KruError::Xapi(e) => e.code(),
            KruError::Ui(e) => e.code(),
            KruError::Argument { code, .. } => *code,
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
            KruError::Ui(e) => e.to_string(),
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

impl From<UiError> for KruError {
    fn from(e: UiError) -> Self {
        KruError::Ui(e)
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
            &JsValue::from_str(e.code().name()),
        );
        // The id of the learner-facing message of the code in the interface strings
        // (`error-bad-learner-code`), from the core's one rule: the web app looks it up
        // instead of building it.
        let _ = js_sys::Reflect::set(
            &error,
            &JsValue::from_str("messageId"),
            &JsValue::from_str(&kru_core::ui::error_id(e.code())),
        );
        // The placeholders of that message, e.g. `{ max: 64 }` for `bad-learner-code`.
        if let KruError::Session(s) = &e {
            let params = js_sys::Object::new();
            for (name, value) in s.params() {
                let _ = js_sys::Reflect::set(
                    &params,
                    &JsValue::from_str(name),
                    &JsValue::from_f64(value as f64),
                );
            }
            let _ = js_sys::Reflect::set(&error, &JsValue::from_str("params"), &params);
        }
        error.into()
    }
}

/// The result type of binding calls: `Err` is thrown as a JS `Error` with a `code`.
pub type KruResult<T> = Result<T, KruError>;

#[cfg(test)]
mod tests {
    use alloc::collections::BTreeSet;
    use alloc::vec::Vec;

    use kru_core::ErrorCode;

    /// The `KruErrorCode` union of the TypeScript declarations lists exactly the names of the
    /// error table: a code missing from the union (or one the table does not have) fails.
    #[test]
    fn the_typescript_union_lists_every_code_of_the_table() {
        let dts = include_str!("types.d.ts");
        let start = dts.find("export type KruErrorCode =").unwrap();
        let union = &dts[start..];
        let union = &union[..union.find(';').unwrap()];
        let listed: Vec<&str> = union.split('"').skip(1).step_by(2).collect();
        let unique: BTreeSet<&str> = listed.iter().copied().collect();
        assert_eq!(unique.len(), listed.len(), "a code is listed twice");
        let table: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(unique, table);
    }

    /// Every error this binding makes from a core error or an argument carries the table
    /// entry the core gives it.
    #[test]
    fn codes_come_from_the_table() {
        use kru_core::pack::PackError;
        use kru_core::record::log::LogError;
        use kru_core::record::RecordError;
        let cases = [
            (super::KruError::from(PackError::BadMagic), "pack-bad-magic"),
            (
                PackError::MalformedSignature("short").into(),
                "pack-malformed-signature",
            ),
            (
                LogError::Record(RecordError::Decode("x".into())).into(),
                "record-decode",
            ),
            (
                LogError::TooLarge { len: 2, max: 1 }.into(),
                "record-too-large",
            ),
            (
                super::KruError::argument(ErrorCode::BadOptions, "x"),
                "bad-options",
            ),
        ];
        for (error, name) in cases {
            assert_eq!(error.code().name(), name);
        }
    }
}
