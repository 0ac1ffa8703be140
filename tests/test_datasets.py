"""The data sets: their shapes and geometry, seeding, and the checks on user data."""

import itertools
import math
import random
import statistics

import numpy as np
import pytest

from micrograd_magic import datasets

GENERATORS = [
    datasets.moons,
    datasets.circles,
    datasets.xor,
    datasets.spiral,
    datasets.blobs,
    datasets.linear,
]
IDS = [g.__name__ for g in GENERATORS]


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_plain_lists_of_rows_and_balanced_labels(make, n):
    xs, y = make(n)
    assert type(xs) is list and type(y) is list
    assert len(xs) == len(y) == n
    assert all(type(row) is list and len(row) == 2 for row in xs)
    assert all(type(v) is float and math.isfinite(v) for row in xs for v in row)
    assert all(type(label) is int for label in y)
    assert y.count(-1) == n // 2 and y.count(1) == n - n // 2


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_seeded_deterministic_and_independent_of_the_global_random(make):
    random.seed(1)
    first = make(50, seed=3)
    random.seed(2)
    random.random()
    assert make(50, seed=3) == first
    assert make(50, seed=4) != first
    assert make(50) == make(50, seed=0)


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_labels_are_shuffled_not_in_two_runs(make):
    _, y = make(40)
    changes = sum(a != b for a, b in itertools.pairwise(y))
    assert changes > 5


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_noise_is_the_spread_of_the_jitter(make):
    # the same seed draws the same numbers whatever the noise, so the rows correspond
    clean, labels = make(400, noise=0.0, seed=5)
    noisy, labels_noisy = make(400, noise=0.2, seed=5)
    assert labels == labels_noisy
    offsets = [
        n - c
        for row_c, row_n in zip(clean, noisy, strict=True)
        for c, n in zip(row_c, row_n, strict=True)
    ]
    assert statistics.fmean(offsets) == pytest.approx(0.0, abs=0.03)
    assert statistics.pstdev(offsets) == pytest.approx(0.2, rel=0.1)


def test_moons_lie_on_two_half_circles_when_noiseless():
    xs, y = datasets.moons(101, noise=0.0)
    for (x1, x2), label in zip(xs, y, strict=True):
        if label == -1:
            assert math.hypot(x1, x2) == pytest.approx(1.0)
            assert x2 >= -1e-12
        else:
            assert math.hypot(x1 - 1.0, x2 - 0.5) == pytest.approx(1.0)
            assert x2 <= 0.5 + 1e-12
    ends = {(round(x1, 9), round(x2, 9)) for x1, x2 in xs}
    assert {(1.0, 0.0), (-1.0, 0.0), (0.0, 0.5), (2.0, 0.5)} <= ends  # both ends of both moons


def test_circles_radii_and_xor_quadrants_and_linear_side_when_noiseless():
    xs, y = datasets.circles(60, noise=0.0)
    for (x1, x2), label in zip(xs, y, strict=True):
        assert math.hypot(x1, x2) == pytest.approx(1.0 if label == -1 else 0.5)
    xs, y = datasets.xor(60, noise=0.0)
    for (x1, x2), label in zip(xs, y, strict=True):
        assert 0.1 <= abs(x1) <= 1.0 and 0.1 <= abs(x2) <= 1.0
        assert (1 if x1 * x2 > 0 else -1) == label
    xs, y = datasets.linear(60, noise=0.0)
    for (x1, x2), label in zip(xs, y, strict=True):
        assert -1.0 <= x1 <= 1.0 and -1.0 <= x2 <= 1.0
        assert (1 if x2 > 0.5 * x1 + 0.1 else -1) == label


