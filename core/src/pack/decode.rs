//! The one reader of a pack's payload: the postcard bytes of `(TextTable, Pack)` and the
//! optional sections after them (see [`crate::pack::format`]), read by hand. Session
//! snapshots are read with the same [`Reader`] (`crate::session::snapshot_decode`).
//!
//! The bytes are exactly those `serde` and `postcard` write for the schema types (the writer
//! stays `#[derive(Serialize)]`): integers wider than a byte as LEB128 varints (at most 3
//! bytes for a `u16`, 5 for a `u32`, 10 for a `u64`, as many as the host's `usize` needs for
//! a length, the last byte's spare bits zero), `u8` as itself, `bool` as 0 or 1, `f64` as 8
//! bytes little endian, a string or byte string as its length then its bytes, a list as its
//! length then its elements, an `Option` as 0 or 1 then the value, an enum as its variant's
//! index then its fields, a struct or tuple as its fields in order. This reader accepts the
//! same bytes as postcard's and replaces the schema types' `Deserialize` code: one small
//! function per type over a [`Reader`] whose helpers (varints, strings, lists of `u16`) are
//! not generic and not inlined, and whose error is kept in the reader, so that every `?`
//! carries a zero-sized [`Stop`]. In the browser's module that is about half the code of
//! serde's decoders (29.4 → 16.4 KB for the pack) at the same speed (docs/performance.md,
//! "Issue 18, fifth round").
//!
//! A failure says what was being read and where: `item kind: an unknown variant at byte
//! 1234 of the decoded payload`. A list's length is checked against the bytes left before
//! anything is allocated (every element takes at least one byte), so a lying length cannot
//! allocate more than the payload's size.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::numerals::Numerals;
use crate::pack::item::{Item, ItemKind};
use crate::pack::journey::{
    FeedbackPolicy, FormSlot, Journey, Phase, PhaseContent, PhaseKind, Quiz, Selection,
};
use crate::pack::lesson::{Block, Ending, Lesson, Page, Story, StoryChoice, StoryNode};
use crate::pack::text::{Text, TextTable};
use crate::pack::{
    Date, Form, Indicator, IntakeField, IntakeOption, Objective, Pack, PackLanguage, PackMeta,
    ReferenceCard, Resource, TranslationStatus, Version,
};

/// Why the payload does not decode: what was being read, what is wrong, and at which byte
/// of the decoded payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset in the decoded payload where the failing value starts or ends.
    pub at: usize,
    /// The field or value being read, e.g. `item kind`.
    pub what: &'static str,
    /// What is wrong, e.g. `the bytes end early`.
    pub problem: &'static str,
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{}: {} at byte {} of the decoded payload",
            self.what, self.problem, self.at
        )
    }
}

/// Reading stopped; the reader keeps the reason ([`Reader::error`]). A zero-sized error keeps
/// every `?` of the reader cheap (the module has some hundred of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop;

type Result<T> = core::result::Result<T, Stop>;

const END: &str = "the bytes end early";

