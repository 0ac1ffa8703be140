"""Slider specifications for a graph's inputs: name, value, range and step.

Shared by the ``%%micrograd`` language (which reads ranges from the cell), the widget (which draws
one ``<input type="range">`` per spec) and the exported page.

A slider moves its value in steps from ``min`` to ``max``, so a range is usable only where floats
can take those steps: its width must be a finite float and its step no finer than the spacing
of floats across it (a step below that spacing could not move the value). :func:`check_range`
states these rules once; :class:`InputSpec`, :func:`default_step`, :func:`default_input` and the
language all apply it, so a degenerate range is one clear ValueError wherever it comes from.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from numbers import Real
from typing import Any

__all__ = [
    "DEFAULT_TICKS",
    "InputSpec",
    "check_range",
    "check_span",
    "default_input",
    "default_step",
]

#: At most how many steps a default range is divided into (rounding the step up to the 1-2-5
#: series makes it 80 to 200; a finer step that puts the value on the grid makes it more).
DEFAULT_TICKS = 200

#: Values at least this large get no default range (a range around them would overflow).
_LARGEST_DEFAULT = 1e300


def _show_number(x: float) -> str:
    """``x`` with up to 6 significant digits, or in full when those would hide a difference."""
    short, full = f"{x:.6g}", repr(float(x))
    return short if float(short) == x and len(short) <= len(full) else full


def _spacing(low: float, high: float) -> float:
    """The gap between neighbouring floats at the far end of ``[low, high]`` (the coarsest)."""
    return math.ulp(max(abs(low), abs(high)))


def check_range(low: float, high: float, step: float | None = None) -> None:
    """ValueError unless ``[low, high]`` (with ``step``, or the default one) can be a slider.

    The bounds must be finite with ``low < high`` and a finite width. With a ``step``, it must be
    positive, no larger than the width and no finer than the spacing of floats in the range.
    Without one, the range must be wide enough for a default step (about 1/200 of the width,
    see :func:`default_step`) that floats can still resolve there.
    """
    bounds = _finite(low), _finite(high)
    if bounds[0] is None or bounds[1] is None:
        raise ValueError(
            f"the range [{_short_repr(low)}, {_short_repr(high)}] must have finite bounds"
        )
    low, high = bounds
    where = f"[{_show_number(low)}, {_show_number(high)}]"
    if not low < high:
        raise ValueError(
            f"min ({_show_number(low)}) must be below max ({_show_number(high)}): "
            "the range is empty"
        )
    width = high - low
    if not math.isfinite(width):
        raise ValueError(
            f"the range {where} is too wide: its width is beyond the float range (about ±1.8e308)"
        )
    spacing = _spacing(low, high)
    if step is None:
        if width / DEFAULT_TICKS < spacing:
            raise ValueError(
                f"the range {where} is too narrow for a slider: floats there are "
                f"{_show_number(spacing)} apart, too coarse for {DEFAULT_TICKS} steps"
            )
        return
    number = _finite(step)
    if number is None or not number > 0:
        raise ValueError(f"step must be positive and finite, got {_short_repr(step)}")
    step = number
    if step > width:
        raise ValueError(f"the step {_show_number(step)} is larger than the range {where}")
    if step < spacing:
        raise ValueError(
            f"the step {_show_number(step)} is finer than floats can resolve in {where} "
            f"(they are {_show_number(spacing)} apart there): the slider could not move"
        )


@dataclass(frozen=True)
class InputSpec:
    """One slider: an input's name, its value and the range ``[min, max]`` it moves in.

    Numbers may be any real numbers (ints, fractions, numpy scalars) and are stored as floats;
    anything that cannot be a slider is a ValueError (TypeError for a name that is not a str).
    """

    name: str
    value: float
    min: float
    max: float
    step: float

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"an input's name must be a str, got {type(self.name).__name__}")
        for field in ("value", "min", "max", "step"):
            number = _finite(getattr(self, field))
            if number is None:
                raise ValueError(
                    f"input {self.name!r}: {field} must be a finite number, "
                    f"got {_short_repr(getattr(self, field))}"
                )
            object.__setattr__(self, field, number)  # frozen: this is the constructor's own
        try:
            check_range(self.min, self.max, self.step)
        except ValueError as exc:
            raise ValueError(f"input {self.name!r}: {exc}") from None
        if not self.min <= self.value <= self.max:
            raise ValueError(
                f"input {self.name!r}: value {_show_number(self.value)} is outside its range "
                f"[{_show_number(self.min)}, {_show_number(self.max)}]"
            )

    def to_json(self) -> dict[str, Any]:
        """The dict the widget's ``inputs`` trait holds for this slider."""
        return {k: (float(v) if k != "name" else v) for k, v in asdict(self).items()}


