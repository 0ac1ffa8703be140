"""A snapshot of a Value graph: the JSON contract every front end speaks, and re-evaluation.

The JSON form (``"schema": 1``) is what the widget, the exported page and the tests exchange::

    {"schema": 1, "output": 4,
     "nodes": [{"id": 0, "label": "x", "op": "", "args": [], "data": 2.0, "grad": 7.0},
               {"id": 3, "label": null, "op": "**", "args": [0], "k": 2.0, "data": 4.0, ...}]}

* ``nodes`` are in topological order (operands before results) and a node's ``id`` is its index,
  so forward is one pass and backward one reversed pass, here and in ``js/core/engine.js`` alike.
* ``op`` is a key of :data:`micrograd_magic.engine.OPS`; ``""`` marks a leaf (an input, a
  parameter or a constant); ``k`` is the exponent of a ``**`` node.
* Numbers that are not finite are written as the strings ``"NaN"``, ``"Infinity"`` and
  ``"-Infinity"``, because JSON has no literal for them.

Re-evaluation here follows IEEE arithmetic (log(-1) is nan, 1/0 is inf) exactly like the JS
engine, so that a slider dragged into a domain error shows nan/inf on the nodes instead of
failing; the engine's ``Value`` operations raise instead. The rules (:func:`ieee_forward`,
:func:`ieee_local_derivatives`) live next to the op table in :mod:`micrograd_magic.ops`, since
the engine's backward pass uses them too; ``tests/vectors/`` pins them to ``js/core/engine.js``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .engine import OPS, Value, topological_order
from .groups import Group, group_tree, short_path
from .ops import ieee_forward, ieee_local_derivatives, ieee_share

__all__ = [
    "SCHEMA",
    "SCHEMA_GROUPS",
    "Graph",
    "GraphNode",
    "Group",
    "decode_number",
    "encode_number",
    "ieee_forward",
    "ieee_local_derivatives",
    "ieee_share",
]

SCHEMA = 1
#: The schema of a graph with groups: schema 1 plus the group tree (see :class:`Graph`).
SCHEMA_GROUPS = 2

_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def encode_number(x: float) -> float | str:
    """A float as JSON allows it: finite numbers as they are, nan/inf as strings."""
    if math.isfinite(x):
        return x
    if math.isnan(x):
        return "NaN"
    return "Infinity" if x > 0 else "-Infinity"


def decode_number(x: float | int | str) -> float:
    """The inverse of :func:`encode_number`; raises ValueError for anything else."""
    if isinstance(x, str):
        if x in _NON_FINITE:
            return _NON_FINITE[x]
        raise ValueError(f"not a number: {x!r}")
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"not a number: {x!r}")
    return float(x)


@dataclass(frozen=True)
class GraphNode:
    """One node of a :class:`Graph`: its op, its operands' ids, exponent and label; with groups,
    its innermost group's id and, for parameters and module outputs, its dotted path."""

    id: int
    op: str
    args: tuple[int, ...]
    label: str | None = None
    k: float | None = None
    group: int | None = None
    path: str | None = None

    @property
    def short(self) -> str | None:
        """The picture's short form of the node's path (``L1.N4.w2``), or None without one."""
        return None if self.path is None else short_path(self.path, parameter=not self.args)

    @property
    def name(self) -> str | None:
        """What the pictures write on the node: its label, else its path's short form (the
        top-level module's own output, path ``""``, stays unnamed); js/core/names.js's twin."""
        return self.label if self.label is not None else (self.short or None)


