// A kiosk visitor's whole journey, snapshots and results logs, through the built package.

import { test } from "node:test";
import assert from "node:assert/strict";
import { kru, kruFull, unsignedBytes, signedBytes, publicKey, answerFor, playToEnd, codeOf } from "./helpers.mjs";

const NOW = 1_795_000_000_000;

/** The signed pack, verified by WebCrypto (the main module's `Pack.open`). */
function loadSigned() {
  return kru.Pack.open(signedBytes(), { trustedKeys: [publicKey()] });
}

test("version() is the engine version", async () => {
  assert.match(kru.version(), /^\d+\.\d+\.\d+$/);
});

test("pack catalogue (full module): everything a host lists, in the languages asked for", async () => {
  const pack = kruFull.Pack.load(signedBytes(), { trustedKeys: [publicKey()] });
  assert.equal(typeof kru.Pack.prototype.catalogue, "undefined", "not in the main module");
  const later = NOW + 2 * 365 * 86_400_000;
  const en = pack.catalogue(NOW, ["en"]);
  const km = pack.catalogue(NOW, ["km"]);
  assert.equal(en.id, "safe-migration");
  assert.equal(en.version, "1.0.0");
  assert.equal(en.signerKeyId, pack.signerKeyId);
  assert.equal(en.title, pack.title(["en"]));
  assert.equal(en.defaultLanguage, "en");
  // The single-purpose methods return the same parts.
  assert.deepEqual(en.journeys, pack.journeys(["en"]));
  assert.deepEqual(en.languages, pack.languages());
  assert.deepEqual(en.coverage, pack.coverage());
  assert.deepEqual(
    pack.catalogue(later).resources.filter((r) => r.stale),
    pack.staleResources(later),
  );
  // Intake questions with their options, in the order they are asked.
  assert.deepEqual(en.intake.map((f) => f.id), ["sex", "age-band", "province", "commune", "group"]);
  const sex = en.intake[0];
  assert.equal(sex.required, true);
  assert.deepEqual(sex.options.map((o) => o.code), ["female", "male", "other", "prefer-not"]);
  assert.notEqual(sex.label, km.intake[0].label, "labels follow the language");
  assert.deepEqual(en.intake.find((f) => f.id === "commune").options, []);
  // Objectives with their titles; items with their prompts and kinds.
  assert.deepEqual(en.objectives.map((o) => o.id), ["broker", "check", "read", "wage", "passport", "hotline"]);
  for (const [i, o] of en.objectives.entries()) {
    assert.ok(o.title.length > 0 && o.title !== km.objectives[i].title, o.id);
  }
  assert.ok(en.items.length > 40);
  for (const it of en.items) assert.ok(it.prompt.length > 0 && it.prompt !== km.items.find((k) => k.id === it.id).prompt, it.id);
  assert.equal(en.itemKinds.reduce((n, k) => n + k.count, 0), en.items.length);
  for (const k of en.itemKinds) {
    assert.equal(k.count, en.items.filter((it) => it.kind === k.kind).length, k.kind);
  }
  assert.equal(en.itemKinds.length, 8);
  for (const id of ["A", "B"]) assert.equal(en.forms.find((f) => f.id === id)?.items.length, 20, id);
  for (const id of ["K1", "K2"]) assert.equal(en.forms.find((f) => f.id === id)?.items.length, 5, id);
  // The hotline on the card, its verification age and stale flag.
  assert.deepEqual(en.card.resources, ["hotline-1288"]);
  const hotline = en.resources.find((r) => r.id === "hotline-1288");
  assert.equal(hotline.phone, "1288");
  assert.equal(hotline.stale, false);
  assert.ok(hotline.ageDays >= 0 && hotline.ageDays <= en.verificationMaxAgeDays);
  const old = pack.catalogue(later, ["en"]).resources[0];
  assert.equal(old.stale, true);
  assert.equal(old.ageDays, hotline.ageDays + 730);
  assert.throws(() => pack.catalogue(Number.NaN), (e) => e.code === "invalid-argument");
  pack.free();
  const unsigned = kruFull.Pack.load(unsignedBytes(), { allowUnsigned: true });
  assert.equal(unsigned.catalogue(NOW).signerKeyId, null);
  assert.equal(unsigned.catalogue(NOW).title, unsigned.title());
  unsigned.free();
});

