"""The numerical gradient check: central finite differences beside autograd's grads.

The check every backprop lecture does by hand: nudge one node by ``h`` each way, re-run the
forward pass from that node to the output, and compare ``(f(v+h) - f(v-h)) / 2h`` with the grad
that backprop found. :func:`gradcheck` does it for every node of a Value's graph and prints a
table; :func:`check_node` is one node, the twin of ``js/core/numeric.js`` (the widget's panel),
and ``tests/vectors/gradcheck.json`` pins the two to each other.

A finite difference is only an estimate, so each check also says when it cannot be trusted
instead of raising a false alarm: where a relu or abs between the node and the output sits on
its kink within ``[v-h, v+h]`` (the function has no derivative there), and where the estimate's
own error is as large as the disagreement: numbers that are not finite nearby, rounding (the
largest number the re-run goes through, times eps, over h), or a function that curves or
oscillates too much at this ``h`` (the estimate at ``2h`` differs from the one at ``h``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TextIO

from .engine import Value
from .explain import format_number
from .graph import Graph
from .ops import OPS, ieee_forward

__all__ = ["RTOL", "NumericCheck", "check_node", "check_nodes", "gradcheck", "step_size"]

#: Estimate and grad agree when they differ by at most this, relative to the larger of the two.
RTOL = 1e-6

_EPS = sys.float_info.epsilon

#: Op name -> the operand values where it has no derivative (relu and abs at 0).
_KINKS = {op.name: op.kinks for op in OPS if op.kinks}

Status = Literal["agree", "disagree", "kink", "unreliable"]


@dataclass(frozen=True)
class NumericCheck:
    """The finite-difference check of one node: estimate, autograd grad, and the verdict."""

    id: int
    value: float
    h: float
    estimate: float
    grad: float
    #: ``|estimate - grad| / max(|grad|, 1e-12)``
    relerr: float
    status: Status
    #: One sentence for the reader: why a status other than agree or disagree.
    note: str


def step_size(value: float) -> float:
    """The h for a node holding ``value``: 1e-5 of its size (at least 1e-5).

    The central difference's error is about h**2 |f'''| / 6 from the curve plus eps |f| / h from
    rounding; an h near the cube root of eps, scaled to the number, keeps both near 1e-10 for a
    smooth, well-scaled function.
    """
    return 1e-5 * max(1.0, abs(value))


def check_node(
    graph: Graph, data: Sequence[float], grad: Sequence[float], node: int
) -> NumericCheck:
    """Check node ``node``'s grad against a central difference of the output at ``data``.

    ``data`` and ``grad`` are every node's value and grad (a forward and backward pass of
    ``graph``); the forward pass is re-run from ``node`` on, with IEEE rules as the widget does.
    """
    nodes, output = graph.nodes, graph.output
    v, g = float(data[node]), float(grad[node])
    h = step_size(v)

    size = [abs(v)]  # the largest number the re-runs go through: their rounding's scale

    def run(x: float) -> list[float]:
        buf = list(data)
        buf[node] = x
        for i in range(node + 1, output + 1):
            n = nodes[i]
            if n.args:
                buf[i] = ieee_forward(n.op, [buf[a] for a in n.args], n.k)
                size[0] = max(size[0], abs(buf[i]))
        return buf

    minus, plus = run(v - h), run(v + h)
    f_minus, f_plus = minus[output], plus[output]
    f_minus2, f_plus2 = run(v - 2 * h)[output], run(v + 2 * h)[output]
    estimate = (f_plus - f_minus) / (2 * h)
    estimate2 = (f_plus2 - f_minus2) / (4 * h)
    diff = abs(estimate - g)
    relerr = diff / max(abs(g), 1e-12)

    def result(status: Status, note: str = "") -> NumericCheck:
        return NumericCheck(node, v, h, estimate, g, relerr, status, note)

    if not all(math.isfinite(x) for x in (v, g, f_minus, f_plus, f_minus2, f_plus2, estimate)):
        return result("unreliable", "the numbers are not finite near this point")
    for i in range(node + 1, output + 1):
        n = nodes[i]
        kinks = _KINKS.get(n.op)
        if not kinks:
            continue
        lo, hi = sorted((minus[n.args[0]], plus[n.args[0]]))
        if lo != hi and any(lo <= c <= hi for c in kinks):
            return result("kink", f"not differentiable here: {n.op} meets its kink within v ± h")
    if diff <= RTOL * max(abs(g), abs(estimate)):
        return result("agree")
    rounding = 8 * _EPS * size[0] / h
    curve = abs(estimate2 - estimate) / 3
    if diff <= 10 * (rounding + curve) or curve > 1e-3 * max(abs(estimate), abs(estimate2)):
        return result("unreliable", "the estimate's own error is as large as the difference")
    return result("disagree")


def check_nodes(graph: Graph) -> list[NumericCheck]:
    """Every node of ``graph`` checked, at its leaves' values, against a fresh backward pass."""
    data, grad = graph.evaluate()
    return [check_node(graph, data, grad, i) for i in range(len(graph.nodes))]


def gradcheck(value: Value, *, file: TextIO | None = None) -> bool:
    """Check every grad of ``value``'s graph numerically, print a table; True if none disagree.

    Like ``torch.autograd.gradcheck``, but per node and with the reasons: the grads compared are
    a fresh backward pass (so grads accumulated by earlier ``backward()`` calls do not matter),
    and nodes at a kink or with an unreliable estimate are listed but do not count as failures.
    """
    if not isinstance(value, Value):
        raise TypeError(f"gradcheck needs a Value, got {type(value).__name__}")
    graph = Graph.from_value(value)
    checks = check_nodes(graph)
    header = ("node", "data", "grad", "estimate", "h", "rel. error", "check")
    rows = [header]
    for c in checks:
        n = graph.nodes[c.id]
        name = n.label or (f"#{c.id} {n.op}" if n.op else f"#{c.id}")
        verdict = c.status + (f" ({c.note})" if c.note else "")
        rows.append(
            (
                name,
                format_number(c.value),
                format_number(c.grad),
                format_number(c.estimate),
                f"{c.h:.0e}",
                f"{c.relerr:.1e}",
                verdict,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    out = file if file is not None else sys.stdout
    for r in rows:
        cells = [r[i].ljust(widths[i]) for i in range(len(widths))]
        print("  ".join([*cells, r[-1]]).rstrip(), file=out)
    failed = sum(c.status == "disagree" for c in checks)
    print(f"{len(checks) - failed} of {len(checks)} nodes agree or cannot be judged", file=out)
    return failed == 0
