"""The command line's outputs, failing part-way through a write in a real child process.

``tests/subprocess_site/sitecustomize.py`` wraps ``os.write`` in the child so that writes into
the test's folder fail after some bytes (a full disk, an I/O error, Ctrl-C). Whatever happens,
the old file is left as it was and no temporary file is left behind; the exit status is 2 (with
one line naming the file) or 130 for an interrupt.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_magic.picture import dot_available

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "subprocess_site"
PROGRAM = "x: (-2, 2) = 1.0\nw = -3.0\nb = 2.0\no = tanh(x*w + b)\n"
OLD = "yesterday's good file\n"


def render(folder: Path, option: str, target: Path, fault: str) -> subprocess.CompletedProcess[str]:
    source = folder / "p.mg"
    return subprocess.run(
        [sys.executable, "-m", "micrograd_magic", "render", str(source), option, str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(SITE), "MGM_TEST_FAIL_WRITE": f"{fault}:{folder}"},
        timeout=120,
    )


@pytest.mark.parametrize("option", ["--html", "--svg", "--png"])
@pytest.mark.parametrize("error", ["ENOSPC", "EIO", "KeyboardInterrupt"])
@pytest.mark.parametrize("after", [0, 100])
def test_an_output_failing_part_way_leaves_the_old_file(
    option: str, error: str, after: int, tmp_path: Path
) -> None:
    if option != "--html" and not dot_available():
        pytest.skip("Graphviz's dot is not installed")
    (tmp_path / "p.mg").write_text(PROGRAM, encoding="utf-8")
    target = tmp_path / "out"
    target.write_text(OLD, encoding="utf-8")
    result = render(tmp_path, option, target, f"{error}:{after}")
    assert "Traceback" not in result.stderr
    if error == "KeyboardInterrupt":
        assert result.returncode == 130, result.stderr
        assert result.stderr.strip() == "interrupted: no file was left half-written"
    else:
        assert result.returncode == 2, result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"cannot write {target}: ")
        assert os.strerror(getattr(errno, error)) in line
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.mg"]
    assert result.stdout == ""


def test_the_fault_injection_reaches_the_child(tmp_path: Path) -> None:
    # Without the fault, the same command succeeds: the failures above come from the injection.
    (tmp_path / "p.mg").write_text(PROGRAM, encoding="utf-8")
    result = render(tmp_path, "--html", tmp_path / "out", f"ENOSPC:{10**9}")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
