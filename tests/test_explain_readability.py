"""What the details panel says at the moments a lecture points at (issue 16): numbers in formulas
with enough digits to read true, the vanishing gradient named, grads that flowed through NaN or ∞
flagged, and one order of chain-rule terms for the panel and the step-through. The JS twin is
held to the same answers by tests/vectors/explain.json."""

from __future__ import annotations

import math

from micrograd_magic import Value
from micrograd_magic.explain import (
    explain,
    format_formula_number,
    grad_through_nonfinite,
    step_description,
    step_sequence,
)
from micrograd_magic.graph import Graph


def saturated_neuron() -> Graph:
    """The tour's neuron with x1 dragged to -1.2: n = 10.48, o = tanh(n) = 0.99999999842."""
    x1, w1 = Value(-1.2, label="x1"), Value(-3.0, label="w1")
    n = x1 * w1 + 6.88
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return Graph.from_value(o)


def test_a_saturated_tanh_formula_reads_true() -> None:
    g = saturated_neuron()
    o = g.nodes[g.output]
    (local,) = explain(g, o.id).local_derivatives
    assert local.text == "∂o/∂n = 1 − tanh(n)² = 1 − 0.99999999842² = 3.157e−9"
    # the digits shown give back the slope shown: the formula reads true
    shown = float(local.substituted.split("−")[1].strip().rstrip("²"))
    assert math.isclose(1 - shown**2, local.value, rel_tol=0.02)


def test_formula_numbers_near_one_show_their_distance_from_one() -> None:
    for x in (math.tanh(5.0), math.tanh(10.48), -math.tanh(12.0), 1 / (1 + math.exp(-20.0))):
        text = format_formula_number(x)
        assert abs(float(text)) != 1.0, text
        gap, shown_gap = 1 - abs(x), 1 - abs(float(text))
        assert math.isclose(shown_gap, gap, rel_tol=0.01), (x, text)
    # exactly ±1, far from 1, and non-finite numbers read as on the nodes
    for x, text in ((1.0, "1"), (-1.0, "-1"), (0.5, "0.5"), (2.0, "2"), (math.inf, "∞")):
        assert format_formula_number(x) == text
    assert format_formula_number(math.tanh(30.0)) == "1"  # tanh(30) is 1.0 in floats: 1 - 1² = 0


def test_exp_near_overflow_reads_true() -> None:
    x = Value(709.0, label="x")
    y = x.exp()
    y.label = "y"
    y.backward()
    g = Graph.from_value(y)
    (local,) = explain(g, 1).local_derivatives
    assert local.text.endswith(f"= {format_formula_number(math.exp(709.0))}")
    data, grad = g.evaluate({0: 710.0})  # past the largest float: ∞, and said so
    (local,) = explain(g, 1, data, grad).local_derivatives
    assert local.text.endswith("= ∞")


def test_the_vanishing_gradient_is_named_where_it_happens() -> None:
    g = saturated_neuron()
    by_label = {n.label: n.id for n in g.nodes if n.label}
    for label in ("o", "n"):  # the tanh itself, and the node it passes its grad to
        note = explain(g, by_label[label]).note
        assert note is not None and note.startswith("Vanishing gradient: tanh is saturated")
    assert explain(g, by_label["x1"]).note is None
    data, grad = g.evaluate({by_label["x1"]: 2.0})  # n = 0.88: tanh is not saturated
    assert all(explain(g, i, data, grad).note is None for i in range(len(g.nodes)))


def test_a_grad_through_nan_is_flagged_and_explained() -> None:
    x = Value(2.0, label="x")
    y = x.log()
    y.label = "y"
    y.backward()
    g = Graph.from_value(y)
    assert grad_through_nonfinite(g) == [False, False]
    data, grad = g.evaluate({0: -0.5})
    assert math.isnan(data[1]) and grad[0] == -2.0  # what PyTorch computes too
    assert grad_through_nonfinite(g, data, grad) == [True, False]
    warning = explain(g, 0, data, grad).warning
    assert warning is not None and "flowed through y, whose data is NaN" in warning
    assert explain(g, 1, data, grad).warning is None  # y's own NaN is shown as NaN
    assert explain(g, 0).warning is None


def test_the_panel_lists_terms_in_the_order_the_step_through_adds_them() -> None:
    a = Value(-3.0, label="a")
    c = a * a + a
    c.label = "c"
    z = c * a
    z.label = "z"
    g = Graph.from_value(z)
    g.update()
    added: list[tuple[int | None, int | None]] = []
    for k in range(1, len(step_sequence(g)) + 1):
        added += [(c.source, c.arg) for c in step_description(g, k).contributions if c.target == 0]
    terms = explain(g, 0).chain.terms
    assert [(t.parent, t.arg) for t in terms] == added
    assert len(added) == 4
