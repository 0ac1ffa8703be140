// engine.js against graph.py (tests/vectors/ops.json), and on hand-written cases.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  createEvaluator,
  decodeNumber,
  evaluate,
  ieeeForward,
  ieeeLocalDerivatives,
  ieeePow,
  ieeeShare,
  OP_CODES,
  parseGraph,
} from "./engine.js";
import { xyz } from "../testing/sample-graphs.js";

/** @typedef {import("./engine.js").JsonNumber} JsonNumber */
/** @typedef {import("./engine.js").GraphJSON} GraphJSON */

/**
 * tests/vectors/ops.json, as tests/vectors/generate.py writes it.
 * @typedef {object} OpsVectors
 * @property {Array<{op: string, args: JsonNumber[], k?: JsonNumber, out: JsonNumber, local: JsonNumber[], shares?: JsonNumber[][]}>} ops
 * @property {JsonNumber[]} shareGrads the grads each binary op's `shares` are of
 * @property {Array<{name: string, graph: GraphJSON, cases: GraphCase[]}>} graphs
 */
/** @typedef {{leaves: Array<[number, JsonNumber]>, data: JsonNumber[], grad: JsonNumber[]}} GraphCase */

/** @type {OpsVectors} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/ops.json", import.meta.url), "utf8"));

/**
 * Same number to 1e-12 relative; NaN matches NaN, infinities match by sign, zeros exactly.
 * @param {number} actual
 * @param {number} expected
 */
function close(actual, expected) {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (expected === 0) return Object.is(actual, expected); // the sign of zero too
  return Math.abs(actual - expected) <= 1e-12 * Math.abs(expected);
}

/**
 * @param {number} actual
 * @param {number} expected
 * @param {string} what
 */
function assertClose(actual, expected, what) {
  assert.ok(close(actual, expected), `${what}: got ${actual}, expected ${expected}`);
}

test("the vectors cover every op of the engine", () => {
  const ops = new Set(VECTORS.ops.map((c) => c.op));
  const expected = Object.keys(OP_CODES).filter((op) => op !== "");
  assert.deepEqual([...ops].sort(), expected.sort());
});

test("every op's result and local derivatives match graph.py (ops.json)", () => {
  assert.ok(VECTORS.ops.length > 500);
  for (const c of VECTORS.ops) {
    const args = c.args.map(decodeNumber);
    const k = c.k === undefined ? undefined : decodeNumber(c.k);
    const what = `${c.op}(${c.args.join(", ")}${c.k === undefined ? "" : `; k=${c.k}`})`;
    const out = ieeeForward(c.op, args, k);
    assertClose(out, decodeNumber(c.out), `${what} forward`);
    const local = ieeeLocalDerivatives(c.op, args, decodeNumber(c.out), k);
    assert.equal(local.length, c.local.length, `${what}: number of local derivatives`);
    local.forEach((d, i) => {
      assertClose(d, decodeNumber(c.local[i]), `${what} d/darg${i}`);
    });
  }
});

test("each operand's share of a grad is graph.py's to the bit, subnormal divisors too (ops.json)", () => {
  const grads = VECTORS.shareGrads.map(decodeNumber);
  let divisions = 0;
  for (const c of VECTORS.ops) {
    if (!c.shares) continue;
    const args = c.args.map(decodeNumber);
    const local = ieeeLocalDerivatives(c.op, args, decodeNumber(c.out));
    c.shares.forEach((row, which) => {
      row.forEach((expected, j) => {
        const got = ieeeShare(c.op, which, args, local[which], grads[j]);
        assert.ok(Object.is(got, decodeNumber(expected)), `${c.op}(${c.args}) share ${which} of ${grads[j]}: ${got}`);
      });
    });
    if (c.op === "/") divisions++;
  }
  assert.ok(divisions >= 100);
});

