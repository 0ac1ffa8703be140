// explain.js against micrograd_magic/explain.py (tests/vectors/explain.json), and its own edges.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { backward, decodeNumber, forward, parseGraph } from "./engine.js";
import {
  chainRuleTerms,
  definitionText,
  explainNode,
  formatText,
  gradientStyle,
  gradThroughNonfinite,
  gradsAfterStep,
  localDerivatives,
  maxAbsFiniteGrad,
  nodeName,
  pathToOutput,
  stepDescription,
  stepSequence,
} from "./explain.js";
import { formatFormulaNumber, formatNumber } from "./format.js";

/** @typedef {import("./engine.js").GraphJSON} GraphJSON */
/** @typedef {import("./engine.js").JsonNumber} JsonNumber */
/** @typedef {import("./engine.js").ParsedGraph} ParsedGraph */
/** @typedef {null | boolean | number | string | JsonValue[] | {[key: string]: JsonValue}} JsonValue */

/**
 * tests/vectors/explain.json, as tests/vectors/generate_explain.py writes it: what explain.py
 * says for each graph, in the JSON form of explain.js's results.
 * @typedef {object} ExplainVectors
 * @property {Array<[JsonNumber, string]>} format
 * @property {Array<[JsonNumber, string]>} formulaFormat
 * @property {ExplainGraph[]} graphs
 */

/**
 * @typedef {object} ExplainGraph
 * @property {string} name
 * @property {GraphJSON} graph
 * @property {JsonValue[]} explanations one per node
 * @property {JsonValue[]} paths one per node
 * @property {import("./explain.js").Step[]} steps
 * @property {JsonValue[]} gradsAfterStep one per step position
 * @property {JsonValue[]} stepDescriptions one per step position
 * @property {boolean[]} gradThroughNonfinite one per node
 */

/** @type {ExplainVectors} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/explain.json", import.meta.url), "utf8"));

/**
 * Numbers as the vectors write them: nan/inf as strings, typed arrays as plain arrays.
 * @param {unknown} value
 * @returns {unknown}
 */
function encoded(value) {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return value;
  }
  if (value instanceof Float64Array || value instanceof Int32Array) return Array.from(value, encoded);
  if (Array.isArray(value)) return value.map(encoded);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encoded(v)]));
  }
  return value;
}

/**
 * Deep equality with finite numbers equal to 1e-12 relative; `where` names the first difference.
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} where
 */
