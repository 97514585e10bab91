// Bad inputs: every one an Error with a stable code, never a crash.

import { test } from "node:test";
import assert from "node:assert/strict";
import { kru, kruFull, unsignedBytes, signedBytes, publicKey, forgedHotlinePack, tamperedBytes, codeOf, answerFor } from "./helpers.mjs";

const NOW = 1_795_000_000_000;
const DEV = { allowUnsigned: true };

test("errors are Error objects named KruError with a code and a readable message", () => {
  let error;
  try {
    kru.Pack.load(new Uint8Array([1, 2, 3]));
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error);
  assert.equal(error.name, "KruError");
  assert.equal(error.code, "pack-truncated");
  assert.match(error.message, /truncated/);
});

test("truncation at every offset of a valid pack: an error with a code each time", () => {
  const bytes = signedBytes();
  const codes = new Set();
  for (let n = 0; n < bytes.length; n++) {
    const code = codeOf(() => kru.Pack.load(bytes.subarray(0, n), DEV));
    assert.ok(code?.startsWith("pack-") && code !== "pack-error", `offset ${n}: ${code}`);
    codes.add(code);
  }
  assert.ok(codes.has("pack-truncated"), [...codes].join());
  // The engine still works after all that.
  assert.equal(kru.Pack.load(bytes, DEV).id, "safe-migration");
});

test("garbage, damage and huge declared lengths", () => {
  assert.equal(codeOf(() => kru.Pack.load(new Uint8Array(0), DEV)), "pack-truncated");
  assert.equal(codeOf(() => kru.Pack.load(new TextEncoder().encode("PK\u0003\u0004 this is a zip file, not a pack"), DEV)), "pack-bad-magic");
  const random = new Uint8Array(4096);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
  assert.equal(codeOf(() => kru.Pack.load(random, DEV)), "pack-bad-magic");

  const good = unsignedBytes();
  const huge = good.slice();
  new DataView(huge.buffer).setUint32(12, 0xffffffff, true); // payload length
  assert.match(codeOf(() => kru.Pack.load(huge, DEV)), /^pack-(too-large|truncated)$/);
  const hugeDecoded = good.slice();
  new DataView(hugeDecoded.buffer).setUint32(16, 0xffffffff, true); // decoded length
  assert.match(codeOf(() => kru.Pack.load(hugeDecoded, DEV)), /^pack-/);

  const flipped = good.slice();
  flipped[good.length >> 1] ^= 0x01; // a byte in the payload
  assert.equal(codeOf(() => kru.Pack.load(flipped, DEV)), "pack-checksum-mismatch");
  const longer = new Uint8Array(good.length + 1);
  longer.set(good);
  assert.equal(codeOf(() => kru.Pack.load(longer, DEV)), "pack-trailing-bytes");
  const version = good.slice();
  version[8] = 9;
  assert.equal(codeOf(() => kru.Pack.load(version, DEV)), "pack-unsupported-format");
});

test("trust: unsigned refused unless allowed; wrong or tampered signatures refused", () => {
  const key = publicKey();
  assert.equal(codeOf(() => kru.Pack.load(unsignedBytes())), "pack-unsigned");
  assert.equal(codeOf(() => kru.Pack.load(unsignedBytes(), { trustedKeys: [key] })), "pack-unsigned");
  assert.equal(kru.Pack.load(unsignedBytes(), DEV).signerKeyId, undefined);
  assert.equal(kru.Pack.load(signedBytes(), { trustedKeys: [key] }).id, "safe-migration");
  const otherKey = key.slice();
  otherKey[0] ^= 0x80;
  assert.match(codeOf(() => kru.Pack.load(signedBytes(), { trustedKeys: [otherKey] })), /^(pack-untrusted-signer|invalid-public-key)$/);
  assert.equal(codeOf(() => kru.Pack.load(signedBytes())), "pack-untrusted-signer");
  assert.equal(codeOf(() => kru.Pack.load(signedBytes(), { trustedKeys: [new Uint8Array(31)] })), "invalid-public-key");
  assert.equal(codeOf(() => kru.Pack.load(signedBytes(), { trustedKeys: "abc" })), "bad-options");
  assert.equal(codeOf(() => kru.Pack.load(signedBytes(), { allowUnsigned: 1 })), "bad-options");
});

test("a signed pack whose hotline number was changed by one digit is refused", () => {
  const key = publicKey();
  // The tampered build alone is a valid pack that shows 1289 on the reference card...
  const tampered = kru.Pack.load(tamperedBytes(), DEV);
  const s = kru.Session.start(tampered, { journey: "kiosk", seed: 1, learner: "x", nowMs: NOW });
  s.abandon(NOW);
  // ...and under the original signature it is refused, by a production host and by a
  // development host that accepts unsigned packs alike.
  const forged = forgedHotlinePack();
  assert.equal(codeOf(() => kru.Pack.load(forged, { trustedKeys: [key] })), "pack-signature-mismatch");
  assert.equal(codeOf(() => kru.Pack.load(forged, DEV)), "pack-signature-mismatch");
  // A bit flipped in the payload without fixing the checksum: damaged.
  const signed = signedBytes();
  const damaged = signed.slice();
  damaged[signed.length >> 1] ^= 0x01;
  assert.equal(codeOf(() => kru.Pack.load(damaged, { trustedKeys: [key] })), "pack-checksum-mismatch");
});

test("unknown journey, bad learner, bad options", () => {
  const pack = kru.Pack.load(unsignedBytes(), DEV);
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
  assert.equal(codeOf(() => pack.staleResources(Number.NaN)), "invalid-argument");
});

test("answers of the wrong type or shape, and calls at the wrong step", () => {
  const pack = kru.Pack.load(unsignedBytes(), DEV);
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

test("bad snapshots", () => {
  const pack = kru.Pack.load(unsignedBytes(), DEV);
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

test("damaged logs never throw", () => {
  const noise = new Uint8Array(1000).map((_, i) => (i * 7919) & 0xff);
  const read = kruFull.readLog(noise);
  assert.deepEqual(read.records, []);
  assert.ok(read.damaged.length >= 1);
  assert.equal(kru.appendOffset(noise), 0);
});
