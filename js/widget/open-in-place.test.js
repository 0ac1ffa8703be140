// Opening and closing groups changes the drawing in place (scene.setNet, the controller's
// redraw): the result must be the drawing a fresh widget makes of the same open groups, the
// elements that stay must be the same elements, and the features' state must carry over.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { click, mount, move, newWindow, nextFrame } from "../testing/harness.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { pageWithObservers } from "../testing/observed-page.js";
import { flushLater } from "../view/later.js";
import { CSS } from "../view/style.js";
import { FEATURES } from "../widget.js";
import { createWidget } from "./controller.js";

/** @type {import("../testing/harness.js").DOMWindow} */
let win = newWindow();
beforeEach(() => {
  win = newWindow();
});

const DEFAULT_OPEN = ["", "layers.0", "layers.1"];
const graph = groupedMlp(2, [3, 2, 1]);

/** @param {Record<string, unknown>} [state] */
function draw(state = {}) {
  const w = mount(win, ({ model, el }) => createWidget({ model, el }, FEATURES), {
    graph,
    inputs: [{ name: "x1", id: 0, value: 0.5, min: -1, max: 1, step: 0.1 }],
    open_groups: DEFAULT_OPEN,
    ...state,
  });
  /** @param {string} path */
  const box = (path) => w.one(`[data-group="${path}"]`);
  return { ...w, box };
}

/**
 * What a drawing shows, as text: every element of the nodes (tag, attributes, box geometry,
 * text), the edges as a sorted list, the marks and the layers' sizes. Left out: what focus and
 * the slide animation change (tabindex, the focused node's spoken label, transform), and the
 * per-widget ids of markers.
 * @param {HTMLElement} el the widget's element
 */
function snapshot(el) {
  const frame = /** @type {HTMLElement} */ (el.querySelector(".mgm-frame"));
  /** @param {Element} e @returns {string} */
  const walk = (e) => {
    const attrs = [...e.attributes]
      .filter((a) => !["tabindex", "style", "aria-label"].includes(a.name) || (a.name === "aria-label" && e.classList.contains("mgm-nodes")))
      .map((a) => `${a.name}=${a.value}`)
      .sort();
    const s = /** @type {HTMLElement} */ (e).style;
    const geo = s ? ["left", "top", "width", "height", "content-visibility"].map((p) => s.getPropertyValue(p)).join(",") : "";
    const kids = [...e.childNodes].map((c) => (c.nodeType === 3 ? `"${c.textContent}"` : c.nodeType === 1 ? walk(/** @type {Element} */ (c)) : ""));
    return `<${e.tagName} ${attrs.join(" ")} [${geo}]>${kids.join("")}</${e.tagName}>`;
  };
  const ids = (/** @type {string} */ s) => s.replace(/mgm-(out-arrow|step-arrow|arrow)-\d+/g, "mgm-$1-N");
  const edges = [...frame.querySelectorAll(".mgm-edges .mgm-edge")].map((e) => ids(walk(e))).sort();
  return {
    nodes: walk(/** @type {Element} */ (frame.querySelector(".mgm-nodes"))),
    edges,
    marks: [...frame.querySelectorAll(".mgm-marks")].map((m) => ids(walk(m))),
    size: [frame.style.width, frame.style.height, /** @type {HTMLElement} */ (frame.querySelector(".mgm-scene")).style.width, /** @type {HTMLElement} */ (frame.querySelector(".mgm-scene")).style.height, frame.querySelector(".mgm-marks")?.getAttribute("height")],
    tabStops: frame.querySelectorAll('.mgm-nodes [tabindex="0"]').length,
  };
}

/**
 * The widget's drawing equals a fresh widget's of the same open groups and selection.
 * @param {ReturnType<typeof draw>} w
 * @param {string} when
 */
