// widget.js in a DOM (jsdom), driven through the exported page's own model (host.js): what a
// slider move, a click, a key and the step buttons do to the model's state and to what is drawn,
// and how the widget follows the model when the kernel changes it. One group of tests per
// feature of widget.js's list; widget/controller.test.js tests the controller itself.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { INPUTS, click, mount, move, newWindow, nextFrame, press } from "./testing/harness.js";
import { mlp } from "./testing/sample-graphs.js";
import widget, { FEATURES, SYNC_DELAY_MS } from "./widget.js";

/** @type {import("./testing/harness.js").DOMWindow} */
let win = newWindow();
beforeEach(() => {
  win = newWindow();
});

/** @param {Record<string, unknown>} [state] */
const open = (state) => mount(win, widget.render, state);

test("the widget is these features, in this order", () => {
  assert.deepEqual(
    FEATURES.map((f) => f.name),
    ["scene", "inputs", "stepping", "zoom", "legend", "selection", "details", "keyboard", "descent", "nonfinite", "textsize", "quiz", "lesson", "storyboard", "network"],
  );
});

// --- numbers and inputs ----------------------------------------------------------------------

test("the graph is drawn with the numbers of the model's graph", () => {
  const w = open();
  assert.equal(w.el.querySelectorAll("[data-node-id]").length, 5);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.data), ["2", "3", "6", "4", "10"]);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["7", "2", "1", "1", "1"]);
  assert.equal(w.slider("x").value, "2");
  assert.equal(w.node(4).getAttribute("data-output"), "true");
});

test("a slider move redraws the numbers at once and tells the model when the drag rests", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const w = open();
  move(win, w.slider("x"), 1, "input");
  // x = 1: z = 1*3 + 1 = 4, dz/dx = 3 + 2 = 5, dz/dy = 1
  assert.deepEqual([w.data(0), w.data(2), w.data(3), w.data(4)], ["1", "3", "1", "4"]);
  assert.deepEqual([w.grad(0), w.grad(1)], ["5", "1"]);
  assert.equal(w.model.get("inputs")[0].value, 2, "not yet: the drag may go on");
  t.mock.timers.tick(SYNC_DELAY_MS - 1);
  move(win, w.slider("x"), 1.5, "input");
  t.mock.timers.tick(SYNC_DELAY_MS - 1);
  assert.equal(w.model.get("inputs")[0].value, 2, "each move restarts the wait");
  t.mock.timers.tick(1);
  assert.deepEqual(
    w.model.get("inputs").map((/** @type {{value: number}} */ s) => s.value),
    [1.5, 3],
  );
  assert.deepEqual(w.model.get("inputs")[0], { ...INPUTS[0], value: 1.5 }, "only the value changes");
});

test("the end of a drag (change) tells the model at once, and only once", () => {
  const w = open();
  /** @type {number[][]} */
  const heard = [];
  w.model.on("change:inputs", (/** @type {Array<{value: number}>} */ inputs) => heard.push(inputs.map((s) => s.value)));
  move(win, w.slider("y"), -1, "change");
  move(win, w.slider("y"), -1, "change");
  assert.deepEqual(heard, [[2, -1]]);
  assert.equal(w.data(4), String(2 * -1 + 4));
  assert.equal(w.grad(0), String(-1 + 2 * 2));
});

test("a kernel snap-back wins over a drag value not yet sent", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const w = open();
  move(win, w.slider("x"), 4, "input");
  w.model.set(
    "inputs",
    INPUTS.map((s) => ({ ...s })),
  );
  t.mock.timers.tick(SYNC_DELAY_MS);
  assert.equal(w.model.get("inputs")[0].value, 2);
  assert.equal(w.data(0), "2");
  assert.equal(w.slider("x").value, "2");
});

test("a host that cannot save (no kernel) keeps the page's own state", () => {
  const w = open();
  w.model.save_changes = () => {
    throw new Error("save_changes not implemented");
  };
  move(win, w.slider("x"), 1, "change");
  click(win, w.node(0));
  assert.equal(w.data(4), "4", "the drag still recomputes");
  assert.equal(w.node(0).getAttribute("data-selected"), "true", "the click still selects");
});

