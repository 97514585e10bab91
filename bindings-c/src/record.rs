//! Result records and the append-only results log.

use kru_core::record::log::{self, Recovered};
use kru_core::record::ResultRecord;

use crate::bytes::{kru_bytes, new_bytes};
use crate::error::Failure;
use crate::ffi::{self, handle, kru_slice, kru_str, out};
use crate::kru_result::{self, *};
use crate::panic::{boundary, boundary_void};
use crate::view::kru_scores;

/// The result record of one finished or abandoned session: a pseudonymous learner code,
/// the intake answers, every response, timestamps. Immutable: may be read from several
/// threads at once. Free with kru_record_free().
#[allow(non_camel_case_types)]
pub struct kru_record {
    _private: [u8; 0],
}
handle!(kru_record => ResultRecord, b"kru.rcrd");

/// What was read from a results log: the records, the damaged stretches skipped, and the
/// frames that did not decode. Immutable: may be read from several threads at once.
/// Free with kru_log_free().
#[allow(non_camel_case_types)]
pub struct kru_log {
    _private: [u8; 0],
}
handle!(kru_log => LogHandle, b"kru.log_");

/// What a log handle holds.
pub(crate) struct LogHandle {
    recovered: Recovered,
    description: String,
}

/// Wraps a record in a new handle.
pub(crate) fn new_record(record: ResultRecord) -> *mut kru_record {
    ffi::new_handle::<kru_record>(record)
}

/// Frees a record. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn kru_record_free(record: *mut kru_record) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_record_free", || unsafe { ffi::free(record, "record") });
}

/// The bytes to append to a results log file for this record: one frame (sync marker,
/// length, checksum, payload). Before appending, truncate the file to
/// kru_log_append_offset() so that a torn last write is not left between records; then
/// write these bytes and fsync. Free them with kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_record_log_frame(
    record: *const kru_record,
    out_frame: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_record_log_frame", || {
        // SAFETY: argument contract of this function.
        let r = unsafe { ffi::borrow(record, "record")? };
        let o = out(out_frame, "out_frame")?;
        o.set(new_bytes(log::encode_record(r)?));
        Ok(())
    })
}

/// The record as JSON (UTF-8): every field, for export or display. Free with
/// kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_record_json(
    record: *const kru_record,
    out_json: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_record_json", || {
        // SAFETY: argument contract of this function.
        let r = unsafe { ffi::borrow(record, "record")? };
        let o = out(out_json, "out_json")?;
        let json = serde_json::to_vec(r).map_err(|e| {
            Failure::new(
                KRU_RECORD_ENCODE,
                format!("the record does not serialise: {e}"),
            )
        })?;
        o.set(new_bytes(json));
        Ok(())
    })
}

/// Who and what the record is about: learner code, pack id, journey id and the language tag
/// the session ended in. Valid until the record is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_record_info(
    record: *const kru_record,
    out_learner: *mut kru_str,
    out_pack: *mut kru_str,
    out_journey: *mut kru_str,
    out_language: *mut kru_str,
) -> kru_result {
    boundary("kru_record_info", || {
        // SAFETY: argument contract of this function.
        let r = unsafe { ffi::borrow(record, "record")? };
        let (le, pa, jo, la) = (
            ffi::opt(out_learner),
            ffi::opt(out_pack),
            ffi::opt(out_journey),
            ffi::opt(out_language),
        );
        le.set(kru_str::of(&r.learner));
        pa.set(kru_str::of(&r.pack_id));
        jo.set(kru_str::of(&r.journey));
        la.set(kru_str::of(&r.language));
        Ok(())
    })
}

/// The record's 16-byte unique id (merging logs drops records whose id was already seen).
/// Valid until the record is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_record_id(
    record: *const kru_record,
    out_id: *mut kru_slice,
) -> kru_result {
    boundary("kru_record_id", || {
        // SAFETY: argument contract of this function.
        let r = unsafe { ffi::borrow(record, "record")? };
        out(out_id, "out_id")?.set(kru_slice::of(&r.record_id));
        Ok(())
    })
}

/// Whether the journey was completed (false: abandoned), when it started and ended
/// (milliseconds since the Unix epoch, host clock), and how many questions were answered.
#[no_mangle]
pub unsafe extern "C" fn kru_record_outcome(
    record: *const kru_record,
    out_completed: *mut bool,
    out_started_ms: *mut i64,
    out_ended_ms: *mut i64,
    out_response_count: *mut usize,
) -> kru_result {
    boundary("kru_record_outcome", || {
        // SAFETY: argument contract of this function.
        let r = unsafe { ffi::borrow(record, "record")? };
        let (c, s, e, n) = (
            ffi::opt(out_completed),
            ffi::opt(out_started_ms),
            ffi::opt(out_ended_ms),
            ffi::opt(out_response_count),
        );
        c.set(r.completed);
        s.set(r.started_at);
        e.set(r.ended_at);
        n.set(r.responses.len());
        Ok(())
    })
}

