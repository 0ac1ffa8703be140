"""The docs site's front page in headless Chromium, offline: the page is built with the
Makefile's Sphinx command, opened from ``file://`` with every request that is not ``file:`` or
``blob:`` aborted, and the live widget it embeds in an ``<iframe>`` (the page that
``render examples/neuron.mg --html`` wrote during the build) must draw, size its frame, follow a
slider drag with the right numbers, and explain a clicked node.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PAGE_TIMEOUT_MS, REPO, GraphView
from docs_build import build_site

from micrograd_magic import compile
from micrograd_magic.graph import Graph

pytestmark = pytest.mark.browser

HEIGHT = "b => Math.ceil(b.getBoundingClientRect().height)"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site, built once for this module."""
    out = tmp_path_factory.mktemp("site")
    result = build_site(out)
    assert result.returncode == 0, result.stderr
    return out


class OfflineTab:
    """A browser page that may load only ``file:`` and ``blob:`` URLs, recording what happens."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(("file:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


@pytest.fixture
def tab(browser: Any) -> Iterator[OfflineTab]:
    """A fresh offline browser context and page, as wide as a laptop screen."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield OfflineTab(context)
    finally:
        context.close()


def assert_shows(view: GraphView, graph: Graph, inputs: dict[str, float]) -> None:
    """Every drawn node's data and grad equal the Python graph's at these slider values."""
    leaves = graph.labelled_leaves()
    data, grad = graph.evaluate({leaves[name]: value for name, value in inputs.items()})
    drawn = sorted(view.nodes(), key=lambda n: n["id"])
    assert [n["id"] for n in drawn] == list(range(len(graph.nodes)))
    for n in drawn:
        assert n["data"] == pytest.approx(data[n["id"]], rel=1e-12, abs=1e-12), n
        assert n["grad"] == pytest.approx(grad[n["id"]], rel=1e-12, abs=1e-12), n


def test_the_front_page_runs_the_live_widget_offline(tab: OfflineTab, site: Path) -> None:
    computation = compile((REPO / "examples" / "neuron.mg").read_text(encoding="utf-8"))
    graph = computation.graph()
    start = {spec.name: spec.value for spec in computation.inputs}

    page = tab.page
    page.goto((site / "index.html").as_uri())
    frame = page.frame_locator("#live-neuron")
    frame.locator("html[data-mgm-ready]").wait_for(state="attached")
    view = GraphView(page, frame.locator('[data-mgm-widget="mgm-state-0"]'))
    assert_shows(view, graph, start)

    # The front page sized the frame from the height the widget page posts: nothing cut off.
    body = frame.locator("body")
    frame_box = page.locator("#live-neuron").bounding_box
    view.wait_until(lambda: abs(frame_box()["height"] - body.evaluate(HEIGHT)) <= 1)
    assert frame_box()["height"] == pytest.approx(body.evaluate(HEIGHT), abs=1)
    assert body.evaluate(HEIGHT) > 200  # a graph, not a blank

    view.drag("x2", 0.75)  # [-2, 2] three quarters along: about 1
    now = {name: view.slider_state(name)[0] for name in start}
    assert now["x2"] == pytest.approx(1.0, abs=0.3) and now["x2"] != 0.0
    assert_shows(view, graph, now)
    nodes = view.by_label()
    slope = 1 - nodes["o"]["data"] ** 2
    assert nodes["w2"]["grad"] == pytest.approx(now["x2"] * slope, rel=1e-12, abs=1e-12)

    # A click explains the node, in the frame, with no kernel anywhere.
    n_id = nodes["n"]["id"]
    view.output.locator(f'[data-node-id="{n_id}"]').first.click()
    panel = view.output.locator("[data-panel-node]")
    panel.wait_for()
    assert panel.get_attribute("data-panel-node") == str(n_id)

    assert tab.blocked == []
    assert tab.requests and all(u.startswith(("file:", "blob:")) for u in tab.requests)
    assert tab.errors == []
