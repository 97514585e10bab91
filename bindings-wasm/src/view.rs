//! The current step as a plain JS object, built field by field, with the pack's texts turned
//! into JS strings once and reused.
//!
//! `Session.step()` was a serde-wasm-bindgen serialisation of the core's [`Step`]: every
//! string of the view decoded from UTF-8 into a new JS string on every call (Khmer prompts and
//! options: most of a step's cost), and every field set through the generic serialiser. Here
//! the object is built directly (same shape: the core's field names, `kind` and `type` tags,
//! `null` for absent values, tuples as arrays), with:
//!
//! - [`Strings`]: the JS string of each of the pack's texts and ids, made at its first use and
//!   kept (in a hash table keyed by address and length), shared by the `Pack` and every
//!   session started from it. Strings inside the pack's text table (one buffer that lives,
//!   unchanged, as long as the pack) and `'static` names are known by their address alone;
//!   any other string (the pack's ids) is kept with its bytes, compared at every hit, so a
//!   kept string can never stand for other bytes.
//! - the property names made once per pack ([`Keys`]).

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::ops::Range;

use js_sys::{Array, Object};
use kru_core::pack::Date;
use kru_core::record::ScorePair;
use kru_core::session::step::{BlockView, Label, ResourceView, Step};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// A plain object being filled.
    #[wasm_bindgen(extends = Object)]
    type Plain;
    /// `this[key] = value` (a plain assignment: no `Reflect`, no exception handling).
    #[wasm_bindgen(method, indexing_setter)]
    fn set(this: &Plain, key: &JsValue, value: &JsValue);
}

/// A new empty plain object.
fn plain() -> Plain {
    Object::new().unchecked_into()
}

/// The property names of the step objects, in the order of the constants below.
const NAMES: [&str; 61] = [
    "kind",
    "type",
    "text",
    "audio",
    "field",
    "label",
    "options",
    "required",
    "phase",
    "lesson",
    "title",
    "page",
    "pages",
    "blocks",
    "entries",
    "objective",
    "summary",
    "src",
    "alt",
    "story",
    "id",
    "name",
    "phone",
    "hours",
    "purpose",
    "verified",
    "year",
    "month",
    "day",
    "node",
    "image",
    "choices",
    "consequence",
    "ending",
    "phase_kind",
    "item",
    "item_kind",
    "expects",
    "number",
    "total",
    "prompt",
    "left",
    "review",
    "correct",
    "credit",
    "message",
    "explanation",
    "right_answer",
    "right_bool",
    "score",
    "max",
    "messages",
    "resources",
    "footer",
    "pre",
    "post",
    "gain",
    "absolute",
    "normalised",
    "dont_know",
    "synthetic",
];

const KIND: usize = 0;
const TY: usize = 1;
const TEXT: usize = 2;
const AUDIO: usize = 3;
const FIELD: usize = 4;
const LABEL: usize = 5;
const OPTIONS: usize = 6;
const REQUIRED: usize = 7;
const PHASE: usize = 8;
const LESSON: usize = 9;
const TITLE: usize = 10;
const PAGE: usize = 11;
const PAGES: usize = 12;
const BLOCKS: usize = 13;
const ENTRIES: usize = 14;
const OBJECTIVE: usize = 15;
const SUMMARY: usize = 16;
const SRC: usize = 17;
const ALT: usize = 18;
const STORY: usize = 19;
const ID: usize = 20;
const NAME: usize = 21;
const PHONE: usize = 22;
const HOURS: usize = 23;
const PURPOSE: usize = 24;
const VERIFIED: usize = 25;
const YEAR: usize = 26;
const MONTH: usize = 27;
const DAY: usize = 28;
const NODE: usize = 29;
const IMAGE: usize = 30;
const CHOICES: usize = 31;
const CONSEQUENCE: usize = 32;
const ENDING: usize = 33;
const PHASE_KIND: usize = 34;
const ITEM: usize = 35;
const ITEM_KIND: usize = 36;
const EXPECTS: usize = 37;
const NUMBER: usize = 38;
const TOTAL: usize = 39;
const PROMPT: usize = 40;
const LEFT: usize = 41;
const REVIEW: usize = 42;
const CORRECT: usize = 43;
const CREDIT: usize = 44;
const MESSAGE: usize = 45;
const EXPLANATION: usize = 46;
const RIGHT_ANSWER: usize = 47;
const RIGHT_BOOL: usize = 48;
const SCORE: usize = 49;
const MAX: usize = 50;
const MESSAGES: usize = 51;
const RESOURCES: usize = 52;
const FOOTER: usize = 53;
const PRE: usize = 54;
const POST: usize = 55;
const GAIN: usize = 56;
const ABSOLUTE: usize = 57;
const NORMALISED: usize = 58;
const DONT_KNOW: usize = 59;
const SYNTHETIC: usize = 60;

