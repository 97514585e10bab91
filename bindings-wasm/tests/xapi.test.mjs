// The full module: a record's xAPI statements, and records rebuilt from statements.

import { test } from "node:test";
import assert from "node:assert/strict";
import { kru as main, kruFull as kru, unsignedBytes, playToEnd, codeOf } from "./helpers.mjs";

const NOW = 1_795_000_000_000;
const HOME = "https://kru.example.org/pilot";

function records(pack, n) {
  return Array.from({ length: n }, (_, i) => {
    const s = kru.Session.start(pack, { journey: "kiosk", seed: 40 + i, learner: `K-${i}`, nowMs: NOW + i });
    playToEnd(s, NOW + i + 1000);
    return s.finish(NOW + i + 2000);
  });
}

test("xapiStatements: deterministic statements an LRS takes; xapiRecords rebuilds the records", () => {
  const pack = kru.Pack.load(unsignedBytes(), { allowUnsigned: true });
  const recs = records(pack, 3);
  const json = kru.xapiStatements(pack, recs[0].bytes, { homePage: HOME, packSigner: "0123456789abcdef" });
  assert.equal(typeof json, "string");
  const statements = JSON.parse(json);
  assert.ok(statements.length > 3);
  assert.equal(json, kru.xapiStatements(pack, recs[0].bytes, { homePage: HOME, packSigner: "0123456789abcdef" }));
  for (const s of statements) {
    assert.deepEqual(Object.keys(s.actor).sort(), ["account", "objectType"]);
    assert.equal(s.actor.account.homePage, HOME);
    assert.equal(s.actor.account.name, "K-0");
    assert.match(s.id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  assert.ok(statements.some((s) => s.verb.id === "http://adlnet.gov/expapi/verbs/answered"));

  // Pages in any order, with another tool's statement, give back the same records.
  const all = recs.flatMap((r) => JSON.parse(kru.xapiStatements(pack, r.bytes, { homePage: HOME })));
  all.reverse();
  const foreign = { actor: { mbox: "mailto:x@example.org" }, verb: { id: "http://adlnet.gov/expapi/verbs/experienced" }, object: { id: "https://example.org/v" } };
  const pages = [
    JSON.stringify({ statements: all.slice(0, 20), more: "/xAPI/statements?page=2" }),
    JSON.stringify({ statements: [...all.slice(20), foreign], more: "" }),
  ];
  const back = kru.xapiRecords(pack, pages);
  assert.equal(back.counts.records, 3);
  assert.equal(back.counts.other_tool, 1);
  assert.equal(back.records.length, 3);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(Buffer.from(back.records[i].bytes), Buffer.from(recs[i].bytes));
  }
});

test("xapi errors have stable codes; the main module has no xAPI", () => {
  const pack = kru.Pack.load(unsignedBytes(), { allowUnsigned: true });
  const [r] = records(pack, 1);
  assert.equal(codeOf(() => kru.xapiStatements(pack, r.bytes, { homePage: "kru.example.org" })), "xapi-bad-home-page");
  assert.equal(codeOf(() => kru.xapiStatements(pack, r.bytes, {})), "bad-options");
  assert.equal(codeOf(() => kru.xapiStatements(pack, r.bytes.subarray(0, 10), { homePage: HOME })), "invalid-argument");
  assert.equal(codeOf(() => kru.xapiRecords(pack, ["<html>502</html>"])), "xapi-bad-page");
  assert.equal(main.xapiStatements, undefined);
  assert.equal(main.xapiRecords, undefined);
});
