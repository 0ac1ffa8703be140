"""micrograd_magic: a scalar autograd engine, a ``%%micrograd`` cell magic and a live graph widget.

``Value`` and ``nn`` load nothing beyond the standard library; the notebook parts (widget,
magic, pictures) are imported on first use, so the engine stays light for scripts and tests.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import datasets, nn
from .engine import Value, collector_paused, group

__all__ = [
    "GraphWidget",
    "MicrogradDomainError",
    "MicrogradError",
    "MicrogradSyntaxError",
    "Value",
    "cell",
    "collector_paused",
    "compile",
    "datasets",
    "embed",
    "gradcheck",
    "group",
    "load_ipython_extension",
    "nn",
    "show",
    "to_graphviz",
    "train",
    "train_view",
    "unload_ipython_extension",
]

__version__ = "0.1.0"

# public name -> module that defines it, imported when the name is first used
_LAZY = {
    "show": "widget",
    "cell": "widget",
    "embed": "embedding",
    "GraphWidget": "widget",
    "compile": "language",
    "to_graphviz": "picture",
    "load_ipython_extension": "magic",
    "MicrogradError": "errors",
    "MicrogradSyntaxError": "errors",
    "MicrogradDomainError": "errors",
    "unload_ipython_extension": "magic",
    "train": "training",
    "train_view": "trainview",
    "gradcheck": "numeric",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'micrograd_magic' has no attribute {name!r}")
