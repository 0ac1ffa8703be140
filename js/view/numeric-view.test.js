// numeric-view.js: what the panel's numerical check says, and that the widget's panel carries it
// for the selected node (leaf or inner) and follows the sliders.
import assert from "node:assert/strict";
import { test } from "node:test";

import { click, mount, move, newWindow } from "../testing/harness.js";
import widget from "../widget.js";
import { numericView } from "./numeric-view.js";

/** @type {import("../core/numeric.js").NumericCheck} */
const CHECK = { id: 0, value: 2, h: 2e-5, estimate: 7.000000000123, grad: 7, relerr: 1.757e-11, status: "agree", note: "" };

test("the section holds the full-precision numbers and says the verdict", () => {
  const v = numericView(CHECK);
  assert.equal(v.attrs["data-numeric"], "agree");
  assert.equal(v.attrs["data-estimate"], "7.000000000123");
  assert.equal(v.attrs["data-grad"], "7");
  assert.equal(v.attrs["data-relerr"], "1.757e-11");
  assert.equal(v.attrs["data-h"], "0.00002");
  const text = (v.children ?? []).map((c) => c.text).join(" | ");
  assert.match(text, /with h = 2e−5: 7; grad 7; relative error 1\.8e−11/);
  assert.match(text, /The estimate agrees with the grad\./);
});

test("a kink gives no verdict and says why; a disagreement says so", () => {
  const kink = numericView({ ...CHECK, status: "kink", note: "not differentiable here: relu meets its kink within v ± h" });
  assert.match(kink.children?.[2].text ?? "", /no verdict: not differentiable here: relu/);
  const bad = numericView({ ...CHECK, estimate: 7, grad: 6, relerr: 1 / 6, status: "disagree" });
  assert.match(bad.children?.[2].text ?? "", /does NOT agree/);
});

test("the widget's panel checks the selected leaf and inner node, and follows a slider", () => {
  const win = newWindow();
  const w = mount(win, widget.render);
  click(win, w.node(0));
  const numeric = () => w.one("[data-panel] [data-numeric]");
  // z = x*y + x**2 at x = 2, y = 3: dz/dx = 7
  assert.equal(numeric().getAttribute("data-numeric"), "agree");
  assert.ok(Math.abs(Number(numeric().getAttribute("data-estimate")) - 7) < 1e-8);
  assert.equal(numeric().getAttribute("data-grad"), "7");
  assert.ok(Number(numeric().getAttribute("data-relerr")) < 1e-6);
  move(win, w.slider("x"), 1, "input"); // dz/dx = y + 2x = 5
  assert.ok(Math.abs(Number(numeric().getAttribute("data-estimate")) - 5) < 1e-8);
  assert.equal(numeric().getAttribute("data-grad"), "5");
  click(win, w.node(3)); // x**2, an inner node: dz/d(x**2) = 1
  assert.ok(Math.abs(Number(numeric().getAttribute("data-estimate")) - 1) < 1e-9);
  assert.equal(numeric().getAttribute("data-numeric"), "agree");
});
