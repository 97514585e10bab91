//! The fuzz harness: one function per fuzz target, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) and by the replay test `core/tests/fuzz_corpus.rs`, so that a
//! corpus input or a crash replays in `cargo test` through exactly the same calls.
//!
//! The harness only uses `kru_core`, `postcard`, `lz4_flex` and `std` (all available to kru-core's own
//! integration tests). Inputs are decoded with [`Bytes`], a small reader that never fails
//! (it yields zeros once the input is used up): the same bytes always give the same calls.
//!
//! Besides "no panic", each target checks properties that must hold for any input:
//! - a pack that loads re-encodes and loads again, and sessions on it run without panicking;
//! - a session call that fails leaves the session unchanged, and every snapshot restores;
//! - a log reader covers every byte exactly once, `append_offset` cuts only a torn tail,
//!   and merging gives a clean, duplicate-free log.
#![allow(dead_code)]

use std::sync::Arc;

use kru_core::pack::format;
use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::record::log::{self, LogEntry, LogFrames};
use kru_core::session::step::Step;
use kru_core::{Answer, Pack, ResultRecord, Session, SessionOptions};

/// The secret key the harness signs with (the same as the envelope tests).
pub const SECRET: [u8; 32] = [7; 32];
/// A host time, 2026-09-21.
pub const T0: i64 = 1_790_000_000_000;
/// Most session calls run from one input.
pub const MAX_CALLS: usize = 4000;
/// Most actions when driving a session to its end.
pub const MAX_ACTIONS: usize = 400;

/// The packs sessions run on: the tiny in-code pack and, when available, the real
/// safe-migration pack (intake, stories, forms, every item type). The first input byte
/// chooses (odd: real).
pub struct Packs {
    /// `core/tests/tiny`.
    pub tiny: Arc<Pack>,
    /// `content-packs/safe-migration`, compiled (needs the `authoring` feature).
    pub real: Option<Arc<Pack>>,
}

impl Packs {
    /// The pack a selector byte chooses (the tiny pack when the real one is missing).
    pub fn pick(&self, selector: u8) -> &Arc<Pack> {
        match (&self.real, selector & 1) {
            (Some(real), 1) => real,
            _ => &self.tiny,
        }
    }
}

/// A reader over fuzz input that never fails: past the end it yields zeros.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Reads `data` from the start.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }
    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    /// What is left.
    pub fn rest(&self) -> &'a [u8] {
        self.data
    }
    /// Up to `n` bytes.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.data.len());
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        head
    }
    /// One byte (0 past the end).
    pub fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }
    /// A little-endian u16.
    pub fn u16(&mut self) -> u16 {
        u16::from(self.u8()) | u16::from(self.u8()) << 8
    }
    /// A little-endian u32.
    pub fn u32(&mut self) -> u32 {
        u32::from(self.u16()) | u32::from(self.u16()) << 16
    }
    /// A little-endian u64.
    pub fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | u64::from(self.u32()) << 32
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::from(self.u8()) % n
        }
    }
    /// A small index: mostly in `0..n`, sometimes far out of range.
    pub fn index(&mut self, n: usize) -> u16 {
        let b = self.u8();
        if b >= 0xF0 {
            // 0xF0..=0xFF: an edge value.
            [
                n as u16,
                n as u16 + 1,
                16,
                17,
                255,
                256,
                u16::MAX,
                u16::MAX - 1,
            ][usize::from(b & 7)]
        } else if n == 0 {
            u16::from(b)
        } else {
            (usize::from(b) % n) as u16
        }
    }
    /// A string of up to `max` bytes (lossy UTF-8).
    pub fn string(&mut self, max: usize) -> String {
        let n = usize::from(self.u16()) % (max + 1);
        String::from_utf8_lossy(self.take(n)).into_owned()
    }
}

// ------------------------------------------------------------------------------ pack_decode

/// Wraps an LZ4 block that decodes to `decoded_len` bytes into a pack file with a correct
/// header and checksum, with header id and version `id`, `version`.
pub fn frame_block(
    block: &[u8],
    decoded_len: u32,
    id: &str,
    version: kru_core::pack::Version,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 64);
    out.extend_from_slice(&format::MAGIC);
    out.extend_from_slice(&format::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(block.len() as u32).to_le_bytes());
    out.extend_from_slice(&decoded_len.to_le_bytes());
    out.push(id.len() as u8);
    out.extend_from_slice(id.as_bytes());
    for v in [version.major, version.minor, version.patch] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(block);
    let crc = kru_core::checksum::crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

