// Node positions and edge routes for a parsed graph, left to right, with dagre.
//
// Deterministic: dagre has no randomness, and nodes and edges go in by id and operand index, so
// the same graph and boxes give the same picture every time. Computed once per graph structure;
// slider drags never lay out again.

import dagre from "@dagrejs/dagre";
import { inPort } from "./geometry.js";

/**
 * Above this many nodes dagre's own network-simplex ranking and crossing reduction take seconds
 * (9 s for a 1,000-node MLP in Node, most of it graphlib bookkeeping), so large graphs use the
 * tight-tree ranker and `orderLayers` below, an array-based version of the same barycenter
 * sweeps, through dagre's `customOrder` hook: about 0.7 s for that MLP.
 */
export const LARGE_GRAPH = 200;

/** Crossing-reduction sweeps for large graphs: at most this many, fewer once they stop helping. */
const MAX_SWEEPS = 24;
const PATIENCE = 4;

/** Spacing, in pixels. */
export const SPACING = Object.freeze({ nodesep: 12, ranksep: 36, edgesep: 8, margin: 12 });

/**
 * Lay out a parsed graph (engine.parseGraph) whose node boxes are `boxes` (geometry.nodeBoxes).
 * Returns the drawing's width and height, each node's top-left corner (left, top), and one edge
 * per operand use: {from, to, which, points} with points in drawing coordinates.
 */
export function layoutGraph(g, boxes) {
  const large = g.size > LARGE_GRAPH;
  const dg = new dagre.graphlib.Graph({ multigraph: true });
  dg.setGraph({
    rankdir: "LR",
    nodesep: SPACING.nodesep,
    ranksep: SPACING.ranksep,
    edgesep: SPACING.edgesep,
    marginx: SPACING.margin,
    marginy: SPACING.margin,
    ranker: large ? "tight-tree" : "network-simplex",
  });
  dg.setDefaultEdgeLabel(() => ({}));
  for (let i = 0; i < g.size; i++) {
    dg.setNode(String(i), { width: boxes[i].width, height: boxes[i].height });
  }
  forEachEdge(g, (from, to, which) => dg.setEdge(String(from), String(to), {}, String(which)));
  dagre.layout(dg, large ? { customOrder: orderLayers } : {});

  const left = new Float64Array(g.size);
  const top = new Float64Array(g.size);
  for (let i = 0; i < g.size; i++) {
    const n = dg.node(String(i));
    left[i] = n.x - boxes[i].width / 2;
    top[i] = n.y - boxes[i].height / 2;
  }
  const edges = [];
  forEachEdge(g, (from, to, which, arity) => {
    const route = dg.edge({ v: String(from), w: String(to), name: String(which) }).points;
    const port = inPort(boxes[to], which, arity);
    const start = { x: left[from] + boxes[from].width, y: top[from] + boxes[from].height / 2 };
    const end = { x: left[to] + port.x, y: top[to] + port.y };
    // dagre's route starts and ends on the node boxes and, between adjacent ranks, has one
    // midpoint only: a single curve reads better there. Longer edges keep their bends.
    const inner = route.length > 3 ? route.slice(1, -1) : [];
    edges.push({ from, to, which, points: [start, ...inner, end] });
  });
  const { width, height } = dg.graph();
  return { width, height, left, top, edges };
}

/** Call fn(from, to, which, arity) for every operand use, in id and operand order. */
export function forEachEdge(g, fn) {
  for (let i = 0; i < g.size; i++) {
    if (g.a[i] < 0) continue;
    const arity = g.b[i] < 0 ? 1 : 2;
    fn(g.a[i], i, 0, arity);
    if (arity === 2) fn(g.b[i], i, 1, arity);
  }
}

/**
 * dagre's `customOrder` hook: give every node of dagre's layered graph (real nodes and the dummy
 * nodes of long edges, each edge spanning one rank) its `order` within its rank.
 *
 * The classic Sugiyama heuristic, as dagre's own: a depth-first initial order, then sweeps that
 * sort each rank by the mean position of its neighbours in the previous rank (down, then up),
 * keeping the order with the fewest crossings. Plain arrays instead of graphlib calls.
 */
export function orderLayers(dg) {
  const names = dg.nodes();
  const n = names.length;
  const index = new Map(names.map((v, i) => [v, i]));
  const rank = Int32Array.from(names, (v) => dg.node(v).rank);
  let maxRank = 0;
  for (let i = 0; i < n; i++) maxRank = Math.max(maxRank, rank[i]);
  const succ = Array.from({ length: n }, () => []);
  const pred = Array.from({ length: n }, () => []);
  for (const e of dg.edges()) {
    const from = index.get(e.v);
    const to = index.get(e.w);
    succ[from].push(to);
    pred[to].push(from);
  }

  // Initial order: depth first from the nodes of the lowest ranks, as dagre's initOrder.
  let layers = Array.from({ length: maxRank + 1 }, () => []);
  const seen = new Uint8Array(n);
  const starts = Array.from({ length: n }, (_, i) => i).sort((x, y) => rank[x] - rank[y] || x - y);
  for (const start of starts) {
    const stack = [start];
    while (stack.length) {
      const v = stack.pop();
      if (seen[v]) continue;
      seen[v] = 1;
      layers[rank[v]].push(v);
      for (let j = succ[v].length - 1; j >= 0; j--) if (!seen[succ[v][j]]) stack.push(succ[v][j]);
    }
  }

  const pos = new Float64Array(n);
  const place = () => {
    for (const layer of layers) for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
  };
  place();
  let best = layers.map((layer) => layer.slice());
  let fewest = crossings(layers, succ, pos);
  for (let sweep = 0, stale = 0; sweep < MAX_SWEEPS && stale < PATIENCE; sweep++) {
    const down = sweep % 2 === 0;
    const neighbours = down ? pred : succ;
    for (let step = 1; step <= maxRank; step++) {
      const layer = layers[down ? step : maxRank - step];
      const key = new Map();
      for (const v of layer) {
        const adj = neighbours[v];
        let sum = 0;
        for (const u of adj) sum += pos[u];
        // a node without neighbours on that side keeps its place
        key.set(v, adj.length ? sum / adj.length : pos[v]);
      }
      layer.sort((x, y) => key.get(x) - key.get(y) || pos[x] - pos[y]);
      for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
    }
    const count = crossings(layers, succ, pos);
    if (count < fewest) {
      fewest = count;
      best = layers.map((layer) => layer.slice());
      stale = 0;
    } else {
      stale++;
    }
  }
  layers = best;
  for (const layer of layers) for (let i = 0; i < layer.length; i++) dg.node(names[layer[i]]).order = i;
}

/** Edge crossings between consecutive ranks at positions `pos` (inversions, counted with a Fenwick tree). */
function crossings(layers, succ, pos) {
  let total = 0;
  for (let r = 0; r + 1 < layers.length; r++) {
    const size = layers[r + 1].length;
    const tree = new Int32Array(size + 1);
    const ends = [];
    for (const v of layers[r].slice().sort((x, y) => pos[x] - pos[y])) {
      const targets = succ[v].map((w) => pos[w]).sort((a, b) => a - b);
      for (const t of targets) ends.push(t);
    }
    // each edge crosses every earlier edge whose end lies to its right
    for (let k = 0; k < ends.length; k++) {
      let right = k;
      for (let i = ends[k] + 1; i > 0; i -= i & -i) right -= tree[i];
      total += right;
      for (let i = ends[k] + 1; i <= size; i += i & -i) tree[i]++;
    }
  }
  return total;
}
