"""micrograd_magic.numeric: the numerical gradient check and gradcheck()'s table.

js/core/numeric.test.js holds the JS twin to tests/vectors/gradcheck.json; this file checks the
vectors are current and the Python side's verdicts on graphs built here.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest

from micrograd_magic import Value, gradcheck
from micrograd_magic.graph import Graph
from micrograd_magic.numeric import check_node, check_nodes, step_size

VECTORS = Path(__file__).with_name("vectors")


def test_gradcheck_json_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_gradcheck", VECTORS / "generate_gradcheck.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    checked_in = (VECTORS / "gradcheck.json").read_text(encoding="utf-8")
    assert checked_in == module.render(), (
        "tests/vectors/gradcheck.json is stale: run "
        ".venv/bin/python tests/vectors/generate_gradcheck.py"
    )


def test_central_difference_of_a_leaf_and_an_inner_node() -> None:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    xy = x * y
    z = xy + x**2
    graph = Graph.from_value(z)
    data, grad = graph.evaluate()
    ids = {v: i for i, v in enumerate(graph.values)}
    cx = check_node(graph, data, grad, ids[x])
    assert cx.h == step_size(2.0) == 2e-5
    assert cx.estimate == pytest.approx(7.0, abs=1e-8)
    assert (cx.grad, cx.status) == (7.0, "agree")
    inner = check_node(graph, data, grad, ids[xy])
    assert inner.estimate == pytest.approx(1.0, abs=1e-9)
    assert inner.status == "agree"
    wrong = list(grad)
    wrong[ids[x]] = 6.0
    bad = check_node(graph, data, wrong, ids[x])
    assert bad.status == "disagree"
    assert bad.relerr == pytest.approx(1 / 6, rel=1e-6)


@pytest.mark.parametrize("op", ["relu", "abs"])
def test_kinks_are_said_not_flagged(op: str) -> None:
    x = Value(0.0, label="x")
    out = getattr(x * 2, op)()
    checks = check_nodes(Graph.from_value(out))
    assert checks[0].status == "kink"
    assert op in checks[0].note


def test_unreliable_estimates_are_said_not_flagged() -> None:
    near_log_edge = Value(1e-6, label="x")
    assert check_nodes(Graph.from_value(near_log_edge.log()))[0].status == "unreliable"
    fast = Value(1e-3, label="y")
    assert check_nodes(Graph.from_value((fast * 1e8).sin()))[0].status == "unreliable"


def test_gradcheck_prints_one_row_per_node_and_returns_true() -> None:
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(0.3, label="b")
    out = (x * w + b).tanh()
    out.label = "out"
    out.backward()
    out.backward()  # accumulated grads do not matter: the check runs its own backward pass
    buf = io.StringIO()
    assert gradcheck(out, file=buf) is True
    lines = buf.getvalue().splitlines()
    assert lines[0].split() == ["node", "data", "grad", "estimate", "h", "rel.", "error", "check"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert {"x", "w", "b", "out"} <= set(rows)
    assert len(lines) == 1 + 6 + 1  # header, the six nodes, the summary
    assert rows["x"].rstrip().endswith("agree")
    assert lines[-1] == "6 of 6 nodes agree or cannot be judged"


def test_gradcheck_false_when_a_grad_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    import micrograd_magic.numeric as numeric

    evaluate = Graph.evaluate

    def doubled(self: Graph, leaf_values: object = None) -> tuple[list[float], list[float]]:
        data, grad = evaluate(self, leaf_values)
        return data, [2 * g for g in grad]

    monkeypatch.setattr(numeric.Graph, "evaluate", doubled)
    buf = io.StringIO()
    x = Value(1.5, label="x")
    assert gradcheck(x.exp() * x, file=buf) is False
    assert "disagree" in buf.getvalue()


def test_gradcheck_refuses_what_is_not_a_value() -> None:
    with pytest.raises(TypeError, match="gradcheck needs a Value"):
        gradcheck(2.0)  # type: ignore[arg-type]
