// The widget's controls in the toolbar (view/toolbar.js): the step-through of backprop with its
// caption (a live region that says what the current step does), the zoom buttons, and the
// gradient colour legend.
//
// The step position is widget state (the model's `step`: null in normal mode, else 0..total,
// where total = explain.js's stepSequence(graph).length): stepAfter() is the state machine,
// pure and tested in Node; createStepControls() draws its buttons and caption. Presses reach
// the features through the buttons' `data-action` (see widget/controller.js).

import { busyWhileLive } from "./live-region.js";
import { make } from "./toolbar.js";

/** @typedef {import("./toolbar.js").Toolbar} Toolbar */
/** @typedef {import("../core/explain.js").StepDescription} StepDescription */
/** @typedef {import("../core/explain.js").Step} Step */

/** Every action a toolbar button can ask for (its `data-action`). */
export const ACTIONS = Object.freeze([
  "step-reset",
  "step-back",
  "step-next",
  "step-run",
  "step-exit",
  "zoom-out",
  "zoom-in",
  "zoom-fit",
]);

/**
 * The step position after `action` from position `step` (null: normal mode) of `total` steps:
 * reset goes to 0 (all grads zero), back and next move by one within 0..total, run goes to the
 * end (the full backward pass), exit leaves step mode (null). Next and run also enter step mode.
 * @param {string} action
 * @param {number | null} step
 * @param {number} total
 * @returns {number | null}
 */
export function stepAfter(action, step, total) {
  switch (action) {
    case "step-reset":
      return 0;
    case "step-back":
      return step === null ? null : Math.max(0, step - 1);
    case "step-next":
      return step === null ? 0 : Math.min(total, step + 1);
    case "step-run":
      return total;
    case "step-exit":
      return null;
    default:
      throw new Error(`not a step action: ${JSON.stringify(action)}`);
  }
}

/**
 * A `step` value from the model as a position for `total` steps: null (normal mode) for null or
 * undefined (a kernel that has no `step` trait yet), the integer itself within 0..total, and
 * undefined for anything else (an invalid value, to be ignored).
 * @param {unknown} value
 * @param {number} total
 * @returns {number | null | undefined}
 */
export function checkedStep(value, total) {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= total) return value;
  return undefined;
}

/**
 * Which step buttons can act at `step` of `total`: {back, next, run}.
 * @param {number | null} step
 * @param {number} total
 * @returns {{back: boolean, next: boolean, run: boolean}}
 */
export function stepButtons(step, total) {
  return { back: step !== null && step > 0, next: step === null || step < total, run: step !== total };
}

/**
 * Whether node `id`'s grad is final after `step` steps of `steps` (explain.js's stepSequence):
 * steps run in reverse topological order, so it is once the next step is the node's own or an
 * earlier node's, every node that uses it having passed its grad on. A node the output does not
 * depend on (`affectsOutput` false) keeps grad 0 throughout.
 * @param {ReadonlyArray<Step>} steps
 * @param {number} step
 * @param {number} id
 * @param {boolean} [affectsOutput]
 * @returns {boolean}
 */
export function gradIsFinal(steps, step, id, affectsOutput = true) {
  if (!affectsOutput || step === steps.length) return true;
  return step > 0 && steps[step].node <= id;
}

/**
 * The short position readout, e.g. "step 3 / 5".
 * @param {number} step
 * @param {number} total
 * @returns {string}
 */
export function stepCounter(step, total) {
  return `step ${step} / ${total}`;
}

// Button icons as SVG paths on a 12 x 12 grid.
const ICONS = {
  reset: "M1.5 2h1.7v8H1.5zM10.5 2 4 6l6.5 4z",
  back: "M9 2 3 6l6 4z",
  next: "M3 2l6 4-6 4z",
  run: "M1 2l4.5 4L1 10zM5.5 2 10 6l-4.5 4zM10 2h1.5v8H10z",
  exit: "M2.2 3.3 3.3 2.2 6 4.9l2.7-2.7 1.1 1.1L7.1 6l2.7 2.7-1.1 1.1L6 7.1 3.3 9.8 2.2 8.7 4.9 6z",
};

/** @type {ReadonlyArray<[string, string, string]>} sign, legend text, words for the tooltip */
const LEGEND = [
  ["pos", "> 0", "positive"],
  ["neg", "< 0", "negative"],
  ["zero", "0", "zero"],
  ["nonfinite", "NaN, ∞", "not a number or infinite"],
];

/**
 * @typedef {object} StepControls
 * @property {HTMLElement} caption the step caption, to place below the toolbar
 * @property {(step: number | null, total: number, description: StepDescription | null) => void} setStep
 *   show step `step` of `total` (null: normal mode) and what it does (explain.js's
 *   stepDescription(), null in normal mode)
 * @property {() => void} destroy
 */

/**
 * The step-through's button group, added to `toolbar`, and its caption.
 * @param {Document} doc
 * @param {Toolbar} toolbar
 * @returns {StepControls}
 */
