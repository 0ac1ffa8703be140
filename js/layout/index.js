// Node positions and edge routes for a parsed graph, left to right: a layered (Sugiyama-style)
// drawing, one module per phase, as the layered-drawing literature and dagre divide it:
//
//   layering.js     ranks (columns), and long edges cut into dummies, one per column crossed
//   ordering.js     the order within each column: crossing reduction
//   positioning.js  heights (Brandes–Köpf, then refinement rounds) and columns side by side
//   routing.js      the points of every edge
//
// (effort.js: how hard ordering and positioning work, by graph size.) The first two phases read
// only the graph's structure, the last two also the boxes' sizes, hence two steps below: an
// arrangement can be kept and drawn again when only sizes change. Every phase is a few linear
// passes over typed arrays, because the graph arrives in topological order; none uses randomness
// and every sort breaks ties, so the same graph and boxes give the same drawing every time.
// The widget lays out once per graph structure; slider drags never lay out again.

import { effortFor } from "./effort.js";
import { assignRanks, buildLayers } from "./layering.js";
import { orderLayers } from "./ordering.js";
import { placeNodes } from "./positioning.js";
import { routeEdges } from "./routing.js";

/** @typedef {import("./layering.js").LayeredGraph} LayeredGraph */
/** @typedef {import("./positioning.js").Spacing} Spacing */
/** @typedef {import("./routing.js").Edge} Edge */

/**
 * @typedef {object} Arrangement
 * @property {LayeredGraph} lg the layered graph: columns, dummies, segments
 * @property {Int32Array[]} order the nodes of each column, top to bottom
 */

/**
 * @typedef {object} Layout
 * @property {number} width the drawing's size, in pixels
 * @property {number} height
 * @property {Float64Array} left each node's top-left corner, by id
 * @property {Float64Array} top
 * @property {Edge[]} edges one per operand use
 */

/**
 * Spacing, in pixels: between nodes of a column, between columns, between edges, around all.
 * @type {Readonly<Spacing>}
 */
export const SPACING = Object.freeze({ nodesep: 12, ranksep: 36, edgesep: 8, margin: 12 });

/**
 * Lay out a parsed graph (engine.parseGraph) whose node boxes are `boxes` (geometry.nodeBoxes).
 * Returns the drawing's width and height, each node's top-left corner (left, top), and one edge
 * per operand use: {from, to, which, points} with points in drawing coordinates, from the middle
 * of the operand's right side to its port on the user's op pill (geometry.inPort), left to right.
 * The nodes of a column share the x of their centre.
 * @param {{size: number, a: Int32Array, b: Int32Array}} g
 * @param {ArrayLike<{width: number, height: number}>} boxes
 * @returns {Layout}
 */
export function layoutGraph(g, boxes) {
  return drawArrangement(arrangeGraph(g), boxes, SPACING);
}

/**
 * The phases that read only the structure of parsed graph `g`: its layered graph and the order
 * of each column.
 * @param {{size: number, a: Int32Array, b: Int32Array}} g
 * @returns {Arrangement}
 */
export function arrangeGraph(g) {
  const lg = buildLayers(g, assignRanks(g));
  return { lg, order: orderLayers(lg, effortFor(lg.size)) };
}

/**
 * The phases that read the boxes: an arrangement (arrangeGraph) drawn with the real nodes' boxes
 * and `spacing`, as layoutGraph returns it.
 * @param {Arrangement} arrangement
 * @param {ArrayLike<{width: number, height: number}>} boxes
 * @param {Spacing} spacing
 * @returns {Layout}
 */
export function drawArrangement({ lg, order }, boxes, spacing) {
  const placement = placeNodes(lg, order, boxes, spacing, effortFor(lg.size));
  const { width, height, left, top } = placement;
  return { width, height, left, top, edges: routeEdges(lg, boxes, placement) };
}
