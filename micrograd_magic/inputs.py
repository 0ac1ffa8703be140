"""Slider specifications for a graph's inputs: name, value, range and step.

Shared by the ``%%micrograd`` language (which reads ranges from the cell), the widget (which draws
one ``<input type="range">`` per spec) and the exported page.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["InputSpec", "default_input"]


def _nice_ceil(x: float) -> float:
    """The smallest number of the 1-2-5 series (…, 0.5, 1, 2, 5, 10, …) that is >= x."""
    exponent = math.floor(math.log10(x))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        candidate = mantissa * 10.0**exponent
        if candidate >= x * (1 - 1e-12):
            return round(candidate, 12)
    raise AssertionError("unreachable: 10 * 10**floor(log10(x)) >= x")


def _decimals(x: float) -> int:
    """How many decimal places ``repr(x)`` shows (2.37 -> 2), capped at 6."""
    text = repr(float(x))
    if "e" in text or "." not in text:
        return 0 if "e" not in text else 6
    return min(6, len(text.split(".")[1].rstrip("0")))


@dataclass(frozen=True)
class InputSpec:
    """One slider: an input's name, its value and the range ``[min, max]`` it moves in."""

    name: str
    value: float
    min: float
    max: float
    step: float

    def __post_init__(self) -> None:
        for field in ("value", "min", "max", "step"):
            x = getattr(self, field)
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                raise ValueError(f"input {self.name!r}: {field} must be a finite number, got {x!r}")
        if not self.min < self.max:
            raise ValueError(
                f"input {self.name!r}: min ({self.min}) must be below max ({self.max})"
            )
        if not self.step > 0:
            raise ValueError(f"input {self.name!r}: step must be positive, got {self.step}")
        if not self.min <= self.value <= self.max:
            raise ValueError(
                f"input {self.name!r}: value {self.value} is outside its range "
                f"[{self.min}, {self.max}]"
            )

    def to_json(self) -> dict[str, Any]:
        """The dict the widget's ``inputs`` trait holds for this slider."""
        return {k: (float(v) if k != "name" else v) for k, v in asdict(self).items()}


def default_input(name: str, value: float, span: float | None = None) -> InputSpec:
    """A slider for ``value`` with a sensible range when the user gave none.

    The range is symmetric around 0 and wide enough to show the value with room on both sides
    (``[-5, 5]`` for 2.0, ``[-50, 50]`` for 12.0), or ``[-span, span]`` when ``span`` is given and
    holds the value. The step is a 1-2-5 number near 1/100 of the range, made finer when needed so
    that the value itself sits exactly on the slider's grid (2.37 gets a step of 0.01).
    """
    value = float(value)
    if span is None or not span >= abs(value) or not span > 0:
        span = _nice_ceil(max(5.0, 2.0 * abs(value)) / 10.0) * 10.0 if abs(value) > 2.5 else 5.0
    step = _nice_ceil(2.0 * span / 200.0)
    ticks = value / step
    if abs(ticks - round(ticks)) > 1e-9:
        step = min(step, 10.0 ** -_decimals(value))
    return InputSpec(name=name, value=value, min=-float(span), max=float(span), step=step)
