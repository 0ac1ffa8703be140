"""The live graph widget: a Value graph drawn in the notebook, with one slider per input.

The front end (``js/`` bundled into ``static/widget.js``) recomputes forward and backward itself
while a slider moves, so dragging needs no kernel round trip. When a drag ends it writes the new
``inputs`` list back; this side checks it, re-evaluates the :class:`~micrograd_magic.graph.Graph`
and writes the numbers into the original :class:`~micrograd_magic.engine.Value` objects, so names
bound to them in the notebook see what the picture shows. A malformed update from a page is
refused with a logged reason, and the kernel's state is sent back so the page snaps back to it.

Where no widget can run (nbconvert HTML without widget state, nbviewer, GitHub), the display data
carries a static Graphviz picture of the graph too; :meth:`GraphWidget.save_html` writes a
standalone offline page (see :mod:`micrograd_magic.export`).

Synced traits (the contract with the JS side):

* ``graph``: the schema-1 graph JSON (Python -> JS; a new value means a new structure).
* ``inputs``: one ``{"name", "id", "value", "min", "max", "step"}`` dict per slider (both ways).
* ``selected``: the id of the selected node, or None (both ways).
* ``step``: the step-through position, or None outside step mode (both ways): 0 shows every
  grad at 0, k the grads after k steps of :func:`~micrograd_magic.explain.step_sequence`.
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anywidget
import traitlets

from .engine import Value
from .explain import Explanation, explain, step_sequence
from .export import BUILD_HINT, BUNDLE, write_page
from .graph import Graph
from .inputs import InputSpec, default_input
from .picture import display_svg

__all__ = ["BundleMissingError", "GraphWidget", "show"]

_MISSING_BUNDLE = (
    f"the widget's JavaScript bundle {BUNDLE} was not built when micrograd_magic.widget was "
    f"imported: {BUILD_HINT}, then restart the kernel"
)

_INPUT_KEYS = ("name", "id", "value", "min", "max", "step")


class BundleMissingError(RuntimeError):
    """The widget's JavaScript bundle was never built; the message says how to build it."""


