//! The append-only results log: result records framed with their length and a checksum.
//!
//! ```text
//! frame:  [sync "KRL1": 4][length L: u32 LE][CRC-32 of length bytes + payload: u32 LE][payload: L]
//! ```
//! A log is just frames one after another, so logs concatenate. A power cut in the middle of
//! a write leaves a torn last frame: [`LogFrames`] (a log in memory) and [`LogReader`] (a log read
//! in chunks) report it as damage and every complete
//! frame before it is recovered. Damage in the middle (a bad sector) is skipped by searching
//! for the next sync marker, so complete frames after it are recovered too; a frame is only
//! accepted when its checksum matches, so nothing is invented. Before appending to a file,
//! hosts truncate it to [`append_offset`] so a torn tail is not left between records.

use alloc::collections::BTreeSet;
use alloc::string::ToString;
use alloc::vec::Vec;

use crate::checksum::Crc32;
use crate::error_code::ErrorCode;
use crate::limits;
use crate::record::{RecordError, ResultRecord};

pub use super::log_reader::LogReader;

/// The sync marker that starts every frame.
pub const SYNC: [u8; 4] = *b"KRL1";
/// Bytes of frame header before the payload.
pub const FRAME_HEADER: usize = 12;

/// Why a record could not be written to the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// The record could not be encoded.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The payload is too large for a frame.
    #[error("log frame payload of {len} bytes is larger than the limit of {max}")]
    TooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
}

impl LogError {
    /// The error's entry in the [error table](crate::error_code): a log frame too large for
    /// its length field counts as a record too large.
    pub fn code(&self) -> ErrorCode {
        match self {
            LogError::Record(e) => e.code(),
            LogError::TooLarge { .. } => ErrorCode::RecordTooLarge,
        }
    }
}

/// A damaged stretch of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Damage {
    /// Where it starts (bytes from the start of the log).
    pub offset: u64,
    /// How many bytes were skipped.
    pub len: u64,
}

/// What a log holds, frame by frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogEntry<'a> {
    /// A complete frame with a matching checksum.
    Frame {
        /// Offset of the frame (bytes from the start of the log).
        offset: u64,
        /// Its payload.
        payload: &'a [u8],
    },
    /// Bytes that are not a valid frame (torn write or damage).
    Damaged(Damage),
}

fn frame_crc(len: [u8; 4], payload: &[u8]) -> u32 {
    frame_crc_from(Crc32::new(), len, payload)
}

/// [`frame_crc`] from a fresh checksum `c` (a reader keeps one to copy: making one checks the
/// CPU's features each time).
fn frame_crc_from(mut c: Crc32, len: [u8; 4], payload: &[u8]) -> u32 {
    c.update(&len);
    c.update(payload);
    c.finish()
}

/// Appends one frame holding `payload` to `out`.
pub fn append_frame(out: &mut Vec<u8>, payload: &[u8]) -> Result<(), LogError> {
    if payload.len() > limits::MAX_RECORD_BYTES {
        return Err(LogError::TooLarge {
            len: payload.len(),
            max: limits::MAX_RECORD_BYTES,
        });
    }
    let len = (payload.len() as u32).to_le_bytes();
    out.extend_from_slice(&SYNC);
    out.extend_from_slice(&len);
    out.extend_from_slice(&frame_crc(len, payload).to_le_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

/// The bytes to append to a log file for one record.
pub fn encode_record(record: &ResultRecord) -> Result<Vec<u8>, LogError> {
    let payload = record.to_bytes()?;
    let mut out = Vec::with_capacity(payload.len() + FRAME_HEADER);
    append_frame(&mut out, &payload)?;
    Ok(out)
}

/// Iterates over the frames and damaged stretches of a log held whole in memory, without
/// allocating. For a log that arrives in pieces (a file read in chunks), use [`LogReader`].
#[derive(Debug, Clone)]
pub struct LogFrames<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Payload bytes the reader may still checksum while searching past damage. A crafted log
    /// full of sync markers would otherwise cost a checksum of up to a record's size at every
    /// byte; with the budget, reading costs at most a small multiple of the log's size. Real
    /// damage (a torn write, a bad sector) uses a tiny part of it.
    resync_budget: usize,
    /// A fresh checksum, copied for each frame.
    crc: Crc32,
}

impl<'a> LogFrames<'a> {
    /// Reads `bytes` from the start.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            resync_budget: bytes
                .len()
                .saturating_mul(4)
                .saturating_add(4 * limits::MAX_RECORD_BYTES),
            crc: Crc32::new(),
        }
    }

    fn frame_at(&self, pos: usize) -> Option<&'a [u8]> {
        let b = self.bytes;
        if b.get(pos..pos + 4)? != SYNC {
            return None;
        }
        let mut len = [0u8; 4];
        len.copy_from_slice(b.get(pos + 4..pos + 8)?);
        let n = u32::from_le_bytes(len) as usize;
        if n > limits::MAX_RECORD_BYTES {
            return None;
        }
        let mut crc = [0u8; 4];
        crc.copy_from_slice(b.get(pos + 8..pos + 12)?);
        let payload = b.get(pos + FRAME_HEADER..pos + FRAME_HEADER + n)?;
        (frame_crc_from(self.crc.clone(), len, payload) == u32::from_le_bytes(crc))
            .then_some(payload)
    }

    fn next_sync(&mut self, from: usize) -> usize {
        let b = self.bytes;
        for i in from..b.len() {
            if b.get(i..i + 4) != Some(&SYNC[..]) {
                continue;
            }
            let mut len = [0u8; 4];
            len.copy_from_slice(b.get(i + 4..i + 8).unwrap_or(&[0xFF; 4]));
            let cost = (u32::from_le_bytes(len) as usize).min(b.len() - i);
            if cost > self.resync_budget {
                // Out of budget: the rest of this log is treated as damaged.
                self.resync_budget = 0;
                return b.len();
            }
            self.resync_budget -= cost;
            if self.frame_at(i).is_some() {
                return i;
            }
        }
        b.len()
    }
}

