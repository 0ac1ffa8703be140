"""Static pictures of a graph with Graphviz: for slides, PDFs, and where widgets cannot run.

``to_graphviz(value)`` follows micrograd's ``draw_dot``: left to right, one box per value with its
label, data and grad, one small node per operation. ``static_svg(graph)`` renders the same picture
to SVG text for a widget's display data, so nbconvert, nbviewer and GitHub show the graph even
though they cannot run the widget; ``display_svg(graph)`` is the forgiving form the widget uses,
which never raises and says once per process that ``dot`` is missing.

``dot`` always runs as a child process with a time limit (:func:`run_dot`): some small graphs
(a value used by many operations far apart) take ``dot`` minutes to lay out. A notebook display
waits at most :data:`DISPLAY_TIMEOUT` and then shows the widget without the picture, saying why;
the child is killed, with its process group, on a timeout or an interrupt. The description is
shaped for a quick layout: parallel edges are merged into one with a count, the layout's
network-simplex passes are bounded, and long labels are cut short.
"""

from __future__ import annotations

import contextlib
import functools
import html
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import graphviz

from .engine import Value
from .explain import format_number
from .graph import Graph
from .ops import OP_BY_NAME

__all__ = [
    "DISPLAY_TIMEOUT",
    "DOT_MISSING",
    "LABEL_CHARS",
    "PICTURE_TIMEOUT",
    "GraphvizError",
    "GraphvizMissingError",
    "GraphvizTimeoutError",
    "display_svg",
    "dot_available",
    "graph_to_digraph",
    "picture_text",
    "run_dot",
    "static_svg",
    "to_graphviz",
]

log = logging.getLogger(__name__)

DOT_MISSING = (
    "Graphviz's `dot` program is not installed, so no static picture can be drawn "
    "(apt-get install graphviz, brew install graphviz or conda install graphviz); "
    "the interactive widget does not need it."
)

#: Seconds a notebook display waits for ``dot`` before it shows the widget without the picture.
DISPLAY_TIMEOUT = 1.0

#: Seconds :func:`static_svg` and a displayed :func:`to_graphviz` picture wait for ``dot``.
PICTURE_TIMEOUT = 60.0

#: Labels longer than this are cut short in pictures (the widget shows them whole).
LABEL_CHARS = 40

# Layout limits: each network-simplex pass (ranking, then positions) stops after this many
# iterations per node, and crossing reduction works this hard relative to the default. The
# passes converge well within them on ordinary graphs; the limits only cut the pathological
# ones (a value feeding many operations far apart), whose layouts ran for minutes.
_LAYOUT_ATTRS = {"nslimit": "1", "nslimit1": "1", "mclimit": "0.5"}


class GraphvizMissingError(RuntimeError):
    """The Graphviz ``dot`` binary is not on PATH; the message says how to install it."""


class GraphvizError(RuntimeError):
    """``dot`` could not draw the picture: it failed, or took longer than its time limit."""


class GraphvizTimeoutError(GraphvizError):
    """``dot`` took longer than its time limit and was stopped."""


def dot_available() -> bool:
    """Whether the Graphviz ``dot`` binary can be found on PATH."""
    return shutil.which("dot") is not None


def _op_text(op: str, k: float | None) -> str:
    """How an op reads inside its small node: the table's pill text, as in the widget."""
    text = OP_BY_NAME[op].picture
    return text.replace("{k}", format_number(k)) if k is not None else text


def _value_label(label: str | None, data: float, grad: float, is_output: bool) -> str:
    """An HTML-like Graphviz label; every piece of user text is escaped."""
    name = html.escape(picture_text(label)) if label else ""
    title = f"<b>{name}</b>" if name else ""
    mark = " (output)" if is_output else ""
    cells = [f"<td>{title}{mark}</td>"] if title or mark else []
    cells.append(f"<td>data {html.escape(format_number(data))}</td>")
    cells.append(f"<td>grad {html.escape(format_number(grad))}</td>")
    rows = "".join(f"<tr>{c}</tr>" for c in cells)
    return f'<<table border="0" cellborder="1" cellspacing="0">{rows}</table>>'


