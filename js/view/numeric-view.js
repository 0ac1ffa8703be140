// The details panel's numerical check: the central difference beside the autograd grad, as a
// panel section (panel.js's PanelView). Pure: no DOM, so Node tests read exactly what it says.

import { formatText } from "../core/explain.js";

/** @typedef {import("./panel.js").PanelView} PanelView */
/** @typedef {import("../core/numeric.js").NumericCheck} NumericCheck */

/** What each verdict reads as (a kink and an unreliable estimate add their reason). */
const VERDICTS = {
  agree: "agrees with the grad",
  disagree: "does NOT agree with the grad",
  kink: "no verdict",
  unreliable: "no verdict",
};

/**
 * The numerical check of one node as a panel section. Hooks: `data-numeric` (the verdict:
 * agree, disagree, kink or unreliable) with `data-estimate`, `data-grad`, `data-relerr` and
 * `data-h`, all full-precision numbers.
 * @param {NumericCheck} c
 * @returns {PanelView}
 */
export function numericView(c) {
  const relerr = Number.isFinite(c.relerr) ? c.relerr.toExponential(1).replaceAll("-", "−") : formatText(c.relerr);
  const verdict = c.note ? `${VERDICTS[c.status]}: ${c.note}` : VERDICTS[c.status];
  const attrs = {
    class: "mgm-panel-numeric",
    "data-numeric": c.status,
    "data-estimate": String(c.estimate),
    "data-grad": String(c.grad),
    "data-relerr": String(c.relerr),
    "data-h": String(c.h),
  };
  return {
    tag: "div",
    attrs,
    children: [
      { tag: "div", attrs: { class: "mgm-panel-heading" }, text: "Numerical check" },
      {
        tag: "p",
        attrs: { class: "mgm-panel-chain" },
        text: `(f(v+h) − f(v−h)) / 2h with h = ${formatText(c.h)}: ${formatText(c.estimate)}; grad ${formatText(c.grad)}; relative error ${relerr}`,
      },
      { tag: "p", attrs: { class: "mgm-panel-note", "data-numeric-verdict": "" }, text: `The estimate ${verdict}.` },
    ],
  };
}
