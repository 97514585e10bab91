//! Result records and pack information as plain JS objects, built by hand.
//!
//! `finish()`, `abandon()` and the pack's `journeys()`, `languages()`, `resources()` (and in
//! the full module `coverage()`, `staleResources()`) return the core's values in the shape of
//! their serde form (`types.d.ts`: the core's field names, enum variants by name, `null` for
//! absent values, tuples as arrays; in a record, the 64-bit `seed`, `started_at` and
//! `ended_at` as `BigInt`s). They used to go through serde-wasm-bindgen; building them here,
//! with one property setter, takes serde-wasm-bindgen and every `Serialize` instance it needed
//! out of the main module (docs/performance.md, "Issue 18, third round"); a record is written
//! on a tape and built in one call (`tape.rs`, issue 18's fifth round). The wasm-bindgen
//! tests compare every object with the core's serde form, so a field added in the core and not
//! here fails there.

use js_sys::{Array, Object};
#[cfg(feature = "analysis")]
use kru_core::pack::catalogue::Coverage;
use kru_core::pack::catalogue::{JourneySummary, LanguageSummary, ResourceSummary};
use kru_core::pack::item::Answer;
use kru_core::pack::journey::PhaseKind;
use kru_core::pack::Date;
use kru_core::record::ResponseRecord;
use kru_core::ResultRecord;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::tape::{
    build_uncached, Writer, ANSWER, ARRAY, AT_OFFSET_MS, A_CHOICE, A_CHOICES, A_MATCHES, A_ORDER,
    A_SCALE, A_TEXT, A_TRUE_FALSE, BYTES, CHOICE, COMPLETED, CORRECT, CREDIT, DEMOGRAPHICS, END,
    ENDED_AT, FORMS, ITEM, JOURNEY, LANGUAGE, LEARNER, MAJOR, MINOR, NODE, NULL, OBJECT, PACK_ID,
    PACK_VERSION, PATCH, PHASE, PHASE_KIND, RECORD_ID, RESPONSES, SEED, STARTED_AT, STORY,
    STORY_PATH,
};

#[wasm_bindgen]
extern "C" {
    /// A plain object being filled.
    #[wasm_bindgen(extends = Object)]
    type Plain;
    /// `this[key] = value` (a plain assignment: no `Reflect`, no exception handling).
    #[wasm_bindgen(method, indexing_setter)]
    fn set(this: &Plain, key: &str, value: &JsValue);
}

/// A plain object under construction: `put` its fields in the serde form's order.
struct Fields(Plain);

impl Fields {
    fn new() -> Self {
        Fields(Object::new().unchecked_into())
    }

    /// `this[key] = value` (one call site for every field, so that the module stays small).
    #[inline(never)]
    fn put(&self, key: &str, value: JsValue) -> &Self {
        self.0.set(key, &value);
        self
    }

    fn done(&self) -> JsValue {
        self.0.clone().into()
    }
}

/// A JS string.
fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// A whole number as a JS number.
fn num(n: impl Into<f64>) -> JsValue {
    JsValue::from_f64(n.into())
}

/// An array of the values `f` makes of `items`.
fn list<T>(items: impl IntoIterator<Item = T>, mut f: impl FnMut(T) -> JsValue) -> JsValue {
    let a = Array::new();
    for item in items {
        a.push(&f(item));
    }
    a.into()
}

/// A `usize` count as a JS number (counts of a pack's texts are far below 2^53).
#[cfg(feature = "analysis")]
fn count(n: usize) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// `{ year, month, day }`.
fn date(d: Date) -> JsValue {
    Fields::new()
        .put("year", num(d.year))
        .put("month", num(d.month))
        .put("day", num(d.day))
        .done()
}

/// A result record (`ResultRecord` in `types.d.ts`) with its results-log frame as `bytes`:
/// written on a tape and built by `tape.js` in one call (a record of a whole journey has
/// several hundred fields; one call per field made `finish()` cost as much as 100 steps).
pub fn record(r: &ResultRecord, frame: &[u8]) -> JsValue {
    build_uncached(|w| {
        w.op(OBJECT);
        w.key(RECORD_ID);
        w.op(ARRAY);
        for b in r.record_id {
            w.num(f64::from(b));
        }
        w.op(END);
        w.key(LEARNER);
        w.text(&r.learner);
        w.key(PACK_ID);
        w.text(&r.pack_id);
        w.key(PACK_VERSION);
        let v = r.pack_version;
        numbers(w, [(MAJOR, v.major), (MINOR, v.minor), (PATCH, v.patch)]);
        w.key(JOURNEY);
        w.text(&r.journey);
        w.key(LANGUAGE);
        w.text(&r.language);
        w.key(SEED);
        w.big(r.seed, false);
        w.key(FORMS);
        w.op(ARRAY);
        for f in &r.forms {
            w.text(f);
        }
        w.op(END);
        w.key(STARTED_AT);
        w.big(r.started_at as u64, true);
        w.key(ENDED_AT);
        w.big(r.ended_at as u64, true);
        w.key(COMPLETED);
        w.bool(r.completed);
        w.key(DEMOGRAPHICS);
        w.op(ARRAY);
        for (k, v) in &r.demographics {
            w.op(ARRAY);
            w.text(k);
            w.text(v);
            w.op(END);
        }
        w.op(END);
        w.key(RESPONSES);
        w.op(ARRAY);
        for x in &r.responses {
            response(w, x);
        }
        w.op(END);
        w.key(STORY_PATH);
        w.op(ARRAY);
        for c in &r.story_path {
            numbers(w, [(STORY, c.story), (NODE, c.node), (CHOICE, c.choice)]);
        }
        w.op(END);
        w.key(BYTES);
        w.bytes(frame);
        w.op(END);
    })
}

