// Runs one engine Session on screen: renders its current step, sends answers and advances to
// the engine, saves a snapshot after every change (so that a reload or a crash resumes where
// the learner was), and hands the `done` step to the mode (kiosk or class) that started it.

import { focusStep, h, playAudio, renderStep, stopAudio } from "./render-step.js";
import * as store from "./store.js";

/**
 * A learner's result as whole numbers: `{ pre, post }`, each `{ n, max }` (questions answered
 * fully right of those asked) or null. From the phase summaries the runner saw; a test
 * without one (a resumed quiz) falls back to the engine's score rounded down, never a
 * fraction like "4.8 of 12" a learner cannot read.
 */
export function wholeScores(done, meta) {
  const one = (kind, p) => {
    const seen = meta?.scores?.[kind];
    if (seen) return { n: seen.correct, max: seen.max };
    return p ? { n: Math.floor(p.score + 1e-9), max: p.max } : null;
  };
  return { pre: one("pre-test", done.pre), post: one("post-test", done.post) };
}

export class Runner {
  /**
   * @param app   the app (engine, pack, language, strings, main element)
   * @param opts  { session, meta, onDone(doneStep), onStep(step)?, passCard? }
   *   meta is saved with every snapshot (slot, mode, class id, …) and returned on resume;
   *   `meta.slot` names the snapshot ("kiosk", "class:<id>").
   *   passCard: capture the reference card (both languages) into meta.cards and go on
   *   without showing it (the kiosk shows it with the visitor's result).
   *   autoIntake: free-text intake answers the app already knows (`{ group: "…" }`: the
   *   class session the teacher entered), given to the engine without asking the learner.
   */
  constructor(app, { session, meta, onDone, onStep = null, passCard = false, autoIntake = {}, autoplay = false }) {
    this.app = app;
    this.session = session;
    this.meta = meta;
    this.onDone = onDone;
    this.onStep = onStep;
    this.passCard = passCard;
    this.autoIntake = autoIntake;
    this.autoplay = autoplay;
    this.busy = false;
    this.lastKind = meta.lastKind ?? null;
    this.ended = false;
    this.root = h("section", { class: "runner", "aria-label": app.t("progress") });
    // The page's one h1 (for screen readers; each step's own heading is an h2).
    this.title = h("h1", { class: "visually-hidden" }, app.pack.title(app.preferred(app.lang)));
    this.progress = h("div", { class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-label": app.t("progress") }, h("span", { class: "bar" }));
    this.host = h("div", { class: "step-host" });
    this.root.append(this.title, this.progress, this.host);
  }

  /** Puts the runner on screen and shows the current step. */
  async mount() {
    this.app.setView(this.root, { running: true });
    await this.show();
  }

  /** Shows the current step (or hands `done` to the mode). */
  async show() {
    let step = this.session.step();
    while (step.kind === "intake" && !step.options.length && this.autoIntake[step.field] !== undefined) {
      this.session.answer({ text: this.autoIntake[step.field] }, Date.now());
      await this.save();
      step = this.session.step();
    }
    if (step.kind === "card" && this.passCard) {
      this.meta.cards = this.captureCard();
      this.session.advance(Date.now());
      await this.save();
      step = this.session.step();
    }
    if (step.kind === "phase-summary") {
      // Whole answers right per test, for the learner's result ("you knew 4 of 12").
      this.meta.scores = { ...this.meta.scores, [step.phase_kind]: { correct: step.correct, max: step.max } };
    }
    if (step.kind === "done") {
      this.ended = true;
      await this.onDone(step);
      this.app.bump();
      return;
    }
    this.updateProgress();
    stopAudio();
    const ctx = {
      lang: this.app.lang,
      t: this.app.t,
      num: this.app.num,
      mediaBase: "media/",
      lastKind: this.lastKind,
      phaseTitle: (id) => this.app.phaseTitle(this.session.journey, id),
      onAnswer: (a, errorEl) => this.answer(a, errorEl, step),
      onAdvance: () => this.advance(),
    };
    const view = renderStep(step, ctx);
    this.host.replaceChildren(view);
    this.root.dataset.step = step.kind;
    focusStep(this.host);
    // Auto-play (a kiosk setting): the screen's first text with audio, once the visitor has
    // tapped (browsers play sound only after a gesture on the page).
    const first = this.autoplay && navigator.userActivation?.hasBeenActive !== false && view.querySelector("[data-audio]");
    if (first) playAudio(first.dataset.audio, ctx).catch((e) => console.warn("audio", e));
    this.onStep?.(step);
    this.app.bump();
  }

  updateProgress() {
    try {
      const { done, total } = this.session.progress();
      this.progress.setAttribute("aria-valuemax", String(total));
      this.progress.setAttribute("aria-valuenow", String(done));
      this.progress.setAttribute("aria-valuetext", `${this.app.num(done)} / ${this.app.num(total)}`);
      this.progress.firstChild.style.width = `${total ? Math.round((done / total) * 100) : 0}%`;
    } catch {
      // progress is decoration
    }
  }

  /** The reference card in each of the pack's UI languages (for the kiosk's result screen). */
  captureCard() {
    const cards = {};
    for (const lang of this.app.langs) {
      this.session.setLanguages(this.app.preferred(lang));
      cards[lang] = this.session.step();
    }
    this.session.setLanguages(this.app.preferred(this.app.lang));
    return cards;
  }

  async save() {
    this.meta.lang = this.app.lang;
    this.meta.lastKind = this.lastKind;
    await store.saveSnapshot(this.meta.slot, this.session.snapshot(), this.meta);
  }

  async answer(answer, errorEl, step) {
    if (this.busy || this.ended) return;
    this.busy = true;
    try {
      this.session.answer(answer, Date.now());
    } catch (e) {
      this.busy = false;
      // The catalogue's words for the error's code, in the learner's language (the engine's
      // English message goes to the console).
      const text = this.app.errorText(e);
      if (errorEl) {
        errorEl.textContent = text;
        errorEl.dataset.code = e?.code ?? "other";
      }
      return;
    }
    if (step?.kind === "question") this.lastKind = step.item_kind;
    try {
      await this.save();
      await this.show();
    } finally {
      this.busy = false;
    }
  }

  async advance() {
    if (this.busy || this.ended) return;
    this.busy = true;
    try {
      this.session.advance(Date.now());
      await this.save();
      await this.show();
    } catch (e) {
      this.app.error(e);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Switches the session's language and shows the same step again, with what the learner had
   * chosen or typed but not yet submitted.
   */
  async setLanguage() {
    if (this.ended) return;
    const draft = this.captureDraft();
    this.session.setLanguages(this.app.preferred(this.app.lang));
    this.root.setAttribute("aria-label", this.app.t("progress"));
    this.progress.setAttribute("aria-label", this.app.t("progress"));
    this.title.textContent = this.app.pack.title(this.app.preferred(this.app.lang));
    await this.save();
    await this.show();
    if (draft) this.applyDraft(draft);
  }

  /** The answer on screen not yet submitted: inputs and selects in order, steps placed. */
  captureDraft() {
    const form = this.host.querySelector("form");
    if (!form) return null;
    return {
      kind: form.dataset.kind,
      inputs: [...form.querySelectorAll("input, select")].map((el) => (el.type === "radio" || el.type === "checkbox" ? el.checked : el.value)),
      order: [...form.querySelectorAll(".order-list li[data-option]")].map((li) => li.dataset.option),
    };
  }

  /** Puts a draft back on the same step drawn again (the engine's answers are not touched). */
  applyDraft(draft) {
    const form = this.host.querySelector("form");
    if (!form || form.dataset.kind !== draft.kind) return;
    const els = [...form.querySelectorAll("input, select")];
    if (els.length !== draft.inputs.length) return;
    els.forEach((el, i) => {
      const v = draft.inputs[i];
      if (v === true) {
        el.checked = true;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (typeof v === "string" && v !== "") {
        el.value = v;
        el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
      }
    });
    for (const o of draft.order) form.querySelector(`.order-pool [data-option="${o}"]`)?.click();
    focusStep(this.host);
  }

  /** Ends a finished journey: its record (with `bytes` to append to a results log). */
  finish() {
    return this.session.finish(Date.now());
  }

  /** Ends the journey early: the partial record. */
  abandon() {
    return this.session.abandon(Date.now());
  }

  /** Frees the engine session. */
  dispose() {
    this.ended = true;
    try {
      this.session.free();
    } catch {
      // already freed
    }
  }
}
