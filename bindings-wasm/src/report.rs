//! The cohort report of a results log (`cohortReport`) and the core's renderings of it: the
//! printable HTML page (`reportHtml`), the summary table (`reportCsv`) and the responses
//! table (`responsesCsv`). Each reads the log and the options the same way; nothing is
//! computed or written here.

use alloc::string::String;
use alloc::vec::Vec;
use kru_core::report::{self, report_log, CohortReport, ReportOptions};
use kru_core::ErrorCode;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::error::{KruError, KruResult};
use crate::js::{bad, field, to_js, whole, PLAIN};
use crate::pack::Pack;

fn optional_string(o: &JsValue, what: &str, key: &str, problem: &str) -> KruResult<Option<String>> {
    let v = field(o, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| bad(ErrorCode::BadOptions, what, problem))
}

fn count(o: &JsValue, what: &str, key: &str, default: u32, problem: &str) -> KruResult<u32> {
    let v = field(o, key);
    if v.is_undefined() {
        return Ok(default);
    }
    whole(&v, 0.0, f64::from(u32::MAX))
        .map(|n| n as u32)
        .ok_or_else(|| bad(ErrorCode::BadOptions, what, problem))
}

fn number(o: &JsValue, what: &str, key: &str, default: f64, problem: &str) -> KruResult<f64> {
    let v = field(o, key);
    if v.is_undefined() {
        return Ok(default);
    }
    v.as_f64()
        .filter(|n| n.is_finite())
        .ok_or_else(|| bad(ErrorCode::BadOptions, what, problem))
}

/// Reads `{ by?, journey?, minN?, ceilingPercent?, smallGroup?, maxGroups?, attritionShare?,
/// floorShare?, formGapPoints? }`,
/// the options of the function `what` (named in error messages, e.g. `cohortReport options`).
fn report_options(o: &JsValue, what: &str) -> KruResult<ReportOptions> {
    let d = ReportOptions::default();
    if o.is_undefined() || o.is_null() {
        return Ok(d);
    }
    if !o.is_object() {
        return Err(bad(ErrorCode::BadOptions, what, " must be an object"));
    }
    Ok(ReportOptions {
        by: optional_string(o, what, "by", ": by must be an intake field id")?,
        journey: optional_string(o, what, "journey", ": journey must be a journey id")?,
        min_n: count(o, what, "minN", d.min_n, ": minN must be a whole number")?,
        ceiling_percent: number(
            o,
            what,
            "ceilingPercent",
            d.ceiling_percent,
            ": ceilingPercent must be a number",
        )?,
        small_group: count(
            o,
            what,
            "smallGroup",
            d.small_group,
            ": smallGroup must be a whole number",
        )?,
        max_groups: count(
            o,
            what,
            "maxGroups",
            d.max_groups,
            ": maxGroups must be a whole number",
        )?,
        attrition_share: number(
            o,
            what,
            "attritionShare",
            d.attrition_share,
            ": attritionShare must be a number",
        )?,
        floor_share: number(
            o,
            what,
            "floorShare",
            d.floor_share,
            ": floorShare must be a number",
        )?,
        form_gap_points: number(
            o,
            what,
            "formGapPoints",
            d.form_gap_points,
            ": formGapPoints must be a number",
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
    let options = report_options(&options, "cohortReport options")?;
    let report = report_log(&pack.inner, &options, log)?;
    to_js(&report, &PLAIN)
}

/// The report of `log` with the options of the function `what`.
fn report_of(pack: &Pack, log: &[u8], options: &JsValue, what: &str) -> KruResult<CohortReport> {
    let options = report_options(options, what)?;
    Ok(report_log(&pack.inner, &options, log)?)
}

/// The cohort report of a results log as one self-contained, printable HTML page: the core's
/// rendering, the same page as `kru report --format html`. Pack texts (titles, questions, key
/// messages, group labels) are in the best of `languages` (BCP 47 tags, best first; default:
/// the pack's default language); the page's own words and its warnings are the core's
/// interface strings of the same language (the pack's `[interface]` strings first), and
/// `<html lang dir>` says that language. Takes the options of
/// `cohortReport` and throws the same errors.
#[wasm_bindgen(js_name = reportHtml)]
pub fn report_html(
    pack: &Pack,
    log: &[u8],
    #[wasm_bindgen(unchecked_optional_param_type = "ReportOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string[]")] languages: Option<Vec<String>>,
) -> Result<String, KruError> {
    let report = report_of(pack, log, &options, "reportHtml options")?;
    let preferred: Vec<&str> = languages.iter().flatten().map(String::as_str).collect();
    let language = report::report_language(&pack.inner, &preferred);
    Ok(report::render_html(&report, &pack.inner, language))
}

/// The cohort report's figures as one tidy CSV table, one number per row
/// (`field,group,section,subject,phase,statistic,value`, CRLF line ends): the core's
/// rendering, the summary table of `kru report --format csv`. Takes the options of
/// `cohortReport` and throws the same errors.
#[wasm_bindgen(js_name = reportCsv)]
pub fn report_csv(
    pack: &Pack,
    log: &[u8],
    #[wasm_bindgen(unchecked_optional_param_type = "ReportOptions")] options: JsValue,
) -> Result<String, KruError> {
    let report = report_of(pack, log, &options, "reportCsv options")?;
    Ok(report::render_csv(&report))
}

/// Every response of the log's records of this pack (of `options.journey` only, when given)
/// as one CSV table, one row per learner per item, with the learner's intake answers: the
/// core's rendering, the responses table of `kru report --format csv`. Text a spreadsheet
/// would run as a formula is prefixed with `'`. Damage is skipped. Takes the options of
/// `cohortReport` and throws the same errors.
#[wasm_bindgen(js_name = responsesCsv)]
pub fn responses_csv(
    pack: &Pack,
    log: &[u8],
    #[wasm_bindgen(unchecked_optional_param_type = "ReportOptions")] options: JsValue,
) -> Result<String, KruError> {
    let options = report_options(&options, "responsesCsv options")?;
    Ok(report::responses_csv_log(&pack.inner, &options, log)?)
}
