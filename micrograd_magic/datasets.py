"""Small two-class data sets to train on, and the one check that any user's data goes through.

Every generator is ``name(n, noise=..., seed=0) -> (X, y)``: ``X`` a list of ``n`` rows
``[x1, x2]`` and ``y`` a list of ``n`` labels, -1 or +1 (the convention of micrograd's demo and of
its max-margin loss), half of each (the odd point goes to +1). They are made here from
``random.Random(seed)`` alone, so the same call gives the same points in every run, without
scikit-learn or NumPy, whatever else the program draws from Python's global ``random``.
``noise`` is the standard deviation of the Gaussian jitter added to each coordinate (for
``blobs``, the spread of each blob).

:func:`check_data` turns user data (lists, tuples or NumPy arrays) into the same plain lists, or
says in one line what is wrong with it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from numbers import Real
from typing import Any

__all__ = ["blobs", "check_data", "circles", "linear", "moons", "spiral", "xor"]

Data = tuple[list[list[float]], list[int]]


def moons(n: int, noise: float = 0.1, seed: int = 0) -> Data:
    """Two interleaving half circles, as scikit-learn's ``make_moons`` draws them.

    The upper moon (centre (0, 0), radius 1) is labelled -1, the lower one (centre (1, 0.5)) +1,
    which is what micrograd's demo gets from ``make_moons`` with ``y*2 - 1``.
    """
    rng = _start(n, noise, seed)
    upper, lower = _halves(n)
    points = [(math.cos(t), math.sin(t), -1) for t in _spread(upper, math.pi, inclusive=True)]
    points += [
        (1.0 - math.cos(t), 0.5 - math.sin(t), 1) for t in _spread(lower, math.pi, inclusive=True)
    ]
    return _finish(points, noise, rng)


def circles(n: int, noise: float = 0.05, seed: int = 0) -> Data:
    """A circle of radius 1 (label -1) around a circle of radius 0.5 (label +1)."""
    rng = _start(n, noise, seed)
    outer, inner = _halves(n)
    tau = 2.0 * math.pi
    points = [(math.cos(t), math.sin(t), -1) for t in _spread(outer, tau, inclusive=False)]
    points += [
        (0.5 * math.cos(t), 0.5 * math.sin(t), 1) for t in _spread(inner, tau, inclusive=False)
    ]
    return _finish(points, noise, rng)


def xor(n: int, noise: float = 0.1, seed: int = 0) -> Data:
    """Points in the four quadrants of [-1, 1]²: +1 where x1 and x2 have the same sign, else -1.

    Each coordinate keeps at least 0.1 from the axes before the noise, so that the four groups
    are apart when the noise is small: the classic data set that no single line separates.
    """
    rng = _start(n, noise, seed)
    different, same = _halves(n)
    points = []
    for count, label in ((different, -1), (same, 1)):
        for _ in range(count):
            x1 = rng.uniform(0.1, 1.0) * rng.choice((-1.0, 1.0))
            x2 = rng.uniform(0.1, 1.0) * math.copysign(1.0, x1) * label
            points.append((x1, x2, label))
    return _finish(points, noise, rng)


def spiral(n: int, noise: float = 0.05, seed: int = 0) -> Data:
    """Two spirals winding out of the centre, one half a turn behind the other, to radius 1."""
    rng = _start(n, noise, seed)
    first, second = _halves(n)
    points = []
    for count, label, offset in ((first, -1, 0.0), (second, 1, math.pi)):
        for i in range(count):
            r = (i + 1) / count
            t = 1.75 * 2.0 * math.pi * r + offset
            points.append((r * math.sin(t), r * math.cos(t), label))
    return _finish(points, noise, rng)


def blobs(n: int, noise: float = 0.3, seed: int = 0) -> Data:
    """Two round Gaussian clouds, at (-0.5, -0.5) (label -1) and (0.5, 0.5) (label +1).

    ``noise`` is each cloud's standard deviation: the clouds overlap more as it grows.
    """
    rng = _start(n, noise, seed)
    low, high = _halves(n)
    points = [(-0.5, -0.5, -1)] * low + [(0.5, 0.5, 1)] * high
    return _finish(points, noise, rng)


def linear(n: int, noise: float = 0.1, seed: int = 0) -> Data:
    """Uniform points in [-1, 1]² on either side of the line x2 = 0.5·x1 + 0.1 (+1 above it).

    Separable by one straight line until the noise moves points across it.
    """
    rng = _start(n, noise, seed)
    wanted = dict(zip((-1, 1), _halves(n), strict=True))
    points = []
    while wanted[-1] or wanted[1]:
        x1, x2 = rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)
        label = 1 if x2 > 0.5 * x1 + 0.1 else -1
        if wanted[label]:  # drawn until each side has its half, so the classes are balanced
            wanted[label] -= 1
            points.append((x1, x2, label))
    return _finish(points, noise, rng)


def _start(n: object, noise: object, seed: object) -> random.Random:
    """Check a generator's arguments; the generator every point of the data set comes from."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n (the number of points) must be a positive whole number, not {n!r}")
    if (
        not isinstance(noise, Real)
        or isinstance(noise, bool)
        or not math.isfinite(noise)
        or noise < 0
    ):
        raise ValueError(f"noise must be a finite number >= 0, not {noise!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be a whole number, not {type(seed).__name__}: {seed!r}")
    return random.Random(seed)


