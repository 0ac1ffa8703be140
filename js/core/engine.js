// Forward and backward passes over the graph JSON (schema 1, or 2 with groups), in the browser.
//
// This is the JavaScript twin of micrograd_magic/graph.py's re-evaluation: `ieee_forward` and
// `ieee_local_derivatives` in micrograd_magic/ops.py are the reference, rule for rule (nan/inf
// instead of errors), and tests/vectors/ops.json pins the two together. A parsed graph keeps one
// op code, operand pair and exponent per node in typed arrays, so a slider drag re-evaluates
// the whole graph in one pass over them without allocating. Everything else about an op (codes,
// arity, how it reads) is in the generated op table, ops-table.js; the numeric rules here switch
// on its codes.

import { parseGroups } from "./groups.js";
import { OPS } from "./ops-table.js";

/** @typedef {import("./groups.js").GroupTree} GroupTree */
/** @typedef {import("./groups.js").GroupJSON} GroupJSON */

/**
 * A number in the graph JSON: JSON has no literal for NaN and the infinities, so they are strings.
 * @typedef {number | "NaN" | "Infinity" | "-Infinity"} JsonNumber
 */

/**
 * One node of the schema-1 graph JSON (graph.py's Graph.to_json), in topological order.
 * @typedef {object} NodeJSON
 * @property {number} id its index in `nodes`
 * @property {string | null} [label]
 * @property {string} [op] a key of the op table; "" (or absent) for a leaf
 * @property {number[]} [args] the operands' ids, all earlier ones
 * @property {JsonNumber | null} [k] the exponent of a "**" node
 * @property {JsonNumber} [data]
 * @property {JsonNumber} [grad]
 * @property {number} [group] schema 2: the node's innermost group
 * @property {string} [path] schema 2: a parameter's or module output's dotted path
 * @property {string} [short] schema 2: the picture's short form of `path`
 */

/**
 * The graph JSON, the widget's `graph` key: schema 1, or schema 2 with the group tree.
 * @typedef {object} GraphJSON
 * @property {1 | 2} schema
 * @property {number} [output] the id of the differentiated node (default: the last)
 * @property {NodeJSON[]} nodes
 * @property {GroupJSON[]} [groups] schema 2: the group tree, parents before children
 */

/**
 * A graph as parseGraph returns it: one typed array entry per node, by id. The widget's one
 * representation of the graph; layout, drawing and explanations all read it.
 * @typedef {object} ParsedGraph
 * @property {number} size the number of nodes
 * @property {number} output the differentiated node's id
 * @property {Uint8Array} ops each node's op code (OP_CODES; 0 for a leaf)
 * @property {Int32Array} a the first operand's id, -1 if none
 * @property {Int32Array} b the second operand's id, -1 if none
 * @property {Float64Array} k the exponent of a "**" node (0 elsewhere)
 * @property {Float64Array} data the values as Python computed them
 * @property {Float64Array} grad the grads as Python computed them
 * @property {Array<string | null>} labels
 * @property {string[]} opNames each node's op name ("" for a leaf)
 * @property {boolean} [gradless] some node came without a grad (a quiz's graph carries none):
 *   `grad` holds zeros there, to be computed before use
 * @property {GroupTree | null} [groups] the group tree of a schema-2 graph, else null
 */

/**
 * Forward and backward for one graph into arrays of its own (see createEvaluator).
 * @typedef {object} Evaluator
 * @property {Float64Array} data
 * @property {Float64Array} grad
 * @property {(ids: ArrayLike<number>, values: ArrayLike<number>) => {data: Float64Array, grad: Float64Array}} runLeaves
 * @property {(leafValues: LeafValues) => {data: Float64Array, grad: Float64Array}} run
 */

/**
 * New values for some leaves: {id: value}, a Map, or [id, value] pairs.
 * @typedef {Record<string, number> | Map<number, number> | Array<[number, number]> | null | undefined} LeafValues
 */

/**
 * Op name (as in engine.OPS) -> small integer code used in the hot loops (from the op table).
 * @type {Readonly<Record<string, number>>}
 */
export const OP_CODES = Object.freeze(Object.fromEntries(OPS.map((op) => [op.name, op.code])));
const DIV = OP_CODES["/"];

/** Number of operands of each op code (index = code). */
export const ARITY = Object.freeze(OPS.map((op) => op.arity));

/** @type {Readonly<Record<string, number>>} */
const NON_FINITE = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/**
 * A JSON number of the graph as a float: finite numbers as they are, "NaN"/"Infinity" strings decoded.
 * @param {unknown} x
 * @returns {number}
 */
