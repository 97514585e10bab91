// The full module: merging kiosk logs, the cohort report and its renderings (HTML, CSV).

import { test } from "node:test";
import assert from "node:assert/strict";
import { kru as main, kruFull as kru, unsignedBytes, playToEnd, codeOf } from "./helpers.mjs";

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

/** A school session whose free-text intake answers are `text` (the others: the first option). */
function schoolRecord(pack, learner, text, seed) {
  const s = kru.Session.start(pack, { journey: "school", seed, learner, nowMs: NOW });
  for (let i = 0; i < 500 && s.step().kind === "intake"; i++) {
    const step = s.step();
    s.answer(step.options.length ? { choice: 0 } : { text }, NOW);
  }
  playToEnd(s, NOW + 1000);
  return s.finish(NOW + 2000);
}

test("reportHtml, reportCsv and responsesCsv are the engine's renderings of the log", () => {
  const pack = kru.Pack.load(unsignedBytes(), { allowUnsigned: true });
  const school = [schoolRecord(pack, "S1", "=HYPERLINK(\"http://x\")", 1), schoolRecord(pack, "S2", "Prey Veng", 2)];
  const log = Buffer.concat([kioskLog(pack, ["K1", "K2"]), ...school.map((r) => r.bytes)]);
  const report = kru.cohortReport(pack, log);
  const records = kru.readLog(log).records;

  // The page: English labels, pack texts in the best preferred language, the report's figures.
  const html = kru.reportHtml(pack, log);
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en" dir="ltr">/);
  assert.ok(html.endsWith("</html>\n"));
  assert.ok(html.includes(`Made with kru ${kru.version()} · report schema ${report.schema_version}`));
  const title = (langs) => pack.title(langs).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  assert.ok(html.includes(`<span lang="en" dir="ltr">${title(["en"])}</span>`));
  const km = kru.reportHtml(pack, log, undefined, ["fr", "km-KH"]);
  assert.ok(km.includes(`<span lang="km" dir="ltr">${title(["km"])}</span>`), "the best of the preferred languages");
  // The page's own words in the same language, from the core's catalogue.
  assert.match(km, /^<!DOCTYPE html>\n<html lang="km" dir="ltr">/);
  assert.ok(km.includes("<h2 id=\"head-h\">សេចក្តីសង្ខេប</h2>") && !km.includes(">Summary<"));
  assert.ok(html.includes("<h2 id=\"head-h\">Summary</h2>"));
  // Warnings carry their catalogue text id and the values of its placeholders.
  const small = report.cohort.warnings.find((w) => w.text_id.startsWith("warning-"));
  assert.ok(small && typeof small.params === "object", JSON.stringify(report.cohort.warnings));
  assert.equal(kru.reportHtml(pack, log, {}, []), html, "no preference: the pack's default language");
  assert.notEqual(kru.reportHtml(pack, log, { journey: "kiosk" }), html, "the options apply");

  // The summary table: one number per row, the same figures as the report object.
  const summary = kru.reportCsv(pack, log);
  const rows = summary.split("\r\n").filter(Boolean);
  assert.equal(rows[0], "field,group,section,subject,phase,statistic,value");
  assert.ok(rows.includes(`,all,learners,,,records,${report.cohort.learners.records}`));
  assert.ok(rows.includes(`,all,learners,,,paired,${report.cohort.learners.paired}`));
  const bySex = kru.reportCsv(pack, log, { by: "sex", journey: "school" });
  assert.ok(bySex.split("\r\n").some((r) => r.startsWith("sex,")), "a block per group");
  // Small cells: withheld below `smallGroup` learners (5 by default; 1 shows every group).
  const open = kru.cohortReport(pack, log, { by: "sex", smallGroup: 1 });
  assert.ok(open.groups.length > 0 && open.groups.every((g) => !g.suppressed));
  const closed = kru.cohortReport(pack, log, { by: "sex", smallGroup: 1_000_000 });
  assert.ok(closed.groups.every((g) => g.suppressed && g.learners.records === 0 && g.warnings[0].code === "small_group"));
  assert.ok(kru.reportCsv(pack, log, { by: "sex", smallGroup: 1_000_000 }).includes(",learners,,,suppressed_fewer_than,1000000\r\n"));

  // The responses table: a row per learner per item, typed text a spreadsheet would run as
  // a formula neutralised.
  const responses = kru.responsesCsv(pack, log);
  const lines = responses.split("\r\n").filter(Boolean);
  assert.match(lines[0], /^record_id,learner,journey,language,forms,completed,started_at_ms,date,intake_/);
  assert.equal(lines.length, 1 + records.reduce((n, r) => n + r.responses.length, 0));
  assert.ok(responses.includes(`"'=HYPERLINK(""http://x"")"`), "formula prefixed with ' and quoted");
  assert.ok(!responses.includes(",=HYPERLINK"));
  const kioskOnly = kru.responsesCsv(pack, log, { journey: "kiosk" }).split("\r\n").filter(Boolean);
  assert.equal(kioskOnly.length, 1 + records.filter((r) => r.journey === "kiosk").reduce((n, r) => n + r.responses.length, 0));
  assert.ok(kioskOnly.slice(1).every((l) => l.split(",")[2] === "kiosk"));
  // Damage has no rows; an empty log gives the header alone.
  assert.equal(kru.responsesCsv(pack, Buffer.concat([log, Buffer.from("torn write")])), responses);
  assert.equal(kru.responsesCsv(pack, new Uint8Array(0)), `${lines[0]}\r\n`);
});

test("the renderings refuse what cohortReport refuses, and are only in the full module", () => {
  const pack = kru.Pack.load(unsignedBytes(), { allowUnsigned: true });
  const log = kioskLog(pack, ["A"]);
  for (const f of [kru.reportHtml, kru.reportCsv, kru.responsesCsv]) {
    assert.equal(codeOf(() => f(pack, log, { by: "shoe-size" })), "report-unknown-field", f.name);
    assert.equal(codeOf(() => f(pack, log, { journey: "museum" })), "unknown-journey", f.name);
    assert.equal(codeOf(() => f(pack, log, { minN: "ten" })), "bad-options", f.name);
    assert.equal(codeOf(() => f(pack, log, "school")), "bad-options", f.name);
  }
  assert.throws(() => kru.reportCsv(pack, log, { minN: -1 }), { code: "bad-options", message: /^reportCsv options: minN/ });
  for (const name of ["cohortReport", "reportHtml", "reportCsv", "responsesCsv"]) {
    assert.equal(typeof main[name], "undefined", `${name} is not in the main module`);
  }
});
