// The teaching features across opening and closing a box of a network (jsdom, the whole
// widget): each change of the open groups draws the graph again, and what the student is doing
// (the step-through, the selection and its panel, a lesson's "Show grads", the storyboard, a
// gradient-descent run) goes on.
import assert from "node:assert/strict";
import { test } from "node:test";

import { click, mount, newWindow } from "../testing/harness.js";
import { groupedMlp } from "../testing/group-graphs.js";
import widget from "../widget.js";
import { flushLater } from "../view/later.js";

const NEURON = "layers.0.neurons.1";
const SLIDERS = [
  { name: "x1", id: 0, value: 0.5, min: -2, max: 2, step: 0.01 },
  { name: "x2", id: 1, value: -0.3, min: -2, max: 2, step: 0.01 },
];

/** MLP(2, [3, 1]) with sliders on its inputs, neurons closed. @param {Record<string, unknown>} [state] */
function net(state = {}) {
  const win = newWindow();
  const graph = groupedMlp(2, [3, 1]);
  const w = mount(win, widget.render, { graph, inputs: SLIDERS.map((s) => ({ ...s })), open_groups: ["", "layers.0", "layers.1"], ...state });
  const box = (/** @type {string} */ path) => w.one(`[data-group="${path}"]`);
  const toggle = (/** @type {string} */ path) => {
    const b = box(path);
    click(win, b.getAttribute("data-group-state") === "open" ? /** @type {Element} */ (b.querySelector('[data-action="toggle-group"]')) : b);
  };
  const rep = (/** @type {string} */ path) => graph.nodes.findIndex((n) => n.path === path);
  return { win, w, graph, box, toggle, rep };
}

test("the step-through keeps its position and marks across opening and closing a box", () => {
  const { win, w, box, toggle } = net();
  for (let k = 0; k < 3; k++) click(win, w.button("step-next"));
  const at = w.model.get("step");
  assert.ok(at > 0);
  const caption = () => w.one("[data-step-caption]").textContent;
  const before = caption();
  const marked = () => [...w.el.querySelectorAll("[data-step-role]")].map((e) => e.getAttribute("data-group") ?? e.getAttribute("data-node-id"));
  const marks = marked();
  assert.ok(marks.length > 0);
  toggle(NEURON);
  assert.equal(box(NEURON).getAttribute("data-group-state"), "open");
  assert.equal(w.model.get("step"), at);
  assert.equal(caption(), before);
  assert.ok(w.el.querySelector(".mgm-root")?.hasAttribute("data-stepping"));
  toggle(NEURON);
  assert.deepEqual(marked(), marks);
  click(win, w.button("step-next"));
  assert.equal(w.model.get("step"), at + 1);
  w.cleanup();
});

test("opening a box selects its output at once and fills the panel in the frame after; any other selection fills it at once", async () => {
  const { win, w, toggle, rep, box } = net();
  const panel = () => w.one("[data-panel]").getAttribute("data-panel-node");
  const frames = () => new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve))));
  toggle(NEURON);
  assert.equal(box(NEURON).getAttribute("data-group-state"), "open");
  assert.equal(w.node(rep(NEURON)).getAttribute("data-selected"), "true", "the selection is marked in the click's frame");
  assert.equal(panel(), null, "the panel waits");
  await frames();
  assert.equal(panel(), String(rep(NEURON)), "and is filled in the frame after");
  // a newer selection before the frame (the model's, a click on a card) fills it at once and
  // drops the waiting fill
  toggle(NEURON);
  toggle(NEURON);
  const out = rep("layers.1.neurons.0");
  w.model.set("selected", out);
  assert.equal(panel(), String(out));
  await frames();
  assert.equal(panel(), String(out), "the dropped fill does not come back");
  click(win, w.node(0));
  assert.equal(panel(), "0", "a click on a card fills the panel at once");
  // a slider moved while the panel waits fills it at once, with the numbers and the selection now
  toggle(NEURON);
  toggle(NEURON);
  assert.equal(panel(), "0", "the opened box's output waits");
  const slider = /** @type {HTMLInputElement} */ (w.one('input[data-input="x1"]'));
  slider.value = "1";
  slider.dispatchEvent(new win.Event("input", { bubbles: true }));
  assert.equal(panel(), String(rep(NEURON)));
  w.cleanup();
});

test("opening a box marks its output's paths in the frame after; any other selection marks them at once", async () => {
  const { win, w, toggle, rep } = net();
  const onPath = () => [...w.el.querySelectorAll('[data-path="true"]')].map((e) => e.getAttribute("data-node-id") ?? e.getAttribute("data-group") ?? e.getAttribute("data-from"));
  const frames = () => new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve))));
  click(win, w.node(0));
  assert.ok(onPath().length > 0, "a click on a card marks its paths at once");
  toggle(NEURON);
  assert.equal(w.node(rep(NEURON)).getAttribute("data-selected"), "true");
  assert.deepEqual(onPath(), [], "the old paths go at once, the new ones wait");
  await frames();
  assert.ok(onPath().includes(String(rep(NEURON))), "and are marked in the frame after");
  // a newer selection before the frame marks at once
  toggle("layers.0.neurons.2");
  assert.equal(w.model.get("selected"), rep("layers.0.neurons.2"));
  w.model.set("selected", null);
  assert.deepEqual(onPath(), []);
  await frames();
  assert.deepEqual(onPath(), [], "and the waiting marks change nothing");
  w.cleanup();
});

