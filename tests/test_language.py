"""The %%micrograd language: every construct, every error (with its place), and fuzzing."""

from __future__ import annotations

import ast
import builtins
import contextlib
import math
import unicodedata
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import micrograd_magic
from micrograd_magic import Value
from micrograd_magic.errors import (
    MicrogradDomainError,
    MicrogradError,
    MicrogradSyntaxError,
    clip,
)
from micrograd_magic.graph import Graph
from micrograd_magic.inputs import default_input
from micrograd_magic.language import FUNCTIONS, Computation, Program, compile, parse

EXAMPLE = "x = 2.0\ny = 3.0\nz = x*y + x**2"


def graph_json(root: Value, extra: tuple[Value, ...] = ()) -> dict:
    return Graph.from_value(root, extra).to_json()


def labelled(v: Value, name: str) -> Value:
    """Label a node the way the language does: a new (unlabelled) node takes the name."""
    if v.label is None:
        v.label = name
    return v


# -- the example of the issue ---------------------------------------------------------------------
def test_example_values_and_grads() -> None:
    values = parse(EXAMPLE).build()
    x, y, z = values["x"], values["y"], values["z"]
    assert list(values) == ["x", "y", "z"]
    assert (x.data, y.data, z.data) == (2.0, 3.0, 10.0)
    assert (x.grad, y.grad, z.grad) == (7.0, 2.0, 1.0)
    assert (x.label, y.label, z.label) == ("x", "y", "z")


def test_example_graph_equals_the_engine_built_directly() -> None:
    c = compile(EXAMPLE)
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = labelled(x * y + x**2, "z")
    z.backward()
    assert c.graph().to_json() == graph_json(z)
    assert c.graph().to_json()["nodes"][c.graph().output]["label"] == "z"


def test_compile_is_the_package_api() -> None:
    assert micrograd_magic.compile is compile
    c = micrograd_magic.compile(EXAMPLE)
    assert isinstance(c, Computation)
    assert c.output == "z"
    assert c.root is c.values["z"]
    assert [s.name for s in c.inputs] == ["x", "y"]


# -- every construct, against the engine used directly in Python ----------------------------------
def _f(name: str) -> Callable[[Value], Value]:
    return lambda v: getattr(v, name)()


CONSTRUCTS: list[tuple[str, Callable[[Value, Value], Value]]] = [
    ("x + y", lambda x, y: x + y),
    ("x - y", lambda x, y: x - y),
    ("x * y", lambda x, y: x * y),
    ("x / y", lambda x, y: x / y),
    ("x ** 3", lambda x, y: x**3),
    ("x ** -1", lambda x, y: x**-1),
    ("x ** (1/2)", lambda x, y: x**0.5),
    ("x ** 2.5", lambda x, y: x**2.5),
    ("-x", lambda x, y: -x),
    ("+x * y", lambda x, y: x * y),
    ("-(x * y)", lambda x, y: -(x * y)),
    ("(x + y) * (x - y)", lambda x, y: (x + y) * (x - y)),
    ("2 * x", lambda x, y: 2 * x),
    ("x * 2", lambda x, y: x * 2),
    ("1 - x", lambda x, y: 1 - x),
    ("1 / x", lambda x, y: 1 / x),
    ("x * -1.5", lambda x, y: x * -1.5),
    ("x * (1/2)", lambda x, y: x * 0.5),
    ("x * 2 * 3", lambda x, y: x * 2 * 3),
    ("relu(x)", lambda x, y: x.relu()),
    ("tanh(x)", lambda x, y: x.tanh()),
    ("exp(x)", lambda x, y: x.exp()),
    ("log(x)", lambda x, y: x.log()),
    ("sigmoid(x)", lambda x, y: x.sigmoid()),
    ("x.relu()", lambda x, y: x.relu()),
    ("(x * y).tanh()", lambda x, y: (x * y).tanh()),
    ("x.exp().log()", lambda x, y: x.exp().log()),
    ("sigmoid(x) * tanh(y) + relu(x - y)", lambda x, y: x.sigmoid() * y.tanh() + (x - y).relu()),
    ("x * tanh(0.5)", lambda x, y: x * math.tanh(0.5)),
    ("x + 1e-3", lambda x, y: x + 0.001),
    ("x + 7", lambda x, y: x + 7),
]


@pytest.mark.parametrize(("expr", "reference"), CONSTRUCTS, ids=[c[0] for c in CONSTRUCTS])
def test_every_construct_builds_the_engine_graph(
    expr: str, reference: Callable[[Value, Value], Value]
) -> None:
    c = compile(f"x = 2.0\ny = 3.0\nz = {expr}")
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = labelled(reference(x, y), "z")
    z.backward()
    assert graph_json(c.root) == graph_json(z)
    assert (c.values["x"].grad, c.values["y"].grad) == (x.grad, y.grad)


def test_ints_negative_numbers_and_constants_are_floats() -> None:
    c = compile("a = 2\nb = -3\nc = -(4)\nd = +5\ne = 1/4\nf = 2 ** 3\ng = a * 1")
    assert {n: c.values[n].data for n in "abcdef"} == {
        "a": 2.0,
        "b": -3.0,
        "c": -4.0,
        "d": 5.0,
        "e": 0.25,
        "f": 8.0,
    }
    assert all(type(c.values[n].data) is float for n in "abcdefg")
    assert [s.name for s in c.inputs] == list("abcdef")
    # the constant operand of `a * 1` is an unlabelled leaf, as in Python
    const = c.values["g"].children[1]
    assert (const.op, const.label, const.data) == ("", None, 1.0)


def test_comments_blank_lines_and_semicolons() -> None:
    cell = "\n# inputs\nx = 2.0  # two\n\n   \ny = 3.0; z = x*y + x**2  # the output\n\n# end\n"
    c = compile(cell)
    assert c.output == "z"
    assert c.values["x"].grad == 7.0


def test_multiline_expressions_in_parentheses() -> None:
    c = compile("x = 2.0\ny = 3.0\nz = (x*y\n     + x**2)")
    assert c.values["z"].data == 10.0


def test_reassignment_labels_every_new_node() -> None:
    c = compile("x = 2.0\na = x * 3\na = a * 2\na = a + 1")
    a = c.values["a"]
    assert a.data == 13.0
    chain = [a, a.children[0], a.children[0].children[0]]
    assert [(v.op, v.label) for v in chain] == [("+", "a"), ("*", "a"), ("*", "a")]
    assert c.values["x"].grad == 6.0
    assert list(c.values) == ["x", "a"]


def test_augmented_assignment_rebinds_like_the_long_form() -> None:
    c = compile("x = 2.0\na = x\na += 1\na -= x\na *= x\na /= 4\na **= 2")
    x = Value(2.0, label="x")
    a = labelled(x + 1, "a")
    a = labelled(a - x, "a")
    a = labelled(a * x, "a")
    a = labelled(a / 4, "a")
    a = labelled(a**2, "a")
    a.backward()
    assert graph_json(c.root) == graph_json(a)


