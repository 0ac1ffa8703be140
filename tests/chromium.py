"""Where headless Chromium lives on these machines and the flags it needs, shared by the browser
tests and the widget benchmark."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

# Without the networking flags Chromium keeps trying to reach Google services on a closed
# network; Playwright adds --headless and a fresh temporary --user-data-dir per launch itself.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
