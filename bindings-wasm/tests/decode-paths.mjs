// Plays whole journeys through the Node.js package and prints every step, `progress()` and the
// result record as JSON, with the number of `TextDecoder("utf-16le")` calls made: run by
// `decode-paths.test.mjs` in a child process without `Buffer`, so that the glue takes the
// browsers' path (`TextDecoder`) where Node.js otherwise uses `Buffer`'s UTF-16 decoding.
//
// Run: node bindings-wasm/tests/decode-paths.mjs PKG_NODE_DIR PACKS_DIR [--no-buffer]

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The journeys played: pack file, journey, language. */
export const JOURNEYS = [
  ["safe-migration.krupack", "school", "km"],
  ["safe-migration.krupack", "kiosk", "en"],
  ["safe-migration-lo.krupack", "short", "lo"],
];

const NOW = 1_795_000_000_000;

/** An answer of the type a question expects (as in helpers.mjs), or an intake's, a story's. */
function actionFor(step) {
  if (step.kind === "question") {
    switch (step.expects) {
      case "choice": return { choice: 0 };
      case "choices": return { choices: [0, 1] };
      case "true-false": return { trueFalse: false };
      case "order": return { order: step.options.map((_, i) => i) };
      case "matches": return { matches: step.left.map((_, i) => i % step.options.length) };
      case "scale": return { scale: 1 };
      default: return { text: "១២៨៨" };
    }
  }
  if (step.kind === "intake") return step.options.length ? { choice: 0 } : { text: "x" };
  if (step.kind === "story" && step.choices.length) return { choice: 0 };
  return null;
}

/** Every step of every journey of {@link JOURNEYS}, then each one's record, as one JSON text. */
export async function playAll(kru, packsDir) {
  const out = [];
  for (const [file, journey, language] of JOURNEYS) {
    const pack = await kru.Pack.open(new Uint8Array(readFileSync(join(packsDir, file))), { allowUnsigned: true });
    // Two sessions on the same pack: the second meets every string already kept.
    for (let n = 0; n < 2; n++) {
      const s = kru.Session.start(pack, { journey, languages: [language], seed: 7 + n, learner: "S-01", nowMs: NOW });
      for (;;) {
        const step = s.step();
        out.push(step, s.progress());
        if (step.kind === "done") break;
        const a = actionFor(step);
        if (a) s.answer(a, NOW);
        else s.advance(NOW);
      }
      const record = s.finish(NOW);
      out.push({ ...record, bytes: Array.from(record.bytes) });
      s.free();
    }
    pack.free();
  }
  return JSON.stringify(out, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [pkg, packsDir, flag] = process.argv.slice(2);
  if (flag === "--no-buffer") delete globalThis.Buffer;
  let utf16 = 0;
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (...a) {
    if (this.encoding === "utf-16le") utf16++;
    return decode.apply(this, a);
  };
  const kru = createRequire(import.meta.url)(join(resolve(pkg), "kru_wasm.js"));
  const json = await playAll(kru, packsDir);
  process.stdout.write(JSON.stringify({ utf16, json }));
}
