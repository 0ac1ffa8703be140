// Schema-2 graphs (with groups) built in JavaScript for the tests: an MLP as nn.MLP builds it,
// every node in its neuron's group, at any size, without Python. tests/vectors/ops.json holds
// ones Python wrote; these are for sizes too large to check in.

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */
/** @typedef {import("../core/engine.js").NodeJSON} NodeJSON */
/** @typedef {import("../core/groups.js").GroupJSON} GroupJSON */

/**
 * MLP(nin, sizes) applied to inputs x1.., as nn.MLP builds it: groups "", layers.L and
 * layers.L.neurons.N, parameters and neuron outputs with their paths.
 * @param {number} nin
 * @param {number[]} sizes
 * @returns {GraphJSON}
 */
export function groupedMlp(nin, sizes) {
  /** @type {NodeJSON[]} */
  const nodes = [];
  /** @type {GroupJSON[]} */
  const groups = [{ id: 0, path: "", short: "", parent: null, kind: "MLP", outputs: [] }];
  /** @type {(label: string | null, op: string, args: number[], group?: number, path?: string) => number} */
  const add = (label, op, args, group, path) => {
    /** @type {NodeJSON} */
    const n = { id: nodes.length, label, op, args, data: (nodes.length % 7) / 7 - 0.4, grad: 0 };
    if (group !== undefined) n.group = group;
    if (path !== undefined) n.path = path;
    nodes.push(n);
    return nodes.length - 1;
  };
  let xs = Array.from({ length: nin }, (_, i) => add(`x${i + 1}`, "", []));
  sizes.forEach((size, layer) => {
    const lg = groups.length;
    groups.push({ id: lg, path: `layers.${layer}`, parent: 0, kind: "Layer", outputs: [] });
    const outs = [];
    for (let j = 0; j < size; j++) {
      const ng = groups.length;
      const path = `layers.${layer}.neurons.${j}`;
      groups.push({ id: ng, path, parent: lg, kind: "Neuron", outputs: [] });
      let act = add(null, "", [], ng, `${path}.b`);
      xs.forEach((x, i) => {
        act = add(null, "+", [act, add(null, "*", [add(null, "", [], ng, `${path}.w.${i}`), x], ng)], ng);
      });
      const out = layer < sizes.length - 1 ? add(null, "relu", [act], ng) : act;
      nodes[out].path = path;
      groups[ng].outputs = [out];
      groups[lg].outputs?.push(out);
      outs.push(out);
    }
    xs = outs;
  });
  groups[0].outputs = [nodes.length - 1];
  return { schema: 2, output: nodes.length - 1, nodes, groups };
}