def test_spiral_arms_wind_out_to_radius_one_and_blobs_sit_at_their_centres():
    xs, y = datasets.spiral(40, noise=0.0)
    radii = sorted(math.hypot(*row) for row, label in zip(xs, y, strict=True) if label == 1)
    assert radii[-1] == pytest.approx(1.0) and radii[0] == pytest.approx(0.05)
    arm = {(round(r, 12)) for r in radii}
    assert len(arm) == 20  # one point per radius along the arm
    for (x1, x2), label in zip(xs, y, strict=True):
        other = (-x1, -x2)  # the other arm is this one turned by half a turn
        assert any(
            math.isclose(a, other[0], abs_tol=1e-12) and math.isclose(b, other[1], abs_tol=1e-12)
            for (a, b), lb in zip(xs, y, strict=True)
            if lb != label
        )
    xs, y = datasets.blobs(10, noise=0.0)
    assert {(tuple(row), label) for row, label in zip(xs, y, strict=True)} == {
        ((-0.5, -0.5), -1),
        ((0.5, 0.5), 1),
    }


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_bad_arguments_are_refused(make):
    for n in (0, -3, 2.5, True, "10"):
        with pytest.raises(
            ValueError, match=r"n \(the number of points\) must be a positive whole"
        ):
            make(n)
    for noise in (-0.1, math.nan, math.inf, "0.1"):
        with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
            make(10, noise=noise)
    for seed in (1.5, None, "3"):
        with pytest.raises(TypeError, match="seed must be a whole number"):
            make(10, seed=seed)


# -- user data ---------------------------------------------------------------------------------


def test_check_data_takes_lists_tuples_and_numpy_arrays():
    xs = [[1, 2.5], (3, -4)]
    y = (1, -1.0)
    rows, labels = datasets.check_data(xs, y)
    assert rows == [[1.0, 2.5], [3.0, -4.0]] and labels == [1, -1]
    assert all(type(v) is float for row in rows for v in row)
    assert all(type(v) is int for v in labels)
    assert xs == [[1, 2.5], (3, -4)]  # the input is not changed
    rows, labels = datasets.check_data(np.array([[0.5, 1], [2, 3]]), np.array([-1, 1]))
    assert rows == [[0.5, 1.0], [2.0, 3.0]] and labels == [-1, 1]
    assert type(rows[0][0]) is float and type(labels[0]) is int
    rows, labels = datasets.check_data([[np.float32(0.25), np.int64(2)]], [np.int8(1)])
    assert rows == [[0.25, 2.0]] and labels == [1]
    rows, _ = datasets.check_data([[1.0, 2.0, 3.0]], [1])  # any number of columns
    assert rows == [[1.0, 2.0, 3.0]]


@pytest.mark.parametrize(
    ("xs", "y", "error", "message"),
    [
        ([], [], ValueError, r"^X is empty: training needs at least one sample$"),
        (np.zeros((0, 2)), np.zeros(0), ValueError, r"^X is empty"),
        ([[1, 2], [3, 4]], [1], ValueError, r"^X has 2 rows but y has 1 label: one label per row$"),
        ([[1, 2], [3, 4, 5]], [1, -1], ValueError, r"^X row 1 has 3 numbers but row 0 has 2"),
        ([[1, 2], [3]], [1, -1], ValueError, r"^X row 1 has 1 number but row 0 has 2"),
        ([[], []], [1, -1], ValueError, r"^X row 0 is empty"),
        (
            [[1, math.nan]],
            [1],
            ValueError,
            r"^X row 0, column 1 is nan: every number must be finite",
        ),
        (np.array([[1.0, np.inf]]), [1], ValueError, r"^X row 0, column 1 is inf"),
        ([[1, 2]], [0], ValueError, r"^y\[0\] is 0: labels must be -1 or \+1 \(for 0/1 labels"),
        ([[1, 2], [1, 2]], [1, 2], ValueError, r"^y\[1\] is 2: labels must be -1 or \+1"),
        ([[1, 2]], [math.nan], ValueError, r"^y\[0\] is nan: every number must be finite"),
        ([[1, 2]], [True], TypeError, r"^y\[0\] is a bool \(True\), not a number"),
        ([[1, 2]], [[1]], TypeError, r"^y\[0\] is a list .*flat list of labels"),
        ([[1, "2"]], [1], TypeError, r"^X row 0, column 1 is a str \('2'\), not a number$"),
        ([1.0, 2.0], [1, -1], TypeError, r"^X row 0 is a float .*X must be a list of rows"),
        ("ab", [1, -1], TypeError, r"^X is a str \('ab'\): X must be a list, a tuple or a NumPy"),
        ([[1, 2]], 1, TypeError, r"^y is a int \(1\)"),
        (np.float64(1.0), [1], TypeError, r"^X is a float64"),
    ],
)
def test_check_data_says_what_is_wrong_in_one_line(xs, y, error, message):
    with pytest.raises(error, match=message) as info:
        datasets.check_data(xs, y)
    assert "\n" not in str(info.value)
