"""The graph widget's state, without a kernel: what a page reads, and what it may write back.

A :class:`WidgetState` turns a graph (a :class:`~micrograd_magic.engine.Value` or a
:class:`~micrograd_magic.graph.Graph`) and its inputs into the JSON state the front end reads,
checks every update that comes back from a page, and re-evaluates the graph when the sliders
move, writing the numbers into the Values themselves. It imports no widget framework: the live
widget (:class:`~micrograd_magic.widget.GraphWidget`) is a thin traitlets face on it, and the
exported page and the command line use it directly.

The state is one flat JSON object whose keys are listed once, in :data:`KEYS`, each with the
side that writes it and the check a proposed value must pass:

* ``graph`` (kernel): the schema-1 graph JSON; a new value means a new structure or new leaves.
* ``inputs`` (both): one ``{"name", "id", "value", "min", "max", "step"}`` dict per slider.
* ``selected`` (both): the id of the selected node, or None.
* ``step`` (both): the step-through position, or None outside step mode: 0 shows every grad at
  0, k the grads after k steps of :func:`~micrograd_magic.explain.step_sequence`.
* ``train_inputs`` (kernel): the names of the sliders that gradient descent moves (empty: the
  widget has no training controls).
* ``lr`` (both): the learning rate of those steps, a finite number > 0.
* ``quiz`` (kernel): None, or ``{"asked": [ids]}``: the nodes whose grads a student must find.
  A quiz's ``graph`` carries no grads at all (the page computes them), so none is in the page.
* ``lesson`` (kernel): None, or how a teacher set the widget up: ``{"hide": [parts],
  "lock": [input names], "compact": bool, "caption": text or None}`` (see :data:`HIDEABLE`).
* ``quiz_progress`` (both): one ``{"id", "solved", "revealed", "attempts", "answer"}`` dict per
  asked node, in the order of ``quiz["asked"]``; ``answer`` is the right answer given, or None.
* ``open_groups`` (both): the paths of the groups drawn open (see :mod:`micrograd_magic.groups`);
  at first every group that holds other groups (a model, its layers), so a network opens as
  neurons in layers. Always empty for a graph without groups.

A key the kernel owns may come back from a page only unchanged (an echo). Each key of a page's
message is judged on its own: a bad ``inputs`` does not cost a good ``selected`` beside it.
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .engine import Value, collector_paused
from .explain import Explanation, explain, step_sequence
from .graph import Graph
from .inputs import InputSpec, default_input

__all__ = [
    "HIDEABLE",
    "KEYS",
    "MAX_SLIDERS",
    "PAGE_KEYS",
    "TEXT_SIZES",
    "PageUpdate",
    "StateKey",
    "WidgetState",
    "finite_number",
]

_INPUT_KEYS = ("name", "id", "value", "min", "max", "step")
_PROGRESS_KEYS = ("id", "solved", "revealed", "attempts", "answer")

#: The parts a lesson may hide: the grads (the student gets a "Show grads" button), the details
#: panel, the step-through and the sliders.
HIDEABLE = ("grad", "panel", "step", "sliders")

#: The longest caption: a title above the widget, not a text.
_CAPTION_CHARS = 300

#: At most this many inputs get a slider: a page of more sliders than this is no use to
#: anyone, and each costs the kernel and the page. Inputs beyond it are drawn as leaves and
#: keep their values (:attr:`WidgetState.note` says so, and it is logged).
MAX_SLIDERS = 1000

log = logging.getLogger(__name__)

#: Where a value from a page or a caller is cut short in a message.
_SHOWN_CHARS = 60


@dataclass(frozen=True)
class StateKey:
    """One key of the widget state: who writes it, and the check a proposed value must pass.

    ``check(state, value)`` returns the value as the state stores it (e.g. whole numbers from
    JSON as floats) or raises ValueError saying what is wrong. ``page_writable`` keys may be
    changed by a page; the others belong to the kernel and may only come back unchanged.
    """

    name: str
    page_writable: bool
    check: Callable[[WidgetState, object], Any]
    doc: str


@dataclass
class PageUpdate:
    """The verdict on one message from a page, key by key.

    ``accepted``: the keys to apply, as the state stores them (an unchanged echo of a kernel
    key is accepted and changes nothing). ``refused``: key -> the reason, for keys with a bad
    value and keys the page may not write. ``snap_back``: the refused keys the page must get
    the state's value of again, so that it shows what the kernel holds.
    """

    accepted: dict[str, Any] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def snap_back(self) -> list[str]:
        """The refused keys that are keys of the state (a page must be sent their values)."""
        return [key for key in self.refused if key in KEYS]


class WidgetState:
    """The state of one graph widget: the graph, its sliders, the selection and the step.

    ``root`` is the output Value (``extra`` Values are drawn and re-evaluated too) or a
    :class:`~micrograd_magic.graph.Graph` already made. ``inputs`` are the sliders, each an
    :class:`~micrograd_magic.inputs.InputSpec` naming a labelled leaf, or such a leaf Value (it
    gets a default range); by default every leaf with a unique label and a finite value.

    Making the state evaluates the graph at the inputs' values and sets every Value's ``grad``
    to d(root)/d(value), as ``zero_grad(); root.backward()`` would.

    ``train`` names the sliders (or gives their leaf Values) that the page's gradient descent
    moves, by ``-lr·grad`` per step; ``lr`` is its starting learning rate.
    """

    def __init__(
        self,
        root: Value | Graph,
        inputs: Sequence[InputSpec | Value] | None = None,
        extra: Sequence[Value] = (),
        train: Sequence[str | Value] = (),
        lr: float = 0.1,
        text: str = "normal",
        quiz: bool | Sequence[int | str | Value] | None = None,
        *,
        hide: Sequence[str] = (),
        lock: Sequence[str] = (),
        compact: bool = False,
        caption: str | None = None,
    ) -> None:
        text = _checked_text_size(text)
        if isinstance(root, Graph):
            if extra:
                raise ValueError("extra Values need a root Value, not a Graph")
        elif not isinstance(root, Value):
            raise TypeError(f"a widget draws a Value or a Graph, got {type(root).__name__}")
        # Many objects and no cycles: the collector's passes over them would free nothing.
        with collector_paused():
            graph = root if isinstance(root, Graph) else Graph.from_value(root, extra)
            slots, without_slider = _slots(graph, inputs, MAX_SLIDERS)
            graph.update({s["id"]: s["value"] for s in slots})
            steps = len(step_sequence(graph))
            graph_json = graph.to_json()
        #: The Python :class:`~micrograd_magic.graph.Graph` behind the picture, with the
        #: current numbers.
        self.model_graph: Graph = graph
        self._slots = slots
        self._slot_index = {s["name"]: i for i, s in enumerate(slots)}
        self._steps = steps
        #: Why some inputs have no slider (more than :data:`MAX_SLIDERS`), or None.
        self.note: str | None = None
        if without_slider:
            self.note = (
                f"sliders are drawn for the first {MAX_SLIDERS:,} of "
                f"{MAX_SLIDERS + without_slider:,} inputs; the other {without_slider:,} are "
                "drawn as leaves and keep their values (pass fewer inputs to choose which)"
            )
            log.warning("%s", self.note)
        self._asked = self._asked_ids(quiz)
        lesson = _lesson(hide, lock, compact, caption, [s["name"] for s in slots])
        if self._asked:
            graph_json = _without_grads(graph_json)
        self._values: dict[str, Any] = {
            "graph": graph_json,
            "inputs": [dict(s) for s in slots],
            "selected": None,
            "step": None,
            "train_inputs": [],
            "lr": 0.1,
            "text": text,
            "quiz": {"asked": list(self._asked)} if self._asked else None,
            "lesson": lesson,
            "quiz_progress": [
                {"id": i, "solved": False, "revealed": False, "attempts": 0, "answer": None}
                for i in self._asked
            ],
            "open_groups": _initially_open(graph),
        }
        self._values["train_inputs"] = self._train_names(train)
        self._values["lr"] = self._checked_lr(lr)

    def _asked_ids(self, quiz: bool | Sequence[int | str | Value] | None) -> tuple[int, ...]:
        """The asked node ids: every node but the output for True, else the nodes named."""
        if quiz is None or quiz is False:
            return ()
        if quiz is True:
            return tuple(
                i for i in range(len(self.model_graph.nodes)) if i != self.model_graph.output
            )
        if isinstance(quiz, (str, bytes)) or not isinstance(quiz, Sequence):
            raise TypeError(
                f"quiz must be True, False, None or a list of nodes, got {type(quiz).__name__}"
            )
        ids: list[int] = []
        for node in quiz:
            i = self.node_id(node)
            if i not in ids:
                ids.append(i)
        return tuple(ids)

    # -- reading -------------------------------------------------------------------------
    def get(self, key: str) -> Any:
        """The current value of state key ``key`` (the object itself: do not change it)."""
        return self._values[key]

    def to_json(self) -> dict[str, Any]:
        """Every key's current value: what a front end needs to draw the widget."""
        return {key: self._values[key] for key in KEYS}

    @property
    def quiz_progress(self) -> list[dict[str, Any]]:
        """Per asked node: id, solved, revealed, attempts and the right answer given (or None)."""
        return [dict(entry) for entry in self._values["quiz_progress"]]

    @property
    def steps(self) -> int:
        """The number of backprop steps: ``step`` goes from 0 to this."""
        return self._steps

    @property
    def input_values(self) -> dict[str, float]:
        """The sliders' current values, by input name."""
        return {d["name"]: d["value"] for d in self._values["inputs"]}

    def node_id(self, node: int | str | Value) -> int:
        """The id of ``node`` in this graph: given as an id, a label or a Value."""
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
        checked = self._checked_selected(node)
        if checked is None:
            raise ValueError("a node is named by its id, label or Value, got None")
        return checked

    def explain(self, node: int | str | Value) -> Explanation:
        """The explanation the details panel shows for ``node`` at the current numbers."""
        return explain(self.model_graph, self.node_id(node))

    # -- checking ------------------------------------------------------------------------
    def check(self, key: str, value: object) -> Any:
        """``value`` as state key ``key`` would store it, or ValueError saying what is wrong.

        A key the kernel owns passes only unchanged.
        """
        spec = KEYS.get(key)
        if spec is None:
            raise ValueError(f"{key!r} is not part of the widget's state")
        return spec.check(self, value)

    def judge(self, message: Mapping[str, object]) -> PageUpdate:
        """The verdict on a message from a page, each key judged on its own (nothing changes).

        Keys that are not part of the state are refused here too; a host that has more keys of
        its own (the ipywidgets framework's) judges those itself.
        """
        verdict = PageUpdate()
        for key, value in message.items():
            try:
                verdict.accepted[key] = self.check(key, value)
            except Exception as err:  # a page's bad value must never escape as an exception
                verdict.refused[key] = _reason(err)
        return verdict

    # -- changing ------------------------------------------------------------------------
    def set(self, key: str, value: object) -> dict[str, Any]:
        """Check and store ``value`` under ``key``, with its effects; returns what changed.

        The returned dict maps each key whose value changed to its new value: setting
        ``inputs`` re-evaluates the graph, and if leaves without a slider moved since the last
        evaluation (a training step in the kernel) ``graph`` changes too.
        """
        clean = self.check(key, value)
        current = self._values[key]
        if clean is current or clean == current:
            return {}
        self._values[key] = clean
        changes = {key: clean}
        if key == "inputs":
            changes.update(self._evaluate())
        return changes

    def apply(self, message: Mapping[str, object]) -> PageUpdate:
        """Judge a page's message and apply the accepted keys (see :meth:`judge`)."""
        verdict = self.judge(message)
        for key, value in verdict.accepted.items():
            self.set(key, value)
        return verdict

    def inputs_with(self, name: str, value: object) -> list[dict[str, Any]]:
        """The ``inputs`` list with slider ``name`` moved to ``value`` (nothing changes yet).

        ValueError if there is no such input or the value is not a finite number in its range.
        """
        i = self._slot_index.get(name) if isinstance(name, str) else None
        if i is None:
            names = ", ".join(s["name"] for s in self._slots[:20])
            more = f" and {len(self._slots) - 20} more" if len(self._slots) > 20 else ""
            why = f" ({self.note})" if self.note else ""
            raise ValueError(
                f"no input named {_short(name)}; this widget's inputs are "
                f"{names or 'none'}{more}{why}"
            )
        slot = self._slots[i]
        number = finite_number(value, f"input {name!r}")
        if not slot["min"] <= number <= slot["max"]:
            raise ValueError(
                f"input {name!r}: {number} is outside its slider's range "
                f"[{slot['min']}, {slot['max']}]; pass a wider InputSpec to show a value there"
            )
        new = list(self._values["inputs"])
        new[i] = {**new[i], "value": number}
        return new

    def set_input(self, name: str, value: object) -> dict[str, Any]:
        """Move slider ``name`` to ``value`` and re-evaluate; returns what changed."""
        return self.set("inputs", self.inputs_with(name, value))

    def select(self, node: int | str | Value | None) -> dict[str, Any]:
        """Select a node (by id, label or Value), or clear with None; returns what changed."""
        return self.set("selected", None if node is None else self.node_id(node))

    def open_group(self, path: str) -> dict[str, Any]:
        """Draw group ``path`` open (its nodes inside its box); returns what changed."""
        self._group_id(path)
        current = self._values["open_groups"]
        return {} if path in current else self.set("open_groups", [*current, path])

    def close_group(self, path: str) -> dict[str, Any]:
        """Draw group ``path`` closed (one box); returns what changed."""
        self._group_id(path)
        current = self._values["open_groups"]
        return self.set("open_groups", [p for p in current if p != path])

    def _group_id(self, path: object) -> int:
        paths = self.model_graph.group_paths()
        if isinstance(path, str) and path in paths:
            return paths.index(path)
        if not paths:
            raise ValueError(f"no group {_short(path)}: this graph has no groups")
        shown = ", ".join(repr(p) for p in paths[:10])
        more = f" and {len(paths) - 10} more" if len(paths) > 10 else ""
        raise ValueError(f"no group {_short(path)}; this graph's groups are {shown}{more}")

    def _evaluate(self) -> dict[str, Any]:
        # Leaves without a slider (weights a training step moved since the picture was made)
        # are re-read from the Values; the page then gets them too, so both stay in step.
        g = self.model_graph
        moved = g.sync_leaves()
        g.update({d["id"]: d["value"] for d in self._values["inputs"]})
        if not moved:
            return {}
        self._values["graph"] = _without_grads(g.to_json()) if self._asked else g.to_json()
        return {"graph": self._values["graph"]}

    def _train_names(self, train: Sequence[str | Value]) -> list[str]:
        """The names of the trainable sliders, each checked to be a slider of this widget."""
        if isinstance(train, (str, Value)):
            train = [train]
        names: list[str] = []
        for item in train:
            name = item.label if isinstance(item, Value) else item
            if not isinstance(name, str) or name not in self._slot_index:
                sliders = ", ".join(s["name"] for s in self._slots[:20]) or "none"
                raise ValueError(
                    f"train: {_short(name if isinstance(item, Value) else item)} is not a slider "
                    f"of this widget; its sliders are {sliders}"
                )
            if name in names:
                raise ValueError(f"train: {name!r} is given twice")
            names.append(name)
        return names

    # -- the checks, one per key (see KEYS) ----------------------------------------------
    def _checked_graph(self, proposed: object) -> dict[str, Any]:
        current = self._values["graph"]
        if proposed is not current and proposed != current:
            raise ValueError("the graph is set by the kernel and cannot be changed from the page")
        return current

    def _checked_inputs(self, proposed: object) -> list[dict[str, Any]]:
        if proposed is self._values["inputs"]:
            return self._values["inputs"]
        if not isinstance(proposed, list):
            raise ValueError(f"inputs must be a list, got {type(proposed).__name__}")
        if len(proposed) != len(self._slots):
            raise ValueError(f"expected {len(self._slots)} inputs, got {len(proposed)}")
        clean = []
        current = self._values["inputs"]
        for slot, item, held in zip(self._slots, proposed, current, strict=True):
            if item is held:  # a dict this state made and checked (a list rebuilt around it)
                clean.append(held)
                continue
            name = slot["name"]
            if not isinstance(item, Mapping) or len(item) != len(_INPUT_KEYS):
                raise ValueError(_keys_message(name, item))
            if any(key not in item for key in _INPUT_KEYS):
                raise ValueError(_keys_message(name, item))
            for key in ("name", "id", "min", "max", "step"):
                if isinstance(item[key], bool) or not _same(item[key], slot[key]):
                    raise ValueError(
                        f"input {name!r}: {key} is {slot[key]!r}, got {_short(item[key])}"
                    )
            value = finite_number(item["value"], f"input {name!r}")
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
        if (
            isinstance(proposed, bool)
            or not isinstance(proposed, numbers.Integral)
            or not 0 <= proposed < n
        ):
            raise ValueError(
                f"selected must be a node id from 0 to {n - 1} or null, got {_short(proposed)}"
            )
        return int(proposed)

    def _checked_quiz(self, proposed: object) -> dict[str, Any] | None:
        current = self._values["quiz"]
        if proposed is not current and proposed != current:
            raise ValueError("the quiz is set by the kernel and cannot be changed from the page")
        return current

    def _checked_lesson(self, proposed: object) -> dict[str, Any] | None:
        current = self._values["lesson"]
        if proposed is not current and proposed != current:
            raise ValueError("the lesson is set by the kernel and cannot be changed from the page")
        return current

    def _checked_quiz_progress(self, proposed: object) -> list[dict[str, Any]]:
        if proposed is self._values["quiz_progress"]:
            return proposed
        if not isinstance(proposed, list) or len(proposed) != len(self._asked):
            raise ValueError(
                f"quiz_progress must be a list of {len(self._asked)} entries, one per asked node"
            )
        clean = []
        for node, item in zip(self._asked, proposed, strict=True):
            if not isinstance(item, Mapping) or set(item) != set(_PROGRESS_KEYS):
                raise ValueError(
                    f"quiz_progress of node {node} must have exactly the keys "
                    f"{', '.join(_PROGRESS_KEYS)}, got {_short(item)}"
                )
            if not _same(item["id"], node) or isinstance(item["id"], bool):
                raise ValueError(f"quiz_progress lists node {node} here, got {_short(item['id'])}")
            for key in ("solved", "revealed"):
                if not isinstance(item[key], bool):
                    raise ValueError(f"quiz_progress of node {node}: {key} must be true or false")
            attempts = item["attempts"]
            if isinstance(attempts, bool) or not isinstance(attempts, numbers.Integral):
                raise ValueError(f"quiz_progress of node {node}: attempts must be a whole number")
            if attempts < 0:
                raise ValueError(f"quiz_progress of node {node}: attempts must not be negative")
            answer = item["answer"]
            if answer is not None:
                answer = finite_number(answer, f"quiz_progress of node {node}: answer")
            clean.append(
                {
                    "id": node,
                    "solved": item["solved"],
                    "revealed": item["revealed"],
                    "attempts": int(attempts),
                    "answer": answer,
                }
            )
        return clean

    def _checked_step(self, proposed: object) -> int | None:
        if proposed is None:
            return None
        if isinstance(proposed, bool) or not isinstance(proposed, numbers.Integral):
            raise ValueError(f"step must be a whole number or null, got {_short(proposed)}")
        if not 0 <= proposed <= self._steps:
            raise ValueError(f"step must be from 0 to {self._steps} or null, got {proposed}")
        return int(proposed)

    def _checked_train_inputs(self, proposed: object) -> list[str]:
        current = self._values["train_inputs"]
        if proposed is not current and proposed != current:
            raise ValueError("the trainable inputs are set by the kernel (show(..., train=[...]))")
        return current

    def _checked_lr(self, proposed: object) -> float:
        rate = finite_number(proposed, "lr")
        if not rate > 0:
            raise ValueError(f"lr: the learning rate must be above 0, got {_short(proposed)}")
        return rate

    def _checked_text(self, proposed: object) -> str:
        return _checked_text_size(proposed)

    def _checked_open_groups(self, proposed: object) -> list[str]:
        current = self._values["open_groups"]
        if proposed is current:
            return current
        if not isinstance(proposed, list):
            raise ValueError(f"open_groups must be a list of group paths, got {_short(proposed)}")
        for path in proposed:
            self._group_id(path)
        if len(set(proposed)) != len(proposed):
            raise ValueError(f"open_groups names a group twice: {_short(proposed)}")
        return list(proposed)


