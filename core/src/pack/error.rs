//! Why a pack could not be loaded, checked or written.

use alloc::string::String;

use crate::error_code::ErrorCode;

/// Why a pack could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    /// The bytes end before a field that must be there.
    #[error("pack is truncated: {field} needs bytes up to offset {needed}, but the file has {len} bytes")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes present.
        len: usize,
    },
    /// The file is not a kru pack.
    #[error("not a kru pack: the first 8 bytes are not the kru magic number")]
    BadMagic,
    /// The file uses a format this engine does not know.
    #[error("pack format version {found} is not supported (this engine reads version {supported}): a newer pack needs a newer app; an older pack needs rebuilding with `kru build`")]
    UnsupportedFormat {
        /// Version in the file.
        found: u16,
        /// Newest version this engine reads.
        supported: u16,
    },
    /// Unknown flags are set.
    #[error("pack header has unknown flags {0:#06x}")]
    UnknownFlags(u16),
    /// The file is bigger than the engine accepts.
    #[error("pack is {len} bytes, more than the limit of {max}")]
    TooLarge {
        /// Size of the input.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The header's pack id is empty, too long or not UTF-8.
    #[error("pack header has an invalid pack id at offset 16")]
    BadId,
    /// The checksum does not match: the file is damaged.
    #[error("pack checksum mismatch at offset {offset}: stored {stored:#010x}, computed {computed:#010x} (the file is damaged)")]
    ChecksumMismatch {
        /// Where the checksum is.
        offset: usize,
        /// The stored value.
        stored: u32,
        /// The value computed from the bytes.
        computed: u32,
    },
    /// Bytes follow the signature block.
    #[error("pack has {0} unexpected bytes after its end")]
    TrailingBytes(usize),
    /// The payload does not decode.
    #[error("pack payload (offset {offset}) does not decode: {detail}")]
    Decode {
        /// Offset of the payload.
        offset: usize,
        /// What is wrong and where: the field, the problem and the byte of the decoded payload
        /// (see [`crate::pack::format::decode_plain_payload`]).
        detail: String,
    },
    /// The header disagrees with the payload.
    #[error("pack header says {header}, but the payload says {payload}")]
    HeaderMismatch {
        /// What the header says.
        header: String,
        /// What the payload says.
        payload: String,
    },
    /// The pack needs a newer engine.
    #[error("pack needs engine {needed} or newer; this is engine {engine}")]
    EngineTooOld {
        /// Required engine version.
        needed: String,
        /// This engine's version.
        engine: String,
    },
    /// The payload breaks an invariant.
    #[error("invalid pack: {path} {reason}")]
    Invalid {
        /// Where in the pack.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The pack is not signed and the host does not allow unsigned packs.
    #[error("pack is not signed, and this host accepts only signed packs")]
    Unsigned,
    /// The signature block is malformed.
    #[error("pack signature block is malformed: {0}")]
    MalformedSignature(&'static str),
    /// The signature does not verify: the pack was changed after signing.
    #[error("pack signature does not match its contents (signed by key {key_id}): the pack was changed after it was signed")]
    SignatureMismatch {
        /// The signer's key id.
        key_id: String,
    },
    /// The signer is not one of the host's trusted keys.
    #[error("pack is signed by key {key_id}, which this host does not trust")]
    UntrustedSigner {
        /// The signer's key id.
        key_id: String,
    },
    /// Encoding failed (only when writing).
    #[error("pack could not be encoded: {0}")]
    Encode(String),
}

impl PackError {
    /// The error's entry in the [error table](crate::error_code).
    pub fn code(&self) -> ErrorCode {
        match self {
            PackError::Truncated { .. } => ErrorCode::PackTruncated,
            PackError::BadMagic => ErrorCode::PackBadMagic,
            PackError::UnsupportedFormat { .. } => ErrorCode::PackUnsupportedFormat,
            PackError::UnknownFlags(_) => ErrorCode::PackUnknownFlags,
            PackError::TooLarge { .. } => ErrorCode::PackTooLarge,
            PackError::BadId => ErrorCode::PackBadId,
            PackError::ChecksumMismatch { .. } => ErrorCode::PackChecksumMismatch,
            PackError::TrailingBytes(_) => ErrorCode::PackTrailingBytes,
            PackError::Decode { .. } => ErrorCode::PackDecode,
            PackError::HeaderMismatch { .. } => ErrorCode::PackHeaderMismatch,
            PackError::EngineTooOld { .. } => ErrorCode::PackEngineTooOld,
            PackError::Invalid { .. } => ErrorCode::PackInvalid,
            PackError::Unsigned => ErrorCode::PackUnsigned,
            PackError::MalformedSignature(_) => ErrorCode::PackMalformedSignature,
            PackError::SignatureMismatch { .. } => ErrorCode::PackSignatureMismatch,
            PackError::UntrustedSigner { .. } => ErrorCode::PackUntrustedSigner,
            PackError::Encode(_) => ErrorCode::PackEncode,
        }
    }
}
