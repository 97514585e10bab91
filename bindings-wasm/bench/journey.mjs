// The timed journey of the JS-boundary benchmarks (`boundary.mjs`, `pair.mjs`): one session of
// the demo pack's `school` journey with every call timed on its own.

import { performance } from "node:perf_hooks";
import { actionFor } from "./answers.mjs";

/** The cost of one `performance.now()` pair in ms, subtracted from every timing. */
export function timerCost() {
  let total = 0;
  for (let i = 0; i < 10_000; i++) {
    const t = performance.now();
    total += performance.now() - t;
  }
  return total / 10_000;
}

/**
 * One session of the `school` journey on `pack` with the package `kru`, in `language`, at
 * `now` (ms): the means per call in ms of `step()` read first (`first`) and again (`again`),
 * `answer()`, `advance()`, the two together (`act`), and one whole step, `step()` plus
 * `answer()`/`advance()` (`perStep`); `steps` counts the steps, `done` included. Throws if
 * the session answered nothing.
 */
export function timedJourney(kru, pack, { language, now, overhead }) {
  const s = kru.Session.start(pack, { journey: "school", languages: [language], seed: 42, learner: "S-01", nowMs: now });
  let first = 0, again = 0, answers = 0, advances = 0, steps = 0, nAnswers = 0, nAdvances = 0;
  for (;;) {
    let t = performance.now();
    const step = s.step();
    first += performance.now() - t - overhead;
    t = performance.now();
    s.step();
    again += performance.now() - t - overhead;
    steps++;
    if (step.kind === "done") break;
    const answer = actionFor(step);
    t = performance.now();
    if (answer) s.answer(answer, now);
    else s.advance(now);
    const d = performance.now() - t - overhead;
    if (answer) { answers += d; nAnswers++; } else { advances += d; nAdvances++; }
  }
  const record = s.finish(now);
  s.free();
  if (record.responses.length === 0) throw new Error("kru answered nothing");
  const acts = steps - 1;
  return {
    first: first / steps,
    again: again / steps,
    answer: answers / nAnswers,
    advance: advances / nAdvances,
    act: (answers + advances) / acts,
    perStep: (first + answers + advances) / acts,
    steps,
  };
}
