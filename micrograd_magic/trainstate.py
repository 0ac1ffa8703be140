"""The training view's state, without a kernel: what its page reads, and what it may write back.

A :class:`TrainViewState` holds a model, its data and the training settings as the page's
trainer needs them (:func:`~micrograd_magic.training.trainer_spec`), plus the layer sizes of an
MLP for the network picture. The page trains by itself (``js/trainview/view.js``); when it pauses,
finishes, steps or resets it writes ``progress`` back: the step it is at, the loss, accuracy and
learning rate of each update so far, and the current weights. This side checks that message and
puts the weights into the model's parameters, so the model holds what the page shows, and keeps
a :class:`~micrograd_magic.training.History` of it. Like
:class:`~micrograd_magic.state.WidgetState`, it imports no widget framework, so the exported page
is made from it directly.

Keys (see :data:`TRAIN_KEYS`): ``kind`` (kernel: ``"trainview"``, how the bundle knows which
view to draw), ``trainer`` (kernel: the trainer spec), ``sizes`` (kernel: an MLP's layer widths,
or ``[]``), ``progress`` (both: None before the page has trained).
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from typing import Any

from .engine import Value
from .training import WEIGHT_BUDGET, History, trainer_spec

__all__ = ["TRAIN_KEYS", "TRAIN_PAGE_KEYS", "TrainViewState"]

#: Every key of the training view's state, in the order a page's state lists them.
TRAIN_KEYS: tuple[str, ...] = ("kind", "trainer", "sizes", "progress")

#: The keys a page may change.
TRAIN_PAGE_KEYS: tuple[str, ...] = ("progress",)

_KIND = "trainview"


class TrainViewState:
    """A model, its data and its training settings, as the training view's page reads them.

    The arguments are :func:`~micrograd_magic.training.train`'s (checked the same way; a bad one
    raises before anything changes). ``history`` is what the page has reported so far (empty
    before), ``model`` the model itself, holding the page's weights after each report.
    """

    def __init__(
        self,
        model: Any,
        X: Any,  # noqa: N803 - the usual name for a data matrix
        y: Any,
        loss: str = "svm",
        alpha: float = 1e-4,
        lr: float | tuple[float, float] = (1.0, 0.1),
        steps: int = 100,
        batch_size: int | None = None,
        seed: int | None = None,
    ) -> None:
        spec = trainer_spec(model, X, y, loss, alpha, lr, steps, batch_size, seed)
        self.model = model
        self._params: list[Value] = list(model.parameters())
        self._start = [p.data for p in self._params]
        self._spec = spec
        self.history = self._history(0, [], [], [], self._start)
        self._values: dict[str, Any] = {
            "kind": _KIND,
            "trainer": spec,
            "sizes": _mlp_sizes(model, len(spec["inputs"])),
            "progress": None,
        }

    def get(self, key: str) -> Any:
        """The current value of state key ``key`` (the object itself: do not change it)."""
        return self._values[key]

    def to_json(self) -> dict[str, Any]:
        """Every key's current value: what a front end needs to draw the view."""
        return {key: self._values[key] for key in TRAIN_KEYS}

    def check(self, key: str, value: object) -> Any:
        """``value`` as key ``key`` would store it, or ValueError saying what is wrong."""
        if key not in TRAIN_KEYS:
            raise ValueError(f"{key!r} is not part of the training view's state")
        if key in TRAIN_PAGE_KEYS:
            return self._checked_progress(value)
        current = self._values[key]
        if value is not current and value != current:
            raise ValueError(f"{key} is set by the kernel and cannot be changed from the page")
        return current

    def set(self, key: str, value: object) -> dict[str, Any]:
        """Check and store ``value`` under ``key``; a new ``progress`` puts its weights into the
        model and its numbers into :attr:`history`. Returns what changed."""
        clean = self.check(key, value)
        if clean == self._values[key]:
            return {}
        self._values[key] = clean
        if key == "progress" and clean is not None:
            for p, w in zip(self._params, clean["weights"], strict=True):
                p.data = w
            self.history = self._history(
                clean["step"], clean["loss"], clean["accuracy"], clean["lr"], clean["weights"]
            )
        return {key: clean}

    def _history(
        self,
        step: int,
        loss: list[float],
        accuracy: list[float],
        lr: list[float],
        weights: list[float],
    ) -> History:
        spec = self._spec
        return History(
            loss=list(loss),
            accuracy=list(accuracy),
            lr=list(lr),
            weights={0: list(self._start), step: list(weights)},
            weights_every=max(step, 1),
            loss_name=spec["loss"],
            alpha=spec["alpha"],
            steps=spec["steps"],
            batch_size=spec["batch_size"],
            seed=spec["seed"],
        )

    def _checked_progress(self, proposed: object) -> dict[str, Any] | None:
        if proposed is None:
            return None
        if not isinstance(proposed, Mapping):
            raise ValueError(f"progress must be an object or null, got {type(proposed).__name__}")
        keys = {"step", "loss", "accuracy", "lr", "weights"}
        if set(proposed) != keys:
            raise ValueError(f"progress must have exactly the keys {', '.join(sorted(keys))}")
        step = proposed["step"]
        steps = self._spec["steps"]
        if (
            isinstance(step, bool)
            or not isinstance(step, numbers.Integral)
            or not 0 <= step <= steps
        ):
            raise ValueError(f"progress: step must be a whole number from 0 to {steps}")
        clean: dict[str, Any] = {"step": int(step)}
        for key in ("loss", "accuracy", "lr"):
            clean[key] = _finite_list(proposed[key], f"progress: {key}", int(step))
        clean["weights"] = _finite_list(proposed["weights"], "progress: weights", len(self._params))
        return clean


def _finite_list(value: object, role: str, length: int) -> list[float]:
    """``value`` as a list of ``length`` finite floats, or ValueError naming ``role``."""
    if not isinstance(value, list) or len(value) != length:
        raise ValueError(f"{role} must be a list of {length} numbers")
    out = []
    for x in value:
        if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
            raise ValueError(f"{role} must hold finite numbers only")
        out.append(float(x))
    return out


def _mlp_sizes(model: Any, nin: int) -> list[int]:
    """An MLP's layer widths, input first (``[2, 16, 16, 1]``), for the network picture; ``[]``
    for any other model, which the page draws as a strip of weights."""
    layers = getattr(model, "layers", None)
    if not isinstance(layers, list) or not layers:
        return []
    sizes = [nin]
    for layer in layers:
        neurons = getattr(layer, "neurons", None)
        if not isinstance(neurons, list) or not neurons:
            return []
        if any(len(getattr(n, "w", ())) != sizes[-1] for n in neurons):
            return []
        sizes.append(len(neurons))
    params = sum(b * (a + 1) for a, b in itertools.pairwise(sizes))
    if params != len(model.parameters()) or params > WEIGHT_BUDGET:
        return []
    return sizes
