// The JS half of `tape.rs`: one call builds a whole step (or result record, or progress)
// from the description Rust writes into WebAssembly memory, instead of a call per property;
// and of `answer.rs`: one call reads an answer (`kruAnswer`, at the end).
// `cargo xtask wasm` puts this file inside the package's glue (wasm-bindgen would leave it in
// a `snippets/` folder), without its comments and white space.
//
// The tape is a run of f64s in WebAssembly memory: values, each an opcode and its operands:
// 0 null, 1 false, 2 true, 3 x a number, 4 h a b the new string h (UTF-16 units a..b of the
// tape's text), 5 an object: (key index, value)* then -1, 6 an array: value* then -1, 7 t a
// a label `{ text: t, audio: a }`, 8 a b a string not kept, 9 h l and 10 h l a BigInt of a
// u64 and of an i64 (high, low 32 bits), 11 p n a Uint8Array copy of n bytes at p; 16 to 31
// an object of a known shape (`kruShaped`), its values following in order; from 32 on, the
// kept string (opcode − 32).

// The property names (`tape.rs` writes their indices).
const KRU_KEYS = "type text audio phase story id name phone hours purpose verified year month day node phase_kind item number total correct credit score max absolute normalised synthetic record_id learner pack_id pack_version major minor patch journey language seed forms started_at ended_at completed demographics responses story_path bytes answer at_offset_ms choice Choice Choices TrueFalse Order Matches Text Scale done".split(" ");
// `ignoreBOM`: a text may begin with U+FEFF, which must stay.
const kruUtf16 = new TextDecoder("utf-16le", { ignoreBOM: true });
// In Node.js, `Buffer`'s UTF-16 decoding (a copy) costs a third of a `TextDecoder` call
// (Node 20: 0.3 against 1.0 µs for 260 units); browsers have no `Buffer` and use the decoder.
const kruNode = typeof Buffer === "function" && globalThis.process?.versions?.node ? Buffer : null;
let kruBuffer, kruF64, kruBytes, kruTape, kruAt, kruKept, kruText;

// The memory as f64s (a view made again when the memory has grown), and in Node.js as a
// `Buffer`.
function kruMemory(memory) {
  if (memory.buffer !== kruBuffer) {
    kruBuffer = memory.buffer;
    kruF64 = new Float64Array(kruBuffer);
    kruBytes = kruNode?.from(kruBuffer);
  }
  return kruF64;
}

function kruValue() {
  const t = kruTape;
  const op = t[kruAt++];
  if (op >= 32) return kruKept[op - 32];
  if (op >= 16) return kruShaped(op);
  switch (op) {
    case 0: return null;
    case 1: return false;
    case 2: return true;
    case 3: return t[kruAt++];
    case 4: {
      const s = kruText.slice(t[kruAt + 1], t[kruAt + 2]);
      kruKept[t[kruAt]] = s;
      kruAt += 3;
      return s;
    }
    case 5: {
      const o = {};
      for (let k = t[kruAt++]; k >= 0; k = t[kruAt++]) o[KRU_KEYS[k]] = kruValue();
      return o;
    }
    case 6: {
      const a = [];
      while (t[kruAt] >= 0) a.push(kruValue());
      kruAt++;
      return a;
    }
    case 7: {
      // Most labels: a kept text and a kept audio path or none, read here without a call each.
      const a = t[kruAt], b = t[kruAt + 1];
      if (a >= 32 && (b >= 32 || b === 0)) {
        kruAt += 2;
        return { text: kruKept[a - 32], audio: b === 0 ? null : kruKept[b - 32] };
      }
      return { text: kruValue(), audio: kruValue() };
    }
    case 8: return kruText.slice(t[kruAt++], t[kruAt++]);
    case 11: return new Uint8Array(kruBuffer.slice(t[kruAt++], t[kruAt - 1] + t[kruAt++]));
    default: {
      // 9, 10.
      const n = (BigInt(t[kruAt++]) << 32n) | BigInt(t[kruAt++]);
      return op === 9 ? n : BigInt.asIntN(64, n);
    }
  }
}

