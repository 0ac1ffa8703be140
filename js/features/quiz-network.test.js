// The quiz on a network drawn as boxes (features/quiz.js with features/network.js), in jsdom
// through the whole widget: answers only on drawn cards, closed boxes counting the asked grads
// they hide, and the progress, verdicts and hint across opening and closing a box.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createEvaluator, parseGraph } from "../core/engine.js";
import { click, mount, newWindow, press } from "../testing/harness.js";
import { groupedMlp } from "../testing/group-graphs.js";
import widget from "../widget.js";

const DEFAULT_OPEN = ["", "layers.0", "layers.1"];
const NEURON = "layers.0.neurons.1";

/** MLP(2, [3, 1]) as a quiz: no grads in the graph, every grad but the output's asked. */
function quiz() {
  const full = groupedMlp(2, [3, 1]);
  const graph = { ...full, nodes: full.nodes.map(({ grad, ...n }) => n) };
  const asked = graph.nodes.map((n) => n.id).filter((id) => id !== graph.output);
  const g = parseGraph(graph);
  const { grad } = createEvaluator(g).runLeaves([], []);
  const win = newWindow();
  const quiz_progress = asked.map((id) => ({ id, solved: false, revealed: false, attempts: 0, answer: null }));
  const w = mount(win, widget.render, { graph, inputs: [], quiz: { asked }, quiz_progress, open_groups: DEFAULT_OPEN });
  /** @param {string} path */
  const box = (path) => w.one(`[data-group="${path}"]`);
  /** The ids of the nodes in group `path` (not in its subgroups). @param {string} path */
  const members = (path) => {
    const grp = graph.groups?.find((x) => x.path === path)?.id;
    return graph.nodes.filter((n) => n.group === grp).map((n) => n.id);
  };
  /** @param {number} id @param {string} text */
  const type = (id, text) => {
    const input = /** @type {HTMLInputElement} */ (w.one(`input[data-guess="${id}"]`));
    input.value = text;
    press(win, input, "Enter");
  };
  const verdict = (/** @type {number} */ id) => w.one(`[data-node-id="${id}"] [data-verdict]`).getAttribute("data-verdict");
  const solved = () => w.one('[data-metric="solved"]').getAttribute("data-value");
  const rep = (/** @type {string} */ path) => graph.nodes.findIndex((n) => n.path === path);
  return { win, w, graph, grad, asked, box, members, type, verdict, solved, rep };
}

test("a quiz on closed neurons: answers only on drawn cards, each closed box counts the grads it hides", () => {
  const { win, w, asked, box, members, rep } = quiz();
  const guesses = [...w.el.querySelectorAll("input[data-guess]")];
  // the inputs x1 and x2 are the only asked nodes drawn as cards
  assert.deepEqual(guesses.map((el) => Number(el.getAttribute("data-guess"))), [0, 1]);
  for (const el of guesses) {
    assert.equal(el.closest("[data-node-id]")?.getAttribute("data-node-id"), el.getAttribute("data-guess"));
  }
  assert.equal(w.el.querySelectorAll(".mgm-box foreignObject, .mgm-box [data-verdict]").length, 0, "nothing dropped into a box");
  // each closed neuron hides its 8 nodes (w0 w1 b, two products, two sums, relu), all asked
  const hidden = ["layers.0.neurons.0", NEURON, "layers.0.neurons.2"];
  for (const path of hidden) {
    assert.equal(members(path).length, 8);
    assert.equal(box(path).getAttribute("data-quiz-inside"), "8");
    assert.equal(box(path).querySelector(".mgm-quiz-badge")?.textContent, "8 ?");
    // the box shows its output's grad as "?", with no number anywhere in it
    const g = /** @type {HTMLElement} */ (box(path).querySelector('[data-field="grad"]'));
    assert.equal(g.textContent, "?");
    assert.equal(g.hasAttribute("data-value"), false);
  }
  // the output neuron hides 3 + 1 + 3 + 3 nodes; its output (the graph's) is not asked
  const last = box("layers.1.neurons.0");
  assert.equal(last.getAttribute("data-quiz-inside"), String(members("layers.1.neurons.0").filter((id) => asked.includes(id)).length));
  assert.match(w.one("[data-quiz] .mgm-panel-chain").textContent ?? "", /; open a box marked \? for more\.$/);
  // a hidden node selected: the prompt says which box to open
  const w1 = rep(`${NEURON}.w.1`);
  w.model.set("selected", w1);
  const prompt = w.one("[data-quiz] .mgm-panel-chain").textContent ?? "";
  assert.match(prompt, new RegExp(`in the closed box ${NEURON.replaceAll(".", "\\.")}: open it to answer`));
  // opening it draws its cards, each with an answer box; the count goes
  click(win, box(NEURON));
  assert.equal(box(NEURON).getAttribute("data-group-state"), "open");
  assert.equal(box(NEURON).hasAttribute("data-quiz-inside"), false);
  assert.equal(box(NEURON).querySelector(".mgm-quiz-badge"), null);
  const inBox = [...box(NEURON).querySelectorAll("input[data-guess]")].map((el) => Number(el.getAttribute("data-guess")));
  assert.deepEqual(inBox.sort((a, b) => a - b), members(NEURON));
  assert.equal(w.grad(w1), "?");
  assert.equal(box("layers.0.neurons.0").getAttribute("data-quiz-inside"), "8", "the other boxes still count");
  assert.deepEqual(w.model.get("open_groups").length, DEFAULT_OPEN.length + 1);
  w.cleanup();
});

