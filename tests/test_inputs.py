"""Slider specs: validation, and default ranges that put the value exactly on the grid."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_magic.inputs import (
    InputSpec,
    _nice_ceil,
    check_range,
    check_span,
    default_input,
    default_step,
)


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
        ({"value": 10**400}, "must be a finite number"),
        ({"min": 0.0, "max": 5e-324, "value": 0.0, "step": 1e-324}, "step must be positive"),
        ({"min": 1e16, "max": 1e17, "value": 1e16, "step": 1.0}, "finer than floats can resolve"),
        ({"step": 20.0}, "larger than the range"),
        ({"min": -1e308, "max": 1e308, "step": 1e300}, "too wide"),
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


def test_numbers_of_any_real_type_are_stored_as_floats():
    spec = InputSpec("x", Fraction(1, 2), -1, 1, Fraction(1, 4))
    assert (spec.value, spec.min, spec.step) == (0.5, -1.0, 0.25)
    assert all(type(getattr(spec, f)) is float for f in ("value", "min", "max", "step"))


def test_a_name_must_be_a_string():
    with pytest.raises(TypeError, match="name must be a str"):
        InputSpec(1, 0.0, -1.0, 1.0, 0.5)  # type: ignore[arg-type]


DEGENERATE = [
    # (low, high): each used to crash default_step with "math domain error" or divide by 0
    (0.0, 5e-324),
    (0.0, 1e-322),
    (-5e-324, 5e-324),
    (1.0, 1.0 + 2**-52),
    (1e300, 1e300 * (1 + 2**-50)),
]


@pytest.mark.parametrize(("low", "high"), DEGENERATE)
def test_a_range_too_narrow_for_a_default_step_is_a_clear_error(low, high):
    with pytest.raises(ValueError, match="too narrow for a slider"):
        default_step(low, high, low)
    with pytest.raises(ValueError, match="too narrow for a slider"):
        check_range(low, high)


def test_a_subnormal_range_wide_enough_gets_a_step_floats_resolve():
    step = default_step(0.0, 1e-318, 0.0)
    assert step >= 5e-324
    assert 80 <= 1e-318 / step <= 201  # subnormal steps are inexact


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        (-1e308, 1e308, "too wide"),
        (-math.inf, 0.0, "finite bounds"),
        (1.0, 1.0, "must be below max"),
        (2.0, 1.0, "must be below max"),
    ],
)
def test_ranges_that_are_no_ranges_are_clear_errors(low, high, message):
    with pytest.raises(ValueError, match=message):
        default_step(low, high, low)


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (1e308, "too wide"),
        (9e307, "too wide"),
        (5e-324, "too narrow"),
        (0.0, "positive number or None"),
        (-1.0, "positive number or None"),
        (math.inf, "positive number or None"),
        (math.nan, "positive number or None"),
        ("3", "positive number or None"),
        (True, "positive number or None"),
        pytest.param(10**400, "positive number or None", id="10**400"),
    ],
)
def test_a_span_no_slider_range_fits_is_refused(span, message):
    with pytest.raises(ValueError, match=message):
        check_span(span)
    with pytest.raises(ValueError, match=message):
        default_input("x", 0.0, span=span)


def test_the_largest_span_that_fits():
    assert check_span(8e307) == 8e307
    assert check_span(None) is None
    assert check_span(3) == 3.0
    spec = default_input("x", 1.0, span=8e307)
    assert (spec.min, spec.max) == (-8e307, 8e307)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (math.nan, ValueError, "must be a finite number"),
        (math.inf, ValueError, "must be a finite number"),
        pytest.param(10**400, ValueError, "must be a finite number", id="10**400"),
        (1e300, ValueError, "too large for a slider"),
        ("2.0", TypeError, "must be a real number"),
        (None, TypeError, "must be a real number"),
        (True, TypeError, "must be a real number"),
    ],
)
def test_default_input_refuses_what_cannot_be_a_slider(value, error, message):
    with pytest.raises(error, match=message):
        default_input("x", value)


@settings(max_examples=300, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False), span=st.none() | st.floats())
def test_fuzz_default_input_is_a_working_slider_or_a_value_error(value, span):
    try:
        spec = default_input("x", value, span=span)
    except ValueError as exc:
        assert str(exc).startswith(("input 'x'", "default_span"))
        return
    assert spec.min <= spec.value == value <= spec.max
    assert math.ulp(spec.max) <= spec.step <= spec.max - spec.min
    # the value is on the slider's grid (or so near its end that floats cannot say)
    ticks = (value - spec.min) / spec.step
    assert abs(ticks - round(ticks)) <= 1e-9 * max(1.0, abs(ticks)) or ticks < 1e-9


def test_an_irregular_span_still_puts_the_value_on_the_grid():
    spec = default_input("x", 0.0, span=1.4246484614246484e38)
    ticks = (spec.value - spec.min) / spec.step
    assert ticks == round(ticks)
    assert 80 <= (spec.max - spec.min) / spec.step <= 250


@pytest.mark.parametrize("x", [0.0, -1.0, math.inf, math.nan])
def test_the_1_2_5_ceiling_of_what_has_none_is_a_clear_error(x):
    with pytest.raises(ValueError, match="1-2-5 series has no number"):
        _nice_ceil(x)


@pytest.mark.parametrize(
    ("low", "high", "step", "message"),
    [
        pytest.param(10**400, 1.0, None, "must have finite bounds", id="10**400 bound"),
        ("0", 1.0, None, "must have finite bounds"),
        pytest.param(0.0, 1.0, 10**400, "step must be positive and finite", id="10**400 step"),
        (0.0, 1.0, "0.1", "step must be positive and finite"),
    ],
)
def test_check_range_refuses_what_is_no_number(low, high, step, message):
    with pytest.raises(ValueError, match=message):
        check_range(low, high, step)
