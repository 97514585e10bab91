//! The current step as a plain JS object, described in WebAssembly memory and built by one
//! JS call, with the pack's texts turned into JS strings once and reused.
//!
//! `Session.step()` was a serde-wasm-bindgen serialisation of the core's [`Step`], then an
//! object built property by property from Rust (a call into JS per property, per array
//! element, per new object: 37–42 calls a step in the school journey, and a `TextDecoder`
//! call per string the first time it was shown). Now (issue 18, fifth round) a step is
//! written on a tape (`crate::tape`) — opcodes, numbers, property-name indices and string handles as
//! `f64`s, plus the UTF-16 text of the strings JS has not seen yet — and `tape.js` (inlined
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
//! - New strings cross as UTF-16 (transcoded in Rust, one `TextDecoder("utf-16le")` call per
//!   step in JS, in Node.js `Buffer`'s `toString("utf16le")`, then a slice per string): in
//!   Node 20 decoding UTF-8 Khmer costs about 6× more per character than copying UTF-16.
//! - Result records ([`crate::plain::record`]) and `progress()` are written on a tape too,
//!   without kept strings (a record of a whole journey was ≈ 900 calls into JS).
//!
//! The tape itself (its opcodes, the writer, the kept strings' table) is `crate::tape`.

use alloc::rc::Rc;
use core::cell::RefCell;

use js_sys::Array;
use kru_core::pack::Date;
use kru_core::record::ScorePair;
use kru_core::session::step::{BlockView, Label, ResourceView, Step};
use wasm_bindgen::JsValue;

use crate::tape::*;

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
    /// The JS strings by handle (`kept` in `tape.js`).
    kept: JsValue,
    /// The step being described (see [`Tape`]).
    tape: Tape,
    /// The module's `WebAssembly.Memory`, where `tape.js` reads the tape.
    memory: JsValue,
}

impl Strings {
    /// An empty cache for the texts of `pack`.
    pub fn new(pack: &kru_core::Pack) -> Self {
        let buffer = pack.meta.title.table_buffer();
        let start = buffer.as_ptr() as usize;
        Strings {
            cache: Cache::new(start..start + buffer.len()),
            kept: Array::new().into(),
            tape: Tape::default(),
            memory: wasm_bindgen::memory(),
        }
    }

    /// The step as the plain object documented in `types.d.ts` (`Step`): described on the
    /// tape, then built by `tape.js` in one call.
    pub fn step(&mut self, step: &Step) -> JsValue {
        self.tape.clear();
        Writer {
            cache: Some(&mut self.cache),
            tape: &mut self.tape,
        }
        .step(step);
        self.tape.build(&self.kept, &self.memory)
    }
}

