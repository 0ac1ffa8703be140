"""Standalone offline HTML pages and MyST embeds: the widget without a kernel, for course materials.

Everything here works from a :class:`~micrograd_magic.state.WidgetState` (a GraphWidget's
``state``) and never imports the widget framework, so the command line needs no kernel.

One self-contained file holds the JS bundle, each widget's state and the page's host
(``js/host/host.js``, built into ``static/host.js``): a tiny in-page model object (``get set on off
save_changes send``) that stands in for the kernel-side model; the host imports the bundle from
a ``blob:`` URL and calls its ``render({model, el})``, exactly as anywidget does in a notebook,
and reports the page's height to a parent frame. It works from ``file://`` with no network:
sliders, clicks and step-through are front-end state. Every piece of user text (labels, the
title) is escaped.

For a Jupyter Book 2 / MyST site, :func:`write_myst_assets` copies the bundle next to a page and
returns the ``{anywidget}`` directive that shows a widget there.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files
from .bundle import BUILD_HINT, BUNDLE, bundle_source, host_source
from .state import WidgetState
from .trainstate import TrainViewState

if TYPE_CHECKING:
    from typing import TypeAlias

    from .trainview import TrainView
    from .widget import GraphWidget

    # What the export functions take: GraphWidgets and TrainViews, or anything holding their
    # state as ``state`` (duck-typed, so that this module never imports the widget framework),
    # or the states themselves.
    Widget: TypeAlias = GraphWidget | WidgetState | TrainView | TrainViewState
    Widgets: TypeAlias = Widget | Sequence[Widget]

__all__ = [
    "BUILD_HINT",
    "BUNDLE",
    "DEFAULT_ESM_NAME",
    "bundle_source",
    "myst_directive",
    "page_html",
    "widget_state",
    "write_myst_assets",
    "write_page",
]

#: The file name :func:`write_myst_assets` gives the bundle beside a MyST page.
DEFAULT_ESM_NAME = "micrograd_widget.js"

_DEFAULT_TITLE = "micrograd_magic"


def _as_states(widgets: Widgets) -> list[WidgetState | TrainViewState]:
    """One widget or several as a non-empty list of states, or a TypeError/ValueError."""
    if not isinstance(widgets, Sequence) or isinstance(widgets, str):
        return [_state_of(widgets)]
    if not widgets:
        raise ValueError("a page needs at least one widget, got an empty list")
    return [_state_of(item) for item in widgets]


def _state_of(item: object) -> WidgetState | TrainViewState:
    """The state of a GraphWidget or a TrainView (or of anything holding one as ``state``)."""
    states = (WidgetState, TrainViewState)
    state = item if isinstance(item, states) else getattr(item, "state", None)
    if not isinstance(state, states):
        raise TypeError(
            "expected a GraphWidget (make one with show(value) or %%micrograd --bind NAME) or a "
            f"list of them, got {type(item).__name__}: {item!r}"
        )
    return state


def widget_state(widget: Widget) -> dict[str, Any]:
    """The state a front end needs (graph, inputs, selection ...), as plain JSON data."""
    return json.loads(json.dumps(_state_of(widget).to_json(), allow_nan=False))


def _inline_script(source: str) -> str:
    """Our own JS as the text of a <script> element: nothing in it may end the element."""
    return re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _script_json(obj: object) -> str:
    """JSON that is safe inside a <script> element: no `</script>` or `<!--` can close it."""
    return (
        json.dumps(obj, allow_nan=False, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_STYLE = """
