"""Explaining backprop in the widget, in a real JupyterLab with a real kernel: clicking a node
explains its grad with the chain rule (live while a slider moves, synced with ``w.selected``),
Escape clears, the step-through replays backward one node at a time, the MLP graph pans, zooms
and fits, and the graph is usable from the keyboard. Then without a kernel: the exported offline
page, and a host whose model cannot save (as MyST's).

One JupyterLab server and one page serve the module; every test first puts the widget in the
state it needs (nothing selected, normal mode) instead of relying on the order of the tests.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import mlp_graph, xyz, xyz_graph

from micrograd_magic import show
from micrograd_magic.explain import grads_after_step, step_sequence
from micrograd_magic.export import bundle_source, widget_state, write_page

pytestmark = pytest.mark.browser

MAGIC_CELL = 1
MLP_CELL = 2
CELLS = [
    "%load_ext micrograd_magic",
    "%%micrograd --bind w\nx = 2.0\ny = 3.0\nz = x*y + x**2",
    (
        "import random\n"
        "from micrograd_magic import Value, nn, show\n"
        "random.seed(1)\n"
        "big = show(nn.MLP(2, [16, 16, 1])([Value(1.0, label='a'), Value(-2.0, label='b')]))\n"
        "big.open_groups = big.model_graph.group_paths()  # every scalar card, as this test needs\n"
        "big"
    ),
]

# The %%micrograd cell's graph: x, y, x*y, x**2, z (ids in topological order).
X, Y, XY, XX, Z = range(5)

_PANEL = """(root) => {
    const panel = root.querySelector('[data-panel]');
    const field = (f) => panel.querySelector(`[data-panel-field="${f}"]`);
    return {
        node: panel.dataset.panelNode ?? null,
        text: panel.textContent,
        data: field('data')?.dataset.value ?? null,
        grad: field('grad')?.dataset.value ?? null,
        stepGrad: field('step-grad')?.dataset.value ?? null,
        terms: [...panel.querySelectorAll('[data-term]')].map(t => t.dataset.termValue),
        chain: panel.querySelector('[data-chain]')?.textContent ?? null,
        chainKind: panel.querySelector('[data-chain]')?.dataset.chain ?? null,
    };
}"""


class Explained:
    """The explanation features of one graph widget on the page."""

    def __init__(self, lab: Any, cell: int) -> None:
        self.lab = lab
        self.view = lab.graph(cell)
        self.page = lab.page
        self.root = self.view.output

    def node(self, node_id: int) -> Any:
        return self.root.locator(f'svg [data-node-id="{node_id}"]')

    def button(self, action: str) -> Any:
        return self.root.locator(f'button[data-action="{action}"]')

    def panel(self) -> dict[str, Any]:
        """What the details panel shows: its node, numbers (full precision) and terms."""
        shown = self.root.evaluate(_PANEL)
        for key in ("data", "grad", "stepGrad"):
            shown[key] = None if shown[key] is None else float(shown[key])
        shown["node"] = None if shown["node"] is None else int(shown["node"])
        shown["terms"] = [float(t) for t in shown["terms"]]
        return shown

    def marked(self, attribute: str, value: str = "true") -> list[int]:
        """Ids of the nodes carrying ``attribute`` (with ``value``)."""
        return self.root.evaluate(
            '(root, [a, v]) => [...root.querySelectorAll(`svg [data-node-id][${a}="${v}"]`)]'
            ".map(n => Number(n.dataset.nodeId)).sort((p, q) => p - q)",
            [attribute, value],
        )

    def marked_edges(self, attribute: str) -> list[tuple[int, int]]:
        """(from, to) of the edges carrying ``attribute``="true"."""
        pairs = self.root.evaluate(
            '(root, a) => [...root.querySelectorAll(`path[${a}="true"]`)]'
            ".map(e => [Number(e.dataset.from), Number(e.dataset.to)])",
            attribute,
        )
        return sorted(tuple(p) for p in pairs)

    def grads(self) -> list[float]:
        """Every node's grad as drawn, by id."""
        return [n["grad"] for n in sorted(self.view.nodes(), key=lambda n: n["id"])]

    def values(self) -> dict[str, float]:
        return {name: self.view.slider_state(name)[0] for name in ("x", "y")}

    def zoom(self) -> float:
        return float(self.root.locator(".mgm-viewport").get_attribute("data-zoom"))

    def caption(self) -> str:
        return self.root.locator("[data-step-caption]").inner_text()

    def wait(self, check: Any, what: str, timeout: float = 10.0) -> None:
        self.view.wait_until(check, timeout)
        assert check(), what

    def click_background(self) -> None:
        """Click the graph's window near its bottom right corner, where no node is drawn."""
        viewport = self.root.locator(".mgm-viewport")
        box = viewport.bounding_box()
        viewport.click(position={"x": box["width"] - 6, "y": box["height"] - 6})

    def reset(self) -> None:
        """Nothing selected, normal mode."""
        if self.button("step-exit").is_visible():
            self.button("step-exit").click()
        if self.panel()["node"] is not None:
            self.click_background()
        self.wait(lambda: self.panel()["node"] is None, "the selection is cleared")


