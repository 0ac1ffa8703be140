// New numbers on a drawn scene (renderGraph's update): each node's text and looks rewritten
// where they changed, the units near the window at once, the others in slices when the page is
// idle; and the weight edges restyled.

import { maxAbsFiniteGrad } from "../core/explain.js";
import { formatNumber } from "../core/format.js";
import { SIGN_CODES, gradLook, tint } from "./grad-look.js";

/** @typedef {import("./chunk-scene.js").Chunk} Chunk */
/** @typedef {import("./chunk-scene.js").Unit} Unit */
/** @typedef {import("./scene-state.js").SceneState} SceneState */

/** How long a slice of updates to the nodes out of sight runs when it cannot wait for idle
 * time, in ms (update). */
const SLICE_MS = 4;

/** shownSign of a grad shown as "?": it matches no sign, so the look is written again once
 * shown, and it tells that the grad field has no data-value to keep. */
const HIDDEN = 255;

/** The longest the nodes out of sight wait for idle time before a slice runs anyway, in ms. */
const IDLE_WAIT_MS = 200;

/**
 * What shows a scene's new numbers: `update` (the units in sight now, the others in slices),
 * `flush` and `writeUnit` (all now, or one unit coming into sight), `updateNode` (one node, also
 * when its grad is hidden), `updateWeights`, and `schedule`, whose slices also fill the chunks
 * still drawn empty.
 * @param {SceneState} state
 * @param {{fillChunk: (c: Chunk) => void, units: () => Unit[]}} scene draws an empty chunk's cards;
 *   lists the chunks and the closed boxes
 */
