// Node boxes (geometry.js) and their layout (layout.js): deterministic, left to right, in columns,
// nothing overlapping, edges bending only between columns.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parseGraph } from "./engine.js";
import { METRICS, edgePath, inPort, nodeBoxes, opText, shownLabel } from "./geometry.js";
import { assignRanks, buildLayers } from "./layered.js";
import { SPACING, layoutGraph } from "./layout.js";
import { mlp, randomGraph, sumTree, xyz } from "./sample-graphs.js";

const VECTORS = JSON.parse(readFileSync(new URL("../tests/vectors/ops.json", import.meta.url), "utf8"));
const CHAR = 7.3;

function laidOut(json) {
  const g = parseGraph(json);
  const boxes = nodeBoxes(g, CHAR);
  return { g, boxes, layout: layoutGraph(g, boxes) };
}

const GRAPHS = [
  ...VECTORS.graphs.map((v) => [v.name, v.graph]),
  ["sum tree of 200", sumTree(200)],
  ["random graph of 300", randomGraph(300, 7)],
  ["MLP(2, [16, 16, 1])", mlp(2, [16, 16, 1])],
];
const LAID_OUT = new Map(GRAPHS.map(([name, json]) => [name, laidOut(json)]));

test("the same graph gets the same layout every time", () => {
  for (const [name, json] of GRAPHS) {
    const second = laidOut(structuredClone(json)).layout;
    assert.deepEqual(second, LAID_OUT.get(name).layout, name);
  }
});

test("every edge runs left to right, from an operand's right side into its user's op pill", () => {
  for (const [name, { g, boxes, layout }] of LAID_OUT) {
    let uses = 0;
    for (let i = 0; i < g.size; i++) uses += g.a[i] >= 0 ? (g.b[i] >= 0 ? 2 : 1) : 0;
    assert.equal(layout.edges.length, uses, `${name}: one edge per operand use`);
    for (const { from, to, which, points } of layout.edges) {
      const right = layout.left[from] + boxes[from].width;
      assert.ok(right < layout.left[to], `${name}: edge ${from}->${to} goes right`);
      assert.deepEqual(points[0], { x: right, y: layout.top[from] + boxes[from].height / 2 });
      const end = points[points.length - 1];
      assert.equal(end.x, layout.left[to]);
      const arity = g.b[to] >= 0 ? 2 : 1;
      assert.equal(end.y, layout.top[to] + inPort(boxes[to], which, arity).y);
      for (let p = 1; p < points.length; p++) assert.ok(points[p].x >= points[p - 1].x, `${name}: route bends back`);
    }
  }
});

test("nodes do not overlap and lie inside the drawing", () => {
  for (const [name, { g, boxes, layout }] of LAID_OUT) {
    for (let i = 0; i < g.size; i++) {
      assert.ok(layout.left[i] >= 0 && layout.top[i] >= 0, `${name}: node ${i} inside`);
      assert.ok(layout.left[i] + boxes[i].width <= layout.width + 1e-9, `${name}: node ${i} inside`);
      assert.ok(layout.top[i] + boxes[i].height <= layout.height + 1e-9, `${name}: node ${i} inside`);
      for (let j = 0; j < i; j++) {
        const apart =
          layout.left[i] + boxes[i].width <= layout.left[j] ||
          layout.left[j] + boxes[j].width <= layout.left[i] ||
          layout.top[i] + boxes[i].height <= layout.top[j] ||
          layout.top[j] + boxes[j].height <= layout.top[i];
        assert.ok(apart, `${name}: nodes ${i} and ${j} overlap`);
      }
    }
  }
});

/** Each column's nodes (ids by rank) and its horizontal extent, from the layout itself. */
function columns(g, boxes, layout) {
  const rank = assignRanks(g);
  const cols = [];
  for (let i = 0; i < g.size; i++) {
    cols[rank[i]] ??= { ids: [], left: Infinity, right: -Infinity };
    const c = cols[rank[i]];
    c.ids.push(i);
    c.left = Math.min(c.left, layout.left[i]);
    c.right = Math.max(c.right, layout.left[i] + boxes[i].width);
  }
  return cols;
}

test("nodes stand in columns: a column's centres share one x, and columns do not overlap", () => {
  for (const [name, { g, boxes, layout }] of LAID_OUT) {
    const cols = columns(g, boxes, layout);
    for (const [r, c] of cols.entries()) {
      const centre = (i) => layout.left[i] + boxes[i].width / 2;
      for (const i of c.ids) assert.ok(Math.abs(centre(i) - centre(c.ids[0])) < 1e-9, `${name}: node ${i}`);
      if (r > 0) assert.ok(cols[r - 1].right + SPACING.ranksep <= c.left + 1e-9, `${name}: column ${r}`);
    }
  }
});

