"""PyTorch, the reference the engine's gradients are checked against, when it is installed.

The test extra pins a CPU build of torch for Python 3.11; on other Pythons that pin means a CUDA
build of several GB, so the suite also runs without torch: the comparisons skip, naming why, and
every other test runs.
"""

import pytest

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(
    torch is None,
    reason="torch is not installed: this compares with PyTorch float64 (pip install torch)",
)