test("whole graphs evaluate like Graph.evaluate (ops.json)", () => {
  assert.ok(VECTORS.graphs.length >= 4);
  let nonFinite = 0;
  for (const { name, graph, cases } of VECTORS.graphs) {
    const g = parseGraph(graph);
    for (const c of cases) {
      /** @type {Array<[number, number]>} */
      const leaves = c.leaves.map(([id, v]) => [id, decodeNumber(v)]);
      const { data, grad } = evaluate(g, leaves);
      c.data.forEach((v, i) => {
        assertClose(data[i], decodeNumber(v), `${name} ${JSON.stringify(c.leaves)} data[${i}]`);
      });
      c.grad.forEach((v, i) => {
        assertClose(grad[i], decodeNumber(v), `${name} ${JSON.stringify(c.leaves)} grad[${i}]`);
      });
      nonFinite += c.data.concat(c.grad).filter((v) => typeof v === "string").length;
    }
  }
  assert.ok(nonFinite > 0, "some graph cases should produce NaN or Infinity");
});

test("parseGraph decodes non-finite numbers and keeps the structure", () => {
  const g = parseGraph({
    schema: 1,
    output: 2,
    nodes: [
      { id: 0, label: "x", op: "", args: [], data: "NaN", grad: "Infinity" },
      { id: 1, label: null, op: "**", args: [0], k: -2.5, data: "-Infinity", grad: 0 },
      { id: 2, label: "z", op: "*", args: [0, 1], data: 1, grad: 1 },
    ],
  });
  assert.equal(g.size, 3);
  assert.equal(g.output, 2);
  assert.ok(Number.isNaN(g.data[0]));
  assert.equal(g.grad[0], Infinity);
  assert.equal(g.data[1], -Infinity);
  assert.equal(g.k[1], -2.5);
  assert.deepEqual([g.a[2], g.b[2]], [0, 1]);
  assert.deepEqual(g.labels, ["x", null, "z"]);
  assert.deepEqual(g.opNames, ["", "**", "*"]);
});

test("parseGraph rejects malformed graphs with a reason", () => {
  /** @param {object} [extra] */
  const node = (extra = {}) => ({ id: 0, label: null, op: "", args: [], data: 0, grad: 0, ...extra });
  /** @type {Array<[unknown, RegExp]>} */
  const cases = [
    [{ nodes: [] }, /schema-1/],
    [{ schema: 1 }, /'nodes' list/],
    [{ schema: 1, nodes: [node({ id: 1 })] }, /expected an object with 'id': 0/],
    [{ schema: 1, nodes: [node({ op: "sqrt", args: [] })] }, /unknown op "sqrt"/],
    [{ schema: 1, nodes: [node({ op: "+", args: [0] })] }, /takes 2 operand/],
    [{ schema: 1, nodes: [node(), { ...node({ id: 1, op: "neg", args: [1] }) }] }, /earlier nodes/],
    [{ schema: 1, nodes: [node(), node({ id: 1, op: "**", args: [0] })] }, /exponent 'k'/],
    [{ schema: 1, nodes: [node({ data: "nan" })] }, /not a number: "nan"/],
    [{ schema: 1, output: 3, nodes: [node()] }, /output 3 is not a node id/],
  ];
  for (const [json, message] of cases) assert.throws(() => parseGraph(json), message);
});

test("decodeNumber reads the three non-finite strings and nothing else", () => {
  assert.ok(Number.isNaN(decodeNumber("NaN")));
  assert.equal(decodeNumber("Infinity"), Infinity);
  assert.equal(decodeNumber("-Infinity"), -Infinity);
  assert.equal(decodeNumber(-0.5), -0.5);
  assert.throws(() => decodeNumber("inf"), /not a number/);
  assert.throws(() => decodeNumber(null), /not a number/);
});

const XY = xyz();

test("z = x*y + x**2: forward, and a reused node accumulates both gradient paths", () => {
  const { data, grad } = evaluate(XY, { 0: -1, 1: 4 });
  assert.deepEqual(Array.from(data), [-1, 4, -4, 1, -3]);
  // dz/dx = y + 2x = 2, dz/dy = x = -1
  assert.deepEqual(Array.from(grad), [2, -1, 1, 1, 1]);
});

test("evaluate is pure: the parsed graph keeps its numbers", () => {
  const g = parseGraph(XY);
  evaluate(g, { 0: 10 });
  assert.deepEqual(Array.from(g.data), [2, 3, 6, 4, 10]);
});

