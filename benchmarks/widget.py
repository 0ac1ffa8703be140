"""How fast the graph widget draws and updates, measured with the real bundle in headless Chromium.

Builds the output graph of an MLP(2, [16, 16, 1]) (about 1,000 value nodes), opens a page that
loads micrograd_magic/static/widget.js with a small in-page model (as the exported page does),
and prints:

* bundle size (KB, minified);
* first render: the widget's ``render()`` call (parse, layout, SVG), and until the first paint;
* update: the slider ``input`` handler (forward + backward + rewriting the numbers), and the time
  from that event to the end of the frame that shows it (style, layout and paint included),
  as medians over a sweep of slider positions.

Then the network table of issue 12: MLP(2, [16, 16, 1]) and MLP(2, [64, 64, 1]), each with its
neurons closed (the default ``open_groups``) and with every group open, drawn as the network and
as today's flat view (the same graph as schema 1 without its groups), the two pages taking turns
in one Chromium. Per page: first paint, slider input -> painted frame (median and p90), and, on
the closed rows, "open one neuron": a click on the header of ``layers.0.neurons.0`` until the
end of the first frame painted with its box open (or "no group boxes drawn" when the page draws
none). The issue's target is printed beside each figure of the network.

Run ``make bench`` or ``.venv/bin/python benchmarks/widget.py [--sweeps N] [--networks]
[--rounds N] [--against BUNDLE]`` (``--networks``: the table only; ``--against``: the table's
pages also with another checkout's built bundle, in the same turns, for a before/after in one
run); build the bundle first (``cd js && npm run build``). Chromium must be at
/usr/bin/chromium. Figures vary with the machine's load; compare runs made back to back.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from arguments import count

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):  # the package, and tests/chromium.py
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from chromium import CHROMIUM, FLAGS  # noqa: E402
from network_graphs import NEURON, ROWS, flat_state, graph_nodes, mlp_output, network_state  # noqa: E402

from micrograd_magic import Value, nn  # noqa: E402
from micrograd_magic.graph import Graph  # noqa: E402
from micrograd_magic.inputs import default_input  # noqa: E402

BUNDLE = ROOT / "micrograd_magic" / "static" / "widget.js"
SWEEPS = 80
# Time limits: one page's whole measure, and the wait for an opened neuron's box.
CASE_SECONDS = 300
OPEN_LIMIT_MS = 10_000

# The pages: the bundle as an inert script turned into a module through a blob URL (module scripts
# cannot be imported from file://), a minimal model, and the measuring code. A MessageChannel
# message posted from a requestAnimationFrame callback arrives after that frame's rendering.
PAGE_HEAD = """<!doctype html><html><head><meta charset="utf-8"><style>
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
const handler = [], frame = [];
const sweep = async (slider) => {
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
};
"""

PAGE_TAIL = """</script></body></html>"""

# Today's measure: the first slider of the MLP(2, [16, 16, 1]) page.
PAGE = (
    PAGE_HEAD
    + """await sweep(document.querySelector('input[type="range"]'));
window.result = { renderMs, firstPaintMs, handler, frame,
  nodes: document.querySelectorAll("[data-node-id]").length };
"""
    + PAGE_TAIL
)

# The network table's measure: the x1 slider, then (if __OPEN__) a click that opens one neuron,
# timed to the end of the first frame painted with its box open. Every wait has a time limit.
NET_PAGE = (
    PAGE_HEAD
    + """await sweep(document.querySelector('input[type="range"][data-input="x1"]'));
// Cards far out of sight at first are drawn in idle time: count once no idle slice adds any.
const idle = () => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 }));
const countCards = () => document.querySelectorAll("[data-node-id]").length;
for (let last = -1, t = performance.now(); performance.now() - t < 30000; ) {
  await idle();
  const now = countCards();
  if (now === last) break;
  last = now;
}
const drawn = { cards: document.querySelectorAll("[data-node-id]").length,
  boxes: document.querySelectorAll("[data-group]").length };
let open = null;
if (__OPEN__) {
  const box = () => document.querySelector('[data-group="__NEURON__"]');
  const target = box()?.querySelector('[data-action="toggle-group"]') ?? box();
  if (drawn.boxes === 0) open = { note: "no group boxes drawn" };
  else if (!target) open = { note: `no box [data-group="__NEURON__"] drawn` };
  else {
    await afterFrame();
    const start = performance.now();
    if (target instanceof HTMLElement) target.click();
    else target.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    open = { note: "not open within __OPEN_LIMIT__ ms" };
    while (performance.now() - start < __OPEN_LIMIT__) {
      const end = await afterFrame();
      if (box()?.getAttribute("data-group-state") === "open") { open = { ms: end - start }; break; }
    }
  }
}
window.result = { renderMs, firstPaintMs, handler, frame, drawn, open };
"""
    + PAGE_TAIL
)


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


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium (a persistent context in a temporary profile), closed on the way out,
    also on Ctrl-C or SIGTERM (turned into SystemExit so that the cleanup runs)."""
    from playwright.sync_api import sync_playwright

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
            timeout=60_000,
        )
        try:
            yield context
        finally:
            context.close()


