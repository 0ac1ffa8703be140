// positioning.js: heights within columns (Brandes–Köpf, then refinement) and columns side by side.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { nodeBoxes } from "./geometry.js";
import { CHAR_WIDTH, LAYOUT_CASES } from "../testing/layout-cases.js";
import { xyz } from "../testing/sample-graphs.js";
import { FULL_EFFORT, QUICK_EFFORT } from "./effort.js";
import { SPACING } from "./index.js";
import { assignRanks, buildLayers } from "./layering.js";
import { orderLayers } from "./ordering.js";
import { placeNodes, placeVertically } from "./positioning.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */

/**
 * Graph `json` laid out up to positioning, with the widget's boxes and spacing.
 * @param {GraphJSON} json
 */
function placed(json) {
  const g = parseGraph(json);
  const boxes = nodeBoxes(g, CHAR_WIDTH);
  const lg = buildLayers(g, assignRanks(g));
  const order = orderLayers(lg);
  return { g, boxes, lg, order, placement: placeNodes(lg, order, boxes, SPACING) };
}
const PLACED = new Map(LAYOUT_CASES.map(([name, json]) => [name, placed(json)]));

/**
 * Heights and gaps as the layout makes them: real nodes of varied heights, dummies of none.
 * @param {import("./layering.js").LayeredGraph} lg
 */
function sizes(lg) {
  const heights = new Float64Array(lg.size);
  const gaps = new Float64Array(lg.size).fill(8);
  for (let v = 0; v < lg.real; v++) {
    heights[v] = 34 + (v % 3) * 10;
    gaps[v] = 12;
  }
  return { heights, gaps };
}

/**
 * A layered graph and its order from [op, ...operand ids] rows, one per node in id order.
 * @param {...[string, ...number[]]} rows
 */
function arranged(...rows) {
  const nodes = rows.map(([op, ...args], id) => ({ id, label: null, op, args }));
  const g = parseGraph({ schema: 1, output: nodes.length - 1, nodes });
  const lg = buildLayers(g, assignRanks(g));
  return { lg, order: orderLayers(lg) };
}

test("placement: consecutive nodes of a column keep their distance; the same input, the same output", () => {
  for (const [name, { lg, order }] of PLACED) {
    const { heights, gaps } = sizes(lg);
    for (const effort of [FULL_EFFORT, QUICK_EFFORT]) {
      const y = placeVertically(lg, order, heights, gaps, effort);
      for (const layer of order) {
        for (let i = 1; i < layer.length; i++) {
          const [u, v] = [layer[i - 1], layer[i]];
          const need = (heights[u] + gaps[u] + heights[v] + gaps[v]) / 2;
          assert.ok(y[v] - y[u] >= need - 1e-9, `${name}: ${u} and ${v} too close`);
        }
      }
      assert.deepEqual(placeVertically(lg, order, heights, gaps, effort), y, name);
    }
  }
});

test("Brandes–Köpf aligns a chain straight, and a long edge with it, before any refinement", () => {
  // x, y; exp, tanh, relu, sigmoid of x in a chain; sigmoid + exp(y), and x * y beside the chain.
  // exp(y) is pulled right next to its user, so y reaches it through dummies 9, 10 and 11.
  const { lg, order } = arranged(
    [""],
    [""],
    ["exp", 0],
    ["tanh", 2],
    ["relu", 3],
    ["sigmoid", 4],
    ["exp", 1],
    ["+", 5, 6],
    ["*", 0, 1],
  );
  assert.deepEqual(Array.from(lg.rank), [0, 0, 1, 2, 3, 4, 4, 5, 1, 1, 2, 3]);
  const { heights, gaps } = sizes(lg);
  for (const effort of [FULL_EFFORT, QUICK_EFFORT]) {
    const y = placeVertically(lg, order, heights, gaps, { ...effort, refineRounds: 0 });
    for (const v of [3, 4, 5]) assert.equal(y[v], y[2], `chain node ${v}, ${effort.alignments} alignments`);
    for (const v of [10, 11, 6]) assert.equal(y[v], y[9], `long edge node ${v}, ${effort.alignments} alignments`);
    assert.ok(Math.abs(y[9] - y[2]) >= (heights[2] + gaps[2]) / 2 + (heights[9] + gaps[9]) / 2 - 1e-9);
  }
});

