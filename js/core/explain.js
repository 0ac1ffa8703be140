// Backprop in words: each node's local derivatives and the chain-rule sum behind its grad, and a
// step-by-step replay of the backward pass. Pure functions, no DOM.
//
// The JavaScript twin of micrograd_magic/explain.py: for the same graph and node both give equal
// strings and equal numbers (tests/vectors/explain.json, checked in explain.test.js). The
// conventions are written down there; in short:
// - the output is named by its label or "L"; other nodes by their label (parenthesised where a
//   label like "x1*w1" would read ambiguously) or an expression of their operands ("x*y",
//   "x**2", "tanh(n)", constants as numbers), cut with "…" below three levels and replaced by
//   "#id" when still over 40 characters;
// - formulas are mathematics ("2·x", "1 − tanh(n)²"); numbers read as on the nodes (format.js)
//   with every minus sign in the texts the typographic "−" (U+2212);
// - a node used twice by one parent (a*a) gets one chain-rule term per use; terms are listed in
//   code order and summed in backprop's order, so the sum equals the engine's grad bit for bit;
// - step 0: every grad 0; step 1: the output's grad := 1; every later step: one computed node the
//   output depends on (reverse topological order, leaves skipped) adds grad · local derivative to
//   its operands. After the last step the grads equal the full backward pass.
//
// Every function takes the graph as engine.js's parseGraph() returns it (the widget's one
// representation of the graph: typed arrays of ops, operands, exponents, labels and data) and the
// numbers as plain arrays or Float64Arrays. What depends only on the graph's structure (names,
// users, steps) is cached per parsed graph, so treat it as immutable: a new graph from Python
// is parsed into a new object anyway. How ops read and differentiate comes from the op table
// (ops-table.js, generated from micrograd_magic/ops.py).

import { ieeeLocalDerivatives, ieeeShare } from "./engine.js";
import { formatFormulaNumber, formatNumber } from "./format.js";
import { cardName } from "./names.js";
import { OPS } from "./ops-table.js";

/** @typedef {import("./engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("./ops-table.js").Formula} Formula */
/** @typedef {ArrayLike<number>} Numbers every node's value (or grad), by id */

/**
 * d node / d operand for one operand, as localDerivatives lists them.
 * @typedef {object} LocalDerivative
 * @property {number} child the operand's id
 * @property {string} childName
 * @property {string} formula e.g. "y", "1 − tanh(n)²"
 * @property {string} substituted the formula with the numbers in it
 * @property {number} value
 * @property {string} text e.g. "∂z/∂x = y = 3"
 */

/**
 * One use of a node by a parent, in the chain-rule sum.
 * @typedef {object} Term
 * @property {number} parent the user's id
 * @property {string} parentName
 * @property {number} arg which operand of the parent the node is (0 or 1)
 * @property {number} parentGrad
 * @property {number} local d parent / d node
 * @property {string} localFormula
 * @property {number} product parentGrad · local
 * @property {string} text
 */

/**
 * How a node's grad came about (chainRuleTerms).
 * @typedef {object} ChainRule
 * @property {"output" | "unused" | "sum"} kind
 * @property {Term[]} terms in backprop's order (last parent first), as the step-through adds them
 * @property {number} sum the terms added in backprop's order: the engine's grad exactly
 * @property {string} text
 */

/**
 * Everything the details panel shows about a node (explainNode).
 * @typedef {object} Explanation
 * @property {number} id
 * @property {string} name
 * @property {string} op the op's name, "" for a leaf
 * @property {string | null} definition e.g. "z = x*y + x**2"; null for a leaf
 * @property {boolean} isOutput
 * @property {boolean} isLeaf
 * @property {boolean} isConstant a leaf with neither a label nor a path
 * @property {boolean} affectsOutput whether the output depends on it
 * @property {number} data
 * @property {number} grad
 * @property {string} dataText
 * @property {string} gradText
 * @property {LocalDerivative[]} localDerivatives
 * @property {ChainRule} chain
 * @property {string | null} note the vanishing gradient, where a saturated tanh or sigmoid is the
 *   node or passes it its grad
 * @property {string | null} warning where the grad flowed through a NaN or infinite value
 */

/**
 * One step of backprop (stepSequence): the seed (the output's grad := 1), or a node passing its
 * grad to its operands.
 * @typedef {object} Step
 * @property {"seed" | "propagate"} kind
 * @property {number} node
 */

/**
 * What one step adds to one operand's grad (or, for the seed, to the output's).
 * @typedef {object} Contribution
 * @property {number | null} from the node passing grad on; null for the seed
 * @property {number} to the node receiving it
 * @property {number | null} arg which operand of `from` it is; null for the seed
 * @property {number} local
 * @property {number} amount
 * @property {string} text
 */

