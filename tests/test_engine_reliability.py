"""The engine under hostile conditions: threads, interrupts mid-backward, bad labels, copies and
pickles of deep graphs, and the collector setting seen from other threads."""

from __future__ import annotations

import math
import sys
import threading

import pytest

from micrograd_magic import Value, engine
from micrograd_magic.graph import Graph


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
