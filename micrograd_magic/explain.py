"""Backprop in words: each node's local derivatives and the chain-rule sum behind its grad.

The widget's details panel and its step-through of backprop show these texts. ``js/core/explain.js``
builds the same ones in the browser (so an exported page explains without a kernel);
``tests/vectors/explain.json``, written from this module, pins the two together: for the same
graph and node both sides give equal strings and equal numbers.

Conventions (identical in ``js/core/explain.js``):

* The output is called by its label, or ``L`` when it has none (or an empty one); other nodes by
  their label (in parentheses where a label like ``x1*w1`` would read ambiguously), or an
  expression of their operands (``x*y``, ``x**2``, ``tanh(n)``, constants as their number),
  shortened with ``…`` below three levels and replaced by ``#id`` if still long.
* Formulas are mathematics (``2·x``, ``1 - tanh(n)²``, ``-x/y²``); names read like the code that
  built the graph (``x*y + x**2``). Numbers read as on the nodes (:func:`format_number` mirrors
  js/core/format.js), except that every minus sign in the texts is U+2212 (written ``-`` in these
  docstrings): read as "minus" by screen readers, and as wide as ``+``.
* A node used twice by one parent (``a*a``) gets one chain-rule term per use.
* Chain-rule terms are listed and summed in the order backprop adds them (last parent first,
  each parent's operands left to right), the order the step-through shows, so the sum equals
  :meth:`Graph.evaluate`'s grad to the last bit.
* Backprop steps: step 1 sets the output's grad to 1, each later step lets one computed node
  (reverse topological order, leaves skipped: they have nothing to pass on) add its
  contributions to its operands. Step 0 is "all grads zero".
* Only nodes the output depends on take part; any other node's grad is 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .graph import Graph, GraphNode, encode_number, ieee_local_derivatives
from .ops import OP_BY_NAME, Formula, ieee_share

__all__ = [
    "ChainRule",
    "ChainTerm",
    "Contribution",
    "Explanation",
    "LocalDerivative",
    "PathToOutput",
    "Step",
    "StepDescription",
    "explain",
    "format_formula_number",
    "format_number",
    "grad_through_nonfinite",
    "grads_after_step",
    "node_name",
    "path_to_output",
    "step_description",
    "step_sequence",
]

#: A tanh or sigmoid whose slope is below this is saturated: the panel names the vanishing
#: gradient.
SATURATED_SLOPE = 1e-3
_SATURATING = frozenset({"tanh", "sigmoid"})

#: How closely a formula's number near ±1 shows its distance from 1 (format_formula_number).
GAP_PRECISION = 0.005

MINUS = "\u2212"  # the typographic minus sign, read as "minus" by screen readers
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# A label holding one of these is treated as a compound expression: parenthesised in formulas.
_LABEL_OPERATORS = frozenset(" +-*/^()=<>,·" + MINUS)
_NAME_DEPTHS = (3, 2, 1)
_NAME_MAX_CHARS = 40

# Precedence of an expression's outermost operation, loosest first; an operand is wrapped in
# parentheses when it binds more loosely than its place requires.
_COND, _ADD, _NEG, _MUL, _POW, _ATOM = range(6)

_Expr = tuple[str, int]
_ONE: _Expr = ("1", _ATOM)


# -- numbers -------------------------------------------------------------------------------------
def format_number(x: float) -> str:
    """A number as the widget shows it on a node: the mirror of js/core/format.js's formatNumber.

    4 significant digits without trailing zeros (``2``, ``-3.142``, ``0.001235``), exponent form
    outside [1e-3, 1e4) after rounding (``1.235e+6``, ``1.2e-5``), ``NaN``, ``∞``, ``-∞``, and never
    ``-0``. Ties round away from zero on the exact binary value, as JavaScript's ``toFixed`` and
    ``toExponential`` do, so both sides agree on every float.
    """
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == 0.0:
        return "0"
    return _significant(x, 4)


def _significant(x: float, digits: int) -> str:
    """A finite non-zero ``x`` to ``digits`` significant digits, as :func:`format_number` writes
    it (the mirror of js/core/format.js's significant)."""
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        mantissa, power = format(Decimal(x), f".{digits - 1}e").split("e")
        e = int(power)
        if e >= 4 or e < -3:
            return f"{_trim_zeros(mantissa)}e{power}"
        return _trim_zeros(format(Decimal(x), f".{digits - 1 - e}f"))


def format_formula_number(x: float) -> str:
    """A number that enters a formula: :func:`format_number`, except that a value close to ±1 (a
    saturated tanh's 0.99999999842) gets the digits that show its distance from 1 to about three
    digits, so that ``1 - 0.99999999842² = 3.157e-9`` reads true where ``1 - 1² = 3.157e-9``
    would read as bad arithmetic. The mirror of js/core/format.js's formatFormulaNumber."""
    text = format_number(x)
    if not math.isfinite(x) or x == 0.0:
        return text
    gap = abs(abs(x) - 1.0)
    digits = 4
    while digits < 17 and abs(abs(float(text)) - abs(x)) > GAP_PRECISION * gap:
        digits += 1
        text = _significant(x, digits)
    return text


def _trim_zeros(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text(x: float) -> str:
    """A number inside an explanation: :func:`format_number` with the typographic minus."""
    return format_number(x).replace("-", MINUS)


def _num(x: float, text: str | None = None) -> _Expr:
    text = _text(x) if text is None else text
    if text.startswith(MINUS):
        return text, _NEG
    return text, _MUL if "e" in text else _ATOM


# -- building expressions ------------------------------------------------------------------------
def _formula_num(x: float) -> _Expr:
    """A number substituted into a formula (:func:`format_formula_number`)."""
    return _num(x, format_formula_number(x).replace("-", MINUS))


def _wrap(e: _Expr, least: int) -> str:
    return e[0] if e[1] >= least else f"({e[0]})"


def _add(a: _Expr, b: _Expr, op: str = "+") -> _Expr:
    return f"{_wrap(a, _ADD)} {op} {_wrap(b, _MUL)}", _ADD


def _neg(a: _Expr) -> _Expr:
    return MINUS + _wrap(a, _MUL), _NEG


def _mul(a: _Expr, b: _Expr, op: str = "·") -> _Expr:
    return f"{_wrap(a, _MUL)}{op}{_wrap(b, _MUL)}", _MUL


def _div(a: _Expr, b: _Expr) -> _Expr:
    return f"{_wrap(a, _MUL)}/{_wrap(b, _POW)}", _MUL


def _power(base: _Expr, n: float) -> _Expr:
    """``base`` to the power n in mathematical notation: superscript for small integers."""
    if n.is_integer() and abs(n) < 100:
        return _wrap(base, _ATOM) + str(int(n)).translate(_SUPERSCRIPT), _POW
    return f"{_wrap(base, _ATOM)}^{_wrap(_num(n), _ATOM)}", _POW


def _call(f: str, a: _Expr) -> _Expr:
    return f"{f}({a[0]})", _ATOM


def _partial(of: _Expr, wrt: _Expr) -> _Expr:
    return f"∂{_wrap(of, _ATOM)}/∂{_wrap(wrt, _ATOM)}", _MUL


# -- the table's formulas -------------------------------------------------------------------------
def _render(formula: Formula, env: dict[str, _Expr], k: float | None) -> _Expr | float:
    """A formula of the op table (see ``ops.py``) as an expression; number-only parts fold.

    ``env`` gives ``a``, ``b`` and ``out`` as expressions (names, or numbers when substituting);
    ``k`` is the exponent of ``**``. A plain float comes back where everything was a number.
    """
    if isinstance(formula, str):
        return float(k) if formula == "k" else env[formula]
    if not isinstance(formula, tuple):
        return float(formula)
    kind, *args = formula
    if kind == "call":
        return _call(args[0], _as_expr(_render(args[1], env, k)))
    if kind == "if_positive":
        test, then, otherwise = (_as_expr(_render(x, env, k)) for x in args)
        return f"{then[0]} if {test[0]} > 0 else {otherwise[0]}", _COND
    values = [_render(x, env, k) for x in args]
    if all(isinstance(v, float) for v in values) and kind in _FOLD:
        return _FOLD[kind](*values)
    if kind == "mul" and isinstance(values[0], float) and values[0] in (0.0, 1.0, -1.0):
        x = values[0]
        return 0.0 if x == 0.0 else values[1] if x == 1.0 else _neg(_as_expr(values[1]))
    if kind == "pow" and isinstance(values[1], float):
        if values[1] == 0.0:
            return 1.0
        return values[0] if values[1] == 1.0 else _power(_as_expr(values[0]), values[1])
    if kind == "code_pow":
        return f"{_wrap(_as_expr(values[0]), _ATOM)}**{_wrap(_num(values[1]), _ATOM)}", _POW
    return _BUILD[kind](*(_as_expr(v) for v in values))


def _as_expr(value: _Expr | float) -> _Expr:
    return _num(value) if isinstance(value, float) else value


_FOLD = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "neg": lambda x: -x,
}
_BUILD = {
    "add": _add,
    "sub": lambda x, y: _add(x, y, MINUS),
    "mul": _mul,
    "code_mul": lambda x, y: _mul(x, y, "*"),
    "div": _div,
    "neg": _neg,
}


def _code(op: str, operands: Sequence[_Expr], k: float | None) -> _Expr:
    """How a node's computation reads in code, e.g. ``x*y`` or ``tanh(n)``."""
    return _as_expr(_render(OP_BY_NAME[op].source, _operands(operands), k))


def _operands(operands: Sequence[_Expr], out: _Expr = _ONE) -> dict[str, _Expr]:
    env = {"out": out, "a": operands[0]}
    if len(operands) > 1:
        env["b"] = operands[1]
    return env


def _local_formula(
    op: str, i: int, operands: Sequence[_Expr], out: _Expr, k: float | None
) -> _Expr:
    """d node / d operand i as a formula over ``operands`` (names or numbers).

    ``out`` stands for the node's own value where the derivative is written with it
    (tanh, sigmoid): its function applied to the name, or its number when substituting.
    """
    return _as_expr(_render(OP_BY_NAME[op].derivatives[i], _operands(operands, out), k))


def _out_name(op: str, operands: Sequence[_Expr], k: float | None) -> _Expr:
    """The node's own value as mathematics over its operands (``tanh(n)``, sigma of n)."""
    return _as_expr(_render(OP_BY_NAME[op].math, _operands(operands), k))


# -- names ---------------------------------------------------------------------------------------
def _given_name(node: GraphNode) -> str | None:
    """The node's label, else its path's short form (``L1.N4.w2``), else None: a leaf without
    either is a constant, and a computed node is then written as its expression."""
    return node.label or node.short or None


def _name_expr(graph: Graph, node_id: int, depth: int) -> _Expr:
    node = graph.nodes[node_id]
    given = _given_name(node)
    if given:
        compound = any(c in _LABEL_OPERATORS for c in given)
        return given, _COND if compound else _ATOM
    if node_id == graph.output:
        return "L", _ATOM
    if not node.args:
        return _num(graph.data[node_id])
    if depth == 0:
        return "…", _ATOM
    operands = [_name_expr(graph, a, depth - 1) for a in node.args]
    return _code(node.op, operands, node.k)


def _name(graph: Graph, node_id: int) -> _Expr:
    if _given_name(graph.nodes[node_id]):
        return _name_expr(graph, node_id, 0)
    for depth in _NAME_DEPTHS:
        e = _name_expr(graph, node_id, depth)
        if len(e[0]) <= _NAME_MAX_CHARS:
            return e
    return f"#{node_id}", _ATOM


def node_name(graph: Graph, node_id: int) -> str:
    """How ``node_id`` is named in formulas: its label or its path's short form (``L1.N4.w2``),
    ``L`` for an unnamed output, else an expression of its operands (``x*y``, ``x**2``,
    ``tanh(n)``, constants as numbers), shortened with ``…`` beyond three levels and replaced by
    ``#id`` when still over 40 characters."""
    _check_node(graph, node_id)
    return _name(graph, node_id)[0]


# -- the graph's shape ---------------------------------------------------------------------------
def _check_node(graph: Graph, node_id: int) -> None:
    if isinstance(node_id, bool) or not isinstance(node_id, int):
        raise TypeError(f"node id must be an int, got {type(node_id).__name__} {node_id!r}")
    if not 0 <= node_id < len(graph.nodes):
        raise ValueError(f"node {node_id} is not in the graph (ids 0..{len(graph.nodes) - 1})")


def _relevant(graph: Graph) -> list[bool]:
    """For each node: does the output depend on it (the output itself included)?"""
    relevant = [False] * len(graph.nodes)
    relevant[graph.output] = True
    for i in range(graph.output, -1, -1):
        if relevant[i]:
            for a in graph.nodes[i].args:
                relevant[a] = True
    return relevant


def _locals_at(graph: Graph, data: Sequence[float], node_id: int) -> tuple[float, ...]:
    node = graph.nodes[node_id]
    return ieee_local_derivatives(node.op, [data[a] for a in node.args], data[node_id], node.k)


# -- explanations --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LocalDerivative:
    """d node / d one operand: formula over names, the same with numbers, value and a line."""

    child: int
    child_name: str
    formula: str
    substituted: str
    value: float
    text: str

    def to_json(self) -> dict[str, Any]:
        """JSON form, keys as in ``js/core/explain.js`` (camelCase, nan/inf as strings)."""
        return {
            "child": self.child,
            "childName": self.child_name,
            "formula": self.formula,
            "substituted": self.substituted,
            "value": encode_number(self.value),
            "text": self.text,
        }


@dataclass(frozen=True)
class ChainTerm:
    """One use of a node by a parent: the parent's grad times that use's local derivative."""

    parent: int
    parent_name: str
    arg: int
    parent_grad: float
    local: float
    local_formula: str
    product: float
    text: str

    def to_json(self) -> dict[str, Any]:
        """JSON form, keys as in ``js/core/explain.js``."""
        return {
            "parent": self.parent,
            "parentName": self.parent_name,
            "arg": self.arg,
            "parentGrad": encode_number(self.parent_grad),
            "local": encode_number(self.local),
            "localFormula": self.local_formula,
            "product": encode_number(self.product),
            "text": self.text,
        }


@dataclass(frozen=True)
class ChainRule:
    """How a node's grad came about.

    ``kind`` is ``"output"`` (1 by definition), ``"sum"`` (the sum of ``terms``) or ``"unused"``
    (the output does not depend on the node: 0).
    """

    kind: str
    terms: tuple[ChainTerm, ...]
    sum: float
    text: str

    def to_json(self) -> dict[str, Any]:
        """JSON form, keys as in ``js/core/explain.js``."""
        return {
            "kind": self.kind,
            "terms": [t.to_json() for t in self.terms],
            "sum": encode_number(self.sum),
            "text": self.text,
        }


@dataclass(frozen=True)
class Explanation:
    """Everything the details panel says about one node."""

    id: int
    name: str
    op: str
    definition: str | None
    is_output: bool
    is_leaf: bool
    is_constant: bool
    affects_output: bool
    data: float
    grad: float
    data_text: str
    grad_text: str
    local_derivatives: tuple[LocalDerivative, ...]
    chain: ChainRule
    note: str | None = None
    warning: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON form: exactly the object ``explainNode`` returns in ``js/core/explain.js``."""
        return {
            "id": self.id,
            "name": self.name,
            "op": self.op,
            "definition": self.definition,
            "isOutput": self.is_output,
            "isLeaf": self.is_leaf,
            "isConstant": self.is_constant,
            "affectsOutput": self.affects_output,
            "data": encode_number(self.data),
            "grad": encode_number(self.grad),
            "dataText": self.data_text,
            "gradText": self.grad_text,
            "localDerivatives": [d.to_json() for d in self.local_derivatives],
            "chain": self.chain.to_json(),
            "note": self.note,
            "warning": self.warning,
        }


def _share(
    graph: Graph, data: Sequence[float], node_id: int, which: int, local: float, g: float
) -> tuple[float, _Expr]:
    """What the node's grad ``g`` adds to operand ``which``'s grad (as backprop computes it) and
    the numbers that say how: ``g·local``, or ``g/b`` where the local derivative 1/b of a
    division overflowed and the share itself did not."""
    node = graph.nodes[node_id]
    args = [data[a] for a in node.args]
    amount = ieee_share(node.op, which, args, local, g)
    if node.op == "/" and which == 0 and math.isinf(local) and args[1] != 0.0:
        return amount, _div(_num(g), _num(args[1]))
    return amount, _mul(_num(g), _num(local))


def _local_derivatives(
    graph: Graph, data: Sequence[float], node_id: int
) -> tuple[LocalDerivative, ...]:
    node = graph.nodes[node_id]
    if not node.args:
        return ()
    me = _name(graph, node_id)
    names = [_name(graph, a) for a in node.args]
    numbers = [_formula_num(data[a]) for a in node.args]
    out_name = _out_name(node.op, names, node.k)
    out_number = _formula_num(data[node_id])
    values = _locals_at(graph, data, node_id)
    result = []
    for i, child in enumerate(node.args):
        formula = _local_formula(node.op, i, names, out_name, node.k)[0]
        substituted = _local_formula(node.op, i, numbers, out_number, node.k)[0]
        value_text = _text(values[i])
        text = f"{_partial(me, names[i])[0]} = {formula}"
        if substituted not in (formula, value_text):
            text += f" = {substituted}"
        if value_text != formula:
            text += f" = {value_text}"
        result.append(LocalDerivative(child, names[i][0], formula, substituted, values[i], text))
    return tuple(result)


def _chain_rule(
    graph: Graph,
    data: Sequence[float],
    grad: Sequence[float],
    node_id: int,
    relevant: Sequence[bool],
) -> ChainRule:
    out, me = _name(graph, graph.output), _name(graph, node_id)
    lhs = _partial(out, me)[0]
    if node_id == graph.output:
        return ChainRule("output", (), 1.0, f"{lhs} = 1 by definition: backprop starts here")
    if not relevant[node_id]:
        text = f"{lhs} = 0: {out[0]} does not depend on {me[0]}"
        return ChainRule("unused", (), 0.0, text)
    terms, symbolic, numeric = [], [], []
    # backprop's order, as the step-through adds them: the last parent first, each parent's
    # operands left to right; the panel lists the terms and sums them in that one order
    for parent in sorted(set(graph.parents()[node_id]), reverse=True):
        if not relevant[parent]:
            continue
        p = graph.nodes[parent]
        parent_name = _name(graph, parent)
        names = [_name(graph, a) for a in p.args]
        values = _locals_at(graph, data, parent)
        for i, a in enumerate(p.args):
            if a != node_id:
                continue
            formula = _local_formula(p.op, i, names, _out_name(p.op, names, p.k), p.k)
            g, d = grad[parent], values[i]
            product, shown = _share(graph, data, parent, i, d, g)
            symbolic.append(_mul(_partial(out, parent_name), formula)[0])
            numeric.append(shown[0])
            text = f"{symbolic[-1]} = {numeric[-1]} = {_text(product)}"
            terms.append(ChainTerm(parent, parent_name[0], i, g, d, formula[0], product, text))
    total = 0.0
    for t in terms:
        total += t.product
    text = f"{lhs} = {' + '.join(symbolic)} = {' + '.join(numeric)} = {_text(total)}"
    return ChainRule("sum", tuple(terms), total, text)


def explain(
    graph: Graph,
    node_id: int,
    data: Sequence[float] | None = None,
    grad: Sequence[float] | None = None,
) -> Explanation:
    """Explain one node: op, data, grad, local derivatives and the chain rule behind its grad.

    ``data``/``grad`` default to the graph's own (pass e.g. :meth:`Graph.evaluate`'s result to
    explain other input values).
    """
    _check_node(graph, node_id)
    data = graph.data if data is None else data
    grad = graph.grad if grad is None else grad
    node = graph.nodes[node_id]
    relevant = _relevant(graph)
    name = _name(graph, node_id)[0]
    definition = None
    if node.args:
        rhs = _code(node.op, [_name(graph, a) for a in node.args], node.k)[0]
        definition = rhs if rhs == name else f"{name} = {rhs}"
    return Explanation(
        id=node_id,
        name=name,
        op=node.op,
        definition=definition,
        is_output=node_id == graph.output,
        is_leaf=not node.args,
        is_constant=not node.args and _given_name(node) is None,
        affects_output=relevant[node_id],
        data=data[node_id],
        grad=grad[node_id],
        data_text=_text(data[node_id]),
        grad_text=_text(grad[node_id]),
        local_derivatives=_local_derivatives(graph, data, node_id),
        chain=_chain_rule(graph, data, grad, node_id, relevant),
        note=_vanishing_note(graph, data, node_id, relevant),
        warning=_nonfinite_warning(graph, data, grad, node_id, relevant),
    )


def _vanishing_note(
    graph: Graph, data: Sequence[float], node_id: int, relevant: Sequence[bool]
) -> str | None:
    """The vanishing gradient, in words, where a saturated tanh or sigmoid is the node itself or
    passes the node its grad: the moment a lecture wants to point at."""
    for c in (node_id, *sorted(set(graph.parents()[node_id]), reverse=True)):
        node = graph.nodes[c]
        if not relevant[c] or node.op not in _SATURATING:
            continue
        (slope,) = _locals_at(graph, data, c)
        if math.isfinite(slope) and abs(slope) < SATURATED_SLOPE:
            me, operand = _name(graph, c), _name(graph, node.args[0])
            return (
                f"Vanishing gradient: {node.op} is saturated here "
                f"({_partial(me, operand)[0]} = {_text(slope)}), so almost no gradient flows "
                f"back through {me[0]}."
            )
    return None


def _nonfinite_sources(
    graph: Graph, data: Sequence[float], grad: Sequence[float], relevant: Sequence[bool]
) -> list[int | None]:
    """For each node, the nearest node with a NaN or infinite data or grad that its grad flowed
    through on the way from the output, or None."""
    users = graph.parents()
    source: list[int | None] = [None] * len(graph.nodes)
    for i in range(len(graph.nodes) - 1, -1, -1):
        if not relevant[i]:
            continue
        for p in sorted(set(users[i]), reverse=True):
            if not relevant[p]:
                continue
            if not (math.isfinite(data[p]) and math.isfinite(grad[p])):
                source[i] = p
                break
            if source[p] is not None:
                source[i] = source[p]
                break
    return source


def grad_through_nonfinite(
    graph: Graph, data: Sequence[float] | None = None, grad: Sequence[float] | None = None
) -> list[bool]:
    """For each node: did its grad flow through a NaN or infinite value? Backprop still gives
    such a node a number (PyTorch does too), which a student would read as a slope; the widget
    marks it (``data-grad-through-nonfinite``). The mirror of js/core/explain.js's
    gradThroughNonfinite."""
    data = graph.data if data is None else data
    grad = graph.grad if grad is None else grad
    return [s is not None for s in _nonfinite_sources(graph, data, grad, _relevant(graph))]


def _nonfinite_warning(
    graph: Graph,
    data: Sequence[float],
    grad: Sequence[float],
    node_id: int,
    relevant: Sequence[bool],
) -> str | None:
    source = _nonfinite_sources(graph, data, grad, relevant)[node_id]
    if source is None:
        return None
    which, value = ("data", data[source])
    if math.isfinite(value):
        which, value = ("grad", grad[source])
    return (
        f"This grad flowed through {_name(graph, source)[0]}, whose {which} is {_text(value)}: "
        "backprop still computes a number (PyTorch does too), but it is no meaningful slope."
    )


# -- step-through backprop -----------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One step of backprop: ``"seed"`` (the output's grad := 1) or ``"propagate"`` (``node``
    adds grad x local derivative to each operand)."""

    kind: str
    node: int

    def to_json(self) -> dict[str, Any]:
        """JSON form, as in ``js/core/explain.js``."""
        return {"kind": self.kind, "node": self.node}


