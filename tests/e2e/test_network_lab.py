"""A network drawn as boxes in JupyterLab with a real kernel (issue 12): ``show(MLP(2, [4, 4,
1])(x))`` opens with its neurons closed, opening one (a click on its header) shows its cards with
the kernel's numbers and tells the kernel (``w.open_groups``), a slider drag updates closed and open
views alike and the kernel agrees, the kernel's ``open_group`` / ``close_group`` redraw the page,
open-all and close-all, and a user's own Module subclass gets its attribute names as paths.

One JupyterLab server and one page serve the module.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_network_page import FOCUSED, READ_BOXES

pytestmark = pytest.mark.browser

MLP_CELL = 0
PAIR_CELL = 1
NEURON = "layers.0.neurons.3"
CELLS = [
    (
        "import random\n"
        "from micrograd_magic import Value, nn, show\n"
        "random.seed(7)\n"
        "model = nn.MLP(2, [4, 4, 1])\n"
        "x = [Value(1.0, label='a'), Value(-2.0, label='b')]\n"
        "w = show(model(x))\n"
        "w"
    ),
    (
        "class Pair(nn.Module):\n"
        "    def __init__(self):\n"
        "        self.left = nn.Neuron(2)\n"
        "        self.right = nn.Neuron(1, nonlin=False)\n"
        "    def forward(self, x):\n"
        "        return self.right(self.left(x))\n"
        "p = show(Pair()([Value(0.5, label='u'), Value(1.5, label='v')]))\n"
        "p"
    ),
]

# Every neuron's output in the kernel, at the inputs' current values: path -> data.
KERNEL_NEURONS = (
    "import json\n"
    "outs, h = {}, x\n"
    "for i, layer in enumerate(model.layers):\n"
    "    h = [n(h) for n in layer.neurons]\n"
    "    outs.update({f'layers.{i}.neurons.{j}': v.data for j, v in enumerate(h)})\n"
    "print(json.dumps([x[0].data, outs]))"
)


@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    page = new_page(lab_server)
    page.open_and_run("network.ipynb", CELLS)
    return page


def boxes(view: Any) -> dict[str, dict[str, Any]]:
    return {b["path"]: b for b in view.output.evaluate(READ_BOXES)}


def kernel_open(lab: Any, want: set[str]) -> set[str]:
    text = lab.poll_kernel(
        "import json; print(json.dumps(w.open_groups))",
        until=lambda out: set(json.loads(out)) == want,
    )
    return set(json.loads(text))


def test_a_neuron_opens_and_the_kernel_knows(lab: Any) -> None:
    view = lab.graph(MLP_CELL)
    shown = boxes(view)
    neurons = sorted(p for p in shown if ".neurons." in p)
    assert len(neurons) == 9
    assert shown[NEURON]["state"] == "closed"
    assert view.output.locator(f'[data-group="{NEURON}"][data-group-state="closed"]').count() == 1
    view.output.locator(f'[data-group="{NEURON}"] [data-action="toggle-group"]').click()
    assert boxes(view)[NEURON]["state"] == "open"
    assert kernel_open(lab, {"", "layers.0", "layers.1", "layers.2", NEURON}) == {
        "",
        "layers.0",
        "layers.1",
        "layers.2",
        NEURON,
    }
    # its cards: the weights and bias hold the kernel's parameters, its output the kernel's value
    params = json.loads(
        lab.run(
            "n = model.layers[0].neurons[3]\n"
            "print(json.dumps([sorted(v.data for v in n.parameters()), n(x).data]))"
        )
    )
    cards = {c["id"]: c for c in view.nodes()}
    inside = boxes(view)[NEURON]["cards"]
    assert len(inside) == 8
    leaves = sorted(
        cards[i]["data"]
        for i in inside
        if view.output.locator(f'[data-node-id="{i}"].mgm-leaf').count()
    )
    assert leaves == pytest.approx(params[0], rel=1e-12)
    rep = shown[NEURON]["rep"]
    assert rep in inside
    assert cards[rep]["data"] == pytest.approx(params[1], rel=1e-12, abs=1e-12)


def test_a_slider_drag_updates_closed_and_open_views_and_the_kernel_agrees(lab: Any) -> None:
    view = lab.graph(MLP_CELL)
    if boxes(view)[NEURON]["state"] == "closed":
        view.output.locator(f'[data-group="{NEURON}"]').click()
    view.drag("a", 0.75)
    a = view.slider_state("a")[0]
    text = lab.poll_kernel(KERNEL_NEURONS, until=lambda out: json.loads(out)[0] == a)
    ka, outs = json.loads(text)
    assert ka == a != 1.0

    # the open neuron's output card is found by the id its closed box showed
    reps = {p: b["rep"] for p, b in boxes(view).items()}
    view.output.locator(f'[data-group="{NEURON}"] [data-action="toggle-group"]').click()
    reps.update({p: b["rep"] for p, b in boxes(view).items() if b["rep"] is not None})
    view.output.locator(f'[data-group="{NEURON}"]').click()
    shown = boxes(view)
    cards = {c["id"]: c for c in view.nodes()}
    for path, want in outs.items():
        b = shown[path]
        got = float(b["data"]) if b["state"] == "closed" else cards[reps[path]]["data"]
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12), path
    assert shown[NEURON]["state"] == "open"


def test_the_kernel_opens_and_closes_groups_and_open_all_close_all(lab: Any) -> None:
    view = lab.graph(MLP_CELL)
    lab.run("w.close_group('layers.0.neurons.3'); w.open_group('layers.1.neurons.2')")
    view.wait_until(lambda: boxes(view)["layers.1.neurons.2"]["state"] == "open")
    assert boxes(view)["layers.1.neurons.2"]["state"] == "open"
    assert boxes(view)[NEURON]["state"] == "closed"
    view.output.locator('button[data-action="close-all"]').click()
    assert [(p, b["state"]) for p, b in boxes(view).items()] == [("", "closed")]
    assert kernel_open(lab, set()) == set()
    view.output.locator('button[data-action="open-all"]').click()
    shown = boxes(view)
    assert all(b["state"] == "open" for b in shown.values())
    assert kernel_open(lab, set(shown)) == set(shown)
    # the keyboard: Enter on a focused closed box opens it
    view.output.locator('button[data-action="close-all"]').click()
    view.output.locator('[data-group=""]').focus()
    assert lab.page.evaluate(FOCUSED) == ""
    lab.page.keyboard.press("Enter")
    assert boxes(view)[""]["state"] == "open"


def test_a_users_module_gets_its_attribute_names(lab: Any) -> None:
    view = lab.graph(PAIR_CELL)
    shown = boxes(view)
    assert set(shown) == {"", "left", "right"}
    assert shown["left"]["state"] == shown["right"]["state"] == "closed"
    view.output.locator('[data-group="left"]').click()
    assert boxes(view)["left"]["state"] == "open"
    assert len(boxes(view)["left"]["cards"]) == 8
    assert kernel_open_of(lab, "p") == {"", "left"}


def kernel_open_of(lab: Any, name: str) -> set[str]:
    text = lab.poll_kernel(
        f"import json; print(json.dumps({name}.open_groups))",
        until=lambda out: "left" in json.loads(out),
    )
    return set(json.loads(text))
