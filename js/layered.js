// A layered (Sugiyama-style) left-to-right layout for computation graphs, in linear-size passes
// over typed arrays.
//
// A graph from engine.parseGraph is a DAG in topological order (operands have smaller ids), so
// no cycle breaking is needed and every pass below is a loop over ids or over columns:
//
// 1. ranks: each node one column right of its deepest operand, then every node that has users
//    pulled right to just before its nearest user (weights sit beside the product that uses them);
// 2. long edges are cut into chains of zero-height dummy nodes, one per column they cross (the two
//    edges of x * x share theirs);
// 3. order within columns: depth first from the sinks through operands (first operand first, so
//    an expression tree starts without crossings), then barycenter sweeps and adjacent swaps,
//    keeping the order with the fewest crossings;
// 4. heights: Brandes and Köpf's alignment of median neighbours into straight blocks, in their
//    four directions, balanced; then a few rounds that move each column towards the median of
//    its neighbours' ports as far as the column's spacing allows (an isotonic regression per
//    column), which also guarantees the spacing;
// 5. columns as wide as their widest box, nodes centred in them; edges run level through the
//    columns and bend only between them.
//
// Large graphs get fewer sweeps and rounds (see QUICK_ABOVE). Deterministic: no randomness, and
// every sort breaks ties by position or id.

import { METRICS, inPort } from "./geometry.js";

/**
 * How hard the heuristics work: crossing-reduction sweeps (at most `sweeps`, stopping after
 * `patience` that do not help), rounds of adjacent swaps after each sweep, block alignments
 * (Brandes–Köpf directions: 4 or 2), and rounds of moving columns towards their neighbours.
 */
const FULL_EFFORT = Object.freeze({
  sweeps: 8,
  patience: 2,
  transposeRounds: 4,
  alignments: 4,
  refineRounds: 4,
});
const QUICK_EFFORT = Object.freeze({
  sweeps: 1,
  patience: 1,
  transposeRounds: 1,
  alignments: 2,
  refineRounds: 2,
});

/**
 * Above this many nodes in the layered graph (real and dummy) the layout works with QUICK_EFFORT.
 * A first render runs the layout in a cold JavaScript engine, where each pass over the ~3,100
 * nodes of a 1,000-value MLP costs milliseconds; the extra sweeps and rounds remove only a few
 * per cent of its crossings, while on small graphs they are cheap and visibly help.
 */
export const QUICK_ABOVE = 1500;

/** The effort for a layered graph of `size` nodes. */
export function effortFor(size) {
  return size > QUICK_ABOVE ? QUICK_EFFORT : FULL_EFFORT;
}

/** Heights closer than this (pixels) count as level. */
const LEVEL = 1e-6;

/** Where an edge enters its target: the upper port (first of two operands), the middle, the lower. */
const PORT_TOP = 0;
const PORT_MID = 1;
const PORT_BOTTOM = 2;

/**
 * The column of every node: one right of its deepest operand, then pulled right to one left of
 * its nearest user where it has users. Columns start at 0. Returns an Int32Array by id.
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
 * The layered graph: the n real nodes (ids 0..n-1) and one dummy per column a long edge crosses
 * (ids n..; the two edges of x * x share theirs), every segment joining adjacent columns. Per node: `rank`; predecessors and
 * successors in CSR form (`predStart`/`pred`, `succStart`/`succ`), with the segment of each entry
 * (`predSeg`, `succSeg`) and the port the segment enters its target by (`predPort`, `succPort`).
 * Per operand use (edge index in id and operand order): `edgeFrom`, `edgeTo`, `edgeWhich`,
 * `edgeArity`, and its dummies, from `edgeDummy` on, one per column between its ends.
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
    predPort: predSeg.map((k) => segPort[k]),
    succStart,
    succ,
    succSeg,
    succPort: succSeg.map((k) => segPort[k]),
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

/**
 * The order of the nodes within each column, top to bottom: one Int32Array of node ids per rank.
 *
 * Sweeps alternate: up (each column sorted by the mean position of its successors, from the
 * output's column back to the first) and down (by predecessors); each is followed by swaps of
 * neighbours that remove crossings, and the order with the fewest crossings is kept.
 */
