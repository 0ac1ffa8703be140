// model-sync.js: reading and writing the model's keys, and the debounce of slider writes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createModel } from "../host/host.js";
import { SYNC_DELAY_MS, createDebounce, createModelSync } from "./model-sync.js";

test("save writes every key and sends them once", () => {
  const model = createModel({ a: 1, b: 2 });
  let sent = 0;
  model.save_changes = () => {
    sent++;
  };
  const sync = createModelSync(model);
  sync.save({ a: 3, b: 4 });
  assert.deepEqual([sync.get("a"), sync.get("b"), sent], [3, 4, 1]);
});

test("a host that cannot send keeps the keys and does not throw", () => {
  const model = createModel({ a: 1 });
  model.save_changes = () => {
    throw new Error("save_changes not implemented");
  };
  const sync = createModelSync(model);
  assert.doesNotThrow(() => sync.save({ a: 2 }));
  assert.equal(sync.get("a"), 2);
});

test("follow hands over the new value until stopped", () => {
  const model = createModel({ a: 1 });
  /** @type {unknown[]} */
  const heard = [];
  const stop = createModelSync(model).follow("a", (value) => heard.push(value));
  model.set("a", 2);
  stop();
  model.set("a", 3);
  assert.deepEqual(heard, [2]);
});

test("a debounced write runs once the calls rest, and not after cancel", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let runs = 0;
  const later = createDebounce(() => runs++);
  later.schedule();
  t.mock.timers.tick(SYNC_DELAY_MS - 1);
  later.schedule();
  t.mock.timers.tick(SYNC_DELAY_MS - 1);
  assert.equal(runs, 0);
  t.mock.timers.tick(1);
  assert.equal(runs, 1);
  later.schedule();
  later.cancel();
  t.mock.timers.tick(SYNC_DELAY_MS);
  assert.equal(runs, 1);
});