@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    """The test notebook open in JupyterLab with every cell run; page errors are collected."""
    page = new_page(lab_server)
    page.open_and_run("explain.ipynb", CELLS)
    return page


@pytest.fixture
def w(lab: Any) -> Iterator[Explained]:
    """The %%micrograd cell's widget with nothing selected, in normal mode."""
    widget = Explained(lab, MAGIC_CELL)
    widget.reset()
    yield widget
    assert lab.errors == [], lab.errors


def kernel_selected(lab: Any, expected: int | None) -> str:
    """Poll the kernel until ``w.selected`` is ``expected``; what it printed last."""
    return lab.poll_kernel("print(w.selected)", until=lambda out: out == str(expected))


def test_clicking_a_node_explains_its_grad_with_the_chain_rule(w: Explained) -> None:
    values = w.values()
    x, y = values["x"], values["y"]
    w.node(X).click()
    w.wait(lambda: w.panel()["node"] == X, "the panel explains x")
    panel = w.panel()
    assert panel["data"] == x
    assert panel["grad"] == pytest.approx(y + 2 * x, rel=1e-12)
    # one term per use of x: by x*y (grad 1 times y) and by x**2 (grad 1 times 2x)
    assert panel["terms"] == pytest.approx([2 * x, y], rel=1e-12)
    assert sum(panel["terms"]) == pytest.approx(panel["grad"], rel=1e-12)
    assert panel["chainKind"] == "sum"
    if (x, y) == (2.0, 3.0):
        assert panel["terms"] == [4.0, 3.0] and panel["grad"] == 7.0
        assert panel["chain"] == "∂z/∂x = ∂z/∂(x**2)·2·x + ∂z/∂(x*y)·y = 1·4 + 1·3 = 7"
    assert w.marked("data-selected") == [X]
    # both paths from x to the output are highlighted, and nothing else
    assert w.marked("data-path") == [X, XY, XX, Z]
    assert w.marked_edges("data-path") == [(X, XY), (X, XX), (XY, Z), (XX, Z)]
    assert kernel_selected(w.lab, X) == str(X)


def test_the_panel_follows_a_slider_on_every_input_event(w: Explained) -> None:
    w.node(X).click()
    w.wait(lambda: w.panel()["node"] == X, "the panel explains x")
    # count the panel's grad changes while the slider is dragged
    w.root.evaluate(
        """(root) => {
            window.gradChanges = 0;
            const panel = root.querySelector('[data-panel]');
            new MutationObserver((records) => {
                for (const r of records) {
                    if (r.target.dataset?.panelField === 'grad') window.gradChanges++;
                }
            }).observe(panel, {subtree: true, attributes: true, attributeFilter: ['data-value']});
        }"""
    )
    w.view.drag("x", 0.2)
    x, y = w.values()["x"], w.values()["y"]
    assert x != 2.0
    assert w.page.evaluate("window.gradChanges") >= 3, "the panel updated during the drag"
    panel = w.panel()
    assert panel["data"] == x
    assert panel["grad"] == pytest.approx(y + 2 * x, rel=1e-12, abs=1e-12)
    assert panel["terms"] == pytest.approx([2 * x, y], rel=1e-12, abs=1e-12)

    w.view.press("x", "ArrowRight", 3)
    x = w.values()["x"]
    panel = w.panel()
    assert panel["data"] == x
    assert panel["grad"] == pytest.approx(y + 2 * x, rel=1e-12, abs=1e-12)
    assert panel["terms"] == pytest.approx([2 * x, y], rel=1e-12, abs=1e-12)
    assert panel["node"] == X, "moving a slider keeps the selection"


