//! Views leave as JSON text, parsed by the host's `JSON.parse`.
//!
//! [`to_json`] writes the core's `Serialize` views as compact JSON; [`crate::js::to_js`] hands
//! the text to `JSON.parse` in one call. serde-wasm-bindgen instead crossed the boundary once
//! or more per field (creating each key, each string, `Reflect.set`), and its per-type code
//! was most of the serialisation's 12 KB of gzip: a step view is now one string copy and one
//! native parse. The objects are the same as serde-wasm-bindgen's `json_compatible()` gave:
//! `null` for `None` and unit, plain objects for structs and maps, arrays for sequences,
//! numbers for integers up to 2^53 (larger ones are an error, as they were). Floats are
//! written by the host's `Number.prototype.toString` (the shortest text that parses back to
//! the same double, without linking Rust's float formatting); a non-finite float is `null`.

use alloc::string::{String, ToString};
use core::fmt;
use serde::ser::{self, Serialize};

/// Why a value could not be written.
#[derive(Debug)]
pub struct JsonError(String);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl ser::Error for JsonError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsonError(msg.to_string())
    }
}

/// Largest integer a JS number holds exactly.
const MAX_SAFE: u64 = (1 << 53) - 1;

/// `value` as compact JSON.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    let mut w = Writer::new(false);
    value.serialize(&mut w)?;
    Ok(w.0)
}

/// `value` (a struct) as compact JSON, with its 64-bit integer fields written as `0` and
/// returned apart as (field, decimal text), for the host to set as `BigInt`s: a result
/// record's `seed` may be any `u64`. A 64-bit integer below the top level is an error.
pub fn to_json_with_bigints<T: Serialize + ?Sized>(
    value: &T,
) -> Result<(String, WideFields), JsonError> {
    let mut w = Writer::new(true);
    value.serialize(&mut w)?;
    Ok((w.0, w.1.unwrap_or_default()))
}

/// 64-bit integer fields as (field, decimal text).
pub type WideFields = Vec<(&'static str, String)>;

/// The JSON being written.
struct Writer(
    String,
    /// In `to_json_with_bigints`: 64-bit integer fields met so far.
    Option<WideFields>,
    /// How many arrays and objects are open.
    u32,
    /// The key of the last struct field started.
    &'static str,
);

impl Writer {
    fn new(bigints: bool) -> Self {
        Writer(String::with_capacity(256), bigints.then(Vec::new), 0, "")
    }

    /// A 64-bit integer: set apart in `to_json_with_bigints`, else written.
    fn wide(&mut self, negative: bool, magnitude: u64) -> Result<(), JsonError> {
        let Some(list) = self.1.as_mut() else {
            if negative {
                self.0.push('-');
            }
            return self.unsigned(magnitude);
        };
        if self.2 != 1 {
            return Err(JsonError("a 64-bit integer below the top level".into()));
        }
        let key = self.3;
        let mut digits = Writer::new(false);
        if negative {
            digits.0.push('-');
        }
        digits.digits(magnitude);
        list.push((key, digits.0));
        self.0.push('0');
        Ok(())
    }
    fn string(&mut self, s: &str) {
        let out = &mut self.0;
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if u32::from(c) < 0x20 => {
                    let b = u32::from(c);
                    out.push_str("\\u00");
                    out.push(char::from_digit(b >> 4, 16).unwrap_or('0'));
                    out.push(char::from_digit(b & 15, 16).unwrap_or('0'));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    fn unsigned(&mut self, v: u64) -> Result<(), JsonError> {
        if v > MAX_SAFE {
            return Err(JsonError("a number is larger than 2^53".into()));
        }
        self.digits(v);
        Ok(())
    }

    fn digits(&mut self, v: u64) {
        // Largest power of ten not above v, then the digits from the left.
        let mut scale = 1;
        while v / scale >= 10 {
            scale *= 10;
        }
        let mut v = v;
        while scale > 0 {
            self.0.push(char::from(b'0' + (v / scale) as u8));
            v %= scale;
            scale /= 10;
        }
    }

    fn signed(&mut self, v: i64) -> Result<(), JsonError> {
        if v < 0 {
            self.0.push('-');
        }
        self.unsigned(v.unsigned_abs())
    }

    fn float(&mut self, v: f64) {
        if !v.is_finite() {
            self.0.push_str("null");
            return;
        }
        #[cfg(target_family = "wasm")]
        let text: String = js_sys::Number::from(v)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_else(|_| "null".into());
        // Off the web (the unit tests): Rust's shortest round-trip text.
        #[cfg(not(target_family = "wasm"))]
        let text = alloc::format!("{v}");
        self.0.push_str(&text);
    }
}

/// A sequence or object being written: whether an element was written yet.
struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    /// The closing brackets (`]`, `}` or `}}` for a variant wrapped in an object).
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.w.0.push(',');
        }
        self.first = false;
    }

    fn key(&mut self, key: &'static str) {
        self.w.3 = key;
        self.comma();
        self.w.string(key);
        self.w.0.push(':');
    }

    fn end(self) -> Result<(), JsonError> {
        self.w.0.push_str(self.close);
        self.w.2 -= 1;
        Ok(())
    }
}

