// The full module: merging kiosk logs and the cohort report.

import { test } from "node:test";
import assert from "node:assert/strict";
import { kruFull as kru, unsignedBytes, playToEnd, codeOf } from "./helpers.mjs";

const NOW = 1_795_000_000_000;

function kioskLog(pack, learners, seed0 = 0) {
  const frames = learners.map((learner, i) => {
    const s = kru.Session.start(pack, { journey: "kiosk", seed: seed0 + i, learner, nowMs: NOW + i });
    playToEnd(s, NOW + i + 1000);
    return s.finish(NOW + i + 2000).bytes;
  });
  return Buffer.concat(frames);
}

test("mergeLogs drops duplicates; cohortReport counts learners and tests", () => {
  const pack = kru.Pack.load(unsignedBytes(), { allowUnsigned: true });
  const kiosk1 = kioskLog(pack, ["K1-a", "K1-b", "K1-c"]);
  const kiosk2 = kioskLog(pack, ["K2-a", "K2-b"], 10);
  const merged = kru.mergeLogs([kiosk1, kiosk2, kiosk1]);
  assert.equal(merged.length, kiosk1.length + kiosk2.length);
  assert.equal(kru.readLog(merged).records.length, 5);

  const report = kru.cohortReport(pack, merged);
  assert.equal(report.schema_version, 1);
  assert.equal(report.pack.id, "safe-migration");
  assert.equal(report.records.accepted, 5);
  assert.equal(report.cohort.learners.paired, 5);
  assert.equal(report.cohort.paired.n, 5);
  assert.ok(report.cohort.items.length > 0);
  assert.ok(Array.isArray(report.warnings));
  assert.ok(report.cohort.warnings.some((w) => w.code === "small_n"), "5 learners is a small n");
  JSON.stringify(report); // plain JSON-compatible data

  const kioskOnly = kru.cohortReport(pack, merged, { journey: "kiosk", minN: 2 });
  assert.equal(kioskOnly.options.min_n, 2);
  assert.equal(kioskOnly.options.journey, "kiosk");
});

test("cohortReport errors and damage", () => {
  const pack = kru.Pack.load(unsignedBytes(), { allowUnsigned: true });
  const log = kioskLog(pack, ["A"]);
  assert.equal(codeOf(() => kru.cohortReport(pack, log, { by: "shoe-size" })), "report-unknown-field");
  assert.equal(codeOf(() => kru.cohortReport(pack, log, { journey: "museum" })), "unknown-journey");
  assert.equal(codeOf(() => kru.cohortReport(pack, log, { minN: "ten" })), "bad-options");
  const damaged = Buffer.concat([log, Buffer.from("torn write")]);
  const report = kru.cohortReport(pack, damaged);
  assert.equal(report.records.accepted, 1);
  assert.equal(report.records.damaged_stretches, 1);
});

test("LogReader fed in chunks gives what readLog gives on the whole log", () => {
  const pack = kru.Pack.load(unsignedBytes(), { allowUnsigned: true });
  const whole = kioskLog(pack, ["C1", "C2", "C3", "C4"], 40);
  const torn = whole.subarray(0, whole.length - 17);
  for (const log of [whole, torn]) {
    const want = kru.readLog(log);
    for (const size of [1, 5, 333, 1 << 16]) {
      const reader = new kru.LogReader();
      const got = { records: [], damaged: [], undecodable: [] };
      const take = (c) => {
        got.records.push(...c.records);
        got.damaged.push(...c.damaged);
        got.undecodable.push(...c.undecodable);
      };
      for (let at = 0; at < log.length; at += size) take(reader.feed(log.subarray(at, at + size)));
      take(reader.finish());
      assert.deepEqual(got.records.map((r) => r.learner), want.records.map((r) => r.learner), `chunk ${size}`);
      assert.deepEqual(got.damaged, want.damaged, `chunk ${size}`);
      assert.equal(codeOf(() => reader.feed(log)), "invalid-argument");
      reader.free();
    }
  }
  assert.equal(kru.readLog(torn).damaged.length, 1);
});
