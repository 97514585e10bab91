// The main engine module is built with WebAssembly SIMD. On a browser without SIMD it does not
// compile, and the full module (no SIMD, Ed25519 in WebAssembly) runs the app instead: a
// kiosk visitor still reaches a question and answers it. The browser without SIMD is real:
// Chromium whose V8 may not use SSE4.1 (`--js-flags=--no-enable-sse4-1`), which is how V8
// runs on a CPU without it: it then refuses every SIMD instruction. Two ways in: the app's
// probe (`WebAssembly.validate` of a tiny SIMD module) says no SIMD, or the probe is made to
// say yes and the main module's compile error is what sends the app to the full module.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as k from "./helpers.mjs";

k.useBuiltinStrings();

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

const NO_SIMD = ["--js-flags=--no-enable-sse4-1"];

/** Starts a Khmer kiosk visit and walks to its first question; returns that step. */
async function firstQuestion(page) {
  await page.waitForSelector("[data-screen=attract] .attract-hotline");
  await k.clickAndWait(page, "[data-start=km]");
  for (let guard = 0; guard < 40; guard += 1) {
    const st = await k.step(page);
    assert.ok(st, "a visit is running");
    if (st.kind === "question") return st;
    if (st.kind === "intake") await k.clickAndWait(page, "form.intake [data-action=skip]");
    else await k.clickAndWait(page, "[data-action=advance]");
  }
  throw new Error("no question in the first 40 steps");
}

/**
 * The paths the page itself requests (its imports and fetches, whether the network or the
 * service worker answers them), not the service worker's own precaching, which fetches both
 * engine modules for offline use whichever runs the app.
 */
function pageRequests(page) {
  const paths = [];
  page.on("request", (r) => paths.push(new URL(r.url()).pathname));
  return paths;
}

/** Opens the kiosk on a browser without SIMD; returns what the page saw and did. */
async function visitWithoutSimd(name, { probeLies = false } = {}) {
  const profile = await k.freshProfile({ args: NO_SIMD });
  try {
    if (probeLies) {
      // The probe answers yes: only the main module's own compile error can tell.
      await profile.context.addInitScript(() => {
        WebAssembly.validate = () => true;
      });
    }
    const warnings = [];
    const tab = profile.context.pages()[0] ?? (await profile.context.newPage());
    tab.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    const requests = pageRequests(tab);
    const page = await k.open(profile.context, server.url, { hash: "#/kiosk" });
    // The browser really has no SIMD: the main module does not compile here.
    const main = await page.evaluate(async () => {
      try {
        await WebAssembly.compile(await (await fetch("pkg/kru_wasm_bg.wasm")).arrayBuffer());
        return "compiled";
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    });
    assert.match(main, /^CompileError: .*SIMD/, "the main module needs SIMD, which this browser lacks");
    assert.equal(await page.evaluate(() => document.body.dataset.state), "ready");
    assert.equal(await page.evaluate(() => window.__kru.engineModule()), "full", "the full module runs the app");
    const st = await firstQuestion(page);
    await k.shot(page, `${name}-question`);
    assert.deepEqual(await k.axe(page), [], "question screen: no axe violations");
    await k.answer(page);
    const after = await k.step(page);
    assert.notDeepEqual(after, st, "the answer was taken");
    await k.shot(page, `${name}-answered`);
    return { question: st, requests, warnings, errors: profile.errors };
  } finally {
    await profile.close();
  }
}

test("without WebAssembly SIMD (the probe says so), the full module runs the kiosk: a visitor answers a question", { timeout: 240_000 }, async () => {
  const r = await visitWithoutSimd("no-simd");
  assert.equal(r.question.kind, "question");
  assert.ok(r.warnings.some((w) => /no WebAssembly SIMD/.test(w)), `the probe decided: ${r.warnings}`);
  assert.ok(r.requests.some((p) => p.endsWith("/kru_wasm_full_bg.wasm")), "the page loaded the full module");
  assert.deepEqual(r.errors, [], "no page errors");
});

test("without WebAssembly SIMD and a probe that says yes, the main module's compile error sends the app to the full module", { timeout: 240_000 }, async () => {
  const r = await visitWithoutSimd("no-simd-compile-error", { probeLies: true });
  assert.equal(r.question.kind, "question");
  assert.ok(r.warnings.some((w) => /main engine module does not compile/.test(w)), `the compile error decided: ${r.warnings}`);
  assert.ok(r.requests.some((p) => p.endsWith("/kru_wasm_full_bg.wasm")), "the page loaded the full module");
  assert.deepEqual(r.errors, [], "no page errors");
});

test("with SIMD (the browser as shipped), the main module runs the kiosk and the full one is not downloaded", { timeout: 120_000 }, async () => {
  const profile = await k.freshProfile();
  try {
    const tab = profile.context.pages()[0] ?? (await profile.context.newPage());
    const requests = pageRequests(tab);
    const page = await k.open(profile.context, server.url, { hash: "#/kiosk" });
    assert.equal(await page.evaluate(() => window.__kru.engineModule()), "main");
    assert.equal((await firstQuestion(page)).kind, "question");
    assert.ok(requests.some((p) => p.endsWith("/kru_wasm_bg.wasm")), "the page loaded the main module");
    assert.ok(!requests.some((p) => /\/kru_wasm_full(_bg\.wasm|\.js)$/.test(p)), `the page did not load the full module: ${requests.filter((p) => p.includes("full"))}`);
  } finally {
    await profile.close();
  }
});
