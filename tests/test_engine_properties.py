"""Property-based checks: random expression DAGs with node reuse over every op.

Each DAG is a small program: a few inputs, then steps that apply an op to earlier nodes (any
earlier node, so reuse is common). The same program runs on our engine and on torch float64.
"""

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from torch_reference import needs_torch, torch

from micrograd_magic import Value
from micrograd_magic.ops import OP_BY_NAME, OPS

BINARY = ["+", "-", "*", "/"]
METHODS = [op.name for op in OPS if op.method is not None]  # relu tanh exp ... from the table
UNARY = ["neg", *METHODS, "**2", "**3", "**-1", "**0.5", "**-1.5"]
#: Ops that have no derivative somewhere (relu and abs at 0): finite differences skip them.
KINKED = {op.name for op in OPS if op.kinks}
DOMAIN_ERRORS = (ValueError, ZeroDivisionError, OverflowError)
BINARY_OPERATORS = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
}


@st.composite
def programs(draw):
    n_inputs = draw(st.integers(1, 4))
    inputs = draw(
        st.lists(
            st.floats(-3, 3, allow_nan=False).filter(lambda x: abs(x) > 1e-3),
            min_size=n_inputs,
            max_size=n_inputs,
        )
    )
    steps = []
    for i in range(draw(st.integers(1, 14))):
        available = n_inputs + i
        op = draw(st.sampled_from(BINARY + UNARY))
        a = draw(st.integers(0, available - 1))
        b = draw(st.integers(0, available - 1))
        steps.append((op, a, b))
    return inputs, steps


def replay(nodes, steps, unary):
    """Apply ``steps`` to ``nodes`` (Values or torch tensors, the same operators serve both);
    ``unary(op, x)`` computes the named functions. Returns every node, inputs first."""
    for op, a, b in steps:
        x, y = nodes[a], nodes[b]
        if op in BINARY:
            out = BINARY_OPERATORS[op](x, y)
        elif op.startswith("**"):
            out = x ** float(op[2:])
        elif op == "neg":
            out = -x
        else:
            out = unary(op, x)
        nodes.append(out)
    return nodes


def run_engine(inputs, steps):
    nodes = replay(
        [Value(x) for x in inputs], steps, lambda op, x: getattr(x, OP_BY_NAME[op].method)()
    )
    if not all(abs(n.data) < 1e6 for n in nodes):
        raise OverflowError("keep magnitudes where float64 comparisons stay meaningful")
    return nodes


def run_torch(inputs, steps):
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    nodes = replay(list(leaves), steps, lambda op, x: getattr(torch, OP_BY_NAME[op].torch)(x))
    nodes[-1].backward()
    return nodes, leaves


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


@needs_torch
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs())
def test_random_dags_match_torch(program):
    inputs, steps = program
    try:
        nodes = run_engine(inputs, steps)
    except DOMAIN_ERRORS:
        assume(False)
    # relu's and abs's kinks: both sides pick slope 0 at exactly 0, but an operand near it makes
    # grads fragile; and where relu's output is 0, torch masks the grad (0 even for an infinite
    # one) where we multiply (0 * inf is nan)
    assume(all(abs(n.data) > 1e-9 or n.op not in KINKED for n in nodes))
    nodes[-1].backward()
    tnodes, tleaves = run_torch(inputs, steps)
    for ours, theirs in zip(nodes, tnodes, strict=True):
        assert close(ours.data, theirs.item()), (ours, theirs)
    for ours, theirs in zip(nodes[: len(inputs)], tleaves, strict=True):
        expected = 0.0 if theirs.grad is None else theirs.grad.item()
        assume(math.isfinite(expected))
        assert close(ours.grad, expected), (ours.grad, expected)


def smooth_programs():
    """Programs without relu or abs, whose kinks make finite differences meaningless."""
    return programs().filter(lambda p: all(op not in KINKED for op, _, _ in p[1]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(smooth_programs())
def test_random_dags_match_finite_differences(program):
    inputs, steps = program
    try:
        nodes = run_engine(inputs, steps)
    except DOMAIN_ERRORS:
        assume(False)
    nodes[-1].backward()
    for i, x in enumerate(inputs):
        h = 1e-6 * max(1.0, abs(x))
        try:
            up = run_engine([*inputs[:i], x + h, *inputs[i + 1 :]], steps)[-1].data
            down = run_engine([*inputs[:i], x - h, *inputs[i + 1 :]], steps)[-1].data
        except DOMAIN_ERRORS:
            assume(False)
        numeric = (up - down) / (2 * h)
        analytic = nodes[i].grad
        assume(abs(analytic) < 1e4)  # steep spots amplify the difference quotient's error
        assert analytic == pytest.approx(numeric, rel=1e-4, abs=1e-5)
