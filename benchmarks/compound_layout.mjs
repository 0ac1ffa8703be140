// How long the compound layout (js/layout/compound.js) takes in Node on an MLP's graph with its
// groups, beside the flat layout of the same graph (js/layout/index.js):
//
//   node benchmarks/compound_layout.mjs [--runs N]
//
// Per graph: the first drawing as a network opens (the model and its layers open, neurons closed:
// state.py's default), everything open, and opening one neuron once the network is drawn. Each
// measure builds a new layouter (so the one-time pass over the edges is included) except "open one
// neuron", which times only the call after the click. First run (cold) and median of the others.
// Parsing the graph and sizing its boxes are not timed.

import { parseGraph } from "../js/core/engine.js";
import { createCompoundLayout } from "../js/layout/compound.js";
import { nodeBoxes } from "../js/layout/geometry.js";
import { layoutGraph } from "../js/layout/index.js";
import { groupedMlp } from "../js/testing/group-graphs.js";
import { median, option } from "./script.mjs";

const CHAR = 7.3;

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const runs = Number(option("--runs", "11"));
if (!Number.isInteger(runs) || runs < 2) {
  console.error("--runs must be an integer of at least 2");
  process.exit(2);
}
for (const sizes of [
  [16, 16, 1],
  [64, 64, 1],
]) {
  const g = parseGraph(groupedMlp(2, sizes));
  const tree = g.groups;
  const boxes = nodeBoxes(g, CHAR);
  const network = new Set(tree.paths.flatMap((p, i) => (tree.children[i].length > 0 ? [i] : [])));
  const all = new Set(tree.paths.map((_, i) => i));
  const neuron = tree.byPath.get("layers.1.neurons.3");
  const figures = { network: [], all: [], openOne: [], flat: [] };
  for (let r = 0; r < runs; r++) {
    let layouter;
    figures.network.push(
      time(() => {
        layouter = createCompoundLayout(g, tree, boxes);
        layouter.layout(network);
      }),
    );
    const opened = new Set([...network, neuron]);
    figures.openOne.push(time(() => layouter.layout(opened)));
    figures.all.push(time(() => createCompoundLayout(g, tree, boxes).layout(all)));
    figures.flat.push(time(() => layoutGraph(g, boxes)));
  }
  const show = (xs) => `${xs[0].toFixed(1)} ms cold, ${median(xs.slice(1)).toFixed(1)} ms median`;
  console.log(`MLP(2, [${sizes.join(", ")}]), ${g.size} nodes:`);
  console.log(`  network (neurons closed)  ${show(figures.network)}`);
  console.log(`  open one neuron           ${show(figures.openOne)}`);
  console.log(`  all open (compound)       ${show(figures.all)}`);
  console.log(`  flat layoutGraph          ${show(figures.flat)}`);
}
