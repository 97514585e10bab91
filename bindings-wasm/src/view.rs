//! The current step as a plain JS object, described in WebAssembly memory and built by one
//! JS call, with the pack's texts turned into JS strings once and reused.
//!
//! `Session.step()` was a serde-wasm-bindgen serialisation of the core's [`Step`], then an
//! object built property by property from Rust (a call into JS per property, per array
//! element, per new object: 37–42 calls a step in the school journey, and a `TextDecoder`
//! call per string the first time it was shown). Now (issue 18, fifth round) a step is
//! written on a tape (`Tape`) — opcodes, numbers, property-name indices and string handles as
//! `f64`s, plus the UTF-16 text of the strings JS has not seen yet — and `view.js` (inlined
//! into the package's glue) builds the object from it in **one call**: same shape as the
//! core's serde form (the core's field names, `kind` and `type` tags, `null` for absent
//! values, tuples as arrays; a test compares them at every step of whole journeys).
//!
//! - [`Strings`]: the handle of each of the pack's texts and ids whose JS string has been
//!   made (a hash table keyed by address and length), shared by the `Pack` and every session
//!   started from it; JS keeps the strings in an array indexed by handle. Strings inside the
//!   pack's text table (one buffer that lives, unchanged, as long as the pack) and `'static`
//!   names are known by their address alone; any other string (the pack's ids) is kept with
//!   its bytes, compared at every hit, so a kept string can never stand for other bytes.
//! - New strings cross as UTF-16 (`encode_utf16` in Rust, one `TextDecoder("utf-16le")` call
//!   per step in JS, then a slice per string): in Node 20 decoding UTF-8 Khmer costs about
//!   6× more per character than copying UTF-16.
//! - Result records ([`crate::plain::record`]) and `progress()` are written on a tape too,
//!   without kept strings (a record of a whole journey was ≈ 900 calls into JS).

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::ops::Range;

use js_sys::Array;
use kru_core::pack::Date;
use kru_core::record::ScorePair;
use kru_core::session::step::{BlockView, Label, ResourceView, Step};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen(module = "/src/view.js")]
extern "C" {
    /// The value the tape at byte `tape` of `memory` describes (see [`Tape`]), `kept` the
    /// pack's JS strings by handle and the bytes `text..text_end` the UTF-16 text of the
    /// strings new on this tape. Addresses rather than slices: no typed-array view is made
    /// per call.
    #[wasm_bindgen(js_name = kruBuild)]
    fn build(
        kept: &JsValue,
        memory: &JsValue,
        tape: usize,
        text: usize,
        text_end: usize,
    ) -> JsValue;
}

