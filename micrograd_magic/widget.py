"""The live graph widget: a Value graph drawn in the notebook, with one slider per input.

The front end (``js/`` bundled into ``static/widget.js``) recomputes forward and backward itself
while a slider moves, so dragging needs no kernel round trip. When a drag ends it writes the new
``inputs`` list back; this side checks it, re-evaluates the :class:`~micrograd_magic.graph.Graph`
and writes the numbers into the original :class:`~micrograd_magic.engine.Value` objects, so names
bound to them in the notebook see what the picture shows. A malformed update from a page is
refused with a logged reason, and the kernel's state is sent back so the page snaps back to it.

Synced traits (the contract with the JS side):

* ``graph``: the schema-1 graph JSON (Python -> JS; a new value means a new structure).
* ``inputs``: one ``{"name", "id", "value", "min", "max", "step"}`` dict per slider (both ways).
* ``selected``: the id of the selected node, or None (both ways).
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anywidget
import traitlets

from .engine import Value
from .graph import Graph
from .inputs import InputSpec, default_input

__all__ = ["GraphWidget", "show"]

_BUNDLE = pathlib.Path(__file__).parent / "static" / "widget.js"

_MISSING_BUNDLE = (
    f"the widget's JavaScript bundle {_BUNDLE} was not built when micrograd_magic.widget was "
    "imported. Build it with `make install` (or `cd js && npm ci && npm run build`) in the "
    "micrograd_magic checkout, then restart the kernel."
)

_INPUT_KEYS = ("name", "id", "value", "min", "max", "step")


class GraphWidget(anywidget.AnyWidget):
    """A live picture of the graph behind ``root``: every node's data and grad, with sliders.

    ``inputs`` are the sliders: :class:`~micrograd_magic.inputs.InputSpec` objects whose names
    are labels of leaves in the graph; by default every leaf with a unique label and a finite
    value gets one (:func:`~micrograd_magic.inputs.default_input`). ``extra`` Values are drawn
    and re-evaluated too, though the output does not depend on them.

    Creating the widget evaluates the graph at the inputs' values and sets every Value's
    ``grad`` to d(root)/d(value), as ``zero_grad(); root.backward()`` would, so that the picture
    and the Values agree from the start. ``model_graph`` is the Python
    :class:`~micrograd_magic.graph.Graph` behind the picture (the ``graph`` trait is its JSON
    form, as it was when the widget was made; the current numbers are in ``model_graph``).
    """

    # The bundle is attached only when it exists, so that importing this module never fails;
    # __init__ explains how to build it. A Path (not its text) lets ANYWIDGET_HMR=1 reload it.
    if _BUNDLE.is_file():
        _esm = _BUNDLE

    graph = traitlets.Dict(help="The schema-1 graph JSON (Python -> JS).").tag(sync=True)
    inputs = traitlets.List(
        traitlets.Dict(), help="One slider per input: name, id, value, min, max, step."
    ).tag(sync=True)
    selected = traitlets.Int(None, allow_none=True, help="The selected node's id, or None.").tag(
        sync=True
    )

    def __init__(
        self,
        root: Value,
        inputs: Sequence[InputSpec] | None = None,
        extra: Sequence[Value] = (),
    ) -> None:
        if "_esm" not in GraphWidget.__dict__:
            raise RuntimeError(_MISSING_BUNDLE)
        self.model_graph = Graph.from_value(root, extra)
        leaves = _unique_labelled_leaves(self.model_graph)
        if inputs is None:
            specs = [
                default_input(name, self.model_graph.data[i])
                for name, i in leaves.items()
                if math.isfinite(self.model_graph.data[i])
            ]
        else:
            specs = list(inputs)
        self._slots = _slots(specs, leaves, self.model_graph)
        initial = [{**_slot_json(slot), "value": float(spec.value)} for slot, spec in zip(
            self._slots, specs
        )]
        self.model_graph.update({slot["id"]: s["value"] for slot, s in zip(self._slots, initial)})
        super().__init__(graph=self.model_graph.to_json(), inputs=initial, selected=None)

    # -- Python API ------------------------------------------------------------------------
    @property
    def input_values(self) -> dict[str, float]:
        """The sliders' current values, by input name."""
        return {d["name"]: d["value"] for d in self.inputs}

    def set_input(self, name: str, value: float) -> None:
        """Move slider ``name`` to ``value``: the Values are re-evaluated and the page follows.

        ValueError if there is no such input or the value is not a finite number in its range.
        """
        names = [d["name"] for d in self.inputs]
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
                f"[{slot['min']}, {slot['max']}]; show the value with a wider InputSpec"
            )
        new = [dict(d) for d in self.inputs]
        new[i]["value"] = number
        self.inputs = new

    def __repr__(self) -> str:
        """A one-line summary (the plain-text form where the widget cannot be drawn)."""
        g = self.model_graph
        out = g.nodes[g.output]
        name = out.label or (out.op or "output")
        sliders = ", ".join(f"{k}={v:g}" for k, v in self.input_values.items())
        return (
            f"<GraphWidget {name} = {g.data[g.output]:g}, grad computed over {len(g.nodes)} "
            f"nodes; inputs: {sliders or 'none'}>"
        )

    # -- keeping Python and the page in step -----------------------------------------------
    @traitlets.validate("inputs")
    def _validate_inputs(self, proposal: Any) -> list[dict[str, Any]]:
        try:
            return self._checked_inputs(proposal["value"])
        except ValueError as e:
            raise traitlets.TraitError(str(e)) from None

    @traitlets.observe("inputs")
    def _inputs_changed(self, change: Any) -> None:
        self.model_graph.update({d["id"]: d["value"] for d in change["new"]})

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply an update from the page, refusing (and undoing on the page) malformed parts.

        ipywidgets calls this for every ``update`` message a front end sends. A refused key is
        logged with its reason, left as it is here, and sent back so the page shows it again.
        """
        checks: dict[str, Callable[[Any], Any]] = {
            "inputs": self._checked_inputs,
            "selected": self._checked_selected,
            "graph": self._checked_graph,
        }
        accepted, refused = {}, []
        for key, value in sync_data.items():
            check = checks.get(key)
            if check is None:
                accepted[key] = value
                continue
            try:
                accepted[key] = check(value)
            except ValueError as e:
                self.log.warning("GraphWidget: refused %r from the front end: %s", key, e)
                refused.append(key)
        if accepted:
            super().set_state(accepted)
        if refused:
            self.send_state(refused)

    def _checked_inputs(self, proposed: object) -> list[dict[str, Any]]:
        """``proposed`` as a clean inputs list, or ValueError naming what is wrong with it."""
        if not isinstance(proposed, list):
            raise ValueError(f"inputs must be a list, got {type(proposed).__name__}")
        if len(proposed) != len(self._slots):
            raise ValueError(f"expected {len(self._slots)} inputs, got {len(proposed)}")
        clean = []
        for slot, item in zip(self._slots, proposed):
            if not isinstance(item, Mapping) or set(item) != set(_INPUT_KEYS):
                raise ValueError(
                    f"input {slot['name']!r} must be an object with exactly the keys "
                    f"{', '.join(_INPUT_KEYS)}, got {item!r}"
                )
            for key in ("name", "id", "min", "max", "step"):
                if item[key] != slot[key] or isinstance(item[key], bool):
                    raise ValueError(
                        f"input {slot['name']!r}: {key} is fixed at {slot[key]!r}, got {item[key]!r}"
                    )
            value = _finite_number(item["value"], f"input {slot['name']!r}")
            if not slot["min"] <= value <= slot["max"]:
                raise ValueError(
                    f"input {slot['name']!r}: {value} is outside [{slot['min']}, {slot['max']}]"
                )
            clean.append({**_slot_json(slot), "value": value})
        return clean

    def _checked_selected(self, proposed: object) -> int | None:
        if proposed is None:
            return None
        n = len(self.model_graph.nodes)
        if isinstance(proposed, bool) or not isinstance(proposed, int) or not 0 <= proposed < n:
            raise ValueError(f"selected must be a node id from 0 to {n - 1} or null, got {proposed!r}")
        return proposed

    def _checked_graph(self, proposed: object) -> dict[str, Any]:
        # The structure is the kernel's: a page may echo it back unchanged, never replace it.
        if proposed != self.graph:
            raise ValueError("the graph is set by the kernel and cannot be changed from the page")
        return self.graph


def _unique_labelled_leaves(graph: Graph) -> dict[str, int]:
    """Label -> id for leaves whose label no other leaf shares (a slider needs one target)."""
    ids: dict[str, list[int]] = {}
    for n in graph.nodes:
        if not n.args and n.label is not None:
            ids.setdefault(n.label, []).append(n.id)
    return {label: found[0] for label, found in ids.items() if len(found) == 1}


def _slots(
    specs: Sequence[InputSpec], leaves: Mapping[str, int], graph: Graph
) -> list[dict[str, Any]]:
    """The fixed part of each slider (name, id, range, step), checking names against the graph."""
    seen: set[str] = set()
    slots = []
    for spec in specs:
        if not isinstance(spec, InputSpec):
            raise TypeError(f"inputs must be InputSpec objects, got {type(spec).__name__}")
        if spec.name in seen:
            raise ValueError(f"input {spec.name!r} is given twice")
        seen.add(spec.name)
        if spec.name not in leaves:
            shared = sum(1 for n in graph.nodes if not n.args and n.label == spec.name)
            if shared > 1:
                raise ValueError(
                    f"input {spec.name!r} is ambiguous: {shared} leaves of the graph carry that "
                    "label; give them distinct labels"
                )
            raise ValueError(
                f"input {spec.name!r} is not a labelled leaf of the graph; its labelled leaves "
                f"are {', '.join(leaves) or 'none'}"
            )
        slots.append(
            {
                "name": spec.name,
                "id": leaves[spec.name],
                "min": float(spec.min),
                "max": float(spec.max),
                "step": float(spec.step),
            }
        )
    return slots


def _slot_json(slot: Mapping[str, Any]) -> dict[str, Any]:
    """A slot as an ``inputs`` entry in the contract's key order (value filled in by the caller)."""
    return {key: slot.get(key) for key in _INPUT_KEYS}