export function numberUpdates(state, { fillChunk, units }) {
  const {
    doc,
    shownData,
    shownGrad,
    shownSign,
    shownLevel,
    nonfinite,
    dataText,
    gradText,
    dataEls,
    gradEls,
    cellEls,
    nodeEls,
    unfilled,
  } = state;
  // Only the units near the window (chunks: rendered, not culled) are rewritten at once on
  // update; the others in slices after the frames that follow (see update).
  let cursor = 0; // where in the list of units the next slice starts
  const win = doc.defaultView;
  /** @type {{data: ArrayLike<number>, grad: ArrayLike<number>, max: number} | null} */
  let pending = null; // the numbers stale units are yet to show
  /** @type {number | null} */
  let frameRequest = null;
  /** @type {number | null} */
  let fallback = null;
  /** @type {MessageChannel | null} */
  let channel = null;
  /** @type {number | null} */
  let idleRequest = null;
  let idleTimed = false; // whether idleRequest has a timeout

  /**
   * Write node `i`'s numbers and looks, where they changed.
   * @param {number} i
   * @param {number} d
   * @param {number} given
   * @param {number} max
   */
  function updateNode(i, d, given, max) {
    let gr = given;
    if (!Object.is(d, shownData[i])) {
      shownData[i] = d;
      const s = formatNumber(d);
      if (dataText[i].data !== s) dataText[i].data = s;
      dataEls[i].setAttribute("data-value", String(d));
    }
    const hidden = Boolean(state.hidden?.[i]);
    if (hidden) {
      if (shownSign[i] !== HIDDEN) {
        gradText[i].data = "?";
        gradEls[i].removeAttribute("data-value");
        nodeEls[i].setAttribute("data-grad-sign", "hidden");
        cellEls[i].setAttribute("data-tint", "hidden");
        shownSign[i] = HIDDEN;
      }
      shownGrad[i] = NaN;
      gr = 0; // nothing below may tell the grad (non-finite marks included)
    } else if (!Object.is(gr, shownGrad[i]) || shownSign[i] === HIDDEN) {
      shownGrad[i] = gr;
      const s = formatNumber(gr);
      if (gradText[i].data !== s) gradText[i].data = s;
      gradEls[i].setAttribute("data-value", String(gr));
    }
    const look = gradLook(gr, max);
    const sign = SIGN_CODES[look.sign];
    if (hidden) {
      // the "?" look stays
    } else if (sign !== shownSign[i] || look.level !== shownLevel[i]) {
      if (sign !== shownSign[i]) nodeEls[i].setAttribute("data-grad-sign", look.sign);
      shownSign[i] = sign;
      shownLevel[i] = look.level;
      cellEls[i].setAttribute("data-tint", tint(sign, look.level));
    }
    const bad = Number.isFinite(d) && Number.isFinite(gr) ? 0 : 1;
    if (bad !== nonfinite[i]) {
      nonfinite[i] = bad;
      if (bad) nodeEls[i].setAttribute("data-nonfinite", "true");
      else nodeEls[i].removeAttribute("data-nonfinite");
    }
  }

  /**
   * Show new numbers: text and attributes only, and only where they changed. The nodes of the
   * units near the window (chunks and closed boxes) change now; those of the others in slices
   * when the page is idle (at the latest every IDLE_WAIT_MS, then about SLICE_MS long; where
   * the browser has no idle callbacks, one slice after each painted frame), so that a drag's
   * frames pay for what is seen only (a later update before they are done makes them show its
   * numbers instead). A unit coming into sight, or `flush`, brings its nodes up to date at once.
   * @param {ArrayLike<number>} newData
   * @param {ArrayLike<number>} newGrad
   */
  function update(newData, newGrad) {
    state.given++;
    state.lastGrad = newGrad;
    state.lastData = newData;
    const max = maxAbsFiniteGrad(newGrad);
    pending = { data: newData, grad: newGrad, max };
    let deferred = false;
    for (const u of units()) {
      if (unfilled.has(/** @type {Chunk} */ (u))) continue; // drawn with the numbers of when it is filled
      if (u.shown) {
        writeUnit(u);
      } else {
        u.stale = true;
        deferred = true;
      }
    }
    if (state.weightEls.length) updateWeights(newData, newGrad);
    if (!deferred) {
      cancelPending();
      return;
    }
    schedule();
  }

  /** Write the pending numbers into unit `u`'s nodes. @param {Unit} u */
  function writeUnit(u) {
    u.stale = false;
    if (pending === null) return;
    const { data: d, grad: gr, max } = pending;
    for (const i of u.ids) updateNode(i, d[i], gr[i], max);
  }

  /** Bring every node up to date with the pending numbers now, if any. */
  function flush() {
    if (pending === null) return;
    for (const u of units()) if (u.stale) writeUnit(u);
    cancelPending();
  }

  /**
   * One slice of the stale units, from where the last one stopped, then of the chunks still
   * empty: while the idle period `deadline` lasts, else SLICE_MS; the next one is scheduled as
   * the first was.
   * @param {IdleDeadline} [deadline]
   */
  function slice(deadline) {
    stopSlices();
    const clock = win?.performance ?? performance;
    const end = clock.now() + SLICE_MS;
    const idle = deadline && !deadline.didTimeout ? deadline : null;
    const all = units();
    const count = all.length;
    for (let k = 0; k < count; k++) {
      const u = all[(cursor + k) % count];
      if (!u.stale) continue;
      writeUnit(u);
      if (idle ? idle.timeRemaining() <= 0 : clock.now() >= end) {
        cursor = (cursor + k + 1) % count;
        schedule();
        return;
      }
    }
    cancelPending();
    for (const c of unfilled.keys()) {
      fillChunk(c);
      if (idle ? idle.timeRemaining() <= 0 : clock.now() >= end) break;
    }
    if (unfilled.size) schedule();
  }

  /**
   * Restyle the weight edges for new numbers: attributes only, where their look changed.
   * @param {ArrayLike<number>} d
   * @param {ArrayLike<number>} gr
   */
  function updateWeights(d, gr) {
    state.styleWeights(state.edgeGrads ? gr : d);
  }

  function cancelPending() {
    pending = null;
    for (const u of units()) u.stale = false;
    stopSlices();
    if (unfilled.size) schedule();
  }

  function stopSlices() {
    if (frameRequest !== null) win?.cancelAnimationFrame?.(frameRequest);
    if (fallback !== null) win?.clearTimeout(fallback);
    if (idleRequest !== null) win?.cancelIdleCallback?.(idleRequest);
    frameRequest = null;
    fallback = null;
    idleRequest = null;
  }

  /**
   * Run a slice when the page is idle, or else in a task right after the next frame (a timer
   * too, for pages not painting). Numbers still to show wait for idle time at most IDLE_WAIT_MS;
   * cards still to draw wait for it however long: forced into a drag, they would lengthen its
   * frames for nothing on screen.
   */
  function schedule() {
    if (idleRequest !== null && pending !== null && !idleTimed) stopSlices();
    if (frameRequest !== null || fallback !== null || idleRequest !== null) return;
    if (win?.requestIdleCallback) {
      idleTimed = pending !== null;
      idleRequest = win.requestIdleCallback(slice, idleTimed ? { timeout: IDLE_WAIT_MS } : {});
      return;
    }
    if (!win?.requestAnimationFrame) {
      flush();
      for (const c of [...unfilled.keys()]) fillChunk(c);
      return;
    }
    if (!channel && win.MessageChannel) {
      channel = new win.MessageChannel();
      channel.port1.onmessage = () => slice();
    }
    frameRequest = win.requestAnimationFrame(() => {
      frameRequest = null;
      if (channel) channel.port2.postMessage(null);
      else fallback ??= win.setTimeout(() => slice(), 0);
    });
    fallback = win.setTimeout(() => slice(), 100);
  }

  return { updateNode, update, writeUnit, flush, updateWeights, schedule };
}