test("new numbers for the same graph keep the drawing and the selection; a new structure draws anew", () => {
  const w = open({ selected: 3 });
  const before = w.node(2);
  const graph = w.model.get("graph");
  w.model.set("graph", { ...graph, nodes: graph.nodes.map((/** @type {object} */ n, /** @type {number} */ i) => (i === 2 ? { ...n, data: 6.5 } : n)) });
  assert.equal(w.node(2), before, "the same elements");
  assert.equal(w.data(2), "6.5");
  assert.equal(w.node(3).getAttribute("data-selected"), "true");
  w.model.set("inputs", []);
  w.model.set("graph", mlp(2, [2, 1]));
  assert.equal(w.el.querySelectorAll("[data-node-id]").length, mlp(2, [2, 1]).nodes.length);
  assert.equal(w.el.querySelectorAll("input[data-input]").length, 0);
});

test("a graph the engine cannot read is reported in the widget, not thrown", () => {
  const w = open({ graph: { schema: 2, nodes: [] }, inputs: [] });
  assert.match(w.el.textContent ?? "", /cannot draw this graph/);
  w.model.set("inputs", INPUTS.map((s) => ({ ...s })));
  assert.match(w.el.textContent ?? "", /cannot draw this graph/, "still, and without throwing");
});

test("an input that names a computed node is reported with its name", () => {
  const w = open({ inputs: [{ ...INPUTS[0], name: "zz", id: 4 }] });
  assert.match(w.el.textContent ?? "", /input 'zz': node 4 is computed \(\+\), not a leaf/);
});

// --- selection and details -------------------------------------------------------------------

test("a click on a node selects it in the model and marks it; a click on the background clears", () => {
  const w = open();
  click(win, w.node(0));
  assert.equal(w.model.get("selected"), 0);
  assert.equal(w.node(0).getAttribute("data-selected"), "true");
  assert.equal(w.one("[data-panel]").getAttribute("data-panel-node"), "0");
  assert.equal(w.node(4).getAttribute("data-path"), "true", "x's paths to the output are marked");
  click(win, w.one(".mgm-nodes"));
  assert.equal(w.model.get("selected"), null);
  assert.equal(w.node(0).hasAttribute("data-selected"), false);
  assert.equal(w.node(4).hasAttribute("data-path"), false);
});

test("Enter selects the focused node, and Escape anywhere in the widget clears", () => {
  const w = open();
  assert.equal(press(win, w.node(2), "Enter"), true);
  assert.equal(w.model.get("selected"), 2);
  assert.equal(press(win, w.slider("x"), "Escape"), true);
  assert.equal(w.model.get("selected"), null);
  assert.equal(press(win, w.slider("x"), "Escape"), false, "nothing to clear: the key is not taken");
});

test("the details panel explains the selected node and follows the numbers", () => {
  const w = open();
  assert.match(w.one("[data-panel]").textContent ?? "", /Click a node/);
  click(win, w.node(0));
  const terms = () => [...w.el.querySelectorAll("[data-term]")].map((t) => t.getAttribute("data-term-value"));
  assert.deepEqual(terms(), ["4", "3"], "dz/dx = 2x + y, term by term in backprop's order");
  move(win, w.slider("y"), 1, "input");
  assert.deepEqual(terms(), ["4", "1"]);
  assert.equal(w.one('[data-panel-field="grad"]').getAttribute("data-value"), "5");
});

// --- step-through ----------------------------------------------------------------------------

