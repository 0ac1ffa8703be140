"""The group tree of a graph: which module call (or ``group()`` block) built each node.

Nodes record only the innermost group they were built in (see :func:`engine.group`); the tree,
its paths and the names of parameters are worked out here, once per snapshot, so that building
the graph costs nothing extra. A path joins, from the top-level module called, the attribute
names and list indices that lead to a module (``layers.0.neurons.3``); a group made by
``group("loss")`` is named ``loss``; a module called inside a group, or one that is no attribute
of the module calling it, is named by its class (``MLP``). When several calls under one parent
would get the same name, each gets ``#K`` in call order (at the top level the path starts with
``#K.``: ``#2.layers.0``). Parameters are named by the attribute that holds them (``w.1``, ``b``)
under the first call of their module, and module outputs by their call's path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .engine import Scope, Value, group_scope

__all__ = ["Group", "GroupTree", "group_tree", "kernel_path", "short_path"]


@dataclass(frozen=True)
class Group:
    """One group: its dotted path, parent group id, kind (module class or ``"group"``) and the
    ids of its output nodes (those used outside it, or the graph's output)."""

    id: int
    path: str
    parent: int | None
    kind: str
    outputs: tuple[int, ...] = ()


@dataclass(frozen=True)
class GroupTree:
    """The groups of a graph (parents before children) and, per node, its innermost group id
    and its path (parameters and module outputs only)."""

    groups: tuple[Group, ...]
    node_group: tuple[int | None, ...]
    node_path: tuple[str | None, ...]


def short_path(path: str, parameter: bool = False) -> str:
    """The picture's short form of a dotted path: ``layers.0.neurons.3.w.1`` -> ``L1.N4.w2``.

    A name followed by an index becomes its first letter and the index counted from 1: upper
    case for lists of modules, as written for the list holding a ``parameter`` (the last pair
    of its path). Other names stay as they are.
    """
    parts = path.split(".") if path else []
    out: list[str] = []
    i = 0
    while i < len(parts):
        name = parts[i]
        index, _, repeat = parts[i + 1].partition("#") if i + 1 < len(parts) else ("", "", "")
        if name and not name.startswith("#") and index.isdigit():
            last = i + 2 == len(parts)
            letter = name[0] if parameter and last else name[0].upper()
            out.append(f"{letter}{int(index) + 1}" + (f"#{repeat}" if repeat else ""))
            i += 2
        else:
            out.append(name)
            i += 1
    return ".".join(out)


def kernel_path(path: str) -> str:
    """A dotted path as Python code reads it: ``layers.0.neurons.3.w.1`` ->
    ``layers[0].neurons[3].w[1]`` (``#K`` prefixes and class names stay as they are)."""
    out = ""
    for part in path.split(".") if path else []:
        index, _, repeat = part.partition("#")
        if index.isdigit() and out:
            out += f"[{index}]" + (f"#{repeat}" if repeat else "")
        else:
            out += f".{part}" if out else part
    return out


def _attributes(owner: object) -> dict[str, object]:
    return getattr(owner, "__dict__", {})


def _child_name(parent: object, child: object) -> str | None:
    """The attribute path of ``child`` inside module ``parent`` (``layers.0``), or None."""
    for name, value in _attributes(parent).items():
        if value is child:
            return name
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if item is child:
                    return f"{name}.{i}"
    return None


def _parameters_of(owner: object) -> list[tuple[str, Value]]:
    """The Values a module holds directly, named by attribute (``w.0``, ``b``)."""
    found: list[tuple[str, Value]] = []
    for name, value in _attributes(owner).items():
        if isinstance(value, Value):
            found.append((name, value))
        elif isinstance(value, (list, tuple)):
            found.extend((f"{name}.{i}", v) for i, v in enumerate(value) if isinstance(v, Value))
    return found


def _segment(scope: Scope) -> str:
    owner, enclosing, _ = scope
    if isinstance(owner, str):
        return owner
    if enclosing is None:
        return ""
    parent_owner = enclosing[0]
    name = None if isinstance(parent_owner, str) else _child_name(parent_owner, owner)
    return type(owner).__name__ if name is None else name


def _join(parent: str, segment: str) -> str:
    return segment if not parent else f"{parent}.{segment}"


def group_tree(order: Sequence[Value], output: int) -> GroupTree:
    """The group tree of the Values ``order`` (a graph in topological order, output at
    ``output``); a tree with no groups when no node was built in one."""
    node_scope: list[Scope | None] = [group_scope(v) for v in order]
    scopes: dict[int, Scope] = {}
    for s in node_scope:
        while s is not None and id(s) not in scopes:
            scopes[id(s)] = s
            s = s[1]
    if not scopes:
        return GroupTree((), (None,) * len(order), (None,) * len(order))
    by_call = sorted(scopes.values(), key=lambda s: s[2])  # enclosing calls open first

    # parameters: leaves built outside any call, placed in the first call of their module
    index = {v: i for i, v in enumerate(order)}
    param_name: dict[int, str] = {}
    for s in by_call:
        if isinstance(s[0], str):
            continue
        for name, v in _parameters_of(s[0]):
            i = index.get(v)
            if i is not None and node_scope[i] is None and i not in param_name:
                node_scope[i] = s
                param_name[i] = name

    # names: repeated (parent, name) pairs get #K in call order
    segment = {id(s): _segment(s) for s in by_call}
    siblings: dict[tuple[int, str], list[Scope]] = {}
    for s in by_call:
        siblings.setdefault((id(s[1]), segment[id(s)]), []).append(s)
    for same in siblings.values():
        if len(same) > 1:
            for k, s in enumerate(same, start=1):
                segment[id(s)] += f"#{k}"

    gid: dict[int, int] = {}
    paths: list[str] = []
    parents: list[int | None] = []
    kinds: list[str] = []
    for s in by_call:
        parent = None if s[1] is None else gid[id(s[1])]
        gid[id(s)] = len(paths)
        paths.append(_join("" if parent is None else paths[parent], segment[id(s)]))
        parents.append(parent)
        kinds.append("group" if isinstance(s[0], str) else type(s[0]).__name__)

    node_group = [None if s is None else gid[id(s)] for s in node_scope]
    chains = [_chain(g, parents) for g in range(len(paths))]
    around = [frozenset(chain) for chain in chains]
    outputs: list[set[int]] = [set() for _ in paths]
    for i, v in enumerate(order):
        user = node_group[i]
        for c in v.children:
            j = index[c]
            g = node_group[j]
            if g is None or g == user:  # most operands: no group boundary crossed
                continue
            inside = () if user is None else around[user]
            for h in chains[g]:
                if h not in inside:
                    outputs[h].add(j)
    if node_group[output] is not None:
        for h in chains[node_group[output]]:
            outputs[h].add(output)

    node_path: list[str | None] = [None] * len(order)
    for g in range(len(paths)):  # children come after their parents, so the innermost wins
        for i in outputs[g]:
            node_path[i] = paths[g]
    for i, name in param_name.items():
        node_path[i] = _join(paths[node_group[i]], name)  # type: ignore[index]
    groups = tuple(
        Group(g, paths[g], parents[g], kinds[g], tuple(sorted(outputs[g])))
        for g in range(len(paths))
    )
    return GroupTree(groups, tuple(node_group), tuple(node_path))


def _chain(g: int, parents: Sequence[int | None]) -> list[int]:
    """``g`` and its ancestors, innermost first."""
    chain: list[int] = []
    h: int | None = g
    while h is not None:
        chain.append(h)
        h = parents[h]
    return chain
