// viewport.js's arithmetic: fitting, zoom limits, zooming about a point, revealing a node.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ZOOM, clampScroll, clampZoom, fitScale, revealScroll, wheelFactor, widthFitScale, zoomScroll } from "./viewport.js";

test("fit: the scale at which both sides fit, never above natural size", () => {
  assert.equal(fitScale(8000, 13000, 800, 650), 0.05, "height limits a tall MLP");
  assert.equal(fitScale(2000, 100, 1000, 640), 0.5, "width limits a wide graph");
  assert.equal(fitScale(300, 100, 1000, 640), ZOOM.fitMax, "a small graph is not blown up");
  assert.equal(fitScale(300, 100, 0, 0), ZOOM.fitMax, "no box yet: natural size");
});

test("zoom limits: ZOOM.min..ZOOM.max, the low end reaching down to the fit of a huge graph", () => {
  assert.equal(clampZoom(100), ZOOM.max);
  assert.equal(clampZoom(0.01), ZOOM.min);
  assert.equal(clampZoom(0.01, 0.05), 0.05);
  assert.equal(clampZoom(0.01, 0.5), ZOOM.min, "a fit above the minimum does not raise it");
  assert.equal(clampZoom(1.3, 0.05), 1.3);
});

test("zooming about a point keeps the drawing point under it in place", () => {
  for (const [scroll, anchor, from, to] of [
    [0, 100, 1, 2],
    [350, 20, 0.7, 0.56],
    [1200, 400, 0.05, 0.7],
  ]) {
    const next = zoomScroll(scroll, anchor, from, to);
    const drawingPointBefore = (scroll + anchor) / from;
    const drawingPointAfter = (next + anchor) / to;
    assert.ok(Math.abs(drawingPointBefore - drawingPointAfter) < 1e-9, `${scroll} ${anchor} ${from}→${to}`);
  }
});

test("scroll offsets stay within the drawing", () => {
  assert.equal(clampScroll(-5, 1000, 400), 0);
  assert.equal(clampScroll(700, 1000, 400), 600);
  assert.equal(clampScroll(300, 1000, 400), 300);
  assert.equal(clampScroll(50, 300, 400), 0, "a drawing smaller than the window does not scroll");
});

test("revealing a node: left alone when in view with a margin, else centred", () => {
  assert.equal(revealScroll(100, 400, 200, 50), 100);
  assert.equal(revealScroll(100, 400, 110, 50), 135 - 200, "too close to the edge: centred");
  assert.equal(revealScroll(0, 400, 900, 100), 950 - 200);
  assert.equal(revealScroll(0, 400, 900, 100, 0), 750);
});

test("wheel: down zooms out, up zooms in, lines and pages scaled, each event bounded", () => {
  assert.ok(wheelFactor(100) < 1 && wheelFactor(-100) > 1);
  assert.ok(Math.abs(wheelFactor(100) * wheelFactor(-100) - 1) < 1e-12, "symmetric");
  assert.equal(wheelFactor(3, 1), wheelFactor(48, 0), "a line is 16 pixels");
  assert.equal(wheelFactor(1, 2), 0.5, "a page is bounded");
  assert.equal(wheelFactor(-5000), 2);
  assert.equal(wheelFactor(0), 1);
});

test("width fit: natural size when it fits, shrunk to the width down to a readable scale, all times the text scale", () => {
  assert.equal(widthFitScale(600, 1400), 1); // a neuron at 1400 px: 100%, never enlarged
  assert.equal(widthFitScale(1000, 900), 0.9);
  assert.equal(widthFitScale(1000, 420), ZOOM.initialMin); // too wide: scroll rather than shrink
  assert.equal(widthFitScale(600, 1400, 1.5), 1.5); // large text: half as big again
  assert.equal(widthFitScale(1000, 1200, 1.5), 1.2);
  assert.equal(widthFitScale(1000, 420, 1.5), 1.5 * ZOOM.initialMin);
  assert.equal(widthFitScale(0, 420), 1);
});
