// The widget's controls: the toolbar (step-through of backprop, zoom buttons), the step caption
// (a live region that says what the current step does) and the gradient colour legend.
//
// The step position is widget state (the model's `step`: null in normal mode, else 0..total,
// where total = explain.js's stepSequence(graph).length): stepAfter() is the state machine,
// pure and tested in Node; createControls() draws the buttons and reports presses. Every control
// is a real <button> with a text label and `data-lm-suppress-shortcuts`, so that JupyterLab's
// notebook shortcuts leave Enter and Space to it. An unavailable button (Back at step 0) is
// aria-disabled rather than disabled, so the keyboard focus stays on it.

import { busyWhileLive } from "./live-region.js";

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
 */
export function checkedStep(value, total) {
  if (value === null || value === undefined) return null;
  if (Number.isInteger(value) && value >= 0 && value <= total) return value;
  return undefined;
}

/** Which step buttons can act at `step` of `total`: {back, next, run}. */
export function stepButtons(step, total) {
  return { back: step !== null && step > 0, next: step === null || step < total, run: step !== total };
}

/**
 * Whether node `id`'s grad is final after `step` steps of `steps` (explain.js's stepSequence):
 * steps run in reverse topological order, so it is once the next step is the node's own or an
 * earlier node's, every node that uses it having passed its grad on. A node the output does not
 * depend on (`affectsOutput` false) keeps grad 0 throughout.
 */
export function gradIsFinal(steps, step, id, affectsOutput = true) {
  if (!affectsOutput || step === steps.length) return true;
  return step > 0 && steps[step].node <= id;
}

/** The short position readout, e.g. "step 3 / 5". */
export function stepCounter(step, total) {
  return `step ${step} / ${total}`;
}

// Button icons as SVG paths on a 12 x 12 grid (font glyphs like ⏮ are missing from many fonts).
const ICONS = {
  reset: "M1.5 2h1.7v8H1.5zM10.5 2 4 6l6.5 4z",
  back: "M9 2 3 6l6 4z",
  next: "M3 2l6 4-6 4z",
  run: "M1 2l4.5 4L1 10zM5.5 2 10 6l-4.5 4zM10 2h1.5v8H10z",
  exit: "M2.2 3.3 3.3 2.2 6 4.9l2.7-2.7 1.1 1.1L7.1 6l2.7 2.7-1.1 1.1L6 7.1 3.3 9.8 2.2 8.7 4.9 6z",
};
const SVG_NS = "http://www.w3.org/2000/svg";

const LEGEND = [
  ["pos", "> 0", "positive"],
  ["neg", "< 0", "negative"],
  ["zero", "0", "zero"],
  ["nonfinite", "NaN, ∞", "not a number or infinite"],
];

/**
 * The toolbar, the step caption and the legend: {element, caption, legend, setStep(step, total,
 * description), setZoom(scale, {in, out}), destroy()}. `onAction(action)` runs when a button is pressed (never for an
 * aria-disabled one). `description` is explain.js's stepDescription() for the step (null in
 * normal mode).
 */
