//! Ed25519 signatures over packs, and the host's trust policy.
//!
//! The signature block at the end of a pack file (see [`crate::pack::format`]) is
//! `[algorithm = 1 (Ed25519)][public key: 32 bytes][signature: 64 bytes]`, 97 bytes. The
//! signature covers every byte of the file up to and including the checksum, so changing any
//! byte of the content (one digit of a hotline number) breaks it. The signer's *key id* is
//! the first 8 bytes of its public key, in hex.
//!
//! Loading a pack checks its signature in three steps, each in one place here:
//! 1. the header, the checksum and the block are read: the signer's key, the signature and
//!    the bytes it covers ([`SignedBytes`]), or no signature (refused here unless the policy
//!    allows unsigned packs);
//! 2. Ed25519 `verify_strict` of those bytes gives a [`Verdict`];
//! 3. the policy's rules on the verdict (mismatch, untrusted signer), then the payload.
//!
//! [`load`] does all three with ed25519-dalek (the `ed25519` feature, on by default). A host
//! with its own Ed25519 (a browser's WebCrypto, which verifies natively and spares the WASM
//! module the curve arithmetic, SHA-512 and tables) does step 2 itself and hands its verdict
//! to [`UnverifiedPack::load`], which applies the same rules. Without the `ed25519` feature the
//! core cannot sign, verify, or check that a trusted key is a curve point.

use alloc::string::String;
use alloc::vec::Vec;
#[cfg(feature = "ed25519")]
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::error_code::ErrorCode;
use crate::pack::format::{decode_payload, read_header, PackHeader};
use crate::pack::Pack;
use crate::pack::PackError;

/// Algorithm byte of an Ed25519 signature block.
pub const ALG_ED25519: u8 = 1;
/// Length of an Ed25519 signature block.
pub const BLOCK_LEN: usize = 1 + 32 + 64;

/// Which packs a host accepts.
#[derive(Debug, Clone, Default)]
pub struct TrustPolicy {
    keys: Vec<[u8; 32]>,
    allow_unsigned: bool,
}

/// A public key that is not a valid Ed25519 key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid Ed25519 public key (expected 32 bytes of a curve point)")]
pub struct InvalidPublicKey;

impl InvalidPublicKey {
    /// The error's entry in the [error table](crate::error_code).
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidPublicKey
    }
}

impl TrustPolicy {
    /// Accepts only packs signed by one of `keys` (32-byte Ed25519 public keys).
    ///
    /// With the `ed25519` feature a key that is not a curve point is refused; without it
    /// (no curve arithmetic) any 32 bytes are taken, and a pack can never verify against a
    /// key that is not a point.
    pub fn trusting(keys: &[[u8; 32]]) -> Result<Self, InvalidPublicKey> {
        let mut policy = Self::default();
        for key in keys {
            policy.add_key(key)?;
        }
        Ok(policy)
    }

    /// For development: also accept unsigned packs. A pack that *is* signed must still
    /// verify (a broken signature means tampering), though its signer need not be trusted.
    pub fn allow_unsigned(mut self) -> Self {
        self.allow_unsigned = true;
        self
    }

    /// Adds one trusted key (checked as in [`TrustPolicy::trusting`]).
    pub fn add_key(&mut self, key: &[u8; 32]) -> Result<(), InvalidPublicKey> {
        #[cfg(feature = "ed25519")]
        VerifyingKey::from_bytes(key).map_err(|_| InvalidPublicKey)?;
        self.keys.push(*key);
        Ok(())
    }

    /// Whether `key` is one of the trusted keys.
    pub fn trusts(&self, key: &[u8; 32]) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// Whether unsigned packs are accepted.
    pub fn allows_unsigned(&self) -> bool {
        self.allow_unsigned
    }
}

/// The key id of a public key: its first 8 bytes in hex.
pub fn key_id(public_key: &[u8; 32]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(16);
    for b in public_key.iter().take(8) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The public key of a 32-byte Ed25519 secret key (seed).
#[cfg(feature = "ed25519")]
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(secret).verifying_key().to_bytes()
}

/// Who signed a pack, if anyone: the signer's public key.
pub fn signer(bytes: &[u8]) -> Result<Option<[u8; 32]>, PackError> {
    let header = read_header(bytes)?;
    let block = bytes.get(header.signature.clone()).unwrap_or(&[]);
    if block.is_empty() {
        return Ok(None);
    }
    parse_block(block).map(|(k, _)| Some(k))
}

