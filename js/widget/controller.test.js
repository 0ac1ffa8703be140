// The controller with features of the test's own: how a feature plugs in (hooks, actions, model
// keys, slots) and when the controller calls it. widget.test.js tests the widget's features.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { click, mount, move, newWindow, press } from "../testing/harness.js";
import { mlp } from "../testing/sample-graphs.js";
import { FEATURES } from "../widget.js";
import { createWidget, sameStructure } from "./controller.js";
import { parseGraph } from "../core/engine.js";

/** @typedef {import("./controller.js").Feature} Feature */
/** @typedef {import("./controller.js").Context} Context */

/** @type {import("../testing/harness.js").DOMWindow} */
let win = newWindow();
beforeEach(() => {
  win = newWindow();
});

/**
 * A feature that records what the controller tells it, with a button "probe" in a toolbar group
 * of its own, a readout in the "status" slot, and the model key "probe" followed.
 */
function probe() {
  /** @type {string[]} */
  const log = [];
  /** @type {Context[]} */
  const contexts = [];
  /** @type {Feature} */
  const feature = {
    name: "probe",
    create(ctx) {
      contexts.push(ctx);
      log.push("create");
      const group = ctx.toolbar.group("Probe");
      group.append(ctx.toolbar.button("probe", "Probe"), ctx.toolbar.button("probe-off", "Off"));
      ctx.toolbar.setEnabled("probe-off", false);
      const readout = ctx.doc.createElement("output");
      readout.setAttribute("data-probe", "");
      ctx.place("status", readout);
      return {
        refresh(change) {
          const what = Object.entries(change).filter(([, on]) => on).map(([key]) => key);
          log.push(`refresh ${what.join(" ")}`);
          readout.textContent = String(ctx.numbers.data[ctx.numbers.g.output]);
        },
        actions: {
          probe: () => log.push(`action at step ${ctx.state.step}`),
          "probe-off": () => log.push("disabled action ran"),
        },
        modelKeys: {
          probe: (value) => log.push(`model probe ${JSON.stringify(value)}`),
          inputs: (specs) => log.push(`model inputs ${specs.length}`),
        },
        nodeKey(event, id) {
          if (event.key !== "p") return false;
          log.push(`key p on ${id}`);
          return true;
        },
        start: () => log.push(`start, selected ${ctx.state.selected}`),
        destroy: () => log.push("destroy"),
      };
    },
  };
  return { feature, log, contexts };
}

/**
 * @param {ReadonlyArray<Feature>} features
 * @param {Record<string, unknown>} [state]
 */
const open = (features, state) => mount(win, ({ model, el }) => createWidget({ model, el }, features), state);

test("a feature is created, placed and started once per drawn graph, after every feature exists", () => {
  const p = probe();
  const w = open([...FEATURES, p.feature], { selected: 2 });
  assert.deepEqual(p.log, ["create", "refresh step", "refresh selection", "start, selected 2"]);
  const root = w.one(".mgm-root");
  const order = [...root.children].map((c) => c.className || c.tagName.toLowerCase());
  assert.deepEqual(order, ["mgm-sliders", "mgm-toolbar", "mgm-step-caption", "output", "mgm-body"], "status after the caption");
  const groups = [...w.one(".mgm-toolbar").children].map((g) => g.getAttribute("aria-label"));
  assert.deepEqual(groups, ["Step through backprop", "Zoom", "Text size", "Probe"], "toolbar groups in feature order");
  assert.equal(w.one("[data-probe]").textContent, "10", "refreshed before the start");
});

test("refresh says what changed: numbers, selection, step", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const p = probe();
  const w = open([...FEATURES, p.feature]);
  p.log.length = 0;
  move(win, w.slider("x"), 1, "input");
  click(win, w.node(1));
  click(win, w.button("step-next"));
  assert.deepEqual(p.log, ["refresh numbers", "refresh selection", "refresh step"]);
  assert.equal(w.one("[data-probe]").textContent, "4");
});

test("a feature's action runs on a click of its button, not when the button is disabled", () => {
  const p = probe();
  const w = open([...FEATURES, p.feature]);
  click(win, w.button("step-reset"));
  click(win, w.button("probe"));
  click(win, w.button("probe-off"));
  assert.deepEqual(p.log.filter((line) => line.includes("action")), ["action at step 0"]);
});

