// The graphs every layout phase's tests run on, and the character width they measure labels
// with: each graph of tests/vectors/ops.json (every op, shared operands, the seed's examples) and
// larger graphs of each shape the widget meets. One list, so the phases are checked on the same
// drawings.
import { readFileSync } from "node:fs";

import { mlp, randomGraph, sumTree } from "./sample-graphs.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */

/** The width of a label character, in pixels, for the layout tests' boxes. */
export const CHAR_WIDTH = 7.3;

/** @type {{graphs: Array<{name: string, graph: GraphJSON}>}} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/ops.json", import.meta.url), "utf8"));

/** @type {ReadonlyArray<[string, GraphJSON]>} name and graph of each case */
export const LAYOUT_CASES = Object.freeze([
  ...VECTORS.graphs.map((v) => /** @type {[string, GraphJSON]} */ ([v.name, v.graph])),
  ["sum tree of 200", sumTree(200)],
  ["random graph of 300", randomGraph(300, 7)],
  ["MLP(3, [4, 4, 1])", mlp(3, [4, 4, 1])],
  ["MLP(2, [16, 16, 1])", mlp(2, [16, 16, 1])],
]);
