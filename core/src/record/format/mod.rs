//! The bytes of a result record: one versioned encoding, its writer and its readers.
//!
//! Every record is postcard inside a versioned [`RecordSchema`]. [`v4`] is the layout written
//! since "I don't know" answers: [`v3`]'s, which is [`v2`]'s layout with each credit a
//! fraction instead of an f32 (records of versions 1 to 3 still read); `view` reads only what the cohort report needs
//! from the same bytes, without allocating. This folder is the only place that
//! knows the byte layout of a record.

use alloc::string::ToString;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::{RecordError, ResultRecord};
use crate::limits;

pub mod v2;
pub mod v3;
pub mod v4;
pub(crate) mod view;

use v2::CompactRecordV2;
use v3::CompactRecordV3;
use v4::CompactRecord;

/// The versioned encoding of a record. Writers write the newest version; readers read all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RecordSchema {
    /// Version 1: the fields in declaration order, each answer next to its score.
    V1(ResultRecord),
    /// Version 2: the fields a report reads first, the scores in fixed-width rows (credit as
    /// f32).
    V2(CompactRecordV2),
    /// Version 3: version 2 with each credit an exact fraction.
    V3(CompactRecordV3),
    /// Version 4: version 3 with "I don't know" answers.
    V4(CompactRecord),
}

/// What [`ResultRecord::to_bytes`] says when postcard refuses a record. Writing a record
/// into a `Vec` fails only on a bug: every field has a known length and a value postcard can
/// write. Not postcard's own `Display` texts (all its errors, reading and writing), which
/// would add half a kilobyte of gzip to the WebAssembly module, which writes records but
/// never reads them (issue 18, docs/performance.md).
const ENCODE_REFUSED: &str = "postcard refused one of its values (a bug: every record encodes)";

impl ResultRecord {
    /// Encodes the record (postcard, versioned).
    pub fn to_bytes(&self) -> Result<Vec<u8>, RecordError> {
        let bytes = postcard::to_allocvec(&v2::SchemaV4Ref(self))
            .map_err(|_| RecordError::Encode(ENCODE_REFUSED.into()))?;
        if bytes.len() > limits::MAX_RECORD_BYTES {
            return Err(RecordError::TooLarge {
                len: bytes.len(),
                max: limits::MAX_RECORD_BYTES,
            });
        }
        Ok(bytes)
    }

    /// Decodes a record.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RecordError> {
        if bytes.len() > limits::MAX_RECORD_BYTES {
            return Err(RecordError::TooLarge {
                len: bytes.len(),
                max: limits::MAX_RECORD_BYTES,
            });
        }
        match postcard::take_from_bytes::<RecordSchema>(bytes) {
            Ok((
                RecordSchema::V1(r)
                | RecordSchema::V2(v2::Compact(r))
                | RecordSchema::V3(v2::Compact(r))
                | RecordSchema::V4(v2::Compact(r)),
                [],
            )) => Ok(r),
            Ok((_, rest)) => Err(RecordError::Decode(alloc::format!(
                "{} bytes left over after the record",
                rest.len()
            ))),
            Err(e) => Err(RecordError::Decode(e.to_string())),
        }
    }
}
