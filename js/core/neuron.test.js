// neuron.js: a neuron read back from the graph nn.Neuron builds, its formula with the numbers,
// the terms cut for wide neurons, and the grads it sends back; neuron-view.js's sections.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { createEvaluator, parseGraph } from "./engine.js";
import { formatText } from "./explain.js";
import { MAX_TERMS, explainNeuron, neuronShape, outputGroup, outputGroups, summarizeGroup } from "./neuron.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { moduleSections, neuronSection } from "../view/neuron-view.js";

/** @typedef {import("./engine.js").GraphJSON} GraphJSON */
/** @typedef {import("./engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../view/panel.js").PanelView} PanelView */

/** @type {{graphs: Array<{name: string, graph: GraphJSON}>}} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/names.json", import.meta.url), "utf8"));

/** @param {string} name */
function vectorGraph(name) {
  const v = VECTORS.graphs.find((x) => x.name === name);
  assert.ok(v, name);
  return parseGraph(v.graph);
}

/**
 * The output node of the group at `path`.
 * @param {ParsedGraph} g
 * @param {string} path
 */
function outputOf(g, path) {
  const k = g.groups?.byPath.get(path);
  assert.ok(k !== undefined, path);
  return { group: k, id: /** @type {import("./groups.js").GroupTree} */ (g.groups).outputs[k][0] };
}

/** @param {PanelView} v @returns {string} */
const text = (v) => v.text ?? (v.children ?? []).map(text).join("\n");

test("a relu neuron is read back as relu(b + w₁·x₁ + w₂·x₂) and explained with its numbers", () => {
  const g = vectorGraph("mlp");
  const { group, id } = outputOf(g, "layers.0.neurons.1");
  assert.equal(outputGroup(g, id), group);
  const shape = neuronShape(g, group, id);
  assert.ok(shape);
  assert.equal(shape.relu, true);
  assert.equal(shape.terms.length, 2);
  assert.equal(g.groups?.nodePath[shape.terms[1].w], "layers.0.neurons.1.w.1");
  assert.equal(g.labels[shape.terms[0].x], "x1");
  assert.equal(g.groups?.nodePath[shape.bias], "layers.0.neurons.1.b");
  const { data, grad } = g;
  const n = explainNeuron(g, shape, data, grad);
  const sum = data[shape.bias] + data[shape.terms[0].w] * data[shape.terms[0].x] + data[shape.terms[1].w] * data[shape.terms[1].x];
  assert.equal(n.sum, data[shape.sum]);
  assert.ok(Math.abs(n.sum - sum) < 1e-12);
  assert.equal(n.out, Math.max(0, sum));
  assert.equal(n.formula, `relu(Σ wᵢxᵢ + b) = relu(${formatText(sum)}) = ${formatText(Math.max(0, sum))}`);
  assert.match(n.sumText, /^w₁·x₁ \+ w₂·x₂ \+ b = /);
  assert.equal(n.more, 0);
  assert.equal(n.name, "layers[0].neurons[1] (L1.N2)");
  assert.match(n.terms[0].text, /\(w₁ = L1\.N2\.w1, x₁ = x1\)$/);
});

test("what flows back: grad_out·gate·xᵢ to each weight, grad_out·gate·wᵢ to each input", () => {
  const g = vectorGraph("mlp");
  for (const path of ["layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.2"]) {
    const { group, id } = outputOf(g, path);
    const shape = /** @type {import("./neuron.js").NeuronShape} */ (neuronShape(g, group, id));
    const n = explainNeuron(g, shape, g.data, g.grad);
    assert.equal(n.gradOut, g.grad[id]);
    assert.equal(n.gate, g.data[shape.sum] > 0 ? 1 : 0);
    for (const t of n.terms) {
      // one call: each weight is used once, so its grad is exactly this neuron's share
      assert.ok(Math.abs(t.gradW - g.grad[t.w]) < 1e-12, `${path} w${t.index}`);
      assert.equal(t.gradX, g.grad[id] * n.gate * g.data[t.w]);
    }
    assert.match(n.gateText, n.gate ? /passes/ : /blocked/);
  }
});

test("a blocked relu sends nothing back, whatever the output's grad", () => {
  const g = parseGraph(groupedMlp(2, [2, 1]));
  const { group, id } = outputOf(g, "layers.0.neurons.0");
  const shape = /** @type {import("./neuron.js").NeuronShape} */ (neuronShape(g, group, id));
  const data = Float64Array.from(g.data);
  data[shape.sum] = -0.25;
  data[id] = 0;
  const grad = new Float64Array(g.size).fill(2);
  const n = explainNeuron(g, shape, data, grad);
  assert.equal(n.gate, 0);
  assert.match(n.formula, /relu\(−0\.25\) = 0$/);
  assert.match(n.gateText, /blocked \(Σ = −0\.25 ≤ 0\)/);
  assert.ok(n.terms.every((t) => t.gradW === 0 && t.gradX === 0));
  assert.match(n.biasText, /= 2·0 = 0$/);
});

