// The anywidget entry point: the live computation graph with one slider per input.
//
// Model traits (see the project's CONTRACT): `graph` (schema-1 JSON, Python -> JS; a new
// structure means a new layout), `inputs` ([{name, id, value, min, max, step}], both ways) and
// `selected` (left to the explanations feature). A slider's `input` event recomputes forward and
// backward here and rewrites the numbers in place, with no kernel round trip, so the same bundle
// works in an exported page with a tiny in-page model. The new `inputs` go to the model when a
// drag ends and, debounced, while it lasts.

import { checkLeaf, createEvaluator, parseGraph } from "./engine.js";
import { nodeBoxes } from "./geometry.js";
import { layoutGraph } from "./layout.js";
import { renderGraph } from "./render.js";
import { createSliders } from "./sliders.js";
import { ensureStyle } from "./style.js";

/** Quiet time during a drag after which the inputs are written to the model. */
export const SYNC_DELAY_MS = 150;

/** Width of one character of the 12 px monospace font, a little generous (0.6 em is typical). */
const CHAR_WIDTH = 7.3;

/** Wide graphs shrink to fit the cell, but never below this scale (text stays readable). */
const MIN_SCALE = 0.7;

/** Room kept right of the output node when scrolling to it (its "→ output" marker). */
const OUTPUT_MARGIN = 90;

// Layouts by graph JSON object: two views of one model (the same widget displayed twice) lay
// out once.
const layouts = new WeakMap();

