//! Ed25519 signatures over packs, and the host's trust policy.
//!
//! The signature block at the end of a pack file (see [`crate::pack::format`]) is
//! `[algorithm = 1 (Ed25519)][public key: 32 bytes][signature: 64 bytes]`, 97 bytes. The
//! signature covers every byte of the file up to and including the checksum, so changing any
//! byte of the content (one digit of a hotline number) breaks it. The signer's *key id* is
//! the first 8 bytes of its public key, in hex.

use alloc::string::String;
use alloc::vec::Vec;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::error_code::ErrorCode;
use crate::pack::format::{decode_payload, read_header};
use crate::pack::Pack;
use crate::pack::PackError;

/// Algorithm byte of an Ed25519 signature block.
pub const ALG_ED25519: u8 = 1;
/// Length of an Ed25519 signature block.
pub const BLOCK_LEN: usize = 1 + 32 + 64;

/// Which packs a host accepts.
#[derive(Debug, Clone, Default)]
pub struct TrustPolicy {
    keys: Vec<VerifyingKey>,
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
    pub fn trusting(keys: &[[u8; 32]]) -> Result<Self, InvalidPublicKey> {
        let keys = keys
            .iter()
            .map(|k| VerifyingKey::from_bytes(k).map_err(|_| InvalidPublicKey))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            keys,
            allow_unsigned: false,
        })
    }

    /// For development: also accept unsigned packs. A pack that *is* signed must still
    /// verify (a broken signature means tampering), though its signer need not be trusted.
    pub fn allow_unsigned(mut self) -> Self {
        self.allow_unsigned = true;
        self
    }

    /// Adds one trusted key.
    pub fn add_key(&mut self, key: &[u8; 32]) -> Result<(), InvalidPublicKey> {
        self.keys
            .push(VerifyingKey::from_bytes(key).map_err(|_| InvalidPublicKey)?);
        Ok(())
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

/// Checks a pack file's signature against a trust policy, without decoding the payload.
/// Returns the signer's public key (None for an unsigned pack the policy allows).
pub fn verify(bytes: &[u8], trust: &TrustPolicy) -> Result<Option<[u8; 32]>, PackError> {
    verify_with_header(bytes, &read_header(bytes)?, trust)
}

fn verify_with_header(
    bytes: &[u8],
    header: &crate::pack::format::PackHeader,
    trust: &TrustPolicy,
) -> Result<Option<[u8; 32]>, PackError> {
    let block = bytes.get(header.signature.clone()).unwrap_or(&[]);
    if block.is_empty() {
        return if trust.allow_unsigned {
            Ok(None)
        } else {
            Err(PackError::Unsigned)
        };
    }
    let (key_bytes, sig_bytes) = parse_block(block)?;
    let id = key_id(&key_bytes);
    let key = VerifyingKey::from_bytes(&key_bytes)
        .map_err(|_| PackError::MalformedSignature("the signer's public key is not valid"))?;
    let sig = Signature::from_bytes(&sig_bytes);
    let signed = bytes.get(header.signed.clone()).unwrap_or(&[]);
    key.verify_strict(signed, &sig)
        .map_err(|_| PackError::SignatureMismatch { key_id: id.clone() })?;
    if !trust.allow_unsigned && !trust.keys.iter().any(|k| k.as_bytes() == &key_bytes) {
        return Err(PackError::UntrustedSigner { key_id: id });
    }
    Ok(Some(key_bytes))
}

/// Loads a pack file: header, checksum, signature against `trust`, payload, invariants.
/// This is the one way hosts load packs.
pub fn load(bytes: &[u8], trust: &TrustPolicy) -> Result<Pack, PackError> {
    load_with_signer(bytes, trust).map(|(pack, _)| pack)
}

/// [`load`], also returning the signer's public key (None for an unsigned pack the policy
/// allows): what a host keeps to show who signed the pack (see
/// [`crate::pack::catalogue::PackCatalogue::new`]).
pub fn load_with_signer(
    bytes: &[u8],
    trust: &TrustPolicy,
) -> Result<(Pack, Option<[u8; 32]>), PackError> {
    let header = read_header(bytes)?;
    let signer = verify_with_header(bytes, &header, trust)?;
    Ok((decode_payload(bytes, &header)?, signer))
}