#: The text sizes of the widget: "large" draws the graph and its text half as big again, for
#: a projector in a lecture hall.
TEXT_SIZES = ("normal", "large")


def _checked_text_size(proposed: object) -> str:
    if not isinstance(proposed, str) or proposed not in TEXT_SIZES:
        raise ValueError(f"text must be 'normal' or 'large', got {_short(proposed)}")
    return proposed


def _initially_open(graph: Graph) -> list[str]:
    """The groups that hold other groups: a model and its layers open, its neurons closed."""
    parents = {g.parent for g in graph.groups}
    return [g.path for g in graph.groups if g.id in parents]


#: Every key of the widget state, in the order a page's state lists them. A new key is one
#: entry here (with its check) and, for the live widget, one synced trait of the same name.
KEYS: dict[str, StateKey] = {
    key.name: key
    for key in (
        StateKey("graph", False, WidgetState._checked_graph, "the schema-1 graph JSON"),
        StateKey("inputs", True, WidgetState._checked_inputs, "one dict per slider"),
        StateKey("selected", True, WidgetState._checked_selected, "the selected node's id"),
        StateKey("step", True, WidgetState._checked_step, "the step-through position"),
        StateKey("train_inputs", False, WidgetState._checked_train_inputs, "the trainable sliders"),
        StateKey("lr", True, WidgetState._checked_lr, "the learning rate of a training step"),
        StateKey("text", True, WidgetState._checked_text, "the text size: normal or large"),
        StateKey("quiz", False, WidgetState._checked_quiz, "the asked nodes, or null"),
        StateKey("lesson", False, WidgetState._checked_lesson, "the lesson's set-up, or null"),
        StateKey(
            "quiz_progress", True, WidgetState._checked_quiz_progress, "one dict per asked node"
        ),
        StateKey("open_groups", True, WidgetState._checked_open_groups, "open groups' paths"),
    )
}