def test_python_sets_the_selection_and_the_page_follows(w: Explained) -> None:
    w.lab.run(f"w.selected = {Z}")
    w.wait(lambda: w.panel()["node"] == Z, "the panel explains z")
    assert w.marked("data-selected") == [Z]
    panel = w.panel()
    assert panel["chainKind"] == "output" and panel["grad"] == 1.0 and panel["terms"] == []
    assert "1 by definition" in panel["chain"]
    assert w.marked("data-path") == [Z]

    w.lab.run(f"w.selected = {Y}")
    w.wait(lambda: w.panel()["node"] == Y, "the panel explains y")
    assert w.marked("data-selected") == [Y]
    assert w.panel()["terms"] == pytest.approx([w.values()["x"]], rel=1e-12)

    w.lab.run("w.selected = None")
    w.wait(lambda: w.panel()["node"] is None, "Python cleared the selection")
    assert w.marked("data-selected") == []
    assert w.marked("data-path") == []


def test_escape_and_a_background_click_clear_the_selection(w: Explained) -> None:
    w.node(XY).click()
    w.wait(lambda: w.panel()["node"] == XY, "the panel explains x*y")
    # the clicked node holds the focus, so the keyboard goes on from there
    assert w.page.evaluate("() => document.activeElement?.dataset?.nodeId") == str(XY)
    w.page.keyboard.press("Escape")
    w.wait(lambda: w.panel()["node"] is None, "Escape cleared the selection")
    assert "Click a node" in w.panel()["text"]
    assert w.marked("data-selected") == [] and w.marked("data-path") == []
    assert kernel_selected(w.lab, None) == "None"

    w.node(XX).click()
    w.wait(lambda: w.panel()["node"] == XX, "the panel explains x**2")
    w.click_background()
    w.wait(lambda: w.panel()["node"] is None, "a background click cleared the selection")
    assert kernel_selected(w.lab, None) == "None"


def test_stepping_through_backward_ends_at_the_engines_grads(w: Explained) -> None:
    values = w.values()
    graph = xyz_graph()
    data, grad = graph.evaluate({X: values["x"], Y: values["y"]})
    total = len(step_sequence(graph))
    assert total == 4  # the seed, then z, x**2 and x*y pass their grads on

    w.button("step-reset").click()
    w.wait(lambda: w.caption().startswith(f"Step 0 of {total}"), "step mode starts at 0")
    assert w.grads() == [0.0] * 5, "every grad starts at 0"
    assert w.marked("data-grad-sign", "zero") == list(range(5))
    assert w.button("step-back").get_attribute("aria-disabled") == "true"

    for k in range(1, total + 1):
        w.button("step-next").click()
        w.wait(lambda k=k: w.caption().startswith(f"Step {k} of {total}"), f"step {k}")
        assert w.grads() == pytest.approx(grads_after_step(graph, k, data), rel=1e-12, abs=1e-12)
        if k == 2:  # z passes its grad to x*y and x**2
            assert w.marked("data-step-role", "source") == [Z]
            assert w.marked("data-step-role", "target") == [XY, XX]
            assert w.marked_edges("data-step-edge") == [(XY, Z), (XX, Z)]
            assert "∂z/∂(x*y) += " in w.caption()
    assert w.grads() == pytest.approx(grad, rel=1e-12, abs=1e-12), "the full backward pass"
    assert w.button("step-next").get_attribute("aria-disabled") == "true"

    w.button("step-back").click()
    w.wait(lambda: w.caption().startswith(f"Step {total - 1} of {total}"), "one step back")
    assert w.grads() == pytest.approx(grads_after_step(graph, total - 1, data), rel=1e-12)
    w.button("step-reset").click()
    w.wait(lambda: w.caption().startswith(f"Step 0 of {total}"), "restart")
    w.button("step-run").click()
    w.wait(lambda: w.caption().startswith(f"Step {total} of {total}"), "run all")
    assert w.grads() == pytest.approx(grad, rel=1e-12, abs=1e-12)

    assert w.lab.poll_kernel("print(w.step)", until=lambda out: out == str(total)) == str(total)

    # Python drives the step-through too
    w.lab.run("w.step = 1")
    w.wait(lambda: w.caption().startswith(f"Step 1 of {total}"), "Python set step 1")
    assert w.grads() == [0.0, 0.0, 0.0, 0.0, 1.0]
    w.lab.run("w.step = None")
    w.wait(lambda: not w.root.locator("[data-step-caption]").is_visible(), "Python left step mode")
    assert w.grads() == pytest.approx(grad, rel=1e-12, abs=1e-12)

    w.button("step-reset").click()
    w.wait(lambda: w.caption().startswith(f"Step 0 of {total}"), "step mode again")
    w.button("step-exit").click()
    w.wait(lambda: not w.root.locator("[data-step-caption]").is_visible(), "step mode left")
    assert w.grads() == pytest.approx(grad, rel=1e-12, abs=1e-12)
    assert w.marked("data-step-role", "source") == []
    assert w.lab.poll_kernel("print(w.step)", until=lambda out: out == "None") == "None"