test("pack information: id, version, signer, journeys, languages, resources; coverage and staleResources in the full module", async () => {
  const pack = await loadSigned();
  assert.equal(pack.id, "safe-migration");
  assert.equal(pack.version, "1.0.0");
  assert.equal(pack.signerKeyId?.length, 16);
  const journeys = pack.journeys(["en"]);
  const kiosk = journeys.find((j) => j.id === "kiosk");
  assert.ok(kiosk, JSON.stringify(journeys));
  assert.deepEqual(kiosk.phases.map((p) => p.kind), ["pre-test", "lesson", "post-test"]);
  assert.equal(kiosk.card, true);
  const khmer = pack.journeys(["km"]).find((j) => j.id === "kiosk");
  assert.notEqual(khmer.title, kiosk.title, "titles follow the language");
  assert.deepEqual(
    pack.languages().map((l) => [l.tag, l.numerals]),
    [["km", "khmr"], ["en", "latn"]],
  );
  // What only authors, translators and officers ask is in the full module alone.
  assert.equal(typeof kru.Pack.prototype.coverage, "undefined", "coverage: not in the main module");
  assert.equal(typeof kru.Pack.prototype.staleResources, "undefined", "staleResources: not in the main module");
  const [hotline] = pack.resources(NOW, ["en"]);
  assert.equal(hotline.id, "hotline-1288");
  assert.equal(hotline.stale, false);
  assert.notEqual(hotline.name, pack.resources(NOW, ["km"])[0].name, "names follow the language");
  const later = NOW + 2 * 365 * 86_400_000;
  const [old] = pack.resources(later);
  assert.equal(old.stale, true);
  assert.ok(old.ageDays > 365);

  const full = kruFull.Pack.load(signedBytes(), { trustedKeys: [publicKey()] });
  for (const c of full.coverage()) assert.ok(c.present <= c.total && c.total > 0);
  assert.deepEqual(full.coverage().map((c) => c.tag), ["km", "en"]);
  assert.deepEqual(full.staleResources(NOW), []);
  const stale = full.staleResources(later);
  assert.equal(stale.length, 1);
  assert.equal(stale[0].phone, "1288");
  assert.ok(stale[0].ageDays > 365);
  assert.deepEqual(stale, full.resources(later).filter((r) => r.stale), "the stale entries of resources()");
  full.free();
  pack.free();
});

test("a full kiosk journey: five questions, the lesson, the card, five questions, finish", async () => {
  const pack = await loadSigned();
  const s = kru.Session.start(pack, { journey: "kiosk", languages: ["en"], seed: 42, learner: "KIOSK-7", nowMs: NOW });
  pack.free(); // the session keeps its own reference
  assert.equal(s.journey, "kiosk");
  assert.equal(s.language, "en");
  assert.equal(s.learner, "KIOSK-7");
  assert.equal(s.seed, 42n);
  assert.deepEqual(s.progress(), { done: 0, total: s.progress().total });

  const seen = [];
  let questions = 0;
  let sawHotline = false;
  for (let i = 0; i < 200; i++) {
    const step = s.step();
    seen.push(step.kind);
    if (step.kind === "done") break;
    switch (step.kind) {
      case "question": {
        assert.equal(typeof step.prompt.text, "string");
        assert.ok(step.prompt.text.length > 0);
        assert.ok(["pre-test", "post-test"].includes(step.phase_kind));
        assert.ok(step.number >= 1 && step.number <= step.total);
        s.answer(answerFor(step), NOW + 1000 * i);
        questions++;
        break;
      }
      case "feedback":
        assert.equal(typeof step.correct, "boolean");
        assert.ok(step.explanation.text.length > 0);
        s.advance(NOW + 1000 * i);
        break;
      case "card":
        sawHotline = step.resources.some((r) => r.phone === "1288");
        assert.equal(step.messages.length, 6, "the six key messages");
        s.advance(NOW + 1000 * i);
        break;
      case "page":
        assert.ok(step.blocks.length > 0);
        assert.ok(step.page >= 1 && step.page <= step.pages);
        s.advance(NOW + 1000 * i);
        break;
      default:
        s.advance(NOW + 1000 * i);
    }
  }
  assert.equal(questions, 10);
  assert.ok(sawHotline, "the reference card shows the hotline");
  assert.ok(seen.includes("page") && seen.includes("feedback") && seen.includes("card"), seen.join());
  const done = s.step();
  assert.equal(done.kind, "done");
  assert.ok(done.pre && done.post && done.gain);
  assert.equal(done.pre.max, 5);
  assert.ok(s.isDone);

  const record = s.finish(NOW + 300_000);
  assert.equal(record.completed, true);
  assert.equal(record.journey, "kiosk");
  assert.equal(record.learner, "KIOSK-7");
  assert.equal(record.pack_id, "safe-migration");
  assert.equal(record.seed, 42n);
  assert.equal(record.started_at, BigInt(NOW));
  assert.equal(record.responses.length, 10);
  assert.equal(record.record_id.length, 16);
  assert.ok(record.bytes instanceof Uint8Array && record.bytes.length > 12);

  const log = kruFull.readLog(record.bytes);
  assert.equal(log.records.length, 1);
  assert.deepEqual(log.damaged, []);
  assert.deepEqual(log.records[0].bytes, record.bytes);
  assert.deepEqual(log.records[0].responses, record.responses);
  assert.equal(kru.appendOffset(record.bytes), record.bytes.length);
  s.free();
});