/**
 * What a step did (stepDescription).
 * @typedef {object} StepDescription
 * @property {number} k the step position, 0..total
 * @property {number} total
 * @property {"start" | "seed" | "propagate"} kind "start" for k = 0
 * @property {number | null} node the step's node; null for k = 0
 * @property {Contribution[]} contributions
 * @property {string} text
 */

/**
 * An edge of the graph: operand `from` in operand slot `arg` of node `to`.
 * @typedef {{from: number, to: number, arg: number}} GraphEdge
 */

/** @typedef {[text: string, prec: number]} Expr an expression and its precedence */
/** @typedef {{a?: Expr, b?: Expr, out: Expr}} Env what a formula's names stand for */

/**
 * What explanations keep per parsed graph (see shapeOf).
 * @typedef {object} Shape
 * @property {ParsedGraph} g
 * @property {number} size
 * @property {number} output
 * @property {number[][]} args each node's operand ids
 * @property {Uint8Array} relevant whether the output depends on each node (1), from relevantOf
 * @property {number[][]} users each node's users that the output depends on, ascending
 * @property {Array<Expr | undefined>} names each node's name, once computed
 * @property {Step[] | null} steps backprop's steps, once computed
 */

const MINUS = "\u2212";
/** @type {Readonly<Record<string, string>>} */
const SUPERSCRIPT = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "-": "⁻" };
// A label holding one of these is treated as a compound expression: parenthesised in formulas.
const LABEL_OPERATORS = new Set(` +-*/^()=<>,·${MINUS}`);
const NAME_DEPTHS = [3, 2, 1];
const NAME_MAX_CHARS = 40;

// Precedence of an expression's outermost operation, loosest first: an operand is wrapped in
// parentheses when it binds more loosely than its place requires. An expression is [text, prec].
const COND = 0, ADD = 1, NEG = 2, MUL = 3, POW = 4, ATOM = 5;
/** @type {Expr} */
const ONE = ["1", ATOM];

// --- numbers ----------------------------------------------------------------------------------

/**
 * A number inside an explanation: as format.js shows it on the nodes, with the "−" sign.
 * @param {number} x
 * @returns {string}
 */
export function formatText(x) {
  return formatNumber(x).replaceAll("-", MINUS);
}

/**
 * @param {number} x
 * @param {string} [text] how it reads (default: formatText)
 * @returns {Expr}
 */
function num(x, text = formatText(x)) {
  if (text.startsWith(MINUS)) return [text, NEG];
  return [text, text.includes("e") ? MUL : ATOM];
}

/**
 * A number substituted into a formula (formatFormulaNumber).
 * @param {number} x
 * @returns {Expr}
 */
function formulaNum(x) {
  return num(x, formatFormulaNumber(x).replaceAll("-", MINUS));
}

// --- building expressions ---------------------------------------------------------------------

/** @type {(e: Expr, least: number) => string} */
const wrap = ([text, prec], least) => (prec >= least ? text : `(${text})`);
/** @type {(a: Expr, b: Expr, op?: string) => Expr} */
const add = (a, b, op = "+") => [`${wrap(a, ADD)} ${op} ${wrap(b, MUL)}`, ADD];
/** @type {(a: Expr) => Expr} */
const neg = (a) => [MINUS + wrap(a, MUL), NEG];
/** @type {(a: Expr, b: Expr, op?: string) => Expr} */
const mul = (a, b, op = "·") => [`${wrap(a, MUL)}${op}${wrap(b, MUL)}`, MUL];
/** @type {(a: Expr, b: Expr) => Expr} */
const div = (a, b) => [`${wrap(a, MUL)}/${wrap(b, POW)}`, MUL];
/** @type {(f: string, a: Expr) => Expr} */
const call = (f, a) => [`${f}(${a[0]})`, ATOM];
/** @type {(of: Expr, wrt: Expr) => Expr} */
const partial = (of, wrt) => [`∂${wrap(of, ATOM)}/∂${wrap(wrt, ATOM)}`, MUL];

/**
 * `base` to the power n in mathematical notation: superscript digits for small integers.
 * @param {Expr} base
 * @param {number} n
 * @returns {Expr}
 */
function power(base, n) {
  if (Number.isInteger(n) && Math.abs(n) < 100) {
    const sup = [...String(n)].map((c) => SUPERSCRIPT[c]).join("");
    return [`${wrap(base, ATOM)}${sup}`, POW];
  }
  return [`${wrap(base, ATOM)}^${wrap(num(n), ATOM)}`, POW];
}

// --- the op table's formulas (see micrograd_magic/ops.py for the language) -------------------

const OP_BY_NAME = new Map(OPS.map((op) => [op.name, op]));

/** @type {Readonly<Record<string, (...xs: number[]) => number>>} */
const FOLD = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  neg: (x) => -x,
};
/** @type {Readonly<Record<string, (...xs: Expr[]) => Expr>>} */
const BUILD = {
  add: (x, y) => add(x, y),
  sub: (x, y) => add(x, y, MINUS),
  mul: (x, y) => mul(x, y),
  code_mul: (x, y) => mul(x, y, "*"),
  div,
  neg,
};

