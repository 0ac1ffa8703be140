"""A live widget inside the notebook's own output: the opt-in ``text/html`` embed.

Widgets go blank wherever no widget manager runs: ``nbconvert`` HTML, Jupyter Book pages, a
notebook opened offline. Ours needs no kernel, so with embedding on (:func:`embed`,
``%config MicrogradMagics.embed = True`` or ``show(..., embed=True)``) a widget's display data
also carries a ``text/html`` version of itself: the standalone page of
:mod:`micrograd_magic.export` (the bundle, the state and the page's host) as the ``srcdoc`` of
an ``<iframe sandbox="allow-scripts">`` marked ``data-micrograd-embed``. The frame has an opaque
origin, so several widgets on one page, and the page itself, cannot interfere with each other,
and it makes no request: it works from ``file://`` with no network.

Beside the frame sits the static picture (when Graphviz drew one) and a small script that sizes
the frame from the page's height message and then removes the picture. Where scripts are
stripped (GitHub and other sanitising viewers) the frame stays at height 0 and the picture
shows.
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING

from .export import page_html

if TYPE_CHECKING:
    from .state import WidgetState

__all__ = ["HEIGHT_MESSAGE", "embed", "embed_html", "embedding"]

#: What the page's host (js/host/host.js) posts to its parent frame with its height.
HEIGHT_MESSAGE = "micrograd-magic:height"

_enabled = False


def embed(on: bool = True) -> None:
    """Turn the live ``text/html`` embed on (or off) for every widget displayed from now on.

    Same as ``%config MicrogradMagics.embed = True``; ``show(..., embed=...)`` overrides it
    for one widget. Each embedded widget carries its own copy of the bundle, so a notebook
    grows by the size given in docs/embedding.md per widget output.
    """
    global _enabled
    if not isinstance(on, bool):
        raise TypeError(f"embed() takes True or False, got {type(on).__name__}: {on!r}")
    _enabled = on


def embedding() -> bool:
    """Whether widgets displayed now carry the live embed by default."""
    return _enabled


def _srcdoc(text: str) -> str:
    """``text`` as a single-quoted attribute value: only ``&`` and ``'`` need escaping there.
    The page has many double quotes and few single ones, and leaving ``<``, ``>`` and ``"``
    alone keeps the notebook smaller."""
    return text.replace("&", "&amp;").replace("'", "&#39;")


# The parent page's half of the frame: size the frame from the page's height message (the
# frame's own origin is opaque, so only messages from this very frame are taken), then drop the
# picture that stood in for it. A classic script, so that document.currentScript finds its box.
_SIZER = (
    "<script>(function(){var box=document.currentScript.parentNode;"
    'var frame=box.querySelector("iframe[data-micrograd-embed]");'
    'window.addEventListener("message",function(e){'
    "if(!frame||e.source!==frame.contentWindow||!e.data||"
    f'e.data.type!=="{HEIGHT_MESSAGE}")return;'
    'frame.style.height=e.data.height+"px";'
    'var pic=box.querySelector("[data-micrograd-picture]");if(pic)pic.remove();});})();'
    "</script>"
)


def embed_html(state: WidgetState, picture_svg: str | None = None, title: str = "") -> str:
    """The ``text/html`` that shows ``state`` live in a sandboxed frame, with ``picture_svg``
    (the static picture) in its place until the frame has drawn."""
    page = page_html(state)
    label = html.escape(title or "micrograd_magic graph widget", quote=True)
    picture = ""
    if picture_svg is not None:
        encoded = base64.b64encode(picture_svg.encode("utf-8")).decode("ascii")
        picture = (
            f'<img data-micrograd-picture alt="{label}" style="max-width:100%" '
            f'src="data:image/svg+xml;base64,{encoded}">'
        )
    return (
        '<div class="micrograd-embed">'
        f'<iframe data-micrograd-embed sandbox="allow-scripts" title="{label}" '
        'style="display:block;width:100%;height:0;border:0" '
        f"srcdoc='{_srcdoc(page)}'></iframe>{picture}{_SIZER}</div>"
    )
