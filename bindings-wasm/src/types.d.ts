
// ---------------------------------------------------------------------------------------------
// Plain objects of the kru API (appended to the generated declarations; see docs/js-api.md).
// Steps and records have the exact shape the engine (kru-core) serialises: field names are
// the core's (snake_case where the core uses it), pairs are tuples, absent values are `null`.

/** Every error the package throws: an `Error` named `"KruError"` with a stable `code`. */
export interface KruError extends Error {
  name: "KruError";
  code: KruErrorCode;
  /**
   * The id of the learner-facing message of `code` in the interface strings
   * (`"error-bad-learner-code"`); a catalogue without that string shows `"error-other"`.
   */
  messageId: string;
  /**
   * The values of the placeholders of the learner-facing message of `code` (the interface
   * string `error-<code>`, e.g. `{ max: 64 }` for `bad-learner-code`); set on session errors.
   */
  params?: Record<string, number>;
}

/**
 * The stable error codes: the names of the engine's one error table (docs/error-codes.md),
 * which is shared with the C API. The codes the JS API throws are listed in docs/js-api.md;
 * the host-call codes of the C API (`null-argument` … `wrong-step`, `panic`) are never thrown.
 */
export type KruErrorCode =
  // host calls
  | "panic" | "null-argument" | "invalid-utf8" | "insufficient-size" | "out-of-range"
  | "invalid-handle" | "wrong-step" | "invalid-argument" | "invalid-public-key"
  | "bad-options" | "bad-answer" | "internal" | "ed25519-unavailable"
  // packs
  | "pack-truncated" | "pack-bad-magic" | "pack-unsupported-format" | "pack-unknown-flags"
  | "pack-too-large" | "pack-bad-id" | "pack-checksum-mismatch" | "pack-trailing-bytes"
  | "pack-decode" | "pack-header-mismatch" | "pack-engine-too-old" | "pack-invalid"
  | "pack-unsigned" | "pack-malformed-signature" | "pack-signature-mismatch"
  | "pack-untrusted-signer" | "pack-encode" | "pack-error"
  // sessions
  | "unknown-journey" | "bad-learner-code" | "wrong-answer-type" | "answer-out-of-range"
  | "answer-too-long" | "not-answerable" | "answer-required" | "invalid-choice"
  | "session-ended" | "not-finished" | "bad-snapshot" | "journey-complete" | "session-error"
  | "dont-know-not-offered"
  // records and logs
  | "record-decode" | "record-too-large" | "record-encode" | "record-error"
  // cohort reports (full module)
  | "report-error" | "report-unknown-field"
  // xAPI (full module)
  | "xapi-error" | "xapi-record-not-in-pack" | "xapi-bad-home-page" | "xapi-bad-page"
  | "strings-unknown-language" | "strings-wrong-language" | "strings-broken-placeholder"
  | "strings-bad-file"
  // interface strings
  | "ui-bad-catalogue"
  // workbooks and question banks (the kru tool)
  | "workbook-source-syntax" | "workbook-unsupported" | "workbook-unreadable"
  | "workbook-too-large" | "workbook-formula" | "workbook-bad-cell" | "workbook-layout"
  | "workbook-write" | "gift-unreadable";

/** `Pack.open` and `Pack.load` options. */
export interface LoadOptions {
  /** Ed25519 public keys (32 bytes each) whose signatures the host trusts. */
  trustedKeys?: Uint8Array[];
  /** Development only: also accept unsigned packs (a signed pack must still verify). */
  allowUnsigned?: boolean;
}

/** `Session.start` options. */
export interface StartOptions {
  /** Journey id, e.g. `"kiosk"` (see `Pack.journeys()`). */
  journey: string;
  /** Preferred languages, best first (BCP 47 tags, e.g. `["km", "en"]`). */
  languages?: string[];
  /** Seed for every random choice (0 to 2^64 − 1; a `number` must be a safe integer). */
  seed: number | bigint;
  /** Pseudonymous learner code (never a name): 1 to 64 printable characters (any script). */
  learner: string;
  /** Host time, milliseconds since the Unix epoch (`Date.now()`). */
  nowMs: number;
}

