//! A pack's payload stored without LZ4 (header flag 1, `kru build --no-lz4`): golden fixture,
//! the same checks as the LZ4 form, and the same sessions from both forms.

mod common;
mod tiny;

use std::sync::Arc;

use kru_core::pack::format::{self, PayloadCoding, FLAG_STORED};
use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::pack::PackError;
use kru_core::Session;
use proptest::prelude::*;
use tiny::tiny_pack;

const GOLDEN_STORED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/golden/tiny-v2-stored.krupack"
);
const GOLDEN_LZ4: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/golden/tiny-v2.krupack"
);
const SECRET: [u8; 32] = [7; 32];

fn unsigned() -> TrustPolicy {
    TrustPolicy::default().allow_unsigned()
}

#[test]
fn golden_stored_form_loads_and_writing_is_byte_identical() {
    let bytes = format::encode_with(&tiny_pack(), PayloadCoding::Stored).unwrap();
    if std::env::var_os("KRU_BLESS").is_some() {
        std::fs::write(GOLDEN_STORED, &bytes).unwrap();
    }
    let golden = std::fs::read(GOLDEN_STORED)
        .expect("golden fixture (regenerate with KRU_BLESS=1 only for a new format)");
    assert_eq!(
        bytes, golden,
        "encoding changed: the format is frozen; add a new schema version"
    );
    assert_eq!(u16::from_le_bytes([golden[10], golden[11]]), FLAG_STORED);
    let header = format::read_header(&golden).unwrap();
    assert_eq!(header.coding, PayloadCoding::Stored);
    assert_eq!(header.payload.len(), header.decoded_len);
    assert_eq!(signature::load(&golden, &unsigned()).unwrap(), tiny_pack());
    // The LZ4 form of the same pack: flags 0, same pack.
    let lz4 = std::fs::read(GOLDEN_LZ4).unwrap();
    assert_eq!(u16::from_le_bytes([lz4[10], lz4[11]]), 0);
    assert_eq!(
        format::read_header(&lz4).unwrap().coding,
        PayloadCoding::Lz4
    );
    assert_eq!(
        signature::load(&lz4, &unsigned()).unwrap(),
        signature::load(&golden, &unsigned()).unwrap()
    );
}

#[test]
fn unknown_flags_and_lying_lengths_are_refused() {
    let bytes = format::encode_with(&tiny_pack(), PayloadCoding::Stored).unwrap();
    for flags in [2u16, 3, 0x8001] {
        let mut other = bytes.clone();
        other[10..12].copy_from_slice(&flags.to_le_bytes());
        assert_eq!(
            format::read_header(&other),
            Err(PackError::UnknownFlags(flags))
        );
    }
    // A stored payload claiming to decode to more (or fewer) bytes than it has.
    let header = format::read_header(&bytes).unwrap();
    for decoded in [header.decoded_len + 1, header.decoded_len - 1] {
        let mut lie = bytes.clone();
        lie[16..20].copy_from_slice(&(decoded as u32).to_le_bytes());
        let e = format::read_header(&lie).unwrap_err();
        assert!(
            matches!(e, PackError::TooLarge { .. } | PackError::Decode { .. }),
            "{e}"
        );
    }
    // An LZ4 payload marked as stored (checksum fixed, as a forger would) does not decode.
    let lz4 = format::encode(&tiny_pack()).unwrap();
    let h = format::read_header(&lz4).unwrap();
    let mut marked = lz4.clone();
    marked[10..12].copy_from_slice(&FLAG_STORED.to_le_bytes());
    marked[16..20].copy_from_slice(&(h.payload.len() as u32).to_le_bytes());
    let crc = kru_core::checksum::crc32(&marked[..h.payload.end]);
    marked[h.payload.end..h.payload.end + 4].copy_from_slice(&crc.to_le_bytes());
    assert!(matches!(
        signature::load(&marked, &unsigned()),
        Err(PackError::Decode { .. })
    ));
}

/// The checksum of `bytes` made right again after a change, as a forger would.
fn fix_checksum(bytes: &mut [u8]) {
    let end = format::read_header(bytes).map_or_else(
        |e| match e {
            PackError::ChecksumMismatch { offset, .. } => offset,
            e => panic!("{e}"),
        },
        |h| h.payload.end,
    );
    let crc = kru_core::checksum::crc32(&bytes[..end]);
    bytes[end..end + 4].copy_from_slice(&crc.to_le_bytes());
}

/// The decoding error's detail when `bytes` are loaded.
fn decode_detail(bytes: &[u8]) -> String {
    match signature::load(bytes, &unsigned()) {
        Err(PackError::Decode { detail, .. }) => detail,
        other => panic!("expected a decoding error, got {other:?}"),
    }
}