function sameAsFresh(w, when) {
  flushLater(win); // the edges' new paths and the details panel wait for the frame after
  const fresh = draw({ open_groups: w.model.get("open_groups"), selected: w.model.get("selected") });
  const got = snapshot(w.el);
  const want = snapshot(fresh.el);
  fresh.cleanup();
  assert.equal(got.tabStops, 1, `${when}: one tab stop ${[...w.el.querySelectorAll(".mgm-nodes [tabindex=\"0\"]")].map((e) => e.getAttribute("data-group") ?? e.getAttribute("data-node-id")).join(" ")}`);
  assert.deepEqual(got.size, want.size, `${when}: the drawing's size`);
  assert.deepEqual(got.edges, want.edges, `${when}: the edges`);
  if (got.nodes !== want.nodes) { let k = 0; while (got.nodes[k] === want.nodes[k]) k++; assert.fail(`${when}: the boxes and cards differ at\n${got.nodes.slice(k - 300, k + 200)}\n----\n${want.nodes.slice(k - 300, k + 200)}`); }
  assert.deepEqual(got.marks, want.marks, `${when}: the marks`);
}

test("opening and closing in place leaves the drawing a fresh draw of the same open groups makes", () => {
  const w = draw();
  sameAsFresh(w, "at first");
  click(win, w.box("layers.0.neurons.0"));
  sameAsFresh(w, "one neuron opened");
  click(win, w.box("layers.1.neurons.1"));
  sameAsFresh(w, "a neuron of the next layer opened");
  click(win, /** @type {Element} */ (w.box("layers.0.neurons.0").querySelector('[data-action="toggle-group"]')));
  sameAsFresh(w, "the first one closed");
  click(win, /** @type {Element} */ (w.box("layers.0").querySelector('[data-action="toggle-group"]')));
  sameAsFresh(w, "a layer closed");
  click(win, w.button("open-all"));
  sameAsFresh(w, "all open");
  click(win, w.button("close-all"));
  sameAsFresh(w, "all closed");
  // the kernel's word (open_group, a snap-back) redraws the same way
  w.model.set("open_groups", [...DEFAULT_OPEN, "layers.1.neurons.0"]);
  assert.equal(w.box("layers.1.neurons.0").getAttribute("data-group-state"), "open");
  sameAsFresh(w, "open_groups from the model");
  w.cleanup();
});

test("what does not change keeps its elements: boxes, cards and edges are moved, not drawn again", () => {
  const w = draw({ open_groups: [...DEFAULT_OPEN, "layers.1.neurons.1"] });
  const other = w.box("layers.1.neurons.0");
  const opened = w.box("layers.1.neurons.1");
  const inside = graph.nodes.findIndex((x) => x.path === "layers.1.neurons.1.w.0");
  const card = w.node(inside);
  const edges = w.one(".mgm-edges");
  // an edge between two boxes that both stay: the neurons 0.1 and 1.0
  const from = graph.nodes.length + (graph.groups ?? []).findIndex((grp) => grp.path === "layers.0.neurons.1");
  const to = graph.nodes.length + (graph.groups ?? []).findIndex((grp) => grp.path === "layers.1.neurons.0");
  const edge = w.one(`.mgm-edge[data-from="${from}"][data-to="${to}"]`);
  const openAll = w.button("open-all");
  click(win, w.box("layers.0.neurons.0"));
  assert.equal(w.box("layers.1.neurons.0"), other, "a box that stays closed is the same element");
  assert.equal(w.box("layers.1.neurons.1"), opened, "a box that stays open is the same element");
  assert.equal(w.node(inside), card, "a card in a box that was not re-placed is the same element");
  assert.equal(w.one(".mgm-edges"), edges, "the edge layer stays");
  assert.equal(w.one(`.mgm-edge[data-from="${from}"][data-to="${to}"]`), edge, "an edge that stays is the same element");
  assert.equal(w.button("open-all"), openAll, "the features were not made again");
  w.cleanup();
});