/** @type {(value: number | Expr) => Expr} */
const asExpr = (value) => (typeof value === "number" ? num(value) : value);

/**
 * A formula of the op table as an expression [text, prec]; number-only parts fold to a number.
 * `env` gives a, b and out as expressions (names, or numbers when substituting); k is the
 * exponent of "**". The twin of explain.py's _render, rule for rule.
 * @param {Formula} formula
 * @param {Env} env
 * @param {number} k
 * @returns {number | Expr}
 */
function render(formula, env, k) {
  if (typeof formula === "string") return formula === "k" ? k : nameIn(env, formula);
  if (typeof formula === "number") return formula;
  const kind = String(formula[0]);
  const args = formula.slice(1);
  if (kind === "call") return call(String(args[0]), asExpr(render(args[1], env, k)));
  if (kind === "if_positive") {
    const [test, then, otherwise] = args.map((x) => asExpr(render(x, env, k)));
    return [`${then[0]} if ${test[0]} > 0 else ${otherwise[0]}`, COND];
  }
  const values = args.map((x) => render(x, env, k));
  const numbers = values.filter((v) => typeof v === "number");
  if (numbers.length === values.length && Object.hasOwn(FOLD, kind)) return FOLD[kind](...numbers);
  if (kind === "mul" && typeof values[0] === "number" && [0, 1, -1].includes(values[0])) {
    const x = values[0];
    return x === 0 ? 0 : x === 1 ? values[1] : neg(asExpr(values[1]));
  }
  if (kind === "pow" && typeof values[1] === "number") {
    if (values[1] === 0) return 1;
    return values[1] === 1 ? values[0] : power(asExpr(values[0]), values[1]);
  }
  if (kind === "code_pow") {
    const exponent = typeof values[1] === "number" ? num(values[1]) : values[1];
    return [`${wrap(asExpr(values[0]), ATOM)}**${wrap(exponent, ATOM)}`, POW];
  }
  return BUILD[kind](...values.map(asExpr));
}

/**
 * What name `name` stands for in a formula; an error for a name the formula language lacks.
 * @param {Env} env
 * @param {string} name
 * @returns {Expr}
 */
function nameIn(env, name) {
  const value = name === "a" || name === "b" || name === "out" ? env[name] : undefined;
  if (value === undefined) throw new Error(`the op table's formula names ${JSON.stringify(name)}, which this op lacks`);
  return value;
}

/**
 * @param {Expr[]} operands
 * @param {Expr} [out]
 * @returns {Env}
 */
function operandEnv(operands, out = ONE) {
  return { a: operands[0], b: operands[1], out };
}

/**
 * The op table's entry for op `op`.
 * @param {string} op
 */
function opEntry(op) {
  const entry = OP_BY_NAME.get(op);
  if (!entry) throw new Error(`unknown op ${JSON.stringify(op)}`);
  return entry;
}

/**
 * A formula of the op table that a computed node always has.
 * @param {Formula | null | undefined} formula
 * @param {string} op
 * @returns {Formula}
 */
function present(formula, op) {
  if (formula === null || formula === undefined) throw new Error(`op ${JSON.stringify(op)} has no such formula`);
  return formula;
}

/**
 * How a node's computation reads in code, e.g. "x*y" or "tanh(n)".
 * @param {string} op
 * @param {Expr[]} operands
 * @param {number} k
 * @returns {Expr}
 */
function code(op, operands, k) {
  return asExpr(render(present(opEntry(op).source, op), operandEnv(operands), k));
}

/**
 * The node's own value as mathematics over its operands ("σ(n)", "tanh(n)").
 * @param {string} op
 * @param {Expr[]} operands
 * @param {number} k
 * @returns {Expr}
 */
function outName(op, operands, k) {
  return asExpr(render(present(opEntry(op).math, op), operandEnv(operands), k));
}

/**
 * d node / d operand i as a formula over `operands` (names or numbers); `out` stands for the
 * node's own value where the derivative is written with it (tanh, sigmoid).
 * @param {string} op
 * @param {number} i
 * @param {Expr[]} operands
 * @param {Expr} out
 * @param {number} k
 * @returns {Expr}
 */
function localFormula(op, i, operands, out, k) {
  return asExpr(render(present(opEntry(op).derivatives[i], op), operandEnv(operands, out), k));
}

// --- the graph's shape (cached per parsed graph: it does not change while sliders move) -------

/** @type {WeakMap<ParsedGraph, Shape>} */
const shapes = new WeakMap();

/**
 * What the explanations need beyond the parsed graph's arrays: each node's operand list, which
 * nodes the output depends on, each node's users, and the names and steps once computed.
 * @param {ParsedGraph} g
 * @returns {Shape}
 */
