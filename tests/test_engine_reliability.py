"""The engine under hostile conditions: threads, interrupts mid-backward, bad labels, copies and
pickles of deep graphs, and the collector setting seen from other threads."""

from __future__ import annotations

import contextlib
import copy
import gc
import math
import pickle
import random
import sys
import threading

import pytest

from micrograd_magic import Value, engine, nn
from micrograd_magic.graph import Graph


@pytest.fixture(autouse=True)
def _collector_on_afterwards():
    """A failing test here must not leave the collector off for the tests after it."""
    yield
    gc.enable()


def tanh_chain(steps: int = 300) -> tuple[Value, Value]:
    """x and a 300-step chain h = tanh(h*w + 0.05) over it, as in the issue's report."""
    x = Value(0.3, label="x")
    w = Value(1.1, label="w")
    h = x
    for _ in range(steps):
        h = (h * w + 0.05).tanh()
    return x, h


def exact_grad(x: Value, h: Value) -> float:
    x.grad = 0.0
    h.backward()
    grad = x.grad
    x.grad = 0.0
    return grad


class fast_switching:  # noqa: N801 - a context manager used like a function
    """Make the interpreter switch threads as often as it can, so that races show up."""

    def __enter__(self) -> None:
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)

    def __exit__(self, *exc_info: object) -> None:
        sys.setswitchinterval(self.interval)


def run_threads(target, args_list, timeout: float = 60.0) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(args_list))

    def work(*args):
        try:
            barrier.wait(timeout)
            target(*args)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=args, daemon=True) for args in args_list]
    with fast_switching():
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a backward() thread did not finish"
    return errors


# -- item 3: concurrent backward, interrupts --------------------------------------------------
ROUNDS = 40


def test_concurrent_backward_on_a_shared_graph_serialises():
    x, h = tanh_chain()
    expected = exact_grad(x, h)
    scales = [Value(1.0), Value(2.0)]

    def train(scale: Value) -> None:
        for _ in range(ROUNDS):
            (h * scale).backward()

    assert run_threads(train, [(s,) for s in scales]) == []
    # each thread's own leaf got exactly what its sequential calls give
    for scale in scales:
        total = 0.0
        for _ in range(ROUNDS):
            total += h.data
        assert scale.grad == total
    # the shared leaf got every call's contribution (added in some sequential order)
    assert x.grad == pytest.approx(expected * ROUNDS * 3.0, rel=1e-12, abs=0.0)
    # and nothing is left behind: a later single-threaded backward is exact
    assert exact_grad(x, h) == expected


@pytest.mark.parametrize("pause", range(600, 620))  # every line of a loop turn or two
def test_a_backward_that_starts_while_another_is_half_way_waits_for_it(pause):
    """Deterministic: thread A stops half-way through its pass and lets thread B run a whole
    backward() over the same nodes; B must wait for A, and both must come out exact."""
    x, h = tanh_chain()
    expected = exact_grad(x, h)
    other = threading.Thread(target=lambda: (h * 2.0).backward(), daemon=True)
    started = []

    def trace(frame, event, arg):
        if frame.f_code.co_name != "_propagate":
            return None

        def line(frame, event, arg):
            started.append(event)
            if len(started) == pause:  # half-way down the chain
                other.start()
                other.join(0.2)  # B runs now unless it must wait for A
            return line

        return line

    sys.settrace(trace)
    try:
        h.backward()
    finally:
        sys.settrace(None)
    other.join(10)
    assert not other.is_alive()
    assert x.grad == pytest.approx(3.0 * expected, rel=1e-12, abs=0.0)
    assert exact_grad(x, h) == expected


class InterruptAt:
    """A trace hook raising KeyboardInterrupt at the n-th line run in the named functions."""

    def __init__(self, functions: set[str], n: int) -> None:
        self.functions, self.n, self.seen = functions, n, 0

    def __call__(self, frame, event, arg):
        return self.line if frame.f_code.co_name in self.functions else None

    def line(self, frame, event, arg):
        if event == "line":
            self.seen += 1
            if self.seen == self.n:
                raise KeyboardInterrupt
        return self.line