#: The keys a page may change.
PAGE_KEYS: tuple[str, ...] = tuple(k for k, spec in KEYS.items() if spec.page_writable)


def finite_number(x: object, role: str) -> float:
    """``x`` as a finite float, or ValueError naming ``role``.

    Any real number type is accepted (int, float, Fraction, Decimal, NumPy's scalars); bools and
    text are not numbers here, and a number too large for a float is refused, not rounded to
    infinity.
    """
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        raise ValueError(f"{role}: expected a number, got {_short(x)}")
    if isinstance(x, Decimal):
        finite = x.is_finite()
    else:
        try:
            finite = math.isfinite(x)
        except OverflowError:  # an int or Fraction beyond float's range: finite, too large
            finite = True
    if not finite:
        raise ValueError(f"{role}: expected a finite number, got {_short(x)}")
    try:
        number = float(x)
    except (OverflowError, ValueError, TypeError):
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{role}: {_short(x)} is too large for a float")
    return number


def _lesson(
    hide: Sequence[str], lock: Sequence[str], compact: bool, caption: str | None, names: list[str]
) -> dict[str, Any] | None:
    """The ``lesson`` key for these options (None when all are the defaults), checked."""
    for option, given in (("hide", hide), ("lock", lock)):
        if isinstance(given, str) or not isinstance(given, Sequence):
            raise TypeError(f"{option} must be a list of names, got {_short(given)}")
    for part in hide:
        if part not in HIDEABLE:
            raise ValueError(
                f"hide: {_short(part)} is not a part; choose from {', '.join(HIDEABLE)}"
            )
    for name in lock:
        if name not in names:
            raise ValueError(
                f"lock: {_short(name)} is not an input with a slider; the inputs are "
                f"{', '.join(names[:20]) or 'none'}"
            )
    if not isinstance(compact, bool):
        raise TypeError(f"compact must be True or False, got {_short(compact)}")
    if caption is not None and not isinstance(caption, str):
        raise TypeError(f"caption must be text, got {type(caption).__name__}")
    if caption is not None and len(caption) > _CAPTION_CHARS:
        raise ValueError(f"caption: {len(caption):,} characters; at most {_CAPTION_CHARS}")
    if not hide and not lock and not compact and not caption:
        return None
    return {
        "hide": list(dict.fromkeys(hide)),
        "lock": list(dict.fromkeys(lock)),
        "compact": compact,
        "caption": caption or None,
    }


