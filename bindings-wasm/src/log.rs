//! Results logs: append-only files of framed result records.
//!
//! The main module has what a kiosk needs to append to a log (`appendOffset`; records come
//! with their frame as `bytes`). Reading logs back (`readLog`, `LogReader`) and merging them
//! (`mergeLogs`) is for the teacher's and the M&E officer's screens: with the `analysis`
//! feature, in the npm package's `full` module (reading alone is about 4 KB of gzip the kiosk
//! would otherwise download, docs/performance.md).

use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(feature = "analysis")]
pub use reading::*;

/// Reading and merging logs (the `full` module).
#[cfg(feature = "analysis")]
mod reading {
    use alloc::string::ToString;
    use alloc::vec::Vec;
    use js_sys::Array;
    use kru_core::record::log::LogReader;
    use kru_core::record::log::{self, Damage, LogEntry, LogFrames};
    use kru_core::ErrorCode;
    use kru_core::ResultRecord;
    use serde::Serialize;
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::JsValue;

    use crate::error::KruError;
    use crate::js::{to_js, PLAIN};
    use crate::session::record_to_js;

    /// A damaged stretch of a log.
    #[derive(Serialize)]
    struct DamageInfo {
        offset: usize,
        length: usize,
    }

    impl From<&Damage> for DamageInfo {
        fn from(d: &Damage) -> Self {
            DamageInfo {
                offset: usize::try_from(d.offset).unwrap_or(usize::MAX),
                length: usize::try_from(d.len).unwrap_or(usize::MAX),
            }
        }
    }

    /// A frame whose checksum matched but which does not decode as a record.
    #[derive(Serialize)]
    struct Undecodable {
        offset: usize,
        code: &'static str,
        message: alloc::string::String,
    }

    /// What a log (or a chunk of one) gave: records, damaged stretches, undecodable frames.
    #[derive(Default)]
    struct Contents {
        records: Vec<ResultRecord>,
        damaged: Vec<DamageInfo>,
        undecodable: Vec<Undecodable>,
    }

    impl Contents {
        fn add(&mut self, entry: LogEntry<'_>) {
            match entry {
                LogEntry::Frame { offset, payload } => match ResultRecord::from_bytes(payload) {
                    Ok(r) => self.records.push(r),
                    Err(e) => self.undecodable.push(Undecodable {
                        offset: usize::try_from(offset).unwrap_or(usize::MAX),
                        code: e.code().name(),
                        message: e.to_string(),
                    }),
                },
                LogEntry::Damaged(d) => self.damaged.push(DamageInfo::from(&d)),
            }
        }

        fn to_js(&self) -> Result<JsValue, KruError> {
            let records = Array::new();
            for r in &self.records {
                records.push(&record_to_js(r)?);
            }
            let out = js_sys::Object::new();
            set(&out, "records", &records);
            set(&out, "damaged", &to_js(&self.damaged, &PLAIN)?);
            set(&out, "undecodable", &to_js(&self.undecodable, &PLAIN)?);
            Ok(out.into())
        }
    }

    /// Reads every record of a results log. Never throws on damage: a torn last write or a bad
    /// stretch is skipped and listed in `damaged`; frames from a newer engine are listed in
    /// `undecodable`. Each record carries its frame as `bytes`, ready to append to another log.
    /// (With the `analysis` feature: in the npm package's `full` module.)
    #[wasm_bindgen(js_name = readLog, unchecked_return_type = "LogContents")]
    pub fn read_log(bytes: &[u8]) -> Result<JsValue, KruError> {
        let mut contents = Contents::default();
        LogFrames::new(bytes).for_each(|e| contents.add(e));
        contents.to_js()
    }

    /// Reads a results log that arrives in chunks (a large file read with `File.stream()`, a
    /// download): `feed(chunk)` gives what is complete so far, `finish()` the rest. Memory stays
    /// bounded by one record. (With the `analysis` feature: in the npm package's `full` module.)
    #[wasm_bindgen(js_name = LogReader)]
    pub struct JsLogReader(Option<LogReader>);

    #[wasm_bindgen(js_class = LogReader)]
    impl JsLogReader {
        /// A reader at the start of a log.
        #[wasm_bindgen(constructor)]
        pub fn new() -> JsLogReader {
            JsLogReader(Some(LogReader::new()))
        }

        /// Takes the next chunk; returns the records, damage and undecodable frames now complete.
        #[wasm_bindgen(unchecked_return_type = "LogContents")]
        pub fn feed(&mut self, chunk: &[u8]) -> Result<JsValue, KruError> {
            let reader = self.0.as_mut().ok_or_else(finished)?;
            let mut contents = Contents::default();
            reader.feed(chunk, |e| contents.add(e));
            contents.to_js()
        }

        /// Ends the input: returns what is left (a frame cut by the end is damage: a torn write).
        #[wasm_bindgen(unchecked_return_type = "LogContents")]
        pub fn finish(&mut self) -> Result<JsValue, KruError> {
            let reader = self.0.take().ok_or_else(finished)?;
            let mut contents = Contents::default();
            reader.finish(|e| contents.add(e));
            contents.to_js()
        }
    }

    impl Default for JsLogReader {
        fn default() -> Self {
            Self::new()
        }
    }

    fn finished() -> KruError {
        KruError::argument(
            ErrorCode::InvalidArgument,
            "the log reader has been finished; create a new LogReader",
        )
    }

    fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
    }

    /// Merges logs (e.g. from many kiosks) into one clean log without duplicate records (same
    /// record id), keeping the first copy; damaged stretches are dropped. (With the `analysis`
    /// feature: in the npm package's `full` module.)
    #[wasm_bindgen(js_name = mergeLogs)]
    pub fn merge_logs(logs: Vec<js_sys::Uint8Array>) -> Vec<u8> {
        let owned: Vec<Vec<u8>> = logs.iter().map(js_sys::Uint8Array::to_vec).collect();
        let slices: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
        log::merge(&slices)
    }
}

/// The length to truncate a log file to before appending: the end of the last complete
/// frame when the log ends in a torn write, else its length.
#[wasm_bindgen(js_name = appendOffset)]
pub fn append_offset(bytes: &[u8]) -> usize {
    kru_core::record::log::append_offset(bytes)
}
