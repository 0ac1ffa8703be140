// The training view (trainview/view.js) through widget.render in jsdom, on the first case of
// tests/vectors/training.json (train()'s own numbers): Step, Play to the end, Reset, the
// scrubber, the boundary and network pictures, the readouts and what reaches the model.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { beforeEach, test } from "node:test";

import { createModel } from "../host/host.js";
import { click, move, newWindow } from "../testing/harness.js";
import widget, { SYNC_DELAY_MS } from "../widget.js";
import { createTrainer } from "../core/training.js";
import { GRID, gridOver, mlpAgrees, mlpScores, scoresAt } from "./view.js";

const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/training.json", import.meta.url), "utf8"));
/** svm, full batch, micrograd's schedule: MLP(2, [4, 4, 1]) on 12 points, 6 steps. */
const CASE = VECTORS.cases[0];
const STEPS = CASE.spec.steps;

/** @type {import("../testing/harness.js").DOMWindow} */
let win = newWindow();
beforeEach(() => {
  win = newWindow();
  // jsdom has no canvas: the view then keeps the boundary's numbers and skips its pixels.
  win.HTMLCanvasElement.prototype.getContext = () => null;
});

/** @param {number[]} [sizes] @param {object | null} [progress] */
function open(sizes = [2, 4, 4, 1], progress = null) {
  const model = createModel({ kind: "trainview", trainer: structuredClone(CASE.spec), sizes, progress });
  const el = win.document.createElement("div");
  win.document.body.appendChild(el);
  const cleanup = widget.render({ model, el });
  /** @param {string} selector */
  const one = (selector) => {
    const found = el.querySelector(selector);
    if (!found) throw new Error(`nothing matches ${selector}`);
    return /** @type {HTMLElement} */ (found);
  };
  return {
    model,
    el,
    cleanup,
    one,
    /** @param {string} what */
    press: (what) => click(win, one(`[data-train="${what}"]`)),
    /** @param {string} name */
    metric: (name) => Number(one(`[data-metric="${name}"]`).getAttribute("data-value")),
  };
}

/** The same number to rounding, as the trainer's own tests compare with train(). */
function close(/** @type {number} */ a, /** @type {number} */ b, /** @type {string} */ what) {
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12, `${what}: ${a} vs ${b}`);
}

/** @param {number[]} actual @param {number[]} expected */
function sameWeights(actual, expected) {
  assert.equal(actual.length, expected.length);
  for (let j = 0; j < actual.length; j++) close(actual[j], expected[j], `weight ${j}`);
}

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = () => new Promise((resolve) => win.requestAnimationFrame(resolve));

test("the view shows step 0: train()'s first loss and accuracy, the boundary, curves and network", async () => {
  const v = open();
  assert.equal(v.metric("step"), 0);
  close(v.metric("loss"), CASE.steps[0].loss, "loss");
  close(v.metric("accuracy"), CASE.steps[0].accuracy, "accuracy");
  await frame();
  const boundary = v.one("[data-boundary]");
  assert.equal(boundary.getAttribute("data-grid"), String(GRID));
  assert.equal(boundary.getAttribute("data-step"), "0");
  assert.ok(v.one('[data-chart="loss"]') && v.one('[data-chart="accuracy"]'));
  const weights = v.el.querySelectorAll("[data-network] [data-weight]");
  assert.equal(weights.length, CASE.spec.params.length, "one shape per weight");
  assert.equal(v.el.querySelectorAll("[data-network] line").length, 2 * 4 + 4 * 4 + 4, "an MLP's edges");
});

test("Step after step gives train()'s numbers; the model hears the weights once they rest", async () => {
  const v = open();
  for (let k = 1; k < STEPS; k++) {
    v.press("step");
    assert.equal(v.metric("step"), k);
    close(v.metric("loss"), CASE.steps[k].loss, `loss at step ${k}`);
    close(v.metric("accuracy"), CASE.steps[k].accuracy, `accuracy at step ${k}`);
  }
  assert.equal(v.model.get("progress"), null, "not yet");
  await sleep(SYNC_DELAY_MS + 50);
  const progress = v.model.get("progress");
  assert.equal(progress.step, STEPS - 1);
  sameWeights(progress.weights, CASE.steps[STEPS - 2].weights);
  assert.equal(progress.loss.length, STEPS - 1);
  assert.equal(Number(v.one('[data-chart="loss"]').getAttribute("data-points")), STEPS - 1);
});

test("Play runs to the last step and reports; Reset goes back to the start", async () => {
  const v = open();
  v.press("play");
  const deadline = Date.now() + 5000;
  while (v.metric("step") < STEPS && Date.now() < deadline) await sleep(20);
  assert.equal(v.metric("step"), STEPS, "stops at steps");
  assert.equal(v.el.querySelector("[data-playing]"), null);
  const progress = v.model.get("progress");
  assert.equal(progress.step, STEPS);
  sameWeights(progress.weights, CASE.steps[STEPS - 1].weights);
  v.press("step");
  assert.equal(v.metric("step"), STEPS, "Step stops there too");
  v.press("reset");
  assert.equal(v.metric("step"), 0);
  close(v.metric("loss"), CASE.steps[0].loss, "loss after reset");
  assert.equal(v.model.get("progress").step, 0);
  assert.deepEqual(v.model.get("progress").weights, CASE.spec.params.map((/** @type {number} */ id) => CASE.spec.graph.nodes[id].data));
});

