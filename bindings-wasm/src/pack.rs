//! `Pack`: a loaded, verified content pack.
//!
//! Two loaders, one rule (the core's `signature` module):
//! - `Pack.open(bytes, options): Promise<Pack>`, in every module: Ed25519 by the host's
//!   WebCrypto (see [`crate::opening`]);
//! - `Pack.load(bytes, options): Pack`, synchronous, only with the `ed25519` feature (the
//!   full module): ed25519-dalek in WebAssembly.

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use js_sys::{Array, Promise, Reflect, Uint8Array};
use kru_core::pack::catalogue;
#[cfg(feature = "analysis")]
use kru_core::pack::catalogue::PackCatalogue;
use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::pack::Date;
use kru_core::ErrorCode;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{KruError, KruResult};
use crate::js::millis;
#[cfg(feature = "analysis")]
use crate::js::{to_js, PLAIN};
use crate::plain;
use crate::view::SharedStrings;

/// A content pack, loaded from the bytes of a `.krupack` file and verified against the
/// host's trusted keys. Sessions share the pack: `free()` it when no longer needed (sessions
/// keep their own reference, so freeing the `Pack` never breaks a running session).
#[wasm_bindgen]
pub struct Pack {
    pub(crate) inner: Arc<kru_core::Pack>,
    signer: Option<[u8; 32]>,
    /// The JS strings of the pack's texts, made by the steps of its sessions (which share it).
    pub(crate) strings: SharedStrings,
}

fn bad_options(message: &str) -> KruError {
    KruError::argument(ErrorCode::BadOptions, message)
}

/// Reads `{ trustedKeys?: Uint8Array[], allowUnsigned?: boolean }`.
pub(crate) fn trust_policy(options: &JsValue) -> KruResult<TrustPolicy> {
    let mut policy = TrustPolicy::default();
    if options.is_undefined() || options.is_null() {
        return Ok(policy);
    }
    if !options.is_object() {
        return Err(bad_options("load options must be an object"));
    }
    let get =
        |key: &str| Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let keys = get("trustedKeys");
    if !keys.is_undefined() {
        if !Array::is_array(&keys) {
            return Err(bad_options(
                "trustedKeys must be an array of 32-byte Uint8Arrays",
            ));
        }
        for key in Array::from(&keys).iter() {
            let bytes = key
                .dyn_into::<Uint8Array>()
                .map_err(|_| bad_options("each trusted key must be a Uint8Array"))?;
            // `to_vec` and a checked conversion rather than `copy_to`, whose length
            // `assert_eq!` links the panic formatting of `usize`.
            let raw = <[u8; 32]>::try_from(bytes.to_vec().as_slice())
                .map_err(|_| signature::InvalidPublicKey)?;
            policy.add_key(&raw)?;
        }
    }
    match get("allowUnsigned").as_bool() {
        Some(true) => policy = policy.allow_unsigned(),
        Some(false) => {}
        None if get("allowUnsigned").is_undefined() => {}
        None => return Err(bad_options("allowUnsigned must be a boolean")),
    }
    Ok(policy)
}

/// The language fallback chain for a host's preferred languages.
pub(crate) fn chain(pack: &kru_core::Pack, preferred: &[String]) -> Vec<u8> {
    let prefs: Vec<&str> = preferred.iter().map(String::as_str).collect();
    pack.negotiate(&prefs)
}

/// The chain for an optional `languages` argument (none: the pack's default language).
fn chain_for(pack: &kru_core::Pack, languages: Option<Vec<String>>) -> Vec<u8> {
    chain(pack, &languages.unwrap_or_default())
}

fn today(today_ms: f64) -> KruResult<Date> {
    Ok(Date::from_unix_ms(millis(today_ms, "todayMs")?))
}

impl Pack {
    /// A loaded pack and its signer, as the core's loaders return them.
    pub(crate) fn new((inner, signer): (kru_core::Pack, Option<[u8; 32]>)) -> Pack {
        Pack {
            inner: Arc::new(inner),
            signer,
            strings: SharedStrings::default(),
        }
    }
}

#[wasm_bindgen]
impl Pack {
    /// Loads a pack file: checks the header, checksum and signature (against
    /// `options.trustedKeys`, 32-byte Ed25519 public keys), then decodes and validates the
    /// content. Unsigned packs are refused unless `options.allowUnsigned` is `true`. The
    /// signature is verified by the host's WebCrypto (`crypto.subtle`, Ed25519), natively.
    /// Resolves to the pack; rejects with `pack-*` errors (e.g. `pack-truncated`,
    /// `pack-checksum-mismatch`, `pack-signature-mismatch`, `pack-unsigned`,
    /// `pack-untrusted-signer`), and in the main module with `ed25519-unavailable` where
    /// WebCrypto has no Ed25519 (the full module then verifies in WebAssembly). The bytes are
    /// copied at the call: changing them afterwards changes nothing.
    #[wasm_bindgen(unchecked_return_type = "Promise<Pack>")]
    pub fn open(
        bytes: Vec<u8>,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
    ) -> Promise {
        crate::opening::start(bytes, &options)
    }

