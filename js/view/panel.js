// The details panel of a clicked node: its value, grad, local derivatives and the chain-rule sum,
// as plain text (screen-reader friendly), from an explanation object of explain.js's explainNode().
//
// Two layers: panelView() turns an explanation into a small tree of plain objects (pure, tested
// in Node), and createPanel() keeps that tree in the DOM, patching only the texts and attributes
// that changed, because the panel is refreshed on every slider `input` event. Every text goes in
// through textContent, never innerHTML: labels are user text.

import { OPS } from "../core/ops-table.js";
import { busyWhileLive } from "./live-region.js";

/** @typedef {import("../core/explain.js").Explanation} Explanation */

/**
 * A panel element as plain data: a tag, its attributes, and a text or children.
 * @typedef {object} PanelView
 * @property {string} tag
 * @property {Record<string, string>} attrs
 * @property {string} [text]
 * @property {PanelView[]} [children]
 */

/**
 * Where a step-through stands for the selected node.
 * @typedef {object} StepProgress
 * @property {number} step
 * @property {number} total
 * @property {number} grad the grad the node holds after `step` steps
 * @property {string} gradText
 * @property {boolean} complete whether that grad is final
 */

/**
 * @typedef {object} Panel
 * @property {(explanation: Explanation, progress?: StepProgress | null, more?: PanelView[]) => void} show
 * @property {() => void} clear back to the hint (no node selected)
 * @property {() => void} destroy remove the panel and its styles
 */

/** Minimal styles for the panel's `mgm-panel-` classes (the widget may add its own). */
export const PANEL_CSS = `
.mgm-panel { font: 13px/1.45 system-ui, sans-serif; padding: 6px 10px; overflow-wrap: anywhere; }
.mgm-panel-title { font-weight: 600; font-size: 14px; }
.mgm-panel-kind, .mgm-panel-note { opacity: 0.75; margin: 2px 0; }
.mgm-panel-definition, .mgm-panel-chain { margin: 2px 0; }
.mgm-panel-values { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 4px 0; }
.mgm-panel-values dt { opacity: 0.75; }
.mgm-panel-values dd { margin: 0; font-variant-numeric: tabular-nums; }
.mgm-panel-heading { font-weight: 600; margin-top: 6px; }
.mgm-panel-list { margin: 2px 0; padding-left: 18px; }
`;

const HINT = "Click a node to see how its grad was computed.";

/**
 * @param {string} tag
 * @param {Record<string, string>} attrs
 * @param {string | PanelView[]} content
 * @returns {PanelView}
 */
function el(tag, attrs, content) {
  return typeof content === "string" ? { tag, attrs, text: content } : { tag, attrs, children: content };
}

// the op as its pill on the graph reads ("×", "−", "tanh"); "**" without its exponent
const PILLS = new Map(OPS.map((op) => [op.name, op.picture.replace("{k}", "")]));

/** @param {Explanation} e */
function kindOf(e) {
  const op = PILLS.get(e.op) ?? e.op;
  if (e.isOutput && e.isLeaf) return "Output (a leaf)";
  if (e.isOutput) return `Output, computed by ${op}`;
  if (e.isConstant) return "Constant (a leaf)";
  if (e.isLeaf) return "Leaf: an input or parameter";
  return `Computed by ${op}`;
}

/**
 * The panel for one explanation (or the hint when `explanation` is null) as a tree of
 * {tag, attrs, text} / {tag, attrs, children}. Hooks for tests: the root has `data-panel` and
 * `data-panel-node`; `data-panel-field="data" | "grad"` with `data-value`; each local derivative
 * `data-local` (`data-child`); each chain-rule term `data-term` (`data-parent`, `data-term-value`);
 * `data-panel-warning` where the grad flowed through a NaN or infinite value, `data-panel-note`
 * where a saturated tanh or sigmoid makes the gradient vanish.
 *
 * During a step-through of backprop, `progress` ({step, total, grad, gradText, complete}) adds
 * the grad the node holds so far (`data-panel-field="step-grad"`) and whether it is final; the
 * rest explains the finished pass.
 * `more` are further sections for the node, appended at the end (the numerical check's).
 * @param {Explanation | null} explanation
 * @param {StepProgress | null} [progress]
 * @param {PanelView[]} [more]
 * @returns {PanelView}
 */
