// Compound layered layout: a graph with groups (js/core/groups.js), left to right, where a
// closed group is drawn as one box and an open group as a nested drawing inside its box.
//
// Each container (the whole graph, or one group) is laid out on its own, over its *items*: the
// nodes directly in it and its child groups. An edge between two nodes belongs to the innermost
// container that holds both, as an edge between the items that hold them there, so an item
// graph never changes when groups open or close: only item sizes do (a closed group's box, or
// an open group's drawing). Two steps follow from that, as in index.js for the flat layout:
//
//   arrange  ranks (longest path, sources pulled right beside their users) and the order within
//            each column (barycentre sweeps): read only the structure, computed once per container
//            and kept for the graph's lifetime;
//   place    columns side by side and items stacked in each, from the sizes: computed again only
//            for a container whose own drawing changed (it opened) or that holds one that did.
//
// So opening a group arranges that group once (the first time) and places it and its
// ancestors; every other container keeps its drawing. Compound graphs in the literature (dagre's
// nesting graph, Sander's layout of nested graphs) lay the whole hierarchy out together, which
// gives shorter edges across boxes but redoes everything on each change: we chose boxes that
// stay where they were. Edges that enter an open group attach to its box.

/** @typedef {import("../core/groups.js").GroupTree} GroupTree */

/**
 * Spacing and box sizes, in pixels.
 * @typedef {object} CompoundSpacing
 * @property {number} nodesep between items of a column
 * @property {number} ranksep between columns
 * @property {number} margin around the whole drawing
 * @property {number} pad inside an open group's box, around its drawing
 * @property {number} header the height of an open group's header (above its drawing)
 * @property {number} closedWidth a closed group's box
 * @property {number} closedHeight
 */

/** @type {Readonly<CompoundSpacing>} */
export const COMPOUND_SPACING = Object.freeze({
  nodesep: 12,
  ranksep: 36,
  margin: 12,
  pad: 8,
  header: 22,
  closedWidth: 120,
  closedHeight: 52,
});

/**
 * A container's structure: its items (node id, or `size + group id`), their columns and order.
 * @typedef {object} Arrangement
 * @property {Int32Array} items
 * @property {Int32Array[]} columns local item indices of each column, top to bottom
 * @property {Int32Array} edgeFrom local index of each item edge's source
 * @property {Int32Array} edgeTo
 */

/**
 * A container's drawing: each item's top-left corner inside it, and its size.
 * @typedef {object} Placement
 * @property {Float64Array} x
 * @property {Float64Array} y
 * @property {number} width
 * @property {number} height
 */

/**
 * @typedef {object} CompoundLayout
 * @property {number} width the whole drawing's size
 * @property {number} height
 * @property {Float64Array} nodeLeft each drawn node's top-left corner; NaN for a hidden node
 * @property {Float64Array} nodeTop
 * @property {Float64Array} groupLeft each drawn group's box; NaN for a hidden group
 * @property {Float64Array} groupTop
 * @property {Float64Array} groupWidth
 * @property {Float64Array} groupHeight
 * @property {Array<{from: number, to: number, points: number[][]}>} edges item edges of the
 *   drawn containers (node id, or `size + group id`), from the source's right side to the
 *   target's left side
 */

/**
 * @typedef {object} CompoundLayouter
 * @property {(open: ReadonlySet<number>) => CompoundLayout} layout the drawing with the groups
 *   in `open` open (ids), reusing every container drawing that did not change since the last call
 * @property {{arranged: number, placed: number}} stats how many containers were arranged and
 *   placed so far (what opening a group costs)
 */

/**
 * A layouter for parsed graph `g` with its group tree, node boxes `boxes` (geometry.nodeBoxes)
 * and `spacing`. It keeps each container's arrangement and drawing between calls.
 * @param {{size: number, a: Int32Array, b: Int32Array}} g
 * @param {GroupTree} tree
 * @param {ArrayLike<{width: number, height: number}>} boxes
 * @param {Readonly<CompoundSpacing>} [spacing]
 * @returns {CompoundLayouter}
 */