test("evaluate refuses to set a computed node or a missing one", () => {
  assert.throws(() => evaluate(XY, { 2: 1 }), /node 2 is computed \(\*\), not a leaf/);
  assert.throws(() => evaluate(XY, { 9: 1 }), /node 9 does not exist/);
});

test("a node after the output is recomputed but gets no gradient", () => {
  /** @type {GraphJSON} */
  const json = {
    schema: 1,
    output: 1,
    nodes: [
      { id: 0, label: "x", op: "", args: [], data: 1, grad: 0 },
      { id: 1, label: "y", op: "exp", args: [0], data: 0, grad: 0 },
      { id: 2, label: "later", op: "neg", args: [0], data: 0, grad: 5 },
    ],
  };
  const { data, grad } = evaluate(json, { 0: 0 });
  assert.deepEqual(Array.from(data), [0, 1, -0]);
  assert.deepEqual(Array.from(grad), [1, 1, 0]);
});

test("domain errors become NaN and Infinity instead of exceptions", () => {
  /** @type {GraphJSON} */
  const json = {
    schema: 1,
    output: 3,
    nodes: [
      { id: 0, label: "x", op: "", args: [], data: 1, grad: 0 },
      { id: 1, label: null, op: "log", args: [0], data: 0, grad: 0 },
      { id: 2, label: null, op: "/", args: [0, 0], data: 1, grad: 0 },
      { id: 3, label: null, op: "+", args: [1, 2], data: 1, grad: 0 },
    ],
  };
  const zero = evaluate(json, { 0: 0 });
  assert.equal(zero.data[1], -Infinity); // log(0)
  assert.ok(Number.isNaN(zero.data[2])); // 0/0
  assert.ok(Number.isNaN(zero.data[3]));
  const negative = evaluate(json, { 0: -2 });
  assert.ok(Number.isNaN(negative.data[1])); // log(-2)
  assert.equal(negative.data[2], 1);
  const back = evaluate(json, { 0: 2 });
  assert.equal(back.data[3], Math.log(2) + 1);
  assert.equal(back.grad[0], 0.5 + 0.5 - 0.5); // 1/x + d(x/x)/dx as two operand uses
});

test("pow follows Python's rules where Math.pow does not", () => {
  assert.equal(ieeePow(1, Infinity), 1); // Math.pow(1, Infinity) is NaN
  assert.equal(ieeePow(1, NaN), 1);
  assert.ok(Number.isNaN(ieeePow(-8, 1 / 3))); // no real cube root through pow
  assert.ok(Number.isNaN(ieeePow(-Infinity, 0.5))); // Math.pow gives Infinity
  assert.equal(ieeePow(-0, -3), -Infinity);
  assert.equal(ieeePow(-0, -2), Infinity);
  assert.equal(ieeePow(0, -2.5), Infinity);
  assert.equal(ieeePow(-10, 401), -Infinity);
  assert.equal(ieeePow(Number.NaN, 0), 1);
});

test("relu passes NaN through and its derivative is 0 at 0", () => {
  assert.ok(Number.isNaN(ieeeForward("relu", [NaN])));
  assert.ok(Object.is(ieeeForward("relu", [-0]), 0));
  assert.deepEqual(ieeeLocalDerivatives("relu", [0], 0), [0]);
  assert.deepEqual(ieeeLocalDerivatives("relu", [NaN], NaN), [0]);
  assert.deepEqual(ieeeLocalDerivatives("**", [NaN], 1, 0), [0]); // d(x**0)/dx = 0
});

test("the evaluator reuses its arrays and resets gradients on every run", () => {
  const g = parseGraph(XY);
  const ev = createEvaluator(g);
  const first = ev.runLeaves(Int32Array.of(0), Float64Array.of(1));
  assert.equal(first.grad[0], 5); // y + 2x = 3 + 2
  const second = ev.runLeaves(Int32Array.of(0), Float64Array.of(1));
  assert.equal(second.data, first.data);
  assert.equal(second.grad[0], 5, "grads are recomputed, not accumulated");
});
