"""The tour's training section (examples/tour.ipynb, section 6) shows what its prose claims:
the network learns XOR. The cell's own code runs here without a kernel, so the claim is checked
in the fast suite; tests/test_tour.py checks the printed table in a real kernel."""

from __future__ import annotations

import contextlib
import io
import random
import re
from pathlib import Path

import nbformat

from micrograd_magic import Value, nn

TOUR = Path(__file__).resolve().parents[1] / "examples" / "tour.ipynb"
ROW = re.compile(r"XOR\((\d), (\d)\) = (\d)   prediction (-?\d+\.\d+)")


def training_cell() -> str:
    """The source of the tour's one training cell."""
    nb = nbformat.read(TOUR, as_version=4)
    (source,) = [
        c.source for c in nb.cells if c.cell_type == "code" and "loss.backward()" in c.source
    ]
    return source


def test_the_prose_claims_xor() -> None:
    nb = nbformat.read(TOUR, as_version=4)
    (prose,) = [c.source for c in nb.cells if c.source.startswith("## 6. Training it")]
    assert "learns XOR" in prose


def test_the_tour_network_learns_xor() -> None:
    namespace = {"random": random, "nn": nn, "Value": Value}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(training_cell(), "tour-training", "exec"), namespace)
    predictions = [p.data for p in namespace["predictions"]]
    targets = [t.data for t in namespace["targets"]]
    assert targets == [0.0, 1.0, 1.0, 0.0]
    assert [round(p) for p in predictions] == targets
    assert max(abs(p - t) for p, t in zip(predictions, targets, strict=True)) < 0.05
    losses = namespace["losses"]
    assert losses[-1] < 0.01 < losses[0]
    # What a student reads: one row per case, each prediction beside its target.
    rows = ROW.findall(printed.getvalue())
    assert [(int(a), int(b)) for a, b, _, _ in rows] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [round(float(p)) for *_, p in rows] == [int(t) for _, _, t, _ in rows]
    assert [int(t) for _, _, t, _ in rows] == [int(a) ^ int(b) for a, b, _, _ in rows]