def test_a_slider_move_in_step_mode_keeps_the_step_and_recomputes_it(w: Explained) -> None:
    graph = xyz_graph()
    w.button("step-reset").click()
    w.button("step-next").click()
    w.button("step-next").click()
    w.button("step-next").click()
    w.wait(lambda: w.caption().startswith("Step 3 of 4"), "step 3")
    w.node(X).click()
    w.wait(lambda: w.panel()["node"] == X, "the panel explains x")
    w.view.press("y", "ArrowLeft", 2)
    values = w.values()
    data, grad = graph.evaluate({X: values["x"], Y: values["y"]})
    assert w.caption().startswith("Step 3 of 4")
    assert w.grads() == pytest.approx(grads_after_step(graph, 3, data), rel=1e-12, abs=1e-12)
    panel = w.panel()
    # x has its grad from x**2 so far; the panel explains the finished pass beside it
    assert panel["stepGrad"] == pytest.approx(2 * values["x"], rel=1e-12)
    assert panel["grad"] == pytest.approx(grad[X], rel=1e-12)
    assert "not final yet" in panel["text"]


def test_the_mlp_graph_zooms_fits_pans_and_explains_a_clicked_node(lab: Any) -> None:
    graph = mlp_graph()
    data, grad = graph.evaluate({})
    w = Explained(lab, MLP_CELL)
    viewport = w.root.locator(".mgm-viewport")
    viewport.scroll_into_view_if_needed()
    start = w.zoom()
    w.button("zoom-in").click()
    assert w.zoom() == pytest.approx(start * 1.25)
    scale = w.root.locator(".mgm-scene").evaluate("s => s.style.transform")
    assert scale == f"scale({w.zoom()})"
    w.button("zoom-out").click()
    assert w.zoom() == pytest.approx(start)

    # a plain wheel over the graph is the page's; Ctrl + wheel zooms about the pointer
    box = viewport.bounding_box()
    w.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scroll = viewport.evaluate("v => [v.scrollLeft, v.scrollTop]")
    zoom = w.zoom()
    w.page.mouse.wheel(0, 200)
    assert w.zoom() == zoom
    assert viewport.evaluate("v => [v.scrollLeft, v.scrollTop]") == scroll
    viewport.scroll_into_view_if_needed()
    box = viewport.bounding_box()
    w.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    w.page.keyboard.down("Control")
    w.page.mouse.wheel(0, -100)
    w.page.keyboard.up("Control")
    w.wait(lambda: w.zoom() > start, "Ctrl + wheel zoomed in")

    w.button("zoom-fit").click()
    fitted = viewport.evaluate(
        "v => { const f = v.querySelector('.mgm-frame').getBoundingClientRect();"
        " const r = v.getBoundingClientRect();"
        " return [f.width, f.height, v.clientWidth, v.clientHeight, v.scrollLeft, v.scrollTop,"
        " f.left - r.left, f.top - r.top]; }"
    )
    width, height, client_width, client_height, left, top, *_ = fitted
    assert width <= client_width + 1 and height <= client_height + 1, fitted
    assert (left, top) == (0, 0)
    assert w.zoom() < 0.1  # 13,000 pixels tall into about 640

    # zoom back in, bring the output into view, and drag to pan
    fit = w.zoom()
    while w.zoom() < 0.7:
        w.button("zoom-in").click()
    assert w.zoom() == pytest.approx(fit * 1.25 ** round(math.log(w.zoom() / fit, 1.25)))
    out = w.node(graph.output)
    out.scroll_into_view_if_needed()
    # the whole window on screen (the panel below the graph above can push it down), so that
    # the drag below starts inside the browser's window
    viewport.scroll_into_view_if_needed()
    before = viewport.evaluate("v => [v.scrollLeft, v.scrollTop]")
    box = viewport.bounding_box()
    w.page.mouse.move(box["x"] + 30, box["y"] + box["height"] - 30)
    w.page.mouse.down()
    w.page.mouse.move(box["x"] + 130, box["y"] + box["height"] - 80, steps=5)
    w.page.mouse.up()
    after = viewport.evaluate("v => [v.scrollLeft, v.scrollTop]")
    assert after[0] == pytest.approx(max(0, before[0] - 100), abs=2)
    assert after[1] == pytest.approx(before[1] + 50, abs=2)  # dragged up: the view goes down
    assert w.panel()["node"] is None, "a drag is no click"

    out.click()
    w.wait(lambda: w.panel()["node"] == graph.output, "the panel explains the output")
    assert w.panel()["data"] == pytest.approx(data[graph.output], rel=1e-12)
    assert w.panel()["chainKind"] == "output"
    a_id = graph.labelled_leaves()["a"]
    node = w.node(a_id)
    node.scroll_into_view_if_needed()
    node.click()
    w.wait(lambda: w.panel()["node"] == a_id, "the panel explains input a")
    panel = w.panel()
    assert len(panel["terms"]) == 16  # a feeds every neuron of the first layer
    assert panel["grad"] == pytest.approx(grad[a_id], rel=1e-12, abs=1e-12)
    assert sum(panel["terms"]) == pytest.approx(panel["grad"], rel=1e-9, abs=1e-12)
    assert len(w.marked("data-path")) > 100
    assert lab.errors == [], lab.errors


