"""How fast the graph widget draws and updates, measured with the real bundle in headless Chromium.

Builds the output graph of an MLP(2, [16, 16, 1]) (about 1,000 value nodes), opens a page that
loads micrograd_magic/static/widget.js with a small in-page model (as the exported page does),
and prints:

* bundle size (KB, minified);
* first render: the widget's ``render()`` call (parse, layout, SVG), and until the first paint;
* update: the slider ``input`` handler (forward + backward + rewriting the numbers), and the time
  from that event to the end of the frame that shows it (style, layout and paint included),
  as medians over a sweep of slider positions.

Run ``make bench`` or ``.venv/bin/python benchmarks/widget.py [--sweeps N]``; build the bundle
first (``cd js && npm run build``). Chromium must be at /usr/bin/chromium. Figures vary with the
machine's load; compare runs made back to back.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):  # the package, and tests/chromium.py
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from chromium import CHROMIUM, FLAGS  # noqa: E402

from micrograd_magic import Value, nn  # noqa: E402
from micrograd_magic.graph import Graph  # noqa: E402
from micrograd_magic.inputs import default_input  # noqa: E402

BUNDLE = ROOT / "micrograd_magic" / "static" / "widget.js"
SWEEPS = 80

# The page: the bundle as an inert script turned into a module through a blob URL (module scripts
# cannot be imported from file://), a minimal model, and the measuring code. A MessageChannel
# message posted from a requestAnimationFrame callback arrives after that frame's rendering.
PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 16px; } #host { width: 1100px; }</style></head><body><div id="host"></div>
<script type="text/plain" id="bundle">__BUNDLE__</script>
<script type="module">
const state = __STATE__;
const listeners = {};
const model = {
  get: (k) => state[k],
  set: (k, v) => { state[k] = v; for (const f of listeners["change:" + k] || []) f(); },
  on: (e, f) => (listeners[e] ||= []).push(f),
  off: (e, f) => { listeners[e] = (listeners[e] || []).filter((g) => g !== f); },
  save_changes: () => {},
  send: () => {},
};
const afterFrame = () => new Promise((resolve) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve(performance.now());
  channel.port2.postMessage(0);
}));
const source = document.getElementById("bundle").textContent;
const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
const widget = (await import(url)).default;
await afterFrame();
const t0 = performance.now();
widget.render({ model, el: document.getElementById("host") });
const renderMs = performance.now() - t0;
const firstPaintMs = (await afterFrame()) - t0;
const slider = document.querySelector('input[type="range"]');
const handler = [], frame = [];
const [min, max] = [Number(slider.min), Number(slider.max)];
for (let i = 0; i < __SWEEPS__; i++) {
  const value = min + ((i * 37) % 100) / 100 * (max - min);
  await new Promise((resolve) => requestAnimationFrame(() => {
    const start = performance.now();
    slider.value = String(value);
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    handler.push(performance.now() - start);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { frame.push(performance.now() - start); resolve(); };
    channel.port2.postMessage(0);
  }));
}
window.result = { renderMs, firstPaintMs, handler, frame,
  nodes: document.querySelectorAll("[data-node-id]").length };
</script></body></html>"""


def mlp_state() -> dict:
    """The widget state for an MLP(2, [16, 16, 1]) output: graph JSON and one slider per input."""
    random.seed(1)
    model = nn.MLP(2, [16, 16, 1])
    xs = [Value(1.0, label="x1"), Value(-0.5, label="x2")]
    out = model(xs)
    out.label = "out"
    out.backward()
    graph = Graph.from_value(out)
    leaves = graph.labelled_leaves()
    inputs = [{**default_input(x.label, x.data).to_json(), "id": leaves[x.label]} for x in xs]
    return {"graph": graph.to_json(), "inputs": inputs, "selected": None}


def measure(page_path: Path) -> dict:
    """Open the page in headless Chromium and return what it measured."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_path.as_uri())
            page.wait_for_function("window.result !== undefined", timeout=120_000)
            if errors:
                raise RuntimeError(f"the page failed: {errors}")
            return page.evaluate("window.result")
        finally:
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweeps", type=int, default=SWEEPS, help="slider moves to time")
    args = parser.parse_args()
    if not BUNDLE.exists():
        sys.exit(f"{BUNDLE} is missing: run `cd js && npm run build` first")
    bundle = BUNDLE.read_text(encoding="utf-8")
    state = mlp_state()
    html = (
        PAGE.replace("__BUNDLE__", bundle.replace("</script", "<\\/script"))
        .replace("__STATE__", json.dumps(state))
        .replace("__SWEEPS__", str(args.sweeps))
    )
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "widget-bench.html"
        page_path.write_text(html, encoding="utf-8")
        result = measure(page_path)
    nodes = len(state["graph"]["nodes"])
    print(f"bundle: {BUNDLE.stat().st_size / 1024:.1f} KB minified")
    print(f"graph: MLP(2, [16, 16, 1]) output, {nodes} value nodes ({result['nodes']} drawn)")
    print(
        f"first render: render() {result['renderMs']:.0f} ms, "
        f"first paint {result['firstPaintMs']:.0f} ms"
    )
    print(
        f"update (median of {len(result['handler'])}): input handler "
        f"{statistics.median(result['handler']):.2f} ms, "
        f"input -> frame painted {statistics.median(result['frame']):.2f} ms "
        f"(p90 {statistics.quantiles(result['frame'], n=10)[-1]:.2f} ms)"
    )


if __name__ == "__main__":
    main()
