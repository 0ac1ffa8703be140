// The quiz feature in a DOM (jsdom): hidden grads, answers on the cards, the panel's progress,
// hint, reveal and reveal all, a slider move that un-solves, and the progress in the model.
import assert from "node:assert/strict";
import { test } from "node:test";

import { click, mount, move, newWindow, press } from "../testing/harness.js";
import { xyz } from "../testing/sample-graphs.js";
import widget from "../widget.js";

/** z = x*y + x**2 at x = 2, y = 3 (ids x 0, y 1, x*y 2, x**2 3, z 4), its grads left out. */
function quizGraph() {
  const g = xyz();
  return { ...g, nodes: g.nodes.map(({ grad, ...n }) => n) };
}

/** @param {number[]} asked */
function open(asked) {
  const win = newWindow();
  const quiz_progress = asked.map((id) => ({ id, solved: false, revealed: false, attempts: 0, answer: null }));
  const w = mount(win, widget.render, { graph: quizGraph(), quiz: { asked }, quiz_progress });
  /** @param {number} id @param {string} text */
  const type = (id, text) => {
    const input = /** @type {HTMLInputElement} */ (w.one(`input[data-guess="${id}"]`));
    input.value = text;
    press(win, input, "Enter");
  };
  const verdict = (/** @type {number} */ id) => w.one(`[data-node-id="${id}"] [data-verdict]`).getAttribute("data-verdict");
  const solved = () => {
    const m = w.one('[data-metric="solved"]');
    return [m.getAttribute("data-value"), m.getAttribute("data-total")];
  };
  return { win, w, type, verdict, solved };
}

test("asked grads show ? and are nowhere in the widget's markup", () => {
  const { w, solved } = open([0, 1, 2, 3]);
  assert.deepEqual([0, 1, 2, 3].map(w.grad), ["?", "?", "?", "?"]);
  assert.equal(w.grad(4), "1", "the output is not asked");
  // x's grad is 7: no text and no attribute of the widget holds it
  const doc = w.el.ownerDocument;
  const texts = [];
  const walker = doc.createTreeWalker(w.el, 4);
  while (walker.nextNode()) texts.push((walker.currentNode.textContent ?? "").trim());
  assert.ok(!texts.includes("7"));
  const values = [...w.el.querySelectorAll("*")].flatMap((e) =>
    [...e.attributes].filter((a) => /^(data-|aria-|title|value)/.test(a.name)).map((a) => a.value));
  assert.ok(!values.some((v) => /(^|\D)7(\.0*)?(\D|$)/.test(v.trim())), "an attribute tells 7");
  assert.equal(w.el.querySelectorAll('[data-field="grad"][data-value]').length, 1, "only the output's");
  assert.deepEqual(solved(), ["0", "4"]);
  assert.equal(w.one("[data-quiz] .mgm-panel-chain").textContent, "Click a node showing ? and type its grad on the card.", "no boxes to speak of");
});

test("a wrong answer says so with a hint; a right one shows the grad and counts", () => {
  const { win, w, type, verdict, solved } = open([0, 1, 2, 3]);
  assert.equal(verdict(0), "");
  click(win, w.node(0));
  assert.ok(!(w.one("[data-panel]").textContent ?? "").includes("7"), "the details panel waits");
  type(0, "5");
  assert.equal(verdict(0), "wrong");
  assert.equal(w.grad(0), "?");
  const hint = w.one("[data-hint]").textContent ?? "";
  assert.match(hint, /^Hint: ∂z\/∂x = /);
  assert.ok(hint.includes("∂z/∂(x*y)·y") && hint.includes("▢·3") && hint.includes("▢·4"), hint);
  assert.ok(!hint.includes("7"));
  type(2, "1");
  assert.equal(verdict(2), "correct");
  assert.equal(w.grad(2), "1");
  assert.deepEqual(solved(), ["1", "4"]);
  click(win, w.node(0));
  type(0, "6"); // still wrong: the hint now knows x*y's grad
  const known = w.one("[data-hint]").textContent ?? "";
  assert.ok(known.includes("1·3") && known.includes("▢·4"), known);
  type(0, "7.001");
  assert.equal(verdict(0), "correct");
  assert.equal(w.grad(0), "7");
  const p = w.model.get("quiz_progress");
  assert.deepEqual(p[0], { id: 0, solved: true, revealed: false, attempts: 3, answer: 7.001 });
});

test("reveal shows one answer, reveal all the rest; then the panel explains again", () => {
  const { win, w, verdict, solved } = open([0, 1]);
  click(win, w.node(1));
  click(win, w.button("reveal"));
  assert.equal(w.grad(1), "2");
  assert.equal(verdict(1), "revealed");
  assert.equal(w.grad(0), "?");
  const root = /** @type {Element} */ (w.el.querySelector(".mgm-root"));
  assert.ok(root.hasAttribute("data-quiz-open"), "the details panel is hidden while grads are");
  click(win, w.button("reveal-all"));
  assert.ok(!root.hasAttribute("data-quiz-open"));
  assert.equal(w.grad(0), "7");
  assert.deepEqual(solved(), ["0", "2"]);
  assert.deepEqual(w.model.get("quiz_progress").map((/** @type {any} */ e) => e.revealed), [true, true]);
  click(win, w.node(0));
  assert.equal(w.one('[data-panel-field="grad"]').getAttribute("data-value"), "7");
});

test("a slider move resets what is no longer right and keeps what still is", () => {
  const { win, w, type, verdict, solved } = open([0, 2]);
  type(0, "7");
  type(2, "1");
  assert.deepEqual(solved(), ["2", "2"]);
  move(win, w.slider("x"), 1, "input"); // dz/dx = y + 2x = 5 now; dz/d(x*y) stays 1
  assert.equal(verdict(0), "");
  assert.equal(w.grad(0), "?");
  assert.equal(verdict(2), "correct");
  assert.deepEqual(solved(), ["1", "2"]);
});

test("progress from the model (a reloaded page) is taken up", () => {
  const win = newWindow();
  const w = mount(win, widget.render, {
    graph: quizGraph(),
    quiz: { asked: [0, 1] },
    quiz_progress: [
      { id: 0, solved: true, revealed: false, attempts: 2, answer: 7 },
      { id: 1, solved: false, revealed: false, attempts: 1, answer: null },
    ],
  });
  assert.equal(w.grad(0), "7");
  assert.equal(w.grad(1), "?");
  assert.equal(w.one('[data-metric="solved"]').getAttribute("data-value"), "1");
});
