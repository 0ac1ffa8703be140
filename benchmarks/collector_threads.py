"""What another thread sees of the engine's collector pause, while one thread trains.

    python benchmarks/collector_threads.py [--seconds S]

The engine pauses Python's cyclic garbage collector (gc.disable()) while it makes a node, runs
backward(), copies or unpickles a graph and while a module's forward runs, and resumes it
afterwards if it was on. The switch is process-wide, so other threads can see it. One thread
trains micrograd's demo MLP (the step of benchmarks/engine.py) in a loop; meanwhile

1. another thread checks gc.isenabled() every millisecond: how often does it see it off?
2. another thread calls gc.disable(), waits 5 ms, checks that it is still off, and turns it back
   on: how often was its setting undone by the end of one of the engine's pauses?

No test asserts these figures; the README quotes them.
"""

from __future__ import annotations

import argparse
import gc
import random
import threading
import time

from arguments import seconds
from engine import training_step, two_moons

import micrograd_magic.engine
import micrograd_magic.nn


def train_until(stop: threading.Event) -> int:
    xs, ys = two_moons()
    random.seed(1337)
    model = micrograd_magic.nn.MLP(2, [16, 16, 1])
    steps = 0
    while not stop.is_set():
        training_step(micrograd_magic.engine.Value, model, xs, ys, steps % 100)
        steps += 1
    return steps


def observe(stop: threading.Event, counts: dict[str, int]) -> None:
    while not stop.is_set():
        counts["checks"] += 1
        counts["off"] += not gc.isenabled()
        time.sleep(0.001)


def disable_and_check(stop: threading.Event, counts: dict[str, int]) -> None:
    rng = random.Random(0)
    while not stop.is_set():
        time.sleep(rng.uniform(0.0, 0.005))
        gc.disable()
        time.sleep(0.005)
        counts["tries"] += 1
        counts["undone"] += gc.isenabled()
        gc.enable()


def run(side, seconds: float) -> tuple[dict[str, int], int]:
    counts = {"checks": 0, "off": 0, "tries": 0, "undone": 0}
    stop = threading.Event()
    thread = threading.Thread(target=side, args=(stop, counts))
    thread.start()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    try:
        steps = train_until(stop)
    finally:
        stop.set()
        timer.cancel()
        thread.join(10)
        gc.enable()
    return counts, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=seconds, default=10.0, help="length of each phase")
    args = parser.parse_args()
    assert gc.isenabled(), "the benchmark runs with the interpreter's default GC settings"
    counts, steps = run(observe, args.seconds)
    print(
        f"while one thread trained ({steps} steps of micrograd's demo MLP in {args.seconds:g} s):"
    )
    print(
        f"1. another thread saw the collector off in {counts['off']} of {counts['checks']}"
        f" checks ({100 * counts['off'] / max(1, counts['checks']):.0f}%)"
    )
    counts, steps = run(disable_and_check, args.seconds)
    print(
        f"2. another thread's gc.disable() was undone within 5 ms in {counts['undone']} of"
        f" {counts['tries']} tries ({100 * counts['undone'] / max(1, counts['tries']):.0f}%;"
        f" {steps} training steps meanwhile)"
    )


if __name__ == "__main__":
    main()
