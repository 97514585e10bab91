// The test hook (`?test=1` only, imported by app.js then; never in normal use, never on a
// visitor's first visit): `window.__kru`, with the current step and a right (or wrong) answer
// for it, found by trying answers on copies of the session restored from its snapshot, and
// the app's own modules (`modules`: the instances the app runs, also in the bundled site,
// where they have no file of their own).

import * as store from "./store.js";
import * as uiStrings from "./ui-strings.js";
import * as runner from "./runner.js";

function* answerCandidates(step, texts) {
  const n = step.options.length;
  switch (step.expects) {
    case "choice":
      for (let i = 0; i < n; i += 1) yield { choice: i };
      break;
    case "true-false":
      yield { trueFalse: true };
      yield { trueFalse: false };
      break;
    case "choices":
      for (let mask = 1; mask < 1 << n; mask += 1) {
        yield { choices: [...Array(n).keys()].filter((i) => mask & (1 << i)) };
      }
      break;
    case "order": {
      const perm = (rest) => (rest.length ? rest.flatMap((x, i) => perm([...rest.slice(0, i), ...rest.slice(i + 1)]).map((p) => [x, ...p])) : [[]]);
      for (const p of perm([...Array(n).keys()])) yield { order: p };
      break;
    }
    case "matches": {
      const k = step.left.length;
      const all = (depth) => (depth === 0 ? [[]] : all(depth - 1).flatMap((p) => [...Array(n).keys()].map((i) => [...p, i])));
      for (const m of all(k)) yield { matches: m };
      break;
    }
    case "scale":
      yield { scale: Math.max(0, n - 2) };
      break;
    default:
      for (const t of texts) yield { text: t };
      yield { text: "x" };
  }
}

function solve(app, { wrong = false, texts = [] } = {}) {
  const session = app.runner?.session;
  if (!session) return null;
  const step = session.step();
  if (step.kind !== "question") return null;
  if (step.expects === "scale") return { scale: Math.max(0, step.options.length - 2) };
  const snap = session.snapshot();
  let lowest = null;
  for (const a of answerCandidates(step, texts)) {
    let s = null;
    try {
      s = app.engine.Session.restore(app.pack, snap);
      s.answer(a, Date.now());
      const r = s.abandon(Date.now()).responses.at(-1);
      if (!wrong && r.correct) return a;
      if (wrong && r.credit === 0 && !r.correct) return a;
      if (!r.correct && (!lowest || r.credit < lowest.credit)) lowest = { a, credit: r.credit };
    } catch {
      // not a valid answer for this question
    } finally {
      s?.free();
    }
  }
  return wrong ? lowest?.a ?? null : null;
}

/** Installs `window.__kru` for the end-to-end tests and `measure.mjs`. */
export function install(app) {
  window.__kru = {
    get ready() { return Boolean(app.pack); },
    step: () => app.runner?.session?.step() ?? null,
    solve: (o) => solve(app, o),
    lang: () => app.lang,
    timings: () => ({ ...app.timings }),
    visits: () => app.visitsStarted,
    catalogue: (lang) => app.catalogue(lang),
    report: () => app.lastReport ?? null,
    fullEngine: async () => Boolean(await app.analysis()),
    /** Which engine module runs the app: "main", or "full" (no SIMD, no WebCrypto Ed25519). */
    engineModule: () => (app.engine && app.full?.engine === app.engine ? "full" : "main"),
    outbox: async () => (await import("./outbox.js")).status(),
    drain: async () => (await import("./outbox.js")).drain(),
    get seq() { return app.seq; },
    modules: { store, uiStrings, runner },
  };
}
