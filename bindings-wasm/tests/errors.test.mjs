// Bad inputs: every one an Error with a stable code, never a crash.

import { test } from "node:test";
import assert from "node:assert/strict";
import { kru, kruFull, unsignedBytes, signedBytes, publicKey, forgedHotlinePack, tamperedBytes, codeOf, rejectionOf, answerFor } from "./helpers.mjs";

const NOW = 1_795_000_000_000;
const DEV = { allowUnsigned: true };

// The three ways to load a pack, which must refuse alike: the main module's `Pack.open`
// (Ed25519 by WebCrypto), the full module's `Pack.open` (WebCrypto too) and its synchronous
// `Pack.load` (Ed25519 in WebAssembly).
const LOADERS = [
  ["main Pack.open (WebCrypto)", (bytes, options) => kru.Pack.open(bytes, options)],
  ["full Pack.open", (bytes, options) => kruFull.Pack.open(bytes, options)],
  ["full Pack.load (WebAssembly)", async (bytes, options) => kruFull.Pack.load(bytes, options)],
];

test("errors are Error objects named KruError with a code and a readable message", async () => {
  let error;
  try {
    kruFull.Pack.load(new Uint8Array([1, 2, 3]));
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error);
  assert.equal(error.name, "KruError");
  assert.equal(error.code, "pack-truncated");
  assert.match(error.message, /truncated/);
  // Pack.open never throws: it rejects, with the same Error.
  const opening = kru.Pack.open(new Uint8Array([1, 2, 3]));
  assert.ok(opening instanceof Promise);
  await assert.rejects(opening, (e) => e instanceof Error && e.name === "KruError" && e.code === "pack-truncated" && /truncated/.test(e.message));
  const badOptions = kru.Pack.open(new Uint8Array(0), { trustedKeys: "abc" });
  assert.ok(badOptions instanceof Promise);
  await assert.rejects(badOptions, (e) => e.code === "bad-options");
});

test("the main module has no synchronous Pack.load (no Ed25519 in it); the full module has both", () => {
  assert.equal(kru.Pack.load, undefined);
  assert.equal(typeof kruFull.Pack.load, "function");
  assert.equal(typeof kruFull.Pack.open, "function");
});

test("truncation at every offset of a valid pack: an error with a code each time", async () => {
  const bytes = signedBytes();
  for (const [name, load] of LOADERS) {
    const codes = new Set();
    for (let n = 0; n < bytes.length; n++) {
      const code = await rejectionOf(load(bytes.subarray(0, n), DEV));
      assert.ok(code?.startsWith("pack-") && code !== "pack-error", `${name}, offset ${n}: ${code}`);
      codes.add(code);
    }
    assert.ok(codes.has("pack-truncated"), [...codes].join());
    // The engine still works after all that.
    assert.equal((await load(bytes, DEV)).id, "safe-migration", name);
  }
});

