"""graph.py: the schema-1 JSON, re-evaluation with new inputs, and the IEEE op table."""

import json
import math

import pytest

from micrograd_magic import Value
from micrograd_magic.graph import (
    Graph,
    decode_number,
    encode_number,
    ieee_forward,
    ieee_local_derivatives,
)
from micrograd_magic.nn import MLP
from micrograd_magic.ops import OPS


def example():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    z.backward()
    return x, y, z


def test_json_form_of_the_example():
    _, _, z = example()
    g = Graph.from_value(z).to_json()
    assert g["schema"] == 1
    assert g["output"] == 4
    assert g["nodes"][0] == {"id": 0, "label": "x", "op": "", "args": [], "data": 2.0, "grad": 7.0}
    assert g["nodes"][3] == {
        "id": 3, "label": None, "op": "**", "args": [0], "k": 2.0, "data": 4.0, "grad": 1.0,
    }  # fmt: skip
    assert [n["op"] for n in g["nodes"]] == ["", "", "*", "**", "+"]
    assert json.loads(json.dumps(g, allow_nan=False)) == g


def test_json_round_trip_keeps_everything():
    _, _, z = example()
    g = Graph.from_value(z)
    back = Graph.from_json(json.loads(json.dumps(g.to_json())))
    assert back.to_json() == g.to_json()


def test_non_finite_numbers_are_strings_in_json():
    assert [encode_number(x) for x in (math.nan, math.inf, -math.inf, 1.5)] == [
        "NaN", "Infinity", "-Infinity", 1.5,
    ]  # fmt: skip
    assert math.isnan(decode_number("NaN"))
    assert decode_number("-Infinity") == -math.inf
    with pytest.raises(ValueError, match="not a number"):
        decode_number("abc")
    with pytest.raises(ValueError, match="not a number"):
        decode_number(True)


def test_evaluate_matches_the_engine_with_new_inputs():
    x, _, z = example()
    g = Graph.from_value(z)
    data, grad = g.evaluate({0: -1.5, 1: 4.0})
    x2, y2 = Value(-1.5), Value(4.0)
    z2 = x2 * y2 + x2**2
    z2.backward()
    assert data[g.output] == z2.data
    assert (grad[0], grad[1]) == (x2.grad, y2.grad)
    assert x.data == 2.0  # evaluate() is pure


# operands where a local derivative and its share can part ways: subnormal, tiny, huge, zero
EDGE_VALUES = [5e-324, 2.225e-309, -1e-310, 1e-300, 0.0, 1.5, -2.0, 1e300, -1e308]
UPSTREAM = [1.0, 2.225e-309, -3.0, 1e300]


def _apply(op, a: Value, b: Value, k: float) -> Value:
    if op.arity == 2:
        return getattr(a, op.dunder)(b)
    if op.name == "**":
        return a**k
    return getattr(a, op.method)() if op.method else getattr(a, op.dunder)()


@pytest.mark.parametrize("op", [op for op in OPS if op.arity], ids=lambda op: op.name)
def test_every_share_backprop_passes_is_value_backwards_to_the_bit(op):
    """op(a, b) * c: what each operand gets from the grad c, at the edges of the float range,
    is the same number in the widget's re-evaluation as in Value.backward()."""
    seconds = EDGE_VALUES if op.arity == 2 else [0.0]
    checked = 0
    for x in EDGE_VALUES:
        for y in seconds:
            for k in [2.0, -1.0, 0.5] if op.name == "**" else [0.0]:
                for c in UPSTREAM:
                    a, b, up = Value(x, label="a"), Value(y, label="b"), Value(c, label="c")
                    try:
                        out = _apply(op, a, b, k) * up
                    except (ZeroDivisionError, OverflowError, ValueError):
                        continue
                    out.backward()
                    g = Graph.from_value(out)
                    _, grad = g.evaluate()
                    leaves = {n.label: n.id for n in g.nodes if not n.args}
                    for v in (a, b) if op.arity == 2 else (a,):
                        got = grad[leaves[v.label]]
                        assert repr(got) == repr(v.grad), (op.name, x, y, k, c, v.label)
                    checked += 1
    assert checked >= 5 * len(UPSTREAM)  # log and exp take half the edge values


def test_update_writes_into_the_original_values():
    x, y, z = example()
    Graph.from_value(z).update({0: 3.0})
    assert (x.data, z.data, x.grad, y.grad) == (3.0, 18.0, 9.0, 3.0)