function render({ model, el }) {
  ensureStyle(el);
  const doc = el.ownerDocument;
  const root = doc.createElement("div");
  root.className = "mgm-root";
  el.appendChild(root);

  let view = null; // everything about the graph on screen; null while showing an error
  let timer = null;
  let observer = null;

  function build() {
    cancelSync();
    if (observer) observer.disconnect();
    observer = null;
    view = null;
    root.replaceChildren();
    const json = model.get("graph");
    const specs = model.get("inputs") ?? [];
    let g;
    let ids;
    try {
      g = parseGraph(json);
      ids = Int32Array.from(specs, (s) => {
        try {
          return checkLeaf(g, s.id);
        } catch (err) {
          throw new Error(`input '${s.name}': ${err.message}`);
        }
      });
    } catch (err) {
      const box = doc.createElement("div");
      box.className = "mgm-error";
      box.textContent = `micrograd_magic cannot draw this graph: ${err.message}`;
      root.appendChild(box);
      return;
    }
    const boxes = nodeBoxes(g, CHAR_WIDTH);
    let layout = layouts.get(json);
    if (!layout) {
      layout = layoutGraph(g, boxes);
      layouts.set(json, layout);
    }
    const evaluator = createEvaluator(g);
    const values = Float64Array.from(specs, (s) => s.value);
    const { data, grad } = startingNumbers(g, evaluator, ids, values);
    const scene = renderGraph(doc, g, boxes, layout, new Set(ids), data, grad);
    const sliders = createSliders(doc, specs, { onInput, onChange });
    const viewport = doc.createElement("div");
    viewport.className = "mgm-viewport";
    viewport.appendChild(scene.element);
    root.append(sliders.element, viewport);
    view = { json, g, evaluator, ids, values, specs, scene, sliders, viewport, synced: values.slice() };
    fitWhenSized(view);
  }

  /** Recompute with the current slider values and show the result. */
  function recompute() {
    const { data, grad } = view.evaluator.runLeaves(view.ids, view.values);
    view.scene.update(data, grad);
  }

  function onInput(index, value) {
    if (!view || Object.is(view.values[index], value)) return;
    view.values[index] = value;
    recompute();
    cancelSync();
    timer = setTimeout(sync, SYNC_DELAY_MS);
  }

  function onChange(index, value) {
    if (!view) return;
    if (!Object.is(view.values[index], value)) {
      view.values[index] = value;
      recompute();
    }
    sync();
  }

  function cancelSync() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  /** Write the slider values to the model, if they differ from what it last got from us. */
  function sync() {
    cancelSync();
    if (!view || view.values.every((v, j) => Object.is(v, view.synced[j]))) return;
    view.synced = view.values.slice();
    view.specs = view.specs.map((s, j) => ({ ...s, value: view.values[j] }));
    model.set("inputs", view.specs);
    model.save_changes();
  }

  /** Python set `inputs` (or rejected ours and sent its own back): move the sliders, recompute. */
  function onModelInputs() {
    if (!view) return build();
    const specs = model.get("inputs") ?? [];
    const sameSliders =
      specs.length === view.specs.length &&
      specs.every((s, j) => s.name === view.specs[j].name && s.id === view.ids[j]);
    if (!sameSliders) return build();
    cancelSync(); // the kernel's word wins over a drag value not sent yet
    view.specs = specs;
    view.sliders.setSpecs(specs);
    const values = Float64Array.from(specs, (s) => s.value);
    view.synced = values.slice();
    if (values.some((v, j) => !Object.is(v, view.values[j]))) {
      view.values = values;
      recompute();
    }
  }

  /** A new graph: same structure -> just new numbers; otherwise lay out and draw again. */
  function onModelGraph() {
    const json = model.get("graph");
    if (!view) return build();
    let g;
    try {
      g = parseGraph(json);
    } catch {
      return build(); // shows the error
    }
    if (!sameStructure(g, view.g)) return build();
    layouts.set(json, layouts.get(view.json));
    view.json = json;
    view.g = g;
    view.evaluator = createEvaluator(g);
    const { data, grad } = startingNumbers(g, view.evaluator, view.ids, view.values);
    view.scene.update(data, grad);
  }

  /**
   * Once the viewport has a width: shrink a wide graph to fit it (down to MIN_SCALE). A graph
   * that is wider but not taller than the viewport is read from its inputs on the left; one that
   * overflows both ways (an MLP) opens scrolled to its output node.
   */
  function fitWhenSized(current) {
    if (typeof ResizeObserver === "undefined") return;
    observer = new ResizeObserver(() => {
      const width = current.viewport.clientWidth;
      if (width === 0 || view !== current) return;
      observer.disconnect();
      observer = null;
      const { scene, viewport, g } = current;
      const scale = Math.max(MIN_SCALE, Math.min(1, width / scene.width));
      scene.setScale(scale);
      const height = viewport.clientHeight;
      if (scene.width * scale <= width || scene.height * scale <= height) return;
      const out = scene.nodeBox(g.output);
      viewport.scrollLeft = (out.left + out.width + OUTPUT_MARGIN) * scale - width;
      viewport.scrollTop = (out.top + out.height / 2) * scale - height / 2;
    });
    observer.observe(current.viewport);
  }

  model.on("change:graph", onModelGraph);
  model.on("change:inputs", onModelInputs);
  build();

  return () => {
    model.off("change:graph", onModelGraph);
    model.off("change:inputs", onModelInputs);
    cancelSync();
    if (observer) observer.disconnect();
    root.remove();
  };
}

/**
 * The numbers to show first: the graph's own (as Python computed them) when the sliders agree
 * with its leaves, else a fresh forward and backward pass with the slider values.
 */
function startingNumbers(g, evaluator, ids, values) {
  const agree = Array.prototype.every.call(ids, (id, j) => Object.is(g.data[id], values[j]));
  if (agree) return { data: g.data, grad: g.grad };
  return evaluator.runLeaves(ids, values);
}

/** Whether two parsed graphs have the same nodes, ops, operands, exponents and labels. */
function sameStructure(g, h) {
  if (g.size !== h.size || g.output !== h.output) return false;
  for (let i = 0; i < g.size; i++) {
    if (g.ops[i] !== h.ops[i] || g.a[i] !== h.a[i] || g.b[i] !== h.b[i]) return false;
    if (!Object.is(g.k[i], h.k[i]) || g.labels[i] !== h.labels[i]) return false;
  }
  return true;
}

export default { render };