def test_reassigned_input_keeps_its_leaf_and_slider() -> None:
    c = compile("x = 2.0\nx = x * x")
    assert c.values["x"].op == "*"
    leaf = c.leaves["x"]
    assert (leaf.op, leaf.label, leaf.data, leaf.grad) == ("", "x", 2.0, 4.0)
    assert [s.name for s in c.inputs] == ["x"]
    assert c.graph().labelled_leaves() == {"x": 0}


def test_alias_names_the_same_value_without_relabelling() -> None:
    c = compile("x = 2.0\ny = x\nz = +y * 3")
    assert c.values["y"] is c.values["x"]
    assert c.values["x"].label == "x"
    assert c.values["x"].grad == 3.0


def test_bare_last_expression_is_the_output_named_out() -> None:
    c = compile("x = 2.0\nz = x * 3\ntanh(z)")
    assert c.output == "out"
    assert c.root.label == "out"
    assert c.root.op == "tanh"
    assert c.values["x"].grad == pytest.approx(3 * (1 - math.tanh(6.0) ** 2))


def test_bare_last_name_names_the_output() -> None:
    c = compile("x = 2.0\ny = x * 3\nz = x + 1\ny")
    assert c.output == "y"
    assert list(c.values) == ["x", "y", "z"]
    assert (c.values["x"].grad, c.values["z"].grad) == (3.0, 0.0)


def test_output_can_be_chosen() -> None:
    program = parse(EXAMPLE, output="y")
    assert program.output == "y"
    values = program.build()
    assert (values["y"].grad, values["x"].grad, values["z"].grad) == (1.0, 0.0, 0.0)
    assert parse(EXAMPLE).with_output("x").build()["x"].grad == 1.0
    assert compile(EXAMPLE, "x").output == "x"


def test_unknown_output_is_a_clear_error() -> None:
    with pytest.raises(MicrogradError) as info:
        parse(EXAMPLE, output="zz")
    assert "unknown output 'zz'" in str(info.value)
    assert info.value.hint == "did you mean 'z'? (the cell's variables are x, y, z)"


def test_unicode_names() -> None:
    c = compile("α = 2.0\nβ = α ** 2")
    assert c.values["α"].grad == 4.0
    assert c.root.label == "β"


def test_extra_holds_what_the_output_does_not_use() -> None:
    c = compile("x = 2.0\ny = 3.0\nu = y * 2\nz = x * 3", output="z")
    assert c.extra == (c.values["y"], c.values["u"])
    g = c.graph()
    assert len(g.nodes) == 6  # x, 3, z, then y, 2, u
    assert g.nodes[g.output].label == "z"
    # a reassigned input that nothing uses still has its leaf in the graph (its slider)
    c = compile("x = 2.0\ny = 1.0\nx = y * 1\nz = y * 2")
    assert c.extra == (c.values["x"], c.leaves["x"])
    assert "x" in c.graph().labelled_leaves()


def test_program_exposes_inputs_names_output_and_repr() -> None:
    p = parse("x: (-3, 3) = 2.0\ny = 3.0\nz = x*y\nz = z + y")
    assert isinstance(p, Program)
    assert [s.name for s in p.inputs] == ["x", "y"]
    assert p.names == ("x", "y", "z")
    assert p.output == "z"
    assert repr(p) == "<Program inputs=[x, y] output='z' names=['x', 'y', 'z']>"


# -- inputs and their ranges -----------------------------------------------------------------------
def test_ranges_from_annotations() -> None:
    p = parse("x: (-3, 3) = 2.0\ny: (-1, 1, 0.25) = -0.5\nw: (0, 10.5) = 1\nz = x*y*w")
    x, y, w = p.inputs
    assert (x.min, x.max, x.value) == (-3.0, 3.0, 2.0)
    assert x.step == 0.05  # a 1-2-5 step near 1/200 of the range, 2.0 lies on its grid
    assert (y.min, y.max, y.step, y.value) == (-1.0, 1.0, 0.25, -0.5)
    assert (w.min, w.max, w.value) == (0.0, 10.5, 1.0)
    assert all(isinstance(getattr(s, f), float) for s in p.inputs for f in ("min", "max", "step"))


def test_a_range_may_use_constant_expressions() -> None:
    (x,) = parse("x: (-2 * 3, 1/2, 1/8) = 0.25").inputs
    assert (x.min, x.max, x.step) == (-6.0, 0.5, 0.125)


def test_automatic_step_puts_the_value_on_the_grid() -> None:
    (x,) = parse("x: (-3, 3) = 2.37").inputs
    assert x.step == 0.01
    (x,) = parse("x: (-2.5, 7.5) = 0.1").inputs
    ticks = (x.value - x.min) / x.step
    assert abs(ticks - round(ticks)) < 1e-9
    assert x.step == 0.05


def test_default_ranges_come_from_default_input() -> None:
    p = parse("x = 2.0\ny = 12.0\nw = 2.37")
    assert list(p.inputs) == [
        default_input("x", 2.0),
        default_input("y", 12.0),
        default_input("w", 2.37),
    ]


def test_default_span_is_configurable() -> None:
    p = parse("x = 2.0\ny = 30.0", default_span=10)
    assert (p.inputs[0].min, p.inputs[0].max) == (-10.0, 10.0)
    # a span that does not hold the value is ignored, as default_input does
    assert p.inputs[1] == default_input("y", 30.0)


@pytest.mark.parametrize("span", [1e308, 5e-324, 0.0, -1.0, math.inf, math.nan, "10", True])
def test_a_default_span_no_slider_fits_is_refused_up_front(span: object) -> None:
    # the span is the caller's mistake, not the cell's: no line of the cell is blamed
    with pytest.raises(ValueError, match=r"^default_span") as info:
        parse("x = 0.0", default_span=span)  # type: ignore[arg-type]
    assert not isinstance(info.value, MicrogradError)


DEGENERATE_RANGES = [
    # (cell, the fragment under the caret, the message)
    ("x: (0, 5e-324) = 0", "(0, 5e-324)", "too narrow for a slider"),
    ("x: (0, 1e-322) = 0", "(0, 1e-322)", "too narrow for a slider"),
    ("x: (1, 1.000000000000001) = 1", "(1, 1.000000000000001)", "too narrow for a slider"),
    ("x: (1e300, 1.0000000000000001e300) = 1e300", "(1e300", "must be below its max"),
    ("x: (0, 1, 5e-324) = 0", "5e-324", "finer than floats can resolve"),
    ("x: (1e16, 1e17, 1) = 1e16", "1", "finer than floats can resolve"),
    ("x: (-1e308, 1e308) = 0", "(-1e308, 1e308)", "too wide"),
    ("x: (-1e308, 1e308, 1e300) = 0", "(-1e308, 1e308, 1e300)", "too wide"),
]


@pytest.mark.parametrize(("cell", "fragment", "message"), DEGENERATE_RANGES)
def test_degenerate_ranges_are_located_errors(cell: str, fragment: str, message: str) -> None:
    # (0, 5e-324) used to crash in default_step with "math domain error"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    err = info.value
    assert message in err.msg
    assert err.lineno == 1
    assert err.line[err.col_offset :].startswith(fragment)