test("snapshot at every step and restore: the same step, and the same record at the end", async () => {
  const pack = await kru.Pack.open(unsignedBytes(), { allowUnsigned: true });
  const options = { journey: "school", languages: ["km"], seed: 7n, learner: "S-01", nowMs: NOW };
  const a = kru.Session.start(pack, options);
  let b = kru.Session.start(pack, options);
  for (let i = 0; i < 400; i++) {
    const bytes = b.snapshot();
    assert.ok(bytes instanceof Uint8Array);
    const restored = kru.Session.restore(pack, bytes);
    b.free();
    b = restored;
    const step = a.step();
    assert.deepEqual(b.step(), step, `step ${i}`);
    if (step.kind === "done") break;
    for (const s of [a, b]) {
      if (step.kind === "question") s.answer(answerFor(step), NOW + i);
      else if (step.kind === "intake") s.answer(step.options.length ? { choice: 1 } : { text: "Prey Veng" }, NOW + i);
      else if (step.kind === "story" && step.choices.length) s.answer({ choice: 0 }, NOW + i);
      else s.advance(NOW + i);
    }
  }
  assert.equal(a.step().kind, "done");
  assert.deepEqual(b.finish(NOW + 1), a.finish(NOW + 1));
});

test("the language can change at any step; Khmer uses Khmer script", async () => {
  const pack = await kru.Pack.open(unsignedBytes(), { allowUnsigned: true });
  const s = kru.Session.start(pack, { journey: "kiosk", languages: ["km-KH"], seed: 1, learner: "L", nowMs: NOW });
  assert.equal(s.language, "km");
  const km = s.step();
  assert.match(km.prompt.text, /[\u1780-\u17FF]/);
  s.setLanguages(["en"]);
  assert.equal(s.language, "en");
  assert.notEqual(s.step().prompt.text, km.prompt.text);
  assert.equal(s.step().item, km.item, "still the same question");
});

test("an abandoned session still gives its record, and logs recover from a torn write", async () => {
  const pack = await kru.Pack.open(unsignedBytes(), { allowUnsigned: true });
  const frames = [];
  for (const learner of ["A", "B", "C"]) {
    const s = kru.Session.start(pack, { journey: "kiosk", seed: 3, learner, nowMs: NOW });
    s.answer(answerFor(s.step()), NOW + 5);
    const r = s.abandon(NOW + 10);
    assert.equal(r.completed, false);
    assert.equal(r.responses.length, 1);
    frames.push(r.bytes);
  }
  const whole = Buffer.concat(frames);
  const torn = Buffer.concat([whole, frames[0].subarray(0, 7)]);
  assert.equal(kru.appendOffset(torn), whole.length);
  const read = kruFull.readLog(torn);
  assert.deepEqual(read.records.map((r) => r.learner), ["A", "B", "C"]);
  assert.equal(read.damaged.length, 1);
  assert.deepEqual(read.damaged[0], { offset: whole.length, length: 7 });
});

test("\"I don't know\": offered on the kiosk's questions, scored 0, refused where not offered", async () => {
  const pack = await loadSigned();
  const s = kru.Session.start(pack, { journey: "kiosk", languages: ["km"], seed: 9, learner: "KIOSK-DK", nowMs: NOW });
  let now = NOW;
  let asked = 0;
  let reviewed = 0;
  for (let step = s.step(); step.kind !== "done"; step = s.step()) {
    now += 1000;
    if (step.kind === "question") {
      assert.equal(step.dont_know, true);
      s.answer({ dontKnow: true }, now);
      asked += 1;
    } else {
      if (step.kind === "feedback") {
        assert.equal(step.dont_know, true);
        assert.equal(step.correct, false);
        reviewed += 1;
      }
      s.advance(now);
    }
  }
  assert.equal(asked, 10);
  assert.equal(reviewed, 5);
  const rec = s.finish(now);
  assert.ok(rec.responses.every((r) => r.answer === "DontKnow" && r.credit === 0 && !r.correct));
  assert.equal(rec.bytes[12], 3, "record version 4 (tag 3) after the 12-byte frame head");
  // The school journey does not offer it; a malformed answer is bad-answer.
  const school = kru.Session.start(pack, { journey: "school", languages: ["en"], seed: 9, learner: "S-1", nowMs: NOW });
  let st = school.step();
  while (st.kind !== "question") {
    if (st.kind === "intake") school.answer(st.options.length ? { choice: 0 } : { text: "x" }, now);
    else school.advance(now);
    st = school.step();
  }
  assert.equal(st.dont_know, false);
  assert.equal(codeOf(() => school.answer({ dontKnow: true }, now)), "dont-know-not-offered");
  assert.equal(codeOf(() => school.answer({ dontKnow: false }, now)), "bad-answer");
  assert.equal(school.step().item, st.item, "unchanged");
});
