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

The state itself (what the page reads, the checks on what comes back, re-evaluation) lives in
:class:`~micrograd_magic.state.WidgetState`, which needs no kernel; this class is its traitlets
face. Its synced traits are the state's keys (see :data:`micrograd_magic.state.KEYS`):

* ``graph``: the schema-1 graph JSON (Python -> JS; a new value means a new structure).
* ``inputs``: one ``{"name", "id", "value", "min", "max", "step"}`` dict per slider (both ways).
* ``selected``: the id of the selected node, or None (both ways).
* ``step``: the step-through position, or None outside step mode (both ways): 0 shows every
  grad at 0, k the grads after k steps of :func:`~micrograd_magic.explain.step_sequence`.
* ``train_inputs``: the sliders the page's gradient descent moves (Python -> JS).
* ``lr``: the learning rate of its steps (both ways).
* ``text``: ``"normal"`` or ``"large"`` (the graph and its text 1.5 times, for a projector;
  both ways: the page's "Large text" button sets it).
* ``quiz``: None, or ``{"asked": [ids]}`` in quiz mode (Python -> JS).
* ``lesson``: None, or the teacher's set-up: parts hidden, inputs locked, compact, caption
  (Python -> JS).
* ``quiz_progress``: per asked node, ``{"id", "solved", "revealed", "attempts", "answer"}``
  (both ways): what the student has found so far.
* ``open_groups``: the paths of the groups drawn open (both ways; see :meth:`open_group`).

Only these may change from a page; the framework's own traits (``_esm``, ``layout``,
``tooltip`` ...) are refused if a page sends them changed.
"""

from __future__ import annotations

import itertools
import pathlib
from collections.abc import Sequence
from typing import Any, Literal

import anywidget
import traitlets

from .bundle import BUILD_HINT, BUNDLE
from .embedding import embed_html, embedding
from .engine import Value, collector_paused
from .explain import Explanation
from .export import write_page
from .graph import Graph
from .inputs import InputSpec
from .picture import DISPLAY_TIMEOUT, display_svg
from .state import KEYS, PAGE_KEYS, WidgetState

__all__ = ["BundleMissingError", "GraphWidget", "cell", "show"]

_MISSING_BUNDLE = (
    f"the widget's JavaScript bundle {BUNDLE} was not built when micrograd_magic.widget was "
    f"imported: {BUILD_HINT}, then restart the kernel"
)


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
    ``state`` is the :class:`~micrograd_magic.state.WidgetState` the traits mirror.

    Displaying the widget also puts a static SVG of the graph (at the current numbers) into the
    output, for viewers that cannot run widgets; graphs larger than
    :attr:`static_picture_max_nodes` get none, to keep notebooks small, and a display never
    waits for Graphviz longer than :attr:`static_picture_timeout`.
    """

    #: Graphs with more nodes than this get no static picture in the display data (Graphviz's
    #: SVG grows the saved notebook with every node: docs/performance.md has the size). Set it
    #: on the class or a widget.
    static_picture_max_nodes: int = 300

    #: Seconds a display waits for Graphviz's static picture before showing the widget without
    #: it (with one logged line saying why). Set it on the class or a widget.
    static_picture_timeout: float = DISPLAY_TIMEOUT

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
    text = traitlets.Unicode(
        "normal", help='The text size: "normal", or "large" for a projector (1.5 times).'
    ).tag(sync=True)

    train_inputs = traitlets.List(
        traitlets.Unicode(), help="The sliders gradient descent moves (Python -> JS)."
    ).tag(sync=True)
    lr = traitlets.Float(0.1, help="The learning rate of a training step.").tag(sync=True)
    open_groups = traitlets.List(
        traitlets.Unicode(), help="The paths of the groups drawn open (nn modules, group())."
    ).tag(sync=True)

    quiz = traitlets.Dict(
        None, allow_none=True, help="Quiz mode: {'asked': [node ids]}, or None."
    ).tag(sync=True)
    lesson = traitlets.Dict(
        None, allow_none=True, help="The lesson's set-up: hide, lock, compact, caption; or None."
    ).tag(sync=True)
    quiz_progress = traitlets.List(
        traitlets.Dict(),
        help="Per asked node: id, solved, revealed, attempts and the right answer given.",
    ).tag(sync=True)

    def __init__(
        self,
        root: Value,
        inputs: Sequence[InputSpec | Value] | None = None,
        extra: Sequence[Value] = (),
        train: Sequence[str | Value] = (),
        lr: float = 0.1,
        text: str = "normal",
        embed: bool | None = None,
        *,
        quiz: bool | Sequence[int | str | Value] | None = None,
        hide: Sequence[str] = (),
        lock: Sequence[str] = (),
        compact: bool = False,
        caption: str | None = None,
    ) -> None:
        if "_esm" not in GraphWidget.__dict__:
            raise BundleMissingError(_MISSING_BUNDLE)
        #: The kernel-free state behind the traits.
        self.state = WidgetState(
            root,
            inputs,
            extra,
            train,
            lr,
            text=text,
            quiz=quiz,
            hide=hide,
            lock=lock,
            compact=compact,
            caption=caption,
        )
        #: Whether displays carry the live ``text/html`` embed; None follows
        #: :func:`micrograd_magic.embedding.embed` (the notebook's setting).
        self.embed = embed
        with collector_paused():  # ipywidgets copies the whole state: no cycles among it
            super().__init__(**self.state.to_json())

    # -- Python API ------------------------------------------------------------------------
    @property
    def model_graph(self) -> Graph:
        """The Python Graph behind the picture, holding the current numbers."""
        return self.state.model_graph

    @property
    def input_values(self) -> dict[str, float]:
        """The sliders' current values, by input name."""
        return self.state.input_values

    def set_input(self, name: str, value: float) -> None:
        """Move slider ``name`` to ``value``: the Values are re-evaluated and the page follows.

        ``value`` may be any real number (int, float, Fraction, NumPy scalar ...). ValueError
        if there is no such input or the value is not a finite number in its range.
        """
        self.inputs = self.state.inputs_with(name, value)

    def node_id(self, node: int | str | Value) -> int:
        """The id of ``node`` in this widget's graph: given as an id, a label or a Value."""
        return self.state.node_id(node)

    def select(self, node: int | str | Value | None) -> None:
        """Select a node (by id, label or Value) as a click would, or clear it with None."""
        self.selected = None if node is None else self.state.node_id(node)

    def open_group(self, path: str) -> None:
        """Draw group ``path`` (``"layers.0.neurons.3"``) open, as a click on its box would.

        ValueError naming the graph's groups if there is no such group; nothing changes then.
        """
        self.state.open_group(path)
        self.open_groups = self.state.get("open_groups")

    def close_group(self, path: str) -> None:
        """Draw group ``path`` closed (one box); ValueError if there is no such group."""
        self.state.close_group(path)
        self.open_groups = self.state.get("open_groups")

    def explain(self, node: int | str | Value) -> Explanation:
        """The explanation the details panel shows for ``node``: its local derivatives and the
        chain-rule sum behind its grad, at the current numbers (the same text as the page)."""
        return self.state.explain(node)

    def storyboard(
        self,
        path: str | pathlib.Path,
        format: Literal["html", "svg"] = "html",
        title: str = "Backprop, step by step",
    ) -> pathlib.Path:
        """Write a storyboard of backprop at the current numbers: a frame per step-through
        position (``len(step_sequence) + 1``), each the graph with the grads known so far and
        the step's caption underneath. ``format="html"``: one page that prints a frame per
        sheet; ``format="svg"``: ``path`` is a folder of one SVG per frame, for slides. Needs
        Graphviz's ``dot``. Returns the page's path or the folder's."""
        from .storyboard import write_storyboard

        return write_storyboard(self.model_graph, path, format, title)

    def save_html(self, path: str | pathlib.Path, title: str | None = None) -> pathlib.Path:
        """Write this widget as a standalone HTML page that works offline; returns the path.

        The page holds the widget's current state and the JS bundle, with no kernel behind it:
        sliders recompute in the browser. ``title`` heads the page (default: no heading). For
        several widgets on one page use :func:`micrograd_magic.export.write_page`. The file is
        replaced only once the new page is complete: a failed write leaves the old one.
        """
        return write_page(self, path, title)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """anywidget's display data (the live view), plus a static SVG and a text summary.

        Front ends that run widgets rank the widget view first and show it; nbconvert (without
        widget state), nbviewer and GitHub skip it and show the SVG, or, with embedding on
        (:mod:`micrograd_magic.embedding`), the live ``text/html`` frame.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:  # anywidget's answer when there is no view to show
            return None
        # anywidget returns (data, metadata); IPython also accepts a bare data dict.
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = {**data, "text/plain": repr(self)}
        if len(self.model_graph.nodes) <= self.static_picture_max_nodes and not self._hides_grads():
            svg = display_svg(self.model_graph, self.static_picture_timeout)
            if svg is not None:
                data["image/svg+xml"] = svg
        if embedding() if self.embed is None else self.embed:
            data["text/html"] = embed_html(self.state, data.get("image/svg+xml"), repr(self))
        return data, metadata

    def _hides_grads(self) -> bool:
        """Whether the page hides grads (a quiz, a lesson's hide=["grad"]): then the static
        picture, which shows every grad, must not ride along in the output."""
        lesson = self.state.get("lesson")
        return self.state.get("quiz") is not None or bool(lesson and "grad" in lesson["hide"])

    def __repr__(self) -> str:
        """A one-line summary: the output, its value, the graph's size and the inputs."""
        g = self.model_graph
        out = g.nodes[g.output]
        name = out.label or f"output ({out.op or 'leaf'})"
        values = self.input_values
        sliders = ", ".join(f"{k}={v:g}" for k, v in itertools.islice(values.items(), 20))
        if len(values) > 20:
            sliders += f" and {len(values) - 20:,} more"
        return (
            f"<GraphWidget {name} = {g.data[g.output]:g} ({len(g.nodes)} nodes); "
            f"inputs: {sliders or 'none'}>"
        )

    # -- keeping Python, the state and the page in step ---------------------------------------
    # Python-side assignments get the same checks as the page's updates, as TraitErrors.
    @traitlets.validate(*KEYS)
    def _validate_assignment(self, proposal: Any) -> Any:
        try:
            return self.state.check(proposal["trait"].name, proposal["value"])
        except ValueError as e:
            raise traitlets.TraitError(str(e)) from None

    @traitlets.observe(*PAGE_KEYS)
    def _state_key_changed(self, change: Any) -> None:
        for key, value in self.state.set(change["name"], change["new"]).items():
            if key != change["name"]:
                setattr(self, key, value)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply an update from the page, refusing (and undoing on the page) what is not allowed.

        ipywidgets calls this for every ``update`` message a front end sends. Each key is judged
        on its own (:meth:`WidgetState.judge`); keys that are not the state's (the framework's
        own traits) are accepted only as unchanged echoes. A refused key is logged with its
        reason, left as it is here, and sent back so that the page shows the kernel's state.
        """
        ours = {k: v for k, v in sync_data.items() if k in KEYS}
        verdict = self.state.judge(ours)
        for key, value in sync_data.items():
            if key not in KEYS and not self._unchanged(key, value):
                verdict.refused[key] = (
                    f"only {', '.join(PAGE_KEYS)} may change from the page"
                    if key in self.keys
                    else "not a trait of this widget"
                )
        for key, reason in verdict.refused.items():
            self.log.warning("GraphWidget refused %r from the front end: %s", key, reason)
        if verdict.accepted:
            super().set_state(verdict.accepted)
        snap_back = [key for key in verdict.refused if key in self.keys]
        if snap_back:
            self.send_state(snap_back)

    def _unchanged(self, key: str, value: object) -> bool:
        """Whether a framework trait ``key`` arrives as the kernel holds it (an echo)."""
        if key not in self.keys:
            return False
        try:
            return bool(self.get_state(key)[key] == value)
        except Exception:  # a page's value must never escape as an exception
            return False


def show(
    value: Value,
    inputs: Sequence[InputSpec | Value] | None = None,
    *,
    extra: Sequence[Value] = (),
    train: Sequence[str | Value] = (),
    lr: float = 0.1,
    text: str = "normal",
    embed: bool | None = None,
    quiz: bool | Sequence[int | str | Value] | None = None,
    hide: Sequence[str] = (),
    lock: Sequence[str] = (),
    compact: bool = False,
    caption: str | None = None,
) -> GraphWidget:
    """A live graph widget for any Value built in Python; a notebook draws the returned widget.

    ``inputs``: the sliders, as labelled leaf Values of the graph and/or InputSpecs (default:
    every uniquely labelled leaf). ``embed=True`` adds the live ``text/html`` embed to its
    display data (:mod:`micrograd_magic.embedding`; default: the notebook's setting). For example
    ``show(MLP(2, [16, 16, 1])([Value(1.0, label="a"), Value(-2.0, label="b")]))``.

    ``train``: sliders (by name or leaf Value) that the widget's Step and Play buttons move by
    ``-lr·grad`` (gradient descent on the output, in the page), starting with learning rate
    ``lr``; e.g. ``show(loss, train=["w", "b"], lr=0.1)``.

    ``text="large"`` draws the graph and its text half as big again, for a projector (the
    widget's "Large text" button does the same).

    ``quiz``: True asks the student for every grad but the output's; a list of nodes (labels,
    ids or Values) asks only those. ``w.quiz_progress`` then follows the answers.
    A lesson's set-up: ``hide`` parts (``"grad"``, with a "Show grads" button for the student;
    ``"panel"``, ``"step"``, ``"sliders"``), ``lock`` inputs (their sliders shown but fixed),
    ``compact`` (smaller, for slides) and a ``caption`` above the widget.
    """
    if not isinstance(value, Value):
        raise TypeError(f"show() draws a Value, got {type(value).__name__}: {value!r}")
    return GraphWidget(
        value,
        inputs=inputs,
        extra=extra,
        train=train,
        lr=lr,
        text=text,
        embed=embed,
        quiz=quiz,
        hide=hide,
        lock=lock,
        compact=compact,
        caption=caption,
    )


def cell(
    text: str,
    output: str | None = None,
    *,
    default_span: float | None = None,
    lr: float = 0.1,
    embed: bool | None = None,
) -> GraphWidget:
    """The ``%%micrograd`` cell as a function: parse ``text``, build it, return its widget.

    For hosts without cell magics (marimo, scripts): ``cell("x = 2.0\\ny = 3.0\\nz = x*y")``
    draws what ``%%micrograd`` would. ``output``, ``default_span`` and ``lr`` (the learning
    rate of the cell's trainable inputs) mean what they mean there; the cell's Values, by name,
    are ``widget.values`` (what ``%%micrograd`` binds in a notebook). Mistakes raise
    :class:`~micrograd_magic.errors.MicrogradError`, located in ``text``.
    """
    from .language import parse

    computation = parse(text, output, default_span=default_span).run()
    widget = GraphWidget(
        computation.root,
        inputs=computation.inputs,
        extra=computation.extra,
        train=computation.program.trainable,
        lr=lr,
        embed=embed,
    )
    widget.values = dict(computation.values)
    return widget
