// The cards out of sight on a slider move: the scene rewrites the chunks near the window at once
// and the others in slices afterwards, or as soon as one comes into sight. The page's
// IntersectionObserver is the test's own, so that the test says which chunks are in sight.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createEvaluator, parseGraph } from "../core/engine.js";
import { mount, move, newWindow } from "../testing/harness.js";
import { mlp } from "../testing/sample-graphs.js";
import { FEATURES } from "../widget.js";
import { createWidget } from "../widget/controller.js";

/**
 * @typedef {object} FakeObserver
 * @property {(entries: Array<{target: Element, isIntersecting: boolean}>) => void} callback
 * @property {{rootMargin?: string} | undefined} options
 * @property {Element[]} targets
 */

/**
 * A page whose IntersectionObservers are recorded and report only when the test says.
 * @returns {{win: import("../testing/harness.js").DOMWindow, observers: FakeObserver[]}}
 */
function pageWithObservers() {
  const win = newWindow();
  /** @type {FakeObserver[]} */
  const observers = [];
  class Observer {
    /**
     * @param {FakeObserver["callback"]} callback
     * @param {FakeObserver["options"]} options
     */
    constructor(callback, options) {
      /** @type {FakeObserver} */
      this.record = { callback, options, targets: [] };
      observers.push(this.record);
    }
    /** @param {Element} el */
    observe(el) {
      this.record.targets.push(el);
    }
    disconnect() {
      this.record.targets = [];
    }
  }
  Object.assign(win, { IntersectionObserver: Observer });
  return { win, observers };
}

/** An MLP whose weights are not all zero, so that every input moves every card after it. */
function weighted() {
  const graph = mlp(2, [8, 8, 1]);
  for (const node of graph.nodes) if (node.op === "" && node.id > 1) node.data = ((node.id * 7) % 5) / 3 - 0.6;
  return graph;
}

const INPUTS = [
  { name: "x1", id: 0, value: 0.5, min: -2, max: 2, step: 0.01 },
  { name: "x2", id: 1, value: -0.5, min: -2, max: 2, step: 0.01 },
];

test("cards out of sight show the new numbers after the slices, or at once when they come into sight", async () => {
  const { win, observers } = pageWithObservers();
  const graph = weighted();
  const w = mount(win, (host) => createWidget(host, FEATURES), { graph, inputs: INPUTS });
  const cull = observers.find((o) => o.options?.rootMargin !== undefined);
  assert.ok(cull, "the scene observes its chunks against the window");
  const chunks = cull.targets.filter((el) => el.classList.contains("mgm-chunk"));
  assert.ok(chunks.length >= 3, `a graph over several chunks (${chunks.length})`);
  // Only the first chunk is near the window.
  cull.callback(chunks.map((target, k) => ({ target, isIntersecting: k === 0 })));
  assert.equal(/** @type {HTMLElement} */ (chunks[1]).style.contentVisibility, "hidden");
  // the chunks out of sight get their cards in the slices after the first paint (lazy.test.js)
  const cards = () => w.el.querySelectorAll("[data-node-id]").length;
  const begin = Date.now();
  while (cards() < graph.nodes.length && Date.now() - begin < 20000) await new Promise((r) => setTimeout(r, 20));
  assert.equal(cards(), graph.nodes.length);

  const g = parseGraph(graph);
  const evaluator = createEvaluator(g);
  /** @param {number} x1 */
  const expected = (x1) => evaluator.runLeaves(Int32Array.of(0, 1), Float64Array.of(x1, -0.5));
  /**
   * Whether every card of `el` shows the numbers for x1.
   * @param {Element} el
   * @param {number} x1
   */
  const correct = (el, x1) => {
    const { data, grad } = expected(x1);
    return [...el.querySelectorAll("[data-node-id]")].every((card) => {
      const id = Number(card.getAttribute("data-node-id"));
      const shows = (/** @type {string} */ field) => card.querySelector(`[data-field="${field}"]`)?.getAttribute("data-value");
      return shows("data") === String(data[id]) && shows("grad") === String(grad[id]);
    });
  };

  move(win, w.slider("x1"), 1.5, "input");
  assert.ok(correct(chunks[0], 1.5), "the chunk in sight is drawn at once");
  assert.ok(!chunks.slice(1).every((c) => correct(c, 1.5)), "those out of sight wait");
  const start = Date.now();
  while (!correct(w.el, 1.5) && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
  assert.ok(correct(w.el, 1.5), "every card, in sight or not, shows the new numbers once the slices are done");

  move(win, w.slider("x1"), -1, "change");
  const last = chunks[chunks.length - 1];
  assert.ok(!correct(last, -1), "out of sight: not yet");
  cull.callback([{ target: last, isIntersecting: true }]);
  assert.ok(correct(last, -1), "coming into sight, a chunk is brought up to date before it paints");
  assert.equal(/** @type {HTMLElement} */ (last).style.contentVisibility, "");
  while (!correct(w.el, -1) && Date.now() - start < 10000) await new Promise((r) => setTimeout(r, 20));
  assert.ok(correct(w.el, -1));
});