@settings(max_examples=300, deadline=None)
@given(
    low=st.floats(allow_nan=False, allow_infinity=False),
    high=st.floats(allow_nan=False, allow_infinity=False),
    at=st.floats(0, 1),
)
# a value off every 1-2-5 grid, which once got a step dividing the range into only 64 ticks
@example(low=-4.21313728421312e16, high=0.0, at=0.015625)
def test_fuzz_any_range_is_a_working_slider_or_a_located_error(
    low: float, high: float, at: float
) -> None:
    value = min(max(low + (high - low) * at, low), high) if math.isfinite(high - low) else low
    cell = f"x: ({low!r}, {high!r}) = {value!r}"
    try:
        (spec,) = parse(cell).inputs
    except MicrogradSyntaxError as err:
        assert (err.lineno, err.line) == (1, cell)
        event(err.msg.split(":")[0])
        return
    event("a slider")
    assert (spec.min, spec.max, spec.value) == (low, high, value)
    assert math.ulp(max(abs(low), abs(high))) <= spec.step <= high - low
    assert (high - low) / spec.step >= 80  # a default step divides the range finely


# -- hints that stay short, names that match one slip away -----------------------------------------
def test_an_unknown_name_after_many_definitions_gets_a_short_hint() -> None:
    cell = "\n".join(f"v{i} = 1.0" for i in range(20_000)) + "\ny = v19999 + unknown"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    hint = info.value.hint
    assert hint == "defined so far: " + ", ".join(f"v{i}" for i in range(12)) + " and 19,988 more"
    assert len(str(info.value)) < 400


def test_a_domain_error_lists_a_few_of_many_inputs() -> None:
    cell = "\n".join(f"v{i} = 1.0" for i in range(5_000)) + "\ny = log(v1 - 1)"
    with pytest.raises(MicrogradDomainError) as info:
        parse(cell).run()
    assert "(inputs: v0 = 1, v1 = 1," in info.value.hint
    assert "and 4,988 more)" in info.value.hint
    assert len(str(info.value)) < 600


def test_an_unknown_output_among_many_names_gets_a_short_hint() -> None:
    program = parse("\n".join(f"v{i} = 1.0" for i in range(1_000)))
    with pytest.raises(MicrogradError) as info:
        program.with_output("v1000x")
    assert info.value.hint == (
        "did you mean 'v100'? (the cell's variables are "
        + ", ".join(f"v{i}" for i in range(12))
        + " and 988 more)"
    )


@pytest.mark.parametrize(
    ("defined", "typed", "meant"),
    [
        ("wt", "ww", "wt"),  # one letter changed
        ("wt", "tw", "wt"),  # two neighbours swapped
        ("w1", "w", "w1"),  # one dropped
        ("w", "ww", "w"),  # one added
        ("bias", "baís", "bias"),  # two changes: difflib's ratio decides (close enough)
        ("w1", "q2", None),  # two changes between short names: too far
        ("weight", "wieght", "weight"),
        ("learning_rate", "learning_rtae", "learning_rate"),
        ("x", "q", None),  # one letter for another is no slip
    ],
)
def test_did_you_mean_catches_single_slips(defined: str, typed: str, meant: str | None) -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(f"other = 5.0\n{defined} = 1.0\ny = {typed} * 2")
    hint = info.value.hint
    if meant is None:
        assert "did you mean" not in hint
    else:
        assert hint.startswith(f"did you mean '{meant}'? (defined so far: other, {defined})")


def test_did_you_mean_for_functions_catches_swapped_letters() -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = 1.0\ny = tnah(x)")
    assert info.value.hint.startswith("did you mean tanh?")


def test_a_long_unknown_name_is_matched_quickly_and_shown_short() -> None:
    long_name = "w" * 100_000
    cell = f"{long_name}x = 1.0\ny = {long_name}y * 2"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    assert "did you mean" in info.value.hint  # one slip apart, found by the linear check
    assert all(len(line) < 500 for line in str(info.value).splitlines())


# -- implicit multiplication -------------------------------------------------------------------
IMPLICIT = [
    # (the formula, the fragment under the caret, the product in it, how it is written with *)
    ("3x", "3x", "3x", "3*x"),
    ("3x**2 + 1", "3x", "3x", "3*x"),
    ("2.5x", "2.5x", "2.5x", "2.5*x"),
    ("1e3x", "1e3x", "1e3x", "1e3*x"),
    ("1_000x", "1_000x", "1_000x", "1_000*x"),
    ("x + 2y", "2y", "2y", "2*y"),
    ("tanh(2x)", "2x", "2x", "2*x"),
    ("3 x", "3 x", "3 x", "3*x"),
    ("x y", "x y", "x y", "x*y"),
    ("x 2", "x 2", "x 2", "x*2"),
    ("(x + 1)y", "(x + 1)y", "(x + 1)y", "(x + 1)*y"),
    ("(x + 1) 2", "(x + 1) 2", "(x + 1) 2", "(x + 1)*2"),
    ("2(x + 1)", "2(x + 1)", "2(x + 1)", "2*(x + 1)"),
    ("(x + 1)(y - 1)", "(x + 1)(y - 1)", "(x + 1)(y - 1)", "(x + 1)*(y - 1)"),
    ("tanh(x)(y)", "tanh(x)(y)", "tanh(x)(y)", "tanh(x)*(y)"),
    ("-x(y)", "x", "x(y)", "x*(y)"),  # x is a variable: the error is on x, the advice for x(y)
]


@pytest.mark.parametrize(("formula", "fragment", "product", "written"), IMPLICIT)
def test_implicit_multiplication_says_how_to_write_it(
    formula: str, fragment: str, product: str, written: str
) -> None:
    cell = f"x = 2.0\ny = 3.0\nz = {formula}"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    err = info.value
    assert f"write {written}" in err.msg + err.hint
    check_location(err, cell, 3, fragment)
    # and the advice works: with the *, the formula is valid
    assert parse(f"x = 2.0\ny = 3.0\nz = {formula.replace(product, written, 1)}").output == "z"


@pytest.mark.parametrize("formula", ["0x1g", "3_", "x +* 2", "x if y", "3or x"])
def test_other_bad_literals_are_not_taken_for_products(formula: str) -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(f"x = 2.0\ny = 3.0\nz = {formula}")
    assert "implicit multiplication" not in info.value.msg


# -- how a report shows its line -------------------------------------------------------------------
def test_a_long_line_is_shown_as_a_window_around_the_caret() -> None:
    cell = "x = 1.0\ny = x" + " " * 50_000 + "+ q +" + " " * 50_000 + "x"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    err = info.value
    assert err.line == cell.splitlines()[1]  # the attribute keeps the whole line
    _, code, caret, _ = str(err).splitlines()
    assert len(code) < 120
    assert code.startswith("    …") and code.endswith("…")
    assert code[caret.index("^")] == "q"


@pytest.mark.parametrize(
    ("char", "hint"),
    [
        ("\u2028", "not read it as a line break"),
        ("\u2029", "not read it as a line break"),
        ("\x85", "not read it as a line break"),
        ("\x0b", "not read it as a line break"),
        ("\xa0", "no-break space"),
        ("\ufeff", "byte-order mark"),
        ("\u202e", "does not show"),  # a bidi override, which would reverse the report
    ],
)
def test_invisible_characters_are_shown_and_explained(char: str, hint: str) -> None:
    # U+2028 between two statements used to be taken for an implicit product 1.0*y
    cell = f"x = 1.0\ny = x{char}z = x"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    err = info.value
    assert f"U+{ord(char):04X}" in err.msg
    assert hint in err.hint
    assert (err.lineno, err.col_offset) == (2, 5)
    _, code, caret, _ = str(err).splitlines()
    # shown as one visible column (a no-break space is a space to see)
    assert code[len("    y = x") :] in ("\ufffdz = x", "\u240bz = x", "\xa0z = x")
    assert len(caret) == len("    y = x") + 1