// The property names of the step objects: indices into `KRU_KEYS` of `view.js`.
pub(crate) const KIND: usize = 0;
pub(crate) const TY: usize = 1;
pub(crate) const TEXT: usize = 2;
pub(crate) const AUDIO: usize = 3;
pub(crate) const FIELD: usize = 4;
pub(crate) const LABEL: usize = 5;
pub(crate) const OPTIONS: usize = 6;
pub(crate) const REQUIRED: usize = 7;
pub(crate) const PHASE: usize = 8;
pub(crate) const LESSON: usize = 9;
pub(crate) const TITLE: usize = 10;
pub(crate) const PAGE: usize = 11;
pub(crate) const PAGES: usize = 12;
pub(crate) const BLOCKS: usize = 13;
pub(crate) const ENTRIES: usize = 14;
pub(crate) const OBJECTIVE: usize = 15;
pub(crate) const SUMMARY: usize = 16;
pub(crate) const SRC: usize = 17;
pub(crate) const ALT: usize = 18;
pub(crate) const STORY: usize = 19;
pub(crate) const ID: usize = 20;
pub(crate) const NAME: usize = 21;
pub(crate) const PHONE: usize = 22;
pub(crate) const HOURS: usize = 23;
pub(crate) const PURPOSE: usize = 24;
pub(crate) const VERIFIED: usize = 25;
pub(crate) const YEAR: usize = 26;
pub(crate) const MONTH: usize = 27;
pub(crate) const DAY: usize = 28;
pub(crate) const NODE: usize = 29;
pub(crate) const IMAGE: usize = 30;
pub(crate) const CHOICES: usize = 31;
pub(crate) const CONSEQUENCE: usize = 32;
pub(crate) const ENDING: usize = 33;
pub(crate) const PHASE_KIND: usize = 34;
pub(crate) const ITEM: usize = 35;
pub(crate) const ITEM_KIND: usize = 36;
pub(crate) const EXPECTS: usize = 37;
pub(crate) const NUMBER: usize = 38;
pub(crate) const TOTAL: usize = 39;
pub(crate) const PROMPT: usize = 40;
pub(crate) const LEFT: usize = 41;
pub(crate) const REVIEW: usize = 42;
pub(crate) const CORRECT: usize = 43;
pub(crate) const CREDIT: usize = 44;
pub(crate) const MESSAGE: usize = 45;
pub(crate) const EXPLANATION: usize = 46;
pub(crate) const RIGHT_ANSWER: usize = 47;
pub(crate) const RIGHT_BOOL: usize = 48;
pub(crate) const SCORE: usize = 49;
pub(crate) const MAX: usize = 50;
pub(crate) const MESSAGES: usize = 51;
pub(crate) const RESOURCES: usize = 52;
pub(crate) const FOOTER: usize = 53;
pub(crate) const PRE: usize = 54;
pub(crate) const POST: usize = 55;
pub(crate) const GAIN: usize = 56;
pub(crate) const ABSOLUTE: usize = 57;
pub(crate) const NORMALISED: usize = 58;
pub(crate) const DONT_KNOW: usize = 59;
pub(crate) const SYNTHETIC: usize = 60;
// Of result records (`plain::record`).
pub(crate) const RECORD_ID: usize = 61;
pub(crate) const LEARNER: usize = 62;
pub(crate) const PACK_ID: usize = 63;
pub(crate) const PACK_VERSION: usize = 64;
pub(crate) const MAJOR: usize = 65;
pub(crate) const MINOR: usize = 66;
pub(crate) const PATCH: usize = 67;
pub(crate) const JOURNEY: usize = 68;
pub(crate) const LANGUAGE: usize = 69;
pub(crate) const SEED: usize = 70;
pub(crate) const FORMS: usize = 71;
pub(crate) const STARTED_AT: usize = 72;
pub(crate) const ENDED_AT: usize = 73;
pub(crate) const COMPLETED: usize = 74;
pub(crate) const DEMOGRAPHICS: usize = 75;
pub(crate) const RESPONSES: usize = 76;
pub(crate) const STORY_PATH: usize = 77;
pub(crate) const BYTES: usize = 78;
pub(crate) const ANSWER: usize = 79;
pub(crate) const AT_OFFSET_MS: usize = 80;
pub(crate) const CHOICE: usize = 81;
pub(crate) const A_CHOICE: usize = 82;
pub(crate) const A_CHOICES: usize = 83;
pub(crate) const A_TRUE_FALSE: usize = 84;
pub(crate) const A_ORDER: usize = 85;
pub(crate) const A_MATCHES: usize = 86;
pub(crate) const A_TEXT: usize = 87;
pub(crate) const A_SCALE: usize = 88;
// Of `progress()`.
const DONE: usize = 89;

/// The [`Strings`] of one pack, shared by the `Pack` and its sessions, made at the first step.
pub type SharedStrings = Rc<RefCell<Option<Strings>>>;

/// The current step of `session` as a plain object, with `strings` (of the session's pack).
pub fn step_to_js(strings: &SharedStrings, session: &kru_core::Session) -> JsValue {
    let mut strings = strings.borrow_mut();
    strings
        .get_or_insert_with(|| Strings::new(session.pack()))
        .step(&session.step())
}

/// What one pack's steps need on both sides of the boundary: the kept strings, the JS array
/// that holds them, and the buffers a step is described in (reused from step to step). Lives
/// as long as the pack: the `Pack` and its sessions share one.
pub struct Strings {
    cache: Cache,
    /// The JS strings by handle (`kept` in `view.js`).
    kept: JsValue,
    /// The step being described (see [`Tape`]).
    tape: Tape,
    /// The module's `WebAssembly.Memory`, where `view.js` reads the tape.
    memory: JsValue,
}

/// A step described for `view.js`: opcodes and operands as `f64`s, and the UTF-16 text of
/// the strings that JS has not seen yet.
#[derive(Default)]
pub(crate) struct Tape {
    values: Vec<f64>,
    utf16: Vec<u16>,
}

