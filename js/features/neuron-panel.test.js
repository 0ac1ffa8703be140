// The details panel at the neuron's level in a DOM (jsdom): a neuron's output selected shows its
// section with the numbers drawn on the cards; a slider drag, the step-through and a quiz; names
// on cards and tooltips of a user's own Module (tests/vectors/names.json, written by Python).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { click, mount, move, newWindow } from "../testing/harness.js";
import widget from "../widget.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */

/** @type {{graphs: Array<{name: string, graph: GraphJSON, names: Array<string | null>}>}} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/names.json", import.meta.url), "utf8"));

/** @param {string} name */
function vector(name) {
  const v = VECTORS.graphs.find((x) => x.name === name);
  assert.ok(v, name);
  return v;
}

/** Every group of `graph` open, so that every scalar card is drawn. @param {GraphJSON} graph */
const allOpen = (graph) => (graph.groups ?? []).map((g) => g.path);

/** @param {string} name @param {number} id @param {number} value */
const slider = (name, id, value) => ({ name, id, value, min: -3, max: 3, step: 0.01 });

/** The MLP(2, [3, 1]) of the vectors, with sliders on x1 and x2. */
function mlpWidget(state = {}) {
  const v = vector("mlp");
  const win = newWindow();
  const x1 = v.names.indexOf("x1");
  const x2 = v.names.indexOf("x2");
  const w = mount(win, widget.render, { graph: v.graph, inputs: [slider("x1", x1, 1), slider("x2", x2, -2)], open_groups: allOpen(v.graph), ...state });
  /** @param {string} name */
  const id = (name) => v.names.indexOf(name);
  const section = () => w.el.querySelector("[data-panel-neuron]");
  /** @param {number} node */
  const cardValue = (node, field = "data") => Number(w.node(node).querySelector(`[data-field="${field}"]`)?.getAttribute("data-value"));
  return { win, w, id, section, cardValue };
}

test("selecting a neuron's output shows its formula with the numbers its cards show", () => {
  const { win, w, id, section, cardValue } = mlpWidget();
  assert.equal(section(), null, "nothing selected yet");
  const out = id("L1.N2");
  click(win, w.node(out));
  assert.equal(w.model.get("selected"), out);
  const s = section();
  assert.ok(s);
  assert.equal(s.getAttribute("data-panel-neuron"), "layers.0.neurons.1");
  assert.equal(Number(s.getAttribute("data-neuron-out")), cardValue(out));
  const formula = s.querySelector("[data-neuron-formula]")?.textContent ?? "";
  const shown = w.node(out).querySelector('[data-field="data"]')?.textContent ?? "";
  assert.ok(formula.startsWith("relu(Σ wᵢxᵢ + b) = relu("), formula);
  assert.ok(formula.endsWith(`= ${shown.replace("-", "−")}`), `${formula} ends with the card's ${shown}`);
  assert.equal(s.querySelectorAll("[data-neuron-term]").length, 2);
  const title = w.el.querySelector("[data-panel] .mgm-panel-title")?.textContent;
  assert.equal(title, "layers[0].neurons[1]", "the heading is the full path");
  const term = /** @type {Element} */ (s.querySelector('[data-neuron-term="2"]'));
  const weight = Number(term.getAttribute("data-w"));
  assert.equal(weight, id("L1.N2.w2"));
  const gate = s.querySelector("[data-neuron-gate]")?.getAttribute("data-neuron-gate");
  const expected = gate === "passes" ? cardValue(out, "grad") * cardValue(id("x2")) : 0;
  assert.equal(Number(term.getAttribute("data-grad-w")), expected);
  assert.equal(Number(term.getAttribute("data-grad-w")), cardValue(weight, "grad"), "one use: the weight's grad is this share");
});

test("a slider drag updates the section live, as the cards", () => {
  const { win, w, id, section, cardValue } = mlpWidget();
  const out = id("L1.N1");
  click(win, w.node(out));
  const before = section()?.querySelector("[data-neuron-terms]")?.textContent;
  const sumBefore = Number(section()?.getAttribute("data-neuron-sum"));
  move(win, w.slider("x1"), 2.5, "input");
  const after = section()?.querySelector("[data-neuron-terms]")?.textContent;
  assert.notEqual(after, before);
  const sum = Number(section()?.getAttribute("data-neuron-sum"));
  assert.notEqual(sum, sumBefore);
  assert.equal(Number(section()?.getAttribute("data-neuron-out")), cardValue(out));
  assert.equal(Number(section()?.getAttribute("data-neuron-out")), Math.max(0, sum));
  assert.match(after ?? "", /·2\.5 /, "x1's new value among the terms");
});

