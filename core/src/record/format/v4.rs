//! Version 4 of the record encoding: version 3 ([`super::v3`]) with "I don't know" answers.
//!
//! The fields and the rows are those of version 3. An answer may be
//! [`Answer::DontKnow`](crate::pack::item::Answer::DontKnow) (postcard discriminant 7 in the
//! answers list), and its score row says so where the report reads it: bytes 8–9 (the scale
//! field) are `FFFE`, the credit 0/1 and the full-credit bit clear. A reader of version 3
//! does not know the answer, so the version number changes even for records without one:
//! an older engine refuses the whole record with a clear error rather than misreading a
//! row. Records are written in this version; versions 1 to 3 still read.

pub use super::v2::Compact;

/// A result record in the version-4 encoding: the one writers write.
pub type CompactRecord = Compact<4>;
