//! Versions 2, 3 and 4 of the record encoding: what a report reads first, in fixed-width rows.
//! Version 3 ([`super::v3`]) is version 2 with the credit of each row stored exactly; version 4
//! ([`super::v4`]) is version 3 with "I don't know" answers (a row's scale field `FFFE`).
//!
//! The fields, in postcard, in this order:
//!
//! | field | encoding |
//! | --- | --- |
//! | record id | 16 bytes |
//! | pack id, pack version, journey id | string; 3 varints; string |
//! | forms | varint count, strings |
//! | started at | zig-zag varint (ms since the Unix epoch) |
//! | completed | bool byte |
//! | demographics | varint count, (field id, value) string pairs |
//! | scores | varint byte length 10·n, then n rows of 10 bytes (below) |
//! | answers | varint count n, the [`Answer`]s in postcard |
//! | answer times | varint count n, u32 varints (ms after the start) |
//! | learner code, language tag | strings |
//! | seed | u64 varint |
//! | ended at | zig-zag varint |
//! | story path | varint count, (story, node, choice) u16 varints |
//!
//! A score row: byte 0 the phase index; byte 1 the phase kind's code (0 pre-test, 1 lesson,
//! 2 practice, 3 post-test, 4 follow-up) with bit 7 set when the answer earned full credit;
//! bytes 2–3 the item index (u16 LE); bytes 4–7 the credit; bytes 8–9 the Likert scale
//! point of a scale answer, `FFFE` for an "I don't know" answer (version 4 only), `FFFF` for
//! any other answer (u16 LE). In version 2 the credit is
//! an f32 (LE), read back as the fraction it was rounded from ([`Credit::from_f32`]); in
//! version 3 it is the numerator and the denominator of the reduced fraction (two u16 LE).
//!
//! Version 1 interleaved each answer with its score, so a reader had to parse every answer to
//! find the next score. Here a report reads the record's head and its score rows and stops: the
//! answers, times and the rest come after. Decoding a whole record checks that the three lists
//! have the same length and that each row agrees with its answer.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::credit::Credit;
use crate::pack::item::Answer;
use crate::pack::journey::PhaseKind;
use crate::pack::Version;
use crate::record::{ResponseRecord, ResultRecord, StoryChoiceRecord};

/// Bytes per score row.
pub(crate) const ROW: usize = 10;
/// The scale field of a row whose answer is not a scale point.
pub(crate) const NO_SCALE: u16 = u16::MAX;
/// The scale field of a row whose answer is "I don't know" (version 4).
pub(crate) const DONT_KNOW: u16 = u16::MAX - 1;
/// The bit of a row's kind byte that says the answer earned full credit.
pub(crate) const CORRECT_BIT: u8 = 0x80;

/// The code of a phase kind in a score row.
pub(crate) fn phase_kind_code(k: PhaseKind) -> u8 {
    match k {
        PhaseKind::PreTest => 0,
        PhaseKind::Lesson => 1,
        PhaseKind::Practice => 2,
        PhaseKind::PostTest => 3,
        PhaseKind::FollowUp => 4,
    }
}

/// The phase kinds by code.
const PHASE_KINDS: [Option<PhaseKind>; 8] = [
    Some(PhaseKind::PreTest),
    Some(PhaseKind::Lesson),
    Some(PhaseKind::Practice),
    Some(PhaseKind::PostTest),
    Some(PhaseKind::FollowUp),
    None,
    None,
    None,
];

/// The phase kind of a code (postcard's discriminants of [`PhaseKind`] too).
#[inline(always)]
pub(crate) fn phase_kind_of(code: u8) -> Option<PhaseKind> {
    PHASE_KINDS.get(usize::from(code)).copied().flatten()
}

/// The fields of one score row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScoreRow {
    pub phase: u8,
    pub kind: PhaseKind,
    pub item: u16,
    pub credit: Credit,
    pub correct: bool,
    /// The scale point, [`DONT_KNOW`] or [`NO_SCALE`].
    pub scale: u16,
}

