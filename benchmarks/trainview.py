"""The training view in headless Chromium, beside PyPI micrograd's step, in one run.

    python benchmarks/trainview.py [--repeats N] [--runs N]

micrograd's demo (MLP(2, [16, 16, 1]) on 100 moons points, SVM loss + 1e-4 L2, full batch) in
the exported page of ``train_view()`` (the real page, bundle and all, opened from file://):

1. PyPI micrograd's Python step (the demo notebook's loop): its first --repeats steps, median.
2. The page's step: a click on Step, timed in the page (the update, the readouts, the curves and
   the network; the boundary is painted in the next frame), 100 steps from Reset, --runs runs,
   median; and the ratio to micrograd's step.
3. The decision boundary's redraw (50 x 50 grid, then the canvas): the history scrubber moved
   to each of the 101 steps, one frame each; the duration of each paint.
4. Frames while Play runs at 60 steps a second: the page's own work per frame (the steps'
   timer callbacks and the frame callbacks between two frames) and the frame intervals.

Targets: the page's step median <= 2 ms; a boundary redraw <= 16 ms; frames under 16 ms while
playing. Needs the `bench` extra (micrograd), the built bundle (``cd js && npm run build``) and
Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import micrograd.engine
import micrograd.nn
from arguments import count
from engine import training_step  # benchmarks/engine.py: micrograd's demo step

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):  # the package, and tests/chromium.py
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from chromium import CHROMIUM, FLAGS  # noqa: E402

from micrograd_magic import datasets, nn  # noqa: E402
from micrograd_magic.trainview import train_view  # noqa: E402

TARGETS = {"step_ms": 2.0, "boundary_ms": 16.0, "frame_ms": 16.0}

# Runs before the page's scripts: records how long each frame callback and timer callback of the
# page takes, and the time of every frame, so that the page's own work can be told apart.
RECORDER = """
window.__bench = { raf: [], timeout: [] };
const raf = window.requestAnimationFrame.bind(window);
const timed = (list, fn, ...args) => {
  const t0 = performance.now();
  fn(...args);
  list.push([t0, performance.now() - t0]);
};
window.requestAnimationFrame = (fn) => raf((t) => timed(window.__bench.raf, fn, t));
const later = window.setTimeout.bind(window);
window.setTimeout = (fn, ms, ...rest) =>
  later(() => timed(window.__bench.timeout, fn, ...rest), ms);
