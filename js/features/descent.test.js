// Gradient descent in the widget (features/descent.js), through widget.render in jsdom: Step,
// Play, Pause, Reset, the learning rate, the direction, the readouts, and what reaches the model.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { INPUTS, click, mount, move, newWindow } from "../testing/harness.js";
import widget, { SYNC_DELAY_MS } from "../widget.js";
import { descentStep } from "./descent.js";

/** @type {import("../testing/harness.js").DOMWindow} */
let win = newWindow();
beforeEach(() => {
  win = newWindow();
});

/** z = x*y + x**2 at x = 2, y = 3 with x and y trainable: dz/dx = y + 2x, dz/dy = x. */
const open = (state = {}) => mount(win, widget.render, { train_inputs: ["x", "y"], lr: 0.1, ...state });
/** @param {ReturnType<typeof mount>} w @param {string} what */
const train = (w, what) => /** @type {HTMLElement} */ (w.one(`[data-train="${what}"]`));
/** @param {ReturnType<typeof mount>} w @param {string} name */
const metric = (w, name) => Number(w.one(`[data-metric="${name}"]`).getAttribute("data-value"));
/** @param {ReturnType<typeof mount>} w @param {number} id @param {string} field */
const exact = (w, id, field) => Number(w.node(id).querySelector(`[data-field="${field}"]`)?.getAttribute("data-value"));
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("without trainable inputs the widget has no training controls", () => {
  const w = mount(win, widget.render);
  assert.equal(w.el.querySelector("[data-train]"), null);
  assert.equal(w.el.querySelector("[data-metric]"), null);
});

test("Step moves each trainable input by exactly -lr · grad, and every number follows", () => {
  const w = open();
  const [x, y, gx, gy] = [exact(w, 0, "data"), exact(w, 1, "data"), exact(w, 0, "grad"), exact(w, 1, "grad")];
  assert.deepEqual([x, y, gx, gy], [2, 3, 7, 2]);
  click(win, train(w, "step"));
  assert.equal(exact(w, 0, "data"), x - 0.1 * gx);
  assert.equal(exact(w, 1, "data"), y - 0.1 * gy);
  const [x1, y1] = [x - 0.1 * gx, y - 0.1 * gy];
  assert.equal(exact(w, 4, "data"), x1 * y1 + x1 ** 2, "the output follows");
  assert.equal(exact(w, 0, "grad"), y1 + 2 * x1, "the grads follow");
  assert.equal(metric(w, "step"), 1);
  assert.equal(metric(w, "loss"), x1 * y1 + x1 ** 2);
  assert.notEqual(w.slider("x").value, "2");
  assert.ok(w.one('[data-chart="output"] polyline').getAttribute("points"), "the chart has a line");
});

test("only the trainable inputs move; values are clamped to the slider's range", () => {
  const w = open({ train_inputs: ["y"], lr: 10 });
  click(win, train(w, "step"));
  assert.equal(exact(w, 0, "data"), 2, "x is not trainable");
  assert.equal(exact(w, 1, "data"), Math.max(INPUTS[1].min, 3 - 10 * 2));
  click(win, train(w, "step"));
  assert.equal(exact(w, 1, "data"), INPUTS[1].min, "held at the range's end");
});

test("the kernel hears the new values once the steps rest, not on every step", async () => {
  const w = open();
  click(win, train(w, "step"));
  click(win, train(w, "step"));
  assert.equal(w.model.get("inputs")[0].value, 2, "not yet");
  await sleep(SYNC_DELAY_MS + 50);
  const values = w.model.get("inputs").map((/** @type {{value: number}} */ s) => s.value);
  assert.deepEqual(values, [exact(w, 0, "data"), exact(w, 1, "data")]);
});

test("Reset restores the starting values; the learning rate input sets lr; ascend climbs", () => {
  const w = open();
  click(win, train(w, "step"));
  click(win, train(w, "step"));
  click(win, train(w, "reset"));
  assert.deepEqual([exact(w, 0, "data"), exact(w, 1, "data"), metric(w, "step")], [2, 3, 0]);
  const lr = /** @type {HTMLInputElement} */ (train(w, "lr"));
  assert.equal(lr.value, "0.1");
  move(win, lr, 0.01, "change");
  assert.equal(w.model.get("lr"), 0.01);
  move(win, lr, -1, "change");
  assert.equal(lr.value, "0.01", "a bad rate is refused");
  assert.equal(w.model.get("lr"), 0.01);
  const direction = /** @type {HTMLSelectElement} */ (train(w, "direction"));
  direction.value = "ascend";
  direction.dispatchEvent(new win.Event("change", { bubbles: true }));
  click(win, train(w, "step"));
  assert.equal(exact(w, 0, "data"), 2 + 0.01 * 7);
  w.model.set("lr", 0.5);
  assert.equal(lr.value, "0.5", "the kernel's lr shows");
});

test("Play takes steps until Pause; a hand-moved slider starts a new run", async () => {
  const w = open({ lr: 0.01 });
  click(win, train(w, "play"));
  const deadline = Date.now() + 5000; // a loaded machine may delay the timer
  while (metric(w, "step") < 2 && Date.now() < deadline) await sleep(20);
  click(win, train(w, "pause"));
  const steps = metric(w, "step");
  assert.ok(steps >= 2, `played ${steps} steps`);
  await sleep(60);
  assert.equal(metric(w, "step"), steps, "paused");
  move(win, w.slider("x"), 1, "change");
  assert.equal(metric(w, "step"), 0);
  click(win, train(w, "step"));
  click(win, train(w, "reset"));
  assert.equal(exact(w, 0, "data"), 1, "Reset goes back to where the new run started");
});

test("descentStep: -lr·grad per trainable input, clamped, non-finite moves refused", () => {
  const values = Float64Array.from([1, 2, 3]);
  const grad = [0, 5, Number.NaN, 4, 1];
  const trainable = [
    { index: 0, id: 1, min: -1, max: 1 },
    { index: 1, id: 2, min: -9, max: 9 },
    { index: 2, id: 3, min: -9, max: 9 },
  ];
  assert.deepEqual([...descentStep(values, grad, trainable, 0.5, 1)], [-1, 2, 1]);
  assert.deepEqual([...descentStep(values, grad, trainable, 0.5, -1)], [1, 2, 5]);
  assert.deepEqual([...values], [1, 2, 3], "the input is not changed");
});
