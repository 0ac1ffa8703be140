// What the click that opens a box leaves to the frames after it (net-edges.js): the kept edges'
// ends are worked out by the edge job, and the kept weight edges' looks are not worked out
// again while the largest weight drawn stays the same. The drawing is renderGraph's, given the
// net of each redraw, so that the test can watch what reads the new drawing's positions.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createEvaluator, parseGraph } from "../core/engine.js";
import { createCompoundLayout } from "../layout/compound.js";
import { nodeBoxes } from "../layout/geometry.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { newWindow } from "../testing/harness.js";
import { netDrawing } from "../widget/network.js";
import { flushLater } from "./later.js";
import { shownLooks } from "./net-parts.js";
import { openFromPaths, toggled } from "./network.js";
import { renderGraph } from "./render.js";

/** @typedef {import("./render.js").Net} Net */

const CLOSED = ["", "layers.0", "layers.1"];

/** A drawn network of closed neurons, and what redraws it with group `path` toggled. */
function drawnNetwork() {
  const win = newWindow();
  const g = parseGraph(groupedMlp(2, [8, 8, 1]));
  const tree = /** @type {import("../core/groups.js").GroupTree} */ (g.groups);
  const boxes = nodeBoxes(g, 7.3);
  const layouter = createCompoundLayout(g, tree, boxes);
  const { data, grad } = createEvaluator(g).runLeaves([], []);
  let drawn = netDrawing(g, tree, layouter, openFromPaths(tree, CLOSED));
  const scene = renderGraph(win.document, g, boxes, drawn.layout, new Set(), data, grad, drawn.net);
  win.document.body.appendChild(scene.element);
  scene.update(data, grad); // as the widget does once drawn: the weight edges' styler knows its values
  /** @param {string} path */
  const toggle = (path) => {
    drawn = netDrawing(g, tree, layouter, toggled(tree, drawn.net.open, tree.paths.indexOf(path)), drawn.net);
    return drawn;
  };
  /** @param {{net: Net, layout: import("../layout/index.js").Layout}} d */
  const fresh = (d) => renderGraph(win.document, g, boxes, d.layout, new Set(), data, grad, d.net);
  return { win, scene, toggle, fresh };
}

/** @param {Element} el each edge of the drawing in `el`, as text (a scene's own marker ids aside), sorted */
function edgesOf(el) {
  return [...el.querySelectorAll(".mgm-edge")]
    .map((e) => [...e.attributes].map((a) => `${a.name}=${a.value.replace(/mgm-arrow-\d+/, "mgm-arrow")}`).sort().join(" "))
    .sort();
}

/**
 * `net` with every read of its positions (`cl`, which each edge's ends are worked out from)
 * counted in `reads.n`.
 * @param {Net} net
 */
function watched(net) {
  const reads = { n: 0 };
  const { cl } = net;
  Object.defineProperty(net, "cl", {
    get() {
      reads.n++;
      return cl;
    },
  });
  return reads;
}

test("opening a box leaves the kept edges' ends to the edge job; the frames after it draw them", () => {
  const { win, scene, toggle, fresh } = drawnNetwork();
  const kept = scene.element.querySelectorAll(".mgm-edge").length;
  const next = toggle("layers.0.neurons.1");
  const reads = watched(next.net);
  scene.setNet(next.net, next.layout);
  const inClick = reads.n;
  const layer = /** @type {Element} */ (scene.element.querySelector(".mgm-edges"));
  assert.equal(layer.getAttribute("data-edges-moving"), "true", "the edge job waits");
  flushLater(win);
  const drawnEdges = scene.element.querySelectorAll(".mgm-edge").length;
  assert.equal(reads.n - inClick, drawnEdges, "the edge job works out every drawn edge's ends");
  assert.ok(inClick < kept, `the click works out the ends of few edges (${inClick} reads for ${kept} edges before)`);
  assert.deepEqual(edgesOf(scene.element), edgesOf(fresh(next).element), "the edges end where a fresh drawing puts them");
  assert.equal(layer.getAttribute("data-edges-moving"), null);
});

test("opening a box looks up no kept weight edge's look when the largest weight drawn stays", () => {
  const { win, scene, toggle, fresh } = drawnNetwork();
  const next = toggle("layers.1.neurons.0");
  const lookups = { n: 0 };
  const get = shownLooks.get;
  shownLooks.get = (el) => {
    lookups.n++;
    return get.call(shownLooks, el);
  };
  try {
    scene.setNet(next.net, next.layout);
  } finally {
    shownLooks.get = get;
  }
  assert.equal(lookups.n, 0, "the kept weight edges are taken as drawn");
  flushLater(win);
  assert.deepEqual(edgesOf(scene.element), edgesOf(fresh(next).element), "every weight edge has a fresh drawing's look");
});

test("closing a box that changes the largest weight drawn restyles the kept weight edges", () => {
  const { win, scene, toggle, fresh } = drawnNetwork();
  scene.setEdgeGrads(true); // the grads' largest is on an edge that closing the layer hides
  const next = toggle("layers.1");
  scene.setNet(next.net, next.layout);
  flushLater(win);
  const again = fresh(next);
  again.setEdgeGrads(true);
  assert.deepEqual(edgesOf(scene.element), edgesOf(again.element), "every weight edge has a fresh drawing's look");
});