"""

STEP_CLICKS = """(runs) => {
  const view = document.querySelector('[data-mgm-widget]');
  const press = (what) => view.querySelector(`[data-train="${what}"]`).click();
  const times = [];
  for (let r = 0; r < runs; r++) {
    press('reset');
    for (let k = 0; k < 100; k++) {
      const t0 = performance.now();
      press('step');
      times.push(performance.now() - t0);
    }
  }
  const step = Number(view.querySelector('[data-metric="step"]').dataset.value);
  const accuracy = Number(view.querySelector('[data-metric="accuracy"]').dataset.value);
  return { times, step, accuracy };
}"""

SCRUB = """async () => {
  const view = document.querySelector('[data-mgm-widget]');
  const scrubber = view.querySelector('input[data-train="history"]');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  await frame();
  window.__bench.raf.length = 0;
  for (let k = 0; k <= Number(scrubber.max); k++) {
    scrubber.value = String(k);
    scrubber.dispatchEvent(new Event('input', { bubbles: true }));
    await frame();
    await frame();
  }
  // Our own `frame` waits are recorded too (they do nothing): keep the boundary's paints only.
  return window.__bench.raf.map(([, d]) => d).filter((d) => d > 0.05);
}"""

PLAY = """async () => {
  const view = document.querySelector('[data-mgm-widget]');
  const press = (what) => view.querySelector(`[data-train="${what}"]`).click();
  press('reset');
  const speed = view.querySelector('input[data-train="speed"]');
  speed.value = '60';
  speed.dispatchEvent(new Event('input', { bubbles: true }));
  window.__bench.raf.length = 0;
  window.__bench.timeout.length = 0;
  const frames = [];
  let playing = true;
  const tick = (t) => { frames.push(t); if (playing) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  press('play');
  while (Number(view.querySelector('[data-metric="step"]').dataset.value) < 100) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  playing = false;
  const accuracy = Number(view.querySelector('[data-metric="accuracy"]').dataset.value);
  return { frames, raf: window.__bench.raf, timeout: window.__bench.timeout, accuracy };
}"""


def micrograd_step(repeats: int) -> float:
    """Median seconds of micrograd's demo step over its first ``repeats`` steps."""
    xs, ys = datasets.moons(100, noise=0.1, seed=0)
    random.seed(1337)
    theirs = micrograd.nn.MLP(2, [16, 16, 1])
    times = []
    for k in range(repeats):
        t0 = time.perf_counter()
        training_step(micrograd.engine.Value, theirs, xs, ys, k)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def page(folder: Path) -> Path:
    """micrograd's demo as train_view()'s exported page."""
    xs, ys = datasets.moons(100, noise=0.1, seed=0)
    random.seed(1337)
    tv = train_view(nn.MLP(2, [16, 16, 1]), xs, ys, loss="svm", alpha=1e-4, lr=(1.0, 0.1))
    return tv.save_html(folder / "trainview.html")


def measure(path: Path, runs: int) -> dict:
    """Open the page in headless Chromium and time its step, boundary and frames."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1300, "height": 900},
        )
        try:
            context.add_init_script(RECORDER)
            tab = context.new_page()
            errors: list[str] = []
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(path.as_uri())
            tab.wait_for_selector("html[data-mgm-ready]", state="attached", timeout=60_000)
            steps = tab.evaluate(STEP_CLICKS, runs)
            boundary = tab.evaluate(SCRUB)
            play = tab.evaluate(PLAY)
            if errors:
                raise RuntimeError(f"the page failed: {errors}")
            return {"steps": steps, "boundary": boundary, "play": play}
        finally:
            context.close()


def frame_work(play: dict) -> tuple[list[float], list[float]]:
    """The page's callback time within each frame, and the frame intervals (ms)."""
    frames = play["frames"]
    intervals = [b - a for a, b in itertools.pairwise(frames)]
    calls = sorted(play["raf"] + play["timeout"])
    work = []
    for a, b in itertools.pairwise(frames):
        work.append(sum(d for t, d in calls if a <= t < b))
    return work, intervals


def _stats(xs: list[float]) -> str:
    ordered = sorted(xs)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {statistics.median(ordered):6.2f}  p95 {p95:6.2f}  max {ordered[-1]:6.2f} ms"
        f"  ({len(ordered)} samples)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=count, default=3, help="micrograd steps timed")
    parser.add_argument("--runs", type=count, default=5, help="runs of 100 Step clicks")
    args = parser.parse_args()
    theirs = micrograd_step(args.repeats)
    print(f"1. micrograd's demo step (PyPI micrograd), its first {args.repeats} steps")
    print(f"   median {theirs * 1e3:8.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        result = measure(page(Path(folder)), args.runs)
    steps = result["steps"]
    step_ms = statistics.median(steps["times"])
    print(f"2. the page's step (a Step click), {args.runs} runs of 100 steps from Reset")
    print(f"   {_stats(steps['times'])}")
    print(f"   {theirs * 1e3 / step_ms:,.0f}x faster than micrograd's step  (target <= 2 ms)")
    print(f"   accuracy after 100 steps: {steps['accuracy']:.0%}")
    boundary = result["boundary"]
    print("3. the boundary's redraw (50 x 50 grid and the canvas), one per history step")
    print(f"   {_stats(boundary)}  (target <= 16 ms)")
    work, intervals = frame_work(result["play"])
    print("4. frames while Play runs at 60 steps a second")
    print(f"   the page's work per frame: {_stats(work)}  (target < 16 ms)")
    print(f"   frame intervals:           {_stats(intervals)}")
    met = [
        step_ms <= TARGETS["step_ms"],
        statistics.median(boundary) <= TARGETS["boundary_ms"],
        max(work) < TARGETS["frame_ms"],
    ]
    print(f"targets met: {sum(met)} of {len(met)} (step median, boundary median, frame work max)")


if __name__ == "__main__":
    main()
