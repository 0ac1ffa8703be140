// Work that can wait until the frame a click changes has been painted: it runs two frames after
// that one (at the start of the third animation frame from now), so the click's own frame
// carries only what the user must see at once, and the frame after it only the start of the
// boxes' slide (widget/network.js slideBoxes), which the compositor runs from that frame's commit
// on: a job in that frame would hold the slide back by as long as it takes. A job that has more
// to do than fits in one frame does a slice and asks for another frame. Tests do not wait for
// frames: `flushLater` runs every waiting job of a window to the end, now.

/**
 * A piece of deferred work (one per thing that may wait: a scene's edges, the details panel).
 * @typedef {object} Later
 * @property {() => void} schedule run the job two frames after the next painted one (once,
 *   however often asked before it runs)
 * @property {() => void} cancel drop the run asked for, if any (what it would have done is
 *   superseded or done already)
 * @property {() => void} now run it now to the end, if it waits
 */

/** @type {WeakMap<object, Set<Later>>} the jobs waiting in each window */
const waiting = new WeakMap();

/**
 * A job for `win`'s page: `run(all)` does its work, all of it when `all` is true, else a slice
 * that fits a frame, and returns whether more remains (then it runs again a frame later).
 * Where the page has no animation frames the job runs at once when scheduled.
 * @param {Window | null} win
 * @param {(all: boolean) => boolean} run
 * @returns {Later}
 */
export function later(win, run) {
  /** @type {number | null} */
  let request = null;
  let asked = false;
  const jobs = win ? (waiting.get(win) ?? new Set()) : new Set();
  if (win) waiting.set(win, jobs);

  function cancel() {
    if (request !== null) win?.cancelAnimationFrame(request);
    request = null;
    asked = false;
    jobs.delete(self);
  }

  /** @param {boolean} all */
  function fire(all) {
    request = null;
    asked = false;
    jobs.delete(self);
    if (run(all) && !all) wait(1);
  }

  /** Run a slice `frames` animation frames from now. @param {number} frames */
  function wait(frames) {
    const w = /** @type {Window} */ (win);
    asked = true;
    jobs.add(self);
    const tick = (/** @type {number} */ left) => {
      request = w.requestAnimationFrame(() => (left > 1 ? tick(left - 1) : fire(false)));
    };
    tick(frames);
  }

  function schedule() {
    if (asked) return;
    if (!win?.requestAnimationFrame) {
      run(true);
      return;
    }
    // the first frame's callbacks run before it is painted, the second starts the slide
    wait(3);
  }

  /** @type {Later} */
  const self = {
    schedule,
    cancel,
    now() {
      if (!asked) return;
      cancel();
      fire(true);
    },
  };
  return self;
}

/**
 * Run every job waiting in `win`'s page to the end, now (for tests, instead of waiting for
 * frames).
 * @param {object} win the page's window
 */
export function flushLater(win) {
  const jobs = waiting.get(win);
  if (!jobs) return;
  for (const job of [...jobs]) job.now();
}
