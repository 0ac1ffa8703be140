// Layering, the first phase: each node gets a column (its rank), and every edge that spans
// several columns is cut into a chain of zero-height dummy nodes, one per column it crosses, so
// that the later phases only ever see segments between adjacent columns.
//
// A graph from engine.parseGraph is a DAG in topological order (operands have smaller ids), so no
// cycle breaking is needed and both steps are single loops over ids.
//
// The layered graph built here is the one data structure the later phases share (ordering.js,
// positioning.js, routing.js): they never read the engine graph it came from.

/** Where a segment enters its target: the upper port (first of two operands), the middle, the lower. */
export const PORT_TOP = 0;
export const PORT_MID = 1;
export const PORT_BOTTOM = 2;

/**
 * @typedef {object} LayeredGraph
 * @property {number} real the number of real nodes: ids 0..real-1 are the graph's values
 * @property {number} size real and dummy nodes: dummies are ids real..size-1
 * @property {number} ranks the number of columns
 * @property {number} segments the number of segments (edges between adjacent columns)
 * @property {Int32Array} rank the column of each node
 * @property {Int32Array} predStart CSR offsets into pred, predSeg, predPort: size + 1 of them
 * @property {Int32Array} pred each node's predecessors (the column to its left)
 * @property {Int32Array} predSeg the segment of each pred entry
 * @property {Uint8Array} predPort the port each pred entry's segment enters the node by
 * @property {Int32Array} succStart CSR offsets into succ, succSeg, succPort: size + 1 of them
 * @property {Int32Array} succ each node's successors (the column to its right)
 * @property {Int32Array} succSeg the segment of each succ entry
 * @property {Uint8Array} succPort the port each succ entry's segment enters the successor by
 * @property {Int32Array} edgeFrom per operand use (edges in id, then operand order): the operand
 * @property {Int32Array} edgeTo the user
 * @property {Uint8Array} edgeWhich 0 for the first operand, 1 for the second
 * @property {Uint8Array} edgeArity the user's number of operands
 * @property {Int32Array} edgeDummy the edge's first dummy; the others follow, one per column
 */

/**
 * The column of every node: one right of its deepest operand, then pulled right to one left of
 * its nearest user where it has users (so weights sit beside the products that use them).
 * Columns start at 0.
 * @param {{size: number, a: Int32Array, b: Int32Array}} g a parsed graph (engine.parseGraph)
 * @returns {Int32Array} the column of each node, by id
 */
export function assignRanks(g) {
  const n = g.size;
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (g.a[i] >= 0) rank[i] = rank[g.a[i]] + 1;
    if (g.b[i] >= 0) rank[i] = Math.max(rank[i], rank[g.b[i]] + 1);
  }
  // Users have larger ids, so going down the ids sees every user's final column first. A pulled
  // node never moves left: its users are at least one column right of its deepest-operand column.
  const none = 0x7fffffff;
  const nearest = new Int32Array(n).fill(none);
  for (let i = n - 1; i >= 0; i--) {
    if (nearest[i] !== none) rank[i] = nearest[i] - 1;
    if (g.a[i] >= 0) nearest[g.a[i]] = Math.min(nearest[g.a[i]], rank[i]);
    if (g.b[i] >= 0) nearest[g.b[i]] = Math.min(nearest[g.b[i]], rank[i]);
  }
  let min = none;
  for (let i = 0; i < n; i++) min = Math.min(min, rank[i]);
  for (let i = 0; i < n; i++) rank[i] -= min;
  return rank;
}

/**
 * The layered graph of parsed graph `g` with columns `rank` (assignRanks): the n real nodes
 * (ids 0..n-1) and one dummy per column a long edge crosses (ids n..; the two edges of x * x
 * share theirs), every segment joining adjacent columns.
 * @param {{size: number, a: Int32Array, b: Int32Array}} g a parsed graph (engine.parseGraph)
 * @param {Int32Array} rank
 * @returns {LayeredGraph}
 */
