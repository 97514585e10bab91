// The peer benchmark (`cargo xtask bench --peer [ROUNDS]`): kru's Node.js package against SurveyJS
// `survey-core` (a dev dependency in tools/js) on comparable work, in the same process,
// interleaved (each goes first in turn), after warm-up rounds, the heap collected before every
// timed run; medians and interquartile ranges over ROUNDS rounds (default 100).
//
// - kru: `Pack.open` of the demo pack (signed; Ed25519 verified by WebCrypto against
//   web-demo/trusted-keys.json), then the whole `school` journey (intake, pre-test, lessons,
//   stories, post-test) through `step()` + `answer()`/`advance()`, then `finish()`.
// - SurveyJS: a quiz with one radiogroup question per question the kru journey asked (same
//   prompts and options, English), `new Model(json)`, every answer set, `doComplete()`,
//   `getCorrectAnswerCount()`.
//
// Then the pack loaders alone, interleaved: the main module's `Pack.open` (WebCrypto) against
// the full module's `Pack.load` (Ed25519 in WebAssembly) and `Pack.open`.
//
// Run by hand: cargo xtask wasm && node bindings-wasm/bench/peer.mjs [ROUNDS]

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import { actionFor } from "./answers.mjs";
import { quartiles } from "./quartiles.mjs";

if (typeof globalThis.gc !== "function") {
  // Re-run with the garbage collector exposed (called between timed runs, never inside one).
  const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "tools", "js", "package.json"));
// KRU_PKG_NODE: another build of the Node package (e.g. a copy of the previous one, to compare).
const pkgNode = resolve(process.env.KRU_PKG_NODE ?? join(root, "bindings-wasm", "pkg-node"));
const kru = require(join(pkgNode, "kru_wasm.js"));
const kruFull = require(join(pkgNode, "kru_wasm_full.js"));
const { Model } = require("survey-core");
const surveyVersion = JSON.parse(readFileSync(join(root, "tools", "js", "node_modules", "survey-core", "package.json"), "utf8")).version;

const rounds = Number(process.argv[2] ?? 100);
const warmup = 20;
// KRU_PACK: another pack file (e.g. `safe-migration.krupack.nolz4`, the payload without LZ4).
const packBytes = new Uint8Array(readFileSync(process.env.KRU_PACK ?? join(root, "web-demo", "safe-migration.krupack")));
const trusted = JSON.parse(readFileSync(join(root, "web-demo", "trusted-keys.json"), "utf8"));
const trustedKeys = trusted.keys.map((k) => Uint8Array.from(k.publicKey.match(/../g), (h) => parseInt(h, 16)));
const NOW = 1_795_000_000_000;

/** One kru run; returns timings (ms) and what the journey asked. */
async function kruRun(collect) {
  const t0 = performance.now();
  const pack = await kru.Pack.open(packBytes, { trustedKeys });
  const t1 = performance.now();
  const s = kru.Session.start(pack, { journey: "school", languages: ["en"], seed: 42, learner: "S-01", nowMs: NOW });
  let steps = 0;
  const questions = [];
  for (;;) {
    const step = s.step();
    steps++;
    if (step.kind === "done") break;
    if (collect && step.kind === "question") questions.push(step);
    const answer = actionFor(step);
    if (answer) s.answer(answer, NOW);
    else s.advance(NOW);
  }
  const record = s.finish(NOW);
  const t2 = performance.now();
  s.free();
  pack.free();
  if (record.responses.length === 0) throw new Error("kru answered nothing");
  return { load: t1 - t0, journey: t2 - t1, total: t2 - t0, steps, questions };
}

/** The SurveyJS quiz with the same questions. */
function surveyJson(questions) {
  return {
    title: "safe migration",
    pages: [{
      elements: questions.map((q, i) => {
        const choices = (q.options?.length ? q.options : [{ text: "true" }, { text: "false" }])
          .map((o, j) => ({ value: j, text: typeof o === "string" ? o : (o.text ?? o.label ?? String(j)) }));
        return { type: "radiogroup", name: `q${i}`, title: q.prompt?.text ?? q.prompt ?? `q${i}`, choices, correctAnswer: 0, isRequired: true };
      }),
    }],
  };
}

function surveyRun(json) {
  const t0 = performance.now();
  const survey = new Model(json);
  for (const q of survey.getAllQuestions()) survey.setValue(q.name, 0);
  survey.doComplete();
  const correct = survey.getCorrectAnswerCount();
  const t1 = performance.now();
  if (survey.state !== "completed" || correct !== json.pages[0].elements.length) {
    throw new Error(`SurveyJS did not complete (${survey.state}, ${correct} correct)`);
  }
  return t1 - t0;
}