impl<'a> Iterator for LogFrames<'a> {
    type Item = LogEntry<'a>;

    fn next(&mut self) -> Option<LogEntry<'a>> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let at = self.pos;
        if let Some(payload) = self.frame_at(at) {
            self.pos = at + FRAME_HEADER + payload.len();
            return Some(LogEntry::Frame {
                offset: at as u64,
                payload,
            });
        }
        let next = self.next_sync(at + 1);
        self.pos = next;
        Some(LogEntry::Damaged(Damage {
            offset: at as u64,
            len: (next - at) as u64,
        }))
    }
}

/// The offset to truncate a log file to before appending: the end of the last complete
/// frame when the log ends in damage (a torn write), else its length.
pub fn append_offset(bytes: &[u8]) -> usize {
    let mut end = 0;
    let mut tail_damaged = false;
    for e in LogFrames::new(bytes) {
        match e {
            LogEntry::Frame { offset, payload } => {
                end = offset as usize + FRAME_HEADER + payload.len();
                tail_damaged = false;
            }
            LogEntry::Damaged(_) => tail_damaged = true,
        }
    }
    if tail_damaged {
        end
    } else {
        bytes.len()
    }
}

/// Everything readable in a log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recovered {
    /// The records, in log order.
    pub records: Vec<ResultRecord>,
    /// Damaged stretches skipped.
    pub damaged: Vec<Damage>,
    /// Frames whose checksum matched but which did not decode as a record (e.g. written by a
    /// newer engine), with the reason.
    pub undecodable: Vec<(u64, RecordError)>,
}

/// Reads every record of a log.
pub fn read_records(bytes: &[u8]) -> Recovered {
    let mut out = Recovered::default();
    for e in LogFrames::new(bytes) {
        match e {
            LogEntry::Frame { offset, payload } => match ResultRecord::from_bytes(payload) {
                Ok(r) => out.records.push(r),
                Err(err) => out.undecodable.push((offset, err)),
            },
            LogEntry::Damaged(d) => out.damaged.push(d),
        }
    }
    out
}

/// Merges logs (e.g. from many kiosks) into one clean log without duplicate records
/// (same record id), keeping the first copy. Damaged stretches are dropped.
pub fn merge(logs: &[&[u8]]) -> Vec<u8> {
    let mut seen: BTreeSet<[u8; 16]> = BTreeSet::new();
    let mut out = Vec::new();
    for log in logs {
        for e in LogFrames::new(log) {
            if let LogEntry::Frame { payload, .. } = e {
                // Frames that do not decode are kept as they are (a newer engine may read them).
                let fresh = match ResultRecord::from_bytes(payload) {
                    Ok(r) => seen.insert(r.record_id),
                    Err(_) => true,
                };
                if fresh {
                    // A payload within a frame is always within the size limit.
                    let _ = append_frame(&mut out, payload);
                }
            }
        }
    }
    out
}

impl core::fmt::Display for Damage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} damaged bytes at offset {}", self.len, self.offset)
    }
}

/// Describes a recovery for people: records read, damage skipped.
pub fn describe(r: &Recovered) -> alloc::string::String {
    let mut s = alloc::format!("{} records", r.records.len());
    if !r.damaged.is_empty() {
        let bytes: u64 = r.damaged.iter().map(|d| d.len).sum();
        s.push_str(&alloc::format!(
            ", {} damaged stretches ({bytes} bytes) skipped",
            r.damaged.len()
        ));
    }
    if !r.undecodable.is_empty() {
        s.push_str(&alloc::format!(
            ", {} undecodable frames",
            r.undecodable.len()
        ));
    }
    s.to_string()
}