test("the selection and its panel stay across opening and closing a box", () => {
  const { win, w, box, toggle, rep } = net();
  const out = rep("layers.1.neurons.0");
  const panel = () => w.one("[data-panel]").getAttribute("data-panel-node");
  toggle(NEURON);
  assert.equal(w.model.get("selected"), rep(NEURON), "a click on a closed box selects its output");
  flushLater(win); // the panel is filled in the frame after the selection's
  assert.equal(panel(), String(rep(NEURON)));
  w.model.set("selected", out);
  flushLater(win); // the panel is filled in the frame after the selection's
  assert.equal(panel(), String(out));
  toggle(NEURON);
  assert.equal(w.model.get("selected"), out);
  assert.equal(panel(), String(out));
  assert.equal(box("layers.1.neurons.0").getAttribute("data-selected"), "true");
  w.cleanup();
});

test("a lesson's Show grads stays pressed across opening a box", () => {
  const { win, w, box, toggle, rep } = net({ lesson: { hide: ["grad"], lock: [], compact: false, caption: null } });
  const grad = () => box(NEURON).querySelector('[data-field="grad"]')?.textContent;
  assert.equal(grad(), "?");
  click(win, w.button("show-grads"));
  assert.notEqual(grad(), "?");
  toggle(NEURON);
  const relu = rep(NEURON);
  assert.notEqual(w.grad(relu), "?");
  assert.ok(w.node(relu).querySelector('[data-field="grad"]')?.hasAttribute("data-value"));
  assert.equal(w.button("show-grads").hasAttribute("hidden"), true);
  w.cleanup();
});

test("the storyboard stays open across opening a box, drawn as the graph is now; a quiz disables it", () => {
  const { win, w, toggle } = net();
  click(win, w.button("storyboard"));
  const frames = () => w.el.querySelectorAll("[data-storyboard] [data-frame]");
  const count = frames().length;
  assert.ok(count > 1);
  assert.equal(w.el.querySelectorAll(`[data-storyboard] [data-group="${NEURON}"][data-group-state="closed"]`).length, count);
  toggle(NEURON);
  assert.equal(frames().length, count);
  assert.equal(w.el.querySelectorAll(`[data-storyboard] [data-group="${NEURON}"][data-group-state="open"]`).length, count);
  click(win, w.button("storyboard"));
  assert.equal(frames().length, 0);
  toggle(NEURON);
  assert.equal(frames().length, 0, "closed stays closed");
  w.cleanup();

  const q = net({ quiz: { asked: [0, 1] }, quiz_progress: [] });
  assert.equal(q.w.button("storyboard").getAttribute("aria-disabled"), "true");
  click(q.win, q.w.button("storyboard"));
  assert.equal(q.w.el.querySelectorAll("[data-frame]").length, 0, "its frames would tell the asked grads");
  q.w.cleanup();
});

test("a gradient-descent run goes on across opening a box: its steps, start and direction", () => {
  const { win, w, toggle } = net({ train_inputs: ["x1", "x2"], lr: 0.05 });
  const step = () => w.one('[data-metric="step"]').getAttribute("data-value");
  const direction = () => /** @type {HTMLSelectElement} */ (w.one('[data-train="direction"]'));
  direction().value = "ascend";
  direction().dispatchEvent(new win.Event("change", { bubbles: true }));
  click(win, w.button("train-step"));
  click(win, w.button("train-step"));
  assert.equal(step(), "2");
  const moved = w.slider("x1").value;
  assert.notEqual(moved, "0.5");
  toggle(NEURON);
  assert.equal(step(), "2");
  assert.equal(direction().value, "ascend");
  assert.equal(w.slider("x1").value, moved);
  click(win, w.button("train-step"));
  assert.equal(step(), "3");
  click(win, w.button("train-reset"));
  assert.equal(step(), "0");
  assert.equal(Number(w.slider("x1").value), 0.5, "reset goes back to where the run started");
  // a playing run plays on in the new drawing; pause stops it
  click(win, w.button("train-play"));
  toggle(NEURON);
  assert.equal(w.one("[data-descent]").getAttribute("data-playing"), "true");
  click(win, w.button("train-pause"));
  toggle(NEURON);
  assert.equal(w.one("[data-descent]").hasAttribute("data-playing"), false);
  w.cleanup();
});

test("opening a second box moves the path marks to its output, as a fresh widget with that selection draws them", () => {
  const { win, w, graph, toggle } = net();
  toggle("layers.0.neurons.0");
  const first = w.model.get("selected");
  toggle("layers.0.neurons.2");
  const selected = w.model.get("selected");
  assert.ok(Number.isInteger(selected) && selected !== first);
  const fresh = mount(newWindow(), widget.render, {
    graph,
    inputs: SLIDERS.map((s) => ({ ...s })),
    open_groups: w.model.get("open_groups"),
    selected,
  });
  /** @param {Element} root */
  const marks = (root) => ({
    on: [...root.querySelectorAll('[data-path="true"]')].map((e) => e.getAttribute("data-node-id") ?? e.getAttribute("data-group") ?? `${e.getAttribute("data-from")}>${e.getAttribute("data-to")}`).sort(),
    drawn: [...root.querySelectorAll(".mgm-marks path")].map((e) => `${e.getAttribute("class")} ${e.getAttribute("d") ?? ""}`).sort(),
  });
  flushLater(win);
  const now = marks(w.el);
  assert.ok(now.on.length > 0);
  assert.deepEqual(now, marks(fresh.el));
  fresh.cleanup();
  w.cleanup();
});
