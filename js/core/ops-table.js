// The table of ops, generated from micrograd_magic/ops.py by scripts/generate_ops.py: do not
// edit (tests/test_ops.py fails while this file differs from what that script writes).
// The meaning of each field is documented on micrograd_magic.ops.Op; formulas are JSON arrays.

/** @type {ReadonlyArray<Readonly<{name: string, code: number, arity: number, picture: string,
 *  source: any, math: any, derivatives: ReadonlyArray<any>, function: boolean}>>} */
export const OPS = deepFreeze([
  {"name": "", "code": 0, "arity": 0, "picture": "", "source": null, "math": null, "derivatives": [], "function": false},
  {"name": "+", "code": 1, "arity": 2, "picture": "+", "source": ["add", "a", "b"], "math": ["add", "a", "b"], "derivatives": [1, 1], "function": false},
  {"name": "-", "code": 2, "arity": 2, "picture": "−", "source": ["sub", "a", "b"], "math": ["sub", "a", "b"], "derivatives": [1, -1], "function": false},
  {"name": "*", "code": 3, "arity": 2, "picture": "×", "source": ["code_mul", "a", "b"], "math": ["mul", "a", "b"], "derivatives": ["b", "a"], "function": false},
  {"name": "/", "code": 4, "arity": 2, "picture": "÷", "source": ["div", "a", "b"], "math": ["div", "a", "b"], "derivatives": [["div", 1, "b"], ["neg", ["div", "a", ["pow", "b", 2]]]], "function": false},
  {"name": "**", "code": 5, "arity": 1, "picture": "**{k}", "source": ["code_pow", "a", "k"], "math": ["pow", "a", "k"], "derivatives": [["mul", "k", ["pow", "a", ["sub", "k", 1]]]], "function": false},
  {"name": "neg", "code": 6, "arity": 1, "picture": "neg", "source": ["neg", "a"], "math": ["neg", "a"], "derivatives": [-1], "function": false},
  {"name": "relu", "code": 7, "arity": 1, "picture": "relu", "source": ["call", "relu", "a"], "math": ["call", "relu", "a"], "derivatives": [["if_positive", "a", 1, 0]], "function": true},
  {"name": "tanh", "code": 8, "arity": 1, "picture": "tanh", "source": ["call", "tanh", "a"], "math": ["call", "tanh", "a"], "derivatives": [["sub", 1, ["pow", "out", 2]]], "function": true},
  {"name": "exp", "code": 9, "arity": 1, "picture": "exp", "source": ["call", "exp", "a"], "math": ["call", "exp", "a"], "derivatives": [["call", "exp", "a"]], "function": true},
  {"name": "log", "code": 10, "arity": 1, "picture": "log", "source": ["call", "log", "a"], "math": ["call", "log", "a"], "derivatives": [["div", 1, "a"]], "function": true},
  {"name": "sigmoid", "code": 11, "arity": 1, "picture": "sigmoid", "source": ["call", "sigmoid", "a"], "math": ["call", "σ", "a"], "derivatives": [["mul", "out", ["sub", 1, "out"]]], "function": true},
  {"name": "sin", "code": 12, "arity": 1, "picture": "sin", "source": ["call", "sin", "a"], "math": ["call", "sin", "a"], "derivatives": [["call", "cos", "a"]], "function": true},
  {"name": "cos", "code": 13, "arity": 1, "picture": "cos", "source": ["call", "cos", "a"], "math": ["call", "cos", "a"], "derivatives": [["neg", ["call", "sin", "a"]]], "function": true},
  {"name": "abs", "code": 14, "arity": 1, "picture": "abs", "source": ["call", "abs", "a"], "math": ["call", "abs", "a"], "derivatives": [["call", "sign", "a"]], "function": true},
]);

function deepFreeze(value) {
  if (value !== null && typeof value === "object") {
    for (const part of Object.values(value)) deepFreeze(part);
    Object.freeze(value);
  }
  return value;
}
