// The JS half of `tape.rs`: one call builds a whole step (or result record, or progress)
// from the description Rust writes into WebAssembly memory, instead of a call per property.
// `cargo xtask wasm` puts this file inside the package's glue (wasm-bindgen would leave it in
// a `snippets/` folder), without its comments and white space.
//
// The tape is a run of f64s in WebAssembly memory: values, each an opcode and its operands:
// 0 null, 1 false, 2 true, 3 x a number, 4 h a b the new string h (UTF-16 units a..b of the
// tape's text), 5 an object: (key index, value)* then -1, 6 an array: value* then -1, 7 t a
// a label `{ text: t, audio: a }`, 8 a b a string not kept, 9 h l and 10 h l a BigInt of a
// u64 and of an i64 (high, low 32 bits), 11 p n a Uint8Array copy of n bytes at p; from 16
// on, the kept string (opcode − 16).

// The property names (`tape.rs` writes their indices).
const KRU_KEYS = "kind type text audio field label options required phase lesson title page pages blocks entries objective summary src alt story id name phone hours purpose verified year month day node image choices consequence ending phase_kind item item_kind expects number total prompt left review correct credit message explanation right_answer right_bool score max messages resources footer pre post gain absolute normalised dont_know synthetic record_id learner pack_id pack_version major minor patch journey language seed forms started_at ended_at completed demographics responses story_path bytes answer at_offset_ms choice Choice Choices TrueFalse Order Matches Text Scale done".split(" ");
// `ignoreBOM`: a text may begin with U+FEFF, which must stay.
const kruUtf16 = new TextDecoder("utf-16le", { ignoreBOM: true });
let kruBuffer, kruF64, kruTape, kruAt, kruKept, kruText;

// The memory as f64s (a view made again when the memory has grown).
function kruMemory(memory) {
  if (memory.buffer !== kruBuffer) {
    kruBuffer = memory.buffer;
    kruF64 = new Float64Array(kruBuffer);
  }
  return kruF64;
}

function kruValue() {
  const t = kruTape;
  const op = t[kruAt++];
  if (op >= 16) return kruKept[op - 16];
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
    case 7: return { text: kruValue(), audio: kruValue() };
    case 8: return kruText.slice(t[kruAt++], t[kruAt++]);
    case 11: return new Uint8Array(kruBuffer.slice(t[kruAt++], t[kruAt - 1] + t[kruAt++]));
    default: {
      // 9, 10.
      const n = (BigInt(t[kruAt++]) << 32n) | BigInt(t[kruAt++]);
      return op === 9 ? n : BigInt.asIntN(64, n);
    }
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
  kruText = textEnd > text ? kruUtf16.decode(new Uint16Array(kruBuffer, text, (textEnd - text) / 2)) : "";
  const v = kruValue();
  kruTape = kruKept = kruText = undefined;
  return v;
}
