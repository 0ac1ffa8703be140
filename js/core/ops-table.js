// The table of ops, generated from micrograd_magic/ops.py by scripts/generate_ops.py: do not
// edit (tests/test_ops.py fails while this file differs from what that script writes).
// The meaning of each field is documented on micrograd_magic.ops.Op; formulas are JSON arrays.

/**
 * A formula over an op's operands: a number, a name ("a", "b", "out", "k") or [kind, ...args].
 * @typedef {number | string | ReadonlyArray<Formula>} Formula
 */

/**
 * One op (micrograd_magic.ops.Op's fields that the browser needs).
 * @typedef {object} OpEntry
 * @property {string} name as in the graph JSON ("" is the leaf)
 * @property {number} code its index here, the small integer of the engine's hot loops
 * @property {number} arity
 * @property {string} picture the pill's text ("{k}" stands for the exponent)
 * @property {Formula | null} source how it reads in code
 * @property {Formula | null} math how it reads in formulas
 * @property {ReadonlyArray<Formula>} derivatives d out / d operand, one per operand
 * @property {boolean} function whether the cell language calls it as a function
 * @property {ReadonlyArray<number>} kinks operand values where the op has no derivative
 */

/** @type {ReadonlyArray<Readonly<OpEntry>>} */
export const OPS = deepFreeze([
  {"name": "", "code": 0, "arity": 0, "picture": "", "source": null, "math": null, "derivatives": [], "function": false, "kinks": []},
  {"name": "+", "code": 1, "arity": 2, "picture": "+", "source": ["add", "a", "b"], "math": ["add", "a", "b"], "derivatives": [1, 1], "function": false, "kinks": []},
  {"name": "-", "code": 2, "arity": 2, "picture": "−", "source": ["sub", "a", "b"], "math": ["sub", "a", "b"], "derivatives": [1, -1], "function": false, "kinks": []},
  {"name": "*", "code": 3, "arity": 2, "picture": "×", "source": ["code_mul", "a", "b"], "math": ["mul", "a", "b"], "derivatives": ["b", "a"], "function": false, "kinks": []},
  {"name": "/", "code": 4, "arity": 2, "picture": "÷", "source": ["div", "a", "b"], "math": ["div", "a", "b"], "derivatives": [["div", 1, "b"], ["neg", ["div", "a", ["pow", "b", 2]]]], "function": false, "kinks": []},
  {"name": "**", "code": 5, "arity": 1, "picture": "**{k}", "source": ["code_pow", "a", "k"], "math": ["pow", "a", "k"], "derivatives": [["mul", "k", ["pow", "a", ["sub", "k", 1]]]], "function": false, "kinks": []},
  {"name": "neg", "code": 6, "arity": 1, "picture": "neg", "source": ["neg", "a"], "math": ["neg", "a"], "derivatives": [-1], "function": false, "kinks": []},
  {"name": "relu", "code": 7, "arity": 1, "picture": "relu", "source": ["call", "relu", "a"], "math": ["call", "relu", "a"], "derivatives": [["if_positive", "a", 1, 0]], "function": true, "kinks": [0.0]},
  {"name": "tanh", "code": 8, "arity": 1, "picture": "tanh", "source": ["call", "tanh", "a"], "math": ["call", "tanh", "a"], "derivatives": [["sub", 1, ["pow", "out", 2]]], "function": true, "kinks": []},
  {"name": "exp", "code": 9, "arity": 1, "picture": "exp", "source": ["call", "exp", "a"], "math": ["call", "exp", "a"], "derivatives": [["call", "exp", "a"]], "function": true, "kinks": []},
  {"name": "log", "code": 10, "arity": 1, "picture": "log", "source": ["call", "log", "a"], "math": ["call", "log", "a"], "derivatives": [["div", 1, "a"]], "function": true, "kinks": []},
  {"name": "sigmoid", "code": 11, "arity": 1, "picture": "sigmoid", "source": ["call", "sigmoid", "a"], "math": ["call", "σ", "a"], "derivatives": [["mul", "out", ["sub", 1, "out"]]], "function": true, "kinks": []},
  {"name": "sin", "code": 12, "arity": 1, "picture": "sin", "source": ["call", "sin", "a"], "math": ["call", "sin", "a"], "derivatives": [["call", "cos", "a"]], "function": true, "kinks": []},
  {"name": "cos", "code": 13, "arity": 1, "picture": "cos", "source": ["call", "cos", "a"], "math": ["call", "cos", "a"], "derivatives": [["neg", ["call", "sin", "a"]]], "function": true, "kinks": []},
  {"name": "abs", "code": 14, "arity": 1, "picture": "abs", "source": ["call", "abs", "a"], "math": ["call", "abs", "a"], "derivatives": [["call", "sign", "a"]], "function": true, "kinks": [0.0]},
]);

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
  if (value !== null && typeof value === "object") {
    for (const part of Object.values(value)) deepFreeze(part);
    Object.freeze(value);
  }
  return value;
}
