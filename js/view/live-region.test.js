// live-region.js: busy while live changes keep coming, announced once they rest.
import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { QUIET_MS, busyWhileLive } from "./live-region.js";

/** An element that only keeps its attributes, which the test reads back from `attrs`. */
function fakeElement() {
  /** @type {Map<string, string>} */
  const attrs = new Map();
  const element = {
    attrs,
    /** @type {(name: string, value: string) => void} */
    setAttribute: (name, value) => attrs.set(name, value),
    /** @type {(name: string) => void} */
    removeAttribute: (name) => attrs.delete(name),
  };
  return /** @type {Element & {attrs: Map<string, string>}} */ (/** @type {unknown} */ (element));
}

test("live changes keep a region busy until they rest; other changes announce at once", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const region = fakeElement();
    const tracker = busyWhileLive();
    tracker.changed(region, true);
    assert.equal(region.attrs.get("aria-busy"), "true");
    mock.timers.tick(QUIET_MS - 1);
    tracker.changed(region, true); // another slider event restarts the wait
    mock.timers.tick(QUIET_MS - 1);
    assert.equal(region.attrs.get("aria-busy"), "true");
    mock.timers.tick(1);
    assert.equal(region.attrs.has("aria-busy"), false);
    tracker.changed(region, true);
    tracker.changed(region, false);
    assert.equal(region.attrs.has("aria-busy"), false);
  } finally {
    mock.timers.reset();
  }
});

test("the busy mark is cleared on the region's current element, and stop() cancels the wait", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const first = fakeElement();
    const second = fakeElement();
    const tracker = busyWhileLive();
    tracker.changed(first, true);
    tracker.changed(second, true);
    mock.timers.tick(QUIET_MS);
    assert.equal(second.attrs.has("aria-busy"), false);
    tracker.changed(second, true);
    tracker.stop();
    mock.timers.tick(QUIET_MS);
    assert.equal(second.attrs.get("aria-busy"), "true");
  } finally {
    mock.timers.reset();
  }
});