test("selection, step, zoom and hidden grads carry over an open and a close", () => {
  const out = graph.nodes.findIndex((x) => x.path === "layers.0.neurons.1");
  const w = draw({ quiz: { asked: [out] } });
  w.model.set("selected", out);
  click(win, w.button("zoom-in"));
  const viewport = w.one(".mgm-viewport");
  const zoom = viewport.getAttribute("data-zoom");
  assert.notEqual(zoom, "1");
  // the quiz hides the asked grad: the closed box shows "?"
  const grad = () => w.box("layers.0.neurons.1").querySelector('[data-field="grad"]')?.textContent;
  assert.equal(grad(), "?");
  click(win, w.box("layers.0.neurons.0"));
  assert.equal(viewport.getAttribute("data-zoom"), zoom, "the zoom stays");
  assert.equal(w.model.get("selected"), graph.nodes.findIndex((x) => x.path === "layers.0.neurons.0"));
  w.model.set("selected", out);
  click(win, /** @type {Element} */ (w.box("layers.0.neurons.0").querySelector('[data-action="toggle-group"]')));
  assert.equal(w.box("layers.0.neurons.1").getAttribute("data-selected"), "true", "the selection stays marked");
  assert.equal(grad(), "?", "the hidden grad stays hidden");
  // open the asked neuron: its output card hides the grad and has the quiz's answer box
  click(win, /** @type {Element} */ (w.box("layers.0.neurons.1").querySelector('[data-action="toggle-group"]')));
  assert.equal(w.node(out).querySelector('[data-field="grad"]')?.textContent, "?");
  assert.ok(w.node(out).querySelector(`[data-guess="${out}"]`), "the answer box is on the card drawn anew");
  // step mode stays through a toggle, its marks on the new drawing
  w.model.set("quiz", null);
  w.cleanup();
  const s = draw();
  s.model.set("step", 2);
  const step = s.model.get("step");
  click(win, s.box("layers.1.neurons.0"));
  assert.equal(s.model.get("step"), step, "the step position stays");
  assert.ok(s.el.querySelector("[data-step-role]"), "the step's marks are drawn");
  s.cleanup();
});

/** @param {ReturnType<typeof draw>} w the edges as a fresh widget of the same open groups draws them */
function freshEdges(w) {
  const fresh = draw({ open_groups: w.model.get("open_groups") });
  const want = snapshot(fresh.el).edges;
  fresh.cleanup();
  return want;
}

/** @param {ReturnType<typeof draw>} w @returns {Record<string, string | null>} each edge's path by its ends */
function paths(w) {
  return Object.fromEntries([...w.el.querySelectorAll(".mgm-edge")].map((e) => [`${e.getAttribute("data-from")}>${e.getAttribute("data-to")}`, e.getAttribute("d")]));
}

test("edges that moved get their new paths after the frame, the opened neuron's own at once", async () => {
  const w = draw();
  // a window onto the drawing's top-left corner (jsdom lays nothing out: give it a size)
  const viewport = w.one(".mgm-viewport");
  Object.defineProperty(viewport, "clientWidth", { value: 200 });
  Object.defineProperty(viewport, "clientHeight", { value: 150 });
  const layer = w.one(".mgm-edges");
  const before = paths(w);
  click(win, w.box("layers.0.neurons.0"));
  const want = freshEdges(w);
  const now = paths(w);
  // the opened neuron's own edges are there at once; the edges that stay keep their old paths
  const added = Object.keys(now).filter((k) => !(k in before));
  assert.ok(added.length > 0, "the opened neuron's edges are drawn in the click");
  for (const k of Object.keys(now)) if (k in before) assert.equal(now[k], before[k], `edge ${k} waits`);
  assert.equal(layer.getAttribute("data-edges-moving"), "true", "the edge layer is faded while paths wait");
  assert.notDeepEqual(snapshot(w.el).edges, want);
  // one frame later (jsdom gives every slice all the time it needs): all of them
  await new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve))));
  assert.deepEqual(snapshot(w.el).edges, want);
  assert.equal(layer.getAttribute("data-edges-moving"), null);
  w.cleanup();
});

test("opening a neuron moves its weights' edges onto its cards: no weight edge is drawn anew or removed", () => {
  const w = draw();
  const weighted = () => new Set(w.el.querySelectorAll(".mgm-edge[data-weight]"));
  const before = weighted();
  const box = graph.nodes.length + (graph.groups ?? []).findIndex((grp) => grp.path === "layers.0.neurons.0");
  click(win, w.box("layers.0.neurons.0"));
  const after = weighted();
  assert.equal(after.size, before.size);
  assert.equal([...after].filter((e) => !before.has(e)).length, 0, "no weight edge element is new");
  assert.equal(w.el.querySelector(`.mgm-edge[data-from="${box}"], .mgm-edge[data-to="${box}"]`), null, "none still ends at the box");
  sameAsFresh(w, "their new ends");
  w.cleanup();
});

