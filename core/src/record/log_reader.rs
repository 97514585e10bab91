//! Reading a results log that arrives in pieces: a file read in chunks, a download, bytes
//! copied off a device. Memory stays bounded by one record, whatever the size of the log.
//!
//! [`LogReader::feed`] takes the next chunk and reports every entry that is complete so far;
//! [`LogReader::finish`] reports the rest at the end of the input. The entries, and their
//! offsets from the start of the log, are those [`LogFrames`] gives on the whole log, except
//! that adjacent damaged stretches are reported as one, and that the resync budget against
//! crafted logs applies per chunk (so the cost stays linear in the size of the log).

use alloc::vec::Vec;

use super::log::{Damage, LogEntry, LogFrames, FRAME_HEADER, SYNC};
use crate::limits;

/// An incremental reader of a results log. Every host (the CLI, C, WASM) reads logs with it.
///
/// ```
/// use kru_core::record::log::{LogEntry, LogReader};
/// let mut reader = LogReader::new();
/// let mut frames = 0;
/// for chunk in [&b"KRL1"[..], &b"\x00\x00"[..]] {
///     reader.feed(chunk, |e| frames += usize::from(matches!(e, LogEntry::Frame { .. })));
/// }
/// let mut damaged = 0;
/// reader.finish(|e| damaged += usize::from(matches!(e, LogEntry::Damaged(_))));
/// assert_eq!((frames, damaged), (0, 1)); // six bytes of a torn frame
/// ```
#[derive(Debug, Clone, Default)]
pub struct LogReader {
    /// Bytes received but not yet reported.
    buf: Vec<u8>,
    /// Offset in the log of `buf[0]`.
    base: u64,
    /// Damage found but not yet reported: the next chunk may extend it.
    pending: Option<Damage>,
}

/// Whether `bytes` (a damaged stretch that runs to the end of what has arrived) may be a frame
/// that the end of the chunk cut: it starts with the sync marker (or a prefix of it) and
/// declares a length it does not hold yet.
fn may_be_cut_frame(bytes: &[u8]) -> bool {
    let Some(head) = bytes.get(..FRAME_HEADER) else {
        return SYNC.starts_with(bytes.get(..4).unwrap_or(bytes));
    };
    if head.get(..4) != Some(&SYNC[..]) {
        return false;
    }
    let mut len = [0u8; 4];
    len.copy_from_slice(head.get(4..8).unwrap_or(&[0xFF; 4]));
    let len = u32::from_le_bytes(len) as usize;
    len <= limits::MAX_RECORD_BYTES && FRAME_HEADER + len > bytes.len()
}

