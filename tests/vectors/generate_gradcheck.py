"""Write tests/vectors/gradcheck.json: the numerical gradient check that js/core/numeric.js repeats.

Each case is a graph (the schema-1 JSON, with the data and grads the check compares) and, for
every node, what ``micrograd_magic.numeric.check_node`` finds: h, the central difference, the
relative error and the verdict. The cases cover smooth graphs that agree, relu and abs on their
kinks, an estimate that is not finite nearby, one that rounding or curvature makes unreliable,
and grads that are wrong on purpose (doubled), which must disagree.

``js/core/numeric.test.js`` checks the JS twin against the file; ``tests/test_numeric.py`` checks
that the file is what this script writes now. Run from the repository root after changing
numeric.py: ``.venv/bin/python tests/vectors/generate_gradcheck.py``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from micrograd_magic import Value  # noqa: E402
from micrograd_magic.files import write_text  # noqa: E402
from micrograd_magic.graph import Graph, encode_number  # noqa: E402
from micrograd_magic.numeric import check_node  # noqa: E402

PATH = Path(__file__).with_name("gradcheck.json")


def _neuron() -> Value:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    return n.tanh()


def _kinks() -> Value:
    x, y = Value(0.0, label="x"), Value(1.5, label="y")
    return (x * y).relu() + (y - 1.5).abs() * x.exp()


def _smooth() -> Value:
    x, y = Value(0.7, label="x"), Value(-1.3, label="y")
    return (x / y).sigmoid() * (x**2 + 1).log() - y.cos() * x.sin() + (-x) ** 3


def _edges() -> Value:
    x, y = Value(1e-6, label="x"), Value(1e-3, label="y")
    return x.log() + y**3 + (y * 1e8).sin() + ((y + 1e8) - 1e8)


CASES: tuple[tuple[str, Callable[[], Value], float], ...] = (
    ("neuron", _neuron, 1.0),
    ("relu and abs at their kinks", _kinks, 1.0),
    ("smooth ops", _smooth, 1.0),
    ("not finite, curved, oscillating, cancelling", _edges, 1.0),
    ("grads doubled: wrong on purpose", _smooth, 2.0),
)


def run_case(name: str, build: Callable[[], Value], scale: float) -> dict[str, Any]:
    """The graph of ``build()`` with its grads times ``scale``, and every node's check."""
    out = build()
    out.backward()
    graph = Graph.from_value(out)
    grad = [g * scale for g in graph.grad]
    graph.grad = grad
    checks = []
    for i in range(len(graph.nodes)):
        c = check_node(graph, graph.data, grad, i)
        checks.append(
            {
                "id": i,
                "h": c.h,
                "estimate": encode_number(c.estimate),
                "relerr": encode_number(c.relerr),
                "status": c.status,
            }
        )
    return {"name": name, "graph": graph.to_json(), "checks": checks}


def render() -> str:
    """The exact text of gradcheck.json: deterministic, one check per line."""

    def line(obj: Any) -> str:
        return json.dumps(obj, allow_nan=False)

    texts = []
    for case in (run_case(*c) for c in CASES):
        checks = ",\n".join(f"    {line(c)}" for c in case["checks"])
        texts.append(
            f'  {{"name": {line(case["name"])},\n   "graph": {line(case["graph"])},\n'
            f'   "checks": [\n{checks}\n   ]}}'
        )
    about = "Written by tests/vectors/generate_gradcheck.py from micrograd_magic/numeric.py."
    cases_text = ",\n".join(texts)
    return f'{{"about": {line(about)},\n "cases": [\n{cases_text}\n ]}}\n'


def write(path: Path = PATH) -> None:
    """Write the file through a temporary file in the same folder, renamed into place."""
    write_text(path, render())


if __name__ == "__main__":
    write()
    print(f"wrote {PATH.relative_to(ROOT)}")
