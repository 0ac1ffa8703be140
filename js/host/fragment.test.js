// host.js's URL fragment: a shared link's sliders, selection and step taken up by the state.
import assert from "node:assert/strict";
import { test } from "node:test";

import { readFragment } from "./host.js";

const state = () => ({
  graph: { schema: 1, nodes: [{ id: 0, label: "x" }, { id: 1, label: "y" }, { id: 2, label: null }] },
  inputs: [
    { name: "x", id: 0, value: 2, min: -5, max: 5, step: 0.05 },
    { name: "y", id: 1, value: 3, min: -5, max: 5, step: 0.05 },
  ],
  selected: null,
  step: null,
});

test("sliders by name, the selection by label or id, the step", () => {
  const s = state();
  readFragment("#x=1.5&y=-2&select=y&step=3", s);
  assert.deepEqual(s.inputs.map((i) => i.value), [1.5, -2]);
  assert.equal(s.selected, 1);
  assert.equal(s.step, 3);
  const t = state();
  readFragment("#select=2", t);
  assert.equal(t.selected, 2);
});

test("values outside a slider's range are kept inside it; nonsense is ignored", () => {
  const s = state();
  readFragment("#x=99&y=abc&select=nobody&step=-1&other=1", s);
  assert.deepEqual(s.inputs.map((i) => i.value), [5, 3]);
  assert.equal(s.selected, null);
  assert.equal(s.step, null);
  const t = state();
  readFragment("", t);
  assert.deepEqual(t, state());
});
