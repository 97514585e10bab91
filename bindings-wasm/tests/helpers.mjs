// Shared helpers of the node --test suites: the built packages, imported by name as a user
// would (`@kru/engine-node`, `@kru/engine-node/full`, `@kru/engine`), and the test packs.
//
// `cargo xtask test wasm-node` builds the packages (`cargo xtask wasm`) and the packs, and
// sets KRU_TEST_PACKS; run by hand with:
//   cargo xtask wasm && KRU_TEST_PACKS=target/test-packs node --test bindings-wasm/tests/*.test.mjs

import { createRequire } from "node:module";
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const root = process.env.KRU_ROOT ?? resolve(here, "..", "..");
export const packsDir = process.env.KRU_TEST_PACKS ?? join(root, "target", "test-packs");

// A throwaway project whose node_modules links the built packages, so that they resolve by
// name through their package.json `exports`, exactly as after `npm install`.
const project = mkdtempSync(join(tmpdir(), "kru-npm-"));
mkdirSync(join(project, "node_modules", "@kru"), { recursive: true });
for (const [name, dir] of [["engine-node", "pkg-node"], ["engine", "pkg"]]) {
  const target = join(root, "bindings-wasm", dir);
  if (!existsSync(join(target, "package.json"))) {
    throw new Error(`${target} is not built: run \`cargo xtask wasm\``);
  }
  symlinkSync(target, join(project, "node_modules", "@kru", name), "dir");
}
export const projectDir = project;
const require = createRequire(join(project, "index.js"));

/** The Node.js package (main module). */
export const kru = require("@kru/engine-node");
/** The Node.js package's full module (with cohortReport and mergeLogs). */
export const kruFull = require("@kru/engine-node/full");

export function packBytes(name) {
  const path = join(packsDir, name);
  if (!existsSync(path)) {
    throw new Error(`missing ${path}: run \`cargo xtask test wasm-node\` to build the test packs`);
  }
  return new Uint8Array(readFileSync(path));
}

export const unsignedBytes = () => packBytes("safe-migration.krupack");
export const signedBytes = () => packBytes("safe-migration.signed.krupack");
export const tamperedBytes = () => packBytes("safe-migration.hotline-1289.krupack");

/** The test public key (hex in test-key.pub) as bytes. */
export function publicKey() {
  const hex = readFileSync(join(packsDir, "test-key.pub"), "utf8").trim();
  return Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
}

/** The signed pack with its hotline number changed by one digit: the one-digit-different
 * build (valid, unsigned) with the original's signature block (its last 99 bytes) in place
 * of its empty one (its last 2 bytes). */
export function forgedHotlinePack() {
  const tampered = tamperedBytes();
  const signed = signedBytes();
  const forged = new Uint8Array(tampered.length - 2 + 99);
  forged.set(tampered.subarray(0, tampered.length - 2));
  forged.set(signed.subarray(signed.length - 99), tampered.length - 2);
  return forged;
}

/** Calls `fn`, expects a KruError with `code`; returns it. */
export function codeOf(fn) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`threw a non-Error: ${String(e)}`);
    return e.code;
  }
  return "ok";
}

/** The `code` of the Error a promise rejects with (like `codeOf`), "ok" when it resolves. */
export async function rejectionOf(promise) {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`rejected with a non-Error: ${String(e)}`);
    return e.code;
  }
  return "ok";
}

/** An answer of the type a question expects (first option, or a plausible value). */
export function answerFor(step) {
  switch (step.expects) {
    case "choice":
      return { choice: 0 };
    case "choices":
      return { choices: [0] };
    case "true-false":
      return { trueFalse: true };
    case "order":
      return { order: step.options.map((_, i) => i) };
    case "matches":
      return { matches: step.left.map((_, i) => i % step.options.length) };
    case "scale":
      return { scale: 1 };
    default:
      return { text: "1288" };
  }
}

/** Plays a session to its `done` step; returns the kinds of the steps seen. */
export function playToEnd(session, now = 1_795_000_000_000) {
  const kinds = [];
  for (let i = 0; i < 500; i++) {
    const step = session.step();
    kinds.push(step.kind);
    if (step.kind === "done") return kinds;
    if (step.kind === "question") session.answer(answerFor(step), now);
    else if (step.kind === "intake") {
      session.answer(step.options.length ? { choice: 0 } : { text: "x" }, now);
    } else if (step.kind === "story" && step.choices.length) session.answer({ choice: 0 }, now);
    else session.advance(now);
  }
  throw new Error("the journey did not end within 500 steps");
}
