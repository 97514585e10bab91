//! Decoding only what the report needs from a result record's bytes, without allocating.
//!
//! A results log holds postcard-encoded [`RecordSchema`](crate::record::RecordSchema)
//! values. Decoding a whole [`ResultRecord`] allocates a dozen strings and vectors per record;
//! the report needs a handful of fields, so [`decode`] walks the postcard encoding directly:
//! strings are borrowed from the payload and the responses go into a reusable buffer, each
//! as a score row in the layout of version 4 ([`ResponseView`]). For a record of version 2 to
//! 4 it reads the head and the fixed-width score rows and stops there (the answers come after
//! them); a version-4 row is checked and copied as it is, older rows are rewritten in that
//! layout. A version-1 record interleaves answers and scores, so every answer is walked. It follows the postcard wire format (varints, zig-zag signed
//! integers, length-prefixed strings and sequences, enum discriminants as varints), checks it
//! as `postcard` does (booleans 0/1, enum discriminants in range, lengths within the input),
//! and returns `None` for anything else, such as a newer schema version: callers then fall
//! back to [`ResultRecord::from_bytes`](crate::ResultRecord::from_bytes). Strings the report
//! does not use (learner code, language, typed answers, other intake answers) are skipped
//! without checking their UTF-8, and integers it does not use without checking their range
//! (frames are checksummed: only a faulty writer could produce such bytes); a version-3 credit is
//! checked to be a fraction from 0 to 1, not that it is reduced (its value is what counts). A test checks that both decoders agree on simulated records.

use alloc::vec::Vec;

use crate::credit::Credit;
use crate::pack::journey::PhaseKind;
use crate::pack::Version;
use crate::record::format::v2::{
    exact, phase_kind_code, phase_kind_of, ScoreRow, CORRECT_BIT, DONT_KNOW, NO_SCALE, ROW,
};
use crate::record::ResultRecord;

/// What the report uses of one response: a score row in the layout of record version 4
/// ([`crate::record::format::v2`]: phase, phase kind and right/wrong, item, exact credit,
/// scale point, [`DONT_KNOW`] or [`NO_SCALE`]), checked when it was made (its phase kind
/// known, its credit a fraction from 0 to 1). A version-4 row is taken as it is, one copy and
/// no unpacking per row; responses of other versions are written in this layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ResponseView([u8; ROW]);

impl ResponseView {
    /// A placeholder (a wrong pre-test answer to item 0) for buffers filled in place.
    pub(crate) const EMPTY: Self = Self([0, 1, 0, 0, 0, 0, 1, 0, 0xFF, 0xFF]);

    /// The response with these fields (a scale point of `FFFE` or more, which no scale has,
    /// is kept as no scale point).
    pub(crate) fn new(
        phase: u8,
        kind: PhaseKind,
        item: u16,
        credit: Credit,
        correct: bool,
        scale: Option<u16>,
        dont_know: bool,
    ) -> Self {
        let kind = phase_kind_code(kind) | if correct { CORRECT_BIT } else { 0 };
        let scale = match scale {
            _ if dont_know => DONT_KNOW,
            Some(v) if v < DONT_KNOW => v,
            _ => NO_SCALE,
        };
        let [i0, i1] = item.to_le_bytes();
        let [n0, n1] = credit.num().to_le_bytes();
        let [d0, d1] = credit.den().to_le_bytes();
        let [s0, s1] = scale.to_le_bytes();
        Self([phase, kind, i0, i1, n0, n1, d0, d1, s0, s1])
    }

    #[inline(always)]
    fn u16_at(&self, at: usize) -> u16 {
        let b = |i: usize| self.0.get(i).copied().unwrap_or(0);
        u16::from_le_bytes([b(at), b(at + 1)])
    }

    #[inline(always)]
    fn byte(&self, at: usize) -> u8 {
        self.0.get(at).copied().unwrap_or(0)
    }

    /// Phase index within the journey.
    #[inline(always)]
    pub fn phase(&self) -> u8 {
        self.byte(0)
    }

    /// The index of its phase kind among the tests a report compares (0 pre-test, 1
    /// post-test; `None` for other phase kinds).
    #[inline(always)]
    pub fn test_kind(&self) -> Option<usize> {
        match self.byte(1) & !CORRECT_BIT {
            0 => Some(0),
            3 => Some(1),
            _ => None,
        }
    }

    /// Item index.
    #[inline(always)]
    pub fn item(&self) -> u16 {
        self.u16_at(2)
    }