/** An answer. Option indices are positions as shown in the step (0-based). */
export type Answer =
  | { choice: number }
  | { choices: number[] }
  | { trueFalse: boolean }
  | { order: number[] }
  | { matches: number[] }
  | { text: string }
  | { scale: number }
  /** "I don't know": only where the question's `dont_know` is true (else the error
   * `dont-know-not-offered`); scored wrong, recorded and reported apart. */
  | { dontKnow: true };

/** The answer type a question expects (`QuestionStep.expects`). */
export type AnswerType = "choice" | "choices" | "true-false" | "order" | "matches" | "text" | "scale";

export type PhaseKindName = "pre-test" | "lesson" | "practice" | "post-test" | "follow-up";
export type ItemKindName =
  | "single" | "multiple" | "true-false" | "ordering" | "matching" | "text" | "numeric" | "likert";

export interface LanguageInfo {
  /** BCP 47 tag, e.g. `"km"`. */
  tag: string;
  /** The language's own name, e.g. `"ខ្មែរ"`. */
  name: string;
  status: "reviewed" | "draft";
  /** The CLDR numbering system numbers are shown with: "latn", "khmr", "mymr", "laoo", "thai", … */
  numerals: NumberingSystem;
  /** The writing direction for a page's `dir` attribute (`"rtl"` for Arabic, Urdu, …). */
  dir: "ltr" | "rtl";
}

export interface LanguageCoverage {
  tag: string;
  /** Required texts present in this language. */
  present: number;
  /** Required texts in the pack. */
  total: number;
}

export interface PhaseInfo {
  id: string;
  kind: PhaseKindName;
  title: string;
}

export interface JourneyInfo {
  id: string;
  title: string;
  /** Whether the intake questions are asked first. */
  intake: boolean;
  /** Whether the reference card is shown at the end. */
  card: boolean;
  phases: PhaseInfo[];
}

/** A calendar date. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A help service such as a hotline (`Pack.resources()`, `PackCatalogue.resources`, and in the `/full` module `Pack.staleResources()`). */
export interface ResourceInfo {
  id: string;
  /** Name of the service. */
  name: string;
  /** Phone number as dialled. */
  phone: string;
  /** Opening hours. */
  hours: string;
  /** What it is for. */
  purpose: string;
  /** When the number was last verified. */
  verified: CalendarDate;
  /** Days from `verified` to the host's today. */
  ageDays: number;
  /** Whether `ageDays` is more than the pack allows (`verificationMaxAgeDays`). */
  stale: boolean;
}

/** @deprecated The old name of `ResourceInfo` (`Pack.resources()`; `/full`: `Pack.staleResources()`). */
export type StaleResource = ResourceInfo;

/** An intake question (`PackCatalogue.intake`). */
export interface IntakeInfo {
  /** The field id, e.g. `"sex"` (results and report groups use it). */
  id: string;
  /** The question. */
  label: string;
  required: boolean;
  /** Its choices; empty for a free text field. */
  options: { code: string; label: string }[];
}

/** A learning objective (`PackCatalogue.objectives`). */
export interface ObjectiveInfo {
  id: string;
  /** Its title (the key message). */
  title: string;
  summary: string;
}

/** An item of the item bank (`PackCatalogue.items`). */
export interface ItemInfo {
  id: string;
  kind: ItemKindName;
  /** Whether it earns points (every kind but `likert`). */
  scored: boolean;
  /** The question. */
  prompt: string;
  /** The ids of the objectives it serves. */
  objectives: string[];
}

/**
 * Everything a pack offers (`Pack.catalogue()`): the same object as `kru info --json` (less
 * the file's `bytes` and `format`) and the C library's `kru_pack_catalogue_json()`. Texts are
 * in the languages asked for.
 */
