// navigation.js: columns from a layout, and where each arrow key moves the focus.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { nodeBoxes } from "../layout/geometry.js";
import { layoutGraph } from "../layout/index.js";
import { createNavigation, moveFocus } from "./navigation.js";

// Three columns: leaves 0 (top) and 1, then 2 (top) and 3, then 4 alone.
//   0 ─┐      2
//   1 ─┘      3      4
const CX = [10, 10, 50, 50, 90];
const CY = [0, 40, 0, 60, 30];

test("columns left to right, each top to bottom; reading order follows them", () => {
  const nav = createNavigation(CX, CY);
  assert.deepEqual(nav.columns, [[0, 1], [2, 3], [4]]);
  assert.deepEqual(nav.order, [0, 1, 2, 3, 4]);
  assert.deepEqual([...nav.column], [0, 0, 1, 1, 2]);
  assert.deepEqual([...nav.row], [0, 1, 0, 1, 0]);
});

test("up and down stay in the column and stop at its ends", () => {
  const nav = createNavigation(CX, CY);
  assert.equal(moveFocus(nav, 0, "ArrowDown"), 1);
  assert.equal(moveFocus(nav, 1, "ArrowDown"), 1);
  assert.equal(moveFocus(nav, 1, "ArrowUp"), 0);
  assert.equal(moveFocus(nav, 0, "ArrowUp"), 0);
  assert.equal(moveFocus(nav, 4, "ArrowDown"), 4);
});

test("left and right go to the nearest node of the next column, the upper one on a tie", () => {
  const nav = createNavigation(CX, CY);
  assert.equal(moveFocus(nav, 0, "ArrowRight"), 2);
  assert.equal(moveFocus(nav, 1, "ArrowRight"), 3, "y 40 is nearer 60 than 0");
  assert.equal(moveFocus(nav, 4, "ArrowLeft"), 2, "y 30 is as near to 0 as to 60");
  assert.equal(moveFocus(nav, 3, "ArrowLeft"), 1);
  assert.equal(moveFocus(nav, 4, "ArrowRight"), 4, "nothing right of the last column");
  assert.equal(moveFocus(nav, 0, "ArrowLeft"), 0);
});

test("Home and End go to the first and last node; other keys do not navigate", () => {
  const nav = createNavigation(CX, CY);
  assert.equal(moveFocus(nav, 3, "Home"), 0);
  assert.equal(moveFocus(nav, 0, "End"), 4);
  assert.equal(moveFocus(nav, 0, "Enter"), null);
  assert.equal(moveFocus(nav, 0, "a"), null);
});

test("centres a fraction of a pixel apart share a column; one more than that apart do not", () => {
  const nav = createNavigation([0, 0.3, 0.6, 1.2], [0, 10, 20, 0]);
  assert.deepEqual(nav.columns, [[0, 1], [2], [3]]);
});

test("an empty graph navigates nowhere", () => {
  assert.equal(moveFocus(createNavigation([], []), 0, "ArrowUp"), null);
});

test("on a real layout every node is reachable with the arrow keys from the output", () => {
  const json = {
    schema: 1,
    output: 6,
    nodes: [
      { id: 0, label: "x1", op: "", args: [] },
      { id: 1, label: "w1", op: "", args: [] },
      { id: 2, label: "x2", op: "", args: [] },
      { id: 3, label: "w2", op: "", args: [] },
      { id: 4, label: null, op: "*", args: [0, 1] },
      { id: 5, label: null, op: "*", args: [2, 3] },
      { id: 6, label: "n", op: "+", args: [4, 5] },
    ],
  };
  const g = parseGraph(json);
  const boxes = nodeBoxes(g, 7.3);
  const layout = layoutGraph(g, boxes);
  const cx = boxes.map((b, i) => layout.left[i] + b.width / 2);
  const cy = boxes.map((b, i) => layout.top[i] + b.height / 2);
  const nav = createNavigation(cx, cy);
  assert.equal(nav.columns.length, 3, "the layout's columns are the columns");
  assert.equal(nav.order.at(-1), 6, "the output is last");
  const seen = new Set([6]);
  const queue = [6];
  while (queue.length) {
    const id = /** @type {number} */ (queue.shift());
    for (const key of ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]) {
      const next = moveFocus(nav, id, key);
      assert.ok(next !== null, `${key} is a navigation key`);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  assert.equal(seen.size, 7);
});