def test_a_report_prints_as_written_lines_whatever_the_cell_holds() -> None:
    for cell in ["x = 1.0\ny = x\ud800", "x = 1.0\ny = x\x1b[2J", "x\u202e = 1.0\nq"]:
        with pytest.raises(MicrogradSyntaxError) as info:
            parse(cell)
        report = str(info.value)
        report.encode("utf-8")  # no lone surrogate: a terminal can print it
        assert not any(
            unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") and c not in "\n\t"
            for c in report
        )


def test_the_caret_lines_up_after_tabs() -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = 1.0\ny =\tx\t+ qq")
    _, code, caret, _ = str(info.value).splitlines()
    assert caret == "    " + "   \t \t  " + "^^"
    assert code.expandtabs()[caret.expandtabs().index("^") :] == "qq"


# -- building again with other input values --------------------------------------------------------
CELL = "x: (-3, 3) = 2.0\ny = 3.0\nh = tanh(x*y + 1)\nz = h * x - y / 2 + log(y)"


def reference_for_cell(xv: float, yv: float) -> tuple[Value, Value, Value]:
    x, y = Value(xv, label="x"), Value(yv, label="y")
    h = labelled((x * y + 1).tanh(), "h")
    z = labelled(h * x - y / 2 + y.log(), "z")
    z.backward()
    return x, y, z


def test_rebuilding_with_new_values_keeps_the_shape_and_gets_the_numbers_right() -> None:
    program = parse(CELL)
    first = program.run()
    second = program.run({"x": -1.5, "y": 0.5})
    g1, g2 = first.graph().to_json(), second.graph().to_json()
    strip = [{k: n[k] for k in ("id", "label", "op", "args")} for n in g1["nodes"]]
    assert strip == [{k: n[k] for k in ("id", "label", "op", "args")} for n in g2["nodes"]]
    for comp, (xv, yv) in ((first, (2.0, 3.0)), (second, (-1.5, 0.5))):
        x, y, z = reference_for_cell(xv, yv)
        assert comp.graph().to_json() == graph_json(z)
        assert (comp.values["x"].grad, comp.values["y"].grad) == (x.grad, y.grad)
    # the two builds share nothing: the first one's numbers are untouched
    assert first.values["x"].data == 2.0
    assert [s.value for s in second.inputs] == [-1.5, 0.5]
    assert [s.value for s in program.inputs] == [2.0, 3.0]


def test_build_accepts_a_subset_of_inputs() -> None:
    values = parse(EXAMPLE).build({"y": 1})
    assert (values["x"].grad, values["z"].data) == (5.0, 6.0)


@pytest.mark.parametrize(
    ("values", "message", "hint"),
    [
        ({"q": 1.0}, "unknown input 'q'", "the inputs are x, y"),
        ({"xx": 1.0}, "unknown input 'xx'", "did you mean 'x'? (the inputs are x, y)"),
        ({"z": 1.0}, "'z' is computed by the cell, not an input", "the inputs are x, y"),
        ({"x": True}, "input 'x' must be a finite number, got True", None),
        ({"x": "2"}, "input 'x' must be a finite number, got '2'", None),
        ({"x": math.nan}, "input 'x' must be a finite number, got nan", None),
        ({"x": 10**400}, f"input 'x' must be a finite number, got {clip(repr(10**400), 60)}", None),
        ({"yy": 1.0}, "unknown input 'yy'", "did you mean 'y'?"),
        ({"x": 7.0}, "input 'x' = 7 lies outside its range [-5, 5]", "wider range"),
    ],
)
def test_bad_build_values_are_clear_errors(values: dict, message: str, hint: str | None) -> None:
    with pytest.raises(MicrogradError) as info:
        parse(EXAMPLE).build(values)
    assert info.value.msg == message
    if hint is not None:
        assert hint in info.value.hint
    assert info.value.lineno is None


