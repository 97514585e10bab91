//! The binary pack file (`.krupack`): header, postcard payload, checksum, signature block.
//!
//! ```text
//! offset  size  field
//! 0       8     magic 89 4B 52 55 0D 0A 1A 0A ("\x89KRU\r\n\x1a\n": catches text-mode damage)
//! 8       2     format version, u16 little endian (this engine writes 2, reads 2)
//! 10      2     flags, u16 LE: bit 0 = payload stored without LZ4 ([`FLAG_STORED`]);
//!               readers refuse any other bit
//! 12      4     payload length L, u32 LE (compressed; equal to D when stored)
//! 16      4     decoded length D, u32 LE (postcard bytes after decompression)
//! 20      1     pack id length n (1..=64)
//! 21      n     pack id, UTF-8
//! 21+n    6     pack version: major, minor, patch as u16 LE
//! 27+n    L     payload: LZ4 block (or, with FLAG_STORED, the bytes themselves) of the
//!               postcard encoding of (TextTable, Pack), followed, only when the pack has
//!               interface strings, reverse-keyed items or "I don't know" phases, by that of
//!               Pack::interface, then, only when it has reverse-keyed items or "I don't
//!               know" phases, by that of Pack::reverse_keyed, then, only when some quiz
//!               phase offers "I don't know", by the list of those phases as (journey index,
//!               phase index) pairs
//! 27+n+L  4     CRC-32 (IEEE) of every byte before it
//! 31+n+L  2     signature block length S, u16 LE (0 = unsigned)
//! 33+n+L  S     signature block (see [`crate::pack::signature`])
//! ```
//! LZ4 keeps the file small (Khmer text is three bytes a letter in UTF-8) and decompresses at
//! memory speed; D is checked against [`limits::MAX_PACK_BYTES`] and LZ4's maximum ratio
//! before anything is allocated. A pack served over HTTP with gzip or brotli is smaller on the
//! wire without LZ4 (the HTTP compression finds more in the plain bytes than in LZ4's output),
//! so the payload may also be stored as it is ([`PayloadCoding::Stored`]); the checksum and
//! the signature cover the flags and the payload either way.
//! The payload holds every learner-facing string once, in one [`TextTable`], followed by the
//! pack, whose texts are handles into that table (see [`encode_payload`]).
//! The file ends exactly there. Loading checks every field in order and returns the first
//! problem as a [`PackError`] that says what is wrong and where.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ops::Range;

use super::error::PackError;
use crate::checksum::crc32;
use crate::limits;
use crate::pack::decode::{DecodeError, PayloadReader, Stop};
use crate::pack::journey::PhaseContent;
use crate::pack::text::TextTable;
use crate::pack::{Pack, Version};

/// The first 8 bytes of every pack file.
pub const MAGIC: [u8; 8] = [0x89, b'K', b'R', b'U', b'\r', b'\n', 0x1A, b'\n'];
/// The pack format version this engine writes and reads.
///
/// Version 1 (before the first release) stored each string where it is used; version 2
/// stores all of them in one table.
pub const FORMAT_VERSION: u16 = 2;

/// Header flag: the payload is stored as it is, not LZ4-compressed (then L = D).
pub const FLAG_STORED: u16 = 1;

/// How the payload of a pack file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadCoding {
    /// An LZ4 block: the smallest file, for copying as it is (SD cards, Bluetooth, messaging).
    #[default]
    Lz4,
    /// The postcard bytes as they are ([`FLAG_STORED`]): for a web server that compresses its
    /// responses with gzip or brotli, which then send fewer bytes than for the LZ4 file.
    Stored,
}

/// The parsed header of a pack file, with where each part lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackHeader {
    /// Format version.
    pub format: u16,
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: Version,
    /// Byte range of the payload (compressed unless `coding` is [`PayloadCoding::Stored`]).
    pub payload: Range<usize>,
    /// How the payload is written (header flag [`FLAG_STORED`]).
    pub coding: PayloadCoding,
    /// Length of the payload after decompression.
    pub decoded_len: usize,
    /// The stored CRC-32.
    pub checksum: u32,
    /// Byte range covered by a signature: everything up to and including the checksum.
    pub signed: Range<usize>,
    /// Byte range of the signature block (empty when unsigned).
    pub signature: Range<usize>,
}

fn take<'a>(
    bytes: &'a [u8],
    at: usize,
    n: usize,
    field: &'static str,
) -> Result<&'a [u8], PackError> {
    let end = at.checked_add(n).ok_or(PackError::Truncated {
        field,
        needed: usize::MAX,
        len: bytes.len(),
    })?;
    bytes.get(at..end).ok_or(PackError::Truncated {
        field,
        needed: end,
        len: bytes.len(),
    })
}

