// numeric.js against micrograd_magic/numeric.py (tests/vectors/gradcheck.json), and by hand.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { createEvaluator, decodeNumber, parseGraph } from "./engine.js";
import { checkNode, stepSize } from "./numeric.js";

/**
 * @typedef {object} VectorCheck
 * @property {number} id
 * @property {number} h
 * @property {import("./engine.js").JsonNumber} estimate
 * @property {import("./engine.js").JsonNumber} relerr
 * @property {string} status
 */

/** @type {{cases: Array<{name: string, graph: import("./engine.js").GraphJSON, checks: VectorCheck[]}>}} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/gradcheck.json", import.meta.url), "utf8"));

test("every node of every case: the same h, estimate and verdict as numeric.py", () => {
  const statuses = new Set();
  for (const { name, graph, checks } of VECTORS.cases) {
    const g = parseGraph(graph);
    assert.equal(checks.length, g.size, name);
    for (const want of checks) {
      const got = checkNode(g, g.data, g.grad, want.id);
      const where = `${name}, node ${want.id}`;
      assert.equal(got.status, want.status, where);
      assert.equal(got.h, want.h, where);
      const estimate = decodeNumber(want.estimate);
      if (Number.isNaN(estimate)) assert.ok(Number.isNaN(got.estimate), where);
      else assert.ok(Math.abs(got.estimate - estimate) <= 1e-9 * Math.max(1, Math.abs(estimate)), `${where}: ${got.estimate} vs ${estimate}`);
      statuses.add(got.status);
    }
  }
  assert.deepEqual([...statuses].sort(), ["agree", "disagree", "kink", "unreliable"]);
});

test("the central difference of x*y + x**2 at a leaf and an inner node", () => {
  const g = parseGraph({ schema: 1, output: 4, nodes: [
    { id: 0, label: "x", op: "", args: [], data: 2 },
    { id: 1, label: "y", op: "", args: [], data: 3 },
    { id: 2, op: "*", args: [0, 1] },
    { id: 3, op: "**", args: [0], k: 2 },
    { id: 4, op: "+", args: [2, 3] },
  ] });
  const { data, grad } = createEvaluator(g).run({ 0: 2, 1: 3 });
  const x = checkNode(g, data, grad, 0);
  assert.equal(x.h, stepSize(2));
  assert.equal(x.h, 2e-5);
  // f(2±h) = 3(2±h) + (2±h)**2, so the exact central difference is 3 + 4 = 7
  assert.ok(Math.abs(x.estimate - 7) < 1e-8, String(x.estimate));
  assert.equal(x.grad, 7);
  assert.equal(x.status, "agree");
  assert.ok(x.relerr < 1e-6);
  const inner = checkNode(g, data, grad, 2); // x*y: the output moves one for one with it
  assert.ok(Math.abs(inner.estimate - 1) < 1e-9);
  assert.equal(inner.status, "agree");
  // a wrong grad is caught, and the relative error is |estimate - grad| / |grad|
  const wrong = Float64Array.from(grad);
  wrong[0] = 6;
  const bad = checkNode(g, data, wrong, 0);
  assert.equal(bad.status, "disagree");
  assert.ok(Math.abs(bad.relerr - 1 / 6) < 1e-8);
});

test("relu at 0 is a kink, not a false alarm; a node past the output has estimate 0", () => {
  const g = parseGraph({ schema: 1, output: 1, nodes: [
    { id: 0, label: "x", op: "", args: [], data: 0 },
    { id: 1, op: "relu", args: [0] },
    { id: 2, op: "neg", args: [0] },
  ] });
  const { data, grad } = createEvaluator(g).run({});
  const at0 = checkNode(g, data, grad, 0);
  assert.equal(at0.status, "kink");
  assert.match(at0.note, /relu/);
  assert.ok(Math.abs(at0.estimate - 0.5) < 1e-12);
  const past = checkNode(g, data, grad, 2);
  assert.equal(past.estimate, 0);
  assert.equal(past.status, "agree");
});