test("refinement centres an op between its operands: x*y + x**2, the first operand above", () => {
  const { boxes, placement } = placed(xyz());
  /** @param {number} i */
  const cy = (i) => placement.top[i] + boxes[i].height / 2;
  assert.ok(cy(2) < cy(3), "x*y above x**2");
  assert.ok(cy(0) < cy(1), "x above y");
  assert.ok(Math.abs(cy(4) - (cy(2) + cy(3)) / 2) < 1e-9, "z centred on its operands");
});

test("nodes do not overlap and lie inside the drawing", () => {
  for (const [name, { g, boxes, placement }] of PLACED) {
    const { left, top, width, height } = placement;
    for (let i = 0; i < g.size; i++) {
      assert.ok(left[i] >= 0 && top[i] >= 0, `${name}: node ${i} inside`);
      assert.ok(left[i] + boxes[i].width <= width + 1e-9, `${name}: node ${i} inside`);
      assert.ok(top[i] + boxes[i].height <= height + 1e-9, `${name}: node ${i} inside`);
      for (let j = 0; j < i; j++) {
        const apart =
          left[i] + boxes[i].width <= left[j] ||
          left[j] + boxes[j].width <= left[i] ||
          top[i] + boxes[i].height <= top[j] ||
          top[j] + boxes[j].height <= top[i];
        assert.ok(apart, `${name}: nodes ${i} and ${j} overlap`);
      }
    }
  }
});

/**
 * Each column's nodes (ids by rank) and its horizontal extent, from the node positions.
 * @param {import("../core/engine.js").ParsedGraph} g
 * @param {import("./geometry.js").Box[]} boxes
 * @param {import("./positioning.js").Placement} placement
 */
function columns(g, boxes, placement) {
  const rank = assignRanks(g);
  /** @type {Array<{ids: number[], left: number, right: number}>} */
  const cols = [];
  for (let i = 0; i < g.size; i++) {
    cols[rank[i]] ??= { ids: [], left: Infinity, right: -Infinity };
    const c = cols[rank[i]];
    c.ids.push(i);
    c.left = Math.min(c.left, placement.left[i]);
    c.right = Math.max(c.right, placement.left[i] + boxes[i].width);
  }
  return cols;
}

test("nodes stand in columns: a column's centres share one x, and columns do not overlap", () => {
  for (const [name, { g, boxes, placement }] of PLACED) {
    const cols = columns(g, boxes, placement);
    for (const [r, c] of cols.entries()) {
      /** @param {number} i */
      const centre = (i) => placement.left[i] + boxes[i].width / 2;
      for (const i of c.ids) assert.ok(Math.abs(centre(i) - centre(c.ids[0])) < 1e-9, `${name}: node ${i}`);
      if (r > 0) assert.ok(cols[r - 1].right + SPACING.ranksep <= c.left + 1e-9, `${name}: column ${r}`);
      assert.equal(placement.colLeft[r], c.left, `${name}: column ${r} starts at its widest box`);
      assert.equal(placement.colWidth[r], c.right - c.left, `${name}: column ${r} as wide as its widest box`);
    }
  }
});

test("an MLP of 1,000 values: a drawing only as large as its columns need", () => {
  const mlpPlaced = PLACED.get("MLP(2, [16, 16, 1])");
  assert.ok(mlpPlaced);
  const { g, boxes, lg, placement } = mlpPlaced;
  const cols = columns(g, boxes, placement);
  let width = 2 * SPACING.margin + (cols.length - 1) * SPACING.ranksep;
  for (const c of cols) width += c.right - c.left;
  assert.ok(Math.abs(placement.width - width) < 1e-6, "columns packed side by side");
  // aligned long edges may stretch the drawing beyond its tallest column, but not without bound
  let tallest = 0;
  const stack = new Float64Array(cols.length);
  for (let v = 0; v < lg.size; v++) {
    stack[lg.rank[v]] += v < g.size ? boxes[v].height + SPACING.nodesep : SPACING.edgesep;
    tallest = Math.max(tallest, stack[lg.rank[v]]);
  }
  assert.ok(placement.height < 5 * tallest, `${placement.height} px tall, tallest column ${tallest} px`);
});

test("the drawing starts at the margin: its first column, and its highest box or long edge", () => {
  for (const [name, { g, lg, placement }] of PLACED) {
    let highest = Math.min(...placement.top);
    for (let d = g.size; d < lg.size; d++) highest = Math.min(highest, placement.y[d]);
    assert.ok(Math.abs(highest - SPACING.margin) < 1e-9, `${name}: highest at ${highest}`);
    assert.equal(placement.colLeft[0], SPACING.margin, name);
  }
});
