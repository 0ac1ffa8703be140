"""The checked-in JS test vectors (tests/vectors/ops.json) are what generate.py writes now.

js/core/engine.test.js compares the JS engine with that file; if graph.py's IEEE rules changed and
the file did not, the JS side would be checked against stale numbers. Regenerate with
``.venv/bin/python tests/vectors/generate.py``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from micrograd_magic.engine import OPS

VECTORS = Path(__file__).with_name("vectors")


def _generator():
    spec = importlib.util.spec_from_file_location("generate_vectors", VECTORS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ops_json_is_current() -> None:
    checked_in = (VECTORS / "ops.json").read_text(encoding="utf-8")
    assert checked_in == _generator().render(), (
        "tests/vectors/ops.json is stale: run .venv/bin/python tests/vectors/generate.py"
    )


def test_vectors_cover_every_op_and_non_finite_cases() -> None:
    vectors = json.loads((VECTORS / "ops.json").read_text(encoding="utf-8"))
    assert {case["op"] for case in vectors["ops"]} == set(OPS) - {""}
    encoded = json.dumps(vectors["graphs"])
    for text in ('"NaN"', '"Infinity"', '"-Infinity"'):
        assert text in encoded, f"no graph case produces {text}"