    /// `Pack.open` at once, verifying Ed25519 in WebAssembly (ed25519-dalek): only in the full
    /// module (`@kru/engine/full`), which carries it. Throws what `Pack.open` rejects with.
    #[cfg(feature = "ed25519")]
    pub fn load(
        bytes: &[u8],
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
    ) -> Result<Pack, KruError> {
        let policy = trust_policy(&options)?;
        Ok(Pack::new(signature::load_with_signer(bytes, &policy)?))
    }

    /// The pack's id, e.g. `safe-migration`.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.meta.id.clone()
    }

    /// The content's version, e.g. `1.0.0`.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.meta.version.to_string()
    }

    /// The key id (first 8 bytes of the public key, hex) of the signer, or `undefined` for an
    /// unsigned pack.
    #[wasm_bindgen(getter, js_name = signerKeyId)]
    pub fn signer_key_id(&self) -> Option<String> {
        self.signer.as_ref().map(signature::key_id)
    }

    /// The pack's title in the best of the `languages` (BCP 47 tags, best first; default:
    /// the pack's default language).
    pub fn title(&self, languages: Option<Vec<String>>) -> String {
        self.inner
            .meta
            .title
            .resolve(&chain_for(&self.inner, languages))
            .into()
    }

    /// Everything the pack offers, in one object: metadata, languages and their coverage,
    /// journeys with their phases, intake questions with their options, objectives, items
    /// (id, kind, prompt) and counts per kind, forms, help resources with the age of their
    /// verification as of `todayMs` (milliseconds since the Unix epoch, e.g. `Date.now()`),
    /// the reference card and the signer. Texts in the best of `languages` (BCP 47 tags,
    /// best first; default: the pack's default language).
    ///
    /// Only in the full module (`@kru/engine/full`), like `cohortReport`: the main module
    /// stays within its size budget. Kiosks read what they need from `journeys()` and
    /// `resources()`.
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(unchecked_return_type = "PackCatalogue")]
    pub fn catalogue(
        &self,
        #[wasm_bindgen(js_name = todayMs)] today_ms: f64,
        languages: Option<Vec<String>>,
    ) -> Result<JsValue, KruError> {
        let pack = &*self.inner;
        let chain = chain_for(pack, languages);
        let catalogue = PackCatalogue::new(pack, &chain, today(today_ms)?, self.signer.as_ref());
        to_js(&catalogue, &PLAIN)
    }

    /// The journeys (e.g. `school`, `kiosk`) with their phases, titles in the best of
    /// `languages` (the catalogue's `journeys`).
    #[wasm_bindgen(unchecked_return_type = "JourneyInfo[]")]
    pub fn journeys(&self, languages: Option<Vec<String>>) -> Result<JsValue, KruError> {
        let pack = &*self.inner;
        Ok(plain::journeys(&catalogue::journeys(
            pack,
            &chain_for(pack, languages),
        )))
    }

    /// The pack's languages, the pack's first language first (the catalogue's `languages`).
    #[wasm_bindgen(unchecked_return_type = "LanguageInfo[]")]
    pub fn languages(&self) -> Result<JsValue, KruError> {
        Ok(plain::languages(&catalogue::languages(&self.inner)))
    }

    /// How many of the pack's required texts each language has (the catalogue's
    /// `coverage`). Only in the full module (`@kru/engine/full`): a translator's or an
    /// author's question, not a kiosk's.
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(unchecked_return_type = "LanguageCoverage[]")]
    pub fn coverage(&self) -> Result<JsValue, KruError> {
        Ok(plain::coverage(&catalogue::coverage(&self.inner)))
    }

    /// The help resources (hotlines) with the age of their verification as of `todayMs`
    /// (milliseconds since the Unix epoch, e.g. `Date.now()`) and whether it is too old,
    /// texts in the best of `languages` (the catalogue's `resources`).
    #[wasm_bindgen(unchecked_return_type = "ResourceInfo[]")]
    pub fn resources(
        &self,
        #[wasm_bindgen(js_name = todayMs)] today_ms: f64,
        languages: Option<Vec<String>>,
    ) -> Result<JsValue, KruError> {
        let pack = &*self.inner;
        let chain = chain_for(pack, languages);
        Ok(plain::resources(&catalogue::resources(
            pack,
            &chain,
            today(today_ms)?,
        )))
    }

    /// Help resources (hotlines) whose number was verified longer ago than the pack allows,
    /// as of `todayMs` (milliseconds since the Unix epoch, e.g. `Date.now()`): the
    /// catalogue's `resources` whose `stale` is true, texts in the pack's default language.
    /// Only in the full module (`@kru/engine/full`): a content officer's check; the main
    /// module's `resources(todayMs)` carries the same `stale` flag on every entry.
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(js_name = staleResources, unchecked_return_type = "ResourceInfo[]")]
    pub fn stale_resources(
        &self,
        #[wasm_bindgen(js_name = todayMs)] today_ms: f64,
    ) -> Result<JsValue, KruError> {
        let pack = &*self.inner;
        let list = catalogue::resources(pack, &[pack.meta.default_language], today(today_ms)?);
        Ok(plain::resources(list.iter().filter(|r| r.stale)))
    }
}