/// Starts an array or object (`open`), to be closed with `close`.
fn open<'a>(w: &'a mut Writer, open: &str, close: &'static str) -> Compound<'a> {
    w.0.push_str(open);
    w.2 += 1;
    Compound {
        w,
        first: true,
        close,
    }
}

/// Starts `{"variant":` followed by an array or object.
fn open_variant<'a>(
    w: &'a mut Writer,
    variant: &str,
    inner: &str,
    close: &'static str,
) -> Compound<'a> {
    w.0.push('{');
    w.string(variant);
    w.0.push(':');
    open(w, inner, close)
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), JsonError> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), JsonError> {
        self.signed(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), JsonError> {
        self.signed(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), JsonError> {
        self.signed(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), JsonError> {
        self.wide(v < 0, v.unsigned_abs())
    }
    fn serialize_u8(self, v: u8) -> Result<(), JsonError> {
        self.unsigned(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), JsonError> {
        self.unsigned(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), JsonError> {
        self.unsigned(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), JsonError> {
        self.wide(false, v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), JsonError> {
        self.float(v.into());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), JsonError> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), JsonError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), JsonError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), JsonError> {
        let mut seq = open(self, "[", "]");
        for b in v {
            seq.comma();
            seq.w.unsigned(u64::from(*b))?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), JsonError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), JsonError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), JsonError> {
        self.0.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), JsonError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), JsonError> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        self.0.push('{');
        self.string(variant);
        self.0.push(':');
        value.serialize(&mut *self)?;
        self.0.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, JsonError> {
        Ok(open(self, "[", "]"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, JsonError> {
        Ok(open(self, "[", "]"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, JsonError> {
        Ok(open(self, "[", "]"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, JsonError> {
        Ok(open_variant(self, variant, "[", "]}"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, JsonError> {
        Ok(open(self, "{", "}"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, JsonError> {
        Ok(open(self, "{", "}"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, JsonError> {
        Ok(open_variant(self, variant, "{", "}}"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        self.comma();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), JsonError> {
        self.comma();
        // Keys are strings (objects, as serde-wasm-bindgen's `json_compatible`); a number key
        // is written as its text.
        let mut k = Writer::new(false);
        key.serialize(&mut k)?;
        if k.0.starts_with('"') {
            self.w.0.push_str(&k.0);
        } else {
            self.w.string(&k.0);
        }
        self.w.0.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        self.key(key);
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::vec;
    use alloc::vec::Vec;
    use serde::Serialize;

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "kebab-case")]
    enum Step {
        Question {
            prompt: String,
            options: Vec<String>,
            credit: Option<f32>,
        },
        Done,
    }

    #[derive(Serialize)]
    enum Answer {
        Choice(u16),
        Order(Vec<u16>),
        Pair(u8, u8),
        Named { a: i64 },
        Nothing,
    }

    #[test]
    fn writes_the_shapes_serde_derives() {
        let q = Step::Question {
            prompt: "Say \"hi\"\\\n\u{1}ក".into(),
            options: vec!["a".into(), "b".into()],
            credit: None,
        };
        assert_eq!(
            to_json(&q).unwrap(),
            r#"{"kind":"question","prompt":"Say \"hi\"\\\n\u0001ក","options":["a","b"],"credit":null}"#
        );
        assert_eq!(to_json(&Step::Done).unwrap(), r#"{"kind":"done"}"#);
        assert_eq!(to_json(&Answer::Choice(3)).unwrap(), r#"{"Choice":3}"#);
        assert_eq!(
            to_json(&Answer::Order(vec![2, 0])).unwrap(),
            r#"{"Order":[2,0]}"#
        );
        assert_eq!(to_json(&Answer::Pair(1, 2)).unwrap(), r#"{"Pair":[1,2]}"#);
        assert_eq!(
            to_json(&Answer::Named { a: -12 }).unwrap(),
            r#"{"Named":{"a":-12}}"#
        );
        assert_eq!(to_json(&Answer::Nothing).unwrap(), r#""Nothing""#);
        let mut m = BTreeMap::new();
        m.insert(7u16, true);
        m.insert(10u16, false);
        assert_eq!(to_json(&m).unwrap(), r#"{"7":true,"10":false}"#);
        assert_eq!(to_json(&(0.5f64, f64::NAN, 0u8)).unwrap(), "[0.5,null,0]");
    }

    #[derive(Serialize)]
    struct Record {
        seed: u64,
        at: i64,
        small: u32,
        nested: Vec<i64>,
    }

    #[test]
    fn wide_integers_are_set_apart_at_the_top_level_only() {
        let r = Record {
            seed: u64::MAX,
            at: -5,
            small: 7,
            nested: vec![],
        };
        let (text, wide) = to_json_with_bigints(&r).unwrap();
        assert_eq!(text, r#"{"seed":0,"at":0,"small":7,"nested":[]}"#);
        assert_eq!(
            wide,
            [("seed", "18446744073709551615".into()), ("at", "-5".into())]
        );
        let r = Record {
            seed: 1,
            at: 2,
            small: 3,
            nested: vec![4],
        };
        assert!(to_json_with_bigints(&r).is_err());
        assert_eq!(
            to_json(&r).unwrap(),
            r#"{"seed":1,"at":2,"small":3,"nested":[4]}"#
        );
    }

    #[test]
    fn integers_up_to_2_pow_53_and_no_further() {
        assert_eq!(to_json(&0u64).unwrap(), "0");
        assert_eq!(to_json(&i64::from(i32::MIN)).unwrap(), "-2147483648");
        assert_eq!(to_json(&MAX_SAFE).unwrap(), "9007199254740991");
        assert!(to_json(&(MAX_SAFE + 1)).is_err());
        assert!(to_json(&i64::MIN).is_err());
    }

    proptest::proptest! {
        /// Every string survives as a JSON string (checked with serde_json's parser).
        #[test]
        fn strings_round_trip(s in ".*") {
            let text = to_json(&s).unwrap();
            let back: String = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(back, s);
        }

        #[test]
        fn numbers_round_trip(n in -(MAX_SAFE as i64)..=(MAX_SAFE as i64), x in proptest::num::f64::NORMAL) {
            let back: i64 = serde_json::from_str(&to_json(&n).unwrap()).unwrap();
            proptest::prop_assert_eq!(back, n);
            // (The shipped module writes floats with JS's Number.prototype.toString.)
            proptest::prop_assert_eq!(to_json(&x).unwrap().parse::<f64>().unwrap(), x);
        }
    }
}
