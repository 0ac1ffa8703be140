"""Take the README's screenshot of the widget: docs/images/widget.png.

    .venv/bin/python scripts/screenshot.py [--out docs/images/widget.png] [--select n] [--scale 1.5]

Exports examples/neuron.mg with the command line (exactly what a user's ``render --html``
writes), opens the page in headless Chromium, clicks one node so that the panel explains its
gradient, and saves a picture of the widget. Run it again whenever the widget's look changes,
look at the picture, and commit it. Needs the built bundle (``cd js && npm run build``) and
Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tests/chromium.py: Chromium's path and flags

from chromium import CHROMIUM, FLAGS  # noqa: E402

SOURCE = ROOT / "examples" / "neuron.mg"
DEFAULT_OUT = ROOT / "docs" / "images" / "widget.png"
# Wide enough for the neuron's graph and the panel side by side; the README shows it scaled.
VIEWPORT = {"width": 1280, "height": 800}
# A README image is downloaded by every visitor: keep it small (the docs test checks it).
MAX_BYTES = 150 * 1024
MARGIN = 12  # CSS pixels of page around the widget
RENDER_TIMEOUT_S = 120
PAGE_TIMEOUT_MS = 60_000


def export_page(folder: Path) -> Path:
    """The offline page of examples/neuron.mg, written by the command line into ``folder``."""
    page = folder / "neuron.html"
    command = [sys.executable, "-m", "micrograd_magic", "render", str(SOURCE)]
    subprocess.run(
        [*command, "--html", str(page), "--title", ""],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=RENDER_TIMEOUT_S,
    )
    return page


def capture(page_path: Path, select: str, scale: float) -> bytes:
    """A PNG of the widget on ``page_path`` with node ``select`` (a label) clicked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            context = browser.new_context(
                viewport=VIEWPORT, device_scale_factor=scale, color_scheme="light"
            )
            context.set_default_timeout(PAGE_TIMEOUT_MS)
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.wait_for_selector("html[data-mgm-ready]", state="attached")
            widget = page.locator('[data-mgm-widget="mgm-state-0"]')
            widget.locator(f'[data-node-id][data-label="{select}"]').first.click()
            widget.locator("[data-panel-node]").wait_for()
            box = widget.bounding_box()
            # The page's own margin around the widget, so the picture does not end at its edges.
            clip = {
                "x": box["x"] - MARGIN,
                "y": box["y"] - MARGIN,
                "width": box["width"] + 2 * MARGIN,
                "height": box["height"] + 2 * MARGIN,
            }
            return page.screenshot(clip=clip, animations="disabled")
        finally:
            browser.close()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Export, capture and write the screenshot; exit 1 if it is over the size budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the PNG")
    parser.add_argument("--select", default="n", help="the label of the node to click")
    parser.add_argument("--scale", type=float, default=1.5, help="device pixels per CSS pixel")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        sys.stderr.write(f"{CHROMIUM} is missing: run scripts/install-system-packages.sh\n")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        png = capture(export_page(Path(tmp)), args.select, args.scale)
    if len(png) > MAX_BYTES:
        sys.stderr.write(f"the screenshot is {len(png) // 1024} KB, over {MAX_BYTES // 1024} KB\n")
        return 1
    write_atomically(args.out, png)
    sys.stdout.write(f"wrote {args.out} ({len(png) // 1024} KB)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
