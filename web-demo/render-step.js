// Renders any Step object the engine returns (`session.step()`) as accessible HTML.
//
// The step is used as the engine gives it (kinds intake, page, story, question, feedback,
// phase-summary, card, done; shapes in bindings-wasm/src/types.d.ts). Nothing is graded
// here: answers go back through `ctx.onAnswer(answer)` (an engine Answer object such as
// `{ choice: 2 }`) and passive steps through `ctx.onAdvance()`.
//
// ctx: { lang, t(key, vars), num(n), phaseTitle(id), onAnswer(a), onAdvance(), mediaBase }

import { khmerDigits } from "./ui-strings.js";

let uid = 0;

/** Creates an element: `h("p", { class: "x" }, "text", child)`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A fresh id for `aria-labelledby` and friends. */
const styles = new Map();

/**
 * Adds the stylesheet `href` to the page (once): for the styles of a screen loaded only when it
 * is used (report.css, take-home.css). Resolves when it applies, or failed to load.
 */
export function loadStyle(href) {
  if (!styles.has(href)) {
    styles.set(href, new Promise((resolve) => {
      const link = h("link", { rel: "stylesheet", href });
      link.addEventListener("load", resolve);
      link.addEventListener("error", () => {
        console.warn("stylesheet not loaded", href);
        resolve();
      });
      document.head.append(link);
    }));
  }
  return styles.get(href);
}