/// The property names of the step objects, as JS strings (index with the constants above).
type Keys = [JsValue; NAMES.len()];

fn keys() -> Keys {
    core::array::from_fn(|i| JsValue::from_str(NAMES.get(i).copied().unwrap_or_default()))
}

/// The [`Strings`] of one pack, shared by the `Pack` and its sessions, made at the first step.
pub type SharedStrings = Rc<RefCell<Option<Strings>>>;

/// The current step of `session` as a plain object, with `strings` (of the session's pack).
pub fn step_to_js(strings: &SharedStrings, session: &kru_core::Session) -> JsValue {
    let mut strings = strings.borrow_mut();
    strings
        .get_or_insert_with(|| Strings::new(session.pack()))
        .step(&session.step())
}

/// JS strings of one pack's texts and of the step objects' names, made once and reused (see
/// the module's documentation). Lives as long as the pack: the `Pack` and its sessions share
/// one.
pub struct Strings {
    cache: Cache,
    keys: Keys,
}

/// The kept strings: an open-addressing hash table (linear probing, at most half full)
/// keyed by a string's address and length. A hit costs a multiplication and a comparison or
/// two; the sorted `Vec` it replaces cost a binary search over every string made so far.
struct Cache {
    /// Addresses of the pack's text table: strings inside it never change while it lives.
    table: Range<usize>,
    /// `1 << bits` slots (none before the first string).
    slots: Vec<Option<Slot>>,
    /// log2 of the number of slots.
    bits: u32,
    /// Slots in use.
    used: usize,
    /// `null`, for absent strings.
    null: JsValue,
}

/// One kept string.
struct Slot {
    at: usize,
    len: usize,
    /// The string's bytes when it is neither in the pack's text table nor `'static` (the
    /// pack's ids): a hit compares them, so that other bytes at the same address (which the
    /// view's borrows make impossible today) would get a new JS string, never a wrong one.
    bytes: Option<Box<str>>,
    js: JsValue,
}

/// Where a string of `len` bytes at `at` starts its probe, among `1 << bits` slots
/// (Fibonacci hashing: the high bits of the product).
fn home(at: usize, len: usize, bits: u32) -> usize {
    let h = (at as u32)
        .wrapping_add((len as u32).rotate_left(16))
        .wrapping_mul(0x9E37_79B9);
    h.checked_shr(32 - bits).unwrap_or(0) as usize
}

impl Strings {
    /// An empty cache for the texts of `pack`.
    pub fn new(pack: &kru_core::Pack) -> Self {
        let buffer = pack.meta.title.table_buffer();
        let start = buffer.as_ptr() as usize;
        Strings {
            cache: Cache {
                table: start..start + buffer.len(),
                slots: Vec::new(),
                bits: 0,
                used: 0,
                null: JsValue::NULL,
            },
            keys: keys(),
        }
    }

    /// The step as the plain object documented in `types.d.ts` (`Step`).
    pub fn step(&mut self, step: &Step) -> JsValue {
        self.cache.step(&self.keys, step)
    }
}

impl Cache {
    /// The slot of `s` (`at`, `len`), or the free slot where it goes.
    fn probe(&self, at: usize, len: usize) -> usize {
        let mask = (1usize << self.bits) - 1;
        let mut i = home(at, len, self.bits);
        while let Some(Some(slot)) = self.slots.get(i) {
            if slot.at == at && slot.len == len {
                break;
            }
            i = (i + 1) & mask;
        }
        i
    }

