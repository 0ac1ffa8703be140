"""The graphs of the widget benchmark's network table (issue 12), importable for the tests.

Each row of the table draws one MLP's output twice in the same run: as the network (the graph
with its groups, schema 2, with ``open_groups`` closed by default or every group open) and as
the flat view of today (the same graph written as schema 1 without its groups), so that the two
differ only in the group tree.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from micrograd_magic import Value, nn  # noqa: E402
from micrograd_magic.graph import SCHEMA  # noqa: E402
from micrograd_magic.state import WidgetState  # noqa: E402

#: The node fields that only a graph with groups has.
GROUP_FIELDS = ("group", "path", "short")

#: The neuron the table opens with a click (the first neuron of the first layer).
NEURON = "layers.0.neurons.0"


@dataclass(frozen=True)
class Row:
    """One row of the network table: the MLP's layer sizes, whether every group is open, and
    the issue's targets (ms; ``open_ms`` None where the issue sets none)."""

    sizes: tuple[int, ...]
    all_open: bool
    paint_ms: float
    frame_ms: float
    open_ms: float | None

    @property
    def name(self) -> str:
        """How the table names the row: ``MLP(2,[16,16,1]), closed``."""
        shape = ",".join(str(s) for s in self.sizes)
        return f"MLP(2,[{shape}]), {'all open' if self.all_open else 'closed'}"


#: The issue's table: first paint, slider input -> painted frame (median), open one neuron.
ROWS = (
    Row((16, 16, 1), False, 150.0, 8.0, 50.0),
    Row((16, 16, 1), True, 300.0, 8.0, None),
    Row((64, 64, 1), False, 500.0, 16.0, 50.0),
    Row((64, 64, 1), True, 2000.0, 16.0, None),
)


def mlp_output(sizes: tuple[int, ...]) -> Value:
    """The output of ``MLP(2, sizes)`` at inputs x1 = 1, x2 = -0.5 (seeded weights), labelled
    ``out``: the graph every row draws."""
    random.seed(1)
    model = nn.MLP(2, list(sizes))
    out = model([Value(1.0, label="x1"), Value(-0.5, label="x2")])
    out.label = "out"
    return out


def network_state(out: Value, all_open: bool) -> dict[str, Any]:
    """The widget state of ``out`` as the network: every key as the kernel sends it, with
    ``open_groups`` the default (model and layers open, neurons closed) or every group's path."""
    state = WidgetState(out)
    if all_open:
        state.set("open_groups", state.model_graph.group_paths())
    return state.to_json()


def flat_graph(graph_json: dict[str, Any]) -> dict[str, Any]:
    """The same graph as today's flat view: schema 1, no ``groups``, and no node fields of the
    group tree (``group``, ``path``, ``short``); ids, ops, operands and numbers unchanged."""
    nodes = [{k: v for k, v in n.items() if k not in GROUP_FIELDS} for n in graph_json["nodes"]]
    flat = {k: v for k, v in graph_json.items() if k != "groups"}
    return {**flat, "schema": SCHEMA, "nodes": nodes}


def flat_state(state: dict[str, Any]) -> dict[str, Any]:
    """A network state's flat twin: the same keys and inputs, the flat graph, no open groups."""
    return {**state, "graph": flat_graph(state["graph"]), "open_groups": []}


def graph_nodes(state: dict[str, Any]) -> int:
    """How many value nodes the state's graph holds."""
    return len(state["graph"]["nodes"])