const FUZZ_VERSION: kru_core::pack::Version = kru_core::pack::Version {
    major: 0,
    minor: 0,
    patch: 0,
};

/// Wraps a postcard payload into a pack file (LZ4-compressed, correct header and checksum).
/// The header takes the payload's id and version when the payload decodes, so the fuzzer
/// reaches the pack's invariant checks instead of failing at the checksum.
pub fn frame(payload: &[u8]) -> Vec<u8> {
    let (id, version) = match format::decode_plain_payload(payload, 0) {
        Ok(p) if (1..=64).contains(&p.meta.id.len()) => (p.meta.id, p.meta.version),
        _ => ("fuzz".to_owned(), FUZZ_VERSION),
    };
    let block = lz4_flex::block::compress(payload);
    frame_block(&block, payload.len() as u32, &id, version)
}

/// Offset of the pack id length byte in the header.
const ID_LEN_AT: usize = 20;
/// Header bytes before the payload, without the id.
const HEADER_FIXED: usize = 27;

/// Rewrites the checksum of a pack file in place where its header lets us find it, so that
/// mutations of the header and payload get past the CRC check.
pub fn fix_checksum(bytes: &mut [u8]) {
    if bytes.len() <= ID_LEN_AT {
        return;
    }
    let payload_len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let pend = HEADER_FIXED + usize::from(bytes[ID_LEN_AT]) + payload_len;
    if pend + 4 <= bytes.len() {
        let crc = kru_core::checksum::crc32(&bytes[..pend]);
        bytes[pend..pend + 4].copy_from_slice(&crc.to_le_bytes());
    }
}

/// `pack_decode`: the first byte picks how the rest becomes a pack file —
/// 0: as is; 1: a postcard payload, compressed and framed; 2: the same, signed;
/// 3: as is with the checksum fixed; 4: a decoded length (u32 LE) and a raw LZ4 block,
/// framed. Then every loader runs on it.
pub fn pack_decode(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let file = match mode % 5 {
        0 => rest.to_vec(),
        1 => frame(rest),
        2 => {
            let framed = frame(rest);
            signature::sign(&framed, &SECRET).unwrap_or(framed)
        }
        3 => {
            let mut v = rest.to_vec();
            fix_checksum(&mut v);
            v
        }
        _ => {
            let mut b = Bytes::new(rest);
            let decoded_len = b.u32() % (1 << 20);
            frame_block(b.rest(), decoded_len, "fuzz", FUZZ_VERSION)
        }
    };
    load_everywhere(&file);
}

/// Loads a pack file with every policy and entry point; runs sessions on what loads.
pub fn load_everywhere(file: &[u8]) {
    let open = TrustPolicy::default().allow_unsigned();
    let trusted = TrustPolicy::trusting(&[signature::public_key(&SECRET)]).expect("valid key");
    let strict = TrustPolicy::default();

    let header = format::read_header(file);
    let decoded = header
        .as_ref()
        .ok()
        .map(|h| format::decode_payload(file, h));
    let signer = signature::signer(file);
    let loaded_open = signature::load(file, &open);
    let loaded_trusted = signature::load(file, &trusted);
    let loaded_strict = signature::load(file, &strict);

    // No policy accepts what the header or payload checks refuse.
    if header.is_err() || matches!(decoded, Some(Err(_))) {
        assert!(loaded_open.is_err() && loaded_trusted.is_err() && loaded_strict.is_err());
    }
    // A host that trusts no key accepts nothing.
    assert!(
        loaded_strict.is_err(),
        "a policy without keys accepted a pack"
    );
    // A pack a trusted key signed also loads in development mode, and is signed.
    if loaded_trusted.is_ok() {
        assert!(
            loaded_open.is_ok(),
            "trusted pack refused by the development policy"
        );
        assert!(matches!(signer, Ok(Some(_))), "trusted pack has no signer");
    }
    if let Ok(pack) = loaded_open {
        assert!(matches!(decoded, Some(Ok(_))));
        // What loads re-encodes, and the re-encoded file loads to the same bytes again.
        let again = format::encode(&pack).expect("a loaded pack encodes");
        let reloaded = signature::load(&again, &open).expect("a re-encoded pack loads");
        assert_eq!(
            format::encode(&reloaded).expect("encodes"),
            again,
            "encoding is not stable"
        );
        run_pack(Arc::new(pack), crate_seed(file));
    }
}