export function orderLayers(lg, effort = effortFor(lg.size)) {
  const { size, ranks, rank, predStart, pred } = lg;
  // Initial order: depth first from the sinks, in id order, through operands in port order (first
  // operand above the second), so a tree is drawn without crossings from the start.
  const lists = Array.from({ length: ranks }, () => []);
  const seen = new Uint8Array(size);
  const stack = [];
  for (let root = 0; root < size; root++) {
    if (lg.succStart[root + 1] > lg.succStart[root]) continue;
    stack.push(root);
    while (stack.length) {
      const v = stack.pop();
      if (seen[v]) continue;
      seen[v] = 1;
      lists[rank[v]].push(v);
      for (let j = predStart[v + 1] - 1; j >= predStart[v]; j--) if (!seen[pred[j]]) stack.push(pred[j]);
    }
  }
  const order = lists.map((list) => Int32Array.from(list));
  let widest = 0;
  for (const layer of order) widest = Math.max(widest, layer.length);
  const pos = new Int32Array(size);
  for (const layer of order) for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
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

/** The mean position of v's predecessors, or NaN without any. */
function predBarycenter(lg, pos, v) {
  const { predStart, pred } = lg;
  const from = predStart[v];
  const to = predStart[v + 1];
  if (from === to) return NaN;
  let sum = 0;
  for (let j = from; j < to; j++) sum += pos[pred[j]];
  return sum / (to - from);
}

/** The mean position of v's successors, nudged up or down by the port each edge enters; NaN without any. */
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

/** Crossings between the segments of u and those of v, u drawn just above v, on both sides. */
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
 * below. `scratch` ({ends, tree}) may be passed to reuse buffers.
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

/**
 * Vertical centres of all nodes (real and dummy) for the column order `order`, given each node's
 * height and the gap it wants on each side (Float64Arrays by node; dummies have height 0).
 * Consecutive nodes u, v of a column end up at least (height + gap)/2 of each apart.
 */
export function placeVertically(lg, order, heights, gaps, effort = effortFor(lg.size)) {
  const { size } = lg;
  const reach = new Float64Array(size);
  for (let v = 0; v < size; v++) reach[v] = (heights[v] + gaps[v]) / 2;
  const pos = new Int32Array(size);
  for (const layer of order) for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
  const left = sortedByPosition(lg.predStart, lg.pred, lg.predSeg, pos);
  const right = sortedByPosition(lg.succStart, lg.succ, lg.succSeg, pos);
  const conflicts = markConflicts(lg, order, pos);

  // Full effort: all four directions. Quick: two opposite ones (aligned with predecessors from
  // the top, with successors from the bottom), whose mean is already balanced.
  const directions =
    effort.alignments === 4
      ? [[true, true], [true, false], [false, true], [false, false]]
      : [[true, true], [false, false]];
  const passes = directions.map(([fromLeft, fromTop]) =>
    alignAndCompact(lg, order, pos, fromLeft ? left : right, fromLeft, fromTop, conflicts, reach, heights),
  );
  // Align them to the narrowest: top-down ones by their top, bottom-up ones by their bottom.
  let narrowest = passes[0];
  for (const p of passes) if (p.hi - p.lo < narrowest.hi - narrowest.lo) narrowest = p;
  for (const p of passes) {
    const shift = p.fromTop ? narrowest.lo - p.lo : narrowest.hi - p.hi;
    for (let v = 0; v < size; v++) p.ys[v] += shift;
  }
  const y = new Float64Array(size);
  if (passes.length === 2) {
    const [a, b] = [passes[0].ys, passes[1].ys];
    // a mean of two placements keeps every separation both keep
    for (let v = 0; v < size; v++) y[v] = (a[v] + b[v]) / 2;
  } else {
    const [a, b, c, d] = passes.map((p) => p.ys);
    for (let v = 0; v < size; v++) {
      // the mean of the two middle values of four (they add up to all four minus the extremes)
      const low = Math.max(Math.min(a[v], b[v]), Math.min(c[v], d[v]));
      const high = Math.min(Math.max(a[v], b[v]), Math.max(c[v], d[v]));
      y[v] = (low + high) / 2;
    }
  }
  refine(lg, order, y, reach, effort.refineRounds);
  return y;
}

/**
 * A copy of CSR lists (`start`, `list`, and the segment of each entry) with each node's entries
 * sorted by position in their column.
 */
function sortedByPosition(start, list, seg, pos) {
  const nodes = Int32Array.from(list);
  const segs = Int32Array.from(seg);
  for (let v = 0; v + 1 < start.length; v++) {
    for (let i = start[v] + 1; i < start[v + 1]; i++) {
      const u = nodes[i];
      const s = segs[i];
      let j = i - 1;
      while (j >= start[v] && pos[nodes[j]] > pos[u]) {
        nodes[j + 1] = nodes[j];
        segs[j + 1] = segs[j];
        j--;
      }
      nodes[j + 1] = u;
      segs[j + 1] = s;
    }
  }
  return { start, nodes, segs };
}

/**
 * Type 1 conflicts of Brandes and Köpf: segments with a real end that cross a segment between
 * two dummies (the inner segments of long edges, which are kept straight first). Returns a flag
 * per segment.
 */
function markConflicts(lg, order, pos) {
  const { real, predStart, pred, predSeg } = lg;
  const marked = new Uint8Array(lg.segments);
  for (let r = 1; r < order.length; r++) {
    const layer = order[r];
    const previous = order[r - 1].length;
    let k0 = 0;
    let scan = 0;
    for (let l1 = 0; l1 < layer.length; l1++) {
      const v = layer[l1];
      // a dummy has exactly one predecessor
      const inner = v >= real && pred[predStart[v]] >= real;
      if (!inner && l1 !== layer.length - 1) continue;
      const k1 = inner ? pos[pred[predStart[v]]] : previous - 1;
      for (; scan <= l1; scan++) {
        const w = layer[scan];
        for (let j = predStart[w]; j < predStart[w + 1]; j++) {
          const u = pred[j];
          if ((pos[u] < k0 || pos[u] > k1) && !(u >= real && w >= real)) marked[predSeg[j]] = 1;
        }
      }
      k0 = k1;
    }
  }
  return marked;
}

/**
 * One of the four Brandes–Köpf placements: blocks of nodes aligned with a median neighbour in
 * the column before (`fromLeft`: predecessors, columns left to right; else successors, right to
 * left), the columns taken top down (`fromTop`) or bottom up; then the blocks packed towards
 * that side. `side` holds the neighbours sorted by position. Returns centres by node.
 */
function alignAndCompact(lg, order, pos, side, fromLeft, fromTop, conflicts, reach, heights) {
  const { size } = lg;
  const { start, nodes, segs } = side;
  const last = order.length - 1;
  const dir = fromTop ? 1 : -1;
  const root = new Int32Array(size);
  const align = new Int32Array(size);
  for (let v = 0; v < size; v++) root[v] = align[v] = v;
  for (let k = 1; k <= last; k++) {
    const layer = order[fromLeft ? k : last - k];
    const len = layer.length;
    let r = -Infinity;
    for (let i = 0; i < len; i++) {
      const v = layer[fromTop ? i : len - 1 - i];
      const s = start[v];
      const d = start[v + 1] - s;
      if (d === 0) continue;
      for (let m = (d - 1) >> 1; m <= d >> 1 && align[v] === v; m++) {
        const j = s + (fromTop ? m : d - 1 - m);
        const u = nodes[j];
        if (!conflicts[segs[j]] && r < dir * pos[u]) {
          align[u] = v;
          root[v] = root[u];
          align[v] = root[v];
          r = dir * pos[u];
        }
      }
    }
  }

  // Packing: blocks are the nodes of a graph with an edge from the block of each node's
  // neighbour above (in the sweep's direction) to its own, needing the two nodes' reaches apart.
  // It is acyclic (alignments never cross), so Kahn's algorithm gives the longest paths.
  const { rank } = lg;
  const indegree = new Int32Array(size);
  for (let v = 0; v < size; v++) {
    const i = pos[v] - dir;
    if (i >= 0 && i < order[rank[v]].length) indegree[root[v]]++;
  }
  const topo = new Int32Array(size);
  let tail = 0;
  for (let v = 0; v < size; v++) if (root[v] === v && indegree[v] === 0) topo[tail++] = v;
  const x = new Float64Array(size);
  for (let head = 0; head < tail; head++) {
    const v = topo[head];
    let w = v;
    do {
      const layer = order[rank[w]];
      const i = pos[w] + dir;
      if (i >= 0 && i < layer.length) {
        const b = layer[i];
        const rb = root[b];
        x[rb] = Math.max(x[rb], x[v] + reach[w] + reach[b]);
        if (--indegree[rb] === 0) topo[tail++] = rb;
      }
      w = align[w];
    } while (w !== v);
  }
  // A block that nothing pushes stays at 0, far from its neighbours: pull each block towards
  // the nearest block after it.
  for (let h = tail - 1; h >= 0; h--) {
    const v = topo[h];
    let limit = Infinity;
    let w = v;
    do {
      const layer = order[rank[w]];
      const i = pos[w] + dir;
      if (i >= 0 && i < layer.length) {
        const b = layer[i];
        limit = Math.min(limit, x[root[b]] - reach[w] - reach[b]);
      }
      w = align[w];
    } while (w !== v);
    if (limit !== Infinity) x[v] = Math.max(x[v], limit);
  }
  const ys = new Float64Array(size);
  let lo = Infinity;
  let hi = -Infinity;
  for (let v = 0; v < size; v++) {
    const c = dir * x[root[v]];
    ys[v] = c;
    lo = Math.min(lo, c - heights[v] / 2);
    hi = Math.max(hi, c + heights[v] / 2);
  }
  return { ys, lo, hi, fromTop };
}

/**
 * Smooth the placement: column by column, alternately right to left and left to right, move the
 * real nodes towards the median of where their edges attach on both sides (a node's centre level
 * with its operands' centres and its users' ports), as close as the column's spacing allows.
 * Dummies stay where the blocks put them unless pushed: moved too, long edges sag into
 * staircases.
 */
function refine(lg, order, y, reach, rounds) {
  const { real, predStart, pred, predPort, succStart, succ, succPort } = lg;
  let widest = 0;
  let degree = 0;
  for (const layer of order) widest = Math.max(widest, layer.length);
  for (let v = 0; v < lg.size; v++) {
    degree = Math.max(degree, predStart[v + 1] - predStart[v] + succStart[v + 1] - succStart[v]);
  }
  const want = new Float64Array(widest);
  const gaps = new Float64Array(widest);
  const values = new Float64Array(degree);
  const blocks = { start: new Int32Array(widest), sum: new Float64Array(widest) };
  const spread = METRICS.portSpread;
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < order.length; step++) {
      // the last round runs left to right, so each column settles against its final operands
      const layer = order[(rounds - round) % 2 === 1 ? step : order.length - 1 - step];
      const len = layer.length;
      for (let i = 0; i < len; i++) {
        const v = layer[i];
        if (i > 0) gaps[i] = reach[layer[i - 1]] + reach[v];
        if (v >= real) {
          want[i] = y[v];
          continue;
        }
        let m = 0;
        for (let j = predStart[v]; j < predStart[v + 1]; j++) {
          values[m++] = y[pred[j]] - (predPort[j] - PORT_MID) * spread;
        }
        for (let j = succStart[v]; j < succStart[v + 1]; j++) {
          values[m++] = y[succ[j]] + (succPort[j] - PORT_MID) * spread;
        }
        want[i] = m === 0 ? y[v] : median(values, m);
      }
      spaceOut(layer, want, gaps, y, blocks);
    }
  }
}