def page_html(
    template: str, state: dict, sweeps: int, bundle_path: Path | None = None, **fields: object
) -> str:
    """A page from a template: the bundle (BUNDLE unless ``bundle_path``), the state, the number
    of slider moves, and ``__NAME__`` fields."""
    bundle = (bundle_path or BUNDLE).read_text(encoding="utf-8")
    html = (
        template.replace("__STATE__", json.dumps(state))
        .replace("__SWEEPS__", str(sweeps))
        .replace("__OPEN_LIMIT__", str(OPEN_LIMIT_MS))
    )
    for name, value in fields.items():
        html = html.replace(f"__{name.upper()}__", str(value))
    # the bundle last: its own text must not be taken for a field
    return html.replace("__BUNDLE__", bundle.replace("</script", "<\\/script"))


def measure(context: Any, html: str) -> dict:
    """Open the page in a new tab of ``context``, wait (at most CASE_SECONDS) for what it
    measured, close the tab and return the result."""
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "widget-bench.html"
        page_path.write_text(html, encoding="utf-8")
        page = context.new_page()
        try:
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_path.as_uri(), timeout=CASE_SECONDS * 1000)
            deadline = time.monotonic() + CASE_SECONDS
            while not page.evaluate("window.result !== undefined"):
                if errors:
                    raise RuntimeError(f"the page failed: {errors}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the page measured nothing in {CASE_SECONDS} s")
                page.wait_for_timeout(200)
            if errors:
                raise RuntimeError(f"the page failed: {errors}")
            return page.evaluate("window.result")
        finally:
            page.close()


def p90(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=10)[-1]


def print_today(context: Any, sweeps: int, show: bool = True) -> None:
    """Today's figures: the bundle, and the MLP(2, [16, 16, 1]) page's render and slider."""
    state = mlp_state()
    result = measure(context, page_html(PAGE, state, sweeps))
    if not show:
        return
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
        f"(p90 {p90(result['frame']):.2f} ms)"
    )


def against(value: float, target: float | None) -> str:
    """A figure's verdict beside the issue's target (nothing for the flat view)."""
    if target is None:
        return ""
    return f"(<= {target:g}: {'met' if value <= target else 'NOT met'})"


def open_figure(runs: list[dict], target: float) -> str:
    """The "open one neuron" column: the median time, or why there is none."""
    opened = [r["open"] for r in runs]
    times = [o["ms"] for o in opened if "ms" in o]
    if len(times) == len(opened):
        ms = statistics.median(times)
        return f"{ms:.0f} ms {against(ms, target)}"
    return ", ".join(sorted({o["note"] for o in opened if "note" in o}))


def print_networks(context: Any, sweeps: int, rounds: int, other: Path | None = None) -> None:
    """The network table: each row's network page and its flat twin, taking turns; with
    ``other``, also both pages with that bundle (another checkout's build), in the same turns."""
    print(
        f"\nnetworks (issue 12): each graph drawn as the network and as today's flat view "
        f"(schema 1, no groups), taking turns; {rounds} round(s), {sweeps} slider moves each; "
        "figures in ms, medians, the issue's target beside the network's"
        + (f"; '(against)': {other}" if other else "")
    )
    columns = "{:<36} {:<17} {:>15}  {:<24} {:<34} {}"
    heads = ("graph (nodes)", "view", "cards / boxes", "first paint", "input -> frame (p90)")
    print(columns.format(*heads, "open one neuron"))
    for index, row in enumerate(ROWS):
        network = network_state(mlp_output(row.sizes), row.all_open)
        views = {"network": network, "flat": flat_state(network)}
        bundles: dict[str, Path | None] = {"": None}
        if other:
            bundles[" (against)"] = other
        pages = [(view, build) for build in bundles for view in views]
        results: dict[tuple[str, str], list[dict]] = {page: [] for page in pages}
        for r in range(rounds):
            for view, build in pages if (index + r) % 2 == 0 else pages[::-1]:
                opens = view == "network" and row.open_ms is not None
                flag = str(opens).lower()
                html = page_html(
                    NET_PAGE, views[view], sweeps, bundles[build], open=flag, neuron=NEURON
                )
                results[view, build].append(measure(context, html))
        for view, build in pages:
            runs = results[view, build]
            is_network = view == "network"
            paint = statistics.median(r["firstPaintMs"] for r in runs)
            frames = [f for r in runs for f in r["frame"]]
            frame = statistics.median(frames)
            drawn = runs[-1]["drawn"]
            opened = ""
            if is_network and row.open_ms is not None:
                opened = open_figure(runs, row.open_ms)
            print(
                columns.format(
                    f"{row.name} ({graph_nodes(network):,})" if is_network and not build else "",
                    view + build,
                    f"{drawn['cards']:,} / {drawn['boxes']:,}",
                    f"{paint:.0f} {against(paint, row.paint_ms if is_network else None)}",
                    f"{frame:.2f} ({p90(frames):.2f}) "
                    + against(frame, row.frame_ms if is_network else None),
                    opened,
                ).rstrip()
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweeps", type=count, default=SWEEPS, help="slider moves to time")
    parser.add_argument(
        "--networks", action="store_true", help="run only the network table (issue 12)"
    )
    parser.add_argument(
        "--rounds", type=count, default=1, help="network table: turns of each page (median)"
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="network table: also measure this bundle (another checkout's built widget.js)",
    )
    args = parser.parse_args()
    if not BUNDLE.exists():
        sys.exit(f"{BUNDLE} is missing: run `cd js && npm run build` first")
    with chromium() as context:
        # Today's page first (with --networks, unprinted: it warms the browser up, as it does
        # for the table in a full run).
        print_today(context, args.sweeps, show=not args.networks)
        print_networks(context, args.sweeps, args.rounds, args.against)


if __name__ == "__main__":
    main()
