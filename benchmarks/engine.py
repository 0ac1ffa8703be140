"""Engine speed and memory against the references, printed as figures and ratios.

    python benchmarks/engine.py [--repeats N] [--baseline REV] [--baseline-rounds N]
                                [--baseline-repeats N] [--baseline-only]

1. One training step of micrograd's demo (MLP(2, [16, 16, 1]) on 100 two-moons points, SVM
   max-margin loss + 1e-4 L2, backward, SGD update), Karpathy's micrograd and ours alternating in
   one process with the interpreter's default settings (garbage collector on).
2. Build + backward per node on a 1,000,000-node graph, against micrograd, torch 0-dim float64
   tensors (on a smaller graph: torch takes ~10-25 us a node) and plain float arithmetic.
3. Bytes per node (tracemalloc) of that graph after backward.
4. backward() of a 1,000,000-link chain.
5. The fixed cost of a backward() call (a one-op graph; the lock that serialises calls is part
   of it) and of a generated method (x.tanh(), x.relu()).
6. copy.deepcopy and a pickle round trip of that 1,000,000-link chain.
7. Side by side with the engine of another commit (``--baseline REV``, default adac4cf: the
   engine before group recording, issue 12): its package taken out of git into a temporary
   folder and imported under another name, then the training step of 1. (with micrograd's, for
   the ratio) and build + backward per node of 2., taking turns round after round (each
   engine's best of ``--baseline-repeats`` turns in a round), in CPU time and wall time.
   ``--baseline-only`` runs this section alone; ``--baseline none`` skips it.

Needs the `bench` extra (micrograd, torch): pip install -e ".[bench]".
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import gc
import importlib.util
import io
import math
import pickle
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import micrograd.engine
import micrograd.nn
from arguments import count

import micrograd_magic
import micrograd_magic.engine
import micrograd_magic.nn

TARGETS = {
    "step_speedup": 10.0,
    "ns_per_node": 1500.0,
    "bytes_per_node": 250.0,
    "chain_seconds": 3.0,
}


def two_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list, list]:
    """The two interleaving half circles of micrograd's demo, labels -1/+1 (no sklearn needed)."""
    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(n):
        upper = i < n // 2
        t = math.pi * (i % (n // 2)) / (n // 2 - 1)
        x, y = (math.cos(t), math.sin(t)) if upper else (1 - math.cos(t), 0.5 - math.sin(t))
        xs.append([x + rng.gauss(0, noise), y + rng.gauss(0, noise)])
        ys.append(-1 if upper else 1)
    return xs, ys


def training_step(value_cls, model, xs, ys, k: int):
    """micrograd's demo step, verbatim in shape; returns the loss Value (its graph intact)."""
    inputs = [list(map(value_cls, row)) for row in xs]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return total


def count_nodes(root) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        v = stack.pop()
        for c in v._prev:
            if id(c) not in seen:
                seen.add(id(c))
                stack.append(c)
    return len(seen)


def bench_training(repeats: int) -> float:
    """Two rounds: as a training loop runs, then with each engine's garbage collected untimed."""
    xs, ys = two_moons()
    print("1. training step (MLP(2,[16,16,1]), 100 points, GC on, same process, alternating)")
    ratios = []
    for isolated in (False, True):
        random.seed(1337)
        theirs = micrograd.nn.MLP(2, [16, 16, 1])
        random.seed(1337)
        ours = micrograd_magic.nn.MLP(2, [16, 16, 1])
        t_theirs, t_ours = [], []
        for k in range(repeats):
            if isolated:
                gc.collect()
            t0 = time.perf_counter()
            loss_theirs = training_step(micrograd.engine.Value, theirs, xs, ys, k)
            t_theirs.append(time.perf_counter() - t0)
            if isolated:
                gc.collect()
            t0 = time.perf_counter()
            loss_ours = training_step(micrograd_magic.engine.Value, ours, xs, ys, k)
            t_ours.append(time.perf_counter() - t0)
            assert math.isclose(loss_theirs.data, loss_ours.data, rel_tol=1e-9)
            n_theirs, n_ours = count_nodes(loss_theirs), count_nodes(loss_ours)
            del loss_theirs, loss_ours  # as a training loop drops them
        mt, mo = statistics.median(t_theirs), statistics.median(t_ours)
        ratios.append(mt / mo)
        if isolated:
            print("   b) gc.collect() untimed before every step: each engine's garbage is freed")
            print("      outside the timings (micrograd's graphs are cycles; this flatters it)")
        else:
            print("   a) as a training loop runs: whatever the collector does lands in the timings")
        for name, median, n, runs in (
            ("micrograd:      ", mt, n_theirs, t_theirs),
            ("micrograd_magic:", mo, n_ours, t_ours),
        ):
            print(f"      {name} {median * 1e3:7.1f} ms  ({n:,} nodes)  runs: {fmt_ms(runs)}")
        print(f"      speed-up: {mt / mo:.1f}x  (same loss in every step, checked)")
    print(f"   target >= {TARGETS['step_speedup']:.0f}x in both rounds")
    return min(ratios)


def fmt_ms(ts: list[float]) -> str:
    return ", ".join(f"{t * 1e3:.0f}" for t in ts)


def wide_graph(make: Callable[[float], object], n_nodes: int):
    """Leaves, each times its neighbour, summed pairwise: ~3 nodes per leaf, ~20 levels deep.

    Shallow on purpose, so that micrograd's recursive backward can run it too.
    """
    n = n_nodes // 3
    xs = [make(0.5 + (i % 7) * 0.1) for i in range(n)]
    level = [xs[i] * xs[i - 1] for i in range(n)]
    while len(level) > 1:
        pairs = [level[i] + level[i + 1] for i in range(0, len(level) - 1, 2)]
        level = [*pairs, level[-1]] if len(level) % 2 else pairs
    return xs, level[0]


def wide_graph_size(n_nodes: int) -> int:
    n = n_nodes // 3
    return 3 * n - 1


def per_node_ns(build_and_backward: Callable[[], int]) -> float:
    t0 = time.perf_counter()
    n = build_and_backward()
    return (time.perf_counter() - t0) / n * 1e9


def bench_wide(n_nodes: int, n_torch: int) -> tuple[float, float]:
    import torch  # only here: its import grows the heap that every full GC pass walks

    torch.set_num_threads(1)

    def ours() -> int:
        _, total = wide_graph(micrograd_magic.engine.Value, n_nodes)
        total.backward()
        return wide_graph_size(n_nodes)

    def theirs_torch() -> int:
        def leaf(x: float):
            return torch.tensor(x, dtype=torch.float64, requires_grad=True)

        _, total = wide_graph(leaf, n_torch)
        total.backward()
        return wide_graph_size(n_torch)

    def theirs_micrograd() -> int:
        _, total = wide_graph(micrograd.engine.Value, n_nodes)
        total.backward()
        return wide_graph_size(n_nodes)

    def plain_floats() -> int:
        wide_graph(float, n_nodes)
        return wide_graph_size(n_nodes)

    runs_ours = [per_node_ns(ours) for _ in range(3)]
    ns_ours = statistics.median(runs_ours)
    ns_micrograd = per_node_ns(theirs_micrograd)
    gc.collect()  # micrograd's graph is cycles: free it before timing the next one
    ns_torch = per_node_ns(theirs_torch)
    ns_float = statistics.median(per_node_ns(plain_floats) for _ in range(3))
    print(f"2. build + backward per node, wide graph ({n_nodes:,} nodes), GC on")
    print(
        f"   micrograd_magic: {ns_ours:8.0f} ns/node  (target <= {TARGETS['ns_per_node']:.0f})"
        f"  runs: {', '.join(f'{ns:.0f}' for ns in runs_ours)}"
    )
    print(
        f"   micrograd:       {ns_micrograd:8.0f} ns/node"
        f"  -> ours is {ns_micrograd / ns_ours:.1f}x faster"
    )
    print(
        f"   torch 0-dim:     {ns_torch:8.0f} ns/node  ({n_torch:,}-node graph)"
        f"  -> ours is {ns_torch / ns_ours:.1f}x faster"
    )
    print(
        f"   plain floats:    {ns_float:8.0f} ns/node  (no graph)"
        f"  -> ours costs {ns_ours / ns_float:.1f}x plain arithmetic"
    )
    passes, walked = collector_walks(ours)
    print(
        f"   collector passes in ours (untimed run): {passes[0]} young, {passes[1]} middle,"
        f" {passes[2]} full; they walked {walked:.2f} objects per node"
    )
    return ns_ours, ns_torch


def collector_walks(build_and_backward: Callable[[], int]) -> tuple[list[int], float]:
    """Collector passes per generation during one untimed run, and objects they walked per node.

    A figure that does not drift with the machine's speed, unlike the timings.
    """
    passes, walked = [0, 0, 0], 0

    def seen(phase: str, info: dict) -> None:
        nonlocal walked
        if phase == "start":
            generation = info["generation"]
            passes[generation] += 1
            walked += sum(len(gc.get_objects(generation=g)) for g in range(generation + 1))

    gc.collect()
    gc.callbacks.append(seen)
    try:
        n = build_and_backward()
    finally:
        gc.callbacks.remove(seen)
    return passes, walked / n


def bench_memory(n_nodes: int) -> float:
    def measure(value_cls) -> float:
        gc.collect()
        tracemalloc.start()
        _, total = wide_graph(value_cls, n_nodes)
        total.backward()
        size, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size / wide_graph_size(n_nodes)

    ours = measure(micrograd_magic.engine.Value)
    theirs = measure(micrograd.engine.Value)
    gc.collect()
    print(f"3. memory after backward, wide graph ({n_nodes:,} nodes), tracemalloc")
    print(
        f"   micrograd_magic: {ours:6.0f} bytes/node  (target <= {TARGETS['bytes_per_node']:.0f})"
    )
    print(f"   micrograd:       {theirs:6.0f} bytes/node  -> ours uses {theirs / ours:.1f}x less")
    return ours


def bench_chain(links: int) -> float:
    x = micrograd_magic.engine.Value(1.0)
    v = x
    for i in range(links):
        v = v + 1.0 if i % 2 else v * 1.0
    t0 = time.perf_counter()
    v.backward()
    seconds = time.perf_counter() - t0
    assert x.grad == 1.0
    print(
        f"4. backward of a {links:,}-link chain: {seconds:.2f} s"
        f"  (target < {TARGETS['chain_seconds']:.0f} s; default recursion limit)"
    )
    return seconds


def bench_fixed_costs(calls: int = 200_000) -> None:
    Value = micrograd_magic.engine.Value  # noqa: N806 - the class, named as users name it
    x = Value(0.5)
    y = x * 2.0

    def per_call(stmt: Callable[[], object]) -> float:
        return min(timeit.repeat(stmt, number=calls, repeat=5)) / calls * 1e9

    print("5. fixed costs per call (best of 5)")
    print(f"   backward() of a one-op graph:  {per_call(y.backward):6.0f} ns")
    print(f"   x.tanh():                      {per_call(x.tanh):6.0f} ns")
    print(f"   x.relu():                      {per_call(x.relu):6.0f} ns")
    print(f"   x * 2.0:                       {per_call(lambda: x * 2.0):6.0f} ns  (for scale)")


def bench_copies(links: int) -> None:
    x = micrograd_magic.engine.Value(1.0)
    v = x
    for i in range(links):
        v = v + 1.0 if i % 2 else v * 1.0
    t0 = time.perf_counter()
    copy.deepcopy(v)
    t1 = time.perf_counter()
    data = pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
    t2 = time.perf_counter()
    pickle.loads(data)
    t3 = time.perf_counter()
    print(f"6. the {links:,}-link chain ({2 * links + 1:,} values):")
    print(
        f"   copy.deepcopy {t1 - t0:.2f} s, pickle.dumps {t2 - t1:.2f} s"
        f" ({len(data) / 1e6:.0f} MB), pickle.loads {t3 - t2:.2f} s"
    )


ROOT = Path(__file__).resolve().parents[1]
#: The commit before group recording (issue 12): main before the groups merge.
BASELINE = "adac4cf"
#: How far the engine may fall behind the baseline (issue 12: "within 5% of today's").
BASELINE_BUDGET = 0.05


class BaselineUnavailableError(Exception):
    """The baseline commit's package cannot be had here (no git, a wheel, a shallow clone)."""


@contextlib.contextmanager
def baseline_package(
    rev: str, name: str = "baseline_micrograd_magic", root: Path = ROOT
) -> Iterator[ModuleType]:
    """Commit ``rev``'s micrograd_magic package, imported as the package ``name``.

    ``git archive`` writes the package into a temporary folder, removed on exit with the
    ``sys.modules`` entries. Its imports are relative, so its modules are ``name.engine`` and so
    on: their globals (the current group, the call counter) are not ours. Raises
    BaselineUnavailableError with one line saying why.
    """
    if name in sys.modules:
        raise BaselineUnavailableError(f"a module named {name!r} is imported already")
    try:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", rev, "--", "micrograd_magic"],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BaselineUnavailableError(f"git archive could not run ({error})") from None
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise BaselineUnavailableError(f"git archive {rev} failed: {reason[0]}")
    with tempfile.TemporaryDirectory(prefix="micrograd-magic-baseline-") as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(scratch, filter="data")
        package = Path(scratch) / "micrograd_magic"
        spec = importlib.util.spec_from_file_location(
            name, package / "__init__.py", submodule_search_locations=[str(package)]
        )
        if spec is None or spec.loader is None:
            raise BaselineUnavailableError(f"{rev} has no micrograd_magic package")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
            yield module
        finally:
            for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
                del sys.modules[key]


def timed(run: Callable[..., object], *args: object) -> tuple[float, float, object]:
    """CPU seconds (this process), wall seconds and the result of ``run(*args)``, after an
    untimed collection so that no engine pays for the garbage of the one before it."""
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    result = run(*args)
    return time.process_time() - c0, time.perf_counter() - t0, result


def build_and_backward(value_cls: type, n_nodes: int) -> None:
    """The wide graph of section 2 with ``value_cls``, and its backward pass."""
    _, total = wide_graph(value_cls, n_nodes)
    total.backward()


def side_by_side(
    packages: dict[str, ModuleType], rounds: int, n_nodes: int, repeats: int = 3
) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """The training step (and micrograd's) and build + backward per node of each package,
    taking turns round after round, so that the load of a shared machine falls on all of them.

    In a round, micrograd makes one step, then the packages take turns ``repeats`` times at each
    measure, in an order that flips every round; a package's figure for the round is its best
    turn (load only ever slows). Returns ``{measure: {engine: [(cpu, wall), ...]}}`` with one
    pair per round. The packages' losses must agree in every step, and with micrograd's in the
    first (micrograd makes fewer steps).
    """
    xs, ys = two_moons()
    models = {}
    random.seed(1337)
    models["micrograd"] = micrograd.nn.MLP(2, [16, 16, 1])
    values = {"micrograd": micrograd.engine.Value}
    for label, package in packages.items():
        random.seed(1337)
        models[label] = package.nn.MLP(2, [16, 16, 1])
        values[label] = package.engine.Value
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {"step": {}, "node": {}}
    size = wide_graph_size(n_nodes)
    order = list(packages)
    steps = 0
    for k in range(rounds):
        cpu, wall, loss = timed(training_step, values["micrograd"], models["micrograd"], xs, ys, k)
        runs["step"].setdefault("micrograd", []).append((cpu, wall))
        reference = loss.data
        del loss
        order.reverse()  # neither package always follows micrograd
        best = {measure: dict.fromkeys(order, (math.inf, math.inf)) for measure in runs}
        for _ in range(repeats):
            losses = []
            for label in order:
                model = models[label]
                cpu, wall, loss = timed(training_step, values[label], model, xs, ys, steps % 100)
                losses.append(loss.data)
                del loss
                was = best["step"][label]
                best["step"][label] = (min(was[0], cpu), min(was[1], wall))
            if steps == 0:
                losses.append(reference)
            assert all(math.isclose(x, losses[0], rel_tol=1e-9) for x in losses), (steps, losses)
            steps += 1
            for label in order:
                cpu, wall, _ = timed(build_and_backward, values[label], n_nodes)
                was = best["node"][label]
                best["node"][label] = (
                    min(was[0], cpu / size * 1e9),
                    min(was[1], wall / size * 1e9),
                )
        for measure, figures in best.items():
            for label, figure in figures.items():
                runs[measure].setdefault(label, []).append(figure)
    return runs


def module_call_ns(packages: dict[str, ModuleType], turns: int = 5) -> dict[str, float]:
    """The cost of one ``nn`` module call whose ``forward`` returns its input, per package: the
    fixed cost group recording adds to, free of the graph building around it. The packages take
    turns; each keeps its best (timeit pauses the collector, as an enclosing module call does).
    """
    calls = 100_000
    best = dict.fromkeys(packages, math.inf)
    for _ in range(turns):
        for label, package in packages.items():
            identity = type("Identity", (package.nn.Module,), {"forward": lambda self, x: x})()
            t = min(timeit.repeat(lambda m=identity: m(1.0), number=calls, repeat=5))
            best[label] = min(best[label], t / calls * 1e9)
    return best


def bench_baseline(rev: str, rounds: int, n_nodes: int, repeats: int = 3) -> bool | None:
    """Section 7: this engine against commit ``rev``'s; whether it stays within the budget on
    both measures (CPU-time medians), or None when the baseline is unavailable."""
    try:
        with baseline_package(rev) as baseline:
            packages = {rev: baseline, "this": micrograd_magic}
            runs = side_by_side(packages, rounds, n_nodes, repeats)
            per_call = module_call_ns(packages)
    except BaselineUnavailableError as error:
        print(f"7. side by side with {rev}: skipped, {error}")
        return None
    print(
        f"7. side by side with {rev} ({rounds} rounds taking turns in one process, best of"
        f" {repeats} turns in each; medians of the rounds)"
    )
    step, node = runs["step"], runs["node"]

    def median(samples: list[tuple[float, float]], i: int) -> float:
        return statistics.median(s[i] for s in samples)

    def speed_up(label: str, i: int) -> float:
        return median(step["micrograd"], i) / median(step[label], i)

    print("   training step, MLP(2,[16,16,1]) on 100 points:")
    print("                  CPU ms  wall ms   speed-up over micrograd: CPU, wall")
    for label in ("micrograd", rev, "this"):
        over = ""
        if label != "micrograd":
            over = f"   {speed_up(label, 0):.1f}x, {speed_up(label, 1):.1f}x"
        cpu, wall = median(step[label], 0), median(step[label], 1)
        print(f"      {label:9} {cpu * 1e3:7.1f} {wall * 1e3:8.1f}{over}")
    print(f"   build + backward per node, wide graph of {n_nodes:,} nodes:")
    print("                  CPU ns  wall ns")
    for label in (rev, "this"):
        print(f"      {label:9} {median(node[label], 0):7.0f} {median(node[label], 1):8.0f}")
    print(
        f"   this vs {rev} (+ is slower): median of the rounds' pairs [lowest .. highest],"
        " best round vs best round"
    )
    within = True
    for title, measure in (("training step", step), ("build + backward", node)):
        diffs = {
            i: [b[i] / a[i] - 1 for a, b in zip(measure[rev], measure["this"], strict=True)]
            for i in (0, 1)
        }
        best = min(s[0] for s in measure["this"]) / min(s[0] for s in measure[rev]) - 1
        cpu_diff = statistics.median(diffs[0])
        within = within and cpu_diff <= BASELINE_BUDGET
        spread = f"[{min(diffs[0]):+.1%} .. {max(diffs[0]):+.1%}]"
        print(
            f"      {title + ':':17} CPU {cpu_diff:+6.1%} {spread},"
            f" wall {statistics.median(diffs[1]):+6.1%}, best CPU {best:+6.1%}"
        )
    before, after = speed_up(rev, 0), speed_up("this", 0)
    print(
        f"      speed-up over micrograd (CPU): {before:.2f}x -> {after:.2f}x"
        f" ({after / before - 1:+.1%})"
    )
    # One call per sample of the MLP, its 3 layers and their 33 neurons.
    calls = 100 * (1 + 3 + 16 + 16 + 1)
    extra = (per_call["this"] - per_call[rev]) * calls / 1e9
    print(
        f"   a module call whose forward returns its input (best of 25 x 100,000): {rev}"
        f" {per_call[rev]:.0f} ns, this {per_call['this']:.0f} ns; x {calls:,} calls a step ="
        f" {extra * 1e3:+.2f} ms, {extra / median(step[rev], 0):+.1%} of {rev}'s step"
    )
    print(
        f"   within {BASELINE_BUDGET:.0%} of {rev} (CPU, median of the pairs): "
        f"{'yes' if within else 'NO'}"
    )
    return within


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=count, default=5, help="training steps per engine")
    parser.add_argument("--nodes", type=count, default=1_000_000, help="size of the wide graph")
    parser.add_argument("--torch-nodes", type=count, default=60_000, help="torch's graph size")
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help=f"the commit to compare with in section 7 (default {BASELINE}); 'none' skips it",
    )
    parser.add_argument("--baseline-rounds", type=count, default=15, help="rounds of section 7")
    parser.add_argument(
        "--baseline-repeats", type=count, default=3, help="turns of each engine in a round"
    )
    parser.add_argument(
        "--baseline-nodes", type=count, default=200_000, help="wide graph size in section 7"
    )
    parser.add_argument("--baseline-only", action="store_true", help="run section 7 alone")
    args = parser.parse_args()
    assert gc.isenabled(), "the benchmark runs with the interpreter's default GC settings"
    if args.baseline_only:
        bench_baseline(
            args.baseline, args.baseline_rounds, args.baseline_nodes, args.baseline_repeats
        )
        return
    ratio = bench_training(args.repeats)
    ns, _ = bench_wide(args.nodes, args.torch_nodes)
    bytes_per_node = bench_memory(args.nodes)
    chain = bench_chain(1_000_000)
    bench_fixed_costs()
    bench_copies(1_000_000)
    if args.baseline != "none":
        bench_baseline(
            args.baseline, args.baseline_rounds, args.baseline_nodes, args.baseline_repeats
        )
    assert gc.isenabled(), "the engine must leave the collector as it found it"
    met = [
        ratio >= TARGETS["step_speedup"],
        ns <= TARGETS["ns_per_node"],
        bytes_per_node <= TARGETS["bytes_per_node"],
        chain < TARGETS["chain_seconds"],
    ]
    print(f"targets met: {sum(met)} of {len(met)}")


if __name__ == "__main__":
    main()