export function createStepControls(doc, toolbar) {
  const group = toolbar.group("Step through backprop", "mgm-step-group");
  const reset = toolbar.button("step-reset", "Step through backprop", {
    iconPath: ICONS.reset,
    title: "Set every grad to 0, then replay backprop one node at a time",
  });
  const resetText = /** @type {HTMLElement} */ (reset.querySelector(".mgm-button-text"));
  const stepOnly = make(doc, "span", "mgm-step-only");
  stepOnly.hidden = true;
  const counter = make(doc, "span", "mgm-step-count");
  stepOnly.append(
    toolbar.button("step-back", "Back", { iconPath: ICONS.back, title: "Undo the last step" }),
    counter,
    toolbar.button("step-next", "Next", { iconPath: ICONS.next, title: "Do the next step of backprop" }),
    toolbar.button("step-run", "Run all", { iconPath: ICONS.run, title: "Do every remaining step" }),
    toolbar.button("step-exit", "Done", { iconPath: ICONS.exit, title: "Leave step mode and show the full grads" }),
  );
  group.append(reset, stepOnly);

  const caption = make(doc, "div", "mgm-step-caption");
  caption.setAttribute("data-step-caption", "");
  caption.setAttribute("role", "status");
  caption.setAttribute("aria-live", "polite");
  caption.hidden = true;
  const captionHead = make(doc, "div", "mgm-step-head");
  const captionList = make(doc, "ul", "mgm-step-list");
  caption.append(captionHead, captionList);

  /** @type {{step: number | null, head: string, items: string[]}} */
  let shown = { step: null, head: "", items: [] };
  const captionBusy = busyWhileLive();

  return {
    caption,
    setStep(step, total, description) {
      const stepping = step !== null;
      stepOnly.hidden = !stepping;
      caption.hidden = !stepping;
      resetText.textContent = stepping ? "Restart" : "Step through backprop";
      const can = stepButtons(step, total);
      toolbar.setEnabled("step-back", can.back);
      toolbar.setEnabled("step-next", can.next);
      toolbar.setEnabled("step-run", can.run);
      if (step === null || description === null) {
        captionBusy.changed(caption, false);
        shown = { step: null, head: "", items: [] };
        return;
      }
      counter.textContent = stepCounter(step, total);
      const head = `Step ${step} of ${total}. ${description.text}`;
      const items = description.contributions.map((c) => c.text);
      // The same step with new numbers (a slider moves): let screen readers wait for them to rest.
      const live = shown.step === step;
      if (head !== shown.head) captionHead.textContent = head;
      if (items.length !== shown.items.length) {
        captionList.replaceChildren(...items.map((text) => make(doc, "li", "", text)));
      } else {
        items.forEach((text, i) => {
          if (text !== shown.items[i]) captionList.children[i].textContent = text;
        });
      }
      shown = { step, head, items };
      captionBusy.changed(caption, live);
    },
    destroy() {
      captionBusy.stop();
    },
  };
}

/**
 * Which way the zoom can still go.
 * @typedef {object} ZoomRoom
 * @property {boolean} in
 * @property {boolean} out
 */

/**
 * The zoom buttons' group, added to `toolbar`: out, the level, in, and fit. Returns
 * {setZoom(scale, room)}, which shows the zoom level, e.g. "70%", and whether zooming further
 * in and out is possible.
 * @param {Document} doc
 * @param {Toolbar} toolbar
 * @returns {{setZoom: (scale: number, room?: ZoomRoom) => void}}
 */
export function createZoomControls(doc, toolbar) {
  const group = toolbar.group("Zoom", "mgm-zoom-group");
  const level = make(doc, "span", "mgm-zoom-level", "100%");
  group.append(
    toolbar.button("zoom-out", "", { iconText: "−", label: "Zoom out", title: "Zoom out (Ctrl or ⌘ + wheel, or −)" }),
    level,
    toolbar.button("zoom-in", "", { iconText: "+", label: "Zoom in", title: "Zoom in (Ctrl or ⌘ + wheel, or +)" }),
    toolbar.button("zoom-fit", "Fit", { title: "Show the whole graph (0)", label: "Fit the whole graph in view" }),
  );
  return {
    setZoom(scale, room = { in: true, out: true }) {
      level.textContent = `${Math.round(scale * 100)}%`;
      toolbar.setEnabled("zoom-in", room.in);
      toolbar.setEnabled("zoom-out", room.out);
    },
  };
}

/**
 * The gradient colour legend: one swatch per grad sign and the ramp of magnitudes.
 * @param {Document} doc
 * @returns {HTMLElement}
 */
export function createLegend(doc) {
  // A colour sample for a grad sign; decorative, the text beside it says the same.
  /** @param {string} sign */
  const swatchOf = (sign) => {
    const swatch = make(doc, "span", "mgm-swatch");
    swatch.setAttribute("data-swatch", sign);
    swatch.setAttribute("aria-hidden", "true");
    return swatch;
  };
  const legend = make(doc, "div", "mgm-legend");
  legend.setAttribute("data-legend", "");
  legend.setAttribute("role", "note");
  legend.setAttribute("aria-label", "Gradient colours");
  legend.appendChild(make(doc, "span", "mgm-legend-title", "grad"));
  for (const [sign, text, words] of LEGEND) {
    const key = make(doc, "span", "mgm-key");
    key.append(swatchOf(sign), make(doc, "span", "", text));
    key.title = `grad ${words}`;
    legend.appendChild(key);
  }
  const ramp = make(doc, "span", "mgm-key mgm-ramp");
  ramp.title = "The tint deepens with |grad| relative to the largest in the graph (log scale)";
  for (const level of [1, 2, 3, 4]) {
    const swatch = swatchOf("pos");
    swatch.setAttribute("data-level", String(level));
    ramp.appendChild(swatch);
  }
  ramp.appendChild(make(doc, "span", "", "deeper = larger |grad|"));
  legend.appendChild(ramp);
  return legend;
}
