// controls.js's step state machine: positions, buttons, the model's `step` value, final grads.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ACTIONS, checkedStep, gradIsFinal, stepAfter, stepButtons, stepCounter } from "./controls.js";
import { explainNode, gradsAfterStep, stepSequence } from "../core/explain.js";
import { parseGraph } from "../core/engine.js";
import { xyz } from "../testing/sample-graphs.js";

// z = x*y + x**2 at x = 2, y = 3: steps seed(4), propagate 4, 3, 2 -> 4 steps
const JSON_GRAPH = xyz({ id: 5, label: "unused", op: "", args: [], data: 1, grad: 0 });
const GRAPH = parseGraph(JSON_GRAPH);
const DATA = GRAPH.data;

test("every button action is known to the state machine or the zoom", () => {
  for (const action of ACTIONS) {
    if (action.startsWith("step-")) assert.doesNotThrow(() => stepAfter(action, 0, 4));
  }
  assert.throws(() => stepAfter("zoom-in", 0, 4), /not a step action/);
});

test("reset goes to 0, next and back move by one within 0..total, run to the end, exit to null", () => {
  assert.equal(stepAfter("step-reset", null, 4), 0);
  assert.equal(stepAfter("step-reset", 3, 4), 0);
  assert.equal(stepAfter("step-next", 0, 4), 1);
  assert.equal(stepAfter("step-next", 4, 4), 4);
  assert.equal(stepAfter("step-back", 2, 4), 1);
  assert.equal(stepAfter("step-back", 0, 4), 0);
  assert.equal(stepAfter("step-run", 1, 4), 4);
  assert.equal(stepAfter("step-exit", 2, 4), null);
});

test("next and run enter step mode; back does not", () => {
  assert.equal(stepAfter("step-next", null, 4), 0);
  assert.equal(stepAfter("step-run", null, 4), 4);
  assert.equal(stepAfter("step-back", null, 4), null);
});

test("walking with next visits every position once and ends at the full backward pass", () => {
  const total = stepSequence(GRAPH).length;
  assert.equal(total, 4);
  const seen = [];
  for (let step = stepAfter("step-reset", null, total); ; step = stepAfter("step-next", step, total)) {
    seen.push(step);
    if (!stepButtons(step, total).next) break;
  }
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  assert.deepEqual([...gradsAfterStep(GRAPH, DATA, seen[seen.length - 1])], [7, 2, 1, 1, 1, 0]);
});

test("buttons: back from 1 on, next and run until the end", () => {
  assert.deepEqual(stepButtons(0, 4), { back: false, next: true, run: true });
  assert.deepEqual(stepButtons(2, 4), { back: true, next: true, run: true });
  assert.deepEqual(stepButtons(4, 4), { back: true, next: false, run: false });
  assert.deepEqual(stepButtons(null, 4), { back: false, next: true, run: true });
  assert.equal(stepCounter(2, 4), "step 2 / 4");
});

test("the model's step: null or undefined is normal mode; an integer in range is a position; else invalid", () => {
  assert.equal(checkedStep(null, 4), null);
  assert.equal(checkedStep(undefined, 4), null, "a kernel without the trait yet");
  assert.equal(checkedStep(0, 4), 0);
  assert.equal(checkedStep(4, 4), 4);
  for (const bad of [5, -1, 1.5, "2", true, NaN]) assert.equal(checkedStep(bad, 4), undefined, String(bad));
});

test("a grad is final once every node that uses it has passed its grad on", () => {
  const steps = stepSequence(GRAPH);
  const full = gradsAfterStep(GRAPH, DATA, steps.length);
  for (let step = 0; step <= steps.length; step++) {
    const grads = gradsAfterStep(GRAPH, DATA, step);
    for (let id = 0; id < GRAPH.size; id++) {
      const { affectsOutput } = explainNode(GRAPH, DATA, full, id);
      const final = gradIsFinal(steps, step, id, affectsOutput);
      if (final) {
        // nothing later changes it
        for (let later = step; later <= steps.length; later++) {
          assert.equal(gradsAfterStep(GRAPH, DATA, later)[id], grads[id], `node ${id} at ${step}`);
        }
      }
    }
  }
  assert.equal(gradIsFinal(steps, 0, 4), false, "before the seed nothing is final");
  assert.equal(gradIsFinal(steps, 1, 4), true, "the output is final once seeded");
  assert.equal(gradIsFinal(steps, 2, 0), false, "x still waits for x*y and x**2");
  assert.equal(gradIsFinal(steps, 3, 0), false, "x**2 passed, x*y not yet");
  assert.equal(gradIsFinal(steps, 3, 1), false, "y waits for x*y, the next step");
  assert.equal(gradIsFinal(steps, 3, 2), true, "x*y's own step is next: its user z went before");
  assert.equal(gradIsFinal(steps, 4, 1), true);
  assert.equal(gradIsFinal(steps, 0, 5, false), true, "an unused node keeps 0");
});
