"""The first view an instructor gets (issue 16, points 5 and 6), in headless Chromium: the graph
fits its width at 420, 900 and 1400 px and again when the window resizes, never below a
readable zoom (it scrolls instead), with the selection (else the output) in view; the details
panel sits below the graph and costs it no width; "Large text" is one button (or
``show(..., text="large")``) away. Exported pages, and the tour's neuron in JupyterLab.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PAGE_TIMEOUT_MS, REPO

from micrograd_magic import Value, compile, nn, show
from micrograd_magic.export import write_page
from micrograd_magic.state import WidgetState

pytestmark = pytest.mark.browser

NEURON = (REPO / "examples" / "neuron.mg").read_text(encoding="utf-8")
READABLE = 0.7  # js/view/viewport.js ZOOM.initialMin
LARGE = 1.5  # js/features/textsize.js TEXT_LARGE

# What the first widget of a page shows: its zoom, the window's and the drawing's size, where
# the panel is, and whether a node's card is inside the window.
MEASURE = """([root, id]) => {
  const v = root.querySelector('.mgm-viewport');
  const zoom = Number(v.getAttribute('data-zoom'));
  const win = v.getBoundingClientRect();
  const frame = v.querySelector('.mgm-frame').getBoundingClientRect();
  const card = root.querySelector(`[data-node-id="${id}"]`).getBoundingClientRect();
  const side = root.querySelector('.mgm-side').getBoundingClientRect();
  const body = root.querySelector('.mgm-body').getBoundingClientRect();
  const inside = card.left >= win.left - 1 && card.right <= win.right + 1
    && card.top >= win.top - 1 && card.bottom <= win.bottom + 1;
  const text = root.querySelector(`[data-node-id="${id}"] .mgm-value`);
  const px = parseFloat(getComputedStyle(text).fontSize) * zoom;
  return {zoom, clientWidth: v.clientWidth, natural: frame.width / zoom, inside,
          viewportWidth: win.width, bodyWidth: body.width, panelTop: side.top,
          viewportBottom: win.bottom, cardPx: px, text: root.getAttribute('data-text'),
          uiPx: parseFloat(getComputedStyle(root).fontSize)};
}"""


def width_fit(natural: float, width: float, text_scale: float = 1.0) -> float:
    """The zoom the first view must have: natural size if it fits, else the width's, >= 70%."""
    return text_scale * max(READABLE, min(1.0, width / natural / text_scale))


def neuron_state() -> WidgetState:
    c = compile(NEURON)
    return WidgetState(c.root, c.inputs, c.extra)


def node_id(state: WidgetState, label: str) -> int:
    return state.node_id(label)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    """Each page with the node its first view must keep in view."""
    folder = tmp_path_factory.mktemp("lecture")
    neuron = neuron_state()
    out = {"neuron": (write_page(neuron, folder / "neuron.html"), neuron.model_graph.output)}
    selected = neuron_state()
    x1 = node_id(selected, "x1")
    selected.set("selected", x1)  # far left: a view of the output alone would cut it off
    out["selected"] = (write_page(selected, folder / "selected.html"), x1)
    random.seed(0)
    mlp = show(nn.MLP(2, [4, 1])([Value(1.0, label="a"), Value(-2.0, label="b")]))
    mlp.open_groups = mlp.model_graph.group_paths()  # the scalar graph, as drawn before groups
    out["mlp"] = (write_page(mlp, folder / "mlp.html"), mlp.model_graph.output)
    return out


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


class Page:
    """A browser page with the exported page open, and the script errors it raised."""

    def __init__(self, context: Any, path: Path, width: int) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-mgm-ready]", state="attached")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


def open_page(context: Any, path: Path, width: int) -> Any:
    return Page(context, path, width)


def measure(page: Any, node: int) -> dict[str, Any]:
    root = page.locator(".mgm-root").first
    return root.evaluate(MEASURE.replace("([root, id])", "(root)").replace("${id}", str(node)))


def wait_for_zoom(page: Any, node: int, want: float) -> dict[str, Any]:
    """Measure once the zoom has settled at ``want`` (a ResizeObserver runs after layout)."""
    page.wait_for_function(
        f"() => Math.abs(Number(document.querySelector('.mgm-viewport')"
        f".getAttribute('data-zoom')) - {want}) < 1e-9",
        polling=50,
        timeout=10_000,
    )
    return measure(page, node)


@pytest.mark.parametrize("width", [420, 900, 1400])
@pytest.mark.parametrize("name", ["neuron", "selected", "mlp"])
def test_the_first_view_fits_the_width_and_shows_what_matters(
    context: Any, pages: dict[str, tuple[Path, int]], name: str, width: int
) -> None:
    path, node = pages[name]
    page = open_page(context, path, width)
    first = measure(page, node)
    want = width_fit(first["natural"], first["clientWidth"])
    m = wait_for_zoom(page, node, want)
    assert m["zoom"] >= READABLE
    assert m["inside"], f"node {node} is not in view: {m}"
    if name != "mlp" and width == 1400:
        assert m["zoom"] == 1.0  # the tour's neuron at a projector's width: 100%
    # the panel is below the graph, which keeps the whole width
    assert m["panelTop"] >= m["viewportBottom"] - 1
    assert m["viewportWidth"] >= m["bodyWidth"] - 1
    assert page.errors == []


