// The pacer alone (a page of the test's own frames), and the widget's sliders through it: many
// `input` events between two frames make one engine pass per frame, ending on the last value.
import assert from "node:assert/strict";
import { test } from "node:test";

import { mount, move, newWindow, nextFrame } from "../testing/harness.js";
import { mlp } from "../testing/sample-graphs.js";
import { FEATURES } from "../widget.js";
import { createWidget } from "./controller.js";
import { createPacer } from "./pacer.js";

/** A window whose frames the test runs by hand. */
function frames() {
  /** @type {Map<number, () => void>} */
  const callbacks = new Map();
  let next = 0;
  const win = /** @type {Window & typeof globalThis} */ (
    /** @type {unknown} */ ({
      requestAnimationFrame: (/** @type {() => void} */ f) => {
        callbacks.set(++next, f);
        return next;
      },
      cancelAnimationFrame: (/** @type {number} */ id) => callbacks.delete(id),
    })
  );
  const frame = () => {
    const due = [...callbacks.values()];
    callbacks.clear();
    for (const f of due) f();
  };
  return { win, frame };
}

test("the pacer runs the first request at once and the rest once, in the next frame", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { win, frame } = frames();
  let runs = 0;
  const pacer = createPacer(win, () => runs++);
  pacer.request();
  assert.equal(runs, 1, "the first request in a frame runs at once");
  for (let k = 0; k < 9; k++) pacer.request();
  assert.equal(runs, 1, "the frame that drew it takes no more");
  frame();
  assert.equal(runs, 1);
  frame();
  assert.equal(runs, 2, "the nine that waited run once, a frame later");
  frame();
  frame();
  assert.equal(runs, 2, "nothing more waits");
  pacer.request();
  assert.equal(runs, 3, "after a quiet frame a request runs at once again");
  pacer.request();
  pacer.flush();
  assert.equal(runs, 4, "flush runs a waiting request now");
  pacer.flush();
  assert.equal(runs, 4, "and only a waiting one");
  pacer.request();
  pacer.cancel();
  frame();
  frame();
  assert.equal(runs, 4, "a cancelled request never runs");
  pacer.request();
  pacer.request();
  assert.equal(runs, 5);
  t.mock.timers.tick(100);
  t.mock.timers.tick(100);
  assert.equal(runs, 6, "without frames (a hidden tab) a waiting request still runs");
});

test("moves made in a frame's own callbacks: what waits is drawn in the next frame, not two later", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { win, frame } = frames();
  let runs = 0;
  const pacer = createPacer(win, () => runs++);
  pacer.request();
  assert.equal(runs, 1);
  // a page that moves the slider in its own frame callbacks, after the pacer's (as benchmarks/widget.py does)
  win.requestAnimationFrame(() => {
    pacer.request();
    pacer.request();
    pacer.request();
  });
  frame();
  assert.equal(runs, 2, "the first move of the frame runs at once, drawn in that frame");
  t.mock.timers.tick(0); // the frame's rendering is over
  frame();
  assert.equal(runs, 3, "the two that waited run once, at the next frame");
  t.mock.timers.tick(0);
  frame();
  frame();
  assert.equal(runs, 3, "nothing more waits");
  pacer.request();
  assert.equal(runs, 4, "after a quiet frame a request runs at once again");
});

/** A feature that counts the engine passes: each is one refresh with new numbers. */
function passCounter() {
  const counter = { passes: 0 };
  /** @type {import("./controller.js").Feature} */
  const feature = {
    name: "pass-counter",
    create: () => ({
      refresh(change) {
        if (change.numbers) counter.passes++;
      },
    }),
  };
  return { counter, feature };
}

/** An MLP whose weights are not all zero, so that every input moves its output. */
function weighted() {
  const graph = mlp(2, [3, 1]);
  for (const node of graph.nodes) if (node.op === "" && node.id > 1) node.data = ((node.id * 7) % 5) / 3 - 0.6;
  return graph;
}

const INPUTS = [
  { name: "x1", id: 0, value: 0.5, min: -2, max: 2, step: 0.01 },
  { name: "x2", id: 1, value: -0.5, min: -2, max: 2, step: 0.01 },
];

test("ten slider moves between two frames make one engine pass per frame and end on the last value", async () => {
  const win = newWindow();
  const { counter, feature } = passCounter();
  const graph = weighted();
  const output = /** @type {number} */ (graph.output);
  const w = mount(win, (host) => createWidget(host, [...FEATURES, feature]), { graph, inputs: INPUTS });
  const out = () => w.node(output).querySelector('[data-field="data"]')?.getAttribute("data-value");
  const before = out();
  const values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.25];
  for (const v of values) move(win, w.slider("x1"), v, "input");
  assert.equal(counter.passes, 1, "one pass at once, for the first move");
  const first = out();
  assert.notEqual(first, before);
  await nextFrame(win);
  await nextFrame(win);
  assert.equal(counter.passes, 2, "one more pass for the nine later moves, not nine");
  const last = out();
  assert.notEqual(last, first, "the numbers of the last move");
  // The same last value moved to in one go gives the same numbers.
  const fresh = newWindow();
  const v = mount(fresh, (host) => createWidget(host, FEATURES), { graph, inputs: INPUTS });
  move(fresh, v.slider("x1"), 1.25, "input");
  assert.equal(last, v.node(output).querySelector('[data-field="data"]')?.getAttribute("data-value"));
  await nextFrame(win);
  assert.equal(counter.passes, 2, "nothing left over");
  move(win, w.slider("x1"), 1.25, "change");
  assert.equal(counter.passes, 2, "the drag ends where the numbers are: no pass");
  assert.equal(w.model.get("inputs")[0].value, 1.25, "the model gets the last value");
});

test("the end of a drag draws and sends a move still waiting for its frame", async () => {
  const win = newWindow();
  const { counter, feature } = passCounter();
  const w = mount(win, (host) => createWidget(host, [...FEATURES, feature]), { graph: weighted(), inputs: INPUTS });
  move(win, w.slider("x2"), 1, "input");
  move(win, w.slider("x1"), -1, "input");
  move(win, w.slider("x1"), -1.5, "change");
  assert.equal(counter.passes, 2, "the first move, then the end of the drag at once");
  assert.deepEqual(
    w.model.get("inputs").map((/** @type {{value: number}} */ s) => s.value),
    [-1.5, 1],
    "both sliders' last values",
  );
  await nextFrame(win);
  await nextFrame(win);
  assert.equal(counter.passes, 2, "nothing waits any more");
});
