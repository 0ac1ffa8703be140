"""Gradient descent in a widget, in headless Chromium: a ``%%micrograd`` cell with trainable
inputs and ``show(..., train=..., lr=...)`` in JupyterLab, and the same widget in the exported
offline page. Step moves each trainable input by exactly ``-lr · grad`` (read from the cards'
``data-value``), Play and Pause, Reset, and the kernel's Values catching up afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import GraphView
from test_export_page import OfflinePage

from micrograd_magic import Value, show

pytestmark = pytest.mark.browser

LEAST_SQUARES = (
    "w: trainable(-5, 5) = 0.5\nb: trainable = 0.0\nloss = (w*1 + b - 2)**2 + (w*2 + b - 3)**2"
)
MAGIC_CELL = 1
SHOW_CELL = 2
CELLS = [
    "%load_ext micrograd_magic",
    f"%%micrograd --lr 0.05\n{LEAST_SQUARES}",
    (
        "from micrograd_magic import Value, show\n"
        "p = Value(1.0, label='p')\n"
        "q = Value(-1.0, label='q')\n"
        "f = (p - 3)**2 + q*q\n"
        "f.label = 'f'\n"
        "view = show(f, train=['p'], lr=0.1)\n"
        "view"
    ),
]


def metric(view: GraphView, name: str) -> float:
    return float(view.output.locator(f'[data-metric="{name}"]').get_attribute("data-value"))


def click(view: GraphView, what: str) -> None:
    view.output.locator(f'[data-train="{what}"]').click()


def numbers(view: GraphView, *labels: str) -> dict[str, tuple[float, float]]:
    nodes = view.by_label()
    return {label: (nodes[label]["data"], nodes[label]["grad"]) for label in labels}


def check_step_and_reset(view: GraphView, names: tuple[str, ...], fixed: tuple[str, ...]) -> None:
    """Step twice (each exactly -lr·grad), then Reset back to the starting values."""
    lr = float(view.output.locator('input[data-train="lr"]').input_value())
    start = numbers(view, *names, *fixed)
    before = start
    for k in (1, 2):
        click(view, "step")
        view.wait_until(lambda k=k: metric(view, "step") == k)
        after = numbers(view, *names, *fixed)
        for name in names:
            data, grad = before[name]
            assert after[name][0] == data - lr * grad, name  # exactly: the same IEEE arithmetic
        for name in fixed:
            assert after[name][0] == start[name][0], name
        before = after
    output = view.output.locator('[data-metric="loss"]')
    assert float(output.get_attribute("data-value")) < float("inf")
    click(view, "reset")
    view.wait_until(lambda: metric(view, "step") == 0)
    assert numbers(view, *names, *fixed) == start


# -- JupyterLab --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    page = new_page(lab_server)
    page.open_and_run("descent.ipynb", CELLS)
    return page


def test_step_moves_the_cell_s_trainable_inputs_by_lr_times_grad_and_reset_restores(
    lab: Any,
) -> None:
    view = lab.graph(MAGIC_CELL)
    assert view.output.locator('input[data-train="lr"]').input_value() == "0.05"
    check_step_and_reset(view, ("w", "b"), ())


def test_play_descends_and_the_kernel_catches_up_when_it_pauses(lab: Any) -> None:
    view = lab.graph(MAGIC_CELL)
    loss0 = metric(view, "loss")
    click(view, "play")
    view.wait_until(lambda: metric(view, "step") >= 20)
    click(view, "pause")
    steps = metric(view, "step")
    assert steps >= 20
    assert metric(view, "loss") < loss0 / 2, "the loss went down"
    shown = numbers(view, "w", "b", "loss")
    w, b = shown["w"][0], shown["b"][0]
    assert view.slider_state("w")[0] == pytest.approx(w, abs=view.slider_state("w")[3])
    text = lab.poll_kernel(
        "print(repr(w.data), repr(b.data), repr(loss.data), repr(w.grad))",
        until=lambda out: [float(t) for t in out.split()[:2]] == [w, b],
    )
    kernel = [float(t) for t in text.split()]
    assert kernel == [w, b, shown["loss"][0], shown["w"][1]]
    click(view, "reset")
    view.wait_until(lambda: metric(view, "step") == 0)


def test_show_with_train_moves_only_the_named_inputs(lab: Any) -> None:
    view = lab.graph(SHOW_CELL)
    check_step_and_reset(view, ("p",), ("q",))
    assert view.output.locator('[data-metric="accuracy"]').count() == 0


def test_the_page_s_learning_rate_reaches_the_kernel(lab: Any) -> None:
    view = lab.graph(SHOW_CELL)
    rate = view.output.locator('input[data-train="lr"]')
    rate.fill("0.25")
    rate.press("Enter")
    rate.blur()
    assert lab.poll_kernel("print(view.lr)", until=lambda out: out == "0.25") == "0.25"
    check_step_and_reset(view, ("p",), ("q",))


# -- the exported page ---------------------------------------------------------------------------
@pytest.fixture
def exported(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    """The least-squares widget's exported page, opened offline from file://."""
    w, b = Value(0.5, label="w"), Value(0.0, label="b")
    loss = (w * 1 + b - 2) ** 2 + (w * 2 + b - 3) ** 2
    loss.label = "loss"
    path = show(loss, train=["w", "b"], lr=0.05).save_html(tmp_path / "descent.html")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    offline = OfflinePage(context)
    offline.open(path)
    yield offline.page, offline.errors + offline.blocked
    assert offline.errors == [] and offline.blocked == []
    context.close()


def test_gradient_descent_works_in_the_exported_page(exported: tuple[Any, list[str]]) -> None:
    page, _ = exported
    view = GraphView(page, page.locator('[data-mgm-widget="mgm-state-0"]'))
    check_step_and_reset(view, ("w", "b"), ())
    click(view, "play")
    view.wait_until(lambda: metric(view, "step") >= 30)
    click(view, "pause")
    # least squares through (1, 2) and (2, 3): w -> 1, b -> 1, the grads shrink towards 0
    shown = numbers(view, "w", "b")
    assert abs(shown["w"][1]) < 2.0 and abs(shown["b"][1]) < 2.0
    assert metric(view, "loss") < 0.5
