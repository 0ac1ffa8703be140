"""How the widget's set-up grows with the number of inputs: it must grow linearly.

For a sum of N labelled leaves (``x0 + x1 + ... + x{N-1}``, every leaf a default slider up to
:data:`micrograd_magic.state.MAX_SLIDERS`), prints the seconds to

* build the kernel-free ``WidgetState`` (graph snapshot, sliders, evaluation);
* build the ``GraphWidget`` (the same, plus the traits and ipywidgets' serialisation);
* ``set_input`` one slider (checks, re-evaluation, the update message);
* take a page's ``inputs`` update through the real comm path;

and, with ``--browser``, the exported page's first render in headless Chromium (until
``<html data-mgm-ready>``: bundle import, layout, sliders, SVG).

Run ``.venv/bin/python benchmarks/inputs.py [--sizes 1000 8000 100000] [--browser]``. Figures
vary with the machine's load; compare runs made back to back.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from arguments import count

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):  # the package, and tests/chromium.py
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import comm  # noqa: E402
from comm.base_comm import BaseComm  # noqa: E402

from micrograd_magic import Value  # noqa: E402
from micrograd_magic.export import write_page  # noqa: E402
from micrograd_magic.state import WidgetState  # noqa: E402
from micrograd_magic.widget import show  # noqa: E402


class SilentComm(BaseComm):
    """A comm that drops what the kernel would send: the benchmark runs without a front end."""

    def publish_msg(self, *args: Any, **kwargs: Any) -> None:
        pass


def sum_of_leaves(n: int) -> Value:
    leaves = [Value(0.1 * (i % 10), label=f"x{i}") for i in range(n)]
    total = leaves[0]
    for v in leaves[1:]:
        total = total + v
    return total


def timed(work: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def browser_render(state: WidgetState) -> float:
    """Seconds from navigation to ``data-mgm-ready`` for the exported page of ``state``."""
    from chromium import CHROMIUM, FLAGS
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_path = write_page(state, Path(tmp) / "inputs.html")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            start = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_selector("html[data-mgm-ready]", state="attached", timeout=600_000)
            return time.perf_counter() - start
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=count, nargs="+", default=[1000, 8000, 100_000])
    parser.add_argument("--browser", action="store_true", help="also time the page in Chromium")
    args = parser.parse_args()
    comm.create_comm = SilentComm
    for n in args.sizes:
        root = sum_of_leaves(n)
        state_s, state = timed(lambda root=root: WidgetState(root))
        widget_s, widget = timed(lambda root=root: show(root))
        last = widget.inputs[-1]["name"]
        set_s, _ = timed(lambda w=widget, name=last: w.set_input(name, 0.25))
        sent = [dict(d) for d in widget.inputs]
        sent[0]["value"] = 0.5
        message = {
            "content": {
                "comm_id": widget.comm.comm_id,
                "data": {"method": "update", "state": {"inputs": sent}, "buffer_paths": []},
            },
            "buffers": [],
        }
        page_s, _ = timed(lambda w=widget, m=message: w.comm.handle_msg(m))
        line = (
            f"N={n:,}: {len(widget.inputs):,} sliders, {len(widget.model_graph.nodes):,} nodes; "
            f"WidgetState {state_s:.2f} s, GraphWidget {widget_s:.2f} s, "
            f"set_input {set_s:.3f} s, page update {page_s:.3f} s"
        )
        if args.browser:
            line += f"; page first render {browser_render(state):.1f} s"
        print(line, flush=True)


if __name__ == "__main__":
    main()
