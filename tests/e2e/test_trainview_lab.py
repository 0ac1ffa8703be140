"""The training view in headless Chromium: micrograd's demo (MLP(2, [16, 16, 1]) on 100 moons,
svm + L2, lr 1.0 -> 0.1 over 100 steps) trained in the page, in JupyterLab and in the exported
offline page. Play reaches 100% accuracy, the page's numbers are train()'s (run here, in the
test, on the same data and weights), the kernel holds the page's weights and history after a
pause, Reset goes back to the same start, and the history scrubber shows earlier steps.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import GraphView
from test_export_page import OfflinePage

from micrograd_magic import Value, datasets, nn, show, train
from micrograd_magic.export import write_page
from micrograd_magic.training import History
from micrograd_magic.trainview import train_view

pytestmark = pytest.mark.browser

SEED = 3  # a draw of the moons on which train() reaches 100%, as micrograd's demo does on its own
SETUP = (
    "import random\n"
    "from micrograd_magic import datasets, nn, train_view\n"
    f"X, y = datasets.moons(100, noise=0.1, seed={SEED})\n"
    "random.seed(1337)\n"
    "model = nn.MLP(2, [16, 16, 1])\n"
    'tv = train_view(model, X, y, loss="svm", alpha=1e-4, lr=(1.0, 0.1), steps=100)\n'
    "tv"
)
VIEW_CELL = 0
PLAY_TIMEOUT = 60.0


def demo_model() -> tuple[nn.MLP, list[list[float]], list[int]]:
    xs, ys = datasets.moons(100, noise=0.1, seed=SEED)
    random.seed(1337)
    return nn.MLP(2, [16, 16, 1]), xs, ys


@pytest.fixture(scope="module")
def reference() -> History:
    """train() on the same data from the same weights: the numbers the page must give."""
    model, xs, ys = demo_model()
    history = train(model, xs, ys, loss="svm", alpha=1e-4, lr=(1.0, 0.1), steps=100, progress=False)
    assert history.accuracy[-1] == 1.0
    return history


class View:
    """The training view in a page: its controls and readouts."""

    def __init__(self, output: Any) -> None:
        self.output = output
        self.graph = GraphView(output.page, output)

    def press(self, what: str) -> None:
        self.output.locator(f'[data-train="{what}"]').click()

    def metric(self, name: str) -> float:
        return float(self.output.locator(f'[data-metric="{name}"]').get_attribute("data-value"))

    def wait_step(self, check: Any, timeout: float = PLAY_TIMEOUT) -> int:
        self.graph.wait_until(lambda: check(self.metric("step")), timeout)
        return int(self.metric("step"))

    def scrub(self, step: int) -> None:
        self.output.locator('input[data-train="history"]').evaluate(
            "(s, v) => { s.value = String(v); "
            "s.dispatchEvent(new Event('input', {bubbles: true})) }",
            step,
        )

    def boundary(self) -> tuple[int, float]:
        b = self.output.locator("[data-boundary]")
        self.graph.wait_until(lambda: b.get_attribute("data-step") == str(int(self.metric("step"))))
        return int(b.get_attribute("data-step")), float(b.get_attribute("data-positive"))


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * abs(b) + 1e-12


def check_play_scrub_reset(view: View, reference: History) -> None:
    """Play to the end (100%), the numbers of train() on the way, the scrubber, then Reset."""
    assert view.metric("step") == 0
    assert close(view.metric("loss"), reference.loss[0])
    assert view.output.locator("[data-boundary]").get_attribute("data-grid") == "50"
    # the MLP's dense loop agreed with the graph, so the boundary uses it
    assert view.output.locator("[data-boundary]").get_attribute("data-dense") == "true"
    view.press("play")
    done = view.wait_step(lambda s: s >= 100)
    assert done == 100
    assert view.metric("accuracy") == 1.0
    curve = view.output.locator('[data-chart="loss"]')
    assert curve.get_attribute("data-points") == "100"
    assert view.output.locator('[data-chart="accuracy"]').get_attribute("data-points") == "100"
    end_boundary = view.boundary()
    view.scrub(10)
    assert view.metric("step") == 10
    assert close(view.metric("loss"), reference.loss[10])
    assert close(view.metric("accuracy"), reference.accuracy[10])
    early = view.boundary()
    assert early[0] == 10 and early[1] != end_boundary[1], "the boundary as it was at step 10"
    network = view.output.locator("[data-network]")
    assert network.get_attribute("data-step") == "10"
    first = float(network.locator("[data-weight]").first.get_attribute("data-weight"))
    assert close(first, reference.weights_at(10)[0])
    view.scrub(100)
    assert view.metric("accuracy") == 1.0
    view.press("reset")
    view.wait_step(lambda s: s == 0)
    assert close(view.metric("loss"), reference.loss[0])
    first = float(network.locator("[data-weight]").first.get_attribute("data-weight"))
    assert first == reference.weights_at(0)[0]


# -- JupyterLab --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    page = new_page(lab_server)
    page.open_and_run("trainview.ipynb", [SETUP])
    return page


def lab_view(lab: Any) -> View:
    output = lab.page.locator(".jp-Notebook .jp-Cell").nth(VIEW_CELL).locator(".jp-OutputArea")
    output.locator("[data-boundary]").wait_for(state="attached")
    return View(output)


def test_play_reaches_100_percent_with_train_s_numbers_scrub_and_reset(
    lab: Any, reference: History
) -> None:
    check_play_scrub_reset(lab_view(lab), reference)
    assert lab.errors == []


def test_the_kernel_holds_the_page_s_weights_and_history_after_a_pause(
    lab: Any, reference: History
) -> None:
    view = lab_view(lab)
    view.press("play")
    view.wait_step(lambda s: s >= 30)
    view.press("pause")
    k = int(view.metric("step"))
    assert 30 <= k < 100
    code = (
        "import json; print(json.dumps({'n': len(tv.history), 'loss': tv.history.loss, "
        "'accuracy': tv.history.accuracy, 'w': [p.data for p in tv.model.parameters()]}))"
    )
    text = lab.poll_kernel(code, until=lambda out: json.loads(out)["n"] == k)
    kernel = json.loads(text)
    assert kernel["n"] == k
    assert all(close(a, b) for a, b in zip(kernel["loss"], reference.loss[:k], strict=True))
    assert kernel["accuracy"] == pytest.approx(reference.accuracy[:k])
    assert all(close(a, b) for a, b in zip(kernel["w"], reference.weights_at(k), strict=True))
    assert close(view.metric("loss"), reference.loss[k])
    view.press("reset")
    view.wait_step(lambda s: s == 0)
    text = lab.poll_kernel(code, until=lambda out: json.loads(out)["n"] == 0)
    assert json.loads(text)["w"] == reference.weights_at(0), "Reset: the same initial weights"


# -- the exported page ---------------------------------------------------------------------------
@pytest.fixture
def exported(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """One page: the demo's training view (saved by write_page) beside a graph widget."""
    model, xs, ys = demo_model()
    tv = train_view(copy.deepcopy(model), xs, ys, loss="svm", alpha=1e-4, lr=(1.0, 0.1), steps=100)
    a = Value(1.0, label="a")
    square = a * a
    square.label = "square"
    path = write_page([tv, show(square, train=["a"], lr=0.25)], tmp_path / "trainview.html")
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    offline = OfflinePage(context)
    offline.open(path)
    yield offline.page
    assert offline.errors == []
    assert offline.blocked == []
    context.close()


def test_the_exported_page_trains_offline(exported: Any, reference: History) -> None:
    output = exported.locator('[data-mgm-widget="mgm-state-0"]')
    check_play_scrub_reset(View(output), reference)
    # the graph widget beside it keeps its own controls: a = 1 - 0.25 * 2a
    graph = View(exported.locator('[data-mgm-widget="mgm-state-1"]'))
    graph.press("step")
    graph.wait_step(lambda s: s == 1, timeout=10)
    assert graph.graph.by_label()["a"]["data"] == 0.5
    assert graph.output.locator('[data-metric="accuracy"]').count() == 0
