// routing.js: the points of every edge, from the placement of nodes and dummies.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { inPort, nodeBoxes } from "./geometry.js";
import { CHAR_WIDTH, LAYOUT_CASES } from "../testing/layout-cases.js";
import { SPACING } from "./index.js";
import { assignRanks, buildLayers } from "./layering.js";
import { orderLayers } from "./ordering.js";
import { placeNodes } from "./positioning.js";
import { routeEdges } from "./routing.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */

/**
 * Graph `json` laid out with the widget's boxes and spacing, phase by phase.
 * @param {GraphJSON} json
 */
function routed(json) {
  const g = parseGraph(json);
  const boxes = nodeBoxes(g, CHAR_WIDTH);
  const lg = buildLayers(g, assignRanks(g));
  const placement = placeNodes(lg, orderLayers(lg), boxes, SPACING);
  return { g, boxes, lg, placement, edges: routeEdges(lg, boxes, placement) };
}
const ROUTED = new Map(LAYOUT_CASES.map(([name, json]) => [name, routed(json)]));

test("routes on a hand-made placement: level runs, bends between columns, ends on the ports", () => {
  // x; exp(x); tanh(exp(x)); tanh(exp(x)) + x. Columns 0..3 are 100 px wide, 50 apart; x and
  // the sum are 60 px wide, centred. The edge x -> (+) crosses columns 1 and 2 at its dummies
  // 4 (level with x) and 5 (lower, level with the sum's lower port).
  const nodes = [[""], ["exp", 0], ["tanh", 1], ["+", 2, 0]].map(([op, ...args], id) => ({ id, label: null, op, args }));
  const g = parseGraph({ schema: 1, output: 3, nodes });
  const lg = buildLayers(g, assignRanks(g));
  assert.deepEqual(Array.from(lg.rank), [0, 1, 2, 3, 1, 2]);
  const boxes = [60, 100, 100, 60].map((width) => ({ width, height: 34 }));
  const placement = {
    left: Float64Array.of(20, 150, 300, 470),
    top: Float64Array.of(83, 43, 43, 128),
    y: Float64Array.of(100, 60, 60, 145, 100, 150),
    colLeft: Float64Array.of(0, 150, 300, 450),
    colWidth: Float64Array.of(100, 100, 100, 100),
  };
  /** @type {(x: number, y: number) => {x: number, y: number}} */
  const p = (x, y) => ({ x, y });
  assert.deepEqual(routeEdges(lg, boxes, placement), [
    // leaves x's column level, bends between the columns into exp's middle
    { from: 0, to: 1, which: 0, points: [p(80, 100), p(100, 100), p(150, 60)] },
    { from: 1, to: 2, which: 0, points: [p(250, 60), p(300, 60)] },
    // bends before the sum's column, runs level into the upper port (5 px above the middle)
    { from: 2, to: 3, which: 0, points: [p(400, 60), p(450, 140), p(470, 140)] },
    // level through column 1 (dummy 4), bends before column 2 (dummy 5), level into the lower port
    { from: 0, to: 3, which: 1, points: [p(80, 100), p(250, 100), p(300, 150), p(470, 150)] },
  ]);
});

test("every edge runs left to right, from an operand's right side into its user's op pill", () => {
  for (const [name, { g, boxes, placement, edges }] of ROUTED) {
    let uses = 0;
    for (let i = 0; i < g.size; i++) uses += g.a[i] >= 0 ? (g.b[i] >= 0 ? 2 : 1) : 0;
    assert.equal(edges.length, uses, `${name}: one edge per operand use`);
    for (const { from, to, which, points } of edges) {
      const right = placement.left[from] + boxes[from].width;
      assert.ok(right < placement.left[to], `${name}: edge ${from}->${to} goes right`);
      assert.deepEqual(points[0], { x: right, y: placement.top[from] + boxes[from].height / 2 });
      const end = points[points.length - 1];
      assert.equal(end.x, placement.left[to]);
      const arity = g.b[to] >= 0 ? 2 : 1;
      assert.equal(end.y, placement.top[to] + inPort(boxes[to], which, arity).y);
      for (let p = 1; p < points.length; p++) assert.ok(points[p].x >= points[p - 1].x, `${name}: route bends back`);
    }
  }
});

test("edges bend only between columns and never run through a node", () => {
  for (const [name, { g, boxes, lg, placement, edges }] of ROUTED) {
    const { left, top, colLeft, colWidth } = placement;
    /** @type {number[][]} */
    const ids = Array.from({ length: lg.ranks }, () => []);
    for (let i = 0; i < g.size; i++) ids[lg.rank[i]].push(i);
    for (const { from, to, points } of edges) {
      for (let p = 1; p < points.length; p++) {
        const [a, b] = [points[p - 1], points[p]];
        for (let r = 0; r < lg.ranks; r++) {
          if (colLeft[r] + colWidth[r] <= a.x || colLeft[r] >= b.x) continue;
          assert.equal(a.y, b.y, `${name}: edge ${from}->${to} bends inside column ${r}`);
          for (const i of ids[r]) {
            if (i === from || i === to) continue;
            const inside = top[i] < a.y && a.y < top[i] + boxes[i].height;
            const across = left[i] < b.x && left[i] + boxes[i].width > a.x;
            assert.ok(!(inside && across), `${name}: edge ${from}->${to} runs through node ${i}`);
          }
        }
      }
    }
  }
});
