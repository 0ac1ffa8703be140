import assert from "node:assert/strict";
import { test } from "node:test";

import { newWindow, nextFrame } from "../testing/harness.js";
import { flushLater, later } from "./later.js";

test("a job runs two frames after the next one, once however often it is asked", async () => {
  const win = newWindow();
  /** @type {boolean[]} */
  const runs = [];
  const job = later(/** @type {any} */ (win), (all) => {
    runs.push(all);
    return false;
  });
  job.schedule();
  job.schedule();
  assert.deepEqual(runs, []);
  await nextFrame(win);
  assert.deepEqual(runs, [], "not before the next frame is painted");
  await nextFrame(win);
  assert.deepEqual(runs, [], "nor in the frame after it, where a slide starts");
  await nextFrame(win);
  assert.deepEqual(runs, [false], "in the one after that, as a slice");
  await nextFrame(win);
  await nextFrame(win);
  assert.deepEqual(runs, [false]);
});

test("a job with more to do runs again a frame later; flushLater runs it to the end now", async () => {
  const win = newWindow();
  let left = 3;
  /** @type {boolean[]} */
  const runs = [];
  const job = later(/** @type {any} */ (win), (all) => {
    runs.push(all);
    left = all ? 0 : left - 1;
    return left > 0;
  });
  job.schedule();
  await nextFrame(win);
  await nextFrame(win);
  await nextFrame(win);
  assert.equal(left, 2);
  await nextFrame(win);
  assert.equal(left, 1);
  flushLater(win);
  assert.equal(left, 0);
  assert.deepEqual(runs, [false, false, true]);
  await nextFrame(win);
  await nextFrame(win);
  assert.deepEqual(runs, [false, false, true], "nothing runs after the flush");
});

test("a cancelled job does not run, and without animation frames a job runs at once", async () => {
  const win = newWindow();
  let ran = 0;
  const job = later(/** @type {any} */ (win), () => {
    ran++;
    return false;
  });
  job.schedule();
  job.cancel();
  flushLater(win);
  await nextFrame(win);
  await nextFrame(win);
  assert.equal(ran, 0);
  const now = later(null, () => {
    ran++;
    return false;
  });
  now.schedule();
  assert.equal(ran, 1);
});
