// numbers.js: the slider values and the data and grads they give, without a DOM.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { xyz } from "../testing/sample-graphs.js";
import { createNumbers } from "./numbers.js";

// z = x*y + x**2 at x = 2, y = 3
const G = parseGraph(xyz());
const IDS = Int32Array.of(0, 1);

test("sliders that agree with the graph start from the graph's own numbers", () => {
  const numbers = createNumbers(G, IDS, [2, 3]);
  assert.equal(numbers.data, G.data, "Python's numbers, not a recomputation");
  assert.equal(numbers.grad, G.grad);
});

test("sliders that do not agree start from a forward and backward pass", () => {
  const numbers = createNumbers(G, IDS, [1, 3]);
  assert.deepEqual(Array.from(numbers.data), [1, 3, 3, 1, 4]);
  assert.deepEqual(Array.from(numbers.grad), [5, 1, 1, 1, 1]);
});

test("a slider move recomputes; the same value is no change", () => {
  const numbers = createNumbers(G, IDS, [2, 3]);
  assert.equal(numbers.setValue(1, 3), false);
  assert.equal(numbers.setValue(1, -1), true);
  assert.deepEqual(Array.from(numbers.data), [2, -1, -2, 4, 2]);
  assert.deepEqual(Array.from(numbers.grad), [3, 2, 1, 1, 1]);
  assert.equal(numbers.setValues([2, -1]), false);
  assert.equal(numbers.setValues([0, -1]), true);
  assert.equal(numbers.data[4], 0);
  assert.equal(Object.is(numbers.setValue(0, -0), true), true, "-0 is a move: it can change a sign");
});

test("new numbers for the same graph start from them, with the sliders where they are", () => {
  const numbers = createNumbers(G, IDS, [2, 3]);
  const json = xyz();
  json.nodes[0] = { ...json.nodes[0], data: 5 };
  numbers.setGraph(parseGraph(json));
  assert.deepEqual(Array.from(numbers.data), [2, 3, 6, 4, 10], "the slider's x = 2 wins over the leaf's 5");
  numbers.setValues([5, 3]);
  assert.equal(numbers.data[4], 40);
});

test("the grads shown: the full pass, or those after the steps done so far", () => {
  const numbers = createNumbers(G, IDS, [2, 3]);
  assert.equal(numbers.gradsShown(null), numbers.grad);
  assert.deepEqual(Array.from(numbers.gradsShown(0)), [0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(numbers.gradsShown(2)), [0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(numbers.gradsShown(4)), [7, 2, 1, 1, 1]);
});
