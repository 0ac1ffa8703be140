"""Every benchmark script refuses a count, size or row it cannot run with in one argparse error
line (exit code 2), before it builds or starts anything: no traceback half way through a run."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from arguments import count, layer_sizes, seconds  # noqa: E402

BAD = [
    ("collector_threads.py", ["--seconds", "0"]),
    ("engine.py", ["--repeats", "0"]),
    ("engine.py", ["--nodes", "-5"]),
    ("engine_ab.py", [str(REPO), "--rounds", "0"]),
    ("frame_trace.py", ["--row", "9"]),
    ("frame_trace.py", ["--sweeps", "x"]),
    ("handler_profile.py", ["--row", "-1"]),
    ("handler_profile.py", ["--runs", "0"]),
    ("inputs.py", ["--sizes", "100", "0"]),
    ("open_profile.py", ["--sizes", "64,x,1"]),
    ("open_profile.py", ["--runs", "0"]),
    ("training.py", ["--js-runs", "0"]),
    ("trainview.py", ["--runs", "0"]),
    ("widget.py", ["--networks", "--rounds", "0"]),
]


@pytest.mark.parametrize(("script", "args"), BAD, ids=[f"{s} {' '.join(a)}" for s, a in BAD])
def test_a_bad_argument_is_one_error_line(script: str, args: list[str]) -> None:
    path = REPO / "benchmarks" / script
    source = path.read_text(encoding="utf-8")
    if "import micrograd." in source or "from engine import" in source:
        # the reference these import first, themselves or through engine.py: the `bench` extra
        pytest.importorskip("micrograd")
    done = subprocess.run(
        [sys.executable, str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    option = next(a for a in args if a.startswith("--") and a != "--networks")
    assert done.stderr.strip().splitlines()[-1].startswith(f"{script}: error: argument {option}")
    assert done.stdout == ""


def test_the_types() -> None:
    assert count("3") == 3
    assert seconds("0.5") == 0.5
    assert layer_sizes("64, 64,1") == [64, 64, 1]
    for bad in ("0", "-1", "2.5", "x", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            count(bad)
    for bad in ("0", "-1", "nan", "x"):
        with pytest.raises(argparse.ArgumentTypeError):
            seconds(bad)
    for bad in ("64,,1", "64,0", "a"):
        with pytest.raises(argparse.ArgumentTypeError):
            layer_sizes(bad)
