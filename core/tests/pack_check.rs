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