function assertClose(actual, expected, where) {
  if (typeof expected === "number" && typeof actual === "number") {
    const tolerance = 1e-12 * Math.max(Math.abs(expected), Math.abs(actual));
    assert.ok(Math.abs(actual - expected) <= tolerance, `${where}: ${actual} != ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => {
      assertClose(actual[i], e, `${where}[${i}]`);
    });
    return;
  }
  if (expected !== null && typeof expected === "object") {
    assert.ok(actual !== null && typeof actual === "object", `${where}: expected an object`);
    const record = /** @type {Record<string, unknown>} */ (actual);
    assert.deepEqual(Object.keys(record).sort(), Object.keys(expected).sort(), `${where}: keys`);
    for (const [key, value] of Object.entries(expected)) assertClose(record[key], value, `${where}.${key}`);
    return;
  }
  assert.equal(actual, expected, where);
}

/**
 * A vectors graph parsed, with the numbers its JSON holds.
 * @param {ExplainGraph} v
 */
function loaded(v) {
  return {
    g: parseGraph(v.graph),
    data: v.graph.nodes.map((n) => decodeNumber(n.data)),
    grad: v.graph.nodes.map((n) => decodeNumber(n.grad)),
  };
}

/**
 * A schema-1 graph parsed from its nodes, each [label, op, operands, data, grad], in id order;
 * the last is the output.
 * @param {Array<[string | null, string, number[], number, number]>} rows
 * @returns {ParsedGraph}
 */
function graphOf(rows) {
  const nodes = rows.map(([label, op, args, data, grad], id) => ({ id, label, op, args, data, grad }));
  return parseGraph({ schema: 1, output: nodes.length - 1, nodes });
}

test("format.js formats numbers exactly as explain.py's format_number", () => {
  for (const [x, text] of VECTORS.format) assert.equal(formatNumber(decodeNumber(x)), text, `formatNumber(${x})`);
});

test("numbers in formulas read as explain.py's format_formula_number writes them", () => {
  for (const [x, text] of VECTORS.formulaFormat) {
    assert.equal(formatFormulaNumber(decodeNumber(x)), text, `formatFormulaNumber(${x})`);
  }
});

test("texts use the typographic minus and never show -0", () => {
  assert.equal(formatText(-2.5), "\u22122.5");
  assert.equal(formatText(1.5e-7), "1.5e\u22127");
  assert.equal(formatText(-Infinity), "\u2212∞");
  assert.equal(formatText(-0), "0");
});

for (const v of VECTORS.graphs) {
  test(`explanations of every node match explain.py: ${v.name}`, () => {
    const { g, data, grad } = loaded(v);
    v.explanations.forEach((expected, id) => {
      assertClose(encoded(explainNode(g, data, grad, id)), expected, `${v.name} node ${id}`);
    });
  });

  test(`grads that flowed through a non-finite value match explain.py: ${v.name}`, () => {
    const { g, data, grad } = loaded(v);
    assert.deepEqual(gradThroughNonfinite(g, data, grad), v.gradThroughNonfinite);
  });

  test(`paths to the output match explain.py: ${v.name}`, () => {
    const { g } = loaded(v);
    v.paths.forEach((expected, id) => {
      assert.deepEqual(pathToOutput(g, id), expected, `${v.name} node ${id}`);
    });
  });

  test(`backprop steps, grads after each and their descriptions match explain.py: ${v.name}`, () => {
    const { g, data } = loaded(v);
    assert.deepEqual(stepSequence(g), v.steps);
    v.gradsAfterStep.forEach((expected, k) => {
      assertClose(encoded(gradsAfterStep(g, data, k)), expected, `${v.name} grads after step ${k}`);
    });
    v.stepDescriptions.forEach((expected, k) => {
      assertClose(encoded(stepDescription(g, data, k)), expected, `${v.name} step ${k}`);
    });
  });
}

/**
 * A vectors graph by name.
 * @param {string} name
 * @returns {ExplainGraph}
 */
function named(name) {
  const found = VECTORS.graphs.find((v) => v.name === name);
  if (!found) throw new Error(`no graph ${name} in the vectors`);
  return found;
}

/**
 * A vectors graph after moving its labelled leaves, recomputed by engine.js as the widget does.
 * @param {string} name
 * @param {number} shift
 */
function moved(name, shift) {
  const graph = named(name).graph;
  const g = parseGraph(graph);
  const data = Float64Array.from(g.data);
  graph.nodes.forEach((n, i) => {
    if (n.op === "" && n.label) data[i] += shift;
  });
  forward(g, data);
  const grad = new Float64Array(g.size);
  backward(g, data, grad);
  return { g, data, grad };
}

test("after a slider move, the chain-rule sums and the last step equal engine.js's backward exactly", () => {
  const names = ["product_and_square", "every_op", "reuse", "summation_order", "neuron", "two_layers", "unused_nodes"];
  for (const name of names) {
    const { g, data, grad } = moved(name, 0.37);
    for (let id = 0; id < g.size; id++) {
      assert.equal(chainRuleTerms(g, data, grad, id).sum, grad[id], `${name} node ${id}`);
    }
    const last = stepSequence(g).length;
    assert.deepEqual(gradsAfterStep(g, data, last), grad, name);
  }
});

test("the panel's numbers follow the data passed in, not the graph's stored numbers", () => {
  const { g, data, grad } = moved("product_and_square", 1); // x = 3, y = 4
  const z = explainNode(g, data, grad, 4);
  assert.equal(z.dataText, "21");
  assert.equal(localDerivatives(g, data, 2)[0].text, "∂(x*y)/∂x = y = 4");
  assert.equal(explainNode(g, data, grad, 0).chain.text, "∂z/∂x = ∂z/∂(x**2)·2·x + ∂z/∂(x*y)·y = 1·6 + 1·4 = 10");
});

test("the panel lists a node's terms in the order the step-through adds them", () => {
  for (const v of VECTORS.graphs) {
    const { g, data, grad } = loaded(v);
    const total = stepSequence(g).length;
    /** @type {Array<Array<[number | null, number | null]>>} */
    const added = v.graph.nodes.map(() => []);
    for (let k = 1; k <= total; k++) {
      for (const c of stepDescription(g, data, k).contributions) if (c.from !== null) added[c.to].push([c.from, c.arg]);
    }
    v.graph.nodes.forEach((_, id) => {
      const { kind, terms } = chainRuleTerms(g, data, grad, id);
      if (kind !== "sum") return;
      assert.deepEqual(terms.map((t) => [t.parent, t.arg]), added[id], `${v.name} node ${id}`);
    });
  }
});

test("a*a gives one chain-rule term per use", () => {
  const { g, data, grad } = loaded(named("reuse"));
  const terms = chainRuleTerms(g, data, grad, 0).terms;
  assert.deepEqual(terms.map((t) => [t.parent, t.arg]), [[2, 1], [1, 0], [1, 1]]);
});

test("names: unlabelled output is L, constants are numbers, compound labels get parentheses", () => {
  const graph = graphOf([
    ["x1*w1", "", [], 1, 0],
    [null, "", [], -2, 0],
    ["", "*", [0, 1], -2, 0],
    [null, "tanh", [2], -0.96, 0],
    [null, "neg", [3], 0.96, 0],
  ]);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => nodeName(graph, i)), ["x1*w1", "−2", "(x1*w1)*(−2)", "tanh((x1*w1)*(−2))", "L"]);
  assert.equal(localDerivatives(graph, [1, -2, -2, -0.96, 0.96], 2)[0].text, "∂((x1*w1)*(−2))/∂(x1*w1) = −2");
});

test("bad node ids and step positions are errors that say what is allowed", () => {
  const graph = parseGraph(named("product_and_square").graph);
  assert.throws(() => nodeName(graph, 5), { name: "RangeError", message: "node 5 is not in the graph (ids 0..4)" });
  assert.throws(() => pathToOutput(graph, 1.5), { name: "TypeError" });
  assert.throws(() => gradsAfterStep(graph, [2, 3, 6, 4, 10], 5), { name: "RangeError", message: "step 5 is outside 0..4" });
  assert.throws(() => stepDescription(graph, [2, 3, 6, 4, 10], -1), { name: "RangeError" });
});

test("the explanations read the parsed graph, never the JSON a second time", () => {
  const json = named("product_and_square").graph;
  const notParsed = /** @type {ParsedGraph} */ (/** @type {unknown} */ (json));
  assert.throws(() => nodeName(notParsed, 0), { name: "TypeError", message: /parseGraph/ });
  assert.equal(definitionText(parseGraph(json), 4), "x*y + x**2");
  assert.equal(definitionText(parseGraph(json), 0), null, "a leaf has no definition");
});

test("gradientStyle: sign classes, and emphasis log-scaled to the largest finite |grad|", () => {
  assert.equal(maxAbsFiniteGrad([1, -8, NaN, Infinity, 0.5]), 8);
  assert.equal(maxAbsFiniteGrad(new Float64Array([0, NaN])), 0);
  assert.deepEqual(gradientStyle(0, 8), { sign: "zero", emphasis: 0 });
  assert.deepEqual(gradientStyle(-0, 8), { sign: "zero", emphasis: 0 });
  assert.deepEqual(gradientStyle(NaN, 8), { sign: "nonfinite", emphasis: 1 });
  assert.deepEqual(gradientStyle(-Infinity, 8), { sign: "nonfinite", emphasis: 1 });
  assert.deepEqual(gradientStyle(-8, 8), { sign: "neg", emphasis: 1 });
  assert.deepEqual(gradientStyle(0.8, 8), { sign: "pos", emphasis: 0.75 }); // one decade of four below
  assert.deepEqual(gradientStyle(8e-9, 8), { sign: "pos", emphasis: 0.1 }); // faint, yet not zero
  assert.deepEqual(gradientStyle(3, 0), { sign: "pos", emphasis: 1 }); // no finite scale: full
  const emphases = [8, 4, 1, 0.1, 0.01].map((g) => gradientStyle(g, 8).emphasis);
  assert.deepEqual([...emphases].sort((a, b) => b - a), emphases);
});

test("gradThroughNonfinite: a non-finite grad alone (finite data) still flags what it flowed into", () => {
  const g = graphOf([
    ["x", "", [], 2, 3],
    ["y", "", [], 3, 2],
    ["z", "*", [0, 1], 6, 1],
  ]);
  const data = [2, 3, 6];
  assert.deepEqual(gradThroughNonfinite(g, data, [3, 2, 1]), [false, false, false]);
  assert.deepEqual(gradThroughNonfinite(g, data, [3, 2, Infinity]), [true, true, false]);
  assert.deepEqual(gradThroughNonfinite(g, [2, Number.NaN, 6], [3, 2, 1]), [false, false, false]);
  assert.deepEqual(gradThroughNonfinite(g, [2, 3, Number.NaN], [3, 2, 1]), [true, true, false]);
});

test("a path to the output leaves out what uses the node but does not reach the output", () => {
  const graph = graphOf([
    ["x", "", [], 2, 0],
    ["unused", "*", [0, 0], 4, 0],
    [null, "tanh", [0], 0.96, 0],
    ["L", "*", [2, 2], 0.93, 0],
  ]);
  assert.deepEqual(pathToOutput(graph, 0), {
    nodes: [0, 2, 3],
    edges: [
      { from: 0, to: 2, arg: 0 },
      { from: 2, to: 3, arg: 0 },
      { from: 2, to: 3, arg: 1 },
    ],
  });
  assert.deepEqual(pathToOutput(graph, 1), { nodes: [], edges: [] });
});
