// The browser host loads packs with its trusted public keys and refuses anything else:
// a pack whose hotline number was changed by one digit (checksum recomputed), and an
// unsigned pack. The genuine pack loads. Ed25519 is WebCrypto's; on a page without it (not a
// secure context) the full module verifies, with the same outcome.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as k from "./helpers.mjs";
import { crc32, layout, payloadOf, phoneOffset, stripSignature, tamperHotline } from "./tamper.mjs";

let genuine;
before(() => {
  k.requireBuilt();
  genuine = new Uint8Array(readFileSync(k.PACK));
});

test("the tampered copy differs from the genuine pack only in one hotline digit, with a valid checksum", async () => {
  const tampered = tamperHotline(genuine);
  // The content (the decompressed payload) differs in exactly one byte: 1288 → 1289.
  const a = payloadOf(genuine);
  const b = payloadOf(tampered);
  assert.equal(a.length, b.length);
  const diff = [];
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) diff.push(i);
  assert.equal(diff.length, 1, "one byte of content changed");
  assert.equal(String.fromCharCode(a[diff[0]]), "8");
  assert.equal(String.fromCharCode(b[diff[0]]), "9");
  assert.equal(phoneOffset(b).phone, "1289");
  // A well-formed pack: the checksum recomputed, the original signature block kept.
  const { crc, sigStart, end } = layout(tampered);
  assert.equal(new DataView(tampered.buffer).getUint32(crc, true), crc32(tampered.subarray(0, crc)), "checksum recomputed");
  const g = layout(genuine);
  assert.deepEqual(tampered.subarray(sigStart, end), genuine.subarray(g.sigStart, g.end), "signature block kept");

  // Without its signature, the engine would read it: the hotline is now 1289 (that is what a
  // visitor would have been told to call). Signed, it is refused as tampered.
  const engine = await k.nodeEngine();
  const unsigned = await engine.Pack.open(stripSignature(tampered), { allowUnsigned: true });
  const phones = unsigned.resources(Date.UTC(2100, 0, 1)).map((r) => r.phone);
  assert.deepEqual(phones, ["1289"]);
  await assert.rejects(engine.Pack.open(tampered, { allowUnsigned: true }), (e) => e.code === "pack-signature-mismatch");
});

// A name that is not localhost, resolved to the test server by Chromium: over plain HTTP the
// page is not a secure context, so it has no WebCrypto (what a tablet sees when the app is
// served over HTTP from another machine on the LAN).
const LAN_NAME = "kiosk-server.invalid";

async function openWith(packBytes, name, { insecure = false } = {}) {
  const server = await k.serve({ overrides: packBytes ? { "/safe-migration.krupack": packBytes } : {} });
  const profile = await k.freshProfile(insecure ? { args: [`--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`] } : {});
  try {
    const url = insecure ? server.url.replace("127.0.0.1", LAN_NAME) : server.url;
    const page = await k.open(profile.context, url);
    const secure = await page.evaluate(() => ({ secure: window.isSecureContext, subtle: Boolean(globalThis.crypto?.subtle) }));
    assert.deepEqual(secure, { secure: !insecure, subtle: !insecure }, "the page is (not) a secure context as intended");
    const fullModule = server.requests.some((p) => p.endsWith("/kru_wasm_full_bg.wasm"));
    const state = await page.evaluate(() => document.body.dataset.state);
    let code = null;
    if (state === "refused") {
      code = await page.getAttribute(".refusal", "data-code");
      assert.deepEqual(await k.axe(page), [], "refusal screen: no axe violations");
      await k.shot(page, name);
    }
    const text = await page.textContent("main");
    return { state, code, text, fullModule };
  } finally {
    await profile.close();
    await server.close();
  }
}

test("a pack whose hotline number was changed by one digit is refused, clearly", { timeout: 120_000 }, async () => {
  const r = await openWith(tamperHotline(genuine), "refused-tampered-pack");
  assert.equal(r.state, "refused");
  assert.equal(r.code, "pack-signature-mismatch");
  assert.match(r.text, /កញ្ចប់មាតិកានេះត្រូវបានបដិសេធ/);
  assert.match(r.text, /was changed after it was signed/);
  assert.doesNotMatch(r.text, /1289/, "nothing of the tampered content is shown");
});

test("an unsigned pack is refused", { timeout: 120_000 }, async () => {
  const r = await openWith(stripSignature(genuine), "refused-unsigned-pack");
  assert.equal(r.state, "refused");
  assert.equal(r.code, "pack-unsigned");
});

test("the genuine signed pack loads", { timeout: 120_000 }, async () => {
  const r = await openWith(null, "genuine-pack-home");
  assert.equal(r.state, "ready");
  assert.equal(r.code, null);
  assert.equal(r.fullModule, false, "verified by WebCrypto: the kiosk never downloads the full module");
});

test("without WebCrypto (plain HTTP from another name), the full module verifies: the genuine pack loads, the tampered one is refused", { timeout: 180_000 }, async () => {
  const genuineRun = await openWith(null, "genuine-pack-no-webcrypto", { insecure: true });
  assert.equal(genuineRun.state, "ready");
  assert.equal(genuineRun.fullModule, true, "the full module was loaded to verify in WebAssembly");
  const r = await openWith(tamperHotline(genuine), "refused-tampered-pack-no-webcrypto", { insecure: true });
  assert.equal(r.state, "refused");
  assert.equal(r.code, "pack-signature-mismatch");
  assert.match(r.text, /was changed after it was signed/);
  assert.doesNotMatch(r.text, /1289/, "nothing of the tampered content is shown");
});

after(() => {});
