// layering.js: the column of every node, and the layered graph with the dummies of long edges.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { mlp, randomGraph, sumTree } from "../testing/sample-graphs.js";
import { PORT_BOTTOM, PORT_MID, PORT_TOP, assignRanks, buildLayers } from "./layering.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */
/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */

/**
 * The neuron tanh(x1*w1 + x2*w2 + b), as the widget receives it.
 * @type {GraphJSON}
 */
const NEURON = {
  schema: 1,
  output: 9,
  nodes: [
    { id: 0, label: "x1", op: "", args: [] },
    { id: 1, label: "w1", op: "", args: [] },
    { id: 2, label: null, op: "*", args: [0, 1] },
    { id: 3, label: "x2", op: "", args: [] },
    { id: 4, label: "w2", op: "", args: [] },
    { id: 5, label: null, op: "*", args: [3, 4] },
    { id: 6, label: null, op: "+", args: [2, 5] },
    { id: 7, label: "b", op: "", args: [] },
    { id: 8, label: "n", op: "+", args: [6, 7] },
    { id: 9, label: "o", op: "tanh", args: [8] },
  ],
};

/** @type {Array<[string, GraphJSON]>} */
const SAMPLES = [
  ["neuron", NEURON],
  ["sum tree of 50", sumTree(50)],
  ["MLP(3, [4, 4, 1])", mlp(3, [4, 4, 1])],
  ...[1, 2, 3].map((seed) => /** @type {[string, GraphJSON]} */ ([`random graph ${seed}`, randomGraph(150, seed)])),
];

/**
 * A schema-1 graph from [op, ...operand ids] rows, one per node in id order ("" for a leaf).
 * @param {...[string, ...number[]]} rows
 */
function graph(...rows) {
  const nodes = rows.map(([op, ...args], id) => ({ id, label: null, op, args }));
  return parseGraph({ schema: 1, output: nodes.length - 1, nodes });
}

/** @param {GraphJSON} json */
function layered(json) {
  const g = parseGraph(json);
  return { g, lg: buildLayers(g, assignRanks(g)) };
}

/**
 * Operand uses of node i: [operand, which] pairs.
 * @param {ParsedGraph} g
 * @param {number} i
 */
function operands(g, i) {
  if (g.a[i] < 0) return [];
  return g.b[i] < 0 ? [[g.a[i], 0]] : [[g.a[i], 0], [g.b[i], 1]];
}

test("ranks of a diamond: the source, its two users side by side, their sum", () => {
  // x; exp(x); tanh(x); exp(x) + tanh(x)
  const g = graph([""], ["exp", 0], ["tanh", 0], ["+", 1, 2]);
  assert.deepEqual(Array.from(assignRanks(g)), [0, 1, 1, 2]);
});

test("ranks: a leaf used only late is pulled right, beside its user", () => {
  // x; y; exp(x); tanh(exp(x)); tanh(exp(x)) * y: y goes beside the product, not under x
  const g = graph([""], [""], ["exp", 0], ["tanh", 2], ["*", 3, 1]);
  assert.deepEqual(Array.from(assignRanks(g)), [0, 2, 1, 2, 3]);
});

test("ranks: operands lie left of their users, every used node just left of its nearest user", () => {
  for (const [name, json] of SAMPLES) {
    const g = parseGraph(json);
    const rank = assignRanks(g);
    const nearest = new Array(g.size).fill(Infinity);
    for (let i = 0; i < g.size; i++) {
      for (const [u] of operands(g, i)) {
        assert.ok(rank[u] < rank[i], `${name}: ${u} -> ${i}`);
        nearest[u] = Math.min(nearest[u], rank[i]);
      }
    }
    for (let i = 0; i < g.size; i++) {
      if (nearest[i] !== Infinity) assert.equal(rank[i], nearest[i] - 1, `${name}: node ${i}`);
    }
    assert.equal(Math.min(...rank), 0, name);
  }
});

test("ranks of the neuron: weights beside their products, the output last", () => {
  const rank = assignRanks(parseGraph(NEURON));
  assert.deepEqual(Array.from(rank), [0, 0, 1, 0, 0, 1, 2, 2, 3, 4]);
});

