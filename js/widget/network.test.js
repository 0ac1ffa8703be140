// A graph with groups drawn as a network of boxes (widget/network.js, features/network.js,
// view/render.js's net mode), in jsdom through the whole widget.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { formatNumber } from "../core/format.js";
import { click, mount, newWindow } from "../testing/harness.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { FEATURES } from "../widget.js";
import { createWidget } from "./controller.js";
import { slideBoxes } from "./network.js";

/** @type {import("../testing/harness.js").DOMWindow} */
let win = newWindow();
beforeEach(() => {
  win = newWindow();
});

const DEFAULT_OPEN = ["", "layers.0", "layers.1"];

/** @param {Record<string, unknown>} [state] */
function draw(state = {}) {
  const graph = groupedMlp(2, [3, 1]);
  const w = mount(win, ({ model, el }) => createWidget({ model, el }, FEATURES), {
    graph,
    inputs: [],
    open_groups: DEFAULT_OPEN,
    ...state,
  });
  /** @param {string} path */
  const box = (path) => w.one(`[data-group="${path}"]`);
  return { ...w, graph, box };
}

test("a network opens with its neurons closed: boxes with their output's numbers, no cards inside", () => {
  const w = draw();
  assert.equal(w.box("").getAttribute("data-group-state"), "open");
  assert.equal(w.box("layers.0").getAttribute("data-group-state"), "open");
  const n = w.box("layers.0.neurons.2");
  assert.equal(n.getAttribute("data-group-state"), "closed");
  assert.ok(n.querySelector('[data-action="toggle-group"]'));
  assert.equal(n.querySelectorAll("[data-node-id]").length, 0);
  // its numbers are its output's (the relu), as a card shows them
  const out = /** @type {number} */ (w.graph.nodes.findIndex((x) => x.path === "layers.0.neurons.2"));
  const data = /** @type {HTMLElement} */ (n.querySelector('[data-field="data"]'));
  assert.equal(data.textContent, formatNumber(Number(w.graph.nodes[out].data)));
  assert.equal(Number(data.getAttribute("data-value")), w.graph.nodes[out].data);
  assert.ok(n.querySelector('[data-field="grad"]')?.hasAttribute("data-value"));
  // the inputs are cards at the top; nothing of the neurons is
  assert.equal(w.el.querySelectorAll("[data-node-id]").length, 2);
  assert.equal(w.node(0).getAttribute("data-label"), "x1");
  // one weight edge per input and neuron pair
  assert.equal(w.el.querySelectorAll(".mgm-edge[data-weight]").length, 2 * 3 + 3);
  w.cleanup();
});

test("a click on a closed box opens it in place, selects its output; its header closes it", () => {
  const w = draw();
  const path = "layers.0.neurons.1";
  click(win, w.box(path));
  const n = w.box(path);
  assert.equal(n.getAttribute("data-group-state"), "open");
  assert.deepEqual([...w.model.get("open_groups")].sort(), [...DEFAULT_OPEN, path].sort());
  const out = w.graph.nodes.findIndex((x) => x.path === path);
  assert.equal(w.model.get("selected"), out);
  // its weight and bias cards and its own op cards are inside its box, in the DOM and on screen
  const cards = [...n.querySelectorAll("[data-node-id]")].map((el) => Number(el.getAttribute("data-node-id")));
  const own = w.graph.nodes.filter((x) => x.group === w.graph.groups?.find((grp) => grp.path === path)?.id).map((x) => x.id);
  assert.deepEqual(cards.sort((a, b) => a - b), own);
  assert.equal(cards.length, 2 + 1 + 2 + 2 + 1, "w0 w1 b, two products, two sums, relu");
  assert.equal(w.data(out), formatNumber(Number(w.graph.nodes[out].data)));
  const box = { left: parseFloat(n.style.left), top: parseFloat(n.style.top), width: parseFloat(n.style.width), height: parseFloat(n.style.height) };
  for (const chunk of n.querySelectorAll(":scope > .mgm-chunk")) {
    const c = /** @type {HTMLElement} */ (chunk);
    assert.ok(parseFloat(c.style.left) >= 0 && parseFloat(c.style.left) + parseFloat(c.style.width) <= box.width + 3);
    assert.ok(parseFloat(c.style.top) >= 0 && parseFloat(c.style.top) + parseFloat(c.style.height) <= box.height + 3);
  }
  // the selected output is marked on its card
  assert.equal(w.node(out).getAttribute("data-selected"), "true");
  click(win, /** @type {Element} */ (n.querySelector('[data-action="toggle-group"]')));
  assert.equal(w.box(path).getAttribute("data-group-state"), "closed");
  assert.deepEqual(w.model.get("open_groups"), DEFAULT_OPEN);
  // the selection stays, on the box that hides it now
  assert.equal(w.box(path).getAttribute("data-selected"), "true");
  w.cleanup();
});