    /// Doubles the slots (64 at first) and puts every kept string in its new place.
    #[inline(never)]
    fn grow(&mut self) {
        self.bits = if self.bits == 0 { 6 } else { self.bits + 1 };
        let old = core::mem::take(&mut self.slots);
        self.slots.resize_with(1 << self.bits, || None);
        for slot in old.into_iter().flatten() {
            let i = self.probe(slot.at, slot.len);
            if let Some(free) = self.slots.get_mut(i) {
                *free = Some(slot);
            }
        }
    }

    /// `s` as a JS string, kept for the next time. `stable`: `s` is in the pack's text table
    /// or `'static`, so its address alone identifies it.
    #[inline(never)]
    fn kept(&mut self, s: &str, stable: bool) -> &JsValue {
        if (self.used + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let (at, len) = (s.as_ptr() as usize, s.len());
        let i = self.probe(at, len);
        let Some(entry) = self.slots.get_mut(i) else {
            // `probe` returns an index below the number of slots, which is never 0 here.
            debug_assert!(false, "a probe outside the slots");
            return &self.null;
        };
        match entry {
            Some(slot) if slot.bytes.as_deref().is_none_or(|b| b == s) => {}
            Some(slot) => {
                slot.bytes = Some(s.into());
                slot.js = JsValue::from_str(s);
            }
            None => {
                self.used += 1;
                *entry = Some(Slot {
                    at,
                    len,
                    bytes: (!stable).then(|| s.into()),
                    js: JsValue::from_str(s),
                });
            }
        }
        entry.as_ref().map_or(&self.null, |slot| &slot.js)
    }

    /// A string of the view (a text of the pack, one of its ids, or empty), kept.
    #[inline(never)]
    fn text(&mut self, s: &str) -> &JsValue {
        let at = s.as_ptr() as usize;
        if s.is_empty() {
            self.kept("", true)
        } else {
            let stable = at >= self.table.start && at + s.len() <= self.table.end;
            self.kept(s, stable)
        }
    }

    /// A `'static` name (a kind, a tag): its bytes never change, so it is always kept.
    #[inline(never)]
    fn name(&mut self, s: &'static str) -> &JsValue {
        self.kept(s, true)
    }

    #[inline(never)]
    fn opt_text(&mut self, s: Option<&str>) -> &JsValue {
        match s {
            Some(s) => self.text(s),
            None => &self.null,
        }
    }

    /// `{ text, audio }`.
    #[inline(never)]
    fn label(&mut self, k: &Keys, l: &Label) -> JsValue {
        let o = plain();
        put(k, &o, TEXT, self.text(l.text));
        let audio = self.opt_text(l.audio);
        put(k, &o, AUDIO, audio);
        // Present only when true, as in the serde form (`synthetic?: true`).
        if l.synthetic {
            put(k, &o, SYNTHETIC, &JsValue::TRUE);
        }
        o.into()
    }

    #[inline(never)]
    fn labels(&mut self, k: &Keys, ls: &[Label]) -> JsValue {
        let a = Array::new();
        for l in ls.iter() {
            a.push(&self.label(k, l));
        }
        a.into()
    }

    /// An object whose first property is `tag_key: tag`.
    #[inline(never)]
    fn tagged(&mut self, tag_key: &JsValue, tag: &'static str) -> Plain {
        let o = plain();
        o.set(tag_key, self.name(tag));
        o
    }

    #[inline(never)]
    fn date(&self, k: &Keys, d: Date) -> JsValue {
        let o = plain();
        put(k, &o, YEAR, &num(d.year));
        put(k, &o, MONTH, &num(d.month));
        put(k, &o, DAY, &num(d.day));
        o.into()
    }

    #[inline(never)]
    fn resource_fields(&mut self, k: &Keys, o: &Plain, r: &ResourceView) {
        put(k, o, ID, self.text(r.id));
        put(k, o, NAME, &self.label(k, &r.name));
        put(k, o, PHONE, self.text(r.phone));
        put(k, o, HOURS, &self.label(k, &r.hours));
        put(k, o, PURPOSE, &self.label(k, &r.purpose));
        put(k, o, VERIFIED, &self.date(k, r.verified));
    }

    #[inline(never)]
    fn block(&mut self, k: &Keys, b: &BlockView) -> JsValue {
        let o = match b {
            BlockView::Heading { text } => {
                let o = self.tagged(&k[TY], "heading");
                put(k, &o, TEXT, &self.label(k, text));
                o
            }
            BlockView::Paragraph { text } => {
                let o = self.tagged(&k[TY], "paragraph");
                put(k, &o, TEXT, &self.label(k, text));
                o
            }
            BlockView::List { entries } => {
                let o = self.tagged(&k[TY], "list");
                put(k, &o, ENTRIES, &self.labels(k, entries));
                o
            }
            BlockView::Emphasis { text } => {
                let o = self.tagged(&k[TY], "emphasis");
                put(k, &o, TEXT, &self.label(k, text));
                o
            }
            BlockView::KeyMessage {
                objective,
                title,
                summary,
            } => {
                let o = self.tagged(&k[TY], "key-message");
                put(k, &o, OBJECTIVE, self.text(objective));
                put(k, &o, TITLE, &self.label(k, title));
                put(k, &o, SUMMARY, &self.label(k, summary));
                o
            }
            BlockView::Image { src, alt } => {
                let o = self.tagged(&k[TY], "image");
                put(k, &o, SRC, self.text(src));
                put(k, &o, ALT, &self.label(k, alt));
                o
            }
            BlockView::Story { story, title } => {
                let o = self.tagged(&k[TY], "story");
                put(k, &o, STORY, self.text(story));
                put(k, &o, TITLE, &self.label(k, title));
                o
            }
            BlockView::Resource(r) => {
                let o = self.tagged(&k[TY], "resource");
                self.resource_fields(k, &o, r);
                o
            }
        };
        o.into()
    }

    #[inline(never)]
    fn score_pair(&self, k: &Keys, p: Option<ScorePair>) -> JsValue {
        p.map_or(JsValue::NULL, |p| {
            let o = plain();
            put(k, &o, SCORE, &JsValue::from_f64(p.score));
            put(k, &o, MAX, &JsValue::from_f64(p.max));
            o.into()
        })
    }

    fn step(&mut self, k: &Keys, step: &Step) -> JsValue {
        let o = self.tagged(&k[KIND], step.kind());
        match step {
            Step::Intake(s) => {
                put(k, &o, FIELD, self.text(s.field));
                put(k, &o, LABEL, &self.label(k, &s.label));
                let options = Array::new();
                for (code, label) in s.options.iter() {
                    let pair = Array::new();
                    pair.push(self.text(code));
                    pair.push(&self.label(k, label));
                    options.push(&pair);
                }
                put(k, &o, OPTIONS, &options.into());
                put(k, &o, REQUIRED, &JsValue::from_bool(s.required));
            }
            Step::Page(s) => {
                put(k, &o, PHASE, self.text(s.phase));
                put(k, &o, LESSON, self.text(s.lesson));
                put(k, &o, TITLE, &self.label(k, &s.title));
                put(k, &o, PAGE, &num(s.page as u32));
                put(k, &o, PAGES, &num(s.pages as u32));
                let blocks = Array::new();
                for b in s.blocks.iter() {
                    blocks.push(&self.block(k, b));
                }
                put(k, &o, BLOCKS, &blocks.into());
            }
            Step::Story(s) => {
                put(k, &o, STORY, self.text(s.story));
                put(k, &o, TITLE, &self.label(k, &s.title));
                put(k, &o, NODE, self.text(s.node));
                put(k, &o, TEXT, &self.label(k, &s.text));
                let image = self.opt_text(s.image);
                put(k, &o, IMAGE, image);
                put(k, &o, CHOICES, &self.labels(k, &s.choices));
                let consequence = match &s.consequence {
                    Some((choice, then)) => {
                        let pair = Array::new();
                        pair.push(&self.label(k, choice));
                        pair.push(&self.label(k, then));
                        pair.into()
                    }
                    None => JsValue::NULL,
                };
                put(k, &o, CONSEQUENCE, &consequence);
                let ending = match s.ending {
                    Some(e) => self.name(e),
                    None => &self.null,
                };
                put(k, &o, ENDING, ending);
            }
            Step::Question(s) => {
                put(k, &o, PHASE, self.text(s.phase));
                put(k, &o, PHASE_KIND, self.name(s.phase_kind));
                put(k, &o, ITEM, self.text(s.item));
                put(k, &o, ITEM_KIND, self.name(s.item_kind));
                put(k, &o, EXPECTS, self.name(s.expects));
                put(k, &o, NUMBER, &num(s.number));
                put(k, &o, TOTAL, &num(s.total));
                put(k, &o, PROMPT, &self.label(k, &s.prompt));
                put(k, &o, OPTIONS, &self.labels(k, &s.options));
                put(k, &o, LEFT, &self.labels(k, &s.left));
                put(k, &o, DONT_KNOW, &JsValue::from_bool(s.dont_know));
            }
            Step::Feedback(s) => {
                put(k, &o, ITEM, self.text(s.item));
                put(k, &o, ITEM_KIND, self.name(s.item_kind));
                put(k, &o, PROMPT, &self.label(k, &s.prompt));
                let review = s.review.map_or(JsValue::NULL, |r| {
                    let p = plain();
                    put(k, &p, NUMBER, &num(r.number));
                    put(k, &p, TOTAL, &num(r.total));
                    p.into()
                });
                put(k, &o, REVIEW, &review);
                put(k, &o, CORRECT, &JsValue::from_bool(s.correct));
                put(k, &o, CREDIT, &JsValue::from_f64(f64::from(s.credit)));
                put(k, &o, MESSAGE, &self.label(k, &s.message));
                put(k, &o, EXPLANATION, &self.label(k, &s.explanation));
                put(k, &o, RIGHT_ANSWER, &self.labels(k, &s.right_answer));
                let right = s.right_bool.map_or(JsValue::NULL, JsValue::from_bool);
                put(k, &o, RIGHT_BOOL, &right);
                put(k, &o, DONT_KNOW, &JsValue::from_bool(s.dont_know));
            }
            Step::PhaseSummary(s) => {
                put(k, &o, PHASE, self.text(s.phase));
                put(k, &o, PHASE_KIND, self.name(s.phase_kind));
                put(k, &o, TITLE, &self.label(k, &s.title));
                put(k, &o, SCORE, &JsValue::from_f64(s.score));
                put(k, &o, MAX, &JsValue::from_f64(s.max));
                put(k, &o, CORRECT, &num(s.correct));
            }
            Step::Card(s) => {
                put(k, &o, TITLE, &self.label(k, &s.title));
                let messages = Array::new();
                for (objective, title, summary) in s.messages.iter() {
                    let m = Array::new();
                    m.push(self.text(objective));
                    m.push(&self.label(k, title));
                    m.push(&self.label(k, summary));
                    messages.push(&m);
                }
                put(k, &o, MESSAGES, &messages.into());
                let resources = Array::new();
                for r in s.resources.iter() {
                    let ro = plain();
                    self.resource_fields(k, &ro, r);
                    resources.push(&ro);
                }
                put(k, &o, RESOURCES, &resources.into());
                put(k, &o, FOOTER, &self.label(k, &s.footer));
            }
            Step::Done(s) => {
                put(k, &o, PRE, &self.score_pair(k, s.pre));
                put(k, &o, POST, &self.score_pair(k, s.post));
                let gain = s.gain.map_or(JsValue::NULL, |g| {
                    let p = plain();
                    put(k, &p, ABSOLUTE, &JsValue::from_f64(g.absolute));
                    let n = g.normalised.map_or(JsValue::NULL, JsValue::from_f64);
                    put(k, &p, NORMALISED, &n);
                    p.into()
                });
                put(k, &o, GAIN, &gain);
            }
        }
        o.into()
    }
}

/// `o[NAMES[key]] = value` (one call site for every field, so that the module stays small).
#[inline(never)]
fn put(k: &Keys, o: &Plain, key: usize, value: &JsValue) {
    if let Some(name) = k.get(key) {
        o.set(name, value);
    }
}

/// `{ done, total }` (`Session.progress()`).
pub fn progress(done: usize, total: usize) -> JsValue {
    let o = plain();
    o.set(&JsValue::from_str("done"), &JsValue::from_f64(done as f64));
    o.set(
        &JsValue::from_str("total"),
        &JsValue::from_f64(total as f64),
    );
    o.into()
}

/// A whole number as a JS number.
fn num(n: impl Into<u32>) -> JsValue {
    JsValue::from_f64(f64::from(n.into()))
}