impl LogReader {
    /// A reader at the start of a log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes held back because the frame they start may continue in the next chunk.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Takes the next chunk of the log and calls `f` for every entry now complete, in order.
    pub fn feed(&mut self, chunk: &[u8], mut f: impl FnMut(LogEntry<'_>)) {
        self.buf.extend_from_slice(chunk);
        let consumed = self.read(false, &mut f);
        self.buf.drain(..consumed);
        self.base += consumed as u64;
    }

    /// Ends the input: calls `f` for every entry left, treating what is left of a cut frame
    /// as damage (a torn write).
    pub fn finish(mut self, mut f: impl FnMut(LogEntry<'_>)) {
        self.read(true, &mut f);
        if let Some(d) = self.pending.take() {
            f(LogEntry::Damaged(d));
        }
    }

    /// Reports the complete entries of the buffer; returns how many bytes it used up.
    fn read(&mut self, at_end: bool, f: &mut impl FnMut(LogEntry<'_>)) -> usize {
        let Self { buf, base, pending } = self;
        let mut consumed = 0usize;
        for e in LogFrames::new(buf) {
            match e {
                LogEntry::Frame { offset, payload } => {
                    if let Some(d) = pending.take() {
                        f(LogEntry::Damaged(d));
                    }
                    f(LogEntry::Frame {
                        offset: *base + offset,
                        payload,
                    });
                    consumed = offset as usize + FRAME_HEADER + payload.len();
                }
                LogEntry::Damaged(d) => {
                    let start = d.offset as usize;
                    let end = start + d.len as usize;
                    let tail = buf.get(start..).unwrap_or_default();
                    let to_end = end == buf.len();
                    if !at_end && (to_end || may_be_cut_frame(tail)) {
                        // Possibly a frame the chunk cut: wait for more. Bytes too far from the
                        // end to start a frame that fits are damage for sure.
                        let keep = buf
                            .len()
                            .saturating_sub(limits::MAX_RECORD_BYTES + FRAME_HEADER)
                            .max(start);
                        if keep > start && to_end {
                            note_damage(pending, f, *base + d.offset, (keep - start) as u64);
                            consumed = keep;
                        } else {
                            consumed = start;
                        }
                        break;
                    }
                    note_damage(pending, f, *base + d.offset, d.len);
                    consumed = end;
                }
            }
        }
        consumed
    }
}

/// Adds a damaged stretch to the pending one when they touch; else reports the pending one
/// and keeps the new one pending.
fn note_damage(
    pending: &mut Option<Damage>,
    f: &mut impl FnMut(LogEntry<'_>),
    offset: u64,
    len: u64,
) {
    match pending {
        Some(p) if p.offset + p.len == offset => p.len += len,
        _ => {
            if let Some(d) = pending.replace(Damage { offset, len }) {
                f(LogEntry::Damaged(d));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::log::append_frame;
    use alloc::vec;

    fn frames(n: usize, size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..n {
            let payload: Vec<u8> = (0..size + i % 7).map(|b| (b * 31 + i) as u8).collect();
            append_frame(&mut out, &payload).unwrap();
        }
        out
    }

    /// What the whole-log iterator gives, with adjacent damage merged.
    fn whole(log: &[u8]) -> Vec<(bool, u64, u64)> {
        let mut out: Vec<(bool, u64, u64)> = Vec::new();
        for e in LogFrames::new(log) {
            match e {
                LogEntry::Frame { offset, payload } => {
                    out.push((true, offset, payload.len() as u64))
                }
                LogEntry::Damaged(d) => match out.last_mut() {
                    Some((false, o, l)) if *o + *l == d.offset => *l += d.len,
                    _ => out.push((false, d.offset, d.len)),
                },
            }
        }
        out
    }

    fn chunked(log: &[u8], chunk: usize) -> Vec<(bool, u64, u64)> {
        let mut got = Vec::new();
        let mut see = |e: LogEntry<'_>| match e {
            LogEntry::Frame { offset, payload } => got.push((true, offset, payload.len() as u64)),
            LogEntry::Damaged(d) => got.push((false, d.offset, d.len)),
        };
        let mut reader = LogReader::new();
        for c in log.chunks(chunk) {
            reader.feed(c, &mut see);
            assert!(reader.buffered() <= chunk + limits::MAX_RECORD_BYTES + FRAME_HEADER);
        }
        reader.finish(&mut see);
        got
    }

    #[test]
    fn chunked_reading_sees_what_the_whole_log_reader_sees() {
        let base = frames(40, 50);
        let mut cases = vec![base.clone(), Vec::new()];
        // Damage at many places: a flipped byte, a cut tail, garbage with false sync markers.
        for at in [0, 5, 13, 70, 300, 1000, base.len() - 3] {
            let mut log = base.clone();
            log[at] ^= 0x5A;
            cases.push(log);
        }
        let mut cut = base.clone();
        cut.truncate(base.len() - 20);
        cases.push(cut);
        let mut garbage = base.clone();
        garbage.splice(500..500, b"KRL1\xff\x00\x00\x00junkKRL1".iter().copied());
        cases.push(garbage);
        let mut long_junk = base.clone();
        long_junk.splice(900..900, core::iter::repeat_n(7u8, 3000));
        cases.push(long_junk);
        // Junk longer than a frame can be, so that the reader reports damage before the end.
        let mut huge_junk = base.clone();
        huge_junk.splice(700..700, (0..700_000u32).map(|i| (i % 251) as u8 | 0x80));
        cases.push(huge_junk);
        for log in &cases {
            let want = whole(log);
            let chunks: &[usize] = if log.len() > 100_000 {
                &[65_536, 100_000, 300_000, 1 << 20]
            } else {
                &[1, 7, 64, 100, 333, 1 << 20]
            };
            for &chunk in chunks {
                assert_eq!(chunked(log, chunk), want, "chunk {chunk}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_split_of_any_log_reads_the_same(
            n in 0usize..12,
            flips in proptest::collection::vec((0usize..2000, 1u8..=255), 0..4),
            cut in 0usize..40,
            chunk in 1usize..400,
        ) {
            let mut log = frames(n, 30);
            for (at, x) in flips {
                if let Some(b) = log.get_mut(at) { *b ^= x; }
            }
            log.truncate(log.len().saturating_sub(cut));
            proptest::prop_assert_eq!(chunked(&log, chunk), whole(&log));
        }
    }
}
