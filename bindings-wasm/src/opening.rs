//! `Pack.open`: a pack whose Ed25519 signature the host's WebCrypto verifies.
//!
//! The core reads the header, the checksum and the signature block ([`UnverifiedPack`]),
//! WebCrypto verifies the signature natively (`crypto.subtle.verify`, on a thread of its own,
//! while the core decodes the payload), and the core applies the trust rules to its verdict:
//! the outcome and the errors of the core's `signature::load`. The promise chain is built from
//! JS functions (WebCrypto's and the methods of the hidden [`PackOpening`]): no Rust closures,
//! no wasm-bindgen-futures. Where WebCrypto has no Ed25519 (Chrome before 137, a page that is
//! not a secure context) the main module rejects with `ed25519-unavailable`; the full module
//! (feature `ed25519`) verifies in WebAssembly instead.

use alloc::vec::Vec;
use js_sys::{Array, Function, Promise};
#[cfg(feature = "ed25519")]
use kru_core::pack::signature;
use kru_core::pack::signature::{UnverifiedPack, Verdict};
#[cfg(not(feature = "ed25519"))]
use kru_core::ErrorCode;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::KruError;
use crate::js::field;
#[cfg(not(feature = "ed25519"))]
use crate::js::message;
use crate::pack::{trust_policy, Pack};

/// `Pack.open(bytes, options)`: a promise of the pack, rejected with the error.
pub(crate) fn start(bytes: Vec<u8>, options: &JsValue) -> Promise {
    PackOpening::start(bytes, options).unwrap_or_else(|e| rejected(&e.into()))
}

