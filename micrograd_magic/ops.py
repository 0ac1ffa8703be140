"""The table of ops: everything about an op, declared once, and its arithmetic under IEEE rules.

Each :class:`Op` says how a node of that op reads (on its pill in a picture, in code, as a value
in a formula), its local derivative per operand as a small formula, whether the cell language
can call it, which ``Value`` method makes it, and the torch function the tests compare it with.
The engine, the cell language, the pictures and the explanations read this table; the browser
reads ``js/core/ops-table.js``, which ``scripts/generate_ops.py`` writes from it (a test fails while
the two differ).

The arithmetic stays hand-written: the engine's forward kernels (``engine.py``, which raise
on domain errors), the IEEE kernels at the end of this module (nan and inf instead of errors:
the re-evaluation in ``graph.py`` and the engine's backward pass use them) and their twin in
``js/core/engine.js``. Adding an op means its entry in the table, its two IEEE rules here, its
engine forward kernel and its two rules in ``js/core/engine.js``; nothing else.

Formulas are JSON-able trees over the operands ``"a"`` and ``"b"``, the node's own value
``"out"``, the exponent ``"k"`` of ``**`` and numbers. A branch is a tuple ``(kind, *args)``:

* math: ``("add", x, y)`` x + y, ``("sub", x, y)`` x - y, ``("mul", x, y)`` x times y (a
  centred dot), ``("div", x, y)`` x/y, ``("neg", x)`` -x, ``("pow", x, n)`` x to the power n
  (superscript digits), ``("call", "f", x)`` f(x), ``("if_positive", x, p, q)`` "p if x > 0
  else q";
* code: ``("code_mul", x, y)`` x*y and ``("code_pow", x, n)`` x**n.

Number-only parts are folded (``k - 1`` with k = 3 is 2), and a product with 1, -1 or 0 and a
power of 1 or 0 simplify, so the slope of ``**``, ``k * a**(k-1)``, reads ``2·a`` for k = 2 and
``0`` for k = 0. One small interpreter on each side renders them (``explain.py``,
``js/core/explain.js``); minus signs come out as U+2212 there, written ``-`` in these notes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union

__all__ = [
    "OPS",
    "OP_BY_NAME",
    "Formula",
    "Op",
    "functions",
    "ieee_div",
    "ieee_forward",
    "ieee_local_derivatives",
    "ieee_pow",
    "ieee_share",
    "pow_slope",
    "render_js",
]

#: A formula: an operand name, a number, or ``(kind, *arguments)`` (see the module notes).
Formula = Union[str, float, tuple["Formula", ...]]  # noqa: UP007 - a recursive alias needs Union


@dataclass(frozen=True)
class Op:
    """One op a node can carry: its identity, how it reads, its calculus, where it comes from."""

    #: The op as the graph JSON and ``Value.op`` write it (``""``: a leaf).
    name: str
    #: A small integer for the hot loops of ``js/core/engine.js`` (0 is the leaf).
    code: int
    #: Number of Value operands.
    arity: int
    #: The text on the op's pill in a picture; ``{k}`` stands for the exponent, formatted like
    #: the numbers on the nodes (``explain.format_number``, ``js/core/format.js``).
    picture: str
    #: How the computation reads in code, e.g. ``x*y``, ``x**2``, ``tanh(n)``, ``-x``.
    source: Formula | None
    #: The node's value as mathematics (sigmoid reads as sigma of n): what ``"out"`` reads as in
    #: a derivative formula.
    math: Formula | None
    #: d out / d operand, one formula per operand.
    derivatives: tuple[Formula, ...]
    #: Whether the cell language can call it, as ``f(x)`` and as ``x.f()``.
    function: bool
    #: The ``Value`` method that builds it (None where only an operator does).
    method: str | None
    #: The ``Value`` operator method that builds it, e.g. ``__add__`` or ``__abs__``.
    dunder: str | None
    #: One line on what it computes, used as the method's docstring.
    doc: str
    #: Values of the operand where the op has no derivative; the engine uses the one torch uses
    #: there (relu and abs at 0: 0). A numerical gradient check must stay away from them.
    kinks: tuple[float, ...]
    #: The torch function that computes the same thing (``torch.<name>``), for the tests.
    torch: str | None


def _unary_function(
    name: str, code: int, derivative: Formula, doc: str, math: Formula | None = None, **more: Any
) -> Op:
    """An op the cell language calls as ``f(x)`` and Value has as the method ``x.f()``."""
    return Op(
        name=name,
        code=code,
        arity=1,
        picture=name,
        source=("call", name, "a"),
        math=math if math is not None else ("call", name, "a"),
        derivatives=(derivative,),
        function=True,
        method=name,
        dunder=more.get("dunder"),
        doc=doc,
        kinks=more.get("kinks", ()),
        torch=name,
    )


def _binary(name: str, code: int, picture: str, kind: str, source_kind: str, **more: Any) -> Op:
    return Op(
        name=name,
        code=code,
        arity=2,
        picture=picture,
        source=(source_kind, "a", "b"),
        math=(kind, "a", "b"),
        derivatives=more["derivatives"],
        function=False,
        method=None,
        dunder=more["dunder"],
        doc=more["doc"],
        kinks=(),
        torch=more["torch"],
    )


#: Every op, in code order.
OPS: tuple[Op, ...] = (
    Op(
        name="",
        code=0,
        arity=0,
        picture="",
        source=None,
        math=None,
        derivatives=(),
        function=False,
        method=None,
        dunder=None,
        doc="A leaf: an input, a parameter or a constant.",
        kinks=(),
        torch=None,
    ),
    _binary(
        "+", 1, "+", "add", "add", derivatives=(1, 1), dunder="__add__", doc="x + y", torch="add"
    ),
    _binary(
        "-", 2, "−", "sub", "sub", derivatives=(1, -1), dunder="__sub__", doc="x - y", torch="sub"
    ),
    _binary(
        "*",
        3,
        "×",
        "mul",
        "code_mul",
        derivatives=("b", "a"),
        dunder="__mul__",
        doc="x * y",
        torch="mul",
    ),
    _binary(
        "/",
        4,
        "÷",
        "div",
        "div",
        derivatives=(("div", 1, "b"), ("neg", ("div", "a", ("pow", "b", 2)))),
        dunder="__truediv__",
        doc="x / y; raises ZeroDivisionError for y = 0",
        torch="div",
    ),
    Op(
        name="**",
        code=5,
        arity=1,
        picture="**{k}",
        source=("code_pow", "a", "k"),
        math=("pow", "a", "k"),
        derivatives=(("mul", "k", ("pow", "a", ("sub", "k", 1))),),
        function=False,
        method=None,
        dunder="__pow__",
        doc="x ** k for a constant number k",
        kinks=(),
        torch="pow",
    ),
    Op(
        name="neg",
        code=6,
        arity=1,
        picture="neg",
        source=("neg", "a"),
        math=("neg", "a"),
        derivatives=(-1,),
        function=False,
        method=None,
        dunder="__neg__",
        doc="-x",
        kinks=(),
        torch="neg",
    ),
    _unary_function(
        "relu",
        7,
        ("if_positive", "a", 1, 0),
        "max(0, x); its derivative is 1 where x > 0 and 0 elsewhere (also at 0, as in PyTorch).",
        kinks=(0.0,),
    ),
    _unary_function(
        "tanh",
        8,
        ("sub", 1, ("pow", "out", 2)),
        "The hyperbolic tangent; its derivative is 1 - tanh(x)**2.",
    ),
    _unary_function(
        "exp",
        9,
        ("call", "exp", "a"),
        "e**x; raises OverflowError beyond the float range (x > 709.78).",
    ),
    _unary_function(
        "log", 10, ("div", 1, "a"), "The natural logarithm; raises ValueError for x <= 0."
    ),
    _unary_function(
        "sigmoid",
        11,
        ("mul", "out", ("sub", 1, "out")),
        "1 / (1 + e**-x), computed without overflow; its derivative is s * (1 - s).",
        math=("call", "σ", "a"),
    ),
    _unary_function(
        "sin",
        12,
        ("call", "cos", "a"),
        "The sine (x in radians); its derivative is cos(x). Raises ValueError for infinite x.",
    ),
    _unary_function(
        "cos",
        13,
        ("neg", ("call", "sin", "a")),
        "The cosine (x in radians); its derivative is -sin(x). Raises ValueError for infinite x.",
    ),
    _unary_function(
        "abs",
        14,
        ("call", "sign", "a"),
        "|x|, also as abs(x); its derivative is sign(x): 0 at x = 0, as in PyTorch.",
        dunder="__abs__",
        kinks=(0.0,),
    ),
)

#: Op name -> its entry.
OP_BY_NAME: dict[str, Op] = {op.name: op for op in OPS}


def functions() -> tuple[str, ...]:
    """The names the cell language can call, in table order."""
    return tuple(op.name for op in OPS if op.function)


def _check(ops: tuple[Op, ...]) -> None:
    """The table's own consistency: codes are positions, formulas use only known names."""
    for position, op in enumerate(ops):
        if op.code != position:
            raise AssertionError(f"op {op.name!r}: code {op.code} is not its position {position}")
        if len(op.derivatives) != op.arity:
            raise AssertionError(f"op {op.name!r}: {op.arity} operands, but not as many formulas")
        for formula in (op.source, op.math, *op.derivatives):
            _check_formula(op, formula)


