// Class mode end to end: a teacher starts a session, three learners with known answers take
// the full school journey (intake first), and the session's report shows the expected
// numbers; downloads (responses and summary CSV, HTML, results log), which are the engine's
// own renderings (the `kru` CLI gives the same bytes for the same log), and "wipe this
// device". Without the report engine the report screen says so and computes nothing itself.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as k from "./helpers.mjs";

const { path } = k;

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

const FORMULA = '=HYPERLINK("http://example.org","x")';

const LEARNERS = [
  // All right: 100 % before, 100 % after. A typed commune a spreadsheet would run as a formula.
  { code: "A01", intake: { sex: "female", "age-band": "15-17", province: "prey-veng", commune: FORMULA }, right: () => true },
  // Wrong before, right after: 0 % → 100 %.
  { code: "B02", intake: { sex: "male", "age-band": "18-24" }, right: (st) => st.phase_kind !== "pre-test" },
  // Wrong throughout: 0 % → 0 %.
  { code: "C03", intake: { sex: "female", "age-band": "15-17" }, right: () => false },
];

const close = (a, b, what) => assert.ok(Math.abs(Number(a) - b) < 0.01, `${what}: ${a} ≠ ${b}`);

async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

/** `kru report LOG --format FORMAT ARGS…` with the demo pack: the CLI's files, as text. */
function cliReport(logBytes, format, args) {
  const dir = mkdtempSync(path.join(tmpdir(), "kru-e2e-report-"));
  const log = path.join(dir, "class.krulog");
  writeFileSync(log, logBytes);
  const out = path.join(dir, `report.${format}`);
  execFileSync("cargo", ["run", "-q", "-p", "kru-cli", "--", "report", log, "--pack", k.PACK, "--format", format, "-o", out, ...args],
    { cwd: k.ROOT, stdio: ["ignore", "ignore", "pipe"] });
  const read = (f) => readFileSync(path.join(dir, f), "utf8");
  return format === "csv" ? { responses: read("report.csv"), summary: read("report-summary.csv") } : read(`report.${format}`);
}

