"""Names everywhere (issue 12): parameters and module outputs carry their paths' short forms in
the pictures, the same ones the page draws (tests/vectors/names.json, js/core/names.js)."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest

from micrograd_magic import Value, nn, to_graphviz
from micrograd_magic.graph import Graph
from micrograd_magic.groups import kernel_path, short_path
from micrograd_magic.picture import dot_available, static_svg

VECTORS = Path(__file__).resolve().parent / "vectors"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_names", VECTORS / "generate_names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


def test_checked_in_vectors_are_what_the_generator_writes_now() -> None:
    assert (VECTORS / "names.json").read_text(encoding="utf-8") == generator.render(), (
        "tests/vectors/names.json is stale: run tests/vectors/generate_names.py"
    )


def test_vectors_hold_the_forms_groups_py_gives() -> None:
    vectors = json.loads((VECTORS / "names.json").read_text(encoding="utf-8"))
    for row in vectors["paths"]:
        assert row["kernel"] == kernel_path(row["path"])
        assert row["short"] == short_path(row["path"], row["parameter"])
    names = {n for v in vectors["graphs"] for n in v["names"] if n}
    assert {"L1.N3.w2", "hidden.w2", "head", "#2.L1.N2", "loss.MLP#2.L1.N1"} <= names


class Scaler(nn.Module):
    """A user's own module: no super().__init__(), its names come from its attributes."""

    def __init__(self) -> None:
        self.inner = nn.Neuron(2)
        self.gain = Value(3.0)

    def forward(self, x):
        return self.inner(x) * self.gain


def _scaler_graph() -> Graph:
    random.seed(2)
    return Graph.from_value(Scaler()([Value(1.0, label="a"), Value(2.0, label="b")]))


def test_a_user_module_gets_its_names_from_its_attributes() -> None:
    g = _scaler_graph()
    paths = {n.path for n in g.nodes if n.path is not None}
    assert paths == {"", "inner", "inner.w.0", "inner.w.1", "inner.b", "gain"}
    names = {n.name for n in g.nodes}
    assert {"inner.w1", "inner.w2", "inner.b", "inner", "gain", "a", "b"} <= names
    out = g.nodes[g.output]
    assert out.path == "" and out.name is None  # the top-level module's own output


def test_the_graphviz_picture_shows_short_forms() -> None:
    random.seed(4)
    model = nn.MLP(2, [3, 1])
    source = to_graphviz(model([Value(1.0, label="x1"), Value(-2.0, label="x2")])).source
    for name in ("L1.N1.w1", "L1.N3.w2", "L2.N1.b", "L1.N2", "L2.N1", "x1"):
        assert f"<b>{name}</b>" in source, name


def test_a_label_wins_over_the_path() -> None:
    random.seed(4)
    model = nn.MLP(2, [1])
    model.layers[0].neurons[0].w[0].label = "mine"
    source = to_graphviz(model([Value(1.0), Value(2.0)])).source
    assert "<b>mine</b>" in source and "L1.N1.w1" not in source and "<b>L1.N1.w2</b>" in source


def test_a_graph_without_groups_is_named_as_before() -> None:
    x = Value(2.0, label="x")
    source = to_graphviz(x * 3.0 + x).source
    assert source.count("<b>") == 1


@pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")
def test_the_static_svg_shows_short_forms() -> None:
    svg = static_svg(_scaler_graph())
    assert ">inner.w2<" in svg and ">gain<" in svg
