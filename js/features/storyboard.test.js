// The storyboard feature in a DOM (jsdom): one frame per step-through position, with the grads
// known after that many steps and the step's caption.
import assert from "node:assert/strict";
import { test } from "node:test";

import { stepSequence } from "../core/explain.js";
import { parseGraph } from "../core/engine.js";
import { click, mount, newWindow } from "../testing/harness.js";
import { xyz } from "../testing/sample-graphs.js";
import widget from "../widget.js";

test("Storyboard shows len(steps) + 1 frames, from no grads to the full pass; again closes", () => {
  const win = newWindow();
  const w = mount(win, widget.render);
  const total = stepSequence(parseGraph(xyz())).length;
  click(win, w.button("storyboard"));
  const frames = [...w.el.querySelectorAll("[data-frame]")];
  assert.deepEqual(frames.map((f) => f.getAttribute("data-frame")), Array.from({ length: total + 1 }, (_, k) => String(k)));
  /** @param {Element} frame */
  const grads = (frame) => [...frame.querySelectorAll('[data-field="grad"]')].map((e) => Number(e.getAttribute("data-value")));
  assert.deepEqual(grads(frames[0]), [0, 0, 0, 0, 0]);
  assert.deepEqual(grads(frames[total]), [7, 2, 1, 1, 1]);
  assert.match(frames[0].querySelector("figcaption")?.textContent ?? "", /^0 of 4\. Every grad is 0/);
  click(win, w.button("storyboard"));
  assert.equal(w.el.querySelectorAll("[data-frame]").length, 0);
});
