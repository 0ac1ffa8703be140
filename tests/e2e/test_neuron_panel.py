"""Names and the neuron explained, in a real JupyterLab with a real kernel (issue 12): an MLP's
cards carry their short names and their tooltips the full path; clicking a neuron's output card
(the flat view) shows the neuron's section with the kernel's numbers, and a slider drag updates
it while the kernel's Values follow. The exported page does the same without a kernel."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from test_export_page import OfflinePage

from micrograd_magic import Value, nn, show
from micrograd_magic.explain import format_number

pytestmark = pytest.mark.browser

MLP_CELL = 0
CELLS = [
    (
        "import random\n"
        "from micrograd_magic import Value, nn, show\n"
        "random.seed(4)\n"
        "model = nn.MLP(2, [3, 1])\n"
        "a, b = Value(1.0, label='a'), Value(0.5, label='b')\n"
        "w = show(model([a, b]))\n"
        "w.open_groups = w.model_graph.group_paths()  # every scalar card drawn\n"
        "w"
    ),
]
NEURON = "model.layers[0].neurons[1]"

_SECTION = """(root) => {
    const s = root.querySelector('[data-panel-neuron]');
    if (!s) return null;
    return {
        path: s.dataset.panelNeuron,
        out: Number(s.dataset.neuronOut),
        sum: Number(s.dataset.neuronSum),
        grad: Number(s.dataset.neuronGrad),
        formula: s.querySelector('[data-neuron-formula]').textContent,
        terms: s.querySelectorAll('[data-neuron-term]').length,
        title: root.querySelector('[data-panel] .mgm-panel-title').textContent,
    };
}"""

# the neuron's pre-activation as nn.Neuron sums it (bias first), from the kernel's Values
_KERNEL_SUM = (
    f"n = {NEURON}\n"
    "s = n.b.data\n"
    "for wi, xi in zip(n.w, (a, b)):\n"
    "    s = s + wi.data * xi.data\n"
    "print(repr(a.data), repr(s))"
)


def text(x: float) -> str:
    """A number as the panel writes it (format_number with the minus sign)."""
    return format_number(x).replace("-", "−")


@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    page = new_page(lab_server)
    page.open_and_run("neuron.ipynb", CELLS)
    return page


def kernel_sum(lab: Any, a: float | None = None) -> float:
    """The neuron's pre-activation in the kernel, once its ``a`` is ``a`` (when given)."""
    out = lab.poll_kernel(
        _KERNEL_SUM, until=lambda o: a is None or o.split()[0] == repr(a), timeout=20
    )
    got_a, s = out.split()
    if a is not None:
        assert float(got_a) == a, f"the kernel's a is {got_a}, the page's {a}"
    return float(s)


def test_names_on_cards_and_full_paths_in_tooltips(lab: Any) -> None:
    view = lab.graph(MLP_CELL)
    cards = view.output.evaluate(
        """(root) => Object.fromEntries([...root.querySelectorAll('svg [data-node-id]')]
            .filter(n => n.querySelector('.mgm-label'))
            .map(n => [n.querySelector('.mgm-label').textContent,
                       [n.dataset.label, n.querySelector('title').textContent]]))"""
    )
    assert cards["L1.N2.w1"] == ["", "layers[0].neurons[1].w[0]: parameter"]
    assert cards["L2.N1.b"] == ["", "layers[1].neurons[0].b: parameter"]
    assert cards["a"][0] == "a", "a user label keeps its data-label"
    assert cards["L1.N2"][1].startswith("layers[0].neurons[1]: relu(")
    assert cards["L2.N1"][1].endswith("(output)")
    assert lab.errors == [], lab.errors


def test_a_neurons_output_shows_its_formula_with_the_kernels_numbers(lab: Any) -> None:
    view = lab.graph(MLP_CELL)
    node = view.output.evaluate(
        """(root) => [...root.querySelectorAll('svg [data-node-id]')]
            .find(n => n.querySelector('.mgm-label')?.textContent === 'L1.N2').dataset.nodeId"""
    )
    card = view.output.locator(f'svg [data-node-id="{node}"]')
    card.scroll_into_view_if_needed()
    card.click()
    view.wait_until(lambda: view.output.evaluate(_SECTION) is not None)
    shown = view.output.evaluate(_SECTION)
    assert shown is not None, "the neuron's section is shown"
    assert shown["path"] == "layers.0.neurons.1"
    assert shown["title"] == "layers[0].neurons[1]"
    assert shown["terms"] == 2
    s = kernel_sum(lab)
    assert shown["sum"] == pytest.approx(s, rel=1e-12, abs=1e-15)
    assert shown["out"] == pytest.approx(max(0.0, s), rel=1e-12, abs=1e-15)
    assert shown["formula"] == f"relu(Σ wᵢxᵢ + b) = relu({text(s)}) = {text(max(0.0, s))}"

    view.drag("a", 0.9)
    a = view.slider_state("a")[0]
    assert a != 1.0
    view.wait_until(lambda: view.output.evaluate(_SECTION)["sum"] != shown["sum"])
    moved = view.output.evaluate(_SECTION)
    assert moved["sum"] != shown["sum"], "the drag updated the section"
    s = kernel_sum(lab, a)
    assert moved["sum"] == pytest.approx(s, rel=1e-12, abs=1e-15)
    assert moved["formula"] == f"relu(Σ wᵢxᵢ + b) = relu({text(s)}) = {text(max(0.0, s))}"
    selected = lab.poll_kernel("print(w.selected)", until=lambda o: o == node)
    assert selected == node, "the kernel knows the selection"
    assert lab.errors == [], lab.errors


def test_the_exported_page_explains_a_neuron_offline(browser: Any, tmp_path: Path) -> None:
    random.seed(4)
    model = nn.MLP(2, [3, 1])
    a = Value(1.0, label="a")
    neuron = model.layers[0].neurons[1]
    widget = show(model([a, Value(0.5, label="b")]))
    widget.open_groups = widget.model_graph.group_paths()  # every scalar card drawn
    path = widget.save_html(tmp_path / "mlp.html")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    offline = OfflinePage(context)
    try:
        offline.open(path)
        root = offline.page.locator('[data-mgm-widget="mgm-state-0"]')
        node = root.evaluate(
            """(root) => [...root.querySelectorAll('svg [data-node-id]')]
                .find(n => n.querySelector('.mgm-label')?.textContent === 'L1.N2').dataset.nodeId"""
        )
        card = root.locator(f'svg [data-node-id="{node}"]')
        card.scroll_into_view_if_needed()
        card.click()
        root.locator("[data-panel-neuron]").wait_for(state="attached")
        shown = root.evaluate(_SECTION)
        s = neuron.b.data + neuron.w[0].data * a.data + neuron.w[1].data * 0.5
        assert shown["path"] == "layers.0.neurons.1"
        assert shown["sum"] == pytest.approx(s, rel=1e-12, abs=1e-15)
        assert shown["formula"] == f"relu(Σ wᵢxᵢ + b) = relu({text(s)}) = {text(max(0.0, s))}"
        slider = root.locator('input[data-input="a"]')
        slider.focus()
        offline.page.keyboard.press("ArrowRight")
        moved = root.evaluate(_SECTION)
        a2 = slider.evaluate("s => s.valueAsNumber")
        s2 = neuron.b.data + neuron.w[0].data * a2 + neuron.w[1].data * 0.5
        assert a2 != 1.0 and moved["sum"] == pytest.approx(s2, rel=1e-12, abs=1e-15)
        assert offline.errors == [] and offline.blocked == []
    finally:
        context.close()
