"""Slider specs: validation, and default ranges that put the value exactly on the grid."""

import pytest

from micrograd_magic.inputs import InputSpec, default_input, default_step


@pytest.mark.parametrize(
    ("value", "low", "high", "step"),
    [
        (2.0, -5.0, 5.0, 0.05),
        (0.0, -5.0, 5.0, 0.05),
        (2.37, -5.0, 5.0, 0.01),  # 0.05 would snap 2.37 to 2.35
        (3.0, -10.0, 10.0, 0.1),
        (12.0, -50.0, 50.0, 0.5),
        (-7.25, -20.0, 20.0, 0.05),
    ],
)
def test_default_ranges(value, low, high, step):
    spec = default_input("x", value)
    assert (spec.min, spec.max, spec.step) == (low, high, step)
    ticks = (value - spec.min) / spec.step
    assert abs(ticks - round(ticks)) < 1e-9


def test_a_given_span_is_used_when_it_holds_the_value():
    assert (default_input("x", 2.0, span=3.0).min, default_input("x", 2.0, span=3.0).max) == (
        -3.0,
        3.0,
    )
    assert default_input("x", 7.0, span=3.0).max == 20.0  # too narrow: the default instead


def test_default_step_for_a_user_range():
    assert default_step(-3.0, 3.0, 2.0) == 0.05
    assert default_step(-3.0, 3.0, 2.37) == 0.01


def test_huge_values_are_a_clear_error():
    with pytest.raises(ValueError, match="too large for a slider"):
        default_input("x", 1e308)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": 9.0}, "outside its range"),
        ({"min": 5.0}, "must be below max"),
        ({"step": 0.0}, "step must be positive"),
        ({"value": float("nan")}, "must be a finite number"),
        ({"max": "1"}, "must be a finite number"),
    ],
)
def test_invalid_specs_are_rejected(kwargs, message):
    fields = {"name": "x", "value": 1.0, "min": -5.0, "max": 5.0, "step": 0.1, **kwargs}
    with pytest.raises(ValueError, match=message):
        InputSpec(**fields)


def test_to_json():
    assert InputSpec("x", 1, -5, 5, 1).to_json() == {
        "name": "x",
        "value": 1.0,
        "min": -5.0,
        "max": 5.0,
        "step": 1.0,
    }
