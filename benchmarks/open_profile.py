"""What opening one neuron of a closed network costs, and where the time goes.

    python benchmarks/open_profile.py [--against DIR] [--sizes 64,64,1] [--runs N] [--profile]
        [--trace]

Builds ``js/widget.js`` unminified (as ``handler_profile.py`` does), and with ``--against`` also
``DIR/js/widget.js`` of another checkout (``git worktree add /tmp/before <commit>``), and loads
each into ``widget.py``'s network page of ``MLP(2, sizes)`` with its neurons closed, the builds
taking turns for ``--runs`` pages each. Each page clicks the header of ``layers.0.neurons.0`` as
``widget.py`` does and reports the click's synchronous time (the handler: the new drawing, the
features, the forced style and layout) and the time until the end of the first frame painted
with the box open. With ``--profile``, Chromium's sampling profiler runs over the click and the
functions that took the most (callees included) are printed. With ``--trace``, Chromium's trace
(``devtools.timeline``) runs over the click instead and the frame after it is split by phase:
the CPU time of the main thread's style, layout, pre-paint, paint, layerize and commit from the
end of the click's handler to the end of the first frame painted with the box open, and apart
the style and layout forced inside the handler. The profiler and the trace slow the
page down: compare the builds with each other, not with ``widget.py``'s figures.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from arguments import count, layer_sizes
from handler_profile import build_unminified
from network_graphs import NEURON, mlp_output, network_state
from widget import NET_PAGE, ROOT, chromium, page_html

# The page waits for the profiler before the click (window.__go) and times the click's handler.
CLICK = "if (target instanceof HTMLElement) target.click();"
PAUSED_PAGE = NET_PAGE.replace(
    "await afterFrame();\n    const start",
    "await new Promise((go) => { window.__go = go; });\n    await afterFrame();\n    const start",
    1,
).replace(
    CLICK,
    "if (target instanceof HTMLElement) { const t = performance.now(); target.click(); "
    "window.__clickMs = performance.now() - t; }",
    1,
)
assert "__go" in PAUSED_PAGE and "__clickMs" in PAUSED_PAGE, "widget.py's NET_PAGE changed"

# The frame's phases --trace prints: (label, trace event). "paint" counts only the outermost
# Paint events (Chromium nests a Paint of the document's element in the document's).
PHASES = (
    ("style", "UpdateLayoutTree"),
    ("layout", "Layout"),
    ("pre-paint", "PrePaint"),
    ("paint", "Paint"),
    ("layerize", "Layerize"),
    ("commit", "Commit"),
)

# The style and layout the click's handler forces, which --trace prints beside the frame's.
FORCED = (("click style", "UpdateLayoutTree"), ("click layout", "Layout"))

# What --trace records (the commit's event is in the second).
TRACE_CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline"

# Time limit for one page, in milliseconds.
PAGE_MS = 180_000


def open_once(context: Any, html: str, profile: bool, trace: bool = False) -> dict:
    """One page: the click's handler and frame times, the profile's time per function, and the
    frame's phases (ms, with ``trace``)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "open.html"
        path.write_text(html, encoding="utf-8")
        page = context.new_page()
        try:
            cdp = context.new_cdp_session(page)
            page.goto(path.as_uri(), timeout=PAGE_MS)
            page.wait_for_function("window.__go !== undefined", timeout=PAGE_MS)
            if profile:
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 100})
                cdp.send("Profiler.start")
            events: list[dict] = []
            done: list[bool] = []
            if trace:
                cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
                cdp.on("Tracing.tracingComplete", lambda _: done.append(True))
                cdp.send(
                    "Tracing.start",
                    {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"},
                )
            page.evaluate("window.__go()")
            page.wait_for_function("window.result !== undefined", timeout=PAGE_MS)
            result = page.evaluate("window.result")
            click = page.evaluate("window.__clickMs")
            times: Counter = Counter()
            if profile:
                times = per_function(cdp.send("Profiler.stop")["profile"])
            if trace:
                cdp.send("Tracing.end")
                while not done:
                    page.wait_for_timeout(50)
        finally:
            page.close()
    if "ms" not in (result["open"] or {}):
        raise RuntimeError(f"the neuron did not open: {result['open']}")
    phases = frame_phases(events, result["open"]["ms"]) if trace else {}
    return {"click": click, "frame": result["open"]["ms"], "times": times, "phases": phases}


def frame_phases(events: list[dict], open_ms: float) -> dict[str, float]:
    """CPU ms per phase on the main thread from the end of the click's handler to the end of the
    first frame painted with the box open (the click's start plus ``open_ms``), and of the style
    and layout the handler forced ("click style", "click layout")."""
    click = next(
        e
        for e in events
        if e.get("name") == "EventDispatch"
        and e.get("args", {}).get("data", {}).get("type") == "click"
    )
    start, end = click["ts"] + click["dur"], click["ts"] + open_ms * 1000
    mine = [
        e
        for e in events
        if e.get("tid") == click["tid"] and e.get("ph") == "X" and start <= e["ts"] <= end
    ]
    paints = [e for e in mine if e["name"] == "Paint"]
    nested = {
        id(e)
        for e in paints
        for o in paints
        if o is not e and o["ts"] <= e["ts"] and e["ts"] + e["dur"] <= o["ts"] + o["dur"]
    }
    phases = dict.fromkeys((label for label, _ in PHASES + FORCED), 0.0)
    for label, name in PHASES:
        for e in mine:
            if e["name"] == name and id(e) not in nested:
                phases[label] += e.get("tdur", e["dur"]) / 1000
    handler = [e for e in events if e.get("tid") == click["tid"] and click["ts"] <= e["ts"] < start]
    for label, name in FORCED:
        for e in handler:
            if e.get("name") == name:
                phases[label] += e.get("tdur", e["dur"]) / 1000
    return phases


def per_function(profile: dict) -> Counter:
    """µs per function, callees included, over the whole profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    times: Counter = Counter()
    for sample, dt in zip(profile["samples"], profile["timeDeltas"], strict=True):
        names = set()
        node: int | None = sample
        while node is not None:
            names.add(nodes[node]["callFrame"]["functionName"] or "(anonymous)")
            node = parent.get(node)
        for name in names:
            times[name] += dt
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout, measured in turns")
    parser.add_argument(
        "--sizes", type=layer_sizes, default="64,64,1", help="the MLP's layer sizes"
    )
    parser.add_argument("--runs", type=count, default=4, help="pages per build")
    parser.add_argument("--profile", action="store_true", help="print where the click's time goes")
    parser.add_argument("--top", type=count, default=12, help="functions to print per build")
    parser.add_argument(
        "--trace", action="store_true", help="print the frame after the click split by phase"
    )
    args = parser.parse_args()
    state = network_state(mlp_output(args.sizes), False)
    with tempfile.TemporaryDirectory() as tmp:
        builds = {"this checkout": build_unminified(ROOT, Path(tmp) / "this.js")}
        if args.against:
            builds[str(args.against)] = build_unminified(args.against, Path(tmp) / "against.js")
        runs: dict[str, list[dict]] = {name: [] for name in builds}
        with chromium() as context:
            for run in range(args.runs):
                for name in list(builds) if run % 2 == 0 else list(builds)[::-1]:
                    html = page_html(
                        PAUSED_PAGE, state, 5, bundle_path=builds[name], open="true", neuron=NEURON
                    )
                    runs[name].append(open_once(context, html, args.profile, args.trace))
    print(f"open {NEURON} of MLP(2, {args.sizes}), neurons closed; {args.runs} page(s) per build")
    for name, results in runs.items():
        clicks = [r["click"] for r in results]
        frames = [r["frame"] for r in results]
        print(
            f"{name}: click handler median {statistics.median(clicks):.0f} ms "
            f"({', '.join(f'{c:.0f}' for c in clicks)}); to the painted frame median "
            f"{statistics.median(frames):.0f} ms ({', '.join(f'{f:.0f}' for f in frames)})"
        )
        if args.trace:
            phases = {
                label: statistics.median(r["phases"][label] for r in results) for label, _ in PHASES
            }
            forced = {
                label: statistics.median(r["phases"][label] for r in results) for label, _ in FORCED
            }
            print(
                "    the frame after the click, CPU ms (medians): "
                + ", ".join(f"{label} {ms:.1f}" for label, ms in phases.items())
                + f"; sum of the medians {sum(phases.values()):.1f}"
            )
            print(
                "    forced in the click, CPU ms (medians): "
                + ", ".join(f"{label} {ms:.1f}" for label, ms in forced.items())
            )
        if args.profile:
            total: Counter = Counter()
            for r in results:
                total.update(r["times"])
            for fn, us in total.most_common(args.top):
                print(f"    {fn:38} {us / 1000 / len(results):8.1f} ms")


if __name__ == "__main__":
    main()