test("in a step-through the section shows the grads of the steps done", () => {
  const { win, w, id, section, cardValue } = mlpWidget();
  const out = id("L1.N3");
  click(win, w.node(out));
  const full = Number(section()?.getAttribute("data-neuron-grad"));
  click(win, w.button("step-next"));
  assert.equal(w.model.get("step"), 0);
  assert.equal(Number(section()?.getAttribute("data-neuron-grad")), 0, "step 0: no grad has flowed yet");
  assert.equal(w.grad(out), "0", "as the card");
  click(win, w.button("step-run"));
  assert.equal(Number(section()?.getAttribute("data-neuron-grad")), full);
  assert.notEqual(full, 0);
  assert.equal(Number(section()?.getAttribute("data-neuron-grad")), cardValue(out, "grad"));
});

test("a quiz that asks a grad never shows the neuron's section", () => {
  const v = vector("mlp");
  const out = v.names.indexOf("L1.N2");
  const graph = { ...v.graph, nodes: v.graph.nodes.map(({ grad, ...n }) => n) };
  const quiz_progress = [{ id: out, solved: false, revealed: false, attempts: 0, answer: null }];
  const win = newWindow();
  const w = mount(win, widget.render, { graph, inputs: [], quiz: { asked: [out] }, quiz_progress, selected: out });
  assert.equal(w.el.querySelector("[data-panel-neuron]"), null);
  assert.equal(w.el.querySelector("[data-neuron-grad]"), null);
});

test("the model's output: its neuron's section, then its layer's and the model's", () => {
  const { win, w, section } = mlpWidget();
  const out = Number(w.one('[data-output="true"]').getAttribute("data-node-id"));
  click(win, w.node(out));
  assert.equal(section()?.getAttribute("data-panel-neuron"), "layers.1.neurons.0");
  assert.match(section()?.querySelector("[data-neuron-formula]")?.textContent ?? "", /linear/);
  const groups = [...w.el.querySelectorAll("[data-panel-group]")].map((e) => e.getAttribute("data-panel-group"));
  assert.deepEqual(groups, ["layers.1", ""]);
  const listed = w.one('[data-panel-group="layers.1"] [data-group-output]');
  assert.equal(listed.getAttribute("data-value"), w.node(out).querySelector('[data-field="data"]')?.getAttribute("data-value"));
});

test("a user's own Module: names on cards, paths in tooltips and the panel, without extra code", () => {
  const v = vector("user_module");
  const win = newWindow();
  const a = v.names.indexOf("a");
  const w = mount(win, widget.render, { graph: v.graph, inputs: [slider("a", a, 0.5)], open_groups: allOpen(v.graph) });
  const weight = v.names.indexOf("hidden.w2");
  const card = w.node(weight);
  assert.equal(card.querySelector(".mgm-label")?.textContent, "hidden.w2");
  assert.equal(card.getAttribute("data-label"), "", "data-label stays for user labels");
  assert.equal(card.querySelector("title")?.textContent, "hidden.w[1]: parameter");
  const head = v.names.indexOf("head");
  assert.match(w.node(head).querySelector("title")?.textContent ?? "", /^head: /);
  click(win, w.node(head));
  assert.equal(w.el.querySelector("[data-panel-neuron]")?.getAttribute("data-panel-neuron"), "head");
  assert.match(w.el.querySelector("[data-neuron-formula]")?.textContent ?? "", /^Σ wᵢxᵢ \+ b = .*linear/);
  assert.match(w.one('[data-neuron-term="1"]').textContent ?? "", /x₁ = hidden\)/);
  click(win, w.node(v.names.indexOf("hidden")));
  assert.equal(w.el.querySelector("[data-panel-neuron]")?.getAttribute("data-panel-neuron"), "hidden");
});