def _without_grads(graph_json: dict[str, Any]) -> dict[str, Any]:
    """The graph JSON with no node's grad: a quiz's page computes them and shows none."""
    nodes = [{k: v for k, v in n.items() if k != "grad"} for n in graph_json["nodes"]]
    return {**graph_json, "nodes": nodes}


def _same(a: object, b: object) -> bool:
    """``a == b`` for values from a page, where comparing may itself fail (huge ints)."""
    try:
        return bool(a == b)
    except Exception:  # a page's value must never escape as an exception
        return False


def _short(x: object) -> str:
    """``repr(x)``, cut short: a page's value may be huge (10**400, a long list)."""
    try:
        text = repr(x)
    except Exception:  # int's repr refuses more than 4,300 digits
        return f"a {type(x).__name__} too large to show"
    if len(text) <= _SHOWN_CHARS:
        return text
    return f"{text[: _SHOWN_CHARS - 1]}… ({len(text):,} characters)"


def _keys_message(name: str, item: object) -> str:
    return (
        f"input {name!r} must be an object with exactly the keys "
        f"{', '.join(_INPUT_KEYS)}, got {_short(item)}"
    )


def _reason(err: Exception) -> str:
    if isinstance(err, ValueError):
        return str(err)
    return f"{type(err).__name__}: {err}"


