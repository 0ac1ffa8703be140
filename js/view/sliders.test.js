// sliders.js: the readout beside each slider follows its moves.
import assert from "node:assert/strict";
import { test } from "node:test";

import { move, newWindow } from "../testing/harness.js";
import { createSliders } from "./sliders.js";

const SPEC = { name: "x", id: 0, value: 2, min: -5, max: 5, step: 0.05 };

/** The slider panel for SPEC, in a page, and the changes made to its readout's text. */
function mountSliders() {
  const win = newWindow();
  const { element } = createSliders(win.document, [{ ...SPEC }], { onInput() {}, onChange() {} });
  win.document.body.appendChild(element);
  const slider = /** @type {HTMLInputElement} */ (element.querySelector("input"));
  const readout = /** @type {HTMLOutputElement} */ (element.querySelector("output"));
  /** @type {MutationRecord[]} */
  const changes = [];
  const observer = new win.MutationObserver((records) => changes.push(...records));
  observer.observe(readout, { childList: true, characterData: true, subtree: true });
  return { win, slider, readout, changes: () => [...changes, ...observer.takeRecords()] };
}

test("a move rewrites the readout's text in place, and only when it reads differently", () => {
  const { win, slider, readout, changes } = mountSliders();
  const text = readout.firstChild;
  assert.equal(readout.textContent, "2.00");
  move(win, slider, 1.5, "input");
  assert.equal(readout.textContent, "1.50");
  assert.equal(readout.firstChild, text, "the same Text node, not a new one");
  assert.deepEqual(
    changes().map((r) => r.type),
    ["characterData"],
  );
  move(win, slider, 1.5, "change"); // the end of the drag, at the value shown
  assert.equal(changes().length, 0, "the same text is not written again");
  assert.equal(readout.textContent, "1.50");
});