/// The opcodes of the tape (`view.js` reads them).
pub(crate) const NULL: f64 = 0.0;
const FALSE: f64 = 1.0;
const TRUE: f64 = 2.0;
const NUM: f64 = 3.0;
const NEW: f64 = 4.0;
pub(crate) const OBJECT: f64 = 5.0;
pub(crate) const ARRAY: f64 = 6.0;
/// `{ text, audio }`, the two values following.
const TEXT_AUDIO: f64 = 7.0;
/// A string of the tape's text that is not kept: UTF-16 units `a..b`.
const FRESH: f64 = 8.0;
/// A `BigInt` from a `u64`: its high and low 32 bits.
const UNSIGNED64: f64 = 9.0;
/// A `BigInt` from an `i64`: its high and low 32 bits (two's complement).
const SIGNED64: f64 = 10.0;
/// A `Uint8Array` copy of the bytes at `ptr` (length `len`).
const COPY: f64 = 11.0;
/// A kept string is its handle plus this.
const KEPT: u32 = 16;
/// Ends an object's fields or an array's values.
pub(crate) const END: f64 = -1.0;

/// The kept strings: an open-addressing hash table (linear probing, at most half full)
/// keyed by a string's address and length, giving the string's handle (its index in the JS
/// array of kept strings). A hit costs a multiplication and a comparison or two.
pub(crate) struct Cache {
    /// Addresses of the pack's text table: strings inside it never change while it lives.
    table: Range<usize>,
    /// `1 << bits` slots (none before the first string).
    slots: Vec<Option<Slot>>,
    /// log2 of the number of slots.
    bits: u32,
    /// Slots in use.
    used: usize,
    /// The next handle.
    next: u32,
}

/// One kept string.
struct Slot {
    at: usize,
    len: usize,
    /// The string's bytes when it is neither in the pack's text table nor `'static` (the
    /// pack's ids): a hit compares them, so that other bytes at the same address (which the
    /// view's borrows make impossible today) would get a new JS string, never a wrong one.
    bytes: Option<Box<str>>,
    handle: u32,
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
                next: 0,
            },
            kept: Array::new().into(),
            tape: Tape::default(),
            memory: wasm_bindgen::memory(),
        }
    }

    /// The step as the plain object documented in `types.d.ts` (`Step`): described on the
    /// tape, then built by `view.js` in one call.
    pub fn step(&mut self, step: &Step) -> JsValue {
        self.tape.values.clear();
        self.tape.utf16.clear();
        Writer {
            cache: Some(&mut self.cache),
            tape: &mut self.tape,
        }
        .step(step);
        self.tape.build(&self.kept, &self.memory)
    }
}

impl Tape {
    /// The value this tape describes, built by `view.js` (`kept`: the JS strings by handle of
    /// the [`Cache`] it was written with, if any).
    pub(crate) fn build(&self, kept: &JsValue, memory: &JsValue) -> JsValue {
        let text = self.utf16.as_ptr() as usize;
        build(
            kept,
            memory,
            self.values.as_ptr() as usize,
            text,
            text + 2 * self.utf16.len(),
        )
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

    /// Doubles the slots (512 at first: a journey's first session keeps several hundred
    /// strings, and each doubling moves them all) and puts every kept string in its new place.
    #[inline(never)]
    fn grow(&mut self) {
        self.bits = if self.bits == 0 { 9 } else { self.bits + 1 };
        let old = core::mem::take(&mut self.slots);
        self.slots.resize_with(1 << self.bits, || None);
        for slot in old.into_iter().flatten() {
            let i = self.probe(slot.at, slot.len);
            if let Some(free) = self.slots.get_mut(i) {
                *free = Some(slot);
            }
        }
    }

    /// The handle of `s` and whether it is new (JS has no string for it yet). `stable`: `s`
    /// is in the pack's text table or `'static`, so its address alone identifies it.
    #[inline(never)]
    fn kept(&mut self, s: &str, stable: bool) -> (u32, bool) {
        if (self.used + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let (at, len) = (s.as_ptr() as usize, s.len());
        let i = self.probe(at, len);
        let handle = self.next;
        let Some(entry) = self.slots.get_mut(i) else {
            // `probe` returns an index below the number of slots, which is never 0 here.
            debug_assert!(false, "a probe outside the slots");
            self.next += 1;
            return (handle, true);
        };
        match entry {
            Some(slot) if slot.bytes.as_deref().is_none_or(|b| b == s) => {
                return (slot.handle, false);
            }
            Some(slot) => {
                slot.bytes = Some(s.into());
                slot.handle = handle;
            }
            None => {
                self.used += 1;
                *entry = Some(Slot {
                    at,
                    len,
                    bytes: (!stable).then(|| s.into()),
                    handle,
                });
            }
        }
        self.next += 1;
        (handle, true)
    }
}

/// Writes a value on a tape: with a [`Cache`] (a step), strings are kept and sent once;
/// without one (a record), every string is sent.
pub(crate) struct Writer<'a> {
    pub(crate) cache: Option<&'a mut Cache>,
    pub(crate) tape: &'a mut Tape,
}

impl Writer<'_> {
    /// An opcode or operand.
    pub(crate) fn op(&mut self, op: f64) {
        self.tape.values.push(op);
    }

