//! The current step as a plain JS object, built field by field, with the pack's texts turned
//! into JS strings once and reused.
//!
//! `Session.step()` was a serde-wasm-bindgen serialisation of the core's [`Step`]: every
//! string of the view decoded from UTF-8 into a new JS string on every call (Khmer prompts and
//! options: most of a step's cost), and every field set through the generic serialiser. Here
//! the object is built directly (same shape: the core's field names, `kind` and `type` tags,
//! `null` for absent values, tuples as arrays), with:
//!
//! - [`Strings`]: the JS string of each of the pack's texts, made at its first use and kept,
//!   shared by the `Pack` and every session started from it. Only strings inside the pack's
//!   text table (one buffer that lives, unchanged, as long as the pack) and `'static` names are
//!   kept, by address and length: a string from anywhere else is converted every time, so a
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

/// The kept strings.
struct Cache {
    /// Addresses of the pack's text table: strings inside it never change while it lives.
    table: Range<usize>,
    /// (address, length) and the JS string, sorted by address and length (a sorted `Vec`
    /// costs the module less code than a `BTreeMap`; each string is inserted once).
    map: Vec<((usize, usize), JsValue)>,
}

impl Strings {
    /// An empty cache for the texts of `pack`.
    pub fn new(pack: &kru_core::Pack) -> Self {
        let buffer = pack.meta.title.table_buffer();
        let start = buffer.as_ptr() as usize;
        Strings {
            cache: Cache {
                table: start..start + buffer.len(),
                map: Vec::new(),
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
    /// `s` as a JS string, kept for the next time.
    #[inline(never)]
    fn kept(&mut self, key: (usize, usize), s: &str) -> JsValue {
        match self.map.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(at) => self
                .map
                .get(at)
                .map_or(JsValue::UNDEFINED, |(_, v)| v.clone()),
            Err(at) => {
                let v = JsValue::from_str(s);
                self.map.insert(at, (key, v.clone()));
                v
            }
        }
    }

    /// A string of the view: kept when it is one of the pack's texts (or empty), else new.
    #[inline(never)]
    fn text(&mut self, s: &str) -> JsValue {
        let at = s.as_ptr() as usize;
        if s.is_empty() {
            self.kept((0, 0), "")
        } else if at >= self.table.start && at + s.len() <= self.table.end {
            self.kept((at, s.len()), s)
        } else {
            JsValue::from_str(s)
        }
    }

    /// A `'static` name (a kind, a tag): its bytes never change, so it is always kept.
    #[inline(never)]
    fn name(&mut self, s: &'static str) -> JsValue {
        self.kept((s.as_ptr() as usize, s.len()), s)
    }

    #[inline(never)]
    fn opt_text(&mut self, s: Option<&str>) -> JsValue {
        s.map_or(JsValue::NULL, |s| self.text(s))
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
            put(k, &o, SYNTHETIC, JsValue::TRUE);
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
        o.set(tag_key, &self.name(tag));
        o
    }

    #[inline(never)]
    fn date(&self, k: &Keys, d: Date) -> JsValue {
        let o = plain();
        put(k, &o, YEAR, num(d.year));
        put(k, &o, MONTH, num(d.month));
        put(k, &o, DAY, num(d.day));
        o.into()
    }

    #[inline(never)]
    fn resource_fields(&mut self, k: &Keys, o: &Plain, r: &ResourceView) {
        put(k, o, ID, self.text(r.id));
        put(k, o, NAME, self.label(k, &r.name));
        put(k, o, PHONE, self.text(r.phone));
        put(k, o, HOURS, self.label(k, &r.hours));
        put(k, o, PURPOSE, self.label(k, &r.purpose));
        put(k, o, VERIFIED, self.date(k, r.verified));
    }

    #[inline(never)]
    fn block(&mut self, k: &Keys, b: &BlockView) -> JsValue {
        let o = match b {
            BlockView::Heading { text } => {
                let o = self.tagged(&k[TY], "heading");
                put(k, &o, TEXT, self.label(k, text));
                o
            }
            BlockView::Paragraph { text } => {
                let o = self.tagged(&k[TY], "paragraph");
                put(k, &o, TEXT, self.label(k, text));
                o
            }
            BlockView::List { entries } => {
                let o = self.tagged(&k[TY], "list");
                put(k, &o, ENTRIES, self.labels(k, entries));
                o
            }
            BlockView::Emphasis { text } => {
                let o = self.tagged(&k[TY], "emphasis");
                put(k, &o, TEXT, self.label(k, text));
                o
            }
            BlockView::KeyMessage {
                objective,
                title,
                summary,
            } => {
                let o = self.tagged(&k[TY], "key-message");
                put(k, &o, OBJECTIVE, self.text(objective));
                put(k, &o, TITLE, self.label(k, title));
                put(k, &o, SUMMARY, self.label(k, summary));
                o
            }
            BlockView::Image { src, alt } => {
                let o = self.tagged(&k[TY], "image");
                put(k, &o, SRC, self.text(src));
                put(k, &o, ALT, self.label(k, alt));
                o
            }
            BlockView::Story { story, title } => {
                let o = self.tagged(&k[TY], "story");
                put(k, &o, STORY, self.text(story));
                put(k, &o, TITLE, self.label(k, title));
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
            put(k, &o, SCORE, JsValue::from_f64(p.score));
            put(k, &o, MAX, JsValue::from_f64(p.max));
            o.into()
        })
    }

    fn step(&mut self, k: &Keys, step: &Step) -> JsValue {
        let o = self.tagged(&k[KIND], step.kind());
        match step {
            Step::Intake(s) => {
                put(k, &o, FIELD, self.text(s.field));
                put(k, &o, LABEL, self.label(k, &s.label));
                let options = Array::new();
                for (code, label) in s.options.iter() {
                    let pair = Array::new();
                    pair.push(&self.text(code));
                    pair.push(&self.label(k, label));
                    options.push(&pair);
                }
                put(k, &o, OPTIONS, options.into());
                put(k, &o, REQUIRED, JsValue::from_bool(s.required));
            }
            Step::Page(s) => {
                put(k, &o, PHASE, self.text(s.phase));
                put(k, &o, LESSON, self.text(s.lesson));
                put(k, &o, TITLE, self.label(k, &s.title));
                put(k, &o, PAGE, num(s.page as u32));
                put(k, &o, PAGES, num(s.pages as u32));
                let blocks = Array::new();
                for b in s.blocks.iter() {
                    blocks.push(&self.block(k, b));
                }
                put(k, &o, BLOCKS, blocks.into());
            }
            Step::Story(s) => {
                put(k, &o, STORY, self.text(s.story));
                put(k, &o, TITLE, self.label(k, &s.title));
                put(k, &o, NODE, self.text(s.node));
                put(k, &o, TEXT, self.label(k, &s.text));
                let image = self.opt_text(s.image);
                put(k, &o, IMAGE, image);
                put(k, &o, CHOICES, self.labels(k, &s.choices));
                let consequence = match &s.consequence {
                    Some((choice, then)) => {
                        let pair = Array::new();
                        pair.push(&self.label(k, choice));
                        pair.push(&self.label(k, then));
                        pair.into()
                    }
                    None => JsValue::NULL,
                };
                put(k, &o, CONSEQUENCE, consequence);
                let ending = s.ending.map_or(JsValue::NULL, |e| self.name(e));
                put(k, &o, ENDING, ending);
            }
            Step::Question(s) => {
                put(k, &o, PHASE, self.text(s.phase));
                put(k, &o, PHASE_KIND, self.name(s.phase_kind));
                put(k, &o, ITEM, self.text(s.item));
                put(k, &o, ITEM_KIND, self.name(s.item_kind));
                put(k, &o, EXPECTS, self.name(s.expects));
                put(k, &o, NUMBER, num(s.number));
                put(k, &o, TOTAL, num(s.total));
                put(k, &o, PROMPT, self.label(k, &s.prompt));
                put(k, &o, OPTIONS, self.labels(k, &s.options));
                put(k, &o, LEFT, self.labels(k, &s.left));
                put(k, &o, DONT_KNOW, JsValue::from_bool(s.dont_know));
            }
            Step::Feedback(s) => {
                put(k, &o, ITEM, self.text(s.item));
                put(k, &o, ITEM_KIND, self.name(s.item_kind));
                put(k, &o, PROMPT, self.label(k, &s.prompt));
                let review = s.review.map_or(JsValue::NULL, |r| {
                    let p = plain();
                    put(k, &p, NUMBER, num(r.number));
                    put(k, &p, TOTAL, num(r.total));
                    p.into()
                });
                put(k, &o, REVIEW, review);
                put(k, &o, CORRECT, JsValue::from_bool(s.correct));
                put(k, &o, CREDIT, JsValue::from_f64(f64::from(s.credit)));
                put(k, &o, MESSAGE, self.label(k, &s.message));
                put(k, &o, EXPLANATION, self.label(k, &s.explanation));
                put(k, &o, RIGHT_ANSWER, self.labels(k, &s.right_answer));
                let right = s.right_bool.map_or(JsValue::NULL, JsValue::from_bool);
                put(k, &o, RIGHT_BOOL, right);
                put(k, &o, DONT_KNOW, JsValue::from_bool(s.dont_know));
            }
            Step::PhaseSummary(s) => {
                put(k, &o, PHASE, self.text(s.phase));
                put(k, &o, PHASE_KIND, self.name(s.phase_kind));
                put(k, &o, TITLE, self.label(k, &s.title));
                put(k, &o, SCORE, JsValue::from_f64(s.score));
                put(k, &o, MAX, JsValue::from_f64(s.max));
                put(k, &o, CORRECT, num(s.correct));
            }
            Step::Card(s) => {
                put(k, &o, TITLE, self.label(k, &s.title));
                let messages = Array::new();
                for (objective, title, summary) in s.messages.iter() {
                    let m = Array::new();
                    m.push(&self.text(objective));
                    m.push(&self.label(k, title));
                    m.push(&self.label(k, summary));
                    messages.push(&m);
                }
                put(k, &o, MESSAGES, messages.into());
                let resources = Array::new();
                for r in s.resources.iter() {
                    let ro = plain();
                    self.resource_fields(k, &ro, r);
                    resources.push(&ro);
                }
                put(k, &o, RESOURCES, resources.into());
                put(k, &o, FOOTER, self.label(k, &s.footer));
            }
            Step::Done(s) => {
                put(k, &o, PRE, self.score_pair(k, s.pre));
                put(k, &o, POST, self.score_pair(k, s.post));
                let gain = s.gain.map_or(JsValue::NULL, |g| {
                    let p = plain();
                    put(k, &p, ABSOLUTE, JsValue::from_f64(g.absolute));
                    let n = g.normalised.map_or(JsValue::NULL, JsValue::from_f64);
                    put(k, &p, NORMALISED, n);
                    p.into()
                });
                put(k, &o, GAIN, gain);
            }
        }
        o.into()
    }
}

/// `o[NAMES[key]] = value` (one call site for every field, so that the module stays small).
#[inline(never)]
fn put(k: &Keys, o: &Plain, key: usize, value: JsValue) {
    if let Some(name) = k.get(key) {
        o.set(name, &value);
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