test("garbage, damage and huge declared lengths", async () => {
  for (const [name, load] of LOADERS) {
    const code = (bytes) => rejectionOf(load(bytes, DEV));
    assert.equal(await code(new Uint8Array(0)), "pack-truncated", name);
    assert.equal(await code(new TextEncoder().encode("PK\u0003\u0004 this is a zip file, not a pack")), "pack-bad-magic", name);
    const random = new Uint8Array(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    assert.equal(await code(random), "pack-bad-magic", name);

    const good = unsignedBytes();
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(12, 0xffffffff, true); // payload length
    assert.match(await code(huge), /^pack-(too-large|truncated)$/, name);
    const hugeDecoded = good.slice();
    new DataView(hugeDecoded.buffer).setUint32(16, 0xffffffff, true); // decoded length
    assert.match(await code(hugeDecoded), /^pack-/, name);

    const flipped = good.slice();
    flipped[good.length >> 1] ^= 0x01; // a byte in the payload
    assert.equal(await code(flipped), "pack-checksum-mismatch", name);
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    assert.equal(await code(longer), "pack-trailing-bytes", name);
    const version = good.slice();
    version[8] = 9;
    assert.equal(await code(version), "pack-unsupported-format", name);
  }
});

test("trust: unsigned refused unless allowed; wrong or tampered signatures refused", async () => {
  const key = publicKey();
  const otherKey = key.slice();
  otherKey[0] ^= 0x80;
  for (const [name, load] of LOADERS) {
    const code = (bytes, options) => rejectionOf(load(bytes, options));
    assert.equal(await code(unsignedBytes()), "pack-unsigned", name);
    assert.equal(await code(unsignedBytes(), { trustedKeys: [key] }), "pack-unsigned", name);
    assert.equal((await load(unsignedBytes(), DEV)).signerKeyId, undefined, name);
    const pack = await load(signedBytes(), { trustedKeys: [key] });
    assert.equal(pack.id, "safe-migration", name);
    assert.equal(pack.signerKeyId, Buffer.from(key.subarray(0, 8)).toString("hex"), name);
    // Flipping a bit of a key may or may not leave a curve point; the main module cannot
    // tell (no curve arithmetic), so such a key is just never the signer.
    assert.match(await code(signedBytes(), { trustedKeys: [otherKey] }), /^(pack-untrusted-signer|invalid-public-key)$/, name);
    assert.equal(await code(signedBytes()), "pack-untrusted-signer", name);
    assert.equal(await code(signedBytes(), { trustedKeys: [new Uint8Array(31)] }), "invalid-public-key", name);
    assert.equal(await code(signedBytes(), { trustedKeys: "abc" }), "bad-options", name);
    assert.equal(await code(signedBytes(), { allowUnsigned: 1 }), "bad-options", name);
  }
});

test("a signed pack whose hotline number was changed by one digit is refused", async () => {
  const key = publicKey();
  // The tampered build alone is a valid pack that shows 1289 on the reference card...
  const tampered = await kru.Pack.open(tamperedBytes(), DEV);
  const s = kru.Session.start(tampered, { journey: "kiosk", seed: 1, learner: "x", nowMs: NOW });
  s.abandon(NOW);
  // ...and under the original signature it is refused, by a production host and by a
  // development host that accepts unsigned packs alike, whoever verifies Ed25519.
  const forged = forgedHotlinePack();
  for (const [name, load] of LOADERS) {
    const code = (bytes, options) => rejectionOf(load(bytes, options));
    assert.equal(await code(forged, { trustedKeys: [key] }), "pack-signature-mismatch", name);
    assert.equal(await code(forged, DEV), "pack-signature-mismatch", name);
    // A bit flipped in the payload without fixing the checksum: damaged.
    const signed = signedBytes();
    const damaged = signed.slice();
    damaged[signed.length >> 1] ^= 0x01;
    assert.equal(await code(damaged, { trustedKeys: [key] }), "pack-checksum-mismatch", name);
    // The message names the signer's key, as the core's error does.
    await assert.rejects(load(forged, { trustedKeys: [key] }), (e) => e.message.includes(Buffer.from(key.subarray(0, 8)).toString("hex")), name);
  }
});

test("Pack.open verifies the bytes it was given: changing them after the call changes nothing", async () => {
  const key = publicKey();
  const bytes = signedBytes();
  const opening = kru.Pack.open(bytes, { trustedKeys: [key] });
  // While WebCrypto works, the caller overwrites its array with the forged pack's bytes.
  bytes.set(forgedHotlinePack().subarray(0, bytes.length));
  const pack = await opening;
  const phones = pack.resources(Date.UTC(2026, 0, 1)).map((r) => r.phone);
  assert.ok(phones.includes("1288") && !phones.includes("1289"), phones.join());
});

test("without WebCrypto (a page that is not a secure context): the main module says so, the full module verifies in WebAssembly", async () => {
  const key = publicKey();
  const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true, writable: true });
  try {
    await assert.rejects(kru.Pack.open(signedBytes(), { trustedKeys: [key] }), (e) => e.code === "ed25519-unavailable" && /WebCrypto/.test(e.message) && e.messageId === "error-ed25519-unavailable");
    // An unsigned pack needs no Ed25519.
    assert.equal((await kru.Pack.open(unsignedBytes(), DEV)).id, "safe-migration");
    assert.equal((await kruFull.Pack.open(signedBytes(), { trustedKeys: [key] })).id, "safe-migration");
    assert.equal(await rejectionOf(kruFull.Pack.open(forgedHotlinePack(), { trustedKeys: [key] })), "pack-signature-mismatch");
  } finally {
    Object.defineProperty(globalThis, "crypto", saved);
  }
  assert.equal((await kru.Pack.open(signedBytes(), { trustedKeys: [key] })).id, "safe-migration");
});

