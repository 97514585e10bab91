//! Sessions: start, restore, answer, advance, snapshot, finish.

use core::ffi::c_char;

use kru_core::{Answer, Session, SessionOptions};

use crate::bytes::kru_bytes;
use crate::error::{Failure, FfiResult};
use crate::ffi::{self, handle, kru_str, out};
use crate::kru_result::{self, *};
use crate::pack::{kru_pack, pack_ref};
use crate::panic::{boundary, boundary_void};
use crate::record::kru_record;
use crate::view::View;

/// What a session handle holds: the core session and the view of its current step, rebuilt
/// after every change.
pub(crate) struct SessionHandle {
    pub(crate) session: Session,
    pub(crate) view: View,
    pub(crate) kind_name: &'static str,
}

impl SessionHandle {
    pub(crate) fn new(session: Session) -> Self {
        let step = session.step();
        let (view, kind_name) = (View::of(&step), step.kind());
        SessionHandle {
            session,
            view,
            kind_name,
        }
    }

    /// Runs a change on the session and rebuilds the view (also after an error: the core
    /// leaves the session unchanged then, and the view stays correct either way).
    pub(crate) fn change<T>(
        &mut self,
        f: impl FnOnce(&mut Session) -> Result<T, kru_core::SessionError>,
    ) -> FfiResult<T> {
        let result = f(&mut self.session);
        let step = self.session.step();
        self.view = View::of(&step);
        self.kind_name = step.kind();
        Ok(result?)
    }
}

/// A running session: one learner going through one journey. Create with
/// kru_session_start() or kru_session_restore(), free with kru_session_free().
///
/// Threads: not synchronised. A session may move between threads. Calls that take a
/// `const kru_session *` only read and may run concurrently with each other; calls that
/// take a `kru_session *` change it and must not run concurrently with any other call on
/// the same session.
#[allow(non_camel_case_types)]
pub struct kru_session {
    _private: [u8; 0],
}
handle!(kru_session => SessionHandle, b"kru.sess");

/// Borrows a session for reading.
///
/// # Safety
/// As [`ffi::borrow`].
pub(crate) unsafe fn session_ref<'a>(session: *const kru_session) -> FfiResult<&'a SessionHandle> {
    // SAFETY: forwarded contract.
    unsafe { ffi::borrow(session, "session") }
}

/// Borrows a session for changing.
///
/// # Safety
/// As [`ffi::borrow_mut`].
unsafe fn session_mut<'a>(session: *mut kru_session) -> FfiResult<&'a mut SessionHandle> {
    // SAFETY: forwarded contract.
    unsafe { ffi::borrow_mut(session, "session") }
}

/// Reads a list of preferred languages (`count` UTF-8 `kru_str`, best first).
///
/// # Safety
/// `languages` points to `count` readable `kru_str`, each a readable range (NULL when `count`
/// is 0).
pub(crate) unsafe fn languages_arg<'a>(
    languages: *const kru_str,
    count: usize,
) -> FfiResult<Vec<&'a str>> {
    // SAFETY: the caller's contract: `count` readable kru_str, each a readable UTF-8 range.
    let list = unsafe { ffi::slice(languages, count, "languages")? };
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            // SAFETY: as above.
            unsafe { ffi::str_of(s, &format!("languages[{i}]")) }
        })
        .collect()
}

/// Starts a journey of a pack.
///
/// - `journey`, `journey_len`: the journey id (UTF-8), e.g. `kiosk` (see kru_pack_journey()).
/// - `languages`, `languages_count`: the host's preferred languages, best first, as BCP 47
///   tags (e.g. `km-KH`, `en`); negotiated against the pack's languages, falling back to the
///   pack's default. May be NULL when `languages_count` is 0.
/// - `seed`: seeds every random choice (item draw, crossover, option shuffles).
/// - `learner`, `learner_len`: a pseudonymous learner code (never a name), 1 to 64 printable characters (any script; at most 256 bytes).
/// - `now_ms`: the host's clock, milliseconds since the Unix epoch.
///
/// Errors: KRU_UNKNOWN_JOURNEY, KRU_BAD_LEARNER_CODE, KRU_INVALID_UTF8, KRU_NULL_ARGUMENT.
/// Free the session with kru_session_free().
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kru_session_start(
    pack: *const kru_pack,
    journey: *const c_char,
    journey_len: usize,
    languages: *const kru_str,
    languages_count: usize,
    seed: u64,
    learner: *const c_char,
    learner_len: usize,
    now_ms: i64,
    out_session: *mut *mut kru_session,
) -> kru_result {
    boundary("kru_session_start", || {
        // SAFETY: argument contracts of this function.
        let (pack, journey, languages, learner) = unsafe {
            (
                pack_ref(pack)?,
                ffi::utf8(journey, journey_len, "journey")?,
                languages_arg(languages, languages_count)?,
                ffi::utf8(learner, learner_len, "learner")?,
            )
        };
        let o = out(out_session, "out_session")?;
        let session = Session::start(
            pack.clone(),
            &SessionOptions {
                journey,
                languages: &languages,
                seed,
                learner,
                now_ms,
            },
        )?;
        o.set(ffi::new_handle::<kru_session>(SessionHandle::new(session)));
        Ok(())
    })
}

