//! The binary pack format: golden fixture, hostile bytes, signatures.

mod tiny;

use kru_core::pack::format;
use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::pack::PackError;
use tiny::tiny_pack;

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/golden/tiny-v2.krupack"
);
/// The same pack in format 1, which stored each string where it was used (before the
/// first release); this engine refuses it with a clear error.
const GOLDEN_V1: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/golden/tiny-v1.krupack"
);
const SECRET: [u8; 32] = [7; 32];

#[test]
fn golden_v2_still_loads_and_writing_is_byte_identical() {
    let bytes = format::encode(&tiny_pack()).unwrap();
    if std::env::var_os("KRU_BLESS").is_some() {
        std::fs::write(GOLDEN, &bytes).unwrap();
    }
    let golden = std::fs::read(GOLDEN)
        .expect("golden fixture (regenerate with KRU_BLESS=1 only for a new format)");
    assert_eq!(
        bytes, golden,
        "encoding changed: the format is frozen; add a new schema version"
    );
    let pack = signature::load(&golden, &TrustPolicy::default().allow_unsigned()).unwrap();
    assert_eq!(pack, tiny_pack());
}

#[test]
fn format_1_is_refused_with_a_clear_error() {
    let v1 = std::fs::read(GOLDEN_V1).unwrap();
    let e = signature::load(&v1, &TrustPolicy::default().allow_unsigned()).unwrap_err();
    assert_eq!(
        e,
        PackError::UnsupportedFormat {
            found: 1,
            supported: 2
        }
    );
    assert!(e.to_string().contains("kru build"), "{e}");
}

#[test]
fn truncation_at_every_offset_is_an_error() {
    let bytes = format::encode(&tiny_pack()).unwrap();
    let trust = TrustPolicy::default().allow_unsigned();
    for cut in 0..bytes.len() {
        let e = signature::load(&bytes[..cut], &trust).unwrap_err();
        assert!(
            matches!(
                e,
                PackError::Truncated { .. }
                    | PackError::BadMagic
                    | PackError::ChecksumMismatch { .. }
            ),
            "cut at {cut}: {e}"
        );
    }
}

#[test]
fn any_flipped_byte_is_refused() {
    let bytes = format::encode(&tiny_pack()).unwrap();
    let trust = TrustPolicy::default().allow_unsigned();
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[i] ^= mask;
            assert!(
                signature::load(&bad, &trust).is_err(),
                "flip {mask:#x} at {i} accepted"
            );
        }
    }
}

#[test]
fn huge_declared_lengths_and_garbage() {
    let mut bytes = format::encode(&tiny_pack()).unwrap();
    bytes[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = format::read_header(&bytes).unwrap_err();
    assert!(matches!(e, PackError::TooLarge { .. }), "{e}");
    assert!(matches!(
        format::read_header(b"hello"),
        Err(PackError::Truncated { .. })
    ));
    assert!(matches!(
        format::read_header(&[0u8; 64]),
        Err(PackError::BadMagic)
    ));
    let mut newer = format::encode(&tiny_pack()).unwrap();
    newer[8] = 3;
    assert!(matches!(
        format::read_header(&newer),
        Err(PackError::UnsupportedFormat { found: 3, .. })
    ));
    let mut extra = format::encode(&tiny_pack()).unwrap();
    extra.push(0);
    assert!(matches!(
        format::read_header(&extra),
        Err(PackError::TrailingBytes(1))
    ));
}

/// Changes "1288" to "1289" in the payload and recomputes the checksum, as a forger would.
fn forge_hotline(bytes: &[u8]) -> Vec<u8> {
    let header = format::read_header(bytes).unwrap();
    let mut out = bytes.to_vec();
    let payload = &mut out[header.payload.clone()];
    let at = payload
        .windows(4)
        .position(|w| w == b"1288")
        .expect("hotline in payload");
    payload[at + 3] = b'9';
    let crc = kru_core::checksum::crc32(&out[..header.payload.end]);
    out[header.payload.end..header.payload.end + 4].copy_from_slice(&crc.to_le_bytes());
    out
}

#[test]
fn signed_packs_and_a_forged_hotline_digit() {
    let unsigned = format::encode(&tiny_pack()).unwrap();
    let signed = signature::sign(&unsigned, &SECRET).unwrap();
    let public = signature::public_key(&SECRET);
    let trust = TrustPolicy::trusting(&[public]).unwrap();
    assert!(signature::load(&signed, &trust).is_ok());
    assert_eq!(signature::signer(&signed).unwrap(), Some(public));
    assert!(matches!(
        signature::load(&unsigned, &trust),
        Err(PackError::Unsigned)
    ));
    let other = TrustPolicy::trusting(&[signature::public_key(&[9; 32])]).unwrap();
    assert!(matches!(
        signature::load(&signed, &other),
        Err(PackError::UntrustedSigner { .. })
    ));
    let forged = forge_hotline(&signed);
    assert!(matches!(
        signature::load(&forged, &trust),
        Err(PackError::SignatureMismatch { .. })
    ));
    assert!(
        matches!(
            signature::load(&forged, &trust.clone().allow_unsigned()),
            Err(PackError::SignatureMismatch { .. })
        ),
        "a broken signature is refused even when unsigned packs are allowed"
    );
    // Without recomputing the checksum the damage is caught earlier.
    let mut damaged = signed.clone();
    let at = damaged.windows(4).position(|w| w == b"1288").unwrap();
    damaged[at + 3] = b'9';
    assert!(matches!(
        signature::load(&damaged, &trust),
        Err(PackError::ChecksumMismatch { .. })
    ));
    // Truncating the signature block.
    for cut in unsigned.len() - 2..signed.len() {
        assert!(signature::load(&signed[..cut], &trust).is_err());
    }
}

#[test]
fn text_handles_beyond_the_text_table_are_refused() {
    // Texts serialised next to an empty table: every handle points past its end.
    let plain =
        postcard::to_allocvec(&(kru_core::pack::text::TextTable::new(), tiny_pack())).unwrap();
    let e = format::decode_plain_payload(&plain, 27).unwrap_err();
    assert!(
        matches!(&e, PackError::Invalid { path, reason } if path == "text" && reason.contains("beyond the end")),
        "{e}"
    );
    // The real encoding shares one table and decodes to the same pack.
    let plain = format::encode_payload(&tiny_pack()).unwrap();
    assert_eq!(
        format::decode_plain_payload(&plain, 27).unwrap(),
        tiny_pack()
    );
}

#[test]
fn json_form_keeps_every_text() {
    // JSON is a written form only (`kru` prints it); packs are read from their binary form.
    fn texts_in(v: &serde_json::Value, out: &mut Vec<Vec<String>>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Array(vs)) = m.get("values") {
                    out.push(vs.iter().map(|s| s.as_str().unwrap().to_string()).collect());
                }
                m.values().for_each(|v| texts_in(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| texts_in(v, out)),
            _ => {}
        }
    }
    let pack = tiny_pack();
    let json: serde_json::Value = serde_json::to_value(&pack).unwrap();
    let mut found = Vec::new();
    texts_in(&json, &mut found);
    let mut expected: Vec<Vec<String>> = Vec::new();
    pack.for_all_texts(|t| expected.push(t.values().map(String::from).collect()));
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
}

