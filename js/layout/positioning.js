// Positioning, the third phase: where each node goes, for the column order that ordering.js
// chose. Columns stand side by side, each as wide as its widest box, its nodes centred in it.
// Heights within a column come from Brandes and Köpf's alignment of median neighbours into
// straight blocks, in their four directions, balanced (two opposite ones under the quick effort);
// then a few rounds move each column towards the median of its neighbours' ports as far as the
// column's spacing allows (an isotonic regression per column), which also guarantees the spacing.
//
// This is the first phase that reads box sizes: when only sizes change (a box grows), the
// ranks, the layered graph and the order can be kept, and only this phase and routing rerun.

import { METRICS } from "./geometry.js";
import { effortFor } from "./effort.js";
import { PORT_MID } from "./layering.js";
import { positions } from "./ordering.js";

/** @typedef {import("./layering.js").LayeredGraph} LayeredGraph */
/** @typedef {import("./effort.js").Effort} Effort */

/**
 * CSR neighbour lists with each node's entries sorted by position in their column.
 * @typedef {{start: Int32Array, nodes: Int32Array, segs: Int32Array}} SortedNeighbours
 */

/**
 * @typedef {object} Spacing
 * @property {number} nodesep between the boxes of a column (pixels)
 * @property {number} ranksep between columns
 * @property {number} edgesep between the dummies of long edges, and around them
 * @property {number} margin around the drawing
 */

/**
 * @typedef {object} Placement
 * @property {number} width the drawing's width, margins included
 * @property {number} height the drawing's height, margins included
 * @property {Float64Array} left each real node's left side
 * @property {Float64Array} top each real node's top
 * @property {Float64Array} y the centre height of every node, real and dummy
 * @property {Float64Array} colLeft each column's left side
 * @property {Float64Array} colWidth each column's width: its widest box
 */

/**
 * Place the nodes of layered graph `lg` in the column order `order`, with the real nodes' boxes
 * (`{width, height}` by id) and `spacing`, all coordinates from the drawing's top-left corner.
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @param {ArrayLike<{width: number, height: number}>} boxes
 * @param {Spacing} spacing
 * @param {Effort} [effort]
 * @returns {Placement}
 */
export function placeNodes(lg, order, boxes, spacing, effort = effortFor(lg.size)) {
  const n = lg.real;
  const heights = new Float64Array(lg.size);
  const gaps = new Float64Array(lg.size).fill(spacing.edgesep);
  for (let i = 0; i < n; i++) {
    heights[i] = boxes[i].height;
    gaps[i] = spacing.nodesep;
  }
  const y = placeVertically(lg, order, heights, gaps, effort);

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
  return { width, height, left, top, y, colLeft, colWidth };
}

/**
 * Vertical centres of all nodes (real and dummy) for the column order `order`, given each node's
 * height and the gap it wants on each side (Float64Arrays by node; dummies have height 0).
 * Consecutive nodes u, v of a column end up at least (height + gap)/2 of each apart.
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @param {Float64Array} heights
 * @param {Float64Array} gaps
 * @param {Effort} [effort]
 * @returns {Float64Array}
 */
export function placeVertically(lg, order, heights, gaps, effort = effortFor(lg.size)) {
  const { size } = lg;
  const reach = new Float64Array(size);
  for (let v = 0; v < size; v++) reach[v] = (heights[v] + gaps[v]) / 2;
  const pos = positions(lg, order);
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
 * @param {Int32Array} start
 * @param {Int32Array} list
 * @param {Int32Array} seg
 * @param {Int32Array} pos
 * @returns {SortedNeighbours}
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
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @param {Int32Array} pos
 * @returns {Uint8Array}
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
 * that side. `side` holds the neighbours sorted by position. Returns centres by node (ys), the
 * extent of the placement (lo, hi) and the direction.
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @param {Int32Array} pos
 * @param {SortedNeighbours} side
 * @param {boolean} fromLeft
 * @param {boolean} fromTop
 * @param {Uint8Array} conflicts
 * @param {Float64Array} reach
 * @param {Float64Array} heights
 * @returns {{ys: Float64Array, lo: number, hi: number, fromTop: boolean}}
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
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 * @param {Float64Array} y
 * @param {Float64Array} reach
 * @param {number} rounds
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

/**
 * The median of values[0..m), which it sorts.
 * @param {Float64Array} values
 * @param {number} m
 */
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
 * @param {Int32Array} layer
 * @param {Float64Array} want
 * @param {Float64Array} gaps
 * @param {Float64Array} y
 * @param {{start: Int32Array, sum: Float64Array}} blocks
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