test("the step buttons walk backprop: the model's step and the grads drawn follow", () => {
  const w = open();
  click(win, w.button("step-next"));
  assert.equal(w.model.get("step"), 0);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["0", "0", "0", "0", "0"], "step 0: every grad 0");
  click(win, w.button("step-next"));
  assert.equal(w.model.get("step"), 1);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["0", "0", "0", "0", "1"], "the output seeded");
  click(win, w.button("step-next"));
  assert.equal(w.model.get("step"), 2);
  assert.deepEqual([w.grad(2), w.grad(3)], ["1", "1"], "z passed its grad to both terms");
  assert.equal(w.node(4).getAttribute("data-step-role"), "source");
  assert.deepEqual([w.node(2), w.node(3)].map((n) => n.getAttribute("data-step-role")), ["target", "target"]);
  click(win, w.button("step-run"));
  assert.equal(w.model.get("step"), 4);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["7", "2", "1", "1", "1"]);
  click(win, w.button("step-exit"));
  assert.equal(w.model.get("step"), null);
  assert.equal(w.node(4).hasAttribute("data-step-role"), false);
});

test("step mode shows its caption and the panel's grad so far; a disabled button does nothing", () => {
  const w = open({ selected: 0 });
  const caption = w.one("[data-step-caption]");
  assert.equal(caption.hidden, true);
  assert.equal(w.el.querySelector(".mgm-root")?.hasAttribute("data-stepping"), false);
  click(win, w.button("step-reset"));
  assert.equal(caption.hidden, false);
  assert.match(caption.textContent ?? "", /Step 0 of 4/);
  assert.equal(w.el.querySelector(".mgm-root")?.hasAttribute("data-stepping"), true);
  assert.equal(w.button("step-back").getAttribute("aria-disabled"), "true");
  click(win, w.button("step-back"));
  assert.equal(w.model.get("step"), 0, "Back at step 0 is disabled");
  assert.equal(w.one('[data-panel-field="step-grad"]').textContent, "0 (after step 0 of 4: not final yet)");
});

test("a slider moved in step mode keeps the step and recomputes its grads", () => {
  const w = open({ step: 2 });
  move(win, w.slider("x"), 1, "change");
  assert.equal(w.model.get("step"), 2);
  assert.deepEqual([w.grad(0), w.grad(4)], ["0", "1"]);
  assert.equal(w.data(4), "4");
  assert.match(w.one("[data-step-caption]").textContent ?? "", /Step 2 of 4/);
});

// --- the model changing under the widget ------------------------------------------------------

test("the widget follows the model when the kernel changes it", () => {
  const w = open();
  w.model.set("inputs", [INPUTS[0], { ...INPUTS[1], value: -2 }]);
  assert.equal(w.slider("y").value, "-2");
  assert.equal(w.data(4), String(2 * -2 + 4));
  w.model.set("selected", 3);
  assert.equal(w.node(3).getAttribute("data-selected"), "true");
  w.model.set("selected", 99);
  assert.equal(w.node(3).hasAttribute("data-selected"), false, "a node id outside the graph clears");
  w.model.set("step", 1);
  assert.deepEqual([w.grad(3), w.grad(4)], ["0", "1"]);
  w.model.set("step", 99);
  assert.equal(w.grad(4), "1", "an invalid step from the model is ignored");
  assert.equal(w.model.get("step"), 99, "and not written back");
});

test("a widget opens on the model's selection and step (a re-displayed widget, an exported page)", () => {
  const w = open({ selected: 1, step: 3 });
  assert.equal(w.node(1).getAttribute("data-selected"), "true");
  assert.deepEqual([w.grad(0), w.grad(1), w.grad(2)], ["4", "0", "1"], "after 3 steps: x**2 passed its grad on, x*y not yet");
  assert.deepEqual([w.model.get("selected"), w.model.get("step")], [1, 3]);
});

test("cleaning up removes the widget and stops listening to the model", () => {
  const w = open();
  w.cleanup();
  assert.equal(w.el.children.length, 0);
  w.model.set("selected", 1); // would throw or draw if a listener were left
  w.model.set("graph", mlp(2, [1]));
  assert.equal(w.el.children.length, 0);
});

// --- keyboard and zoom -----------------------------------------------------------------------

