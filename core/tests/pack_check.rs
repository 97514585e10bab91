//! `Pack::check`'s id rule: every id non-empty and at most `MAX_ID_BYTES`, the first bad one
//! in pack order named in the error; a language name within the same limit.

mod tiny;

use kru_core::limits::MAX_ID_BYTES;
use kru_core::pack::{Pack, PackError};
use tiny::tiny_pack;

/// Each id slot of the tiny pack, in the order `check` looks at them, with its name in errors
/// (language tags are ids too, but a bad one is refused earlier, as not BCP 47).
type Slot = (&'static str, fn(&mut Pack) -> &mut String);

const SLOTS: [Slot; 8] = [
    ("meta.id", |p| &mut p.meta.id),
    ("objective id", |p| &mut p.objectives[0].id),
    ("indicator id", |p| &mut p.indicators[0].id),
    ("resource id", |p| &mut p.resources[0].id),
    ("lesson id", |p| &mut p.lessons[0].id),
    ("item id", |p| &mut p.items[1].id),
    ("journey id", |p| &mut p.journeys[0].id),
    ("phase id", |p| &mut p.journeys[0].phases[2].id),
];

fn id_error(what: &str) -> PackError {
    PackError::Invalid {
        path: what.into(),
        reason: format!("is empty or longer than {MAX_ID_BYTES} bytes"),
    }
}

#[test]
fn the_tiny_pack_passes() {
    tiny_pack().check().unwrap();
}

#[test]
fn an_empty_or_too_long_id_is_named_and_the_limit_itself_is_fine() {
    for (what, slot) in SLOTS {
        let mut pack = tiny_pack();
        *slot(&mut pack) = String::new();
        assert_eq!(pack.check(), Err(id_error(what)), "{what} empty");
        *slot(&mut pack) = "x".repeat(MAX_ID_BYTES + 1);
        assert_eq!(pack.check(), Err(id_error(what)), "{what} too long");
        *slot(&mut pack) = "x".repeat(MAX_ID_BYTES);
        assert_eq!(pack.check(), Ok(()), "{what} at the limit");
    }
}

#[test]
fn of_two_bad_ids_the_first_in_pack_order_is_the_error() {
    for (i, (first, a)) in SLOTS.iter().enumerate() {
        for (second, b) in SLOTS.iter().skip(i + 1) {
            let mut pack = tiny_pack();
            *b(&mut pack) = String::new();
            *a(&mut pack) = String::new();
            assert_eq!(pack.check(), Err(id_error(first)), "{first} and {second}");
        }
    }
}

#[test]
fn a_language_name_beyond_the_id_limit_comes_before_any_id() {
    let mut pack = tiny_pack();
    pack.languages[0].name = "x".repeat(MAX_ID_BYTES);
    assert_eq!(pack.check(), Ok(()));
    pack.languages[0].name.push('x');
    pack.items[0].id.clear();
    assert_eq!(
        pack.check(),
        Err(PackError::Invalid {
            path: "languages".into(),
            reason: "has a name longer than the id limit".into(),
        })
    );
}

/// A text whose value or audio path is longer than `MAX_STRING_BYTES` is refused; the limit
/// itself is fine. Both in a pack built in memory (each text its own table) and in the same
/// pack written and read back (one table for every text, whose longest string `check`
/// looks at first).
#[test]
fn a_text_string_beyond_the_limit_is_refused_built_or_loaded() {
    use kru_core::limits::MAX_STRING_BYTES;
    use kru_core::pack::format::{decode_plain_payload, encode_payload};
    use kru_core::pack::text::Text;
    let too_long = Err(PackError::Invalid {
        path: "text".into(),
        reason: "a string is longer than the limit".into(),
    });
    for (len, expected) in [(MAX_STRING_BYTES, Ok(())), (MAX_STRING_BYTES + 1, too_long)] {
        for audio in [false, true] {
            let mut pack = tiny_pack();
            let long = "ក".repeat(len / 3) + &"x".repeat(len % 3);
            assert_eq!(long.len(), len);
            let n = pack.languages.len();
            let mut values = vec!["y"; n];
            let mut paths = vec![""; if audio { n } else { 0 }];
            match paths.last_mut() {
                Some(path) => *path = &long,
                None => values[0] = &long,
            }
            pack.items[1].explanation = Text::new(&values, &paths);
            assert_eq!(pack.check(), expected, "built, {len} bytes, audio {audio}");
            let loaded = decode_plain_payload(&encode_payload(&pack).unwrap(), 0).unwrap();
            assert_eq!(
                loaded.check(),
                expected,
                "loaded, {len} bytes, audio {audio}"
            );
        }
    }
}