test("model keys go to the features that follow them; inputs only when the sliders stay", () => {
  const p = probe();
  const w = open([...FEATURES, p.feature]);
  w.model.set("probe", { any: 1 });
  const inputs = w.model.get("inputs");
  w.model.set("inputs", [{ ...inputs[0], value: 1 }, inputs[1]]);
  // in feature order: the inputs feature takes the new values (a refresh), then the probe
  assert.deepEqual(p.log.slice(-3), ['model probe {"any":1}', "refresh numbers", "model inputs 2"]);
  p.log.length = 0;
  w.model.set("inputs", [inputs[0]]); // a slider fewer: everything is drawn again
  assert.deepEqual(p.log.slice(0, 2), ["destroy", "create"]);
  assert.ok(!p.log.includes("model inputs 1"));
});

test("a node key goes to the features until one takes it, and is then stopped", () => {
  const p = probe();
  const w = open([...FEATURES, p.feature]);
  assert.equal(press(win, w.node(3), "p"), true);
  assert.ok(p.log.includes("key p on 3"));
  assert.equal(press(win, w.node(3), "Enter"), true, "the selection feature's key");
  assert.ok(!p.log.some((line) => line.startsWith("key Enter")));
});

test("a new structure destroys the features and creates them anew; cleanup destroys them once", () => {
  const p = probe();
  const w = open([...FEATURES, p.feature]);
  w.model.set("inputs", []);
  w.model.set("graph", mlp(2, [1]));
  assert.equal(p.contexts.length, 3, "two rebuilds: the sliders changed, then the graph");
  assert.equal(p.contexts[2].numbers.g.size, mlp(2, [1]).nodes.length);
  p.log.length = 0;
  w.cleanup();
  assert.deepEqual(p.log, ["destroy"]);
  w.model.set("probe", 2);
  assert.deepEqual(p.log, ["destroy"], "no listener is left");
});

test("the shared state changes only through the commands, which tell the model", () => {
  const p = probe();
  const w = open([...FEATURES, p.feature]);
  const ctx = p.contexts[0];
  ctx.select(3);
  assert.equal(w.model.get("selected"), 3);
  ctx.select(null, { save: false });
  assert.equal(w.model.get("selected"), 3, "a change that came from the model is not sent back");
  assert.equal(ctx.state.selected, null);
  ctx.setStep(2);
  assert.equal(w.model.get("step"), 2);
  assert.deepEqual(Array.from(ctx.shownGrad()), [0, 0, 1, 1, 1]);
  ctx.setStep(null);
  assert.deepEqual(Array.from(ctx.shownGrad()), [7, 2, 1, 1, 1]);
});

test("features must have unique names and actions", () => {
  const p = probe();
  assert.throws(() => open([p.feature, p.feature]), /two features are named 'probe'/);
  /** @type {Feature} */
  const thief = { name: "thief", create: () => ({ actions: { "zoom-fit": () => {} } }) };
  assert.throws(() => open([...FEATURES, thief]), /feature 'thief': action 'zoom-fit' is taken/);
});

test("a widget with no features still draws the graph", () => {
  const w = open([]);
  assert.equal(w.el.querySelectorAll("[data-node-id]").length, 5);
  assert.equal(w.el.querySelector(".mgm-toolbar")?.children.length, 0);
});

test("sameStructure: numbers may differ, nodes, ops, operands, exponents and labels may not", () => {
  const base = mlp(2, [2, 1]);
  const g = parseGraph(base);
  const renumbered = { ...base, nodes: base.nodes.map((n) => ({ ...n, data: 5, grad: -1 })) };
  assert.equal(sameStructure(g, parseGraph(renumbered)), true);
  const relabelled = { ...base, nodes: base.nodes.map((n, i) => (i === 0 ? { ...n, label: "other" } : n)) };
  assert.equal(sameStructure(g, parseGraph(relabelled)), false);
  assert.equal(sameStructure(g, parseGraph(mlp(2, [3, 1]))), false);
});