impl ScoreRow {
    /// Reads a row of version 3 (`exact`) or 2; `None` when its kind byte is not a phase
    /// kind or (version 3) its credit is not a fraction from 0 to 1.
    #[inline(always)]
    pub fn read(r: &[u8; ROW], exact: bool) -> Option<Self> {
        let [phase, kind, i0, i1, c0, c1, c2, c3, s0, s1] = *r;
        let credit = if exact {
            // Checked to be from 0 to 1 here; that it is reduced, by the full decoder only (the
            // report's reader needs the value, not the form).
            Credit::from_parts(u16::from_le_bytes([c0, c1]), u16::from_le_bytes([c2, c3]))?
        } else {
            Credit::from_f32(f32::from_le_bytes([c0, c1, c2, c3]))
        };
        Some(Self {
            phase,
            kind: phase_kind_of(kind & !CORRECT_BIT)?,
            item: u16::from_le_bytes([i0, i1]),
            credit,
            correct: kind & CORRECT_BIT != 0,
            scale: u16::from_le_bytes([s0, s1]),
        })
    }

    fn write(r: &ResponseRecord, exact: bool, out: &mut Vec<u8>) {
        let kind = phase_kind_code(r.phase_kind) | if r.correct { CORRECT_BIT } else { 0 };
        let scale = match r.answer {
            Answer::Scale(v) => v,
            Answer::DontKnow => DONT_KNOW,
            _ => NO_SCALE,
        };
        out.push(r.phase);
        out.push(kind);
        out.extend_from_slice(&r.item.to_le_bytes());
        if exact {
            out.extend_from_slice(&r.credit.num().to_le_bytes());
            out.extend_from_slice(&r.credit.den().to_le_bytes());
        } else {
            out.extend_from_slice(&r.credit.to_f32().to_le_bytes());
        }
        out.extend_from_slice(&scale.to_le_bytes());
    }
}

/// A result record in the encoding of version `V` (2, 3 or 4; see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct Compact<const V: u8>(pub ResultRecord);

/// A result record in the version-2 encoding (credit as f32; read, and written only to test
/// that older logs still read).
pub type CompactRecordV2 = Compact<2>;

/// Whether version `v` stores exact credit (3 and later).
pub(crate) const fn exact(v: u8) -> bool {
    v >= 3
}

struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(b.to_vec()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ByteBuf, A::Error> {
                let mut v = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    v.push(b);
                }
                Ok(ByteBuf(v))
            }
        }
        d.deserialize_bytes(V)
    }
}

/// The number of fields of the encoding.
const FIELDS: usize = 16;

impl<const V: u8> Serialize for Compact<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CompactRef::<V>(&self.0).serialize(s)
    }
}

/// A borrowed record in the encoding of version `V`, so that writing needs no copy of the
/// record.
pub(crate) struct CompactRef<'a, const V: u8>(pub &'a ResultRecord);

/// `RecordSchema::V4` of a borrowed record: the same bytes as the owned enum.
pub(crate) struct SchemaV4Ref<'a>(pub &'a ResultRecord);

impl Serialize for SchemaV4Ref<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_variant("RecordSchema", 3, "V4", &CompactRef::<4>(self.0))
    }
}

impl<const V: u8> Serialize for CompactRef<'_, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        if V < 4 && r.responses.iter().any(|x| x.answer == Answer::DontKnow) {
            return Err(serde::ser::Error::custom(
                "\"I don't know\" answers need record version 4",
            ));
        }
        let mut rows = Vec::with_capacity(r.responses.len() * ROW);
        for x in &r.responses {
            ScoreRow::write(x, exact(V), &mut rows);
        }
        let answers: Vec<&Answer> = r.responses.iter().map(|x| &x.answer).collect();
        let times: Vec<u32> = r.responses.iter().map(|x| x.at_offset_ms).collect();
        let mut t = s.serialize_tuple(FIELDS)?;
        t.serialize_element(&r.record_id)?;
        t.serialize_element(&r.pack_id)?;
        t.serialize_element(&r.pack_version)?;
        t.serialize_element(&r.journey)?;
        t.serialize_element(&r.forms)?;
        t.serialize_element(&r.started_at)?;
        t.serialize_element(&r.completed)?;
        t.serialize_element(&r.demographics)?;
        t.serialize_element(&Bytes(&rows))?;
        t.serialize_element(&answers)?;
        t.serialize_element(&times)?;
        t.serialize_element(&r.learner)?;
        t.serialize_element(&r.language)?;
        t.serialize_element(&r.seed)?;
        t.serialize_element(&r.ended_at)?;
        t.serialize_element(&r.story_path)?;
        t.end()
    }
}

