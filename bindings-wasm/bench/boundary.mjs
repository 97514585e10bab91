// The JS-boundary benchmark (`cargo xtask bench --boundary [ROUNDS]`): what one call of
// kru's Node.js package costs, per call, on the demo pack's whole `school` journey.
//
// Per round: `Pack.open` (signed, Ed25519 verified by WebCrypto), `Session.start`, then every step of the
// journey: `step()` (the view of a step the session has just reached: first read), `step()`
// again (the same view read a second time, as a host that re-renders does), then
// `answer()`/`advance()`; `finish()`; then a second session on the same `Pack` (a kiosk's
// next visitor: the pack's strings are already made). Each call is timed on its own with
// `performance.now()` (the timer's own cost, measured the same way, is subtracted) and the
// round reports the mean per call of each kind; over ROUNDS rounds the script prints the
// median and the interquartile range of those means. Garbage is collected between rounds
// (`--expose-gc`, added by the script itself) so that one round's garbage does not land in the
// next round's timings. Deterministic: seed 42, the same answers every round.
//
// Run by hand: cargo xtask wasm && node bindings-wasm/bench/boundary.mjs [ROUNDS]

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

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "tools", "js", "package.json"));
// KRU_PKG_NODE: another build of the Node package (e.g. a copy of the previous one, to compare).
const kru = require(join(resolve(process.env.KRU_PKG_NODE ?? join(root, "bindings-wasm", "pkg-node")), "kru_wasm.js"));

const rounds = Number(process.argv[2] ?? 60);
// KRU_PACK: another pack file (e.g. `safe-migration.krupack.nolz4`, the payload without LZ4).
const packBytes = new Uint8Array(readFileSync(process.env.KRU_PACK ?? join(root, "web-demo", "safe-migration.krupack")));
const trusted = JSON.parse(readFileSync(join(root, "web-demo", "trusted-keys.json"), "utf8"));
const trustedKeys = trusted.keys.map((k) => Uint8Array.from(k.publicKey.match(/../g), (h) => parseInt(h, 16)));
const NOW = 1_795_000_000_000;
const language = process.env.KRU_BENCH_LANGUAGE ?? "km";

const journey = (pack, overhead) => timedJourney(kru, pack, { language, now: NOW, overhead });

/** One round: load the pack, a first session, a second session on the same pack. */
async function round(overhead) {
  const t0 = performance.now();
  const pack = await kru.Pack.open(packBytes, { trustedKeys });
  const load = performance.now() - t0;
  const a = journey(pack, overhead);
  const b = journey(pack, overhead);
  pack.free();
  return { load, ...a, warmFirst: b.first, warmPerStep: b.perStep };
}

const overhead = timerCost();
for (let i = 0; i < 10; i++) await round(overhead); // warm-up: code compiled, caches filled
const runs = [];
for (let i = 0; i < rounds; i++) {
  globalThis.gc();
  runs.push(await round(overhead));
}
const us = (ms) => `${(ms * 1000).toFixed(2)} µs`;
const line = (label, key) => {
  const [q1, med, q3] = quartiles(runs.map((r) => r[key]));
  const unit = key === "load" ? (ms) => `${ms.toFixed(3)} ms` : us;
  console.log(`  ${label.padEnd(52)} ${unit(med).padStart(10)}   (IQR ${unit(q1)} – ${unit(q3)})`);
};
console.log(`JS boundary: ${rounds} rounds of the school journey in ${language} (${runs[0].steps} steps), medians of the per-round means (node ${process.version}, kru ${kru.version()}; timer cost ${us(overhead)} subtracted)`);
line("Pack.open (signed, Ed25519 by WebCrypto)", "load");
line("step(), first read of a step", "first");
line("step(), the same step read again", "again");
line("answer() or advance()", "act");
line("one step: step() + answer()/advance()", "perStep");
line("next session on the same Pack: step(), first read", "warmFirst");
line("next session on the same Pack: one step", "warmPerStep");