/// Restores a session saved with kru_session_snapshot() on the same pack (same id and
/// version). The snapshot bytes are checked; damaged or hostile bytes give
/// KRU_BAD_SNAPSHOT. Free the session with kru_session_free().
#[no_mangle]
pub unsafe extern "C" fn kru_session_restore(
    pack: *const kru_pack,
    bytes: *const u8,
    len: usize,
    out_session: *mut *mut kru_session,
) -> kru_result {
    boundary("kru_session_restore", || {
        // SAFETY: argument contracts of this function.
        let (pack, bytes) = unsafe { (pack_ref(pack)?, ffi::slice(bytes, len, "bytes")?) };
        let o = out(out_session, "out_session")?;
        let session = Session::restore(pack.clone(), bytes)?;
        o.set(ffi::new_handle::<kru_session>(SessionHandle::new(session)));
        Ok(())
    })
}

/// Frees a session. NULL is a no-op. A session that is freed without kru_session_finish()
/// or kru_session_abandon() leaves no record.
#[no_mangle]
pub unsafe extern "C" fn kru_session_free(session: *mut kru_session) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_session_free", || unsafe {
        ffi::free(session, "session")
    });
}

/// Saves the whole session to bytes (a kiosk may lose power mid-quiz), at any step. Read
/// them with kru_bytes_data() and free them with kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_session_snapshot(
    session: *const kru_session,
    out_bytes: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_session_snapshot", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_ref(session)? };
        out(out_bytes, "out_bytes")?.set(crate::bytes::new_bytes(s.session.snapshot()));
        Ok(())
    })
}

/// Switches the session's language at any step (the answers so far are kept); the list is
/// as for kru_session_start(). Strings read from the session before are invalidated.
#[no_mangle]
pub unsafe extern "C" fn kru_session_set_languages(
    session: *mut kru_session,
    languages: *const kru_str,
    languages_count: usize,
) -> kru_result {
    boundary("kru_session_set_languages", || {
        // SAFETY: argument contracts of this function.
        let (s, languages) = unsafe {
            (
                session_mut(session)?,
                languages_arg(languages, languages_count)?,
            )
        };
        s.change(|s| {
            s.set_languages(&languages);
            Ok(())
        })
    })
}

/// The tag of the language the session is shown in (e.g. `km`). Valid until the session is
/// freed.
#[no_mangle]
pub unsafe extern "C" fn kru_session_language(
    session: *const kru_session,
    out_tag: *mut kru_str,
) -> kru_result {
    boundary("kru_session_language", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_ref(session)? };
        let o = out(out_tag, "out_tag")?;
        let pack = s.session.pack();
        o.set(kru_str::of(
            pack.languages
                .get(s.session.language())
                .map_or("", |l| l.tag.as_str()),
        ));
        Ok(())
    })
}

/// The session's journey id, learner code and seed. The strings are valid until the session
/// is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_session_info(
    session: *const kru_session,
    out_journey: *mut kru_str,
    out_learner: *mut kru_str,
    out_seed: *mut u64,
) -> kru_result {
    boundary("kru_session_info", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_ref(session)? };
        let (j, l, seed) = (
            ffi::opt(out_journey),
            ffi::opt(out_learner),
            ffi::opt(out_seed),
        );
        j.set(kru_str::of(s.session.journey_id()));
        l.set(kru_str::of(s.session.learner()));
        seed.set(s.session.seed());
        Ok(())
    })
}

/// Progress for a progress bar: planned steps done and planned steps in all, and whether the
/// session reached the end of its journey (or ended).
#[no_mangle]
pub unsafe extern "C" fn kru_session_progress(
    session: *const kru_session,
    out_done: *mut usize,
    out_total: *mut usize,
    out_is_done: *mut bool,
) -> kru_result {
    boundary("kru_session_progress", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_ref(session)? };
        let (d, t, f) = (
            ffi::opt(out_done),
            ffi::opt(out_total),
            ffi::opt(out_is_done),
        );
        let (done, total) = s.session.progress();
        d.set(done);
        t.set(total);
        f.set(s.session.is_done());
        Ok(())
    })
}

