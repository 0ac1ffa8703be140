// Keyboard navigation of a network drawn as boxes (features/keyboard.js), in jsdom through the
// whole widget: arrow keys reach every box, closed (the box) and open (its header), with one
// tab stop throughout.
import assert from "node:assert/strict";
import { test } from "node:test";

import { click, mount, newWindow, press } from "../testing/harness.js";
import { groupedMlp } from "../testing/group-graphs.js";
import widget from "../widget.js";

/** What holds the focus: a closed box's path, "open:" and an open box's path, or "n" and a card's id. @param {Document} doc */
function focused(doc) {
  const e = /** @type {HTMLElement} */ (doc.activeElement);
  if (e.dataset.group !== undefined) return e.dataset.group;
  if (e.matches("[data-action='toggle-group']")) return `open:${e.parentElement?.dataset.group}`;
  return e.dataset.nodeId !== undefined ? `n${e.dataset.nodeId}` : null;
}

test("arrow keys reach every box, closed and open, with one tab stop", () => {
  const win = newWindow();
  const doc = win.document;
  const w = mount(win, widget.render, { graph: groupedMlp(2, [3, 1]), inputs: [], open_groups: ["", "layers.0", "layers.1"] });
  click(win, w.one('[data-group="layers.0.neurons.1"]')); // one neuron open: its cards too
  const stops = () => w.el.querySelectorAll('.mgm-nodes [tabindex="0"]');
  assert.equal(stops().length, 1);
  /** @type {HTMLElement} */ (stops()[0]).focus();
  const seen = new Set([focused(doc)]);
  press(win, /** @type {Element} */ (doc.activeElement), "Home");
  for (let col = 0; col < 16; col++) {
    for (let k = 0; k < 12; k++) press(win, /** @type {Element} */ (doc.activeElement), "ArrowUp");
    for (let k = 0; k < 12; k++) {
      seen.add(focused(doc));
      assert.equal(stops().length, 1, "one tab stop");
      assert.equal(stops()[0], doc.activeElement, "the focused element is the tab stop");
      press(win, /** @type {Element} */ (doc.activeElement), "ArrowDown");
    }
    press(win, /** @type {Element} */ (doc.activeElement), "ArrowRight");
  }
  const boxes = [...w.el.querySelectorAll("[data-group]")].map((b) => {
    const el = /** @type {HTMLElement} */ (b);
    return el.dataset.groupState === "open" ? `open:${el.dataset.group}` : /** @type {string} */ (el.dataset.group);
  });
  assert.deepEqual(boxes.filter((b) => b.startsWith("open:")).sort(), ["open:", "open:layers.0", "open:layers.0.neurons.1", "open:layers.1"]);
  for (const b of boxes) assert.ok(seen.has(b), `${b} is reached (seen: ${[...seen].join(" ")})`);
  const cards = [...w.el.querySelectorAll("[data-node-id]")].map((c) => `n${c.getAttribute("data-node-id")}`);
  assert.equal(cards.length, 2 + 8);
  for (const c of cards) assert.ok(seen.has(c), `${c} is reached`);
  // from a header, Left and Right lead on and back; Enter on it closes its box
  const header = /** @type {HTMLElement} */ (w.one('[data-group="layers.0.neurons.1"] > [data-action="toggle-group"]'));
  header.focus();
  assert.equal(header.getAttribute("tabindex"), "0");
  assert.equal(stops().length, 1);
  assert.ok(press(win, header, "ArrowRight"));
  assert.notEqual(doc.activeElement, header);
  assert.equal(stops().length, 1);
  header.focus();
  press(win, header, "Enter");
  assert.equal(w.one('[data-group="layers.0.neurons.1"]').getAttribute("data-group-state"), "closed");
  w.cleanup();
});
