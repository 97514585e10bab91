//! Reading a results log in pieces: the core's incremental [`LogReader`], for hosts that read
//! a large log file (or a download) chunk by chunk instead of holding it in memory.

use std::collections::VecDeque;

use kru_core::record::log::{LogEntry, LogReader};
use kru_core::record::ResultRecord;

use crate::error::Failure;
use crate::ffi::{self, handle, out};
use crate::kru_result::{self, *};
use crate::panic::{boundary, boundary_void};
use crate::record::{kru_record, new_record};

/// An incremental results-log reader: feed it chunks of a log with kru_log_reader_feed(),
/// take the records complete so far with kru_log_reader_next(), and end with
/// kru_log_reader_finish(). Memory stays bounded by one record plus the records not yet
/// taken. Not thread-safe: use one reader from one thread at a time. Free with
/// kru_log_reader_free().
#[allow(non_camel_case_types)]
pub struct kru_log_reader {
    _private: [u8; 0],
}
handle!(kru_log_reader => ReaderHandle, b"kru.lgrd");

/// What a reader handle holds.
pub(crate) struct ReaderHandle {
    /// `None` once finished.
    reader: Option<LogReader>,
    /// Records decoded and not yet taken.
    ready: VecDeque<ResultRecord>,
    records: usize,
    damaged: usize,
    damaged_bytes: u64,
    undecodable: usize,
}

impl ReaderHandle {
    fn take(&mut self, e: LogEntry<'_>) {
        match e {
            LogEntry::Frame { payload, .. } => match ResultRecord::from_bytes(payload) {
                Ok(r) => {
                    self.records += 1;
                    self.ready.push_back(r);
                }
                Err(_) => self.undecodable += 1,
            },
            LogEntry::Damaged(d) => {
                self.damaged += 1;
                self.damaged_bytes += d.len;
            }
        }
    }
}

/// Creates a reader positioned at the start of a log.
#[no_mangle]
pub unsafe extern "C" fn kru_log_reader_new(out_reader: *mut *mut kru_log_reader) -> kru_result {
    boundary("kru_log_reader_new", || {
        out(out_reader, "out_reader")?.set(ffi::new_handle::<kru_log_reader>(ReaderHandle {
            reader: Some(LogReader::new()),
            ready: VecDeque::new(),
            records: 0,
            damaged: 0,
            damaged_bytes: 0,
            undecodable: 0,
        }));
        Ok(())
    })
}

/// Frees a reader and the records it still holds. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn kru_log_reader_free(reader: *mut kru_log_reader) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_log_reader_free", || unsafe {
        ffi::free(reader, "reader")
    });
}

/// Feeds the next `len` bytes of the log (`bytes` may be NULL when `len` is 0). Records that
/// are complete are queued for kru_log_reader_next(); a frame the chunk cuts waits for the
/// next chunk. Chunks of 64 KiB or more read fastest. KRU_INVALID_ARGUMENT after
/// kru_log_reader_finish().
#[no_mangle]
pub unsafe extern "C" fn kru_log_reader_feed(
    reader: *mut kru_log_reader,
    bytes: *const u8,
    len: usize,
) -> kru_result {
    boundary("kru_log_reader_feed", || {
        // SAFETY: argument contract of this function.
        let h = unsafe { ffi::borrow_mut(reader, "reader")? };
        // SAFETY: argument contract of this function.
        let chunk = unsafe { ffi::slice(bytes, len, "bytes")? };
        let mut r = h.reader.take().ok_or_else(finished)?;
        r.feed(chunk, |e| h.take(e));
        h.reader = Some(r);
        Ok(())
    })
}

/// Ends the input: what is left of a frame cut by the end of the log (a torn last write) is
/// counted as damage, and the last complete records are queued. Further feeds fail.
#[no_mangle]
pub unsafe extern "C" fn kru_log_reader_finish(reader: *mut kru_log_reader) -> kru_result {
    boundary("kru_log_reader_finish", || {
        // SAFETY: argument contract of this function.
        let h = unsafe { ffi::borrow_mut(reader, "reader")? };
        let r = h.reader.take().ok_or_else(finished)?;
        r.finish(|e| h.take(e));
        Ok(())
    })
}

/// Takes the next queued record, in log order: `*out_record` is a new record (free it with
/// kru_record_free()), or NULL when no record is queued (feed more, or the log is done).
#[no_mangle]
pub unsafe extern "C" fn kru_log_reader_next(
    reader: *mut kru_log_reader,
    out_record: *mut *mut kru_record,
) -> kru_result {
    boundary("kru_log_reader_next", || {
        // SAFETY: argument contract of this function.
        let h = unsafe { ffi::borrow_mut(reader, "reader")? };
        let o = out(out_record, "out_record")?;
        o.set(match h.ready.pop_front() {
            Some(r) => new_record(r),
            None => std::ptr::null_mut(),
        });
        Ok(())
    })
}

/// What the reader has seen so far: records decoded, damaged stretches skipped and their
/// bytes, frames that did not decode (e.g. written by a newer engine). Any out-pointer may be
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn kru_log_reader_counts(
    reader: *const kru_log_reader,
    out_records: *mut usize,
    out_damaged: *mut usize,
    out_damaged_bytes: *mut u64,
    out_undecodable: *mut usize,
) -> kru_result {
    boundary("kru_log_reader_counts", || {
        // SAFETY: argument contract of this function.
        let h = unsafe { ffi::borrow(reader, "reader")? };
        // SAFETY: each pointer is NULL or valid for a write (argument contract).
        unsafe {
            if let Some(p) = out_records.as_mut() {
                *p = h.records;
            }
            if let Some(p) = out_damaged.as_mut() {
                *p = h.damaged;
            }
            if let Some(p) = out_damaged_bytes.as_mut() {
                *p = h.damaged_bytes;
            }
            if let Some(p) = out_undecodable.as_mut() {
                *p = h.undecodable;
            }
        }
        Ok(())
    })
}

fn finished() -> Failure {
    Failure::new(
        KRU_INVALID_ARGUMENT,
        "the log reader has been finished; create a new reader to read another log",
    )
}