export interface PackCatalogue {
  id: string;
  /** The content's version, e.g. `"1.0.0"`. */
  version: string;
  title: string;
  description: string;
  authors: string[];
  /** SPDX id. */
  licence: string;
  /** Oldest engine that runs the pack, e.g. `"0.1.0"`. */
  minEngine: string;
  /** The tag of the last fallback language. */
  defaultLanguage: string;
  /** The signer's key id (16 hex digits), `null` for an unsigned pack. */
  signerKeyId: string | null;
  languages: LanguageInfo[];
  /** Required texts present in each language, in the order of `languages`. */
  coverage: LanguageCoverage[];
  journeys: JourneyInfo[];
  /** Intake questions, in the order they are asked. */
  intake: IntakeInfo[];
  objectives: ObjectiveInfo[];
  items: ItemInfo[];
  /** Items per kind: every kind, in a fixed order, with 0 for kinds the pack does not use. */
  itemKinds: { kind: ItemKindName; count: number }[];
  /** Test forms with the ids of their items. */
  forms: { id: string; items: string[] }[];
  lessons: number;
  stories: number;
  /** Resources verified longer ago than this many days are stale. */
  verificationMaxAgeDays: number;
  resources: ResourceInfo[];
  /** The reference card: ids of its objectives and resources. */
  card: { title: string; objectives: string[]; resources: string[]; footer: string };
}

export interface Progress {
  /** Planned steps passed. */
  done: number;
  /** Planned steps in all. */
  total: number;
}

// ----------------------------------------------------------------------------- steps

/** A learner-facing string in the session's language, with its audio file if any. */
export interface Label {
  text: string;
  audio: string | null;
  /** Present (true) when the audio is a synthetic voice, not a person's recording. */
  synthetic?: true;
}

export interface ResourceView {
  id: string;
  name: Label;
  /** Number to dial. */
  phone: string;
  hours: Label;
  purpose: Label;
  verified: CalendarDate;
}

/** A block of a lesson page; switch on `type`. */
export type Block =
  | { type: "heading"; text: Label }
  | { type: "paragraph"; text: Label }
  | { type: "list"; entries: Label[] }
  | { type: "emphasis"; text: Label }
  | { type: "key-message"; objective: string; title: Label; summary: Label }
  | { type: "image"; src: string; alt: Label }
  | { type: "story"; story: string; title: Label }
  | ({ type: "resource" } & ResourceView);

/** An intake question: answer `{ choice }` (options) or `{ text }` (no options); advance to skip when optional. */
export interface IntakeStep {
  kind: "intake";
  field: string;
  label: Label;
  /** `[code, label]` per option; empty for a text field. */
  options: [string, Label][];
  required: boolean;
}

/** A lesson page: advance. */
export interface PageStep {
  kind: "page";
  phase: string;
  lesson: string;
  title: Label;
  /** 1-based page number within the lesson. */
  page: number;
  pages: number;
  blocks: Block[];
}

/** A story scene: answer `{ choice }`, or advance while a consequence or an ending shows. */
export interface StoryStep {
  kind: "story";
  story: string;
  title: Label;
  node: string;
  text: Label;
  image: string | null;
  /** Empty at an ending or while a consequence shows. */
  choices: Label[];
  /** `[choice made, its consequence]` while it shows. */
  consequence: [Label, Label] | null;
  ending: "safe" | "unsafe" | "neutral" | null;
}

/** A question: answer with the type in `expects`. */
export interface QuestionStep {
  kind: "question";
  phase: string;
  phase_kind: PhaseKindName;
  item: string;
  item_kind: ItemKindName;
  expects: AnswerType;
  /** 1-based number within the phase. */
  number: number;
  /** Questions in the phase. */
  total: number;
  prompt: Label;
  /** Options, steps, right-hand matching entries or scale points, in shown order. */
  options: Label[];
  /** Left-hand entries (matching items only). */
  left: Label[];
  /** Whether to offer "I don't know" (answer `{ dontKnow: true }`), as a secondary choice. */
  dont_know: boolean;
}