export function panelView(explanation, progress = null, more = []) {
  const root = { class: "mgm-panel", "data-panel": "", role: "region", "aria-live": "polite", "aria-label": "Node details" };
  const e = explanation;
  if (!e) return el("section", root, [el("p", { class: "mgm-panel-note" }, HINT)]);
  const children = [
    el("div", { class: "mgm-panel-title" }, e.name),
    el("p", { class: "mgm-panel-kind" }, kindOf(e)),
  ];
  if (e.definition) children.push(el("p", { class: "mgm-panel-definition" }, e.definition));
  children.push(
    el("dl", { class: "mgm-panel-values" }, [
      el("dt", {}, "data"),
      el("dd", { "data-panel-field": "data", "data-value": String(e.data) }, e.dataText),
      el("dt", {}, "grad"),
      el("dd", { "data-panel-field": "grad", "data-value": String(e.grad) }, e.gradText),
      ...(progress ? progressRows(progress) : []),
    ]),
  );
  if (e.warning) children.push(el("p", { class: "mgm-panel-warning", "data-panel-warning": "", role: "note" }, e.warning));
  if (e.note) children.push(el("p", { class: "mgm-panel-vanishing", "data-panel-note": "" }, e.note));
  children.push(el("div", { class: "mgm-panel-heading" }, "Local derivatives"));
  if (e.localDerivatives.length === 0) {
    children.push(el("p", { class: "mgm-panel-note" }, "None: a leaf has no operands."));
  } else {
    children.push(
      el("ul", { class: "mgm-panel-list" }, e.localDerivatives.map((d) =>
        el("li", { "data-local": "", "data-child": String(d.child) }, d.text))),
    );
  }
  children.push(
    el("div", { class: "mgm-panel-heading" }, "Chain rule"),
    el("p", { class: "mgm-panel-chain", "data-chain": e.chain.kind }, e.chain.text),
  );
  if (e.chain.terms.length > 0) {
    children.push(
      el("p", { class: "mgm-panel-note" }, e.chain.terms.length === 1 ? "One use:" : `${e.chain.terms.length} uses, one term each, in the order backprop adds them:`),
      el("ul", { class: "mgm-panel-list" }, e.chain.terms.map((t) =>
        el("li", { "data-term": "", "data-parent": String(t.parent), "data-term-value": String(t.product) }, t.text))),
    );
  }
  children.push(...more);
  return el("section", { ...root, "data-panel-node": String(e.id) }, children);
}

/**
 * The "so far" rows of a step-through: the grad after step k and whether it is final yet.
 * @param {StepProgress} progress
 */
function progressRows({ step, total, grad, gradText, complete }) {
  let note;
  if (step === total) note = "the full backward pass";
  else note = `after step ${step} of ${total}: ${complete ? "final" : "not final yet"}`;
  return [
    el("dt", {}, "so far"),
    el("dd", { "data-panel-field": "step-grad", "data-value": String(grad) }, `${gradText} (${note})`),
  ];
}

// --- keeping a view in the DOM ----------------------------------------------------------------

/**
 * @param {Document} doc
 * @param {PanelView} view
 * @returns {HTMLElement}
 */
function build(doc, view) {
  const node = doc.createElement(view.tag);
  for (const [name, value] of Object.entries(view.attrs)) node.setAttribute(name, value);
  if (view.text !== undefined) node.textContent = view.text;
  else for (const child of view.children ?? []) node.appendChild(build(doc, child));
  return node;
}

/**
 * @param {PanelView} a
 * @param {PanelView} b
 */
function sameShape(a, b) {
  return a.tag === b.tag && (a.text === undefined) === (b.text === undefined)
    && (a.children?.length ?? 0) === (b.children?.length ?? 0);
}

/**
 * Make DOM `node` (drawn from view `old`) show `view`; returns the node now in its place.
 * @param {Document} doc
 * @param {Element} node
 * @param {PanelView} old
 * @param {PanelView} view
 * @returns {Element}
 */
function patch(doc, node, old, view) {
  if (!sameShape(old, view)) {
    const fresh = build(doc, view);
    node.replaceWith(fresh);
    return fresh;
  }
  for (const name of Object.keys(old.attrs)) if (!(name in view.attrs)) node.removeAttribute(name);
  for (const [name, value] of Object.entries(view.attrs)) {
    if (old.attrs[name] !== value) node.setAttribute(name, value);
  }
  if (view.text !== undefined) {
    if (old.text !== view.text) node.textContent = view.text;
  } else {
    const kids = [...node.children];
    const before = old.children ?? [];
    (view.children ?? []).forEach((child, i) => {
      patch(doc, kids[i], before[i], child);
    });
  }
  return node;
}

/**
 * Put a details panel into `container`: {show(explanation), clear(), destroy()}. show() may be
 * called on every slider event: only changed texts are written, and while the same node keeps
 * updating the region is marked aria-busy, so screen readers announce the numbers once they rest.
 * @param {Node & ParentNode} container an element or a document fragment
 * @returns {Panel}
 */
export function createPanel(container) {
  const doc = /** @type {Document} */ (container.ownerDocument);
  const style = doc.createElement("style");
  style.textContent = PANEL_CSS;
  container.appendChild(style);
  const hint = panelView(null);
  let view = hint;
  /** @type {Element} */
  let root = build(doc, view);
  container.appendChild(root);
  const busy = busyWhileLive();

  /** @param {PanelView} next */
  function render(next) {
    const live = next.attrs["data-panel-node"] !== undefined
      && next.attrs["data-panel-node"] === view.attrs["data-panel-node"];
    root = patch(doc, root, view, next);
    view = next;
    busy.changed(root, live);
  }

  return {
    /** Show an explanation from explain.js's explainNode() (a step-through's progress, more sections). */
    show(explanation, progress = null, more = []) {
      render(panelView(explanation, progress, more));
    },
    /** Back to the hint (no node selected). */
    clear() {
      // every slider move asks, nearly always with the hint shown already
      if (view !== hint) render(hint);
    },
    /** Remove the panel and its styles. */
    destroy() {
      busy.stop();
      root.remove();
      style.remove();
    },
  };
}
