"""The widget benchmark's network page (benchmarks/widget.py's NET_PAGE) in headless Chromium, on
a small MLP: it measures the slider and, once the page draws group boxes, opens a neuron through
the issue's hooks; on a page that draws none it says so instead of failing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from network_graphs import NEURON, flat_state, mlp_output, network_state  # noqa: E402

pytestmark = pytest.mark.browser


def _benchmark():
    spec = importlib.util.spec_from_file_location("widget_benchmark", BENCHMARKS / "widget.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not module.BUNDLE.is_file():
        pytest.skip("the JS bundle is not built (cd js && npm run build)")
    return module


def test_network_page_measures_and_opens_one_neuron_or_says_why_not(browser):
    bench = _benchmark()
    network = network_state(mlp_output((4, 1)), all_open=False)
    nodes = len(network["graph"]["nodes"])
    html = bench.page_html(bench.NET_PAGE, network, 3, open="true", neuron=NEURON)
    result = bench.measure(browser, html)
    assert len(result["frame"]) == len(result["handler"]) == 3
    assert result["firstPaintMs"] >= result["renderMs"] > 0
    if result["drawn"]["boxes"] == 0:
        # today's flat drawing: every card, and the note the table prints
        assert result["drawn"]["cards"] == nodes
        assert result["open"] == {"note": "no group boxes drawn"}
    else:
        # the network: the click on the neuron's header opened its box in a painted frame
        assert set(result["open"]) == {"ms"}, result["open"]
        assert result["open"]["ms"] > 0


def test_flat_twin_page_draws_every_card_and_no_box(browser):
    bench = _benchmark()
    flat = flat_state(network_state(mlp_output((4, 1)), all_open=True))
    html = bench.page_html(bench.NET_PAGE, flat, 2, open="false", neuron=NEURON)
    result = bench.measure(browser, html)
    assert result["drawn"] == {"cards": len(flat["graph"]["nodes"]), "boxes": 0}
    assert result["open"] is None
    assert len(result["frame"]) == 2
