// The steps of layered.js one by one: ranks, the layered graph, the order within columns, the
// vertical placement.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "./engine.js";
import {
  QUICK_ABOVE,
  assignRanks,
  buildLayers,
  countCrossings,
  effortFor,
  orderLayers,
  placeVertically,
} from "./layered.js";
import { mlp, randomGraph, sumTree } from "./sample-graphs.js";

/** The neuron tanh(x1*w1 + x2*w2 + b), as the widget receives it. */
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

const SAMPLES = [
  ["neuron", NEURON],
  ["sum tree of 50", sumTree(50)],
  ["MLP(3, [4, 4, 1])", mlp(3, [4, 4, 1])],
  ...[1, 2, 3].map((seed) => [`random graph ${seed}`, randomGraph(150, seed)]),
];

function layered(json) {
  const g = parseGraph(json);
  const lg = buildLayers(g, assignRanks(g));
  return { g, lg };
}

/** Operand uses of node i: [operand, which] pairs. */
function operands(g, i) {
  if (g.a[i] < 0) return [];
  return g.b[i] < 0 ? [[g.a[i], 0]] : [[g.a[i], 0], [g.b[i], 1]];
}

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

test("the order: every column holds its nodes once; a tree is drawn without crossings", () => {
  for (const [name, json] of SAMPLES) {
    const { lg } = layered(json);
    const order = orderLayers(lg);
    const seen = new Uint8Array(lg.size);
    order.forEach((layer, r) => {
      for (const v of layer) {
        assert.equal(lg.rank[v], r, `${name}: node ${v} in its column`);
        seen[v]++;
      }
    });
    assert.ok(seen.every((k) => k === 1), `${name}: every node once`);
  }
  for (const json of [sumTree(37), NEURON]) {
    const { lg } = layered(json);
    const order = orderLayers(lg);
    assert.equal(countCrossings(lg, order, positions(lg, order)), 0);
  }
});

test("crossings are counted between segments, and at a node's two ports", () => {
  // a and b feed a - b; drawn with b above a, the two edges cross at the op's ports
  const json = {
    schema: 1,
    output: 2,
    nodes: [
      { id: 0, label: "a", op: "", args: [] },
      { id: 1, label: "b", op: "", args: [] },
      { id: 2, label: null, op: "-", args: [0, 1] },
    ],
  };
  const { lg } = layered(json);
  const straight = [Int32Array.of(0, 1), Int32Array.of(2)];
  const crossed = [Int32Array.of(1, 0), Int32Array.of(2)];
  assert.equal(countCrossings(lg, straight, positions(lg, straight)), 0);
  assert.equal(countCrossings(lg, crossed, positions(lg, crossed)), 1);
  assert.deepEqual(Array.from(orderLayers(lg)[0]), [0, 1], "the first operand goes above");
});

test("placement: consecutive nodes of a column keep their distance; the same input, the same output", () => {
  for (const [name, json] of SAMPLES) {
    const { lg } = layered(json);
    const order = orderLayers(lg);
    const heights = new Float64Array(lg.size);
    const gaps = new Float64Array(lg.size).fill(8);
    for (let v = 0; v < lg.real; v++) {
      heights[v] = 34 + (v % 3) * 10;
      gaps[v] = 12;
    }
    const y = placeVertically(lg, order, heights, gaps);
    for (const layer of order) {
      for (let i = 1; i < layer.length; i++) {
        const [u, v] = [layer[i - 1], layer[i]];
        const need = (heights[u] + gaps[u] + heights[v] + gaps[v]) / 2;
        assert.ok(y[v] - y[u] >= need - 1e-9, `${name}: ${u} and ${v} too close`);
      }
    }
    assert.deepEqual(placeVertically(lg, order, heights, gaps), y, name);
  }
});

test("large graphs take the quick effort, small ones the full one", () => {
  const big = layered(mlp(2, [16, 16, 1])).lg;
  const small = layered(mlp(3, [4, 4, 1])).lg;
  assert.ok(big.size > QUICK_ABOVE && small.size <= QUICK_ABOVE);
  assert.notEqual(effortFor(big.size), effortFor(small.size));
});

function positions(lg, order) {
  const pos = new Int32Array(lg.size);
  for (const layer of order) layer.forEach((v, i) => (pos[v] = i));
  return pos;
}
