// Ordering, the second phase: the order of the nodes within each column, top to bottom, chosen to
// reduce edge crossings (Sugiyama et al.'s crossing reduction, as in Gansner et al.'s dot).
//
// It starts from a depth-first walk from the sinks through operands (first operand first, so an
// expression tree starts without crossings), then alternates barycenter sweeps with swaps of
// adjacent nodes, and keeps the order with the fewest crossings. Only the structure of the
// layered graph is read, never a box size, so an order stays valid while boxes change size.
// Deterministic: every sort breaks ties by position.

import { effortFor } from "./effort.js";
import { PORT_MID } from "./layering.js";

/** @typedef {import("./layering.js").LayeredGraph} LayeredGraph */
/** @typedef {import("./effort.js").Effort} Effort */

/**
 * The order of the nodes within each column, top to bottom: one Int32Array of node ids per rank.
 *
 * Sweeps alternate: up (each column sorted by the mean position of its successors, from the
 * output's column back to the first) and down (by predecessors); each is followed by swaps of
 * neighbours that remove crossings, and the order with the fewest crossings is kept.
 * @param {LayeredGraph} lg
 * @param {Effort} [effort]
 * @returns {Int32Array[]}
 */
export function orderLayers(lg, effort = effortFor(lg.size)) {
  const { size, ranks } = lg;
  const order = initialOrder(lg);
  let widest = 0;
  for (const layer of order) widest = Math.max(widest, layer.length);
  const pos = positions(lg, order);
  const scratch = { ends: new Int32Array(lg.segments), tree: new Int32Array(3 * widest + 1) };
  let best = order.map((layer) => layer.slice());
  let fewest = countCrossings(lg, order, pos, scratch);
  const key = new Float64Array(size);
  const movable = new Int32Array(widest);
  for (let sweep = 0, stale = 0; sweep < effort.sweeps && stale < effort.patience && fewest > 0; sweep++) {
    const up = sweep % 2 === 0;
    for (let step = 1; step < ranks; step++) {
      const layer = order[up ? ranks - 1 - step : step];
      for (let i = 0; i < layer.length; i++) {
        const v = layer[i];
        key[v] = up ? succBarycenter(lg, pos, v) : predBarycenter(lg, pos, v);
      }
      sortLayer(layer, key, pos, movable);
    }
    transpose(lg, order, pos, effort.transposeRounds);
    const count = countCrossings(lg, order, pos, scratch);
    if (count < fewest) {
      fewest = count;
      best = order.map((layer) => layer.slice());
      stale = 0;
    } else {
      stale++;
    }
  }
  return best;
}

/**
 * The order the sweeps start from: depth first from the sinks, in id order, through operands in
 * port order (first operand above the second), so a tree is drawn without crossings from the
 * start.
 * @param {LayeredGraph} lg
 * @returns {Int32Array[]}
 */
export function initialOrder(lg) {
  const { size, ranks, rank, predStart, pred, succStart } = lg;
  /** @type {number[][]} */
  const lists = Array.from({ length: ranks }, () => []);
  const seen = new Uint8Array(size);
  /** @type {number[]} */
  const stack = [];
  for (let root = 0; root < size; root++) {
    if (succStart[root + 1] > succStart[root]) continue;
    stack.push(root);
    while (stack.length) {
      const v = /** @type {number} */ (stack.pop());
      if (seen[v]) continue;
      seen[v] = 1;
      lists[rank[v]].push(v);
      for (let j = predStart[v + 1] - 1; j >= predStart[v]; j--) if (!seen[pred[j]]) stack.push(pred[j]);
    }
  }
  return lists.map((list) => Int32Array.from(list));
}

/**
 * The position of every node within its column, for the order `order`.
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @returns {Int32Array}
 */
export function positions(lg, order) {
  const pos = new Int32Array(lg.size);
  for (const layer of order) for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
  return pos;
}

/**
 * The mean position of v's predecessors, or NaN without any.
 * @param {LayeredGraph} lg
 * @param {Int32Array} pos
 * @param {number} v
 */
function predBarycenter(lg, pos, v) {
  const { predStart, pred } = lg;
  const from = predStart[v];
  const to = predStart[v + 1];
  if (from === to) return NaN;
  let sum = 0;
  for (let j = from; j < to; j++) sum += pos[pred[j]];
  return sum / (to - from);
}

/**
 * The mean position of v's successors, nudged up or down by the port each edge enters; NaN without any.
 * @param {LayeredGraph} lg
 * @param {Int32Array} pos
 * @param {number} v
 */