function shapeOf(g) {
  let shape = shapes.get(g);
  if (shape) return shape;
  checkGraph(g);
  const { size, output } = g;
  /** @type {number[][]} */
  const args = new Array(size);
  for (let i = 0; i < size; i++) {
    args[i] = g.a[i] < 0 ? [] : g.b[i] < 0 ? [g.a[i]] : [g.a[i], g.b[i]];
  }
  const relevant = relevantOf(g);
  // each node's users (parents that the output depends on), ascending, each listed once
  /** @type {number[][]} */
  const users = args.map(() => []);
  args.forEach((list, i) => {
    if (!relevant[i]) return;
    for (const a of new Set(list)) users[a].push(i);
  });
  shape = { g, size, output, args, relevant, users, names: new Array(size), steps: null };
  shapes.set(g, shape);
  return shape;
}

/** @type {WeakMap<ParsedGraph, Uint8Array>} */
const relevance = new WeakMap();

/**
 * Which nodes the output depends on (1): the shape's `relevant`, also read alone by pathToOutput,
 * which must not build the rest of the shape.
 * @param {ParsedGraph} g
 * @returns {Uint8Array}
 */
function relevantOf(g) {
  let relevant = relevance.get(g);
  if (relevant) return relevant;
  relevant = new Uint8Array(g.size);
  relevant[g.output] = 1;
  for (let i = g.output; i >= 0; i--) {
    if (!relevant[i]) continue;
    if (g.a[i] >= 0) relevant[g.a[i]] = 1;
    if (g.b[i] >= 0) relevant[g.b[i]] = 1;
  }
  relevance.set(g, relevant);
  return relevant;
}

/** @param {ParsedGraph} g */
function checkGraph(g) {
  if (g === null || typeof g !== "object" || !(g.ops instanceof Uint8Array)) {
    throw new TypeError("explain.js takes a graph from engine.js's parseGraph()");
  }
}

/**
 * Node `id` as the explanations read it: op name, operand ids, exponent and label.
 * @param {Shape} shape
 * @param {number} id
 */
function nodeAt(shape, id) {
  return { op: shape.g.opNames[id], args: shape.args[id], k: shape.g.k[id], label: givenName(shape, id) };
}

/**
 * The name a node is given: its label, else its path's short form (L1.N4.w2) as its card
 * shows it; null when it has neither (a leaf is then a constant, a computed node is written as
 * its expression). Twin of explain._given_name.
 * @param {Shape} shape
 * @param {number} id
 * @returns {string | null}
 */
function givenName(shape, id) {
  const given = cardName(shape.g, id);
  return given === null || given === "" ? null : given;
}

/**
 * @param {{size: number}} shape a Shape, or the parsed graph
 * @param {number} id
 */
function checkNode(shape, id) {
  if (!Number.isInteger(id)) throw new TypeError(`node id must be an integer, got ${JSON.stringify(id)}`);
  if (id < 0 || id >= shape.size) {
    throw new RangeError(`node ${id} is not in the graph (ids 0..${shape.size - 1})`);
  }
}

/**
 * @param {Shape} shape
 * @param {Numbers} data
 * @param {number} id
 */
function localsAt(shape, data, id) {
  const { g } = shape;
  return ieeeLocalDerivatives(g.opNames[id], shape.args[id].map((a) => data[a]), data[id], g.k[id]);
}

/**
 * What the grad `g` of node `id` adds to operand `which`'s grad (as backprop computes it) and
 * the numbers that say how: g·local, or g/b where the local derivative 1/b of a division
 * overflowed and the share itself did not (twin of explain._share).
 * @param {Shape} shape
 * @param {Numbers} data
 * @param {number} id
 * @param {number} which
 * @param {number} local
 * @param {number} g
 * @returns {[number, Expr]}
 */
function share(shape, data, id, which, local, g) {
  const op = shape.g.opNames[id];
  const args = shape.args[id].map((a) => data[a]);
  const amount = ieeeShare(op, which, args, local, g);
  if (op === "/" && which === 0 && Math.abs(local) === Infinity && args[1] !== 0) {
    return [amount, div(num(g), num(args[1]))];
  }
  return [amount, mul(num(g), num(local))];
}

// --- names ------------------------------------------------------------------------------------

/**
 * @param {Shape} shape
 * @param {number} id
 * @param {number} depth
 * @returns {Expr}
 */
function nameExpr(shape, id, depth) {
  const label = givenName(shape, id);
  if (label !== null) return [label, [...label].some((c) => LABEL_OPERATORS.has(c)) ? COND : ATOM];
  if (id === shape.output) return ["L", ATOM];
  if (shape.args[id].length === 0) return num(shape.g.data[id]);
  if (depth === 0) return ["…", ATOM];
  return definitionExpr(shape, id, depth - 1);
}