fn u16_at(bytes: &[u8], at: usize, field: &'static str) -> Result<u16, PackError> {
    let b = take(bytes, at, 2, field)?;
    Ok(u16::from_le_bytes([
        b.first().copied().unwrap_or(0),
        b.get(1).copied().unwrap_or(0),
    ]))
}

fn u32_at(bytes: &[u8], at: usize, field: &'static str) -> Result<u32, PackError> {
    let b = take(bytes, at, 4, field)?;
    let mut a = [0u8; 4];
    a.copy_from_slice(b);
    Ok(u32::from_le_bytes(a))
}

/// Reads and checks the header, lengths and checksum (not the payload, not the signature).
pub fn read_header(bytes: &[u8]) -> Result<PackHeader, PackError> {
    if bytes.len() > limits::MAX_PACK_BYTES {
        return Err(PackError::TooLarge {
            len: bytes.len(),
            max: limits::MAX_PACK_BYTES,
        });
    }
    let magic = take(bytes, 0, 8, "magic number")?;
    if magic != MAGIC {
        return Err(PackError::BadMagic);
    }
    let format = u16_at(bytes, 8, "format version")?;
    if format != FORMAT_VERSION {
        return Err(PackError::UnsupportedFormat {
            found: format,
            supported: FORMAT_VERSION,
        });
    }
    let flags = u16_at(bytes, 10, "flags")?;
    if flags & !FLAG_STORED != 0 {
        return Err(PackError::UnknownFlags(flags));
    }
    let coding = if flags & FLAG_STORED != 0 {
        PayloadCoding::Stored
    } else {
        PayloadCoding::Lz4
    };
    let payload_len = u32_at(bytes, 12, "payload length")? as usize;
    let decoded_len = u32_at(bytes, 16, "decoded length")? as usize;
    // LZ4 cannot expand more than 255 times; a larger claim is a lie. A stored payload is
    // exactly as long as its decoded form.
    let max_decoded = match coding {
        PayloadCoding::Lz4 => payload_len.saturating_mul(255),
        PayloadCoding::Stored => payload_len,
    };
    if decoded_len > limits::MAX_PACK_BYTES || decoded_len > max_decoded {
        return Err(PackError::TooLarge {
            len: decoded_len,
            max: limits::MAX_PACK_BYTES.min(max_decoded),
        });
    }
    if coding == PayloadCoding::Stored && decoded_len != payload_len {
        return Err(PackError::Decode {
            offset: 16,
            detail: "a stored payload's decoded length must equal its length".into(),
        });
    }
    let id_len = usize::from(*take(bytes, 20, 1, "pack id length")?.first().unwrap_or(&0));
    if id_len == 0 || id_len > limits::MAX_ID_BYTES {
        return Err(PackError::BadId);
    }
    let id = core::str::from_utf8(take(bytes, 21, id_len, "pack id")?)
        .map_err(|_| PackError::BadId)?
        .to_string();
    let vat = 21 + id_len;
    let version = Version {
        major: u16_at(bytes, vat, "pack version")?,
        minor: u16_at(bytes, vat + 2, "pack version")?,
        patch: u16_at(bytes, vat + 4, "pack version")?,
    };
    let pstart = vat + 6;
    let pend = pstart
        .checked_add(payload_len)
        .filter(|&e| e <= limits::MAX_PACK_BYTES)
        .ok_or(PackError::TooLarge {
            len: payload_len,
            max: limits::MAX_PACK_BYTES,
        })?;
    take(bytes, pstart, payload_len, "payload")?;
    let stored = u32_at(bytes, pend, "checksum")?;
    let computed = crc32(bytes.get(..pend).unwrap_or(&[]));
    if stored != computed {
        return Err(PackError::ChecksumMismatch {
            offset: pend,
            stored,
            computed,
        });
    }
    let sig_len = usize::from(u16_at(bytes, pend + 4, "signature block length")?);
    let sstart = pend + 6;
    take(bytes, sstart, sig_len, "signature block")?;
    let end = sstart + sig_len;
    if bytes.len() > end {
        return Err(PackError::TrailingBytes(bytes.len() - end));
    }
    Ok(PackHeader {
        format,
        id,
        version,
        payload: pstart..pend,
        coding,
        decoded_len,
        checksum: stored,
        signed: 0..pend + 4,
        signature: sstart..end,
    })
}