export function createCompoundLayout(g, tree, boxes, spacing = COMPOUND_SPACING) {
  const size = g.size;
  const count = tree.count;
  const structure = containerGraphs(g, tree);
  /** @type {Array<Arrangement | undefined>} */
  const arranged = new Array(count + 1);
  /** @type {Array<Placement | undefined>} */
  const placed = new Array(count + 1);
  const stats = { arranged: 0, placed: 0 };
  /** @type {Set<number>} */
  let lastOpen = new Set();

  /** @param {number} c a container: -1 for the whole graph, else a group id */
  function arrangement(c) {
    let done = arranged[c + 1];
    if (done === undefined) {
      done = arrange(structure.items[c + 1], structure.edges[c + 1], structure.local);
      arranged[c + 1] = done;
      stats.arranged++;
    }
    return done;
  }

  /**
   * @param {number} item
   * @param {ReadonlySet<number>} open
   * @returns {{width: number, height: number}}
   */
  function itemSize(item, open) {
    if (item < size) return boxes[item];
    const grp = item - size;
    if (!open.has(grp)) return { width: spacing.closedWidth, height: spacing.closedHeight };
    const p = placement(grp, open);
    return { width: p.width + 2 * spacing.pad, height: p.height + 2 * spacing.pad + spacing.header };
  }

  /**
   * @param {number} c
   * @param {ReadonlySet<number>} open
   * @returns {Placement}
   */
  function placement(c, open) {
    let done = placed[c + 1];
    if (done === undefined) {
      const a = arrangement(c);
      done = place(a, (i) => itemSize(a.items[i], open), spacing);
      placed[c + 1] = done;
      stats.placed++;
    }
    return done;
  }

  /** @param {ReadonlySet<number>} open */
  function layout(open) {
    for (const grp of changedGroups(lastOpen, open)) {
      // its own drawing appears or goes, and every box around it changes size
      for (let h = grp; h >= 0; h = tree.parent[h]) placed[h + 1] = undefined;
      placed[0] = undefined;
    }
    lastOpen = new Set(open);
    const root = placement(-1, open);
    const out = {
      width: root.width + 2 * spacing.margin,
      height: root.height + 2 * spacing.margin,
      nodeLeft: new Float64Array(size).fill(NaN),
      nodeTop: new Float64Array(size).fill(NaN),
      groupLeft: new Float64Array(count).fill(NaN),
      groupTop: new Float64Array(count).fill(NaN),
      groupWidth: new Float64Array(count).fill(NaN),
      groupHeight: new Float64Array(count).fill(NaN),
      /** @type {Array<{from: number, to: number, points: number[][]}>} */
      edges: [],
    };
    /**
     * @param {number} c
     * @param {number} left the container drawing's top-left corner
     * @param {number} top
     */
    const draw = (c, left, top) => {
      const a = arrangement(c);
      const p = placement(c, open);
      for (let i = 0; i < a.items.length; i++) {
        const item = a.items[i];
        const x = left + p.x[i];
        const y = top + p.y[i];
        if (item < size) {
          out.nodeLeft[item] = x;
          out.nodeTop[item] = y;
          continue;
        }
        const grp = item - size;
        const box = itemSize(item, open);
        out.groupLeft[grp] = x;
        out.groupTop[grp] = y;
        out.groupWidth[grp] = box.width;
        out.groupHeight[grp] = box.height;
        if (open.has(grp)) draw(grp, x + spacing.pad, y + spacing.pad + spacing.header);
      }
      for (let e = 0; e < a.edgeFrom.length; e++) {
        const from = a.edgeFrom[e];
        const to = a.edgeTo[e];
        const fromBox = itemSize(a.items[from], open);
        const toBox = itemSize(a.items[to], open);
        out.edges.push({
          from: a.items[from],
          to: a.items[to],
          points: [
            [left + p.x[from] + fromBox.width, top + p.y[from] + fromBox.height / 2],
            [left + p.x[to], top + p.y[to] + toBox.height / 2],
          ],
        });
      }
    };
    draw(-1, spacing.margin, spacing.margin);
    return out;
  }

  return { layout, stats };
}

