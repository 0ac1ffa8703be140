"""The exported standalone page in headless Chromium, offline: opened from ``file://`` with every
request that is not ``file:`` or ``blob:`` aborted (and none attempted), driven by mouse and
keyboard, checked number by number against the Python graph; inside an ``<iframe>``; two widgets
on one page; the page the command line writes; and, in JupyterLab, the live widget winning over
the static picture that rides along in the same output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import READ_NODES, REPO, GraphView, xyz, xyz_graph

from micrograd_magic import Value, compile, show
from micrograd_magic.export import write_page
from micrograd_magic.graph import Graph
from micrograd_magic.widget import GraphWidget

pytestmark = pytest.mark.browser

HEIGHT_MESSAGE = "micrograd-magic:height"
XSS_LABEL = "<script>alert(1)</script>"
XSS_IMG_LABEL = '<img src="x" onerror="alert(2)">'
XSS_TITLE = "<script>alert(3)</script> & friends"


def xyz_widget(x: float = 2.0, y: float = 3.0) -> GraphWidget:
    """The widget of z = x*y + x**2, with a slider for x and one for y."""
    return show(xyz(x, y))


# -- pages -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every page the tests open, written once: by save_html, write_page and the command line."""
    folder = tmp_path_factory.mktemp("pages")
    xyz = xyz_widget().save_html(folder / "xyz.html", title="z = x*y + x**2")

    a = Value(1.5, label=XSS_LABEL)
    b = Value(-0.5, label=XSS_IMG_LABEL)
    hostile = write_page(show(a * b + a), folder / "hostile.html", title=XSS_TITLE)

    two = write_page([xyz_widget(2.0, 3.0), xyz_widget(-1.0, 0.5)], folder / "two.html")

    parent = folder / "parent.html"
    parent.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>course</title></head><body>\n"
        "<p>A lesson page that embeds the exported graph.</p>\n"
        '<iframe id="lesson" src="xyz.html" style="width: 100%; border: 0"></iframe>\n'
        "<script>\n"
        "window.heights = [];\n"
        "const frame = document.getElementById('lesson');\n"
        "window.addEventListener('message', (event) => {\n"
        f"  if (event.source !== frame.contentWindow || event.data?.type !== '{HEIGHT_MESSAGE}')\n"
        "    return;\n"
        "  window.heights.push(event.data.height);\n"
        "  frame.style.height = `${event.data.height}px`;\n"
        "});\n"
        "</script>\n</body></html>\n",
        encoding="utf-8",
    )

    neuron = folder / "neuron.html"
    result = subprocess.run(
        [sys.executable, "-m", "micrograd_magic", "render", "examples/neuron.mg", "--html", neuron],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {"xyz": xyz, "hostile": hostile, "two": two, "parent": parent, "neuron": neuron}


# -- an offline browser page -------------------------------------------------------------------
class OfflinePage:
    """A browser page that may load only ``file:`` and ``blob:`` URLs, recording what happens."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.page = context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        context.route("**/*", self._route)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("console", self._console)
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        # Routing sees file: and network requests; the page's blob: import of the bundle is not
        # reported at all while routing is on, so it cannot be listed here.
        url = route.request.url
        if url.startswith(("file:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> None:
        """Load the page and wait until every widget on it is drawn."""
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-mgm-ready]", state="attached")

    def graph(self, index: int = 0, frame: Any = None) -> PageGraph:
        """Widget number ``index`` of the page (or of ``frame``, a frame locator)."""
        root = frame if frame is not None else self.page
        return PageGraph(self.page, root.locator(f'[data-mgm-widget="mgm-state-{index}"]'))

    def assert_clean(self) -> None:
        """Nothing but file: and blob: URLs was requested, and no error or dialog happened."""
        assert self.blocked == []
        assert self.requests, "the page made no request at all: was it opened?"
        assert all(url.startswith(("file:", "blob:")) for url in self.requests), self.requests
        assert self.errors == []
        assert self.dialogs == []


class PageGraph(GraphView):
    """GraphView for a graph in an exported page: nodes are found wherever the widget puts them."""

    def nodes(self) -> list[dict[str, Any]]:
        nodes = self.output.evaluate(READ_NODES)
        for n in nodes:
            for key in ("data", "grad"):
                n[key] = None if n[key] is None else float(n[key])
        return nodes

    def assert_shows(self, graph: Graph, inputs: dict[str, float]) -> None:
        """Every node's data and grad equal the Python graph's at these slider values."""
        leaves = graph.labelled_leaves()
        data, grad = graph.evaluate({leaves[name]: value for name, value in inputs.items()})
        drawn = sorted(self.nodes(), key=lambda n: n["id"])
        assert [n["id"] for n in drawn] == list(range(len(graph.nodes)))
        for n in drawn:
            assert n["data"] == pytest.approx(data[n["id"]], rel=1e-12, abs=1e-12), n
            assert n["grad"] == pytest.approx(grad[n["id"]], rel=1e-12, abs=1e-12), n

    def values(self, *names: str) -> dict[str, float]:
        """The sliders' current values, by name."""
        return {name: self.slider_state(name)[0] for name in names}


# -- the tests ---------------------------------------------------------------------------------
def test_the_offline_guard_catches_network_requests(
    offline: OfflinePage, pages: dict[str, Path]
) -> None:
    # The check every other test ends with can fail: a request leaving the machine is caught.
    offline.open(pages["xyz"])
    failed = offline.page.evaluate(
        "fetch('https://cdn.example.invalid/x.js').then(() => false, () => true)"
    )
    assert failed
    assert offline.blocked == ["https://cdn.example.invalid/x.js"]
    offline.blocked.clear()
    offline.errors.clear()  # Chromium logs the aborted fetch as a console error
    offline.requests.remove("https://cdn.example.invalid/x.js")
    offline.assert_clean()


def test_the_page_draws_the_graph_offline(offline: OfflinePage, pages: dict[str, Path]) -> None:
    offline.open(pages["xyz"])
    view = offline.graph()
    view.assert_shows(xyz_graph(), {"x": 2.0, "y": 3.0})
    nodes = view.by_label()
    assert (nodes["z"]["dataText"], nodes["x"]["gradText"], nodes["y"]["gradText"]) == (
        "10",
        "7",
        "2",
    )
    assert [n["label"] for n in view.nodes() if n["output"]] == ["z"]
    assert view.slider_state("x") == (2.0, -5.0, 5.0, 0.05)
    assert offline.page.title() == "z = x*y + x**2"
    offline.assert_clean()


def test_mouse_and_keyboard_move_the_numbers(offline: OfflinePage, pages: dict[str, Path]) -> None:
    offline.open(pages["xyz"])
    view = offline.graph()
    graph = xyz_graph()

    view.drag("x", 0.25)
    moved = view.values("x", "y")
    assert moved["x"] != 2.0
    assert moved["x"] == pytest.approx(-2.5, abs=0.5)  # a quarter along [-5, 5], give or take
    assert moved["y"] == 3.0
    view.assert_shows(graph, moved)
    assert view.by_label()["x"]["grad"] == pytest.approx(3.0 + 2 * moved["x"], rel=1e-12)

    view.press("x", "ArrowRight", 3)
    view.press("y", "ArrowLeft", 2)
    stepped = view.values("x", "y")
    assert stepped["x"] == pytest.approx(moved["x"] + 3 * 0.05, abs=1e-9)
    assert stepped["y"] == pytest.approx(3.0 - 2 * 0.1, abs=1e-9)
    view.assert_shows(graph, stepped)
    z = view.by_label()["z"]
    assert z["data"] == pytest.approx(
        stepped["x"] * stepped["y"] + stepped["x"] ** 2, rel=1e-12, abs=1e-12
    )
    offline.assert_clean()


_LABEL_TEXT = """(label) => {
    const nodes = [...document.querySelectorAll('[data-node-id]')]
        .filter(n => n.getAttribute('data-label') === label);
    const slider = [...document.querySelectorAll('input[type="range"]')]
        .find(s => s.getAttribute('data-input') === label);
    return {
        nodes: nodes.length,
        nodeText: nodes[0]?.textContent ?? '',
        sliderRow: slider?.parentElement?.textContent ?? '',
        sliderName: slider?.getAttribute('aria-label') ?? null,
    };
}"""


def test_labels_and_title_are_shown_as_text(offline: OfflinePage, pages: dict[str, Path]) -> None:
    offline.open(pages["hostile"])
    page = offline.page
    assert page.title() == XSS_TITLE
    assert page.locator("h1").text_content() == XSS_TITLE
    for label in (XSS_LABEL, XSS_IMG_LABEL):
        shown = page.evaluate(_LABEL_TEXT, label)
        assert shown["nodes"] == 1
        # A long label may be cut short on its node ("<script>alert(1)</scrip…"), never parsed.
        assert shown["nodeText"].count(label[:12]) >= 1
        assert label in shown["sliderRow"]
        assert shown["sliderName"] == label
    # Nothing from a label became an element: only the page's own scripts (the widget's state,
    # the bundle, the loader), and no image.
    assert page.evaluate("document.scripts.length") == 3
    assert page.locator(".mgm-export img").count() == 0
    page.wait_for_timeout(300)  # time for an injected handler to fire, if there were one
    offline.assert_clean()  # includes: no dialog


def test_two_widgets_on_one_page_move_independently(
    offline: OfflinePage, pages: dict[str, Path]
) -> None:
    offline.open(pages["two"])
    first, second = offline.graph(0), offline.graph(1)
    g1, g2 = xyz_graph(2.0, 3.0), xyz_graph(-1.0, 0.5)
    first.assert_shows(g1, {"x": 2.0, "y": 3.0})
    second.assert_shows(g2, {"x": -1.0, "y": 0.5})

    first.drag("x", 0.75)
    moved = first.values("x", "y")
    assert moved["x"] != 2.0
    first.assert_shows(g1, moved)
    second.assert_shows(g2, {"x": -1.0, "y": 0.5})
    assert second.values("x", "y") == {"x": -1.0, "y": 0.5}

    second.press("y", "ArrowRight", 5)
    assert second.values("x", "y")["y"] == pytest.approx(0.5 + 5 * 0.05, abs=1e-9)
    second.assert_shows(g2, second.values("x", "y"))
    first.assert_shows(g1, moved)
    assert len(offline.page.locator("[data-mgm-widget]").all()) == 2
    offline.assert_clean()


def test_the_page_works_inside_an_iframe_and_reports_its_height(
    offline: OfflinePage, pages: dict[str, Path]
) -> None:
    page = offline.page
    page.goto(pages["parent"].as_uri())
    frame = page.frame_locator("#lesson")
    frame.locator("html[data-mgm-ready]").wait_for(state="attached")
    view = offline.graph(frame=frame)
    view.assert_shows(xyz_graph(), {"x": 2.0, "y": 3.0})

    body = frame.locator("body")
    measure = "b => Math.ceil(b.getBoundingClientRect().height)"
    # The page reports again whenever its body resizes (the graph scales to fit once drawn).
    view.wait_until(lambda: page.evaluate("window.heights.at(-1)") == body.evaluate(measure))
    body_height = body.evaluate(measure)
    assert page.evaluate("window.heights.at(-1)") == body_height > 200  # a graph, not a blank
    # The parent sized the frame from the message: the whole graph is visible, nothing scrolls.
    frame_box = page.locator("#lesson").bounding_box()
    assert frame_box["height"] == pytest.approx(body_height, abs=1)
    assert frame.locator("html").evaluate("h => h.scrollHeight <= h.clientHeight")

    view.drag("y", 0.9)
    moved = view.values("x", "y")
    assert moved["y"] != 3.0
    view.assert_shows(xyz_graph(), moved)
    offline.assert_clean()


def test_the_page_the_command_line_writes(offline: OfflinePage, pages: dict[str, Path]) -> None:
    source = (REPO / "examples" / "neuron.mg").read_text(encoding="utf-8")
    computation = compile(source)
    graph = computation.graph()
    start = {spec.name: spec.value for spec in computation.inputs}
    assert list(start) == ["x1", "x2", "w1", "w2", "b"]

    offline.open(pages["neuron"])
    assert offline.page.title() == "neuron"
    view = offline.graph()
    view.assert_shows(graph, start)
    assert view.by_label()["w2"]["grad"] == 0.0  # x2 is 0, so w2 learns nothing

    view.drag("x2", 0.75)  # [-2, 2] three quarters along: about 1
    view.press("w1", "ArrowRight", 4)
    now = view.values(*start)
    assert now["x2"] == pytest.approx(1.0, abs=0.3) and now["x2"] != 0.0
    assert now["w1"] == pytest.approx(-3.0 + 4 * 0.1, abs=1e-9)
    view.assert_shows(graph, now)
    nodes = view.by_label()
    n = now["x1"] * now["w1"] + now["x2"] * now["w2"] + now["b"]
    slope = 1 - nodes["o"]["data"] ** 2
    assert nodes["n"]["data"] == pytest.approx(n, rel=1e-12, abs=1e-12)
    assert nodes["w2"]["grad"] == pytest.approx(now["x2"] * slope, rel=1e-12, abs=1e-12)
    offline.assert_clean()


# Written against js/view/panel.js's documented hooks; it runs once the widget shows the panel.
PANEL_IN_BUNDLE = "data-panel" in (REPO / "micrograd_magic" / "static" / "widget.js").read_text(
    encoding="utf-8"
)


@pytest.mark.skipif(not PANEL_IN_BUNDLE, reason="the widget has no details panel yet")
def test_clicking_a_node_opens_its_details_in_the_page(
    offline: OfflinePage, pages: dict[str, Path]
) -> None:
    offline.open(pages["xyz"])
    view = offline.graph()
    x_id = xyz_graph().labelled_leaves()["x"]
    view.output.locator(f'[data-node-id="{x_id}"]').first.click()
    panel = view.output.locator(f'[data-panel][data-panel-node="{x_id}"]')
    panel.wait_for(state="visible")

    def field(name: str) -> float:
        return float(panel.locator(f'[data-panel-field="{name}"]').get_attribute("data-value"))

    def terms() -> list[float]:
        return sorted(
            float(t.get_attribute("data-term-value")) for t in panel.locator("[data-term]").all()
        )

    # z = x*y + x**2 at x = 2, y = 3: x's grad 7 is y (through x*y) plus 2x (through x**2).
    assert (field("data"), field("grad")) == (2.0, 7.0)
    assert terms() == pytest.approx([3.0, 4.0], rel=1e-12)

    view.press("y", "ArrowRight", 10)  # y = 4: the open panel follows the slider
    view.wait_until(lambda: field("grad") == pytest.approx(8.0, rel=1e-12))
    assert field("grad") == pytest.approx(8.0, rel=1e-12)
    assert terms() == pytest.approx([4.0, 4.0], rel=1e-12)
    offline.assert_clean()


# -- JupyterLab: the same output carries the live view and the static picture -----------------
_CELL_OUTPUTS = """(index) => window.jupyterapp.shell.currentWidget.content.widgets[index]
    .model.outputs.toJSON()"""


def test_jupyterlab_shows_the_live_widget_not_the_static_picture(
    lab_server: Any, new_page: Any
) -> None:
    lab = new_page(lab_server)
    cells = [
        "from micrograd_magic import Value, show\n"
        "x = Value(2.0, label='x')\n"
        "y = Value(3.0, label='y')\n"
        "z = x * y + x**2\n"
        "z.label = 'z'\n"
        "show(z)"
    ]
    lab.open_and_run("picture.ipynb", cells)
    (output,) = lab.page.evaluate(_CELL_OUTPUTS, 0)
    data = output["data"]
    assert "application/vnd.jupyter.widget-view+json" in data
    assert ">data 10<" in data["image/svg+xml"] and ">grad 7<" in data["image/svg+xml"]
    assert data["text/plain"].startswith("<GraphWidget z = 10")

    area = lab.page.locator(".jp-Notebook .jp-Cell").nth(0).locator(".jp-OutputArea")
    area.locator("[data-node-id]").first.wait_for(state="attached")
    view = PageGraph(lab.page, area)
    view.assert_shows(xyz_graph(), {"x": 2.0, "y": 3.0})
    assert area.locator('input[type="range"]').count() == 2
    # One rendering only: the widget, not Graphviz's picture beside or instead of it.
    assert area.locator(".jp-RenderedSVG, svg g.graph").count() == 0
    assert area.locator(".jp-OutputArea-output").count() == 1