export function createControls(doc, { onAction }) {
  const make = (tag, className, text) => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  // A legend's colour sample for a grad sign; decorative, the text beside it says the same.
  const swatchOf = (sign) => {
    const swatch = make("span", "mgm-swatch");
    swatch.setAttribute("data-swatch", sign);
    swatch.setAttribute("aria-hidden", "true");
    return swatch;
  };
  const buttons = {};
  function button(action, text, { label, icon, title } = {}) {
    const b = make("button", "mgm-button");
    b.type = "button";
    b.setAttribute("data-action", action);
    b.setAttribute("data-lm-suppress-shortcuts", "true");
    if (icon && ICONS[icon]) {
      const svg = doc.createElementNS(SVG_NS, "svg");
      svg.setAttribute("class", "mgm-icon");
      svg.setAttribute("viewBox", "0 0 12 12");
      svg.setAttribute("width", "12");
      svg.setAttribute("height", "12");
      svg.setAttribute("aria-hidden", "true");
      const path = doc.createElementNS(SVG_NS, "path");
      path.setAttribute("d", ICONS[icon]);
      svg.appendChild(path);
      b.appendChild(svg);
    } else if (icon) {
      const mark = make("span", "mgm-icon", icon);
      mark.setAttribute("aria-hidden", "true");
      b.appendChild(mark);
    }
    if (text) b.appendChild(make("span", "mgm-button-text", text));
    if (label) b.setAttribute("aria-label", label);
    if (title) b.title = title;
    buttons[action] = b;
    return b;
  }

  const element = make("div", "mgm-toolbar");

  const stepGroup = make("div", "mgm-group mgm-step-group");
  stepGroup.setAttribute("role", "group");
  stepGroup.setAttribute("aria-label", "Step through backprop");
  const reset = button("step-reset", "Step through backprop", {
    icon: "reset",
    title: "Set every grad to 0, then replay backprop one node at a time",
  });
  const stepOnly = make("span", "mgm-step-only");
  stepOnly.hidden = true;
  const counter = make("span", "mgm-step-count");
  stepOnly.append(
    button("step-back", "Back", { icon: "back", title: "Undo the last step" }),
    counter,
    button("step-next", "Next", { icon: "next", title: "Do the next step of backprop" }),
    button("step-run", "Run all", { icon: "run", title: "Do every remaining step" }),
    button("step-exit", "Done", { icon: "exit", title: "Leave step mode and show the full grads" }),
  );
  stepGroup.append(reset, stepOnly);

  const legend = make("div", "mgm-legend");
  legend.setAttribute("data-legend", "");
  legend.setAttribute("role", "note");
  legend.setAttribute("aria-label", "Gradient colours");
  legend.appendChild(make("span", "mgm-legend-title", "grad"));
  for (const [sign, text, words] of LEGEND) {
    const key = make("span", "mgm-key");
    key.append(swatchOf(sign), make("span", "", text));
    key.title = `grad ${words}`;
    legend.appendChild(key);
  }
  const ramp = make("span", "mgm-key mgm-ramp");
  ramp.title = "The tint deepens with |grad| relative to the largest in the graph (log scale)";
  for (const level of [1, 2, 3, 4]) {
    const swatch = swatchOf("pos");
    swatch.setAttribute("data-level", String(level));
    ramp.appendChild(swatch);
  }
  ramp.appendChild(make("span", "", "deeper = larger |grad|"));
  legend.appendChild(ramp);

  const zoomGroup = make("div", "mgm-group mgm-zoom-group");
  zoomGroup.setAttribute("role", "group");
  zoomGroup.setAttribute("aria-label", "Zoom");
  const level = make("span", "mgm-zoom-level", "100%");
  zoomGroup.append(
    button("zoom-out", "", { icon: "−", label: "Zoom out", title: "Zoom out (Ctrl or ⌘ + wheel, or −)" }),
    level,
    button("zoom-in", "", { icon: "+", label: "Zoom in", title: "Zoom in (Ctrl or ⌘ + wheel, or +)" }),
    button("zoom-fit", "Fit", { title: "Show the whole graph (0)", label: "Fit the whole graph in view" }),
  );

  element.append(stepGroup, zoomGroup);

  const caption = make("div", "mgm-step-caption");
  caption.setAttribute("data-step-caption", "");
  caption.setAttribute("role", "status");
  caption.setAttribute("aria-live", "polite");
  caption.hidden = true;
  const captionHead = make("div", "mgm-step-head");
  const captionList = make("ul", "mgm-step-list");
  caption.append(captionHead, captionList);

  element.addEventListener("click", (event) => {
    const b = event.target.closest("button[data-action]");
    if (!b || !element.contains(b) || b.getAttribute("aria-disabled") === "true") return;
    onAction(b.getAttribute("data-action"));
  });

  let shown = { step: null, head: "", items: [] };
  const captionBusy = busyWhileLive();

  function setEnabled(action, on) {
    const b = buttons[action];
    if (on) b.removeAttribute("aria-disabled");
    else b.setAttribute("aria-disabled", "true");
  }

  /** Show step `step` of `total` (null: normal mode) and what it does. */
  function setStep(step, total, description) {
    const stepping = step !== null;
    stepOnly.hidden = !stepping;
    caption.hidden = !stepping;
    reset.querySelector(".mgm-button-text").textContent = stepping ? "Restart" : "Step through backprop";
    const can = stepButtons(step, total);
    setEnabled("step-back", can.back);
    setEnabled("step-next", can.next);
    setEnabled("step-run", can.run);
    if (!stepping) {
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
      captionList.replaceChildren(...items.map((text) => make("li", "", text)));
    } else {
      items.forEach((text, i) => {
        if (text !== shown.items[i]) captionList.children[i].textContent = text;
      });
    }
    shown = { step, head, items };
    captionBusy.changed(caption, live);
  }

  /** Show the zoom level, e.g. "70%", and whether zooming further in and out is possible. */
  function setZoom(scale, room = { in: true, out: true }) {
    level.textContent = `${Math.round(scale * 100)}%`;
    setEnabled("zoom-in", room.in);
    setEnabled("zoom-out", room.out);
  }

  return {
    element,
    caption,
    legend,
    setStep,
    setZoom,
    destroy() {
      captionBusy.stop();
    },
  };
}
