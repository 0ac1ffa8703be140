"""Building the docs site for the tests, with exactly the Sphinx command `make docs` runs.

The command is read from the Makefile's ``SPHINX :=`` line, so a test of the build is a test of
what `make docs` and `make test` do: if the Makefile stopped treating warnings as errors, the
tests that expect a broken link to fail the build would fail.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
# The build also renders the live widget page with the command line; the machine may be busy.
BUILD_TIMEOUT_S = 600


def sphinx_command(source: Path, out: Path) -> list[str]:
    """The Makefile's Sphinx command, run by this interpreter from ``source`` into ``out``."""
    lines = (REPO / "Makefile").read_text(encoding="utf-8").splitlines()
    line = next(line for line in lines if line.startswith("SPHINX :="))
    words = shlex.split(line.split(":=", 1)[1])
    # $(PY) -m sphinx <options> docs $(DOCS_OUT)
    assert words[0] == "$(PY)" and words[-2:] == ["docs", "$(DOCS_OUT)"], line
    return [sys.executable, *words[1:-2], str(source), str(out)]


def build_site(out: Path, source: Path = DOCS) -> subprocess.CompletedProcess[str]:
    """Build the site from ``source`` into ``out``; the finished process, output captured."""
    return subprocess.run(
        sphinx_command(source, out),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
