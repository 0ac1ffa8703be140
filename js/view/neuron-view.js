// The details panel's sections for a module's output: a neuron's formula with its numbers and
// what flows back through it (core/neuron.js), or a short note naming any other group the node
// is an output of. Panel sections as plain data (panel.js's PanelView), tested in Node.

import { formatText } from "../core/explain.js";
import { explainNeuron, neuronShape, outputGroups, summarizeGroup } from "../core/neuron.js";

/** @typedef {import("./panel.js").PanelView} PanelView */
/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../core/neuron.js").NeuronExplanation} NeuronExplanation */
/** @typedef {import("../core/neuron.js").GroupSummary} GroupSummary */

/**
 * @param {string} tag
 * @param {Record<string, string>} attrs
 * @param {string | PanelView[]} content
 * @returns {PanelView}
 */
function el(tag, attrs, content) {
  return typeof content === "string" ? { tag, attrs, text: content } : { tag, attrs, children: content };
}

/**
 * A neuron's section. Hooks: `data-panel-neuron` (its path) with `data-neuron-out`,
 * `data-neuron-sum`, `data-neuron-grad` (full precision); `data-neuron-formula`,
 * `data-neuron-terms`; `data-neuron-gate` ("passes", "blocked" or "linear"); one
 * `data-neuron-term` per listed term (`data-w`, `data-x` node ids, `data-grad-w`, `data-grad-x`);
 * `data-neuron-more` (how many terms were left out) when some were.
 * @param {NeuronExplanation} n
 * @returns {PanelView}
 */
export function neuronSection(n) {
  const terms = n.terms.map((t) =>
    el("li", { "data-neuron-term": String(t.index), "data-w": String(t.w), "data-x": String(t.x), "data-grad-w": String(t.gradW), "data-grad-x": String(t.gradX) }, [
      el("div", {}, t.text),
      el("div", { class: "mgm-panel-note" }, t.gradText),
    ]),
  );
  if (n.more > 0) terms.push(el("li", { "data-neuron-more": String(n.more) }, `… and ${n.more} more`));
  return el(
    "div",
    {
      class: "mgm-panel-neuron",
      "data-panel-neuron": n.path,
      "data-neuron-out": String(n.out),
      "data-neuron-sum": String(n.sum),
      "data-neuron-grad": String(n.gradOut),
    },
    [
      el("div", { class: "mgm-panel-heading" }, "Neuron"),
      el("p", { class: "mgm-panel-kind" }, n.name),
      el("p", { class: "mgm-panel-chain", "data-neuron-formula": "" }, n.formula),
      el("p", { class: "mgm-panel-chain", "data-neuron-terms": "" }, n.sumText),
      el("div", { class: "mgm-panel-heading" }, "What flows back"),
      el("p", { class: "mgm-panel-chain" }, `grad_out (the output's grad) = ${formatText(n.gradOut)}`),
      el("p", { class: "mgm-panel-chain", "data-neuron-gate": n.relu ? (n.gate ? "passes" : "blocked") : "linear" }, n.gateText),
      el("p", { class: "mgm-panel-chain" }, n.biasText),
      el("ul", { class: "mgm-panel-list" }, terms),
      el("p", { class: "mgm-panel-note" }, "Each is this neuron's share: an input used by several neurons adds up their shares."),
    ],
  );
}

/**
 * A short section naming a group the node is an output of. Hooks: `data-panel-group` (its
 * path) with `data-group-kind`; one `data-group-output` (node id, `data-value`, `data-grad`) per
 * listed output.
 * @param {GroupSummary} s
 * @returns {PanelView}
 */
export function groupSection(s) {
  const outs = s.outputs.map((o) =>
    el("li", { "data-group-output": String(o.id), "data-value": String(o.data), "data-grad": String(o.grad) }, `${o.name}: data ${formatText(o.data)}, grad ${formatText(o.grad)}`),
  );
  if (s.more > 0) outs.push(el("li", {}, `… and ${s.more} more`));
  return el("div", { class: "mgm-panel-group", "data-panel-group": s.path, "data-group-kind": s.kind }, [
    el("div", { class: "mgm-panel-heading" }, `Output of the ${s.kind}`),
    el("p", { class: "mgm-panel-kind" }, s.name),
    el("ul", { class: "mgm-panel-list" }, outs),
  ]);
}

/**
 * The sections for node `id`: for each group it is an output of (innermost first), the neuron's
 * section when the group is an nn.Neuron, else the group's short section. None for a node that
 * is no module's output, and for a graph without groups.
 * @param {ParsedGraph} g
 * @param {number} id
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad the grads drawn now
 * @returns {PanelView[]}
 */
export function moduleSections(g, id, data, grad) {
  return outputGroups(g, id).map((k) => {
    const shape = neuronShape(g, k, id);
    return shape ? neuronSection(explainNeuron(g, shape, data, grad)) : groupSection(summarizeGroup(g, k, data, grad));
  });
}
