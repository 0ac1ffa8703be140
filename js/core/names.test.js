// names.js against the names Python gives (tests/vectors/names.json, generate_names.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parseGraph } from "./engine.js";
import { kernelPath, cardName, nodePathText, pathText } from "./names.js";
import { nodeBoxes } from "../layout/geometry.js";
import { xyz } from "../testing/sample-graphs.js";
import { describe } from "../view/markup.js";

/** @typedef {import("./engine.js").GraphJSON} GraphJSON */

/**
 * @type {{
 *   paths: Array<{path: string, parameter: boolean, kernel: string, short: string}>,
 *   graphs: Array<{name: string, graph: GraphJSON, names: Array<string | null>, kernel: Array<string | null>}>
 * }}
 */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/names.json", import.meta.url), "utf8"));

test("kernelPath writes every path as groups.py's kernel_path does", () => {
  assert.ok(VECTORS.paths.length >= 8);
  for (const { path, kernel } of VECTORS.paths) assert.equal(kernelPath(path), kernel, path);
});

test("each node's card name and full path are the ones Python gives it", () => {
  assert.deepEqual(VECTORS.graphs.map((v) => v.name), ["mlp", "user_module", "two_calls", "two_samples"]);
  for (const { name, graph, names, kernel } of VECTORS.graphs) {
    const g = parseGraph(graph);
    for (let i = 0; i < g.size; i++) {
      assert.equal(cardName(g, i), names[i], `${name} node ${i}`);
      const k = kernel[i];
      if (k === null || k === "") assert.equal(nodePathText(g, i), null, `${name} node ${i}`);
      else if (k.startsWith("#")) assert.match(/** @type {string} */ (nodePathText(g, i)), / \(call #[0-9]+\)$/);
      else assert.equal(nodePathText(g, i), k, `${name} node ${i}`);
    }
  }
});

test("the MLP's weights are named by neuron and index, its inputs keep their labels", () => {
  const { graph } = /** @type {(typeof VECTORS.graphs)[number]} */ (VECTORS.graphs.find((v) => v.name === "mlp"));
  const g = parseGraph(graph);
  const names = Array.from({ length: g.size }, (_, i) => cardName(g, i));
  assert.ok(names.includes("L1.N3.w2") && names.includes("L2.N1.b") && names.includes("x1"));
  const w = names.indexOf("L1.N3.w2");
  assert.equal(nodePathText(g, w), "layers[0].neurons[2].w[1]");
});

test("a #K. prefix is written as the call it stands for", () => {
  assert.equal(pathText("#2.layers.1.neurons.0.b"), "layers[1].neurons[0].b (call #2)");
  assert.equal(pathText("#1"), "call #1");
  assert.equal(pathText("loss.MLP#2.layers.0"), "loss.MLP#2.layers[0]");
  const { graph } = /** @type {(typeof VECTORS.graphs)[number]} */ (VECTORS.graphs.find((v) => v.name === "two_samples"));
  const g = parseGraph(graph);
  const texts = Array.from({ length: g.size }, (_, i) => nodePathText(g, i));
  assert.ok(texts.includes("layers[0].neurons[1] (call #2)"));
});

test("a graph without groups has only its labels", () => {
  const g = parseGraph(xyz());
  for (let i = 0; i < g.size; i++) {
    assert.equal(cardName(g, i), g.labels[i]);
    assert.equal(nodePathText(g, i), null);
  }
});

test("cards show the short form, tooltips the full path (render.js, geometry.js)", () => {
  const { graph } = /** @type {(typeof VECTORS.graphs)[number]} */ (VECTORS.graphs.find((v) => v.name === "mlp"));
  const g = parseGraph(graph);
  const boxes = nodeBoxes(g, 7);
  const names = Array.from({ length: g.size }, (_, i) => cardName(g, i));
  const w = names.indexOf("L1.N3.w2");
  assert.equal(boxes[w].label, "L1.N3.w2");
  assert.ok(boxes[w].headerHeight > 0, "a named parameter gets the label row");
  const inputs = new Set([names.indexOf("x1"), names.indexOf("x2")]);
  assert.equal(describe(g, w, inputs), "layers[0].neurons[2].w[1]: parameter");
  const neuron = names.indexOf("L1.N2");
  assert.equal(boxes[neuron].label, "L1.N2");
  assert.match(describe(g, neuron, inputs), /^layers\[0\]\.neurons\[1\]: relu\(/);
  assert.match(describe(g, g.output, inputs), /^layers\[1\]\.neurons\[0\]: .*\(output\)$/);
  const unnamed = names.indexOf(null);
  assert.equal(boxes[unnamed].label, "");
  assert.ok(!describe(g, unnamed, inputs).includes("layers"));
});
