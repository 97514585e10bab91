// A kiosk in TypeScript: type-checked by `cargo xtask test` (`tsc --noEmit`) against the
// declarations of the built package. It is also the example of docs/js-api.md.

import init, {
  Pack,
  Session,
  appendOffset,
  version,
  type Answer,
  type Block,
  type KruError,
  type KruErrorCode,
  type ResourceInfo,
  type QuestionStep,
  type ResultRecord,
  type Step,
} from "@kru/engine";
import {
  cohortReport,
  mergeLogs,
  readLog,
  reportCsv,
  reportHtml,
  responsesCsv,
  type CohortReport,
  type PackCatalogue,
  type ReportOptions,
} from "@kru/engine/full";

/** What the kiosk screen shows; a real app renders HTML. */
type Screen = { title: string; lines: string[]; buttons: string[] };

function isKruError(e: unknown): e is KruError {
  return e instanceof Error && typeof (e as Partial<KruError>).code === "string";
}

function blockLines(block: Block): string[] {
  switch (block.type) {
    case "heading":
    case "paragraph":
    case "emphasis":
      return [block.text.text];
    case "list":
      return block.entries.map((e) => "• " + e.text);
    case "key-message":
      return [block.title.text, block.summary.text];
    case "image":
      return [`[${block.alt.text}](${block.src})`];
    case "story":
      return [block.title.text];
    case "resource":
      return [`${block.name.text}: ${block.phone}`];
  }
}

