// The chunks out of sight at the first paint are drawn empty and get their cards later: when
// they come into sight, when one of their nodes is asked for, or in the slices after the first
// paint, drawn with the numbers, marks, hidden grads and tab stop of then. The page's
// IntersectionObserver is the test's own, so that the test says which chunks are in sight.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createEvaluator, parseGraph } from "../core/engine.js";
import { maxAbsFiniteGrad } from "../core/explain.js";
import { nodeBoxes } from "../layout/geometry.js";
import { layoutGraph } from "../layout/index.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { click, mount, move } from "../testing/harness.js";
import { INPUTS, mountWeighted, pageWithObservers, weighted } from "../testing/observed-page.js";
import { FEATURES } from "../widget.js";
import { createWidget } from "../widget/controller.js";
import { gradLook } from "./grad-look.js";
import { renderGraph } from "./render.js";

/** @typedef {import("../testing/observed-page.js").FakeObserver} FakeObserver */

/** @param {Element} el */
const cardsIn = (el) => [...el.querySelectorAll("[data-node-id]")];

/**
 * Wait until `done()` holds (at most twenty seconds).
 * @param {() => boolean} done
 */
async function until(done) {
  const start = Date.now();
  while (!done() && Date.now() - start < 20000) await new Promise((r) => setTimeout(r, 10));
}

test("a chunk out of sight is drawn empty and filled when it comes into sight, with the numbers and marks of then", async () => {
  const { win, w, graph, cull, chunks } = mountWeighted();
  const empty = chunks.filter((el) => cardsIn(el).length === 0);
  assert.ok(empty.length >= 2, `most chunks wait for their cards (${empty.length} of ${chunks.length})`);
  assert.ok(
    empty.every((el) => /** @type {HTMLElement} */ (el).style.contentVisibility === "hidden"),
    "and are not rendered",
  );
  const output = /** @type {Element} */ (w.el.querySelector('[data-output="true"]'));
  assert.equal(output.getAttribute("tabindex"), "0", "the tab stop is drawn at once: Tab reaches the graph");

  // Before they are filled: a slider move, then a selection (its node and paths are marked).
  move(win, w.slider("x1"), 1.5, "input");
  const selected = 20;
  w.model.set("selected", selected);
  assert.equal(cardsIn(w.el).length < graph.nodes.length, true, "still waiting");
  const later = empty.filter((el) => cardsIn(el).length === 0);

  cull.callback(empty.map((target) => ({ target, isIntersecting: true })));
  assert.equal(cardsIn(w.el).length, graph.nodes.length, "in sight: every card drawn");
  assert.ok(empty.every((el) => /** @type {HTMLElement} */ (el).style.contentVisibility === ""));
  const { data, grad } = createEvaluator(parseGraph(graph)).runLeaves(Int32Array.of(0, 1), Float64Array.of(1.5, -0.5));
  for (const card of cardsIn(w.el)) {
    const id = Number(card.getAttribute("data-node-id"));
    const shows = (/** @type {string} */ field) => card.querySelector(`[data-field="${field}"]`)?.getAttribute("data-value");
    assert.equal(shows("data"), String(data[id]), `card ${id}'s data`);
    assert.equal(shows("grad"), String(grad[id]), `card ${id}'s grad`);
    const look = gradLook(grad[id], maxAbsFiniteGrad(grad));
    assert.equal(card.getAttribute("data-grad-sign"), look.sign, `card ${id}'s grad's look`);
  }
  assert.equal(w.node(selected).getAttribute("data-selected"), "true", "the selection made before it was drawn");
  assert.equal(w.node(selected).getAttribute("data-path"), "true");
  assert.equal(w.el.querySelectorAll('[data-selected="true"]').length, 1);
  assert.ok(
    later.some((el) => el.querySelector('[data-path="true"]')),
    "the selection's paths reach into chunks drawn after it",
  );
  assert.equal(w.el.querySelectorAll('[tabindex="0"]').length, 1, "one tab stop");
});

test("every chunk gets its cards in the slices after the first paint", async () => {
  const { win, w, graph, cull, chunks } = mountWeighted();
  cull.callback(chunks.map((target) => ({ target, isIntersecting: false })));
  assert.ok(cardsIn(w.el).length < graph.nodes.length);
  move(win, w.slider("x2"), 1, "change");
  await until(() => cardsIn(w.el).length === graph.nodes.length);
  assert.equal(cardsIn(w.el).length, graph.nodes.length, "every card is in the page again");
  const { data } = createEvaluator(parseGraph(graph)).runLeaves(Int32Array.of(0, 1), Float64Array.of(0.5, 1));
  for (const card of cardsIn(w.el)) {
    const id = Number(card.getAttribute("data-node-id"));
    assert.equal(card.querySelector('[data-field="data"]')?.getAttribute("data-value"), String(data[id]));
  }
  assert.ok(
    chunks.every((el) => /** @type {HTMLElement} */ (el).style.contentVisibility === "hidden"),
    "filled out of sight, they stay unrendered",
  );
});

