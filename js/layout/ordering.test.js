// ordering.js: the order within columns, and the crossing count it minimises.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { mlp, randomGraph, sumTree, xyz } from "../testing/sample-graphs.js";
import { FULL_EFFORT } from "./effort.js";
import { assignRanks, buildLayers } from "./layering.js";
import { countCrossings, initialOrder, orderLayers, positions } from "./ordering.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */
/** @typedef {import("./layering.js").LayeredGraph} LayeredGraph */

/** @type {Array<[string, GraphJSON]>} */
const SAMPLES = [
  ["x*y + x**2", xyz()],
  ["sum tree of 50", sumTree(50)],
  ["MLP(3, [4, 4, 1])", mlp(3, [4, 4, 1])],
  ...[1, 2, 3].map((seed) => /** @type {[string, GraphJSON]} */ ([`random graph ${seed}`, randomGraph(150, seed)])),
];

/** @param {GraphJSON} json */
function layered(json) {
  const g = parseGraph(json);
  return buildLayers(g, assignRanks(g));
}

/**
 * A layered graph of leaves and ops: [op, ...operand ids] rows, one per node in id order.
 * @param {...[string, ...number[]]} rows
 */
function layeredRows(...rows) {
  const nodes = rows.map(([op, ...args], id) => ({ id, label: null, op, args }));
  return layered({ schema: 1, output: nodes.length - 1, nodes });
}

/**
 * @param {LayeredGraph} lg
 * @param {Int32Array[]} order
 */
function crossings(lg, order) {
  return countCrossings(lg, order, positions(lg, order));
}

test("the order: every column holds its own nodes, each once", () => {
  for (const [name, json] of SAMPLES) {
    const lg = layered(json);
    const order = orderLayers(lg);
    assert.equal(order.length, lg.ranks, name);
    const seen = new Uint8Array(lg.size);
    order.forEach((layer, r) => {
      for (const v of layer) {
        assert.equal(lg.rank[v], r, `${name}: node ${v} in its column`);
        seen[v]++;
      }
    });
    assert.ok(seen.every((k) => k === 1), `${name}: every node once`);
  }
});

test("a tree is drawn without crossings, from the first order on", () => {
  // a wide reduction, and a neuron: b + w1*x1 + w2*x2 + w3*x3
  for (const json of [sumTree(37), mlp(3, [1])]) {
    const lg = layered(json);
    assert.equal(crossings(lg, initialOrder(lg)), 0);
    assert.equal(crossings(lg, orderLayers(lg)), 0);
  }
});

test("crossings are counted between segments, and at a node's two ports", () => {
  // a and b feed a - b; drawn with b above a, the two edges cross at the op's ports
  const lg = layeredRows([""], [""], ["-", 0, 1]);
  assert.equal(crossings(lg, [Int32Array.of(0, 1), Int32Array.of(2)]), 0);
  assert.equal(crossings(lg, [Int32Array.of(1, 0), Int32Array.of(2)]), 1);
  assert.deepEqual(Array.from(orderLayers(lg)[0]), [0, 1], "the first operand goes above");
});

test("K2,2 crosses once in any order, plus once per op whose operands are drawn upside down", () => {
  // u0 and u1 both feed v2 = u0 + u1 and v3 = u0 * u1
  const lg = layeredRows([""], [""], ["+", 0, 1], ["*", 0, 1]);
  /** @type {(us: number[], vs: number[]) => number} */
  const count = (us, vs) => crossings(lg, [Int32Array.from(us), Int32Array.from(vs)]);
  assert.equal(count([0, 1], [2, 3]), 1);
  assert.equal(count([0, 1], [3, 2]), 1);
  assert.equal(count([1, 0], [2, 3]), 3);
  assert.equal(count([1, 0], [3, 2]), 3);
  assert.equal(crossings(lg, orderLayers(lg)), 1, "the ordering finds the unavoidable one");
});

test("crossings add up over the column pairs, and over the ops of a column", () => {
  // (a - b) - c: a and b in column 0, a - b and c in column 1, the result in column 2
  const chain = layeredRows([""], [""], ["-", 0, 1], [""], ["-", 2, 3]);
  assert.deepEqual(Array.from(chain.rank), [0, 0, 1, 1, 2]);
  /** @type {(...columns: number[][]) => number} */
  const count = (...columns) => crossings(chain, columns.map((c) => Int32Array.from(c)));
  assert.equal(count([0, 1], [2, 3], [4]), 0);
  assert.equal(count([1, 0], [2, 3], [4]), 1);
  assert.equal(count([0, 1], [3, 2], [4]), 1);
  assert.equal(count([1, 0], [3, 2], [4]), 2);
  // two copies of a - b in one pair of columns: interleaved, their edges cross each other too
  const twin = layeredRows([""], [""], ["-", 0, 1], [""], [""], ["-", 3, 4]);
  assert.equal(crossings(twin, [Int32Array.of(0, 1, 3, 4), Int32Array.of(2, 5)]), 0);
  assert.equal(crossings(twin, [Int32Array.of(1, 0, 4, 3), Int32Array.of(2, 5)]), 2);
  assert.equal(crossings(twin, [Int32Array.of(0, 3, 1, 4), Int32Array.of(2, 5)]), 1);
});

test("sweeps and swaps each remove crossings, and the best order found is kept", () => {
  let sweepsHelped = 0;
  let swapsHelped = 0;
  for (const [name, json] of SAMPLES) {
    const lg = layered(json);
    const first = crossings(lg, initialOrder(lg));
    const sweepsOnly = crossings(lg, orderLayers(lg, { ...FULL_EFFORT, transposeRounds: 0 }));
    const both = crossings(lg, orderLayers(lg, FULL_EFFORT));
    assert.ok(sweepsOnly <= first && both <= first, `${name}: ${first}, ${sweepsOnly}, ${both}`);
    if (sweepsOnly < first) sweepsHelped++;
    if (both < sweepsOnly) swapsHelped++;
  }
  assert.ok(sweepsHelped >= 3, `the sweeps helped on ${sweepsHelped} samples`);
  assert.ok(swapsHelped >= 3, `the swaps helped on ${swapsHelped} samples`);
});

test("the same layered graph gets the same order every time", () => {
  for (const [name, json] of SAMPLES) {
    assert.deepEqual(orderLayers(layered(json)), orderLayers(layered(structuredClone(json))), name);
  }
});
