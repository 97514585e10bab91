//! `Pack`: a loaded, verified content pack.

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use js_sys::{Array, Reflect, Uint8Array};
use kru_core::language::negotiate;
use kru_core::numerals::Numerals;
use kru_core::pack::journey::PhaseKind;
use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::pack::text::Text;
use kru_core::pack::{Date, TranslationStatus};
use kru_core::ErrorCode;
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{KruError, KruResult};
use crate::js::{millis, to_js, PLAIN};

/// A content pack, loaded from the bytes of a `.krupack` file and verified against the
/// host's trusted keys. Sessions share the pack: `free()` it when no longer needed (sessions
/// keep their own reference, so freeing the `Pack` never breaks a running session).
#[wasm_bindgen]
pub struct Pack {
    pub(crate) inner: Arc<kru_core::Pack>,
    signer: Option<[u8; 32]>,
}

fn bad_options(message: &str) -> KruError {
    KruError::argument(ErrorCode::BadOptions, message)
}

/// Reads `{ trustedKeys?: Uint8Array[], allowUnsigned?: boolean }`.
fn trust_policy(options: &JsValue) -> KruResult<TrustPolicy> {
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
            let mut raw = [0u8; 32];
            if bytes.length() != 32 {
                return Err(KruError::from(signature::InvalidPublicKey));
            }
            bytes.copy_to(&mut raw);
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
    negotiate(&prefs, &pack.language_tags(), pack.meta.default_language)
}

/// A language of the pack.
#[derive(Serialize)]
struct LanguageInfo<'a> {
    tag: &'a str,
    name: &'a str,
    status: &'static str,
    numerals: &'static str,
}

/// A phase of a journey.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhaseInfo<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
}

/// A journey of the pack.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JourneyInfo<'a> {
    id: &'a str,
    title: &'a str,
    intake: bool,
    card: bool,
    phases: Vec<PhaseInfo<'a>>,
}

/// Translation coverage of one language.
#[derive(Serialize)]
struct Coverage<'a> {
    tag: &'a str,
    present: usize,
    total: usize,
}

/// A help resource whose verification is too old.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StaleResource<'a> {
    id: &'a str,
    phone: &'a str,
    verified: Date,
    age_days: i64,
}

fn phase_kind(kind: PhaseKind) -> &'static str {
    kind.name()
}

fn numerals(n: Numerals) -> &'static str {
    n.cldr_name()
}

fn status(s: TranslationStatus) -> &'static str {
    s.name()
}

fn preferred(languages: Option<Vec<String>>) -> Vec<String> {
    languages.unwrap_or_default()
}

#[wasm_bindgen]
impl Pack {
    /// Loads a pack file: checks the header, checksum and signature (against
    /// `options.trustedKeys`, 32-byte Ed25519 public keys), then decodes and validates the
    /// content. Unsigned packs are refused unless `options.allowUnsigned` is `true`.
    /// Throws `pack-*` errors (e.g. `pack-truncated`, `pack-checksum`,
    /// `pack-signature-mismatch`, `pack-unsigned`, `pack-untrusted-signer`).
    pub fn load(
        bytes: &[u8],
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
    ) -> Result<Pack, KruError> {
        let policy = trust_policy(&options)?;
        let inner = signature::load(bytes, &policy)?;
        let signer = signature::signer(bytes).ok().flatten();
        Ok(Pack {
            inner: Arc::new(inner),
            signer,
        })
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
            .resolve(&chain(&self.inner, &preferred(languages)))
            .into()
    }

    /// The journeys (e.g. `school`, `kiosk`) with their phases, titles in the best of
    /// `languages`.
    #[wasm_bindgen(unchecked_return_type = "JourneyInfo[]")]
    pub fn journeys(&self, languages: Option<Vec<String>>) -> Result<JsValue, KruError> {
        let pack = &*self.inner;
        let chain = chain(pack, &preferred(languages));
        let text = |t: &'_ Text| -> String { t.resolve(&chain).into() };
        let titles: Vec<(String, Vec<String>)> = pack
            .journeys
            .iter()
            .map(|j| {
                (
                    text(&j.title),
                    j.phases.iter().map(|p| text(&p.title)).collect(),
                )
            })
            .collect();
        let list: Vec<JourneyInfo<'_>> = pack
            .journeys
            .iter()
            .zip(&titles)
            .map(|(j, (title, phase_titles))| JourneyInfo {
                id: &j.id,
                title,
                intake: j.intake,
                card: j.card,
                phases: j
                    .phases
                    .iter()
                    .zip(phase_titles)
                    .map(|(p, t)| PhaseInfo {
                        id: &p.id,
                        kind: phase_kind(p.kind),
                        title: t,
                    })
                    .collect(),
            })
            .collect();
        to_js(&list, &PLAIN)
    }

    /// The pack's languages, the pack's first language first.
    #[wasm_bindgen(unchecked_return_type = "LanguageInfo[]")]
    pub fn languages(&self) -> Result<JsValue, KruError> {
        let list: Vec<LanguageInfo<'_>> = self
            .inner
            .languages
            .iter()
            .map(|l| LanguageInfo {
                tag: &l.tag,
                name: &l.name,
                status: status(l.status),
                numerals: numerals(l.numerals),
            })
            .collect();
        to_js(&list, &PLAIN)
    }

    /// How many of the pack's required texts each language has.
    #[wasm_bindgen(unchecked_return_type = "LanguageCoverage[]")]
    pub fn coverage(&self) -> Result<JsValue, KruError> {
        let list: Vec<Coverage<'_>> = self
            .inner
            .languages
            .iter()
            .zip(self.inner.coverage())
            .map(|(l, (present, total))| Coverage {
                tag: &l.tag,
                present,
                total,
            })
            .collect();
        to_js(&list, &PLAIN)
    }

    /// Help resources (hotlines) whose number was verified longer ago than the pack allows,
    /// as of `todayMs` (milliseconds since the Unix epoch, e.g. `Date.now()`).
    #[wasm_bindgen(js_name = staleResources, unchecked_return_type = "StaleResource[]")]
    pub fn stale_resources(
        &self,
        #[wasm_bindgen(js_name = todayMs)] today_ms: f64,
    ) -> Result<JsValue, KruError> {
        let today = Date::from_unix_ms(millis(today_ms, "todayMs")?);
        let pack = &*self.inner;
        let list: Vec<StaleResource<'_>> = pack
            .stale_resources(today)
            .into_iter()
            .filter_map(|(i, age_days)| {
                pack.resources.get(i).map(|r| StaleResource {
                    id: &r.id,
                    phone: &r.phone,
                    verified: r.verified,
                    age_days,
                })
            })
            .collect();
        to_js(&list, &PLAIN)
    }
}
