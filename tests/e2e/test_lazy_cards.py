"""The cards out of sight at the first paint are drawn later (issue 12's first paint of a fully open
network): in the exported page of an all-open ``MLP(2, [16, 16, 1])``, every card is in the page
once the idle-time slices are done, with the Python graph's numbers before and after a slider
drag; with the slices held back, the cards far from the first view wait, and scrolling to them
draws them.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_export_page import OfflinePage

from micrograd_magic import Value, nn, show
from micrograd_magic.export import write_page
from micrograd_magic.graph import Graph

pytestmark = pytest.mark.browser

# The chunks that meet the graph's window on screen, and how many cards each holds.
CHUNKS_IN_SIGHT = """(root) => {
    const w = root.querySelector('.mgm-viewport').getBoundingClientRect();
    return Array.from(root.querySelectorAll('.mgm-chunk')).filter(c => {
        const r = c.getBoundingClientRect();
        return r.right > w.left && r.left < w.right && r.bottom > w.top && r.top < w.bottom;
    }).map(c => c.querySelectorAll('[data-node-id]').length);
}"""

CARDS = "(root) => root.querySelectorAll('[data-node-id]').length"

# Idle callbacks that never come: the slices that fill the waiting chunks do not run.
NO_IDLE = "window.requestIdleCallback = () => 0; window.cancelIdleCallback = () => {};"


def network() -> Value:
    """The output of a seeded MLP(2, [16, 16, 1]) on a = 1, b = -2."""
    state = random.getstate()
    try:
        random.seed(11)
        model = nn.MLP(2, [16, 16, 1])
        return model([Value(1.0, label="a"), Value(-2.0, label="b")])
    finally:
        random.setstate(state)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    widget = show(network())
    widget.open_groups = widget.model_graph.group_paths()
    return write_page(widget, tmp_path_factory.mktemp("lazy") / "open.html")


def test_every_card_is_drawn_after_the_slices_with_the_graphs_numbers(
    offline: OfflinePage, page_path: Path
) -> None:
    graph = Graph.from_value(network())
    offline.open(page_path)
    view = offline.graph()
    view.output.locator('[data-group="layers.0.neurons.0"][data-group-state="open"]').wait_for(
        state="attached"
    )
    view.wait_until(lambda: view.output.evaluate(CARDS) == len(graph.nodes), timeout=30)
    view.assert_shows(graph, {"a": 1.0, "b": -2.0})

    view.drag("a", 0.8)
    moved = view.values("a", "b")
    assert moved["a"] != 1.0

    def agrees() -> bool:
        try:
            view.assert_shows(graph, moved)
        except AssertionError:
            return False
        return True

    view.wait_until(agrees, timeout=30)
    view.assert_shows(graph, moved)
    offline.assert_clean()


def test_far_cards_wait_until_scrolled_to(offline: OfflinePage, page_path: Path) -> None:
    graph = Graph.from_value(network())
    offline.page.add_init_script(NO_IDLE)
    offline.open(page_path)
    view = offline.graph()
    root = view.output
    offline.page.wait_for_timeout(500)
    first = root.evaluate(CARDS)
    assert 0 < first < len(graph.nodes), "the cards far from the first view wait"
    assert all(count > 0 for count in root.evaluate(CHUNKS_IN_SIGHT)), "those in sight are drawn"

    # The first view shows the output (the right end); the inputs' layer is at the left.
    root.locator(".mgm-viewport").evaluate("v => { v.scrollLeft = 0; v.scrollTop = 0; }")
    view.wait_until(lambda: all(count > 0 for count in root.evaluate(CHUNKS_IN_SIGHT)))
    assert all(count > 0 for count in root.evaluate(CHUNKS_IN_SIGHT))
    assert root.evaluate(CARDS) > first
    offline.assert_clean()