_LEAVES = frozenset({"a", "b", "out", "k"})
_KINDS = {
    "add": 2,
    "sub": 2,
    "mul": 2,
    "div": 2,
    "neg": 1,
    "pow": 2,
    "call": 2,
    "if_positive": 3,
    "code_mul": 2,
    "code_pow": 2,
}


def _check_formula(op: Op, formula: Formula | None) -> None:
    if formula is None or isinstance(formula, (int, float)):
        return
    if isinstance(formula, str):
        if formula not in _LEAVES or (formula == "b" and op.arity < 2):
            raise AssertionError(f"op {op.name!r}: unknown name {formula!r} in a formula")
        return
    kind, *args = formula
    if _KINDS.get(kind) != len(args):
        raise AssertionError(f"op {op.name!r}: malformed formula {formula!r}")
    if kind == "call":
        args = args[1:]
    for arg in args:
        _check_formula(op, arg)


_check(OPS)


# -- the arithmetic under IEEE rules -------------------------------------------------------------
# One rule per op for the re-evaluation with new inputs (graph.py), which must survive a slider
# dragged into log(-1), and for the engine's backward pass, which must never raise either: the
# forward pass already checked its operands, but Graph.update may since have written nan, inf or
# 0 into the Values. js/core/engine.js repeats these rule for rule; tests/vectors/ops.json pins
# them.