class Graph:
    """The computation graph behind one output Value, in topological order.

    Built with :meth:`from_value` it remembers the Value objects themselves, so that
    :meth:`update` can recompute them in place with new leaf values: names bound to those Values
    (``x``, ``z`` in a notebook) then read the new data and grads.
    """

    def __init__(
        self,
        nodes: Sequence[GraphNode],
        data: Sequence[float],
        grad: Sequence[float] | None = None,
        output: int | None = None,
        values: Sequence[Value] | None = None,
        groups: Sequence[Group] = (),
    ) -> None:
        self.nodes: tuple[GraphNode, ...] = tuple(nodes)
        self.groups: tuple[Group, ...] = tuple(groups)
        self.output: int = len(self.nodes) - 1 if output is None else output
        self.data: list[float] = [float(x) for x in data]
        self.grad: list[float] = [0.0] * len(self.nodes) if grad is None else list(grad)
        self.values: tuple[Value, ...] | None = tuple(values) if values is not None else None
        _validate(self.nodes, self.output)
        _validate_groups(self.nodes, self.groups)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_value(cls, root: Value, extra: Sequence[Value] = ()) -> Graph:
        """Snapshot the graph of ``root`` (the output); data and grad are read as they are now.

        ``extra`` Values (e.g. a cell's variables that the output does not use) are included too,
        so that they are re-evaluated along with it; their grads are 0.
        """
        for v in (root, *extra):
            if not isinstance(v, Value):
                raise TypeError(f"expected a Value, got {type(v).__name__}")
        order = topological_order(root)
        seen = set(order)
        for other in extra:
            for v in topological_order(other):
                if v not in seen:
                    seen.add(v)
                    order.append(v)
        index = {v: i for i, v in enumerate(order)}
        output = index[root]
        tree = group_tree(order, output)
        nodes = [
            GraphNode(
                id=i,
                op=v._op,
                args=tuple(index[c] for c in v.children),
                label=v.label,
                k=v.exponent,
                group=tree.node_group[i],
                path=tree.node_path[i],
            )
            for i, v in enumerate(order)
        ]
        data, grad = [v.data for v in order], [v.grad for v in order]
        return cls(nodes, data, grad, output, order, tree.groups)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Graph:
        """Read the JSON form back (as written by :meth:`to_json`, schema 1 or 2); ValueError if
        malformed."""
        if not isinstance(obj, Mapping) or obj.get("schema") not in (SCHEMA, SCHEMA_GROUPS):
            raise ValueError(
                f"not a schema-{SCHEMA} or -{SCHEMA_GROUPS} graph: expected {{'schema': 1, ...}}"
            )
        raw = obj.get("nodes")
        if not isinstance(raw, list):
            raise ValueError("graph JSON needs a 'nodes' list")
        nodes, data, grad = [], [], []
        for i, n in enumerate(raw):
            if not isinstance(n, Mapping) or n.get("id") != i:
                raise ValueError(f"node {i}: expected an object with 'id': {i}")
            k = n.get("k")
            nodes.append(
                GraphNode(
                    id=i,
                    op=n.get("op", ""),
                    args=tuple(n.get("args", ())),
                    label=n.get("label"),
                    k=None if k is None else decode_number(k),
                    group=n.get("group"),
                    path=n.get("path"),
                )
            )
            data.append(decode_number(n.get("data", 0.0)))
            grad.append(decode_number(n.get("grad", 0.0)))
        groups = _groups_from_json(obj.get("groups", [])) if obj["schema"] == SCHEMA_GROUPS else ()
        return cls(nodes, data, grad, obj.get("output"), groups=groups)

    def to_json(self) -> dict[str, Any]:
        """The JSON form (a dict ready for ``json.dumps``): schema 1, or schema 2 when the graph
        has groups, so that a graph without groups reads exactly as it always did."""
        out = []
        for n in self.nodes:
            d: dict[str, Any] = {"id": n.id, "label": n.label, "op": n.op, "args": list(n.args)}
            if n.k is not None:
                d["k"] = encode_number(n.k)
            if n.group is not None:
                d["group"] = n.group
            if n.path is not None:
                d["path"] = n.path
                d["short"] = n.short
            d["data"] = encode_number(self.data[n.id])
            d["grad"] = encode_number(self.grad[n.id])
            out.append(d)
        if not self.groups:
            return {"schema": SCHEMA, "output": self.output, "nodes": out}
        groups = [
            {
                "id": g.id,
                "path": g.path,
                "short": short_path(g.path),
                "parent": g.parent,
                "kind": g.kind,
                "outputs": list(g.outputs),
            }
            for g in self.groups
        ]
        return {"schema": SCHEMA_GROUPS, "output": self.output, "nodes": out, "groups": groups}

    # -- questions -------------------------------------------------------------------------
    def group_paths(self) -> list[str]:
        """Every group's dotted path, parents before children (empty without groups)."""
        return [g.path for g in self.groups]

    @property
    def leaves(self) -> list[int]:
        """Ids of the nodes with no operands (inputs, parameters, constants)."""
        return [n.id for n in self.nodes if not n.args]

    def labelled_leaves(self) -> dict[str, int]:
        """Label -> id for the leaves that have a label: the natural sliders of a picture."""
        return {n.label: n.id for n in self.nodes if not n.args and n.label is not None}

    def local_derivatives(self, node_id: int) -> tuple[float, ...]:
        """d node / d operand for each operand of ``node_id``, at the current data."""
        n = self.nodes[node_id]
        if not n.args:
            return ()
        return ieee_local_derivatives(n.op, [self.data[a] for a in n.args], self.data[n.id], n.k)

    def parents(self) -> list[list[int]]:
        """For each node, the ids of the nodes that use it as an operand (once per use)."""
        users: list[list[int]] = [[] for _ in self.nodes]
        for n in self.nodes:
            for a in n.args:
                users[a].append(n.id)
        return users

    # -- re-evaluation ---------------------------------------------------------------------
    def evaluate(
        self, leaf_values: Mapping[int, float] | None = None
    ) -> tuple[list[float], list[float]]:
        """Forward and backward with some leaves set to new values; returns (data, grad).

        Pure: the graph itself is not changed. IEEE rules apply (nan/inf, no exceptions).
        """
        data = list(self.data)
        for i, x in (leaf_values or {}).items():
            if self.nodes[i].args:
                raise ValueError(f"node {i} is computed ({self.nodes[i].op}), not a leaf")
            data[i] = float(x)
        for n in self.nodes:
            if n.args:
                data[n.id] = ieee_forward(n.op, [data[a] for a in n.args], n.k)
        grad = [0.0] * len(self.nodes)
        grad[self.output] = 1.0
        for n in reversed(self.nodes[: self.output + 1]):
            if not n.args:
                continue
            g = grad[n.id]
            args = [data[a] for a in n.args]
            local = ieee_local_derivatives(n.op, args, data[n.id], n.k)
            for which, (a, d) in enumerate(zip(n.args, local, strict=True)):
                grad[a] += ieee_share(n.op, which, args, d, g)
        return data, grad

    def sync_leaves(self) -> bool:
        """Re-read every leaf's data from the Values; True if any changed since the snapshot.

        Code in the kernel may move leaves after the snapshot (a training step updates the
        parameters); re-evaluating from stale copies would silently put the old numbers back.
        """
        if self.values is None:
            return False
        changed = False
        for i in self.leaves:
            current = self.values[i].data
            if current != self.data[i] and not (math.isnan(current) and math.isnan(self.data[i])):
                self.data[i] = current
                changed = True
        return changed

    def update(self, leaf_values: Mapping[int, float] | None = None) -> None:
        """Re-evaluate with new leaf values and store the result here and in the Values.

        Grads are recomputed from scratch (not accumulated), so the picture and the Values agree.
        """
        data, grad = self.evaluate(leaf_values)
        self.data, self.grad = data, grad
        if self.values is not None:
            for v, d, g in zip(self.values, data, grad, strict=True):
                v.data = d
                v.grad = g