/// Decodes the payload of a checked header and verifies the pack's invariants.
pub fn decode_payload(bytes: &[u8], header: &PackHeader) -> Result<Pack, PackError> {
    let payload = bytes
        .get(header.payload.clone())
        .ok_or(PackError::Truncated {
            field: "payload",
            needed: header.payload.end,
            len: bytes.len(),
        })?;
    let pack = match header.coding {
        PayloadCoding::Stored => decode_plain_payload(payload, header.payload.start)?,
        PayloadCoding::Lz4 => {
            let decoded = kru_lz4::decompress(payload, header.decoded_len).map_err(|e| {
                PackError::Decode {
                    offset: header.payload.start,
                    detail: lz4_error(&e).into(),
                }
            })?;
            decode_plain_payload(&decoded, header.payload.start)?
        }
    };
    if pack.meta.id != header.id || pack.meta.version != header.version {
        return Err(PackError::HeaderMismatch {
            header: alloc::format!("{} {}", header.id, header.version),
            payload: alloc::format!("{} {}", pack.meta.id, pack.meta.version),
        });
    }
    if pack.meta.min_engine > Version::engine() {
        return Err(PackError::EngineTooOld {
            needed: pack.meta.min_engine.to_string(),
            engine: Version::engine().to_string(),
        });
    }
    pack.check()?;
    Ok(pack)
}

/// What went wrong decompressing a payload, in kru's words instead of lz4_flex's `Display`
/// texts (which the WebAssembly module would carry; issue 18, docs/performance.md). The
/// checksum is verified first, so only a pack written wrongly gets here.
fn lz4_error(e: &lz4_flex::block::DecompressError) -> &'static str {
    match e {
        lz4_flex::block::DecompressError::OutputTooSmall { .. } => {
            "LZ4: the payload decompresses to more than the header's decoded length"
        }
        _ => "LZ4: the compressed payload is damaged",
    }
}

/// Decodes a decompressed payload (postcard bytes) into a pack whose texts point into the
/// payload's text table, with the one pack reader ([`crate::pack::decode`]). Does not check
/// the pack's invariants ([`Pack::check`]); `offset` is where the payload starts in the file,
/// for error messages.
pub fn decode_plain_payload(plain: &[u8], offset: usize) -> Result<Pack, PackError> {
    let fail = |e: DecodeError| PackError::Decode {
        offset,
        detail: e.to_string(),
    };
    let mut p = PayloadReader::new(plain).map_err(fail)?;
    let pack = read_pack(&mut p).map_err(|Stop| fail(p.error()))?;
    if !p.r.is_done() {
        return Err(PackError::Decode {
            offset,
            detail: alloc::format!(
                "{} decoded bytes left over after the pack",
                p.r.rest().len()
            ),
        });
    }
    if p.dangling {
        return Err(PackError::Invalid {
            path: "text".into(),
            reason: "refers to strings beyond the end of the pack's text table".into(),
        });
    }
    Ok(pack)
}

/// The pack after the text table, and its optional sections, each present only when it or
/// a later one has something.
fn read_pack(p: &mut PayloadReader<'_>) -> Result<Pack, Stop> {
    let mut pack = p.pack()?;
    if !p.r.is_done() {
        pack.interface = p.interface()?;
    }
    if !p.r.is_done() {
        pack.reverse_keyed = p.r.u16s("reverse-keyed items")?;
    }
    if !p.r.is_done() {
        let phases = p.dont_know()?;
        if let Err(problem) = set_dont_know(&mut pack, &phases) {
            return Err(p.r.fail("\"I don't know\" phases", problem));
        }
    }
    Ok(pack)
}

/// Encodes a pack as a payload (postcard bytes, before compression): every distinct text's
/// strings once in one [`TextTable`], then the pack with its texts pointing into the table.
pub fn encode_payload(pack: &Pack) -> Result<Vec<u8>, PackError> {
    let mut table = TextTable::new();
    let mut firsts: Vec<u32> = Vec::new();
    let mut seen: BTreeMap<Vec<&str>, u32> = BTreeMap::new();
    pack.for_all_texts(|t| {
        let key: Vec<&str> = t.values().chain(t.audio_values()).collect();
        let first = *seen.entry(key).or_insert_with_key(|strings| {
            let first = u32::try_from(table.len()).unwrap_or(u32::MAX);
            strings.iter().for_each(|s| {
                table.push(s);
            });
            first
        });
        firsts.push(first);
    });
    if table.byte_len() > limits::MAX_PACK_BYTES {
        return Err(PackError::TooLarge {
            len: table.byte_len(),
            max: limits::MAX_PACK_BYTES,
        });
    }
    let table = Arc::new(table);
    let mut interned = pack.clone();
    let mut firsts = firsts.into_iter();
    interned.for_all_texts_mut(|t| t.repoint(&table, firsts.next().unwrap_or(0)));
    let mut out = postcard::to_allocvec(&(&*table, &interned))
        .map_err(|e| PackError::Encode(e.to_string()))?;
    // Optional sections, each written only when it or a later one has something, so that a
    // pack without them keeps the bytes it had before they existed.
    let dont_know = dont_know_phases(pack);
    if !interned.interface.is_empty() || !interned.reverse_keyed.is_empty() || !dont_know.is_empty()
    {
        out = postcard::to_extend(&interned.interface, out)
            .map_err(|e| PackError::Encode(e.to_string()))?;
    }
    if !interned.reverse_keyed.is_empty() || !dont_know.is_empty() {
        out = postcard::to_extend(&interned.reverse_keyed, out)
            .map_err(|e| PackError::Encode(e.to_string()))?;
    }
    if !dont_know.is_empty() {
        out = postcard::to_extend(&dont_know, out).map_err(|e| PackError::Encode(e.to_string()))?;
    }
    Ok(out)
}

