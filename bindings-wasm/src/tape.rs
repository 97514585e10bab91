//! The tape: a value described in WebAssembly memory for `tape.js` to build in one call.
//!
//! A tape is a run of `f64`s — opcodes, numbers, property-name indices (into `KRU_KEYS` of
//! `tape.js`) and string handles — followed by the UTF-16 text of the strings it sends
//! (transcoded in Rust by `utf16`; decoded in JS by one `TextDecoder("utf-16le")` call, or in
//! Node.js by `Buffer`'s cheaper `toString("utf16le")`: in Node 20 decoding UTF-8 Khmer costs
//! about 6× more per character). [`Writer`] writes one; with a [`Cache`]
//! (the step view, [`crate::view`]) each string is sent once per pack and then by handle, JS
//! keeping the strings in an array; without one (result records and `progress()`,
//! [`crate::plain`]) every string is sent. `tape.js` is inlined into the package's glue by
//! `cargo xtask wasm`.

use alloc::vec::Vec;
use core::ops::Range;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen(module = "/src/tape.js")]
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

// The property names of the objects written key by key (opcode `OBJECT`: records, `progress()`,
// a step's rarer objects): indices into `KRU_KEYS` of `tape.js`.
pub(crate) const TY: usize = 0;
pub(crate) const TEXT: usize = 1;
pub(crate) const AUDIO: usize = 2;
pub(crate) const PHASE: usize = 3;
pub(crate) const STORY: usize = 4;
pub(crate) const ID: usize = 5;
pub(crate) const NAME: usize = 6;
pub(crate) const PHONE: usize = 7;
pub(crate) const HOURS: usize = 8;
pub(crate) const PURPOSE: usize = 9;
pub(crate) const VERIFIED: usize = 10;
pub(crate) const YEAR: usize = 11;
pub(crate) const MONTH: usize = 12;
pub(crate) const DAY: usize = 13;
pub(crate) const NODE: usize = 14;
pub(crate) const PHASE_KIND: usize = 15;
pub(crate) const ITEM: usize = 16;
pub(crate) const NUMBER: usize = 17;
pub(crate) const TOTAL: usize = 18;
pub(crate) const CORRECT: usize = 19;
pub(crate) const CREDIT: usize = 20;
pub(crate) const SCORE: usize = 21;
pub(crate) const MAX: usize = 22;
pub(crate) const ABSOLUTE: usize = 23;
pub(crate) const NORMALISED: usize = 24;
pub(crate) const SYNTHETIC: usize = 25;
// Of result records (`plain::record`).
pub(crate) const RECORD_ID: usize = 26;
pub(crate) const LEARNER: usize = 27;
pub(crate) const PACK_ID: usize = 28;
pub(crate) const PACK_VERSION: usize = 29;
pub(crate) const MAJOR: usize = 30;
pub(crate) const MINOR: usize = 31;
pub(crate) const PATCH: usize = 32;
pub(crate) const JOURNEY: usize = 33;
pub(crate) const LANGUAGE: usize = 34;
pub(crate) const SEED: usize = 35;
pub(crate) const FORMS: usize = 36;
pub(crate) const STARTED_AT: usize = 37;
pub(crate) const ENDED_AT: usize = 38;
pub(crate) const COMPLETED: usize = 39;
pub(crate) const DEMOGRAPHICS: usize = 40;
pub(crate) const RESPONSES: usize = 41;
pub(crate) const STORY_PATH: usize = 42;
pub(crate) const BYTES: usize = 43;
pub(crate) const ANSWER: usize = 44;
pub(crate) const AT_OFFSET_MS: usize = 45;
pub(crate) const CHOICE: usize = 46;
pub(crate) const A_CHOICE: usize = 47;
pub(crate) const A_CHOICES: usize = 48;
pub(crate) const A_TRUE_FALSE: usize = 49;
pub(crate) const A_ORDER: usize = 50;
pub(crate) const A_MATCHES: usize = 51;
pub(crate) const A_TEXT: usize = 52;
pub(crate) const A_SCALE: usize = 53;
// Of `progress()`.
pub(crate) const DONE: usize = 54;

/// A value described for `tape.js`: opcodes and operands as `f64`s, and the UTF-16 text of
/// the strings it sends.
#[derive(Default)]
pub(crate) struct Tape {
    values: Vec<f64>,
    /// Room for the text: it only grows, so that a string's units are written without
    /// zeroing their room first or truncating after (issue 18, seventh round).
    utf16: Vec<u16>,
    /// The text's length in units (`utf16[..text]`).
    text: usize,
}

