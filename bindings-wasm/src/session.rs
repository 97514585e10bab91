//! `Session`: one learner's run through a journey.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use kru_core::record::log::encode_record;
use kru_core::{ErrorCode, ResultRecord, SessionOptions};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::error::{KruError, KruResult};
use crate::js::{bad, field, millis, strings, unsigned64};
use crate::pack::Pack;
use crate::view::{step_to_js, SharedStrings};

/// Reads `Session.start` options: `{ journey, languages?, seed, learner, nowMs }`.
fn start_options(o: &JsValue) -> KruResult<(String, Vec<String>, u64, String, i64)> {
    const WHAT: &str = "Session.start options";
    if !o.is_object() {
        return Err(bad(ErrorCode::BadOptions, WHAT, " must be an object"));
    }
    let journey = field(o, "journey")
        .as_string()
        .ok_or_else(|| bad(ErrorCode::BadOptions, WHAT, ": journey must be a string"))?;
    let languages = match field(o, "languages") {
        v if v.is_undefined() => Vec::new(),
        v => strings(&v).ok_or_else(|| {
            bad(
                ErrorCode::BadOptions,
                WHAT,
                ": languages must be an array of strings",
            )
        })?,
    };
    let seed = unsigned64(&field(o, "seed")).ok_or_else(|| {
        bad(
            ErrorCode::BadOptions,
            WHAT,
            ": seed must be a whole number from 0 to 2^53 − 1, or a bigint from 0 to 2^64 − 1",
        )
    })?;
    let learner = field(o, "learner")
        .as_string()
        .ok_or_else(|| bad(ErrorCode::BadOptions, WHAT, ": learner must be a string"))?;
    let now = field(o, "nowMs").as_f64().ok_or_else(|| {
        bad(
            ErrorCode::BadOptions,
            WHAT,
            ": nowMs must be a number (e.g. Date.now())",
        )
    })?;
    Ok((journey, languages, seed, learner, millis(now, "nowMs")?))
}

/// A result record as a plain object, with its results-log frame as `bytes`.
pub(crate) fn record_to_js(record: &ResultRecord) -> KruResult<JsValue> {
    let frame = encode_record(record)?;
    Ok(crate::plain::record(record, &frame))
}

/// A running session: a deterministic state machine over a journey of a pack.
///
/// Read [`Session::step`], then [`Session::answer`] questions, intake fields and story
/// choices, and [`Session::advance`] past everything else; at the `done` step,
/// [`Session::finish`]. Every call that fails leaves the session unchanged. `free()` it when
/// done (or let the garbage collector do it).
#[wasm_bindgen]
pub struct Session {
    inner: kru_core::Session,
    /// The pack's JS strings (shared with the `Pack` and its other sessions).
    strings: SharedStrings,
    /// The module's `WebAssembly.Memory`, where `tape.js` writes an answer it reads.
    memory: JsValue,
}

#[wasm_bindgen]
impl Session {
    /// Starts a journey of `pack`: `{ journey, languages, seed, learner, nowMs }`. Throws
    /// `unknown-journey`, `bad-learner-code` or `bad-options`.
    pub fn start(
        pack: &Pack,
        #[wasm_bindgen(unchecked_param_type = "StartOptions")] options: JsValue,
    ) -> Result<Session, KruError> {
        let (journey, languages, seed, learner, now_ms) = start_options(&options)?;
        let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
        let inner = kru_core::Session::start(
            Arc::clone(&pack.inner),
            &SessionOptions {
                journey: &journey,
                languages: &languages,
                seed,
                learner: &learner,
                now_ms,
            },
        )?;
        Ok(Session {
            inner,
            strings: Rc::clone(&pack.strings),
            memory: wasm_bindgen::memory(),
        })
    }