/// The tiny pack with two Likert items, the second keyed "low".
fn with_reverse_keyed() -> kru_core::Pack {
    use kru_core::pack::item::{Item, ItemKind};
    use kru_core::pack::text::Text;
    let mut pack = tiny_pack();
    for id in ["att-high", "att-low"] {
        pack.items.push(Item {
            id: id.into(),
            objectives: vec![],
            prompt: Text::single("I would check the agency"),
            kind: ItemKind::Likert {
                scale: ["no", "maybe", "yes"]
                    .iter()
                    .map(|s| Text::single(s))
                    .collect(),
            },
            explanation: Text::single(""),
            feedback_correct: Text::single(""),
            feedback_incorrect: Text::single(""),
        });
    }
    let low = u16::try_from(pack.items.len() - 1).unwrap();
    pack.reverse_keyed = vec![low];
    pack
}

#[test]
fn reverse_keyed_items_survive_the_file_with_or_without_interface_strings() {
    let trust = TrustPolicy::default().allow_unsigned();
    let pack = with_reverse_keyed();
    let low = pack.reverse_keyed[0];
    let back = signature::load(&format::encode(&pack).unwrap(), &trust).unwrap();
    assert_eq!(back.reverse_keyed, vec![low]);
    assert!(back.is_reverse_keyed(low) && !back.is_reverse_keyed(low - 1));
    assert_eq!(back, pack);
    // With interface strings too: both sections, in order.
    let mut both = pack.clone();
    both.interface = vec![("next".into(), kru_core::pack::text::Text::single("Go on"))];
    let back = signature::load(&format::encode(&both).unwrap(), &trust).unwrap();
    assert_eq!(
        (back.reverse_keyed, back.interface),
        (both.reverse_keyed, both.interface)
    );
    // Without any, the bytes are those of the frozen format (the golden fixture above).
    let mut none = pack.clone();
    none.reverse_keyed.clear();
    assert!(format::encode(&none).unwrap().len() < format::encode(&pack).unwrap().len());
}

#[test]
fn only_likert_items_can_be_reverse_keyed_each_once_in_order() {
    let trust = TrustPolicy::default().allow_unsigned();
    let pack = with_reverse_keyed();
    let low = pack.reverse_keyed[0];
    for (list, why) in [
        (vec![0], "only a Likert item"),
        (vec![low, low], "unique and in order"),
        (vec![low, low - 1], "unique and in order"),
        (vec![999], "only"),
    ] {
        let mut bad = pack.clone();
        bad.reverse_keyed = list.clone();
        let e = signature::load(&format::encode(&bad).unwrap(), &trust).unwrap_err();
        match &e {
            PackError::Invalid { path, reason } => {
                assert!(path.starts_with("reverse_keyed["), "{list:?}: {e}");
                assert!(reason.contains(why), "{list:?}: {e}");
            }
            other => panic!("{list:?}: {other}"),
        }
    }
}
