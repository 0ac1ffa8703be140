"""Static pictures: the Graphviz description, SVG output, and a clear word when dot is missing."""

import logging
import os
import signal
import subprocess
import time
from pathlib import Path

import graphviz
import pytest

from micrograd_magic import Value, picture, to_graphviz
from micrograd_magic.graph import Graph
from micrograd_magic.picture import (
    DOT_MISSING,
    LABEL_CHARS,
    GraphvizMissingError,
    GraphvizTimeoutError,
    display_svg,
    dot_available,
    picture_text,
    run_dot,
    static_svg,
)

needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")


def example():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    z.backward()
    return z


def test_to_graphviz_describes_every_value_and_op():
    dot = to_graphviz(example())
    assert isinstance(dot, graphviz.Digraph)
    source = dot.source
    assert "rankdir=LR" in source
    assert source.count("shape=plaintext") == 5  # one box per value
    assert source.count("shape=circle") == 3  # one node per operation: *, **2, +
    assert "<b>x</b>" in source and "data 2<" in source and "grad 7<" in source
    assert "(output)" in source


def test_labels_are_escaped():
    v = Value(1.0, label="<script>alert(1)</script>")
    source = to_graphviz(v * 2.0).source
    assert "<script>" not in source
    assert "&lt;script&gt;" in source


@needs_dot
def test_static_svg_shows_data_and_grad():
    svg = static_svg(Graph.from_value(example()))
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg[:400]
    assert ">data 10<" in svg and ">grad 7<" in svg


def test_missing_dot_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no dot on it
    assert not dot_available()
    with pytest.raises(GraphvizMissingError) as err:
        static_svg(Graph.from_value(example()))
    assert str(err.value) == DOT_MISSING
    assert "apt-get install graphviz" in DOT_MISSING and "\n" not in DOT_MISSING


# -- a graph shape dot lays out quickly, and labels it can always take --------------------------
def test_an_operand_used_twice_is_one_edge_with_its_count():
    x = Value(3.0, label="x")
    source = to_graphviz(x * x + x).source
    assert source.count("v0 -> op1") == 1
    assert 'headlabel="×2"' in source
    assert source.count("v0 -> op2") == 1  # + uses x once: a plain edge
    assert source.count("headlabel") == 1


def test_the_layout_passes_are_bounded():
    source = to_graphviz(example()).source
    for attr in ("nslimit=1", "nslimit1=1", "mclimit=0.5"):
        assert attr in source


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("x" * 200_000, "x" * (LABEL_CHARS - 1) + "…"),
        ("a\x00b\x1bc", "a\ufffdb\ufffdc"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("short", "short"),
    ],
)
def test_labels_are_cut_short_and_made_printable_for_pictures(label, shown):
    assert picture_text(label) == shown
    source = to_graphviz(Value(1.0, label=label) * 2.0).source
    assert f"<b>{shown}</b>" in source


@needs_dot
@pytest.mark.parametrize("label", ["x" * 200_000, "a\x00b", "x\ud800"])
def test_hostile_labels_do_not_stop_the_picture(label):
    svg = static_svg(Graph.from_value(Value(1.0, label=label) * 2.0))
    assert ">data 2<" in svg


# -- dot runs bounded, and is stopped for good ---------------------------------------------------
SLOW_DOT = """#!/bin/sh
# A dot that never finishes, with a child of its own (so the whole process group must go).
sleep 1000 &
echo $$ $! > "{pids}"
wait
"""


@pytest.fixture
def slow_dot(tmp_path, monkeypatch):
    """A `dot` first on PATH that never finishes; yields the file where it writes its pids."""
    pids = tmp_path / "dot.pids"
    dot = tmp_path / "dot"
    dot.write_text(SLOW_DOT.format(pids=pids))
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    return pids


def gone(pid):
    """Whether process ``pid`` has ended (a zombie waiting for its reaper counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


def all_gone(pids_file):
    pids = [int(p) for p in pids_file.read_text().split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while not all(gone(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_display_gives_up_on_a_slow_dot_and_says_why_in_one_line(slow_dot, caplog):
    with caplog.at_level(logging.WARNING):
        assert display_svg(Graph.from_value(example()), timeout=0.5) is None
    (record,) = caplog.records
    message = record.getMessage()
    assert "no static picture of this graph (5 nodes)" in message
    assert "took longer than 0.5 s" in message and "\n" not in message
    assert all_gone(slow_dot)


def test_static_svg_raises_a_timeout_error(slow_dot):
    with pytest.raises(GraphvizTimeoutError, match=r"took longer than 0\.5 s"):
        static_svg(Graph.from_value(example()), timeout=0.5)
    assert all_gone(slow_dot)


def test_an_interrupt_stops_dot_with_its_children(slow_dot):
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_dot("digraph { a -> b }", "svg", timeout=60)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert all_gone(slow_dot)


@pytest.mark.parametrize("moment", ["as Popen returns", "while dot works"])
def test_a_ctrl_c_at_any_moment_stops_dot_with_its_children(slow_dot, monkeypatch, moment):
    """A Ctrl-C that lands inside Popen, after dot started, used to leave dot running."""
    started = []

    class InterruptedPopen(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self.pid)
            if moment == "as Popen returns":
                deadline = time.monotonic() + 30  # dot's pids written: it is surely running
                while not (slow_dot.exists() and len(slow_dot.read_text().split()) == 2):
                    assert time.monotonic() < deadline, "dot never started"
                    time.sleep(0.01)
                os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(picture.subprocess, "Popen", InterruptedPopen)
    if moment == "while dot works":
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        previous = signal.signal(
            signal.SIGALRM, lambda signum, frame: os.kill(os.getpid(), signal.SIGINT)
        )
    try:
        with pytest.raises(KeyboardInterrupt):
            run_dot("digraph { a -> b }", "svg", timeout=60)
    finally:
        if moment == "while dot works":
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    assert len(started) == 1
    assert all_gone(slow_dot)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_progress_is_reported_while_dot_works(slow_dot):
    seen = []
    with pytest.raises(GraphvizTimeoutError):
        run_dot("digraph { a -> b }", "svg", timeout=1.0, progress=seen.append, every=0.2)
    assert seen and all(0 < s < 1.0 for s in seen)
    assert seen == sorted(seen)
    assert all_gone(slow_dot)


def test_a_shown_to_graphviz_picture_is_bounded_too(slow_dot, monkeypatch):
    monkeypatch.setattr(picture, "PICTURE_TIMEOUT", 0.5)
    bundle = to_graphviz(example())._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert "took longer than 0.5 s" in bundle["text/plain"]
    assert all_gone(slow_dot)


@needs_dot
def test_a_shown_to_graphviz_picture_is_an_svg():
    bundle = to_graphviz(example())._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    png = to_graphviz(example())._repr_mimebundle_(include=["image/png"])["image/png"]
    assert png[:4] == b"\x89PNG"


@needs_dot
@pytest.mark.parametrize("case", ["x+x+...+x, 60 terms", "x**1 + ... + x**100"])
def test_graphs_that_once_took_dot_minutes_never_hold_up_a_display(case, caplog):
    x = Value(0.5, label="x")
    if case.startswith("x+x"):
        y = x
        for _ in range(59):
            y = y + x
    else:
        y = x**1
        for k in range(2, 101):
            y = y + x**k
    with caplog.at_level(logging.WARNING):
        svg = display_svg(Graph.from_value(y))
    # Drawn within the limit, or skipped with one line saying why: never a hang, never a raise.
    assert svg is not None or "took longer than" in caplog.text