def interrupted(root: Value, hook: InterruptAt) -> None:
    """root.backward() with ``hook`` tracing it: it must end in the KeyboardInterrupt."""
    sys.settrace(hook)
    try:
        with pytest.raises(KeyboardInterrupt):
            root.backward()
    finally:
        sys.settrace(None)


@pytest.mark.parametrize("where", ["_count_parents", "_propagate"])
@pytest.mark.parametrize("n", [1, 7, 300, 1500])
def test_an_interrupt_mid_backward_leaves_no_stale_counters(where, n):
    x, h = tanh_chain()
    expected = exact_grad(x, h)
    interrupted(h, InterruptAt({where}, n))
    assert exact_grad(x, h) == expected
    assert all(v._pending == 0 for v in engine.topological_order(h))


@pytest.mark.parametrize("n", [0, 50, 900])
def test_an_interrupt_during_the_clean_up_of_an_interrupt_is_repaired_by_the_next_call(
    monkeypatch, n
):
    """The clean-up after an interrupt walks the graph; a second interrupt there (a trace hook
    is unset once it raises, so the walk itself is made to raise) must not leave stale counters
    for the next backward() either, on the same graph or on one sharing its nodes."""
    walk = engine.topological_order

    def interrupted_walk(root):
        for i, v in enumerate(walk(root)):
            if i == n:
                raise KeyboardInterrupt
            yield v

    for other_root in (False, True):
        x, h = tanh_chain()
        expected = exact_grad(x, h)
        monkeypatch.setattr(engine, "topological_order", interrupted_walk)
        interrupted(h, InterruptAt({"_propagate"}, 500))
        monkeypatch.undo()
        k = Value(2.0)
        (h * k if other_root else h).backward()
        assert x.grad == (2.0 * expected if other_root else expected)


def test_any_exception_mid_backward_leaves_no_stale_counters():
    x, h = tanh_chain()
    expected = exact_grad(x, h)
    middle = h
    for _ in range(399):  # a tanh node half-way down, whose slope reads its own data
        middle = middle.children[0]
    assert middle.op == "tanh"
    saved = middle.data
    middle.data = "not a number"  # found only when backward reaches it
    with pytest.raises(TypeError):
        h.backward()
    middle.data = saved
    assert exact_grad(x, h) == expected


def test_backward_inside_backward_on_one_thread_is_refused_not_corrupting():
    x, h = tanh_chain()
    expected = exact_grad(x, h)
    calls = []

    def trace(frame, event, arg):
        if frame.f_code.co_name == "_propagate" and not calls:
            calls.append(True)
            sys.settrace(None)
            h.backward()  # e.g. from a signal handler or a debugger hook
        return None

    sys.settrace(trace)
    try:
        with pytest.raises(RuntimeError, match="inside another backward"):
            h.backward()
    finally:
        sys.settrace(None)
    assert exact_grad(x, h) == expected


# -- item 11: labels are strings --------------------------------------------------------------
BAD_LABELS = [b"x", ["x"], math.nan, 3, ("a",), object()]


@pytest.mark.parametrize("label", BAD_LABELS, ids=lambda x: type(x).__name__)
def test_a_label_that_is_not_a_string_is_refused_where_it_is_set(label):
    with pytest.raises(
        TypeError, match=f"a label must be a str or None, not {type(label).__name__}"
    ):
        Value(1.0, label=label)
    v = Value(1.0, label="x")
    with pytest.raises(TypeError, match="a label must be a str or None"):
        v.label = label
    assert v.label == "x"  # unchanged


def test_strings_and_none_are_labels():
    class Name(str):
        pass

    v = Value(1.0, label=Name("w1"))
    assert v.label == "w1"
    v.label = None
    assert v.label is None
    v.label = ""
    assert v.label == ""


def test_a_graph_json_label_that_is_not_a_string_is_malformed():
    json = {"schema": 1, "nodes": [{"id": 0, "label": 5, "op": "", "args": [], "data": 1.0}]}
    with pytest.raises(ValueError, match="node 0: a label must be a string or null, not int"):
        Graph.from_json(json)