/// The quiz phases that offer "I don't know", as (journey index, phase index), in order.
fn dont_know_phases(pack: &Pack) -> Vec<(u16, u8)> {
    let mut out = Vec::new();
    for (j, journey) in pack.journeys.iter().enumerate() {
        for (p, phase) in journey.phases.iter().enumerate() {
            if matches!(&phase.content, PhaseContent::Quiz(q) if q.dont_know) {
                out.push((
                    u16::try_from(j).unwrap_or(u16::MAX),
                    u8::try_from(p).unwrap_or(u8::MAX),
                ));
            }
        }
    }
    out
}

/// Switches "I don't know" on in the listed phases: each a quiz phase, listed once, in order
/// (one encoding per pack).
fn set_dont_know(pack: &mut Pack, phases: &[(u16, u8)]) -> Result<(), &'static str> {
    let mut last: Option<(u16, u8)> = None;
    for &(j, p) in phases {
        if last.is_some_and(|l| l >= (j, p)) {
            return Err("not listed once each, in order");
        }
        last = Some((j, p));
        let quiz = pack
            .journeys
            .get_mut(usize::from(j))
            .and_then(|jr| jr.phases.get_mut(usize::from(p)))
            .and_then(|ph| match &mut ph.content {
                PhaseContent::Quiz(q) => Some(q),
                PhaseContent::Lessons(_) => None,
            })
            .ok_or("a phase that does not exist or is not a quiz phase")?;
        quiz.dont_know = true;
    }
    if phases.is_empty() {
        return Err("an empty list (it is left out when empty)");
    }
    Ok(())
}

/// Encodes a pack into an unsigned pack file with an LZ4 payload. Signing appends a block:
/// see [`crate::pack::signature::sign`].
pub fn encode(pack: &Pack) -> Result<Vec<u8>, PackError> {
    encode_with(pack, PayloadCoding::Lz4)
}

/// Encodes a pack into an unsigned pack file whose payload is written as `coding` says.
/// Both codings of a pack load to the same pack.
pub fn encode_with(pack: &Pack, coding: PayloadCoding) -> Result<Vec<u8>, PackError> {
    let plain = encode_payload(pack)?;
    if plain.len() > limits::MAX_PACK_BYTES {
        return Err(PackError::TooLarge {
            len: plain.len(),
            max: limits::MAX_PACK_BYTES,
        });
    }
    let decoded_len = plain.len() as u32;
    let (payload, flags) = match coding {
        PayloadCoding::Lz4 => (lz4_flex::block::compress(&plain), 0u16),
        PayloadCoding::Stored => (plain, FLAG_STORED),
    };
    let id = pack.meta.id.as_bytes();
    if id.is_empty() || id.len() > limits::MAX_ID_BYTES {
        return Err(PackError::BadId);
    }
    let payload_len = u32::try_from(payload.len()).map_err(|_| PackError::TooLarge {
        len: payload.len(),
        max: limits::MAX_PACK_BYTES,
    })?;
    let mut out = Vec::with_capacity(payload.len() + 64);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&payload_len.to_le_bytes());
    out.extend_from_slice(&decoded_len.to_le_bytes());
    out.push(id.len() as u8);
    out.extend_from_slice(id);
    for v in [
        pack.meta.version.major,
        pack.meta.version.minor,
        pack.meta.version.patch,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    if out.len() > limits::MAX_PACK_BYTES {
        return Err(PackError::TooLarge {
            len: out.len(),
            max: limits::MAX_PACK_BYTES,
        });
    }
    Ok(out)
}