export function buildLayers(g, rank) {
  const n = g.size;
  let edges = 0;
  let dummies = 0;
  for (let i = 0; i < n; i++) {
    if (g.a[i] >= 0) {
      edges++;
      dummies += rank[i] - rank[g.a[i]] - 1;
    }
    if (g.b[i] >= 0) {
      edges++;
      // x * x: both operand edges share one chain (they part only at the ports)
      if (g.b[i] !== g.a[i]) dummies += rank[i] - rank[g.b[i]] - 1;
    }
  }
  const size = n + dummies;
  const segments = edges + dummies;
  const nodeRank = new Int32Array(size);
  nodeRank.set(rank);
  const segFrom = new Int32Array(segments);
  const segTo = new Int32Array(segments);
  const segPort = new Uint8Array(segments);
  const edgeFrom = new Int32Array(edges);
  const edgeTo = new Int32Array(edges);
  const edgeWhich = new Uint8Array(edges);
  const edgeArity = new Uint8Array(edges);
  const edgeDummy = new Int32Array(edges);
  let e = 0;
  let s = 0;
  let d = n;
  for (let i = 0; i < n; i++) {
    if (g.a[i] < 0) continue;
    const arity = g.b[i] < 0 ? 1 : 2;
    let last = -1; // the node the first operand's edge passes in the column before node i
    for (let which = 0; which < arity; which++) {
      const from = which === 0 ? g.a[i] : g.b[i];
      const shared = which === 1 && from === g.a[i];
      edgeFrom[e] = from;
      edgeTo[e] = i;
      edgeWhich[e] = which;
      edgeArity[e] = arity;
      edgeDummy[e] = shared ? edgeDummy[e - 1] : d;
      e++;
      let prev = shared ? last : from;
      if (!shared) {
        for (let r = rank[from] + 1; r < rank[i]; r++) {
          nodeRank[d] = r;
          segFrom[s] = prev;
          segTo[s] = d;
          segPort[s] = PORT_MID;
          s++;
          prev = d++;
        }
      }
      last = prev;
      segFrom[s] = prev;
      segTo[s] = i;
      segPort[s] = arity === 1 ? PORT_MID : which === 0 ? PORT_TOP : PORT_BOTTOM;
      s++;
    }
  }
  const [predStart, pred, predSeg] = csr(size, segTo, segFrom);
  const [succStart, succ, succSeg] = csr(size, segFrom, segTo);
  let ranks = 0;
  for (let v = 0; v < size; v++) ranks = Math.max(ranks, nodeRank[v] + 1);
  return {
    real: n,
    size,
    ranks,
    segments,
    rank: nodeRank,
    predStart,
    pred,
    predSeg,
    predPort: Uint8Array.from(predSeg, (k) => segPort[k]),
    succStart,
    succ,
    succSeg,
    succPort: Uint8Array.from(succSeg, (k) => segPort[k]),
    edgeFrom,
    edgeTo,
    edgeWhich,
    edgeArity,
    edgeDummy,
  };
}

/**
 * Adjacency lists in CSR form: for each key k, the values of the pairs (keys[j], values[j]) in j
 * order, and the j of each entry. Returns [start, values, js].
 * @param {number} size
 * @param {Int32Array} keys
 * @param {Int32Array} values
 * @returns {[Int32Array, Int32Array, Int32Array]}
 */
function csr(size, keys, values) {
  const start = new Int32Array(size + 1);
  for (let j = 0; j < keys.length; j++) start[keys[j] + 1]++;
  for (let v = 0; v < size; v++) start[v + 1] += start[v];
  const fill = start.slice(0, size);
  const list = new Int32Array(keys.length);
  const index = new Int32Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const k = fill[keys[j]]++;
    list[k] = values[j];
    index[k] = j;
  }
  return [start, list, index];
}