/// The opcodes of the tape (`tape.js` reads them).
pub(crate) const NULL: f64 = 0.0;
const FALSE: f64 = 1.0;
pub(crate) const TRUE: f64 = 2.0;
const NUM: f64 = 3.0;
const NEW: f64 = 4.0;
pub(crate) const OBJECT: f64 = 5.0;
pub(crate) const ARRAY: f64 = 6.0;
/// `{ text, audio }`, the two values following.
pub(crate) const TEXT_AUDIO: f64 = 7.0;
/// A string of the tape's text that is not kept: UTF-16 units `a..b`.
const FRESH: f64 = 8.0;
/// A `BigInt` from a `u64`: its high and low 32 bits.
const UNSIGNED64: f64 = 9.0;
/// A `BigInt` from an `i64`: its high and low 32 bits (two's complement).
const SIGNED64: f64 = 10.0;
/// A `Uint8Array` copy of the bytes at `ptr` (length `len`).
const COPY: f64 = 11.0;
/// An object of a known shape (see [`Shape`]) is this plus the shape; its values follow, in
/// the shape's order, without keys or an end.
const SHAPED: u32 = 16;
/// A kept string is its handle plus this.
const KEPT: u32 = 32;
/// Ends an object's fields or an array's values.
pub(crate) const END: f64 = -1.0;

/// The objects a step is made of that `tape.js` builds as object literals (`kruShaped`), each
/// with its properties in this order: V8 makes such an object with its final hidden class at
/// once, where adding the properties one by one by name (opcode [`OBJECT`]) took twice as long
/// (issue 18, sixth round). Rare objects (resources, dates, scores) stay [`OBJECT`]s.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    /// `kind phase phase_kind item item_kind expects number total prompt options left dont_know`
    Question,
    /// `kind item item_kind prompt review correct credit message explanation right_answer
    /// right_bool dont_know`
    Feedback,
    /// `kind phase lesson title page pages blocks`
    Page,
    /// `kind field label options required`
    Intake,
    /// `kind story title node text image choices consequence ending`
    Story,
    /// `kind phase phase_kind title score max correct`
    PhaseSummary,
    /// `kind title messages resources footer`
    Card,
    /// `kind pre post gain`
    Done,
    /// `type text`: a heading, a paragraph or an emphasis block.
    TypeText,
    /// `type entries`: a list block.
    List,
    /// `type objective title summary`: a key-message block.
    KeyMessage,
    /// `type src alt`: an image block.
    Image,
    /// `type story title`: a story block.
    StoryBlock,
}

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
    bytes: Option<alloc::boxed::Box<str>>,
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

/// Writes the UTF-16 units of `s` at the start of `room` and returns how many it wrote; `room`
/// has space for `s.len()` units (a string has at most as many UTF-16 units as UTF-8 bytes),
/// and where it had less the rest is left out.
///
/// By hand rather than `encode_utf16`, which in the size-optimised module took about 2 ns a
/// byte of Khmer and 5 of English (issue 18, seventh round): knowing the bytes are UTF-8 (a
/// `&str`), runs of three-byte characters (Khmer, Lao, Thai) in a loop of their own (0.6 ns a
/// byte), ASCII eight bytes at a time (0.8), the rest one character per turn.
fn utf16(s: &str, room: &mut [u16]) -> usize {
    let mut rest = s.as_bytes();
    let mut j = 0;
    while let [lead, ..] = *rest {
        if lead & 0xF0 == 0xE0 {
            let mut out = room.get_mut(j..).unwrap_or_default().iter_mut();
            while let [a, b, c, ref tail @ ..] = *rest {
                if a & 0xF0 != 0xE0 {
                    break;
                }
                let Some(unit) = out.next() else {
                    return j;
                };
                // The lead's high bits leave the `u16`.
                *unit = u16::from(a) << 12 | (u16::from(b) & 0x3F) << 6 | (u16::from(c) & 0x3F);
                j += 1;
                rest = tail;
            }
            continue;
        }
        let (unit, len) = match *rest {
            [a, ..] if a < 0x80 => {
                if let (Some(eight), Some(out)) = (rest.get(..8), room.get_mut(j..j + 8)) {
                    let word = u64::from_le_bytes(eight.try_into().unwrap_or([0x80; 8]));
                    if word & 0x8080_8080_8080_8080 == 0 {
                        for (unit, &b) in out.iter_mut().zip(eight) {
                            *unit = u16::from(b);
                        }
                        j += 8;
                        rest = rest.get(8..).unwrap_or_default();
                        continue;
                    }
                }
                (u32::from(a), 1)
            }
            [a, b, ..] if a < 0xE0 => ((u32::from(a) & 0x1F) << 6 | (u32::from(b) & 0x3F), 2),
            [a, b, c, d, ..] => {
                let c = ((u32::from(a) & 0x07) << 18
                    | (u32::from(b) & 0x3F) << 12
                    | (u32::from(c) & 0x3F) << 6
                    | (u32::from(d) & 0x3F))
                    - 0x1_0000;
                // A surrogate pair: the high half here, the low one below.
                if let Some(high) = room.get_mut(j) {
                    *high = 0xD800 | (c >> 10) as u16;
                    j += 1;
                }
                (0xDC00 | (c & 0x3FF), 4)
            }
            // Not UTF-8, which a `&str` cannot be.
            _ => break,
        };
        if let Some(u) = room.get_mut(j) {
            *u = unit as u16;
            j += 1;
        }
        rest = rest.get(len..).unwrap_or_default();
    }
    j
}

