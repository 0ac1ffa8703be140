// The golden layouts: what the layout draws for a fixed set of graphs, recorded so that a change
// to any phase that moves a single coordinate fails golden.test.js. Flat graphs must keep their
// drawing exactly (the compound layout of grouped graphs is added beside it, not instead of it).
//
// Regenerate only for a deliberate change of the drawing, and say so in the commit:
//
//   node js/layout/golden.mjs
//
// The boxes are synthetic (sizes from the node's id and label), so that a change to how op pills
// or cards are sized (geometry.js) does not count as a change of the layout.

import { createHash } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseGraph } from "../core/engine.js";
import { layoutGraph } from "./index.js";
import { mlp, randomGraph, sumTree, xyz } from "../testing/sample-graphs.js";

export const GOLDEN_FILE = new URL("./golden.json", import.meta.url);

/** The graphs, by name: small ones with every kind of edge, and MLPs past the quick-effort size. */
export const GOLDEN_GRAPHS = {
  "x*y + x**2": () => xyz(),
  "sum tree of 200": () => sumTree(200),
  "random graph of 300 (seed 7)": () => randomGraph(300, 7),
  "random graph of 150 (seed 1)": () => randomGraph(150, 1),
  "random graph of 2000 (seed 3)": () => randomGraph(2000, 3),
  "MLP(3, [4, 4, 1])": () => mlp(3, [4, 4, 1]),
  "MLP(2, [16, 16, 1])": () => mlp(2, [16, 16, 1]),
  "MLP(2, [64, 64, 1])": () => mlp(2, [64, 64, 1]),
};

/**
 * Node boxes of varied sizes: labelled nodes taller, as cards with a header are.
 * @param {import("../core/engine.js").ParsedGraph} g
 * @returns {Array<{width: number, height: number}>}
 */
export function goldenBoxes(g) {
  const boxes = new Array(g.size);
  for (let i = 0; i < g.size; i++) {
    boxes[i] = { width: 70 + ((i * 29) % 53), height: g.labels[i] ? 53 : 34 };
  }
  return boxes;
}

/** @param {unknown} value */
function sha256(value) {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/**
 * The record of one graph's layout: its size, a digest of what the layout reads (operands and
 * boxes), and a digest of every coordinate it returns (JSON numbers print exactly).
 * @param {import("../core/engine.js").GraphJSON} json
 */
export function goldenRecord(json) {
  const g = parseGraph(json);
  const boxes = goldenBoxes(g);
  const layout = layoutGraph(g, boxes);
  const input = { a: Array.from(g.a), b: Array.from(g.b), boxes };
  const output = { ...layout, left: Array.from(layout.left), top: Array.from(layout.top) };
  return {
    nodes: g.size,
    input: sha256(input),
    width: layout.width,
    height: layout.height,
    layout: sha256(output),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  /** @type {Record<string, ReturnType<typeof goldenRecord>>} */
  const records = {};
  for (const [name, build] of Object.entries(GOLDEN_GRAPHS)) records[name] = goldenRecord(build());
  const target = fileURLToPath(GOLDEN_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`);
  renameSync(temporary, target);
  console.log(`wrote ${target}`);
}