/** The median of values[0..m), which it sorts. */
function median(values, m) {
  for (let i = 1; i < m; i++) {
    const x = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > x) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = x;
  }
  return m % 2 ? values[m >> 1] : (values[(m >> 1) - 1] + values[m >> 1]) / 2;
}

/**
 * Place a column's nodes as near their wanted centres as possible (least squares) while
 * consecutive ones keep at least `gaps[i]` between centres i-1 and i: pool adjacent violators
 * on the centres minus the cumulative gaps. Writes the result into `y`.
 */
function spaceOut(layer, want, gaps, y, blocks) {
  const { start, sum } = blocks;
  let count = 0;
  let offset = 0;
  for (let i = 0; i < layer.length; i++) {
    if (i > 0) offset += gaps[i];
    // a block of nodes moves as one: its level is the mean of their wants minus their offsets
    start[count] = i;
    sum[count] = want[i] - offset;
    count++;
    while (count > 1) {
      const size = i + 1 - start[count - 1];
      const before = start[count - 1] - start[count - 2];
      if (sum[count - 2] / before <= sum[count - 1] / size) break;
      sum[count - 2] += sum[count - 1];
      count--;
    }
  }
  offset = 0;
  for (let b = 0, i = 0; b < count; b++) {
    const end = b + 1 < count ? start[b + 1] : layer.length;
    const level = sum[b] / (end - start[b]);
    for (; i < end; i++) {
      if (i > 0) offset += gaps[i];
      y[layer[i]] = level + offset;
    }
  }
}

