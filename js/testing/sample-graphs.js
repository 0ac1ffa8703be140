// Schema-1 graphs built in JavaScript for the tests: the shapes the widget meets (wide
// reductions, MLPs, arbitrary expressions with shared operands), at any size, without Python.

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */
/** @typedef {import("../core/engine.js").NodeJSON} NodeJSON */

/**
 * z = x*y + x**2 at x = 2, y = 3 with its gradients (dz/dx = 7, dz/dy = 2), then the `extra`
 * nodes: the small graph whose every number the engine, layout, panel and controls tests know.
 * @param {...NodeJSON} extra
 * @returns {GraphJSON}
 */
export function xyz(...extra) {
  return {
    schema: 1,
    output: 4,
    nodes: [
      { id: 0, label: "x", op: "", args: [], data: 2, grad: 7 },
      { id: 1, label: "y", op: "", args: [], data: 3, grad: 2 },
      { id: 2, label: null, op: "*", args: [0, 1], data: 6, grad: 1 },
      { id: 3, label: null, op: "**", args: [0], k: 2, data: 4, grad: 1 },
      { id: 4, label: "z", op: "+", args: [2, 3], data: 10, grad: 1 },
      ...extra,
    ],
  };
}

/**
 * A graph of `n` inputs summed pairwise, level by level, like a wide reduction: n - 1 adds.
 * @param {number} n
 * @returns {GraphJSON}
 */
export function sumTree(n) {
  /** @type {NodeJSON[]} */
  const nodes = [];
  let level = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: i, label: `x${i}`, op: "", args: [], data: i, grad: 1 });
    level.push(i);
  }
  while (level.length > 1) {
    const next = [];
    for (let j = 0; j + 1 < level.length; j += 2) {
      nodes.push({ id: nodes.length, label: null, op: "+", args: [level[j], level[j + 1]], data: 0, grad: 1 });
      next.push(nodes.length - 1);
    }
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return { schema: 1, output: nodes.length - 1, nodes };
}

/**
 * The output graph of micrograd_magic's nn.MLP(nin, sizes) on labelled inputs x1..: each neuron
 * sums b + w1*x1 + w2*x2 + ... left to right and applies relu, except in the last layer.
 * Numbers are placeholders (a layout never reads them).
 * @param {number} nin
 * @param {number[]} sizes
 * @returns {GraphJSON}
 */
export function mlp(nin, sizes) {
  /** @type {NodeJSON[]} */
  const nodes = [];
  /** @type {(label: string | null, op: string, args: number[]) => number} */
  const add = (label, op, args) => {
    nodes.push({ id: nodes.length, label, op, args, data: 0, grad: 0 });
    return nodes.length - 1;
  };
  let xs = Array.from({ length: nin }, (_, i) => add(`x${i + 1}`, "", []));
  sizes.forEach((size, layer) => {
    const outs = [];
    for (let j = 0; j < size; j++) {
      let act = add(null, "", []);
      for (const x of xs) act = add(null, "+", [act, add(null, "*", [add(null, "", []), x])]);
      outs.push(layer < sizes.length - 1 ? add(null, "relu", [act]) : act);
    }
    xs = outs;
  });
  nodes[nodes.length - 1].label = "out";
  return { schema: 1, output: nodes.length - 1, nodes };
}

/**
 * A random expression graph of `n` nodes (seeded, so always the same for a seed): a few labelled
 * inputs, then unary and binary ops on earlier values, mostly recent ones, sometimes one value
 * used twice (x * x).
 * @param {number} n
 * @param {number} seed
 * @returns {GraphJSON}
 */
export function randomGraph(n, seed) {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const leaves = Math.max(2, Math.floor(n / 6));
  /** @type {NodeJSON[]} */
  const nodes = [];
  for (let i = 0; i < Math.min(leaves, n); i++) {
    nodes.push({ id: i, label: `v${i}`, op: "", args: [], data: 1, grad: 0 });
  }
  const ops = ["+", "-", "*", "/", "tanh", "exp", "relu", "**"];
  for (let i = nodes.length; i < n; i++) {
    const op = ops[Math.floor(random() * ops.length)];
    const pick = () => i - 1 - Math.floor(random() ** 3 * i);
    const a = pick();
    const args = ["+", "-", "*", "/"].includes(op) ? [a, random() < 0.1 ? a : pick()] : [a];
    nodes.push({ id: i, label: null, op, args, ...(op === "**" ? { k: 2 } : {}), data: 1, grad: 0 });
  }
  return { schema: 1, output: n - 1, nodes };
}
