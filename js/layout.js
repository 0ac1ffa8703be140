// Node positions and edge routes for a parsed graph, left to right, by layered.js.
//
// Deterministic: the same graph and boxes give the same picture every time. Computed once per
// graph structure; slider drags never lay out again.

import { layeredLayout } from "./layered.js";

/** Spacing, in pixels: between nodes of a column, between columns, between edges, around all. */
export const SPACING = Object.freeze({ nodesep: 12, ranksep: 36, edgesep: 8, margin: 12 });

/**
 * Lay out a parsed graph (engine.parseGraph) whose node boxes are `boxes` (geometry.nodeBoxes).
 * Returns the drawing's width and height, each node's top-left corner (left, top), and one edge
 * per operand use: {from, to, which, points} with points in drawing coordinates, from the middle
 * of the operand's right side to its port on the user's op pill (geometry.inPort), left to right.
 * The nodes of a column share the x of their centre.
 */
export function layoutGraph(g, boxes) {
  return layeredLayout(g, boxes, SPACING);
}