# -- item 12: copies and pickles at any depth, sharing kept -------------------------------------
@pytest.fixture(scope="module")
def million_link_chain() -> tuple[Value, Value]:
    """x, then v = (x * 1 + 1) * 1 + 1 ... a million links deep (built once: it takes seconds)."""
    x = Value(1.0, label="x")
    v = x
    for i in range(1_000_000):
        v = v + 1.0 if i % 2 else v * 1.0
    v.label = "out"
    return x, v


def pickled(obj):
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


@pytest.mark.parametrize("twin", [copy.deepcopy, pickled], ids=["deepcopy", "pickle"])
def test_a_million_link_chain_copies_and_pickles(twin, million_link_chain):
    x, v = million_link_chain
    w = twin(v)
    order = engine.topological_order(w)
    assert len(order) == 2_000_001
    assert (order[0].label, w.label, w.data) == ("x", "out", 500_001.0)
    assert order[0] is not x
    w.backward()
    assert order[0].grad == 1.0
    assert x.grad == 0.0  # the original is untouched


@pytest.mark.parametrize(
    "twin",
    [copy.deepcopy, pickled, lambda obj: pickle.loads(pickle.dumps(obj, protocol=0))],
    ids=["deepcopy", "pickle", "pickle-protocol-0"],
)
def test_shared_nodes_stay_shared_with_each_other_and_with_the_rest(twin):
    a = Value(-3.0, label="a")
    square = a * a
    c = (square + a) ** 0.5
    c.label = "c"
    c.backward()
    a2, square2, c2, again = twin([a, square, c, square])
    assert again is square2
    assert square2.children == (a2, a2)
    assert c2.children[0].children == (square2, a2)
    assert (c2.label, c2.exponent, c2.data, a2.grad) == ("c", 0.5, c.data, a.grad)
    a2.grad = 0.0
    c2.backward()
    assert a2.grad == a.grad