/**
 * Node `id`'s computation in code over its operands' names, `depth` levels deep.
 * @param {Shape} shape
 * @param {number} id
 * @param {number} depth
 * @returns {Expr}
 */
function definitionExpr(shape, id, depth) {
  const { g } = shape;
  return code(g.opNames[id], shape.args[id].map((a) => nameExpr(shape, a, depth)), g.k[id]);
}

/**
 * @param {Shape} shape
 * @param {number} id
 * @returns {Expr}
 */
function name(shape, id) {
  let e = shape.names[id];
  if (e) return e;
  /** @type {Expr} */
  e = [`#${id}`, ATOM];
  if (givenName(shape, id) !== null) {
    e = nameExpr(shape, id, 0);
  } else {
    for (const depth of NAME_DEPTHS) {
      const candidate = nameExpr(shape, id, depth);
      // code points, as Python's len(): a label may hold characters beyond the BMP
      if ([...candidate[0]].length <= NAME_MAX_CHARS) {
        e = candidate;
        break;
      }
    }
  }
  shape.names[id] = e;
  return e;
}

/**
 * How node `id` is named in formulas: its label or its path's short form (L1.N4.w2), "L" for an
 * unnamed output, else an expression of its operands ("x*y", "x**2", "tanh(n)", constants as
 * numbers), shortened with "…" beyond three levels and replaced by "#id" when still over 40
 * characters.
 * @param {ParsedGraph} g
 * @param {number} id
 * @returns {string}
 */
export function nodeName(g, id) {
  const shape = shapeOf(g);
  checkNode(shape, id);
  return name(shape, id)[0];
}

/**
 * How node `id` was computed, in code over its operands' names (labels, constants as numbers,
 * unlabelled operands spelled out `depth` levels deep and then "…"), e.g. "x*y", "(3 − x)**2";
 * null for a leaf. The tooltip's text, in the panel's notation.
 * @param {ParsedGraph} graph
 * @param {number} id
 * @param {number} [depth]
 * @returns {string | null}
 */
export function definitionText(graph, id, depth = 1) {
  const shape = shapeOf(graph);
  checkNode(shape, id);
  return shape.args[id].length === 0 ? null : definitionExpr(shape, id, depth)[0];
}

// --- explanations -----------------------------------------------------------------------------

/**
 * d node / d operand for each operand of node `id` (none for a leaf):
 * [{child, childName, formula, substituted, value, text}], e.g. for z = x*y the first is
 * {child: x's id, childName: "x", formula: "y", substituted: "3", value: 3, text: "∂z/∂x = y = 3"}.
 * @param {ParsedGraph} graph
 * @param {Numbers} data
 * @param {number} id
 * @returns {LocalDerivative[]}
 */
export function localDerivatives(graph, data, id) {
  const shape = shapeOf(graph);
  checkNode(shape, id);
  const n = nodeAt(shape, id);
  if (n.args.length === 0) return [];
  const me = name(shape, id);
  const names = n.args.map((a) => name(shape, a));
  const numbers = n.args.map((a) => formulaNum(data[a]));
  const values = localsAt(shape, data, id);
  return n.args.map((child, i) => {
    const formula = localFormula(n.op, i, names, outName(n.op, names, n.k), n.k)[0];
    const substituted = localFormula(n.op, i, numbers, formulaNum(data[id]), n.k)[0];
    const valueText = formatText(values[i]);
    let text = `${partial(me, names[i])[0]} = ${formula}`;
    if (substituted !== formula && substituted !== valueText) text += ` = ${substituted}`;
    if (valueText !== formula) text += ` = ${valueText}`;
    return { child, childName: names[i][0], formula, substituted, value: values[i], text };
  });
}

/**
 * How node `id`'s grad came about: {kind, terms, sum, text}.
 * kind "output": 1 by definition (no terms); "unused": the output does not depend on the node (0);
 * "sum": one term per use of the node by a parent the output depends on, in backprop's order,
 * {parent, parentName, arg, parentGrad, local, localFormula, product, text}, e.g. for x in
 * z = x*y + x**2: "∂z/∂x = ∂z/∂(x**2)·2·x + ∂z/∂(x*y)·y = 1·4 + 1·3 = 7". `sum` adds the products
 * in that order, so it equals the engine's grad exactly.
 * @param {ParsedGraph} graph
 * @param {Numbers} data
 * @param {Numbers} grad
 * @param {number} id
 * @returns {ChainRule}
 */
