"""A fast slider drag on a fully open network in JupyterLab with a real kernel: every card,
those out of the graph's window included (their chunks culled, rewritten after the frames that
the drag draws), ends on the kernel's numbers.

The widget computes at most one pass per frame however many ``input`` events a drag sends, and
rewrites the cards out of sight later (js/widget/pacer.js, js/view/render.js's update); this test
checks that nothing is lost on the way: the last value wins and every card catches up.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    (
        "import random\n"
        "from micrograd_magic import Value, nn, show\n"
        "random.seed(11)\n"
        "model = nn.MLP(2, [16, 16, 1])\n"
        "x = [Value(1.0, label='a'), Value(-0.5, label='b')]\n"
        "w = show(model(x))\n"
        "w"
    ),
]

# The kernel's input a and every node's [id, data, grad].
KERNEL_NODES = (
    "import json\n"
    "nodes = w.model_graph.to_json()['nodes']\n"
    "print(json.dumps([x[0].data, [[n['id'], n['data'], n['grad']] for n in nodes]]))"
)

# Every card's [id, data, grad] as data-value says, and how many chunks are culled.
READ_CARDS = """(root) => ({
    cards: Array.from(root.querySelectorAll('[data-node-id]')).map(c => [
        Number(c.dataset.nodeId),
        Number(c.querySelector('[data-field="data"]').dataset.value),
        Number(c.querySelector('[data-field="grad"]').dataset.value),
    ]),
    culled: Array.from(root.querySelectorAll('.mgm-chunk'))
        .filter(c => c.style.contentVisibility === 'hidden').length,
})"""


@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    page = new_page(lab_server)
    page.open_and_run("slider_fast.ipynb", CELLS)
    return page


def fast_drag(view: Any, name: str, fractions: list[float]) -> None:
    """Press the slider's thumb and move the mouse through ``fractions`` of the track with no
    pause between the moves (many ``input`` events per frame), then release."""
    slider = view.slider(name)
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    value, lo, hi, _ = view.slider_state(name)
    thumb = 16.0  # Chromium's default thumb width (see GraphView.drag)
    y = box["y"] + box["height"] / 2

    def at(f: float) -> float:
        return box["x"] + thumb / 2 + f * (box["width"] - thumb)

    view.page.mouse.move(at((value - lo) / (hi - lo)), y)
    view.page.mouse.down()
    for f in fractions:
        view.page.mouse.move(at(f), y)
    view.page.mouse.up()


def test_after_a_fast_drag_on_the_open_network_every_card_shows_the_kernels_numbers(
    lab: Any,
) -> None:
    view = lab.graph(0)
    total = len(json.loads(lab.run(KERNEL_NODES))[1])
    view.output.locator('[data-action="open-all"]').click()
    view.wait_until(lambda: view.output.locator("[data-node-id]").count() == total)
    assert view.output.locator("[data-node-id]").count() == total
    # the window shows part of the graph: the drag has cards out of sight to bring up to date
    view.wait_until(lambda: view.output.evaluate(READ_CARDS)["culled"] > 0)
    assert view.output.evaluate(READ_CARDS)["culled"] > 0

    fractions = [0.5 + 0.45 * ((-1) ** k) * (k / 60) for k in range(60)] + [0.8]
    fast_drag(view, "a", fractions)
    a = view.slider_state("a")[0]
    text = lab.poll_kernel(KERNEL_NODES, until=lambda out: json.loads(out)[0] == a)
    ka, nodes = json.loads(text)
    assert ka == a != 1.0
    want = {i: (d, g) for i, d, g in nodes}

    def agree() -> bool:
        cards = view.output.evaluate(READ_CARDS)["cards"]
        return len(cards) == total and all(
            (d, g) == pytest.approx(want[i], rel=1e-12, abs=1e-12) for i, d, g in cards
        )

    deadline = time.monotonic() + 10
    while not agree() and time.monotonic() < deadline:
        time.sleep(0.1)
    cards = view.output.evaluate(READ_CARDS)["cards"]
    wrong = [i for i, d, g in cards if (d, g) != pytest.approx(want[i], rel=1e-12, abs=1e-12)]
    assert len(cards) == total
    assert wrong == [], f"{len(wrong)} cards differ from the kernel, e.g. node {wrong[:5]}"
