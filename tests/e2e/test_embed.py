"""The live embed in static HTML, offline: a notebook with two widgets and embedding on, run by
nbclient, saved, converted with ``jupyter nbconvert --to html`` and opened from ``file://`` in
Chromium with every request that is not ``file:`` or ``blob:`` aborted. Both graphs draw inside
their ``iframe[data-micrograd-embed]``, a slider drag recomputes, a click explains.

Two ways the notebook is saved: without widget state (JupyterLab's default), where nbconvert
picks the ``text/html`` embed by itself; and with widget state (nbclient's default, or Lab's
"Save Widget State Automatically"), where nbconvert prefers its own CDN-loaded widget manager
unless the widget state is left out of the conversion, the option docs/embedding.md gives.
"""

from __future__ import annotations

import html
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import PAGE_TIMEOUT_MS, xyz_graph
from jupyter_kernel import isolated_jupyter_env
from nbclient import NotebookClient
from test_export_page import OfflinePage, PageGraph

from micrograd_magic import compile
from micrograd_magic.bundle import bundle_source

pytestmark = pytest.mark.browser

KERNEL_NAME = "micrograd-magic-embed"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
NEURON = "a: (-2, 2, 0.1) = 1.0\nb: (-2, 2, 0.1) = -0.5\nn = a*b + a\no = tanh(n)"
CELLS = [
    "%load_ext micrograd_magic\n%config MicrogradMagics.embed = True",
    "from micrograd_magic import Value, show\n"
    "x = Value(2.0, label='x')\n"
    "y = Value(3.0, label='y')\n"
    "z = x * y + x**2\n"
    "z.label = 'z'\n"
    "show(z)",
    f"%%micrograd\n{NEURON}",
]
# What nbconvert needs to pick the embed in a notebook saved with widget state: the state is
# left out of the conversion (docs/embedding.md).
WITHOUT_STATE = ["--ClearMetadataPreprocessor.enabled=True"]


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A kernel spec of our own (this interpreter, this checkout) and no user configuration."""
    return isolated_jupyter_env(
        tmp_path_factory.mktemp("jupyter"), KERNEL_NAME, "Python (micrograd_magic embed)"
    )


def executed(folder: Path, env: dict[str, str], store_widget_state: bool) -> Path:
    """The notebook of CELLS run by nbclient and saved in ``folder``; its path."""
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    with pytest.MonkeyPatch.context() as patch:
        for var, value in env.items():
            patch.setenv(var, value)
        NotebookClient(
            nb,
            kernel_name=KERNEL_NAME,
            timeout=120,
            store_widget_state=store_widget_state,
            resources={"metadata": {"path": str(folder)}},
        ).execute()
    path = folder / "lesson.ipynb"
    nbformat.write(nb, path)
    return path


def converted(notebook: Path, env: dict[str, str], name: str, options: list[str]) -> Path:
    """``jupyter nbconvert --to html`` of the saved notebook, as a user runs it, into page
    ``name``.html beside it; the page."""
    jupyter = Path(sys.executable).parent / "jupyter"
    result = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "html", "--output", name, *options, str(notebook)],
        env={**os.environ, **env},
        cwd=notebook.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return notebook.with_name(f"{name}.html")


# A Jupyter Book 1 is Sphinx with MyST-NB. MyST-NB draws the widget view of an output even
# without widget state (blank without a kernel), so the book drops that representation for HTML
# and the embed is the best one left (docs/embedding.md).
BOOK_CONF = """\
extensions = ["myst_nb"]
nb_execution_mode = "off"
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
exclude_patterns = ["_build"]
"""


def book(notebook: Path, folder: Path) -> Path:
    """A Sphinx + MyST-NB site of the saved notebook, built offline; the notebook's page."""
    pytest.importorskip("myst_nb", reason="myst-nb (Jupyter Book 1's notebook reader)")
    folder.mkdir()
    (folder / "conf.py").write_text(BOOK_CONF, encoding="utf-8")
    (folder / "index.md").write_text("# Lessons\n\n```{toctree}\nlesson\n```\n")
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("# Backpropagation, live"))
    nbformat.write(nb, folder / "lesson.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(folder), str(folder / "_build")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return folder / "_build" / "lesson.html"


@pytest.fixture(scope="module")
def pages(jupyter_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("embed")
    plain = executed(base / "plain", jupyter_env, store_widget_state=False)
    stateful = executed(base / "stateful", jupyter_env, store_widget_state=True)
    assert WIDGET_STATE not in nbformat.read(plain, as_version=4).metadata.get("widgets", {})
    assert WIDGET_STATE in nbformat.read(stateful, as_version=4).metadata.widgets
    return {
        "plain": converted(plain, jupyter_env, "plain", []),
        "stateful": converted(stateful, jupyter_env, "stateful", WITHOUT_STATE),
        "stateful-default": converted(stateful, jupyter_env, "cdn", []),
        "notebook": plain,
    }


def frames(offline: OfflinePage, page: Path) -> list[PageGraph]:
    """Open ``page`` and wait until the graph in every embed frame is drawn."""
    offline.page.goto(page.as_uri())
    count = offline.page.locator("iframe[data-micrograd-embed]").count()
    views = []
    for i in range(count):
        frame = offline.page.frame_locator(f"iframe[data-micrograd-embed] >> nth={i}")
        frame.locator("html[data-mgm-ready]").wait_for(state="attached")
        views.append(offline.graph(frame=frame))
    return views


def assert_offline(offline: OfflinePage) -> None:
    """Nothing but file: and blob: loaded. nbconvert's own template asks for require.js and
    MathJax from CDNs: blocked like every other request, and the only others made."""
    template_assets = ("/require.js/", "/mathjax/")
    assert offline.requests, "the page made no request at all: was it opened?"
    assert all(any(a in url for a in template_assets) for url in offline.blocked), offline.blocked
    assert all("net::ERR_FAILED" in e for e in offline.errors), offline.errors
    assert offline.dialogs == []


def check_live(offline: OfflinePage, page: Path) -> None:
    """Both graphs draw and fit their frames, a drag recomputes, a click explains."""
    first, second = frames(offline, page)
    first.assert_shows(xyz_graph(), {"x": 2.0, "y": 3.0})
    neuron = compile(NEURON).graph()
    second.assert_shows(neuron, {"a": 1.0, "b": -0.5})

    # The parent's sizer took the frame's height message and dropped the stand-in picture.
    boxes = offline.page.locator("iframe[data-micrograd-embed]")
    first.wait_until(lambda: offline.page.locator("[data-micrograd-picture]").count() == 0)
    assert offline.page.locator("[data-micrograd-picture]").count() == 0
    assert all(boxes.nth(i).bounding_box()["height"] > 150 for i in range(2))

    first.drag("y", 0.9)
    moved = first.values("x", "y")
    assert moved["y"] != 3.0
    first.assert_shows(xyz_graph(), moved)
    second.assert_shows(neuron, {"a": 1.0, "b": -0.5})  # the other frame did not move

    a_id = neuron.labelled_leaves()["a"]
    second.output.locator(f'[data-node-id="{a_id}"]').first.click()
    panel = second.output.locator(f'[data-panel][data-panel-node="{a_id}"]')
    panel.wait_for(state="visible")
    grad = float(panel.locator('[data-panel-field="grad"]').get_attribute("data-value"))
    n = 1.0 * -0.5 + 1.0
    slope = 1 - math.tanh(n) ** 2
    assert grad == pytest.approx((-0.5 + 1.0) * slope, rel=1e-12)
    assert panel.locator("[data-term]").count() == 2  # through a*b and through + a
    assert_offline(offline)


def test_nbconvert_html_without_widget_state_is_live_offline(
    offline: OfflinePage, pages: dict[str, Path]
) -> None:
    check_live(offline, pages["plain"])


def test_nbconvert_html_with_widget_state_left_out_is_live_offline(
    offline: OfflinePage, pages: dict[str, Path]
) -> None:
    check_live(offline, pages["stateful"])


def test_a_jupyter_book_1_page_is_live_offline(
    offline: OfflinePage, pages: dict[str, Path], tmp_path: Path
) -> None:
    check_live(offline, book(pages["notebook"], tmp_path / "book"))


def test_with_widget_state_nbconvert_alone_prefers_its_cdn_widgets(pages: dict[str, Path]) -> None:
    # Why the docs give the option: without it nbconvert picks the widget view (loaded from
    # CDNs, blank offline) over the embed.
    html = pages["stateful-default"].read_text(encoding="utf-8")
    assert "data-micrograd-embed" not in html
    assert WIDGET_STATE in html


def test_a_notebook_with_embedding_carries_one_bundle_per_widget(pages: dict[str, Path]) -> None:
    # docs/embedding.md states the weight: one copy of the bundle per widget output, plus the
    # state and the picture, which are small beside it.
    nb = nbformat.read(pages["notebook"], as_version=4)
    embeds = [
        out.data["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    ]
    assert len(embeds) == 2
    bundle = bundle_source()
    for text in embeds:
        srcdoc = html.unescape(text.split("srcdoc='", 1)[1].split("'", 1)[0])
        assert srcdoc.count(json.dumps(bundle, ensure_ascii=False)[:200]) == 1
    size = pages["notebook"].stat().st_size
    assert size < 2 * 2 * len(bundle.encode("utf-8")) + 50_000


def test_where_scripts_do_not_run_the_picture_shows(browser: Any, pages: dict[str, Path]) -> None:
    # A viewer that strips scripts: the frame stays at height 0 and the picture stands in.
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1400, "height": 900}
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(pages["plain"].as_uri())
        frames = page.locator("iframe[data-micrograd-embed]")
        pictures = page.locator("img[data-micrograd-picture]")
        assert frames.count() == pictures.count() == 2
        for i in range(2):
            assert frames.nth(i).bounding_box()["height"] == 0
            pictures.nth(i).scroll_into_view_if_needed()
            assert pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")
            assert pictures.nth(i).bounding_box()["height"] > 50
    finally:
        context.close()
