// The group tree of a schema-2 graph (graph.py's Graph.to_json, micrograd_magic/groups.py):
// which module call or group() block built each node, and the paths the page shows.
//
// Read once per graph into typed arrays, like the rest of the parsed graph, so that the layout
// and the drawing can walk ten thousand nodes' groups without allocating per node.

/**
 * One group of the schema-2 graph JSON.
 * @typedef {object} GroupJSON
 * @property {number} id its index in `groups`
 * @property {string} path the dotted path (`layers.0.neurons.3`; "" for the top-level module)
 * @property {string} [short] the picture's short form (`L1.N4`)
 * @property {number | null} parent the enclosing group's id, an earlier one
 * @property {string} [kind] the module's class name, or "group" for a group() block
 * @property {number[]} [outputs] the ids of the nodes used outside the group (or the output)
 */

/**
 * The parsed group tree: one entry per group by id (parents before children), one per node.
 * @typedef {object} GroupTree
 * @property {number} count the number of groups
 * @property {string[]} paths
 * @property {string[]} shorts
 * @property {string[]} kinds
 * @property {Int32Array} parent the enclosing group's id, -1 at the top
 * @property {Int32Array} depth 1 for a top-level group, 2 for its children ...
 * @property {number[][]} outputs each group's output node ids
 * @property {number[][]} children each group's child group ids
 * @property {Int32Array} nodeGroup each node's innermost group, -1 for none
 * @property {Array<string | null>} nodePath each node's dotted path (parameters, module outputs)
 * @property {Array<string | null>} nodeShort the short form of nodePath
 * @property {Map<string, number>} byPath path -> group id
 */

/**
 * Read and check the group tree of a schema-2 graph of `size` nodes (the same checks as
 * graph.py's _validate_groups). `nodes` are the graph's node objects, for their group fields.
 * @param {unknown} raw the `groups` list
 * @param {ReadonlyArray<{group?: unknown, path?: unknown, short?: unknown}>} nodes
 * @returns {GroupTree}
 */
export function parseGroups(raw, nodes) {
  if (!Array.isArray(raw)) throw new Error("a schema-2 graph needs a 'groups' list");
  const count = raw.length;
  const size = nodes.length;
  const parent = new Int32Array(count).fill(-1);
  const depth = new Int32Array(count);
  /** @type {string[]} */ const paths = [];
  /** @type {string[]} */ const shorts = [];
  /** @type {string[]} */ const kinds = [];
  /** @type {number[][]} */ const outputs = [];
  /** @type {number[][]} */ const children = [];
  /** @type {Map<string, number>} */ const byPath = new Map();
  for (let i = 0; i < count; i++) {
    /** @type {GroupJSON} */
    const g = raw[i];
    if (g === null || typeof g !== "object" || g.id !== i) {
      throw new Error(`group ${i}: expected an object with 'id': ${i}`);
    }
    if (typeof g.path !== "string" || byPath.has(g.path)) {
      throw new Error(`group ${i}: its path must be a string unique in the graph`);
    }
    const p = g.parent ?? null;
    if (p !== null && !(Number.isInteger(p) && p >= 0 && p < i)) {
      throw new Error(`group ${i}: its parent must be the id of an earlier group`);
    }
    const outs = g.outputs ?? [];
    if (!Array.isArray(outs) || outs.some((o) => !Number.isInteger(o) || o < 0 || o >= size)) {
      throw new Error(`group ${i}: its outputs must be node ids`);
    }
    byPath.set(g.path, i);
    paths.push(g.path);
    shorts.push(typeof g.short === "string" ? g.short : g.path);
    kinds.push(typeof g.kind === "string" ? g.kind : "group");
    outputs.push(outs);
    children.push([]);
    if (p !== null) {
      parent[i] = p;
      depth[i] = depth[p] + 1;
      children[p].push(i);
    } else {
      depth[i] = 1;
    }
  }
  const nodeGroup = new Int32Array(size).fill(-1);
  /** @type {Array<string | null>} */ const nodePath = new Array(size).fill(null);
  /** @type {Array<string | null>} */ const nodeShort = new Array(size).fill(null);
  for (let i = 0; i < size; i++) {
    const n = nodes[i];
    const g = n.group ?? null;
    if (g !== null) {
      if (!Number.isInteger(g) || /** @type {number} */ (g) < 0 || /** @type {number} */ (g) >= count) {
        throw new Error(`node ${i}: group ${JSON.stringify(g)} is not a group id`);
      }
      nodeGroup[i] = /** @type {number} */ (g);
    }
    if (typeof n.path === "string") {
      nodePath[i] = n.path;
      nodeShort[i] = typeof n.short === "string" ? n.short : n.path;
    }
  }
  return { count, paths, shorts, kinds, parent, depth, outputs, children, nodeGroup, nodePath, nodeShort, byPath };
}

/**
 * The ancestor of group `g` (or `g` itself) at `depth`; -1 when `g` is shallower.
 * @param {GroupTree} tree
 * @param {number} g a group id, or -1 for the top
 * @param {number} depth
 * @returns {number}
 */
export function ancestorAt(tree, g, depth) {
  if (g < 0 || tree.depth[g] < depth) return -1;
  let h = g;
  while (tree.depth[h] > depth) h = tree.parent[h];
  return h;
}

/**
 * The outermost closed group that hides node `node` when the groups in `open` are open, or -1
 * when the node is drawn (every group around it is open).
 * @param {GroupTree} tree
 * @param {number} node
 * @param {ReadonlySet<number>} open ids of the open groups
 * @returns {number}
 */
export function hidingGroup(tree, node, open) {
  let hiding = -1;
  for (let g = tree.nodeGroup[node]; g >= 0; g = tree.parent[g]) {
    if (!open.has(g)) hiding = g;
  }
  return hiding;
}
