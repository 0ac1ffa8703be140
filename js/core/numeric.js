// The numerical gradient check of one node: the central difference (f(v+h) - f(v-h)) / 2h of
// the output, re-running the forward pass from that node with the JS engine, beside the grad
// backprop found. The twin of micrograd_magic/numeric.py's check_node (its docstring says why
// each rule is there); tests/vectors/gradcheck.json pins the two together. Pure: no DOM.

import { opForward } from "./engine.js";
import { OPS } from "./ops-table.js";

/** Estimate and grad agree when they differ by at most this, relative to the larger. */
export const RTOL = 1e-6;

/** @typedef {"agree" | "disagree" | "kink" | "unreliable"} NumericStatus */

/**
 * @typedef {object} NumericCheck
 * @property {number} id
 * @property {number} value the node's value v
 * @property {number} h the step
 * @property {number} estimate (f(v+h) - f(v-h)) / 2h
 * @property {number} grad the grad backprop found
 * @property {number} relerr |estimate - grad| / max(|grad|, 1e-12)
 * @property {NumericStatus} status
 * @property {string} note why a status other than agree or disagree ("" otherwise)
 */

/**
 * The h for a node holding `value`: 1e-5 of its size, at least 1e-5 (numeric.py's step_size).
 * @param {number} value
 */
export function stepSize(value) {
  return 1e-5 * Math.max(1, Math.abs(value));
}

/**
 * Check node `id`'s grad against a central difference of the output at `data`.
 * @param {import("./engine.js").ParsedGraph} g
 * @param {ArrayLike<number>} data every node's value (a forward pass of g)
 * @param {ArrayLike<number>} grad every node's grad (its backward pass)
 * @param {number} id
 * @returns {NumericCheck}
 */
export function checkNode(g, data, grad, id) {
  const { ops, a, b, k, output } = g;
  const v = data[id];
  const gr = grad[id];
  const h = stepSize(v);
  let size = Math.abs(v); // the largest number the re-runs go through: their rounding's scale

  /** @param {number} x */
  function run(x) {
    const buf = Float64Array.from(data);
    buf[id] = x;
    for (let i = id + 1; i <= output; i++) {
      if (ops[i] === 0) continue;
      buf[i] = opForward(ops[i], buf[a[i]], b[i] >= 0 ? buf[b[i]] : NaN, k[i]);
      size = Math.max(size, Math.abs(buf[i]));
    }
    return buf;
  }

  const minus = run(v - h);
  const plus = run(v + h);
  const fMinus = minus[output];
  const fPlus = plus[output];
  const fMinus2 = run(v - 2 * h)[output];
  const fPlus2 = run(v + 2 * h)[output];
  const estimate = (fPlus - fMinus) / (2 * h);
  const estimate2 = (fPlus2 - fMinus2) / (4 * h);
  const diff = Math.abs(estimate - gr);
  const relerr = diff / Math.max(Math.abs(gr), 1e-12);
  /**
   * @param {NumericStatus} status
   * @param {string} [note]
   * @returns {NumericCheck}
   */
  const result = (status, note = "") => ({ id, value: v, h, estimate, grad: gr, relerr, status, note });

  if (![v, gr, fMinus, fPlus, fMinus2, fPlus2, estimate].every(Number.isFinite)) {
    return result("unreliable", "the numbers are not finite near this point");
  }
  for (let i = id + 1; i <= output; i++) {
    const kinks = OPS[ops[i]].kinks;
    if (kinks.length === 0) continue;
    const lo = Math.min(minus[a[i]], plus[a[i]]);
    const hi = Math.max(minus[a[i]], plus[a[i]]);
    if (lo !== hi && kinks.some((c) => lo <= c && c <= hi)) {
      return result("kink", `not differentiable here: ${OPS[ops[i]].name} meets its kink within v ± h`);
    }
  }
  if (diff <= RTOL * Math.max(Math.abs(gr), Math.abs(estimate))) return result("agree");
  const rounding = (8 * Number.EPSILON * size) / h;
  const curve = Math.abs(estimate2 - estimate) / 3;
  if (diff <= 10 * (rounding + curve) || curve > 1e-3 * Math.max(Math.abs(estimate), Math.abs(estimate2))) {
    return result("unreliable", "the estimate's own error is as large as the difference");
  }
  return result("disagree");
}