function succBarycenter(lg, pos, v) {
  const { succStart, succ, succPort } = lg;
  const from = succStart[v];
  const to = succStart[v + 1];
  if (from === to) return NaN;
  let sum = 0;
  for (let j = from; j < to; j++) sum += pos[succ[j]] + (succPort[j] - PORT_MID) * 0.25;
  return sum / (to - from);
}

/**
 * Sort a column in place by key, and update `pos`. Nodes whose key is NaN (no neighbours on the
 * side swept from) keep their slots; the others fill the remaining slots in key order, ties by
 * their current position.
 * @param {Int32Array} layer
 * @param {Float64Array} key
 * @param {Int32Array} pos
 * @param {Int32Array} scratch
 */
function sortLayer(layer, key, pos, scratch) {
  let m = 0;
  for (let i = 0; i < layer.length; i++) if (!Number.isNaN(key[layer[i]])) scratch[m++] = layer[i];
  const movable = scratch.subarray(0, m);
  movable.sort((x, y) => key[x] - key[y] || pos[x] - pos[y]);
  for (let i = 0, k = 0; i < layer.length; i++) if (!Number.isNaN(key[layer[i]])) layer[i] = movable[k++];
  for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
}

/**
 * Swap neighbours within a column wherever that removes crossings with the columns on both
 * sides, until no swap helps or after `rounds` rounds (the transpose step of Gansner et
 * al.'s dot).
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @param {Int32Array} pos
 * @param {number} rounds
 */
function transpose(lg, order, pos, rounds) {
  for (let round = 0; round < rounds; round++) {
    let improved = false;
    for (const layer of order) {
      for (let i = 0; i + 1 < layer.length; i++) {
        const u = layer[i];
        const v = layer[i + 1];
        if (pairCrossings(lg, pos, v, u) < pairCrossings(lg, pos, u, v)) {
          layer[i] = v;
          layer[i + 1] = u;
          pos[v] = i;
          pos[u] = i + 1;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
}

/**
 * Crossings between the segments of u and those of v, u drawn just above v, on both sides.
 * @param {LayeredGraph} lg
 * @param {Int32Array} pos
 * @param {number} u
 * @param {number} v
 */
function pairCrossings(lg, pos, u, v) {
  const { predStart, pred, succStart, succ, succPort } = lg;
  let count = 0;
  for (let i = predStart[u]; i < predStart[u + 1]; i++) {
    const a = pos[pred[i]];
    for (let j = predStart[v]; j < predStart[v + 1]; j++) if (a > pos[pred[j]]) count++;
  }
  for (let i = succStart[u]; i < succStart[u + 1]; i++) {
    const a = 3 * pos[succ[i]] + succPort[i];
    for (let j = succStart[v]; j < succStart[v + 1]; j++) if (a > 3 * pos[succ[j]] + succPort[j]) count++;
  }
  return count;
}

/**
 * Edge crossings between adjacent columns: inversions of segment ends, counted with a Fenwick
 * tree. Two segments into one node by different ports cross when the upper port's comes from
 * below.
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @param {Int32Array} pos each node's position in its column (see positions)
 * @param {{ends: Int32Array, tree: Int32Array}} [scratch] buffers to reuse
 * @returns {number}
 */
export function countCrossings(lg, order, pos, scratch) {
  const { succStart, succ, succPort } = lg;
  let widest = 0;
  for (const layer of order) widest = Math.max(widest, layer.length);
  const ends = scratch?.ends ?? new Int32Array(lg.segments);
  const tree = scratch?.tree ?? new Int32Array(3 * widest + 1);
  let total = 0;
  for (let r = 0; r + 1 < order.length; r++) {
    const slots = 3 * order[r + 1].length;
    tree.fill(0, 0, slots + 1);
    let m = 0;
    for (const v of order[r]) {
      const first = m;
      for (let j = succStart[v]; j < succStart[v + 1]; j++) ends[m++] = 3 * pos[succ[j]] + succPort[j];
      if (m - first > 1) ends.subarray(first, m).sort();
    }
    // each segment crosses every earlier one that ends strictly lower
    for (let k = 0; k < m; k++) {
      let lower = k;
      for (let i = ends[k] + 1; i > 0; i -= i & -i) lower -= tree[i];
      total += lower;
      for (let i = ends[k] + 1; i <= slots; i += i & -i) tree[i]++;
    }
  }
  return total;
}
