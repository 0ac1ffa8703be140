"""A network drawn as boxes in the exported offline page (issue 12): ``MLP(2, [4, 4, 1])`` opens
with its neurons closed, a click opens one in place with its scalar cards (numbers checked against
the Python graph), a slider drag updates closed and open views alike, open-all and close-all, and
the keyboard reaches every box (Tab, arrows, Enter opens).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from test_export_page import OfflinePage

from micrograd_magic import Value, nn, show
from micrograd_magic.export import write_page
from micrograd_magic.graph import Graph

pytestmark = pytest.mark.browser

NEURON = "layers.0.neurons.3"

# Each drawn group box: its path, state, the node it shows (closed) and its numbers.
READ_BOXES = """(root) => Array.from(root.querySelectorAll('[data-group]')).map(b => ({
    path: b.dataset.group,
    state: b.dataset.groupState,
    rep: b.dataset.rep === undefined ? null : Number(b.dataset.rep),
    data: b.querySelector(':scope > div > [data-field="data"]')?.dataset.value ?? null,
    grad: b.querySelector(':scope > div > [data-field="grad"]')?.dataset.value ?? null,
    cards: Array.from(b.querySelectorAll('[data-node-id]')).map(c => Number(c.dataset.nodeId)),
}))"""

# The cards inside box PATH: id -> [data, grad], and whether each lies inside the box on screen.
READ_CARDS = """([root, path]) => {
    const box = root.querySelector(`[data-group="${path}"]`);
    const r = box.getBoundingClientRect();
    return Array.from(box.querySelectorAll('[data-node-id]')).map(c => {
        const s = c.getBoundingClientRect();
        const f = (name) => Number(c.querySelector(`[data-field="${name}"]`).dataset.value);
        return {id: Number(c.dataset.nodeId), data: f('data'), grad: f('grad'),
                inside: s.left >= r.left - 1 && s.right <= r.right + 1
                        && s.top >= r.top - 1 && s.bottom <= r.bottom + 1};
    });
}"""


# The focused element: a closed box's path, "open:" and an open box's path (its header), or "n"
# and a card's node id.
FOCUSED = """() => {
    const e = document.activeElement;
    if (e.dataset.group !== undefined) return e.dataset.group;
    if (e.matches('[data-action="toggle-group"]')) return 'open:' + e.parentElement.dataset.group;
    return e.dataset.nodeId !== undefined ? 'n' + e.dataset.nodeId : null;
}"""


def mlp() -> tuple[Any, Value]:
    """MLP(2, [4, 4, 1]) on a = 1, b = -2 (seeded) and its output."""
    state = random.getstate()
    try:
        random.seed(7)
        model = nn.MLP(2, [4, 4, 1])
        out = model([Value(1.0, label="a"), Value(-2.0, label="b")])
    finally:
        random.setstate(state)
    return model, out


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, out = mlp()
    return write_page(show(out), tmp_path_factory.mktemp("network") / "mlp.html")


def boxes(root: Any) -> dict[str, dict[str, Any]]:
    return {b["path"]: b for b in root.evaluate(READ_BOXES)}


def test_the_mlp_opens_as_boxes_and_a_neuron_opens_with_its_cards(
    offline: OfflinePage, page_path: Path
) -> None:
    _, out = mlp()
    graph = Graph.from_value(out)
    offline.open(page_path)
    root = offline.graph().output
    data, grad = graph.evaluate({graph.labelled_leaves()["a"]: 1.0})  # the grads, as drawn
    shown = boxes(root)
    neurons = [p for p in shown if ".neurons." in p]
    assert len(neurons) == 4 + 4 + 1
    assert all(shown[p]["state"] == "closed" and shown[p]["cards"] == [] for p in neurons)
    assert shown[""]["state"] == shown["layers.0"]["state"] == "open"
    # a closed neuron shows its output's numbers
    for p in neurons:
        rep = shown[p]["rep"]
        assert graph.nodes[rep].path == p
        assert float(shown[p]["data"]) == pytest.approx(data[rep], rel=1e-12, abs=1e-12)
        assert float(shown[p]["grad"]) == pytest.approx(grad[rep], rel=1e-12, abs=1e-12)

    was = root.locator(f'[data-group="{NEURON}"]').bounding_box()
    root.locator(f'[data-group="{NEURON}"]').click()
    assert root.locator(f'[data-group="{NEURON}"]').get_attribute("data-group-state") == "open"
    # the opened box stays where it was on screen (its top-left corner)
    now = root.locator(f'[data-group="{NEURON}"]').bounding_box()
    assert (now["x"], now["y"]) == pytest.approx((was["x"], was["y"]), abs=2)
    cards = offline.page.evaluate(
        f"(path) => ({READ_CARDS})([document.querySelector('[data-mgm-widget]'), path])", NEURON
    )
    neuron_group = next(g for g in graph.groups if g.path == NEURON)
    own = sorted(i for i, n in enumerate(graph.nodes) if n.group == neuron_group.id)
    assert sorted(c["id"] for c in cards) == own
    assert len(own) == 2 + 1 + 2 + 2 + 1  # w0 w1 b, two products, two sums, relu
    for c in cards:
        assert c["inside"], c
        assert c["data"] == pytest.approx(data[c["id"]], rel=1e-12, abs=1e-12)
        assert c["grad"] == pytest.approx(grad[c["id"]], rel=1e-12, abs=1e-12)
    # the click selected the neuron's output: the panel explains it (filled a frame later)
    rep = shown[NEURON]["rep"]
    offline.page.locator(f'[data-panel][data-panel-node="{rep}"]').wait_for(state="attached")
    # its header closes it again
    root.locator(f'[data-group="{NEURON}"] [data-action="toggle-group"]').click()
    assert root.locator(f'[data-group="{NEURON}"]').get_attribute("data-group-state") == "closed"
    offline.assert_clean()


def test_a_slider_drag_updates_closed_and_open_views(offline: OfflinePage, page_path: Path) -> None:
    _, out = mlp()
    graph = Graph.from_value(out)
    offline.open(page_path)
    view = offline.graph()
    root = view.output
    root.locator('[data-group="layers.0.neurons.1"]').click()
    view.drag("a", 0.8)
    a = view.slider_state("a")[0]
    assert a != 1.0
    data, grad = graph.evaluate({graph.labelled_leaves()["a"]: a})

    def agrees() -> bool:
        shown = boxes(root)
        closed = [b for b in shown.values() if b["state"] == "closed"]
        ok = all(
            float(b["data"]) == pytest.approx(data[b["rep"]], rel=1e-12, abs=1e-12) for b in closed
        )
        cards = view.nodes()
        return ok and all(
            n["data"] == pytest.approx(data[n["id"]], rel=1e-12, abs=1e-12) for n in cards
        )

    view.wait_until(agrees)
    assert agrees()
    shown = boxes(root)
    for b in shown.values():
        if b["state"] == "closed":
            assert float(b["grad"]) == pytest.approx(grad[b["rep"]], rel=1e-12, abs=1e-12)
    assert len(shown["layers.0.neurons.1"]["cards"]) == 8
    offline.assert_clean()


def test_open_all_close_all_and_the_keyboard(offline: OfflinePage, page_path: Path) -> None:
    _, out = mlp()
    graph = Graph.from_value(out)
    offline.open(page_path)
    view = offline.graph()
    root = view.output
    root.locator('button[data-action="open-all"]').click()
    assert all(b["state"] == "open" for b in boxes(root).values())
    assert len(view.nodes()) == len(graph.nodes)
    root.locator('button[data-action="close-all"]').click()
    assert [(p, b["state"]) for p, b in boxes(root).items()] == [("", "closed")]
    root.locator('button[data-action="open-all"]').click()
    root.locator('button[data-action="close-all"]').click()
    root.locator('[data-group=""]').click()  # opens the model: its layers show, closed
    assert boxes(root)["layers.0"]["state"] == "closed"
    root.locator('[data-group="layers.0"]').click()
    root.locator('[data-group="layers.1"]').click()
    root.locator('[data-group="layers.2"]').click()

    # the graph is one tab stop (a box or a card); from there arrows reach every box and card
    page = offline.page
    stops = root.locator('.mgm-nodes [tabindex="0"]')
    assert stops.count() == 1
    stops.focus()
    focused = FOCUSED
    assert page.evaluate(focused) is not None
    page.keyboard.press("Home")
    seen = {page.evaluate(focused)}
    for _ in range(12):  # columns
        for _ in range(8):
            page.keyboard.press("ArrowUp")
        for _ in range(8):
            seen.add(page.evaluate(focused))
            page.keyboard.press("ArrowDown")
        seen.add(page.evaluate(focused))
        page.keyboard.press("ArrowRight")
    closed = {p for p, b in boxes(root).items() if b["state"] == "closed"}
    assert len(closed) == 9
    assert closed <= seen
    assert {f"n{i}" for i in graph.labelled_leaves().values()} <= seen  # the inputs' cards
    # Enter on a focused box opens it
    root.locator(f'[data-group="{NEURON}"]').focus()
    page.keyboard.press("Enter")
    assert boxes(root)[NEURON]["state"] == "open"
    offline.assert_clean()


# A clip of the page around the weight edge farthest right that the graph's window shows whole
# (page coordinates), after the edges' paths settled.
FAR_EDGE = """(root) => {
    const v = root.querySelector('.mgm-viewport').getBoundingClientRect();
    const inside = Array.from(root.querySelectorAll('.mgm-edge[data-weight]'))
        .map(e => e.getBoundingClientRect())
        .filter(r => r.width > 4 && r.left > v.left && r.right < v.right
                     && r.top > v.top && r.bottom < v.bottom);
    inside.sort((a, b) => b.left - a.left);
    const r = inside[0];
    return r && {x: r.left + window.scrollX, y: r.top + window.scrollY,
                 width: r.width, height: r.height};
}"""


def test_the_edges_are_painted_far_outside_their_layers_box(
    offline: OfflinePage, page_path: Path
) -> None:
    # the edge layer's SVG has a size of its own that opening a box leaves (render.js): the
    # edges are drawn outside it, as the screen shows with the layer and without
    offline.open(page_path)
    root = offline.graph().output
    root.locator(f'[data-group="{NEURON}"]').click()
    page = offline.page
    page.wait_for_function("() => !document.querySelector('.mgm-edges[data-edges-moving]')")
    clip = root.evaluate(FAR_EDGE)
    assert clip is not None and clip["x"] > 200
    shown = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => { document.querySelector('.mgm-edges').style.visibility = 'hidden'; }")
    hidden = page.screenshot(clip=clip, animations="disabled")
    assert shown != hidden, "the edge layer paints nothing there"
    offline.assert_clean()


# What a drawing shows once settled: each box's state, numbers and place on the drawing as
# painted (the scroll, which keeps the clicked box under the pointer, aside), each drawn card's
# numbers by node id, and each edge's ends and look.
PICTURE = """(root) => ({
    boxes: Array.from(root.querySelectorAll('[data-group]')).map(b => {
        const r = b.getBoundingClientRect();
        const s = root.querySelector('.mgm-scene').getBoundingClientRect();
        return [b.dataset.group, b.dataset.groupState,
                b.querySelector(':scope > div > [data-field="data"]')?.dataset.value ?? null,
                b.querySelector(':scope > div > [data-field="grad"]')?.dataset.value ?? null,
                Math.round(r.left - s.left), Math.round(r.top - s.top),
                Math.round(r.width), Math.round(r.height)];
    }).sort(),
    cards: Object.fromEntries(Array.from(root.querySelectorAll('[data-node-id]')).map(c => [
        c.dataset.nodeId,
        [c.querySelector('[data-field="data"]')?.dataset.value ?? null,
         c.querySelector('[data-field="grad"]')?.dataset.value ?? null],
    ])),
    edges: Array.from(root.querySelectorAll('.mgm-edge')).map(e => [
        e.dataset.from, e.dataset.to, e.getAttribute('d'),
        e.dataset.sign ?? null, e.getAttribute('stroke-width'),
    ]).sort(),
    panel: root.querySelector('[data-panel]')?.dataset.panelNode ?? null,
})"""

# Toggle the boxes of the paths given one after the other, `gap` animation frames apart, in one
# task: the first toggle's deferred work (the slide, the edges' new paths) has not run when the
# second comes.
TOGGLE_FAST = """async ([root, paths, gap]) => {
    for (const [k, path] of paths.entries()) {
        if (k > 0) for (let f = 0; f < gap; f++) await new Promise(r => requestAnimationFrame(r));
        const box = root.querySelector(`[data-group="${path}"]`);
        const closed = box.dataset.groupState === 'closed';
        (closed ? box : box.querySelector('[data-action="toggle-group"]')).click();
    }
}"""

SETTLED = """(root) => !root.querySelector('[data-edges-moving]')
    && document.getAnimations().length === 0
    && Array.from(root.querySelectorAll('[data-group]')).every(b => b.style.transform === '')"""


@pytest.mark.parametrize("gap", [0, 1, 2])
@pytest.mark.parametrize(
    ("first", "paths"),
    [
        ([], [NEURON, "layers.1.neurons.2"]),
        ([], [NEURON, NEURON]),
        (["layers.1.neurons.2"], [NEURON, NEURON]),
        (["layers.1.neurons.2"], ["layers.0.neurons.1", NEURON, "layers.1.neurons.2"]),
    ],
)
def test_toggles_before_the_last_ones_deferred_work_end_as_slow_toggles_do(
    offline: OfflinePage, page_path: Path, first: list[str], paths: list[str], gap: int
) -> None:
    page = offline.page

    def picture(fast: bool) -> dict[str, Any]:
        offline.open(page_path)
        root = offline.graph().output
        handle = root.element_handle()
        for path in first + ([] if fast else paths):
            page.evaluate(f"(args) => ({TOGGLE_FAST})(args)", [handle, [path], 0])
            page.wait_for_function(f"(root) => ({SETTLED})(root)", arg=handle)
        if fast:
            page.evaluate(f"(args) => ({TOGGLE_FAST})(args)", [handle, paths, gap])
        page.wait_for_function(f"(root) => ({SETTLED})(root)", arg=handle)
        return root.evaluate(PICTURE)

    slow = picture(fast=False)
    fast = picture(fast=True)
    assert [b[:2] for b in fast["boxes"]] == [b[:2] for b in slow["boxes"]]
    assert fast["boxes"] == slow["boxes"]
    # which cards out of sight are drawn yet depends on the idle time the page had
    both = fast["cards"].keys() & slow["cards"].keys()
    assert both
    assert {i: fast["cards"][i] for i in both} == {i: slow["cards"][i] for i in both}
    assert fast["edges"] == slow["edges"]
    assert fast["panel"] == slow["panel"]
    offline.assert_clean()
