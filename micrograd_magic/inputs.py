"""Slider specifications for a graph's inputs: name, value, range and step.

Shared by the ``%%micrograd`` language (which reads ranges from the cell), the widget (which draws
one ``<input type="range">`` per spec) and the exported page.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["InputSpec", "default_input", "default_step"]


def _nice_ceil(x: float) -> float:
    """The smallest number of the 1-2-5 series (…, 0.5, 1, 2, 5, 10, …) that is >= x."""
    exponent = math.floor(math.log10(x))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        candidate = mantissa * 10.0**exponent
        if candidate >= x * (1 - 1e-12):
            return round(candidate, 12)
    raise AssertionError("unreachable: 10 * 10**floor(log10(x)) >= x")


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


def default_step(low: float, high: float, value: float) -> float:
    """A 1-2-5 step near 1/200 of ``[low, high]``, finer where needed to put ``value`` on the grid.

    A range input snaps its value to ``low + n * step``, so a step that misses the value would
    move it before the user touched anything (2.37 on a 0.05 grid would show 2.35).
    """
    target = (high - low) / 200.0
    exponent = math.floor(math.log10(target))
    series = [float(f"{m}e{e}") for e in range(exponent + 1, exponent - 7, -1) for m in (5, 2, 1)]
    nice = min(s for s in series if s >= target * (1 - 1e-12))
    for step in series:
        if step <= nice:
            ticks = (value - low) / step
            if abs(ticks - round(ticks)) <= 1e-9 * max(1.0, abs(ticks)):
                return step
    return nice


def default_input(name: str, value: float, span: float | None = None) -> InputSpec:
    """A slider for ``value`` with a sensible range when the user gave none.

    The range is symmetric around 0 and wide enough to show the value with room on both sides
    (``[-5, 5]`` for 2.0, ``[-50, 50]`` for 12.0), or ``[-span, span]`` when ``span`` is given and
    holds the value; the step comes from :func:`default_step`. Raises ValueError for a value too
    large to have a range of floats around it.
    """
    value = float(value)
    if not abs(value) < 1e300:
        raise ValueError(f"input {name!r}: {value} is too large for a slider")
    if span is None or not span >= abs(value) or not span > 0:
        span = _nice_ceil(max(5.0, 2.0 * abs(value)) / 10.0) * 10.0 if abs(value) > 2.5 else 5.0
    span = float(span)
    return InputSpec(name, value, -span, span, default_step(-span, span, value))