#[test]
fn a_damaged_lz4_payload_is_refused_in_kru_words() {
    // The LZ4 form claiming to decode to one byte less than it does.
    let lz4 = format::encode(&tiny_pack()).unwrap();
    let h = format::read_header(&lz4).unwrap();
    let mut short = lz4.clone();
    short[16..20].copy_from_slice(&(h.decoded_len as u32 - 1).to_le_bytes());
    fix_checksum(&mut short);
    assert_eq!(
        decode_detail(&short),
        "LZ4: the payload decompresses to more than the header's decoded length"
    );
    // Postcard bytes read as an LZ4 stream: the stored form with its flag cleared.
    let stored = format::encode_with(&tiny_pack(), PayloadCoding::Stored).unwrap();
    let mut marked = stored.clone();
    marked[10..12].copy_from_slice(&0u16.to_le_bytes());
    fix_checksum(&mut marked);
    let detail = decode_detail(&marked);
    assert!(
        [
            "LZ4: the compressed payload is damaged",
            "LZ4: the payload decompresses to more than the header's decoded length"
        ]
        .contains(&detail.as_str()),
        "{detail}"
    );
}

#[test]
fn truncated_or_flipped_stored_packs_are_refused() {
    let bytes = format::encode_with(&tiny_pack(), PayloadCoding::Stored).unwrap();
    for cut in 0..bytes.len() {
        assert!(
            signature::load(&bytes[..cut], &unsigned()).is_err(),
            "cut at {cut}"
        );
    }
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x01;
        assert!(signature::load(&bad, &unsigned()).is_err(), "flip at {i}");
    }
}

#[test]
fn signature_covers_the_flags_and_the_stored_payload() {
    let stored = format::encode_with(&tiny_pack(), PayloadCoding::Stored).unwrap();
    let signed = signature::sign(&stored, &SECRET).unwrap();
    let public = signature::public_key(&SECRET);
    let trust = TrustPolicy::trusting(&[public]).unwrap();
    assert_eq!(signature::load(&signed, &trust).unwrap(), tiny_pack());
    // The hotline's digits are in the clear in a stored payload: a forger who changes one
    // and recomputes the checksum still fails the signature.
    let header = format::read_header(&signed).unwrap();
    let mut forged = signed.clone();
    let at = forged[header.payload.clone()]
        .windows(4)
        .position(|w| w == b"1288")
        .expect("hotline in the payload")
        + header.payload.start;
    forged[at + 3] = b'9';
    let crc = kru_core::checksum::crc32(&forged[..header.payload.end]);
    forged[header.payload.end..header.payload.end + 4].copy_from_slice(&crc.to_le_bytes());
    assert!(matches!(
        signature::load(&forged, &trust),
        Err(PackError::SignatureMismatch { .. })
    ));
    // Turning a signed LZ4 pack into its stored form breaks the signature too: the signer
    // signs one form.
    let lz4_signed = signature::sign(&format::encode(&tiny_pack()).unwrap(), &SECRET).unwrap();
    assert_ne!(lz4_signed, signed);
    assert!(signature::load(&lz4_signed, &trust).is_ok());
}

/// Both forms of the safe-migration pack, loaded from their bytes.
fn both_forms() -> (Arc<kru_core::Pack>, Arc<kru_core::Pack>, usize, usize) {
    let pack = common::safe_migration();
    let lz4 = format::encode(&pack).unwrap();
    let stored = format::encode_with(&pack, PayloadCoding::Stored).unwrap();
    let a = signature::load(&lz4, &unsigned()).unwrap();
    let b = signature::load(&stored, &unsigned()).unwrap();
    (Arc::new(a), Arc::new(b), lz4.len(), stored.len())
}

#[test]
fn both_forms_hold_the_same_pack() {
    let (a, b, lz4_len, stored_len) = both_forms();
    assert_eq!(a, b);
    assert!(stored_len > lz4_len, "{stored_len} vs {lz4_len}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The same seed and the same answers give the same steps, snapshots and record from
    /// either form, on every journey.
    #[test]
    fn both_forms_give_the_same_sessions(seed in any::<u64>(), answers in any::<u64>(), journey in 0usize..3) {
        use std::sync::OnceLock;
        static PACKS: OnceLock<(Arc<kru_core::Pack>, Arc<kru_core::Pack>)> = OnceLock::new();
        let (a, b) = PACKS.get_or_init(|| {
            let (a, b, _, _) = both_forms();
            (a, b)
        });
        let journey = ["kiosk", "school", "teacher"].get(journey).copied().unwrap_or("kiosk");
        if a.journeys.iter().all(|j| j.id != journey) {
            return Ok(());
        }
        let mut s1: Session = common::start(a, journey, seed);
        let mut s2: Session = common::start(b, journey, seed);
        let (mut sc1, mut sc2) = (common::Script(answers), common::Script(answers));
        let mut n = 0i64;
        loop {
            prop_assert_eq!(s1.step(), s2.step());
            prop_assert_eq!(s1.snapshot(), s2.snapshot());
            let go1 = common::act(&mut s1, &mut sc1, 1_790_000_000_000 + n * 1000);
            let go2 = common::act(&mut s2, &mut sc2, 1_790_000_000_000 + n * 1000);
            prop_assert_eq!(go1, go2);
            if !go1 {
                break;
            }
            n += 1;
            prop_assert!(n < 10_000);
        }
        let now = 1_790_000_000_000 + n * 1000;
        prop_assert_eq!(s1.finish(now).unwrap(), s2.finish(now).unwrap());
    }
}