export function chainRuleTerms(graph, data, grad, id) {
  const shape = shapeOf(graph);
  checkNode(shape, id);
  const out = name(shape, shape.output);
  const me = name(shape, id);
  const lhs = partial(out, me)[0];
  if (id === shape.output) {
    return { kind: "output", terms: [], sum: 1, text: `${lhs} = 1 by definition: backprop starts here` };
  }
  if (!shape.relevant[id]) {
    return { kind: "unused", terms: [], sum: 0, text: `${lhs} = 0: ${out[0]} does not depend on ${me[0]}` };
  }
  /** @type {Term[]} */
  const terms = [];
  /** @type {string[]} */
  const symbolic = [];
  /** @type {string[]} */
  const numeric = [];
  // backprop's order, as the step-through adds them: the last parent first, each parent's
  // operands left to right; the panel lists the terms and sums them in that one order
  for (const parent of [...shape.users[id]].reverse()) {
    const p = nodeAt(shape, parent);
    const parentName = name(shape, parent);
    const names = p.args.map((a) => name(shape, a));
    const values = localsAt(shape, data, parent);
    p.args.forEach((a, i) => {
      if (a !== id) return;
      const formula = localFormula(p.op, i, names, outName(p.op, names, p.k), p.k);
      const parentGrad = grad[parent], local = values[i];
      const [product, shown] = share(shape, data, parent, i, local, parentGrad);
      symbolic.push(mul(partial(out, parentName), formula)[0]);
      numeric.push(shown[0]);
      const text = `${symbolic.at(-1)} = ${numeric.at(-1)} = ${formatText(product)}`;
      terms.push({ parent, parentName: parentName[0], arg: i, parentGrad, local, localFormula: formula[0], product, text });
    });
  }
  let sum = 0;
  for (const t of terms) sum += t.product;
  const text = `${lhs} = ${symbolic.join(" + ")} = ${numeric.join(" + ")} = ${formatText(sum)}`;
  return { kind: "sum", terms, sum, text };
}

/**
 * Everything the details panel shows about node `id` (the object panel.js's show() takes):
 * {id, name, op, definition, isOutput, isLeaf, isConstant (a leaf with neither label nor path), affectsOutput,
 *  data, grad, dataText, gradText, localDerivatives, chain}. Pass the full backward pass's grads.
 * @param {ParsedGraph} graph
 * @param {Numbers} data
 * @param {Numbers} grad
 * @param {number} id
 * @returns {Explanation}
 */
export function explainNode(graph, data, grad, id) {
  const shape = shapeOf(graph);
  checkNode(shape, id);
  const n = nodeAt(shape, id);
  const nm = name(shape, id)[0];
  let definition = null;
  if (n.args.length) {
    const rhs = code(n.op, n.args.map((a) => name(shape, a)), n.k)[0];
    definition = rhs === nm ? rhs : `${nm} = ${rhs}`;
  }
  return {
    id,
    name: nm,
    op: n.op,
    definition,
    isOutput: id === shape.output,
    isLeaf: n.args.length === 0,
    isConstant: n.args.length === 0 && n.label === null,
    affectsOutput: shape.relevant[id] === 1,
    data: data[id],
    grad: grad[id],
    dataText: formatText(data[id]),
    gradText: formatText(grad[id]),
    localDerivatives: localDerivatives(graph, data, id),
    chain: chainRuleTerms(graph, data, grad, id),
    note: vanishingNote(shape, data, id),
    warning: nonfiniteWarning(shape, data, grad, id),
  };
}

/** A tanh or sigmoid whose slope is below this is saturated: the panel names the vanishing gradient. */
export const SATURATED_SLOPE = 1e-3;
const SATURATING = new Set(["tanh", "sigmoid"]);

/**
 * The vanishing gradient, in words, where a saturated tanh or sigmoid is the node itself or
 * passes the node its grad: the moment a lecture wants to point at.
 * @param {Shape} shape
 * @param {Numbers} data
 * @param {number} id
 * @returns {string | null}
 */
function vanishingNote(shape, data, id) {
  for (const c of [id, ...[...shape.users[id]].reverse()]) {
    const node = nodeAt(shape, c);
    if (!shape.relevant[c] || !SATURATING.has(node.op)) continue;
    const [slope] = localsAt(shape, data, c);
    if (Number.isFinite(slope) && Math.abs(slope) < SATURATED_SLOPE) {
      const me = name(shape, c);
      const operand = name(shape, node.args[0]);
      return (
        `Vanishing gradient: ${node.op} is saturated here ` +
        `(${partial(me, operand)[0]} = ${formatText(slope)}), so almost no gradient flows ` +
        `back through ${me[0]}.`
      );
    }
  }
  return null;
}

/**
 * For each node, the nearest node with a NaN or infinite data or grad that its grad flowed
 * through on the way from the output, or -1.
 * @param {Shape} shape
 * @param {Numbers} data
 * @param {Numbers} grad
 * @returns {Int32Array}
 */
