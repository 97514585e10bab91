// The answers the benchmarks give (`boundary.mjs`, `peer.mjs`): of the type each question
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