def _halves(n: int) -> tuple[int, int]:
    """Points per class: the label -1 gets the smaller half."""
    return n // 2, n - n // 2


def _spread(count: int, span: float, *, inclusive: bool) -> list[float]:
    """``count`` evenly spaced angles from 0 over ``span`` (NumPy's linspace, with or without
    its endpoint)."""
    if count == 1:
        return [0.0]
    parts = count - 1 if inclusive else count
    return [span * i / parts for i in range(count)]


def _finish(points: list[tuple[float, float, int]], noise: float, rng: random.Random) -> Data:
    """Jitter every coordinate by N(0, noise²), then shuffle, so the classes are interleaved."""
    rows = [
        [x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise), label] for x1, x2, label in points
    ]
    rng.shuffle(rows)
    return [[x1, x2] for x1, x2, _ in rows], [label for _, _, label in rows]


# -- user data ---------------------------------------------------------------------------------


def check_data(X: Any, y: Any) -> tuple[list[list[float]], list[int]]:  # noqa: N803 - the usual names
    """User data as plain lists, or one clear error saying what is wrong and where.

    ``X``: a non-empty list (or tuple, or 2-D NumPy array) of rows, every row the same number of
    finite real numbers. ``y``: one label per row, each -1 or +1 (ints, floats or NumPy numbers).
    Returns ``(rows of floats, labels as ints)``; the inputs are not changed.
    """
    rows = _as_list(X, "X")
    labels = _as_list(y, "y")
    if not rows:
        raise ValueError("X is empty: training needs at least one sample")
    if len(rows) != len(labels):
        raise ValueError(
            f"X has {_count(len(rows), 'row')} but y has {_count(len(labels), 'label')}: "
            "one label per row"
        )
    width = None
    checked_rows = []
    for i, row in enumerate(rows):
        row = _as_list(row, f"X row {i}", hint="X must be a list of rows, e.g. [[x1, x2], ...]")
        if width is None:
            width = len(row)
            if width == 0:
                raise ValueError("X row 0 is empty: every row needs at least one number")
        elif len(row) != width:
            raise ValueError(
                f"X row {i} has {_count(len(row), 'number')} but row 0 has {width}: "
                "every row must have the same length"
            )
        checked_rows.append([_number(x, f"X row {i}, column {j}") for j, x in enumerate(row)])
    checked_labels = []
    for i, label in enumerate(labels):
        value = _number(label, f"y[{i}]", hint="y must be a flat list of labels -1/+1")
        if value not in (-1.0, 1.0):
            raise ValueError(
                f"y[{i}] is {label!r}: labels must be -1 or +1 (for 0/1 labels use 2*y - 1)"
            )
        checked_labels.append(int(value))
    return checked_rows, checked_labels


def _as_list(obj: Any, what: str, hint: str | None = None) -> list[Any]:
    """A list, tuple or NumPy array as a list (NumPy without importing it: its ``tolist``)."""
    if isinstance(obj, (list, tuple)):
        return list(obj)
    tolist: Callable[[], Any] | None = getattr(obj, "tolist", None)
    if callable(tolist) and getattr(obj, "ndim", 0) >= 1:
        return list(tolist())
    if hint is None:
        hint = f"{what} must be a list, a tuple or a NumPy array"
    raise TypeError(f"{what} is {_describe(obj)}: {hint}")


def _number(x: Any, what: str, hint: str | None = None) -> float:
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what} is {_describe(x)}, not a number" + (f": {hint}" if hint else ""))
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"{what} is {value}: every number must be finite")
    return value


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _describe(obj: Any) -> str:
    text = repr(obj)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"a {type(obj).__name__} ({text})"