    /// Points earned.
    #[inline(always)]
    pub fn credit(&self) -> Credit {
        // Checked when the row was made (`new`, `v4_row_ok`).
        Credit::from_checked_parts(self.u16_at(4), self.u16_at(6))
    }

    /// Full credit.
    #[inline(always)]
    pub fn correct(&self) -> bool {
        self.byte(1) & CORRECT_BIT != 0
    }

    /// The scale point of a Likert answer.
    #[inline(always)]
    pub fn scale(&self) -> Option<u16> {
        let s = self.u16_at(8);
        (s < DONT_KNOW).then_some(s)
    }

    /// Whether the answer was "I don't know".
    #[inline(always)]
    pub fn dont_know(&self) -> bool {
        self.u16_at(8) == DONT_KNOW
    }
}

/// Whether a version-4 row can be taken as it is: its phase kind known and its credit a
/// fraction from 0 to 1. Without branches, so that the decoder checks a record's rows in one
/// straight loop and fails once at its end.
#[inline(always)]
fn v4_row_ok(r: &[u8; ROW]) -> bool {
    let [_, kind, _, _, n0, n1, d0, d1, _, _] = *r;
    let (num, den) = (u16::from_le_bytes([n0, n1]), u16::from_le_bytes([d0, d1]));
    // The known kinds are the codes 0 to 4 (`phase_kind_of`); 1 ≤ den and num ≤ den.
    ((kind & !CORRECT_BIT) <= 4) & (num.max(1) <= den)
}

/// What the report uses of one record. Strings borrow from the payload (or the record) as
/// bytes, not yet checked to be UTF-8: the report compares them with the pack's ids (equal
/// bytes are valid UTF-8) and checks them only when it keeps them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RecordView<'a> {
    pub pack_id: &'a [u8],
    pub pack_version: Version,
    pub journey: &'a [u8],
    /// The first two forms in crossover order (first = pre-test, second = post-test).
    pub forms: [Option<&'a [u8]>; 2],
    pub started_at: i64,
    pub completed: bool,
    /// The value of the intake field the report is broken down by, if answered.
    pub by_value: Option<&'a [u8]>,
}

impl<'a> RecordView<'a> {
    /// The view of a decoded record, its responses into `out` (cleared first).
    pub fn of_record(r: &'a ResultRecord, by: Option<&str>, out: &mut Vec<ResponseView>) -> Self {
        out.clear();
        out.extend(r.responses.iter().map(|x| {
            ResponseView::new(
                x.phase,
                x.phase_kind,
                x.item,
                x.credit,
                x.correct,
                match x.answer {
                    crate::pack::item::Answer::Scale(v) => Some(v),
                    _ => None,
                },
                x.answer == crate::pack::item::Answer::DontKnow,
            )
        }));
        let mut forms = [None, None];
        for (slot, f) in forms.iter_mut().zip(&r.forms) {
            *slot = Some(f.as_bytes());
        }
        RecordView {
            pack_id: r.pack_id.as_bytes(),
            pack_version: r.pack_version,
            journey: r.journey.as_bytes(),
            forms,
            started_at: r.started_at,
            completed: r.completed,
            by_value: by.and_then(|f| r.demographic(f)).map(str::as_bytes),
        }
    }
}

/// A cursor over postcard bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    #[inline(always)]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    /// An unsigned LEB128 varint whose value fits `bits` bits, in at most ⌈bits/7⌉ bytes
    /// (postcard's rules).
    #[inline(always)]
    fn varint<const BITS: u32>(&mut self) -> Option<u64> {
        let b = self.byte()?;
        if b < 0x80 {
            return Some(u64::from(b));
        }
        // Out of line, on a copy of the position, so that the cursor stays in registers.
        let (value, pos) = varint_tail::<BITS>(self.bytes, self.pos, b)?;
        self.pos = pos;
        Some(value)
    }

    /// Skips a varint of at most `max_bytes` bytes (a field the report does not use).
    #[inline(always)]
    fn skip_varint(&mut self, max_bytes: usize) -> Option<()> {
        for _ in 0..max_bytes {
            if self.byte()? < 0x80 {
                return Some(());
            }
        }
        None
    }

    /// An enum discriminant below 128 (one byte).
    #[inline(always)]
    fn tag(&mut self) -> Option<u8> {
        self.byte().filter(|&b| b < 0x80)
    }

    #[inline(always)]
    fn u16(&mut self) -> Option<u16> {
        u16::try_from(self.varint::<16>()?).ok()
    }

    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint::<32>()?).ok()
    }

    #[inline(always)]
    fn i64(&mut self) -> Option<i64> {
        let z = self.varint::<64>()?;
        Some(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    #[inline(always)]
    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint::<64>()?).ok()?;
        // Every element takes at least one byte: a length beyond the input is damage.
        (n <= self.bytes.len().saturating_sub(self.pos)).then_some(n)
    }

    #[inline(always)]
    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// A string's bytes, not checked to be UTF-8 (for strings the report does not use).
    /// The length is checked once, against the bytes left (as [`len`](Self::len) and
    /// [`take`](Self::take) would, in fewer steps).
    #[inline(always)]
    fn raw_str(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.varint::<64>()?).ok()?;
        let s = self.bytes.get(self.pos..)?.get(..n)?;
        self.pos += n;
        Some(s)
    }

    #[inline(always)]
    fn f32(&mut self) -> Option<f32> {
        let b = self.take(4)?;
        let mut a = [0u8; 4];
        a.copy_from_slice(b);
        Some(f32::from_le_bytes(a))
    }
}

