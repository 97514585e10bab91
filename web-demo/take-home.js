// The take-home card's QR code: the reference card as plain text (its title, the six key
// messages, the help lines with their numbers), in the visitor's language, drawn as an inline
// SVG. A phone's camera shows the text without any network or app: nothing to download, no
// address that must be reachable. The QR code is made by lean-qr (vendored, MIT, 3.6 KB
// gzip), loaded only by the kiosk's result screen and the class journey's card step. The card
// prints on one A5 page (take-home.css, @media print).

import { correction, generate } from "./lean-qr.js";
import { h, loadStyle } from "./render-step.js";

// The QR code's and the print page's styles come with this module.
await loadStyle("take-home.css");

const SVG = "http://www.w3.org/2000/svg";

/** The card as the plain text the QR code holds. */
export function cardText(card, num) {
  return [
    card.title.text,
    ...card.messages.map(([, title], i) => `${num(i + 1, 0)}. ${title.text}`),
    ...card.resources.map((r) => `${r.name.text}: ${r.phone}`),
  ].join("\n");
}

/** An SVG QR code of `text` (one path, dark modules on white, a 4-module quiet zone). */
export function qrSvg(text, label) {
  const code = generate(text, { minCorrectionLevel: correction.L });
  const n = code.size;
  let d = "";
  for (let y = 0; y < n; y += 1) {
    for (let x = 0; x < n; x += 1) if (code.get(x, y)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
  }
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${n + 8} ${n + 8}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("class", "qr");
  svg.setAttribute("shape-rendering", "crispEdges");
  const bg = document.createElementNS(SVG, "rect");
  bg.setAttribute("width", String(n + 8));
  bg.setAttribute("height", String(n + 8));
  bg.setAttribute("fill", "#fff");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(bg, path);
  svg.dataset.modules = String(n);
  return svg;
}

/**
 * Makes a card step on screen (the class journey's reference card, `article`) a take-home
 * card like the kiosk's: its QR code under the card, and "Print this card" beside Continue.
 */
export function takeHome(article, card, app) {
  if (!article?.isConnected || "takeHome" in article.dataset) return;
  article.dataset.takeHome = "";
  const actions = article.querySelector(".actions");
  article.insertBefore(qrBlock(card, app), actions);
  actions?.prepend(h("button", { type: "button", class: "btn secondary", "data-action": "print", onclick: () => window.print() }, app.t("printCard")));
}

/** The QR code block shown under the card (and printed with it). */
export function qrBlock(card, app) {
  const text = cardText(card, app.num);
  return h("figure", { class: "card-qr", "data-qr-text": text },
    qrSvg(text, app.t("qrAlt")),
    h("figcaption", {}, app.t("qrCaption")));
}