fn crate_seed(bytes: &[u8]) -> u64 {
    u64::from(kru_core::checksum::crc32(bytes))
}

/// Runs every journey (at most 4) of a pack that passed validation: a pack that loads must
/// never make a session panic.
pub fn run_pack(pack: Arc<Pack>, seed: u64) {
    for journey in pack.journeys.iter().take(4) {
        let started = Session::start(
            Arc::clone(&pack),
            &SessionOptions {
                journey: &journey.id,
                languages: &["km", "en"],
                seed,
                learner: "F-1",
                now_ms: T0,
            },
        );
        let mut session = started.expect("a journey of a valid pack starts");
        drive(
            &mut session,
            &mut Bytes::new(&seed.to_le_bytes()),
            MAX_ACTIONS,
        );
        end(&mut session);
    }
}

// ------------------------------------------------------------------------------ sessions

/// A plausible answer for the current step (indices in range), or `None` to advance.
pub fn plausible(session: &Session, b: &mut Bytes<'_>) -> Option<Answer> {
    match session.step() {
        Step::Question(q) => {
            let n = q.options.len();
            Some(match q.expects {
                "choice" => Answer::Choice(b.below(n) as u16),
                "scale" => Answer::Scale(b.below(n) as u16),
                "choices" => Answer::Choices((0..n as u16).filter(|_| b.u8() & 1 == 1).collect()),
                "order" => {
                    let mut v: Vec<u16> = (0..n as u16).collect();
                    for i in (1..v.len()).rev() {
                        let j = b.below(i + 1);
                        v.swap(i, j);
                    }
                    Answer::Order(v)
                }
                "matches" => Answer::Matches(q.left.iter().map(|_| b.below(n) as u16).collect()),
                "true-false" => Answer::TrueFalse(b.u8() & 1 == 1),
                _ => Answer::Text(
                    ["1288", "១២៨៨", "no idea", "12 88", "3.5", ""][b.below(6)].to_owned(),
                ),
            })
        }
        Step::Intake(i) if i.options.is_empty() => Some(Answer::Text("commune-7".into())),
        Step::Intake(i) => Some(Answer::Choice(b.below(i.options.len()) as u16)),
        Step::Story(s) if !s.choices.is_empty() && s.consequence.is_none() => {
            Some(Answer::Choice(b.below(s.choices.len()) as u16))
        }
        _ => None,
    }
}

/// Any answer, including wrong types and out-of-range indices.
pub fn any_answer(b: &mut Bytes<'_>) -> Answer {
    let list = |b: &mut Bytes<'_>| -> Vec<u16> {
        let n = b.below(20);
        (0..n).map(|_| b.index(8)).collect()
    };
    match b.below(7) {
        0 => Answer::Choice(b.index(8)),
        1 => Answer::Choices(list(b)),
        2 => Answer::TrueFalse(b.u8() & 1 == 1),
        3 => Answer::Order(list(b)),
        4 => Answer::Matches(list(b)),
        5 => Answer::Text(b.string(1100)),
        _ => Answer::Scale(b.index(8)),
    }
}

/// Checks that a session's snapshot restores to the same state.
pub fn check_snapshot(session: &Session) -> Vec<u8> {
    let snap = session.snapshot();
    let restored = Session::restore(Arc::clone(session.pack_arc()), &snap)
        .unwrap_or_else(|e| panic!("a snapshot of a live session does not restore: {e}"));
    assert_eq!(
        restored.snapshot(),
        snap,
        "snapshot → restore → snapshot changed the state"
    );
    snap
}

/// Checks a result record: it encodes, decodes and re-encodes to the same bytes, and goes
/// through a log frame.
pub fn check_record(record: &ResultRecord) {
    let bytes = record.to_bytes().expect("a session's record encodes");
    let back = ResultRecord::from_bytes(&bytes).expect("a record decodes");
    assert_eq!(
        back.to_bytes().expect("encodes"),
        bytes,
        "record encoding is not stable"
    );
    let _ = back.scores();
    let log = log::encode_record(record).expect("a record fits a log frame");
    let rec = log::read_records(&log);
    assert!(rec.records.len() == 1 && rec.damaged.is_empty() && rec.undecodable.is_empty());
}