test("the scrubber shows an earlier step, and training on from there forgets the later ones", async () => {
  const v = open();
  for (let k = 0; k < 4; k++) v.press("step");
  await frame();
  const network = v.one("[data-network]");
  const late = network.querySelector("[data-weight]")?.getAttribute("data-weight");
  const scrubber = /** @type {HTMLInputElement} */ (v.one('input[data-train="history"]'));
  assert.equal(scrubber.max, "4");
  move(win, scrubber, 1, "input");
  assert.equal(v.metric("step"), 1);
  close(v.metric("loss"), CASE.steps[1].loss, "loss at step 1");
  close(v.metric("accuracy"), CASE.steps[1].accuracy, "accuracy at step 1");
  assert.equal(network.getAttribute("data-step"), "1");
  close(Number(network.querySelector("[data-weight]")?.getAttribute("data-weight")), CASE.steps[0].weights[0], "weight 0 after 1 update");
  assert.notEqual(network.querySelector("[data-weight]")?.getAttribute("data-weight"), late);
  await frame();
  assert.equal(v.one("[data-boundary]").getAttribute("data-step"), "1");
  v.press("step");
  assert.equal(v.metric("step"), 2);
  assert.equal(scrubber.max, "2", "the steps after it are forgotten");
  close(v.metric("loss"), CASE.steps[2].loss, "the same numbers again");
});

test("the lr box shows the schedule's next rate and takes a new one", () => {
  const v = open();
  const rate = /** @type {HTMLInputElement} */ (v.one('input[data-train="lr"]'));
  assert.equal(Number(rate.value), CASE.steps[0].lr);
  v.press("step");
  assert.equal(Number(rate.value), CASE.steps[1].lr);
  move(win, rate, 0.5, "change");
  v.press("step");
  assert.equal(Number(rate.value), 0.5);
  move(win, rate, -1, "change");
  assert.equal(Number(rate.value), 0.5, "a bad rate is refused");
});

test("gridOver covers the data with half a unit to spare, GRID × GRID cell centres", () => {
  const { box, points } = gridOver([
    [0, 0],
    [2, 1],
  ]);
  assert.deepEqual(box, { x0: -0.5, x1: 2.5, y0: -0.5, y1: 1.5 });
  assert.equal(points.length, GRID * GRID * 2);
  assert.equal(points[0], -0.5 + 3 / GRID / 2);
  assert.equal(points[1], 1.5 - 2 / GRID / 2);
});

test("a model that is not an MLP gets a strip of weights; a bad spec one clear line", () => {
  const v = open([]);
  assert.equal(v.el.querySelectorAll("[data-network] rect[data-weight]").length, CASE.spec.params.length);
  const model = createModel({ kind: "trainview", trainer: { schema: 2 }, sizes: [], progress: null });
  const el = win.document.createElement("div");
  widget.render({ model, el });
  assert.match(el.textContent ?? "", /^micrograd_magic cannot train this model: not a schema-1 trainer spec/);
});

test("the boundary's dense MLP loop gives the graph's scores, and is used only once it agrees", async () => {
  const trainer = createTrainer(structuredClone(CASE.spec));
  for (let k = 0; k < 3; k++) trainer.step();
  const { points } = gridOver(CASE.spec.X);
  const fast = mlpScores([2, 4, 4, 1], trainer.weights(), points, new Float64Array(GRID * GRID));
  const slow = scoresAt(trainer, trainer.weights(), points, new Float64Array(trainer.graph.size), new Float64Array(GRID * GRID));
  for (let i = 0; i < fast.length; i++) close(fast[i], slow[i], `cell ${i}`);
  assert.ok(mlpAgrees(trainer, [2, 4, 4, 1], trainer.weights(), points, 64));
  assert.equal(mlpAgrees(trainer, [2, 4, 4, 2], trainer.weights(), points, 64), false);
  // relu(0.5x - y + 1) * 2 - 3 by hand
  const out = mlpScores([2, 1, 1], [0.5, -1, 1, 2, -3], Float64Array.from([2, 1, 0, 5]), new Float64Array(2));
  assert.deepEqual([...out], [2 * (1 - 1 + 1) - 3, -3]);
  const v = open();
  await frame();
  assert.equal(v.one("[data-boundary]").getAttribute("data-dense"), "true");
  assert.equal(open([]).one("[data-boundary]").getAttribute("data-dense"), "false");
});

test("a view displayed again takes up the reported step, if repeating it gives its weights", () => {
  const progress = { step: 3, loss: [], accuracy: [], lr: [], weights: CASE.steps[2].weights };
  const v = open([2, 4, 4, 1], progress);
  assert.equal(v.metric("step"), 3);
  close(v.metric("loss"), CASE.steps[3].loss, "loss at step 3");
  assert.equal(v.one(".mgm-trainview-status").textContent, "");
  const changed = open([2, 4, 4, 1], { ...progress, weights: CASE.steps[2].weights.map((/** @type {number} */ w) => w + 1) });
  assert.equal(changed.metric("step"), 0, "another learning rate was used: start again");
  assert.match(changed.one(".mgm-trainview-status").textContent ?? "", /could not be repeated/);
});
