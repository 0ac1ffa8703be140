// A neuron explained at its own level: `relu(Σ wᵢxᵢ + b)` with the current numbers, and what
// flows back through it, for the details panel (view/neuron-view.js). Pure: no DOM.
//
// nn.Neuron builds `b + w₁·x₁ + w₂·x₂ + …` as a chain of "+" nodes over "*" nodes
// (engine.weighted_sum), then relu unless the neuron is linear; neuronShape reads that chain back
// from the graph, once per graph and group. A group of kind "Neuron" whose nodes are laid out
// differently (a user's own class of that name) is not explained as a neuron.

import { formatText } from "./explain.js";
import { cardName, pathText } from "./names.js";

/** @typedef {import("./engine.js").ParsedGraph} ParsedGraph */

/**
 * The nodes of one neuron: output, pre-activation sum, bias, and one weight and input per term.
 * @typedef {object} NeuronShape
 * @property {number} group the Neuron group's id
 * @property {number} output the neuron's output node
 * @property {number} sum the pre-activation `Σ wᵢxᵢ + b` (the output itself when linear)
 * @property {boolean} relu whether the output is relu(sum)
 * @property {number} bias the bias node
 * @property {Array<{w: number, x: number}>} terms weight and input node ids, in input order
 */

/**
 * One term of the neuron with its numbers and the grads it sends back.
 * @typedef {object} NeuronTerm
 * @property {number} index 1-based
 * @property {number} w the weight's node id
 * @property {number} x the input's node id
 * @property {number} wData
 * @property {number} xData
 * @property {number} gradW grad_out·gate·xᵢ
 * @property {number} gradX grad_out·gate·wᵢ
 * @property {string} text `w₁·x₁ = 0.5·1 = 0.5` with the names of w and x
 * @property {string} gradText `∂/∂w₁ = … , ∂/∂x₁ = …`
 */

/**
 * A neuron with its current numbers.
 * @typedef {object} NeuronExplanation
 * @property {string} path the group's dotted path
 * @property {string} name how the panel names it (`layers[0].neurons[3]`, short form `L1.N4`)
 * @property {boolean} relu
 * @property {number} sum the pre-activation's value
 * @property {number} out the output's value
 * @property {number} gradOut the output's grad (the one drawn: in a step-through, so far)
 * @property {number} gate 1 when the grad passes relu (or a linear neuron), 0 when blocked
 * @property {string} formula `relu(Σ wᵢxᵢ + b) = relu(0.71) = 0.71`
 * @property {string} sumText `w₁·x₁ + w₂·x₂ + b = 0.5·1 + (−0.3)·2 + 0.1`, cut after MAX_TERMS
 * @property {string} gateText what relu does to the grad
 * @property {string} biasText the bias's value and grad
 * @property {NeuronTerm[]} terms the first MAX_TERMS terms
 * @property {number} more how many terms were left out
 */

/**
 * A group selected through its output (a user's group(), a Layer, an MLP, any module).
 * @typedef {object} GroupSummary
 * @property {number} group
 * @property {string} path
 * @property {string} name
 * @property {string} kind
 * @property {Array<{id: number, name: string, data: number, grad: number}>} outputs the first
 *   MAX_TERMS outputs
 * @property {number} more how many outputs were left out
 */

/** Terms listed in full; a 64-input neuron lists these and says how many more it has. */
export const MAX_TERMS = 6;

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

/** @param {number} n */
function sub(n) {
  return String(n).replace(/[0-9]/g, (d) => SUBSCRIPTS[Number(d)]);
}

/** A number as a factor: negative ones in parentheses. @param {number} x */
function factor(x) {
  const t = formatText(x);
  return t.startsWith("−") ? `(${t})` : t;
}

/** @type {WeakMap<ParsedGraph, Int32Array>} */
const OUTPUT_GROUP = new WeakMap();

/**
 * The innermost group whose output node `id` is, or -1.
 * @param {ParsedGraph} g
 * @param {number} id
 * @returns {number}
 */
export function outputGroup(g, id) {
  const tree = g.groups;
  if (!tree) return -1;
  let of = OUTPUT_GROUP.get(g);
  if (!of) {
    of = new Int32Array(g.size).fill(-1);
    for (let k = 0; k < tree.count; k++) for (const o of tree.outputs[k]) of[o] = k; // children last: innermost wins
    OUTPUT_GROUP.set(g, of);
  }
  return of[id];
}

/**
 * The groups node `id` is an output of, innermost first.
 * @param {ParsedGraph} g
 * @param {number} id
 * @returns {number[]}
 */
export function outputGroups(g, id) {
  const tree = g.groups;
  /** @type {number[]} */
  const found = [];
  if (!tree) return found;
  for (let k = outputGroup(g, id); k >= 0; k = tree.parent[k]) {
    if (tree.outputs[k].includes(id)) found.push(k);
  }
  return found;
}

/** @type {WeakMap<ParsedGraph, Map<number, NeuronShape | null>>} */
const SHAPES = new WeakMap();

/**
 * The nodes of Neuron group `group` with output node `output`, or null when the group is no
 * nn.Neuron or its nodes are not `[relu](b + w₁·x₁ + …)`.
 * @param {ParsedGraph} g
 * @param {number} group
 * @param {number} output
 * @returns {NeuronShape | null}
 */
export function neuronShape(g, group, output) {
  if (g.groups?.kinds[group] !== "Neuron") return null;
  let shapes = SHAPES.get(g);
  if (!shapes) {
    shapes = new Map();
    SHAPES.set(g, shapes);
  }
  const key = group * g.size + output;
  if (!shapes.has(key)) shapes.set(key, readShape(g, group, output));
  return shapes.get(key) ?? null;
}

