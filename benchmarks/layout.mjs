// How long the layered layout takes in Node, on the output graphs of two MLPs: about 1,000 value
// nodes (MLP(2, [16, 16, 1])) and about 13,000 (MLP(2, [64, 64, 1])).
//
//   node benchmarks/layout.mjs [--runs N]
//
// Each graph is measured in a fresh Node process (with a time limit), so its first run meets a
// cold JavaScript engine as a widget's first render does; the median of the following runs is
// the warm figure. Parsing the graph and sizing its boxes are not timed. Figures vary with the
// machine's load: compare runs made back to back.

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseGraph } from "../js/core/engine.js";
import { nodeBoxes } from "../js/layout/geometry.js";
import { layoutGraph } from "../js/layout/index.js";
import { mlp } from "../js/testing/sample-graphs.js";
import { median, option } from "./script.mjs";

const GRAPHS = {
  "MLP(2, [16, 16, 1])": () => mlp(2, [16, 16, 1]),
  "MLP(2, [64, 64, 1])": () => mlp(2, [64, 64, 1]),
};
/** The width of a monospace character that the tests assume, as the widget would measure it. */
const CHAR = 7.3;
const CHILD_TIMEOUT_MS = 300_000;

/** Lay out one graph `runs` times; returns its size and each run's milliseconds. */
function measure(name, runs) {
  const g = parseGraph(GRAPHS[name]());
  const boxes = nodeBoxes(g, CHAR);
  const ms = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    layoutGraph(g, boxes);
    ms.push(performance.now() - start);
  }
  return { nodes: g.size, ms };
}

const runs = Number(option("--runs", "11"));
if (!Number.isInteger(runs) || runs < 2) {
  console.error("--runs must be an integer of at least 2");
  process.exit(2);
}
const only = option("--graph", null);
if (only !== null) {
  if (!(only in GRAPHS)) {
    console.error(`unknown graph ${JSON.stringify(only)}`);
    process.exit(2);
  }
  console.log(JSON.stringify(measure(only, runs)));
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(`layout in Node ${process.version}, ${runs} runs per graph, each graph in its own process`);
  console.log("graph                 nodes   first (cold) ms   median of the rest ms   min–max ms");
  for (const name of Object.keys(GRAPHS)) {
    const out = execFileSync(process.execPath, [self, "--graph", name, "--runs", String(runs)], {
      encoding: "utf8",
      timeout: CHILD_TIMEOUT_MS,
      killSignal: "SIGKILL",
    });
    const { nodes, ms } = JSON.parse(out);
    const rest = ms.slice(1);
    const f = (x) => x.toFixed(1);
    console.log(
      `${name.padEnd(20)} ${String(nodes).padStart(6)}   ${f(ms[0]).padStart(15)}   ${f(median(rest)).padStart(21)}   ${f(Math.min(...rest))}–${f(Math.max(...rest))}`,
    );
  }
}
