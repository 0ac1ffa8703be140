"""Teaching modes in headless Chromium: the exported page, offline, and JupyterLab.

The numerical gradient check in the details panel (a leaf, an inner node, relu at its kink),
checked against micrograd_magic.numeric's own verdicts on the same graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PAGE_TIMEOUT_MS

from micrograd_magic import Value, show
from micrograd_magic.graph import Graph
from micrograd_magic.numeric import check_node

pytestmark = pytest.mark.browser


def lesson_graph() -> Value:
    """o = tanh(x*w + b) + relu(x - 1): at x = 1 the relu sits on its kink."""
    x, w, b = Value(1.0, label="x"), Value(-0.5, label="w"), Value(0.25, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh() + (x - 1).relu()
    o.label = "o"
    return o


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh context that may load only file: and blob: URLs."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield p
        assert blocked == []
        assert errors == []
    finally:
        context.close()


def open_page(page: Any, path: Path) -> Any:
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-mgm-ready]", state="attached")
    return page.locator('[data-mgm-widget="mgm-state-0"]')


def numeric_of(widget: Any, node: int) -> dict[str, str]:
    widget.locator(f'[data-node-id="{node}"]').first.click()
    box = widget.locator(f'[data-panel][data-panel-node="{node}"] [data-numeric]')
    box.wait_for(state="attached")
    return box.evaluate(
        "e => ({status: e.dataset.numeric, estimate: e.dataset.estimate, grad: e.dataset.grad,"
        " relerr: e.dataset.relerr, h: e.dataset.h, text: e.textContent})"
    )


def test_numeric_check_in_the_exported_page(page: Any, tmp_path: Path) -> None:
    out = lesson_graph()
    graph = Graph.from_value(out)
    ids = {v.label: i for i, v in enumerate(graph.values) if v.label}
    path = show(out).save_html(tmp_path / "lesson.html")
    widget = open_page(page, path)
    data, grad = graph.evaluate()
    for name in ("w", "n"):  # a leaf and an inner node
        want = check_node(graph, data, grad, ids[name])
        got = numeric_of(widget, ids[name])
        assert got["status"] == want.status == "agree"
        assert float(got["estimate"]) == pytest.approx(want.estimate, rel=1e-9)
        assert float(got["grad"]) == pytest.approx(want.grad, rel=1e-12)
        assert float(got["relerr"]) < 1e-6
        assert float(got["h"]) == want.h
        assert "agrees with the grad" in got["text"]
    kink = numeric_of(widget, ids["x"])  # x - 1 = 0 feeds a relu
    assert kink["status"] == "kink"
    assert "not differentiable here: relu" in kink["text"]
    assert "NOT agree" not in kink["text"]
