// The main module is built with WebAssembly SIMD (its UTF-8 check of the pack's text table is
// simdutf8's SIMD code); the full module is not, and is what a host loads on an engine without
// SIMD. The engine without SIMD is real: Node whose V8 may not use SSE4.1
// (`node --no-enable-sse4-1`), which is how V8 runs on a CPU without it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kru, root, projectDir, rejectionOf, unsignedBytes, signedBytes, publicKey } from "./helpers.mjs";
import { assemble, layout, payloadOf, stripSignature } from "../../web-demo/tests/tamper.mjs";

const pkgNode = join(root, "bindings-wasm", "pkg-node");
const wasm = (stem) => readFileSync(join(pkgNode, `${stem}_bg.wasm`));

test("the main module uses SIMD and the full module does not", () => {
  // Both compile here (Node 20 has SIMD).
  assert.ok(WebAssembly.validate(wasm("kru_wasm")));
  assert.ok(WebAssembly.validate(wasm("kru_wasm_full")));
  const child = spawnSync(process.execPath, ["--no-enable-sse4-1", "-e", `
    const { readFileSync } = require("node:fs");
    const v = (f) => WebAssembly.validate(readFileSync(f));
    console.log(JSON.stringify({ main: v(process.argv[1]), full: v(process.argv[2]) }));`,
  join(pkgNode, "kru_wasm_bg.wasm"), join(pkgNode, "kru_wasm_full_bg.wasm")], { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), { main: false, full: true }, "without SIMD only the full module validates");
});

test("on an engine without SIMD the main entry point throws a CompileError and `/full` loads and verifies the signed pack", () => {
  const script = `
    const { createRequire } = require("node:module");
    const { readFileSync } = require("node:fs");
    const req = createRequire(${JSON.stringify(join(projectDir, "index.js"))});
    let main;
    try { req("@kru/engine-node"); main = "loaded"; } catch (e) { main = e.constructor.name + ": " + e.message; }
    const full = req("@kru/engine-node/full");
    const key = Uint8Array.from(${JSON.stringify(Array.from(publicKey()))});
    const bytes = new Uint8Array(readFileSync(${JSON.stringify(join(process.env.KRU_TEST_PACKS ?? join(root, "target", "test-packs"), "safe-migration.signed.krupack"))}));
    const loaded = full.Pack.load(bytes, { trustedKeys: [key] });
    full.Pack.open(bytes, { trustedKeys: [key] }).then((opened) => {
      const s = full.Session.start(opened, { journey: opened.journeys()[0].id, seed: 1, learner: "S-01", nowMs: 1795000000000 });
      console.log(JSON.stringify({ main, load: loaded.id, open: opened.id, step: s.step().kind }));
    });`;
  const child = spawnSync(process.execPath, ["--no-enable-sse4-1", "-e", script], { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  const r = JSON.parse(child.stdout);
  assert.match(r.main, /^CompileError: .*SIMD/, "the main module needs SIMD");
  assert.equal(r.load, "safe-migration");
  assert.equal(r.open, "safe-migration");
  assert.ok(r.step, "a session runs on the full module");
});

/** The unsigned pack with its payload replaced by `decoded` (LZ4 literals, CRC recomputed). */
function withPayload(decoded) {
  return stripSignature(assemble(unsignedBytes(), decoded, new Uint8Array(0)));
}

/** Where the text table's bytes start in a decoded payload (after its length varint). */
function tableStart(decoded) {
  let at = 0;
  while (decoded[at] & 0x80) at += 1;
  return at + 1;
}

test("the SIMD UTF-8 check: a text table with one invalid byte is refused, the same table intact loads", async () => {
  const decoded = payloadOf(unsignedBytes());
  const start = tableStart(decoded);
  // The reassembled pack, unchanged, loads: what follows is the UTF-8 check's doing.
  const intact = await kru.Pack.open(withPayload(decoded), { allowUnsigned: true });
  assert.equal(intact.id, "safe-migration");
  // Bytes well inside the table (SIMD blocks are 64 bytes), at the start, and near the end.
  const { decodedLen } = layout(unsignedBytes());
  assert.equal(decodedLen, decoded.length);
  for (const at of [start, start + 1000, start + 4097, start + 20_000]) {
    const damaged = Uint8Array.from(decoded);
    damaged[at] = 0xff;
    const pack = withPayload(damaged);
    await assert.rejects(kru.Pack.open(pack, { allowUnsigned: true }), (e) => e.code === "pack-decode" && /text table: invalid UTF-8/.test(e.message), `byte ${at}`);
  }
  // The signed pack still loads through WebCrypto and the SIMD module.
  const key = publicKey();
  assert.equal((await kru.Pack.open(signedBytes(), { trustedKeys: [key] })).id, "safe-migration");
  assert.equal(await rejectionOf(kru.Pack.open(signedBytes(), { trustedKeys: [] })), "pack-untrusted-signer");
});
