"""One training step of micrograd's demo three ways, side by side in one run.

    python benchmarks/training.py [--repeats N] [--js-runs N]

The step: MLP(2, [16, 16, 1]) on 100 moons points, SVM max-margin loss + 1e-4 L2, full batch,
backward, SGD update.

1. PyPI micrograd's loop (the demo notebook's), with the interpreter's default settings: its
   first --repeats steps, median.
2. ``train()``: the demo's 100 steps in one call, per step.
3. The page's trainer (``js/core/training.js``) in Node, on ``trainer_spec()`` of the same model
   and data: the 100 steps once to warm up, then --js-runs runs from the start with every step
   timed, median. Its losses are checked against train()'s.

Targets: train() >= 10x micrograd's step; the page's step median <= 2 ms. Each is reported by
the wall clock and by CPU time: on a machine shared with other work only the CPU time is
steady. Needs the `bench` extra (micrograd) and Node.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import micrograd.engine
import micrograd.nn
from arguments import count
from engine import training_step  # benchmarks/engine.py: micrograd's demo step

from micrograd_magic import datasets, nn, train
from micrograd_magic.training import trainer_spec

ROOT = Path(__file__).resolve().parents[1]
TRAINER = ROOT / "js" / "core" / "training.js"
TARGETS = {"train_speedup": 10.0, "js_step_ms": 2.0}

# Reads the demo's spec on stdin, runs all its steps once to warm up, then `runs` more times from
# the start (reset), timing every step; prints the times (ms) and the last run's losses as JSON.
NODE_SCRIPT = """
import { readFileSync } from "node:fs";
const { createTrainer } = await import(process.argv[1]);
const runs = Number(process.argv[2]);
const trainer = createTrainer(JSON.parse(readFileSync(0, "utf8")));
while (trainer.step() !== null);
const times = [];
const cpu = [];
for (let run = 0; run < runs; run++) {
  trainer.reset();
  for (;;) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (trainer.step() === null) break;
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
}
console.log(JSON.stringify({ times, cpu, loss: trainer.history.loss }));
"""


class Timer:
    """Wall-clock and CPU seconds of one timed block.

    On a machine shared with other work the wall clock also counts the time this process waited
    for a core; the CPU time (this process's user + system time) does not.
    """

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)


def python_steps(repeats: int) -> tuple[dict[str, float], dict[str, float], list[float]]:
    """Seconds per step, wall and CPU, of micrograd (median of ``repeats`` steps) and of
    train() (the whole 100-step demo in one call); and train()'s losses."""
    xs, ys = datasets.moons(100, noise=0.1, seed=0)
    random.seed(1337)
    theirs = micrograd.nn.MLP(2, [16, 16, 1])
    t_theirs = Timer()
    for k in range(repeats):
        with t_theirs:
            training_step(micrograd.engine.Value, theirs, xs, ys, k)
    print(f"1. micrograd's demo step (PyPI micrograd, GC on), its first {repeats} steps")
    _report(t_theirs)
    random.seed(1337)
    model = nn.MLP(2, [16, 16, 1])
    t_ours = Timer()
    with t_ours:
        history = train(model, xs, ys, steps=100, progress=False)
    ours = {"wall": t_ours.wall[0] / 100, "cpu": t_ours.cpu[0] / 100}
    print("2. train()'s step: the demo's 100 steps in one call, divided by 100")
    print(f"   {ours['wall'] * 1e3:8.1f} ms wall, {ours['cpu'] * 1e3:.1f} ms CPU a step;")
    print(f"   accuracy {history.accuracy[0]:.0%} at step 0, {history.accuracy[-1]:.0%} at step 99")
    return _medians(t_theirs), ours, history.loss


def _medians(t: Timer) -> dict[str, float]:
    return {"wall": statistics.median(t.wall), "cpu": statistics.median(t.cpu)}


def _report(t: Timer) -> None:
    m = _medians(t)
    print(f"   median {m['wall'] * 1e3:8.1f} ms wall   runs: {_ms(t.wall)}")
    print(f"   median {m['cpu'] * 1e3:8.1f} ms CPU    runs: {_ms(t.cpu)}")


def js_steps(runs: int, expected: list[float]) -> dict[str, float] | None:
    """Median seconds per step, wall and CPU, of the page's trainer in Node over ``runs`` runs of
    the demo's 100 steps (None without Node); its losses are checked against ``expected``."""
    node = shutil.which("node")
    if node is None:
        print("3. the page's step: skipped (no node on PATH)")
        return None
    xs, ys = datasets.moons(100, noise=0.1, seed=0)
    random.seed(1337)
    spec = trainer_spec(nn.MLP(2, [16, 16, 1]), xs, ys)
    result = subprocess.run(
        [node, "--input-type=module", "-e", NODE_SCRIPT, TRAINER.as_uri(), str(runs)],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    out = json.loads(result.stdout)
    worst = max(abs(a - b) / abs(b) for a, b in zip(out["loss"], expected, strict=True))
    wall, cpu = out["times"], out["cpu"]
    print(f"3. the page's step in Node ({len(spec['graph']['nodes'])} nodes a sample):")
    print(f"   the demo's 100 steps, once to warm up, then {runs} runs timed step by step")
    print(
        f"   median {statistics.median(wall):8.3f} ms wall   min {min(wall):.3f}"
        f"   max {max(wall):.3f}   first 10 steps' median {statistics.median(wall[:10]):.3f}"
    )
    print(f"   median {statistics.median(cpu):8.3f} ms CPU")
    print(f"   its 100 losses agree with train()'s to {worst:.1e} relative")
    return {"wall": statistics.median(wall) / 1e3, "cpu": statistics.median(cpu) / 1e3}


def _ms(ts: list[float]) -> str:
    return ", ".join(f"{t * 1e3:.0f}" for t in ts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=count, default=5, help="micrograd steps timed")
    parser.add_argument("--js-runs", type=count, default=5, help="timed JS runs of 100 steps")
    args = parser.parse_args()
    theirs, ours, losses = python_steps(args.repeats)
    js = js_steps(args.js_runs, losses)
    met = []
    for clock in ("wall", "cpu"):
        print(f"ratios ({clock} medians)")
        speedup = theirs[clock] / ours[clock]
        print(
            f"   train() is {speedup:.1f}x faster than micrograd's step"
            f"  (target >= {TARGETS['train_speedup']:.0f}x)"
        )
        met.append(speedup >= TARGETS["train_speedup"])
        if js is not None:
            print(
                f"   the page's step is {theirs[clock] / js[clock]:,.0f}x faster than"
                f" micrograd's, {ours[clock] / js[clock]:,.0f}x faster than train()'s"
                f"  ({js[clock] * 1e3:.2f} ms; target <= {TARGETS['js_step_ms']:.0f} ms)"
            )
            met.append(js[clock] * 1e3 <= TARGETS["js_step_ms"])
    print(f"targets met: {sum(met)} of {len(met)} (wall and CPU)")


if __name__ == "__main__":
    main()