def _finite(x: object) -> float | None:
    """``x`` as a finite float if it is a real number (not a bool) that has one, else None."""
    if isinstance(x, bool) or not isinstance(x, Real):
        return None
    try:
        number = float(x)
    except (OverflowError, ValueError, TypeError):
        return None
    return number if math.isfinite(number) else None


def _short_repr(x: object) -> str:
    text = repr(x)
    return text if len(text) <= 40 else text[:30] + "…" + text[-9:]


def default_step(low: float, high: float, value: float) -> float:
    """A 1-2-5 step near 1/200 of ``[low, high]``, finer where needed to put ``value`` on the grid.

    A range input snaps its value to ``low + n * step``, so a step that misses the value would
    move it before the user touched anything (2.37 on a 0.05 grid would show 2.35); where no
    1-2-5 step does, the step divides the distance from ``low`` to ``value`` evenly. Steps stay
    no finer than floats can resolve in the range. ValueError (from :func:`check_range`) for a
    range that cannot be a slider.
    """
    check_range(low, high)
    spacing = _spacing(low, high)
    target = (high - low) / DEFAULT_TICKS
    exponent = math.floor(math.log10(target))
    series = [
        s
        for e in range(exponent + 1, exponent - 7, -1)
        for m in (5, 2, 1)
        if (s := float(f"{m}e{e}")) >= spacing
    ]
    # 10**(exponent + 1) exceeds target, so the series holds a step at least as coarse
    nice = min(s for s in series if s >= target * (1 - 1e-12))
    for step in series:
        if step <= nice and _on_grid(value - low, step):
            return step
    # An irregular range (low = -1.4246484614246484e38): no 1-2-5 step puts the value on the
    # grid, so divide the distance to it evenly, in steps as near the nice one as can be without
    # being coarser (a coarser step would give the range fewer ticks than a nice step does).
    even = (value - low) / max(1, math.ceil((value - low) / nice))
    return even if even >= spacing and _on_grid(value - low, even) else nice


def _on_grid(distance: float, step: float) -> bool:
    ticks = distance / step
    return abs(ticks - round(ticks)) <= 1e-9 * max(1.0, abs(ticks))


def check_span(span: object) -> float | None:
    """``span`` as a float if ``[-span, span]`` can be a default slider range, else ValueError.

    None (no span: ranges are picked from each value) passes through. Used to check the
    ``default_span`` of :func:`~micrograd_magic.language.parse` and of the magic's ``%config``.
    """
    if span is None:
        return None
    number = _finite(span)
    if number is None or not number > 0:
        raise ValueError(f"default_span must be a positive number or None, got {_short_repr(span)}")
    try:
        check_range(-number, number)
    except ValueError as exc:
        raise ValueError(f"default_span {_show_number(number)}: {exc}") from None
    return number


def _nice_ceil(x: float) -> float:
    """The smallest number of the 1-2-5 series (…, 0.5, 1, 2, 5, 10, …) that is >= x."""
    if not (math.isfinite(x) and x > 0):
        raise ValueError(f"the 1-2-5 series has no number >= {x!r}: it needs a positive number")
    exponent = math.floor(math.log10(x))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        candidate = mantissa * 10.0**exponent
        if candidate >= x * (1 - 1e-12):
            return round(candidate, 12)
    raise AssertionError("unreachable: 10 * 10**floor(log10(x)) >= x")


def default_input(name: str, value: float, span: float | None = None) -> InputSpec:
    """A slider for ``value`` with a sensible range when the user gave none.

    The range is symmetric around 0 and wide enough to show the value with room on both sides
    (``[-5, 5]`` for 2.0, ``[-50, 50]`` for 12.0), or ``[-span, span]`` when ``span`` is given and
    holds the value; the step comes from :func:`default_step`. Raises ValueError for a value that
    is not finite or too large to have a range of floats around it, and for a ``span`` that
    :func:`check_span` refuses; TypeError for a value that is not a real number.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"input {name!r}: the value must be a real number, got {_short_repr(value)}"
        )
    number = _finite(value)
    if number is None:
        raise ValueError(
            f"input {name!r}: the value must be a finite number, got {_short_repr(value)}"
        )
    if not abs(number) < _LARGEST_DEFAULT:
        raise ValueError(
            f"input {name!r}: {_show_number(number)} is too large for a slider "
            f"(a default range needs a value below {_LARGEST_DEFAULT:g} in size)"
        )
    given = check_span(span)
    if given is not None and given >= abs(number):
        half = given
    elif abs(number) > 2.5:
        half = _nice_ceil(max(5.0, 2.0 * abs(number)) / 10.0) * 10.0
    else:
        half = 5.0
    return InputSpec(name, number, -half, half, default_step(-half, half, number))