class GraphWidget(anywidget.AnyWidget):
    """A live picture of the graph behind ``root``: every node's data and grad, with sliders.

    ``inputs`` are the sliders, each a :class:`~micrograd_magic.inputs.InputSpec` named after
    a labelled leaf of the graph, or such a leaf Value itself (it gets a default range from
    :func:`~micrograd_magic.inputs.default_input`). By default every leaf with a unique label
    and a finite value gets a slider. ``extra`` Values are drawn and re-evaluated too, though
    the output does not depend on them.

    Creating the widget evaluates the graph at the inputs' values and sets every Value's
    ``grad`` to d(root)/d(value), as ``zero_grad(); root.backward()`` would, so the picture and
    the Values agree from the start. ``model_graph`` is the Python
    :class:`~micrograd_magic.graph.Graph` behind the picture, holding the current numbers; the
    ``graph`` trait is its JSON form as it was when the widget was made (the structure).

    Displaying the widget also puts a static SVG of the graph (at the current numbers) into the
    output, for viewers that cannot run widgets; graphs larger than
    :attr:`static_picture_max_nodes` get none, to keep notebooks small.
    """

    #: Graphs with more nodes than this get no static picture in the display data (Graphviz's
    #: SVG costs about 1.3 KB per node in the saved notebook). Set it on the class or a widget.
    static_picture_max_nodes: int = 300

    # The bundle is attached only when it exists, so that importing this module never fails;
    # __init__ explains how to build it. A Path (not its text) lets ANYWIDGET_HMR=1 reload it.
    if BUNDLE.is_file():
        _esm = BUNDLE

    graph = traitlets.Dict(help="The schema-1 graph JSON (Python -> JS).").tag(sync=True)
    inputs = traitlets.List(
        traitlets.Dict(), help="One slider per input: name, id, value, min, max, step."
    ).tag(sync=True)
    selected = traitlets.Int(None, allow_none=True, help="The selected node's id, or None.").tag(
        sync=True
    )
    step = traitlets.Int(
        None, allow_none=True, help="The step-through position (0 to the number of steps) or None."
    ).tag(sync=True)

    def __init__(
        self,
        root: Value,
        inputs: Sequence[InputSpec | Value] | None = None,
        extra: Sequence[Value] = (),
    ) -> None:
        if "_esm" not in GraphWidget.__dict__:
            raise BundleMissingError(_MISSING_BUNDLE)
        self.model_graph = Graph.from_value(root, extra)
        self._steps = len(step_sequence(self.model_graph))
        self._slots = _slots(self.model_graph, inputs)
        self.model_graph.update({s["id"]: s["value"] for s in self._slots})
        super().__init__(
            graph=self.model_graph.to_json(),
            inputs=[dict(s) for s in self._slots],
            selected=None,
            step=None,
        )

    # -- Python API ------------------------------------------------------------------------
    @property
    def input_values(self) -> dict[str, float]:
        """The sliders' current values, by input name."""
        return {d["name"]: d["value"] for d in self.inputs}

    def set_input(self, name: str, value: float) -> None:
        """Move slider ``name`` to ``value``: the Values are re-evaluated and the page follows.

        ValueError if there is no such input or the value is not a finite number in its range.
        """
        names = [s["name"] for s in self._slots]
        if name not in names:
            raise ValueError(
                f"no input named {name!r}; this widget's inputs are {', '.join(names) or 'none'}"
            )
        i = names.index(name)
        slot = self._slots[i]
        number = _finite_number(value, f"input {name!r}")
        if not slot["min"] <= number <= slot["max"]:
            raise ValueError(
                f"input {name!r}: {number} is outside its slider's range "
                f"[{slot['min']}, {slot['max']}]; pass a wider InputSpec to show a value there"
            )
        new = [dict(d) for d in self.inputs]
        new[i]["value"] = number
        self.inputs = new

    def node_id(self, node: int | str | Value) -> int:
        """The id of ``node`` in this widget's graph: given as an id, a label or a Value."""
        g = self.model_graph
        if isinstance(node, Value):
            for i, v in enumerate(g.values or ()):
                if v is node:
                    return i
            raise ValueError(f"{node!r} is not part of the graph this widget shows")
        if isinstance(node, str):
            ids = [n.id for n in g.nodes if n.label == node]
            if len(ids) != 1:
                found = "no node" if not ids else f"{len(ids)} nodes"
                raise ValueError(f"{found} of this graph carries the label {node!r}")
            return ids[0]
        return self._checked_selected(node)

    def select(self, node: int | str | Value | None) -> None:
        """Select a node (by id, label or Value) as a click would, or clear it with None."""
        self.selected = None if node is None else self.node_id(node)

    def explain(self, node: int | str | Value) -> Explanation:
        """The explanation the details panel shows for ``node``: its local derivatives and the
        chain-rule sum behind its grad, at the current numbers (the same text as the page)."""
        return explain(self.model_graph, self.node_id(node))

    def save_html(self, path: str | pathlib.Path, title: str | None = None) -> pathlib.Path:
        """Write this widget as a standalone HTML page that works offline; returns the path.

        The page holds the widget's current state and the JS bundle, with no kernel behind it:
        sliders recompute in the browser. ``title`` heads the page (default: no heading). For
        several widgets on one page use :func:`micrograd_magic.export.write_page`.
        """
        return write_page(self, path, title)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """anywidget's display data (the live view), plus a static SVG and a text summary.

        Front ends that run widgets rank the widget view first and show it; nbconvert (without
        widget state), nbviewer and GitHub skip it and show the SVG.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:  # anywidget's answer when there is no view to show
            return None
        # anywidget returns (data, metadata); IPython also accepts a bare data dict.
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = {**data, "text/plain": repr(self)}
        if len(self.model_graph.nodes) <= self.static_picture_max_nodes:
            svg = display_svg(self.model_graph)
            if svg is not None:
                data["image/svg+xml"] = svg
        return data, metadata

    def __repr__(self) -> str:
        """A one-line summary: the output, its value, the graph's size and the inputs."""
        g = self.model_graph
        out = g.nodes[g.output]
        name = out.label or f"output ({out.op or 'leaf'})"
        sliders = ", ".join(f"{k}={v:g}" for k, v in self.input_values.items())
        return (
            f"<GraphWidget {name} = {g.data[g.output]:g} ({len(g.nodes)} nodes); "
            f"inputs: {sliders or 'none'}>"
        )

    # -- keeping Python and the page in step -----------------------------------------------
    # Python-side assignments get the same checks as the page's updates, as TraitErrors.
    @traitlets.validate("inputs", "selected", "step")
    def _validate_assignment(self, proposal: Any) -> Any:
        try:
            return self._checks()[proposal["trait"].name](proposal["value"])
        except ValueError as e:
            raise traitlets.TraitError(str(e)) from None

    @traitlets.observe("inputs")
    def _inputs_changed(self, change: Any) -> None:
        # Leaves without a slider (weights a training step moved since the picture was made)
        # are re-read from the Values; the page then gets them too, so both stay in step.
        moved = self.model_graph.sync_leaves()
        self.model_graph.update({d["id"]: d["value"] for d in change["new"]})
        if moved:
            self.graph = self.model_graph.to_json()

    def _checks(self) -> dict[str, Callable[[Any], Any]]:
        return {
            "inputs": self._checked_inputs,
            "selected": self._checked_selected,
            "step": self._checked_step,
            "graph": self._checked_graph,
        }

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply an update from the page, refusing (and undoing on the page) malformed parts.

        ipywidgets calls this for every ``update`` message a front end sends. A refused key is
        logged with its reason, left as it is here, and sent back so that the page shows the
        kernel's state again.
        """
        checks = self._checks()
        accepted, refused = {}, []
        for key, value in sync_data.items():
            check = checks.get(key)
            try:
                accepted[key] = value if check is None else check(value)
            except ValueError as e:
                self.log.warning("GraphWidget refused %r from the front end: %s", key, e)
                refused.append(key)
        if accepted:
            super().set_state(accepted)
        if refused:
            self.send_state(refused)

    def _checked_inputs(self, proposed: object) -> list[dict[str, Any]]:
        """``proposed`` as a clean inputs list, or ValueError saying what is wrong with it."""
        if not isinstance(proposed, list):
            raise ValueError(f"inputs must be a list, got {type(proposed).__name__}")
        if len(proposed) != len(self._slots):
            raise ValueError(f"expected {len(self._slots)} inputs, got {len(proposed)}")
        clean = []
        for slot, item in zip(self._slots, proposed, strict=True):
            name = slot["name"]
            if not isinstance(item, Mapping) or set(item) != set(_INPUT_KEYS):
                raise ValueError(
                    f"input {name!r} must be an object with exactly the keys "
                    f"{', '.join(_INPUT_KEYS)}, got {item!r}"
                )
            for key in ("name", "id", "min", "max", "step"):
                if isinstance(item[key], bool) or item[key] != slot[key]:
                    raise ValueError(f"input {name!r}: {key} is {slot[key]!r}, got {item[key]!r}")
            value = _finite_number(item["value"], f"input {name!r}")
            if not slot["min"] <= value <= slot["max"]:
                raise ValueError(
                    f"input {name!r}: {value} is outside [{slot['min']}, {slot['max']}]"
                )
            clean.append({**slot, "value": value})
        return clean

    def _checked_selected(self, proposed: object) -> int | None:
        if proposed is None:
            return None
        n = len(self.model_graph.nodes)
        if isinstance(proposed, bool) or not isinstance(proposed, int) or not 0 <= proposed < n:
            raise ValueError(
                f"selected must be a node id from 0 to {n - 1} or null, got {proposed!r}"
            )
        return proposed

    def _checked_step(self, proposed: object) -> int | None:
        if proposed is None:
            return None
        if isinstance(proposed, bool) or not isinstance(proposed, int):
            raise ValueError(f"step must be a whole number or null, got {proposed!r}")
        if not 0 <= proposed <= self._steps:
            raise ValueError(f"step must be from 0 to {self._steps} or null, got {proposed}")
        return proposed

    def _checked_graph(self, proposed: object) -> dict[str, Any]:
        # The structure belongs to the kernel: a page may send it back unchanged, never alter it.
        if proposed != self.graph:
            raise ValueError("the graph is set by the kernel and cannot be changed from the page")
        return self.graph


def _slots(graph: Graph, inputs: Sequence[InputSpec | Value] | None) -> list[dict[str, Any]]:
    """Each slider's ``inputs`` entry at its initial value, checked against the graph."""
    leaf_ids: dict[str, list[int]] = {}
    for n in graph.nodes:
        if not n.args and n.label is not None:
            leaf_ids.setdefault(n.label, []).append(n.id)
    if inputs is None:
        # A slider needs exactly one target, and no slider can hold nan or inf.
        specs = [
            default_input(label, graph.data[ids[0]])
            for label, ids in leaf_ids.items()
            if len(ids) == 1 and math.isfinite(graph.data[ids[0]])
        ]
    else:
        specs = [_as_spec(item, graph) for item in inputs]
    slots: list[dict[str, Any]] = []
    for spec in specs:
        ids = leaf_ids.get(spec.name, [])
        if any(s["name"] == spec.name for s in slots):
            raise ValueError(f"input {spec.name!r} is given twice")
        if len(ids) > 1:
            raise ValueError(
                f"input {spec.name!r} is ambiguous: {len(ids)} leaves of the graph carry that "
                "label; give them distinct labels"
            )
        if not ids:
            raise ValueError(
                f"input {spec.name!r} is not a labelled leaf of the graph; its labelled leaves "
                f"are {', '.join(leaf_ids) or 'none'}"
            )
        slots.append(
            {
                "name": spec.name,
                "id": ids[0],
                "value": float(spec.value),
                "min": float(spec.min),
                "max": float(spec.max),
                "step": float(spec.step),
            }
        )
    return slots


