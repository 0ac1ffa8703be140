"""Where a slider move's frame goes on a network page: Chromium's trace, split by phase.

    python benchmarks/frame_trace.py [--against BUNDLE] [--row N] [--rounds N] [--sweeps N]

Loads ``benchmarks/widget.py``'s network page (NET_PAGE) of one row of the network table
(``--row``: 0 is the closed MLP(2, [16, 16, 1]), the default) with the built bundle, and with
``--against`` also with another checkout's built bundle, the two taking turns for --rounds pages
each. Each page's sweep of slider moves runs under CDP tracing (``devtools.timeline`` and ``cc``).
Prints per build the page's own "input -> frame painted" median and, per slider move, the CPU
time (thread time, so that other jobs on the machine count less) of the main thread's frame
(``ProxyMain::BeginMainFrame``, the ``input`` handler included since the page moves the slider in
a ``requestAnimationFrame`` callback) and of its phases, the raster on the worker threads, and
the wall time the main thread spent in the commit (which waits for the compositor). Tracing
slows the page down; compare the builds with each other, not with widget.py's figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from arguments import count
from network_graphs import NEURON, ROWS, mlp_output, network_state
from widget import BUNDLE, NET_PAGE, chromium, page_html

# The page waits for the trace to start before its sweep (window.__go).
PAUSED_PAGE = NET_PAGE.replace(
    "await sweep(", "await new Promise((go) => { window.__go = go; });\nawait sweep(", 1
)
assert PAUSED_PAGE != NET_PAGE, "widget.py's network page no longer starts with `await sweep(`"

LIMIT_MS = 300_000
CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline,cc"

# What is printed: (label, trace event, field) with field "tdur" (CPU) or "dur" (wall).
COLUMNS = (
    ("main thread", "ProxyMain::BeginMainFrame", "tdur"),
    ("style", "UpdateLayoutTree", "tdur"),
    ("layout", "Layout", "tdur"),
    ("pre-paint", "PrePaint", "tdur"),
    ("paint", "Paint", "tdur"),
    ("layerize", "Layerize", "tdur"),
    ("commit (CPU)", "Commit", "tdur"),
    ("commit (wall)", "Commit", "dur"),
    ("raster", "RasterTask", "tdur"),
)


def traced(context: Any, html: str) -> tuple[dict, Counter[str]]:
    """Open ``html`` in a new tab, trace its sweep; the page's result and the summed
    durations (µs) of the events COLUMNS names, by (event, field)."""
    events: list[dict] = []
    done: list[bool] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "frame-trace.html"
        path.write_text(html, encoding="utf-8")
        page = context.new_page()
        try:
            page.goto(path.as_uri(), timeout=LIMIT_MS)
            page.wait_for_function("window.__go !== undefined", timeout=LIMIT_MS)
            cdp = context.new_cdp_session(page)
            cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
            cdp.on("Tracing.tracingComplete", lambda _: done.append(True))
            cdp.send("Tracing.start", {"categories": CATEGORIES, "transferMode": "ReportEvents"})
            page.evaluate("window.__go()")
            page.wait_for_function("window.result !== undefined", timeout=LIMIT_MS)
            cdp.send("Tracing.end")
            for _ in range(LIMIT_MS // 100):
                if done:
                    break
                page.wait_for_timeout(100)
            result = page.evaluate("window.result")
        finally:
            page.close()
    wanted = {(name, field) for _, name, field in COLUMNS}
    sums: Counter[str] = Counter()
    for e in events:
        if e.get("ph") != "X":
            continue
        for field in ("tdur", "dur"):
            if (e.get("name"), field) in wanted and field in e:
                sums[f"{e['name']}/{field}"] += e[field]
    return result, sums


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout's built widget.js")
    parser.add_argument(
        "--row",
        type=int,
        default=0,
        choices=range(len(ROWS)),
        help="the network table's row (from 0)",
    )
    parser.add_argument("--rounds", type=count, default=3, help="pages per build")
    parser.add_argument("--sweeps", type=count, default=80, help="slider moves per page")
    args = parser.parse_args()
    if not BUNDLE.exists():
        sys.exit(f"{BUNDLE} is missing: run `cd js && npm run build` first")
    row = ROWS[args.row]
    state = network_state(mlp_output(row.sizes), row.all_open)
    builds = [BUNDLE] + ([args.against] if args.against else [])
    frames: dict[Path, list[float]] = {b: [] for b in builds}
    sums: dict[Path, Counter[str]] = {b: Counter() for b in builds}
    with chromium() as context:
        for r in range(args.rounds):
            for build in builds if r % 2 == 0 else builds[::-1]:
                html = page_html(
                    PAUSED_PAGE, state, args.sweeps, build, open="false", neuron=NEURON
                )
                result, found = traced(context, html)
                frames[build].extend(result["frame"])
                sums[build].update(found)
    print(f"{row.name}: {args.rounds} page(s) of {args.sweeps} slider moves per build, traced")
    print("per slider move, ms: input -> frame painted (median), then CPU unless said")
    print(f"{'':<14}" + "".join(f"{n:>22}" for n in ("this build", "against")[: len(builds)]))
    moves = {b: len(frames[b]) for b in builds}
    print(f"{'frame':<14}" + "".join(f"{statistics.median(frames[b]):>22.2f}" for b in builds))
    for label, name, field in COLUMNS:
        cells = "".join(f"{sums[b][f'{name}/{field}'] / 1000 / moves[b]:>22.2f}" for b in builds)
        print(f"{label:<14}{cells}")


if __name__ == "__main__":
    main()