test("WebCrypto without Ed25519 (Chrome before 137): the main module says so, the full module verifies in WebAssembly", async () => {
  const key = publicKey();
  const subtle = globalThis.crypto.subtle;
  const importKey = subtle.importKey;
  // What such a browser's importKey does with "Ed25519": a NotSupportedError rejection.
  subtle.importKey = function (format, data, algorithm, ...rest) {
    if (String(algorithm?.name ?? algorithm).toLowerCase() === "ed25519") {
      return Promise.reject(new DOMException("Algorithm: Unrecognized name", "NotSupportedError"));
    }
    return importKey.call(this, format, data, algorithm, ...rest);
  };
  try {
    await assert.rejects(kru.Pack.open(signedBytes(), { trustedKeys: [key] }), (e) => e.code === "ed25519-unavailable" && /NotSupportedError/.test(e.message));
    assert.equal((await kruFull.Pack.open(signedBytes(), { trustedKeys: [key] })).id, "safe-migration");
    assert.equal(await rejectionOf(kruFull.Pack.open(forgedHotlinePack(), { trustedKeys: [key] })), "pack-signature-mismatch");
    assert.equal(await rejectionOf(kruFull.Pack.open(signedBytes())), "pack-untrusted-signer");
  } finally {
    subtle.importKey = importKey;
  }
});

test("unknown journey, bad learner, bad options", async () => {
  const pack = await kru.Pack.open(unsignedBytes(), DEV);
  const ok = { journey: "kiosk", seed: 1, learner: "L-1", nowMs: NOW };
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, journey: "museum" })), "unknown-journey");
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, learner: "" })), "bad-learner-code");
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, learner: "a\u0000b" })), "bad-learner-code");
  // The placeholders of the learner-facing message (`error-bad-learner-code`: `{max}`).
  let tooLong;
  try {
    kru.Session.start(pack, { ...ok, learner: "ក".repeat(65) });
  } catch (e) {
    tooLong = e;
  }
  assert.equal(tooLong.code, "bad-learner-code");
  assert.deepEqual({ ...tooLong.params }, { max: 64 });
  assert.equal(tooLong.messageId, "error-bad-learner-code", "the message's id comes from the engine");
  assert.equal(kru.Session.start(pack, { ...ok, learner: "ក".repeat(64) }).learner, "ក".repeat(64));
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, seed: -1 })), "bad-options");
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, seed: 2 ** 60 })), "bad-options");
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, seed: 2n ** 64n })), "bad-options");
  assert.equal(kru.Session.start(pack, { ...ok, seed: 2n ** 64n - 1n }).seed, 2n ** 64n - 1n);
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, languages: "en" })), "bad-options");
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, nowMs: "now" })), "bad-options");
  assert.equal(codeOf(() => kru.Session.start(pack, { ...ok, nowMs: 1.5 })), "invalid-argument");
  assert.equal(codeOf(() => kru.Session.start(pack)), "bad-options");
  assert.equal(codeOf(() => kru.Session.start(pack, { journey: "kiosk" })), "bad-options");
  assert.equal(codeOf(() => pack.resources(Number.NaN)), "invalid-argument");
});

test("answers of the wrong type or shape, and calls at the wrong step", async () => {
  const pack = await kru.Pack.open(unsignedBytes(), DEV);
  const s = kru.Session.start(pack, { journey: "kiosk", seed: 5, learner: "L-2", nowMs: NOW });
  const step = s.step();
  assert.equal(step.kind, "question");
  assert.equal(codeOf(() => s.advance(NOW)), "answer-required");
  const wrong = step.expects === "text" ? { choice: 0 } : { text: "1288" };
  assert.equal(codeOf(() => s.answer(wrong, NOW)), "wrong-answer-type");
  assert.equal(codeOf(() => s.answer({ trueFalse: "yes" }, NOW)), "bad-answer");
  assert.equal(codeOf(() => s.answer({ choice: 1, text: "x" }, NOW)), "bad-answer");
  assert.equal(codeOf(() => s.answer({ pick: 1 }, NOW)), "bad-answer");
  assert.equal(codeOf(() => s.answer(2, NOW)), "bad-answer");
  assert.equal(codeOf(() => s.answer(null, NOW)), "bad-answer");
  assert.equal(codeOf(() => s.answer({ choices: [0, 1.5] }, NOW)), "bad-answer");
  if (step.expects === "choice") {
    assert.equal(codeOf(() => s.answer({ choice: step.options.length }, NOW)), "answer-out-of-range");
  }
  assert.equal(codeOf(() => s.finish(NOW)), "not-finished");
  assert.deepEqual(s.step(), step, "failed calls change nothing");

  // Advance to the lesson page: answering it is not possible.
  while (s.step().kind === "question") s.answer(answerFor(s.step()), NOW);
  while (s.step().kind !== "page") s.advance(NOW);
  assert.equal(codeOf(() => s.answer({ choice: 0 }, NOW)), "not-answerable");

  s.abandon(NOW);
  assert.equal(codeOf(() => s.advance(NOW)), "session-ended");
  assert.equal(codeOf(() => s.answer({ choice: 0 }, NOW)), "session-ended");
  assert.equal(codeOf(() => s.abandon(NOW)), "session-ended");
});

