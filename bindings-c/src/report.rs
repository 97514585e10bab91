//! The cohort report over a results log, as JSON.

use core::ffi::c_char;

use kru_core::report::{self, ReportOptions};

use crate::bytes::kru_bytes;
use crate::error::{Failure, FfiResult};
use crate::ffi::{self, out};
use crate::kru_result::{self, *};
use crate::pack::{kru_pack, pack_ref};
use crate::panic::boundary;

/// Computes the cohort report of a results log for `pack`: what the cohort knew before and
/// after (paired t-test, Wilcoxon, effect size, normalised gain), item statistics,
/// indicators, and the same per demographic group; records of other packs or journeys are
/// counted and skipped, damage is reported. The JSON (UTF-8) is the core's `CohortReport`
/// (schema in docs/report.md).
///
/// `options_json` (UTF-8 JSON, may be NULL when `options_len` is 0 for the defaults) holds the
/// report options, e.g. `{"by": "sex", "journey": "school", "min_n": 10}`; missing fields take
/// their defaults. Free the result with kru_bytes_free().
///
/// Errors: KRU_INVALID_ARGUMENT (options that do not parse), KRU_REPORT_UNKNOWN_FIELD (`by`
/// names no intake field), KRU_UNKNOWN_JOURNEY, KRU_INVALID_UTF8.
#[no_mangle]
pub unsafe extern "C" fn kru_report_json(
    pack: *const kru_pack,
    log: *const u8,
    log_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out_json: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_report_json", || {
        // SAFETY: argument contracts of this function.
        let (pack, log, options) = unsafe {
            (
                pack_ref(pack)?,
                ffi::slice(log, log_len, "log")?,
                ffi::utf8(options_json, options_len, "options_json")?,
            )
        };
        let o = out(out_json, "out_json")?;
        let options = parse_options(options)?;
        let report = report::report_log(pack, &options, log)?;
        let json = serde_json::to_vec(&report).map_err(|e| {
            Failure::new(
                KRU_REPORT_ERROR,
                format!("the report does not serialise: {e}"),
            )
        })?;
        o.set(crate::bytes::new_bytes(json));
        Ok(())
    })
}

fn parse_options(json: &str) -> FfiResult<ReportOptions> {
    if json.trim().is_empty() {
        return Ok(ReportOptions::default());
    }
    serde_json::from_str(json).map_err(|e| {
        Failure::new(
            KRU_INVALID_ARGUMENT,
            format!("argument `options_json` is not valid report options: {e}"),
        )
    })
}