def test_the_keyboard_reaches_and_selects_nodes(w: Explained) -> None:
    def active() -> int:
        return int(w.page.evaluate("() => document.activeElement.dataset.nodeId"))

    stops = w.root.locator('svg [data-node-id][tabindex="0"]')
    assert stops.count() == 1, "the graph is one tab stop"
    assert all(
        b.get_attribute("data-lm-suppress-shortcuts") == "true"
        for b in w.root.locator("button").all()
    )
    # Tab from the last toolbar button lands on the graph's tab stop (the output at first, then
    # the node last focused); End goes to the last node in layout order, the output
    stop = stops.get_attribute("data-node-id")
    w.root.locator(".mgm-toolbar button").last.focus()
    w.page.keyboard.press("Tab")
    focused = w.page.evaluate("() => document.activeElement?.dataset?.nodeId ?? null")
    assert focused == stop
    w.page.keyboard.press("End")
    assert w.page.evaluate("() => document.activeElement.dataset.nodeId") == str(Z)
    w.page.keyboard.press("ArrowLeft")  # to the column of x*y and x**2
    assert active() in (XY, XX)
    # Up and Down follow the drawing, whichever of the two the layout puts on top
    top, bottom = sorted((XY, XX), key=lambda i: w.node(i).bounding_box()["y"])
    w.page.keyboard.press("ArrowUp")
    assert active() == top
    w.page.keyboard.press("ArrowUp")
    assert active() == top, "the top of the column"
    w.page.keyboard.press("ArrowDown")
    assert active() == bottom
    w.page.keyboard.press("ArrowLeft")  # to the leaves
    leaf = active()
    assert leaf in (X, Y)
    label = w.node(leaf).get_attribute("aria-label")
    assert label.startswith(("x: input", "y: input")) and ", grad " in label
    w.page.keyboard.press("Enter")
    w.wait(lambda: w.panel()["node"] == leaf, "Enter selected the focused node")
    assert w.marked("data-selected") == [leaf]
    assert kernel_selected(w.lab, leaf) == str(leaf)
    w.node(leaf).focus()
    w.page.keyboard.press("Escape")
    w.wait(lambda: w.panel()["node"] is None, "Escape cleared it")
    assert kernel_selected(w.lab, None) == "None"
    assert stops.count() == 1 and stops.get_attribute("data-node-id") == str(leaf)