/** Feedback on the last answer, or one answer of an end-of-phase review: advance. */
export interface FeedbackStep {
  kind: "feedback";
  item: string;
  /** The item's kind, as in QuestionStep (says how to show right_answer). */
  item_kind: ItemKindName;
  /** The question that was asked. */
  prompt: Label;
  /** In the review at the end of an `after-phase` quiz: this answer's place; null right after an answer. */
  review: { number: number; total: number } | null;
  correct: boolean;
  /** Points earned, 0 to 1. */
  credit: number;
  message: Label;
  explanation: Label;
  right_answer: Label[];
  right_bool: boolean | null;
  /** The learner answered "I don't know" (`correct` is false): show the right answer without
   * calling it a mistake. */
  dont_know: boolean;
}

/** The score of a quiz phase: advance. */
export interface PhaseSummaryStep {
  kind: "phase-summary";
  phase: string;
  phase_kind: PhaseKindName;
  title: Label;
  score: number;
  max: number;
  correct: number;
}

/** The take-home reference card: advance. */
export interface CardStep {
  kind: "card";
  title: Label;
  /** `[objective id, key message, explanation]`. */
  messages: [string, Label, Label][];
  resources: ResourceView[];
  footer: Label;
}

export interface ScorePair {
  score: number;
  max: number;
}

export interface Gain {
  /** Post% − pre%, in percentage points. */
  absolute: number;
  /** (post% − pre%) / (100 − pre%); null when the pre-test was 100%. */
  normalised: number | null;
}

/** The end of the journey: call `finish`. */
export interface DoneStep {
  kind: "done";
  pre: ScorePair | null;
  post: ScorePair | null;
  gain: Gain | null;
}

/** The current step of a session: switch on `kind`. */
export type Step =
  | IntakeStep
  | PageStep
  | StoryStep
  | QuestionStep
  | FeedbackStep
  | PhaseSummaryStep
  | CardStep
  | DoneStep;

// ----------------------------------------------------------------------------- records

/** An answer as recorded, in canonical (unshuffled) option indices. */
export type RecordedAnswer =
  | { Choice: number }
  | { Choices: number[] }
  | { TrueFalse: boolean }
  | { Order: number[] }
  | { Matches: number[] }
  | { Text: string }
  | { Scale: number }
  | "DontKnow";

export type RecordedPhaseKind = "PreTest" | "Lesson" | "Practice" | "PostTest" | "FollowUp";

export interface ResponseRecord {
  /** Phase index within the journey. */
  phase: number;
  phase_kind: RecordedPhaseKind;
  /** Item index within the pack. */
  item: number;
  answer: RecordedAnswer;
  credit: number;
  correct: boolean;
  /** Milliseconds after the session started. */
  at_offset_ms: number;
}

export interface StoryChoiceRecord {
  story: number;
  node: number;
  choice: number;
}

/**
 * The record of one finished or abandoned session (from `finish`, `abandon` or `readLog`).
 * 64-bit fields are `bigint`s. `bytes` is its results-log frame: append it to the log.
 */
export interface ResultRecord {
  /** 16 bytes; merging logs drops records whose id was already seen. */
  record_id: number[];
  learner: string;
  pack_id: string;
  pack_version: { major: number; minor: number; patch: number };
  journey: string;
  language: string;
  seed: bigint;
  /** Form ids in the order taken. */
  forms: string[];
  /** Milliseconds since the Unix epoch. */
  started_at: bigint;
  ended_at: bigint;
  /** False when abandoned. */
  completed: boolean;
  /** `[intake field id, option code or text]`. */
  demographics: [string, string][];
  responses: ResponseRecord[];
  story_path: StoryChoiceRecord[];
  /** The record as one results-log frame (append it to the log file). */
  bytes: Uint8Array;
}

export interface LogDamage {
  offset: number;
  length: number;
}

/** CLDR numbering systems with decimal digits that a pack language may use. */
export type NumberingSystem =
  | "latn" | "khmr" | "mymr" | "laoo" | "thai" | "beng" | "deva" | "arab" | "arabext"
  | "tamldec" | "telu" | "knda" | "mlym" | "gujr" | "guru" | "orya" | "tibt" | "mong"
  | "java" | "fullwide";