def ieee_pow(x: float, k: float) -> float:
    """``x ** k`` over the reals under IEEE rules: nan or ±inf where Python would raise."""
    if x < 0.0 and not k.is_integer():
        return math.nan
    if x == 0.0 and k < 0.0:
        # JS Math.pow(0, -k) and pow(-0, -k) for odd k
        odd = k.is_integer() and int(k) % 2 == 1
        return -math.inf if odd and math.copysign(1.0, x) < 0 else math.inf
    try:
        return x**k
    except OverflowError:
        return -math.inf if x < 0.0 and k.is_integer() and int(k) % 2 == 1 else math.inf


def ieee_div(a: float, b: float) -> float:
    """``a / b`` under IEEE rules: ±inf or nan for b = 0 (by the signs), as JavaScript's ``/``."""
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _ieee_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _ieee_log(x: float) -> float:
    if math.isnan(x) or x < 0.0:
        return math.nan
    if x == 0.0:
        return -math.inf
    return math.log(x)


def _ieee_sigmoid(x: float) -> float:
    if math.isnan(x):
        return math.nan
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = _ieee_exp(x)
    return e / (1.0 + e)


def _ieee_sin(x: float) -> float:
    return math.nan if math.isinf(x) else math.sin(x)


def _ieee_cos(x: float) -> float:
    return math.nan if math.isinf(x) else math.cos(x)


def pow_slope(x: float, k: float) -> float:
    """d(x**k)/dx = k * x**(k-1) under IEEE rules: ±inf where the slope is vertical or beyond
    the float range (``x = 0`` with ``0 < k < 1``, ``1e-300 ** -1``), 0 for k = 0."""
    return 0.0 if k == 0.0 else k * ieee_pow(x, k - 1.0)


def ieee_forward(op: str, args: Sequence[float], k: float | None = None) -> float:
    """One op's result under IEEE rules (nan/inf instead of errors), as in ``js/core/engine.js``."""
    if op == "+":
        return args[0] + args[1]
    if op == "-":
        return args[0] - args[1]
    if op == "*":
        return args[0] * args[1]
    if op == "/":
        return ieee_div(args[0], args[1])
    if op == "**":
        return ieee_pow(args[0], float(k))
    if op == "neg":
        return -args[0]
    if op == "relu":
        x = args[0]
        return x if x > 0.0 or math.isnan(x) else 0.0
    if op == "tanh":
        return math.tanh(args[0])
    if op == "exp":
        return _ieee_exp(args[0])
    if op == "log":
        return _ieee_log(args[0])
    if op == "sigmoid":
        return _ieee_sigmoid(args[0])
    if op == "sin":
        return _ieee_sin(args[0])
    if op == "cos":
        return _ieee_cos(args[0])
    if op == "abs":
        return abs(args[0])
    raise ValueError(f"unknown op {op!r}")


