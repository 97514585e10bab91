//! Reading the answer of `Session.answer` in one call into JS.
//!
//! An answer is an object with exactly one field (`{ choice: 0 }`, `{ order: [2, 0, 1] }`,
//! `{ text: "1288" }`, …). Read with `Reflect` from Rust it cost five to ten calls into JS
//! (`Object.keys`, the key as a Rust string, `Reflect.get`, `Array.isArray`, the length, one
//! call per element and per number); `kruAnswer` of `tape.js` reads it on the JS side instead
//! and writes what it found as numbers into a small buffer on the Rust stack: what kind of
//! answer it is (or which of the shape checks failed) and its numbers; a text answer comes back
//! as the one string. The checks of the numbers (whole, 0 to 65535) and every error message
//! stay here, so the JS side only copies.

use alloc::string::String;
use alloc::vec::Vec;
use kru_core::pack::item::Answer;
use kru_core::ErrorCode;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::error::{KruError, KruResult};
use crate::js::{bad, index_number};

#[wasm_bindgen(module = "/src/tape.js")]
extern "C" {
    /// Reads `answer` into the `room` f64s at byte `at` of `memory`: `[outcome, n, values…]`,
    /// `outcome` one of the constants below, `n` an array's length (then the values of its
    /// elements from `from` on, as many as there is room for) or the answer's number (a
    /// boolean as 0 or 1). Returns the string of a text answer.
    #[wasm_bindgen(js_name = kruAnswer)]
    fn read_js(
        answer: &JsValue,
        memory: &JsValue,
        at: usize,
        room: usize,
        from: usize,
    ) -> Option<String>;
}

/// The outcomes `kruAnswer` writes: the answer kinds (the order of `KRU_ANSWERS` in
/// `tape.js`), then the shape checks that failed.
const CHOICE: f64 = 0.0;
const CHOICES: f64 = 1.0;
const TRUE_FALSE: f64 = 2.0;
const ORDER: f64 = 3.0;
const MATCHES: f64 = 4.0;
const TEXT: f64 = 5.0;
const SCALE: f64 = 6.0;
const DONT_KNOW: f64 = 7.0;
/// Not an object (or an array).
const NOT_AN_OBJECT: f64 = 8.0;
/// Not exactly one field.
const NOT_ONE_FIELD: f64 = 9.0;
/// A field that is no answer type.
const UNKNOWN_TYPE: f64 = 10.0;
// 11 (or anything else): the value has the wrong type, or reading it threw.

/// Room for the outcome, the length of an array and this many of its values; a longer array
/// is read in several calls.
const VALUES: usize = 16;

/// Reads an answer: an object with exactly one of `choice`, `choices`, `trueFalse`, `order`,
/// `matches`, `text`, `scale`, `dontKnow` (`true`). `memory`: the module's
/// `WebAssembly.Memory`.
pub(crate) fn read(value: &JsValue, memory: &JsValue) -> KruResult<Answer> {
    let mut list: Vec<u16> = Vec::new();
    loop {
        let mut room = [0.0f64; 2 + VALUES];
        let at = room.as_mut_ptr() as usize;
        let text = read_js(value, memory, at, room.len(), list.len());
        let [outcome, n, values @ ..] = room;
        let index = |n: f64| index_number(n).ok_or_else(wrong_type);
        let array = outcome == CHOICES || outcome == ORDER || outcome == MATCHES;
        if array {
            // The values of elements `list.len()..`, as many as there was room for.
            let rest = (n as usize).saturating_sub(list.len()).min(VALUES);
            for v in values.iter().take(rest) {
                list.push(index(*v)?);
            }
            if rest == VALUES && list.len() < n as usize {
                continue;
            }
        }
        return Ok(match outcome {
            CHOICE => Answer::Choice(index(n)?),
            SCALE => Answer::Scale(index(n)?),
            TRUE_FALSE => Answer::TrueFalse(n != 0.0),
            DONT_KNOW => Answer::DontKnow,
            TEXT => Answer::Text(text.ok_or_else(wrong_type)?),
            CHOICES => Answer::Choices(list),
            ORDER => Answer::Order(list),
            MATCHES => Answer::Matches(list),
            NOT_AN_OBJECT => return Err(wrong("an answer must be an object")),
            NOT_ONE_FIELD => return Err(wrong("an answer must have exactly one field")),
            UNKNOWN_TYPE => return Err(wrong("unknown answer type")),
            _ => return Err(wrong_type()),
        });
    }
}

/// A `bad-answer` error: `problem` and the shapes an answer may have.
fn wrong(problem: &str) -> KruError {
    const SHAPE: &str = " (expected one of { choice: n }, { choices: [n] }, { trueFalse: b }, \
                         { order: [n] }, { matches: [n] }, { text: s }, { scale: n }, \
                         { dontKnow: true })";
    bad(ErrorCode::BadAnswer, problem, SHAPE)
}

/// The `bad-answer` error of a value of the wrong type.
fn wrong_type() -> KruError {
    wrong("the answer's value has the wrong type (indices are whole numbers from 0 to 65535)")
}