def _slots(
    graph: Graph, inputs: Sequence[InputSpec | Value] | None, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Each slider's ``inputs`` entry at its initial value, checked against the graph, for the
    first ``limit`` inputs; and how many inputs beyond those get no slider. Every input given is
    checked, whether it gets a slider or not."""
    leaf_ids: dict[str, list[int]] = {}
    for n in graph.nodes:
        if not n.args and n.label is not None:
            leaf_ids.setdefault(n.label, []).append(n.id)
    if inputs is None:
        # A slider needs exactly one target, and no slider can hold nan or inf.
        eligible = [
            label
            for label, ids in leaf_ids.items()
            if len(ids) == 1 and math.isfinite(graph.data[ids[0]])
        ]
        specs: list[InputSpec | str] = [
            default_input(label, graph.data[leaf_ids[label][0]]) for label in eligible[:limit]
        ]
        return [_slot(spec, leaf_ids[spec.name][0]) for spec in specs], len(eligible[limit:])
    positions = {id(v): i for i, v in enumerate(graph.values or ())}
    specs = [_as_spec(item, graph, positions, k < limit) for k, item in enumerate(inputs)]
    slots: list[dict[str, Any]] = []
    seen: set[str] = set()
    for spec in specs:
        name = spec if isinstance(spec, str) else spec.name
        ids = leaf_ids.get(name, [])
        if name in seen:
            raise ValueError(f"input {name!r} is given twice")
        seen.add(name)
        if len(ids) > 1:
            raise ValueError(
                f"input {name!r} is ambiguous: {len(ids)} leaves of the graph carry that "
                "label; give them distinct labels"
            )
        if not ids:
            shown = list(leaf_ids)[:20]
            more = f" and {len(leaf_ids) - 20} more" if len(leaf_ids) > 20 else ""
            raise ValueError(
                f"input {name!r} is not a labelled leaf of the graph; its labelled leaves "
                f"are {', '.join(shown) or 'none'}{more}"
            )
        if len(slots) < limit and isinstance(spec, InputSpec):
            slots.append(_slot(spec, ids[0]))
    return slots, len(specs) - len(slots)


def _slot(spec: InputSpec, node_id: int) -> dict[str, Any]:
    return {
        "name": spec.name,
        "id": node_id,
        "value": float(spec.value),
        "min": float(spec.min),
        "max": float(spec.max),
        "step": float(spec.step),
    }


def _as_spec(
    item: object, graph: Graph, positions: Mapping[int, int], slider: bool
) -> InputSpec | str:
    """An InputSpec as it is; a labelled leaf Value of the graph as a default slider for it, or
    (``slider`` false: it gets none) as its label."""
    if isinstance(item, InputSpec):
        return item
    if not isinstance(item, Value):
        raise TypeError(f"inputs must be InputSpecs or Values, got {type(item).__name__}: {item!r}")
    i = positions.get(id(item))
    if i is None or graph.values is None or graph.values[i] is not item:
        raise ValueError(f"input {item!r} is not part of the graph being shown")
    if item.op:
        raise ValueError(f"input {item!r} is computed (op {item.op!r}); only leaves can be inputs")
    if item.label is None:
        raise ValueError(f"input {item!r} has no label; give it one, e.g. Value(2.0, label='x')")
    return default_input(item.label, item.data) if slider else item.label