/// One action, checking that a refused call leaves the session unchanged.
fn act(session: &mut Session, answer: Option<Answer>, now: i64) -> bool {
    let before = session.snapshot();
    let result = match answer {
        Some(a) => session.answer(a, now),
        None => session.advance(now),
    };
    if result.is_err() {
        assert_eq!(
            session.snapshot(),
            before,
            "a refused call changed the session"
        );
    }
    result.is_ok()
}

/// Drives a session with plausible answers for at most `max` actions.
pub fn drive(session: &mut Session, b: &mut Bytes<'_>, max: usize) {
    let mut now = T0;
    for _ in 0..max {
        if session.is_done() {
            break;
        }
        let answer = plausible(session, b);
        now += 1000;
        act(session, answer, now);
        let (done, total) = session.progress();
        assert!(done <= total || session.is_done());
    }
    let _ = session.step();
}

/// Finishes (or abandons) a session and checks its record.
pub fn end(session: &mut Session) {
    let _ = session.step();
    let record = if session.is_done() {
        match session.finish(T0 + 10_000_000) {
            Ok(r) => r,
            // Already ended.
            Err(_) => return,
        }
    } else {
        let r = session
            .abandon(T0 + 10_000_000)
            .expect("abandon a running session");
        assert!(!r.completed || session.is_done());
        r
    };
    check_record(&record);
    assert!(
        session.finish(T0).is_err() && session.abandon(T0).is_err(),
        "ended twice"
    );
    let _ = session.step();
    check_snapshot(session);
}

const LANGS: &[&str] = &[
    "km",
    "en",
    "km-KH",
    "en-US",
    "fr",
    "",
    "x-!!",
    "zh-Hant-TW",
    "EN",
    "km-u-nu-khmr",
];
const LEARNERS: &[&str] = &["T-1", "", "  ", "A\u{7}B", "ក-១", " padded "];