def _finite_number(x: object, role: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"{role}: expected a number, got {x!r}")
    if not math.isfinite(x):
        raise ValueError(f"{role}: expected a finite number, got {x!r}")
    return float(x)


def show(
    value: Value,
    inputs: Sequence[Value | InputSpec] | None = None,
    *,
    extra: Sequence[Value] = (),
) -> GraphWidget:
    """A live widget for any Value built in Python; the notebook draws it when it is returned.

    ``inputs`` lists the sliders: labelled leaf Values of the graph (each gets a default range)
    and/or :class:`~micrograd_magic.inputs.InputSpec` objects; by default every leaf with a
    unique label gets one. Example: ``show(MLP(2, [16, 16, 1])([Value(1.0, label="a"),
    Value(-2.0, label="b")]))``.
    """
    if not isinstance(value, Value):
        raise TypeError(f"show() draws a Value, got {type(value).__name__}")
    if inputs is None:
        return GraphWidget(value, extra=extra)
    graph_values = {id(v) for v in _graph_values(value, extra)}
    specs = []
    for item in inputs:
        if isinstance(item, InputSpec):
            specs.append(item)
        elif isinstance(item, Value):
            if id(item) not in graph_values:
                raise ValueError(f"input {item!r} is not part of the graph of the shown value")
            if item.op:
                raise ValueError(
                    f"input {item!r} is computed (op {item.op!r}); only leaves can be inputs"
                )
            if item.label is None:
                raise ValueError(
                    f"input {item!r} has no label; give it one, e.g. Value(..., label='x')"
                )
            specs.append(default_input(item.label, item.data))
        else:
            raise TypeError(
                f"inputs must be Values or InputSpecs, got {type(item).__name__}: {item!r}"
            )
    return GraphWidget(value, inputs=specs, extra=extra)


def _graph_values(root: Value, extra: Sequence[Value]) -> list[Value]:
    return list(Graph.from_value(root, extra).values or ())