export function newId(prefix = "k") {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** An inline SVG icon (paths drawn here; no icon font or image file). */
export function icon(name) {
  const paths = {
    check: "M4 12.5l5 5L20 6.5",
    cross: "M6 6l12 12M18 6L6 18",
    phone: "M6.6 10.8a15.1 15.1 0 006.6 6.6l2.2-2.2a1 1 0 011-.25 11.4 11.4 0 003.6.57 1 1 0 011 1V20a1 1 0 01-1 1A17 17 0 013 4a1 1 0 011-1h3.5a1 1 0 011 1c0 1.25.2 2.45.57 3.57a1 1 0 01-.25 1z",
    speaker: "M4 9v6h4l5 4V5L8 9H4zm12.5 3a4.5 4.5 0 00-2.5-4v8a4.5 4.5 0 002.5-4z",
    star: "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z",
  };
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon icon-${name}`);
  const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
  p.setAttribute("d", paths[name] ?? "");
  if (name === "check" || name === "cross") {
    p.setAttribute("fill", "none");
    p.setAttribute("stroke", "currentColor");
    p.setAttribute("stroke-width", "3");
    p.setAttribute("stroke-linecap", "round");
    p.setAttribute("stroke-linejoin", "round");
  } else {
    p.setAttribute("fill", "currentColor");
  }
  svg.append(p);
  return svg;
}

// Audio: one sound at a time. A file is fetched whole (not streamed), so that the service
// worker keeps a copy and it plays offline after its first play; it is never part of the first
// visit. The playing element sits in the page (`audio[data-playing]`, no controls).
let playing = null;

/** Stops the sound playing, if any (a new screen, the idle reset). */
export function stopAudio() {
  if (!playing) return;
  playing.pause();
  URL.revokeObjectURL(playing.src);
  playing.remove();
  playing = null;
}

/** Plays the audio file at `href` (a media path), stopping any other. */
export async function playAudio(href, ctx) {
  stopAudio();
  const a = h("audio", { "data-playing": href, hidden: true });
  playing = a;
  const res = await fetch(new URL(href, new URL(ctx.mediaBase ?? "media/", document.baseURI)));
  if (!res.ok) throw new Error(`${href}: HTTP ${res.status}`);
  const blob = await res.blob();
  if (playing !== a) return;
  a.src = URL.createObjectURL(blob);
  a.onended = () => playing === a && stopAudio();
  document.body.append(a);
  await a.play();
}

/** A button that plays the audio of a label, when the pack has one; it names a synthetic voice. */
function audioButton(label, ctx) {
  if (!label?.audio) return null;
  const name = ctx.t(label.synthetic ? "listenSynthetic" : "listen");
  return h(
    "button",
    {
      type: "button",
      class: "audio",
      "aria-label": name,
      title: name,
      "data-audio": label.audio,
      onclick: () => playAudio(label.audio, ctx).catch((e) => console.warn("audio", e)),
    },
    icon("speaker"),
  );
}

/** A text and its listen button (if any) side by side: no letter under the button. */
function said(label, ctx) {
  const button = audioButton(label, ctx);
  const text = label?.text ?? "";
  return button ? h("span", { class: "with-audio" }, h("span", { class: "said" }, text), button) : text;
}

/** A label's text, with its audio button. */
function labelled(tag, label, ctx, attrs = {}) {
  return h(tag, attrs, said(label, ctx));
}

function button(text, attrs = {}) {
  return h("button", { type: "button", class: "btn primary", ...attrs }, text);
}

/** The heading every step puts focus on, so that screen readers read the new step. */
function stepHeading(tag, label, ctx, extra = {}) {
  return labelled(tag, label, ctx, { class: "step-title", tabindex: "-1", "data-step-heading": "", ...extra });
}

function eyebrow(...parts) {
  return h("p", { class: "eyebrow" }, parts.filter(Boolean).join(" · "));
}

/** The hotline box: the number large, to call with one tap. */
export function resourceBox(r, ctx) {
  const km = ctx.lang === "km";
  return h(
    "aside",
    { class: "hotline", "aria-label": r.name.text },
    h("p", { class: "hotline-name" }, r.name.text),
    h(
      "a",
      { class: "hotline-number", href: `tel:${r.phone}` },
      icon("phone"),
      h("span", { class: "visually-hidden" }, ctx.t("callNow", { phone: "" }).trim(), " "),
      h("span", { class: "digits" }, r.phone),
      km ? h("span", { class: "digits-km", "aria-hidden": "true" }, khmerDigits(r.phone)) : null,
    ),
    r.purpose?.text ? h("p", { class: "hotline-purpose" }, r.purpose.text) : null,
    r.hours?.text ? h("p", { class: "hotline-hours" }, r.hours.text) : null,
  );
}

function renderBlock(b, ctx, counters) {
  switch (b.type) {
    case "heading":
      return labelled(counters.headings++ === 0 ? "h2" : "h3", b.text, ctx,
        counters.headings === 1 ? { class: "step-title", tabindex: "-1", "data-step-heading": "" } : {});
    case "paragraph":
      return labelled("p", b.text, ctx);
    case "list":
      return h("ul", { class: "lesson-list" }, b.entries.map((e) => labelled("li", e, ctx)));
    case "emphasis":
      return labelled("p", b.text, ctx, { class: "emphasis" });
    case "key-message": {
      counters.messages += 1;
      return h(
        "section",
        { class: "key-message", "data-objective": b.objective, "aria-label": ctx.t("keyMessage", { n: counters.messages }) },
        h("span", { class: "km-num", "aria-hidden": "true" }, ctx.num(counters.messages)),
        h("div", {}, labelled("h3", b.title, ctx), labelled("p", b.summary, ctx)),
      );
    }
    case "image":
      // An SVG is a pictogram (drawn small); anything else a picture across the page.
      return h("img", { src: new URL(b.src, new URL(ctx.mediaBase ?? "media/", document.baseURI)).href, alt: b.alt.text,
        class: /\.svg$/i.test(b.src) ? "pictogram" : "lesson-image" });
    case "story":
      return h("p", { class: "story-intro" }, icon("star"), " ", b.title.text);
    case "resource":
      return resourceBox(b, ctx);
    default:
      return null;
  }
}

function renderPage(step, ctx) {
  const counters = { headings: 0, messages: 0 };
  // An image right after a key message is that message's pictogram: drawn inside it, beside
  // its number, so that a visitor who reads little sees each message as a picture.
  const blocks = [];
  step.blocks.forEach((b, i) => {
    const el = renderBlock(b, ctx, counters);
    const last = blocks.at(-1);
    if (b.type === "image" && step.blocks[i - 1]?.type === "key-message" && last?.classList?.contains("key-message")) {
      last.insertBefore(el, last.children[1] ?? null);
    } else {
      blocks.push(el);
    }
  });
  const hasHeading = step.blocks.some((b) => b.type === "heading");
  const repeats = step.blocks[0]?.type === "heading" && step.blocks[0].text.text === step.title.text;
  return h(
    "article",
    { class: "step page", "data-kind": "page" },
    eyebrow(repeats ? null : step.title.text, ctx.t("pageOf", { n: step.page, total: step.pages })),
    hasHeading ? null : stepHeading("h2", step.title, ctx),
    blocks,
    h("div", { class: "actions" }, button(ctx.t("continue"), { onclick: () => ctx.onAdvance(), "data-action": "advance" })),
  );
}

function renderCard(step, ctx) {
  return h(
    "article",
    { class: "step card", "data-kind": "card" },
    cardBody(step, ctx),
    h("div", { class: "actions" }, button(ctx.t("continue"), { onclick: () => ctx.onAdvance(), "data-action": "advance" })),
  );
}

/** The reference card's content (also shown on the kiosk's result screen). */
export function cardBody(card, ctx, headingTag = "h2") {
  return h(
    "div",
    { class: "card-body" },
    stepHeading(headingTag, card.title, ctx),
    h(
      "ol",
      { class: "card-messages" },
      card.messages.map(([id, title, summary], i) =>
        h("li", { "data-objective": id },
          h("span", { class: "km-num", "aria-hidden": "true" }, ctx.num(i + 1)),
          h("div", {}, h("strong", {}, said(title, ctx)), h("p", {}, summary.text)))),
    ),
    card.resources.map((r) => resourceBox(r, ctx)),
    card.footer?.text ? h("p", { class: "card-footer" }, card.footer.text) : null,
  );
}

function renderSummary(step, ctx) {
  // No score after a pre-test: "0 / 5" before the lesson only discourages. The learner sees
  // both scores side by side at the end (issue 15, item 6).
  if (step.phase_kind === "pre-test") {
    return h(
      "article",
      { class: "step phase-summary pre-test-done", "data-kind": "phase-summary", "data-phase-kind": "pre-test" },
      h("h2", { class: "step-title", tabindex: "-1", "data-step-heading": "" }, ctx.t("preTestDone")),
      h("p", { class: "lead" }, ctx.t("preTestDoneLead")),
      h("div", { class: "actions" }, button(ctx.t("continue"), { onclick: () => ctx.onAdvance(), "data-action": "advance" })),
    );
  }
  const max = step.max || 0;
  const share = max ? Math.max(0, Math.min(1, step.score / max)) : 0;
  return h(
    "article",
    { class: "step phase-summary", "data-kind": "phase-summary" },
    stepHeading("h2", step.title, ctx),
    h(
      "p",
      { class: "big-score", "data-score": `${step.correct}/${max}` },
      h("span", { class: "score-num" }, ctx.num(step.correct)),
      h("span", { class: "score-sep", "aria-hidden": "true" }, " / "),
      h("span", { class: "score-max" }, ctx.num(max)),
    ),
    h("div", { class: "meter", "aria-hidden": "true" }, h("span", { style: `width:${Math.round(share * 100)}%` })),
    h("p", { class: "lead" }, ctx.t("summaryScore", { correct: step.correct, max })),
    h("div", { class: "actions" }, button(ctx.t("continue"), { onclick: () => ctx.onAdvance(), "data-action": "advance" })),
  );
}

function renderFeedback(step, ctx) {
  const verdict = step.correct ? "correct" : step.credit > 0 ? "partly" : "incorrect";
  // In an end-of-phase review (feedback = "after-phase") the question is shown again.
  const kind = step.item_kind ?? ctx.lastKind;
  const review = step.review
    ? h("div", { class: "review" },
      h("p", { class: "review-place" }, ctx.t("reviewOf", { number: step.review.number, total: step.review.total })),
      labelled("p", step.prompt, ctx, { class: "review-prompt" }))
    : null;
  let right = null;
  // True/false: the verdict says what is true ("Right: it is false."), so that a weak reader
  // does not read "Correct!" next to the word "False" and take one for the other.
  const trueFalse = step.right_bool !== null && step.right_bool !== undefined;
  // "I don't know" is not a mistake to point out: say so, then show the right answer.
  const verdictText = step.dont_know
    ? ctx.t("dontKnowShown")
    : trueFalse
      ? ctx.t(`${step.correct ? "tfRight" : "tfWrong"}${step.right_bool ? "True" : "False"}`)
      : ctx.t(verdict);
  if (step.dont_know && trueFalse) {
    right = h("div", { class: "right-answer" }, h("p", { class: "answer-text" }, ctx.t(step.right_bool ? "trueLabel" : "falseLabel")));
  }
  if (!step.correct && !trueFalse) {
    if (step.right_answer.length) {
      // Matching items give `left, right` pairs; ordering items the steps in order.
      const entries = [];
      if (kind === "matching") {
        for (let i = 0; i < step.right_answer.length; i += 2) entries.push(`${step.right_answer[i].text} → ${step.right_answer[i + 1]?.text ?? ""}`);
      } else {
        entries.push(...step.right_answer.map((l) => l.text));
      }
      right = h(
        "div",
        { class: "right-answer" },
        h("p", {}, ctx.t("rightAnswer")),
        entries.length === 1 ? h("p", { class: "answer-text" }, entries[0]) : h(kind === "ordering" ? "ol" : "ul", {}, entries.map((e) => h("li", {}, e))),
      );
    }
  }
  return h(
    "article",
    { class: `step feedback ${step.dont_know ? "dont-know" : verdict}`, "data-kind": "feedback", "data-correct": String(step.correct),
      "data-dont-know": step.dont_know ? "true" : null, "data-review": step.review ? String(step.review.number) : null },
    review,
    h("h2", { class: "verdict step-title", tabindex: "-1", "data-step-heading": "" },
      step.dont_know ? null : icon(step.correct ? "check" : "cross"), step.dont_know ? null : " ", verdictText),
    step.message?.text ? labelled("p", step.message, ctx, { class: "lead" }) : null,
    right,
    step.explanation?.text ? labelled("p", step.explanation, ctx, { class: "explanation" }) : null,
    h("div", { class: "actions" }, button(ctx.t("continue"), { onclick: () => ctx.onAdvance(), "data-action": "advance" })),
  );
}

function renderStory(step, ctx) {
  const parts = [step.consequence || step.ending ? eyebrow(step.title.text) : null];
  if (step.consequence) {
    const [chosen, consequence] = step.consequence;
    parts.push(
      h("div", { class: "consequence" },
        h("h2", { class: "step-title", tabindex: "-1", "data-step-heading": "" }, ctx.t("storyYouChose")),
        h("p", { class: "chosen" }, chosen.text),
        labelled("p", consequence, ctx, { class: "lead" })),
      h("div", { class: "actions" }, button(ctx.t("continue"), { onclick: () => ctx.onAdvance(), "data-action": "advance" })),
    );
  } else {
    const headingKey = step.ending ? { safe: "endingSafe", unsafe: "endingUnsafe" }[step.ending] ?? "endingNeutral" : "storyNext";
    parts.push(
      h("h2", { class: `step-title ${step.ending ? `ending ending-${step.ending}` : "visually-hidden-heading"}`, tabindex: "-1", "data-step-heading": "" },
        step.ending ? ctx.t(headingKey) : step.title.text),
      step.image ? h("img", { class: "lesson-image", src: new URL(step.image, new URL(ctx.mediaBase ?? "media/", document.baseURI)).href, alt: "" }) : null,
      labelled("p", step.text, ctx, { class: "story-text" }),
    );
    if (step.choices.length) {
      parts.push(h("div", { class: "story-choices", role: "group", "aria-label": ctx.t("chooseOne") },
        step.choices.map((c, i) => h("button", { type: "button", class: "btn choice-btn", "data-option": i, onclick: () => ctx.onAnswer({ choice: i }) }, c.text))));
    } else {
      parts.push(h("div", { class: "actions" }, button(ctx.t("continue"), { onclick: () => ctx.onAdvance(), "data-action": "advance" })));
    }
  }
  return h("article", { class: "step story", "data-kind": "story" }, parts);
}

/** A group of radio buttons or checkboxes, as large touch targets. */
function choiceGroup({ type, name, labels, labelledby, describedby, horizontal = false, onchange }) {
  return h(
    "fieldset",
    {
      class: `choices${horizontal ? " horizontal" : ""}`,
      role: type === "radio" ? "radiogroup" : "group",
      "aria-labelledby": labelledby,
      "aria-describedby": describedby,
    },
    labels.map(({ text, value, audio }, i) =>
      h("label", { class: "choice", "data-option": value ?? i },
        h("input", { type, name, value: value ?? i, onchange }),
        h("span", { class: "mark", "aria-hidden": "true" }),
        h("span", { class: "choice-text" }, text),
        audio ?? null)),
  );
}

function renderQuestion(step, ctx) {
  const promptId = newId("prompt");
  const hintId = newId("hint");
  const name = newId("q");
  const submit = h("button", { type: "submit", class: "btn primary", disabled: true, "data-action": "submit" },
    ctx.t(step.phase_kind === "pre-test" || step.expects === "scale" ? "next" : "check"));
  const error = h("p", { class: "form-error", role: "alert" });
  let collect = () => null;
  let body;
  let hint = null;
  const update = () => {
    submit.disabled = collect() === null;
  };

  switch (step.expects) {
    case "choice":
    case "scale": {
      hint = step.expects === "choice" ? ctx.t("chooseOne") : null;
      body = choiceGroup({
        type: "radio", name, labelledby: promptId, describedby: hint ? hintId : null,
        horizontal: step.expects === "scale",
        labels: step.options.map((o) => ({ text: o.text, audio: audioButton(o, ctx) })), onchange: update,
      });
      collect = () => {
        const c = body.querySelector("input:checked");
        if (!c) return null;
        return step.expects === "choice" ? { choice: Number(c.value) } : { scale: Number(c.value) };
      };
      break;
    }
    case "true-false": {
      body = choiceGroup({
        type: "radio", name, labelledby: promptId,
        labels: [{ text: ctx.t("trueLabel"), value: "true" }, { text: ctx.t("falseLabel"), value: "false" }],
        horizontal: true, onchange: update,
      });
      collect = () => {
        const c = body.querySelector("input:checked");
        return c ? { trueFalse: c.value === "true" } : null;
      };
      break;
    }
    case "choices": {
      hint = ctx.t("chooseAll");
      body = choiceGroup({
        type: "checkbox", name, labelledby: promptId, describedby: hintId,
        labels: step.options.map((o) => ({ text: o.text, audio: audioButton(o, ctx) })), onchange: update,
      });
      collect = () => {
        const cs = [...body.querySelectorAll("input:checked")].map((c) => Number(c.value));
        return cs.length ? { choices: cs } : null;
      };
      break;
    }
    case "order": {
      hint = ctx.t("orderHint");
      const placed = [];
      const yoursId = newId("yours");
      const poolId = newId("pool");
      const yours = h("ol", { class: "order-list", "aria-labelledby": yoursId });
      const live = h("p", { class: "visually-hidden", "aria-live": "polite" });
      const pool = h("div", { class: "order-pool", role: "group", "aria-labelledby": poolId });
      const empty = h("li", { class: "order-empty" }, ctx.t("orderEmpty"));
      const redraw = () => {
        yours.replaceChildren(...(placed.length ? placed.map((i, n) =>
          h("li", { "data-option": i }, h("span", { class: "order-n", "aria-hidden": "true" }, ctx.num(n + 1)), step.options[i].text)) : [empty]));
        for (const b of pool.querySelectorAll("button")) {
          const taken = placed.includes(Number(b.dataset.option));
          b.hidden = taken;
        }
        update();
      };
      step.options.forEach((o, i) => {
        pool.append(h("button", {
          type: "button", class: "btn order-btn", "data-option": i,
          onclick: () => {
            if (placed.includes(i)) return;
            placed.push(i);
            live.textContent = ctx.t("orderAdded", { n: placed.length, text: o.text });
            redraw();
            // Keep keyboard focus in the pool (the pressed button is now hidden).
            const next = pool.querySelector("button:not([hidden])");
            (next ?? submit).focus();
          },
        }, o.text));
      });
      const reset = h("button", {
        type: "button", class: "btn secondary", "data-action": "reset-order",
        onclick: () => {
          placed.length = 0;
          live.textContent = ctx.t("orderEmpty");
          redraw();
          pool.querySelector("button")?.focus();
        },
      }, ctx.t("orderReset"));
      body = h("div", { class: "ordering", "aria-describedby": hintId },
        h("div", { class: "order-col" }, h("h3", { id: poolId }, ctx.t("orderLeft")), pool),
        h("div", { class: "order-col" }, h("h3", { id: yoursId }, ctx.t("orderYours")), yours, reset),
        live);
      collect = () => (placed.length === step.options.length ? { order: [...placed] } : null);
      redraw();
      break;
    }
    case "matches": {
      hint = ctx.t("matchHint");
      const selects = step.left.map((l, j) => {
        const id = newId("match");
        const sel = h("select", { id, "data-left": j, onchange: update },
          h("option", { value: "" }, ctx.t("matchChoose")),
          step.options.map((o, i) => h("option", { value: i }, o.text)));
        return { sel, row: h("div", { class: "match-row" }, h("label", { for: id }, l.text), sel) };
      });
      body = h("fieldset", { class: "matching", "aria-labelledby": promptId, "aria-describedby": hintId }, selects.map((s) => s.row));
      collect = () => {
        const m = selects.map((s) => s.sel.value);
        return m.every((v) => v !== "") ? { matches: m.map(Number) } : null;
      };
      break;
    }
    case "text":
    default: {
      const id = newId("answer");
      const numeric = step.item_kind === "numeric";
      const input = h("input", {
        id, type: "text", class: "text-answer", autocomplete: "off", autocapitalize: "off", spellcheck: "false",
        inputmode: numeric ? "decimal" : "text", oninput: update, "aria-describedby": promptId,
      });
      body = h("div", { class: "text-field" }, h("label", { for: id }, ctx.t(numeric ? "typeNumber" : "typeAnswer")), input);
      collect = () => (input.value.trim() ? { text: input.value.trim() } : null);
      break;
    }
  }

  const form = h(
    "form",
    { class: "step question", "data-kind": "question", "data-item": step.item, "data-expects": step.expects, novalidate: true },
    eyebrow(ctx.phaseTitle(step.phase), ctx.t("questionOf", { n: step.number, total: step.total })),
    h("h2", { id: promptId, class: "step-title prompt", tabindex: "-1", "data-step-heading": "" }, said(step.prompt, ctx)),
    hint ? h("p", { id: hintId, class: "hint" }, hint) : null,
    body,
    error,
    h("div", { class: "actions" },
      // "I don't know" (where the pack offers it): a secondary choice that answers at once,
      // before the main button in the tab order so that it is reached without passing it.
      step.dont_know
        ? button(ctx.t("dontKnow"), { class: "btn secondary dont-know", "data-action": "dont-know", onclick: () => ctx.onAnswer({ dontKnow: true }, error) })
        : null,
      submit),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const a = collect();
    if (a) ctx.onAnswer(a, error);
  });
  return form;
}

function renderIntake(step, ctx) {
  const labelId = newId("intake");
  const name = newId("f");
  const submit = h("button", { type: "submit", class: "btn primary", disabled: step.required, "data-action": "submit" }, ctx.t("next"));
  const error = h("p", { class: "form-error", role: "alert" });
  let body;
  let collect;
  if (step.options.length) {
    body = choiceGroup({
      type: "radio", name, labelledby: labelId,
      labels: step.options.map(([code, l]) => ({ text: l.text, value: code })),
      onchange: () => { submit.disabled = false; },
    });
    collect = () => {
      const c = body.querySelector("input:checked");
      if (!c) return null;
      return { choice: step.options.findIndex(([code]) => code === c.value) };
    };
  } else {
    const noNameId = newId("noname");
    const input = h("input", { type: "text", class: "text-answer", "aria-labelledby": labelId, "aria-describedby": noNameId, autocomplete: "off",
      oninput: () => { submit.disabled = step.required && !input.value.trim(); } });
    // Free text is kept in the results: it must never hold a person's name.
    body = h("div", { class: "text-field" }, h("p", { class: "hint", id: noNameId, "data-no-name": "" }, ctx.t("intakeNoName")), input);
    collect = () => (input.value.trim() ? { text: input.value.trim() } : null);
  }
  const form = h(
    "form",
    { class: "step intake", "data-kind": "intake", "data-field": step.field, novalidate: true },
    h("h2", { id: labelId, class: "step-title", tabindex: "-1", "data-step-heading": "" }, said(step.label, ctx)),
    body,
    error,
    h("div", { class: "actions" },
      step.required ? null : button(ctx.t("skip"), { class: "btn secondary", "data-action": "skip", onclick: () => ctx.onAdvance() }),
      submit),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const a = collect();
    if (a) ctx.onAnswer(a, error);
    else if (!step.required) ctx.onAdvance();
  });
  return form;
}

/** Renders `step` (any kind but `done`, which the mode renders) into an element. */
export function renderStep(step, ctx) {
  switch (step.kind) {
    case "question":
      return renderQuestion(step, ctx);
    case "feedback":
      return renderFeedback(step, ctx);
    case "phase-summary":
      return renderSummary(step, ctx);
    case "page":
      return renderPage(step, ctx);
    case "story":
      return renderStory(step, ctx);
    case "intake":
      return renderIntake(step, ctx);
    case "card":
      return renderCard(step, ctx);
    default:
      return h("p", {}, `(${step.kind})`);
  }
}

/** Moves focus to the step's heading (for screen readers and keyboards). */
export function focusStep(root) {
  const el = root.querySelector("[data-step-heading]");
  if (el) el.focus({ preventScroll: false });
}