/**
 * @param {ReadonlySet<number>} before
 * @param {ReadonlySet<number>} after
 * @returns {number[]} the groups open in exactly one of the two
 */
function changedGroups(before, after) {
  const changed = [];
  for (const grp of before) if (!after.has(grp)) changed.push(grp);
  for (const grp of after) if (!before.has(grp)) changed.push(grp);
  return changed;
}

/**
 * Every container's items and item edges, in one pass over the nodes and edges.
 * @param {{size: number, a: Int32Array, b: Int32Array}} g
 * @param {GroupTree} tree
 * @returns {{items: Int32Array[], edges: Int32Array[], local: Int32Array}} by container + 1;
 *   edges as flat [from, to, from, to ...] item codes; `local` is each item's index in its container
 */
export function containerGraphs(g, tree) {
  const size = g.size;
  const count = tree.count;
  /** @type {number[][]} */
  const items = Array.from({ length: count + 1 }, () => []);
  const local = new Int32Array(size + count);
  for (let i = 0; i < size; i++) {
    const list = items[tree.nodeGroup[i] + 1];
    local[i] = list.length;
    list.push(i);
  }
  for (let grp = 0; grp < count; grp++) {
    const list = items[tree.parent[grp] + 1];
    local[size + grp] = list.length;
    list.push(size + grp);
  }
  /** @type {number[][]} */
  const edges = Array.from({ length: count + 1 }, () => []);
  /** @type {Set<number>} */
  const seen = new Set();
  const span = size + count;
  const depthOf = (/** @type {number} */ grp) => (grp < 0 ? 0 : tree.depth[grp]);
  /**
   * @param {number} node
   * @param {number} c
   */
  const itemIn = (node, c) => {
    const grp = tree.nodeGroup[node];
    if (grp === c) return node;
    let h = grp;
    while (depthOf(h) > depthOf(c) + 1) h = tree.parent[h];
    return size + h;
  };
  for (let v = 0; v < size; v++) {
    for (const u of [g.a[v], g.b[v]]) {
      if (u < 0) continue;
      let x = tree.nodeGroup[u];
      let y = tree.nodeGroup[v];
      while (depthOf(x) > depthOf(y)) x = tree.parent[x];
      while (depthOf(y) > depthOf(x)) y = tree.parent[y];
      while (x !== y) {
        x = tree.parent[x];
        y = tree.parent[y];
      }
      const from = itemIn(u, x);
      const to = itemIn(v, x);
      const key = from * span + to;
      if (from === to || seen.has(key)) continue;
      seen.add(key);
      edges[x + 1].push(from, to);
    }
  }
  return { items: items.map((list) => Int32Array.from(list)), edges: edges.map((e) => Int32Array.from(e)), local };
}

/**
 * Ranks and column order of one container's items (see the module notes).
 * @param {Int32Array} items
 * @param {Int32Array} edges flat [from, to ...] item codes
 * @param {Int32Array} local each item's index in its container
 * @returns {Arrangement}
 */