/// Whether the session has ended: finished (kru_session_finish()) or abandoned, also when it
/// was restored from a snapshot taken after that. False at the done step before
/// kru_session_finish() (kru_session_progress() says whether the journey is complete).
#[no_mangle]
pub unsafe extern "C" fn kru_session_is_finished(
    session: *const kru_session,
    out_finished: *mut bool,
) -> kru_result {
    boundary("kru_session_is_finished", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_ref(session)? };
        out(out_finished, "out_finished")?.set(s.session.is_ended());
        Ok(())
    })
}

/// An answer index as wide as callers pass it (`uint32_t`; Java's `int`). The core's indexes
/// are 16 bits; a larger index becomes `u16::MAX`, which no step shows (at most
/// `MAX_OPTIONS` options), so the core still reports errors in its usual order (step, type,
/// range), and the message names the index given.
struct Wide {
    too_large: Option<u32>,
}

impl Wide {
    fn new() -> Self {
        Wide { too_large: None }
    }

    fn narrow(&mut self, value: u32) -> u16 {
        u16::try_from(value).unwrap_or_else(|_| {
            self.too_large.get_or_insert(value);
            u16::MAX
        })
    }

    fn narrow_all(&mut self, values: &[u32]) -> Vec<u16> {
        values.iter().map(|&v| self.narrow(v)).collect()
    }
}

unsafe fn answer(
    session: *mut kru_session,
    answer: impl FnOnce(&mut Wide) -> FfiResult<Answer>,
    now_ms: i64,
) -> FfiResult {
    // SAFETY: forwarded contract.
    let s = unsafe { session_mut(session)? };
    let mut wide = Wide::new();
    let a = answer(&mut wide)?;
    s.change(|s| s.answer(a, now_ms))
        .map_err(|f| match wide.too_large {
            Some(value) if f.code == KRU_ANSWER_OUT_OF_RANGE => Failure::new(
                KRU_ANSWER_OUT_OF_RANGE,
                format!("answer index {value} is out of range: {}", shown(&s.view)),
            ),
            _ => f,
        })
}

/// What the current step shows to choose from, for range messages.
fn shown(view: &View) -> String {
    let n = match view {
        View::Question { options, .. } => options.len(),
        View::Intake { options, .. } => options.len(),
        View::Story { choices, .. } => choices.len(),
        _ => 0,
    };
    match n {
        0 => "the step shows nothing to choose from".to_owned(),
        n => format!("the step shows {n} (0 to {})", n - 1),
    }
}

/// Answers the current step with one option, by its position as shown (0-based): a
/// single-choice question, an intake choice or a story choice. Indexes are `uint32_t` in
/// every answer function and checked against what the step shows (65,536 is out of range,
/// never option 0).
///
/// Errors: KRU_WRONG_ANSWER_TYPE (the question takes another type), KRU_ANSWER_OUT_OF_RANGE,
/// KRU_INVALID_CHOICE (a required intake field left empty), KRU_NOT_ANSWERABLE (a page,
/// feedback, a story consequence or ending, …: advance instead), KRU_JOURNEY_COMPLETE (the
/// done step: call kru_session_finish()), KRU_SESSION_ENDED (finished or abandoned).
/// The session is unchanged after every error.
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_choice(
    session: *mut kru_session,
    choice: u32,
    now_ms: i64,
) -> kru_result {
    // SAFETY: argument contract of this function.
    boundary("kru_session_answer_choice", || unsafe {
        answer(session, |w| Ok(Answer::Choice(w.narrow(choice))), now_ms)
    })
}

/// Answers a multiple-response question with the shown positions of the chosen options, in
/// any order (`choices` may be NULL when `count` is 0). Errors as kru_session_answer_choice().
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_choices(
    session: *mut kru_session,
    choices: *const u32,
    count: usize,
    now_ms: i64,
) -> kru_result {
    boundary("kru_session_answer_choices", || {
        // SAFETY: argument contracts of this function.
        unsafe {
            answer(
                session,
                |w| {
                    Ok(Answer::Choices(
                        w.narrow_all(ffi::slice(choices, count, "choices")?),
                    ))
                },
                now_ms,
            )
        }
    })
}

/// Answers a true/false question. Errors as kru_session_answer_choice().
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_bool(
    session: *mut kru_session,
    value: bool,
    now_ms: i64,
) -> kru_result {
    // SAFETY: argument contract of this function.
    boundary("kru_session_answer_bool", || unsafe {
        answer(session, |_| Ok(Answer::TrueFalse(value)), now_ms)
    })
}

/// Answers an ordering question: the shown positions of the steps in the order the learner
/// puts them (all of them, each once). Errors as kru_session_answer_choice().
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_order(
    session: *mut kru_session,
    order: *const u32,
    count: usize,
    now_ms: i64,
) -> kru_result {
    boundary("kru_session_answer_order", || {
        // SAFETY: argument contracts of this function.
        unsafe {
            answer(
                session,
                |w| {
                    Ok(Answer::Order(
                        w.narrow_all(ffi::slice(order, count, "order")?),
                    ))
                },
                now_ms,
            )
        }
    })
}

