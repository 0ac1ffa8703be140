"""This checkout's engine against another checkout's, alternating in one process.

    python benchmarks/engine_ab.py PATH_TO_OTHER_CHECKOUT [--rounds N]

On a shared, noisy machine two benchmark runs one after the other can differ by 2x; taking turns
within one process, round after round, exposes both engines to the same load. The other
checkout's package is loaded under another name (its imports are relative). Prints the median
of each measure for both and their ratio (other / this: above 1 means this one is faster).

1. micrograd's demo training step (benchmarks/engine.py's), GC on, best of 3;
2. build + backward per node of a 200,000-node wide graph, GC on, best of 2;
3. fixed costs per call: backward() of a one-op graph, x.tanh(), x.relu().
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import shutil
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

from arguments import count
from engine import training_step, two_moons, wide_graph, wide_graph_size

import micrograd_magic


def load_other(checkout: Path, scratch: Path):
    """The other checkout's micrograd_magic, imported as ``other_micrograd_magic``."""
    target = scratch / "other_micrograd_magic"
    shutil.copytree(checkout / "micrograd_magic", target, ignore=shutil.ignore_patterns("static"))
    spec = importlib.util.spec_from_file_location(
        "other_micrograd_magic", target / "__init__.py", submodule_search_locations=[str(target)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["other_micrograd_magic"] = module
    spec.loader.exec_module(module)
    return module


def measures(package) -> dict[str, float]:
    value = package.Value
    xs, ys = two_moons()
    random.seed(1337)
    model = package.nn.MLP(2, [16, 16, 1])
    steps = []
    for k in range(3):
        t0 = time.perf_counter()
        training_step(value, model, xs, ys, k)
        steps.append(time.perf_counter() - t0)
    step = min(steps)
    builds = []
    for _ in range(2):
        t0 = time.perf_counter()
        _, total = wide_graph(value, 200_000)
        total.backward()
        builds.append(time.perf_counter() - t0)
        del total
    per_node = min(builds) / wide_graph_size(200_000) * 1e9
    x = value(0.5)
    y = x * 2.0

    def per_call(stmt) -> float:
        return min(timeit.repeat(stmt, number=20_000, repeat=3)) / 20_000 * 1e9

    return {
        "training step (ms)": step * 1e3,
        "build+backward (ns/node)": per_node,
        "backward() one-op (ns)": per_call(y.backward),
        "x.tanh() (ns)": per_call(x.tanh),
        "x.relu() (ns)": per_call(x.relu),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (its root folder)")
    parser.add_argument("--rounds", type=count, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        other = load_other(args.other.resolve(), Path(scratch))
        runs: dict[str, dict[str, list[float]]] = {"other": {}, "this": {}}
        pair = [("other", other), ("this", micrograd_magic)]
        for _ in range(args.rounds):
            pair.reverse()  # neither always goes first
            for name, package in pair:
                gc.collect()
                for key, figure in measures(package).items():
                    runs[name].setdefault(key, []).append(figure)
    print(f"{'measure':28} {'other':>10} {'this':>10} {'other/this':>10}  ({args.rounds} rounds)")
    for key in runs["this"]:
        a, b = statistics.median(runs["other"][key]), statistics.median(runs["this"][key])
        print(f"{key:28} {a:10.1f} {b:10.1f} {a / b:10.2f}")


if __name__ == "__main__":
    main()
