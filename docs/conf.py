"""Sphinx configuration: the Markdown pages of docs/ as a site (myst-parser, the Furo theme).

The pages stay plain Markdown that reads on GitHub too: links between them are relative ``.md``
links, and headings get GitHub's anchors, so the same ``page.md#heading`` link works in both
places and a broken one fails the build (``make docs`` runs Sphinx with ``-W -n``).

The build also writes a live exported widget page into the site (``LIVE_PAGE``), which the
front page embeds in an ``<iframe>``: the product shown working, not described.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from micrograd_magic import __version__  # noqa: E402

project = "micrograd_magic"
author = "the micrograd_magic authors"
copyright = "the micrograd_magic authors, MIT licence"
version = release = __version__

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# GitHub-style anchors for headings down to ###, so "page.md#some-heading" links resolve in the
# site as they do on GitHub.
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"micrograd_magic {release}"
html_static_path: list[str] = []

# The exported page of examples/neuron.mg, relative to the site's root; index.md's iframe loads
# it from there.
LIVE_SOURCE = ROOT / "examples" / "neuron.mg"
LIVE_PAGE = "live/neuron.html"
# Rendering imports the package and reads the bundle: seconds, but the machine may be busy.
RENDER_TIMEOUT = 180


def write_live_page(app: Sphinx) -> None:
    """Export the live widget page into the HTML output with the command line, or fail the build.

    The command line, not the Python API, so that the site shows exactly what a user's
    ``render --html`` writes. An empty title leaves the heading out, as suits an iframe.
    """
    if app.builder.format != "html":
        return
    target = Path(app.outdir) / LIVE_PAGE
    # The command line names a missing folder instead of creating it.
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "micrograd_magic",
        "render",
        str(LIVE_SOURCE),
        "--html",
        str(target),
        "--title",
        "",
    ]
    try:
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=RENDER_TIMEOUT
        )
    except subprocess.TimeoutExpired as err:
        raise ExtensionError(f"rendering {LIVE_SOURCE} took over {RENDER_TIMEOUT} s") from err
    if result.returncode != 0 or not target.is_file():
        raise ExtensionError(
            f"could not render {LIVE_SOURCE} into {target} (exit {result.returncode}): "
            f"{result.stderr.strip() or result.stdout.strip()}"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """Hook the live page into the build."""
    app.connect("builder-inited", write_live_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
