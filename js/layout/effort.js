// How hard the layout's heuristics work: the crossing reduction (ordering.js) and the vertical
// placement (positioning.js) read the same choice, made from the size of the layered graph.

/**
 * @typedef {object} Effort
 * @property {number} sweeps crossing-reduction sweeps, at most
 * @property {number} patience sweeps in a row that may fail to remove crossings before stopping
 * @property {number} transposeRounds rounds of adjacent swaps after each sweep
 * @property {number} alignments Brandes–Köpf directions: 4, or 2 opposite ones
 * @property {number} refineRounds rounds of moving columns towards their neighbours
 */

/** @type {Readonly<Effort>} */
export const FULL_EFFORT = Object.freeze({
  sweeps: 8,
  patience: 2,
  transposeRounds: 4,
  alignments: 4,
  refineRounds: 4,
});

/** @type {Readonly<Effort>} */
export const QUICK_EFFORT = Object.freeze({
  sweeps: 1,
  patience: 1,
  transposeRounds: 1,
  alignments: 2,
  refineRounds: 2,
});

/**
 * Above this many nodes in the layered graph (real and dummy) the layout works with QUICK_EFFORT.
 * A first render runs the layout in a cold JavaScript engine, where every pass over the layered
 * graph of a thousand-value MLP (several times as many nodes, with the dummies) is slow enough
 * to notice, and the extra sweeps and rounds remove few of its crossings, while on small graphs
 * they are cheap and visibly help (docs/performance.md has the figures).
 */
export const QUICK_ABOVE = 1500;

/**
 * The effort for a layered graph of `size` nodes.
 * @param {number} size
 * @returns {Readonly<Effort>}
 */
export function effortFor(size) {
  return size > QUICK_ABOVE ? QUICK_EFFORT : FULL_EFFORT;
}
