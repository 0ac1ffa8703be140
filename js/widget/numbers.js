// The numbers on the graph: the slider values, and the data and grad they give (forward and
// backward with the JS engine, no kernel round trip), plus the grads a step-through shows.
// Pure: no DOM.

import { createEvaluator } from "../core/engine.js";
import { gradsAfterStep } from "../core/explain.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */

/**
 * @typedef {object} Numbers
 * @property {ParsedGraph} g the graph they are computed on
 * @property {Int32Array} ids each slider's leaf
 * @property {Float64Array} values each slider's value
 * @property {Float64Array} data every node's value
 * @property {Float64Array} grad every node's grad, d output / d node
 * @property {(index: number, value: number) => boolean} setValue move slider `index`;
 *   recomputes and returns true unless the value is the one it had
 * @property {(values: ArrayLike<number>) => boolean} setValues every slider at once (the
 *   kernel's values); recomputes and returns true unless all are as they were
 * @property {(g: ParsedGraph) => void} setGraph a graph of the same structure with new numbers
 *   (the kernel moved leaves without a slider): start again from its numbers
 * @property {(step: number | null) => Float64Array} gradsShown the grads to draw: the full
 *   backward pass (step null), or those after `step` steps of the step-through
 */

/**
 * The numbers of graph `g` with slider leaves `ids` at `values`.
 * @param {ParsedGraph} g
 * @param {Int32Array} ids leaf ids, checked (engine.checkLeaf)
 * @param {ArrayLike<number>} values
 * @returns {Numbers}
 */
export function createNumbers(g, ids, values) {
  let evaluator = createEvaluator(g);
  const start = startingNumbers(g, evaluator, ids, Float64Array.from(values));
  /** @type {Numbers} */
  const numbers = {
    g,
    ids,
    values: Float64Array.from(values),
    data: start.data,
    grad: start.grad,
    setValue(index, value) {
      if (Object.is(numbers.values[index], value)) return false;
      numbers.values[index] = value;
      recompute();
      return true;
    },
    setValues(next) {
      if (Array.prototype.every.call(next, (v, j) => Object.is(v, numbers.values[j]))) return false;
      numbers.values = Float64Array.from(next);
      recompute();
      return true;
    },
    setGraph(next) {
      numbers.g = next;
      evaluator = createEvaluator(next);
      const { data, grad } = startingNumbers(next, evaluator, ids, numbers.values);
      numbers.data = data;
      numbers.grad = grad;
    },
    gradsShown: (step) => (step === null ? numbers.grad : gradsAfterStep(numbers.g, numbers.data, step)),
  };

  function recompute() {
    const { data, grad } = evaluator.runLeaves(ids, numbers.values);
    numbers.data = data;
    numbers.grad = grad;
  }

  return numbers;
}

/**
 * The numbers to show first: the graph's own (as Python computed them) when the sliders agree
 * with its leaves and it has every grad, else a fresh forward and backward pass with the slider
 * values.
 * @param {ParsedGraph} g
 * @param {import("../core/engine.js").Evaluator} evaluator
 * @param {Int32Array} ids
 * @param {Float64Array} values
 */
function startingNumbers(g, evaluator, ids, values) {
  const agree = !g.gradless && ids.every((id, j) => Object.is(g.data[id], values[j]));
  if (agree) return { data: g.data, grad: g.grad };
  return evaluator.runLeaves(ids, values);
}
