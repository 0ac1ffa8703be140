"""python -m micrograd_magic render: files written, errors located, exit codes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_magic.picture import dot_available

ROOT = Path(__file__).resolve().parents[1]
NEURON = """\
# a neuron
x1: (-2, 2) = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
o = tanh(n)
"""


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "micrograd_magic", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def lesson(tmp_path):
    path = tmp_path / "lesson.mg"
    path.write_text(NEURON, encoding="utf-8")
    return path


def test_render_writes_a_standalone_page(lesson, tmp_path):
    out = tmp_path / "page.html"
    result = cli("render", str(lesson), "-o", str(out), "--title", "Neuron")
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert "<title>Neuron</title>" in page
    assert '"label": "o"' in page or '"label":"o"' in page
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing to fetch


def test_default_output_is_beside_the_source(lesson):
    result = cli("render", str(lesson))
    assert result.returncode == 0, result.stderr
    assert lesson.with_suffix(".html").exists()


@pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")
def test_render_writes_svg_and_png(lesson, tmp_path):
    svg, png = tmp_path / "n.svg", tmp_path / "n.png"
    result = cli("render", str(lesson), "--svg", str(svg), "--png", str(png))
    assert result.returncode == 0, result.stderr
    assert "<svg" in svg.read_text(encoding="utf-8")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_mistake_is_reported_with_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.mg"
    bad.write_text("x = 1.0\ny = x + foo\n", encoding="utf-8")
    result = cli("render", str(bad))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{bad}:2:9: ")
    assert "foo" in first
    assert "Traceback" not in result.stderr
    assert not bad.with_suffix(".html").exists()


def test_a_domain_error_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "log.mg"
    bad.write_text("x = 0.0\ny = log(x)\n", encoding="utf-8")
    result = cli("render", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}:2:")
    assert "log(0)" in result.stderr


def test_missing_file_and_bad_usage(tmp_path):
    result = cli("render", str(tmp_path / "nope.mg"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr
    assert cli("paint").returncode == 2
    assert cli().returncode == 2


def test_missing_dot_exits_3_with_one_clear_line(lesson, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = cli("render", str(lesson), "--svg", str(tmp_path / "x.svg"), env={"PATH": str(empty)})
    assert result.returncode == 3
    assert result.stderr.strip().startswith("Graphviz's `dot` program is not installed")
    assert len(result.stderr.strip().splitlines()) == 1