fn parse_block(block: &[u8]) -> Result<([u8; 32], [u8; 64]), PackError> {
    if block.len() != BLOCK_LEN {
        return Err(PackError::MalformedSignature("the block is not 97 bytes"));
    }
    if block.first() != Some(&ALG_ED25519) {
        return Err(PackError::MalformedSignature("unknown signature algorithm"));
    }
    let mut key = [0u8; 32];
    let mut sig = [0u8; 64];
    key.copy_from_slice(block.get(1..33).unwrap_or(&[0; 32]));
    sig.copy_from_slice(block.get(33..97).unwrap_or(&[0; 64]));
    Ok((key, sig))
}

/// Signs a pack file (replacing any signature) with a 32-byte Ed25519 secret key.
#[cfg(feature = "ed25519")]
pub fn sign(bytes: &[u8], secret: &[u8; 32]) -> Result<Vec<u8>, PackError> {
    let header = read_header(bytes)?;
    let key = SigningKey::from_bytes(secret);
    let signed = bytes.get(header.signed.clone()).unwrap_or(&[]);
    let sig = key.sign(signed);
    let mut out = Vec::with_capacity(signed.len() + 2 + BLOCK_LEN);
    out.extend_from_slice(signed);
    out.extend_from_slice(&(BLOCK_LEN as u16).to_le_bytes());
    out.push(ALG_ED25519);
    out.extend_from_slice(key.verifying_key().as_bytes());
    out.extend_from_slice(&sig.to_bytes());
    Ok(out)
}

/// What a signed pack asks its host to verify: Ed25519 `verify_strict` of `message` with
/// `signature` under `public_key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedBytes<'a> {
    /// The signer's public key, as the signature block gives it.
    pub public_key: [u8; 32],
    /// The signature.
    pub signature: [u8; 64],
    /// The bytes the signature covers: the file up to and including the checksum.
    pub message: &'a [u8],
}

/// A host's Ed25519 verdict on [`SignedBytes`].
///
/// The engine's own is ed25519-dalek's `verify_strict`; a host's (WebCrypto: BoringSSL,
/// OpenSSL) may judge crafted edge cases differently (small-order keys, a second encoding of
/// a valid signature), never a signature by a genuine key over other bytes: what a signature
/// protects — that the content is the signer's — holds either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The signature is valid for the message under the public key.
    Valid,
    /// The signature does not verify (the pack was changed after it was signed, or forged).
    Mismatch,
    /// The public key is not a valid Ed25519 key (not a curve point).
    BadKey,
}

/// A pack file whose header, checksum and signature block were read, waiting for its host's
/// Ed25519 verdict on [`UnverifiedPack::signed_bytes`]: how a host with its own Ed25519 loads
/// a pack (the WASM main module, with WebCrypto). It owns the bytes, so that the host can
/// verify asynchronously and the bytes decoded are the bytes verified.
#[derive(Debug, Clone)]
pub struct UnverifiedPack {
    bytes: Vec<u8>,
    header: PackHeader,
    trust: TrustPolicy,
    /// The payload decoded ahead of the verdict ([`UnverifiedPack::decode_ahead`]).
    decoded: Option<Result<Pack, PackError>>,
}

impl UnverifiedPack {
    /// Reads the header, the checksum and the signature block of `bytes`. Refuses what
    /// [`load`] refuses before any Ed25519: a damaged or malformed file, and an unsigned
    /// pack that `trust` does not allow (`Unsigned`). Whether the signer is trusted is
    /// decided after the verdict, as in [`load`].
    pub fn read(bytes: Vec<u8>, trust: TrustPolicy) -> Result<Self, PackError> {
        let header = read_header(&bytes)?;
        signed_bytes_with_header(&bytes, &header, &trust)?;
        Ok(Self {
            bytes,
            header,
            trust,
            decoded: None,
        })
    }

    /// Decodes the payload now, before the verdict: for a host whose Ed25519 runs on another
    /// thread (WebCrypto's), so that decoding and verifying overlap. Nothing of the pack
    /// leaves before [`UnverifiedPack::load`] has applied the verdict, and a decoding error
    /// is reported only after the signature's, so the outcome is [`load`]'s. The decoder is
    /// the one every pack goes through (unsigned ones in development too), built for hostile
    /// bytes: no panic, bounded allocations.
    pub fn decode_ahead(&mut self) {
        if self.decoded.is_none() {
            self.decoded = Some(decode_payload(&self.bytes, &self.header));
        }
    }

