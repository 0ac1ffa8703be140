// A schema-2 graph (with groups) draws exactly as the same graph without its groups does, with
// the names of its parameters and module outputs as labels, until the page draws group boxes.
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

/**
 * The same graph as schema 1: no group tree, no group fields, and the names the page gives
 * parameters and module outputs (their paths' short forms, names.js) as labels.
 * @param {GraphJSON} json
 */
function withoutGroups(json) {
  const nodes = json.nodes.map(({ group, path, short, ...rest }) => ({ ...rest, label: rest.label ?? short ?? path ?? null }));
  return { schema: /** @type {1} */ (1), output: json.output ?? nodes.length - 1, nodes };
}

/**
 * The drawing's markup, without the per-widget numbers in marker ids (`mgm-arrow-2`), the
 * data-label hooks (user labels only) and the tooltips (a path reads differently from a label).
 * @param {{el: HTMLElement}} w
 */
const markup = (w) =>
  (w.el.querySelector(".mgm-body")?.innerHTML ?? "")
    .replace(/(mgm-[a-z-]*arrow)-\d+/g, "$1")
    .replace(/ data-label="[^"]*"/g, "")
    .replace(/<title>[^<]*<\/title>/g, "");

/** @param {GraphJSON} graph */
const draw = (graph) =>
  mount(win, ({ model, el }) => createWidget({ model, el }, FEATURES), {
    graph,
    inputs: [],
    open_groups: ["", "layers.0", "layers.1"],
  });

test("a graph with groups draws as the same graph without them, its names as labels", () => {
  const grouped = groupedMlp(2, [3, 1]);
  const plain = withoutGroups(grouped);
  assert.ok(!JSON.stringify(plain).includes('"group"'));
  const a = draw(grouped);
  assert.equal(a.el.querySelector(".mgm-error"), null);
  const drawnA = markup(a);
  const outA = a.data(grouped.output ?? 0);
  a.cleanup();
  const b = draw(plain);
  assert.ok(drawnA.includes('data-node-id="35"'));
  assert.ok(drawnA.includes(">layers.0.neurons.2.w.1</text>"), "a weight's name on its card");
  assert.ok(drawnA === markup(b), "the same markup");
  assert.equal(b.data(grouped.output ?? 0), outA);
});
