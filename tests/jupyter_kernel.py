"""A Jupyter environment of the tests' own, for nbclient and nbconvert runs."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def isolated_jupyter_env(base: Path, kernel_name: str, display_name: str) -> dict[str, str]:
    """Environment variables for Jupyter under ``base`` with a kernel spec of its own (this
    interpreter, this checkout first on PYTHONPATH) and no user configuration read from anywhere.
    """
    spec = base / "data" / "kernels" / kernel_name / "kernel.json"
    spec.parent.mkdir(parents=True)
    pythonpath = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    spec.write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": display_name,
                "language": "python",
                "env": {"PYTHONPATH": pythonpath, "IPYTHONDIR": str(base / "ipython")},
            }
        )
    )
    env = {"JUPYTER_PATH": str(base / "data")}
    for var, name in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime")):
        (base / name).mkdir()
        env[var] = str(base / name)
    return env