test("a class session of three learners; the report shows the expected numbers", { timeout: 900_000 }, async () => {
  const profile = await k.freshProfile({ viewport: { width: 1100, height: 800 } });
  try {
    const page = await k.open(profile.context, server.url, { query: "test=1&lang=en", hash: "#/class" });
    await page.waitForSelector("form[data-form=new-class]");
    await page.fill("input[name=school]", "Prey Veng High School");
    await page.fill("input[name=class]", "9A");
    await page.fill("input[name=date]", "2026-11-20");
    await page.fill("input[name=pin]", k.PIN);
    assert.deepEqual(await k.axe(page), [], "class setup: no axe violations");
    await k.shot(page, "class-setup");
    await k.clickAndWait(page, "form[data-form=new-class] button[type=submit]");
    await page.waitForSelector("form[data-form=learner]");
    assert.match(await page.textContent("h1"), /Prey Veng High School, class 9A, 2026-11-20/);

    const checked = new Set();
    for (const [i, learner] of LEARNERS.entries()) {
      await page.fill("input[name=learner]", learner.code);
      if (i === 0) await k.shot(page, "class-learner-code");
      await k.clickAndWait(page, "[data-action=start-learner]");
      assert.equal((await k.step(page)).kind, "intake", "the intake comes first");
      await k.walk(page, {
        right: learner.right,
        intake: learner.intake,
        onStep: async (st, p) => {
          // Every kind of screen (and every question type) once: axe and a screenshot.
          const key = st.kind === "question" ? `question-${st.item_kind}` : st.kind;
          if (i > 0 || checked.has(key)) return;
          checked.add(key);
          if (st.kind === "question" && ["choice", "true-false", "scale"].includes(st.expects)) {
            const a = await p.evaluate(() => window.__kru.solve({ texts: [] }));
            if (a) await k.fillAnswer(p, a); // show a selected state in the screenshot
          }
          const violations = await k.axe(p);
          assert.deepEqual(violations, [], `${key}: no axe violations`);
          await k.shot(p, `class-${key}`);
        },
      });
      await page.waitForSelector("[data-screen=class-result]");
      const line = await page.locator(".result-line");
      const expected = [[12, 12], [0, 12], [0, 0]][i];
      assert.equal(await line.getAttribute("data-pre"), String(expected[0]));
      assert.equal(await line.getAttribute("data-post"), String(expected[1]));
      assert.equal((await line.textContent()).trim(), `You knew ${expected[0]} of 12 before, ${expected[1]} of 12 now.`);
      if (i === 1) await k.shot(page, "class-learner-result");
      await k.clickAndWait(page, "[data-action=next-learner]");
      assert.equal(await page.getAttribute("[data-learners]", "data-learners"), String(i + 1));
    }
    for (const key of ["intake", "page", "story", "question-single", "question-multiple", "question-true-false", "question-ordering",
      "question-matching", "question-likert", "feedback", "phase-summary", "card"]) {
      assert.ok(checked.has(key), `checked a ${key} screen`);
    }

    // The results log holds the three learners with their intake answers.
    const log = await k.stored(page);
    const classLog = log.logs.find((l) => l.id.startsWith("class:"));
    const recs = (await k.nodeFullEngine()).readLog(Uint8Array.from(classLog.bytes)).records;
    assert.deepEqual(recs.map((r) => r.learner), ["A01", "B02", "C03"]);
    assert.ok(recs.every((r) => r.completed && r.journey === "school"));
    assert.deepEqual(Object.fromEntries(recs[0].demographics), { sex: "female", "age-band": "15-17", province: "prey-veng", commune: FORMULA,
      // The "group" intake is the class session the teacher entered, not asked again.
      group: "Prey Veng High School / 9A" });

    // The report of this session: the teacher leaves the learner screen with the PIN.
    assert.equal(await page.locator("a[href^='#/report']").count(), 0, "no report link on the learners' screen");
    await k.teacherUnlock(page);
    await k.clickAndWait(page, "a[href^='#/report']");
    await page.waitForSelector(".report .stats");
    const stat = async (name) => page.getAttribute(`[data-stat=${name}]`, "data-value");
    assert.equal(await stat("learners"), "3");
    assert.equal(await stat("completed"), "3");
    assert.equal(await stat("paired"), "3");
    close(await stat("pre"), 100 / 3, "pre-test mean");
    close(await stat("post"), 200 / 3, "post-test mean");
    close(await stat("gain"), 100 / 3, "mean gain");
    close(await stat("normalised-gain"), 0.5, "class normalised gain");
    assert.equal((await page.textContent("[data-stat=pre] .stat-value")).trim(), "33%");
    assert.equal((await page.textContent("[data-stat=post] .stat-value")).trim(), "67%");
    assert.equal((await page.textContent("[data-stat=gain] .stat-value")).trim(), "+33");

    // Per key message (from the engine's cohort report, when the engine has it).
    const rows = await page.locator(".chart-row[data-objective]:not([data-objective=all])").evaluateAll((els) =>
      els.map((e) => ({ id: e.dataset.objective, pre: e.dataset.pre, post: e.dataset.post })));
    const report = await page.evaluate(() => window.__kru.report());
    assert.equal(report.schema_version, 1, "the figures are the engine's cohort report (pkg/kru_wasm_full.js)");
    assert.equal(report.cohort.learners.paired, 3);
    assert.deepEqual(rows.map((r) => r.id), ["broker", "check", "read", "wage", "passport", "hotline"]);
    // Key-message titles and item prompts come from the pack's catalogue (full module).
    assert.match(await page.textContent(".chart-row[data-objective=hotline]"), /In trouble\? Call 1288/);
    const firstItem = await page.locator("table.items tbody tr th").first().textContent();
    const itemId = await page.locator("table.items tbody tr").first().getAttribute("data-item");
    assert.ok(firstItem.trim().length > itemId.length + 10, `item prompt shown: ${firstItem}`);
    for (const r of rows) {
      close(r.pre, 100 / 3, `${r.id} before`);
      close(r.post, 200 / 3, `${r.id} after`);
    }
    // The item table: every scored item answered, with its right answers before and after.
    const items = await page.locator("table.items tbody tr").evaluateAll((trs) => trs.map((tr) => ({
      id: tr.dataset.item, pre: tr.querySelector("[data-pre]").dataset.pre, post: tr.querySelector("[data-post]").dataset.post,
    })));
    assert.ok(items.length >= 12, `item table (${items.length} items)`);
    const answered = (side) => report.cohort.items.reduce((n, it) => n + it[side].n, 0);
    assert.equal(answered("pre"), 3 * 12, "12 pre-test answers per learner");
    assert.equal(answered("post"), 3 * 12, "12 post-test answers per learner");
    assert.equal(report.cohort.items.reduce((n, it) => n + it.pre.correct, 0), 12, "only A01 right before");
    assert.equal(report.cohort.items.reduce((n, it) => n + it.post.correct, 0), 24, "A01 and B02 right after");
    assert.deepEqual(await k.axe(page), [], "report: no axe violations");
    await k.shot(page, "report-class-en");

    // Compare groups by sex, then show one group.
    await k.selectAndWait(page, "select[data-control=by]", "sex");
    const groups = await page.locator("table.groups tbody tr").evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.dataset.group, [...tr.querySelectorAll("th, td")].map((c) => c.textContent.trim())])));
    // Groups of 2 and 1 are small cells (fewer than 5): the engine withholds their figures.
    const withheld = "Not shown: fewer than 5 learners (privacy).";
    assert.deepEqual(groups.female, ["Female", withheld]);
    assert.deepEqual(groups.male, ["Male", withheld]);
    await k.selectAndWait(page, "select[data-control=show]", "male");
    assert.equal((await page.textContent("[data-suppressed]")).trim(), withheld);
    assert.equal(await page.locator("[data-stat=learners]").count(), 0, "no figures of a small cell");
    await k.shot(page, "report-class-by-sex-male");
    await k.selectAndWait(page, "select[data-control=show]", "");
    assert.equal(await stat("learners"), "3");

    // The same report in Khmer: Khmer digits.
    const before = await k.seq(page);
    await page.click(".lang-switch [data-lang=km]");
    await k.nextScreen(page, before);
    assert.equal((await page.textContent("[data-stat=pre] .stat-value")).trim(), "៣៣%");
    assert.equal((await page.textContent("[data-stat=post] .stat-value")).trim(), "៦៧%");
    assert.deepEqual(await k.axe(page), [], "report in Khmer: no axe violations");
    await k.shot(page, "report-class-km");

    // Downloads: raw responses and the summary figures (CSV), this report (HTML), the results
    // log itself. The first three are the engine's renderings: the `kru` CLI gives the same
    // bytes for the same log and options (by sex, the school journey, pack texts in Khmer).
    const logFile = await downloaded(page, "[data-download=log]");
    assert.match(logFile.name, /\.krulog$/);
    assert.deepEqual((await k.nodeFullEngine()).readLog(new Uint8Array(logFile.bytes)).records.map((r) => r.learner), ["A01", "B02", "C03"]);
    const cli = cliReport(logFile.bytes, "csv", ["--journey", "school", "--by", "sex"]);
    const csv = await downloaded(page, "[data-download=csv]");
    assert.match(csv.name, /\.csv$/);
    const csvText = csv.bytes.toString("utf8");
    assert.equal(csvText, cli.responses, "the responses CSV is the core's");
    const lines = csvText.trim().split(/\r\n/);
    const perLearner = recs[0].responses.length;
    assert.equal(perLearner, 44, "12 + 6 + 8 + 12 + 6 responses per learner (pre, attitude, practice, post, attitude)");
    assert.equal(lines.length, 1 + 3 * perLearner, "a header and a row per learner per item");
    assert.ok(csvText.includes('"\'=HYPERLINK(""http://example.org"",""x"")"'), "the typed formula is neutralised");
    assert.ok(!csvText.includes(",=HYPERLINK"), "no cell starts a formula");
    const summary = await downloaded(page, "[data-download=summary]");
    assert.match(summary.name, /-summary\.csv$/);
    assert.equal(summary.bytes.toString("utf8"), cli.summary, "the summary CSV is the core's");
    assert.match(cli.summary, /\r\n,all,learners,,,paired,3\r\n/);
    const html = await downloaded(page, "[data-download=html]");
    assert.match(html.name, /\.html$/);
    const htmlText = html.bytes.toString("utf8");
    assert.equal(htmlText, cliReport(logFile.bytes, "html", ["--journey", "school", "--by", "sex", "--lang", "km"]), "the HTML is the core's");
    assert.match(htmlText, /^<!DOCTYPE html>/);
    assert.match(htmlText, /<svg/);
    assert.match(htmlText, /<span lang="km" dir="ltr">/, "pack texts in the screen's language");

    // Wipe this device, after a teacher PIN and a confirmation.
    await page.click("[data-action=wipe]");
    await k.typePin(page, k.PIN);
    await page.waitForSelector("#confirm-dialog[open]");
    assert.deepEqual(await k.axe(page), [], "wipe confirmation: no axe violations");
    await k.shot(page, "report-wipe-confirm");
    await page.click("#confirm-dialog [data-confirm-no]");
    await page.waitForFunction(() => !document.getElementById("confirm-dialog").open);
    assert.equal((await k.stored(page)).logs.length, 1, "cancel keeps everything");
    await page.click("[data-action=wipe]");
    await k.typePin(page, k.PIN);
    await page.click("#confirm-dialog [data-confirm-yes]");
    await page.waitForSelector("[data-screen=wiped]");
    const left = await page.evaluate(async () => ({
      dbs: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      workers: (await navigator.serviceWorker.getRegistrations()).length,
    }));
    assert.deepEqual(left, { dbs: [], caches: [], workers: 0 });
  } finally {
    await profile.close();
  }
});