def ieee_local_derivatives(
    op: str, args: Sequence[float], out: float, k: float | None = None
) -> tuple[float, ...]:
    """d out / d arg for each operand of one op, under IEEE rules; mirrors ``js/core/engine.js``."""
    if op == "+":
        return (1.0, 1.0)
    if op == "-":
        return (1.0, -1.0)
    if op == "*":
        return (args[1], args[0])
    if op == "/":
        a, b = args
        # (a/b)/b rather than a/(b*b), which underflows to a division by 0 for |b| < 1e-154
        return (ieee_div(1.0, b), -ieee_div(ieee_div(a, b), b))
    if op == "**":
        return (pow_slope(args[0], float(k)),)
    if op == "neg":
        return (-1.0,)
    if op == "relu":
        return (1.0 if out > 0.0 else 0.0,)
    if op == "tanh":
        return (1.0 - out * out,)
    if op == "exp":
        return (out,)
    if op == "log":
        return (ieee_div(1.0, args[0]),)
    if op == "sigmoid":
        return (out * (1.0 - out),)
    if op == "sin":
        return (_ieee_cos(args[0]),)
    if op == "cos":
        return (-_ieee_sin(args[0]),)
    if op == "abs":
        x = args[0]
        return (1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0,)  # 0 for 0 and nan, as torch
    raise ValueError(f"unknown op {op!r}")


def ieee_share(op: str, which: int, args: Sequence[float], local: float, g: float) -> float:
    """What backprop adds to operand ``which``'s grad from the node's grad ``g``: ``g`` times the
    local derivative, except that division's first operand gets ``g / b``, as
    :meth:`Value.backward` and torch compute it: ``g * (1/b)`` overflows to inf for a subnormal
    ``b`` where ``g / b`` is finite, and differs from it by rounding elsewhere."""
    if op == "/" and which == 0:
        return ieee_div(g, args[1])
    return local * g


# -- the browser's copy ---------------------------------------------------------------------------
_JS_HEADER = """\
// The table of ops, generated from micrograd_magic/ops.py by scripts/generate_ops.py: do not
// edit (tests/test_ops.py fails while this file differs from what that script writes).
// The meaning of each field is documented on micrograd_magic.ops.Op; formulas are JSON arrays.

/**
 * A formula over an op's operands: a number, a name ("a", "b", "out", "k") or [kind, ...args].
 * @typedef {number | string | ReadonlyArray<Formula>} Formula
 */

/**
 * One op (micrograd_magic.ops.Op's fields that the browser needs).
 * @typedef {object} OpEntry
 * @property {string} name as in the graph JSON ("" is the leaf)
 * @property {number} code its index here, the small integer of the engine's hot loops
 * @property {number} arity
 * @property {string} picture the pill's text ("{k}" stands for the exponent)
 * @property {Formula | null} source how it reads in code
 * @property {Formula | null} math how it reads in formulas
 * @property {ReadonlyArray<Formula>} derivatives d out / d operand, one per operand
 * @property {boolean} function whether the cell language calls it as a function
 * @property {ReadonlyArray<number>} kinks operand values where the op has no derivative
 */

/** @type {ReadonlyArray<Readonly<OpEntry>>} */
export const OPS = deepFreeze([
"""

_JS_FOOTER = """\
]);

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
  if (value !== null && typeof value === "object") {
    for (const part of Object.values(value)) deepFreeze(part);
    Object.freeze(value);
  }
  return value;
}
"""

#: The fields the browser needs (the rest concern Python: methods, docstrings, torch).
_JS_FIELDS = (
    "name",
    "code",
    "arity",
    "picture",
    "source",
    "math",
    "derivatives",
    "function",
    "kinks",
)


def render_js() -> str:
    """The exact text of ``js/core/ops-table.js``: one op per line, deterministic."""
    lines = []
    for op in OPS:
        entry = {field: getattr(op, field) for field in _JS_FIELDS}
        lines.append(f"  {json.dumps(entry, ensure_ascii=False, allow_nan=False)},")
    return _JS_HEADER + "\n".join(lines) + "\n" + _JS_FOOTER