body { margin: 0; padding: 16px; font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
       color: #1f2328; background: #fff; }
h1 { font-size: 1.25rem; font-weight: 600; margin: 0 0 12px; }
.mgm-export + .mgm-export { margin-top: 24px; }
@media (prefers-color-scheme: dark) { body { color: #e6edf3; background: #0d1117; } }
"""


def page_html(widgets: Widgets, title: str | None = None) -> str:
    """One self-contained HTML page showing ``widgets`` (a GraphWidget or a list of them).

    ``title`` names the browser tab and heads the page; without it the tab reads
    "micrograd_magic" and the page shows just the widgets (for an ``<iframe>`` or an LMS).
    """
    items = _as_states(widgets)
    bundle = bundle_source()
    host = _inline_script(host_source())
    blocks = []
    for i, widget in enumerate(items):
        state_id = f"mgm-state-{i}"
        blocks.append(
            f'<div class="mgm-export" data-mgm-widget="{state_id}"></div>\n'
            f'<script type="application/json" id="{state_id}">'
            f"{_script_json(widget_state(widget))}</script>"
        )
    heading = f"<h1>{html.escape(title)}</h1>\n" if title else ""
    body = "\n".join(blocks)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title or _DEFAULT_TITLE)}</title>\n<style>{_STYLE}</style>\n"
        "</head>\n<body>\n"
        f"{heading}{body}\n"
        "<noscript>This page draws a computation graph with JavaScript; "
        "please turn JavaScript on.</noscript>\n"
        f'<script type="application/json" id="mgm-bundle">{_script_json(bundle)}</script>\n'
        f'<script type="module" id="mgm-host">{host}</script>\n'
        "</body>\n</html>\n"
    )


def write_page(widgets: Widgets, path: str | Path, title: str | None = None) -> Path:
    """Write the standalone page for one widget or several to ``path``; returns the path.

    Several widgets share one page and one copy of the bundle, each with its own sliders::

        write_page([show(loss), show(neuron)], "lesson.html", title="Backprop, step by step")

    Missing folders are created; ``~`` is not expanded (pass ``Path.home() / ...``). The file
    is replaced only once the new page is complete (:mod:`micrograd_magic.files`): a failed
    write leaves the old page as it was.
    """
    html_text = page_html(widgets, title)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return files.write_text(target, html_text)


def myst_directive(widget: GraphWidget | WidgetState, esm: str = f"./{DEFAULT_ESM_NAME}") -> str:
    """The MyST ``{anywidget}`` directive that shows ``widget`` in a Jupyter Book 2 page.

    ``esm`` is where the page finds the bundle (a path relative to the page, or a URL); the
    directive's body is the widget's state as JSON. :func:`write_myst_assets` also copies the
    bundle there.
    """
    state = widget_state(widget)
    lines = [f" {json.dumps(key)}: {_json_lines(value, 1)}," for key, value in state.items()]
    lines[-1] = lines[-1].removesuffix(",")
    # A backtick run in a label could close the code fence; inside JSON strings \u0060 reads
    # back as the same character.
    body = "\n".join(["{", *lines, "}"]).replace("`", "\\u0060")
    return f"```{{anywidget}} {esm}\n{body}\n```\n"


def _json_lines(value: Any, depth: int) -> str:
    """Compact JSON, except that a list of objects (nodes, sliders) gets one item per line, so
    that a directive reads, and diffs, line by line."""
    pad = " " * depth
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        items = ",\n".join(f"{pad} {_compact(v)}" for v in value)
        return f"[\n{items}\n{pad}]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{json.dumps(k)}: {_json_lines(v, depth)}" for k, v in value.items())
        return f"{{{pairs}}}"
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def write_myst_assets(
    widget: GraphWidget | WidgetState, folder: str | Path, esm_name: str = DEFAULT_ESM_NAME
) -> str:
    """Copy the bundle into ``folder`` (the MyST page's folder) as ``esm_name``; returns the
    ``{anywidget}`` directive to paste into the page, pointing at that copy."""
    if "/" in esm_name or "\\" in esm_name:
        raise ValueError(f"esm_name is a file name, not a path: {esm_name!r}")
    source = bundle_source()
    directive = myst_directive(widget, f"./{esm_name}")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    files.write_text(target / esm_name, source)
    return directive
