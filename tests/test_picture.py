"""Static pictures: the Graphviz description, SVG output, and a clear word when dot is missing."""

import graphviz
import pytest

from micrograd_magic import Value, to_graphviz
from micrograd_magic.graph import Graph
from micrograd_magic.picture import DOT_MISSING, GraphvizMissingError, dot_available, static_svg

needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")


def example():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    z.backward()
    return z


def test_to_graphviz_describes_every_value_and_op():
    dot = to_graphviz(example())
    assert isinstance(dot, graphviz.Digraph)
    source = dot.source
    assert "rankdir=LR" in source
    assert source.count("shape=plaintext") == 5  # one box per value
    assert source.count("shape=circle") == 3  # one node per operation: *, **2, +
    assert "<b>x</b>" in source and "data 2<" in source and "grad 7<" in source
    assert "(output)" in source


def test_labels_are_escaped():
    v = Value(1.0, label="<script>alert(1)</script>")
    source = to_graphviz(v * 2.0).source
    assert "<script>" not in source
    assert "&lt;script&gt;" in source


@needs_dot
def test_static_svg_shows_data_and_grad():
    svg = static_svg(Graph.from_value(example()))
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg[:400]
    assert ">data 10<" in svg and ">grad 7<" in svg


def test_missing_dot_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no dot on it
    assert not dot_available()
    with pytest.raises(GraphvizMissingError) as err:
        static_svg(Graph.from_value(example()))
    assert str(err.value) == DOT_MISSING
    assert "apt-get install graphviz" in DOT_MISSING and "\n" not in DOT_MISSING
