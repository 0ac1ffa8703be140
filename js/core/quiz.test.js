// quiz.js: checking a guess, the asked ids, the suggested order and the hint with blanks.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createEvaluator, parseGraph } from "./engine.js";
import { BLANK, askedIds, hintText, isRight, parseGuess, suggestedOrder } from "./quiz.js";

// o = tanh(n) with n = x*w + b: ids x 0, w 1, x*w 2, b 3, n 4, o 5
const G = parseGraph({ schema: 1, output: 5, nodes: [
  { id: 0, label: "x", op: "", args: [], data: 2 },
  { id: 1, label: "w", op: "", args: [], data: -0.5 },
  { id: 2, op: "*", args: [0, 1] },
  { id: 3, label: "b", op: "", args: [], data: 0.25 },
  { id: 4, label: "n", op: "+", args: [2, 3] },
  { id: 5, label: "o", op: "tanh", args: [4] },
] });
const { data, grad } = createEvaluator(G).run({});

test("a guess is right within 1e-3 relative, or 1e-6 absolute near 0", () => {
  assert.ok(isRight(0.4375, 0.4375));
  assert.ok(isRight(0.4379, 0.4375));
  assert.ok(!isRight(0.44, 0.4375));
  assert.ok(isRight(-1000.9, -1000));
  assert.ok(!isRight(1000, -1000));
  assert.ok(isRight(5e-7, 0));
  assert.ok(!isRight(2e-6, 0));
});

test("typed numbers: minus signs, exponents, commas; anything else is no number", () => {
  assert.equal(parseGuess(" −0.25 "), -0.25);
  assert.equal(parseGuess("3e-4"), 3e-4);
  assert.equal(parseGuess("0,5"), 0.5);
  assert.equal(parseGuess(""), null);
  assert.equal(parseGuess("abc"), null);
  assert.equal(parseGuess("Infinity"), null);
});

test("asked ids come from the quiz key, checked; the order runs from the output back", () => {
  assert.deepEqual(askedIds(G, { asked: [0, 4, 4, 99, -1, 1.5] }), [0, 4]);
  assert.equal(askedIds(G, null), null);
  assert.equal(askedIds(G, { nope: 1 }), null);
  assert.deepEqual(suggestedOrder([0, 1, 4, 2, 3]), [4, 3, 2, 1, 0]);
});

test("the hint leaves unknown grads blank and never shows the node's own", () => {
  const o = grad[4]; // do/dn = 1 - tanh(n)**2
  const none = hintText(G, data, grad, 2, () => false);
  assert.equal(none, `∂o/∂(x*w) = ∂o/∂n·1 = ${BLANK}·1`);
  const some = hintText(G, data, grad, 0, (id) => id === 2);
  assert.match(some, /^∂o\/∂x = ∂o\/∂\(x\*w\)·w = \S+·−0\.5$/);
  assert.ok(!some.includes(BLANK));
  const n = hintText(G, data, grad, 4, (id) => id === 5);
  assert.equal(n, `∂o/∂n = ∂o/∂o·(1 − tanh(n)²) = 1·${(1 - data[5] ** 2).toFixed(4)}`);
  assert.ok(!n.includes(String(o)), "the full-precision grad is nowhere in it");
});
