//! `cohortReport`: the cohort report of a results log.

use kru_core::report::{report_log, ReportOptions};
use kru_core::ErrorCode;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::error::{KruError, KruResult};
use crate::js::{bad, field, to_js, whole, PLAIN};
use crate::pack::Pack;

const WHAT: &str = "cohortReport options";

fn optional_string(
    o: &JsValue,
    key: &str,
    problem: &str,
) -> KruResult<Option<alloc::string::String>> {
    let v = field(o, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| bad(ErrorCode::BadOptions, WHAT, problem))
}

fn count(o: &JsValue, key: &str, default: u32, problem: &str) -> KruResult<u32> {
    let v = field(o, key);
    if v.is_undefined() {
        return Ok(default);
    }
    whole(&v, 0.0, f64::from(u32::MAX))
        .map(|n| n as u32)
        .ok_or_else(|| bad(ErrorCode::BadOptions, WHAT, problem))
}

fn number(o: &JsValue, key: &str, default: f64, problem: &str) -> KruResult<f64> {
    let v = field(o, key);
    if v.is_undefined() {
        return Ok(default);
    }
    v.as_f64()
        .filter(|n| n.is_finite())
        .ok_or_else(|| bad(ErrorCode::BadOptions, WHAT, problem))
}

/// Reads `{ by?, journey?, minN?, ceilingPercent?, smallGroup?, maxGroups?, attritionShare? }`.
fn report_options(o: &JsValue) -> KruResult<ReportOptions> {
    let d = ReportOptions::default();
    if o.is_undefined() || o.is_null() {
        return Ok(d);
    }
    if !o.is_object() {
        return Err(bad(ErrorCode::BadOptions, WHAT, " must be an object"));
    }
    Ok(ReportOptions {
        by: optional_string(o, "by", ": by must be an intake field id")?,
        journey: optional_string(o, "journey", ": journey must be a journey id")?,
        min_n: count(o, "minN", d.min_n, ": minN must be a whole number")?,
        ceiling_percent: number(
            o,
            "ceilingPercent",
            d.ceiling_percent,
            ": ceilingPercent must be a number",
        )?,
        small_group: count(
            o,
            "smallGroup",
            d.small_group,
            ": smallGroup must be a whole number",
        )?,
        max_groups: count(
            o,
            "maxGroups",
            d.max_groups,
            ": maxGroups must be a whole number",
        )?,
        attrition_share: number(
            o,
            "attritionShare",
            d.attrition_share,
            ": attritionShare must be a number",
        )?,
    })
}

/// The cohort report of a results log (merge logs from several devices with `mergeLogs`
/// first: the report counts each record it reads). Throws `unknown-field` when `options.by`
/// names no intake field, `unknown-journey` when `options.journey` names no journey, and
/// `bad-options`. Damage in the log is counted in the report, never thrown.
#[wasm_bindgen(js_name = cohortReport, unchecked_return_type = "CohortReport")]
pub fn cohort_report(
    pack: &Pack,
    log: &[u8],
    #[wasm_bindgen(unchecked_optional_param_type = "ReportOptions")] options: JsValue,
) -> Result<JsValue, KruError> {
    let options = report_options(&options)?;
    let report = report_log(&pack.inner, &options, log)?;
    to_js(&report, &PLAIN)
}
