"""The graph widget in Jupyter Notebook 7 (the /tree and /notebooks/ interface): a ``%%micrograd``
cell is drawn, a slider moved by mouse and by keyboard changes the numbers on the page and the
Values in the kernel.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "%load_ext micrograd_magic",
    "%%micrograd\na: (-3, 3, 0.5) = 1.0\nb = -2.0\nc = (a * b).tanh() + a",
]


@pytest.fixture(scope="module")
def notebook(notebook_server: Any, new_page: Any) -> Any:
    """The test notebook open in Notebook 7 with every cell run."""
    page = new_page(notebook_server)
    page.open_and_run("widget.ipynb", CELLS)
    return page


def expected(a: float, b: float) -> dict[str, tuple[float, float]]:
    """label -> (data, grad) for c = tanh(a*b) + a."""
    t = math.tanh(a * b)
    slope = 1 - t * t
    return {"a": (a, slope * b + 1), "b": (b, slope * a), "c": (t + a, 1.0)}


def assert_numbers(view: Any, a: float, b: float) -> None:
    nodes = view.by_label()
    for label, (data, grad) in expected(a, b).items():
        assert nodes[label]["data"] == pytest.approx(data, rel=1e-12, abs=1e-12), label
        assert nodes[label]["grad"] == pytest.approx(grad, rel=1e-12, abs=1e-12), label


def kernel_agrees(notebook: Any, a: float, b: float) -> None:
    text = notebook.poll_kernel(
        "print(a.data, a.grad, b.data, b.grad, c.data)",
        until=lambda out: [float(t) for t in out.split()[:3:2]] == [a, b],
    )
    want = expected(a, b)
    assert [float(t) for t in text.split()] == pytest.approx(
        [*want["a"], *want["b"], want["c"][0]], rel=1e-12, abs=1e-12
    )


def test_the_graph_is_drawn_with_the_cell_s_ranges(notebook: Any) -> None:
    assert notebook.page.url.split("?")[0].endswith("/notebooks/widget.ipynb")
    view = notebook.graph(1)
    assert view.slider_state("a") == (1.0, -3.0, 3.0, 0.5)
    assert_numbers(view, 1.0, -2.0)


def test_mouse_and_keyboard_move_the_numbers_and_the_kernel_follows(notebook: Any) -> None:
    view = notebook.graph(1)
    view.drag("a", 0.75)  # 3/4 of [-3, 3] is 1.5, on the 0.5 grid
    a = view.slider_state("a")[0]
    assert a == 1.5
    b = view.slider_state("b")[0]
    assert_numbers(view, a, b)
    kernel_agrees(notebook, a, b)

    view.press("b", "ArrowRight", 2)
    b_after, _, _, step = view.slider_state("b")
    assert b_after == pytest.approx(b + 2 * step, abs=1e-9)
    assert_numbers(view, a, b_after)
    kernel_agrees(notebook, a, b_after)