test("arrow keys move the focus between nodes in layout order; the focused node is labelled", () => {
  const w = open({ selected: 4 });
  const output = w.node(4);
  assert.equal(output.getAttribute("tabindex"), "0", "the output is the graph's tab stop");
  output.focus();
  assert.match(output.getAttribute("aria-label") ?? "", /^z = x\*y \+ x\*\*2 {2}\(output\), data 10, grad 1, selected$/);
  assert.equal(press(win, output, "ArrowLeft"), true);
  const focused = win.document.activeElement;
  assert.ok(focused !== output && focused?.getAttribute("data-node-id") !== null);
  assert.equal(focused?.getAttribute("tabindex"), "0", "the tab stop moves with the focus");
  assert.equal(output.getAttribute("tabindex"), "-1");
  assert.equal(output.hasAttribute("aria-label"), false, "a node that lost the focus loses its label");
  assert.equal(press(win, output, "q"), false, "other keys are left alone");
  assert.equal(press(win, output, "ArrowLeft", { ctrlKey: true }), false, "and keys with modifiers");
});

test("the zoom buttons and the +, − and 0 keys scale the graph, and the level says by how much", () => {
  const w = open();
  const viewport = w.one(".mgm-viewport");
  const level = w.one(".mgm-zoom-level");
  click(win, w.button("zoom-in"));
  assert.equal(viewport.getAttribute("data-zoom"), "1.25");
  assert.equal(level.textContent, "125%");
  press(win, w.node(4), "-");
  assert.equal(viewport.getAttribute("data-zoom"), "1");
  click(win, w.button("zoom-out"));
  assert.equal(level.textContent, "80%");
  assert.ok(w.el.querySelector("[data-legend]"), "the legend is drawn under the graph");
});

// --- grads through non-finite values -----------------------------------------------------------

test("a grad that flowed through NaN is marked on its card, and unmarked once the value is finite", async () => {
  const graph = {
    schema: 1,
    output: 1,
    nodes: [
      { id: 0, label: "x", op: "", args: [], data: 2, grad: 0.5 },
      { id: 1, label: "y", op: "log", args: [0], data: Math.log(2), grad: 1 },
    ],
  };
  const inputs = [{ name: "x", id: 0, value: 2, min: -1, max: 3, step: 0.5 }];
  const w = open({ graph, inputs });
  const flagged = () => [...w.el.querySelectorAll("[data-grad-through-nonfinite]")].map((n) => n.getAttribute("data-node-id"));
  assert.deepEqual(flagged(), []);
  move(win, w.slider("x"), -0.5, "input");
  assert.equal(w.data(1), "NaN");
  assert.equal(w.grad(0), "-2"); // what backprop computes (PyTorch too): 1/x
  assert.deepEqual(flagged(), ["0"]);
  assert.equal(w.node(0).getAttribute("data-grad-through-nonfinite"), "true");
  await nextFrame(win);
  move(win, w.slider("x"), 1, "input");
  assert.deepEqual(flagged(), []);
});

test("every slider readout shows the same number of decimals, the finest step's", () => {
  const w = open(); // x steps by 0.05, y by 0.1
  const readouts = () => [...w.el.querySelectorAll(".mgm-slider-value")].map((r) => r.textContent);
  assert.deepEqual(readouts(), ["2.00", "3.00"]);
  move(win, w.slider("y"), -2.5, "input");
  assert.deepEqual(readouts(), ["2.00", "-2.50"]);
});

// --- text size ---------------------------------------------------------------------------------

test("the large-text button toggles the text key, and the widget follows the key", () => {
  const w = open();
  const root = /** @type {HTMLElement} */ (w.el.querySelector(".mgm-root"));
  assert.equal(root.getAttribute("data-text"), "normal");
  assert.equal(w.button("text-large").getAttribute("aria-pressed"), "false");
  click(win, w.button("text-large"));
  assert.equal(w.model.get("text"), "large");
  assert.equal(root.getAttribute("data-text"), "large");
  assert.equal(w.button("text-large").getAttribute("aria-pressed"), "true");
  w.model.set("text", "normal");
  assert.equal(root.getAttribute("data-text"), "normal");
  const large = open({ text: "large" });
  assert.equal(large.el.querySelector(".mgm-root")?.getAttribute("data-text"), "large");
});