def _validate(nodes: Sequence[GraphNode], output: int) -> None:
    for i, n in enumerate(nodes):
        if n.id != i:
            raise ValueError(f"node {i}: its id is {n.id}, ids must equal positions")
        if n.op not in OPS:
            raise ValueError(f"node {i}: unknown op {n.op!r}")
        if len(n.args) != OPS[n.op]:
            raise ValueError(
                f"node {i}: op {n.op!r} takes {OPS[n.op]} operand(s), got {len(n.args)}"
            )
        if any(not isinstance(a, int) or not 0 <= a < i for a in n.args):
            raise ValueError(f"node {i}: operands must be ids of earlier nodes, got {list(n.args)}")
        if n.op == "**" and n.k is None:
            raise ValueError(f"node {i}: a '**' node needs its exponent 'k'")
        if n.label is not None and not isinstance(n.label, str):
            raise ValueError(
                f"node {i}: a label must be a string or null, not {type(n.label).__name__}"
            )
    if not isinstance(output, int) or not 0 <= output < len(nodes):
        raise ValueError(f"output {output!r} is not a node id")


def _groups_from_json(raw: object) -> list[Group]:
    if not isinstance(raw, list):
        raise ValueError("a schema-2 graph needs a 'groups' list")
    groups = []
    for i, g in enumerate(raw):
        if not isinstance(g, Mapping) or g.get("id") != i:
            raise ValueError(f"group {i}: expected an object with 'id': {i}")
        groups.append(
            Group(
                id=i,
                path=g.get("path"),
                parent=g.get("parent"),
                kind=g.get("kind", "group"),
                outputs=tuple(g.get("outputs", ())),
            )
        )
    return groups


def _validate_groups(nodes: Sequence[GraphNode], groups: Sequence[Group]) -> None:
    paths: set[str] = set()
    for i, g in enumerate(groups):
        if g.id != i:
            raise ValueError(f"group {i}: its id is {g.id}, ids must equal positions")
        if not isinstance(g.path, str) or g.path in paths:
            raise ValueError(f"group {i}: its path must be a string unique in the graph")
        paths.add(g.path)
        if g.parent is not None and not (isinstance(g.parent, int) and 0 <= g.parent < i):
            raise ValueError(f"group {i}: its parent must be the id of an earlier group")
        if any(not isinstance(o, int) or not 0 <= o < len(nodes) for o in g.outputs):
            raise ValueError(f"group {i}: its outputs must be node ids")
    for n in nodes:
        if n.group is not None and not (isinstance(n.group, int) and 0 <= n.group < len(groups)):
            raise ValueError(f"node {n.id}: group {n.group!r} is not a group id")
        if n.path is not None and not isinstance(n.path, str):
            raise ValueError(f"node {n.id}: a path must be a string or null")