test("answers are read in one call into JS: each wrong shape keeps its message, and nothing a host passes breaks the session", async () => {
  const pack = await kru.Pack.open(unsignedBytes(), DEV);
  const s = kru.Session.start(pack, { journey: "kiosk", seed: 5, learner: "L-4", nowMs: NOW });
  const step = s.step();
  assert.equal(step.kind, "question");
  const messageOf = (answer) => {
    try {
      s.answer(answer, NOW);
    } catch (e) {
      assert.equal(e.code, "bad-answer", String(e.message));
      return e.message.split(" (expected one of")[0];
    }
    return "ok";
  };
  const notObject = "an answer must be an object";
  const oneField = "an answer must have exactly one field";
  const wrongType = "the answer's value has the wrong type (indices are whole numbers from 0 to 65535)";
  assert.equal(messageOf(2), notObject);
  assert.equal(messageOf("choice"), notObject);
  assert.equal(messageOf(undefined), notObject);
  assert.equal(messageOf([{ choice: 0 }]), notObject);
  assert.equal(messageOf(() => 0), notObject);
  assert.equal(messageOf({}), oneField);
  assert.equal(messageOf({ choice: 0, scale: 1 }), oneField);
  // Own enumerable fields only, as `Object.keys` reads them.
  assert.equal(messageOf(Object.create({ choice: 0 })), oneField);
  assert.equal(messageOf({ pick: 1 }), "unknown answer type");
  assert.equal(messageOf({ Choice: 0 }), "unknown answer type");
  for (const [n, answer] of [
    { choice: "0" }, { choice: 0.5 }, { choice: -1 }, { choice: 65536 }, { choice: NaN }, { choice: Infinity }, { choice: 0n },
    { scale: null }, { trueFalse: 1 }, { dontKnow: false }, { dontKnow: 1 }, { text: 1288 }, { text: null },
    { choices: 0 }, { choices: "0,1" }, { choices: [0, "1"] }, { choices: [0, , 1] }, { order: [0, 1.5] }, { matches: [undefined] },
    // A getter that throws, and a proxy whose keys cannot be listed: refused like any wrong value.
    { get choice() { throw new Error("host bug"); } },
    new Proxy({ choice: 0 }, { ownKeys() { throw new Error("host bug"); } }),
  ].entries()) {
    assert.equal(messageOf(answer), wrongType, `wrong value ${n}`);
  }
  // Arrays longer than one call's room (16 values) are read whole: a bad value past it is
  // found, and a long array of good values reaches the engine (which refuses its type here).
  const long = Array.from({ length: 40 }, (_, i) => i);
  for (const bad of [16, 17, 35, 39]) {
    const withBad = long.slice();
    withBad[bad] = -1;
    assert.equal(messageOf({ order: withBad }), wrongType, `bad value at ${bad}`);
  }
  assert.match(codeOf(() => s.answer({ order: long }, NOW)), /^(answer-out-of-range|wrong-answer-type)$/);
  assert.equal(codeOf(() => s.answer({ text: "1288" }, NOW)), step.expects === "text" ? "ok" : "wrong-answer-type");
  // None of that changed the session, or left it unusable.
  assert.deepEqual(s.step(), step);
  s.answer(answerFor(step), NOW);
  assert.notDeepEqual(s.step(), step);
});

test("bad snapshots", async () => {
  const pack = await kru.Pack.open(unsignedBytes(), DEV);
  const s = kru.Session.start(pack, { journey: "kiosk", seed: 5, learner: "L-3", nowMs: NOW });
  const snap = s.snapshot();
  for (let n = 0; n < snap.length; n++) {
    assert.equal(codeOf(() => kru.Session.restore(pack, snap.subarray(0, n))), "bad-snapshot", `truncated at ${n}`);
  }
  const flipped = snap.slice();
  flipped[12] ^= 0xff;
  assert.equal(codeOf(() => kru.Session.restore(pack, flipped)), "bad-snapshot");
  assert.equal(codeOf(() => kru.Session.restore(pack, new TextEncoder().encode("KRUS garbage"))), "bad-snapshot");
});

test("damaged logs never throw", async () => {
  const noise = new Uint8Array(1000).map((_, i) => (i * 7919) & 0xff);
  const read = kruFull.readLog(noise);
  assert.deepEqual(read.records, []);
  assert.ok(read.damaged.length >= 1);
  assert.equal(kru.appendOffset(noise), 0);
});
