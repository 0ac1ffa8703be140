// At most one run per animation frame, however often it is asked for.
//
// A slider fires `input` as often as the pointer or a key moves it; some browsers and input
// paths deliver several between two frames. Each run is a whole engine pass and a rewrite of the
// numbers, so the rest wait for the next frame and run once there with whatever is latest. The
// first request after a frame began runs at once: input that comes once per frame (Chromium
// aligns pointer moves with its frames) is then drawn in the frame it arrived in, not one later.
// A run made in a frame's own callbacks (after the pacer's) is drawn in that frame too, so the
// next frame's callback already begins a new frame: what waits then runs there, not one later.

/**
 * @typedef {object} Pacer
 * @property {() => void} request ask for a run: now if none ran since the last frame began,
 *   else once at the next frame
 * @property {() => void} flush run now if a run is waiting (the end of a drag)
 * @property {() => void} cancel forget a waiting run, stop the frame callbacks
 */

/** When frames stop (a hidden tab), a waiting run still happens after this long. */
const FALLBACK_MS = 100;

/**
 * Pace `run` to the animation frames of `win` (at once, every time, where it has none).
 * @param {(Window & typeof globalThis) | null} win
 * @param {() => void} run
 * @returns {Pacer}
 */
export function createPacer(win, run) {
  let ran = false; // a run since the last frame began
  let inFrame = false; // between the pacer's frame callback and the end of that frame's rendering
  let ranInFrame = false; // the last run was made there: its frame has drawn it by the next tick
  let waiting = false; // asked for since the last run
  /** @type {number | null} */
  let frame = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;

  function stop() {
    if (frame !== null) win?.cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
  }

  function arm() {
    if (frame !== null || !win?.requestAnimationFrame) return;
    frame = win.requestAnimationFrame(tick);
    timer = setTimeout(tick, FALLBACK_MS);
  }

  /** A task queued in a frame callback runs after that frame's rendering. */
  function frameEnded() {
    inFrame = false;
  }

  function runNow() {
    ranInFrame = inFrame;
    run();
  }

  /** A frame began (or the fallback fired). */
  function tick() {
    stop();
    inFrame = true;
    setTimeout(frameEnded, 0);
    if (ran && !ranInFrame) {
      // This frame draws the run made before it began: what came after it waits for the next.
      ran = false;
      if (waiting) arm();
      return;
    }
    ran = waiting;
    if (waiting) {
      waiting = false;
      runNow(); // drawn in this frame; what comes after it waits for the next one
      arm();
    }
  }

  return {
    request() {
      if (!win?.requestAnimationFrame) return run();
      if (ran || waiting) {
        waiting = true;
      } else {
        ran = true;
        runNow();
      }
      arm();
    },
    flush() {
      if (!waiting) return;
      waiting = false;
      ran = true;
      runNow();
      arm();
    },
    cancel() {
      waiting = false;
      ran = false;
      stop();
    },
  };
}
