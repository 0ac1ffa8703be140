"""Write tests/vectors/ops.json: the shared vectors that pin js/core/engine.js to the IEEE kernels.

Every op of the graph JSON is evaluated here with the IEEE kernels of micrograd_magic/ops.py over
ordinary operands and the edge cases (zeros of both signs, huge and tiny numbers, NaN, ±Infinity),
and a few whole graphs built from Values are re-evaluated with ``Graph.evaluate`` at several input
settings, some of which produce NaN and Infinity. ``js/core/engine.test.js`` checks the JS engine
against the file; ``tests/test_vectors.py`` checks the file is what this script writes now.

Run from the repository root: ``.venv/bin/python tests/vectors/generate.py``.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import micrograd_magic  # noqa: E402
from micrograd_magic import Value, nn  # noqa: E402
from micrograd_magic.engine import OPS  # noqa: E402
from micrograd_magic.files import write_text  # noqa: E402
from micrograd_magic.graph import (  # noqa: E402
    Graph,
    encode_number,
    ieee_forward,
    ieee_local_derivatives,
    ieee_share,
)
from micrograd_magic.ops import OPS as TABLE  # noqa: E402

OUT = Path(__file__).with_name("ops.json")

NAN = math.nan
INF = math.inf

#: Operands for binary ops (all pairs are used, so this list stays short).
PAIR_VALUES = [
    *(-2.5, -1.0, -0.0, 0.0, 0.3, 1.0, 3.7, 1e-300, 2.225e-309, 1e300, -1e300, NAN, INF, -INF)
]

#: Grads a binary node passes back, each operand's share of them checked (a subnormal b:
#: g/b is not g*(1/b)).
SHARE_GRADS = [1.0, -3.0, 2.225e-309, 1e300]

#: Operands for unary ops and powers: ordinary numbers, the edges of exp/log/tanh, and
#: the non-finite ones.
UNARY_VALUES = [
    -710.0,
    -40.0,
    -2.5,
    -1.0,
    -0.5,
    -1e-10,
    -0.0,
    0.0,
    1e-10,
    1e-300,
    0.3,
    0.5,
    1.0,
    2.0,
    3.7,
    20.0,
    40.0,
    710.0,
    1e300,
    -1e300,
    NAN,
    INF,
    -INF,
]

#: Exponents of "**": the common ones, odd and even negatives (signs of 0 ** -k), a big odd one
#: (overflow signs) and the non-finite ones (Python's 1.0 ** nan is 1).
EXPONENTS = [0.0, 0.5, 2.0, -1.0, 3.0, -2.5, 1.0, -2.0, -3.0, 1001.0, INF, -INF, NAN]

BINARY = [op.name for op in TABLE if op.arity == 2]
#: Every one-operand op but "**", which has its own cases with exponents.
UNARY = [op.name for op in TABLE if op.arity == 1 and op.name != "**"]


def _nums(xs: list[float] | tuple[float, ...]) -> list[float | str]:
    return [encode_number(x) for x in xs]


def op_case(op: str, args: list[float], k: float | None = None) -> dict[str, Any]:
    """One op applied to ``args``: its result, local derivatives and (binary ops) each operand's
    share of every grad in ``SHARE_GRADS``, JSON-encoded."""
    out = ieee_forward(op, args, k)
    case: dict[str, Any] = {"op": op, "args": _nums(args)}
    if k is not None:
        case["k"] = encode_number(k)
    case["out"] = encode_number(out)
    local = ieee_local_derivatives(op, args, out, k)
    case["local"] = _nums(local)
    if len(args) == 2:
        case["shares"] = [
            _nums([ieee_share(op, i, args, d, g) for g in SHARE_GRADS]) for i, d in enumerate(local)
        ]
    return case


def op_cases() -> list[dict[str, Any]]:
    """Every op over its operand lists (pairs for binary ops, values x exponents for "**")."""
    cases = [
        op_case(op, [a, b]) for op in BINARY for a, b in itertools.product(PAIR_VALUES, PAIR_VALUES)
    ]
    cases += [op_case(op, [x]) for op in UNARY for x in UNARY_VALUES]
    cases += [op_case("**", [x], k) for k in EXPONENTS for x in UNARY_VALUES]
    return cases


def graph_case(name: str, graph: Graph, settings: list[dict[str, float]]) -> dict[str, Any]:
    """A graph's JSON and its ``evaluate`` results for each setting of its labelled leaves."""
    leaves = graph.labelled_leaves()
    cases = []
    for setting in settings:
        pairs = [[leaves[label], value] for label, value in setting.items()]
        data, grad = graph.evaluate(dict(pairs))
        cases.append(
            {
                "leaves": [[i, encode_number(v)] for i, v in pairs],
                "data": _nums(data),
                "grad": _nums(grad),
            }
        )
    return {"name": name, "graph": graph.to_json(), "cases": cases}


def _labelled(value: Value, label: str) -> Value:
    value.label = label
    return value


