// The answers the benchmarks give (`boundary.mjs`, `pair.mjs`, `crossings.mjs`, `peer.mjs`): of the type each question
// expects, the first option or a plausible value, so that a journey runs to its end.

/** An answer of the type `step` (a question) expects. */
export function answerFor(step) {
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

/**
 * What the benchmarks give a step that is not `done`: an answer (a question, an intake field,
 * a story node with choices: the first option or a plausible value), or `null` where the
 * step is advanced past (`advance()`).
 */
export function actionFor(step) {
  if (step.kind === "question") return answerFor(step);
  if (step.kind === "intake") return step.options.length ? { choice: 0 } : { text: "x" };
  if (step.kind === "story" && step.choices.length) return { choice: 0 };
  return null;
}
