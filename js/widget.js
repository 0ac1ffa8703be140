// The anywidget entry point: the live computation graph with one slider per input, a details
// panel that explains the selected node's grad, a step-through of backprop, pan and zoom.
//
// Model traits (see the project's CONTRACT): `graph` (schema-1 JSON, Python -> JS; a new
// structure means a new layout), `inputs` ([{name, id, value, min, max, step}], both ways),
// `selected` (a node id or null, both ways) and `step` (null in normal mode, else the number of
// backprop steps done, 0..stepSequence(graph).length; both ways). A slider's `input` event
// recomputes forward and backward here and rewrites the numbers (and the panel and step caption)
// in place, with no kernel round trip, so the same bundle works in an exported page with a tiny
// in-page model. The new `inputs` go to the model when a drag ends and, debounced, while it
// lasts; `selected` and `step` go at once. A slider moved in step mode keeps the step position and
// recomputes it with the new numbers.
//
// Saving may fail where there is no kernel (MyST's host throws "save_changes not implemented");
// the page then simply keeps its own state.

import { createControls, checkedStep, gradIsFinal, stepAfter } from "./view/controls.js";
import { checkLeaf, createEvaluator, parseGraph } from "./core/engine.js";
import {
  explainNode,
  formatText,
  gradsAfterStep,
  pathToOutput,
  stepDescription,
  stepSequence,
} from "./core/explain.js";
import { nodeBoxes } from "./layout/geometry.js";
import { layoutGraph } from "./layout/index.js";
import { createNavigation, moveFocus } from "./view/navigation.js";
import { createPanel } from "./view/panel.js";
import { renderGraph } from "./view/render.js";
import { createSliders } from "./view/sliders.js";
import { ensureStyle } from "./view/style.js";
import { ZOOM, createViewport } from "./view/viewport.js";

/** Quiet time during a drag after which the inputs are written to the model. */
export const SYNC_DELAY_MS = 150;

/** Width of one character of the 12 px monospace font, a little generous (0.6 em is typical). */
const CHAR_WIDTH = 7.3;

// Layouts by graph JSON object: two views of one model (the same widget displayed twice) lay
// out once.
const layouts = new WeakMap();

/** A node id from the model: the id itself if it names a node of a graph of `size` nodes, else null. */
function checkedNode(value, size) {
  return Number.isInteger(value) && value >= 0 && value < size ? value : null;
}