# -- errors in the cell, each with its place -------------------------------------------------------
# (cell, line, the text the caret covers ("before|text" if it occurs earlier), part of the
# message, part of the hint)
SYNTAX_ERRORS = [
    (
        "x = 2.0\ny = x ** x",
        2,
        "x ** |x",
        "exponent of ** must be a constant number",
        "exp(x * log(x))",
    ),
    ("x = 2.0\ny = 2 ** x", 2, "x", "exponent of ** must be a constant", "exp(x * log(2))"),
    ("x = 2.0\nx **= x", 2, "x **= |x", "exponent of ** must be a constant", "log(x)"),
    ("x = 2.0\ny = zz + 1", 2, "zz", "unknown name 'zz'", "defined so far: x"),
    ("x = 2.0\nxs = 1.0\ny = xz + 1", 3, "xz", "unknown name 'xz'", "did you mean 'x"),
    ("y = q * 2", 1, "q", "unknown name 'q'", "nothing is defined yet"),
    ("y = x + 1\nx = 2.0", 1, "x", "'x' is used before it is defined (on line 2)", "move"),
    ("x = 2.0\ny = canary()", 2, "canary", "'canary' is not a function", "relu, tanh"),
    ("x = 2.0\ny = sigmod(x)", 2, "sigmod", "'sigmod' is not a function", "did you mean sigmoid"),
    ("x = 2.0\ny = print(x)", 2, "print", "'print' is not a function", "nothing else"),
    ("x = 2.0\ny = x(3)", 2, "x", "'x' is a variable, not a function", "write x*(3)"),
    ("x = 2.0\ny = 2(x + 1)", 2, "2(x + 1)", "implicit multiplication", "put * between"),
    ("x = 2.0\ny = (x)(1)", 2, "x", "'x' is a variable", "write (x)*(1)"),
    ("x = 2.0\ny = tanh(x, x)", 2, "tanh(x, x)", "tanh takes exactly one argument (found 2)", ""),
    ("x = 2.0\ny = tanh()", 2, "tanh()", "tanh takes exactly one argument (found 0)", ""),
    ("x = 2.0\ny = tanh(x=1)", 2, "x=1", "tanh takes no keyword arguments", "tanh(x)"),
    ("x = 2.0\ny = tanh(*x)", 2, "*x", "tanh takes a single value", "tanh(x)"),
    ("x = 2.0\ny = x.tanh(1)", 2, "x.tanh(1)", "the method tanh() takes no arguments", ""),
    ("x = 2.0\ny = x.tanh", 2, "x.tanh", "x.tanh is a method: call it", "x.tanh()"),
    ("x = 2.0\ny = x.data", 2, "x.data", "attribute access (x.data)", ".tanh()"),
    ("x = 2.0\ny = x.grad * 2", 2, "x.grad", "attribute access (x.grad)", "after the cell"),
    ("x = 2.0\ny = x.backward()", 2, "x.backward", "attribute access (x.backward)", ""),
    ("x = 2.0\ny = x.__class__", 2, "x.__class__", "names starting with __", ""),
    ("x = 2.0\ny = x.__add__(x)", 2, "x.__add__", "names starting with __", ""),
    ("y = __import__('os')", 1, "__import__", "names starting with __", ""),
    ("__x__ = 2.0", 1, "__x__", "names starting with __", "plain name"),
    ("x = 2.0\ny = __builtins__", 2, "__builtins__", "names starting with __", ""),
    ("import os", 1, "import os", "`import` statements are not part", "nothing can be imported"),
    ("from os import path", 1, "from os import path", "`import` statements", ""),
    ("x = lambda: 1", 1, "lambda: 1", "a lambda is not part", "allowed are numbers"),
    ("x = [v for v in (1, 2)]", 1, "[v for v in (1, 2)]", "a list comprehension", ""),
    ("x = (v for v in (1,))", 1, "(v for v in (1,))", "a generator expression", ""),
    ("x = 2.0\ny = [x][0]", 2, "[x][0]", "indexing (x[...])", ""),
    ("x = 'two'", 1, "'two'", "strings are not part", "write a number"),
    ("x = b'2'", 1, "b'2'", "strings are not part", ""),
    ("x = f'{1}'", 1, "f'{1}'", "an f-string", ""),
    ("x = (y := 2.0)", 1, "y := 2.0", "the walrus operator (:=)", ""),
    ("x = 2.0\nx += y", 2, "y", "unknown name 'y'", ""),
    ("q += 1", 1, "q", "unknown name 'q'", ""),
    ("x = 2.0\nx //= 2", 2, "x //= 2", "the operator // is not part", ""),
    ("x = 2.0\ny = x ^ 2", 2, "x ^ 2", "the operator ^ is not part", "x ** 2"),
    ("x = 2.0\ny = x % 2", 2, "x % 2", "the operator % is not part", ""),
    ("x = 2.0\ny = x @ x", 2, "x @ x", "the operator @ is not part", ""),
    ("x = 2.0\ny = x // 2", 2, "x // 2", "the operator // is not part", "use /"),
    ("x = 2.0\ny = ~x", 2, "~x", "`~` is not part", ""),
    ("x = 2.0\ny = not x", 2, "not x", "`not` is not part", ""),
    ("x = 2.0\ny = x < 1", 2, "x < 1", "a comparison is not part", ""),
    ("x = 2.0\ny = x and x", 2, "x and x", "and/or is not part", ""),
    ("x = 2.0\ny = x if x else x", 2, "x if x else x", "a conditional expression", ""),
    ("x = 2.0\ny = {x}", 2, "{x}", "a set is not part", ""),
    ("x = 2.0\ny = {x: 1}", 2, "{x: 1}", "a dict is not part", ""),
    ("x = (1, 2)", 1, "(1, 2)", "a tuple is not part", ""),
    ("x = True", 1, "True", "True is not a number", "1.0 or 0.0"),
    ("x = None", 1, "None", "None is not a number", ""),
    ("x = ...", 1, "...", "Ellipsis is not a number", ""),
    ("x = 2j", 1, "2j", "complex numbers are not supported", ""),
    ("x = 1e999", 1, "1e999", "too large for a float", "smaller"),
    ("x = " + "9" * 400, 1, "9" * 400, "too large for a float", ""),
    ("a, b = 1.0, 2.0", 1, "a, b", "unpacking several names", "one per line"),
    ("[a, b] = 1.0, 2.0", 1, "[a, b]", "unpacking several names", ""),
    ("a = b = 1.0", 1, "b", "chained assignment", "b = a"),
    ("x = 2.0\nx.data = 3.0", 2, "x.data", "assigning to an attribute", ""),
    ("x = 2.0\nx[0] = 3.0", 2, "x[0]", "assigning to an item", ""),
    ("*a, = 1.0,", 1, "*a,", "unpacking several names", ""),
    ("tanh = 2.0", 1, "tanh", "'tanh' is the name of a function", "tanh_out"),
    ("x = 2.0\ny = tanh", 2, "tanh", "'tanh' is a function: call it", "tanh(x)"),
    ("if True:\n    x = 1.0", 1, "if True:", "`if` statements are not part", "one per line"),
    ("for i in (1,):\n    pass", 1, "for i in (1,):", "`for` statements", ""),
    ("while False:\n    pass", 1, "while False:", "`while` statements", ""),
    ("def f():\n    pass", 1, "def f():", "`def` statements", "relu, tanh"),
    ("class C:\n    pass", 1, "class C:", "`class` statements", ""),
    ("with a:\n    pass", 1, "with a:", "`with` statements", ""),
    ("try:\n    pass\nexcept E:\n    pass", 1, "try:", "`try` statements", ""),
    ("del x", 1, "del x", "`del` statements", ""),
    ("pass", 1, "pass", "`pass` statements", ""),
    ("global x", 1, "global x", "`global` statements", ""),
    ("assert 1", 1, "assert 1", "`assert` statements", ""),
    ("raise E", 1, "raise E", "`raise` statements", ""),
    ("x = 2.0\nx\ny = x * 2", 2, "x", "an expression without '=' is only allowed on the last", ""),
    ("x = 2.0\ncanary()", 2, "canary", "'canary' is not a function", ""),
    ("x = 2.0\nx = 3.0", 2, "x = 3.0", "the input 'x' is already defined on line 1", "once"),
    ("x = 2.0\ny = (x", 2, "(", "not valid syntax: '(' was never closed", "one per line"),
    ("x = 2.0\ny = x +", 2, "", "not valid syntax: invalid syntax", ""),
    ("x = 2.0\n  y = x", 2, "", "not valid syntax: unexpected indent", ""),
    ("x = 2.0\n%time y = x", 2, "%", "not valid syntax", ""),
    ("x = 2.0\ny = x x", 2, "x x", "implicit multiplication", "put * between"),
    ("x = 2.0\ny = x +* x", 2, "*", "not valid syntax: invalid syntax", "one per line"),
]
RANGE_ERRORS = [
    ("x: (3, -3) = 1.0", "(3, -3)", "min (3) must be below its max (-3)", "x: (-3, 3) = 1"),
    ("x: (1, 1) = 1.0", "(1, 1)", "min (1) must be below its max (1)", ""),
    ("x: (-3, 3) = 5.0", "(-3, 3)", "the value 5 of 'x' lies outside its range (-3, 3)", "widen"),
    ("x: (-3, 3, 0) = 1.0", "0", "the step of a range must be positive, found 0", ""),
    ("x: (-3, 3, -0.5) = 1.0", "-0.5", "the step of a range must be positive", ""),
    ("x: (-3, 3, 10) = 1.0", "10", "the step 10 is larger than the range (-3, 3)", ""),
    ("x: (-3,) = 1.0", "(-3,)", "a range has 2 or 3 numbers (min, max[, step]), found 1", ""),
    ("x: (0, 1, 2, 3) = 1.0", "(0, 1, 2, 3)", "a range has 2 or 3 numbers", ""),
    ("x: float = 1.0", "float", "must be its slider range, a tuple of numbers", "x: (min, max)"),
    ("x: [-3, 3] = 1.0", "[-3, 3]", "must be its slider range", ""),
    ("y = 1.0\nx: (-y, 3) = 1.0", "-y", "a range must be made of numbers", ""),
    ("x: (-3, 'a') = 1.0", "'a'", "strings are not part", ""),
    ("x: (-1e308, 1e308) = 1.0", "(-1e308, 1e308)", "the range is too wide", ""),
    ("y = 1.0\nx: (-3, 3) = y * 2", "(-3, 3)", "a range is only for inputs", "x = y * 2"),
    ("x: (-3, 3)", "x: (-3, 3)", "the input 'x' has a range but no value", "x: (-3, 3) = 0.0"),
]


