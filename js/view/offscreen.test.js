// The cards out of sight on a slider move: the scene rewrites the chunks near the window at once
// and the others in slices afterwards, or as soon as one comes into sight. The page's
// IntersectionObserver is the test's own, so that the test says which chunks are in sight.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createEvaluator, parseGraph } from "../core/engine.js";
import { move } from "../testing/harness.js";
import { mountWeighted } from "../testing/observed-page.js";

test("cards out of sight show the new numbers after the slices, or at once when they come into sight", async () => {
  const { win, w, graph, cull, chunks } = mountWeighted();
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