export function decodeNumber(x) {
  if (typeof x === "number") return x;
  if (typeof x === "string" && Object.hasOwn(NON_FINITE, x)) return NON_FINITE[x];
  throw new Error(`not a number: ${JSON.stringify(x)}`);
}

/**
 * Read and check a graph of schema 1 or 2 (the same checks as graph.py's Graph.from_json).
 * Returns typed arrays: ops (codes), a/b (operand ids, -1 if none), k (exponents), data, grad.
 * @param {unknown} json the graph JSON (GraphJSON), checked here: any value may come in
 * @returns {ParsedGraph}
 */
export function parseGraph(json) {
  if (json === null || typeof json !== "object" || !("schema" in json) || (json.schema !== 1 && json.schema !== 2)) {
    throw new Error("not a schema-1 or -2 graph: expected {\"schema\": 1, ...}");
  }
  const raw = /** @type {{nodes?: unknown, output?: unknown}} */ (json).nodes;
  if (!Array.isArray(raw)) throw new Error("graph JSON needs a 'nodes' list");
  const size = raw.length;
  const ops = new Uint8Array(size);
  const a = new Int32Array(size).fill(-1);
  const b = new Int32Array(size).fill(-1);
  const k = new Float64Array(size);
  const data = new Float64Array(size);
  const grad = new Float64Array(size);
  let gradless = false;
  /** @type {Array<string | null>} */
  const labels = new Array(size);
  /** @type {string[]} */
  const opNames = new Array(size);
  for (let i = 0; i < size; i++) {
    /** @type {NodeJSON} */
    const n = raw[i];
    if (n === null || typeof n !== "object" || n.id !== i) {
      throw new Error(`node ${i}: expected an object with 'id': ${i}`);
    }
    /** @type {string} */
    const op = n.op ?? "";
    if (!Object.hasOwn(OP_CODES, op)) throw new Error(`node ${i}: unknown op ${JSON.stringify(op)}`);
    const code = OP_CODES[op];
    const args = n.args ?? [];
    if (!Array.isArray(args) || args.length !== ARITY[code]) {
      throw new Error(`node ${i}: op '${op}' takes ${ARITY[code]} operand(s), got ${JSON.stringify(args)}`);
    }
    for (const arg of args) {
      if (!Number.isInteger(arg) || arg < 0 || arg >= i) {
        throw new Error(`node ${i}: operands must be ids of earlier nodes, got ${JSON.stringify(args)}`);
      }
    }
    if (code === OP_CODES["**"]) {
      if (n.k === undefined || n.k === null) throw new Error(`node ${i}: a '**' node needs its exponent 'k'`);
      k[i] = decodeNumber(n.k);
    }
    ops[i] = code;
    if (args.length > 0) a[i] = args[0];
    if (args.length > 1) b[i] = args[1];
    data[i] = decodeNumber(n.data ?? 0);
    grad[i] = decodeNumber(n.grad ?? 0);
    if (n.grad === undefined) gradless = true;
    labels[i] = typeof n.label === "string" ? n.label : null;
    opNames[i] = op;
  }
  const given = /** @type {{output?: unknown}} */ (json).output;
  const output = given ?? size - 1;
  if (typeof output !== "number" || !Number.isInteger(output) || output < 0 || output >= size) {
    throw new Error(`output ${JSON.stringify(given)} is not a node id`);
  }
  const groups = json.schema === 2 ? parseGroups(/** @type {{groups?: unknown}} */ (json).groups ?? [], raw) : null;
  return { size, output, ops, a, b, k, data, grad, labels, opNames, gradless, groups };
}

// --- the op table's arithmetic: IEEE rules exactly as ops.py's ieee_* kernels ----------------

/** @param {number} k */
function isOddInteger(k) {
  return Number.isInteger(k) && Math.abs(k) % 2 === 1;
}

/**
 * ops.py's ieee_pow: x ** k over the reals, nan/inf instead of errors.
 * @param {number} x
 * @param {number} k
 * @returns {number}
 */
export function ieeePow(x, k) {
  if (x < 0 && !Number.isInteger(k)) return NaN;
  if (x === 0 && k < 0) {
    // Object.is tells -0 from 0: pow(-0, odd negative k) is -Infinity, as in Python's rule.
    return isOddInteger(k) && Object.is(x, -0) ? -Infinity : Infinity;
  }
  // Python's 1.0 ** k is 1 for every k (nan and inf included); JS's 1 ** ±Infinity or NaN is
  // NaN. JS's ** agrees with Python everywhere else here, overflow to ±Infinity included.
  if (x === 1) return 1;
  return x ** k;
}