/// An object of three `u16` fields (a pack version, a story choice).
fn numbers(w: &mut Writer<'_>, fields: [(usize, u16); 3]) {
    w.op(OBJECT);
    for (key, n) in fields {
        w.key(key);
        w.num(f64::from(n));
    }
    w.op(END);
}

/// One answered question (`ResponseRecord`).
fn response(w: &mut Writer<'_>, r: &ResponseRecord) {
    w.op(OBJECT);
    w.key(PHASE);
    w.num(f64::from(r.phase));
    w.key(PHASE_KIND);
    w.name(phase_kind(r.phase_kind));
    w.key(ITEM);
    w.num(f64::from(r.item));
    w.key(ANSWER);
    answer(w, &r.answer);
    w.key(CREDIT);
    w.num(r.credit.to_f64());
    w.key(CORRECT);
    w.bool(r.correct);
    w.key(AT_OFFSET_MS);
    w.num(f64::from(r.at_offset_ms));
    w.op(END);
}

/// The variant name of a phase kind, as in a record (`RecordedPhaseKind`).
fn phase_kind(k: PhaseKind) -> &'static str {
    match k {
        PhaseKind::PreTest => "PreTest",
        PhaseKind::Lesson => "Lesson",
        PhaseKind::Practice => "Practice",
        PhaseKind::PostTest => "PostTest",
        PhaseKind::FollowUp => "FollowUp",
    }
}

/// A recorded answer (`RecordedAnswer`): `{ Variant: value }`, or `"DontKnow"`.
fn answer(w: &mut Writer<'_>, a: &Answer) {
    let (variant, indices) = match a {
        Answer::Choice(_) => (A_CHOICE, None),
        Answer::Choices(v) => (A_CHOICES, Some(v)),
        Answer::TrueFalse(_) => (A_TRUE_FALSE, None),
        Answer::Order(v) => (A_ORDER, Some(v)),
        Answer::Matches(v) => (A_MATCHES, Some(v)),
        Answer::Text(_) => (A_TEXT, None),
        Answer::Scale(_) => (A_SCALE, None),
        Answer::DontKnow => return w.name("DontKnow"),
    };
    w.op(OBJECT);
    w.key(variant);
    match (a, indices) {
        (_, Some(v)) => {
            w.op(ARRAY);
            for i in v {
                w.num(f64::from(*i));
            }
            w.op(END);
        }
        (Answer::Choice(i) | Answer::Scale(i), None) => w.num(f64::from(*i)),
        (Answer::TrueFalse(b), None) => w.bool(*b),
        (Answer::Text(s), None) => w.text(s),
        _ => w.op(NULL),
    }
    w.op(END);
}

/// The pack's journeys (`JourneyInfo[]`).
pub fn journeys(list_: &[JourneySummary<'_>]) -> JsValue {
    list(list_, |j| {
        let phases = list(&j.phases, |p| {
            Fields::new()
                .put("id", text(p.id))
                .put("kind", text(p.kind))
                .put("title", text(p.title.text))
                .done()
        });
        Fields::new()
            .put("id", text(j.id))
            .put("title", text(j.title.text))
            .put("intake", JsValue::from_bool(j.intake))
            .put("card", JsValue::from_bool(j.card))
            .put("phases", phases)
            .done()
    })
}

/// The pack's languages (`LanguageInfo[]`).
pub fn languages(list_: &[LanguageSummary<'_>]) -> JsValue {
    list(list_, |l| {
        Fields::new()
            .put("tag", text(l.tag))
            .put("name", text(l.name))
            .put("status", text(l.status))
            .put("numerals", text(l.numerals))
            .put("dir", text(l.dir))
            .done()
    })
}

/// The languages' coverage (`LanguageCoverage[]`; the full module's `coverage()`).
#[cfg(feature = "analysis")]
pub fn coverage(list_: &[Coverage<'_>]) -> JsValue {
    list(list_, |c| {
        Fields::new()
            .put("tag", text(c.tag))
            .put("present", count(c.present))
            .put("total", count(c.total))
            .done()
    })
}

/// Help resources (`ResourceInfo[]`).
pub fn resources<'a>(list_: impl IntoIterator<Item = &'a ResourceSummary<'a>>) -> JsValue {
    list(list_, |r| {
        Fields::new()
            .put("id", text(r.id))
            .put("name", text(r.name.text))
            .put("phone", text(r.phone))
            .put("hours", text(r.hours.text))
            .put("purpose", text(r.purpose.text))
            .put("verified", date(r.verified))
            .put("ageDays", JsValue::from_f64(r.age_days as f64))
            .put("stale", JsValue::from_bool(r.stale))
            .done()
    })
}