fn languages(b: &mut Bytes<'_>) -> Vec<&'static str> {
    (0..b.below(4))
        .map(|_| LANGS[b.below(LANGS.len())])
        .collect()
}

/// Starts a session with fuzzed options (journey, languages, seed, learner code, clock).
fn start(pack: &Arc<Pack>, b: &mut Bytes<'_>) -> Option<Session> {
    let j = b.below(pack.journeys.len() + 1);
    let journey = pack
        .journeys
        .get(j)
        .map_or("no-such-journey", |j| j.id.as_str());
    let langs = languages(b);
    let seed = b.u64();
    let long = "x".repeat(65);
    let l = b.below(LEARNERS.len() + 1);
    let learner = LEARNERS.get(l).copied().unwrap_or(&long);
    let now = if b.u8() & 1 == 1 { b.u64() as i64 } else { T0 };
    Session::start(
        Arc::clone(pack),
        &SessionOptions {
            journey,
            languages: &langs,
            seed,
            learner,
            now_ms: now,
        },
    )
    .ok()
}

/// `session_calls`: random sequences of session calls on a real pack. The first byte picks
/// the pack, the next ones the start options, then each call takes an opcode and its
/// arguments.
pub fn session_calls(packs: &Packs, data: &[u8]) {
    let mut b = Bytes::new(data);
    let pack = packs.pick(b.u8());
    let Some(mut session) = start(pack, &mut b) else {
        return;
    };
    let mut now = T0;
    for _ in 0..MAX_CALLS {
        if b.is_empty() {
            break;
        }
        let _ = session.step();
        match b.u8() % 12 {
            // Plausible answers or advances, several at once: reach deep steps quickly.
            0..=3 => {
                for _ in 0..=b.below(8) {
                    let a = plausible(&session, &mut b);
                    now = now.saturating_add(1500);
                    act(&mut session, a, now);
                }
            }
            4 => {
                let a = any_answer(&mut b);
                act(&mut session, Some(a), now);
            }
            5 => {
                act(&mut session, None, now);
            }
            6 => {
                // The clock jumps (backwards too).
                now = now.wrapping_add(i64::from(b.u32() as i32) * 1000);
            }
            7 => {
                // Snapshot, restore, continue with the restored session.
                check_snapshot(&session);
                session =
                    Session::restore(Arc::clone(pack), &session.snapshot()).expect("restores");
            }
            8 => {
                // A damaged snapshot: refused or restored, never a panic.
                let mut snap = session.snapshot();
                if !snap.is_empty() {
                    let at = usize::from(b.u16()) % snap.len();
                    snap[at] ^= b.u8() | 1;
                    if b.u8() & 1 == 1 {
                        let body = snap.len().saturating_sub(4);
                        let crc = kru_core::checksum::crc32(&snap[..body]);
                        snap[body..].copy_from_slice(&crc.to_le_bytes());
                    }
                }
                if let Ok(mut s) = Session::restore(Arc::clone(pack), &snap) {
                    let _ = s.step();
                    drive(&mut s, &mut b, 8);
                }
            }
            9 => {
                let langs = languages(&mut b);
                session.set_languages(&langs);
                assert!(!session.language_chain().is_empty());
            }
            10 => {
                let before = session.snapshot();
                match session.finish(now) {
                    Ok(r) => {
                        assert!(r.completed);
                        check_record(&r);
                    }
                    Err(_) => assert_eq!(
                        session.snapshot(),
                        before,
                        "refused finish changed the session"
                    ),
                }
            }
            _ => {
                let before = session.snapshot();
                match session.abandon(now) {
                    Ok(r) => check_record(&r),
                    Err(_) => assert_eq!(
                        session.snapshot(),
                        before,
                        "refused abandon changed the session"
                    ),
                }
            }
        }
    }
    let _ = session.step();
    end(&mut session);
}

/// Rewrites a snapshot's length field and checksum so that mutations of its state get past
/// the frame checks.
pub fn fix_snapshot(bytes: &mut [u8]) {
    if bytes.len() < 14 {
        return;
    }
    let body = bytes.len() - 4;
    let len = (body - 10) as u32;
    bytes[6..10].copy_from_slice(&len.to_le_bytes());
    let crc = kru_core::checksum::crc32(&bytes[..body]);
    bytes[body..].copy_from_slice(&crc.to_le_bytes());
}

/// `snapshot_restore`: the first byte picks the pack (bit 0) and whether the snapshot's
/// length and checksum are fixed up first (bit 1); the rest is a snapshot. What restores
/// must behave like a session.
pub fn snapshot_restore(packs: &Packs, data: &[u8]) {
    let Some((&selector, snap)) = data.split_first() else {
        return;
    };
    let mut fixed = snap.to_vec();
    let snap = if selector & 2 != 0 {
        fix_snapshot(&mut fixed);
        &fixed[..]
    } else {
        snap
    };
    let pack = packs.pick(selector);
    let Ok(mut session) = Session::restore(Arc::clone(pack), snap) else {
        return;
    };
    let _ = session.step();
    check_snapshot(&session);
    drive(&mut session, &mut Bytes::new(snap), MAX_ACTIONS);
    end(&mut session);
}

// ------------------------------------------------------------------------------ results log

/// `results_log`: reads, appends to and merges a log.
pub fn results_log(data: &[u8]) {
    // The reader covers every byte exactly once, frames with a matching checksum.
    let mut pos = 0u64;
    let mut tail_damaged = false;
    let mut whole: Vec<(bool, u64, u64)> = Vec::new();
    for e in LogFrames::new(data) {
        match e {
            LogEntry::Frame { offset, payload } => {
                assert_eq!(offset, pos);
                pos += (log::FRAME_HEADER + payload.len()) as u64;
                tail_damaged = false;
                whole.push((true, offset, payload.len() as u64));
            }
            LogEntry::Damaged(d) => {
                assert_eq!(d.offset, pos);
                assert!(d.len > 0, "empty damage");
                pos += d.len;
                tail_damaged = true;
                match whole.last_mut() {
                    Some((false, o, l)) if *o + *l == d.offset => *l += d.len,
                    _ => whole.push((false, d.offset, d.len)),
                }
            }
        }
    }
    assert_eq!(pos, data.len() as u64, "the reader did not cover the log");

    // The incremental reader, fed the same bytes in pieces, sees the same entries.
    let chunk = 1 + usize::from(data.first().copied().unwrap_or(0)) * 3;
    let mut streamed: Vec<(bool, u64, u64)> = Vec::new();
    let mut see = |e: LogEntry<'_>| match e {
        LogEntry::Frame { offset, payload } => streamed.push((true, offset, payload.len() as u64)),
        LogEntry::Damaged(d) => streamed.push((false, d.offset, d.len)),
    };
    let mut reader = log::LogReader::new();
    for piece in data.chunks(chunk) {
        reader.feed(piece, &mut see);
    }
    reader.finish(&mut see);
    assert_eq!(
        streamed, whole,
        "the incremental reader disagrees with the whole-log reader"
    );

    let rec = log::read_records(data);
    let _ = log::describe(&rec);
    for r in &rec.records {
        // What a reader accepts, a writer can write back.
        let bytes = r.to_bytes().expect("a read record encodes");
        let back = ResultRecord::from_bytes(&bytes).expect("decodes");
        assert_eq!(back.to_bytes().expect("encodes"), bytes);
        let _ = r.scores();
    }

    // Appending after `append_offset` loses nothing and leaves no damage before the new frame.
    let cut = log::append_offset(data);
    assert!(cut <= data.len());
    if !tail_damaged {
        assert_eq!(cut, data.len());
    }
    let mut appended = data[..cut].to_vec();
    let extra = log::encode_record(&probe_record()).expect("encodes");
    appended.extend_from_slice(&extra);
    let after = log::read_records(&appended);
    assert_eq!(
        after.records.len(),
        rec.records.len() + 1,
        "appending lost or invented records"
    );
    assert_eq!(
        after.undecodable.len(),
        rec.undecodable.len(),
        "appending changed the undecodable frames"
    );
    if let Some(d) = after.damaged.last() {
        assert!(
            d.offset + d.len <= cut as u64,
            "damage runs into the appended record"
        );
    }

    // Merging gives a clean log without duplicates, and merging it again changes nothing.
    let split = data.len() / 2;
    let merged = log::merge(&[data, &data[..split], &data[split..], data]);
    let m = log::read_records(&merged);
    assert!(m.damaged.is_empty(), "a merged log has damage");
    let mut ids: Vec<[u8; 16]> = m.records.iter().map(|r| r.record_id).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "a merged log has duplicate records");
    assert_eq!(log::merge(&[&merged]), merged, "merging is not idempotent");
}

