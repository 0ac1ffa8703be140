// The weight edges' styler (net-parts.js): it writes only the looks that changed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { newWindow } from "../testing/harness.js";
import { weightStyler } from "./net-parts.js";

/** Two weight edges (parameters 0 and 1) whose attribute writes are counted. */
function edges() {
  const doc = newWindow().document;
  const writes = { n: 0 };
  /** @type {Array<[SVGPathElement, number]>} */
  const list = [0, 1].map((w) => {
    const el = /** @type {SVGPathElement} */ (doc.createElementNS("http://www.w3.org/2000/svg", "path"));
    const set = el.setAttribute.bind(el);
    el.setAttribute = (name, value) => {
      writes.n++;
      set(name, value);
    };
    return [el, w];
  });
  return { list, writes };
}

test("a styler given the values and largest its edges are drawn with writes nothing for them", () => {
  const values = [0.5, -2];
  const { list, writes } = edges();
  const style = weightStyler(list, { values, max: 2 });
  assert.equal(style.max(), 2);
  style(values);
  assert.equal(writes.n, 0, "the edges are taken as drawn for these values");
  style([0.5, -4]);
  assert.ok(writes.n > 0, "a new largest restyles them");
  assert.equal(style.max(), 4);
});

test("a styler given nothing styles every edge on its first call", () => {
  const { list, writes } = edges();
  const style = weightStyler(list);
  assert.ok(Number.isNaN(style.max()));
  style([0.5, -2]);
  assert.equal(list[1][0].getAttribute("data-sign"), "neg");
  assert.ok(writes.n >= 2);
});