def test_update_replaces_grads_instead_of_accumulating():
    x, _, z = example()
    g = Graph.from_value(z)
    g.update({})
    g.update({})
    assert x.grad == 7.0


def test_extra_values_are_included_and_get_zero_grad():
    x, _, z = example()
    unused = x + 100.0
    g = Graph.from_value(z, extra=[unused])
    assert g.output == 4
    assert len(g.nodes) == 7
    g.update({0: 1.0})
    assert unused.data == 101.0
    assert unused.grad == 0.0


def test_mlp_graph_evaluates_like_the_engine():
    model = MLP(2, [4, 1])
    a, b = Value(0.5, label="a"), Value(-1.0, label="b")
    out = model([a, b])
    out.backward()
    g = Graph.from_value(out)
    data, grad = g.evaluate()
    assert data[g.output] == pytest.approx(out.data, rel=1e-12)
    ids = g.labelled_leaves()
    assert grad[ids["a"]] == pytest.approx(a.grad, rel=1e-12)
    assert grad[ids["b"]] == pytest.approx(b.grad, rel=1e-12)


def test_parents_and_local_derivatives():
    _, _, z = example()
    g = Graph.from_value(z)
    assert g.parents()[0] == [2, 3]
    assert g.local_derivatives(2) == (3.0, 2.0)  # d(x*y)/dx = y, d/dy = x
    assert g.local_derivatives(3) == (4.0,)  # 2x
    assert g.local_derivatives(0) == ()


@pytest.mark.parametrize(
    ("op", "args", "k", "expected"),
    [
        ("log", [0.0], None, -math.inf),
        ("log", [-1.0], None, math.nan),
        ("/", [1.0, 0.0], None, math.inf),
        ("/", [-1.0, 0.0], None, -math.inf),
        ("/", [0.0, 0.0], None, math.nan),
        ("**", [-8.0, None], 1 / 3, math.nan),
        ("**", [0.0, None], -1.0, math.inf),
        ("**", [-0.0, None], -1.0, -math.inf),
        ("**", [1e200, None], 2.0, math.inf),
        ("exp", [1000.0], None, math.inf),
        ("relu", [math.nan], None, math.nan),
        ("sigmoid", [-1000.0], None, 0.0),
    ],
)
def test_ieee_forward_gives_nan_and_inf_instead_of_errors(op, args, k, expected):
    result = ieee_forward(op, [a for a in args if a is not None], k)
    if math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == expected


def test_ieee_derivatives_at_the_edges():
    assert ieee_local_derivatives("**", [0.0], 0.0, 0.5) == (math.inf,)
    assert ieee_local_derivatives("**", [0.0], 1.0, 0.0) == (0.0,)
    assert ieee_local_derivatives("log", [0.0], -math.inf) == (math.inf,)
    assert ieee_local_derivatives("relu", [0.0], 0.0) == (0.0,)


def test_evaluation_into_a_domain_error_shows_nan_and_recovers():
    x = Value(2.0, label="x")
    y = x.log()
    g = Graph.from_value(y)
    data, grad = g.evaluate({0: -1.0})
    assert math.isnan(data[1])
    assert grad[0] == -1.0  # 1/x still has a value; only log(x) itself does not
    data, grad = g.evaluate({0: 4.0})
    assert data[1] == math.log(4.0) and grad[0] == 0.25


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"schema": 3}, "not a schema-1 or -2 graph"),
        ({"schema": 1}, "needs a 'nodes' list"),
        ({"schema": 1, "nodes": [{"id": 1}]}, "expected an object with 'id': 0"),
        ({"schema": 1, "nodes": [{"id": 0, "op": "?"}]}, "unknown op"),
        ({"schema": 1, "nodes": [{"id": 0, "op": "+", "args": [0, 0]}]}, "earlier nodes"),
        ({"schema": 1, "nodes": [{"id": 0, "op": "tanh", "args": []}]}, "takes 1 operand"),
        ({"schema": 1, "nodes": [{"id": 0}], "output": 3}, "output 3 is not a node id"),
    ],
)
def test_malformed_json_is_rejected_clearly(obj, message):
    with pytest.raises(ValueError, match=message):
        Graph.from_json(obj)


def test_evaluate_refuses_to_overwrite_a_computed_node():
    _, _, z = example()
    with pytest.raises(ValueError, match="not a leaf"):
        Graph.from_value(z).evaluate({4: 1.0})


def test_from_value_needs_a_value():
    with pytest.raises(TypeError, match="expected a Value"):
        Graph.from_value(3.0)
