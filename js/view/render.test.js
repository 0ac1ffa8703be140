// The pure parts of the drawing (markup.js, grad-look.js): node tooltips, markup escaping, how a
// gradient looks on its node.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { gradLook } from "./grad-look.js";
import { describe, escapeXml } from "./markup.js";

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
  assert.equal(describe(G, 5, inputs), "loss = …**2*w  (output)", "code notation, one level of nesting");
});

test("labels are escaped for markup", () => {
  assert.equal(escapeXml(`a<b & "c" 'd'>`), "a&#60;b &#38; &#34;c&#34; &#39;d&#39;&#62;");
});

test("a grad's look: its sign, and four levels of emphasis with zero and nonfinite apart", () => {
  assert.deepEqual(gradLook(0, 7), { sign: "zero", level: 0 });
  assert.deepEqual(gradLook(-0, 7), { sign: "zero", level: 0 });
  assert.deepEqual(gradLook(7, 7), { sign: "pos", level: 4 });
  assert.deepEqual(gradLook(-7, 7), { sign: "neg", level: 4 });
  assert.deepEqual(gradLook(NaN, 7), { sign: "nonfinite", level: 4 });
  assert.deepEqual(gradLook(-Infinity, 7), { sign: "nonfinite", level: 4 });
  // one decade below the largest is emphasis 0.75 -> level 3; 1e-4 of it and below, the faintest
  assert.equal(gradLook(0.7, 7).level, 3);
  assert.equal(gradLook(0.07, 7).level, 2);
  assert.equal(gradLook(7e-3, 7).level, 1);
  assert.equal(gradLook(7e-9, 7).level, 1, "tiny but not zero: never looks like zero");
  assert.equal(gradLook(3, 0).level, 4, "no finite scale: full emphasis");
});
