"""Where the widget's slider handler spends its time: Chromium's sampling profiler over a sweep.

    python benchmarks/handler_profile.py [--against DIR] [--row N] [--runs N] [--sweeps N] [--top N]

Builds ``js/widget.js`` unminified (so that the profile names our functions), and with
``--against`` also ``DIR/js/widget.js`` of another checkout (``git worktree add /tmp/before
<commit>``), loads each into ``benchmarks/widget.py``'s page of MLP(2, [16, 16, 1]) (with
``--row``, its network page of that row of the network table instead: 0 is the closed
MLP(2, [16, 16, 1])), and profiles only its sweep of slider moves (CDP ``Profiler``, one sample
every 50 µs), the builds taking turns for --runs runs each. Prints, per slider move, the time in
the ``input`` handler (``onInput``), the functions under it that take the most (callees
included) and the garbage collector. The profiler slows the page down; compare the builds with
each other, not with widget.py's figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from arguments import count
from network_graphs import NEURON, ROWS, mlp_output, network_state
from widget import NET_PAGE, PAGE, ROOT, chromium, mlp_state, page_html

HANDLER = "onInput"


def paused(page: str) -> str:
    """``page`` waiting for the profiler to start before its sweep (window.__go)."""
    waiting = page.replace(
        "await sweep(", "await new Promise((go) => { window.__go = go; });\nawait sweep(", 1
    )
    assert waiting != page, "widget.py's page no longer starts its sweep with `await sweep(`"
    return waiting


BUILD = """import { build } from "esbuild";
await build({ entryPoints: [process.argv[1]], outfile: process.argv[2], bundle: true,
  format: "esm", target: "es2020", logLevel: "warning" });"""


def build_unminified(checkout: Path, out: Path) -> Path:
    """``checkout/js/widget.js`` bundled as js/build.mjs does, without minifying."""
    entry = checkout / "js" / "widget.js"
    if not entry.is_file():
        sys.exit(f"{entry} is missing")
    subprocess.run(
        ["node", "--input-type=module", "-e", BUILD, str(entry), str(out)],
        cwd=ROOT / "js",  # our esbuild
        check=True,
        timeout=120,
    )
    return out


def profile_sweep(context: Any, html: str, sweeps: int) -> dict[str, Counter]:
    """One page: the profile of its sweep, as µs per function (callees included) under the
    handler and in the collector, summed over the sweep."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "profile.html"
        path.write_text(html, encoding="utf-8")
        page = context.new_page()
        try:
            cdp = context.new_cdp_session(page)
            page.goto(path.as_uri(), timeout=120_000)
            page.wait_for_function("window.__go !== undefined", timeout=120_000)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 50})
            cdp.send("Profiler.start")
            page.evaluate("window.__go()")
            page.wait_for_function("window.result !== undefined", timeout=120_000)
            profile = cdp.send("Profiler.stop")["profile"]
        finally:
            page.close()
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    under, gc = Counter(), Counter()
    for sample, dt in zip(profile["samples"], profile["timeDeltas"], strict=True):
        stack = []
        node: int | None = sample
        while node is not None:
            stack.append(nodes[node]["callFrame"]["functionName"] or "(anonymous)")
            node = parent.get(node)
        if stack[0] == "(garbage collector)":
            gc["(garbage collector)"] += dt
        if HANDLER in stack:
            for name in set(stack[: stack.index(HANDLER) + 1]):
                under[name] += dt
    return {"under": under, "gc": gc}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout to profile in turns")
    parser.add_argument(
        "--row",
        type=int,
        choices=range(len(ROWS)),
        help="the network table's row (from 0) instead",
    )
    parser.add_argument("--runs", type=count, default=4, help="pages per build")
    parser.add_argument("--sweeps", type=count, default=200, help="slider moves per page")
    parser.add_argument("--top", type=count, default=12, help="functions to print per build")
    args = parser.parse_args()
    if args.row is None:
        template, state, fields = paused(PAGE), mlp_state(), {}
    else:
        row = ROWS[args.row]
        state = network_state(mlp_output(row.sizes), row.all_open)
        template, fields = paused(NET_PAGE), {"open": "false", "neuron": NEURON}
    with tempfile.TemporaryDirectory() as tmp:
        builds = {"this checkout": build_unminified(ROOT, Path(tmp) / "this.js")}
        if args.against:
            builds[str(args.against)] = build_unminified(args.against, Path(tmp) / "against.js")
        totals = {name: {"under": Counter(), "gc": Counter()} for name in builds}
        with chromium() as context:
            for run in range(args.runs):
                names = list(builds) if run % 2 == 0 else list(builds)[::-1]
                for name in names:
                    html = page_html(
                        template, state, args.sweeps, bundle_path=builds[name], **fields
                    )
                    for key, counts in profile_sweep(context, html, args.sweeps).items():
                        totals[name][key].update(counts)
    moves = args.runs * args.sweeps
    for name, counts in totals.items():
        print(f"{name}: µs per slider move, {args.runs} x {args.sweeps} moves")
        print(f"  {'input handler (' + HANDLER + ')':40} {counts['under'][HANDLER] / moves:8.1f}")
        for fn, us in counts["under"].most_common(args.top + 1):
            if fn != HANDLER:
                print(f"    {fn:38} {us / moves:8.1f}")
        print(f"  {'garbage collector':40} {counts['gc']['(garbage collector)'] / moves:8.1f}")


if __name__ == "__main__":
    main()
