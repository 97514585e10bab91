// The peer benchmark (`cargo xtask bench-peer`): kru's Node.js package against SurveyJS
// `survey-core` (a dev dependency in tools/js) on comparable work, in the same process,
// interleaved, and the JS-boundary costs of kru itself.
//
// - kru: `Pack.load` of the demo pack (signed; Ed25519 verified against
//   web-demo/trusted-keys.json), then the whole `school` journey (intake, pre-test, lessons,
//   stories, post-test) through `step()` + `answer()`/`advance()`, then `finish()`.
// - SurveyJS: a quiz with one radiogroup question per question the kru journey asked (same
//   prompts and options, English), `new Model(json)`, every answer set, `doComplete()`,
//   `getCorrectAnswerCount()`.
//
// Run by hand: cargo xtask wasm && node bindings-wasm/bench/peer.mjs [ROUNDS]

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "tools", "js", "package.json"));
const kru = require(join(root, "bindings-wasm", "pkg-node", "kru_wasm.js"));
const { Model } = require("survey-core");
const surveyVersion = JSON.parse(readFileSync(join(root, "tools", "js", "node_modules", "survey-core", "package.json"), "utf8")).version;

const rounds = Number(process.argv[2] ?? 30);
const packBytes = new Uint8Array(readFileSync(join(root, "web-demo", "safe-migration.krupack")));
const trusted = JSON.parse(readFileSync(join(root, "web-demo", "trusted-keys.json"), "utf8"));
const trustedKeys = trusted.keys.map((k) => Uint8Array.from(k.publicKey.match(/../g), (h) => parseInt(h, 16)));
const NOW = 1_795_000_000_000;

function answerFor(step) {
  switch (step.expects) {
    case "choice": return { choice: 0 };
    case "choices": return { choices: [0] };
    case "true-false": return { trueFalse: true };
    case "order": return { order: step.options.map((_, i) => i) };
    case "matches": return { matches: step.left.map((_, i) => i % step.options.length) };
    case "scale": return { scale: 1 };
    default: return { text: "1288" };
  }
}

/** One kru run; returns timings (ms) and what the journey asked. */
function kruRun(collect) {
  const t0 = performance.now();
  const pack = kru.Pack.load(packBytes, { trustedKeys });
  const t1 = performance.now();
  const s = kru.Session.start(pack, { journey: "school", languages: ["en"], seed: 42, learner: "S-01", nowMs: NOW });
  let steps = 0;
  const questions = [];
  for (;;) {
    const step = s.step();
    steps++;
    if (step.kind === "done") break;
    if (step.kind === "question") {
      if (collect) questions.push(step);
      s.answer(answerFor(step), NOW);
    } else if (step.kind === "intake") s.answer(step.options.length ? { choice: 0 } : { text: "x" }, NOW);
    else if (step.kind === "story" && step.choices.length) s.answer({ choice: 0 }, NOW);
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const first = kruRun(true);
const json = surveyJson(first.questions);
// Warm-up: both engines' code compiled and caches filled before timing.
for (let i = 0; i < 5; i++) { kruRun(false); surveyRun(json); }
const k = { load: [], journey: [], total: [] };
const sv = [];
for (let i = 0; i < rounds; i++) {
  const r = kruRun(false);
  k.load.push(r.load); k.journey.push(r.journey); k.total.push(r.total);
  sv.push(surveyRun(json));
}
const f1 = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);
// The median, and the fastest run (the other engine's garbage is collected in between runs).
const f = (ms, xs) => `${f1(ms)} (fastest ${f1(Math.min(...xs))})`;
console.log(`peer benchmark: ${rounds} interleaved rounds, medians (node ${process.version}, kru ${kru.version()}, survey-core ${surveyVersion})`);
console.log(`  kru  Pack.load (signed, ${packBytes.length} bytes)        ${f(median(k.load), k.load)}`);
console.log(`  kru  school journey: ${first.steps} steps, ${first.questions.length} questions   ${f(median(k.journey), k.journey)}  (${(median(k.journey) * 1000 / first.steps).toFixed(1)} µs per step + answer/advance)`);
console.log(`  kru  load + journey + finish                     ${f(median(k.total), k.total)}`);
console.log(`  SurveyJS ${first.questions.length}-question quiz: Model, answers, complete, grade   ${f(median(sv), sv)}`);
console.log(`  ratio (SurveyJS / kru with pack load): ${(median(sv) / median(k.total)).toFixed(1)}× of medians, ${(Math.min(...sv) / Math.min(...k.total)).toFixed(1)}× of the fastest runs`);