def graphs() -> list[dict[str, Any]]:
    """Whole graphs: node reuse, every op, a node after the output, a small MLP."""
    result = []

    x = Value(2.0, label="x")
    y = Value(3.0, label="y")
    z = _labelled(x * y + x**2, "z")
    z.backward()
    result.append(
        graph_case(
            "reuse: z = x*y + x**2",
            Graph.from_value(z),
            [{}, {"x": -1.5}, {"x": 0.0, "y": -0.0}, {"x": INF}, {"x": NAN, "y": 1.0}],
        )
    )

    x = Value(1.5, label="x")
    y = Value(-0.5, label="y")
    a = _labelled(x * y, "a")
    b = _labelled(a - y / x, "b")
    d = _labelled((x**2 + 1.0).log(), "d")
    e = _labelled((-b).relu() + b.tanh(), "e")
    f = _labelled(y.exp() * x.sigmoid(), "f")
    for op in TABLE:  # and every other function of the table, of a value that can be 0
        if op.method is not None and op.name not in ("relu", "tanh", "exp", "log", "sigmoid"):
            f = f + getattr(y - 0.5 * y, op.method)()
    g = _labelled((e + f + d) ** -0.5, "g")
    out = _labelled(g * x - 1.0 / y + (x * x) ** 0.5, "out")
    out.backward()
    result.append(
        graph_case(
            "every op",
            Graph.from_value(out),
            [
                {},
                {"x": -2.0, "y": 1.25},
                {"x": 0.0},  # y / 0 -> -inf, then nan further on
                {"y": 0.0},  # 1 / 0 -> inf
                {"y": -0.0},
                {"x": 3.0, "y": 800.0},  # exp overflows
                {"x": -1.0, "y": -1.0},  # a negative base to the power -0.5 -> nan
                {"x": 1e200, "y": 1e-200},
            ],
        )
    )

    x = Value(0.5, label="x")
    u = _labelled((x * 2.0).tanh(), "u")
    extra = _labelled(u.exp() + x, "extra")  # not part of the output's graph
    root = _labelled(u * u - x, "root")
    root.backward()
    result.append(
        graph_case(
            "a node after the output",
            Graph.from_value(root, extra=[extra]),
            [{}, {"x": -3.0}, {"x": 400.0}, {"x": -INF}],
        )
    )

    x = Value(1.0, label="x")
    ratio = _labelled((x - x) / (x * x + 1e-300) + x.log().exp(), "ratio")
    ratio.backward()
    result.append(
        graph_case(
            "zeros: (x - x) / (x*x + 1e-300) + exp(log(x))",
            Graph.from_value(ratio),
            [{}, {"x": 0.0}, {"x": -0.0}, {"x": 1e-160}, {"x": -2.0}],
        )
    )

    rng_state = random.getstate()
    random.seed(4)
    mlp = nn.MLP(2, [3, 1])
    random.setstate(rng_state)
    inputs = [Value(1.0, label="x1"), Value(-0.5, label="x2")]
    y_pred = mlp(inputs)
    y_pred.label = "y"
    loss = _labelled((y_pred - 0.25) ** 2, "loss")
    loss.backward()
    result.append(
        graph_case(
            "MLP(2, [3, 1]) squared error",
            Graph.from_value(loss),
            [{}, {"x1": 0.25, "x2": 2.0}, {"x1": -4.0, "x2": -4.0}, {"x1": 1e308, "x2": 1e308}],
        )
    )

    a = Value(2.225e-309, label="a")
    p = _labelled((a / a) * a, "p")  # the share g/a of a subnormal a, not g * (1/a) = g * inf
    p.backward()
    result.append(
        graph_case(
            "a subnormal divisor: (a/a)*a",
            Graph.from_value(p),
            [{}, {"a": 5e-324}, {"a": -1e-310}, {"a": 1.5}, {"a": 0.0}],
        )
    )

    # groups (schema 2): one model called per sample (#K paths) inside a user's group
    rng_state = random.getstate()
    random.seed(5)
    tiny = nn.MLP(1, [2, 1])
    random.setstate(rng_state)
    a = Value(0.5, label="a")
    with micrograd_magic.group("loss"):
        total = sum((tiny([a * s]) - s) ** 2 for s in (1.0, -2.0))
    total.label = "total"
    total.backward()
    result.append(
        graph_case(
            "two calls of MLP(1, [2, 1]) in group loss", Graph.from_value(total), [{}, {"a": -1.5}]
        )
    )
    return result


def build() -> dict[str, Any]:
    """The whole vector file as a JSON-ready dict."""
    ops = op_cases()
    covered = {c["op"] for c in ops}
    missing = set(OPS) - {""} - covered
    if missing:
        raise AssertionError(f"ops without vectors: {sorted(missing)}")
    return {
        "about": "Written by tests/vectors/generate.py from micrograd_magic/ops.py; do not edit.",
        "schema": 1,
        "shareGrads": _nums(SHARE_GRADS),
        "ops": ops,
        "graphs": graphs(),
    }


def render() -> str:
    """The exact text of ops.json: deterministic (fixed inputs and seed), one op case per line."""
    vectors = build()

    def line(obj: Any) -> str:
        return json.dumps(obj, allow_nan=False)

    ops = ",\n".join(f"  {line(case)}" for case in vectors["ops"])
    graph_texts = []
    for g in vectors["graphs"]:
        cases = ",\n".join(f"    {line(case)}" for case in g["cases"])
        graph_texts.append(
            f'  {{"name": {line(g["name"])},\n   "graph": {line(g["graph"])},\n'
            f'   "cases": [\n{cases}\n   ]}}'
        )
    graphs_text = ",\n".join(graph_texts)
    return (
        f'{{"about": {line(vectors["about"])},\n "schema": {vectors["schema"]},\n'
        f' "shareGrads": {line(vectors["shareGrads"])},\n'
        f' "ops": [\n{ops}\n ],\n "graphs": [\n{graphs_text}\n ]}}\n'
    )


if __name__ == "__main__":
    write_text(OUT, render())
    print(f"wrote {OUT.relative_to(ROOT)}")