/// The record's pre-test and post-test totals and gain.
#[no_mangle]
pub unsafe extern "C" fn kru_record_scores(
    record: *const kru_record,
    out_scores: *mut kru_scores,
) -> kru_result {
    boundary("kru_record_scores", || {
        // SAFETY: argument contract of this function.
        let r = unsafe { ffi::borrow(record, "record")? };
        let o = out(out_scores, "out_scores")?;
        let s = r.scores();
        o.set(kru_scores::of(s.pre, s.post, s.gain));
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Results log

/// The offset to truncate a log file to before appending: the end of the last complete frame
/// when the log ends in damage (a torn write), else its length. `log` may be NULL when `len`
/// is 0 (an empty or new file).
#[no_mangle]
pub unsafe extern "C" fn kru_log_append_offset(
    log: *const u8,
    len: usize,
    out_offset: *mut usize,
) -> kru_result {
    boundary("kru_log_append_offset", || {
        // SAFETY: argument contract of this function.
        let log = unsafe { ffi::slice(log, len, "log")? };
        out(out_offset, "out_offset")?.set(log::append_offset(log));
        Ok(())
    })
}

/// Reads every record of a results log. Damage (a torn last write, a bad sector) is skipped
/// and reported, never fatal: complete frames before and after it are recovered. The bytes
/// are not kept. Free the result with kru_log_free().
#[no_mangle]
pub unsafe extern "C" fn kru_log_read(
    log: *const u8,
    len: usize,
    out_log: *mut *mut kru_log,
) -> kru_result {
    boundary("kru_log_read", || {
        // SAFETY: argument contract of this function.
        let bytes = unsafe { ffi::slice(log, len, "log")? };
        let o = out(out_log, "out_log")?;
        let recovered = log::read_records(bytes);
        let description = log::describe(&recovered);
        o.set(ffi::new_handle::<kru_log>(LogHandle {
            recovered,
            description,
        }));
        Ok(())
    })
}

/// Frees what kru_log_read() gave. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn kru_log_free(log: *mut kru_log) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_log_free", || unsafe { ffi::free(log, "log") });
}

/// How many records were read, damaged stretches skipped, and frames that did not decode
/// (e.g. written by a newer engine).
#[no_mangle]
pub unsafe extern "C" fn kru_log_counts(
    log: *const kru_log,
    out_records: *mut usize,
    out_damaged: *mut usize,
    out_undecodable: *mut usize,
) -> kru_result {
    boundary("kru_log_counts", || {
        // SAFETY: argument contract of this function.
        let l = unsafe { ffi::borrow(log, "log")? };
        let (r, d, u) = (
            ffi::opt(out_records),
            ffi::opt(out_damaged),
            ffi::opt(out_undecodable),
        );
        r.set(l.recovered.records.len());
        d.set(l.recovered.damaged.len());
        u.set(l.recovered.undecodable.len());
        Ok(())
    })
}

/// A copy of record `index` of the log, in log order. Free it with kru_record_free().
#[no_mangle]
pub unsafe extern "C" fn kru_log_record(
    log: *const kru_log,
    index: usize,
    out_record: *mut *mut kru_record,
) -> kru_result {
    boundary("kru_log_record", || {
        // SAFETY: argument contract of this function.
        let l = unsafe { ffi::borrow(log, "log")? };
        let o = out(out_record, "out_record")?;
        let r = ffi::index(&l.recovered.records, index, "record")?;
        o.set(new_record(r.clone()));
        Ok(())
    })
}

/// Damaged stretch `index`: its byte offset in the log and its length.
#[no_mangle]
pub unsafe extern "C" fn kru_log_damage(
    log: *const kru_log,
    index: usize,
    out_offset: *mut usize,
    out_len: *mut usize,
) -> kru_result {
    boundary("kru_log_damage", || {
        // SAFETY: argument contract of this function.
        let l = unsafe { ffi::borrow(log, "log")? };
        let (o, n) = (ffi::opt(out_offset), ffi::opt(out_len));
        let d = ffi::index(&l.recovered.damaged, index, "damaged stretch")?;
        o.set(usize::try_from(d.offset).unwrap_or(usize::MAX));
        n.set(usize::try_from(d.len).unwrap_or(usize::MAX));
        Ok(())
    })
}

/// A sentence for people: records read, damage skipped (e.g. `3 records, 1 damaged
/// stretches (17 bytes) skipped`). Valid until the log is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_log_describe(
    log: *const kru_log,
    out_text: *mut kru_str,
) -> kru_result {
    boundary("kru_log_describe", || {
        // SAFETY: argument contract of this function.
        let l = unsafe { ffi::borrow(log, "log")? };
        out(out_text, "out_text")?.set(kru_str::of(&l.description));
        Ok(())
    })
}

/// Merges logs (e.g. from many kiosks) into one clean log without duplicate records (same
/// record id), keeping the first copy; damaged stretches are dropped. `logs` may be NULL
/// when `count` is 0. Free the result with kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_log_merge(
    logs: *const kru_slice,
    count: usize,
    out_merged: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_log_merge", || {
        // SAFETY: argument contract of this function: `count` views of readable bytes.
        let views = unsafe { ffi::slice(logs, count, "logs")? };
        let o = out(out_merged, "out_merged")?;
        let logs = views
            .iter()
            .enumerate()
            // SAFETY: as above.
            .map(|(i, v)| unsafe { ffi::bytes_of(v, &format!("logs[{i}]")) })
            .collect::<Result<Vec<&[u8]>, _>>()?;
        o.set(new_bytes(log::merge(&logs)));
        Ok(())
    })
}
