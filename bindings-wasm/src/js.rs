//! Moving values across the boundary.
//!
//! Out: plain objects built by hand ([`crate::view`], [`crate::plain`]); in the `full` module
//! (`analysis`), the cohort report, the pack catalogue and log contents through
//! `serde-wasm-bindgen` (from the core's `Serialize` views).
//! In: the few small argument objects (options) are read by hand with `Reflect`:
//! serde-wasm-bindgen's deserializer (and the float formatting its error messages pull in)
//! cost about 19 KB of gzip, a third of the size budget, for a dozen fields. Answers, read at
//! every step, are read on the JS side in one call ([`crate::answer`]).

use alloc::string::String;
#[cfg(feature = "analysis")]
use alloc::string::ToString;
use alloc::vec::Vec;
use js_sys::{Array, Reflect};
use kru_core::ErrorCode;
#[cfg(feature = "analysis")]
use serde::Serialize;
#[cfg(feature = "analysis")]
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::JsValue;

use crate::error::{KruError, KruResult};

/// Plain JSON-compatible objects: `null` for absent values, objects (not `Map`s), numbers.
/// Used for the cohort report, the pack catalogue and log contents (`full` module only).
#[cfg(feature = "analysis")]
pub const PLAIN: Serializer = Serializer::json_compatible();

/// Serialises `value` with `serializer`.
#[cfg(feature = "analysis")]
pub fn to_js<T: Serialize + ?Sized>(value: &T, serializer: &Serializer) -> KruResult<JsValue> {
    value
        .serialize(serializer)
        .map_err(|e| KruError::argument(ErrorCode::Internal, e.to_string()))
}

/// `what` + `problem`, without `format!`.
pub fn message(what: &str, problem: &str) -> String {
    let mut m = String::with_capacity(what.len() + problem.len());
    m.push_str(what);
    m.push_str(problem);
    m
}

/// A wrong-shaped argument: `code` with the message `what` + `problem`.
pub fn bad(code: ErrorCode, what: &str, problem: &str) -> KruError {
    KruError::argument(code, message(what, problem))
}

/// Property `key` of `object` (`undefined` when absent or when `object` is not an object).
pub fn field(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JS number that is a whole number within `min..=max`.
pub fn whole(value: &JsValue, min: f64, max: f64) -> Option<f64> {
    value.as_f64().and_then(|n| whole_number(n, min, max))
}

/// `n` when it is a whole number within `min..=max` (checked without crossing the boundary).
pub fn whole_number(n: f64, min: f64, max: f64) -> Option<f64> {
    Some(n).filter(|n| n.is_finite() && *n % 1.0 == 0.0 && *n >= min && *n <= max)
}

/// A host time in milliseconds since the Unix epoch: a whole, safe-integer number.
pub fn millis(value: f64, what: &str) -> KruResult<i64> {
    whole_number(value, -MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
        .map(|n| n as i64)
        .ok_or_else(|| {
            bad(
                ErrorCode::InvalidArgument,
                what,
                " must be a whole number of milliseconds (e.g. Date.now())",
            )
        })
}

/// A `u16` index from a number.
pub fn index_number(n: f64) -> Option<u16> {
    whole_number(n, 0.0, f64::from(u16::MAX)).map(|n| n as u16)
}

/// A `u64` from a non-negative safe-integer number or a `BigInt` in range.
pub fn unsigned64(value: &JsValue) -> Option<u64> {
    if value.is_bigint() {
        return u64::try_from(value.clone()).ok();
    }
    whole(value, 0.0, MAX_SAFE_INTEGER).map(|n| n as u64)
}

/// An array of strings.
pub fn strings(value: &JsValue) -> Option<Vec<String>> {
    if !Array::is_array(value) {
        return None;
    }
    Array::from(value).iter().map(|v| v.as_string()).collect()
}