#[wasm_bindgen]
extern "C" {
    /// WebCrypto's `SubtleCrypto` (`crypto.subtle`). Its calls copy the bytes they are given
    /// before they return (WebCrypto's "get a copy of the bytes held by"), so views into
    /// WebAssembly memory are safe to pass.
    #[derive(Clone)]
    type SubtleCrypto;

    /// `subtle.importKey(format, keyData, algorithm, extractable, usages)`.
    #[wasm_bindgen(method, catch, js_name = importKey)]
    fn import_key(
        this: &SubtleCrypto,
        format: &str,
        key_data: &[u8],
        algorithm: &str,
        extractable: bool,
        usages: &Array,
    ) -> Result<Promise, JsValue>;

    /// `subtle.verify(algorithm, key, signature, data)`: a promise of a boolean.
    #[wasm_bindgen(method, catch)]
    fn verify(
        this: &SubtleCrypto,
        algorithm: &str,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;

    /// `Promise.resolve(value)` (js-sys's `Promise` functions are generic over typed
    /// results; these few plain imports are all this module needs).
    #[wasm_bindgen(js_namespace = Promise, js_name = resolve)]
    fn resolved(value: &JsValue) -> Promise;

    /// `Promise.reject(reason)`.
    #[wasm_bindgen(js_namespace = Promise, js_name = reject)]
    fn rejected(reason: &JsValue) -> Promise;

    /// A promise, for `then` with JS functions (js-sys's `then` takes Rust closures, whose
    /// glue this module does without).
    type Thenable;

    /// `promise.then(onFulfilled, onRejected)`.
    #[wasm_bindgen(method, js_name = then)]
    fn then_call(this: &Thenable, on_fulfilled: &JsValue, on_rejected: &JsValue) -> Promise;

    /// A function, for `bind` (js-sys's is generic over typed signatures).
    type Bindable;

    /// `f.bind(thisArg)`.
    #[wasm_bindgen(method, js_name = bind)]
    fn bind_this(this: &Bindable, this_arg: &JsValue) -> Function;
}

/// `promise.then(on_fulfilled, on_rejected)`.
fn then(promise: &Promise, on_fulfilled: &JsValue, on_rejected: &JsValue) -> Promise {
    promise
        .unchecked_ref::<Thenable>()
        .then_call(on_fulfilled, on_rejected)
}

/// `object[name].bind(object)`: a method as a function (`undefined` if there is none).
fn method(object: &JsValue, name: &str) -> JsValue {
    match field(object, name).dyn_into::<Function>() {
        Ok(f) => f.unchecked_ref::<Bindable>().bind_this(object).into(),
        Err(_) => JsValue::UNDEFINED,
    }
}

/// WebCrypto's name of the algorithm.
const ED25519: &str = "Ed25519";

/// The page's WebCrypto, if it has one: `globalThis.crypto.subtle` (absent outside a secure
/// context, i.e. a page served over plain HTTP from another machine).
fn subtle_crypto() -> Option<SubtleCrypto> {
    let subtle = field(&field(&js_sys::global(), "crypto"), "subtle");
    subtle.is_object().then(|| subtle.unchecked_into())
}

/// `ed25519-unavailable`, with why.
#[cfg(not(feature = "ed25519"))]
fn unavailable(why: &str) -> KruError {
    KruError::argument(
        ErrorCode::Ed25519Unavailable,
        message(
            why,
            ": this host cannot verify the pack's signature (load it with the full module)",
        ),
    )
}

/// A pack whose header, checksum and signature block were read, while WebCrypto verifies its
/// signature. `Pack.open` chains its methods:
/// `importKey(…).then(verify).then(finish, fail)`: `verify` hands the signature to WebCrypto
/// and decodes the payload while WebCrypto checks it (on its own thread), `finish` applies
/// the trust rules to the verdict, `fail` takes WebCrypto's error (no Ed25519). Not part of
/// the API (no TypeScript type, no constructor).
#[doc(hidden)]
#[wasm_bindgen(skip_typescript)]
pub struct PackOpening {
    pending: UnverifiedPack,
    subtle: Option<SubtleCrypto>,
}

#[wasm_bindgen]
impl PackOpening {
    /// Starts WebCrypto's verification with the imported `key`, then decodes the payload
    /// while it runs: a promise of the verdict (`true`: the signature verifies).
    #[wasm_bindgen(skip_typescript)]
    pub fn verify(&mut self, key: JsValue) -> Result<Promise, JsValue> {
        let (Some(subtle), Some(signed)) = (&self.subtle, self.pending.signed_bytes()) else {
            return Ok(resolved(&JsValue::FALSE));
        };
        let verdict = subtle.verify(ED25519, &key, &signed.signature, signed.message)?;
        self.pending.decode_ahead();
        Ok(verdict)
    }

    /// WebCrypto's verdict (`true`: the signature verifies) → the core's trust rules → the
    /// pack.
    #[wasm_bindgen(skip_typescript)]
    pub fn finish(self, valid: JsValue) -> Result<Pack, KruError> {
        let verdict = if valid.as_bool() == Some(true) {
            Verdict::Valid
        } else {
            Verdict::Mismatch
        };
        Ok(Pack::new(self.pending.load(verdict)?))
    }

    /// WebCrypto could not verify (no Ed25519): the full module verifies in WebAssembly; the
    /// main module rejects with `ed25519-unavailable`.
    #[wasm_bindgen(skip_typescript)]
    pub fn fail(self, error: JsValue) -> Result<Pack, KruError> {
        #[cfg(feature = "ed25519")]
        {
            let _ = error;
            self.in_wasm()
        }
        #[cfg(not(feature = "ed25519"))]
        {
            let name = field(&error, "name").as_string().unwrap_or_default();
            Err(unavailable(&message("WebCrypto refused Ed25519: ", &name)))
        }
    }

    /// Ed25519 with ed25519-dalek, in WebAssembly.
    #[cfg(feature = "ed25519")]
    fn in_wasm(self) -> Result<Pack, KruError> {
        let verdict = self
            .pending
            .signed_bytes()
            .map_or(Verdict::Mismatch, |s| signature::verify_ed25519(&s));
        Ok(Pack::new(self.pending.load(verdict)?))
    }

    /// Starts `Pack.open`: a promise of the pack.
    fn start(bytes: Vec<u8>, options: &JsValue) -> Result<Promise, KruError> {
        let pending = UnverifiedPack::read(bytes, trust_policy(options)?)?;
        let Some(signed) = pending.signed_bytes() else {
            // Unsigned, and the policy allows it: nothing to verify (the verdict is ignored).
            return Ok(resolved(
                &Pack::new(pending.load(Verdict::Mismatch)?).into(),
            ));
        };
        let subtle = subtle_crypto();
        let key = subtle.as_ref().map(|subtle| {
            let usages = Array::of1(&JsValue::from_str("verify"));
            subtle.import_key("raw", &signed.public_key, ED25519, false, &usages)
        });
        let opening = PackOpening { pending, subtle };
        let key = match key {
            Some(Ok(key)) => key,
            // importKey threw rather than rejected: the same as a rejection.
            Some(Err(e)) => rejected(&e),
            None => {
                #[cfg(feature = "ed25519")]
                return Ok(resolved(&opening.in_wasm()?.into()));
                #[cfg(not(feature = "ed25519"))]
                return Err(unavailable("no WebCrypto (crypto.subtle)"));
            }
        };
        let opening = JsValue::from(opening);
        let verdict = then(&key, &method(&opening, "verify"), &JsValue::UNDEFINED);
        Ok(then(
            &verdict,
            &method(&opening, "finish"),
            &method(&opening, "fail"),
        ))
    }
}
