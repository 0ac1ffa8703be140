// What the page draws of a graph with groups (schema 2): pure arithmetic over the group tree, no
// DOM, so that Node tests can check it.
//
// With some groups open, each node is drawn as itself (every group around it is open) or is
// hidden in the outermost closed group around it, whose box stands for it: its *representative*.
// Items are codes as in layout/compound.js: a node id, or `size + group id` for a group's box.
// The edges between items are the graph's edges lifted to their ends' representatives, one per
// pair; an edge into a `*` whose other operand is a parameter is that weight's edge, drawn with
// the weight's sign and size.

/** @typedef {import("../core/groups.js").GroupTree} GroupTree */

/**
 * The drawn groups and each node's representative, with the groups in `open` open.
 * @typedef {object} Visible
 * @property {Int32Array} rep each node's item: itself when drawn, else `size + g` for the
 *   outermost closed group g around it
 * @property {Uint8Array} drawn each group: 1 when its box is drawn (every group around it is open)
 * @property {number[]} closed the drawn closed groups, by id
 * @property {number[]} nodes the drawn nodes (rep[i] === i), by id: a closed network draws few,
 *   and what walks them need not walk every node
 */

/**
 * @param {GroupTree} tree
 * @param {number} size the graph's node count
 * @param {ReadonlySet<number>} open
 * @returns {Visible}
 */
export function visibleItems(tree, size, open) {
  const hiding = new Int32Array(tree.count).fill(-1); // outermost closed group at or around g
  const drawn = new Uint8Array(tree.count);
  /** @type {number[]} */
  const closed = [];
  for (let grp = 0; grp < tree.count; grp++) {
    const p = tree.parent[grp];
    const around = p < 0 ? -1 : hiding[p];
    hiding[grp] = around >= 0 ? around : open.has(grp) ? -1 : grp;
    if (around < 0) {
      drawn[grp] = 1;
      if (!open.has(grp)) closed.push(grp);
    }
  }
  const rep = new Int32Array(size);
  /** @type {number[]} */
  const nodes = [];
  for (let i = 0; i < size; i++) {
    const grp = tree.nodeGroup[i];
    const h = grp < 0 ? -1 : hiding[grp];
    rep[i] = h < 0 ? i : size + h;
    if (h < 0) nodes.push(i);
  }
  return { rep, drawn, closed, nodes };
}

/**
 * One drawn edge between two items.
 * @typedef {object} ItemEdge
 * @property {number} from the source item
 * @property {number} to the target item
 * @property {number} weight the parameter whose edge this is, or -1
 * @property {number} first its first graph edge: `2 * node + operand slot` (the order of the list)
 */

/**
 * The edges between different representatives, one per pair (in node order of their first
 * graph edge). A graph edge into a `*` node whose other operand is a parameter leaf (it has a
 * path) makes its pair that weight's edge.
 * @param {{size: number, ops: Uint8Array, a: Int32Array, b: Int32Array}} g
 * @param {GroupTree} tree
 * @param {Int32Array} rep visibleItems' rep
 * @returns {ItemEdge[]}
 */
export function itemEdges(g, tree, rep) {
  const lift = lifter(g, tree, rep);
  for (let i = 0; i < g.size; i++) {
    if (g.ops[i] === 0) continue;
    lift.add(i, 0);
    lift.add(i, 1);
  }
  return lift.edges;
}

/**
 * itemEdges(g, tree, rep) worked out from the edges `was.edges` of representatives `was.rep`:
 * only the graph edges with an end whose representative changed are lifted again. An item is
 * drawn before and after or not at all, and holds the same nodes, so the pairs of those edges
 * are exactly the pairs that go (before) and come (after); every other pair stays as it was.
 * Opening one neuron of a big closed network thus lifts that neuron's edges, not all of them.
 * @param {{size: number, ops: Uint8Array, a: Int32Array, b: Int32Array}} g
 * @param {GroupTree} tree
 * @param {{rep: Int32Array, edges: ItemEdge[]}} was
 * @param {Int32Array} rep
 * @returns {{edges: ItemEdge[], came: ItemEdge[], went: ItemEdge[]}} the edges now; those new
 *   (in list order) and those of `was.edges` gone; every other edge is the same object as before
 */
