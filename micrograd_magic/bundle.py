"""Where the built JavaScript lives, and what to say when it was never built.

Two files come out of ``js/`` (``cd js && npm run build``): the widget bundle that anywidget loads
as ``_esm`` (and that an exported page inlines), and the page host, the small module an exported
page runs to give that bundle a model object without a kernel. Both the widget (``widget.py``)
and the export (``export.py``) read them; this module sits below both so that neither imports the
other.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUILD_HINT", "BUNDLE", "HOST_BUNDLE", "bundle_source", "host_source"]

_STATIC = Path(__file__).parent / "static"

#: The widget's bundle: ``js/widget.js`` and everything it imports, one minified ES module.
BUNDLE = _STATIC / "widget.js"

#: The exported page's host: ``js/host/page.js`` (the in-page model, the loader, height reporting).
HOST_BUNDLE = _STATIC / "host.js"

#: What to do when a bundle is missing (a checkout before its first build).
BUILD_HINT = (
    "build it with `make install` (or `cd js && npm ci && npm run build`) in the "
    "micrograd_magic checkout"
)


def _read(path: Path, what: str) -> str:
    if not path.is_file():
        raise FileNotFoundError(f"the {what} {path} is missing: {BUILD_HINT}")
    return path.read_text(encoding="utf-8")


def bundle_source() -> str:
    """The widget's JS bundle as text; a FileNotFoundError saying how to build it if missing."""
    return _read(BUNDLE, "widget's JavaScript bundle")


def host_source() -> str:
    """The exported page's host module as text; a FileNotFoundError if it was never built."""
    return _read(HOST_BUNDLE, "exported page's JavaScript host")
