//! The cohort report over a results log, as JSON, and the core's renderings of it: the
//! printable HTML page, the summary CSV and the responses CSV. Every function reads the log
//! and the options the same way; nothing is computed or written here.

use core::ffi::c_char;

use kru_core::report::{self, ReportOptions};
use kru_core::Pack;

use crate::bytes::kru_bytes;
use crate::error::{Failure, FfiResult};
use crate::ffi::{self, kru_str, out};
use crate::kru_result::{self, *};
use crate::pack::{kru_pack, pack_ref};
use crate::panic::boundary;
use crate::session::languages_arg;

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
    let input = ReportInput {
        pack,
        log,
        log_len,
        options_json,
        options_len,
    };
    // SAFETY: argument contracts of this function.
    unsafe {
        report_output(
            "kru_report_json",
            input,
            out_json,
            "out_json",
            |pack, log, options| {
                let report = report::report_log(pack, options, log)?;
                serde_json::to_vec(&report).map_err(|e| {
                    Failure::new(
                        KRU_REPORT_ERROR,
                        format!("the report does not serialise: {e}"),
                    )
                })
            },
        )
    }
}

/// The cohort report of a results log as one self-contained, printable HTML page (UTF-8):
/// the core's rendering, the same page as `kru report --format html`. Pack texts (titles,
/// questions, key messages, group labels) are in the best of `languages` (`languages_count`
/// BCP 47 tags, best first, e.g. `km-KH`, `en`; NULL when `languages_count` is 0 for the
/// pack's default language); the page's own words and warnings are the core's interface
/// strings of the same language (the pack's `[interface]` strings first). `options_json` as in
/// kru_report_json(). Free the result with kru_bytes_free().
///
/// Errors: as kru_report_json().
#[no_mangle]
pub unsafe extern "C" fn kru_report_html(
    pack: *const kru_pack,
    log: *const u8,
    log_len: usize,
    options_json: *const c_char,
    options_len: usize,
    languages: *const kru_str,
    languages_count: usize,
    out_html: *mut *mut kru_bytes,
) -> kru_result {
    let input = ReportInput {
        pack,
        log,
        log_len,
        options_json,
        options_len,
    };
    // SAFETY: argument contracts of this function.
    unsafe {
        report_output(
            "kru_report_html",
            input,
            out_html,
            "out_html",
            |pack, log, options| {
                let languages = languages_arg(languages, languages_count)?;
                let report = report::report_log(pack, options, log)?;
                let language = report::report_language(pack, &languages);
                Ok(report::render_html(&report, pack, language).into_bytes())
            },
        )
    }
}

/// The cohort report's figures as one tidy CSV table (UTF-8, CRLF line ends), one number per
/// row: `field,group,section,subject,phase,statistic,value`. The core's rendering, the summary
/// table of `kru report --format csv`. `options_json` as in kru_report_json(). Free the
/// result with kru_bytes_free().
///
/// Errors: as kru_report_json().
#[no_mangle]
pub unsafe extern "C" fn kru_report_csv(
    pack: *const kru_pack,
    log: *const u8,
    log_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out_csv: *mut *mut kru_bytes,
) -> kru_result {
    let input = ReportInput {
        pack,
        log,
        log_len,
        options_json,
        options_len,
    };
    // SAFETY: argument contracts of this function.
    unsafe {
        report_output(
            "kru_report_csv",
            input,
            out_csv,
            "out_csv",
            |pack, log, options| {
                let report = report::report_log(pack, options, log)?;
                Ok(report::render_csv(&report).into_bytes())
            },
        )
    }
}

/// Every response of the log's records of `pack` (of the options' `journey` only, when given)
/// as one CSV table (UTF-8, CRLF line ends), one row per learner per item, with the learner's
/// intake answers: the core's rendering, the responses table of `kru report --format csv`.
/// Text a spreadsheet would run as a formula is prefixed with `'`. Damage is skipped.
/// `options_json` as in kru_report_json(), which refuses the same options. Free the result
/// with kru_bytes_free().
///
/// Errors: as kru_report_json().
#[no_mangle]
pub unsafe extern "C" fn kru_report_responses_csv(
    pack: *const kru_pack,
    log: *const u8,
    log_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out_csv: *mut *mut kru_bytes,
) -> kru_result {
    let input = ReportInput {
        pack,
        log,
        log_len,
        options_json,
        options_len,
    };
    // SAFETY: argument contracts of this function.
    unsafe {
        report_output(
            "kru_report_responses_csv",
            input,
            out_csv,
            "out_csv",
            |pack, log, options| Ok(report::responses_csv_log(pack, options, log)?.into_bytes()),
        )
    }
}

/// The arguments every report function takes: the pack, the log and the options (JSON).
struct ReportInput {
    pack: *const kru_pack,
    log: *const u8,
    log_len: usize,
    options_json: *const c_char,
    options_len: usize,
}

/// The body of every report function `name`: reads `input`, checks `out_bytes`, and hands
/// out the bytes `render` makes of the pack, the log and the options.
///
/// # Safety
/// `input.pack` is NULL or a pointer the library handed out; `input.log` points to
/// `input.log_len` readable bytes (NULL when 0); `input.options_json` to `input.options_len`
/// readable bytes (NULL when 0); `render` may rely on its caller's own contracts.
unsafe fn report_output(
    name: &'static str,
    input: ReportInput,
    out_bytes: *mut *mut kru_bytes,
    out_name: &str,
    render: impl FnOnce(&Pack, &[u8], &ReportOptions) -> FfiResult<Vec<u8>>,
) -> kru_result {
    boundary(name, || {
        // SAFETY: forwarded contract.
        let (pack, log, options) = unsafe {
            (
                pack_ref(input.pack)?,
                ffi::slice(input.log, input.log_len, "log")?,
                ffi::utf8(input.options_json, input.options_len, "options_json")?,
            )
        };
        let o = out(out_bytes, out_name)?;
        let options = parse_options(options)?;
        o.set(crate::bytes::new_bytes(render(pack, log, &options)?));
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
