//! A host with its own Ed25519 (the browser's WebCrypto): `UnverifiedPack::read` and
//! `signed_bytes` give it what to verify, `UnverifiedPack::load` applies the trust rules to
//! its verdict.
//! Every case must end exactly as `signature::load_with_signer` (ed25519-dalek) ends.

mod tiny;

use kru_core::checksum::crc32;
use kru_core::pack::format;
use kru_core::pack::signature::{self, SignedBytes, TrustPolicy, UnverifiedPack, Verdict};
use kru_core::pack::{Pack, PackError};
use proptest::prelude::*;
use tiny::tiny_pack;

const SECRET: [u8; 32] = [7; 32];
const OTHER: [u8; 32] = [9; 32];

type Loaded = Result<(Pack, Option<[u8; 32]>), PackError>;

fn unsigned() -> Vec<u8> {
    format::encode(&tiny_pack()).unwrap()
}

fn signed() -> Vec<u8> {
    signature::sign(&unsigned(), &SECRET).unwrap()
}

fn trusted() -> TrustPolicy {
    TrustPolicy::trusting(&[signature::public_key(&SECRET)]).unwrap()
}

/// Changes one byte of the payload and recomputes the checksum: a well-formed pack whose
/// signature no longer covers its bytes (what a forger who knows the format writes).
fn forge(bytes: &[u8], at: usize, xor: u8) -> Vec<u8> {
    let header = format::read_header(bytes).unwrap();
    let mut out = bytes.to_vec();
    let i = header.payload.start + at % header.payload.len();
    out[i] ^= xor;
    let crc = crc32(&out[..header.payload.end]);
    out[header.payload.end..header.payload.end + 4].copy_from_slice(&crc.to_le_bytes());
    out
}

/// The host's path with a host whose Ed25519 is ed25519-dalek's: both steps, as the WASM
/// binding does them with WebCrypto (`ahead`: decoding before the verdict, as it does while
/// WebCrypto verifies).
fn host_load_with(bytes: &[u8], trust: &TrustPolicy, ahead: bool) -> Loaded {
    let mut pending = UnverifiedPack::read(bytes.to_vec(), trust.clone())?;
    let verdict = match pending.signed_bytes() {
        None => Verdict::Mismatch, // ignored for an unsigned pack
        Some(signed) => signature::verify_ed25519(&signed),
    };
    if ahead {
        pending.decode_ahead();
    }
    pending.load(verdict)
}

/// The host's path, both ways (decoding ahead or not), which must agree.
fn host_load(bytes: &[u8], trust: &TrustPolicy) -> Loaded {
    let after = host_load_with(bytes, trust, false);
    assert_eq!(
        host_load_with(bytes, trust, true),
        after,
        "decoding ahead changes nothing"
    );
    after
}

/// `UnverifiedPack::read` then `load` with a fixed verdict.
fn with_verdict(bytes: &[u8], trust: &TrustPolicy, verdict: Verdict) -> Loaded {
    UnverifiedPack::read(bytes.to_vec(), trust.clone())?.load(verdict)
}

fn policies() -> Vec<(&'static str, TrustPolicy)> {
    vec![
        ("trusted", trusted()),
        ("trusted + unsigned", trusted().allow_unsigned()),
        (
            "other key",
            TrustPolicy::trusting(&[signature::public_key(&OTHER)]).unwrap(),
        ),
        ("no keys", TrustPolicy::default()),
        (
            "no keys + unsigned",
            TrustPolicy::default().allow_unsigned(),
        ),
    ]
}

#[test]
fn the_host_path_ends_as_load_does_for_every_pack_and_policy() {
    let packs = [
        ("unsigned", unsigned()),
        ("signed", signed()),
        ("forged", forge(&signed(), 40, 1)),
        ("truncated block", signed()[..signed().len() - 1].to_vec()),
    ];
    for (name, bytes) in &packs {
        for (policy, trust) in policies() {
            let native = signature::load_with_signer(bytes, &trust);
            assert_eq!(host_load(bytes, &trust), native, "{name} with {policy}");
        }
    }
    // Spot checks of the table above.
    let (pack, signer) = host_load(&signed(), &trusted()).unwrap();
    assert_eq!(pack, tiny_pack());
    assert_eq!(signer, Some(signature::public_key(&SECRET)));
    assert_eq!(
        host_load(&unsigned(), &TrustPolicy::default().allow_unsigned())
            .unwrap()
            .1,
        None
    );
}

#[test]
fn signed_bytes_are_what_the_signature_covers() {
    let bytes = signed();
    let pending = UnverifiedPack::read(bytes.clone(), trusted()).unwrap();
    let signed = pending.signed_bytes().unwrap();
    let header = format::read_header(&bytes).unwrap();
    assert_eq!(signed.message, &bytes[header.signed.clone()]);
    assert_eq!(signed.public_key, signature::public_key(&SECRET));
    assert_eq!(signature::verify_ed25519(&signed), Verdict::Valid);
    // The block's last 64 bytes are the signature.
    assert_eq!(&signed.signature[..], &bytes[bytes.len() - 64..]);
    // The signed range ends with the checksum, so no byte outside it changes the pack.
    assert_eq!(header.signed.end, header.payload.end + 4);
}

