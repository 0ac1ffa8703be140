// panel.js's view (pure): what the details panel says and which hooks it carries. The DOM layer
// (createPanel) runs in Chromium in tests/test_explain.py.
import assert from "node:assert/strict";
import { test } from "node:test";

import { explainNode } from "../core/explain.js";
import { panelView } from "./panel.js";
import { parseGraph } from "../core/engine.js";
import { xyz } from "../testing/sample-graphs.js";

// z = x*y + x**2 at x = 2, y = 3, with a constant 0.5 and an extra node the output does not use
const JSON_GRAPH = xyz(
  { id: 5, label: null, op: "", args: [], data: 0.5, grad: 0 },
  { id: 6, label: null, op: "*", args: [5, 4], data: 5, grad: 0 },
);
const GRAPH = parseGraph(JSON_GRAPH);
const DATA = GRAPH.data;
const GRAD = GRAPH.grad;

/** @typedef {import("./panel.js").PanelView} PanelView */

/** @param {number} id */
const view = (id) => panelView(explainNode(GRAPH, DATA, GRAD, id));

/**
 * Every element of a view tree, depth first.
 * @param {PanelView} node
 * @returns {Generator<PanelView>}
 */
function* walk(node) {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

/** @type {(tree: PanelView, attr: string) => PanelView[]} */
const find = (tree, attr) => [...walk(tree)].filter((n) => attr in n.attrs);
/** @type {(tree: PanelView) => Array<string | undefined>} */
const texts = (tree) => [...walk(tree)].filter((n) => n.text !== undefined).map((n) => n.text);

test("the root is a polite live region with the panel hooks", () => {
  const root = view(2);
  assert.equal(root.tag, "section");
  assert.equal(root.attrs.role, "region");
  assert.equal(root.attrs["aria-live"], "polite");
  assert.equal(root.attrs["data-panel"], "");
  assert.equal(root.attrs["data-panel-node"], "2");
  assert.ok(root.attrs.class.startsWith("mgm-panel"));
  for (const n of walk(root)) if (n.attrs.class) assert.match(n.attrs.class, /^mgm-panel/);
});

test("a computed node: name, definition, numbers, one local derivative per operand, the chain rule", () => {
  const root = view(2);
  const all = texts(root);
  assert.equal(all[0], "x*y");
  assert.ok(all.includes("Computed by ×")); // the op as its pill on the graph shows it
  assert.deepEqual(find(root, "data-panel-field").map((n) => [n.attrs["data-panel-field"], n.attrs["data-value"], n.text]), [
    ["data", "6", "6"],
    ["grad", "1", "1"],
  ]);
  assert.deepEqual(find(root, "data-local").map((n) => [n.attrs["data-child"], n.text]), [
    ["0", "∂(x*y)/∂x = y = 3"],
    ["1", "∂(x*y)/∂y = x = 2"],
  ]);
  assert.deepEqual(find(root, "data-term").map((n) => [n.attrs["data-parent"], n.attrs["data-term-value"], n.text]), [
    ["4", "1", "∂z/∂z·1 = 1·1 = 1"],
  ]);
});

test("a leaf used twice: no local derivative, two terms adding up to its grad", () => {
  const root = view(0);
  assert.equal(find(root, "data-local").length, 0);
  assert.ok(texts(root).includes("None: a leaf has no operands."));
  assert.ok(texts(root).includes("Leaf: an input or parameter"));
  const chain = find(root, "data-chain")[0];
  assert.equal(chain.attrs["data-chain"], "sum");
  assert.equal(chain.text, "∂z/∂x = ∂z/∂(x**2)·2·x + ∂z/∂(x*y)·y = 1·4 + 1·3 = 7");
  assert.deepEqual(find(root, "data-term").map((n) => Number(n.attrs["data-term-value"])), [4, 3]);
});

test("the output says its grad is 1 by definition, and has no terms", () => {
  const root = view(4);
  assert.ok(texts(root).includes("Output, computed by +"));
  assert.ok(texts(root).includes("z = x*y + x**2"));
  assert.equal(find(root, "data-chain")[0].text, "∂z/∂z = 1 by definition: backprop starts here");
  assert.equal(find(root, "data-term").length, 0);
});

test("a constant and an unused node read as such", () => {
  assert.ok(texts(view(5)).includes("Constant (a leaf)"));
  const unused = find(view(6), "data-chain")[0];
  assert.equal(unused.attrs["data-chain"], "unused");
  assert.equal(unused.text, "∂z/∂(0.5*z) = 0: z does not depend on 0.5*z");
});

test("labels stay plain text (the DOM layer writes them with textContent)", () => {
  const label = "<img src=x onerror=alert(1)>";
  const graph = parseGraph({ ...JSON_GRAPH, nodes: JSON_GRAPH.nodes.map((n) => (n.id === 1 ? { ...n, label } : n)) });
  const root = panelView(explainNode(graph, DATA, GRAD, 1));
  assert.equal(texts(root)[0], label);
  assert.equal(find(root, "data-term")[0].text, `∂z/∂(x*(${label}))·x = 1·2 = 2`);
});

test("full-precision numbers in data-value and data-term-value, nan/inf included", () => {
  const data = [...DATA];
  const grad = [...GRAD];
  data[2] = 0.1 + 0.2;
  grad[0] = NaN;
  grad[3] = -Infinity;
  const root = panelView(explainNode(GRAPH, data, grad, 0));
  assert.equal(find(root, "data-panel-field")[1].attrs["data-value"], "NaN");
  assert.equal(find(root, "data-term")[0].attrs["data-term-value"], "-Infinity");
  const product = panelView(explainNode(GRAPH, data, grad, 2));
  assert.equal(find(product, "data-panel-field")[0].attrs["data-value"], "0.30000000000000004");
  assert.equal(find(product, "data-panel-field")[0].text, "0.3");
});

test("with nothing selected the panel shows a hint", () => {
  const root = panelView(null);
  assert.equal(root.attrs["data-panel"], "");
  assert.equal(root.attrs["data-panel-node"], undefined);
  assert.deepEqual(texts(root), ["Click a node to see how its grad was computed."]);
});

test("during a step-through the panel adds the grad so far and whether it is final", () => {
  const e = explainNode(GRAPH, DATA, GRAD, 0);
  const partial = panelView(e, { step: 2, total: 4, grad: 0, gradText: "0", complete: false });
  assert.deepEqual(find(partial, "data-panel-field").map((n) => [n.attrs["data-panel-field"], n.attrs["data-value"], n.text]), [
    ["data", "2", "2"],
    ["grad", "7", "7"],
    ["step-grad", "0", "0 (after step 2 of 4: not final yet)"],
  ]);
  const final = panelView(e, { step: 4, total: 4, grad: 7, gradText: "7", complete: true });
  assert.equal(find(final, "data-panel-field")[2].text, "7 (the full backward pass)");
  const early = panelView(explainNode(GRAPH, DATA, GRAD, 4), { step: 1, total: 4, grad: 1, gradText: "1", complete: true });
  assert.equal(find(early, "data-panel-field")[2].text, "1 (after step 1 of 4: final)");
  assert.deepEqual(texts(partial).slice(0, 2), texts(view(0)).slice(0, 2), "the rest explains the finished pass");
});

test("a grad that flowed through a NaN carries a warning; a finite graph none", () => {
  // y = log(x) at x = -0.5: y is NaN, and x's grad 1/x = -2 looks like an ordinary slope
  const graph = parseGraph({
    schema: 1,
    output: 1,
    nodes: [
      { id: 0, label: "x", op: "", args: [], data: -0.5, grad: -2 },
      { id: 1, label: "y", op: "log", args: [0], data: "NaN", grad: 1 },
    ],
  });
  const x = panelView(explainNode(graph, graph.data, graph.grad, 0));
  const [warning] = find(x, "data-panel-warning");
  assert.match(warning.text ?? "", /flowed through y, whose data is NaN/);
  assert.equal(find(panelView(explainNode(graph, graph.data, graph.grad, 1)), "data-panel-warning").length, 0);
  for (let id = 0; id < 5; id++) assert.equal(find(view(id), "data-panel-warning").length, 0);
});

test("a saturated tanh: enough digits for the formula to read true, and the vanishing gradient named", () => {
  // the tour's neuron dragged to x1 = -1.2: n = 10.48, o = tanh(n) = 0.99999999842
  const n = 10.48;
  const o = Math.tanh(n);
  const graph = parseGraph({
    schema: 1,
    output: 1,
    nodes: [
      { id: 0, label: "n", op: "", args: [], data: n, grad: 1 - o * o },
      { id: 1, label: "o", op: "tanh", args: [0], data: o, grad: 1 },
    ],
  });
  const root = panelView(explainNode(graph, graph.data, graph.grad, 1));
  assert.equal(find(root, "data-local")[0].text, "∂o/∂n = 1 − tanh(n)² = 1 − 0.99999999842² = 3.157e−9");
  assert.match(find(root, "data-panel-note")[0].text ?? "", /^Vanishing gradient: tanh is saturated/);
  assert.equal(find(view(2), "data-panel-note").length, 0);
});
