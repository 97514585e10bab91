//! Version 3 of the record encoding: version 2 ([`super::v2`]) with exact credit.
//!
//! The fields and the rows are those of version 2; only bytes 4–7 of a score row differ: the
//! numerator and the denominator of the answer's credit as a reduced fraction (two u16 LE,
//! `0 ≤ num ≤ den`, `den ≥ 1`, no common factor), where version 2 held the nearest f32. A
//! row whose fraction is not reduced, or is above 1, is refused, so each value has one
//! encoding. Records were written in this version from exact credit until version 4 ([`super::v4`]); versions 1 and 2 still
//! read, their float credit turned back into the fraction it was rounded from
//! ([`Credit::from_f32`](crate::credit::Credit::from_f32)).

pub use super::v2::Compact;

/// A result record in the version-3 encoding (read; written only to test that older logs
/// still read).
pub type CompactRecordV3 = Compact<3>;