# -- without a kernel ------------------------------------------------------------------------
# A host page like MyST's anywidget renderer, whose model cannot save ("save_changes not
# implemented"): everything must keep working as front-end state.
THROWING_HOST = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div id="host"></div>
<script type="application/json" id="bundle">__BUNDLE__</script>
<script type="module">
const state = __STATE__;
const handlers = {};
const model = {
  get: (k) => state[k],
  set(k, v) { state[k] = v; for (const f of handlers["change:" + k] || []) f(); },
  on: (e, f) => (handlers[e] ||= []).push(f),
  off() {},
  save_changes() { throw new Error("save_changes not implemented"); },
  send() {},
};
window.modelState = state;
const source = JSON.parse(document.getElementById("bundle").textContent);
const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
(await import(url)).default.render({ model, el: document.getElementById("host") });
document.documentElement.dataset.ready = "true";
</script></body></html>"""


def offline_page(browser: Any, path: Any) -> tuple[Any, list[str]]:
    """A page opened from file:// with every other request refused; the page's errors."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(("file:", "blob:")) else r.abort(),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, errors


def panel_terms(page: Any) -> list[float]:
    """The values of the chain-rule terms the panel of ``page`` shows."""
    return [
        float(t)
        for t in page.eval_on_selector_all("[data-term]", "ts => ts.map(t => t.dataset.termValue)")
    ]


def test_the_exported_page_explains_and_steps_offline(browser: Any, tmp_path: Any) -> None:
    path = write_page(show(xyz()), tmp_path / "xyz.html")
    page, errors = offline_page(browser, path)
    try:
        page.wait_for_selector("html[data-mgm-ready]", state="attached")
        page.locator(f'[data-node-id="{X}"]').click()
        page.wait_for_selector(f'[data-panel-node="{X}"]')
        assert panel_terms(page) == [4.0, 3.0]
        page.click('button[data-action="step-reset"]')
        page.click('button[data-action="step-run"]')
        page.wait_for_selector("text=Step 4 of 4")
        grads = page.eval_on_selector_all(
            "svg [data-node-id]",
            "ns => ns.map(n => [Number(n.dataset.nodeId),"
            " Number(n.querySelector('[data-field=grad]').dataset.value)])",
        )
        assert [g for _, g in sorted(grads)] == list(xyz_graph().evaluate({})[1])
        page.keyboard.press("Escape")
        page.wait_for_selector("[data-panel]:not([data-panel-node])", state="attached")
        assert errors == []
    finally:
        page.context.close()


def test_a_host_that_cannot_save_still_selects_and_steps(browser: Any, tmp_path: Any) -> None:
    html = THROWING_HOST.replace("__STATE__", json.dumps(widget_state(show(xyz())))).replace(
        "__BUNDLE__", json.dumps(bundle_source()).replace("<", "\\u003c")
    )
    path = tmp_path / "host.html"
    path.write_text(html, encoding="utf-8")
    page, errors = offline_page(browser, path)
    try:
        page.wait_for_selector("html[data-ready]", state="attached")
        page.locator(f'[data-node-id="{Y}"]').click()
        page.wait_for_selector(f'[data-panel-node="{Y}"]')
        assert panel_terms(page) == [2.0]
        page.click('button[data-action="step-reset"]')
        page.click('button[data-action="step-next"]')
        page.wait_for_selector("text=Step 1 of 4")
        page.locator('input[data-input="x"]').focus()
        page.keyboard.press("ArrowRight")  # a drag's sync also saves: refused, and no harm done
        page.wait_for_timeout(400)
        assert page.evaluate("() => [window.modelState.selected, window.modelState.step]") == [Y, 1]
        assert panel_terms(page) == [2.05]
        assert errors == []
    finally:
        page.context.close()