/// A record used to probe appending.
pub fn probe_record() -> ResultRecord {
    ResultRecord {
        record_id: [0xAB; 16],
        learner: "probe".into(),
        pack_id: "tiny".into(),
        pack_version: kru_core::pack::Version {
            major: 1,
            minor: 0,
            patch: 0,
        },
        journey: "kiosk".into(),
        language: "en".into(),
        seed: 1,
        forms: vec![],
        started_at: T0,
        ended_at: T0 + 1,
        completed: false,
        demographics: vec![],
        responses: vec![],
        story_path: vec![],
    }
}

// ------------------------------------------------------------------------------ authoring

/// Files of the safe-migration source folder, read once.
#[cfg(feature = "authoring")]
pub fn read_sources(dir: &std::path::Path) -> Vec<kru_core::authoring::SourceFile> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                if let (Ok(rel), Ok(text)) = (p.strip_prefix(dir), std::fs::read_to_string(&p)) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    files.push(kru_core::authoring::SourceFile::new(rel, text));
                }
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// File names an authoring input can replace or add.
pub const SOURCE_PATHS: &[&str] = &[
    "pack.toml",
    "items.toml",
    "lessons.toml",
    "i18n/en.toml",
    "i18n/km.toml",
    "i18n/fr.toml",
    "notes.txt",
];

