"""The opt-in live embed (micrograd_magic.embedding) and cell(), the %%micrograd cell as a
function: what the display data carries, how the three switches agree, and that the frame's
``srcdoc`` reads back as exactly the standalone page of the widget's state.

The embed drawing and working from ``file://`` is tested in Chromium in tests/e2e/test_embed.py.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from IPython.core.formatters import DisplayFormatter
from IPython.terminal.interactiveshell import TerminalInteractiveShell
from IPython.testing import globalipapp
from IPython.utils.capture import capture_output

import micrograd_magic
from micrograd_magic import Value, embedding
from micrograd_magic.errors import MicrogradSyntaxError
from micrograd_magic.export import page_html
from micrograd_magic.picture import dot_available
from micrograd_magic.widget import BundleMissingError, GraphWidget, cell, show

try:
    show(Value(1.0, label="probe"))
except BundleMissingError:
    pytest.skip("the JS bundle is not built", allow_module_level=True)

needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")


@pytest.fixture(autouse=True)
def embedding_off() -> Iterator[None]:
    """Every test starts, and leaves the notebook, with embedding off (the default)."""
    embedding.embed(False)
    yield
    embedding.embed(False)


def xyz(label: str = "z") -> Value:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = label
    return z


class Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes (entities decoded)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def first(self, tag: str) -> dict[str, str | None]:
        return next(attrs for name, attrs in self.tags if name == tag)


def display_data(widget: GraphWidget) -> dict[str, Any]:
    data, _ = DisplayFormatter().format(widget)
    return data


def test_off_by_default_the_output_has_no_html() -> None:
    assert embedding.embedding() is False
    assert "text/html" not in display_data(show(xyz()))


def test_embed_on_adds_a_sandboxed_frame_holding_the_page() -> None:
    micrograd_magic.embed(True)
    w = show(xyz())
    data = display_data(w)
    assert "application/vnd.jupyter.widget-view+json" in data  # the live widget stays first
    frame = Elements(data["text/html"]).first("iframe")
    assert "data-micrograd-embed" in frame
    assert frame["sandbox"] == "allow-scripts"  # scripts, but an opaque origin of its own
    # The srcdoc, once the attribute is decoded, is the standalone page of the widget's state.
    assert frame["srcdoc"] == page_html(w.state)
    micrograd_magic.embed(False)
    assert "text/html" not in display_data(w)


def test_the_frame_shows_the_numbers_at_display_time() -> None:
    w = show(xyz(), embed=True)
    w.set_input("x", 1.0)
    srcdoc = Elements(display_data(w)["text/html"]).first("iframe")["srcdoc"]
    assert srcdoc == page_html(w.state)
    assert '"value": 1.0' in srcdoc


def test_show_overrides_the_notebook_setting_both_ways() -> None:
    assert "text/html" in display_data(show(xyz(), embed=True))
    micrograd_magic.embed(True)
    assert "text/html" not in display_data(show(xyz(), embed=False))
    assert "text/html" in display_data(show(xyz()))


def test_labels_cannot_break_out_of_the_srcdoc_attribute() -> None:
    hostile = "'\"><script>alert(1)</script>&amp;&#39;"
    w = show(xyz(hostile), embed=True)
    parsed = Elements(display_data(w)["text/html"])
    assert [name for name, _ in parsed.tags].count("script") == 1  # only the frame's sizer
    assert parsed.first("iframe")["srcdoc"] == page_html(w.state)


@needs_dot
def test_the_picture_stands_in_until_the_frame_has_drawn() -> None:
    data = display_data(show(xyz(), embed=True))
    img = Elements(data["text/html"]).first("img")
    assert "data-micrograd-picture" in img
    prefix = "data:image/svg+xml;base64,"
    assert img["src"].startswith(prefix)
    assert base64.b64decode(img["src"][len(prefix) :]).decode() == data["image/svg+xml"]


def test_without_a_picture_the_frame_comes_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    w = show(xyz(), embed=True)
    w.static_picture_max_nodes = 0
    parsed = Elements(display_data(w)["text/html"])
    assert [name for name, _ in parsed.tags] == ["div", "iframe", "script"]


def test_embed_takes_only_a_bool() -> None:
    with pytest.raises(TypeError, match="True or False"):
        micrograd_magic.embed("yes")  # type: ignore[arg-type]
    assert embedding.embedding() is False


def test_config_embed_switches_it_for_the_notebook() -> None:
    globalipapp.start_ipython()
    shell = TerminalInteractiveShell.instance()
    shell.run_line_magic("load_ext", "micrograd_magic")
    try:
        with capture_output():
            shell.run_line_magic("config", "MicrogradMagics.embed = True")
        assert embedding.embedding() is True
        assert "text/html" in display_data(show(xyz()))
        with capture_output():
            shell.run_line_magic("config", "MicrogradMagics.embed = False")
        assert embedding.embedding() is False
    finally:
        shell.run_line_magic("unload_ext", "micrograd_magic")


# -- cell(): the %%micrograd language as a function ---------------------------------------------
def test_cell_returns_the_widget_and_the_values() -> None:
    w = micrograd_magic.cell("x: (-3, 3) = 2.0\ny = 3.0\nz = x*y + x**2")
    assert isinstance(w, GraphWidget)
    assert w.input_values == {"x": 2.0, "y": 3.0}
    assert w.inputs[0]["min"] == -3.0 and w.inputs[0]["max"] == 3.0
    assert w.values["z"].data == 10.0 and w.values["x"].grad == 7.0
    w.set_input("x", 1.0)
    assert w.values["z"].data == 4.0  # the widget moves the very Values it returned


def test_cell_takes_the_magics_options() -> None:
    w = cell("x = 2.0\nn = x * 3\no = tanh(n)", output="n", default_span=10, embed=True)
    g = w.model_graph
    assert g.nodes[g.output].label == "n"
    assert (w.inputs[0]["min"], w.inputs[0]["max"]) == (-10.0, 10.0)
    assert "text/html" in display_data(w)


def test_cell_keeps_the_trainable_inputs_and_their_learning_rate() -> None:
    w = cell("w: trainable(-5, 5) = 0.5\nb = 0.0\nloss = (w*1 + b - 2)**2", lr=0.05)
    assert (w.train_inputs, w.lr) == (["w"], 0.05)


def test_cell_reports_mistakes_located_in_the_text() -> None:
    with pytest.raises(MicrogradSyntaxError, match="line 2"):
        cell("x = 2.0\ny = import os")
