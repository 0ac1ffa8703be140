// Which drawings composite their edge layer apart (render.js's layerEdges, style.js's
// .mgm-edges-layer): a slider move rewrites the numbers of every closed box in sight, and the
// edges under them are not to be rastered again with them, however few they are.
import assert from "node:assert/strict";
import { test } from "node:test";

import { mount, newWindow } from "../testing/harness.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { mlp } from "../testing/sample-graphs.js";
import { FEATURES } from "../widget.js";
import { createWidget } from "../widget/controller.js";

/** @param {Record<string, unknown>} state */
function draw(state) {
  const w = mount(newWindow(), ({ model, el }) => createWidget({ model, el }, FEATURES), { inputs: [], ...state });
  const apart = () => w.one(".mgm-edges").classList.contains("mgm-edges-layer");
  return { ...w, apart };
}

test("a network with closed boxes has its few edges on a layer of their own; open, it has not", () => {
  const graph = groupedMlp(2, [3, 1]);
  const w = draw({ graph, open_groups: ["", "layers.0", "layers.1"] });
  assert.ok(w.el.querySelectorAll(".mgm-box-closed").length > 0);
  assert.ok(w.el.querySelectorAll(".mgm-edge").length < 100, "few edges");
  assert.equal(w.apart(), true, "closed boxes over the edges");
  w.model.set("open_groups", graph.groups?.map((g) => g.path));
  assert.equal(w.el.querySelectorAll(".mgm-box-closed").length, 0);
  assert.equal(w.apart(), false, "every group open: cards only, and few edges");
  w.model.set("open_groups", ["", "layers.0", "layers.1"]);
  assert.equal(w.apart(), true, "closed again");
  w.cleanup();
});

test("a flat graph with few edges keeps them on the layer of its cards", () => {
  const w = draw({ graph: mlp(2, [3, 1]) });
  assert.equal(w.apart(), false);
  w.cleanup();
});

test("opening a box resizes the drawing's layers but the edge layer, which draws outside its box", () => {
  const graph = groupedMlp(2, [3, 1]);
  const w = draw({ graph, open_groups: ["", "layers.0", "layers.1"] });
  const size = (/** @type {string} */ selector) => ["width", "height"].map((a) => w.one(selector).getAttribute(a));
  const [marks, edges] = [size(".mgm-marks"), size(".mgm-edges")];
  w.model.set("open_groups", ["", "layers.0", "layers.1", "layers.0.neurons.0"]);
  assert.notDeepEqual(size(".mgm-marks"), marks, "the drawing grew");
  assert.deepEqual(size(".mgm-edges"), edges);
  assert.ok(edges.every((s) => Number(s) > 0), "an SVG of no size draws nothing");
  w.cleanup();
});