impl Writer<'_> {
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

    /// Opens an object of `shape` whose first value is the tag `tag`.
    #[inline(never)]
    fn shaped(&mut self, shape: Shape, tag: &'static str) {
        self.shape(shape);
        self.name(tag);
    }

    #[inline(never)]
    fn block(&mut self, b: &BlockView) {
        match b {
            BlockView::Heading { text } => {
                self.shaped(Shape::TypeText, "heading");
                self.label(text);
            }
            BlockView::Paragraph { text } => {
                self.shaped(Shape::TypeText, "paragraph");
                self.label(text);
            }
            BlockView::List { entries } => {
                self.shaped(Shape::List, "list");
                self.labels(entries);
            }
            BlockView::Emphasis { text } => {
                self.shaped(Shape::TypeText, "emphasis");
                self.label(text);
            }
            BlockView::KeyMessage {
                objective,
                title,
                summary,
            } => {
                self.shaped(Shape::KeyMessage, "key-message");
                self.text(objective);
                self.label(title);
                self.label(summary);
            }
            BlockView::Image { src, alt } => {
                self.shaped(Shape::Image, "image");
                self.text(src);
                self.label(alt);
            }
            BlockView::Story { story, title } => {
                self.shaped(Shape::StoryBlock, "story");
                self.text(story);
                self.label(title);
            }
            BlockView::Resource(r) => {
                self.tagged(TY, "resource");
                self.resource_fields(r);
                self.op(END);
            }
        }
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

    /// A step: an object of its kind's [`Shape`], its values in the shape's order.
    fn step(&mut self, step: &Step) {
        let kind = step.kind();
        match step {
            Step::Intake(s) => {
                self.shaped(Shape::Intake, kind);
                self.text(s.field);
                self.label(&s.label);
                self.op(ARRAY);
                for (code, label) in s.options.iter() {
                    self.op(ARRAY);
                    self.text(code);
                    self.label(label);
                    self.op(END);
                }
                self.op(END);
                self.bool(s.required);
            }
            Step::Page(s) => {
                self.shaped(Shape::Page, kind);
                self.text(s.phase);
                self.text(s.lesson);
                self.label(&s.title);
                self.num(s.page as f64);
                self.num(s.pages as f64);
                self.op(ARRAY);
                for b in s.blocks.iter() {
                    self.block(b);
                }
                self.op(END);
            }
            Step::Story(s) => {
                self.shaped(Shape::Story, kind);
                self.text(s.story);
                self.label(&s.title);
                self.text(s.node);
                self.label(&s.text);
                self.opt_text(s.image);
                self.labels(&s.choices);
                match &s.consequence {
                    Some((choice, then)) => {
                        self.op(ARRAY);
                        self.label(choice);
                        self.label(then);
                        self.op(END);
                    }
                    None => self.op(NULL),
                }
                match s.ending {
                    Some(e) => self.name(e),
                    None => self.op(NULL),
                }
            }
            Step::Question(s) => {
                self.shaped(Shape::Question, kind);
                self.text(s.phase);
                self.name(s.phase_kind);
                self.text(s.item);
                self.name(s.item_kind);
                self.name(s.expects);
                self.num(f64::from(s.number));
                self.num(f64::from(s.total));
                self.label(&s.prompt);
                self.labels(&s.options);
                self.labels(&s.left);
                self.bool(s.dont_know);
            }
            Step::Feedback(s) => {
                self.shaped(Shape::Feedback, kind);
                self.text(s.item);
                self.name(s.item_kind);
                self.label(&s.prompt);
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
                self.bool(s.correct);
                self.num(f64::from(s.credit));
                self.label(&s.message);
                self.label(&s.explanation);
                self.labels(&s.right_answer);
                match s.right_bool {
                    Some(b) => self.bool(b),
                    None => self.op(NULL),
                }
                self.bool(s.dont_know);
            }
            Step::PhaseSummary(s) => {
                self.shaped(Shape::PhaseSummary, kind);
                self.text(s.phase);
                self.name(s.phase_kind);
                self.label(&s.title);
                self.num(s.score);
                self.num(s.max);
                self.num(f64::from(s.correct));
            }
            Step::Card(s) => {
                self.shaped(Shape::Card, kind);
                self.label(&s.title);
                self.op(ARRAY);
                for (objective, title, summary) in s.messages.iter() {
                    self.op(ARRAY);
                    self.text(objective);
                    self.label(title);
                    self.label(summary);
                    self.op(END);
                }
                self.op(END);
                self.op(ARRAY);
                for r in s.resources.iter() {
                    self.op(OBJECT);
                    self.resource_fields(r);
                    self.op(END);
                }
                self.op(END);
                self.label(&s.footer);
            }
            Step::Done(s) => {
                self.shaped(Shape::Done, kind);
                self.score_pair(s.pre);
                self.score_pair(s.post);
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
    }
}

/// `{ done, total }` (`Session.progress()`).
pub fn progress(done: usize, total: usize) -> JsValue {
    build_uncached(|w| {
        w.op(OBJECT);
        w.key(DONE);
        w.num(done as f64);
        w.key(TOTAL);
        w.num(total as f64);
        w.op(END);
    })
}