def graph_to_digraph(graph: Graph) -> graphviz.Digraph:
    """The Graphviz description of a :class:`Graph` (no rendering yet, so no ``dot`` needed).

    An operation that uses one value twice (``x*x``) gets one edge marked with the count, not two.
    """
    dot = _Picture(
        # The name becomes the SVG's <title>, the tooltip over the picture's background.
        name="computation graph",
        graph_attr={"rankdir": "LR", "bgcolor": "transparent", **_LAYOUT_ATTRS},
        node_attr={"fontname": "DejaVu Sans", "fontsize": "11"},
    )
    for node in graph.nodes:
        vid = f"v{node.id}"
        data, grad = graph.data[node.id], graph.grad[node.id]
        label = _value_label(node.name, data, grad, node.id == graph.output)
        dot.node(vid, label, shape="plaintext")
        if node.args:
            oid = f"op{node.id}"
            dot.node(oid, _op_text(node.op, node.k), shape="circle", width="0.3", fontsize="10")
            for arg, count in _merged(node.args):
                if count == 1:
                    dot.edge(f"v{arg}", oid)
                else:
                    dot.edge(f"v{arg}", oid, headlabel=f"×{count}", fontsize="9")
            dot.edge(oid, vid)
    return dot


def _merged(args: Iterable[int]) -> list[tuple[int, int]]:
    """Each distinct operand once, with how many times the operation uses it, in order."""
    return list(Counter(args).items())