export interface LogContents {
  records: ResultRecord[];
  /** Damaged stretches skipped (a torn last write, a bad sector). */
  damaged: LogDamage[];
  /** Intact frames that do not decode (e.g. written by a newer engine). */
  undecodable: { offset: number; code: KruErrorCode; message: string }[];
}

// ----------------------------------------------------------------------------- cohort report
// (`cohortReport` and its renderings `reportHtml`, `reportCsv`, `responsesCsv`, which return
// strings, are in the `full` module: `import … from "@kru/engine/full"`.)

/** `cohortReport` options (all optional); `reportHtml`, `reportCsv` and `responsesCsv` take the
 * same. */
export interface ReportOptions {
  /** Break the report down by this intake field, e.g. `"sex"`. */
  by?: string;
  /** Only records of this journey. */
  journey?: string;
  /** Fewer paired learners than this gives a `small_n` warning (default 10). */
  minN?: number;
  /** A pre-test mean at or above this percentage gives a `ceiling` warning (default 90). */
  ceilingPercent?: number;
  /** Small cells: a group with fewer learners than this has its figures withheld in every
   * output, with a `small_group` warning (default 5; 1 turns it off). */
  smallGroup?: number;
  /** At most this many groups; further values are pooled in `"(other)"` (default 64). */
  maxGroups?: number;
  /** Attrition above this share gives an `attrition` warning (default 0.2). */
  attritionShare?: number;
  /** At least this share of pre-tests at 0 % gives a `floor` warning (default 0.2). */
  floorShare?: number;
}

export type WarningCode =
  | "no_pairs" | "small_n" | "small_group" | "attrition" | "ceiling" | "all_correct"
  | "negative_discrimination" | "sampled_reliability" | "skipped_records" | "damaged_log"
  | "unknown_journey" | "unknown_items" | "mixed_journeys" | "too_many_groups" | "zero_spread"
  | "floor" | "negative_reliability" | "no_repeated_items" | "other";

export interface ReportWarning {
  code: WarningCode;
  /** The item, indicator or test it is about, if any. */
  subject: string | null;
  /** For people (English). */
  message: string;
  /** The interface string that writes it in any language (`warning-small-n`, see `uiStrings`). */
  text_id: string;
  /** The values of that string's `{name}` placeholders. */
  params: Record<string, string>;
}

/** Count, mean and sample standard deviation. */
export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
}

export interface LearnerCounts {
  records: number;
  completed: number;
  abandoned: number;
  with_pre: number;
  with_post: number;
  paired: number;
  pre_only: number;
  post_only: number;
  no_test: number;
  /** With a complete pre-test at exactly 0 %. */
  pre_zero: number;
}

export interface PairedReport {
  n: number;
  pre: Summary;
  post: Summary;
  gain: Summary;
  class_normalised_gain: number | null;
  mean_normalised_gain: number | null;
  normalised_gain_n: number;
  excluded_at_ceiling: number;
  t_test: { t: number; df: number; p_value: number } | null;
  wilcoxon: {
    statistic: number;
    w_plus: number;
    w_minus: number;
    z: number;
    p_value: number;
    n_nonzero: number;
    n_zero: number;
  } | null;
  cohens_dz: { d: number; se: number; ci_low: number; ci_high: number } | null;
}

export interface McNemarReport {
  n: number;
  both_right: number;
  right_to_wrong: number;
  wrong_to_right: number;
  both_wrong: number;
  method: "exact_binomial" | "chi_square_corrected";
  statistic: number;
  p_value: number;
}

export interface ItemPhase {
  n: number;
  correct: number;
  /** Of the `n`, answered "I don't know". */
  dont_know: number;
  /** `dont_know / n` (0–1). */
  dont_know_rate: number | null;
  facility: number | null;
  mean_credit: number | null;
  discrimination: number | null;
}

export interface ItemReport {
  id: string;
  index: number;
  kind: string;
  objectives: string[];
  pre: ItemPhase;
  post: ItemPhase;
  mcnemar: McNemarReport | null;
}

export interface Share {
  responses: number;
  percent: number | null;
}

