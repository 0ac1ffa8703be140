"""The op table (micrograd_magic/ops.py): its browser copy, and everything that reads it."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest
from torch_reference import needs_torch, torch

from micrograd_magic import Value
from micrograd_magic.engine import _FORWARD, topological_order
from micrograd_magic.engine import OPS as ENGINE_OPS
from micrograd_magic.explain import explain, format_number
from micrograd_magic.graph import Graph, ieee_forward, ieee_local_derivatives
from micrograd_magic.language import parse as parse_cell
from micrograd_magic.ops import OP_BY_NAME, OPS, render_js
from micrograd_magic.picture import graph_to_digraph
from micrograd_magic.syntax import FUNCTIONS

ROOT = Path(__file__).resolve().parent.parent
UNARY_METHODS = [op for op in OPS if op.method is not None]


def _generator():
    spec = importlib.util.spec_from_file_location("generate_ops", ROOT / "scripts/generate_ops.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_browser_table_is_current():
    checked_in = (ROOT / "js" / "core" / "ops-table.js").read_text(encoding="utf-8")
    assert checked_in == render_js(), (
        "js/core/ops-table.js differs from micrograd_magic/ops.py: run "
        ".venv/bin/python scripts/generate_ops.py"
    )


def test_the_generator_writes_what_the_test_expects(tmp_path):
    target = tmp_path / "ops-table.js"
    target.write_text("stale", encoding="utf-8")
    _generator().write(target)
    assert target.read_text(encoding="utf-8") == render_js()
    assert [p.name for p in tmp_path.iterdir()] == ["ops-table.js"]  # no temporary file left


def test_codes_are_positions_and_the_engine_table_is_derived():
    assert [op.code for op in OPS] == list(range(len(OPS)))
    assert {op.name: op.arity for op in OPS} == ENGINE_OPS
    assert OP_BY_NAME[""].arity == 0


def test_the_cell_language_calls_exactly_the_table_functions():
    assert tuple(op.name for op in OPS if op.function) == FUNCTIONS
    assert {"relu", "tanh", "exp", "log", "sigmoid"} <= set(FUNCTIONS)


@pytest.mark.parametrize("op", UNARY_METHODS, ids=lambda op: op.name)
def test_every_method_of_the_table_is_on_value_with_its_docstring(op):
    method = getattr(Value, op.method)
    assert method.__doc__ == op.doc
    assert method.__name__ == op.method
    v = getattr(Value(0.5), op.method)()
    assert (v.op, v.children[0].data) == (op.name, 0.5)
    if op.dunder is not None:
        assert getattr(Value, op.dunder) is method


@pytest.mark.parametrize("op", UNARY_METHODS, ids=lambda op: op.name)
def test_every_method_computes_what_its_forward_kernel_computes(op):
    # Some methods are written out by hand for speed: they must not drift from the engine's kernel.
    for x in (-2.5, -0.0, 0.0, 0.3, 1.0, math.inf, -math.inf, math.nan):
        try:
            got = getattr(Value(x), op.method)().data
        except (ValueError, OverflowError):
            continue
        want = _FORWARD[op.name](x)
        assert got == want or (math.isnan(got) and math.isnan(want)), (op.name, x, got, want)


@pytest.mark.parametrize("op", [op for op in OPS if op.name], ids=lambda op: op.name)
@needs_torch
def test_every_op_names_a_torch_function(op):
    assert callable(getattr(torch, op.torch))


@pytest.mark.parametrize("op", [op for op in OPS if op.name], ids=lambda op: op.name)
def test_every_op_has_ieee_kernels(op):
    args = [0.75, 1.25][: op.arity]
    out = ieee_forward(op.name, args, 3.0)
    assert math.isfinite(out)
    assert len(ieee_local_derivatives(op.name, args, out, 3.0)) == op.arity


def test_pills_read_as_the_table_says_in_the_graphviz_picture():
    x = Value(1.5, label="x")
    out = (-x).sigmoid() + x ** (1 / 3) - x.relu() * x / x.tanh()
    out = out + x.sin() * abs(x.cos())
    source = graph_to_digraph(Graph.from_value(out)).source
    for text in (
        "neg",
        "sigmoid",
        "**0.3333",
        "relu",
        "tanh",
        "−",
        "×",
        "÷",
        "+",
        "sin",
        "cos",
        "abs",
    ):
        assert f"label={text} " in source or f'label="{text}"' in source, text
    assert "σ" not in source and "−x" not in source
    assert format_number(1 / 3) == "0.3333"


def test_the_panel_and_the_derivative_formulas_come_from_the_table():
    a = Value(2.0, label="a")
    for v, definition in (
        (a * 3.0, "L = a*3"),
        (a**2.5, "L = a**2.5"),
        (-a, "L = −a"),
        (a.sigmoid(), "L = sigmoid(a)"),
    ):
        g = Graph.from_value(v)
        assert explain(g, g.output).definition == definition
    g = Graph.from_value(a.sigmoid())
    assert explain(g, g.output).local_derivatives[0].formula == "σ(a)·(1 − σ(a))"


def test_sin_cos_abs_in_the_cell_language():
    program = parse_cell("x: (-3, 3) = 0.5\ny = sin(x) + x.cos() * abs(x - 1) + x.abs().sin()")
    c = program.run()
    x = Value(0.5)
    expected = x.sin() + x.cos() * abs(x - 1) + x.abs().sin()
    expected.backward()
    assert c.root.data == expected.data
    assert c.values["x"].grad == x.grad
    assert [v.op for v in topological_order(c.root) if v.op in ("sin", "cos", "abs")] == [
        "sin",
        "cos",
        "abs",
        "abs",
        "sin",
    ]