def check_location(
    err: MicrogradError, cell: str, lineno: int, fragment: str, line_offset: int = 0
) -> None:
    """The error is on ``lineno`` and its caret covers ``fragment`` (``before|fragment`` when the
    fragment also occurs earlier on the line)."""
    line = cell.splitlines()[lineno - 1]
    assert err.lineno == lineno + line_offset
    assert err.line == line
    if fragment:
        before, _, fragment = fragment.rpartition("|")
        col = line.index(before + fragment) + len(before)
        assert err.col_offset == col
        assert line[err.col_offset : err.end_col_offset] == fragment
    else:
        assert err.col_offset is not None and 0 <= err.col_offset <= len(line)


@pytest.mark.parametrize(
    ("cell", "lineno", "fragment", "message", "hint"),
    SYNTAX_ERRORS,
    ids=[case[0].replace("\n", "|") for case in SYNTAX_ERRORS],
)
def test_syntax_errors_point_at_the_culprit(
    cell: str, lineno: int, fragment: str, message: str, hint: str
) -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell).run()
    err = info.value
    assert message in err.msg
    assert hint in (err.hint or "")
    check_location(err, cell, lineno, fragment)


@pytest.mark.parametrize(
    ("cell", "fragment", "message", "hint"),
    RANGE_ERRORS,
    ids=[case[0].replace("\n", "|") for case in RANGE_ERRORS],
)
def test_range_errors_point_at_the_annotation(
    cell: str, fragment: str, message: str, hint: str
) -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    err = info.value
    assert message in err.msg
    assert hint in (err.hint or "")
    check_location(err, cell, cell.count("\n") + 1, fragment)


def test_errors_do_not_chain_python_exceptions() -> None:
    # the error never leaks Python's own exception types, and has no chained cause to show
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = (")
    assert isinstance(info.value, ValueError)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@pytest.mark.parametrize("cell", ["", "   ", "\n\n", "# only a comment\n# and another", "\n  \n#"])
def test_an_empty_cell_says_what_a_cell_looks_like(cell: str) -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    assert info.value.msg == "the cell is empty: there is nothing to compute"
    assert "x = 2.0, then y = 3.0, then z = x*y + x**2" in info.value.hint


def test_line_offset_shifts_line_numbers_as_a_notebook_counts_them() -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = 2.0\ny = zz", line_offset=1)
    assert info.value.lineno == 3
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = 2.0\nx = 1.0", line_offset=1)
    assert "already defined on line 2" in info.value.msg
    with pytest.raises(MicrogradDomainError) as info:
        parse("x = 0.0\ny = log(x)", line_offset=1).run()
    assert info.value.lineno == 3


def test_error_report_has_line_caret_and_hint() -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = 2.0\ny = x ^ 2", line_offset=1)
    assert str(info.value) == (
        "line 3, column 5: the operator ^ is not part of the %%micrograd language\n"
        "    y = x ^ 2\n"
        "        ^^^^^\n"
        "hint: for a power write x ** 2 (in Python ^ is bitwise xor)"
    )
    lines = info.value._render_traceback_()
    assert lines[0] == (
        "MicrogradSyntaxError: line 3, column 5: "
        "the operator ^ is not part of the %%micrograd language"
    )
    assert lines[1:] == str(info.value).splitlines()[1:]


def test_caret_counts_characters_not_bytes() -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("αβγ = 2.0\nδ = αβγ * ωω")
    err = info.value
    assert (err.col_offset, err.end_col_offset) == (10, 12)
    assert str(err).splitlines()[2] == "    " + " " * 10 + "^^"


def test_multiline_statement_errors_underline_to_the_end_of_the_first_line() -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = 2.0\ny = [x,\n     x]")
    err = info.value
    assert (err.lineno, err.col_offset, err.end_col_offset) == (2, 4, 7)


DEEP = {
    "unary minus": "-" * 100_000 + "x",
    "a long sum": "x" + " + x" * 100_000,
    "a power tower": "x" + " ** 2" * 20_000,
    "method calls": "x" + ".tanh()" * 20_000,
    "parentheses": "(" * 300 + "x" + ")" * 300,
    "calls": "tanh(" * 3000 + "x" + ")" * 3000,
    "a sum over lines": "(x" + "\n + x" * 100_000 + ")",
}


@pytest.mark.parametrize("formula", DEEP.values(), ids=DEEP.keys())
def test_deeply_nested_cells_are_a_located_error(formula: str) -> None:
    cell = f"x = 1.0\n# the deep one:\n  \ny = {formula}\nz = y * 2"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell, line_offset=1).run()
    err = info.value
    assert "nested too deeply" in err.msg or "too many nested parentheses" in err.msg
    assert err.lineno == 5  # the statement's first line, counted as the notebook does
    assert err.col_offset is not None
    assert err.line == cell.split("\n")[3]
    assert len(str(err)) < 1000  # the report shows a window of the long line


def test_deep_nesting_is_located_whatever_ends_the_lines() -> None:
    cell = "x = 1.0\r# note\ry = " + "-" * 100_000 + "x\rz = y"
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell)
    assert (info.value.lineno, info.value.col_offset) == (3, 0)


def test_a_formula_that_parses_can_be_computed_however_long() -> None:
    # evaluation is iterative: only the reading of a cell has a nesting limit
    c = parse("x = 1.0\ny = x" + " + x" * 700).run()
    assert (c.root.data, c.values["x"].grad) == (701.0, 701.0)


@pytest.mark.parametrize(
    ("cell", "lineno", "col"),
    [
        ("x = 2.0\x00", 1, 7),
        ("\x00x = 2.0", 1, 0),
        ("x = 2.0\ny = x\x00 * 2\nz = y", 2, 5),
        ("x = 2.0\r\ny = x\r\nz = y\x00", 3, 5),
        ("x = 2.0\n# a comment with \x00 in it\nz = x", 2, 17),
    ],
)
def test_null_bytes_are_located_where_they_are(cell: str, lineno: int, col: int) -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse(cell, line_offset=1)
    err = info.value
    assert "null byte" in err.msg
    assert (err.lineno, err.col_offset, err.end_col_offset) == (lineno + 1, col, col + 1)
    shown = str(err).splitlines()
    assert "\x00" not in str(err)  # shown as a visible symbol, the caret under it
    assert shown[2].index("^") == shown[1].index("\u2400")


