//! Results logs: append-only files of framed result records.

use alloc::string::ToString;
use alloc::vec::Vec;
use js_sys::Array;
use kru_core::record::log::{self, Damage};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::error::KruError;
use crate::js::{to_js, PLAIN};
use crate::session::record_to_js;

/// A damaged stretch of a log.
#[derive(Serialize)]
struct DamageInfo {
    offset: usize,
    length: usize,
}

impl From<&Damage> for DamageInfo {
    fn from(d: &Damage) -> Self {
        DamageInfo {
            offset: d.offset,
            length: d.len,
        }
    }
}

/// A frame whose checksum matched but which does not decode as a record.
#[derive(Serialize)]
struct Undecodable {
    offset: usize,
    code: &'static str,
    message: alloc::string::String,
}

/// Reads every record of a results log. Never throws on damage: a torn last write or a bad
/// stretch is skipped and listed in `damaged`; frames from a newer engine are listed in
/// `undecodable`. Each record carries its frame as `bytes`, ready to append to another log.
#[wasm_bindgen(js_name = readLog, unchecked_return_type = "LogContents")]
pub fn read_log(bytes: &[u8]) -> Result<JsValue, KruError> {
    let recovered = log::read_records(bytes);
    let records = Array::new();
    for r in &recovered.records {
        records.push(&record_to_js(r)?);
    }
    let damaged: Vec<DamageInfo> = recovered.damaged.iter().map(DamageInfo::from).collect();
    let undecodable: Vec<Undecodable> = recovered
        .undecodable
        .iter()
        .map(|(offset, e)| Undecodable {
            offset: *offset,
            code: e.code().name(),
            message: e.to_string(),
        })
        .collect();
    let out = js_sys::Object::new();
    set(&out, "records", &records);
    set(&out, "damaged", &to_js(&damaged, &PLAIN)?);
    set(&out, "undecodable", &to_js(&undecodable, &PLAIN)?);
    Ok(out.into())
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// The length to truncate a log file to before appending: the end of the last complete
/// frame when the log ends in a torn write, else its length.
#[wasm_bindgen(js_name = appendOffset)]
pub fn append_offset(bytes: &[u8]) -> usize {
    log::append_offset(bytes)
}

/// Merges logs (e.g. from many kiosks) into one clean log without duplicate records (same
/// record id), keeping the first copy; damaged stretches are dropped. (With the `analysis`
/// feature: in the npm package's `full` module.)
#[cfg(feature = "analysis")]
#[wasm_bindgen(js_name = mergeLogs)]
pub fn merge_logs(logs: Vec<js_sys::Uint8Array>) -> Vec<u8> {
    let owned: Vec<Vec<u8>> = logs.iter().map(js_sys::Uint8Array::to_vec).collect();
    let slices: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
    log::merge(&slices)
}
