"""A quiz and the keyboard on a network drawn as boxes, in the exported offline page (issue 12):
``MLP(2, [4, 4, 1])`` with a teacher's quiz opens with its neurons closed; answers go only on drawn
cards, each closed box counts the asked grads it hides, answers and score survive closing and
opening a box; the arrow keys reach every box, closed and open (its header), with one tab stop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_export_page import OfflinePage
from test_network_page import FOCUSED, NEURON, mlp

from micrograd_magic import show
from micrograd_magic.export import write_page
from micrograd_magic.graph import Graph

pytestmark = pytest.mark.browser

# Each answer box: its node, the card it sits on, and whether it lies inside that card on screen.
READ_GUESSES = """(root) => Array.from(root.querySelectorAll('input[data-guess]'))
    .filter(i => i.closest('foreignObject').getAttribute('display') !== 'none')
    .map(i => {
        const card = i.closest('[data-node-id]');
        const r = card.getBoundingClientRect();
        const s = i.getBoundingClientRect();
        return {id: Number(i.dataset.guess), card: Number(card.dataset.nodeId),
                inside: s.width > 0 && s.height > 0
                        && s.left >= r.left - 1 && s.right <= r.right + 1
                        && s.top >= r.top - 1 && s.bottom <= r.bottom + 1};
    })"""


def members(graph: Graph, path: str) -> list[int]:
    """The ids of the nodes of group ``path`` itself."""
    group = next(g for g in graph.groups if g.path == path)
    return [i for i, n in enumerate(graph.nodes) if n.group == group.id]


def inside(root: Any) -> dict[str, str | None]:
    """Each drawn box's path -> its count of asked grads still hidden in it (or None)."""
    return {
        b["path"]: b["n"]
        for b in root.evaluate(
            "(root) => Array.from(root.querySelectorAll('[data-group]')).map(b =>"
            " ({path: b.dataset.group, n: b.dataset.quizInside ?? null}))"
        )
    }


def answer(root: Any, node: int, text: str) -> str:
    """Type ``text`` on node ``node``'s card and press Enter; the card's verdict."""
    box = root.locator(f'input[data-guess="{node}"]')
    box.fill(text)
    box.press("Enter")
    return root.locator(f'[data-node-id="{node}"] [data-verdict]').get_attribute("data-verdict")


def test_a_teachers_quiz_on_closed_neurons(offline: OfflinePage, tmp_path: Path) -> None:
    _, out = mlp()
    graph = Graph.from_value(out)
    path = write_page(show(out, quiz=True), tmp_path / "quiz.html")
    offline.open(path)
    root = offline.graph().output
    asked = [i for i in range(len(graph.nodes)) if i != graph.output]
    metric = root.locator('[data-metric="solved"]')
    assert (metric.get_attribute("data-value"), metric.get_attribute("data-total")) == (
        "0",
        str(len(asked)),
    )
    # only the drawn cards (the inputs a and b) take answers, each on its own card, on screen
    guesses = root.evaluate(READ_GUESSES)
    leaves = sorted(graph.labelled_leaves().values())
    assert sorted(g["id"] for g in guesses) == leaves
    assert all(g["id"] == g["card"] and g["inside"] for g in guesses), guesses
    # each closed neuron counts the asked grads it hides; its grad shows "?"
    counts = inside(root)
    for p in counts:
        if ".neurons." in p:
            hidden = [i for i in members(graph, p) if i in asked]
            assert counts[p] == (str(len(hidden)) if hidden else None), p
    neuron = root.locator(f'[data-group="{NEURON}"]')
    assert neuron.locator('[data-field="grad"]').text_content() == "?"
    assert root.locator('button[data-action="edge-grads"]').get_attribute("aria-disabled") == "true"

    # open the neuron: its cards take answers, inside its box on screen
    neuron.click()
    own = members(graph, NEURON)
    guesses = root.evaluate(READ_GUESSES)
    assert sorted(g["id"] for g in guesses) == sorted([*leaves, *own])
    assert all(g["id"] == g["card"] and g["inside"] for g in guesses), guesses
    assert inside(root)[NEURON] is None
    _, grad = graph.evaluate({})
    w0 = next(i for i in own if graph.nodes[i].path == f"{NEURON}.w.0")
    relu = next(i for i in own if graph.nodes[i].path == NEURON)
    assert answer(root, w0, repr(grad[w0])) == "correct"
    assert answer(root, relu, repr(grad[relu] + 1.0)) == "wrong"
    assert metric.get_attribute("data-value") == "1"

    # close it: the box counts what is left; open it again: the marks are as they were
    neuron.locator('[data-action="toggle-group"]').click()
    assert inside(root)[NEURON] == str(len(own) - 1)
    assert metric.get_attribute("data-value") == "1"
    root.locator(f'[data-group="{NEURON}"]').click()
    verdict = root.locator(f'[data-node-id="{w0}"] [data-verdict]')
    assert verdict.get_attribute("data-verdict") == "correct"
    assert root.locator(f'[data-node-id="{relu}"] [data-verdict]').get_attribute(
        "data-verdict"
    ) == ("wrong")
    assert float(
        root.locator(f'[data-node-id="{w0}"] [data-field="grad"]').get_attribute("data-value")
    ) == pytest.approx(grad[w0], rel=1e-12, abs=1e-12)
    assert answer(root, relu, repr(grad[relu])) == "correct"
    assert metric.get_attribute("data-value") == "2"
    offline.assert_clean()


