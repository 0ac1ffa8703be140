// effort.js: how hard ordering and positioning work, by the size of the layered graph.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { mlp } from "../testing/sample-graphs.js";
import { FULL_EFFORT, QUICK_ABOVE, QUICK_EFFORT, effortFor } from "./effort.js";
import { assignRanks, buildLayers } from "./layering.js";

/** @param {import("../core/engine.js").GraphJSON} json */
function layeredSize(json) {
  const g = parseGraph(json);
  return buildLayers(g, assignRanks(g)).size;
}

test("large graphs take the quick effort, small ones the full one", () => {
  const big = layeredSize(mlp(2, [16, 16, 1]));
  const small = layeredSize(mlp(3, [4, 4, 1]));
  assert.ok(big > QUICK_ABOVE && small <= QUICK_ABOVE);
  assert.equal(effortFor(big), QUICK_EFFORT);
  assert.equal(effortFor(small), FULL_EFFORT);
  assert.equal(effortFor(QUICK_ABOVE), FULL_EFFORT, "the threshold itself still gets the full effort");
});

test("the quick effort does less of everything, and still balances opposite alignments", () => {
  for (const [key, full] of Object.entries(FULL_EFFORT)) {
    assert.ok(QUICK_EFFORT[/** @type {keyof typeof FULL_EFFORT} */ (key)] <= full, key);
  }
  assert.deepEqual([FULL_EFFORT.alignments, QUICK_EFFORT.alignments], [4, 2]);
});
