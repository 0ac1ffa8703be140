// How long the details panel's neuron section (js/view/neuron-view.js) takes to work out in Node,
// per refresh (the panel refreshes on every slider `input` event while a neuron is selected):
//
//   node benchmarks/neuron_panel.mjs [--runs N]
//
// On MLP(2, [64, 64, 1]) as nn builds it (js/testing/group-graphs.js): a hidden neuron with 64
// inputs. First call (which reads the neuron back from the graph once) and median of the others.

import { createEvaluator, parseGraph } from "../js/core/engine.js";
import { groupedMlp } from "../js/testing/group-graphs.js";
import { moduleSections } from "../js/view/neuron-view.js";

const i = process.argv.indexOf("--runs");
const runs = i >= 0 ? Number(process.argv[i + 1]) : 201;

const g = parseGraph(groupedMlp(2, [64, 64, 1]));
const tree = g.groups;
if (!tree) throw new Error("the graph has no groups");
const { data, grad } = createEvaluator(g).run(null);
const id = tree.outputs[/** @type {number} */ (tree.byPath.get("layers.1.neurons.3"))][0];
const times = [];
for (let k = 0; k < runs; k++) {
  const t = performance.now();
  moduleSections(g, id, data, grad);
  times.push(performance.now() - t);
}
const rest = times.slice(1).sort((a, b) => a - b);
console.log(`MLP(2, [64, 64, 1]), ${g.size} nodes, a 64-input neuron's section:`);
console.log(`  first ${times[0].toFixed(2)} ms, median of ${rest.length} ${rest[rest.length >> 1].toFixed(3)} ms`);