function nonfiniteSources(shape, data, grad) {
  const source = new Int32Array(shape.size).fill(-1);
  // The widget asks on every slider move, and nearly always every number is finite: then no
  // grad flowed through a non-finite one, and one pass over the numbers replaces the walk.
  if (allFinite(data, shape.size) && allFinite(grad, shape.size)) return source;
  for (let i = shape.size - 1; i >= 0; i--) {
    if (!shape.relevant[i]) continue;
    // users holds only parents the output depends on; the nearest is the last
    const users = shape.users[i];
    for (let k = users.length - 1; k >= 0; k--) {
      const p = users[k];
      if (!(Number.isFinite(data[p]) && Number.isFinite(grad[p]))) {
        source[i] = p;
        break;
      }
      if (source[p] !== -1) {
        source[i] = source[p];
        break;
      }
    }
  }
  return source;
}

/**
 * Are the first `size` numbers all finite?
 * @param {Numbers} numbers
 * @param {number} size
 * @returns {boolean}
 */
function allFinite(numbers, size) {
  for (let i = 0; i < size; i++) if (!Number.isFinite(numbers[i])) return false;
  return true;
}

/**
 * For each node: did its grad flow through a NaN or infinite value? Backprop still gives such a
 * node a number (PyTorch does too), which a student would read as a slope; the widget marks it
 * (`data-grad-through-nonfinite`). The twin of explain.py's grad_through_nonfinite.
 * @param {ParsedGraph} graph
 * @param {Numbers} data
 * @param {Numbers} grad
 * @returns {boolean[]}
 */
export function gradThroughNonfinite(graph, data, grad) {
  const source = nonfiniteSources(shapeOf(graph), data, grad);
  const flags = new Array(source.length);
  for (let i = 0; i < source.length; i++) flags[i] = source[i] !== -1;
  return flags;
}

/**
 * @param {Shape} shape
 * @param {Numbers} data
 * @param {Numbers} grad
 * @param {number} id
 * @returns {string | null}
 */
function nonfiniteWarning(shape, data, grad, id) {
  const source = nonfiniteSources(shape, data, grad)[id];
  if (source === -1) return null;
  const [which, value] = Number.isFinite(data[source]) ? ["grad", grad[source]] : ["data", data[source]];
  return (
    `This grad flowed through ${name(shape, source)[0]}, whose ${which} is ${formatText(value)}: ` +
    "backprop still computes a number (PyTorch does too), but it is no meaningful slope."
  );
}

// --- step-through backprop --------------------------------------------------------------------

/**
 * The steps of backprop: [{kind: "seed", node: output}, then {kind: "propagate", node} for each
 * computed node the output depends on, in reverse topological order]. Leaves are skipped: they
 * have nothing to pass on. Its length is the last step position.
 * @param {ParsedGraph} graph
 * @returns {Step[]}
 */
export function stepSequence(graph) {
  return stepsOf(shapeOf(graph)).map((s) => ({ ...s }));
}

/**
 * @param {Shape} shape
 * @returns {Step[]}
 */
function stepsOf(shape) {
  if (!shape.steps) {
    /** @type {Step[]} */
    const steps = [{ kind: "seed", node: shape.output }];
    for (let i = shape.output; i >= 0; i--) {
      if (shape.relevant[i] && shape.args[i].length) steps.push({ kind: "propagate", node: i });
    }
    shape.steps = steps;
  }
  return shape.steps;
}

/**
 * @param {Shape} shape
 * @param {number} k
 * @returns {number} the number of steps
 */
function checkStep(shape, k) {
  const total = stepsOf(shape).length;
  if (!Number.isInteger(k)) throw new TypeError(`step must be an integer, got ${JSON.stringify(k)}`);
  if (k < 0 || k > total) throw new RangeError(`step ${k} is outside 0..${total}`);
  return total;
}

/**
 * Every node's grad after the first k steps, as a Float64Array: k = 0 all zero, k = 1 only the
 * output's grad (1), k = stepSequence(graph).length the full backward pass.
 * @param {ParsedGraph} graph
 * @param {Numbers} data
 * @param {number} k
 * @returns {Float64Array}
 */
export function gradsAfterStep(graph, data, k) {
  const shape = shapeOf(graph);
  checkStep(shape, k);
  const grad = new Float64Array(shape.size);
  for (const { kind, node } of stepsOf(shape).slice(0, k)) {
    if (kind === "seed") {
      grad[node] = 1;
      continue;
    }
    const locals = localsAt(shape, data, node);
    shape.args[node].forEach((a, i) => {
      grad[a] += share(shape, data, node, i, locals[i], grad[node])[0];
    });
  }
  return grad;
}

/**
 * What step k (1-based) did: {k, total, kind ("start" for k = 0, "seed", "propagate"), node,
 * contributions: [{from, to, arg, local, amount, text}], text}. `from` is null for the seed.
 * @param {ParsedGraph} graph
 * @param {Numbers} data
 * @param {number} k
 * @returns {StepDescription}
 */