@dataclass(frozen=True)
class Contribution:
    """What one step adds to one node's grad: ``amount`` to ``target`` from ``source``
    (None for the seed), via operand position ``arg``."""

    source: int | None
    target: int
    arg: int | None
    local: float
    amount: float
    text: str

    def to_json(self) -> dict[str, Any]:
        """JSON form (keys ``from``/``to`` as in ``js/core/explain.js``)."""
        return {
            "from": self.source,
            "to": self.target,
            "arg": self.arg,
            "local": encode_number(self.local),
            "amount": encode_number(self.amount),
            "text": self.text,
        }


@dataclass(frozen=True)
class StepDescription:
    """What step ``k`` did (``kind`` ``"start"`` for k = 0, before any step)."""

    k: int
    total: int
    kind: str
    node: int | None
    contributions: tuple[Contribution, ...]
    text: str

    def to_json(self) -> dict[str, Any]:
        """JSON form, as in ``js/core/explain.js``."""
        return {
            "k": self.k,
            "total": self.total,
            "kind": self.kind,
            "node": self.node,
            "contributions": [c.to_json() for c in self.contributions],
            "text": self.text,
        }


def step_sequence(graph: Graph) -> list[Step]:
    """The steps of backprop: seed the output, then each computed node the output depends on,
    in reverse topological order. Leaves are skipped: they have nothing to pass on."""
    relevant = _relevant(graph)
    steps = [Step("seed", graph.output)]
    steps += [
        Step("propagate", i)
        for i in range(graph.output, -1, -1)
        if relevant[i] and graph.nodes[i].args
    ]
    return steps


