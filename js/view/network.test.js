import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { groupedMlp } from "../testing/group-graphs.js";
import {
  allOrNone,
  itemEdges,
  itemEdgesAfter,
  MAX_EDGE_WIDTH, openFromPaths, pathsOf, toggled, visibleItems, weightLook } from "./network.js";

const g = parseGraph(groupedMlp(2, [3, 1]));
const tree = /** @type {import("../core/groups.js").GroupTree} */ (g.groups);
const open = openFromPaths(tree, ["", "layers.0", "layers.1"]);
const neuron = (/** @type {string} */ path) => /** @type {number} */ (tree.byPath.get(path));

test("visible items: nodes in closed neurons stand behind their neuron's box", () => {
  const v = visibleItems(tree, g.size, open);
  assert.deepEqual(v.closed, ["layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.2", "layers.1.neurons.0"].map(neuron));
  for (let i = 0; i < g.size; i++) {
    const grp = tree.nodeGroup[i];
    if (grp < 0) assert.equal(v.rep[i], i, "inputs are drawn");
    else assert.equal(v.rep[i], g.size + grp, "every node of this MLP is in a neuron");
  }
  assert.deepEqual(v.nodes, [...v.rep.keys()].filter((i) => v.rep[i] === i), "the drawn nodes, listed");
  // everything closed: one box, the model's
  const none = visibleItems(tree, g.size, new Set());
  assert.deepEqual(none.closed, [neuron("")]);
  assert.equal(none.drawn.reduce((s, d) => s + d, 0), 1);
  // a neuron open inside a closed layer is still hidden by the layer
  const inner = visibleItems(tree, g.size, new Set([neuron(""), neuron("layers.0.neurons.1")]));
  assert.deepEqual(inner.closed, [neuron("layers.0"), neuron("layers.1")]);
});

test("item edges: one per pair of representatives, the weights' edges marked", () => {
  const v = visibleItems(tree, g.size, open);
  const edges = itemEdges(g, tree, v.rep);
  // 2 inputs x 3 neurons, then 3 neurons -> 1 neuron
  assert.equal(edges.length, 2 * 3 + 3);
  const keys = new Set(edges.map((e) => `${e.from}>${e.to}`));
  assert.equal(keys.size, edges.length, "no pair twice");
  for (const e of edges) {
    assert.ok(e.weight >= 0, "every edge between neurons is a weight's");
    assert.match(/** @type {string} */ (tree.nodePath[e.weight]), /\.w\.\d$/);
    assert.equal(tree.nodeGroup[e.weight], e.to - g.size, "the weight belongs to the target neuron");
  }
  // all open: each x -> w*x edge is the weight's, the w -> w*x edge is not
  const all = itemEdges(g, tree, visibleItems(tree, g.size, allOrNone(tree, true)).rep);
  const weighted = all.filter((e) => e.weight >= 0);
  assert.equal(weighted.length, 2 * 3 + 3);
  for (const e of weighted) assert.equal(g.opNames[e.to], "*");
  assert.ok(all.some((e) => e.from === weighted[0].weight && e.weight < 0));
});

test("weight looks: sign, and width by size relative to the largest", () => {
  assert.deepEqual(weightLook(2, 2), { sign: "pos", width: MAX_EDGE_WIDTH });
  assert.deepEqual(weightLook(-1, 2), { sign: "neg", width: 3 });
  assert.deepEqual(weightLook(0, 2), { sign: "zero", width: 1 });
  assert.equal(weightLook(Number.NaN, 2).sign, "nonfinite");
});

test("toggling: opening opens the groups around, closing keeps those inside", () => {
  const n3 = neuron("layers.0.neurons.2");
  const opened = toggled(tree, new Set(), n3);
  assert.deepEqual(pathsOf(tree, opened), ["", "layers.0", "layers.0.neurons.2"]);
  const closed = toggled(tree, opened, neuron("layers.0"));
  assert.deepEqual(pathsOf(tree, closed), ["", "layers.0.neurons.2"]);
  assert.deepEqual(pathsOf(tree, allOrNone(tree, false)), []);
  assert.equal(allOrNone(tree, true).size, tree.count);
  assert.deepEqual(pathsOf(tree, openFromPaths(tree, ["nope", 3, "layers.1"])), ["layers.1"]);
  assert.equal(openFromPaths(tree, "layers.1").size, 0);
});

test("item edges after toggles equal a fresh computation, order and weights included", () => {
  const big = parseGraph(groupedMlp(3, [4, 3, 2]));
  const t = /** @type {import("../core/groups.js").GroupTree} */ (big.groups);
  const at = (/** @type {string} */ path) => /** @type {number} */ (t.byPath.get(path));
  let open = allOrNone(t, false);
  let rep = visibleItems(t, big.size, open).rep;
  let edges = itemEdges(big, t, rep);
  /** @type {Array<(now: Set<number>) => Set<number>>} */
  const moves = [
    (now) => toggled(t, now, at("layers.0.neurons.1")),
    (now) => toggled(t, now, at("layers.1.neurons.2")),
    (now) => toggled(t, now, at("layers.0.neurons.3")),
    (now) => toggled(t, now, at("layers.0.neurons.1")), // closes it again
    (now) => toggled(t, now, at("layers.0")), // closes a layer with an open neuron inside
    (now) => toggled(t, now, at("layers.0")),
    () => allOrNone(t, true),
    (now) => toggled(t, now, at("layers.2.neurons.0")),
    () => allOrNone(t, false),
  ];
  for (const move of moves) {
    open = move(open);
    const next = visibleItems(t, big.size, open).rep;
    const after = itemEdgesAfter(big, t, { rep, edges }, next);
    const fresh = itemEdges(big, t, next);
    assert.deepEqual(after.edges, fresh, [...open].join(","));
    const pair = (/** @type {{from: number, to: number}} */ e) => `${e.from}>${e.to}`;
    const before = new Set(edges.map(pair));
    const now = new Set(fresh.map(pair));
    assert.deepEqual(after.came.map(pair), fresh.map(pair).filter((p) => !before.has(p)), "the new ones, in order");
    assert.deepEqual(after.went.map(pair).sort(), [...before].filter((p) => !now.has(p)).sort(), "the gone ones");
    const kept = new Set(edges);
    assert.ok(after.edges.every((e) => kept.has(e) !== after.came.includes(e)), "the others are the objects before");
    edges = after.edges;
    rep = next;
  }
});