test("a linear neuron has no relu: its formula is the sum, the grad passes unchanged", () => {
  const g = vectorGraph("mlp");
  const { group, id } = outputOf(g, "layers.1.neurons.0");
  assert.equal(id, g.output);
  const shape = /** @type {import("./neuron.js").NeuronShape} */ (neuronShape(g, group, id));
  assert.equal(shape.relu, false);
  assert.equal(shape.sum, id);
  assert.equal(shape.terms.length, 3);
  assert.equal(g.groups?.nodeShort[shape.terms[2].x], "L1.N3", "an input from the layer before, by its name");
  const n = explainNeuron(g, shape, g.data, g.grad);
  assert.equal(n.gate, 1);
  assert.match(n.formula, /^Σ wᵢxᵢ \+ b = .+\(linear: no activation\)$/);
  assert.match(n.gateText, /^No relu/);
  assert.match(n.sumText, /^w₁·x₁ \+ w₂·x₂ \+ w₃·x₃ \+ b = /);
});

test("a 64-input neuron lists MAX_TERMS terms and says how many more", () => {
  const g = parseGraph(groupedMlp(64, [2, 1]));
  const { group, id } = outputOf(g, "layers.0.neurons.1");
  const shape = /** @type {import("./neuron.js").NeuronShape} */ (neuronShape(g, group, id));
  assert.equal(shape.terms.length, 64);
  const ev = createEvaluator(g);
  const { data, grad } = ev.run(null);
  const n = explainNeuron(g, shape, data, grad);
  assert.equal(n.terms.length, MAX_TERMS);
  assert.equal(n.more, 64 - MAX_TERMS);
  assert.match(n.sumText, new RegExp(`w₆·x₆ \\+ … and ${64 - MAX_TERMS} more \\+ b = `));
  const section = neuronSection(n);
  assert.match(text(section), /… and 58 more/);
});

test("the sections of a node: the neuron's, then its layer's and model's when it is theirs too", () => {
  const g = vectorGraph("mlp");
  const sections = moduleSections(g, g.output, g.data, g.grad);
  assert.deepEqual(sections.map((s) => s.attrs["data-panel-neuron"] ?? `group:${s.attrs["data-panel-group"]}`), [
    "layers.1.neurons.0",
    "group:layers.1",
    "group:",
  ]);
  assert.equal(sections[1].attrs["data-group-kind"], "Layer");
  assert.match(text(sections[2]), /^Output of the MLP\nthe top-level module called\n/);
  const hidden = outputOf(g, "layers.0.neurons.2").id;
  assert.deepEqual(outputGroups(g, hidden).map((k) => g.groups?.paths[k]), ["layers.0.neurons.2", "layers.0"]);
  const parameter = g.groups?.nodePath.indexOf("layers.0.neurons.2.w.1") ?? -1;
  assert.ok(parameter >= 0);
  assert.deepEqual(moduleSections(g, parameter, g.data, g.grad), [], "a parameter is no module's output");
});

test("a user's group() is named with its outputs' numbers", () => {
  const g = vectorGraph("two_calls");
  const { group, id } = outputOf(g, "loss");
  const s = summarizeGroup(g, group, g.data, g.grad);
  assert.equal(s.kind, "group");
  assert.deepEqual(s.outputs.map((o) => o.id), [id]);
  assert.equal(s.outputs[0].data, g.data[id]);
  const [section] = moduleSections(g, id, g.data, g.grad);
  assert.equal(section.attrs["data-panel-group"], "loss");
  assert.match(text(section), /^Output of the group\nloss\n/);
});

test("a user's Module subclass: its Neuron attributes are explained by their names", () => {
  const g = vectorGraph("user_module");
  const { group, id } = outputOf(g, "head");
  const shape = /** @type {import("./neuron.js").NeuronShape} */ (neuronShape(g, group, id));
  const n = explainNeuron(g, shape, g.data, g.grad);
  assert.equal(n.name, "head (head)");
  assert.match(n.terms[0].text, /\(w₁ = head\.w1, x₁ = hidden\)$/);
});

test("graphs without groups and nodes that are no neuron get no sections", () => {
  const g = parseGraph({ schema: 1, nodes: [{ id: 0, label: "x", op: "", args: [], data: 1, grad: 1 }] });
  assert.equal(outputGroup(g, 0), -1);
  assert.deepEqual(moduleSections(g, 0, g.data, g.grad), []);
});