test("Enter on a focused box opens it; open all, close all; the model's word redraws", () => {
  const w = draw();
  const path = "layers.0.neurons.0";
  const n = w.box(path);
  n.focus();
  n.dispatchEvent(new win.KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  assert.equal(w.box(path).getAttribute("data-group-state"), "open");
  click(win, w.button("close-all"));
  assert.deepEqual(w.model.get("open_groups"), []);
  assert.equal(w.box("").getAttribute("data-group-state"), "closed");
  assert.equal(w.el.querySelectorAll("[data-group]").length, 1);
  click(win, w.button("open-all"));
  assert.equal(w.el.querySelectorAll('[data-group-state="closed"]').length, 0);
  assert.equal(w.el.querySelectorAll("[data-node-id]").length, w.graph.nodes.length);
  // the kernel snaps back: the drawing follows
  w.model.set("open_groups", DEFAULT_OPEN);
  assert.equal(w.box(path).getAttribute("data-group-state"), "closed");
  assert.equal(w.el.querySelectorAll("[data-node-id]").length, 2);
  w.cleanup();
});

test("weight edges: coloured by the weight's sign; the toggle shows grads instead", () => {
  // a slider: the page computes the grads itself
  const w = draw({ inputs: [{ name: "x1", id: 0, value: 0.9, min: -1, max: 1, step: 0.1 }] });
  const edges = [...w.el.querySelectorAll(".mgm-edge[data-weight]")];
  for (const e of edges) {
    const weight = Number(e.getAttribute("data-weight"));
    const value = Number(w.graph.nodes[weight].data);
    assert.equal(e.getAttribute("data-sign"), value > 0 ? "pos" : value < 0 ? "neg" : "zero");
  }
  const toggle = w.button("edge-grads");
  assert.equal(toggle.getAttribute("aria-pressed"), "false");
  click(win, w.button("open-all")); // the weights' cards show their grads
  click(win, w.button("edge-grads"));
  assert.equal(w.button("edge-grads").getAttribute("aria-pressed"), "true");
  const weighted = [...w.el.querySelectorAll(".mgm-edge[data-weight]")];
  assert.equal(weighted.length, 2 * 3 + 3);
  for (const e of weighted) {
    const grad = Number(w.node(Number(e.getAttribute("data-weight"))).querySelector('[data-field="grad"]')?.getAttribute("data-value"));
    assert.equal(e.getAttribute("data-sign"), grad > 0 ? "pos" : grad < 0 ? "neg" : "zero");
  }
  assert.ok(weighted.some((e) => e.getAttribute("data-sign") !== "zero"), "some weight has a grad");
  w.cleanup();
});

test("a hidden node selected from the model marks its box; a flat graph draws no boxes", () => {
  const w = draw();
  const hidden = w.graph.nodes.findIndex((x) => x.path === "layers.0.neurons.2.w.1");
  w.model.set("selected", hidden);
  assert.equal(w.box("layers.0.neurons.2").getAttribute("data-selected"), "true");
  assert.equal(w.box("layers.0.neurons.2").getAttribute("data-group-state"), "closed", "selecting opens nothing");
  w.cleanup();
  const flat = mount(win, ({ model, el }) => createWidget({ model, el }, FEATURES));
  assert.equal(flat.el.querySelectorAll("[data-group]").length, 0);
  assert.equal(flat.el.querySelector('[data-action="open-all"]'), null);
  flat.cleanup();
});

test("opening a box slides the boxes that moved from where they were", async () => {
  const w = draw();
  click(win, w.box("layers.0.neurons.0"));
  // the neurons below it moved down: each starts where it was, then slides into place
  const below = w.box("layers.0.neurons.2");
  const start = below.style.transform;
  assert.match(start, /^translate\(0px, ?-\d+px\)$/);
  // the next frame paints it still where it was, styling the start the slide goes from
  await new Promise((resolve) => win.requestAnimationFrame(resolve));
  assert.equal(below.style.transform, start);
  assert.equal(below.style.transition, "");
  await new Promise((resolve) => win.requestAnimationFrame(resolve));
  assert.equal(below.style.transform, "");
  assert.match(below.style.transition, /transform/);
  w.cleanup();
});

/**
 * A page's frames by hand for slideBoxes, and boxes that are plain style holders.
 * @param {boolean} [reduce] whether the page prefers reduced motion
 */
function slidePage(reduce = false) {
  /** @type {Array<() => void>} */
  let frames = [];
  const win = /** @type {Window} */ (
    /** @type {unknown} */ ({
      requestAnimationFrame: (/** @type {() => void} */ f) => frames.push(f),
      matchMedia: (/** @type {string} */ q) => ({ matches: reduce && q.includes("reduce") }),
    })
  );
  const els = Array.from({ length: 4 }, () => /** @type {HTMLElement} */ (/** @type {unknown} */ ({ style: { transform: "", transition: "" } })));
  const frame = () => {
    const now = frames;
    frames = [];
    for (const f of now) f();
  };
  return { win, els, frame };
}

/**
 * A compound layout of four boxes side by side (tops given), 100 by 50 each, in no container.
 * @param {number[]} lefts
 * @param {number[]} tops
 */
function fourBoxes(lefts, tops) {
  return /** @type {import("../layout/compound.js").CompoundLayout} */ (
    /** @type {unknown} */ ({ groupLeft: lefts, groupTop: tops, groupWidth: [100, 100, 100, 100], groupHeight: [50, 50, 50, 50] })
  );
}

const FOUR = /** @type {import("../core/groups.js").GroupTree} */ (/** @type {unknown} */ ({ count: 4, parent: [-1, -1, -1, -1] }));

test("only the boxes whose slide crosses the window slide; the others jump into place", () => {
  const { win, els, frame } = slidePage();
  // box 0 stays; 1 moves down within the window; 2 moves far below it, out of sight at both
  // ends; 3 moves from above the window to below it, crossing it
  const was = fourBoxes([0, 0, 0, 200], [0, 100, 2000, -500]);
  const now = fourBoxes([0, 0, 0, 200], [0, 150, 2400, 900]);
  slideBoxes(win, (grp) => els[grp], FOUR, was, now, 0, { left: 0, top: 0, width: 800, height: 600 });
  assert.deepEqual(
    els.map((el) => el.style.transform),
    ["", "translate(0px,-50px)", "", "translate(0px,-1400px)"],
  );
  frame();
  assert.deepEqual(
    els.map((el) => el.style.transform),
    ["", "translate(0px,-50px)", "", "translate(0px,-1400px)"],
    "the first frame paints them where they were",
  );
  frame();
  assert.deepEqual(
    els.map((el) => el.style.transform),
    ["", "", "", ""],
  );
  assert.deepEqual(
    els.map((el) => el.style.transition !== ""),
    [false, true, false, true],
  );
  // with no window known, every box that moved slides
  const page = slidePage();
  slideBoxes(page.win, (grp) => page.els[grp], FOUR, was, now, 0);
  assert.deepEqual(
    page.els.map((el) => el.style.transform !== ""),
    [false, true, true, true],
  );
});

test("nothing slides where the page prefers reduced motion", () => {
  const { win, els, frame } = slidePage(true);
  slideBoxes(win, (grp) => els[grp], FOUR, fourBoxes([0, 0, 0, 0], [0, 100, 200, 300]), fourBoxes([0, 0, 0, 0], [0, 150, 250, 350]), -1);
  frame();
  frame();
  assert.deepEqual(
    els.map((el) => el.style.transform + el.style.transition),
    ["", "", "", ""],
  );
});