impl Tape {
    /// The value this tape describes, built by `tape.js` (`kept`: the JS strings by handle of
    /// the [`Cache`] it was written with, if any).
    pub(crate) fn build(&self, kept: &JsValue, memory: &JsValue) -> JsValue {
        let text = self.utf16.as_ptr() as usize;
        build(
            kept,
            memory,
            self.values.as_ptr() as usize,
            text,
            text + 2 * self.text,
        )
    }
}

impl Tape {
    /// Empties the tape (keeping its room) for the next value.
    pub(crate) fn clear(&mut self) {
        self.values.clear();
        self.text = 0;
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

impl Cache {
    /// An empty cache; `table`: the addresses of the pack's text table (strings there are
    /// known by their address alone).
    pub(crate) fn new(table: Range<usize>) -> Self {
        Cache {
            table,
            slots: Vec::new(),
            bits: 0,
            used: 0,
            next: 0,
        }
    }
}

/// The value `write` describes on a fresh tape without a [`Cache`] (every string sent), built
/// in one call: a result record, `progress()`.
pub(crate) fn build_uncached(write: impl FnOnce(&mut Writer<'_>)) -> JsValue {
    let mut tape = Tape::default();
    write(&mut Writer {
        cache: None,
        tape: &mut tape,
    });
    tape.build(&JsValue::UNDEFINED, &wasm_bindgen::memory())
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

    /// Opens an object of `shape` (its values follow, in order).
    pub(crate) fn shape(&mut self, shape: Shape) {
        self.op(f64::from(SHAPED + shape as u32));
    }

    /// The next field's name (an index into `KRU_KEYS` of `tape.js`).
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
    /// string has at most as many UTF-16 units as UTF-8 bytes), which stays from step to
    /// step: `Vec::extend` with `encode_utf16` checked the capacity at every unit, a fifth of
    /// a first step's time, and zeroing the room per string cost about as much again.
    fn utf16(&mut self, s: &str) -> (f64, f64) {
        let tape = &mut *self.tape;
        let from = tape.text;
        if tape.utf16.len() < from + s.len() {
            tape.utf16
                .resize((from + s.len()).max(2 * tape.utf16.len()), 0);
        }
        let to = from + tape.utf16.get_mut(from..).map_or(0, |room| utf16(s, room));
        tape.text = to;
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

    /// A string or `null`.
    pub(crate) fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.op(NULL),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written transcoder gives `encode_utf16`'s units for every string: ASCII runs
    /// of every length around the eight-byte step, Khmer, Lao, two- and four-byte characters.
    #[test]
    fn utf16_is_encode_utf16() {
        let pieces = [
            "a",
            "é",
            "ក",
            "ល",
            "😀",
            "\u{FEFF}",
            "\u{7F}",
            "\u{80}",
            "\u{7FF}",
            "\u{800}",
            "\u{FFFF}",
            "\u{10000}",
            "\u{10FFFF}",
        ];
        let mut cases: Vec<String> = Vec::new();
        for p in pieces {
            for q in pieces {
                for n in 0..20 {
                    cases.push(format!("{}{p}{}{q}", "x".repeat(n), "y".repeat(n % 9)));
                }
            }
        }
        cases.push("ការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព and safe migration ການເຄື່ອນຍ້າຍ".into());
        cases.push(String::new());
        for s in &cases {
            let mut room = alloc::vec![0u16; s.len()];
            let n = utf16(s, &mut room);
            let want: Vec<u16> = s.encode_utf16().collect();
            assert_eq!(room.get(..n), Some(want.as_slice()), "{s:?}");
            // With less room, a prefix of the units, and no endless loop.
            let mut short = alloc::vec![0u16; want.len() / 2];
            let m = utf16(s, &mut short);
            assert!(
                m <= short.len() && want.starts_with(&short[..m.min(short.len())]),
                "{s:?}"
            );
        }
    }

    /// Every property-name index written here names, in `tape.js`'s `KRU_KEYS`, the property
    /// the core's serde form has; and `KRU_KEYS` holds no name that is not indexed here.
    #[test]
    fn the_key_indices_name_the_keys_of_tape_js() {
        let js = include_str!("tape.js");
        let keys: Vec<&str> = js
            .split_once("const KRU_KEYS = \"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(list, _)| list.split(' ').collect())
            .expect("tape.js declares KRU_KEYS as one string");
        let named = [
            (TY, "type"),
            (TEXT, "text"),
            (AUDIO, "audio"),
            (PHASE, "phase"),
            (STORY, "story"),
            (ID, "id"),
            (NAME, "name"),
            (PHONE, "phone"),
            (HOURS, "hours"),
            (PURPOSE, "purpose"),
            (VERIFIED, "verified"),
            (YEAR, "year"),
            (MONTH, "month"),
            (DAY, "day"),
            (NODE, "node"),
            (PHASE_KIND, "phase_kind"),
            (ITEM, "item"),
            (NUMBER, "number"),
            (TOTAL, "total"),
            (CORRECT, "correct"),
            (CREDIT, "credit"),
            (SCORE, "score"),
            (MAX, "max"),
            (ABSOLUTE, "absolute"),
            (NORMALISED, "normalised"),
            (SYNTHETIC, "synthetic"),
            (RECORD_ID, "record_id"),
            (LEARNER, "learner"),
            (PACK_ID, "pack_id"),
            (PACK_VERSION, "pack_version"),
            (MAJOR, "major"),
            (MINOR, "minor"),
            (PATCH, "patch"),
            (JOURNEY, "journey"),
            (LANGUAGE, "language"),
            (SEED, "seed"),
            (FORMS, "forms"),
            (STARTED_AT, "started_at"),
            (ENDED_AT, "ended_at"),
            (COMPLETED, "completed"),
            (DEMOGRAPHICS, "demographics"),
            (RESPONSES, "responses"),
            (STORY_PATH, "story_path"),
            (BYTES, "bytes"),
            (ANSWER, "answer"),
            (AT_OFFSET_MS, "at_offset_ms"),
            (CHOICE, "choice"),
            (A_CHOICE, "Choice"),
            (A_CHOICES, "Choices"),
            (A_TRUE_FALSE, "TrueFalse"),
            (A_ORDER, "Order"),
            (A_MATCHES, "Matches"),
            (A_TEXT, "Text"),
            (A_SCALE, "Scale"),
            (DONE, "done"),
        ];
        for (index, name) in named {
            assert_eq!(keys.get(index), Some(&name), "key index {index}");
        }
        assert_eq!(
            keys.len(),
            named.len(),
            "KRU_KEYS has names no index points to"
        );
    }

    /// `kruShaped` of `tape.js` builds each [`Shape`] with the properties its doc comment
    /// lists (the order `view.rs` writes the values in), at the opcode `SHAPED + shape`.
    #[test]
    fn the_shapes_of_tape_js_are_those_of_the_enum() {
        let js = include_str!("tape.js");
        let shapes = [
            (Shape::Question, "kind phase phase_kind item item_kind expects number total prompt options left dont_know"),
            (Shape::Feedback, "kind item item_kind prompt review correct credit message explanation right_answer right_bool dont_know"),
            (Shape::Page, "kind phase lesson title page pages blocks"),
            (Shape::Intake, "kind field label options required"),
            (Shape::Story, "kind story title node text image choices consequence ending"),
            (Shape::PhaseSummary, "kind phase phase_kind title score max correct"),
            (Shape::Card, "kind title messages resources footer"),
            (Shape::Done, "kind pre post gain"),
            (Shape::TypeText, "type text"),
            (Shape::List, "type entries"),
            (Shape::KeyMessage, "type objective title summary"),
            (Shape::Image, "type src alt"),
            (Shape::StoryBlock, "type story title"),
        ];
        for (n, (shape, keys)) in shapes.iter().enumerate() {
            assert_eq!(*shape as usize, n);
            let literal: Vec<String> = keys.split(' ').map(|k| format!("{k}: v()")).collect();
            let literal = format!("return {{ {} }};", literal.join(", "));
            let case = if n + 1 == shapes.len() {
                "default: ".to_owned()
            } else {
                format!("case {}: ", SHAPED as usize + n)
            };
            assert!(
                js.contains(&format!("{case}{literal}")),
                "tape.js lacks `{case}{literal}`"
            );
        }
        assert!(SHAPED as usize + shapes.len() <= KEPT as usize);
    }
}
