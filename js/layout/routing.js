// Routing, the last phase: the points of every edge, from the positions that positioning.js
// gave the nodes and the dummies of long edges. An edge leaves its operand from the middle of
// the right side, runs level through the columns (its ends' and those it crosses, at its
// dummies' heights) and bends only between columns, so it never cuts through a box; it ends on
// its port on the user's op pill (geometry.inPort).

import { inPort } from "./geometry.js";

/** @typedef {import("./layering.js").LayeredGraph} LayeredGraph */
/** @typedef {import("./positioning.js").Placement} Placement */

/**
 * @typedef {object} Edge
 * @property {number} from the operand's id
 * @property {number} to the user's id
 * @property {number} which 0 for the user's first operand, 1 for its second
 * @property {{x: number, y: number}[]} points the route, left to right
 */

/** Heights closer than this (pixels) count as level. */
const LEVEL = 1e-6;

/**
 * One route per operand use of layered graph `lg`, in its edge order, for the real nodes' boxes
 * and their placement.
 * @param {LayeredGraph} lg
 * @param {ArrayLike<{width: number, height: number}>} boxes
 * @param {Pick<Placement, "left" | "top" | "y" | "colLeft" | "colWidth">} placement
 * @returns {Edge[]}
 */
export function routeEdges(lg, boxes, placement) {
  const { left, top, y, colLeft, colWidth } = placement;
  const edges = new Array(lg.edgeFrom.length);
  for (let e = 0; e < edges.length; e++) {
    const from = lg.edgeFrom[e];
    const to = lg.edgeTo[e];
    const which = lg.edgeWhich[e];
    const points = [{ x: left[from] + boxes[from].width, y: y[from] }];
    // a level run needs just its two ends
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
  return edges;
}
