"""Standalone offline HTML pages: the widget without a kernel, for course materials.

One self-contained file holds the JS bundle, each widget's state and a tiny in-page model object
(``get set on off save_changes send``) that stands in for the kernel-side model; the page imports
the bundle from a ``blob:`` URL and calls its ``render({model, el})``, exactly as anywidget does
in a notebook. It works from ``file://`` with no network: sliders, clicks and step-through are
front-end state. Every piece of user text (labels, the title) is escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

__all__ = ["bundle_source", "myst_directive", "page_html", "widget_state", "write_page"]

_BUNDLE = Path(__file__).parent / "static" / "widget.js"

# Traits of every ipywidgets DOMWidget that say nothing about the graph.
_FRAMEWORK_TRAITS = {"layout", "tabbable", "tooltip", "comm", "keys", "log"}


class _HasState(Protocol):
    keys: list[str]

    def get_state(self, key: Any = None) -> dict[str, Any]: ...


def bundle_source() -> str:
    """The widget's JS bundle as text; a clear error if it was never built."""
    if not _BUNDLE.exists():
        raise FileNotFoundError(
            f"the widget's JavaScript bundle {_BUNDLE} is missing: build it with `make install` "
            "(or `cd js && npm ci && npm run build`) in the micrograd_magic checkout"
        )
    return _BUNDLE.read_text(encoding="utf-8")


def widget_state(widget: _HasState) -> dict[str, Any]:
    """The synced state a front end needs (graph, inputs, selection ...), as plain JSON data."""
    keys = [k for k in widget.keys if not k.startswith("_") and k not in _FRAMEWORK_TRAITS]
    state = widget.get_state(keys)
    return json.loads(json.dumps(state, allow_nan=False))


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


# The in-page model follows the anywidget front-end module contract: change events fire
# synchronously on set(), as Backbone models do; save_changes() and send() have no kernel to
# reach, so they do nothing. The page posts its height to a parent frame so that an <iframe>
# can size itself (see the README).
_LOADER = """
const source = JSON.parse(document.getElementById("mgm-bundle").textContent);
function createModel(state) {
  const handlers = new Map();
  const emit = (event, ...args) => {
    for (const handler of [...(handlers.get(event) || [])]) handler(...args);
  };
  return {
    get: (name) => state[name],
    set(name, value) {
      if (state[name] === value) return;
      state[name] = value;
      emit(`change:${name}`, value);
      emit("change");
    },
    on(event, handler) {
      for (const name of event.split(" ")) {
        if (!handlers.has(name)) handlers.set(name, new Set());
        handlers.get(name).add(handler);
      }
    },
    off(event, handler) {
      if (!event) { handlers.clear(); return; }
      for (const name of event.split(" ")) {
        if (!handler) handlers.delete(name); else handlers.get(name)?.delete(handler);
      }
    },
    save_changes() {},
    send() {},
  };
}
async function loadModule() {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  try {
    return await import(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}
function reportHeight() {
  if (window.parent === window) return;
  const height = Math.ceil(document.documentElement.scrollHeight);
  window.parent.postMessage({ type: "micrograd-magic:height", height }, "*");
}
const module = await loadModule();
let widget = module.default;
if (typeof widget === "function") widget = await widget();
for (const el of document.querySelectorAll("[data-mgm-widget]")) {
  const state = JSON.parse(document.getElementById(el.dataset.mgmWidget).textContent);
  const model = createModel(state);
  if (widget.initialize) await widget.initialize({ model });
  await widget.render({ model, el });
}
new ResizeObserver(reportHeight).observe(document.body);
document.documentElement.dataset.mgmReady = "true";
"""

_STYLE = """
body { margin: 0; padding: 16px; font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
       color: #1f2328; background: #fff; }
h1 { font-size: 1.25rem; font-weight: 600; margin: 0 0 12px; }
.mgm-export + .mgm-export { margin-top: 24px; }
@media (prefers-color-scheme: dark) { body { color: #e6edf3; background: #0d1117; } }
"""


def page_html(widgets: Sequence[_HasState], title: str = "micrograd_magic") -> str:
    """One self-contained HTML page showing ``widgets`` (one or more GraphWidgets)."""
    if not widgets:
        raise ValueError("page_html needs at least one widget")
    bundle = bundle_source()
    blocks = []
    for i, widget in enumerate(widgets):
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
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{heading}{body}\n"
        f'<script type="application/json" id="mgm-bundle">{_script_json(bundle)}</script>\n'
        f'<script type="module">{_LOADER}</script>\n'
        "</body>\n</html>\n"
    )


def write_page(
    widgets: _HasState | Sequence[_HasState], path: str | Path, title: str = "micrograd_magic"
) -> Path:
    """Write the standalone page for one widget or several to ``path``; returns the path."""
    items = [widgets] if hasattr(widgets, "get_state") else list(widgets)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page_html(items, title), encoding="utf-8")
    return target


def myst_directive(widget: _HasState, esm: str = "micrograd_widget.js") -> str:
    """The MyST ``{anywidget}`` directive that embeds ``widget`` in a Jupyter Book 2 page.

    Copy the bundle next to the page as ``esm`` (see :func:`bundle_source`); the directive's
    body is the widget's state as JSON.
    """
    state = json.dumps(widget_state(widget), indent=1, ensure_ascii=False)
    return f"```{{anywidget}} {esm}\n{state}\n```\n"