/// The rest of a varint of at most `BITS` bits whose first byte `first` had its continuation
/// bit set; returns the value and the position after it. One copy per width, so that the
/// number of bytes and the check of the last one are constants.
#[inline(never)]
fn varint_tail<const BITS: u32>(bytes: &[u8], mut pos: usize, first: u8) -> Option<(u64, usize)> {
    let max_bytes = BITS.div_ceil(7);
    let mut value = u64::from(first & 0x7F);
    for i in 1..max_bytes {
        let b = *bytes.get(pos)?;
        pos += 1;
        let part = u64::from(b & 0x7F);
        let shift = 7 * i;
        // The last byte may only carry the bits that are left.
        if shift + 7 > BITS && part >> (BITS - shift) != 0 {
            return None;
        }
        value |= part << shift;
        if b & 0x80 == 0 {
            return Some((value, pos));
        }
    }
    None
}

/// The record id of a record's bytes (the first field of every record version), without
/// decoding the rest; `None` when the bytes are not a record of a version this engine reads.
pub fn record_id(payload: &[u8]) -> Option<[u8; 16]> {
    let mut c = Cursor {
        bytes: payload,
        pos: 0,
    };
    if c.u32()? > 3 {
        return None;
    }
    let mut id = [0u8; 16];
    id.copy_from_slice(c.take(16)?);
    Some(id)
}

/// Decodes the view of a record of version 1, 2, 3 or 4, its responses into `out` (replacing
/// what it held; on `None` its content is unspecified).
/// `by` is the intake field whose value is wanted. `None` when the bytes are not a
/// well-formed record of these versions.
pub(crate) fn decode<'a>(
    payload: &'a [u8],
    by: Option<&str>,
    out: &mut Vec<ResponseView>,
) -> Option<RecordView<'a>> {
    // Not cleared: every path below sizes `out` to its responses and writes each of them, so
    // a buffer that already holds the previous record's responses is only grown or cut
    // (clearing it first made `resize` write every slot twice).
    let mut c = Cursor {
        bytes: payload,
        pos: 0,
    };
    match c.u32()? {
        0 => {}
        1 => return decode_v2::<2>(c, by, out),
        2 => return decode_v2::<3>(c, by, out),
        3 => return decode_v2::<4>(c, by, out),
        _ => return None,
    }
    // RecordSchema::V1
    c.take(16)?; // record_id
    c.raw_str()?; // learner
    let pack_id = c.raw_str()?;
    let pack_version = version(&mut c)?;
    let journey = c.raw_str()?;
    let _language = c.raw_str()?;
    c.skip_varint(10)?; // seed
    let forms = first_forms(&mut c)?;
    let started_at = c.i64()?;
    c.skip_varint(10)?; // ended_at
    let completed = c.bool()?;
    let by_value = demographic(&mut c, by.map(str::as_bytes))?;
    let nresp = c.len()?;
    // Filled in place, so that the loop makes no calls (the cursor stays in registers).
    out.resize(nresp, ResponseView::EMPTY);
    for slot in out.iter_mut() {
        let phase = c.byte()?;
        let kind = phase_kind_of(c.tag()?)?;
        let item = c.u16()?;
        let mut scale = None;
        match c.tag()? {
            // Choice(u16)
            0 => c.skip_varint(3)?,
            // Choices, Order, Matches: Vec<u16>
            1 | 3 | 4 => {
                let n = c.len()?;
                for _ in 0..n {
                    c.skip_varint(3)?;
                }
            }
            // TrueFalse(bool)
            2 => {
                c.bool()?;
            }
            // Text(String)
            5 => {
                c.raw_str()?;
            }
            // Scale(u16)
            6 => scale = Some(c.u16()?),
            _ => return None,
        }
        let credit = Credit::from_f32(c.f32()?);
        let correct = c.bool()?;
        // at_offset_ms: u32
        c.skip_varint(5)?;
        *slot = ResponseView::new(phase, kind, item, credit, correct, scale, false);
    }
    let nstory = c.len()?;
    for _ in 0..nstory {
        c.skip_varint(3)?;
        c.skip_varint(3)?;
        c.skip_varint(3)?;
    }
    Some(RecordView {
        pack_id,
        pack_version,
        journey,
        forms,
        started_at,
        completed,
        by_value,
    })
}

