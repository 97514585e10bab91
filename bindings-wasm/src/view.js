// The JS half of `view.rs`: builds a step object from the description `view.rs` writes into
// WebAssembly memory, in one call per step. `cargo xtask wasm` puts this file inside the
// package's glue (wasm-bindgen would leave it in a `snippets/` folder).
//
// The tape is a Float64Array of values, each an opcode and its operands: 0 null, 1 false,
// 2 true, 3 x a number, 4 h a b the new string h (UTF-16 units a..b of the tape's text),
// 5 an object: (key index, value)* then -1, 6 an array: value* then -1, 7 t a a label
// `{ text: t, audio: a }`; from 16 on, the kept string (opcode − 16).

// The property names of the step objects (`view.rs` writes their indices).
const KRU_KEYS = ["kind", "type", "text", "audio", "field", "label", "options", "required", "phase", "lesson", "title", "page", "pages", "blocks", "entries", "objective", "summary", "src", "alt", "story", "id", "name", "phone", "hours", "purpose", "verified", "year", "month", "day", "node", "image", "choices", "consequence", "ending", "phase_kind", "item", "item_kind", "expects", "number", "total", "prompt", "left", "review", "correct", "credit", "message", "explanation", "right_answer", "right_bool", "score", "max", "messages", "resources", "footer", "pre", "post", "gain", "absolute", "normalised", "dont_know", "synthetic"];
// `ignoreBOM`: a text may begin with U+FEFF, which must stay.
const kruUtf16 = new TextDecoder("utf-16le", { ignoreBOM: true });
let kruTape, kruAt, kruKept, kruText;

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
      const h = t[kruAt], s = kruText.slice(t[kruAt + 1], t[kruAt + 2]);
      kruAt += 3;
      kruKept[h] = s;
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
    default: return { text: kruValue(), audio: kruValue() };
  }
}

/** The value `tape` describes; `kept`: the pack's strings by handle; `text`: the new ones. */
export function kruBuild(kept, tape, text) {
  kruTape = tape;
  kruAt = 0;
  kruKept = kept;
  kruText = text.length ? kruUtf16.decode(text) : "";
  const v = kruValue();
  kruTape = kruKept = kruText = undefined;
  return v;
}