def _as_spec(item: object, graph: Graph) -> InputSpec:
    """An InputSpec as it is; a labelled leaf Value of the graph as a default slider for it."""
    if isinstance(item, InputSpec):
        return item
    if not isinstance(item, Value):
        raise TypeError(f"inputs must be InputSpecs or Values, got {type(item).__name__}: {item!r}")
    if not any(v is item for v in graph.values or ()):
        raise ValueError(f"input {item!r} is not part of the graph being shown")
    if item.op:
        raise ValueError(f"input {item!r} is computed (op {item.op!r}); only leaves can be inputs")
    if item.label is None:
        raise ValueError(f"input {item!r} has no label; give it one, e.g. Value(2.0, label='x')")
    return default_input(item.label, item.data)


def _finite_number(x: object, role: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"{role}: expected a number, got {x!r}")
    if not math.isfinite(x):
        raise ValueError(f"{role}: expected a finite number, got {x!r}")
    return float(x)


def show(
    value: Value,
    inputs: Sequence[InputSpec | Value] | None = None,
    *,
    extra: Sequence[Value] = (),
) -> GraphWidget:
    """A live graph widget for any Value built in Python; a notebook draws the returned widget.

    ``inputs``: the sliders, as labelled leaf Values of the graph and/or InputSpecs (default:
    every uniquely labelled leaf). For example
    ``show(MLP(2, [16, 16, 1])([Value(1.0, label="a"), Value(-2.0, label="b")]))``.
    """
    if not isinstance(value, Value):
        raise TypeError(f"show() draws a Value, got {type(value).__name__}: {value!r}")
    return GraphWidget(value, inputs=inputs, extra=extra)
