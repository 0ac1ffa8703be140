"""w.storyboard(): a frame per step-through position, as one printable page or SVGs.

The page's print-out (one PDF page per frame) is checked in Chromium in
tests/e2e/test_teaching.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from micrograd_magic import Value, show
from micrograd_magic.explain import step_description, step_sequence
from micrograd_magic.picture import dot_available
from micrograd_magic.storyboard import frames, write_storyboard

pytestmark = pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")


def xyz() -> Value:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    return z


def grads_shown(svg: str) -> list[str]:
    return re.findall(r">grad ([^<]+)<", svg)


def test_frames_run_from_no_grads_to_the_full_pass() -> None:
    g = show(xyz()).model_graph
    made = frames(g)
    assert len(made) == len(step_sequence(g)) + 1 == 5
    assert set(grads_shown(made[0][0])) == {"0"}
    assert sorted(grads_shown(made[-1][0])) == sorted(["7", "2", "1", "1", "1"])
    assert [caption for _, caption in made] == [step_description(g, k).text for k in range(5)]


def test_the_page_has_a_frame_per_step_each_printed_on_its_own_page(tmp_path: Path) -> None:
    w = show(xyz())
    path = w.storyboard(tmp_path / "story.html", title="z = x*y + x**2")
    text = path.read_text(encoding="utf-8")
    assert re.findall(r'data-frame="(\d+)"', text) == ["0", "1", "2", "3", "4"]
    assert ".frame + .frame { break-before: page; }" in text
    assert "<h1>z = x*y + x**2</h1>" in text
    assert "Every grad is 0." in text
    assert [p.name for p in tmp_path.iterdir()] == ["story.html"]  # no temporary file left


def test_svg_format_writes_one_file_per_frame_into_a_folder(tmp_path: Path) -> None:
    folder = show(xyz()).storyboard(tmp_path / "slides", format="svg")
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"step-0{k}.svg" for k in range(5)]
    last = (folder / "step-04.svg").read_text(encoding="utf-8")
    assert last.startswith("<svg")
    assert "grad 7" in last


def test_a_bad_format_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format must be 'html' or 'svg', got 'pdf'"):
        write_storyboard(show(xyz()).model_graph, tmp_path / "x.pdf", format="pdf")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