export function stepDescription(graph, data, k) {
  const shape = shapeOf(graph);
  const total = checkStep(shape, k);
  const out = name(shape, shape.output);
  if (k === 0) {
    const text = `Every grad is 0. Backprop starts at the output, ${out[0]}.`;
    return { k, total, kind: "start", node: null, contributions: [], text };
  }
  const { kind, node } = stepsOf(shape)[k - 1];
  if (kind === "seed") {
    const seed = `${partial(out, out)[0]} = 1`;
    const contributions = [{ from: null, to: node, arg: null, local: 1, amount: 1, text: seed }];
    return { k, total, kind, node, contributions, text: `The output gets grad 1: ${seed} by definition.` };
  }
  // a node's grad is complete (and stays so) once its step comes: every parent went before
  const g = gradsAfterStep(graph, data, k)[node];
  const locals = localsAt(shape, data, node);
  const n = nodeAt(shape, node);
  const me = name(shape, node);
  const names = n.args.map((c) => name(shape, c));
  const contributions = n.args.map((a, i) => {
    const [amount, shown] = share(shape, data, node, i, locals[i], g);
    const formula = localFormula(n.op, i, names, outName(n.op, names, n.k), n.k);
    const symbolic = mul(partial(out, me), formula)[0];
    const numeric = shown[0];
    const text = `${partial(out, names[i])[0]} += ${symbolic} = ${numeric} = ${formatText(amount)}`;
    return { from: node, to: a, arg: i, local: locals[i], amount, text };
  });
  const text = `${me[0]} passes its grad (${formatText(g)}) back: each operand gets grad · local derivative.`;
  return { k, total, kind, node, contributions, text };
}

// --- highlighting -----------------------------------------------------------------------------

/**
 * The nodes (ascending ids) and edges ({from: child, to: parent, arg}) on every path from node
 * `id` up to the output, for highlighting; both empty when the output does not depend on `id`.
 * @param {ParsedGraph} graph
 * @param {number} id
 * @returns {{nodes: number[], edges: GraphEdge[]}}
 */
export function pathToOutput(graph, id) {
  checkGraph(graph);
  checkNode(graph, id);
  // Typed arrays and no per-node closures: opening a neuron of a big closed network runs this
  // once, on cold code, over every node after the neuron's output.
  const relevant = relevantOf(graph);
  if (!relevant[id]) return { nodes: [], edges: [] };
  const { a, b, output } = graph;
  const onPath = new Uint8Array(graph.size);
  onPath[id] = 1;
  /** @type {number[]} */
  const nodes = [id];
  /** @type {GraphEdge[]} */
  const edges = [];
  for (let parent = id + 1; parent <= output; parent++) {
    if (!relevant[parent]) continue;
    const x = a[parent];
    const y = b[parent];
    const viaA = x >= 0 && onPath[x] === 1;
    const viaB = y >= 0 && onPath[y] === 1;
    if (!viaA && !viaB) continue;
    onPath[parent] = 1;
    nodes.push(parent);
    if (viaA) edges.push({ from: x, to: parent, arg: 0 });
    if (viaB) edges.push({ from: y, to: parent, arg: 1 });
  }
  return { nodes, edges };
}

// --- gradient colouring -----------------------------------------------------------------------

/** Decades of |grad| below the largest that still get some emphasis (1e-4 of the max -> faint). */
const EMPHASIS_DECADES = 4;
/** The faintest emphasis of a non-zero grad, so that it never looks exactly like zero. */
const MIN_EMPHASIS = 0.1;

/**
 * The largest finite |grad| of a graph (0 if none), the scale for gradientStyle().
 * @param {ArrayLike<number>} grad
 * @returns {number}
 */
export function maxAbsFiniteGrad(grad) {
  let max = 0;
  for (let i = 0; i < grad.length; i++) {
    const g = grad[i];
    if (Number.isFinite(g) && Math.abs(g) > max) max = Math.abs(g);
  }
  return max;
}

/**
 * How strongly to draw a grad: {sign: "pos" | "neg" | "zero" | "nonfinite", emphasis: 0..1}.
 * Emphasis grows with log10 |grad| relative to `maxAbsGrad` (from maxAbsFiniteGrad): 1 at the
 * largest, MIN_EMPHASIS at 1e-4 of it and below, 0 for zero, 1 for nan/inf.
 * @param {number} grad
 * @param {number} maxAbsGrad
 * @returns {{sign: "pos" | "neg" | "zero" | "nonfinite", emphasis: number}}
 */
export function gradientStyle(grad, maxAbsGrad) {
  if (!Number.isFinite(grad)) return { sign: "nonfinite", emphasis: 1 };
  if (grad === 0) return { sign: "zero", emphasis: 0 };
  const sign = grad > 0 ? "pos" : "neg";
  if (!(maxAbsGrad > 0) || !Number.isFinite(maxAbsGrad)) return { sign, emphasis: 1 };
  const relative = Math.log10(Math.abs(grad) / maxAbsGrad) / EMPHASIS_DECADES + 1;
  return { sign, emphasis: Math.min(1, Math.max(MIN_EMPHASIS, relative)) };
}