def test_a_teachers_list_asks_only_those(offline: OfflinePage, tmp_path: Path) -> None:
    model, out = mlp()
    graph = Graph.from_value(out)
    neuron = model.layers[0].neurons[3]
    path = write_page(show(out, quiz=[neuron.w[1], neuron.b]), tmp_path / "list.html")
    offline.open(path)
    root = offline.graph().output
    assert root.locator('[data-metric="solved"]').get_attribute("data-total") == "2"
    assert {p: n for p, n in inside(root).items() if n is not None} == {NEURON: "2"}
    assert root.locator("input[data-guess]").count() == 0
    root.locator(f'[data-group="{NEURON}"]').click()
    ids = {
        graph.nodes[int(g)].path
        for g in root.evaluate(
            "(root) => Array.from(root.querySelectorAll('input[data-guess]'))"
            ".map(i => i.dataset.guess)"
        )
    }
    assert ids == {f"{NEURON}.w.1", f"{NEURON}.b"}
    offline.assert_clean()


def test_the_keyboard_reaches_every_box_closed_and_open(
    offline: OfflinePage, tmp_path: Path
) -> None:
    _, out = mlp()
    path = write_page(show(out), tmp_path / "keys.html")
    offline.open(path)
    root = offline.graph().output
    page = offline.page
    root.locator(f'[data-group="{NEURON}"]').click()  # one neuron open: its cards too
    stops = root.locator('.mgm-nodes [tabindex="0"]')
    assert stops.count() == 1
    stops.focus()
    page.keyboard.press("Home")
    seen = {page.evaluate(FOCUSED)}
    for _ in range(16):  # columns
        for _ in range(10):
            page.keyboard.press("ArrowUp")
        for _ in range(10):
            seen.add(page.evaluate(FOCUSED))
            assert stops.count() == 1
            page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowRight")
    boxes = root.evaluate(
        "(root) => Array.from(root.querySelectorAll('[data-group]')).map(b =>"
        " b.dataset.groupState === 'open' ? 'open:' + b.dataset.group : b.dataset.group)"
    )
    assert {"open:", "open:layers.0", "open:layers.1", "open:layers.2", f"open:{NEURON}"} <= set(
        boxes
    )
    missed = [b for b in boxes if b not in seen]
    assert missed == [], missed
    cards = root.evaluate(
        "(root) => Array.from(root.querySelectorAll('[data-node-id]'))"
        ".map(c => 'n' + c.dataset.nodeId)"
    )
    assert set(cards) <= seen
    # Enter on a focused header closes its box
    root.locator(f'[data-group="{NEURON}"] > [data-action="toggle-group"]').focus()
    assert stops.count() == 1
    page.keyboard.press("Enter")
    assert root.locator(f'[data-group="{NEURON}"]').get_attribute("data-group-state") == "closed"
    offline.assert_clean()