def _check_step(graph: Graph, k: int) -> int:
    total = len(step_sequence(graph))
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"step must be an int, got {type(k).__name__} {k!r}")
    if not 0 <= k <= total:
        raise ValueError(f"step {k} is outside 0..{total}")
    return total


def grads_after_step(graph: Graph, k: int, data: Sequence[float] | None = None) -> list[float]:
    """Every node's grad after the first ``k`` backprop steps (k = 0: all zero; k = 1: only the
    output's, 1; k = the number of steps: the full backward pass, :meth:`Graph.evaluate`'s)."""
    _check_step(graph, k)
    data = graph.data if data is None else data
    grad = [0.0] * len(graph.nodes)
    for step in step_sequence(graph)[:k]:
        if step.kind == "seed":
            grad[step.node] = 1.0
            continue
        node = graph.nodes[step.node]
        locals_ = _locals_at(graph, data, step.node)
        for i, (a, d) in enumerate(zip(node.args, locals_, strict=True)):
            grad[a] += _share(graph, data, step.node, i, d, grad[step.node])[0]
    return grad


def step_description(graph: Graph, k: int, data: Sequence[float] | None = None) -> StepDescription:
    """What step ``k`` (1-based) adds to which grads; k = 0 describes the start."""
    total = _check_step(graph, k)
    data = graph.data if data is None else data
    out = _name(graph, graph.output)
    if k == 0:
        text = f"Every grad is 0. Backprop starts at the output, {out[0]}."
        return StepDescription(0, total, "start", None, (), text)
    step = step_sequence(graph)[k - 1]
    if step.kind == "seed":
        seed = f"{_partial(out, out)[0]} = 1"
        contributions = (Contribution(None, step.node, None, 1.0, 1.0, seed),)
        text = f"The output gets grad 1: {seed} by definition."
        return StepDescription(k, total, "seed", step.node, contributions, text)
    # a node's grad is complete (and stays so) once its step comes: every parent went before
    g = grads_after_step(graph, k, data)[step.node]
    node = graph.nodes[step.node]
    me = _name(graph, step.node)
    names = [_name(graph, a) for a in node.args]
    added = []
    for i, (a, d) in enumerate(zip(node.args, _locals_at(graph, data, step.node), strict=True)):
        amount, shown = _share(graph, data, step.node, i, d, g)
        formula = _local_formula(node.op, i, names, _out_name(node.op, names, node.k), node.k)
        symbolic = _mul(_partial(out, me), formula)[0]
        numeric = shown[0]
        text = f"{_partial(out, names[i])[0]} += {symbolic} = {numeric} = {_text(amount)}"
        added.append(Contribution(step.node, a, i, d, amount, text))
    text = f"{me[0]} passes its grad ({_text(g)}) back: each operand gets grad · local derivative."
    return StepDescription(k, total, "propagate", step.node, tuple(added), text)


# -- highlighting --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PathToOutput:
    """The nodes and edges (child, parent, operand position) on every path from a node to the
    output; empty when the output does not depend on the node."""

    nodes: tuple[int, ...]
    edges: tuple[tuple[int, int, int], ...]

    def to_json(self) -> dict[str, Any]:
        """JSON form, as ``pathToOutput`` returns it in ``js/core/explain.js``."""
        return {
            "nodes": list(self.nodes),
            "edges": [{"from": c, "to": p, "arg": i} for c, p, i in self.edges],
        }


def path_to_output(graph: Graph, node_id: int) -> PathToOutput:
    """Every node and edge on a path from ``node_id`` up to the output, for highlighting."""
    _check_node(graph, node_id)
    relevant = _relevant(graph)
    if not relevant[node_id]:
        return PathToOutput((), ())
    on_path = [False] * len(graph.nodes)
    on_path[node_id] = True
    edges = []
    for parent in range(node_id + 1, graph.output + 1):
        if not relevant[parent]:
            continue
        for i, a in enumerate(graph.nodes[parent].args):
            if on_path[a]:
                on_path[parent] = True
                edges.append((a, parent, i))
    return PathToOutput(tuple(i for i, p in enumerate(on_path) if p), tuple(edges))