def demo_loss(model: nn.MLP) -> Value:
    """micrograd's demo loss: SVM max-margin over 100 two-moons points plus L2."""
    rng = random.Random(1)
    xs = [[rng.uniform(-1, 2), rng.uniform(-1, 1)] for _ in range(100)]
    ys = [1 if x[1] > 0.5 * x[0] - 0.25 else -1 for x in xs]
    scores = [model([Value(x0), Value(x1)]) for x0, x1 in xs]
    losses = [(1 + -y * s).relu() for y, s in zip(ys, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + 1e-4 * sum(p * p for p in model.parameters())


@pytest.mark.parametrize("twin", [copy.deepcopy, pickled], ids=["deepcopy", "pickle"])
def test_the_demo_model_and_its_loss_copy_together(twin):
    random.seed(1337)
    model = nn.MLP(2, [16, 16, 1])
    loss = demo_loss(model)
    model2, loss2 = twin((model, loss))
    params, params2 = model.parameters(), model2.parameters()
    below = set(engine.topological_order(loss2))
    assert all(p in below for p in params2)  # the copied loss is built from the copied model
    assert not any(p in below for p in params)
    loss.backward()
    loss2.backward()
    assert loss2.data == loss.data
    assert [p.grad for p in params2] == [p.grad for p in params]
    assert repr(model2) == repr(model)


def test_copies_of_values_and_modules_alone():
    x = Value(2.0, label="x")
    x.grad = 0.25
    for twin in (copy.copy(x), copy.deepcopy(x), pickled(x)):
        assert (twin.data, twin.grad, twin.label) == (2.0, 0.25, "x")
        assert twin is not x
    y = x * 3.0
    shallow = copy.copy(y)
    assert shallow is not y and shallow.children == y.children  # operands shared
    random.seed(0)
    model = nn.MLP(3, [4, 1])
    for twin in (copy.deepcopy(model), pickled(model)):
        assert [p.data for p in twin.parameters()] == [p.data for p in model.parameters()]
        assert not set(map(id, twin.parameters())) & set(map(id, model.parameters()))


def test_pickling_every_node_of_a_deep_graph_holds_each_record_once():
    """A list of every node of a chain (each node deep) pickles each node once, not once per
    node above it, and every reference to a node comes back as that one node."""
    _, h = tanh_chain()
    order = engine.topological_order(h)
    whole = len(pickle.dumps(h))
    assert len(pickle.dumps(order)) < 2 * whole  # not len(order) / 2 times as big
    copies = pickled(order)
    position = {v: i for i, v in enumerate(order)}
    for v, twin in zip(order, copies, strict=True):
        assert twin.children == tuple(copies[position[c]] for c in v.children)
    again = pickled([h, order[5], h])  # a new pickle starts afresh
    assert again[0] is again[2]
    assert engine.topological_order(again[0])[5] is again[1]


def test_a_failed_pickle_leaves_no_bookkeeping_behind():
    _, h = tanh_chain()
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps([h, lambda: None])  # fails after every value of h was pickled
    assert engine._pickling.session() is None
    assert pickled(h).data == h.data


# -- item 14: the collector pause -------------------------------------------------------------
class Pausing(nn.Module):
    """A module whose forward lets the test look at the collector from inside the pause."""

    def __init__(self, inside) -> None:
        self.inside = inside
        self.w = Value(2.0)

    def forward(self, x):
        self.inside()
        return self.w * x


def test_the_callers_setting_is_back_after_every_kind_of_pause():
    _, h = tanh_chain()
    model = nn.MLP(2, [3, 1])
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            h.backward()
            copy.deepcopy(h)
            pickled(h)
            model([1.0, 2.0])
            engine.weighted_sum(Value(0.0), [Value(1.0)], [2.0])
            with engine.collector_paused():
                pass
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


@pytest.mark.parametrize(
    "pause",
    [
        lambda: Value(1.0) * 2.0,  # _node
        lambda: (Value(0.5).tanh() * 2.0).backward(),
        lambda: nn.MLP(2, [2, 1])([1.0, 2.0]),
        lambda: engine.weighted_sum(Value(0.0), [Value(1.0)], [2.0]),
        lambda: copy.deepcopy(Value(1.0) * 2.0),
        lambda: pickled(Value(1.0) * 2.0),
    ],
    ids=["node", "backward", "module", "weighted_sum", "deepcopy", "unpickle"],
)
def test_an_interrupt_right_as_the_collector_pauses_cannot_leave_it_off(monkeypatch, pause):
    """A KeyboardInterrupt arriving as gc.disable() returns, the one moment between pausing and
    the code that resumes; every pause must still resume."""
    real = gc.disable
    calls = []

    def disable_then_interrupt():
        real()
        calls.append(True)
        if len(calls) == at:
            raise KeyboardInterrupt

    monkeypatch.setattr(gc, "disable", disable_then_interrupt)
    monkeypatch.setattr(engine, "_pause_collector", disable_then_interrupt)
    for at in range(1, 200):  # the first pause the call makes, then the second ...
        calls.clear()
        with contextlib.suppress(KeyboardInterrupt):
            pause()
        assert gc.isenabled(), f"left off by an interrupt at pause {at}"
        if len(calls) < at:  # the call made fewer pauses: all were interrupted once
            break
    else:
        pytest.fail("more pauses than expected")


def test_what_another_thread_can_see_during_a_pause():
    """What the README says: a pause is process-wide. Another thread sees the collector off while
    a module's forward runs, and a gc.disable() it makes then is undone when the pause ends."""
    seen = {}

    def other_thread():
        seen["enabled"] = gc.isenabled()
        gc.disable()

    def inside():
        seen["own"] = gc.isenabled()
        t = threading.Thread(target=other_thread)
        t.start()
        t.join(10)

    try:
        Pausing(inside)(Value(1.0))
        assert seen == {"own": False, "enabled": False}
        assert gc.isenabled()  # the other thread's gc.disable() was undone
    finally:
        gc.enable()


def test_a_thread_that_turned_the_collector_off_before_keeps_it_off():
    done = threading.Event()

    def build():
        Pausing(lambda: None)(Value(1.0)).backward()
        done.set()

    gc.disable()
    try:
        t = threading.Thread(target=build)
        t.start()
        t.join(10)
        assert done.is_set()
        assert not gc.isenabled()
    finally:
        gc.enable()
