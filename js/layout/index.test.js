// index.js: the phases composed into layoutGraph, the widget's one entry to the layout.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { nodeBoxes } from "./geometry.js";
import { CHAR_WIDTH, LAYOUT_CASES } from "../testing/layout-cases.js";
import { mlp } from "../testing/sample-graphs.js";
import { SPACING, arrangeGraph, drawArrangement, layoutGraph } from "./index.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */

/** @param {GraphJSON} json */
function laidOut(json) {
  const g = parseGraph(json);
  const boxes = nodeBoxes(g, CHAR_WIDTH);
  return { g, boxes, layout: layoutGraph(g, boxes) };
}

test("the same graph gets the same layout every time", () => {
  for (const [name, json] of LAYOUT_CASES) {
    const first = laidOut(json).layout;
    assert.deepEqual(laidOut(structuredClone(json)).layout, first, name);
  }
});

test("a layout is the drawing's size, a top-left corner per node and a route per operand use", () => {
  const { g, layout } = laidOut(mlp(3, [4, 4, 1]));
  assert.deepEqual(Object.keys(layout).sort(), ["edges", "height", "left", "top", "width"]);
  assert.equal(layout.left.length, g.size);
  assert.equal(layout.top.length, g.size);
  assert.deepEqual(Object.keys(layout.edges[0]).sort(), ["from", "points", "to", "which"]);
});

test("an arrangement drawn again with a grown box keeps its columns and order, without overlaps", () => {
  // the step a group that opens in place needs: the box grows, the structure stays
  const g = parseGraph(mlp(3, [4, 4, 1]));
  const boxes = nodeBoxes(g, CHAR_WIDTH);
  const arrangement = arrangeGraph(g);
  const before = drawArrangement(arrangement, boxes, SPACING);
  const grown = boxes.map((box, i) => (i === 40 ? { ...box, width: 3 * box.width, height: 6 * box.height } : box));
  const after = drawArrangement(arrangement, grown, SPACING);
  assert.ok(after.width > before.width && after.height > before.height);
  assert.deepEqual(drawArrangement(arrangement, boxes, SPACING), before, "drawing leaves the arrangement as it was");
  const { lg, order } = arrangement;
  for (const layer of order) {
    const real = Array.from(layer).filter((v) => v < g.size);
    for (let k = 1; k < real.length; k++) {
      const [u, v] = [real[k - 1], real[k]];
      assert.ok(after.top[u] + grown[u].height <= after.top[v], `${u} above ${v}, apart`);
    }
  }
  for (const { from, to } of after.edges) assert.ok(lg.rank[from] < lg.rank[to]);
});

test("a graph of one leaf lays out (no edges)", () => {
  const { boxes, layout } = laidOut({
    schema: 1,
    output: 0,
    nodes: [{ id: 0, label: "x", op: "", args: [], data: 1, grad: 1 }],
  });
  assert.equal(layout.edges.length, 0);
  assert.ok(layout.width >= boxes[0].width && layout.height >= boxes[0].height);
});
