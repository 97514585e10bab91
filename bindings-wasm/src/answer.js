// The JS half of reading an answer (`session.rs`, `answer_from`): one call that looks at the
// answer object and copies its number, boolean or array of numbers into WebAssembly memory,
// instead of a call per property read. `cargo xtask wasm` puts this file inside the glue.
// Every check of the values (whole numbers, ranges) is made in Rust.

// The answer fields, in the order of `ANSWER_FIELDS` in `session.rs`.
const KRU_ANSWERS = ["choice", "choices", "trueFalse", "order", "matches", "text", "scale", "dontKnow"];

/**
 * `answer`'s shape: -1 not an object (or an array), -2 not exactly one field, -3 an unknown
 * field; else the field's index + 8 × its value's form: 0 a number (in `out[0]`), 1 a
 * boolean (`out[0]` 1 or 0), 2 an array of n numbers (in `out`, n × 32 added), 3 anything
 * else (a string, a longer array, a wrong type: Rust reads it).
 */
export function kruAnswer(answer, out) {
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) return -1;
  const keys = Object.keys(answer);
  if (keys.length !== 1) return -2;
  const field = KRU_ANSWERS.indexOf(keys[0]);
  if (field < 0) return -3;
  const v = answer[keys[0]];
  if (typeof v === "number") {
    out[0] = v;
    return field;
  }
  if (typeof v === "boolean") {
    out[0] = v ? 1 : 0;
    return field + 8;
  }
  if (Array.isArray(v) && v.length <= out.length) {
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== "number") return field + 24;
      out[i] = v[i];
    }
    return field + 16 + 32 * v.length;
  }
  return field + 24;
}
