"""A theme change and a scroll never leave a graph without its node cards (issue 16, point 9).

The widget draws its nodes in chunks that it hides (``content-visibility: hidden``) while they
are far outside its window, as an IntersectionObserver reports. Once, in JupyterLab, a graph came
back from a switch to the dark theme and a scroll with its edges but no cards: every chunk had
stayed hidden. The exported MLP page here sits in a JupyterLab-like notebook (a scrolling panel,
the cell ``content-visibility: auto``); the tests switch the theme while the graph is out of
view, scroll back, and check that every node card in the window is drawn, in the new theme's
colours, also when the chunks were left hidden by a notification that never came.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PAGE_TIMEOUT_MS

from micrograd_magic import Value, nn, show
from micrograd_magic.export import write_page

pytestmark = pytest.mark.browser

DARK_BACKGROUND = "rgb(22, 27, 34)"  # js/view/style.js --mgm-fb-bg under prefers-color-scheme: dark

# The page inside a notebook-like scroller: 3000 px of cells above and below the graph's cell.
AS_NOTEBOOK = """() => {
  const widget = document.querySelector('.mgm-export');
  const scroller = document.createElement('div');
  scroller.id = 'notebook';
  scroller.style.cssText = 'height: 100vh; overflow: auto';
  const cell = document.createElement('div');
  cell.style.cssText = 'content-visibility: auto; contain-intrinsic-size: auto 700px';
  const above = document.createElement('div');
  above.style.height = '3000px';
  const below = document.createElement('div');
  below.style.height = '3000px';
  widget.replaceWith(scroller);
  cell.append(widget);
  scroller.append(above, cell, below);
  document.body.style.margin = '0';
}"""

# Every node card inside the graph's window: whether its chunk is hidden, its box, its fill.
CARDS_IN_VIEW = """() => {
  const v = document.querySelector('.mgm-viewport');
  const r = v.getBoundingClientRect();
  const cards = [];
  for (const node of document.querySelectorAll('.mgm-node[data-node-id]')) {
    const chunk = node.closest('.mgm-chunk');
    const b = node.getBoundingClientRect();
    if (b.right < r.left || b.left > r.right || b.bottom < r.top || b.top > r.bottom) continue;
    const card = node.querySelector('.mgm-card');
    const box = card.getBoundingClientRect();
    cards.push({
      id: node.dataset.nodeId,
      hidden: getComputedStyle(chunk).contentVisibility === 'hidden',
      width: box.width,
      fill: getComputedStyle(card).fill,
      text: node.querySelector('[data-field="data"]').textContent,
    });
  }
  return cards;
}"""

SCROLL_TO_GRAPH = "() => document.querySelector('.mgm-viewport').scrollIntoView({block: 'start'})"
SCROLL_AWAY = "() => { document.getElementById('notebook').scrollTop = 0; }"
PAN_TO_MIDDLE_CARD = """() => {
  const v = document.querySelector('.mgm-viewport');
  const nodes = v.querySelectorAll('.mgm-node[data-node-id]');
  const b = nodes[nodes.length >> 1].getBoundingClientRect();
  const r = v.getBoundingClientRect();
  v.scrollTop += b.top - r.top - r.height / 2;
  v.scrollLeft += b.left - r.left - r.width / 2;
}"""


@pytest.fixture(scope="module")
def mlp_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    random.seed(1)
    widget = show(nn.MLP(2, [16, 16, 1])([Value(1.0, label="a"), Value(-2.0, label="b")]))
    widget.open_groups = widget.model_graph.group_paths()  # every scalar card, in many chunks
    return write_page(widget, tmp_path_factory.mktemp("theme") / "mlp.html")


@pytest.fixture
def page(browser: Any, mlp_page: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 800}, color_scheme="light")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(mlp_page.as_uri())
        page.wait_for_selector("html[data-mgm-ready]", state="attached")
        page.evaluate(AS_NOTEBOOK)
        page.evaluate(SCROLL_TO_GRAPH)
        page.wait_for_timeout(200)
        yield page
        assert errors == []
    finally:
        context.close()


def switch_to_dark(page: Any) -> None:
    """What JupyterLab's theme switch changes, and the colour scheme our fallbacks follow."""
    page.emulate_media(color_scheme="dark")
    page.evaluate("() => document.body.setAttribute('data-jp-theme-light', 'false')")


def assert_every_card_drawn(page: Any, at_least: int = 5) -> None:
    """Within a few frames, every card in the window is rendered, in the dark theme."""
    deadline = time.monotonic() + 5.0
    cards = page.evaluate(CARDS_IN_VIEW)
    while (not cards or any(c["hidden"] for c in cards)) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        cards = page.evaluate(CARDS_IN_VIEW)
    assert len(cards) >= at_least, cards
    for c in cards:
        assert not c["hidden"] and c["width"] > 0 and c["text"], c
        assert c["fill"] == DARK_BACKGROUND, c


def test_a_theme_switch_out_of_view_then_a_scroll_back_draws_every_card(page: Any) -> None:
    before = page.evaluate(CARDS_IN_VIEW)
    assert before and not any(c["hidden"] for c in before)
    page.evaluate(SCROLL_AWAY)
    page.wait_for_timeout(200)
    switch_to_dark(page)
    page.wait_for_timeout(200)
    page.evaluate(SCROLL_TO_GRAPH)
    assert_every_card_drawn(page)
    # and panning inside the graph after the switch draws the cards it brings into view (to
    # a card in the middle of the graph: a fixed scroll offset may land between the cards)
    page.evaluate(PAN_TO_MIDDLE_CARD)
    assert_every_card_drawn(page, at_least=1)


def test_chunks_left_hidden_by_a_lost_notification_come_back_on_a_theme_switch(
    page: Any,
) -> None:
    # The state the broken graph was in: every chunk hidden although the window shows them, as
    # if the observer's "visible again" never came. A theme switch must bring them back.
    page.evaluate(
        "() => document.querySelectorAll('.mgm-chunk')"
        ".forEach(c => { c.style.contentVisibility = 'hidden'; })"
    )
    assert all(c["hidden"] for c in page.evaluate(CARDS_IN_VIEW))
    switch_to_dark(page)
    assert_every_card_drawn(page)


def test_chunks_left_hidden_come_back_when_the_graph_scrolls_into_view(page: Any) -> None:
    switch_to_dark(page)
    page.evaluate(SCROLL_AWAY)
    page.wait_for_timeout(200)
    page.evaluate(
        "() => document.querySelectorAll('.mgm-chunk')"
        ".forEach(c => { c.style.contentVisibility = 'hidden'; })"
    )
    page.evaluate(SCROLL_TO_GRAPH)
    assert_every_card_drawn(page)
