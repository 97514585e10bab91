//! xAPI 1.0.3 statements (the `full` module, feature `analysis`): a record's statements to
//! send to a Learning Record Store, and records rebuilt from statements an LRS returns
//! (the mapping: docs/xapi.md).

use alloc::string::String;
use alloc::vec::Vec;
use js_sys::Array;
use kru_core::record::log;
use kru_core::xapi::{self, StatementReader, XapiOptions};
use kru_core::ErrorCode;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::error::{KruError, KruResult};
use crate::js::{bad, field, to_js, PLAIN};
use crate::pack::Pack;
use crate::session::record_to_js;

const WHAT: &str = "xapiStatements options";

/// The one record of a results-log frame (a record's `bytes`).
fn one_record(frame: &[u8]) -> KruResult<kru_core::ResultRecord> {
    let mut recovered = log::read_records(frame);
    if let Some((_, e)) = recovered.undecodable.pop() {
        return Err(KruError::Record(e));
    }
    match (recovered.records.pop(), recovered.records.is_empty()) {
        (Some(r), true) if recovered.damaged.is_empty() => Ok(r),
        _ => Err(bad(
            ErrorCode::InvalidArgument,
            "xapiStatements",
            ": pass one record's `bytes` (a results-log frame)",
        )),
    }
}

/// A record's xAPI statements as a JSON array (a string, ready to `POST` to the LRS's
/// `statements` resource with `X-Experience-API-Version: 1.0.3`). `record` is a record's
/// `bytes`; `options` is `{ homePage, packSigner? }`: the deployment's home page (the
/// learners' account `homePage`) and the pack signer's key id. Statement ids are derived from
/// the record id, so sending a record twice cannot store it twice. Throws `invalid-argument`,
/// `bad-options`, `xapi-record-not-in-pack` (another pack, or a journey, phase, item or answer
/// the pack does not have), `xapi-bad-home-page`, `xapi-error`.
#[wasm_bindgen(js_name = xapiStatements)]
pub fn xapi_statements(
    pack: &Pack,
    record: &[u8],
    #[wasm_bindgen(unchecked_param_type = "XapiOptions")] options: JsValue,
) -> Result<String, KruError> {
    if !options.is_object() {
        return Err(bad(ErrorCode::BadOptions, WHAT, " must be an object"));
    }
    let home_page = field(&options, "homePage")
        .as_string()
        .ok_or_else(|| bad(ErrorCode::BadOptions, WHAT, ": homePage must be a string"))?;
    let signer = field(&options, "packSigner");
    let signer = if signer.is_undefined() || signer.is_null() {
        None
    } else {
        Some(
            signer
                .as_string()
                .ok_or_else(|| bad(ErrorCode::BadOptions, WHAT, ": packSigner must be a string"))?,
        )
    };
    let r = one_record(record)?;
    let options = XapiOptions {
        home_page: &home_page,
        pack_signer: signer.as_deref(),
    };
    Ok(xapi::record_statements_json(&r, &pack.inner, &options)?)
}

/// Rebuilds the records of `pack` from pages of statements (each page the text of an LRS
/// answer: a `StatementResult`, a list of statements or one statement, in any order).
/// Returns `{ records, counts }`: the records (as `readLog` gives them, ordered by start) and
/// what was skipped and why. Throws `xapi-bad-page` when a page is not JSON statements.
#[wasm_bindgen(js_name = xapiRecords, unchecked_return_type = "XapiRecords")]
pub fn xapi_records(pack: &Pack, pages: Vec<String>) -> Result<JsValue, KruError> {
    let mut reader = StatementReader::new(&pack.inner);
    for page in &pages {
        reader.push_json(page)?;
    }
    let (records, counts) = reader.finish();
    let list = Array::new();
    for r in &records {
        list.push(&record_to_js(r)?);
    }
    let out = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&out, &JsValue::from_str("records"), &list);
    let _ = js_sys::Reflect::set(&out, &JsValue::from_str("counts"), &to_js(&counts, &PLAIN)?);
    Ok(out.into())
}