/// A cursor over postcard bytes with the few non-generic reads the pack schema needs.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    error: Option<DecodeError>,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            at: 0,
            error: None,
        }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or(&[])
    }

    /// Whether every byte has been read.
    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// Why reading stopped (the first failure).
    pub fn error(&self) -> DecodeError {
        self.error.unwrap_or(DecodeError {
            at: self.at,
            what: "pack",
            problem: "an unknown problem",
        })
    }

    /// A failure at the current position, without stopping (for checks after reading).
    pub fn error_at(&self, what: &'static str, problem: &'static str) -> DecodeError {
        DecodeError {
            at: self.at,
            what,
            problem,
        }
    }

    /// Records a failure at the current position (the first one is kept).
    #[inline(never)]
    pub fn fail(&mut self, what: &'static str, problem: &'static str) -> Stop {
        if self.error.is_none() {
            self.error = Some(DecodeError {
                at: self.at,
                what,
                problem,
            });
        }
        Stop
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8]> {
        let bytes = self.bytes;
        match self
            .at
            .checked_add(n)
            .and_then(|end| Some((end, bytes.get(self.at..end)?)))
        {
            Some((end, out)) => {
                self.at = end;
                Ok(out)
            }
            None => Err(self.fail(what, END)),
        }
    }

    /// One byte (a `u8`).
    #[inline]
    pub fn byte(&mut self, what: &'static str) -> Result<u8> {
        match self.bytes.get(self.at) {
            Some(&b) => {
                self.at += 1;
                Ok(b)
            }
            None => Err(self.fail(what, END)),
        }
    }

    /// A varint of at most `max` bytes whose last byte is at most `last` (postcard's rule for
    /// an integer of `7 * (max - 1) + bits(last)` bits).
    #[inline(never)]
    fn varint(&mut self, max: u32, last: u8, what: &'static str) -> Result<u64> {
        // Most of a pack's numbers (text handles, lengths, indexes) fit in one byte: read
        // those without the loop (a third of the decoder's own time in WebAssembly).
        if let Some(&b) = self.bytes.get(self.at) {
            if b < 0x80 {
                self.at += 1;
                return Ok(u64::from(b));
            }
        }
        let mut out = 0u64;
        for i in 0..max {
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(self.fail(what, END));
            };
            self.at += 1;
            out |= u64::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                if i + 1 == max && b > last {
                    return Err(self.fail(what, "a number too large for its type"));
                }
                return Ok(out);
            }
        }
        Err(self.fail(what, "a number too large for its type"))
    }

    /// A `u16` (varint).
    pub fn u16(&mut self, what: &'static str) -> Result<u16> {
        // 3 bytes: 7 + 7 + 2 bits; the varint already guarantees the range.
        self.varint(3, 0x03, what).map(|v| v as u16)
    }

    /// A `u32` (varint).
    pub fn u32(&mut self, what: &'static str) -> Result<u32> {
        self.varint(5, 0x0F, what).map(|v| v as u32)
    }

    /// A `u64` (varint).
    pub fn u64(&mut self, what: &'static str) -> Result<u64> {
        self.varint(10, 0x01, what)
    }

    /// An `i64` (zigzag varint).
    pub fn i64(&mut self, what: &'static str) -> Result<i64> {
        let n = self.u64(what)?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    /// An `f32`: 4 bytes, little endian.
    pub fn f32(&mut self, what: &'static str) -> Result<f32> {
        let b = self.take(4, what)?;
        let mut a = [0u8; 4];
        a.copy_from_slice(b);
        Ok(f32::from_bits(u32::from_le_bytes(a)))
    }

    /// A `usize` (varint, as wide as the host's `usize`, as postcard reads it).
    pub fn usize(&mut self, what: &'static str) -> Result<usize> {
        #[cfg(target_pointer_width = "16")]
        let v = self.varint(3, 0x03, what)?;
        #[cfg(target_pointer_width = "32")]
        let v = self.varint(5, 0x0F, what)?;
        #[cfg(target_pointer_width = "64")]
        let v = self.varint(10, 0x01, what)?;
        usize::try_from(v).map_err(|_| self.fail(what, "a number too large for its type"))
    }

    /// The length of a list or string of elements of at least `min` bytes each: at most the
    /// bytes left, so that nothing is allocated for a length the bytes cannot hold.
    #[inline(never)]
    pub fn len(&mut self, min: usize, what: &'static str) -> Result<usize> {
        let n = self.usize(what)?;
        let left = self.rest().len();
        if n.saturating_mul(min.max(1)) > left {
            return Err(self.fail(what, "a length beyond the bytes left"));
        }
        Ok(n)
    }

    /// A `bool`: 0 or 1.
    #[inline(never)]
    pub fn bool(&mut self, what: &'static str) -> Result<bool> {
        match self.byte(what)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.fail(what, "a boolean that is neither 0 nor 1")),
        }
    }

    /// An `f64`: 8 bytes, little endian.
    pub fn f64(&mut self, what: &'static str) -> Result<f64> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_bits(u64::from_le_bytes(a)))
    }

    /// Whether an `Option` holds a value: 0 or 1.
    #[inline(never)]
    pub fn some(&mut self, what: &'static str) -> Result<bool> {
        match self.byte(what)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.fail(what, "an optional value marked neither 0 nor 1")),
        }
    }

    /// An enum's variant index, which must be below `count`.
    #[inline(never)]
    pub fn variant(&mut self, count: u32, what: &'static str) -> Result<u32> {
        let v = self.u32(what)?;
        if v >= count {
            return Err(self.fail(what, "an unknown variant"));
        }
        Ok(v)
    }

    /// A byte string: its length, then its bytes.
    pub fn bytes(&mut self, what: &'static str) -> Result<&'a [u8]> {
        let n = self.len(1, what)?;
        self.take(n, what)
    }

    /// A string, borrowed from the bytes.
    #[inline(never)]
    pub fn str(&mut self, what: &'static str) -> Result<&'a str> {
        let b = self.bytes(what)?;
        core::str::from_utf8(b).map_err(|_| self.fail(what, "invalid UTF-8"))
    }

    /// A string.
    #[inline(never)]
    pub fn string(&mut self, what: &'static str) -> Result<String> {
        self.str(what).map(String::from)
    }

    /// A list of elements of at least `min` bytes each, each read by `f`.
    pub fn list<T>(
        &mut self,
        min: usize,
        what: &'static str,
        mut f: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        let n = self.len(min, what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(f(self)?);
        }
        Ok(out)
    }

    /// A list of `u16`.
    #[inline(never)]
    pub fn u16s(&mut self, what: &'static str) -> Result<Vec<u16>> {
        let n = self.len(1, what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.u16(what)?);
        }
        Ok(out)
    }

    /// A list of strings.
    pub fn strings(&mut self, what: &'static str) -> Result<Vec<String>> {
        self.list(1, what, |r| r.string(what))
    }
}