def test_a_resize_refits_keeping_the_selection_in_view_until_the_user_zooms(
    context: Any, pages: dict[str, tuple[Path, int]]
) -> None:
    path, x1 = pages["selected"]
    page = open_page(context, path, 1400)
    natural = measure(page, x1)["natural"]
    assert wait_for_zoom(page, x1, width_fit(natural, measure(page, x1)["clientWidth"]))["zoom"]
    for width in (420, 900, 1400, 420):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(
            f"() => document.querySelector('.mgm-viewport').clientWidth < {width}", polling=50
        )
        m = wait_for_zoom(page, x1, width_fit(natural, measure(page, x1)["clientWidth"]))
        assert m["inside"], (width, m)
    page.locator('button[data-action="zoom-in"]').click()
    chosen = measure(page, x1)["zoom"]
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_function(
        "() => document.querySelector('.mgm-viewport').clientWidth > 900", polling=50
    )
    page.wait_for_timeout(200)  # room for a refit that must not come
    assert measure(page, x1)["zoom"] == chosen  # the user's zoom stays
    assert page.errors == []


def test_large_text_is_one_button_away(context: Any, pages: dict[str, tuple[Path, int]]) -> None:
    path, node = pages["neuron"]
    page = open_page(context, path, 1400)
    normal = wait_for_zoom(page, node, 1.0)
    page.locator('button[data-action="text-large"]').click()
    large = wait_for_zoom(page, node, width_fit(normal["natural"], normal["clientWidth"], LARGE))
    # the neuron at 1400 px: 1.5 times would be wider than the window, so it fills the width
    assert large["text"] == "large" and large["zoom"] == pytest.approx(
        min(LARGE, large["clientWidth"] / large["natural"])
    )
    assert large["zoom"] > 1.3 * normal["zoom"]
    assert large["cardPx"] == pytest.approx(large["zoom"] * normal["cardPx"])
    assert large["uiPx"] > normal["uiPx"] + 4  # sliders, buttons and panel grow too
    assert large["inside"]
    page.locator('button[data-action="text-large"]').click()
    assert wait_for_zoom(page, node, 1.0)["text"] == "normal"
    assert page.errors == []


def test_a_page_written_with_large_text_opens_large(context: Any, tmp_path: Path) -> None:
    c = compile(NEURON)
    state = WidgetState(c.root, c.inputs, c.extra, text="large")
    path = write_page(state, tmp_path / "large.html")
    page = open_page(context, path, 1400)
    first = measure(page, state.model_graph.output)
    want = width_fit(first["natural"], first["clientWidth"], LARGE)
    m = wait_for_zoom(page, state.model_graph.output, want)
    assert m["text"] == "large" and m["zoom"] > 1.3
    assert page.locator('button[data-action="text-large"]').get_attribute("aria-pressed") == "true"


# -- JupyterLab: the tour's neuron in a 900-px window, then a wider one ---------------------------
@pytest.fixture(scope="module")
def lab(lab_server: Any, new_page: Any) -> Any:
    page = new_page(lab_server)
    page.page.set_viewport_size({"width": 900, "height": 1000})
    page.open_and_run("lecture.ipynb", ["%load_ext micrograd_magic", "%%micrograd\n" + NEURON])
    return page


def test_jupyterlab_fits_the_neuron_to_the_notebook_column(lab: Any) -> None:
    view = lab.graph(1)
    output = view.output.locator(".mgm-root")
    out_id = next(n["id"] for n in view.nodes() if n["output"])

    def measured() -> dict[str, Any]:
        js = MEASURE.replace("([root, id])", "(root)").replace("${id}", str(out_id))
        return output.evaluate(js)

    def settled() -> dict[str, Any]:
        view.wait_until(
            lambda: (
                abs(measured()["zoom"] - width_fit(m0["natural"], measured()["clientWidth"])) < 1e-9
            )
        )
        return measured()

    output.scroll_into_view_if_needed()
    m0 = measured()
    m = settled()
    assert m["zoom"] == pytest.approx(width_fit(m["natural"], m["clientWidth"]), abs=1e-9)
    assert m["zoom"] >= READABLE and m["inside"], m
    lab.page.set_viewport_size({"width": 1400, "height": 1000})
    view.wait_until(lambda: measured()["clientWidth"] > m["clientWidth"])
    wide = settled()
    assert wide["zoom"] == pytest.approx(width_fit(wide["natural"], wide["clientWidth"]), abs=1e-9)
    assert wide["zoom"] >= m["zoom"] and wide["inside"]
    assert lab.errors == []
