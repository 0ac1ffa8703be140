// Node boxes (geometry.js) and their dagre layout (layout.js): deterministic, left to right.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parseGraph } from "./engine.js";
import { METRICS, edgePath, inPort, nodeBoxes, opText, shownLabel } from "./geometry.js";
import { LARGE_GRAPH, layoutGraph } from "./layout.js";

const VECTORS = JSON.parse(readFileSync(new URL("../tests/vectors/ops.json", import.meta.url), "utf8"));
const CHAR = 7.3;

/** A graph of `n` inputs summed pairwise, level by level, like a wide reduction: n - 1 adds. */
function sumTree(n) {
  const nodes = [];
  let level = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: i, label: `x${i}`, op: "", args: [], data: i, grad: 1 });
    level.push(i);
  }
  while (level.length > 1) {
    const next = [];
    for (let j = 0; j + 1 < level.length; j += 2) {
      nodes.push({ id: nodes.length, label: null, op: "+", args: [level[j], level[j + 1]], data: 0, grad: 1 });
      next.push(nodes.length - 1);
    }
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return { schema: 1, output: nodes.length - 1, nodes };
}

function laidOut(json) {
  const g = parseGraph(json);
  const boxes = nodeBoxes(g, CHAR);
  return { g, boxes, layout: layoutGraph(g, boxes) };
}

const GRAPHS = [...VECTORS.graphs.map((v) => [v.name, v.graph]), ["sum tree of 200 (large)", sumTree(200)]];

test("the large-graph path is exercised", () => {
  assert.ok(sumTree(200).nodes.length > LARGE_GRAPH);
  assert.ok(VECTORS.graphs.every((v) => v.graph.nodes.length <= LARGE_GRAPH), "the vector graphs take the small path");
});

test("the same graph gets the same layout every time", () => {
  for (const [name, json] of GRAPHS) {
    const first = laidOut(json).layout;
    const second = laidOut(structuredClone(json)).layout;
    assert.deepEqual(second, first, name);
  }
});

test("every edge runs left to right, from an operand's right side into its user's op pill", () => {
  for (const [name, json] of GRAPHS) {
    const { g, boxes, layout } = laidOut(json);
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
  for (const [name, json] of GRAPHS) {
    const { g, boxes, layout } = laidOut(json);
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

test("op pills read like the Python a student typed", () => {
  assert.deepEqual(
    ["+", "-", "*", "/", "neg", "relu", "sigmoid"].map((op) => opText(op)),
    ["+", "−", "×", "÷", "neg", "relu", "sigmoid"],
  );
  assert.equal(opText("**", 2), "**2");
  assert.equal(opText("**", 1 / 3), "**0.333333");
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