test("edges bend only between columns and never run through a node", () => {
  for (const [name, { g, boxes, layout }] of LAID_OUT) {
    const cols = columns(g, boxes, layout);
    for (const { from, to, points } of layout.edges) {
      for (let p = 1; p < points.length; p++) {
        const [a, b] = [points[p - 1], points[p]];
        for (const c of cols) {
          if (c.right <= a.x || c.left >= b.x) continue;
          assert.equal(a.y, b.y, `${name}: edge ${from}->${to} bends inside a column`);
          for (const i of c.ids) {
            if (i === from || i === to) continue;
            const inside = layout.top[i] < a.y && a.y < layout.top[i] + boxes[i].height;
            const across = layout.left[i] < b.x && layout.left[i] + boxes[i].width > a.x;
            assert.ok(!(inside && across), `${name}: edge ${from}->${to} runs through node ${i}`);
          }
        }
      }
    }
  }
});

test("an MLP of 1,000 values: linear work, and a drawing only as large as its columns need", () => {
  const { g, boxes, layout } = LAID_OUT.get("MLP(2, [16, 16, 1])");
  assert.equal(g.size, 979);
  // the layered graph (values and the dummies of long edges) is what every pass walks
  const lg = buildLayers(g, assignRanks(g));
  assert.ok(lg.size < 3.5 * g.size, `${lg.size} layered nodes`);
  const cols = columns(g, boxes, layout);
  let width = 2 * SPACING.margin + (cols.length - 1) * SPACING.ranksep;
  for (const c of cols) width += c.right - c.left;
  assert.ok(Math.abs(layout.width - width) < 1e-6, "columns packed side by side");
  // aligned long edges may stretch the drawing beyond its tallest column, but not without bound
  let tallest = 0;
  const stack = new Float64Array(cols.length);
  for (let v = 0; v < lg.size; v++) {
    stack[lg.rank[v]] += v < g.size ? boxes[v].height + SPACING.nodesep : SPACING.edgesep;
    tallest = Math.max(tallest, stack[lg.rank[v]]);
  }
  assert.ok(layout.height < 5 * tallest, `${layout.height} px tall, tallest column ${tallest} px`);
});

test("x*y + x**2: the sum sits midway between its operands, the first one above", () => {
  const { boxes, layout } = laidOut(xyz());
  const cy = (i) => layout.top[i] + boxes[i].height / 2;
  assert.ok(cy(2) < cy(3), "x*y above x**2");
  assert.ok(cy(0) < cy(1), "x above y");
  assert.ok(Math.abs(cy(4) - (cy(2) + cy(3)) / 2) < 1e-9, "z centred on its operands");
});

test("an op's first operand enters above its second, so a - b keeps its order", () => {
  const box = { height: 53 };
  assert.ok(inPort(box, 0, 2).y < inPort(box, 1, 2).y);
  assert.equal(inPort(box, 0, 1).y, 26.5);
});

test("node boxes: leaves have no op pill, labels widen the card, long labels are cut", () => {
  const json = {
    schema: 1,
    output: 2,
    nodes: [
      { id: 0, label: "a_rather_long_variable_name_indeed", op: "", args: [], data: 1, grad: 0 },
      { id: 1, label: null, op: "**", args: [0], k: -2.5, data: 1, grad: 0 },
      { id: 2, label: "z", op: "tanh", args: [1], data: 1, grad: 1 },
    ],
  };
  const g = parseGraph(json);
  const [leaf, pow, out] = nodeBoxes(g, CHAR);
  assert.equal(leaf.opWidth, 0);
  assert.equal(leaf.cardX, 0);
  assert.equal(leaf.label.length, METRICS.labelMaxChars);
  assert.ok(leaf.label.endsWith("…"));
  assert.ok(leaf.width > out.cardWidth, "a long label makes a wider card");
  assert.equal(pow.op, "**-2.5");
  assert.equal(pow.headerHeight, 0, "no header without a label");
  assert.equal(pow.height, 2 * METRICS.rowHeight);
  assert.equal(out.height, METRICS.headerHeight + 2 * METRICS.rowHeight);
  assert.ok(out.cardX > out.opWidth, "a stub separates the pill from the card");
});

test("op pills read like the Python a student typed, exponents like the numbers on the nodes", () => {
  assert.deepEqual(
    ["+", "-", "*", "/", "neg", "relu", "sigmoid", "sin", "cos", "abs"].map((op) => opText(op)),
    ["+", "−", "×", "÷", "neg", "relu", "sigmoid", "sin", "cos", "abs"],
  );
  assert.equal(opText("**", 2), "**2");
  assert.equal(opText("**", 1 / 3), "**0.3333", "4 significant digits, as formatNumber");
  assert.equal(opText("**", -2.5), "**-2.5");
  assert.equal(opText("**", 123456), "**1.235e+5");
  assert.equal(shownLabel(null), "");
});

test("edge paths are smooth curves through every route point", () => {
  const d = edgePath([{ x: 0, y: 0 }, { x: 10, y: 5 }, { x: 30, y: 5 }]);
  assert.equal(d, "M0,0C5,0 5,5 10,5C20,5 20,5 30,5");
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
