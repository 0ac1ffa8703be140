"""marimo: examples/marimo_tour.py served by a real ``marimo run`` on 127.0.0.1 (headless, this
checkout first on the path), in headless Chromium. Both graphs draw with the right numbers, a
slider recomputes in the page, and the cell that reads the widget's value runs again when the
slider is released, seeing the numbers the page shows.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    PAGE_TIMEOUT_MS,
    REPO,
    SERVER_START_TIMEOUT,
    GraphView,
    _free_port,
    phase,
    xyz_graph,
)

from micrograd_magic import compile

pytestmark = pytest.mark.browser

marimo = pytest.importorskip("marimo", reason="marimo is in the test extra")

TOUR = REPO / "examples" / "marimo_tour.py"
NEURON = re.search(r'cell\(\s*"""(.*?)"""', TOUR.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def marimo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``marimo run`` of the tour on a free local port, with its own config and home; its URL."""
    base = tmp_path_factory.mktemp("marimo")
    port = _free_port()
    pythonpath = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    env = {
        **os.environ,
        "PYTHONPATH": pythonpath,
        "HOME": str(base),
        "XDG_CONFIG_HOME": str(base / "config"),
        "XDG_CACHE_HOME": str(base / "cache"),
        "XDG_STATE_HOME": str(base / "state"),
    }
    command = [
        *(sys.executable, "-m", "marimo", "run", str(TOUR)),
        *("--headless", "--host", "127.0.0.1", "-p", str(port), "--no-token"),
    ]
    log = (base / "marimo.log").open("wb")
    proc = subprocess.Popen(command, env=env, cwd=base, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        with phase("marimo: server start"):
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                assert proc.poll() is None, (base / "marimo.log").read_text(errors="replace")
                with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as reply:
                    if reply.status == 200:
                        break
                assert time.monotonic() < deadline, "marimo did not answer in time"
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def page(browser: Any, marimo_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with phase("marimo: page load + graphs drawn"):
        page.goto(marimo_url)
        page.locator(".mgm-root").nth(1).locator("[data-node-id]").first.wait_for(state="attached")
    yield page
    assert errors == []
    context.close()


def summary(page: Any) -> str:
    return page.locator("text=Inputs:").first.inner_text()


def test_the_tour_draws_recomputes_and_reruns_the_dependent_cell(page: Any) -> None:
    assert NEURON is not None
    computation = compile(NEURON.group(1))
    graph = computation.graph()
    start = {spec.name: spec.value for spec in computation.inputs}
    neuron = GraphView(page, page.locator(".mgm-root").nth(0))
    assert len(neuron.nodes()) == len(graph.nodes)
    assert {name: neuron.slider_state(name)[0] for name in start} == start
    assert summary(page).startswith("Inputs: x1 = 2, x2 = 0, w1 = -3, w2 = 1, b = 6.88;")
    o = neuron.by_label()["o"]["data"]
    assert o == pytest.approx(math.tanh(2 * -3 + 6.88), rel=1e-12)

    neuron.drag("w1", 0.75)  # [-3, 3] three quarters along: about 1.5
    w1 = neuron.slider_state("w1")[0]
    assert w1 != -3.0
    n = 2.0 * w1 + 6.88
    nodes = neuron.by_label()
    assert nodes["o"]["data"] == pytest.approx(math.tanh(n), rel=1e-12)
    assert nodes["w1"]["grad"] == pytest.approx(2.0 * (1 - math.tanh(n) ** 2), rel=1e-12)

    # The dependent cell ran again on release, and read the numbers the page shows.
    neuron.wait_until(lambda: f"w1 = {w1:g}," in summary(page), timeout=20)
    text = summary(page)
    assert f"w1 = {w1:g}," in text
    assert f"o = {math.tanh(n):.4f}" in text
    assert f"do/dw1 = {2.0 * (1 - math.tanh(n) ** 2):.4f}" in text


def test_show_works_the_same_way(page: Any) -> None:
    xyz = GraphView(page, page.locator(".mgm-root").nth(1))
    assert {k: (v["data"], v["grad"]) for k, v in xyz.by_label().items()} == {
        "x": (2.0, 7.0),
        "y": (3.0, 2.0),
        "z": (10.0, 1.0),
    }
    xyz.press("y", "ArrowRight", 10)
    y = xyz.slider_state("y")[0]
    assert y == pytest.approx(4.0, abs=1e-9)
    xyz.wait_until(lambda: xyz.by_label()["z"]["data"] == 2.0 * y + 4.0)
    assert xyz.by_label()["z"]["data"] == pytest.approx(2.0 * y + 4.0, rel=1e-12)
    x_id = xyz_graph().labelled_leaves()["x"]
    xyz.output.locator(f'[data-node-id="{x_id}"]').first.click()
    panel = xyz.output.locator(f'[data-panel][data-panel-node="{x_id}"]')
    panel.wait_for(state="visible")
    grad = float(panel.locator('[data-panel-field="grad"]').get_attribute("data-value"))
    assert grad == pytest.approx(y + 4.0, rel=1e-12)


def test_the_example_is_a_valid_marimo_notebook(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "marimo", "check", str(TOUR)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_widget_follows_marimos_theme_not_the_systems(browser: Any, marimo_url: str) -> None:
    # The system says dark; marimo's theme (light by default) decides, and so does the widget.
    context = browser.new_context(color_scheme="dark", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(marimo_url)
        root = page.locator(".mgm-root").first
        root.locator("[data-node-id]").first.wait_for(state="attached")
        name = root.locator(".mgm-slider-name").first

        def text_colour() -> str:
            return name.evaluate("n => getComputedStyle(n).color")

        assert page.evaluate("document.body.classList.contains('light-theme')")
        assert text_colour() == "rgb(31, 35, 40)"  # the light scheme's text
        page.evaluate("document.body.classList.replace('light-theme', 'dark-theme')")
        page.evaluate("document.body.classList.replace('light', 'dark')")
        assert text_colour() == "rgb(230, 237, 243)"  # the dark scheme's text
    finally:
        context.close()
