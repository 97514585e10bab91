// Measures the pack loaders in Chromium on the served site (`target/site/`, `cargo xtask site`):
// the main module's `Pack.open` (Ed25519 by WebCrypto, decoding while it verifies), the full
// module's synchronous `Pack.load` (Ed25519 in WebAssembly) and its `Pack.open`, an unsigned
// pack through `Pack.open` (decoding alone) and WebCrypto's `importKey` + `verify` alone.
// Each round runs them one after the other, the first changing every round; medians and
// quartiles after 20 warm-up rounds. `performance.now()` is coarsened to 0.1 ms in a page that
// is not cross-origin isolated.
//
//   NODE_PATH=tools/js/node_modules node web-demo/tests/pack-load.mjs [ROUNDS]

import * as k from "./helpers.mjs";

const rounds = Number(process.argv[2] ?? 200);
k.requireBuilt();
const server = await k.serve();
const profile = await k.freshProfile();
try {
  const page = profile.context.pages()[0] ?? (await profile.context.newPage());
  await page.goto(`${server.url}?test=1`);
  const lines = await page.evaluate(async (rounds) => {
    const main = await import("./pkg/kru_wasm.js");
    await main.default();
    const full = await import("./pkg/kru_wasm_full.js");
    await full.default();
    const bytes = new Uint8Array(await (await fetch("safe-migration.krupack")).arrayBuffer());
    const keys = (await (await fetch("trusted-keys.json")).json()).keys.map((key) => Uint8Array.from(key.publicKey.match(/../g), (h) => parseInt(h, 16)));
    // The same pack unsigned: an empty signature block (length 0) instead of the 97 bytes.
    const unsigned = new Uint8Array(bytes.length - 97);
    unsigned.set(bytes.subarray(0, bytes.length - 99));
    const subtle = globalThis.crypto.subtle;
    const loaders = [
      ["main Pack.open (Ed25519 by WebCrypto)", () => main.Pack.open(bytes, { trustedKeys: keys })],
      ["full Pack.load (Ed25519 in WebAssembly)", async () => full.Pack.load(bytes, { trustedKeys: keys })],
      ["full Pack.open", () => full.Pack.open(bytes, { trustedKeys: keys })],
      ["main Pack.open, unsigned (decoding alone)", () => main.Pack.open(unsigned, { allowUnsigned: true })],
      ["WebCrypto importKey + verify alone", async () => {
        const key = await subtle.importKey("raw", bytes.slice(bytes.length - 96, bytes.length - 64), "Ed25519", false, ["verify"]);
        if (!(await subtle.verify("Ed25519", key, bytes.slice(bytes.length - 64), bytes.slice(0, bytes.length - 99)))) throw new Error("WebCrypto: the demo pack does not verify");
        return { free() {} };
      }],
    ];
    const times = loaders.map(() => []);
    const warmup = 20;
    for (let i = 0; i < warmup + rounds; i++) {
      for (let j = 0; j < loaders.length; j++) {
        const n = (i + j) % loaders.length;
        const t = performance.now();
        const pack = await loaders[n][1]();
        const ms = performance.now() - t;
        pack.free();
        if (i >= warmup) times[n].push(ms);
      }
    }
    return loaders.map(([name], n) => {
      const xs = times[n].sort((a, b) => a - b);
      const q = (f) => xs[Math.floor(f * (xs.length - 1))].toFixed(2);
      return `  ${name.padEnd(44)} ${q(0.5)} ms  (IQR ${q(0.25)} – ${q(0.75)})`;
    });
  }, rounds);
  const agent = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent);
  console.log(`pack loaders in ${agent}: ${rounds} rounds after 20 warm-up rounds, medians`);
  console.log(lines.join("\n"));
} finally {
  await profile.close();
  await server.close();
}