test("a diamond with one long side: dummies carry the long edge, ports follow the operands", () => {
  // x; exp(x); tanh(exp(x)); relu(tanh(exp(x))); relu(...) - x: the edge x -> (-) crosses 3 columns
  const g = graph([""], ["exp", 0], ["tanh", 1], ["relu", 2], ["-", 3, 0]);
  const lg = buildLayers(g, assignRanks(g));
  assert.deepEqual([lg.real, lg.size, lg.ranks, lg.segments], [5, 8, 5, 8]);
  assert.deepEqual(Array.from(lg.rank), [0, 1, 2, 3, 4, 1, 2, 3]);
  /** @type {(start: Int32Array, values: Int32Array | Uint8Array, v: number) => number[]} */
  const list = (start, values, v) => Array.from(values.subarray(start[v], start[v + 1]));
  assert.deepEqual(list(lg.succStart, lg.succ, 0), [1, 5]);
  assert.deepEqual([5, 6, 7].map((v) => list(lg.succStart, lg.succ, v)), [[6], [7], [4]]);
  // relu enters the upper port of (-), the chain from x the lower one
  assert.deepEqual(list(lg.predStart, lg.pred, 4), [3, 7]);
  assert.deepEqual(list(lg.predStart, lg.predPort, 4), [PORT_TOP, PORT_BOTTOM]);
  assert.deepEqual(list(lg.predStart, lg.predPort, 1), [PORT_MID], "a unary op's operand enters its middle");
  assert.deepEqual(list(lg.predStart, lg.predPort, 5), [PORT_MID], "so does a dummy's");
  // edges in id order of their user, then operand order: the last is x -> (-), from dummy 5 on
  assert.deepEqual([lg.edgeFrom[4], lg.edgeTo[4], lg.edgeWhich[4], lg.edgeArity[4], lg.edgeDummy[4]], [0, 4, 1, 2, 5]);
});

test("the layered graph: segments join adjacent columns, one chain of dummies per long edge", () => {
  for (const [name, json] of SAMPLES) {
    const { g, lg } = layered(json);
    for (let v = 0; v < lg.size; v++) {
      for (let j = lg.succStart[v]; j < lg.succStart[v + 1]; j++) {
        assert.equal(lg.rank[lg.succ[j]], lg.rank[v] + 1, `${name}: segment from ${v}`);
      }
      if (v >= g.size) assert.equal(lg.predStart[v + 1] - lg.predStart[v], 1, `${name}: dummy ${v}, one operand`);
    }
    let edges = 0;
    for (let i = 0; i < g.size; i++) edges += operands(g, i).length;
    assert.equal(lg.edgeFrom.length, edges, `${name}: one edge per operand use`);
    /** @param {number} v */
    const successors = (v) => Array.from(lg.succ.subarray(lg.succStart[v], lg.succStart[v + 1]));
    for (let e = 0; e < edges; e++) {
      // walk the chain: from the operand through its dummies, column by column, into the user
      let at = lg.edgeFrom[e];
      for (let d = lg.edgeDummy[e], r = lg.rank[at] + 1; r < lg.rank[lg.edgeTo[e]]; d++, r++) {
        assert.ok(successors(at).includes(d), `${name}: edge ${e}`);
        assert.equal(lg.rank[d], r);
        at = d;
      }
      assert.ok(successors(at).includes(lg.edgeTo[e]), `${name}: edge ${e} arrives`);
    }
  }
});

test("x * x: both operand edges share one chain of dummies", () => {
  /** @type {GraphJSON} */
  const json = {
    schema: 1,
    output: 4,
    nodes: [
      { id: 0, label: "x", op: "", args: [] },
      { id: 1, label: null, op: "exp", args: [0] },
      { id: 2, label: null, op: "tanh", args: [1] },
      { id: 3, label: null, op: "*", args: [0, 0] },
      { id: 4, label: null, op: "+", args: [2, 3] },
    ],
  };
  const { g, lg } = layered(json);
  assert.equal(lg.size - g.size, 1, "x -> x*x crosses one column, once");
  const [first, second] = [1, 2].map((e) => lg.edgeDummy[lg.edgeTo.indexOf(3) + e - 1]);
  assert.equal(first, second);
});

test("the layered graph of an MLP of 1,000 values stays linear in size", () => {
  const { g, lg } = layered(mlp(2, [16, 16, 1]));
  assert.equal(g.size, 979);
  // the layered graph (values and the dummies of long edges) is what every later pass walks
  assert.ok(lg.size < 3.5 * g.size, `${lg.size} layered nodes`);
});
