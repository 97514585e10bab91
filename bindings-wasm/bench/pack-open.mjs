// `Pack.open` of the demo pack, signed (Ed25519 by WebCrypto) and unsigned (the core's load
// alone), for one or more builds of the Node package loaded in one process and run in turn
// every round, so that the machine's load falls on all of them alike. Prints the median and
// the 10th percentile of each, after 50 rounds of warm-up (docs/performance.md, "Issue 18,
// sixth round: pack load").
//
//   cargo xtask wasm && node bindings-wasm/bench/pack-open.mjs [ROUNDS] [PKG_NODE_DIR…]
//
// Without directories: `bindings-wasm/pkg-node`. KRU_PACK: another pack file (e.g.
// `web-demo/safe-migration.krupack.nolz4`, the payload without LZ4).

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "tools", "js", "package.json"));
const rounds = Number(process.argv[2] ?? 300);
const WARM_UP = 50;
const dirs = process.argv.length > 3 ? process.argv.slice(3).map((d) => resolve(d)) : [join(root, "bindings-wasm", "pkg-node")];
const builds = dirs.map((d) => require(join(d, "kru_wasm.js")));
const bytes = new Uint8Array(readFileSync(process.env.KRU_PACK ?? join(root, "web-demo", "safe-migration.krupack")));
const trusted = JSON.parse(readFileSync(join(root, "web-demo", "trusted-keys.json"), "utf8"));
const trustedKeys = trusted.keys.map((k) => Uint8Array.from(k.publicKey.match(/../g), (h) => parseInt(h, 16)));

// The same pack unsigned: its signature block's length set to 0 and the block left out.
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const crcAt = 27 + bytes[20] + view.getUint32(12, true);
const unsigned = Uint8Array.from(bytes.subarray(0, crcAt + 6));
new DataView(unsigned.buffer).setUint16(crcAt + 4, 0, true);

async function time(open) {
  const t = performance.now();
  const pack = await open();
  const ms = performance.now() - t;
  pack.free();
  return ms;
}

const times = builds.map(() => ({ signed: [], unsigned: [] }));
for (let round = 0; round < rounds + WARM_UP; round++) {
  for (const [i, kru] of builds.entries()) {
    const signed = await time(() => kru.Pack.open(bytes, { trustedKeys }));
    const plain = await time(() => kru.Pack.open(unsigned, { allowUnsigned: true }));
    if (round >= WARM_UP) {
      times[i].signed.push(signed);
      times[i].unsigned.push(plain);
    }
  }
}

const at = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
const us = (ms) => `${Math.round(ms * 1000)} µs`.padStart(9);
console.log(`Pack.open of ${process.env.KRU_PACK ?? "the demo pack"}: ${rounds} rounds after ${WARM_UP}, median (10th percentile); node ${process.version}`);
for (const [i, dir] of dirs.entries()) {
  const { signed, unsigned: plain } = times[i];
  console.log(`  ${dir.padEnd(44)} signed ${us(at(signed, 0.5))} (${us(at(signed, 0.1))})   unsigned ${us(at(plain, 0.5))} (${us(at(plain, 0.1))})`);
}
