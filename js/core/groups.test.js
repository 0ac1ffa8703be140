// groups.js: the group tree of schema-2 graphs, against the graphs graph.py wrote.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parseGraph } from "./engine.js";
import { ancestorAt, hidingGroup } from "./groups.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { xyz } from "../testing/sample-graphs.js";

/** @typedef {import("./engine.js").GraphJSON} GraphJSON */

/** @type {{graphs: Array<{name: string, graph: GraphJSON}>}} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/ops.json", import.meta.url), "utf8"));
const grouped = VECTORS.graphs.filter((v) => v.graph.schema === 2);

test("the vectors hold schema-2 graphs, and each one's tree reads as Python wrote it", () => {
  assert.ok(grouped.length >= 2);
  for (const { name, graph } of grouped) {
    const tree = parseGraph(graph).groups;
    assert.ok(tree, name);
    const groups = graph.groups ?? [];
    assert.equal(tree.count, groups.length, name);
    groups.forEach((g, i) => {
      assert.equal(tree.paths[i], g.path);
      assert.equal(tree.shorts[i], g.short);
      assert.equal(tree.parent[i], g.parent ?? -1);
      assert.deepEqual(tree.outputs[i], g.outputs);
      assert.equal(tree.byPath.get(g.path), i);
      assert.ok(g.parent === null || tree.children[g.parent].includes(i));
    });
    graph.nodes.forEach((n, i) => {
      assert.equal(tree.nodeGroup[i], n.group ?? -1, `${name}: node ${i}`);
      assert.equal(tree.nodePath[i], n.path ?? null);
      assert.equal(tree.nodeShort[i], n.short ?? null);
    });
  }
});

test("the Python MLP vector has neurons named by attribute, weights by short form", () => {
  const mlp = grouped.find((v) => v.name.startsWith("MLP"));
  assert.ok(mlp);
  const tree = parseGraph(mlp.graph).groups;
  assert.ok(tree);
  assert.deepEqual(tree.paths.slice(0, 3), ["", "layers.0", "layers.0.neurons.0"]);
  assert.ok(tree.nodeShort.includes("L1.N2.w1"));
  assert.deepEqual(tree.kinds.slice(0, 3), ["MLP", "Layer", "Neuron"]);
  const twice = grouped.find((v) => v.name.startsWith("two calls"));
  assert.ok(twice);
  const paths = parseGraph(twice.graph).groups?.paths ?? [];
  assert.ok(paths.includes("loss.MLP#2.layers.0.neurons.1"));
});

test("a schema-1 graph has no group tree", () => {
  assert.equal(parseGraph(xyz()).groups, null);
});

test("malformed group trees are rejected with a reason", () => {
  const bad = (/** @type {(g: GraphJSON) => void} */ change, /** @type {RegExp} */ message) => {
    const json = groupedMlp(2, [2, 1]);
    change(json);
    assert.throws(() => parseGraph(json), message);
  };
  bad((g) => (g.groups = /** @type {any} */ ("none")), /'groups' list/);
  bad((g) => ((g.groups ?? [])[2].parent = 7), /parent must be the id of an earlier group/);
  bad((g) => ((g.groups ?? [])[1].path = ""), /unique/);
  bad((g) => ((g.groups ?? [])[1].outputs = [9999]), /outputs must be node ids/);
  bad((g) => (g.nodes[3].group = 99), /node 3: group 99 is not a group id/);
  bad((g) => ((g.groups ?? [])[0].id = 5), /expected an object with 'id': 0/);
});

test("ancestorAt and hidingGroup walk the tree", () => {
  const g = parseGraph(groupedMlp(2, [3, 1]));
  const tree = g.groups;
  assert.ok(tree);
  const neuron = /** @type {number} */ (tree.byPath.get("layers.0.neurons.2"));
  const layer = /** @type {number} */ (tree.byPath.get("layers.0"));
  assert.equal(ancestorAt(tree, neuron, 2), layer);
  assert.equal(ancestorAt(tree, neuron, 1), 0);
  assert.equal(ancestorAt(tree, layer, 3), -1);
  const weight = tree.nodePath.indexOf("layers.0.neurons.2.w.1");
  assert.equal(hidingGroup(tree, weight, new Set()), 0);
  assert.equal(hidingGroup(tree, weight, new Set([0])), layer);
  assert.equal(hidingGroup(tree, weight, new Set([0, layer])), neuron);
  assert.equal(hidingGroup(tree, weight, new Set([0, layer, neuron])), -1);
  assert.equal(hidingGroup(tree, 0, new Set()), -1); // input x1 is in no group
});