/// `authoring_parse`: the first byte picks a mode. Even: the rest replaces (or adds) one
/// file of the real source folder `base` (byte 1 picks which), so the compiler sees a
/// complete pack with one hostile file. Odd: the rest is a whole folder of files, each
/// starting with a line `%%% <path>`.
#[cfg(feature = "authoring")]
pub fn authoring_parse(base: &[kru_core::authoring::SourceFile], data: &[u8]) {
    use kru_core::authoring::{compile, SourceFile};
    let mut b = Bytes::new(data);
    let mode = b.u8();
    let files: Vec<SourceFile> = if mode & 1 == 0 {
        let path = SOURCE_PATHS[b.below(SOURCE_PATHS.len())];
        let text = String::from_utf8_lossy(b.rest()).into_owned();
        let mut files: Vec<SourceFile> = base.iter().filter(|f| f.path != path).cloned().collect();
        files.push(SourceFile::new(path, text));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    } else {
        let text = String::from_utf8_lossy(b.rest()).into_owned();
        let mut files = Vec::new();
        for chunk in text.split("%%% ").skip(1) {
            let (path, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
            files.push(SourceFile::new(path.trim(), body));
        }
        files
    };
    let today = kru_core::pack::Date::parse("2026-09-21");
    let out = compile(&files, if mode & 2 == 0 { None } else { today });
    for d in &out.diagnostics {
        let _ = d.to_string();
    }
    assert_eq!(
        out.pack.is_some(),
        !out.has_errors(),
        "a pack with errors, or no pack without"
    );
    if let Some(pack) = out.pack {
        // What the compiler accepts, the engine accepts.
        pack.check()
            .unwrap_or_else(|e| panic!("a compiled pack fails the engine's checks: {e}"));
        let file = format::encode(&pack).expect("a compiled pack encodes");
        let open = TrustPolicy::default().allow_unsigned();
        let loaded = signature::load(&file, &open).expect("a compiled pack loads");
        // Compiling is deterministic.
        let again = compile(&files, if mode & 2 == 0 { None } else { today });
        let again = again.pack.expect("compiles twice");
        assert_eq!(
            format::encode(&again).expect("encodes"),
            file,
            "compiling is not deterministic"
        );
        if files.len() < 4 || mode & 4 != 0 {
            run_pack(Arc::new(loaded), u64::from(mode));
        }
    }
}

/// `strings_po`: the bytes are a PO file for the real pack's Khmer strings. A file that
/// reads is imported into the pack (`kru strings import`); an import that succeeds must give
/// a translation file that is still valid TOML holding every translation it reports.
#[cfg(feature = "authoring")]
pub fn strings_po(base: &[kru_core::authoring::SourceFile], data: &[u8]) {
    use kru_core::authoring::strings::{import, po, Incoming};
    use kru_core::authoring::{compile, SourceFile};
    let Ok(file) = po::read(data) else {
        return;
    };
    let language = file.language.clone().unwrap_or_else(|| "km".into());
    let incoming: Vec<Incoming> = file
        .entries
        .iter()
        .map(|e| Incoming {
            key: e.context.clone(),
            source: e.source.clone(),
            translation: e.translation.clone(),
            fuzzy: e.fuzzy,
            place: format!("line {}", e.line),
        })
        .collect();
    let Ok(out) = import(base, &language, &incoming) else {
        return;
    };
    let mut files: Vec<SourceFile> = base
        .iter()
        .filter(|f| f.path != out.path)
        .cloned()
        .collect();
    files.push(SourceFile::new(out.path.clone(), out.text.clone()));
    let compiled = compile(&files, None);
    assert!(
        !compiled
            .diagnostics
            .iter()
            .any(|d| d.code == "toml-syntax" && d.file == out.path),
        "the import wrote invalid TOML into {}",
        out.path
    );
}

/// `ui_strings`: the input is a catalogue of interface strings, read both ways: as
/// `[interface]` TOML lines (`kru_core::ui::Catalogue::parse`) and as a compiled catalogue
/// (`Catalogue::from_table`, what the web app hands the engine). Each either reads or is
/// refused with `ui-bad-catalogue`; a compiled catalogue that reads is written back the same
/// (`to_table`); a TOML catalogue that parses compiles, resolves as the English base with
/// every id, and its JSON form is one object of every string.
pub fn ui_strings(data: &[u8]) {
    use kru_core::ui::{Catalogue, UiStrings};
    let text = String::from_utf8_lossy(data);
    match Catalogue::from_table(&text) {
        Ok(c) => {
            let again = c
                .to_table()
                .expect("a compiled catalogue that reads is written");
            assert_eq!(Catalogue::from_table(&again).as_ref(), Ok(&c));
        }
        Err(e) => assert_eq!(e.code(), kru_core::ErrorCode::UiBadCatalogue),
    }
    match Catalogue::parse(&text) {
        Ok(c) => {
            let ui = UiStrings::resolve_with(&["km", "en"], None, &[("en", &text)])
                .expect("a catalogue that parses resolves");
            assert_eq!(ui.len(), c.len());
            for id in c.ids() {
                let want = c.get(id).unwrap_or(id);
                assert_eq!(ui.get(id), want, "{id}");
            }
            let json = ui.to_json();
            assert!(json.starts_with('{') && json.ends_with('}'));
            // Compiled (refused only for a text holding U+001E or U+001F, through `\u`), it
            // reads back as the same catalogue.
            if let Ok(table) = c.to_table() {
                assert_eq!(Catalogue::from_table(&table).as_ref(), Ok(&c));
            }
        }
        Err(e) => assert_eq!(e.code(), kru_core::ErrorCode::UiBadCatalogue),
    }
}