function render({ model, el }) {
  ensureStyle(el);
  const doc = el.ownerDocument;
  const root = doc.createElement("div");
  root.className = "mgm-root";
  el.appendChild(root);

  let view = null; // everything about the graph on screen; null while showing an error
  let timer = null;
  let focused = null; // the node holding the keyboard focus, which gets a spoken label

  /** Write keys to the model; a host without a kernel behind it may refuse, which is fine. */
  function save(changes) {
    try {
      for (const [key, value] of Object.entries(changes)) model.set(key, value);
      model.save_changes();
    } catch {
      // No kernel to tell (MyST's anywidget host throws here): the page keeps its own state.
    }
  }

  function teardown() {
    cancelSync();
    focused = null;
    if (!view) return;
    view.uncull();
    view.viewport.destroy();
    view.controls.destroy();
    view.panel.destroy();
    view = null;
  }

  function build() {
    teardown();
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
    const controls = createControls(doc, { onAction });
    const viewport = createViewport(doc, scene, { onZoom: controls.setZoom });
    const side = doc.createElement("div");
    side.className = "mgm-side";
    const panel = createPanel(side);
    const main = doc.createElement("div");
    main.className = "mgm-main";
    main.append(viewport.element, controls.legend);
    const body = doc.createElement("div");
    body.className = "mgm-body";
    body.append(main, side);
    root.append(sliders.element, controls.element, controls.caption, body);
    const cx = Float64Array.from(boxes, (b, i) => layout.left[i] + b.width / 2);
    const cy = Float64Array.from(boxes, (b, i) => layout.top[i] + b.height / 2);
    view = {
      json,
      g,
      evaluator,
      ids,
      values,
      specs,
      data,
      grad,
      scene,
      uncull: scene.cull(viewport.element),
      sliders,
      controls,
      viewport,
      panel,
      synced: values.slice(),
      steps: stepSequence(g),
      nav: null, // built on the first arrow key: a big graph need not pay for it up front
      centers: { cx, cy },
      selected: null,
      step: null,
    };
    scene.nodesElement.addEventListener("keydown", onGraphKey);
    scene.nodesElement.addEventListener("focusin", onNodeFocus);
    scene.nodesElement.addEventListener("focusout", onNodeBlur);
    viewport.element.addEventListener("click", onGraphClick);
    // Whatever the model holds already (a re-displayed widget, an exported page's state).
    setStep(checkedStep(model.get("step"), view.steps.length) ?? null, { save: false });
    select(checkedNode(model.get("selected"), g.size), { save: false });
    viewport.startWhenSized();
  }

  // --- numbers -------------------------------------------------------------------------------

  /** The grads to draw: the full pass, or in step mode those after the steps done so far. */
  function shownGrads() {
    return view.step === null ? view.grad : gradsAfterStep(view.g, view.data, view.step);
  }

  /** Draw the current numbers everywhere: nodes, the panel, the step caption. */
  function refresh() {
    const grads = shownGrads();
    view.scene.update(view.data, grads);
    showPanel(grads);
    if (view.step !== null) {
      view.controls.setStep(view.step, view.steps.length, stepDescription(view.g, view.data, view.step));
    }
    labelFocusedNode();
  }

  /** Recompute with the current slider values and show the result. */
  function recompute() {
    const { data, grad } = view.evaluator.runLeaves(view.ids, view.values);
    view.data = data;
    view.grad = grad;
    refresh();
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
    save({ inputs: view.specs });
  }

  // --- selection and the details panel --------------------------------------------------------

  function showPanel(grads) {
    const id = view.selected;
    if (id === null) return view.panel.clear();
    const explanation = explainNode(view.g, view.data, view.grad, id);
    let progress = null;
    if (view.step !== null) {
      progress = {
        step: view.step,
        total: view.steps.length,
        grad: grads[id],
        gradText: formatText(grads[id]),
        complete: gradIsFinal(view.steps, view.step, id, explanation.affectsOutput),
      };
    }
    view.panel.show(explanation, progress);
  }

  /**
   * Select node `id` (null: clear): mark it and its paths to the output, explain it in the
   * panel, and (unless `save` is false, for changes that came from the model) tell the model.
   */
  function select(id, { save: tell = true } = {}) {
    const { scene } = view;
    if (id !== view.selected) {
      view.selected = id;
      scene.markNodes("data-selected", id === null ? [] : [[id, "true"]]);
      const path = id === null ? { nodes: [], edges: [] } : pathToOutput(view.g, id);
      scene.markPath(path.nodes, path.edges);
      showPanel(shownGrads());
      labelFocusedNode();
    }
    if (tell && model.get("selected") !== id) save({ selected: id });
  }

  function onModelSelected() {
    if (!view) return;
    const id = checkedNode(model.get("selected"), view.g.size);
    if (id === view.selected) return;
    select(id, { save: false });
    if (id !== null) {
      view.scene.setTabStop(id);
      view.viewport.reveal(view.scene.nodeBox(id));
    }
  }

  /** A click in the graph selects the node under it; one on the background clears. */
  function onGraphClick(event) {
    const id = view.scene.nodeId(event.target);
    // Focus first: focusing after the path marks would make the browser restyle every marked
    // node at once, synchronously (30 ms for an input of the MLP), instead of in the next frame.
    if (id !== null) focusNode(id, false);
    select(id);
  }

  // --- keyboard -------------------------------------------------------------------------------

  /** Move the focus to node `id` (the graph's tab stop from now on), scrolling it into view. */
  function focusNode(id, reveal = true) {
    view.scene.setTabStop(id);
    if (reveal) view.viewport.reveal(view.scene.nodeBox(id));
    view.scene.wake(id);
    const node = view.scene.nodeElement(id);
    if (node.ownerDocument.activeElement !== node) node.focus({ preventScroll: true });
  }

  function onGraphKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const id = view.scene.nodeId(event.target);
    if (id === null) return;
    const key = event.key;
    let handled = true;
    if (key === "Enter" || key === " ") select(id);
    else if (key === "+" || key === "=") view.viewport.zoomBy(ZOOM.step);
    else if (key === "-" || key === "_") view.viewport.zoomBy(1 / ZOOM.step);
    else if (key === "0") view.viewport.fit();
    else {
      if (!view.nav) view.nav = createNavigation(view.centers.cx, view.centers.cy);
      const next = moveFocus(view.nav, id, key);
      if (next === null) handled = false;
      else focusNode(next);
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  /** Escape anywhere in the widget clears the selection. */
  function onRootKey(event) {
    if (event.key !== "Escape" || !view || view.selected === null) return;
    select(null);
    event.preventDefault();
    event.stopPropagation();
  }

  function onNodeFocus(event) {
    const id = view.scene.nodeId(event.target);
    if (id === null) return;
    focused = id;
    view.scene.setTabStop(id);
    labelFocusedNode();
  }

  function onNodeBlur(event) {
    const id = view.scene.nodeId(event.target);
    if (id !== null) view.scene.nodeElement(id).removeAttribute("aria-label");
    focused = null;
  }

  /** The focused node's accessible name: what it is, its numbers and whether it is selected. */
  function labelFocusedNode() {
    if (focused === null || !view) return;
    const grads = view.step === null ? view.grad : shownGrads();
    const parts = [
      view.scene.describe(focused),
      `data ${formatText(view.data[focused])}`,
      `grad ${formatText(grads[focused])}`,
    ];
    if (focused === view.selected) parts.push("selected");
    view.scene.nodeElement(focused).setAttribute("aria-label", parts.join(", "));
  }

  // --- step-through and the toolbar -------------------------------------------------------------

  /**
   * Go to step position `step` (null: normal mode): the nodes show the grads after that many
   * steps, the step's node and the operands it passes grad to are marked, the caption says what
   * it does.
   */
  function setStep(step, { save: tell = true } = {}) {
    const { scene, controls, steps } = view;
    view.step = step;
    let description = null;
    if (step === null) {
      scene.markNodes("data-step-role", []);
      scene.markStep([]);
    } else {
      description = stepDescription(view.g, view.data, step);
      const roles = [];
      const edges = [];
      if (description.node !== null) roles.push([description.node, "source"]);
      for (const c of description.contributions) {
        if (c.from === null) continue;
        roles.push([c.to, "target"]);
        edges.push({ from: c.to, to: c.from, arg: c.arg });
      }
      scene.markNodes("data-step-role", roles);
      scene.markStep(edges);
    }
    root.toggleAttribute("data-stepping", step !== null);
    controls.setStep(step, steps.length, description);
    const grads = shownGrads();
    scene.update(view.data, grads);
    showPanel(grads);
    labelFocusedNode();
    if (tell && (model.get("step") ?? null) !== step) save({ step });
  }

  function onModelStep() {
    if (!view) return;
    const step = checkedStep(model.get("step"), view.steps.length);
    if (step === undefined || step === view.step) return; // invalid values are ignored
    setStep(step, { save: false });
    if (step !== null && step > 0) view.viewport.reveal(view.scene.nodeBox(view.steps[step - 1].node));
  }

  function onAction(action) {
    if (!view) return;
    switch (action) {
      case "zoom-in":
        return view.viewport.zoomBy(ZOOM.step);
      case "zoom-out":
        return view.viewport.zoomBy(1 / ZOOM.step);
      case "zoom-fit":
        return view.viewport.fit();
      default: {
        const step = stepAfter(action, view.step, view.steps.length);
        if (step === view.step) return;
        setStep(step);
        // Keep the step's own node in view while walking a big graph.
        if (step !== null && step > 0) view.viewport.reveal(view.scene.nodeBox(view.steps[step - 1].node));
      }
    }
  }

  // --- the model changing under us ------------------------------------------------------------

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
    view.data = data;
    view.grad = grad;
    refresh();
  }

  model.on("change:graph", onModelGraph);
  model.on("change:inputs", onModelInputs);
  model.on("change:selected", onModelSelected);
  model.on("change:step", onModelStep);
  root.addEventListener("keydown", onRootKey);
  build();

  return () => {
    model.off("change:graph", onModelGraph);
    model.off("change:inputs", onModelInputs);
    model.off("change:selected", onModelSelected);
    model.off("change:step", onModelStep);
    teardown();
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
