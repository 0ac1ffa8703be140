// widget.js in a DOM (jsdom), driven through the exported page's own model (host.js): what a
// slider move, a click and the step buttons do to the model's state and to the numbers drawn,
// and how the widget follows the model when the kernel changes it.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { JSDOM } from "jsdom";

import { createModel } from "./host/host.js";
import { xyz } from "./testing/sample-graphs.js";
import widget, { SYNC_DELAY_MS } from "./widget.js";

// z = x*y + x**2 at x = 2, y = 3: z = 10, dz/dx = y + 2x = 7, dz/dy = x = 2
const INPUTS = [
  { name: "x", id: 0, value: 2, min: -5, max: 5, step: 0.05 },
  { name: "y", id: 1, value: 3, min: -10, max: 10, step: 0.1 },
];

let win;
beforeEach(() => {
  // pretendToBeVisual: requestAnimationFrame, as in a browser tab that paints
  win = new JSDOM("<!DOCTYPE html><html><head></head><body></body></html>", { pretendToBeVisual: true }).window;
});

/** A rendered widget of the xyz graph: its model, its element and a few readers. */
function mount(state = {}) {
  const model = createModel({ graph: xyz(), inputs: INPUTS.map((s) => ({ ...s })), selected: null, step: null, ...state });
  const el = win.document.createElement("div");
  win.document.body.appendChild(el);
  const cleanup = widget.render({ model, el });
  const node = (id) => el.querySelector(`[data-node-id="${id}"]`);
  const field = (id, name) => node(id).querySelector(`[data-field="${name}"]`);
  return {
    model,
    el,
    cleanup,
    node,
    data: (id) => field(id, "data").textContent,
    grad: (id) => field(id, "grad").textContent,
    slider: (name) => el.querySelector(`input[data-input="${name}"]`),
    button: (action) => el.querySelector(`button[data-action="${action}"]`),
  };
}

function move(slider, value, type) {
  slider.value = String(value);
  slider.dispatchEvent(new win.Event(type, { bubbles: true }));
}

function click(target) {
  target.dispatchEvent(new win.MouseEvent("click", { bubbles: true, cancelable: true }));
}

test("the graph is drawn with the numbers of the model's graph", () => {
  const w = mount();
  assert.equal(w.el.querySelectorAll("[data-node-id]").length, 5);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.data), ["2", "3", "6", "4", "10"]);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["7", "2", "1", "1", "1"]);
  assert.equal(w.slider("x").value, "2");
  assert.equal(w.node(4).getAttribute("data-output"), "true");
});

test("a slider move redraws the numbers at once and tells the model when the drag rests", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const w = mount();
  move(w.slider("x"), 1, "input");
  // x = 1: z = 1*3 + 1 = 4, dz/dx = 3 + 2 = 5, dz/dy = 1
  assert.deepEqual([w.data(0), w.data(2), w.data(3), w.data(4)], ["1", "3", "1", "4"]);
  assert.deepEqual([w.grad(0), w.grad(1)], ["5", "1"]);
  assert.equal(w.model.get("inputs")[0].value, 2, "not yet: the drag may go on");
  t.mock.timers.tick(SYNC_DELAY_MS);
  assert.deepEqual(
    w.model.get("inputs").map((s) => s.value),
    [1, 3],
  );
  assert.deepEqual(w.model.get("inputs")[0], { ...INPUTS[0], value: 1 }, "only the value changes");
});

test("the end of a drag (change) tells the model at once", () => {
  const w = mount();
  const heard = [];
  w.model.on("change:inputs", (inputs) => heard.push(inputs.map((s) => s.value)));
  move(w.slider("y"), -1, "change");
  assert.deepEqual(heard, [[2, -1]]);
  assert.equal(w.data(4), String(2 * -1 + 4));
  assert.equal(w.grad(0), String(-1 + 2 * 2));
});

test("a click on a node selects it in the model and marks it; a click on the background clears", () => {
  const w = mount();
  click(w.node(0));
  assert.equal(w.model.get("selected"), 0);
  assert.equal(w.node(0).getAttribute("data-selected"), "true");
  assert.equal(w.el.querySelector("[data-panel]").getAttribute("data-panel-node"), "0");
  assert.equal(w.node(4).getAttribute("data-path"), "true", "x's paths to the output are marked");
  click(w.el.querySelector(".mgm-nodes"));
  assert.equal(w.model.get("selected"), null);
  assert.equal(w.node(0).hasAttribute("data-selected"), false);
});

test("the step buttons walk backprop: the model's step and the grads drawn follow", () => {
  const w = mount();
  click(w.button("step-next"));
  assert.equal(w.model.get("step"), 0);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["0", "0", "0", "0", "0"], "step 0: every grad 0");
  click(w.button("step-next"));
  assert.equal(w.model.get("step"), 1);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["0", "0", "0", "0", "1"], "the output seeded");
  click(w.button("step-next"));
  assert.equal(w.model.get("step"), 2);
  assert.deepEqual([w.grad(2), w.grad(3)], ["1", "1"], "z passed its grad to both terms");
  click(w.button("step-run"));
  assert.equal(w.model.get("step"), 4);
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["7", "2", "1", "1", "1"]);
  click(w.button("step-exit"));
  assert.equal(w.model.get("step"), null);
});

test("a slider moved in step mode keeps the step and recomputes its grads", () => {
  const w = mount({ step: 2 });
  move(w.slider("x"), 1, "change");
  assert.equal(w.model.get("step"), 2);
  assert.deepEqual([w.grad(0), w.grad(4)], ["0", "1"]);
  assert.equal(w.data(4), "4");
});

test("the widget follows the model when the kernel changes it", () => {
  const w = mount();
  w.model.set("inputs", [INPUTS[0], { ...INPUTS[1], value: -2 }]);
  assert.equal(w.slider("y").value, "-2");
  assert.equal(w.data(4), String(2 * -2 + 4));
  w.model.set("selected", 3);
  assert.equal(w.node(3).getAttribute("data-selected"), "true");
  w.model.set("step", 1);
  assert.deepEqual([w.grad(3), w.grad(4)], ["0", "1"]);
  w.model.set("step", 99);
  assert.equal(w.grad(4), "1", "an invalid step from the model is ignored");
});

test("a kernel snap-back wins over a drag value not yet sent", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const w = mount();
  move(w.slider("x"), 4, "input");
  w.model.set("inputs", INPUTS.map((s) => ({ ...s })));
  t.mock.timers.tick(SYNC_DELAY_MS);
  assert.equal(w.model.get("inputs")[0].value, 2);
  assert.equal(w.data(0), "2");
  assert.equal(w.slider("x").value, "2");
});

test("cleaning up removes the widget and stops listening to the model", () => {
  const w = mount();
  w.cleanup();
  assert.equal(w.el.children.length, 0);
  w.model.set("selected", 1); // would throw or draw if a listener were left
  assert.equal(w.el.children.length, 0);
});

test("a graph the engine cannot read is reported in the widget, not thrown", () => {
  const w = mount({ graph: { schema: 2, nodes: [] }, inputs: [] });
  assert.match(w.el.textContent, /cannot draw this graph/);
});
