// A lesson's set-up in a DOM (jsdom): caption, hidden parts, locked sliders, "Show grads".
import assert from "node:assert/strict";
import { test } from "node:test";

import { click, mount, newWindow } from "../testing/harness.js";
import widget from "../widget.js";

/** @param {Record<string, unknown>} lesson */
const open = (lesson) => {
  const win = newWindow();
  return { win, w: mount(win, widget.render, { lesson }) };
};

test("the caption heads the widget; hidden parts and compact are the root's attributes", () => {
  const { w } = open({ hide: ["panel", "step", "sliders"], lock: [], compact: true, caption: "Lesson <1>" });
  const root = /** @type {HTMLElement} */ (w.el.querySelector(".mgm-root") ?? w.el.firstElementChild);
  const caption = w.one("[data-caption]");
  assert.equal(caption.textContent, "Lesson <1>");
  assert.equal(caption.parentElement?.firstElementChild, caption);
  assert.equal(root.getAttribute("data-hide"), "panel step sliders");
  assert.ok(root.hasAttribute("data-compact"));
  assert.equal(w.grad(0), "7", "grads are not hidden unless asked");
});

test("a locked slider is shown but disabled; the others move", () => {
  const { w } = open({ hide: [], lock: ["y"], compact: false, caption: null });
  assert.equal(w.slider("y").disabled, true);
  assert.equal(w.slider("y").getAttribute("data-locked"), "true");
  assert.equal(w.slider("x").disabled, false);
});

test("hidden grads show ? until the student presses Show grads", () => {
  const { win, w } = open({ hide: ["grad"], lock: [], compact: false, caption: null });
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["?", "?", "?", "?", "?"]);
  assert.equal(w.el.querySelectorAll('[data-field="grad"][data-value]').length, 0);
  click(win, w.button("show-grads"));
  assert.deepEqual([0, 1, 2, 3, 4].map(w.grad), ["7", "2", "1", "1", "1"]);
  click(win, w.node(0));
  assert.equal(w.one('[data-panel-field="grad"]').getAttribute("data-value"), "7");
});
