"""The graph widget in JupyterLab: drawn from a ``%%micrograd`` cell and from ``show()``, moved by
mouse, keyboard and Python, with the page's numbers and the kernel's Values checked each time.

One JupyterLab server and one page serve the whole module; each test reads the sliders' current
values instead of assuming where an earlier test left them.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import mlp_graph

pytestmark = pytest.mark.browser

MAGIC_CELL = 1
SHOW_CELL = 2
MLP_CELL = 3
CELLS = [
    "%load_ext micrograd_magic",
    "%%micrograd --bind w\nx = 2.0\ny = 3.0\nz = x*y + x**2",
    (
        "from micrograd_magic import Value, show\n"
        "p = Value(2.0, label='p')\n"
        "q = Value(3.0, label='q')\n"
        "r = p * q + p**2\n"
        "r.label = 'r'\n"
        "show(r)"
    ),
    (
        "import random\n"
        "from micrograd_magic import nn\n"
        "random.seed(1)\n"
        "big = show(nn.MLP(2, [16, 16, 1])([Value(1.0, label='a'), Value(-2.0, label='b')]))\n"
        "big.open_groups = big.model_graph.group_paths()  # every scalar card, as this test needs\n"
        "big"
    ),
]


@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    """The test notebook open in JupyterLab with every cell run."""
    page = new_page(lab_server)
    page.open_and_run("widget.ipynb", CELLS)
    return page


def expected_xyz(x: float, y: float) -> dict[str, tuple[float, float]]:
    """label -> (data, grad) for z = x*y + x**2."""
    return {"x": (x, y + 2 * x), "y": (y, x), "z": (x * y + x**2, 1.0)}


def shown_number(text: str) -> float:
    """A number as the widget prints it (possibly with a Unicode minus sign)."""
    return float(text.replace("\u2212", "-"))


def assert_page_shows(view: Any, expected: dict[str, tuple[float, float]]) -> None:
    nodes = view.by_label()
    for label, (data, grad) in expected.items():
        node = nodes[label]
        assert node["data"] == pytest.approx(data, rel=1e-12, abs=1e-12), label
        assert node["grad"] == pytest.approx(grad, rel=1e-12, abs=1e-12), label
        # The visible text is the same number to 4 significant digits.
        assert shown_number(node["dataText"]) == pytest.approx(data, rel=1e-3, abs=1e-9), label
        assert shown_number(node["gradText"]) == pytest.approx(grad, rel=1e-3, abs=1e-9), label


def kernel_agrees(lab: Any, x: float, y: float) -> None:
    """Poll the kernel until its inputs hold the page's values, then check every number."""
    code = "print(x.data, x.grad, y.data, y.grad, z.data, z.grad)"
    text = lab.poll_kernel(code, until=lambda out: [float(t) for t in out.split()[:3:2]] == [x, y])
    numbers = [float(t) for t in text.split()]
    want = expected_xyz(x, y)
    assert numbers == pytest.approx([*want["x"], *want["y"], *want["z"]], rel=1e-12, abs=1e-12)


def test_the_magic_cell_draws_its_graph_with_data_and_grads(lab: Any) -> None:
    view = lab.graph(MAGIC_CELL)
    nodes = view.nodes()
    assert len(nodes) == 5
    assert [n["label"] for n in nodes if n["output"]] == ["z"]
    assert_page_shows(view, expected_xyz(2.0, 3.0))
    assert view.slider_state("x") == (2.0, -5.0, 5.0, 0.05)


def test_show_draws_a_graph_built_in_python(lab: Any) -> None:
    view = lab.graph(SHOW_CELL)
    nodes = view.by_label()
    assert set(nodes) == {"p", "q", "r"}
    assert (nodes["r"]["data"], nodes["p"]["grad"], nodes["q"]["grad"]) == (10.0, 7.0, 2.0)


def test_dragging_a_slider_with_the_mouse_updates_page_and_kernel(lab: Any) -> None:
    view = lab.graph(MAGIC_CELL)
    before, lo, hi, step = view.slider_state("x")
    view.drag("x", 0.25)
    x, *_ = view.slider_state("x")
    assert x != before
    # A quarter of the way along the track, give or take the thumb's width.
    assert x == pytest.approx(lo + 0.25 * (hi - lo), abs=0.05 * (hi - lo))
    assert round((x - lo) / step) * step + lo == pytest.approx(x)
    y = view.slider_state("y")[0]
    assert_page_shows(view, expected_xyz(x, y))
    kernel_agrees(lab, x, y)


def test_arrow_keys_move_a_slider_by_whole_steps(lab: Any) -> None:
    view = lab.graph(MAGIC_CELL)
    before, _, _, step = view.slider_state("x")
    view.press("x", "ArrowRight", 4)
    x, *_ = view.slider_state("x")
    assert x == pytest.approx(before + 4 * step, abs=1e-9)
    y = view.slider_state("y")[0]
    view.press("y", "ArrowLeft", 3)
    y_after, _, _, y_step = view.slider_state("y")
    assert y_after == pytest.approx(y - 3 * y_step, abs=1e-9)
    assert_page_shows(view, expected_xyz(x, y_after))
    kernel_agrees(lab, x, y_after)


def test_set_input_in_python_moves_the_page(lab: Any) -> None:
    view = lab.graph(MAGIC_CELL)
    y = view.slider_state("y")[0]
    lab.run("w.set_input('x', 1.5)")
    view.wait_until(lambda: view.slider_state("x")[0] == 1.5)
    assert view.slider_state("x")[0] == 1.5
    assert_page_shows(view, expected_xyz(1.5, y))
    kernel_agrees(lab, 1.5, y)


def test_a_large_mlp_graph_is_drawn_and_stays_live(lab: Any) -> None:
    graph = mlp_graph()
    view = lab.graph(MLP_CELL)
    nodes = view.nodes()
    assert len(nodes) == len(graph.nodes) > 900
    assert sorted(n["id"] for n in nodes) == list(range(len(graph.nodes)))
    (output,) = [n for n in nodes if n["output"]]
    assert output["id"] == graph.output
    assert output["data"] == pytest.approx(graph.data[graph.output], rel=1e-12, abs=1e-12)

    a_id = graph.labelled_leaves()["a"]
    before, _, _, step = view.slider_state("a")
    view.press("a", "ArrowRight", 1)
    a = view.slider_state("a")[0]
    assert a == pytest.approx(before + step, abs=1e-9)
    data, grad = graph.evaluate({a_id: a})
    assert data[graph.output] != graph.data[graph.output]  # the step matters to the output

    def drawn_now() -> dict[int, dict[str, Any]]:
        return {n["id"]: n for n in view.nodes()}

    # nodes outside the graph's window catch up in one task after the frame is painted
    view.wait_until(lambda: drawn_now()[a_id]["grad"] == pytest.approx(grad[a_id], rel=1e-12))
    drawn = drawn_now()
    assert drawn[graph.output]["data"] == pytest.approx(data[graph.output], rel=1e-12, abs=1e-12)
    assert drawn[a_id]["grad"] == pytest.approx(grad[a_id], rel=1e-12, abs=1e-12)
