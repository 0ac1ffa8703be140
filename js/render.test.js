// The pure parts of render.js: node tooltips and markup escaping.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "./engine.js";
import { describe, escapeXml } from "./render.js";

const G = parseGraph({
  schema: 1,
  output: 5,
  nodes: [
    { id: 0, label: "x", op: "", args: [], data: 2, grad: 0 },
    { id: 1, label: null, op: "", args: [], data: 3, grad: 0 },
    { id: 2, label: "w", op: "", args: [], data: -1, grad: 0 },
    { id: 3, label: null, op: "-", args: [1, 0], data: 1, grad: 0 },
    { id: 4, label: null, op: "**", args: [3], k: 2, data: 1, grad: 0 },
    { id: 5, label: "loss", op: "*", args: [4, 2], data: -1, grad: 1 },
  ],
});

test("tooltips say what a node is and how it was computed", () => {
  const inputs = new Set([0]);
  assert.equal(describe(G, 0, inputs), "x: input (move its slider)");
  assert.equal(describe(G, 1, inputs), "leaf without a label (a constant or a parameter)");
  assert.equal(describe(G, 2, inputs), "w: leaf");
  assert.equal(describe(G, 3, inputs), "3 − x", "operand order kept, constants shown by value");
  assert.equal(describe(G, 4, inputs), "(3 − x)**2");
  assert.equal(describe(G, 5, inputs), "loss = (…**2) × w  (output)", "one level of nesting");
});

test("labels are escaped for markup", () => {
  assert.equal(escapeXml(`a<b & "c" 'd'>`), "a&#60;b &#38; &#34;c&#34; &#39;d&#39;&#62;");
});
