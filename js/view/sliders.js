// One range slider per input of the `inputs` trait, with its name and current value.
//
// Native <input type="range"> elements: arrow keys, Page Up/Down and Home/End work, and every
// move fires `input` (continuously) and `change` (when the move ends), which the widget turns
// into a recompute and a sync. `data-lm-suppress-shortcuts` must sit on the input element itself
// or JupyterLab's notebook shortcuts take the arrow keys.

import { formatInputValue, stepDecimals } from "../core/format.js";

/** @typedef {import("../widget/model-sync.js").InputSpec} InputSpec */

/**
 * @typedef {object} Sliders
 * @property {HTMLElement} element
 * @property {(specs: InputSpec[]) => void} setSpecs
 */

/**
 * Build the slider panel for `specs` ([{name, id, value, min, max, step}]).
 * `onInput(index, value)` runs on every `input` event, `onChange(index, value)` on `change`.
 * Returns {element, setSpecs(specs)}.
 * @param {Document} doc
 * @param {InputSpec[]} specs
 * @param {{onInput: (index: number, value: number) => void, onChange: (index: number, value: number) => void}} handlers
 * @returns {Sliders}
 */
export function createSliders(doc, specs, { onInput, onChange }) {
  const element = doc.createElement("div");
  element.className = "mgm-sliders";
  /** @type {HTMLInputElement[]} */
  const inputs = [];
  /** @type {Text[]} each readout's text, rewritten in place */
  const readouts = [];
  // Every readout shows as many decimals as the finest step has ("2.00" and "3.00", not "2.00"
  // beside "3.0"): values of one kind read alike, and none hides a step its slider took.
  let finest = 1;

  specs.forEach((spec, index) => {
    const row = doc.createElement("label");
    row.className = "mgm-slider";
    const name = doc.createElement("span");
    name.className = "mgm-slider-name";
    name.textContent = spec.name;
    const input = doc.createElement("input");
    input.type = "range";
    input.setAttribute("data-input", spec.name);
    input.setAttribute("data-lm-suppress-shortcuts", "true");
    input.setAttribute("aria-label", spec.name);
    const readout = doc.createElement("output");
    readout.className = "mgm-slider-value";
    const text = doc.createTextNode("");
    readout.appendChild(text);
    input.addEventListener("input", () => {
      showValue(index, input.valueAsNumber);
      onInput(index, input.valueAsNumber);
    });
    input.addEventListener("change", () => {
      showValue(index, input.valueAsNumber);
      onChange(index, input.valueAsNumber);
    });
    row.append(name, input, readout);
    element.appendChild(row);
    inputs.push(input);
    readouts.push(text);
  });

  /**
   * @param {number} index
   * @param {number} value
   */
  function showValue(index, value) {
    // Into the readout's one Text node, and only a new text: replacing the node (textContent)
    // on every move made the browser lay the node out anew even when the text read the same.
    const text = formatInputValue(value, finest);
    if (readouts[index].data !== text) readouts[index].data = text;
  }

  /**
   * Move the sliders to `specs` (same names and order as when built): range, step and value.
   * Range before value, since the browser clamps a value to the range it has at that moment.
   * @param {InputSpec[]} newSpecs
   */
  function setSpecs(newSpecs) {
    finest = newSpecs.reduce((f, s) => (stepDecimals(s.step) > stepDecimals(f) ? s.step : f), 1);
    newSpecs.forEach((spec, index) => {
      const input = inputs[index];
      setIfChanged(input, "min", spec.min);
      setIfChanged(input, "max", spec.max);
      setIfChanged(input, "step", spec.step);
      if (input.valueAsNumber !== spec.value) input.value = String(spec.value);
      input.title = `${spec.name}: ${spec.min} to ${spec.max}, step ${spec.step}`;
      // The spec's own value, which is what the graph is computed with, even if it is off the
      // slider's grid and the browser shows the knob at the nearest step.
      showValue(index, spec.value);
    });
  }

  setSpecs(specs);
  return { element, setSpecs };
}

/**
 * @param {Element} input
 * @param {string} attribute
 * @param {number} value
 */
function setIfChanged(input, attribute, value) {
  const text = String(value);
  if (input.getAttribute(attribute) !== text) input.setAttribute(attribute, text);
}