/**
 * Lay out parsed graph `g` with node boxes `boxes` (geometry.nodeBoxes) and `spacing` ({nodesep,
 * ranksep, edgesep, margin}, pixels). Returns {width, height, left, top, edges} as
 * layout.layoutGraph documents.
 */
export function layeredLayout(g, boxes, spacing) {
  const n = g.size;
  const lg = buildLayers(g, assignRanks(g));
  const order = orderLayers(lg);
  const heights = new Float64Array(lg.size);
  const gaps = new Float64Array(lg.size).fill(spacing.edgesep);
  for (let i = 0; i < n; i++) {
    heights[i] = boxes[i].height;
    gaps[i] = spacing.nodesep;
  }
  const y = placeVertically(lg, order, heights, gaps);

  // Columns as wide as their widest box, nodes centred in them (the centres of a column share x).
  const colWidth = new Float64Array(lg.ranks);
  for (let i = 0; i < n; i++) colWidth[lg.rank[i]] = Math.max(colWidth[lg.rank[i]], boxes[i].width);
  const colLeft = new Float64Array(lg.ranks);
  let x = spacing.margin;
  for (let r = 0; r < lg.ranks; r++) {
    colLeft[r] = x;
    x += colWidth[r] + spacing.ranksep;
  }
  const width = x - spacing.ranksep + spacing.margin;
  let minTop = Infinity;
  let maxBottom = -Infinity;
  for (let v = 0; v < lg.size; v++) {
    minTop = Math.min(minTop, y[v] - heights[v] / 2);
    maxBottom = Math.max(maxBottom, y[v] + heights[v] / 2);
  }
  const shift = spacing.margin - minTop;
  for (let v = 0; v < lg.size; v++) y[v] += shift;
  const height = maxBottom + shift + spacing.margin;

  const left = new Float64Array(n);
  const top = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = lg.rank[i];
    left[i] = colLeft[r] + (colWidth[r] - boxes[i].width) / 2;
    top[i] = y[i] - boxes[i].height / 2;
  }

  const edges = new Array(lg.edgeFrom.length);
  for (let e = 0; e < edges.length; e++) {
    const from = lg.edgeFrom[e];
    const to = lg.edgeTo[e];
    const which = lg.edgeWhich[e];
    const points = [{ x: left[from] + boxes[from].width, y: y[from] }];
    // An edge runs level through the columns (its ends' and those it crosses, at its dummies'
    // heights) and bends only between columns, so it never cuts through a box; a level run
    // needs just its two ends.
    let level = y[from];
    let runEnd = colLeft[lg.rank[from]] + colWidth[lg.rank[from]];
    for (let d = lg.edgeDummy[e], r = lg.rank[from] + 1; r < lg.rank[to]; d++, r++) {
      if (Math.abs(y[d] - level) > LEVEL) {
        if (runEnd > points[points.length - 1].x) points.push({ x: runEnd, y: level });
        level = y[d];
        points.push({ x: colLeft[r], y: level });
      }
      runEnd = colLeft[r] + colWidth[r];
    }
    const port = inPort(boxes[to], which, lg.edgeArity[e]);
    const end = { x: left[to] + port.x, y: top[to] + port.y };
    if (Math.abs(end.y - level) > LEVEL) {
      if (runEnd > points[points.length - 1].x) points.push({ x: runEnd, y: level });
      if (colLeft[lg.rank[to]] < end.x) points.push({ x: colLeft[lg.rank[to]], y: end.y });
    }
    points.push(end);
    edges[e] = { from, to, which, points };
  }
  return { width, height, left, top, edges };
}