export function itemEdgesAfter(g, tree, was, rep) {
  const gone = new Uint8Array(g.size + tree.count); // the items that hold the moved nodes before
  const moved = new Uint8Array(g.size);
  const { a, b } = g;
  // The graph edges with a moved end, lifted in node order (as itemEdges lifts them), in one
  // pass: a node's operands come before it, so whether they moved is known when it is reached.
  // A click that opens a neuron runs this once, on code not optimised yet, over every node.
  const lift = lifter(g, tree, rep);
  for (let i = 0; i < g.size; i++) {
    const held = was.rep[i];
    const moves = held !== rep[i];
    if (moves) {
      moved[i] = 1;
      gone[held] = 1;
    }
    if (moves || (a[i] >= 0 && moved[a[i]])) lift.add(i, 0);
    if (moves || (b[i] >= 0 && moved[b[i]])) lift.add(i, 1);
  }
  const came = lift.edges;
  /** @type {ItemEdge[]} */
  const edges = [];
  /** @type {ItemEdge[]} */
  const went = [];
  let c = 0;
  // indexed: for-of goes through the iterator protocol, which unoptimised code pays per edge
  for (let k = 0; k < was.edges.length; k++) {
    const e = was.edges[k];
    if (gone[e.from] || gone[e.to]) {
      went.push(e);
      continue;
    }
    while (c < came.length && came[c].first < e.first) edges.push(came[c++]);
    edges.push(e);
  }
  while (c < came.length) edges.push(came[c++]);
  return { edges, came, went };
}

/**
 * Lifts graph edges to item edges, one per pair, in the order given (see itemEdges).
 * @param {{size: number, ops: Uint8Array, a: Int32Array, b: Int32Array}} g
 * @param {GroupTree} tree
 * @param {Int32Array} rep
 */
function lifter(g, tree, rep) {
  const span = g.size + tree.count;
  /** @type {Map<number, number>} */
  const index = new Map();
  /** @type {ItemEdge[]} */
  const edges = [];
  const isParam = (/** @type {number} */ j) => j >= 0 && g.ops[j] === 0 && tree.nodePath[j] !== null;
  /**
   * The graph edge into operand `side` (0: a, 1: b) of node `i` (no pair allocated per node:
   * this runs over every node of a fresh drawing).
   * @param {number} i
   * @param {number} side
   */
  function add(i, side) {
    const x = side === 0 ? g.a[i] : g.b[i];
    const to = rep[i];
    if (x < 0 || rep[x] === to) return;
    const other = side === 0 ? g.b[i] : g.a[i];
    const weight = g.ops[i] === MUL && isParam(other) && !isParam(x) ? other : -1;
    const key = rep[x] * span + to;
    const k = index.get(key);
    if (k === undefined) {
      index.set(key, edges.length);
      edges.push({ from: rep[x], to, weight, first: 2 * i + side });
    } else if (edges[k].weight < 0) {
      edges[k].weight = weight;
    }
  }
  return { add, edges };
}

/** The op code of `*` (core/ops-table.js). */
const MUL = 3;

/** Thickest weight edge, in pixels; the thinnest drawn is 1. */
export const MAX_EDGE_WIDTH = 5;

/**
 * A weight edge's look from its value (the weight, or its grad): sign and stroke width relative
 * to `max`, the largest |value| drawn.
 * @param {number} value
 * @param {number} max
 * @returns {{sign: "pos" | "neg" | "zero" | "nonfinite", width: number}}
 */
export function weightLook(value, max) {
  if (!Number.isFinite(value)) return { sign: "nonfinite", width: 1 };
  if (value === 0 || !(max > 0)) return { sign: "zero", width: 1 };
  const w = 1 + (MAX_EDGE_WIDTH - 1) * Math.min(1, Math.abs(value) / max);
  return { sign: value > 0 ? "pos" : "neg", width: Math.round(w * 2) / 2 };
}

/**
 * The open groups' ids from `paths` (the model's open_groups); unknown paths are left out.
 * @param {GroupTree} tree
 * @param {unknown} paths
 * @returns {Set<number>}
 */
export function openFromPaths(tree, paths) {
  /** @type {Set<number>} */
  const open = new Set();
  if (!Array.isArray(paths)) return open;
  for (const p of paths) {
    const grp = typeof p === "string" ? tree.byPath.get(p) : undefined;
    if (grp !== undefined) open.add(grp);
  }
  return open;
}

/**
 * The paths of the groups in `open`, in group order (the model's open_groups).
 * @param {GroupTree} tree
 * @param {ReadonlySet<number>} open
 * @returns {string[]}
 */
export function pathsOf(tree, open) {
  return [...open].sort((x, y) => x - y).map((grp) => tree.paths[grp]);
}

/**
 * The open set after toggling group `grp`: opening also opens every group around it (so that
 * it is drawn); closing leaves the groups inside as they were (they show again as they were
 * when it opens).
 * @param {GroupTree} tree
 * @param {ReadonlySet<number>} open
 * @param {number} grp
 * @returns {Set<number>}
 */
export function toggled(tree, open, grp) {
  const next = new Set(open);
  if (next.has(grp)) {
    next.delete(grp);
    return next;
  }
  for (let h = grp; h >= 0; h = tree.parent[h]) next.add(h);
  return next;
}

/**
 * Every group open, or none.
 * @param {GroupTree} tree
 * @param {boolean} all
 * @returns {Set<number>}
 */
export function allOrNone(tree, all) {
  return new Set(all ? Array.from({ length: tree.count }, (_, grp) => grp) : []);
}
