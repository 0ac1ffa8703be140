"""benchmarks/engine.py's side-by-side section: the baseline commit's engine, loaded beside ours.

The timings themselves are never asserted (the machine is shared); what is checked is that the
baseline really is another engine, that nothing of it outlives the run, and that an unavailable
commit is one line and a skip.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import micrograd_magic
import micrograd_magic.engine
from micrograd_magic.nn import MLP, Module

pytest.importorskip("micrograd")  # the benchmark's reference: the `bench` extra

REPO = Path(__file__).resolve().parents[1]


def _load_benchmark():
    # as when run as a script: its folder first on the path, for the modules beside it
    sys.path.insert(0, str(REPO / "benchmarks"))
    spec = importlib.util.spec_from_file_location("engine_benchmark", REPO / "benchmarks/engine.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load_benchmark()


def _has_commit(rev: str) -> bool:
    try:
        found = subprocess.run(
            ["git", "-C", str(REPO), "cat-file", "-e", f"{rev}^{{commit}}"],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return found.returncode == 0


needs_baseline = pytest.mark.skipif(
    not _has_commit(bench.BASELINE), reason=f"no git history with {bench.BASELINE} here"
)


def _baseline_modules() -> list[str]:
    return [k for k in sys.modules if k.startswith("baseline_micrograd_magic")]


@needs_baseline
def test_baseline_is_another_engine_and_leaves_nothing_behind():
    with bench.baseline_package(bench.BASELINE) as baseline:
        folder = Path(baseline.__file__).parent
        assert folder.is_dir()
        assert baseline.engine.Value is not micrograd_magic.engine.Value
        assert vars(baseline.engine) is not vars(micrograd_magic.engine)
        assert baseline.nn.MLP is not MLP
        # The commit before group recording: its engine has no current group at all.
        assert not hasattr(baseline.engine, "_current")
        assert hasattr(micrograd_magic.engine, "_current")
        x = baseline.engine.Value(2.0)
        y = x * x + 1.0
        y.backward()
        assert (y.data, x.grad) == (5.0, 4.0)
        assert not isinstance(y, micrograd_magic.Value)
        assert "baseline_micrograd_magic.engine" in sys.modules
    assert not folder.exists()
    assert _baseline_modules() == []


def test_baseline_globals_are_not_ours():
    """The same commit loaded twice is two engines: a module call in ours opens a group in ours
    only."""
    if not _has_commit("HEAD"):
        pytest.skip("no git history here")
    seen = {}

    class Probe(Module):
        def forward(self, x):
            seen["ours"] = micrograd_magic.engine._current
            seen["theirs"] = baseline.engine._current
            return x

    with bench.baseline_package("HEAD") as baseline:
        assert baseline.engine.Value is not micrograd_magic.engine.Value
        Probe()(micrograd_magic.Value(1.0))
        assert seen["ours"] is not None and seen["ours"][0].__class__ is Probe
        assert seen["theirs"] is None
        with baseline.group("theirs"):
            assert micrograd_magic.engine._current is None
            assert baseline.engine._current[0] == "theirs"


def test_unavailable_commit_is_one_line_and_a_skip(capsys):
    with (
        pytest.raises(bench.BaselineUnavailableError, match="no-such-commit"),
        bench.baseline_package("no-such-commit"),
    ):
        pytest.fail("a commit that does not exist was loaded")
    assert _baseline_modules() == []
    assert bench.bench_baseline("no-such-commit", rounds=1, n_nodes=30) is None
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("7. side by side with no-such-commit: skipped")


def test_without_git_it_says_so(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with (
        pytest.raises(bench.BaselineUnavailableError, match="git archive could not run"),
        bench.baseline_package(bench.BASELINE),
    ):
        pytest.fail("loaded without git")


@needs_baseline
def test_side_by_side_takes_turns_and_checks_the_losses(capsys):
    within = bench.bench_baseline(bench.BASELINE, rounds=2, n_nodes=300)
    assert within in (True, False)
    out = capsys.readouterr().out
    assert f"7. side by side with {bench.BASELINE} (2 rounds" in out
    for label in ("micrograd", bench.BASELINE, "this"):
        assert f"      {label:9} " in out
    assert "      build + backward: CPU " in out
    assert (
        f"a module call whose forward returns its input (best of 25 x 100,000): {bench.BASELINE}"
        in out
    )
    with bench.baseline_package(bench.BASELINE) as baseline:
        runs = bench.side_by_side({"base": baseline, "this": micrograd_magic}, 2, 300)
    assert set(runs["step"]) == {"micrograd", "base", "this"}
    assert set(runs["node"]) == {"base", "this"}
    for measure in runs.values():
        for pairs in measure.values():
            assert len(pairs) == 2
            assert all(cpu >= 0 and wall > 0 for cpu, wall in pairs)
    assert _baseline_modules() == []