export interface Proportion {
  n: number;
  met: number;
  percent: number | null;
}

export interface LikertPhase {
  n: number;
  mean: number | null;
  distribution: number[];
}

export interface GroupReport {
  /** The intake field (null for the whole cohort). */
  field: string | null;
  /** The group's value (null for the whole cohort). */
  value: string | null;
  /** Small cell: the group's figures are withheld (fewer than `small_group` learners, or
   * withheld with such a group); only `field`, `value` and a `small_group` warning remain. */
  suppressed: boolean;
  learners: LearnerCounts;
  pre: Summary;
  post: Summary;
  paired: PairedReport;
  gain_histogram: { center: number; from: number; to: number; count: number }[];
  items: ItemReport[];
  objectives: { id: string; pre: Share; post: Share; change: number | null }[];
  indicators: { id: string; pre: Proportion; post: Proportion; mcnemar: McNemarReport | null }[];
  likert: {
    id: string;
    index: number;
    points: number;
    /** Reverse-keyed (`keyed = "low"`): `mean` and `mean_shift` are of the reversed answers
     * (point p of n scores n − 1 − p), so higher is safer for every item; `distribution`
     * stays as answered. */
    reversed: boolean;
    pre: LikertPhase;
    post: LikertPhase;
    paired_n: number;
    mean_shift: number | null;
  }[];
  reliability: {
    journey: string;
    phase_kind: string;
    form: string | null;
    k: number;
    items: number;
    n: number;
    skipped: number;
    method: "kr20" | "kr20_sampled";
    kr20: number | null;
  }[];
  /** "I don't know" among the scored answers of the pre- and post-tests (zeros when the
   * journey does not offer it); `change` in percentage points. */
  dont_know: {
    pre: DontKnowShare;
    post: DontKnowShare;
    change: number | null;
  };
  warnings: ReportWarning[];
}

export interface DontKnowShare {
  responses: number;
  dont_know: number;
  percent: number | null;
}

/** The cohort report (schema in docs/report.md; names are the engine's snake_case). */
export interface CohortReport {
  schema_version: number;
  engine_version: string;
  pack: { id: string; version: string };
  options: {
    by: string | null;
    journey: string | null;
    min_n: number;
    ceiling_percent: number;
    small_group: number;
    max_groups: number;
    attrition_share: number;
    floor_share: number;
  };
  records: {
    accepted: number;
    other_pack: number;
    other_version: number;
    other_journey: number;
    duplicates: number;
    undecodable: number;
    damaged_stretches: number;
    damaged_bytes: number;
    unknown_journey: number;
    unknown_items: number;
    first_session: string | null;
    last_session: string | null;
    journeys: { journey: string; records: number }[];
  };
  cohort: GroupReport;
  groups: GroupReport[];
  warnings: ReportWarning[];
}

// ----------------------------------------------------------------------------- xAPI
// (`xapiStatements` and `xapiRecords` are in the `full` module; mapping in docs/xapi.md.)

/** `xapiStatements` options. */
export interface XapiOptions {
  /** The deployment's home page, an absolute http(s) IRI: the learners' account `homePage`. */
  homePage: string;
  /** The key id of the pack's signer (16 hex digits), when known. */
  packSigner?: string;
}

/** What `xapiRecords` read, and what it skipped and why. */
export interface XapiReadCounts {
  statements: number;
  accepted: number;
  /** Statements without the kru profile. */
  other_tool: number;
  /** kru statements of another pack or major version. */
  other_pack: number;
  malformed: number;
  /** Answers whose item the pack lacks, or whose response does not fit the item. */
  unfit_response: number;
  duplicates: number;
  /** Records some of whose statements are missing: not rebuilt. */
  incomplete_records: number;
  /** Records whose statements disagree: not rebuilt. */
  inconsistent_records: number;
  records: number;
  /** The first few reasons, for people. */
  examples: string[];
}

/** What `xapiRecords` returns. */
export interface XapiRecords {
  /** Ordered by start time, then record id. */
  records: ResultRecord[];
  counts: XapiReadCounts;
}