/** Renders every kind of step; `never` proves the switch covers them all. */
export function render(step: Step): Screen {
  switch (step.kind) {
    case "intake":
      return { title: step.label.text, lines: [], buttons: step.options.map(([, label]) => label.text) };
    case "page":
      return { title: step.title.text, lines: step.blocks.flatMap(blockLines), buttons: ["Next"] };
    case "story":
      return {
        title: step.title.text,
        lines: [step.text.text, ...(step.consequence ? [step.consequence[1].text] : [])],
        buttons: step.choices.length ? step.choices.map((c) => c.text) : ["Next"],
      };
    case "question":
      return { title: `${step.number}/${step.total}`, lines: [step.prompt.text], buttons: step.options.map((o) => o.text) };
    case "feedback":
      return { title: step.correct ? "Right" : "Not quite", lines: [step.explanation.text], buttons: ["Next"] };
    case "phase-summary":
      return { title: step.title.text, lines: [`${step.score} / ${step.max}`], buttons: ["Next"] };
    case "card":
      return {
        title: step.title.text,
        lines: [...step.messages.map(([, message]) => message.text), ...step.resources.map((r) => `${r.name.text} ${r.phone}`)],
        buttons: ["Done"],
      };
    case "done": {
      const gain = step.gain?.absolute;
      return { title: "Thank you", lines: gain === undefined ? [] : [`+${gain.toFixed(0)} points`], buttons: [] };
    }
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

/** The kiosk's answer to a question: here simply the first option (a UI would ask). */
export function firstAnswer(q: QuestionStep): Answer {
  switch (q.expects) {
    case "choice":
      return { choice: 0 };
    case "choices":
      return { choices: [0] };
    case "true-false":
      return { trueFalse: true };
    case "order":
      return { order: q.options.map((_, i) => i) };
    case "matches":
      return { matches: q.left.map((_, i) => i) };
    case "scale":
      return { scale: 0 };
    case "text":
      return { text: "1288" };
  }
}

export async function kiosk(packUrl: string, trustedKey: Uint8Array, log: Uint8Array): Promise<Uint8Array> {
  await init(); // fetches kru_wasm_bg.wasm next to kru_wasm.js
  console.log(`kru ${version()}`);
  const bytes = new Uint8Array(await (await fetch(packUrl)).arrayBuffer());
  let pack: Pack;
  try {
    pack = await Pack.open(bytes, { trustedKeys: [trustedKey] });
  } catch (e) {
    if (isKruError(e) && (e.code === "pack-signature-mismatch" || e.code === "pack-untrusted-signer")) {
      throw new Error("this pack was changed or is not from us: " + e.message);
    }
    throw e;
  }
  const journey = pack.journeys(navigator.languages.slice()).find((j) => j.id === "kiosk");
  if (!journey) throw new Error("no kiosk journey");
  const hotline: ResourceInfo | undefined = pack.resources(Date.now(), ["km"])[0];
  if (hotline?.stale) console.warn(`${hotline.phone} was verified ${hotline.ageDays} days ago`);
  const session = Session.start(pack, {
    journey: journey.id,
    languages: ["km", "en"],
    seed: BigInt(Date.now()),
    learner: "KIOSK-" + Math.floor(Math.random() * 1e6),
    nowMs: Date.now(),
  });
  let saved: Uint8Array = session.snapshot(); // e.g. to IndexedDB after every step
  for (let step = session.step(); step.kind !== "done"; step = session.step()) {
    render(step);
    if (step.kind === "question") session.answer(firstAnswer(step), Date.now());
    else if (step.kind === "intake" && step.required) session.answer({ choice: 0 }, Date.now());
    else if (step.kind === "story" && step.choices.length > 0) session.answer({ choice: 0 }, Date.now());
    else session.advance(Date.now());
    saved = session.snapshot();
  }
  const restored = Session.restore(pack, saved);
  const { done, total }: { done: number; total: number } = restored.progress();
  console.log(`${done}/${total}`, restored.isDone, restored.language, restored.seed + 1n);
  restored.free();

  const record: ResultRecord = session.finish(Date.now());
  const started: bigint = record.started_at;
  console.log(record.learner, record.completed, new Date(Number(started)), record.responses.length);
  session.free();
  pack.free();
  // Append to the log, first cutting a torn tail left by a power cut.
  const kept = log.subarray(0, appendOffset(log));
  const next = new Uint8Array(kept.length + record.bytes.length);
  next.set(kept);
  next.set(record.bytes, kept.length);
  console.log(readLog(next).records.length, "records");
  return next;
}

export function officeReport(pack: import("@kru/engine/full").Pack, logs: Uint8Array[]): CohortReport {
  const options: ReportOptions = { by: "sex", minN: 10 };
  const report = cohortReport(pack, mergeLogs(logs), options);
  const paired = report.cohort.paired;
  console.log(report.records.accepted, paired.n, paired.t_test?.p_value, paired.cohens_dz?.d);
  for (const w of report.warnings) console.log(w.code, w.message);
  // Labels for the figures: group names, objective titles, item prompts.
  const catalogue: PackCatalogue = pack.catalogue(Date.now(), ["km", "en"]);
  const sex = catalogue.intake.find((f) => f.id === "sex");
  const group = (code: string) => sex?.options.find((o) => o.code === code)?.label ?? code;
  const title = (id: string) => catalogue.objectives.find((o) => o.id === id)?.title ?? id;
  console.log(catalogue.signerKeyId, group("female"), title("hotline"), catalogue.items.length);
  return report;
}

/** The downloads of an office screen: the engine's own renderings of the same report. */
export function officeDownloads(pack: import("@kru/engine/full").Pack, log: Uint8Array): { name: string; text: string }[] {
  const options: ReportOptions = { journey: "school", by: "sex" };
  return [
    { name: "report.html", text: reportHtml(pack, log, options, ["km", "en"]) },
    { name: "summary.csv", text: reportCsv(pack, log, options) },
    { name: "responses.csv", text: responsesCsv(pack, log, { journey: "school" }) },
  ];
}

export function describe(code: KruErrorCode): string {
  return code === "wrong-answer-type" ? "That answer does not fit this question." : code;
}

// The types refuse what the engine would refuse.
// @ts-expect-error: an index is a number
export const badAnswer: Answer = { choice: "2" };
// @ts-expect-error: not an answer type
export const badAnswer2: Answer = { pick: 2 };
// @ts-expect-error: not an error code
export const badCode: KruErrorCode = "oops";
// @ts-expect-error: the report's options are an object
export const badHtml = (pack: import("@kru/engine/full").Pack) => reportHtml(pack, new Uint8Array(0), "school");
// @ts-expect-error: seed is required
export const badStart: Parameters<typeof Session.start>[1] = { journey: "kiosk", learner: "x", nowMs: 0 };
