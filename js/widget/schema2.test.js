// A graph without groups draws exactly as before the page drew groups: a schema-2 graph with an
// empty group tree draws as the same graph in schema 1 (a graph with groups draws as a network
// of boxes: widget/network.test.js).
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { mount, newWindow } from "../testing/harness.js";
import { groupedMlp } from "../testing/group-graphs.js";
import { FEATURES } from "../widget.js";
import { createWidget } from "./controller.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */

/** @type {import("../testing/harness.js").DOMWindow} */
let win = newWindow();
beforeEach(() => {
  win = newWindow();
});

/** @param {GraphJSON} json the same graph as schema 1: no group tree, no group fields */
function withoutGroups(json) {
  const nodes = json.nodes.map(({ group, path, short, ...rest }) => rest);
  return { schema: /** @type {1} */ (1), output: json.output ?? nodes.length - 1, nodes };
}

/**
 * The drawing's markup, without the per-widget numbers in marker ids (`mgm-arrow-2`).
 * @param {{el: HTMLElement}} w
 */
const markup = (w) => (w.el.querySelector(".mgm-body")?.innerHTML ?? "").replace(/(mgm-[a-z-]*arrow)-\d+/g, "$1");

/** @param {GraphJSON} graph */
const draw = (graph) =>
  mount(win, ({ model, el }) => createWidget({ model, el }, FEATURES), {
    graph,
    inputs: [],
    open_groups: ["", "layers.0", "layers.1"],
  });

test("a schema-2 graph without groups draws as the same graph in schema 1", () => {
  const plain = withoutGroups(groupedMlp(2, [3, 1]));
  assert.ok(!JSON.stringify(plain).includes('"group"'));
  const a = draw({ ...plain, schema: 2, groups: [] });
  assert.equal(a.el.querySelector(".mgm-error"), null);
  const drawnA = markup(a);
  const outA = a.data(plain.output);
  a.cleanup();
  const b = draw(plain);
  assert.ok(drawnA.includes('data-node-id="35"'));
  assert.ok(!drawnA.includes("data-group"));
  assert.ok(drawnA === markup(b), "the same markup");
  assert.equal(b.data(plain.output), outA);
});
