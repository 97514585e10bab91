//! Result records and pack information as plain JS objects, built by hand.
//!
//! `finish()`, `abandon()` and the pack's `journeys()`, `languages()`, `resources()` (and in
//! the full module `coverage()`, `staleResources()`) return the core's values in the shape of
//! their serde form (`types.d.ts`: the core's field names, enum variants by name, `null` for
//! absent values, tuples as arrays; in a record, the 64-bit `seed`, `started_at` and
//! `ended_at` as `BigInt`s). They used to go through serde-wasm-bindgen; building them here,
//! with one property setter, takes serde-wasm-bindgen and every `Serialize` instance it needed
//! out of the main module (docs/performance.md, "Issue 18, third round"). The wasm-bindgen
//! tests compare every object with the core's serde form, so a field added in the core and not
//! here fails there.

use js_sys::{Array, Object, Uint8Array};
#[cfg(feature = "analysis")]
use kru_core::pack::catalogue::Coverage;
use kru_core::pack::catalogue::{JourneySummary, LanguageSummary, ResourceSummary};
use kru_core::pack::item::Answer;
use kru_core::pack::journey::PhaseKind;
use kru_core::pack::Date;
use kru_core::record::{ResponseRecord, StoryChoiceRecord};
use kru_core::ResultRecord;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

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

/// A result record (`ResultRecord` in `types.d.ts`) with its results-log frame as `bytes`.
pub fn record(r: &ResultRecord, frame: &[u8]) -> JsValue {
    let v = r.pack_version;
    let version = Fields::new()
        .put("major", num(v.major))
        .put("minor", num(v.minor))
        .put("patch", num(v.patch))
        .done();
    Fields::new()
        .put("record_id", list(r.record_id, num))
        .put("learner", text(&r.learner))
        .put("pack_id", text(&r.pack_id))
        .put("pack_version", version)
        .put("journey", text(&r.journey))
        .put("language", text(&r.language))
        .put("seed", JsValue::from(r.seed))
        .put("forms", list(&r.forms, |f| text(f)))
        .put("started_at", JsValue::from(r.started_at))
        .put("ended_at", JsValue::from(r.ended_at))
        .put("completed", JsValue::from_bool(r.completed))
        .put(
            "demographics",
            list(&r.demographics, |(k, v)| list([k, v], |s| text(s))),
        )
        .put("responses", list(&r.responses, response))
        .put("story_path", list(&r.story_path, story_choice))
        .put("bytes", Uint8Array::from(frame).into())
        .done()
}

/// One answered question (`ResponseRecord`).
fn response(r: &ResponseRecord) -> JsValue {
    Fields::new()
        .put("phase", num(r.phase))
        .put("phase_kind", text(phase_kind(r.phase_kind)))
        .put("item", num(r.item))
        .put("answer", answer(&r.answer))
        .put("credit", num(r.credit.to_f64()))
        .put("correct", JsValue::from_bool(r.correct))
        .put("at_offset_ms", num(r.at_offset_ms))
        .done()
}

/// A story choice (`StoryChoiceRecord`).
fn story_choice(c: &StoryChoiceRecord) -> JsValue {
    Fields::new()
        .put("story", num(c.story))
        .put("node", num(c.node))
        .put("choice", num(c.choice))
        .done()
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
fn answer(a: &Answer) -> JsValue {
    let indices = |v: &[u16]| list(v, |i| num(*i));
    let (variant, value) = match a {
        Answer::Choice(i) => ("Choice", num(*i)),
        Answer::Choices(v) => ("Choices", indices(v)),
        Answer::TrueFalse(b) => ("TrueFalse", JsValue::from_bool(*b)),
        Answer::Order(v) => ("Order", indices(v)),
        Answer::Matches(v) => ("Matches", indices(v)),
        Answer::Text(s) => ("Text", text(s)),
        Answer::Scale(i) => ("Scale", num(*i)),
        Answer::DontKnow => return text("DontKnow"),
    };
    Fields::new().put(variant, value).done()
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
