//! Deterministic statement ids and registrations (UUID version 8, RFC 9562).
//!
//! `SHA-256("kru-xapi-1" ‖ 0 ‖ record id ‖ tag)`, its first 16 bytes, with the version
//! nibble set to 8 and the variant bits to `10`. The tag names the statement's place in the
//! record, so the same record always gives the same ids whatever the pack or options.

use alloc::string::String;
use sha2::{Digest, Sha256};

/// Which statement of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementTag {
    /// The journey's `attempted` (start).
    Start,
    /// The `answered` statement of response `n` (0-based).
    Answer(u32),
    /// The statement of phase `n`.
    Phase(u8),
    /// The journey's `completed` or `abandoned` (end).
    End,
}

fn uuid8(record_id: &[u8; 16], tag: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"kru-xapi-1\0");
    h.update(record_id);
    h.update(tag);
    let digest = h.finalize();
    let mut b = [0u8; 16];
    for (d, s) in b.iter_mut().zip(digest.iter()) {
        *d = *s;
    }
    if let Some(v) = b.get_mut(6) {
        *v = (*v & 0x0f) | 0x80;
    }
    if let Some(v) = b.get_mut(8) {
        *v = (*v & 0x3f) | 0x80;
    }
    format_uuid(&b)
}

/// The canonical 8-4-4-4-12 lowercase form of 16 bytes.
pub(crate) fn format_uuid(b: &[u8; 16]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// The id of one statement of a record.
pub fn statement_id(record_id: &[u8; 16], tag: StatementTag) -> String {
    match tag {
        StatementTag::Start => uuid8(record_id, b"start"),
        StatementTag::End => uuid8(record_id, b"end"),
        StatementTag::Phase(p) => uuid8(record_id, &[b'p', p]),
        StatementTag::Answer(n) => {
            let [a, b, c, d] = n.to_le_bytes();
            uuid8(record_id, &[b'a', a, b, c, d])
        }
    }
}

/// The registration (the session) of a record's statements.
pub fn registration(record_id: &[u8; 16]) -> String {
    uuid8(record_id, b"registration")
}

/// 32 lowercase hex digits.
pub(crate) fn hex16(b: &[u8; 16]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(32);
    for byte in b {
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// Parses 32 hex digits.
pub(crate) fn parse_hex16(s: &str) -> Option<[u8; 16]> {
    if s.len() != 32 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_distinct_and_version_8() {
        let r = [7u8; 16];
        let mut seen = alloc::collections::BTreeSet::new();
        let mut tags = alloc::vec![StatementTag::Start, StatementTag::End];
        tags.extend((0..200).map(StatementTag::Answer));
        tags.extend((0..=255).map(StatementTag::Phase));
        for t in tags {
            let id = statement_id(&r, t);
            assert_eq!(id, statement_id(&r, t));
            assert_eq!(id.len(), 36);
            assert_eq!(id.as_bytes()[14], b'8');
            assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
            assert!(seen.insert(id));
        }
        assert_ne!(
            statement_id(&[8u8; 16], StatementTag::Start),
            statement_id(&r, StatementTag::Start)
        );
        assert_eq!(parse_hex16(&hex16(&r)), Some(r));
        assert_eq!(parse_hex16("zz"), None);
    }
}