// The objects a step is made of, by shape (opcode − 16; `tape.rs` names them): object
// literals, so that every object of a shape is made with its hidden class at once (adding the
// properties one by one from a list took twice as long).
function kruShaped(op) {
  const v = kruValue;
  switch (op) {
    case 16: return { kind: v(), phase: v(), phase_kind: v(), item: v(), item_kind: v(), expects: v(), number: v(), total: v(), prompt: v(), options: v(), left: v(), dont_know: v() };
    case 17: return { kind: v(), item: v(), item_kind: v(), prompt: v(), review: v(), correct: v(), credit: v(), message: v(), explanation: v(), right_answer: v(), right_bool: v(), dont_know: v() };
    case 18: return { kind: v(), phase: v(), lesson: v(), title: v(), page: v(), pages: v(), blocks: v() };
    case 19: return { kind: v(), field: v(), label: v(), options: v(), required: v() };
    case 20: return { kind: v(), story: v(), title: v(), node: v(), text: v(), image: v(), choices: v(), consequence: v(), ending: v() };
    case 21: return { kind: v(), phase: v(), phase_kind: v(), title: v(), score: v(), max: v(), correct: v() };
    case 22: return { kind: v(), title: v(), messages: v(), resources: v(), footer: v() };
    case 23: return { kind: v(), pre: v(), post: v(), gain: v() };
    case 24: return { type: v(), text: v() };
    case 25: return { type: v(), entries: v() };
    case 26: return { type: v(), objective: v(), title: v(), summary: v() };
    case 27: return { type: v(), src: v(), alt: v() };
    default: return { type: v(), story: v(), title: v() };
  }
}

/**
 * The value the tape at byte `tape` of `memory` describes; `kept`: the pack's strings by
 * handle; bytes `text`..`textEnd`: the UTF-16 text of the new ones.
 */
export function kruBuild(kept, memory, tape, text, textEnd) {
  kruTape = kruMemory(memory);
  kruAt = tape / 8;
  kruKept = kept;
  kruText = textEnd <= text ? "" : kruBytes ? kruBytes.toString("utf16le", text, textEnd) : kruUtf16.decode(new Uint16Array(kruBuffer, text, (textEnd - text) / 2));
  const v = kruValue();
  kruTape = kruKept = kruText = undefined;
  return v;
}

// The answer types, in the order of the outcomes of `answer.rs`.
const KRU_ANSWERS = "choice choices trueFalse order matches text scale dontKnow".split(" ");

/**
 * Reads an answer of `Session.answer` for `answer.rs` in one call: writes `[outcome, n,
 * values…]` into the `room` f64s at byte `at` of `memory`, where outcome is the answer type's
 * index in `KRU_ANSWERS`, or 8 not an object, 9 not one field, 10 an unknown type, 11 a value
 * of the wrong type (or one that threw when read); n is an array's length (its numbers from
 * element `from` on follow) or the number (a boolean: 0 or 1). Returns a text answer's
 * string. Rust checks the numbers.
 */
export function kruAnswer(answer, memory, at, room, from) {
  const i = at / 8;
  let outcome = 11, n = 0, text;
  try {
    const keys = typeof answer === "object" && answer !== null && !Array.isArray(answer) ? Object.keys(answer) : null;
    const kind = keys === null ? -3 : keys.length !== 1 ? -2 : KRU_ANSWERS.indexOf(keys[0]);
    const v = kind >= 0 ? answer[keys[0]] : undefined;
    if (kind < 0) outcome = kind + 11;
    else if (kind === 1 || kind === 3 || kind === 4) {
      if (Array.isArray(v)) {
        n = v.length;
        const end = Math.min(n, from + room - 2);
        let k = from;
        // The memory's view made again for each number: a getter may have grown the memory.
        for (let x; k < end && typeof (x = v[k]) === "number"; k++) kruMemory(memory)[i + 2 + k - from] = x;
        if (k === end) outcome = kind;
      }
    } else if (kind === 5 ? typeof v === "string" : kind === 7 ? v === true : typeof v === (kind === 2 ? "boolean" : "number")) {
      outcome = kind;
      if (kind === 5) text = v;
      else n = +v;
    }
  } catch {
    outcome = 11;
  }
  const f = kruMemory(memory);
  f[i] = outcome;
  f[i + 1] = n;
  return text;
}
