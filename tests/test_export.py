"""Export without a browser: the standalone page's content, the MyST directive, and the static
picture that rides along in a widget's display data (see tests/e2e/test_export_page.py for the
page in Chromium)."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from nbconvert import HTMLExporter

from micrograd_magic import Value, show
from micrograd_magic.bundle import host_source
from micrograd_magic.export import (
    DEFAULT_ESM_NAME,
    _inline_script,
    bundle_source,
    myst_directive,
    page_html,
    widget_state,
    write_myst_assets,
    write_page,
)
from micrograd_magic.graph import Graph
from micrograd_magic.picture import DOT_MISSING, _report_missing_dot, display_svg, dot_available
from micrograd_magic.widget import GraphWidget

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "micrograd_magic" / "static" / "widget.js"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="the JS bundle is not built")
needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")


def xyz_widget(x: float = 2.0, y: float = 3.0, label: str = "z") -> GraphWidget:
    xv, yv = Value(x, label="x"), Value(y, label="y")
    z = xv * yv + xv**2
    z.label = label
    return show(z)


class Page(HTMLParser):
    """A parsed page: every start tag with its attributes, and each script's text by id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self._open: str | None = None
        self._script_id: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag
        if tag == "script":
            self._script_id = dict(attrs).get("id") or f"anonymous-{len(self.scripts)}"
            self.scripts[self._script_id] = ""

    def handle_endtag(self, tag: str) -> None:
        self._open = None
        if tag == "script":
            self._script_id = None

    def handle_data(self, data: str) -> None:
        if self._script_id is not None:
            self.scripts[self._script_id] += data
        elif self._open in ("title", "h1"):
            self.texts[self._open] = self.texts.get(self._open, "") + data

    def state(self, index: int) -> Any:
        return json.loads(self.scripts[f"mgm-state-{index}"])


# -- the standalone page ---------------------------------------------------------------------
def test_the_page_is_one_file_that_fetches_nothing() -> None:
    text = page_html(xyz_widget())
    page = Page(text)
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert not any(tag in ("link", "iframe", "img") for tag, _ in page.tags)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"""import\s*\(?\s*["']https?:""", text)
    assert "cdn" not in text.lower()
    # The bundle is inlined whole, as JSON text the host turns into a blob: module; the host
    # (js/host/host.js, built) is the page's one module script.
    assert json.loads(page.scripts["mgm-bundle"]) == bundle_source()
    assert ("script", {"type": "module", "id": "mgm-host"}) in page.tags
    assert page.scripts["mgm-host"] == _inline_script(host_source())
    assert "URL.createObjectURL" in host_source()


def test_inlined_javascript_cannot_end_its_script_element() -> None:
    source = 'a = "</script><!-- </SCRIPT>"; b = x </ y'
    inlined = _inline_script(source)
    assert "</script" not in inlined.lower() and "<!--" not in inlined
    assert inlined == 'a = "<\\/script><\\!-- <\\/SCRIPT>"; b = x </ y'


def test_the_page_holds_the_widget_state() -> None:
    w = xyz_widget()
    w.set_input("x", 1.5)
    page = Page(page_html(w))
    state = page.state(0)
    assert state == widget_state(w)
    assert set(state) == {
        "graph",
        "inputs",
        "selected",
        "step",
        "train_inputs",
        "lr",
        "text",
        "quiz",
        "lesson",
        "quiz_progress",
        "open_groups",
    }
    assert state["graph"] == w.graph
    assert [(s["name"], s["value"]) for s in state["inputs"]] == [("x", 1.5), ("y", 3.0)]
    assert state["selected"] is None
    assert ("div", {"class": "mgm-export", "data-mgm-widget": "mgm-state-0"}) in page.tags


def test_widget_state_is_plain_json_with_non_finite_numbers_as_strings() -> None:
    q = Value(float("nan"), label="q")
    w = show(q + 1.0)
    state = widget_state(w)
    assert state["graph"]["nodes"][0]["data"] == "NaN"
    assert state["inputs"] == []  # no slider can hold nan
    json.dumps(state, allow_nan=False)  # no NaN literal anywhere


def test_script_text_in_labels_cannot_close_the_state_script() -> None:
    hostile = "</script><script>alert(1)</script><!-- \u2028 & `"
    w = xyz_widget(label=hostile)
    text = page_html(w, title="</title><script>alert(2)</script>")
    assert "<script>alert" not in text
    assert "</title><script>" not in text
    page = Page(text)
    assert len([t for t, _ in page.tags if t == "script"]) == 3  # state, bundle, loader
    labels = [n["label"] for n in page.state(0)["graph"]["nodes"]]
    assert labels[-1] == hostile
    assert page.texts["title"] == page.texts["h1"] == "</title><script>alert(2)</script>"