test("the edges a redraw adds go beside the first drawing's, which share one group, not among them", () => {
  const w = draw();
  const layer = w.one(".mgm-edges");
  const before = new Set(w.el.querySelectorAll(".mgm-edge"));
  const group = w.one(".mgm-edge").parentNode;
  assert.notEqual(group, layer);
  assert.ok([...before].every((e) => e.parentNode === group));
  click(win, w.box("layers.0.neurons.0"));
  const added = [...w.el.querySelectorAll(".mgm-edge")].filter((e) => !before.has(e));
  assert.ok(added.length > 0);
  assert.ok(added.every((e) => e.parentNode === layer));
  sameAsFresh(w, "opened");
  w.cleanup();
});

test("a marked path dims the edge layer by an attribute on the layer, which no selector reads on an ancestor", () => {
  const w = draw();
  click(win, w.box("layers.0.neurons.0"));
  flushLater(win); // the opened box's output gets its path marks in the frames after
  assert.equal(w.one(".mgm-edges").getAttribute("data-marked-path"), "true");
  // an attribute an ancestor's compound reads makes the browser search the subtree under it
  assert.doesNotMatch(CSS, /\[data-marked-path\][^,{}\n]*?[ >~+]\s*[.#[:a-z*][^,{}\n]*\{/i);
  w.model.set("selected", null);
  assert.equal(w.one(".mgm-edges").getAttribute("data-marked-path"), null);
  w.cleanup();
});

test("a second toggle before the edges moved supersedes their pending paths", () => {
  const w = draw();
  const before = paths(w);
  click(win, w.box("layers.0.neurons.0"));
  // closed again before any frame: the drawing is the first one, every edge where it was
  click(win, /** @type {Element} */ (w.box("layers.0.neurons.0").querySelector('[data-action="toggle-group"]')));
  assert.deepEqual(paths(w), before, "no edge moved");
  assert.equal(w.one(".mgm-edges").getAttribute("data-edges-moving"), null, "nor waits: the layer is not faded");
  flushLater(win);
  assert.deepEqual(paths(w), before, "and none moves when the frames come");
  assert.deepEqual(snapshot(w.el).edges, freshEdges(w));
  // open one neuron, then another before the frame: the edges end where the second drawing puts them
  click(win, w.box("layers.0.neurons.0"));
  click(win, w.box("layers.1.neurons.1"));
  flushLater(win);
  assert.deepEqual(snapshot(w.el).edges, freshEdges(w));
  w.cleanup();
});

/**
 * Run the page's animation frames until the work a toggle leaves to them is done: the slide's
 * start, the edges' new paths, the details panel (a bound the test cannot hang on).
 * @param {ReturnType<typeof draw>} w
 */
async function framesAfter(w) {
  for (let k = 0; k < 8; k++) await nextFrame(win);
  assert.equal(w.one(".mgm-edges").getAttribute("data-edges-moving"), null, "the edges' new paths are drawn");
  const sliding = [...w.el.querySelectorAll("[data-group]")].filter((el) => /** @type {HTMLElement} */ (el).style.transform !== "");
  assert.deepEqual(sliding.map((el) => el.getAttribute("data-group")), [], "every box has slid into place");
}

/**
 * The details panel as text (its markup, the node it explains and every number in it).
 * @param {HTMLElement} el the widget's element
 */
function panelOf(el) {
  flushLater(win); // a widget drawn just now fills its panel in the frames after
  return el.querySelector("[data-panel]")?.outerHTML ?? "";
}

/**
 * Click group `path`'s box if it is closed, else its header.
 * @param {ReturnType<typeof draw>} w
 * @param {string} path
 */
function toggle(w, path) {
  const box = w.box(path);
  click(win, box.getAttribute("data-group-state") === "closed" ? box : /** @type {Element} */ (box.querySelector('[data-action="toggle-group"]')));
}

/**
 * Tell every scene's cull observer on the page that its chunks are in sight: they get their cards.
 * @param {import("../testing/observed-page.js").FakeObserver[]} observers
 */
function allInSight(observers) {
  for (const o of observers) {
    if (o.options?.rootMargin === undefined) continue;
    o.callback(o.targets.filter((el) => el.isConnected).map((target) => ({ target, isIntersecting: true })));
  }
}

test("two toggles before the first one's deferred work ran, on a page that draws chunks out of sight empty", async () => {
  for (const gap of [0, 1, 2]) {
    const page = pageWithObservers();
    win = page.win;
    const w = draw();
    toggle(w, "layers.0.neurons.0");
    for (let k = 0; k < gap; k++) await nextFrame(win);
    toggle(w, "layers.1.neurons.1");
    await framesAfter(w);
    const fresh = draw({ open_groups: w.model.get("open_groups"), selected: w.model.get("selected") });
    const waiting = [...w.el.querySelectorAll(".mgm-chunk")].filter((c) => !c.querySelector("[data-node-id]"));
    assert.ok(waiting.length > 0, "chunks out of sight wait for their cards");
    allInSight(page.observers);
    flushLater(win);
    const got = snapshot(w.el);
    const want = snapshot(fresh.el);
    assert.ok(got.nodes.includes("data-node-id"), "the cards are drawn");
    assert.deepEqual(got, want, `${gap} frames apart`);
    fresh.cleanup();
    w.cleanup();
  }
});

for (const gap of [0, 1, 2]) {
  const frames = gap === 0 ? "in one frame" : `${gap} frames apart`;
  test(`two toggles ${frames}, before the first one's deferred work ran, end on a fresh drawing of the last`, async () => {
    /** @type {Array<[string, string, string[]]>} the first box toggled, the second, the groups open before */
    const cases = [
      ["layers.0.neurons.0", "layers.1.neurons.1", DEFAULT_OPEN],
      ["layers.0.neurons.0", "layers.0.neurons.0", DEFAULT_OPEN],
      ["layers.0.neurons.0", "layers.1.neurons.1", [...DEFAULT_OPEN, "layers.1.neurons.1"]],
      ["layers.0.neurons.0", "layers.0.neurons.0", [...DEFAULT_OPEN, "layers.1.neurons.1"]],
      ["layers.1.neurons.1", "layers.0", [...DEFAULT_OPEN, "layers.0.neurons.2"]],
    ];
    for (const [first, second, open] of cases) {
      const w = draw({ open_groups: open });
      const when = `${first} then ${second} from ${open.join(",")}`;
      toggle(w, first);
      for (let k = 0; k < gap; k++) await nextFrame(win);
      toggle(w, second);
      await framesAfter(w);
      for (const path of [first, second]) {
        const state = w.model.get("open_groups").includes(path) ? "open" : "closed";
        assert.equal(w.box(path).getAttribute("data-group-state"), state, `${when}: ${path} is ${state}`);
      }
      sameAsFresh(w, when);
      const fresh = draw({ open_groups: w.model.get("open_groups"), selected: w.model.get("selected") });
      assert.equal(panelOf(w.el), panelOf(fresh.el), `${when}: the details panel`);
      fresh.cleanup();
      w.cleanup();
    }
  });

  test(`a slider move between two toggles ${frames} shows the new numbers on cards, boxes and weight edges`, async () => {
    const w = draw();
    click(win, w.button("edge-grads")); // the weight edges' looks follow the slider
    toggle(w, "layers.0.neurons.0");
    move(win, w.slider("x1"), -0.7, "input");
    for (let k = 0; k < gap; k++) await nextFrame(win);
    toggle(w, "layers.1.neurons.0");
    await framesAfter(w);
    const fresh = draw({ open_groups: w.model.get("open_groups"), selected: w.model.get("selected"), inputs: [{ name: "x1", id: 0, value: -0.7, min: -1, max: 1, step: 0.1 }] });
    click(win, fresh.button("edge-grads"));
    const got = { ...snapshot(w.el), panel: panelOf(w.el) };
    const want = { ...snapshot(fresh.el), panel: panelOf(fresh.el) };
    fresh.cleanup();
    assert.deepEqual(got.edges, want.edges, "the edges and their looks");
    assert.equal(got.nodes, want.nodes, "the boxes and cards, their numbers");
    assert.deepEqual(got.marks, want.marks);
    assert.equal(got.panel, want.panel, "the details panel");
    w.cleanup();
  });
}