/// Answers a matching question: for each left entry (kru_session_question_left()), the shown
/// position of the right entry (kru_session_question_option()) chosen for it. Errors as
/// kru_session_answer_choice().
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_matches(
    session: *mut kru_session,
    matches: *const u32,
    count: usize,
    now_ms: i64,
) -> kru_result {
    boundary("kru_session_answer_matches", || {
        // SAFETY: argument contracts of this function.
        unsafe {
            answer(
                session,
                |w| {
                    Ok(Answer::Matches(
                        w.narrow_all(ffi::slice(matches, count, "matches")?),
                    ))
                },
                now_ms,
            )
        }
    })
}

/// Answers with typed text (UTF-8, not NUL-terminated): a short-text or numeric question, or
/// a free intake field. Digits in Khmer and other scripts are accepted. Errors as
/// kru_session_answer_choice(), plus KRU_INVALID_UTF8 and KRU_ANSWER_TOO_LONG (more than
/// 1,024 bytes, for questions and intake fields alike).
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_text(
    session: *mut kru_session,
    text: *const c_char,
    len: usize,
    now_ms: i64,
) -> kru_result {
    boundary("kru_session_answer_text", || {
        // SAFETY: argument contracts of this function.
        unsafe {
            answer(
                session,
                |_| Ok(Answer::Text(ffi::utf8(text, len, "text")?.to_owned())),
                now_ms,
            )
        }
    })
}

/// Answers "I don't know" to a knowledge question that offers it
/// (kru_session_question_dont_know()): scored wrong, recorded as its own answer. Errors as
/// kru_session_answer_choice(), plus KRU_DONT_KNOW_NOT_OFFERED (the question does not offer
/// it).
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_dont_know(
    session: *mut kru_session,
    now_ms: i64,
) -> kru_result {
    // SAFETY: argument contract of this function.
    boundary("kru_session_answer_dont_know", || unsafe {
        answer(session, |_| Ok(Answer::DontKnow), now_ms)
    })
}

/// Answers a Likert (attitude scale) question with a point of the scale, 0 = lowest. Errors
/// as kru_session_answer_choice().
#[no_mangle]
pub unsafe extern "C" fn kru_session_answer_scale(
    session: *mut kru_session,
    point: u32,
    now_ms: i64,
) -> kru_result {
    // SAFETY: argument contract of this function.
    boundary("kru_session_answer_scale", || unsafe {
        answer(session, |w| Ok(Answer::Scale(w.narrow(point))), now_ms)
    })
}

/// Moves past the current step: a page, feedback, a story consequence or ending, a phase
/// summary, the card, or an optional intake field (skipped).
///
/// Errors: KRU_ANSWER_REQUIRED (a question, a required intake field or a story choice must be
/// answered first), KRU_JOURNEY_COMPLETE (the done step: call kru_session_finish()),
/// KRU_SESSION_ENDED (the session was finished or abandoned).
#[no_mangle]
pub unsafe extern "C" fn kru_session_advance(session: *mut kru_session, now_ms: i64) -> kru_result {
    boundary("kru_session_advance", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_mut(session)? };
        s.change(|s| s.advance(now_ms))
    })
}

/// Ends a completed journey (the current step is KRU_STEP_DONE) and gives its result record.
/// Free the record with kru_record_free().
///
/// Errors: KRU_NOT_FINISHED before the end (use kru_session_abandon()), KRU_SESSION_ENDED
/// when the session already ended (a second finish).
#[no_mangle]
pub unsafe extern "C" fn kru_session_finish(
    session: *mut kru_session,
    now_ms: i64,
    out_record: *mut *mut kru_record,
) -> kru_result {
    boundary("kru_session_finish", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_mut(session)? };
        let o = out(out_record, "out_record")?;
        let record = s.change(|s| s.finish(now_ms))?;
        o.set(crate::record::new_record(record));
        Ok(())
    })
}

/// Ends the session early (a kiosk visitor walked away) and gives the partial record, so
/// that no result is lost. Free the record with kru_record_free().
///
/// Errors: KRU_SESSION_ENDED when the session already ended.
#[no_mangle]
pub unsafe extern "C" fn kru_session_abandon(
    session: *mut kru_session,
    now_ms: i64,
    out_record: *mut *mut kru_record,
) -> kru_result {
    boundary("kru_session_abandon", || {
        // SAFETY: argument contract of this function.
        let s = unsafe { session_mut(session)? };
        let o = out(out_record, "out_record")?;
        let record = s.change(|s| s.abandon(now_ms))?;
        o.set(crate::record::new_record(record));
        Ok(())
    })
}