/// Reads a payload's texts: each a handle into the table read first, pointed at it as it is
/// read. A handle beyond the table is remembered (and the pack refused after decoding, as
/// [`crate::pack::PackError::Invalid`]), so that decoding errors come first, in byte order.
pub struct PayloadReader<'a> {
    /// The bytes.
    pub r: Reader<'a>,
    table: Arc<TextTable>,
    /// Whether a text pointed beyond the end of the table.
    pub dangling: bool,
}

impl<'a> PayloadReader<'a> {
    /// Reads the text table at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> core::result::Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        match Self::table(&mut r) {
            Ok(table) => Ok(PayloadReader {
                r,
                table: Arc::new(table),
                dangling: false,
            }),
            Err(Stop) => Err(r.error()),
        }
    }

    fn table(r: &mut Reader<'a>) -> Result<TextTable> {
        let buf = r.bytes("text table")?;
        let Ok(buf) = simdutf8::basic::from_utf8(buf) else {
            return Err(r.fail("text table", "invalid UTF-8"));
        };
        let what = "text table lengths";
        let n = r.len(1, what)?;
        let mut ends = Vec::with_capacity(n);
        let mut end = 0u32;
        for _ in 0..n {
            let len = r.u32(what)?;
            match end.checked_add(len) {
                Some(e) if buf.is_char_boundary(e as usize) => end = e,
                _ => return Err(r.fail(what, "a string beyond its bytes")),
            }
            ends.push(end);
        }
        if end as usize != buf.len() {
            return Err(r.fail(what, "lengths that do not add up to its bytes"));
        }
        Ok(TextTable::from_parts(String::from(buf), ends))
    }

    /// Why reading stopped.
    pub fn error(&self) -> DecodeError {
        self.r.error()
    }

    /// The text table read first.
    #[cfg(test)]
    pub fn text_table(&self) -> &TextTable {
        &self.table
    }

    /// A text: index of its first string, number of languages, whether it has audio.
    #[inline(never)]
    fn text(&mut self, what: &'static str) -> Result<Text> {
        let first = self.r.u32(what)?;
        let langs = self.r.u16(what)?;
        let audio = self.r.bool(what)?;
        let (text, ok) = Text::from_table(&self.table, first, langs, audio);
        self.dangling |= !ok;
        Ok(text)
    }

    #[inline(never)]
    fn texts(&mut self, what: &'static str) -> Result<Vec<Text>> {
        // A text is at least 3 bytes.
        let n = self.r.len(3, what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.text(what)?);
        }
        Ok(out)
    }

    fn version(&mut self, what: &'static str) -> Result<Version> {
        Ok(Version {
            major: self.r.u16(what)?,
            minor: self.r.u16(what)?,
            patch: self.r.u16(what)?,
        })
    }

    /// The pack after the text table (without its optional sections).
    pub fn pack(&mut self) -> Result<Pack> {
        let meta = self.meta()?;
        let languages = self.list(4, "language", Self::language)?;
        let objectives = self.list(7, "objective", |p| {
            Ok(Objective {
                id: p.r.string("objective id")?,
                title: p.text("objective title")?,
                summary: p.text("objective summary")?,
            })
        })?;
        let indicators = self.list(5, "indicator", |p| {
            Ok(Indicator {
                id: p.r.string("indicator id")?,
                label: p.text("indicator label")?,
                items: p.r.u16s("indicator items")?,
            })
        })?;
        let resources = self.list(14, "resource", Self::resource)?;
        let intake = self.list(6, "intake field", Self::intake_field)?;
        let lessons = self.list(6, "lesson", Self::lesson)?;
        let stories = self.list(7, "story", Self::story)?;
        let items = self.list(15, "item", Self::item)?;
        let forms = self.list(2, "form", |p| {
            Ok(Form {
                id: p.r.string("form id")?,
                items: p.r.u16s("form items")?,
            })
        })?;
        let journeys = self.list(7, "journey", Self::journey)?;
        let card = ReferenceCard {
            title: self.text("reference card title")?,
            objectives: self.r.u16s("reference card objectives")?,
            resources: self.r.u16s("reference card resources")?,
            footer: self.text("reference card footer")?,
        };
        Ok(Pack {
            meta,
            languages,
            objectives,
            indicators,
            resources,
            intake,
            lessons,
            stories,
            items,
            forms,
            journeys,
            card,
            interface: Vec::new(),
            reverse_keyed: Vec::new(),
        })
    }

    /// A list of at least `min` bytes per element.
    fn list<T>(
        &mut self,
        min: usize,
        what: &'static str,
        mut f: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        let n = self.r.len(min, what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(f(self)?);
        }
        Ok(out)
    }

    fn meta(&mut self) -> Result<PackMeta> {
        Ok(PackMeta {
            id: self.r.string("pack id")?,
            version: self.version("pack version")?,
            title: self.text("pack title")?,
            description: self.text("pack description")?,
            authors: self.r.strings("pack authors")?,
            licence: self.r.string("pack licence")?,
            min_engine: self.version("pack minimum engine")?,
            default_language: self.r.byte("pack default language")?,
            verification_max_age_days: self.r.u16("pack verification maximum age")?,
        })
    }

    fn language(&mut self) -> Result<PackLanguage> {
        let tag = self.r.string("language tag")?;
        let name = self.r.string("language name")?;
        let status = match self.r.variant(2, "language status")? {
            0 => TranslationStatus::Reviewed,
            _ => TranslationStatus::Draft,
        };
        let what = "language numerals";
        let n = self.r.variant(Numerals::ALL.len() as u32, what)?;
        let numerals = match Numerals::ALL.get(n as usize) {
            Some(&n) => n,
            None => return Err(self.r.fail(what, "an unknown variant")),
        };
        Ok(PackLanguage {
            tag,
            name,
            status,
            numerals,
        })
    }

    fn resource(&mut self) -> Result<Resource> {
        Ok(Resource {
            id: self.r.string("resource id")?,
            name: self.text("resource name")?,
            phone: self.r.string("resource phone")?,
            hours: self.text("resource hours")?,
            purpose: self.text("resource purpose")?,
            verified: Date {
                year: self.r.u16("resource verification date")?,
                month: self.r.byte("resource verification date")?,
                day: self.r.byte("resource verification date")?,
            },
        })
    }

    fn intake_field(&mut self) -> Result<IntakeField> {
        Ok(IntakeField {
            id: self.r.string("intake field id")?,
            label: self.text("intake field label")?,
            options: self.list(4, "intake option", |p| {
                Ok(IntakeOption {
                    code: p.r.string("intake option code")?,
                    label: p.text("intake option label")?,
                })
            })?,
            required: self.r.bool("intake field required")?,
        })
    }

    fn lesson(&mut self) -> Result<Lesson> {
        Ok(Lesson {
            id: self.r.string("lesson id")?,
            title: self.text("lesson title")?,
            objectives: self.r.u16s("lesson objectives")?,
            pages: self.list(1, "lesson page", |p| {
                Ok(Page {
                    blocks: p.list(2, "lesson block", Self::block)?,
                })
            })?,
        })
    }

    fn block(&mut self) -> Result<Block> {
        Ok(match self.r.variant(8, "lesson block")? {
            0 => Block::Heading(self.text("heading")?),
            1 => Block::Paragraph(self.text("paragraph")?),
            2 => Block::List(self.texts("list")?),
            3 => Block::Emphasis(self.text("emphasis")?),
            4 => Block::KeyMessage(self.r.u16("key message")?),
            5 => Block::Image {
                src: self.r.string("image source")?,
                alt: self.text("image text")?,
            },
            6 => Block::Story(self.r.u16("story block")?),
            _ => Block::Resource(self.r.u16("resource block")?),
        })
    }

    fn story(&mut self) -> Result<Story> {
        Ok(Story {
            id: self.r.string("story id")?,
            title: self.text("story title")?,
            objectives: self.r.u16s("story objectives")?,
            start: self.r.u16("story start")?,
            nodes: self.list(7, "story node", Self::story_node)?,
        })
    }

    fn story_node(&mut self) -> Result<StoryNode> {
        let id = self.r.string("story node id")?;
        let text = self.text("story node text")?;
        let image = if self.r.some("story node image")? {
            Some(self.r.string("story node image")?)
        } else {
            None
        };
        let choices = self.list(8, "story choice", |p| {
            Ok(StoryChoice {
                id: p.r.string("story choice id")?,
                label: p.text("story choice label")?,
                consequence: p.text("story choice consequence")?,
                next: p.r.u16("story choice next")?,
            })
        })?;
        let ending = if self.r.some("story node ending")? {
            Some(match self.r.variant(3, "story node ending")? {
                0 => Ending::Safe,
                1 => Ending::Unsafe,
                _ => Ending::Neutral,
            })
        } else {
            None
        };
        Ok(StoryNode {
            id,
            text,
            image,
            choices,
            ending,
        })
    }

    fn item(&mut self) -> Result<Item> {
        Ok(Item {
            id: self.r.string("item id")?,
            objectives: self.r.u16s("item objectives")?,
            prompt: self.text("item prompt")?,
            kind: self.item_kind()?,
            explanation: self.text("item explanation")?,
            feedback_correct: self.text("item feedback if correct")?,
            feedback_incorrect: self.text("item feedback if incorrect")?,
        })
    }

    fn item_kind(&mut self) -> Result<ItemKind> {
        Ok(match self.r.variant(8, "item kind")? {
            0 => ItemKind::SingleChoice {
                options: self.texts("item options")?,
                correct: self.r.u16("item correct option")?,
            },
            1 => ItemKind::MultipleResponse {
                options: self.texts("item options")?,
                correct: self.r.u16s("item correct options")?,
            },
            2 => ItemKind::TrueFalse {
                correct: self.r.bool("item correct answer")?,
            },
            3 => ItemKind::Ordering {
                steps: self.texts("item steps")?,
            },
            4 => ItemKind::Matching {
                left: self.texts("item left entries")?,
                right: self.texts("item right entries")?,
                pairs: self.r.u16s("item pairs")?,
            },
            5 => ItemKind::ShortText {
                accepted: self.r.strings("item accepted answers")?,
            },
            6 => ItemKind::Numeric {
                value: self.r.f64("item value")?,
                tolerance: self.r.f64("item tolerance")?,
            },
            _ => ItemKind::Likert {
                scale: self.texts("item scale")?,
            },
        })
    }

    fn journey(&mut self) -> Result<Journey> {
        Ok(Journey {
            id: self.r.string("journey id")?,
            title: self.text("journey title")?,
            intake: self.r.bool("journey intake")?,
            card: self.r.bool("journey card")?,
            forms: self.r.u16s("journey forms")?,
            phases: self.list(6, "phase", Self::phase)?,
        })
    }

    fn phase(&mut self) -> Result<Phase> {
        let id = self.r.string("phase id")?;
        let title = self.text("phase title")?;
        let kind = match self.r.variant(5, "phase kind")? {
            0 => PhaseKind::PreTest,
            1 => PhaseKind::Lesson,
            2 => PhaseKind::Practice,
            3 => PhaseKind::PostTest,
            _ => PhaseKind::FollowUp,
        };
        let content = match self.r.variant(2, "phase content")? {
            0 => PhaseContent::Lessons(self.r.u16s("phase lessons")?),
            _ => PhaseContent::Quiz(self.quiz()?),
        };
        Ok(Phase {
            id,
            title,
            kind,
            content,
        })
    }

    fn quiz(&mut self) -> Result<Quiz> {
        let r = &mut self.r;
        let selection = match r.variant(2, "quiz selection")? {
            0 => Selection::Fixed(r.u16s("quiz items")?),
            _ => Selection::Form {
                slot: match r.variant(2, "quiz form slot")? {
                    0 => FormSlot::First,
                    _ => FormSlot::Second,
                },
                per_objective: r.byte("quiz items per objective")?,
            },
        };
        Ok(Quiz {
            selection,
            shuffle_items: r.bool("quiz shuffle items")?,
            shuffle_options: r.bool("quiz shuffle options")?,
            feedback: match r.variant(3, "quiz feedback")? {
                0 => FeedbackPolicy::None,
                1 => FeedbackPolicy::AfterEach,
                _ => FeedbackPolicy::AfterPhase,
            },
            dont_know: false,
        })
    }

    /// The optional section of interface strings: `(id, text)` pairs.
    pub fn interface(&mut self) -> Result<Vec<(String, Text)>> {
        self.list(4, "interface string", |p| {
            Ok((
                p.r.string("interface string id")?,
                p.text("interface string")?,
            ))
        })
    }

    /// The optional list of "I don't know" phases: `(journey index, phase index)` pairs.
    pub fn dont_know(&mut self) -> Result<Vec<(u16, u8)>> {
        let what = "\"I don't know\" phases";
        self.r.list(2, what, |r| Ok((r.u16(what)?, r.byte(what)?)))
    }
}
