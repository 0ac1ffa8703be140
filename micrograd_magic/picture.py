"""Static pictures of a graph with Graphviz: for slides, PDFs, and where widgets cannot run.

``to_graphviz(value)`` follows micrograd's ``draw_dot``: left to right, one box per value with its
label, data and grad, one small node per operation. ``static_svg(graph)`` renders the same picture
to SVG text for a widget's display data, so nbconvert, nbviewer and GitHub show the graph even
though they cannot run the widget; ``display_svg(graph)`` is the forgiving form the widget uses,
which never raises and says once per process that ``dot`` is missing.
"""

from __future__ import annotations

import functools
import html
import logging
import shutil

import graphviz

from .engine import Value
from .explain import format_number
from .graph import Graph
from .ops import OP_BY_NAME

__all__ = [
    "DOT_MISSING",
    "GraphvizMissingError",
    "display_svg",
    "dot_available",
    "graph_to_digraph",
    "static_svg",
    "to_graphviz",
]

log = logging.getLogger(__name__)

DOT_MISSING = (
    "Graphviz's `dot` program is not installed, so no static picture can be drawn "
    "(apt-get install graphviz, brew install graphviz or conda install graphviz); "
    "the interactive widget does not need it."
)


class GraphvizMissingError(RuntimeError):
    """The Graphviz ``dot`` binary is not on PATH; the message says how to install it."""


def dot_available() -> bool:
    """Whether the Graphviz ``dot`` binary can be found on PATH."""
    return shutil.which("dot") is not None


def _op_text(op: str, k: float | None) -> str:
    """How an op reads inside its small node: the table's pill text, as in the widget."""
    text = OP_BY_NAME[op].picture
    return text.replace("{k}", format_number(k)) if k is not None else text


def _value_label(label: str | None, data: float, grad: float, is_output: bool) -> str:
    """An HTML-like Graphviz label; every piece of user text is escaped."""
    name = html.escape(label) if label else ""
    title = f"<b>{name}</b>" if name else ""
    mark = " (output)" if is_output else ""
    cells = [f"<td>{title}{mark}</td>"] if title or mark else []
    cells.append(f"<td>data {html.escape(format_number(data))}</td>")
    cells.append(f"<td>grad {html.escape(format_number(grad))}</td>")
    rows = "".join(f"<tr>{c}</tr>" for c in cells)
    return f'<<table border="0" cellborder="1" cellspacing="0">{rows}</table>>'


def graph_to_digraph(graph: Graph) -> graphviz.Digraph:
    """The Graphviz description of a :class:`Graph` (no rendering yet, so no ``dot`` needed)."""
    dot = graphviz.Digraph(
        # The name becomes the SVG's <title>, the tooltip over the picture's background.
        name="computation graph",
        graph_attr={"rankdir": "LR", "bgcolor": "transparent"},
        node_attr={"fontname": "DejaVu Sans", "fontsize": "11"},
    )
    for node in graph.nodes:
        vid = f"v{node.id}"
        data, grad = graph.data[node.id], graph.grad[node.id]
        label = _value_label(node.label, data, grad, node.id == graph.output)
        dot.node(vid, label, shape="plaintext")
        if node.args:
            oid = f"op{node.id}"
            dot.node(oid, _op_text(node.op, node.k), shape="circle", width="0.3", fontsize="10")
            for arg in node.args:
                dot.edge(f"v{arg}", oid)
            dot.edge(oid, vid)
    return dot


def to_graphviz(value: Value) -> graphviz.Digraph:
    """A ``graphviz.Digraph`` of ``value``'s computation graph, in the spirit of micrograd's
    ``draw_dot``: render it with ``.render()``/``.pipe()`` or show it in a notebook.

    Building the description needs no ``dot``; rendering it does (see :func:`dot_available`).
    """
    return graph_to_digraph(Graph.from_value(value))


def static_svg(graph: Graph) -> str:
    """The graph as an ``<svg>`` element (no XML prolog, so it can sit inside HTML as it is, and
    is a valid .svg file too); raises :class:`GraphvizMissingError` when ``dot`` is missing."""
    if not dot_available():
        raise GraphvizMissingError(DOT_MISSING)
    try:
        svg = graph_to_digraph(graph).pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as err:
        raise GraphvizMissingError(DOT_MISSING) from err
    return svg[svg.index("<svg") :]


@functools.cache
def _report_missing_dot() -> None:
    """Log DOT_MISSING the first time only: a notebook shows many widgets, one note is enough."""
    log.warning(DOT_MISSING)


def display_svg(graph: Graph) -> str | None:
    """:func:`static_svg`, or None where it cannot be drawn, for display data next to a widget.

    A missing ``dot`` is logged once per process (:data:`DOT_MISSING`); ``dot`` failing on a
    graph is logged with its reason. Neither stops the interactive widget from showing.
    """
    try:
        return static_svg(graph)
    except GraphvizMissingError:
        _report_missing_dot()
    except graphviz.CalledProcessError as err:
        log.warning("Graphviz's dot could not draw the static picture of the graph: %s", err)
    return None
