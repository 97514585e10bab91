// Two builds of kru's Node.js package compared in one process, rounds alternating (A B, B A,
// A B, …): the JS-boundary benchmark of `boundary.mjs` (same journey, same calls, each timed
// on its own) for both, with the median of the paired per-round ratios B/A. On a shared
// machine whose speed drifts by 2× within minutes, separate runs of `boundary.mjs` for the two
// builds compare different machines; paired rounds in one process compare the builds.
//
// Each build is its own module instance (its own WebAssembly memory and glue); the order of the
// two in a round alternates, as the build loaded second ran a few per cent slower in trials.
// Run the pair both ways round (A B, then B A) to see that bias. Deterministic: seed 42.
//
// Run: node bindings-wasm/bench/pair.mjs A_PKG_NODE B_PKG_NODE [ROUNDS] [LANGUAGE]
// (e.g. A a copy of the previous build's `bindings-wasm/pkg-node`, B the current one)

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import { timedJourney, timerCost } from "./journey.mjs";
import { quartiles } from "./quartiles.mjs";

if (typeof globalThis.gc !== "function") {
  // Re-run with the garbage collector exposed (between rounds only, never inside a timing).
  const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const [a, b, roundsArg, language = "km"] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: node bindings-wasm/bench/pair.mjs A_PKG_NODE B_PKG_NODE [ROUNDS] [LANGUAGE]");
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "tools", "js", "package.json"));
const builds = [a, b].map((dir) => require(join(resolve(dir), "kru_wasm.js")));
const rounds = Number(roundsArg ?? 40);
const packBytes = new Uint8Array(readFileSync(process.env.KRU_PACK ?? join(root, "web-demo", "safe-migration.krupack")));
const trusted = JSON.parse(readFileSync(join(root, "web-demo", "trusted-keys.json"), "utf8"));
const trustedKeys = trusted.keys.map((k) => Uint8Array.from(k.publicKey.match(/../g), (h) => parseInt(h, 16)));
const NOW = 1_795_000_000_000;

const overhead = timerCost();
const journey = (kru, pack) => {
  const j = timedJourney(kru, pack, { language, now: NOW, overhead });
  return { ...j, step: j.perStep };
};

/** A round: `Pack.open`, a first session (every string new), a next one on the same `Pack`. */
async function round(kru) {
  const t0 = performance.now();
  const pack = await kru.Pack.open(packBytes, { trustedKeys });
  const load = performance.now() - t0;
  const cold = journey(kru, pack), warm = journey(kru, pack);
  pack.free();
  return { load, coldFirst: cold.first, coldStep: cold.step, warmFirst: warm.first, again: warm.again, answer: warm.answer, advance: warm.advance, warmStep: warm.step };
}

const LABELS = {
  load: "Pack.open (signed, Ed25519 by WebCrypto)",
  coldFirst: "step(), first read, first session on a Pack",
  coldStep: "one step, first session on a Pack",
  warmFirst: "step(), first read, next session",
  again: "step(), the same step read again",
  answer: "answer(), next session",
  advance: "advance(), next session",
  warmStep: "one step (step() + answer()/advance()), next session",
};

for (let i = 0; i < 8; i++) for (const kru of builds) await round(kru); // warm-up
const runs = [[], []];
for (let i = 0; i < rounds; i++) {
  for (const j of i % 2 ? [1, 0] : [0, 1]) {
    globalThis.gc();
    runs[j].push(await round(builds[j]));
  }
}
const fmt = (key, ms) => (key === "load" ? `${ms.toFixed(3)} ms` : `${(ms * 1000).toFixed(2)} µs`);
console.log(`A ${resolve(a)}\nB ${resolve(b)}`);
console.log(`${rounds} paired rounds of the school journey in ${language} (node ${process.version}); medians, and the median of the per-round ratios B/A (with its IQR)`);
for (const key of Object.keys(LABELS)) {
  const [, ma] = quartiles(runs[0].map((r) => r[key]));
  const [, mb] = quartiles(runs[1].map((r) => r[key]));
  const [q1, ratio, q3] = quartiles(runs[0].map((r, i) => runs[1][i][key] / r[key]));
  console.log(`  ${LABELS[key].padEnd(52)} A ${fmt(key, ma).padStart(10)}  B ${fmt(key, mb).padStart(10)}  B/A ${ratio.toFixed(3)} (${q1.toFixed(3)}–${q3.toFixed(3)})`);
}