def test_the_title_heads_the_page_only_when_given() -> None:
    plain = Page(page_html(xyz_widget()))
    assert plain.texts["title"] == "micrograd_magic"
    assert "h1" not in plain.texts
    titled = Page(page_html(xyz_widget(), title="Backprop & friends"))
    assert titled.texts["title"] == titled.texts["h1"] == "Backprop & friends"


def test_several_widgets_share_one_page_and_one_bundle(tmp_path: Path) -> None:
    first, second = xyz_widget(2.0, 3.0), xyz_widget(-1.0, 0.5)
    path = write_page([first, second], tmp_path / "two.html", title="Two")
    text = path.read_text(encoding="utf-8")
    page = Page(text)
    assert page.state(0) == widget_state(first)
    assert page.state(1) == widget_state(second)
    assert page.state(0) != page.state(1)
    mounts = [a["data-mgm-widget"] for t, a in page.tags if "data-mgm-widget" in a]
    assert mounts == ["mgm-state-0", "mgm-state-1"]
    assert text.count('id="mgm-bundle"') == 1


def test_write_page_creates_folders_and_returns_the_path(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "page.html"
    result = write_page(xyz_widget(), str(target))
    assert result == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("widgets", "error", "message"),
    [
        ([], ValueError, "at least one widget, got an empty list"),
        (Value(1.0), TypeError, "expected a GraphWidget (make one with show(value) or %%"),
        ("page.html", TypeError, "or a list of them, got str: 'page.html'"),
        ([None], TypeError, "or a list of them, got NoneType: None"),
    ],
)
def test_write_page_explains_what_it_needs(
    widgets: Any, error: type, message: str, tmp_path: Path
) -> None:
    with pytest.raises(error) as info:
        write_page(widgets, tmp_path / "p.html")
    assert message in str(info.value)
    assert not (tmp_path / "p.html").exists()


def test_save_html_writes_the_widget_s_page(tmp_path: Path) -> None:
    w = xyz_widget()
    w.set_input("y", -2.0)
    path = w.save_html(tmp_path / "out" / "z.html", title="z")
    assert path == tmp_path / "out" / "z.html"
    page = Page(path.read_text(encoding="utf-8"))
    assert page.state(0)["inputs"][1]["value"] == -2.0
    assert page.texts["h1"] == "z"
    assert Page(w.save_html(str(tmp_path / "plain.html")).read_text()).texts.get("h1") is None