def test_lone_surrogates_are_located() -> None:
    with pytest.raises(MicrogradSyntaxError) as info:
        parse("x = 2.0\ny = x * 2 # \ud800")
    err = info.value
    assert "lone surrogate (U+D800)" in err.msg
    assert (err.lineno, err.col_offset) == (2, 12)


def test_parse_needs_a_string() -> None:
    with pytest.raises(TypeError, match="a %%micrograd program is a str, not bytes"):
        parse(b"x = 1.0")


# -- domain errors while building ------------------------------------------------------------------
DOMAIN_ERRORS = [
    (
        "x = 2.0\ny = log(x - 2)",
        "log(x - 2)",
        "log: log(0) is undefined (log needs a positive number)",
        "here x - 2 = 0 (inputs: x = 2); keep the argument of log positive",
    ),
    (
        "x = -1.0\ny = x.log()",
        "x.log()",
        "log: log(-1) is undefined",
        "here x = -1 (inputs: x = -1)",
    ),
    (
        "x = 2.0\ny = 3.0\nz = y / (x - 2)",
        "y / (x - 2)",
        "division: 3 / 0 is undefined",
        "here y = 3, x - 2 = 0 (inputs: x = 2, y = 3); keep the divisor away from 0",
    ),
    (
        "x = 0.0\ny = x ** -1",
        "x ** -1",
        "power: 0 ** -1 is undefined (zero to a negative power)",
        "keep the base away from 0",
    ),
    (
        "x = -8.0\ny = x ** (1/3)",
        "x ** (1/3)",
        "negative base to a fractional power",
        "keep the base non-negative, or use a whole-number exponent",
    ),
    (
        "x = 2.0\ny = exp(x * 1000)",
        "exp(x * 1000)",
        "exp: exp(2000) overflows a float",
        "here x * 1000 = 2000 (inputs: x = 2); keep the argument of exp below about 709.78",
    ),
    (
        "x = 2.0\ny = (x * 1e200) ** 2",
        "(x * 1e200) ** 2",
        "overflows a float",
        "use smaller numbers",
    ),
    (
        "x = 2.0\ny = x * 1e300 * 1e300",
        "x * 1e300 * 1e300",
        "x * 1e300 * 1e300 overflows to inf: beyond the float range",
        "here x * 1e300 = 2e+300 (inputs: x = 2); use smaller numbers",
    ),
    (
        "x = 2.0\ny = -x * 1e308 - 1e308",
        "-x * 1e308",
        "-x * 1e308 overflows to -inf",
        "use smaller numbers",
    ),
    ("x = 1/0", "1/0", "division: 1 / 0 is undefined", "keep the divisor away from 0"),
    ("x = 2.0\ny = x * log(0)", "log(0)", "log: log(0) is undefined", "keep the argument of log"),
    ("x = 2.0\ny = x ** (1/0)", "1/0", "division: 1 / 0 is undefined", ""),
    ("x = (-8) ** (1/3)", "(-8) ** (1/3)", "negative base to a fractional power", ""),
    ("x = 10.0 ** 400", "10.0 ** 400", "overflows a float", "use smaller numbers"),
    ("x = 1e300 * 1e300", "1e300 * 1e300", "1e300 * 1e300 overflows to inf", ""),
]


@pytest.mark.parametrize(
    ("cell", "fragment", "message", "hint"),
    DOMAIN_ERRORS,
    ids=[case[0].replace("\n", "|") for case in DOMAIN_ERRORS],
)
def test_domain_errors_name_the_line_and_the_values(
    cell: str, fragment: str, message: str, hint: str
) -> None:
    with pytest.raises(MicrogradDomainError) as info:
        parse(cell).run()
    err = info.value
    assert message in err.msg
    assert hint in err.hint
    check_location(err, cell, cell.count("\n") + 1, fragment)


def test_domain_errors_depend_on_the_input_values() -> None:
    program = parse("x: (-3, 3) = 2.0\ny = log(x)")
    assert program.run().values["x"].grad == 0.5
    with pytest.raises(MicrogradDomainError) as info:
        program.run({"x": -1.0})
    assert "(inputs: x = -1)" in info.value.hint
    assert info.value.lineno == 2


def test_a_gradient_out_of_range_is_never_a_raw_error() -> None:
    # the forward pass is finite (1e300); d/dx x**-1.5 = -1.5e500 is not. The engine may give
    # an infinite gradient (IEEE, like torch) or refuse: through the language, never raw.
    program = parse("x: (0, 1) = 1e-200\ny = x ** -1.5")
    try:
        values = program.build()
    except MicrogradDomainError as err:
        assert "backward() cannot compute the gradients" in err.msg
    else:
        assert values["x"].grad == -math.inf


def test_gradients_may_be_infinite_without_an_error() -> None:
    # d sqrt(x)/dx at 0 is a vertical slope: the data are finite, the gradient is inf
    values = parse("x = 0.0\ny = x ** 0.5").build()
    assert values["x"].grad == math.inf