/// A pack version: three u16 varints.
#[inline(always)]
fn version(c: &mut Cursor<'_>) -> Option<Version> {
    Some(Version {
        major: c.u16()?,
        minor: c.u16()?,
        patch: c.u16()?,
    })
}

/// The first two of a list of form ids.
#[inline(always)]
fn first_forms<'a>(c: &mut Cursor<'a>) -> Option<[Option<&'a [u8]>; 2]> {
    let mut forms = [None, None];
    let n = c.len()?;
    for i in 0..n {
        let f = c.raw_str()?;
        if let Some(slot) = forms.get_mut(i) {
            *slot = Some(f);
        }
    }
    Some(forms)
}

/// The demographic value of field `by` among `n` (field, value) pairs at the cursor.
#[inline(always)]
fn demographic<'a>(c: &mut Cursor<'a>, by: Option<&[u8]>) -> Option<Option<&'a [u8]>> {
    let mut by_value = None;
    let n = c.len()?;
    for _ in 0..n {
        let k = c.raw_str()?;
        let v = c.raw_str()?;
        if by_value.is_none() && by == Some(k) {
            by_value = Some(v);
        }
    }
    Some(by_value)
}

/// The rest of [`decode`] for a record of version `V` (2, 3 or 4,
/// [`crate::record::format::v2`]): the head and the score rows; the answers and everything
/// after them are not read.
fn decode_v2<'a, const V: u8>(
    mut c: Cursor<'a>,
    by: Option<&str>,
    out: &mut Vec<ResponseView>,
) -> Option<RecordView<'a>> {
    c.take(16)?; // record_id
    let pack_id = c.raw_str()?;
    let pack_version = version(&mut c)?;
    let journey = c.raw_str()?;
    let forms = first_forms(&mut c)?;
    let started_at = c.i64()?;
    let completed = c.bool()?;
    let by_value = demographic(&mut c, by.map(str::as_bytes))?;
    let rows = c.raw_str()?;
    if rows.len() % ROW != 0 {
        return None;
    }
    // Filled in place: no capacity check per row.
    out.resize(rows.len() / ROW, ResponseView::EMPTY);
    // Whether every version-4 row so far can be taken as it is.
    let mut ok = true;
    for (slot, chunk) in out.iter_mut().zip(rows.chunks_exact(ROW)) {
        let chunk = <&[u8; ROW]>::try_from(chunk).ok()?;
        *slot = if V >= 4 {
            // Already in the report's layout: checked and copied.
            ok &= v4_row_ok(chunk);
            ResponseView(*chunk)
        } else {
            let row = ScoreRow::read(chunk, exact(V))?;
            let scale = (row.scale != NO_SCALE).then_some(row.scale);
            ResponseView::new(
                row.phase,
                row.kind,
                row.item,
                row.credit,
                row.correct,
                scale,
                false,
            )
        };
    }
    if !ok {
        return None;
    }
    Some(RecordView {
        pack_id,
        pack_version,
        journey,
        forms,
        started_at,
        completed,
        by_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The branch-free check of a version-4 row takes exactly the rows whose phase kind is
    /// known and whose credit is a fraction from 0 to 1.
    #[test]
    fn v4_row_check_is_the_kind_and_credit_check() {
        let values = [
            0u16, 1, 2, 3, 4, 119, 120, 121, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF,
        ];
        for kind in 0..=u8::MAX {
            for &num in &values {
                for &den in &values {
                    let [n0, n1] = num.to_le_bytes();
                    let [d0, d1] = den.to_le_bytes();
                    let row = [3, kind, 1, 0, n0, n1, d0, d1, 0xFF, 0xFF];
                    let expected = phase_kind_of(kind & !CORRECT_BIT).is_some()
                        && Credit::from_parts(num, den).is_some();
                    assert_eq!(v4_row_ok(&row), expected, "kind {kind} {num}/{den}");
                }
            }
        }
    }
}