impl<'de, const V: u8> Deserialize<'de> for Compact<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_tuple(FIELDS, RecordVisitor { version: V })
            .map(Compact)
    }
}

/// The reader of every encoding: one visitor whose `version` says which (a runtime value
/// rather than a const parameter, so that the browser's module carries one copy of this code,
/// not one per version: about 3 KB of WebAssembly, docs/performance.md).
struct RecordVisitor {
    /// The record format version: 2, 3 (exact credit) or 4 ("I don't know").
    version: u8,
}

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = ResultRecord;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a version-{} result record", self.version)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ResultRecord, A::Error> {
        let version = self.version;
        let exact = exact(version);
        let mut at = 0usize;
        let mut next = || {
            at += 1;
            at - 1
        };
        macro_rules! field {
            ($t:ty) => {{
                let i = next();
                seq.next_element::<$t>()?
                    .ok_or_else(|| de::Error::invalid_length(i, &self))?
            }};
        }
        let record_id: [u8; 16] = field!([u8; 16]);
        let pack_id: String = field!(String);
        let pack_version: Version = field!(Version);
        let journey: String = field!(String);
        let forms: Vec<String> = field!(Vec<String>);
        let started_at: i64 = field!(i64);
        let completed: bool = field!(bool);
        let demographics: Vec<(String, String)> = field!(Vec<(String, String)>);
        let rows: ByteBuf = field!(ByteBuf);
        let answers: Vec<Answer> = field!(Vec<Answer>);
        let times: Vec<u32> = field!(Vec<u32>);
        let learner: String = field!(String);
        let language: String = field!(String);
        let seed: u64 = field!(u64);
        let ended_at: i64 = field!(i64);
        let story_path: Vec<StoryChoiceRecord> = field!(Vec<StoryChoiceRecord>);
        let n = answers.len();
        if rows.0.len() != n * ROW || times.len() != n {
            return Err(de::Error::custom(
                "a record's score rows, answers and answer times differ in number",
            ));
        }
        let mut responses = Vec::with_capacity(n);
        for ((chunk, answer), at_offset_ms) in rows.0.chunks_exact(ROW).zip(answers).zip(times) {
            let row = <&[u8; ROW]>::try_from(chunk)
                .ok()
                .and_then(|r| ScoreRow::read(r, exact))
                .ok_or_else(|| {
                    de::Error::custom("a score row has an unknown phase kind or an invalid credit")
                })?;
            // One encoding per credit: only the reduced fraction.
            if exact && !row.credit.is_reduced() {
                return Err(de::Error::custom("a score row's credit is not reduced"));
            }
            let scale_ok = match answer {
                Answer::Scale(v) => row.scale == v,
                // "I don't know" exists from version 4 on, and earns nothing.
                Answer::DontKnow => {
                    version >= 4
                        && row.scale == DONT_KNOW
                        && row.credit == Credit::ZERO
                        && !row.correct
                }
                _ => row.scale == NO_SCALE,
            };
            if !scale_ok {
                return Err(de::Error::custom(
                    "a score row's scale point does not match its answer",
                ));
            }
            responses.push(ResponseRecord {
                phase: row.phase,
                phase_kind: row.kind,
                item: row.item,
                answer,
                credit: row.credit,
                correct: row.correct,
                at_offset_ms,
            });
        }
        Ok(ResultRecord {
            record_id,
            learner,
            pack_id,
            pack_version,
            journey,
            language,
            seed,
            forms,
            started_at,
            ended_at,
            completed,
            demographics,
            responses,
            story_path,
        })
    }
}