# -- the cell is never executed --------------------------------------------------------------------
class Canary:
    """A function that records being called; installed where executed code could find it."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> float:
        self.calls += 1
        return 1.0


@contextlib.contextmanager
def watched_builtins() -> Iterator[tuple[Canary, list[str]]]:
    """``canary`` in builtins, plus eval/exec that complain and compile that records its mode."""
    canary = Canary()
    misuse: list[str] = []
    real_compile = builtins.compile

    def compile_ast_only(source: object, filename: str, mode: str, flags: int = 0, **kw: object):
        if not flags & ast.PyCF_ONLY_AST:
            misuse.append(f"compile({source!r}) to code")
        return real_compile(source, filename, mode, flags, **kw)

    def forbidden(name: str) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            misuse.append(f"{name}{args!r}")
            raise AssertionError(f"{name} called")

        return call

    saved = {name: getattr(builtins, name) for name in ("compile", "eval", "exec")}
    builtins.canary = canary  # type: ignore[attr-defined]
    builtins.compile = compile_ast_only
    builtins.eval = forbidden("eval")
    builtins.exec = forbidden("exec")
    try:
        yield canary, misuse
    finally:
        for name, fn in saved.items():
            setattr(builtins, name, fn)
        del builtins.canary  # type: ignore[attr-defined]


NASTY = [
    "x = canary()",
    "canary()",
    "x = canary",
    "x = 2.0\ny = x * canary()",
    "x = __import__('builtins').canary()",
    "x = 2.0\ny = x.__class__.__init__(canary())",
    "x = 2.0\ny = getattr(x, 'data')",
    "x = eval('canary()')",
    "x = exec('canary()')",
    "x = (lambda: canary())()",
    "x = [canary() for _ in (1,)]",
    "x = f'{canary()}'",
    "x = (y := canary())",
    "import builtins",
    "x = 2.0\ny = x if canary() else x",
    "x: canary() = 1.0",
    "x: (canary(), 3) = 1.0",
    "x = 2.0\ny = tanh(canary())",
    "x = 2.0\ny = x.tanh(canary())",
    "x = 2.0\ny = tanh(x, k=canary())",
    "x = 2.0\ny = canary(x).tanh()",
    "x = 2.0\ny = x ** canary()",
    "x = 2.0\ny = x[canary()]",
    "def f(): canary()",
    "x = 2.0\nx += canary()",
    "@canary\ndef f(): pass",
    "x = 2.0\ny = x.__dict__",
    "x = 2.0\ny = tanh.__globals__",
]


@pytest.mark.parametrize("cell", NASTY)
def test_nothing_in_a_cell_is_ever_executed(cell: str) -> None:
    with watched_builtins() as (canary, misuse):
        with pytest.raises(MicrogradSyntaxError):
            parse(cell).run()
        compile("x = 2.0\ny = tanh(x) * 3")
    assert canary.calls == 0
    assert misuse == []


# -- fuzzing ---------------------------------------------------------------------------------------
NAMES = ("x", "y", "w")
NUMBERS = st.sampled_from(["2", "0.5", "3.0", "1e-3", "-1.5", "(1/3)", "7", "0"])
EXPONENTS = st.sampled_from(["2", "3", "-1", "0.5", "2.0", "(1/2)", "0", "-2"])


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    ops = st.sampled_from("+-*/")
    funcs = st.sampled_from(FUNCTIONS)
    return st.one_of(
        st.tuples(children, ops, st.one_of(children, NUMBERS)).map(lambda t: f"({' '.join(t)})"),
        st.tuples(NUMBERS, ops, children).map(lambda t: f"({' '.join(t)})"),
        children.map(lambda c: f"-{c}"),
        st.tuples(children, EXPONENTS).map(lambda t: f"({t[0]}) ** {t[1]}"),
        st.tuples(funcs, children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(children, funcs).map(lambda t: f"({t[0]}).{t[1]}()"),
    )


# formulas that always involve a name, so Python itself evaluates them with Value arithmetic
FORMULAS = st.recursive(st.sampled_from(NAMES), _extend, max_leaves=8)
INPUT_VALUES = st.sampled_from([-2.0, -0.5, 0.0, 0.25, 1.0, 2.5])


def python_reference(
    xs: tuple[float, float, float], formulas: list[str]
) -> tuple[dict[str, Value] | None, Value | None]:
    """The same formulas evaluated by Python with Values (the test's own trusted strings)."""
    env: dict[str, object] = {f: _f(f) for f in FUNCTIONS}
    values = {n: Value(v, label=n) for n, v in zip(NAMES, xs, strict=True)}
    env.update(values)
    try:
        for i, formula in enumerate(formulas):
            name = f"a{i}"
            v = labelled(builtins.eval(formula, {"__builtins__": {}}, env), name)
            env[name] = values[name] = v
        root = values[f"a{len(formulas) - 1}"]
    except (ValueError, ZeroDivisionError, OverflowError):
        return None, None
    if not all(math.isfinite(v.data) for v in Graph.from_value(root).values):
        return None, None
    root.backward()
    return values, root


def cell_text(xs: tuple[float, float, float], formulas: list[str]) -> str:
    lines = [f"x: (-3, 3) = {xs[0]}", f"y = {xs[1]}", f"w = {xs[2]}"]
    lines += [f"a{i} = {formula}" for i, formula in enumerate(formulas)]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(
    xs=st.tuples(INPUT_VALUES, INPUT_VALUES, INPUT_VALUES),
    formulas=st.lists(FORMULAS, min_size=1, max_size=3),
)
def test_fuzz_valid_programs_match_python_with_values(
    xs: tuple[float, float, float], formulas: list[str]
) -> None:
    # later formulas may use earlier ones
    formulas = [f if i == 0 else f"{f} + a{i - 1}" for i, f in enumerate(formulas)]
    expected, root = python_reference(xs, formulas)
    program = parse(cell_text(xs, formulas))
    if expected is None:
        event("a domain error")
        with pytest.raises(MicrogradDomainError):
            program.run()
        return
    event("built")
    c = program.run()
    assert graph_json(c.root) == graph_json(root)
    for name, v in expected.items():
        # repr: nan == nan here (a relu'(0) * inf gradient is nan on both sides)
        assert repr((c.values[name].data, c.values[name].grad)) == repr((v.data, v.grad))


BAD_FRAGMENTS = [
    "canary()",
    "x.__class__",
    "x[0]",
    "'s'",
    "(lambda: 1)",
    "(x if x else y)",
    "(x ^ 2)",
    "x.data",
    "__import__('builtins').canary()",
    "(q := 2)",
    "x ** y",
    "zz",
    "print(x)",
    "f'{x}'",
    "[v for v in (1,)]",
    "(not x)",
    "(x < y)",
    "x.tanh(1)",
    "tanh(x=1)",
    "canary",
    "getattr(x, 'data')",
    "eval('canary()')",
    "(x @ y)",
    "{x}",
    "...",
    "None",
    "True",
    "1j",
    "x.__add__(y)",
    "(yield x)",
    "(*x)",
    "x.",
    "(x",
    "x y",
]


@settings(max_examples=300, deadline=None)
@given(
    formula=FORMULAS,
    bad=st.sampled_from(BAD_FRAGMENTS),
    how=st.sampled_from(["left", "right", "call", "line"]),
    op=st.sampled_from("+-*/"),
)
def test_fuzz_invalid_pieces_are_rejected_at_their_line_and_never_run(
    formula: str, bad: str, how: str, op: str
) -> None:
    if how == "left":
        formula = f"{bad} {op} ({formula})"
    elif how == "right":
        formula = f"({formula}) {op} {bad}"
    elif how == "call":
        formula = f"tanh({formula} {op} {bad})"
    else:
        formula = bad
    cell = f"x = 2.0\ny = 3.0\nw = -1.0\na = {formula}\nb = a * 2"
    with watched_builtins() as (canary, misuse), pytest.raises(MicrogradSyntaxError) as info:
        parse(cell).run()
    assert canary.calls == 0
    assert misuse == []
    assert info.value.lineno == 4
    assert info.value.line == f"a = {formula}"


PYTHONISH = st.text(
    alphabet=st.sampled_from(list("xyzab=+-*/().,:;#_ \n\t0123456789e'\"[]{}^%@!~<>|&\\λ")),
    max_size=60,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=80), PYTHONISH))
def test_fuzz_random_text_only_raises_documented_errors(text: str) -> None:
    with watched_builtins() as (canary, misuse):
        try:
            parse(text).run()
            event("a valid program")
        except MicrogradError as err:
            event(type(err).__name__)
            assert str(err)  # the report itself must not fail
            assert err.lineno is None or err.lineno >= 1
    assert canary.calls == 0
    assert misuse == []


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            FORMULAS.map(lambda f: f"a = {f}"),
            st.sampled_from(BAD_FRAGMENTS).map(lambda b: f"a = {b}"),
            st.sampled_from(["x = 2.0", "y: (-1, 1) = 0.5", "a = x", "a += 1", "# note", ""]),
            INPUT_VALUES.map(lambda v: f"w = {v}"),
        ),
        max_size=6,
    )
)
def test_fuzz_mixed_cells_only_raise_documented_errors(lines: list[str]) -> None:
    with watched_builtins() as (canary, misuse):
        try:
            c = parse("\n".join(lines)).run()
        except MicrogradError as err:
            event(type(err).__name__)
            assert str(err)
        else:
            event("a valid program")
            assert c.root.grad == 1.0
            assert set(c.values) == set(c.program.names)
    assert canary.calls == 0
    assert misuse == []