    /// Restores a session saved with [`Session::snapshot`], on the same pack (id and
    /// version). Throws `bad-snapshot` for damaged, foreign or hostile bytes.
    pub fn restore(pack: &Pack, bytes: &[u8]) -> Result<Session, KruError> {
        let inner = kru_core::Session::restore(Arc::clone(&pack.inner), bytes)?;
        Ok(Session {
            inner,
            strings: Rc::clone(&pack.strings),
            memory: wasm_bindgen::memory(),
        })
    }

    /// The current step as a new plain object, every text in the session's language; switch
    /// on its `kind`. The JS strings of the pack's texts are made once and reused by later
    /// steps (and by the other sessions of the same `Pack`).
    #[wasm_bindgen(unchecked_return_type = "Step")]
    pub fn step(&self) -> JsValue {
        step_to_js(&self.strings, &self.inner)
    }

    /// Answers the current question, intake field or story scene. Option indices are the
    /// positions as shown. Throws `wrong-answer-type`, `answer-out-of-range`,
    /// `not-answerable`, `invalid-choice`, `session-ended` or `bad-answer` (not an answer
    /// object).
    pub fn answer(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Answer")] answer: JsValue,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<(), KruError> {
        let answer = crate::answer::read(&answer, &self.memory)?;
        let now = millis(now_ms, "nowMs")?;
        Ok(self.inner.answer(answer, now)?)
    }

    /// Moves past the current page, feedback, story consequence or ending, phase summary,
    /// card, or optional intake field. Throws `answer-required` at a question and
    /// `session-ended` after the end.
    pub fn advance(
        &mut self,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<(), KruError> {
        let now = millis(now_ms, "nowMs")?;
        Ok(self.inner.advance(now)?)
    }

    /// Switches the language at any step (preferred BCP 47 tags, best first); answers so far
    /// are kept.
    #[wasm_bindgen(js_name = setLanguages)]
    pub fn set_languages(&mut self, languages: Vec<String>) {
        let tags: Vec<&str> = languages.iter().map(String::as_str).collect();
        self.inner.set_languages(&tags);
    }

    /// The whole session as bytes (store them; a kiosk may lose power).
    pub fn snapshot(&self) -> Vec<u8> {
        self.inner.snapshot()
    }

    /// Ends a completed journey (at the `done` step) and returns its result record, with
    /// `bytes` to append to the results log. Throws `not-finished` before the end (use
    /// `abandon`) and `session-ended` when called twice.
    #[wasm_bindgen(unchecked_return_type = "ResultRecord")]
    pub fn finish(
        &mut self,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, KruError> {
        let now = millis(now_ms, "nowMs")?;
        let record = self.inner.finish(now)?;
        record_to_js(&record)
    }

    /// Ends the session early (a kiosk visitor walked away) and returns the partial record
    /// (`completed: false`), so that no result is lost. Throws `session-ended` when called
    /// twice.
    #[wasm_bindgen(unchecked_return_type = "ResultRecord")]
    pub fn abandon(
        &mut self,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, KruError> {
        let now = millis(now_ms, "nowMs")?;
        let record = self.inner.abandon(now)?;
        record_to_js(&record)
    }

    /// `{ done, total }`: planned steps passed and planned steps in all, for a progress bar.
    #[wasm_bindgen(unchecked_return_type = "Progress")]
    pub fn progress(&self) -> Result<JsValue, KruError> {
        let (done, total) = self.inner.progress();
        Ok(crate::view::progress(done, total))
    }

    /// Whether the journey reached its end (or the session ended).
    #[wasm_bindgen(getter, js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    /// The tag of the language the session is shown in.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        let pack = self.inner.pack();
        pack.languages
            .get(self.inner.language())
            .map(|l| l.tag.clone())
            .unwrap_or_default()
    }

    /// The journey's id.
    #[wasm_bindgen(getter)]
    pub fn journey(&self) -> String {
        self.inner.journey_id().into()
    }

    /// The learner code.
    #[wasm_bindgen(getter)]
    pub fn learner(&self) -> String {
        self.inner.learner().into()
    }

    /// The seed (a `bigint`: seeds are 64-bit).
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> u64 {
        self.inner.seed()
    }
}