// ops.py's ieee_div is IEEE division with an explicit zero-divisor rule; JS's `/` already
// follows that rule exactly (0/0 and nan/0 are NaN, a/±0 is ±Infinity by the signs).

/** @param {number} x */
function ieeeLog(x) {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  return Math.log(x);
}

/** @param {number} x */
function ieeeSigmoid(x) {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The result of op `code` on operands x (and y for binary ops), exponent k for '**'.
 * @param {number} code
 * @param {number} x
 * @param {number} y
 * @param {number} k
 * @returns {number}
 */
export function opForward(code, x, y, k) {
  switch (code) {
    case 1: return x + y;
    case 2: return x - y;
    case 3: return x * y;
    case 4: return x / y;
    case 5: return ieeePow(x, k);
    case 6: return -x;
    case 7: return x > 0 || Number.isNaN(x) ? x : 0;
    case 8: return Math.tanh(x);
    case 9: return Math.exp(x);
    case 10: return ieeeLog(x);
    case 11: return ieeeSigmoid(x);
    case 12: return Math.sin(x); // sin (NaN for ±Infinity, as ops.py's _ieee_sin)
    case 13: return Math.cos(x); // cos
    case 14: return Math.abs(x); // abs
    default: throw new Error(`op code ${code} has no forward rule`);
  }
}

/**
 * d out / d operand `which` (0 or 1) of op `code`, given its operands, result and exponent.
 * @param {number} code
 * @param {number} which
 * @param {number} x
 * @param {number} y
 * @param {number} out
 * @param {number} k
 * @returns {number}
 */
export function opDerivative(code, which, x, y, out, k) {
  switch (code) {
    case 1: return 1;
    case 2: return which === 0 ? 1 : -1;
    case 3: return which === 0 ? y : x;
    case 4: return which === 0 ? 1 / y : -(x / y / y); // not x/(y*y): y*y underflows
    case 5: return k === 0 ? 0 : k * ieeePow(x, k - 1);
    case 6: return -1;
    case 7: return out > 0 ? 1 : 0;
    case 8: return 1 - out * out;
    case 9: return out;
    case 10: return 1 / x;
    case 11: return out * (1 - out);
    case 12: return Math.cos(x); // sin' = cos
    case 13: return -Math.sin(x); // cos' = -sin
    case 14: return x > 0 ? 1 : x < 0 ? -1 : 0; // abs' = sign, 0 for 0 and NaN as in torch
    default: throw new Error(`op code ${code} has no derivative rule`);
  }
}

/**
 * By op name, as graph.ieee_forward(op, args, k): used by the shared test vectors.
 * @param {string} op
 * @param {ArrayLike<number>} args
 * @param {number} [k]
 * @returns {number}
 */
export function ieeeForward(op, args, k = NaN) {
  return opForward(OP_CODES[op], args[0], args[1], k);
}

/**
 * By op name, as graph.ieee_local_derivatives(op, args, out, k): one number per operand.
 * @param {string} op
 * @param {ArrayLike<number>} args
 * @param {number} out
 * @param {number} [k] the exponent of "**"
 * @returns {number[]}
 */
export function ieeeLocalDerivatives(op, args, out, k = NaN) {
  const code = OP_CODES[op];
  const result = [];
  for (let which = 0; which < ARITY[code]; which++) {
    result.push(opDerivative(code, which, args[0], args[1], out, k));
  }
  return result;
}

/**
 * What backprop adds to operand `which`'s grad from its node's grad `g`, given that operand's
 * local derivative: `g` times it, except that division's first operand gets `g / y`, as
 * Value.backward and torch compute it (twin of ops.ieee_share): `g * (1/y)` overflows to
 * Infinity for a subnormal `y` where `g / y` is finite, and differs from it by rounding elsewhere.
 * @param {number} code
 * @param {number} which
 * @param {number} y the second operand's value (the divisor)
 * @param {number} local
 * @param {number} g
 * @returns {number}
 */
export function opShare(code, which, y, local, g) {
  return code === DIV && which === 0 ? g / y : local * g;
}

/**
 * By op name, as ops.ieee_share(op, which, args, local, g): used by the shared test vectors.
 * @param {string} op
 * @param {number} which
 * @param {ArrayLike<number>} args
 * @param {number} local
 * @param {number} g
 * @returns {number}
 */
export function ieeeShare(op, which, args, local, g) {
  return opShare(OP_CODES[op], which, args[1], local, g);
}

// --- whole-graph passes ----------------------------------------------------------------------

/**
 * Recompute every computed node of `g` into `data` (leaves are read from `data`).
 * @template {Float64Array | number[]} T
 * @param {ParsedGraph} g
 * @param {T} data
 * @returns {T}
 */
export function forward(g, data) {
  const { size, ops, a, b, k } = g;
  for (let i = 0; i < size; i++) {
    const code = ops[i];
    if (code === 0) continue;
    data[i] = opForward(code, data[a[i]], b[i] >= 0 ? data[b[i]] : NaN, k[i]);
  }
  return data;
}

/**
 * Fill `grad` with d output / d node for the values in `data` (nodes after the output get 0).
 * Like graph.py, every node up to the output passes its gradient down, even a zero one, so that
 * 0 * Infinity turns into NaN here exactly when it does in Python.
 * @template {Float64Array | number[]} T
 * @param {ParsedGraph} g
 * @param {ArrayLike<number>} data
 * @param {T} grad
 * @returns {T}
 */
export function backward(g, data, grad) {
  const { ops, a, b, k, output } = g;
  grad.fill(0);
  grad[output] = 1;
  for (let i = output; i >= 0; i--) {
    const code = ops[i];
    if (code === 0) continue;
    const gi = grad[i];
    const ai = a[i];
    const x = data[ai];
    const out = data[i];
    if (ARITY[code] === 2) {
      const bi = b[i];
      const y = data[bi];
      grad[ai] += opShare(code, 0, y, opDerivative(code, 0, x, y, out, 0), gi);
      grad[bi] += opDerivative(code, 1, x, y, out, 0) * gi;
    } else {
      grad[ai] += opDerivative(code, 0, x, NaN, out, k[i]) * gi;
    }
  }
  return grad;
}

/**
 * A reusable evaluator for one parsed graph, with its own `data` and `grad` arrays.
 * `run(leafValues)` takes {leafId: value} (an object, a Map or [id, value] pairs) and checks the
 * ids; `runLeaves(ids, values)` is the allocation-free path for ids already checked with
 * `checkLeaf`. Both run forward and backward and return {data, grad}.
 * @param {ParsedGraph} g
 * @returns {Evaluator}
 */
export function createEvaluator(g) {
  const data = new Float64Array(g.size);
  const grad = new Float64Array(g.size);
  /**
   * @param {ArrayLike<number>} ids
   * @param {ArrayLike<number>} values
   */
  function runLeaves(ids, values) {
    data.set(g.data);
    for (let j = 0; j < ids.length; j++) data[ids[j]] = values[j];
    forward(g, data);
    backward(g, data, grad);
    return { data, grad };
  }
  return {
    data,
    grad,
    runLeaves,
    run(leafValues) {
      const ids = [];
      const values = [];
      for (const [id, value] of entries(leafValues)) {
        ids.push(checkLeaf(g, Number(id)));
        values.push(Number(value));
      }
      return runLeaves(ids, values);
    },
  };
}

/**
 * `id` if it names a leaf of `g`; otherwise an Error saying what it names instead.
 * @param {ParsedGraph} g
 * @param {unknown} id
 * @returns {number}
 */
export function checkLeaf(g, id) {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= g.size) {
    throw new Error(`node ${id} does not exist`);
  }
  if (g.ops[id] !== 0) throw new Error(`node ${id} is computed (${g.opNames[id]}), not a leaf`);
  return id;
}

/**
 * @param {LeafValues} leafValues
 * @returns {Iterable<[number | string, number]>}
 */
function entries(leafValues) {
  if (leafValues == null) return [];
  if (leafValues instanceof Map || Array.isArray(leafValues)) return leafValues;
  return Object.entries(leafValues);
}

/**
 * Forward and backward with some leaves set to new values, as graph.py's Graph.evaluate:
 * pure (fresh arrays), IEEE rules. `graph` is the JSON or the result of parseGraph.
 * @param {GraphJSON | ParsedGraph} graph
 * @param {LeafValues} leafValues
 * @returns {{data: Float64Array, grad: Float64Array}}
 */
export function evaluate(graph, leafValues) {
  const g = "ops" in graph && graph.ops instanceof Uint8Array ? /** @type {ParsedGraph} */ (graph) : parseGraph(graph);
  const { data, grad } = createEvaluator(g).run(leafValues);
  return { data, grad };
}