def test_a_missing_bundle_is_explained(tmp_path: Path) -> None:
    # A copy of the package without static/, as a checkout looks before the JS build.
    shutil.copytree(
        REPO / "micrograd_magic",
        tmp_path / "micrograd_magic",
        ignore=shutil.ignore_patterns("static", "__pycache__"),
    )
    code = (
        "from micrograd_magic import Value, show\n"
        "from micrograd_magic.export import bundle_source\n"
        "from micrograd_magic.widget import BundleMissingError\n"
        "from micrograd_magic.bundle import host_source\n"
        "for source in (bundle_source, host_source):\n"
        "    try:\n"
        "        source()\n"
        "    except FileNotFoundError as e:\n"
        "        print(e)\n"
        "try:\n"
        "    show(Value(1.0, label='x'))\n"
        "except BundleMissingError as e:\n"
        "    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    export_error, host_error, widget_error = result.stdout.splitlines()
    assert "JavaScript bundle" in export_error and "is missing" in export_error
    assert "JavaScript host" in host_error and "is missing" in host_error
    assert "was not built" in widget_error and "restart the kernel" in widget_error
    for message in (export_error, host_error, widget_error):
        assert "npm ci && npm run build" in message
    assert "cd js && npm ci && npm run build" in result.stdout


# -- MyST / Jupyter Book 2 -------------------------------------------------------------------
def directive_parts(text: str) -> tuple[str, Any]:
    """(the directive's first line, its body parsed as JSON); checks the closing fence."""
    lines = text.splitlines()
    assert lines[-1] == "```"
    body = "\n".join(lines[1:-1])
    assert "```" not in body
    return lines[0], json.loads(body)


def test_the_myst_directive_carries_the_state() -> None:
    w = xyz_widget()
    text = myst_directive(w)
    head, body = directive_parts(text)
    assert head == "```{anywidget} ./micrograd_widget.js"
    assert body == widget_state(w)
    # One node, one slider per line: readable, and a book's diffs stay small.
    lines = text.splitlines()
    assert sum(line.startswith('  {"id": ') for line in lines) == 5
    assert sum(line.startswith('  {"name": ') for line in lines) == 2
    head, _ = directive_parts(myst_directive(w, "https://example.org/w.js"))
    assert head == "```{anywidget} https://example.org/w.js"


def test_the_myst_directive_needs_a_widget() -> None:
    with pytest.raises(TypeError, match="expected a GraphWidget"):
        myst_directive(Value(1.0))


def test_backticks_in_a_label_cannot_close_the_directive() -> None:
    w = xyz_widget(label="a```b")
    _, body = directive_parts(myst_directive(w))
    assert body["graph"]["nodes"][-1]["label"] == "a```b"


def test_write_myst_assets_copies_the_bundle_beside_the_page(tmp_path: Path) -> None:
    w = xyz_widget()
    directive = write_myst_assets(w, tmp_path / "book")
    assert (tmp_path / "book" / DEFAULT_ESM_NAME).read_text(encoding="utf-8") == bundle_source()
    assert directive == myst_directive(w)
    named = write_myst_assets(w, tmp_path / "book", esm_name="graph.mjs")
    assert named.startswith("```{anywidget} ./graph.mjs\n")
    assert (tmp_path / "book" / "graph.mjs").is_file()
    with pytest.raises(ValueError, match="a file name, not a path"):
        write_myst_assets(w, tmp_path, esm_name="assets/graph.mjs")


# -- the static picture in the display data --------------------------------------------------
@needs_dot
def test_display_data_holds_the_live_view_a_picture_and_text() -> None:
    w = xyz_widget()
    data, metadata = DisplayFormatter().format(w)
    assert data[WIDGET_MIME]["model_id"] == w.model_id
    assert data["text/plain"] == repr(w) == "<GraphWidget z = 10 (5 nodes); inputs: x=2, y=3>"
    svg = data["image/svg+xml"]
    assert svg.startswith("<svg")  # no XML prolog: it sits inside HTML as it is
    assert ">data 10<" in svg and ">grad 7<" in svg
    assert isinstance(metadata, dict)


@needs_dot
def test_the_picture_shows_the_current_numbers() -> None:
    w = xyz_widget()
    w.set_input("x", 1.0)  # z = 1*3 + 1 = 4, dz/dx = 3 + 2 = 5
    data, _ = w._repr_mimebundle_()
    assert ">data 4<" in data["image/svg+xml"] and ">grad 5<" in data["image/svg+xml"]


@needs_dot
def test_large_graphs_get_no_picture() -> None:
    w = xyz_widget()
    w.static_picture_max_nodes = 4  # the graph has 5
    data, _ = w._repr_mimebundle_()
    assert "image/svg+xml" not in data
    assert WIDGET_MIME in data


def test_without_dot_the_widget_shows_and_one_line_is_logged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no dot on it
    _report_missing_dot.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            for _ in range(3):
                data, _ = xyz_widget()._repr_mimebundle_()
                assert "image/svg+xml" not in data
                assert WIDGET_MIME in data and data["text/plain"].startswith("<GraphWidget")
        assert [r.getMessage() for r in caplog.records] == [DOT_MISSING]
        assert caplog.records[0].name == "micrograd_magic.picture"
    finally:
        _report_missing_dot.cache_clear()


def test_display_svg_reports_a_failing_dot_and_returns_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A `dot` that exits with an error, first on PATH: a broken Graphviz installation.
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'dot: broken install' >&2\nexit 2\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    x = Value(2.0, label="x")
    with caplog.at_level(logging.WARNING):
        assert display_svg(Graph.from_value(x * 2.0)) is None
    (record,) = caplog.records
    message = record.getMessage()
    assert message.startswith("no static picture of this graph (3 nodes): Graphviz's dot failed")
    assert "dot: broken install" in message and "\n" not in message


def test_a_display_never_waits_long_for_the_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A `dot` that never finishes, first on PATH.
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nexec sleep 1000\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    w = xyz_widget()
    w.static_picture_timeout = 0.5
    with caplog.at_level(logging.WARNING):
        data, _ = DisplayFormatter().format(w)
    assert "image/svg+xml" not in data
    assert data[WIDGET_MIME]["model_id"] == w.model_id
    assert data["text/plain"].startswith("<GraphWidget z = 10")
    (record,) = caplog.records
    assert "took longer than 0.5 s" in record.getMessage()


@needs_dot
def test_nbconvert_without_widget_state_shows_the_picture() -> None:
    # A notebook as JupyterLab saves it by default: the widget's output, no widget state.
    w = xyz_widget()
    data, metadata = w._repr_mimebundle_()
    cell = nbformat.v4.new_code_cell(
        "show(z)",
        outputs=[nbformat.v4.new_output("display_data", data=data, metadata=metadata)],
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    html, _ = HTMLExporter().from_notebook_node(nb)
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    pictures = [base64.b64decode(i).decode("utf-8") for i in images]
    assert any(">data 10<" in p and ">grad 7<" in p for p in pictures)
    assert WIDGET_MIME not in html
