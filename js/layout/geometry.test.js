// geometry.js: node boxes, op pill texts, operand ports and edge curves.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseGraph } from "../core/engine.js";
import { METRICS, edgePath, inPort, nodeBoxes, opText, shownLabel } from "./geometry.js";

const CHAR = 7.3;

test("an op's first operand enters above its second, so a - b keeps its order", () => {
  const box = { height: 53 };
  assert.ok(inPort(box, 0, 2).y < inPort(box, 1, 2).y);
  assert.equal(inPort(box, 0, 1).y, 26.5);
});

test("node boxes: leaves have no op pill, labels widen the card, long labels are cut", () => {
  const json = {
    schema: 1,
    output: 2,
    nodes: [
      { id: 0, label: "a_rather_long_variable_name_indeed", op: "", args: [], data: 1, grad: 0 },
      { id: 1, label: null, op: "**", args: [0], k: -2.5, data: 1, grad: 0 },
      { id: 2, label: "z", op: "tanh", args: [1], data: 1, grad: 1 },
    ],
  };
  const g = parseGraph(json);
  const [leaf, pow, out] = nodeBoxes(g, CHAR);
  assert.equal(leaf.opWidth, 0);
  assert.equal(leaf.cardX, 0);
  assert.equal(leaf.label.length, METRICS.labelMaxChars);
  assert.ok(leaf.label.endsWith("…"));
  assert.ok(leaf.width > out.cardWidth, "a long label makes a wider card");
  assert.equal(pow.op, "**-2.5");
  assert.equal(pow.headerHeight, 0, "no header without a label");
  assert.equal(pow.height, 2 * METRICS.rowHeight);
  assert.equal(out.height, METRICS.headerHeight + 2 * METRICS.rowHeight);
  assert.ok(out.cardX > out.opWidth, "a stub separates the pill from the card");
});

test("op pills read like the Python a student typed, exponents like the numbers on the nodes", () => {
  assert.deepEqual(
    ["+", "-", "*", "/", "neg", "relu", "sigmoid", "sin", "cos", "abs"].map((op) => opText(op)),
    ["+", "−", "×", "÷", "neg", "relu", "sigmoid", "sin", "cos", "abs"],
  );
  assert.equal(opText("**", 2), "**2");
  assert.equal(opText("**", 1 / 3), "**0.3333", "4 significant digits, as formatNumber");
  assert.equal(opText("**", -2.5), "**-2.5");
  assert.equal(opText("**", 123456), "**1.235e+5");
  assert.equal(shownLabel(null), "");
});

test("edge paths are smooth curves through every route point", () => {
  const d = edgePath([{ x: 0, y: 0 }, { x: 10, y: 5 }, { x: 30, y: 5 }]);
  assert.equal(d, "M0,0C5,0 5,5 10,5C20,5 20,5 30,5");
});
