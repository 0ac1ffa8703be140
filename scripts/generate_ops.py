"""Write js/core/ops-table.js, the browser's copy of the op table in micrograd_magic/ops.py.

Run it from the repository root after changing the table: ``.venv/bin/python
scripts/generate_ops.py``. tests/test_ops.py fails while the checked-in file differs from what
this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from micrograd_magic.files import write_text  # noqa: E402
from micrograd_magic.ops import render_js  # noqa: E402

PATH = ROOT / "js" / "core" / "ops-table.js"


def write(path: Path = PATH) -> None:
    """Write the table to ``path`` through a temporary file renamed into place."""
    write_text(path, render_js())


if __name__ == "__main__":
    write()
    sys.stdout.write(f"wrote {PATH.relative_to(ROOT)}\n")