export function arrange(items, edges, local) {
  const m = items.length;
  const e = edges.length / 2;
  const edgeFrom = new Int32Array(e);
  const edgeTo = new Int32Array(e);
  const indegree = new Int32Array(m);
  /** @type {number[][]} */
  const succ = Array.from({ length: m }, () => []);
  /** @type {number[][]} */
  const pred = Array.from({ length: m }, () => []);
  for (let i = 0; i < e; i++) {
    const from = local[edges[2 * i]];
    const to = local[edges[2 * i + 1]];
    edgeFrom[i] = from;
    edgeTo[i] = to;
    succ[from].push(to);
    pred[to].push(from);
    indegree[to]++;
  }
  // longest path from the sources (Kahn); an item left on a cycle (a group() block used both
  // before and after another) is taken in item order with the edges it still waits on ignored
  const rank = new Int32Array(m);
  const done = new Uint8Array(m);
  /** @type {number[]} */
  const queue = [];
  for (let i = 0; i < m; i++) if (indegree[i] === 0) queue.push(i);
  let taken = 0;
  let next = 0;
  while (taken < m) {
    if (queue.length === 0) {
      while (done[next]) next++;
      queue.push(next);
    }
    const i = /** @type {number} */ (queue.pop());
    if (done[i]) continue;
    done[i] = 1;
    taken++;
    for (const j of succ[i]) {
      if (done[j]) continue;
      rank[j] = Math.max(rank[j], rank[i] + 1);
      if (--indegree[j] === 0) queue.push(j);
    }
  }
  // sources sit one column left of their nearest user (weights beside their products)
  for (let i = 0; i < m; i++) {
    if (pred[i].length === 0 && succ[i].length > 0) {
      let nearest = Infinity;
      for (const j of succ[i]) nearest = Math.min(nearest, rank[j]);
      if (nearest - 1 > rank[i]) rank[i] = nearest - 1;
    }
  }
  let ranks = 0;
  for (let i = 0; i < m; i++) ranks = Math.max(ranks, rank[i] + 1);
  /** @type {number[][]} */
  const columns = Array.from({ length: ranks }, () => []);
  for (let i = 0; i < m; i++) columns[rank[i]].push(i);
  const position = new Float64Array(m);
  for (const column of columns) renumber(column, position);
  /**
   * @param {number[]} column
   * @param {number[][]} neighbours
   */
  const sortBy = (column, neighbours) => {
    const key = new Map();
    for (const i of column) {
      const list = neighbours[i];
      let sum = 0;
      for (const j of list) sum += position[j];
      key.set(i, list.length > 0 ? sum / list.length : position[i]);
    }
    column.sort((p, q) => key.get(p) - key.get(q) || position[p] - position[q]);
    renumber(column, position);
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let r = 1; r < ranks; r++) sortBy(columns[r], pred);
    for (let r = ranks - 2; r >= 0; r--) sortBy(columns[r], succ);
  }
  return { items, columns: columns.map((c) => Int32Array.from(c)), edgeFrom, edgeTo };
}

/**
 * @param {number[]} column local item indices, top to bottom
 * @param {Float64Array} position each item's place in its column, set here
 */
function renumber(column, position) {
  for (let k = 0; k < column.length; k++) position[column[k]] = k;
}

/**
 * Columns side by side, each as wide as its widest item, items stacked top to bottom and each
 * column centred on the tallest.
 * @param {Arrangement} a
 * @param {(i: number) => {width: number, height: number}} sizeOf by local index
 * @param {Readonly<CompoundSpacing>} spacing
 * @returns {Placement}
 */
export function place(a, sizeOf, spacing) {
  const m = a.items.length;
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  /** @type {number[]} */
  const heights = [];
  let left = 0;
  let width = 0;
  for (const column of a.columns) {
    let columnWidth = 0;
    let top = 0;
    for (const i of column) {
      const box = sizeOf(i);
      x[i] = left;
      y[i] = top;
      top += box.height + spacing.nodesep;
      columnWidth = Math.max(columnWidth, box.width);
    }
    heights.push(column.length > 0 ? top - spacing.nodesep : 0);
    width = left + columnWidth;
    left += columnWidth + spacing.ranksep;
  }
  const height = Math.max(0, ...heights);
  a.columns.forEach((column, r) => {
    const shift = (height - heights[r]) / 2;
    for (const i of column) y[i] += shift;
  });
  return { x, y, width, height };
}
