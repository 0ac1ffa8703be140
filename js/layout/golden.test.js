// Every phase together against the golden layouts (golden.mjs): the same graph gives the same
// drawing, coordinate for coordinate, as when golden.json was written.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { GOLDEN_FILE, GOLDEN_GRAPHS, goldenRecord } from "./golden.mjs";

const GOLDEN = JSON.parse(readFileSync(GOLDEN_FILE, "utf8"));

test("the golden file covers exactly the golden graphs", () => {
  assert.deepEqual(Object.keys(GOLDEN).sort(), Object.keys(GOLDEN_GRAPHS).sort());
});

for (const [name, build] of Object.entries(GOLDEN_GRAPHS)) {
  test(`golden layout: ${name}`, () => {
    const expected = GOLDEN[name];
    const actual = goldenRecord(build());
    assert.equal(
      actual.input,
      expected.input,
      "the graph or its boxes changed (sample-graphs.js or goldenBoxes), not the layout: check that, then regenerate",
    );
    assert.deepEqual(actual, expected, "the layout moved: regenerate golden.json only for a deliberate change");
  });
}