    /// What the host verifies: Ed25519 `verify_strict` of the message with the signature
    /// under the public key. `None` for an unsigned pack (which the policy allows).
    pub fn signed_bytes(&self) -> Option<SignedBytes<'_>> {
        signed_bytes_with_header(&self.bytes, &self.header, &self.trust)
            .ok()
            .flatten()
    }

    /// Applies the trust rules to the host's `verdict` on [`UnverifiedPack::signed_bytes`]
    /// (ignored for an unsigned pack), as [`load_with_signer`] does to dalek's: a mismatch is
    /// `SignatureMismatch` with the signer's key id, a key that is not a point
    /// `MalformedSignature`, an untrusted signer `UntrustedSigner`; then decodes the payload.
    /// Returns the pack and its signer (None for an unsigned pack).
    pub fn load(self, verdict: Verdict) -> Result<(Pack, Option<[u8; 32]>), PackError> {
        let signer = judge(&self.bytes, &self.header, &self.trust, |_| verdict)?;
        let pack = match self.decoded {
            Some(decoded) => decoded?,
            None => decode_payload(&self.bytes, &self.header)?,
        };
        Ok((pack, signer))
    }
}

fn signed_bytes_with_header<'a>(
    bytes: &'a [u8],
    header: &PackHeader,
    trust: &TrustPolicy,
) -> Result<Option<SignedBytes<'a>>, PackError> {
    let block = bytes.get(header.signature.clone()).unwrap_or(&[]);
    if block.is_empty() {
        return if trust.allow_unsigned {
            Ok(None)
        } else {
            Err(PackError::Unsigned)
        };
    }
    let (public_key, signature) = parse_block(block)?;
    Ok(Some(SignedBytes {
        public_key,
        signature,
        message: bytes.get(header.signed.clone()).unwrap_or(&[]),
    }))
}

/// The trust rules on a verdict: the one place they are written. Returns the signer (None for
/// an unsigned pack the policy allows).
fn judge(
    bytes: &[u8],
    header: &PackHeader,
    trust: &TrustPolicy,
    verify: impl FnOnce(&SignedBytes<'_>) -> Verdict,
) -> Result<Option<[u8; 32]>, PackError> {
    let Some(signed) = signed_bytes_with_header(bytes, header, trust)? else {
        return Ok(None);
    };
    let key = signed.public_key;
    match verify(&signed) {
        Verdict::Valid => {}
        Verdict::BadKey => {
            return Err(PackError::MalformedSignature(
                "the signer's public key is not valid",
            ))
        }
        Verdict::Mismatch => {
            return Err(PackError::SignatureMismatch {
                key_id: key_id(&key),
            })
        }
    }
    if !trust.allow_unsigned && !trust.trusts(&key) {
        return Err(PackError::UntrustedSigner {
            key_id: key_id(&key),
        });
    }
    Ok(Some(key))
}

/// Ed25519 `verify_strict` with ed25519-dalek.
#[cfg(feature = "ed25519")]
pub fn verify_ed25519(signed: &SignedBytes<'_>) -> Verdict {
    let Ok(key) = VerifyingKey::from_bytes(&signed.public_key) else {
        return Verdict::BadKey;
    };
    let sig = Signature::from_bytes(&signed.signature);
    match key.verify_strict(signed.message, &sig) {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Mismatch,
    }
}

/// Checks a pack file's signature against a trust policy, without decoding the payload.
/// Returns the signer's public key (None for an unsigned pack the policy allows).
#[cfg(feature = "ed25519")]
pub fn verify(bytes: &[u8], trust: &TrustPolicy) -> Result<Option<[u8; 32]>, PackError> {
    judge(bytes, &read_header(bytes)?, trust, verify_ed25519)
}

/// Loads a pack file: header, checksum, signature against `trust`, payload, invariants.
/// This is the one way hosts load packs (a host with its own Ed25519: [`UnverifiedPack`]).
#[cfg(feature = "ed25519")]
pub fn load(bytes: &[u8], trust: &TrustPolicy) -> Result<Pack, PackError> {
    load_with_signer(bytes, trust).map(|(pack, _)| pack)
}

/// [`load`], also returning the signer's public key (None for an unsigned pack the policy
/// allows): what a host keeps to show who signed the pack (see
/// [`crate::pack::catalogue::PackCatalogue::new`]).
#[cfg(feature = "ed25519")]
pub fn load_with_signer(
    bytes: &[u8],
    trust: &TrustPolicy,
) -> Result<(Pack, Option<[u8; 32]>), PackError> {
    let header = read_header(bytes)?;
    let signer = judge(bytes, &header, trust, verify_ed25519)?;
    Ok((decode_payload(bytes, &header)?, signer))
}