const first = await kruRun(true);
const json = surveyJson(first.questions);
// Warm-up: both engines' code compiled (to the optimising tier) and caches filled before timing.
for (let i = 0; i < warmup; i++) { await kruRun(false); surveyRun(json); }
const k = { load: [], journey: [], total: [] };
const sv = [];
const ratios = [];
const cpu = { kru: [], survey: [] };
for (let i = 0; i < rounds; i++) {
  // Each timed run starts on a collected heap, so that neither engine pays for the other's
  // garbage; the two go first in turn.
  // CPU time of the process (µs → ms) as well as wall time: on a shared machine a run can be
  // descheduled for tens of milliseconds, which wall time counts and CPU time does not.
  let r, t, rc, tc;
  const kruTimed = async () => { globalThis.gc(); const c = process.cpuUsage(); r = await kruRun(false); const d = process.cpuUsage(c); rc = (d.user + d.system) / 1000; };
  const surveyTimed = () => { globalThis.gc(); const c = process.cpuUsage(); t = surveyRun(json); const d = process.cpuUsage(c); tc = (d.user + d.system) / 1000; };
  if (i % 2 === 0) { await kruTimed(); surveyTimed(); } else { surveyTimed(); await kruTimed(); }
  k.load.push(r.load); k.journey.push(r.journey); k.total.push(r.total);
  sv.push(t);
  ratios.push(t / r.total);
  cpu.kru.push(rc); cpu.survey.push(tc);
}
const f1 = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);
const f = (xs) => {
  const [q1, med, q3] = quartiles(xs);
  return `${f1(med).padStart(9)}   (IQR ${f1(q1)} – ${f1(q3)}, fastest ${f1(Math.min(...xs))})`;
};
const [r1, rm, r3] = quartiles(ratios);
console.log(`peer benchmark: ${rounds} interleaved rounds after ${warmup} warm-up rounds, heap collected before each timed run; medians (node ${process.version}, kru ${kru.version()}, survey-core ${surveyVersion})`);
console.log(`  kru  Pack.open (signed, ${packBytes.length} bytes)           ${f(k.load)}`);
console.log(`  kru  school journey: ${first.steps} steps, ${first.questions.length} questions  ${f(k.journey)}  (${(quartiles(k.journey)[1] * 1000 / first.steps).toFixed(1)} µs per step + answer/advance)`);
console.log(`  kru  load + journey + finish                        ${f(k.total)}`);
console.log(`  SurveyJS ${first.questions.length}-question quiz: Model, answers, complete, grade  ${f(sv)}`);
console.log(`  ratio (SurveyJS / kru with pack load): ${(quartiles(sv)[1] / quartiles(k.total)[1]).toFixed(1)}× of medians; per round ${rm.toFixed(1)}× (IQR ${r1.toFixed(1)}× – ${r3.toFixed(1)}×)`);
console.log(`  CPU time (user + system of the process, all its threads): kru ${f(cpu.kru)}; SurveyJS ${f(cpu.survey)}`);
console.log(`  ratio of CPU-time medians: ${(quartiles(cpu.survey)[1] / quartiles(cpu.kru)[1]).toFixed(1)}×`);
console.log(`  ratio without the pack load (a kiosk loads its pack once): ${(quartiles(sv)[1] / quartiles(k.journey)[1]).toFixed(1)}× of medians`);

// The loaders alone: each round times the three in turn (the first changes every round).
const loaders = [
  ["main Pack.open (Ed25519 by WebCrypto)", () => kru.Pack.open(packBytes, { trustedKeys })],
  ["full Pack.load (Ed25519 in WebAssembly)", () => kruFull.Pack.load(packBytes, { trustedKeys })],
  ["full Pack.open (WebCrypto)", () => kruFull.Pack.open(packBytes, { trustedKeys })],
];
const loadTimes = loaders.map(() => []);
for (let i = 0; i < warmup + rounds; i++) {
  for (let j = 0; j < loaders.length; j++) {
    const n = (i + j) % loaders.length;
    globalThis.gc();
    const t0 = performance.now();
    const pack = await loaders[n][1]();
    const ms = performance.now() - t0;
    pack.free();
    if (i >= warmup) loadTimes[n].push(ms);
  }
}
console.log(`pack loaders alone: ${rounds} rounds, interleaved, medians`);
loaders.forEach(([name], n) => console.log(`  ${name.padEnd(42)} ${f(loadTimes[n])}`));