test("asking for a waiting node draws its chunk: nodeElement, wake, the tab stop, hidden grads", () => {
  const { win } = pageWithObservers();
  const doc = win.document;
  const g = parseGraph(weighted());
  const boxes = nodeBoxes(g, 7);
  const layout = layoutGraph(g, boxes);
  const { data, grad } = createEvaluator(g).runLeaves(Int32Array.of(0, 1), Float64Array.of(0.5, -0.5));
  const scene = renderGraph(doc, g, boxes, layout, new Set([0, 1]), data, grad, null, { lazy: true });
  doc.body.appendChild(scene.element);
  const drawn = () => cardsIn(scene.element).map((el) => Number(el.getAttribute("data-node-id")));
  const first = drawn();
  const waiting = [...Array(g.size).keys()].filter((id) => !first.includes(id));
  assert.ok(waiting.length > g.size / 2, "most cards wait");
  const [a, b, c] = [waiting[0], waiting[Math.floor(waiting.length / 2)], waiting[waiting.length - 1]];

  const hidden = new Uint8Array(g.size);
  hidden[b] = 1;
  scene.hideGrads(hidden);
  const card = scene.nodeElement(a);
  assert.equal(card.getAttribute("data-node-id"), String(a), "the real card");
  assert.ok(card.isConnected && scene.element.contains(card));
  assert.equal(scene.nodeElement(a), card, "the same card when asked again");

  scene.setTabStop(c);
  const stop = /** @type {Element} */ (scene.element.querySelector(`[data-node-id="${c}"]`));
  assert.equal(stop.getAttribute("tabindex"), "0");
  assert.equal(scene.element.querySelectorAll('[tabindex="0"]').length, 1);

  scene.wake(b);
  const quiz = scene.nodeElement(b);
  assert.equal(quiz.querySelector('[data-field="grad"]')?.textContent, "?", "a hidden grad stays hidden");
  assert.equal(quiz.querySelector('[data-field="grad"]')?.hasAttribute("data-value"), false);
});

test("open-all draws the containers' cards outside the part on screen when they are needed", () => {
  const { win, observers } = pageWithObservers();
  const graph = groupedMlp(2, [8, 8, 1]);
  const w = mount(win, (host) => createWidget(host, FEATURES), {
    graph,
    inputs: INPUTS,
    open_groups: ["", "layers.0", "layers.1", "layers.2"],
  });
  const cull = /** @type {FakeObserver} */ (observers.find((o) => o.options?.rootMargin !== undefined));
  click(win, w.button("open-all"));
  assert.equal(w.el.querySelectorAll('[data-group-state="closed"]').length, 0);
  const chunks = () => cull.targets.filter((el) => el.classList.contains("mgm-chunk") && el.isConnected);
  assert.ok(
    chunks().some((el) => cardsIn(el).length === 0),
    "the window has no size here: the chunks drawn anew wait",
  );
  move(win, w.slider("x2"), 1.25, "input");
  cull.callback(chunks().map((target) => ({ target, isIntersecting: true })));
  assert.equal(cardsIn(w.el).length, graph.nodes.length);
  const { data, grad } = createEvaluator(parseGraph(graph)).runLeaves(Int32Array.of(0, 1), Float64Array.of(0.5, 1.25));
  for (const card of cardsIn(w.el)) {
    const id = Number(card.getAttribute("data-node-id"));
    const shows = (/** @type {string} */ field) => card.querySelector(`[data-field="${field}"]`)?.getAttribute("data-value");
    assert.equal(shows("data"), String(data[id]), `card ${id}'s data`);
    assert.equal(shows("grad"), String(grad[id]), `card ${id}'s grad`);
  }
  assert.equal(w.el.querySelectorAll('.mgm-nodes [tabindex="0"]').length, 1, "one tab stop");
});

test("a neuron opened in sight has its cards rendered at once, until the culling reports on them", () => {
  const { win, observers } = pageWithObservers();
  const w = mount(win, (host) => createWidget(host, FEATURES), {
    graph: groupedMlp(2, [3, 2, 1]),
    inputs: INPUTS,
    open_groups: ["", "layers.0", "layers.1"],
  });
  const viewport = w.one(".mgm-viewport");
  Object.defineProperty(viewport, "clientWidth", { value: 600 });
  Object.defineProperty(viewport, "clientHeight", { value: 400 });
  const cull = /** @type {FakeObserver} */ (observers.find((o) => o.options?.rootMargin !== undefined));
  click(win, /** @type {Element} */ (w.el.querySelector('[data-group="layers.0.neurons.0"]')));
  const opened = [...w.el.querySelectorAll('[data-group="layers.0.neurons.0"] .mgm-chunk')];
  assert.ok(opened.length > 0 && opened.every((el) => cardsIn(el).length > 0), "its cards are drawn");
  assert.ok(opened.every((el) => /** @type {HTMLElement} */ (el).style.contentVisibility === "visible"));
  cull.callback(opened.map((target) => ({ target, isIntersecting: true })));
  assert.ok(opened.every((el) => /** @type {HTMLElement} */ (el).style.contentVisibility === ""));
});
