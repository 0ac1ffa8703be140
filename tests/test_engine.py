"""The engine against PyTorch (float64) and against its own finite differences."""

import copy
import gc
import math
import pickle
import sys

import pytest
from gc_passes import passes_while
from torch_reference import needs_torch, torch

from micrograd_magic import Value, collector_paused
from micrograd_magic.engine import topological_order, weighted_sum
from micrograd_magic.graph import Graph
from micrograd_magic.ops import OPS


@needs_torch
def test_sanity_check_matches_torch():
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()

    xt = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    zt = 2 * xt + 2 + xt
    qt = zt.relu() + zt * xt
    ht = (zt * zt).relu()
    yt = ht + qt + qt * xt
    yt.backward()

    assert y.data == pytest.approx(yt.item(), rel=1e-12)
    assert x.grad == pytest.approx(xt.grad.item(), rel=1e-12)


@needs_torch
def test_more_ops_match_torch():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()

    at = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ct = at + bt
    dt = at * bt + bt**3
    ct = ct + ct + 1
    ct = ct + 1 + ct + (-at)
    dt = dt + dt * 2 + (bt + at).relu()
    dt = dt + 3 * dt + (bt - at).relu()
    et = ct - dt
    ft = et**2
    gt = ft / 2.0
    gt = gt + 10.0 / ft
    gt.backward()

    assert g.data == pytest.approx(gt.item(), rel=1e-12)
    assert a.grad == pytest.approx(at.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(bt.grad.item(), rel=1e-12)


METHOD_OPS = [op for op in OPS if op.method is not None]


@needs_torch
@pytest.mark.parametrize("op", METHOD_OPS, ids=lambda op: op.name)
@pytest.mark.parametrize("x", [-2.0, -1.3, -0.0, 0.0, 0.4, 0.7, 2.5, 30.0])
def test_unary_ops_match_torch(op, x):
    """Every method of the op table, at the kinks (0) too, against torch float64."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tout = getattr(torch, op.torch)(t) * 3.0
    try:
        v = Value(x)
        out = getattr(v, op.method)() * 3.0
    except (ValueError, ZeroDivisionError, OverflowError):
        assert not math.isfinite(tout.item())  # we raise only where torch has no number
        return
    out.backward()
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12)
    assert v.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-300)


@needs_torch
def test_sin_cos_abs_on_value_and_through_abs_match_torch():
    x = Value(-0.8)
    y = abs(x.sin() * x.cos()) + x.abs() * 2.0
    assert y.op == "+" and y.children[0].op == "abs"
    y.backward()
    xt = torch.tensor(-0.8, dtype=torch.float64, requires_grad=True)
    yt = torch.abs(torch.sin(xt) * torch.cos(xt)) + torch.abs(xt) * 2.0
    yt.backward()
    assert y.data == pytest.approx(yt.item(), rel=1e-15)
    assert x.grad == pytest.approx(xt.grad.item(), rel=1e-15)


@needs_torch
def test_abs_slope_at_zero_is_zero_as_in_torch():
    for zero in (0.0, -0.0):
        x = Value(zero)
        abs(x).backward()
        xt = torch.tensor(zero, dtype=torch.float64, requires_grad=True)
        torch.abs(xt).backward()
        assert x.grad == xt.grad.item() == 0.0


@needs_torch
@pytest.mark.parametrize("k", [2, 3, -1, 0.5, -2.5, 0])
def test_power_matches_torch(k):
    v = Value(1.7)
    out = v**k
    out.backward()
    t = torch.tensor(1.7, dtype=torch.float64, requires_grad=True)
    tout = t**k
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12)
    assert v.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15)


def test_numbers_on_either_side():
    x = Value(4.0)
    for expr, expected, dx in [
        (lambda: 2 - x, -2.0, -1.0),
        (lambda: 2 / x, 0.5, -2 / 16),
        (lambda: 3 + x, 7.0, 1.0),
        (lambda: 3 * x, 12.0, 3.0),
        (lambda: x - 1.5, 2.5, 1.0),
        (lambda: x / 2, 2.0, 0.5),
        (lambda: -x, -4.0, -1.0),
        (lambda: +x, 4.0, 1.0),
    ]:
        x.grad = 0.0
        out = expr()
        out.backward()
        assert out.data == expected
        assert x.grad == dx


def test_reused_node_gets_every_contribution():
    a = Value(3.0)
    b = a * a  # both edges kept: db/da = 2a
    assert b.children == (a, a)
    b.backward()
    assert a.grad == 6.0


def test_children_are_ordered_and_ops_recorded():
    x, y = Value(1.0), Value(2.0)
    z = y - x
    assert z.children == (y, x)
    assert z.op == "-"
    p = x**3
    assert (p.op, p.exponent, p.children) == ("**", 3.0, (x,))
    assert x.op == "" and x.children == () and x.exponent is None
    assert z._prev == z.children  # micrograd's attribute name still reads the children


@needs_torch
def test_backward_twice_accumulates_into_leaves_like_torch():
    x = Value(2.0)
    y = (x * 3.0) * x
    y.backward()
    y.backward()
    xt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    yt = (xt * 3.0) * xt
    yt.backward(retain_graph=True)
    yt.backward()
    assert x.grad == pytest.approx(xt.grad.item())  # 24: two passes of 12
    assert x.grad == 24.0


def test_intermediate_grads_are_not_double_counted_on_a_second_pass():
    x = Value(1.0)
    a = x * 2.0
    z = a * 3.0
    z.backward()
    z.backward()
    assert a.grad == 3.0  # this pass's gradient, not 6
    assert x.grad == 12.0  # leaves accumulate: 6 + 6


@needs_torch
def test_division_by_a_tiny_number_differentiates():
    a, b = Value(1.0), Value(1e-170)
    out = a / b
    out.backward()
    at = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(1e-170, dtype=torch.float64, requires_grad=True)
    (at / bt).backward()
    assert a.grad == pytest.approx(at.grad.item(), rel=1e-12)
    assert b.grad == bt.grad.item()  # -inf on both sides: 1e340 is beyond the float range


def test_backward_of_a_leaf_is_one():
    x = Value(5.0)
    x.backward()
    assert x.grad == 1.0


def test_repr():
    x = Value(2.0)
    y = Value(3.0)
    z = x * y + x**2
    z.backward()
    assert repr(z) == "Value(data=10.0, grad=1.0)"
    assert repr(Value(1.5, label="w")) == "Value(label='w', data=1.5, grad=0.0)"


def test_ints_become_floats():
    assert Value(3).data.__class__ is float
    assert (Value(1.0) + 2).data == 3.0


def test_million_link_chain_at_default_recursion_limit():
    assert sys.getrecursionlimit() <= 10_000
    x = Value(1.0)
    v = x
    for i in range(1_000_000):
        v = v + 1.0 if i % 2 else v * 1.0
    v.backward()
    assert x.grad == 1.0
    assert v.data == 500_001.0
    assert len(topological_order(v)) == 2_000_001  # every link and its constant


def test_collector_paused_restores_on_error():
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_collector_paused_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        with collector_paused(), collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_pass_counter_sees_the_passes_that_allocations_start():
    passes, _ = passes_while(lambda: [[] for _ in range(30_000)])  # 30,000 containers
    assert passes  # so an empty count below means no pass, not a counter that cannot see one


def test_building_a_graph_starts_no_collector_pass():
    def build():
        v = Value(0.0)
        for i in range(30_000):  # 210,000 nodes: without the pause, hundreds of passes
            v = (v * 0.5 + Value(float(i))).tanh() - i / (i + 1.0)
        return v

    passes, v = passes_while(build)
    assert passes == []
    assert gc.isenabled()
    passes, _ = passes_while(v.backward)
    assert passes == []
    assert gc.isenabled()


def test_building_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        v = Value(1.0) * 2.0 + Value(3.0)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert v.data == 5.0


def test_values_copy_and_pickle():
    x = Value(2.0, label="x")
    x.grad = 0.25
    for twin in (copy.copy(x), copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert (twin.data, twin.grad, twin.label) == (2.0, 0.25, "x")
        assert twin is not x
    y = copy.deepcopy(x * 3.0 + 1.0)
    assert [v.op for v in topological_order(y)] == ["", "", "*", "", "+"]
    y.backward()
    assert y.children[0].children[0].grad == 0.25 + 3.0  # the copied grad, accumulated
    assert x.grad == 0.25  # the copy's leaves are its own


def test_weighted_sum_builds_what_the_operators_build():
    ws = [Value(0.5), Value(-2.0), Value(3.0)]
    xs = [Value(1.5), 4, -0.25]
    b = Value(0.1)
    expected = b
    for w, x in zip(ws, xs, strict=True):
        expected = expected + w * x
    got = weighted_sum(b, ws, xs)
    shape = [(v.op, v.data, v.exponent) for v in topological_order(expected)]
    assert [(v.op, v.data, v.exponent) for v in topological_order(got)] == shape
    got.backward()
    assert [w.grad for w in ws] == [1.5, 4.0, -0.25]
    assert b.grad == 1.0
    assert weighted_sum(b, [], []) is b
    with pytest.raises(TypeError, match="str"):
        weighted_sum(b, ws[:1], ["x"])
    with pytest.raises(ValueError, match="shorter"):
        weighted_sum(b, ws, xs[:2])
    assert gc.isenabled()


def test_topological_order_is_children_first_and_deterministic():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    order = topological_order(z)
    position = {v: i for i, v in enumerate(order)}
    for v in order:
        for c in v.children:
            assert position[c] < position[v]
    assert [v.label for v in order[:2]] == ["x", "y"]
    assert order[-1] is z
    assert topological_order(z) == order


# -- bad input --------------------------------------------------------------------------------


def test_non_number_data_is_a_type_error_naming_the_type():
    with pytest.raises(TypeError, match="str"):
        Value("abc")
    with pytest.raises(TypeError, match="list"):
        Value([1.0])


def test_combining_with_a_non_number_is_a_type_error():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "2"
    with pytest.raises(TypeError, match="NoneType"):
        None * Value(1.0)


def test_value_exponent_is_rejected():
    with pytest.raises(TypeError, match="exponents must be numbers"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match="exponents must be numbers"):
        2.0 ** Value(3.0)
    with pytest.raises(TypeError, match="exponent must be a real number"):
        Value(2.0) ** "3"


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: Value(0.0).log(), ValueError, r"log: log\(0\)"),
        (lambda: Value(-2.0).log(), ValueError, r"log\(-2\)"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, r"power: 0 \*\* -1"),
        (lambda: Value(3.0) / 0, ZeroDivisionError, r"division: 3 / 0"),
        (lambda: 1.0 / Value(0.0), ZeroDivisionError, r"division: 1 / 0"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, r"-8 \*\* 0.333333.*fractional"),
        (lambda: Value(1000.0).exp(), OverflowError, r"exp\(1000\)"),
        (lambda: Value(1e200) ** 2, OverflowError, r"power: 1e\+200 \*\* 2"),
        (lambda: Value(math.inf).sin(), ValueError, r"sin: sin\(inf\) is undefined"),
        (lambda: Value(-math.inf).cos(), ValueError, r"cos: cos\(-inf\) is undefined"),
    ],
)
def test_domain_errors_name_the_operation_and_value(build, error, message):
    with pytest.raises(error, match=message):
        build()


@needs_torch
def test_torch_returns_nan_or_inf_where_we_raise():
    """Documents the difference the README explains: torch gives a value, we give an error."""
    t = torch.tensor
    assert math.isinf(torch.log(t(0.0, dtype=torch.float64)).item())
    assert math.isnan(torch.pow(t(-8.0, dtype=torch.float64), 1 / 3).item())
    assert math.isinf((t(3.0, dtype=torch.float64) / 0).item())
    assert math.isinf(torch.exp(t(1000.0, dtype=torch.float64)).item())


def test_sigmoid_is_stable_at_extremes():
    assert Value(-800.0).sigmoid().data == 0.0
    assert Value(800.0).sigmoid().data == 1.0


def test_pow_slope_at_zero_is_vertical_not_an_error():
    x = Value(0.0)
    y = x**0.5
    y.backward()
    assert x.grad == math.inf


@needs_torch
def test_torch_agrees_the_pow_slope_at_zero_is_inf():
    xt = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    (xt**0.5).backward()
    assert xt.grad.item() == math.inf


def test_constructor_rejects_inconsistent_children():
    with pytest.raises(TypeError, match="at most two Values"):
        Value(1.0, (1.0,), "neg")
    with pytest.raises(ValueError, match="does not take"):
        Value(1.0, (Value(1.0),), "+")
    with pytest.raises(ValueError, match="needs its exponent"):
        Value(1.0, (Value(1.0),), "**")
    with pytest.raises(ValueError, match="needs its exponent"):
        Value(1.0, (Value(1.0), Value(2.0)), "**")


# -- backward never raises: IEEE slopes, as torch ---------------------------------------------
@needs_torch
@pytest.mark.parametrize(
    ("x", "k"), [(1e-300, -1.0), (1e-200, -1.5), (-1e-300, -1.0), (1e-160, -1.9)]
)
def test_a_slope_beyond_the_float_range_is_infinite_as_in_torch(x, k):
    v = Value(x)
    (v**k).backward()  # the forward pass is fine; only the slope overflows
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (t**k).backward()
    assert math.isinf(v.grad)
    assert v.grad == t.grad.item()


def test_a_cell_whose_slope_overflows_builds():
    from micrograd_magic.language import parse

    c = parse("x: (0, 1) = 1e-200\ny = x ** -1.5").run()
    assert c.values["x"].grad == -math.inf


@pytest.mark.parametrize(
    ("build", "edge"),
    [
        (lambda x: x.log(), 0.0),
        (lambda x: 3.0 / x, 0.0),
        (lambda x: x / x, 0.0),
        (lambda x: x**0.5, 0.0),
        (lambda x: x.sin(), math.inf),
        (lambda x: x.cos(), -math.inf),
        (lambda x: x.exp(), 1000.0),
        (lambda x: abs(x), math.nan),
    ],
)
def test_backward_after_the_widget_moved_an_input_to_a_domain_edge(build, edge):
    """Graph.update writes IEEE results (nan, inf, 0) into the Values; backward() must then give
    the widget's numbers, not raise from a slope."""
    x = Value(2.0, label="x")
    y = build(x)
    g = Graph.from_value(y)
    i = g.labelled_leaves()["x"]
    g.update({i: edge})
    assert repr(x.data) == repr(edge)
    x.grad = 0.0
    y.backward()
    _, grad = g.evaluate()
    assert repr(x.grad) == repr(grad[i])
