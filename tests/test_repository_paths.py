"""Every file of this repository that its code, scripts, tests and docs name by path exists.

Moving a module (js/ went into folders) leaves stale names behind in benchmarks, docstrings and
docs that no other test reads: a benchmark that opens a moved file fails only when someone runs
it. This test reads every tracked text file for paths under the repository's top folders,
written either as ``js/core/engine.js`` or as ``ROOT / "js" / "core" / "engine.js"``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("js", "micrograd_magic", "benchmarks", "scripts", "tests", "examples", "docs")
ENDINGS = ("py", "js", "mjs", "json", "jsonc", "md", "ipynb", "sh", "toml")
SLASHED = re.compile(
    rf"(?<![\w./-])((?:{'|'.join(FOLDERS)})/[\w./-]+\.(?:{'|'.join(ENDINGS)}))(?![\w/-])"
)
JOINED = re.compile(rf'"({"|".join(FOLDERS)})"((?:\s*/\s*"[^"\n]+")+)')
# Placeholders in prose (js/features/NAME.js) name no file.
PLACEHOLDER = re.compile(r"\b[A-Z]{3,}\b")
READ = (".py", ".md", ".js", ".mjs", ".sh", ".toml", ".jsonc", "Makefile")


def _tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"git cannot list the tracked files here ({error})")
    return [REPO / name for name in listed if name.endswith(READ) and (REPO / name).is_file()]


def named_paths(text: str) -> set[str]:
    """The repository paths that ``text`` names, in either spelling."""
    found = set(SLASHED.findall(text))
    for top, rest in JOINED.findall(text):
        found.add("/".join([top, *re.findall(r'"([^"\n]+)"', rest)]))
    return {path for path in found if not PLACEHOLDER.search(path)}


def test_the_path_finder_reads_both_spellings() -> None:
    text = 'js/core/engine.js; TRAINER = ROOT / "js" / "core" / "training.js"; js/NAME.js'
    assert named_paths(text) == {"js/core/engine.js", "js/core/training.js"}
    assert named_paths("node_modules/x/js/a.js and my_tests/b.py") == set()


def test_every_path_the_repository_names_exists() -> None:
    missing = []
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in sorted(named_paths(text)):
            if not (REPO / name).exists():
                missing.append(f"{path.relative_to(REPO)} names {name}")
    assert not missing, "\n".join(missing)
