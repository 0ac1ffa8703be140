// compound.js: closed groups as single boxes, open groups as nested drawings, and opening one
// group re-placing only that group and the boxes around it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { CHAR_WIDTH } from "../testing/layout-cases.js";
import { COMPOUND_SPACING, containerGraphs, createCompoundLayout } from "./compound.js";
import { nodeBoxes } from "./geometry.js";

/** @typedef {import("../core/groups.js").GroupTree} GroupTree */

/**
 * @param {number} nin
 * @param {number[]} sizes
 */
function setUp(nin, sizes) {
  const g = parseGraph(groupedMlp(nin, sizes));
  const tree = /** @type {GroupTree} */ (g.groups);
  const boxes = nodeBoxes(g, CHAR_WIDTH);
  return { g, tree, boxes, layouter: createCompoundLayout(g, tree, boxes) };
}

/** @param {GroupTree} tree */
const allGroups = (tree) => new Set(Array.from({ length: tree.count }, (_, i) => i));

/**
 * Boxes of the drawn items in one container must not overlap.
 * @param {Array<{x: number, y: number, w: number, h: number, name: string}>} rects
 */
function assertDisjoint(rects) {
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const p = rects[i];
      const q = rects[j];
      const apart = p.x + p.w <= q.x || q.x + q.w <= p.x || p.y + p.h <= q.y || q.y + q.h <= p.y;
      assert.ok(apart, `${p.name} overlaps ${q.name}`);
    }
  }
}

test("every edge lies in the innermost container of its two ends, between their items there", () => {
  const { g, tree } = setUp(2, [3, 1]);
  const { items, edges } = containerGraphs(g, tree);
  const size = g.size;
  // the inputs are in no group: the top holds them and the MLP's box, with the edges x -> MLP
  assert.deepEqual([...items[0]].sort((p, q) => p - q), [0, 1, size]);
  const top = [...edges[0]];
  assert.deepEqual(top, [0, size, 1, size]);
  const layer0 = /** @type {number} */ (tree.byPath.get("layers.0"));
  const layer1 = /** @type {number} */ (tree.byPath.get("layers.1"));
  // inside the MLP: layer 0 feeds layer 1, once however many values cross
  assert.deepEqual([...edges[1]], [size + layer0, size + layer1]);
  // inside a neuron: its own nodes only, w*x and the sum chain
  const neuron = /** @type {number} */ (tree.byPath.get("layers.0.neurons.1"));
  for (const item of items[neuron + 1]) assert.ok(item < size && tree.nodeGroup[item] === neuron);
});

test("closed groups are single boxes: nothing inside them is placed", () => {
  const { g, tree, layouter } = setUp(2, [4, 4, 1]);
  const closed = layouter.layout(new Set());
  assert.ok(Number.isFinite(closed.groupLeft[0]) && closed.groupWidth[0] === COMPOUND_SPACING.closedWidth);
  for (let grp = 1; grp < tree.count; grp++) assert.ok(Number.isNaN(closed.groupLeft[grp]));
  for (let i = 0; i < g.size; i++) {
    assert.equal(Number.isFinite(closed.nodeLeft[i]), tree.nodeGroup[i] < 0, `node ${i}`);
  }
  const mlpOpen = layouter.layout(new Set([0]));
  const layers = tree.children[0];
  for (const grp of layers) assert.equal(mlpOpen.groupWidth[grp], COMPOUND_SPACING.closedWidth);
  // the layers stand left to right in data order
  assert.ok(mlpOpen.groupLeft[layers[0]] < mlpOpen.groupLeft[layers[1]]);
  assert.ok(mlpOpen.groupLeft[layers[1]] < mlpOpen.groupLeft[layers[2]]);
});

test("open groups are nested drawings: every drawn item inside its box, siblings apart", () => {
  const { g, tree, boxes, layouter } = setUp(2, [4, 4, 1]);
  const all = layouter.layout(allGroups(tree));
  const size = g.size;
  for (let i = 0; i < size; i++) assert.ok(Number.isFinite(all.nodeLeft[i]), `node ${i} drawn`);
  /** @type {Map<number, Array<{x: number, y: number, w: number, h: number, name: string}>>} */
  const byContainer = new Map();
  const put = (/** @type {number} */ c, /** @type {any} */ rect) => {
    byContainer.set(c, [...(byContainer.get(c) ?? []), rect]);
    if (c < 0) return;
    const inside =
      rect.x >= all.groupLeft[c] &&
      rect.y >= all.groupTop[c] + COMPOUND_SPACING.header &&
      rect.x + rect.w <= all.groupLeft[c] + all.groupWidth[c] &&
      rect.y + rect.h <= all.groupTop[c] + all.groupHeight[c];
    assert.ok(inside, `${rect.name} inside group ${tree.paths[c]}`);
  };
  for (let i = 0; i < size; i++) {
    put(tree.nodeGroup[i], { x: all.nodeLeft[i], y: all.nodeTop[i], w: boxes[i].width, h: boxes[i].height, name: `node ${i}` });
  }
  for (let grp = 0; grp < tree.count; grp++) {
    const rect = { x: all.groupLeft[grp], y: all.groupTop[grp], w: all.groupWidth[grp], h: all.groupHeight[grp], name: tree.paths[grp] };
    put(tree.parent[grp], rect);
  }
  for (const rects of byContainer.values()) assertDisjoint(rects);
  assert.ok(all.width >= all.groupLeft[0] + all.groupWidth[0]);
  // edges run left to right in every container (each item graph of an MLP is acyclic)
  for (const e of all.edges) assert.ok(e.points[0][0] < e.points[1][0], `edge ${e.from} -> ${e.to}`);
});

test("opening one group arranges it alone and re-places only it and the boxes around it", () => {
  const { tree, layouter } = setUp(3, [5, 5, 1]);
  const open = allGroups(tree);
  const neuron = /** @type {number} */ (tree.byPath.get("layers.1.neurons.2"));
  const sibling = /** @type {number} */ (tree.byPath.get("layers.0.neurons.1"));
  open.delete(neuron);
  const before = layouter.layout(open);
  const arranged = layouter.stats.arranged;
  const placed = layouter.stats.placed;
  assert.equal(arranged, tree.count); // every container but the closed neuron, and the top
  open.add(neuron);
  const after = layouter.layout(open);
  assert.equal(layouter.stats.arranged, arranged + 1, "only the opened neuron is arranged");
  // the neuron, its layer, the MLP and the top: nothing else is placed again
  assert.equal(layouter.stats.placed, placed + 4);
  // inside an untouched container every item keeps its place relative to the container's box
  const dx = after.groupLeft[sibling] - before.groupLeft[sibling];
  const dy = after.groupTop[sibling] - before.groupTop[sibling];
  for (let i = 0; i < tree.nodeGroup.length; i++) {
    if (tree.nodeGroup[i] !== sibling) continue;
    assert.equal(after.nodeLeft[i] - before.nodeLeft[i], dx);
    assert.equal(after.nodeTop[i] - before.nodeTop[i], dy);
  }
  // and closing it again arranges nothing
  open.delete(neuron);
  const closedAgain = layouter.layout(open);
  assert.equal(layouter.stats.arranged, arranged + 1);
  assert.deepEqual(closedAgain, before);
});

test("the same graph and open groups give the same drawing every time", () => {
  const first = setUp(2, [3, 3, 1]);
  const second = setUp(2, [3, 3, 1]);
  const open = new Set([0, 1, 2]);
  assert.deepEqual(first.layouter.layout(open), second.layouter.layout(open));
});