test("answers, verdicts and the hint survive closing and opening the box", () => {
  const { win, w, grad, box, members, type, verdict, solved, rep } = quiz();
  click(win, box(NEURON));
  const relu = rep(NEURON);
  const w0 = rep(`${NEURON}.w.0`);
  type(relu, String(grad[relu] + 10));
  assert.equal(verdict(relu), "wrong");
  type(w0, String(grad[w0]));
  assert.equal(verdict(w0), "correct");
  assert.equal(solved(), "1");
  // close it: the box counts the 7 still to find; the score stays
  click(win, /** @type {Element} */ (box(NEURON).querySelector('[data-action="toggle-group"]')));
  assert.equal(box(NEURON).getAttribute("data-group-state"), "closed");
  assert.equal(box(NEURON).getAttribute("data-quiz-inside"), String(members(NEURON).length - 1));
  assert.equal(solved(), "1");
  // open it again: the marks, the found grad and the hint are as they were
  click(win, box(NEURON));
  assert.equal(verdict(relu), "wrong");
  assert.equal(verdict(w0), "correct");
  assert.equal(Number(w.node(w0).querySelector('[data-field="grad"]')?.getAttribute("data-value")), grad[w0]);
  assert.equal(w.grad(relu), "?");
  assert.equal(w.model.get("selected"), relu, "the click selected the box's output");
  assert.match(w.one("[data-hint]").textContent ?? "", /^Hint: /);
  assert.match(w.one("[data-quiz-feedback]").textContent ?? "", /^Not quite/);
  const p = w.model.get("quiz_progress").find((/** @type {{id: number}} */ e) => e.id === w0);
  assert.deepEqual(p, { id: w0, solved: true, revealed: false, attempts: 1, answer: grad[w0] });
  w.cleanup();
});

test("edge grads are off while grads are hidden: the edges would tell their signs", () => {
  const { win, w } = quiz();
  const toggle = w.button("edge-grads");
  assert.equal(toggle.getAttribute("aria-disabled"), "true");
  const signs = () => [...w.el.querySelectorAll(".mgm-edge[data-weight]")].map((e) => e.getAttribute("data-sign"));
  const weights = signs();
  click(win, toggle);
  assert.equal(toggle.getAttribute("aria-pressed"), "false", "a disabled button does nothing");
  assert.deepEqual(signs(), weights);
  click(win, w.button("reveal-all"));
  assert.equal(w.button("edge-grads").getAttribute("aria-disabled"), "false");
  click(win, w.button("edge-grads"));
  assert.equal(w.button("edge-grads").getAttribute("aria-pressed"), "true");
  w.cleanup();
});
