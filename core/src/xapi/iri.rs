//! Activity IRIs of packs, journeys, phases, forms and items, and their parsing.
//!
//! ```text
//! pack     https://w3id.org/xapi/kru/packs/{pack}@{major.minor.patch}
//! journey  https://w3id.org/xapi/kru/packs/{pack}/journeys/{journey}
//! phase    https://w3id.org/xapi/kru/packs/{pack}/journeys/{journey}/phases/{phase}
//! form     https://w3id.org/xapi/kru/packs/{pack}/forms/{form}
//! item     https://w3id.org/xapi/kru/packs/{pack}/items/{item}
//! ```
//! Ids are percent-encoded (everything but `A-Z a-z 0-9 - . _ ~`). Item, journey and form ids
//! are stable across pack versions, so their IRIs carry no version; the pack activity does.

use alloc::string::String;
use alloc::vec::Vec;

use super::ACTIVITY_BASE;
use crate::pack::Version;

/// Appends `s` percent-encoded as one path segment.
fn push_segment(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(
                HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
            ));
            out.push(char::from(
                HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
            ));
        }
    }
}

/// Decodes one percent-encoded path segment; `None` when it is not valid (bad escape, a
/// character that would have been encoded, not UTF-8).
fn decode_segment(s: &str) -> Option<String> {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = char::from(bytes.next()?).to_digit(16)?;
            let lo = char::from(bytes.next()?).to_digit(16)?;
            out.push(u8::try_from(hi * 16 + lo).ok()?);
        } else if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b);
        } else {
            return None;
        }
    }
    String::from_utf8(out).ok()
}

/// The pack activity's IRI: the pack id and its version.
pub fn pack_iri(pack: &str, version: Version) -> String {
    let mut s = String::from(ACTIVITY_BASE);
    push_segment(&mut s, pack);
    s.push('@');
    s.push_str(&alloc::format!("{version}"));
    s
}

fn pack_prefix(pack: &str) -> String {
    let mut s = String::from(ACTIVITY_BASE);
    push_segment(&mut s, pack);
    s
}

/// A journey's IRI.
pub fn journey_iri(pack: &str, journey: &str) -> String {
    let mut s = pack_prefix(pack);
    s.push_str("/journeys/");
    push_segment(&mut s, journey);
    s
}

/// A phase's IRI (its id within the journey).
pub fn phase_iri(pack: &str, journey: &str, phase: &str) -> String {
    let mut s = journey_iri(pack, journey);
    s.push_str("/phases/");
    push_segment(&mut s, phase);
    s
}

/// A form's IRI.
pub fn form_iri(pack: &str, form: &str) -> String {
    let mut s = pack_prefix(pack);
    s.push_str("/forms/");
    push_segment(&mut s, form);
    s
}

/// An item's IRI.
pub fn item_iri(pack: &str, item: &str) -> String {
    let mut s = pack_prefix(pack);
    s.push_str("/items/");
    push_segment(&mut s, item);
    s
}

/// A parsed kru activity IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Activity {
    /// A pack at a version.
    Pack { pack: String, version: Version },
    /// A journey.
    Journey { pack: String, journey: String },
    /// A phase.
    Phase {
        pack: String,
        journey: String,
        phase: String,
    },
    /// A form.
    Form { pack: String, form: String },
    /// An item.
    Item { pack: String, item: String },
}

/// Parses a kru activity IRI; `None` for any other IRI.
pub(crate) fn parse_activity(iri: &str) -> Option<Activity> {
    let rest = iri.strip_prefix(ACTIVITY_BASE)?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [one] => {
            let (pack, version) = one.rsplit_once('@')?;
            Some(Activity::Pack {
                pack: decode_segment(pack)?,
                version: Version::parse(version)?,
            })
        }
        [pack, "journeys", journey] => Some(Activity::Journey {
            pack: decode_segment(pack)?,
            journey: decode_segment(journey)?,
        }),
        [pack, "journeys", journey, "phases", phase] => Some(Activity::Phase {
            pack: decode_segment(pack)?,
            journey: decode_segment(journey)?,
            phase: decode_segment(phase)?,
        }),
        [pack, "forms", form] => Some(Activity::Form {
            pack: decode_segment(pack)?,
            form: decode_segment(form)?,
        }),
        [pack, "items", item] => Some(Activity::Item {
            pack: decode_segment(pack)?,
            item: decode_segment(item)?,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_round_trip_with_odd_ids() {
        let v = Version {
            major: 1,
            minor: 2,
            patch: 3,
        };
        for id in ["safe-migration", "a b/c@d%", "ខ្មែរ", "x.y_z~"] {
            assert_eq!(
                parse_activity(&pack_iri(id, v)),
                Some(Activity::Pack {
                    pack: id.into(),
                    version: v
                })
            );
            assert_eq!(
                parse_activity(&phase_iri(id, "j/1", "pre")),
                Some(Activity::Phase {
                    pack: id.into(),
                    journey: "j/1".into(),
                    phase: "pre".into()
                })
            );
            assert_eq!(
                parse_activity(&item_iri(id, id)),
                Some(Activity::Item {
                    pack: id.into(),
                    item: id.into()
                })
            );
        }
        assert_eq!(
            pack_iri("safe-migration", v),
            "https://w3id.org/xapi/kru/packs/safe-migration@1.2.3"
        );
        assert_eq!(parse_activity("https://example.org/x"), None);
        assert_eq!(
            parse_activity(&(String::from(ACTIVITY_BASE) + "a%zz")),
            None
        );
        assert_eq!(
            parse_activity(&(String::from(ACTIVITY_BASE) + "p/items/a b")),
            None
        );
    }
}
