"""Write tests/vectors/names.json: the names Python gives nodes, which js/core/names.js repeats.

Per dotted path: its kernel form (groups.kernel_path) and short form (groups.short_path). Per
graph below: its schema-2 JSON and, per node, what the pictures write on its card
(GraphNode.name: the label, else the short form) and its kernel path. Run it from the
repository root after changing the names: ``.venv/bin/python tests/vectors/generate_names.py``.

tests/test_names.py fails while the checked-in file differs from what this writes.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from micrograd_magic import Value, group, nn  # noqa: E402
from micrograd_magic.files import write_text  # noqa: E402
from micrograd_magic.graph import Graph  # noqa: E402
from micrograd_magic.groups import kernel_path, short_path  # noqa: E402

PATH = Path(__file__).with_name("names.json")

PATHS = [
    ("", False),
    ("layers.0", False),
    ("layers.0.neurons.3", False),
    ("layers.0.neurons.3.w.1", True),
    ("layers.1.neurons.0.b", True),
    ("#2.layers.1.neurons.0.b", True),
    ("#1", False),
    ("loss", False),
    ("loss.MLP#2.layers.0.neurons.1", False),
    ("hidden.neurons.10.w.12", True),
    ("blocks.0#3.scale", True),
]


def mlp() -> Graph:
    """A small MLP on two labelled inputs."""
    random.seed(5)
    model = nn.MLP(2, [3, 1])
    return Graph.from_value(model([Value(1.0, label="x1"), Value(-2.0, label="x2")]))


class Affine:
    """A user's own module: no base class call, names from its attributes only."""

    def __init__(self) -> None:
        self.scale = Value(2.0)
        self.shift = Value(-1.0)


class TwoStep(nn.Module):
    """A user's Module subclass without super().__init__(): a hidden neuron and an output one."""

    def __init__(self) -> None:
        self.hidden = nn.Neuron(2)
        self.head = nn.Neuron(1, nonlin=False)

    def forward(self, x):
        return self.head([self.hidden(x)])


def user_module() -> Graph:
    """The user's Module subclass on two labelled inputs."""
    random.seed(6)
    model = TwoStep()
    return Graph.from_value(model([Value(0.5, label="a"), Value(1.5, label="b")]))


def two_calls() -> Graph:
    """One model called once per sample inside group("loss"): calls get #K."""
    random.seed(7)
    model = nn.MLP(1, [2, 1])
    with group("loss"):
        errors = [(model([Value(float(x), label=f"x{x}")]) - 1) ** 2 for x in (1, 2)]
        total = sum(errors, Value(0.0))
    return Graph.from_value(total)


def two_samples() -> Graph:
    """One model called once per sample at the top level: paths start with #K."""
    random.seed(8)
    model = nn.MLP(1, [2, 1])
    return Graph.from_value(model([Value(1.0, label="u")]) + model([Value(-1.0, label="v")]))


GRAPHS: dict[str, Callable[[], Graph]] = {
    "mlp": mlp,
    "user_module": user_module,
    "two_calls": two_calls,
    "two_samples": two_samples,
}


def _backward(g: Graph) -> Graph:
    """The graph with its output's grads, as show() draws it after ``backward()``."""
    g.values[g.output].backward()  # type: ignore[index]
    return Graph.from_value(g.values[g.output])  # type: ignore[index]


def graph_vectors(name: str, g: Graph) -> dict[str, Any]:
    """The graph's JSON (after backward) and each node's card name and kernel path."""
    g = _backward(g)
    return {
        "name": name,
        "graph": g.to_json(),
        "names": [n.name for n in g.nodes],
        "kernel": [None if n.path is None else kernel_path(n.path) for n in g.nodes],
    }


def build() -> dict[str, Any]:
    """The whole vectors file as a JSON-ready dict."""
    return {
        "about": "micrograd_magic's node names; js/core/names.test.js checks names.js against "
        "them. Written by tests/vectors/generate_names.py: do not edit.",
        "paths": [
            {"path": p, "parameter": param, "kernel": kernel_path(p), "short": short_path(p, param)}
            for p, param in PATHS
        ],
        "graphs": [graph_vectors(name, make()) for name, make in GRAPHS.items()],
    }


def render() -> str:
    """The file's exact text."""
    return json.dumps(build(), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def main() -> None:
    """Write the file."""
    write_text(PATH, render())
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