def picture_text(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` as a picture shows it: cut to ``limit`` characters (with an ellipsis), and with
    characters no picture can carry (controls, lone surrogates) shown as U+FFFD."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)


def to_graphviz(value: Value) -> graphviz.Digraph:
    """A ``graphviz.Digraph`` of ``value``'s computation graph, in the spirit of micrograd's
    ``draw_dot``: render it with ``.render()``/``.pipe()`` or show it in a notebook.

    Building the description needs no ``dot``; rendering it does (see :func:`dot_available`).
    Shown in a notebook, it waits at most :data:`PICTURE_TIMEOUT` for ``dot``.
    """
    return graph_to_digraph(Graph.from_value(value))


def run_dot(
    source: str,
    fmt: str,
    timeout: float,
    progress: Callable[[float], None] | None = None,
    every: float = 2.0,
) -> bytes:
    """Run ``dot -T<fmt>`` on ``source`` as a child process, for at most ``timeout`` seconds.

    ``progress(seconds)`` (if given) is called every ``every`` seconds while ``dot`` works. On
    a timeout, an interrupt or any other error the child is killed with its process group
    before the exception goes on. Raises :class:`GraphvizMissingError` without ``dot``,
    :class:`GraphvizTimeoutError` after ``timeout`` and :class:`GraphvizError` if ``dot``
    fails.
    """
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizMissingError(DOT_MISSING)
    data = source.encode("utf-8", "replace")
    started = time.monotonic()
    with _interrupts_held() as release:
        try:
            child = subprocess.Popen(
                [executable, f"-T{fmt}"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, so a kill reaches all of it
            )
        except FileNotFoundError as err:
            raise GraphvizMissingError(DOT_MISSING) from err
        try:
            release()  # a Ctrl-C pressed while dot was starting is raised here, and dot killed
            out, err = _wait(child, data, started, timeout, progress, every)
        finally:
            if child.returncode is None:
                _kill(child)
    if child.returncode != 0:
        reason = err.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(
            f"Graphviz's dot failed (exit status {child.returncode})"
            + (f": {picture_text(reason[0], 200)}" if reason else "")
        )
    return out


@contextlib.contextmanager
def _interrupts_held() -> Iterator[Callable[[], None]]:
    """Hold back Ctrl-C (SIGINT) until the function given to the block is called, or it ends.

    A KeyboardInterrupt raised inside ``subprocess.Popen``, after the child started but before
    ``Popen`` returned, would leave a child nobody knows the pid of. Meanwhile a Ctrl-C is only
    noted, and handed to the handler it was meant for once the child is in hand. Python runs
    signal handlers in the main thread only, so elsewhere nothing is held.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield lambda: None  # None: a handler not set from Python, which could not be put back
        return
    noted: list[tuple[int, Any]] = []
    signal.signal(signal.SIGINT, lambda signum, frame: noted.append((signum, frame)))
    released = False

    def release() -> None:
        nonlocal released
        if released:
            return
        released = True
        signal.signal(signal.SIGINT, previous)
        if noted:
            if callable(previous):
                previous(*noted[0])
            elif previous == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)

    try:
        yield release
    finally:
        release()


def _wait(
    child: subprocess.Popen[bytes],
    data: bytes,
    started: float,
    timeout: float,
    progress: Callable[[float], None] | None,
    every: float,
) -> tuple[bytes, bytes]:
    first = True
    while True:
        left = started + timeout - time.monotonic()
        if left <= 0:
            raise GraphvizTimeoutError(
                f"Graphviz's dot took longer than {timeout:g} s to lay out the graph and was "
                "stopped"
            )
        try:
            # The input goes with the first call only; later calls go on where it stopped.
            return child.communicate(
                data if first else None, timeout=left if progress is None else min(left, every)
            )
        except subprocess.TimeoutExpired:
            first = False
            if progress is not None and time.monotonic() - started < timeout:
                progress(time.monotonic() - started)


def _kill(child: subprocess.Popen[bytes]) -> None:
    """Kill ``child`` and its process group, and reap it (its pipes are closed too)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        child.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
        child.communicate(timeout=5)


def static_svg(
    graph: Graph,
    timeout: float = PICTURE_TIMEOUT,
    progress: Callable[[float], None] | None = None,
) -> str:
    """The graph as an ``<svg>`` element (no XML prolog, so it can sit inside HTML as it is, and
    is a valid .svg file too); raises :class:`GraphvizMissingError` when ``dot`` is missing and
    :class:`GraphvizError` when it fails or takes longer than ``timeout`` seconds.
    ``progress`` is passed on to :func:`run_dot`."""
    svg = run_dot(graph_to_digraph(graph).source, "svg", timeout, progress).decode("utf-8")
    return svg[svg.index("<svg") :]


@functools.cache
def _report_missing_dot() -> None:
    """Log DOT_MISSING the first time only: a notebook shows many widgets, one note is enough."""
    log.warning(DOT_MISSING)


def display_svg(graph: Graph, timeout: float = DISPLAY_TIMEOUT) -> str | None:
    """:func:`static_svg`, or None where it cannot be drawn, for display data next to a widget.

    Waits at most ``timeout`` seconds. A missing ``dot`` is logged once per process
    (:data:`DOT_MISSING`); ``dot`` failing or taking too long on a graph is logged in one line
    with its reason. None of these stops the interactive widget from showing.
    """
    try:
        return static_svg(graph, timeout)
    except GraphvizMissingError:
        _report_missing_dot()
    except GraphvizError as err:
        log.warning(
            "no static picture of this graph (%d nodes): %s; the interactive widget does not "
            "need it",
            len(graph.nodes),
            err,
        )
    return None


class _Picture(graphviz.Digraph):
    """A Digraph whose notebook display waits for ``dot`` at most :data:`PICTURE_TIMEOUT`,
    and says in one line why there is no picture when it cannot be drawn."""

    def _repr_mimebundle_(
        self,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        wanted = set(include) if include is not None else {"image/svg+xml"}
        wanted -= set(exclude or ())
        formats = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpeg"}
        bundle: dict[str, Any] = {}
        try:
            for mimetype, fmt in formats.items():
                if mimetype in wanted:
                    out = run_dot(self.source, fmt, PICTURE_TIMEOUT)
                    bundle[mimetype] = out.decode("utf-8") if fmt == "svg" else out
        except (GraphvizMissingError, GraphvizError) as err:
            return {"text/plain": f"<computation graph: no picture: {err}>"}
        return bundle