/** A kiosk visitor's results-log frame, made with the engine for Node.js. */
async function kioskFrame() {
  const kru = await k.nodeEngine();
  const pack = await kru.Pack.open(new Uint8Array(readFileSync(k.PACK)), { allowUnsigned: true });
  const now = Date.UTC(2026, 10, 20);
  const s = kru.Session.start(pack, { journey: "kiosk", seed: 5, learner: "V1", nowMs: now });
  for (let guard = 0; guard < 200 && s.step().kind !== "done"; guard++) {
    const st = s.step();
    if (st.kind === "question") {
      const answers = { choice: { choice: 0 }, choices: { choices: [0] }, "true-false": { trueFalse: true }, scale: { scale: 1 },
        order: { order: st.options.map((_, i) => i) }, matches: { matches: st.left.map((_, i) => i % st.options.length) } };
      s.answer(answers[st.expects] ?? { text: "1288" }, now);
    } else if (st.kind === "intake") s.answer(st.options.length ? { choice: 0 } : { text: "x" }, now);
    else if (st.kind === "story" && st.choices.length) s.answer({ choice: 0 }, now);
    else s.advance(now);
  }
  const bytes = s.finish(now).bytes;
  pack.free();
  return bytes;
}

test("without the report engine the report says so and computes nothing itself", { timeout: 300_000 }, async () => {
  // This build of the package without its full module: importing it fails.
  const bare = await k.serve({ overrides: { "/pkg/kru_wasm_full.js": "throw new Error('no full module in this build');\n" } });
  const profile = await k.freshProfile({ viewport: { width: 1100, height: 800 } });
  try {
    const page = await k.open(profile.context, bare.url, { query: "test=1&lang=en", hash: "#/" });
    const frame = await kioskFrame();
    await page.evaluate(async (bytes) => {
      await window.__kru.modules.store.appendFrame("kiosk", new Uint8Array(bytes), () => 0);
    }, [...frame]);
    const before = await k.seq(page);
    await page.evaluate(() => { location.hash = "#/report?source=kiosk"; });
    await k.nextScreen(page, before);
    await page.waitForSelector("[data-report-error]");
    assert.equal(await page.evaluate(() => window.__kru.fullEngine()), false);
    assert.match(await page.textContent("[data-report-error]"), /cohortReport/);
    assert.equal(await page.locator(".report .stats, .report .chart, table.items").count(), 0, "no figures of its own");
    assert.equal(await page.evaluate(() => window.__kru.report()), null);
    for (const kind of ["csv", "summary", "html"]) {
      assert.equal(await page.isDisabled(`[data-download=${kind}]`), true, `${kind}: needs the engine`);
    }
    assert.equal(await page.isDisabled("[data-download=log]"), false, "the results log can still be carried away");
    const logFile = await downloaded(page, "[data-download=log]");
    assert.deepEqual(new Uint8Array(logFile.bytes), frame);
    assert.deepEqual(await k.axe(page), [], "report without the engine: no axe violations");
    await k.shot(page, "report-no-engine");
  } finally {
    await profile.close();
    await bare.close();
  }
});