#[test]
fn a_mismatch_verdict_is_the_same_error_as_today_with_the_key_id() {
    let bytes = signed();
    let expected = PackError::SignatureMismatch {
        key_id: signature::key_id(&signature::public_key(&SECRET)),
    };
    for trust in [
        trusted(),
        trusted().allow_unsigned(),
        TrustPolicy::default(),
    ] {
        assert_eq!(
            with_verdict(&bytes, &trust, Verdict::Mismatch).unwrap_err(),
            expected
        );
    }
    // And for a forged pack through dalek (today's path).
    assert_eq!(
        signature::load(&forge(&bytes, 3, 0x10), &trusted()).unwrap_err(),
        expected
    );
}

#[test]
fn a_valid_signature_by_an_untrusted_key_is_refused_unless_unsigned_packs_are_allowed() {
    let bytes = signed();
    let other = TrustPolicy::trusting(&[signature::public_key(&OTHER)]).unwrap();
    assert_eq!(
        with_verdict(&bytes, &other, Verdict::Valid).unwrap_err(),
        PackError::UntrustedSigner {
            key_id: signature::key_id(&signature::public_key(&SECRET)),
        }
    );
    // Development: any signer whose signature verifies.
    let (_, signer) = with_verdict(&bytes, &other.allow_unsigned(), Verdict::Valid).unwrap();
    assert_eq!(signer, Some(signature::public_key(&SECRET)));
}

#[test]
fn a_bad_key_verdict_is_a_malformed_signature() {
    assert!(matches!(
        with_verdict(&signed(), &trusted(), Verdict::BadKey),
        Err(PackError::MalformedSignature(_))
    ));
    // dalek's verdict on a key that is not a curve point.
    let message = [1u8, 2, 3];
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2;
    let claim = SignedBytes {
        public_key: not_a_point,
        signature: [0; 64],
        message: &message,
    };
    assert_eq!(signature::verify_ed25519(&claim), Verdict::BadKey);
}

#[test]
fn unsigned_packs_need_allow_unsigned_whatever_the_verdict() {
    let bytes = unsigned();
    let strict = trusted();
    assert_eq!(
        UnverifiedPack::read(bytes.clone(), strict.clone()).unwrap_err(),
        PackError::Unsigned
    );
    let open = trusted().allow_unsigned();
    let pending = UnverifiedPack::read(bytes.clone(), open.clone()).unwrap();
    assert_eq!(pending.signed_bytes(), None);
    for verdict in [Verdict::Valid, Verdict::Mismatch, Verdict::BadKey] {
        assert_eq!(
            with_verdict(&bytes, &strict, verdict).unwrap_err(),
            PackError::Unsigned
        );
        let (pack, signer) = with_verdict(&bytes, &open, verdict).unwrap();
        assert_eq!((pack, signer), (tiny_pack(), None));
    }
}

#[test]
fn decoding_ahead_never_reports_before_the_signature() {
    // A forged pack whose payload no longer decodes: the signature's error comes first.
    let bytes = forge(&signed(), 0, 0xff);
    let mut pending = UnverifiedPack::read(bytes.clone(), trusted()).unwrap();
    pending.decode_ahead();
    let key_id = signature::key_id(&signature::public_key(&SECRET));
    assert_eq!(
        pending.clone().load(Verdict::Mismatch).unwrap_err(),
        PackError::SignatureMismatch { key_id }
    );
    // Had the host said valid, the decoding error would be the answer, as `load` gives it
    // for the same bytes under a policy that lets them through.
    let decoded = pending.load(Verdict::Valid);
    assert!(decoded.is_err());
    let unsigned_copy = format::read_header(&bytes).unwrap();
    assert_eq!(
        decoded.unwrap_err(),
        format::decode_payload(&bytes, &unsigned_copy).unwrap_err()
    );
}

#[test]
fn a_valid_verdict_never_saves_a_damaged_or_malformed_file() {
    let bytes = signed();
    // A damaged byte without a recomputed checksum: caught before any signature.
    let mut damaged = bytes.clone();
    damaged[20] ^= 1;
    assert!(matches!(
        with_verdict(&damaged, &trusted(), Verdict::Valid),
        Err(PackError::ChecksumMismatch { .. })
    ));
    // An unknown algorithm byte in the block.
    let mut block = bytes.clone();
    let at = block.len() - 97;
    block[at] = 2;
    assert!(matches!(
        with_verdict(&block, &trusted(), Verdict::Valid),
        Err(PackError::MalformedSignature(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any byte of the file changed (checksum left as is, or recomputed as a forger would):
    /// the host's path and dalek's path refuse or accept alike, with the same error.
    #[test]
    fn tampered_bytes_end_alike(at in 0usize..4096, xor in 1u8..=255, recompute in any::<bool>()) {
        let good = signed();
        let bytes = if recompute {
            forge(&good, at, xor)
        } else {
            let mut b = good.clone();
            let i = at % b.len();
            b[i] ^= xor;
            b
        };
        for (policy, trust) in policies() {
            let native = signature::load_with_signer(&bytes, &trust);
            prop_assert_eq!(host_load(&bytes, &trust), native.clone(), "{}", policy);
            if recompute {
                prop_assert!(native.is_err(), "a changed payload never loads ({})", policy);
            }
        }
    }
}