/**
 * @param {ParsedGraph} g
 * @param {number} group
 * @param {number} output
 * @returns {NeuronShape | null}
 */
function readShape(g, group, output) {
  const tree = /** @type {import("./groups.js").GroupTree} */ (g.groups);
  const inside = (/** @type {number} */ i) => i >= 0 && tree.nodeGroup[i] === group;
  const relu = g.opNames[output] === "relu";
  const sum = relu ? g.a[output] : output;
  /** @type {Array<{w: number, x: number}>} */
  const terms = [];
  let act = sum;
  while (inside(act) && g.opNames[act] === "+") {
    const term = g.b[act];
    if (!inside(term) || g.opNames[term] !== "*") return null;
    terms.push({ w: g.a[term], x: g.b[term] });
    act = g.a[act];
  }
  if (!inside(act) || g.ops[act] !== 0 || terms.length === 0) return null;
  if (terms.some((t) => !inside(t.w) || g.ops[t.w] !== 0)) return null;
  terms.reverse();
  return { group, output, sum, relu, bias: act, terms };
}

/**
 * Neuron `shape` with the current numbers: its formula, its terms (the first MAX_TERMS) and what
 * flows back: the output's grad, relu's gate, and per term the grads grad_out·gate·xᵢ (weight)
 * and grad_out·gate·wᵢ (input) it sends back.
 * @param {ParsedGraph} g
 * @param {NeuronShape} shape
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad the grads drawn now (in a step-through, those so far)
 * @returns {NeuronExplanation}
 */
export function explainNeuron(g, shape, data, grad) {
  const tree = /** @type {import("./groups.js").GroupTree} */ (g.groups);
  const path = tree.paths[shape.group];
  const sum = data[shape.sum];
  const out = data[shape.output];
  const gradOut = grad[shape.output];
  const gate = !shape.relu || sum > 0 ? 1 : 0;
  const n = shape.terms.length;
  const shown = shape.terms.slice(0, MAX_TERMS);
  const more = n - shown.length;
  const g1 = formatText(gradOut);
  const terms = shown.map(({ w, x }, k) => {
    const i = sub(k + 1);
    const wData = data[w];
    const xData = data[x];
    const gradW = gradOut * gate * xData;
    const gradX = gradOut * gate * wData;
    const xName = cardName(g, x);
    const names = `w${i} = ${cardName(g, w) ?? `w${i}`}, x${i} = ${xName ?? formatText(xData)}`;
    return {
      index: k + 1,
      w,
      x,
      wData,
      xData,
      gradW,
      gradX,
      text: `w${i}·x${i} = ${factor(wData)}·${factor(xData)} = ${formatText(wData * xData)}  (${names})`,
      gradText:
        `grad to w${i}: grad_out·gate·x${i} = ${factor(gradOut)}·${gate}·${factor(xData)} = ${formatText(gradW)}; ` +
        `to x${i}: grad_out·gate·w${i} = ${factor(gradOut)}·${gate}·${factor(wData)} = ${formatText(gradX)}`,
    };
  });
  const cut = more > 0 ? ` + … and ${more} more` : "";
  const symbols = `${terms.map((t) => `w${sub(t.index)}·x${sub(t.index)}`).join(" + ")}${cut} + b`;
  const numbers = `${terms.map((t) => `${factor(t.wData)}·${factor(t.xData)}`).join(" + ")}${cut} + ${factor(data[shape.bias])}`;
  const formula = shape.relu
    ? `relu(Σ wᵢxᵢ + b) = relu(${formatText(sum)}) = ${formatText(out)}`
    : `Σ wᵢxᵢ + b = ${formatText(out)}  (linear: no activation)`;
  let gateText;
  if (!shape.relu) gateText = `No relu: the output's grad ${g1} reaches the sum unchanged.`;
  else if (gate === 1) gateText = `relu's gate passes (Σ = ${formatText(sum)} > 0): the output's grad ${g1} reaches the sum.`;
  else gateText = `relu's gate is blocked (Σ = ${formatText(sum)} ≤ 0): no grad reaches the weights, the bias or the inputs.`;
  return {
    path,
    name: `${pathText(path)} (${tree.shorts[shape.group]})`,
    relu: shape.relu,
    sum,
    out,
    gradOut,
    gate,
    formula,
    sumText: `${symbols} = ${numbers} = ${formatText(sum)}`,
    gateText,
    biasText: `b = ${formatText(data[shape.bias])}: grad to b = grad_out·gate = ${factor(gradOut)}·${gate} = ${formatText(gradOut * gate)}`,
    terms,
    more,
  };
}

/**
 * Group `group` with its outputs' current numbers.
 * @param {ParsedGraph} g
 * @param {number} group
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad the grads drawn now
 * @returns {GroupSummary}
 */
export function summarizeGroup(g, group, data, grad) {
  const tree = /** @type {import("./groups.js").GroupTree} */ (g.groups);
  const path = tree.paths[group];
  const outs = tree.outputs[group];
  return {
    group,
    path,
    name: path === "" ? "the top-level module called" : pathText(path),
    kind: tree.kinds[group],
    outputs: outs.slice(0, MAX_TERMS).map((id) => ({ id, name: cardName(g, id) ?? `node ${id}`, data: data[id], grad: grad[id] })),
    more: Math.max(0, outs.length - MAX_TERMS),
  };
}
