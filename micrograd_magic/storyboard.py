"""The storyboard: one printable frame per position of backprop's step-through.

Frame ``k`` is the graph with the grads known after ``k`` steps (frame 0: none yet; the last:
the full backward pass) and the step's caption underneath, so a storyboard has
``len(step_sequence(graph)) + 1`` frames. :func:`write_storyboard` writes them as one HTML page
whose print stylesheet puts each frame on its own page (a handout, or a PDF printed from the
browser), or as one SVG per frame for slides. The pictures are Graphviz's
(:func:`~micrograd_magic.picture.static_svg`, each run with a time limit).
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Literal

from .explain import grads_after_step, step_description, step_sequence
from .files import write_text
from .graph import Graph
from .picture import PICTURE_TIMEOUT, static_svg

__all__ = ["frames", "write_storyboard"]

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; color: #000; background: #fff; margin: 16px; }}
h1 {{ font-size: 18px; margin: 0 0 8px; }}
.frame {{ break-inside: avoid; margin: 0 0 24px; }}
.frame + .frame {{ break-before: page; }}
.frame svg {{ display: block; max-width: 100%; max-height: 80vh; width: auto; height: auto; }}
.frame figcaption {{ margin-top: 6px; }}
.frame .step {{ font-weight: 600; }}
@media print {{ body {{ margin: 0; }} .frame {{ margin: 0; }} }}
</style></head><body>
<h1>{title}</h1>
{frames}
</body></html>
"""


def frames(graph: Graph, timeout: float = PICTURE_TIMEOUT) -> list[tuple[str, str]]:
    """(svg, caption) for each position of the step-through, from 0 to the number of steps."""
    total = len(step_sequence(graph))
    out = []
    for k in range(total + 1):
        grad = grads_after_step(graph, k)
        picture = Graph(graph.nodes, graph.data, grad, graph.output)
        caption = step_description(graph, k).text
        out.append((static_svg(picture, timeout), caption))
    return out


def write_storyboard(
    graph: Graph,
    path: str | os.PathLike[str],
    format: Literal["html", "svg"] = "html",
    title: str = "Backprop, step by step",
    timeout: float = PICTURE_TIMEOUT,
) -> Path:
    """Write the storyboard of ``graph``: one HTML page (``format="html"``, at ``path``) or one
    SVG per frame (``format="svg"``: ``path`` is a folder, made if missing, holding
    ``step-00.svg``, ``step-01.svg`` ...). Returns the page's path or the folder's."""
    if format not in ("html", "svg"):
        raise ValueError(f"format must be 'html' or 'svg', got {format!r}")
    made = frames(graph, timeout)
    target = Path(path)
    if format == "svg":
        target.mkdir(parents=True, exist_ok=True)
        width = max(2, len(str(len(made) - 1)))
        for k, (svg, caption) in enumerate(made):
            titled = svg.replace(">", f"><title>{html.escape(caption)}</title>", 1)
            write_text(target / f"step-{k:0{width}d}.svg", titled)
        return target
    parts = []
    total = len(made) - 1
    for k, (svg, caption) in enumerate(made):
        parts.append(
            f'<figure class="frame" data-frame="{k}">{svg}<figcaption>'
            f'<span class="step">{k} of {total}.</span> {html.escape(caption)}'
            "</figcaption></figure>"
        )
    return write_text(target, _PAGE.format(title=html.escape(title), frames="\n".join(parts)))