    /// The next field's name (an index into `KRU_KEYS` of `view.js`).
    #[inline(never)]
    pub(crate) fn key(&mut self, key: usize) {
        self.op(key as f64);
    }

    /// A number.
    #[inline(never)]
    pub(crate) fn num(&mut self, n: f64) {
        self.tape.values.extend_from_slice(&[NUM, n]);
    }

    /// `true` or `false`.
    pub(crate) fn bool(&mut self, b: bool) {
        self.op(if b { TRUE } else { FALSE });
    }

    /// A `BigInt`: `signed` the 64 bits of an `i64`, else of a `u64`.
    pub(crate) fn big(&mut self, bits: u64, signed: bool) {
        let op = if signed { SIGNED64 } else { UNSIGNED64 };
        let (high, low) = ((bits >> 32) as u32, bits as u32);
        self.tape
            .values
            .extend_from_slice(&[op, f64::from(high), f64::from(low)]);
    }

    /// A `Uint8Array` copy of `bytes` (made during the build, while they live).
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.tape.values.extend_from_slice(&[
            COPY,
            bytes.as_ptr() as usize as f64,
            bytes.len() as f64,
        ]);
    }

    /// `s`'s UTF-16 units `from..to` on the tape's text. Written into room made first (a
    /// string has at most as many UTF-16 units as UTF-8 bytes): `Vec::extend` with
    /// `encode_utf16` checked the capacity at every unit, a fifth of a first step's time.
    fn utf16(&mut self, s: &str) -> (f64, f64) {
        let text = &mut self.tape.utf16;
        let from = text.len();
        text.resize(from + s.len(), 0);
        let mut to = from;
        if let Some(room) = text.get_mut(from..) {
            for (unit, u) in room.iter_mut().zip(s.encode_utf16()) {
                *unit = u;
                to += 1;
            }
        }
        text.truncate(to);
        (from as f64, to as f64)
    }

    /// A string, kept when there is a cache: by handle, with its UTF-16 text the first time.
    #[inline(never)]
    fn string(&mut self, s: &str, stable: bool) {
        let Some(cache) = self.cache.as_deref_mut() else {
            let (from, to) = self.utf16(s);
            self.tape.values.extend_from_slice(&[FRESH, from, to]);
            return;
        };
        let (handle, new) = cache.kept(s, stable);
        if new {
            let (from, to) = self.utf16(s);
            self.tape
                .values
                .extend_from_slice(&[NEW, f64::from(handle), from, to]);
        } else {
            self.op(f64::from(handle.saturating_add(KEPT)));
        }
    }

    /// A string of the view (a text of the pack, one of its ids, or empty), kept; or of a
    /// record.
    #[inline(never)]
    pub(crate) fn text(&mut self, s: &str) {
        let at = s.as_ptr() as usize;
        let stable = s.is_empty()
            || self
                .cache
                .as_deref()
                .is_some_and(|c| at >= c.table.start && at + s.len() <= c.table.end);
        self.string(if s.is_empty() { "" } else { s }, stable);
    }

    /// A `'static` name (a kind, a tag): its bytes never change, so it is always kept.
    #[inline(never)]
    pub(crate) fn name(&mut self, s: &'static str) {
        self.string(s, true);
    }

    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.op(NULL),
        }
    }

    /// `{ text, audio }` (and `synthetic: true` when it is).
    #[inline(never)]
    fn label(&mut self, l: &Label) {
        if l.synthetic {
            // Present only when true, as in the serde form (`synthetic?: true`).
            self.op(OBJECT);
            self.key(TEXT);
            self.text(l.text);
            self.key(AUDIO);
            self.opt_text(l.audio);
            self.key(SYNTHETIC);
            self.op(TRUE);
            self.op(END);
        } else {
            self.op(TEXT_AUDIO);
            self.text(l.text);
            self.opt_text(l.audio);
        }
    }

    #[inline(never)]
    fn labels(&mut self, ls: &[Label]) {
        self.op(ARRAY);
        for l in ls.iter() {
            self.label(l);
        }
        self.op(END);
    }

    /// Opens an object whose first property is `tag_key: tag`.
    #[inline(never)]
    fn tagged(&mut self, tag_key: usize, tag: &'static str) {
        self.op(OBJECT);
        self.key(tag_key);
        self.name(tag);
    }

    #[inline(never)]
    fn date(&mut self, d: Date) {
        self.op(OBJECT);
        self.key(YEAR);
        self.num(f64::from(d.year));
        self.key(MONTH);
        self.num(f64::from(d.month));
        self.key(DAY);
        self.num(f64::from(d.day));
        self.op(END);
    }

    #[inline(never)]
    fn resource_fields(&mut self, r: &ResourceView) {
        self.key(ID);
        self.text(r.id);
        self.key(NAME);
        self.label(&r.name);
        self.key(PHONE);
        self.text(r.phone);
        self.key(HOURS);
        self.label(&r.hours);
        self.key(PURPOSE);
        self.label(&r.purpose);
        self.key(VERIFIED);
        self.date(r.verified);
    }

    #[inline(never)]
    fn block(&mut self, b: &BlockView) {
        match b {
            BlockView::Heading { text } => {
                self.tagged(TY, "heading");
                self.key(TEXT);
                self.label(text);
            }
            BlockView::Paragraph { text } => {
                self.tagged(TY, "paragraph");
                self.key(TEXT);
                self.label(text);
            }
            BlockView::List { entries } => {
                self.tagged(TY, "list");
                self.key(ENTRIES);
                self.labels(entries);
            }
            BlockView::Emphasis { text } => {
                self.tagged(TY, "emphasis");
                self.key(TEXT);
                self.label(text);
            }
            BlockView::KeyMessage {
                objective,
                title,
                summary,
            } => {
                self.tagged(TY, "key-message");
                self.key(OBJECTIVE);
                self.text(objective);
                self.key(TITLE);
                self.label(title);
                self.key(SUMMARY);
                self.label(summary);
            }
            BlockView::Image { src, alt } => {
                self.tagged(TY, "image");
                self.key(SRC);
                self.text(src);
                self.key(ALT);
                self.label(alt);
            }
            BlockView::Story { story, title } => {
                self.tagged(TY, "story");
                self.key(STORY);
                self.text(story);
                self.key(TITLE);
                self.label(title);
            }
            BlockView::Resource(r) => {
                self.tagged(TY, "resource");
                self.resource_fields(r);
            }
        }
        self.op(END);
    }

    #[inline(never)]
    fn score_pair(&mut self, p: Option<ScorePair>) {
        match p {
            Some(p) => {
                self.op(OBJECT);
                self.key(SCORE);
                self.num(p.score);
                self.key(MAX);
                self.num(p.max);
                self.op(END);
            }
            None => self.op(NULL),
        }
    }

    fn step(&mut self, step: &Step) {
        self.tagged(KIND, step.kind());
        match step {
            Step::Intake(s) => {
                self.key(FIELD);
                self.text(s.field);
                self.key(LABEL);
                self.label(&s.label);
                self.key(OPTIONS);
                self.op(ARRAY);
                for (code, label) in s.options.iter() {
                    self.op(ARRAY);
                    self.text(code);
                    self.label(label);
                    self.op(END);
                }
                self.op(END);
                self.key(REQUIRED);
                self.bool(s.required);
            }
            Step::Page(s) => {
                self.key(PHASE);
                self.text(s.phase);
                self.key(LESSON);
                self.text(s.lesson);
                self.key(TITLE);
                self.label(&s.title);
                self.key(PAGE);
                self.num(s.page as f64);
                self.key(PAGES);
                self.num(s.pages as f64);
                self.key(BLOCKS);
                self.op(ARRAY);
                for b in s.blocks.iter() {
                    self.block(b);
                }
                self.op(END);
            }
            Step::Story(s) => {
                self.key(STORY);
                self.text(s.story);
                self.key(TITLE);
                self.label(&s.title);
                self.key(NODE);
                self.text(s.node);
                self.key(TEXT);
                self.label(&s.text);
                self.key(IMAGE);
                self.opt_text(s.image);
                self.key(CHOICES);
                self.labels(&s.choices);
                self.key(CONSEQUENCE);
                match &s.consequence {
                    Some((choice, then)) => {
                        self.op(ARRAY);
                        self.label(choice);
                        self.label(then);
                        self.op(END);
                    }
                    None => self.op(NULL),
                }
                self.key(ENDING);
                match s.ending {
                    Some(e) => self.name(e),
                    None => self.op(NULL),
                }
            }
            Step::Question(s) => {
                self.key(PHASE);
                self.text(s.phase);
                self.key(PHASE_KIND);
                self.name(s.phase_kind);
                self.key(ITEM);
                self.text(s.item);
                self.key(ITEM_KIND);
                self.name(s.item_kind);
                self.key(EXPECTS);
                self.name(s.expects);
                self.key(NUMBER);
                self.num(f64::from(s.number));
                self.key(TOTAL);
                self.num(f64::from(s.total));
                self.key(PROMPT);
                self.label(&s.prompt);
                self.key(OPTIONS);
                self.labels(&s.options);
                self.key(LEFT);
                self.labels(&s.left);
                self.key(DONT_KNOW);
                self.bool(s.dont_know);
            }
            Step::Feedback(s) => {
                self.key(ITEM);
                self.text(s.item);
                self.key(ITEM_KIND);
                self.name(s.item_kind);
                self.key(PROMPT);
                self.label(&s.prompt);
                self.key(REVIEW);
                match s.review {
                    Some(r) => {
                        self.op(OBJECT);
                        self.key(NUMBER);
                        self.num(f64::from(r.number));
                        self.key(TOTAL);
                        self.num(f64::from(r.total));
                        self.op(END);
                    }
                    None => self.op(NULL),
                }
                self.key(CORRECT);
                self.bool(s.correct);
                self.key(CREDIT);
                self.num(f64::from(s.credit));
                self.key(MESSAGE);
                self.label(&s.message);
                self.key(EXPLANATION);
                self.label(&s.explanation);
                self.key(RIGHT_ANSWER);
                self.labels(&s.right_answer);
                self.key(RIGHT_BOOL);
                match s.right_bool {
                    Some(b) => self.bool(b),
                    None => self.op(NULL),
                }
                self.key(DONT_KNOW);
                self.bool(s.dont_know);
            }
            Step::PhaseSummary(s) => {
                self.key(PHASE);
                self.text(s.phase);
                self.key(PHASE_KIND);
                self.name(s.phase_kind);
                self.key(TITLE);
                self.label(&s.title);
                self.key(SCORE);
                self.num(s.score);
                self.key(MAX);
                self.num(s.max);
                self.key(CORRECT);
                self.num(f64::from(s.correct));
            }
            Step::Card(s) => {
                self.key(TITLE);
                self.label(&s.title);
                self.key(MESSAGES);
                self.op(ARRAY);
                for (objective, title, summary) in s.messages.iter() {
                    self.op(ARRAY);
                    self.text(objective);
                    self.label(title);
                    self.label(summary);
                    self.op(END);
                }
                self.op(END);
                self.key(RESOURCES);
                self.op(ARRAY);
                for r in s.resources.iter() {
                    self.op(OBJECT);
                    self.resource_fields(r);
                    self.op(END);
                }
                self.op(END);
                self.key(FOOTER);
                self.label(&s.footer);
            }
            Step::Done(s) => {
                self.key(PRE);
                self.score_pair(s.pre);
                self.key(POST);
                self.score_pair(s.post);
                self.key(GAIN);
                match s.gain {
                    Some(g) => {
                        self.op(OBJECT);
                        self.key(ABSOLUTE);
                        self.num(g.absolute);
                        self.key(NORMALISED);
                        match g.normalised {
                            Some(n) => self.num(n),
                            None => self.op(NULL),
                        }
                        self.op(END);
                    }
                    None => self.op(NULL),
                }
            }
        }
        self.op(END);
    }
}

/// `{ done, total }` (`Session.progress()`).
pub fn progress(done: usize, total: usize) -> JsValue {
    let mut tape = Tape::default();
    let mut w = Writer {
        cache: None,
        tape: &mut tape,
    };
    w.op(OBJECT);
    w.key(DONE);
    w.num(done as f64);
    w.key(TOTAL);
    w.num(total as f64);
    w.op(END);
    tape.build(&JsValue::UNDEFINED, &wasm_bindgen::memory())
}
