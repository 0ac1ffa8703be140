"""The scalar autograd engine: `Value` and reverse-mode differentiation over its graph.

Why it is shaped this way (docs/performance.md has the measurements):

* A node is one ``__slots__`` object holding its data, grad, up to two operands, its op name and,
  for ``**``, the exponent. There is no per-node closure, set, dict or children tuple, so each node
  is a single object for CPython's cyclic garbage collector to walk (micrograd has several),
  and no node refers back to its parents: reference counting frees a graph as soon as it is
  dropped. Local derivatives are computed from that record during ``backward()``, and
  :mod:`micrograd_magic.graph` reads the same record to re-evaluate a graph with new inputs.
* Making a node never starts a pass of CPython's cyclic garbage collector: ``_node`` pauses the
  collector for the one allocation and restores it at once, so a pass that the allocation count
  calls for runs at the next allocation of any other container object instead. Without this, a
  growing graph is walked several times per node by passes that cannot find anything to free
  (nodes only point at older nodes, so they form no cycles), and each full pass walks the whole
  interpreter heap too (a notebook kernel's, torch's ...): most of the time to build a large
  graph. ``nn`` runs whole forward passes paused, ``backward()``, deep copies and unpickling run
  paused too. A graph dropped before the user's code allocates anything is never walked.
  In the calling thread the collector is back as it was when the engine returns (a collector
  the user turned off stays off, and no interrupt can leave it off); but the switch is
  process-wide, so during a pause other threads see it off, and a ``gc.disable()`` another thread
  makes then is undone when the pause ends (``benchmarks/collector_threads.py`` measures how
  often).
* ``backward()`` uses Kahn's algorithm (a node is processed once all its parents have passed
  their gradient down), with one ``__slots__`` counter as its bookkeeping: no recursion, and no
  sets or dicts in the hot loop. The counters live on the nodes, so passes run one at a time.
* Bad arithmetic raises, naming the operation and operand, instead of returning a silently wrong
  number: see :class:`Value`.
"""

from __future__ import annotations

import gc
import itertools
import math
import reprlib
import threading
import weakref
from collections.abc import Callable, Container, Sequence
from numbers import Real
from typing import Any, SupportsIndex

from .ops import OPS as OP_TABLE
from .ops import Op, ieee_local_derivatives, pow_slope

__all__ = [
    "OPS",
    "Value",
    "collector_paused",
    "group",
    "group_scope",
    "short_number",
    "topological_order",
    "weighted_sum",
]

#: Every op a node can carry, with its number of Value operands (from the table in ``ops.py``).
OPS: dict[str, int] = {op.name: op.arity for op in OP_TABLE}


class collector_paused:  # noqa: N801 - used like a function: `with collector_paused():`
    """Pause Python's cyclic garbage collector inside a ``with`` block, then restore it.

    Building a large graph allocates many objects and no cycles, so the collector's passes over the
    growing graph find nothing to free. A collector that was already off stays off, nesting is
    cheap, and the caller's setting is restored even when the block raises.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        if self._was_enabled:
            # An interrupt arriving as gc.disable() returns would skip __exit__ (the block has
            # not started yet) and leave the collector off: resume it here instead.
            try:
                gc.disable()
            except BaseException:
                gc.enable()
                raise

    def __exit__(self, *exc_info: object) -> None:
        if self._was_enabled:
            gc.enable()


def short_number(x: float) -> str:
    """A number as error messages and tables quote it: up to 6 significant digits."""
    return f"{x:.6g}"


def _to_float(x: object, role: str) -> float:
    """A real number (int, float, numpy scalar ...) as float; anything else is a TypeError.

    Floats and ints skip the ``Real`` check: it is slow, and it allocates (see ``_node``).
    """
    if x.__class__ is float or x.__class__ is int or isinstance(x, Real):
        return float(x)
    raise TypeError(f"{role} must be a real number (int or float), not {type(x).__name__}: {x!r}")


def _checked_label(label: object) -> str | None:
    """A label as given when it is a str or None; anything else is a TypeError here, where it is
    set, rather than an unrelated error in a picture much later."""
    if label is None or isinstance(label, str):
        return label
    raise TypeError(
        f"a label must be a str or None, not {type(label).__name__}: {reprlib.repr(label)}"
    )


def checked_pow(base: float, k: float) -> float:
    """``base ** k`` over the reals: raises where no real result exists instead of going complex."""
    if base == 0.0 and k < 0.0:
        raise ZeroDivisionError(
            f"power: 0 ** {short_number(k)} is undefined (zero to a negative power)"
        )
    if base < 0.0 and not k.is_integer():
        raise ValueError(
            f"power: {short_number(base)} ** {short_number(k)} has no real value "
            "(negative base to a fractional power)"
        )
    try:
        return base**k
    except OverflowError:
        raise OverflowError(
            f"power: {short_number(base)} ** {short_number(k)} overflows a float"
        ) from None


def checked_div(a: float, b: float) -> float:
    """``a / b``, with an error that names both numbers when b is zero."""
    if b == 0.0:
        raise ZeroDivisionError(f"division: {short_number(a)} / 0 is undefined")
    return a / b


def checked_exp(x: float) -> float:
    """``e ** x``, with an error that names x when the result exceeds the float range."""
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(
            f"exp: exp({short_number(x)}) overflows a float (the largest argument is about 709.78)"
        ) from None


def checked_log(x: float) -> float:
    """``ln x``, with an error that names x when x is not positive."""
    if not x > 0.0:
        raise ValueError(f"log: log({short_number(x)}) is undefined (log needs a positive number)")
    return math.log(x)


def checked_sin(x: float) -> float:
    """``sin x``, with an error that names x when it is infinite (the sine has no value there)."""
    if math.isinf(x):
        raise ValueError(f"sin: sin({short_number(x)}) is undefined (sin needs a finite number)")
    return math.sin(x)


def checked_cos(x: float) -> float:
    """``cos x``, with an error that names x when it is infinite (the cosine has no value there)."""
    if math.isinf(x):
        raise ValueError(f"cos: cos({short_number(x)}) is undefined (cos needs a finite number)")
    return math.cos(x)


def sign(x: float) -> float:
    """1, -1 or 0 (for 0 and nan, as torch.sign): the slope of abs."""
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0


def relu(x: float) -> float:
    """``max(0, x)``; 0 for nan too, since ``nan > 0`` is false."""
    return x if x > 0.0 else 0.0


def sigmoid(x: float) -> float:
    """``1 / (1 + e ** -x)``; split at 0 so that exp() never overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


_new = object.__new__

#: The innermost group being built, stored in every node made meanwhile (see ``group``), else
#: None. A node's ``_label`` slot holds its name, its group, or both (a ``_Named``): one slot and
#: one store per node, as before groups existed.
_current: Scope | None = None
#: The sequence number of the next group opened: calls are named ``#K`` in this order.
next_call: Callable[[], int] = itertools.count(1).__next__

#: A group being built: (owner, enclosing scope, sequence number). The owner is the ``nn.Module``
#: whose call this is, or the name given to ``group()``. A tuple, because a module call makes one.
Scope = tuple[Any, Any, int]


class _Named:
    """The ``_label`` of a node that has both a name and a group."""

    __slots__ = ("label", "scope")

    def __init__(self, label: str, scope: Scope) -> None:
        self.label = label
        self.scope = scope


def group_scope(v: Value) -> Scope | None:
    """The innermost group ``v`` was built in (a module call or a ``group()`` block), or None."""
    label = v._label
    if label.__class__ is tuple:
        return label
    return label.scope if label.__class__ is _Named else None


def open_scope(owner: object) -> Scope | None:
    """Start a group owned by ``owner`` inside the current one; returns the enclosing scope,
    which ``close_scope`` restores. (``nn.Module.__call__`` does the same inline.)"""
    global _current
    enclosing = _current
    _current = (owner, enclosing, next_call())
    return enclosing


def close_scope(enclosing: Scope | None) -> None:
    """End the innermost group: back to ``enclosing``, as ``open_scope`` returned it."""
    global _current
    _current = enclosing


class group:  # noqa: N801 - used like a function: `with group("loss"):`
    """Put every node built inside the ``with`` block into a group named ``name``.

    The widget draws a group as one box that opens to show its nodes; ``nn`` modules make a group
    per call by themselves. Groups nest, and the names form the paths of the graph's group tree.
    The group lives in the nodes' ``_label`` slot, so recording costs nothing per node; one
    caveat of a process-wide "current group": two threads building graphs at the same time may
    record each other's nodes into their groups. Pickles keep labels but not groups.
    """

    __slots__ = ("name", "_enclosing")

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name or "." in name or name.startswith("#"):
            raise ValueError(
                f"a group name must be a non-empty str without '.' and not starting with '#', "
                f"not {name!r}"
            )
        self.name = name

    def __enter__(self) -> None:
        enclosing = _current
        # As in collector_paused: an interrupt as open_scope returns would skip __exit__.
        try:
            self._enclosing = open_scope(self.name)
        except BaseException:
            close_scope(enclosing)
            raise

    def __exit__(self, *exc_info: object) -> None:
        close_scope(self._enclosing)


_collector_enabled = gc.isenabled
_pause_collector = gc.disable
_resume_collector = gc.enable


class Value:
    """A scalar that remembers how it was computed, so that ``backward()`` can differentiate it.

    ``Value(data, _children=(), _op='', label=None)`` follows micrograd: ``data`` is the number,
    ``grad`` the derivative of the latest ``backward()`` root with respect to this value, ``label``
    an optional name shown in pictures. ``+ - * /`` with a Value or a number on either side, unary
    ``-``, ``** c`` with a constant number ``c`` and the methods of the op table in
    :mod:`micrograd_magic.ops` (``x.relu()``, ``x.tanh()`` ..., made from it below the class)
    build new Values.

    Where no real result exists the operation raises, naming itself and its operand: ``log`` of
    x <= 0 and ``sin``/``cos`` of an infinity (ValueError), ``0 ** -k`` and division by zero
    (ZeroDivisionError), a negative base to a fractional power (ValueError; plain Python would
    return a complex number), ``exp`` and ``**`` beyond the float range (OverflowError). PyTorch
    returns nan or inf for these; a teaching tool is better served by an error at the operation
    that caused it than by a nan found three layers later. ``+ - *`` follow IEEE arithmetic like
    PyTorch (``1e200 * 1e200`` is inf).
    """

    # _pending is backward()'s bookkeeping (see _count_parents); 0 outside backward().
    # _k stays unset except on ** nodes: one store fewer per operation. _label is always set
    # (None when unnamed): reading a slot that was never set raises inside, which made every
    # read of an unnamed value's label cost as much as making the node.
    __slots__ = ("data", "grad", "_a", "_b", "_op", "_pending", "_k", "_label")

    def __new__(
        cls,
        data: float,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        label: str | None = None,
    ) -> Value:
        """A leaf, or with ``_children`` and ``_op`` a node made by hand, as in micrograd.

        This is __new__ rather than __init__ so that leaves, like every other node, are allocated
        by ``_node`` (see the module notes); copy and pickle go through ``__reduce_ex__``.
        """
        if data.__class__ is not float:
            data = _to_float(data, "Value data")
        if _children or _op:  # leaves, the common case here, skip the record's checks
            v = _node(data, _op, *_checked_record(_children, _op))
        else:
            v = _node(data, "", None)
        if label is not None:
            v.label = label
        return v

    # -- copies and pickles ----------------------------------------------------------------
    # Both work at any depth (the default ones recurse once per level and fail at a depth of a
    # few hundred) and keep shared nodes shared, with each other and with whatever else the
    # same copy or pickle holds (a model's parameters and a loss built from them).
    def __copy__(self) -> Value:
        """A new node with this one's data, grad, op, exponent and label; operands shared."""
        v = _node(self.data, self._op, self._a, self._b)
        v.grad = self.grad
        v._label = self._label
        if self._op == "**":
            v._k = self._k
        return v

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        """Copies of this value and every value below it, made in one loop, children first."""
        done = memo.get(id(self))
        if done is not None:
            return done
        originals = memo.setdefault(id(memo), [])  # copy.deepcopy's keep-alive list
        with collector_paused():  # many allocations, no cycles (see the module notes)
            for v in _unvisited_below(self, memo):
                c = _new(Value)
                c.data = v.data
                c.grad = v.grad
                a = v._a
                c._a = None if a is None else memo[id(a)]
                b = v._b
                c._b = None if b is None else memo[id(b)]
                c._op = op = v._op
                c._pending = 0
                if op == "**":
                    c._k = v._k
                c._label = v._label
                memo[id(v)] = c
                originals.append(v)
        return memo[id(self)]

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """Pickle as a place in a ``_Graph``: the flat records of this value and of every value
        below it that this pickle does not hold yet, pickled once however many of them the
        pickle refers to, and rebuilt in one loop."""
        ref = getattr(_pickling, "session", None)
        session = None if ref is None else ref()
        if session is None:
            session = _PickleSession()
            _pickling.session = weakref.ref(session)
            graph = _Graph(self, session.graph_of)
            # the pickler's memo keeps the session alive as long as it keeps the graph
            return _from_graph, (graph, graph.position[self], session)
        graph = session.graph_of.get(self)
        if graph is None:
            graph = _Graph(self, session.graph_of)
        return _from_graph, (graph, graph.position[self])

    # -- reading the graph -----------------------------------------------------------------
    @property
    def children(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in order (``a*a`` lists ``a`` twice)."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b)

    _prev = children  # micrograd's name, which draw_dot-style code reads

    @property
    def op(self) -> str:
        """The operation that produced this value: ``''`` for a leaf, else a key of ``OPS``."""
        return self._op

    @property
    def exponent(self) -> float | None:
        """The constant exponent of a ``**`` node, otherwise None."""
        return self._k if self._op == "**" else None

    @property
    def label(self) -> str | None:
        """An optional name, shown in pictures and in ``repr``; None when unnamed."""
        label = self._label
        if label.__class__ is tuple:  # a group (see group_scope), no name
            return None
        return label.label if label.__class__ is _Named else label

    @label.setter
    def label(self, name: str | None) -> None:
        name = _checked_label(name)
        scope = group_scope(self)
        if scope is None or name is None:
            self._label = scope if name is None else name
        else:
            self._label = _Named(name, scope)

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label is not None else ""
        return f"Value({name}data={self.data!r}, grad={self.grad!r})"

    # -- arithmetic ------------------------------------------------------------------------
    def __add__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = _constant(other)
        return _node(self.data + other.data, "+", self, other)

    def __radd__(self, other: float) -> Value:
        other = _constant(other)
        return _node(other.data + self.data, "+", other, self)

    def __sub__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = _constant(other)
        return _node(self.data - other.data, "-", self, other)

    def __rsub__(self, other: float) -> Value:
        other = _constant(other)
        return _node(other.data - self.data, "-", other, self)

    def __mul__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = _constant(other)
        return _node(self.data * other.data, "*", self, other)

    def __rmul__(self, other: float) -> Value:
        other = _constant(other)
        return _node(other.data * self.data, "*", other, self)

    def __truediv__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = _constant(other)
        return _node(checked_div(self.data, other.data), "/", self, other)

    def __rtruediv__(self, other: float) -> Value:
        other = _constant(other)
        return _node(checked_div(other.data, self.data), "/", other, self)

    def __neg__(self) -> Value:
        return _node(-self.data, "neg", self)

    def __pos__(self) -> Value:
        return self

    def __pow__(self, k: float) -> Value:
        if isinstance(k, Value):
            raise TypeError(
                "exponents must be numbers (int or float), not Value: only x ** c with a "
                "constant c is supported; write exp(log(x) * y) for a variable exponent"
            )
        k = _to_float(k, "exponent")
        out = _node(checked_pow(self.data, k), "**", self)
        out._k = k
        return out

    def __rpow__(self, base: object) -> Value:
        raise TypeError(
            f"exponents must be numbers (int or float), not Value: {base!r} ** Value is not "
            "supported; write exp(log(base) * x) instead"
        )

    # relu, tanh, exp, log, sigmoid ...: made from the table of ops below the class

    # -- differentiation -------------------------------------------------------------------
    def backward(self) -> None:
        """Set ``grad`` on every value this one depends on to d(self)/d(value).

        Leaves (inputs, parameters) *accumulate*: a second ``backward()`` adds to their grads, as
        in PyTorch, so reset them between steps with ``Module.zero_grad()`` or ``v.grad = 0``.
        Computed values hold the gradient of the latest pass only. Works at any depth (a chain of
        a million links) at the default recursion limit. Calls from several threads run one at
        a time; a call interrupted half-way (KeyboardInterrupt) leaves the grads it had added so
        far, and every later call is exact.
        """
        global _backward_running, _unclean
        # A with block, not acquire() then try: an interrupt between the two would keep the lock.
        with _backward_lock:
            # The lock is reentrant, so a call that finds a pass running is one made inside that
            # pass, on the same thread: waiting would never end, going on would corrupt it.
            if _backward_running:
                raise RuntimeError(
                    "backward() was called inside another backward() on the same thread (from a "
                    "signal handler or a trace hook?): call it once the first one has returned"
                )
            # Paused, since the allocation of its two stacks could start a pass over the very
            # graph it walks; pausing inside the try means an interrupt cannot leave it off.
            was_running = _collector_enabled()
            try:
                _backward_running = True
                if was_running:
                    _pause_collector()
                if _unclean is not None:
                    _reset_counters()
                _unclean = self
                _count_parents(self)
                self.grad += 1.0
                _propagate(self)
                _unclean = None
            except BaseException:  # e.g. KeyboardInterrupt: every counter back to 0
                _reset_counters()
                raise
            finally:
                _backward_running = False
                if was_running:
                    _resume_collector()


#: The forward kernel of each op that a ``Value`` method makes (``Op.method`` in the table).
_FORWARD: dict[str, Callable[[float], float]] = {
    "relu": relu,
    "tanh": math.tanh,
    "exp": checked_exp,
    "log": checked_log,
    "sigmoid": sigmoid,
    "sin": checked_sin,
    "cos": checked_cos,
    "abs": abs,
}


def _relu_method(self: Value) -> Value:
    # relu is every hidden neuron's activation in nn: written inline, it saves the call of a
    # Python forward kernel on each of them (docs/performance.md, "Before and after a change").
    return _node(self.data if self.data > 0.0 else 0.0, "relu", self)


#: Methods written out by hand where the generic one's extra call costs the training loop time.
_HAND_WRITTEN: dict[str, Callable[[Value], Value]] = {"relu": _relu_method}


def _unary_method(op: Op, forward: Callable[[float], float]) -> Callable[[Value], Value]:
    """``Value.<op.method>``: the node ``op`` of this value, computed by ``forward``."""
    name = op.name

    def generic(self: Value) -> Value:
        return _node(forward(self.data), name, self)

    method = _HAND_WRITTEN.get(name, generic)
    method.__name__ = op.method
    method.__qualname__ = f"Value.{op.method}"
    method.__doc__ = op.doc
    return method


for _op in OP_TABLE:
    if _op.method is not None:
        _method = _unary_method(_op, _FORWARD[_op.name])
        setattr(Value, _op.method, _method)
        if _op.dunder is not None:
            setattr(Value, _op.dunder, _method)
del _op, _method


# backward() runs one pass at a time: the counters below live on the nodes, so two passes over
# shared nodes at once would corrupt each other's. _unclean is the root of a pass whose counters
# may not be back at 0 (it was interrupted, and so was the clean-up that followed); whichever
# pass comes next finishes the clean-up first. It is cleared only once the walk is complete, so
# no interrupt can leave stale counters behind for a later pass.
_backward_lock = threading.RLock()
_backward_running = False
_unclean: Value | None = None


def _reset_counters() -> None:
    global _unclean
    if _unclean is not None:
        for v in topological_order(_unclean):
            v._pending = 0
        _unclean = None


# Kahn's algorithm, in two passes over the graph below a root. Every node's ``_pending`` is 0
# between backward() calls; the first pass sets it to the number of uses of the node inside this
# graph (a node seen for the first time has 0), the second hands a node's grad down only once all
# of those users have added their share, counting back down to 0. Each node is visited twice,
# and no topological list, visited set or recursion is needed.
def _count_parents(root: Value) -> None:
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        v = pop()
        a = v._a
        if a is None:
            continue
        v.grad = 0.0
        uses = a._pending
        if uses == 0:
            push(a)
        a._pending = uses + 1
        b = v._b
        if b is not None:
            uses = b._pending
            if uses == 0:
                push(b)
            b._pending = uses + 1


def _propagate(root: Value) -> None:
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        v = pop()
        a = v._a
        if a is None:
            continue
        g = v.grad
        b = v._b
        op = v._op
        if op == "*":
            a.grad += b.data * g
            b.grad += a.data * g
        elif op == "+":
            a.grad += g
            b.grad += g
        elif b is None:
            a.grad += _slope(v) * g
        elif op == "-":
            a.grad += g
            b.grad -= g
        else:
            bd = b.data
            if bd != 0.0:
                # (a/b)/b rather than a/(b*b): b*b underflows to 0 for |b| < 1e-154
                a.grad += g / bd
                b.grad -= g * (a.data / bd / bd)
            else:  # only after a Graph.update wrote 0 here: inf or nan, as the widget shows
                da, db = ieee_local_derivatives("/", (a.data, bd), v.data)
                a.grad += da * g
                b.grad += db * g
        left = a._pending - 1
        a._pending = left
        if left == 0:
            push(a)
        if b is not None:
            left = b._pending - 1
            b._pending = left
            if left == 0:
                push(b)


def local_derivatives(v: Value) -> tuple[float, ...]:
    """d v / d child for each of v's operands, in order, from the current data (IEEE rules)."""
    return ieee_local_derivatives(v._op, [c.data for c in v.children], v.data, v.exponent)


def _slope(v: Value) -> float:
    """d v / d operand for a one-operand node: a bare float, so backward() builds no tuples.

    The ops of a neural network are inlined; the rest come from the IEEE kernels, which never
    raise: a ``Graph.update`` may have written nan, inf or 0 into the operand since.
    """
    op = v._op
    if op == "relu":
        return 1.0 if v.data > 0.0 else 0.0
    if op == "tanh":
        return 1.0 - v.data * v.data
    if op == "**":
        return pow_slope(v._a.data, v._k)
    if op == "neg":
        return -1.0
    if op == "exp":
        return v.data
    if op == "sigmoid":
        return v.data * (1.0 - v.data)
    return ieee_local_derivatives(op, (v._a.data,), v.data)[0]


#: d(x**k)/dx, the slope backward() uses for ``**``: infinite rather than an error where the
#: slope is vertical or beyond the float range, as in torch.
pow_derivative = pow_slope


def _checked_record(children: tuple[Value, ...], op: str) -> tuple[Value | None, Value | None]:
    """The two operand slots for a Value made by hand with ``_children`` and ``_op``."""
    if len(children) > 2 or any(c.__class__ is not Value for c in children):
        raise TypeError("_children must be a tuple of at most two Values")
    if op == "**":
        raise ValueError("a '**' Value needs its exponent: build it as x ** k")
    if OPS.get(op, -1) != len(children):
        raise ValueError(f"op {op!r} does not take {len(children)} operand(s)")
    return (children[0] if children else None, children[1] if len(children) == 2 else None)


def _node(data: float, op: str, a: Value | None, b: Value | None = None) -> Value:
    """A new node, made without the constructor's checks: the operator methods already did them.

    The allocation runs with the collector paused (see the module notes). The pause starts inside
    the ``try`` so that a KeyboardInterrupt arriving right after it still resumes the collector.
    """
    if _collector_enabled():
        try:
            _pause_collector()
            v = _new(Value)
        finally:
            _resume_collector()
    else:
        v = _new(Value)
    v.data = data
    v.grad = 0.0
    v._a = a
    v._b = b
    v._op = op
    v._pending = 0
    v._label = _current
    return v


def _unvisited_below(root: Value, memo: Container[int]) -> list[Value]:
    """``topological_order(root)`` without the values whose id is in ``memo`` (copied or pickled
    already) and what is only below them."""
    order: list[Value] = []
    expanded: set[Value] = set()
    listed: set[Value] = set()
    stack: list[Value] = [] if id(root) in memo else [root]
    push = stack.append
    while stack:
        v = stack[-1]
        if v in expanded:
            stack.pop()
            if v not in listed:  # pushed by two parents before its first expansion
                listed.add(v)
                order.append(v)
            continue
        expanded.add(v)
        b = v._b
        if b is not None and b not in expanded and id(b) not in memo:
            push(b)
        a = v._a
        if a is not None and a not in expanded and id(a) not in memo:
            push(a)
    return order


# The pickling session of this thread: a weak reference to a _PickleSession.
_pickling = threading.local()


class _PickleSession:
    """Which ``_Graph`` of the current pickle holds each value. It is pickled with the first
    value (as nothing), so that it lives exactly as long as the pickler's memo: the next
    ``pickle.dumps`` starts a new one, and no value is ever placed by a stale one."""

    __slots__ = ("graph_of", "__weakref__")

    def __init__(self) -> None:
        self.graph_of: dict[Value, _Graph] = {}

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return int, ()


class _Graph:
    """A value and those below it that no earlier ``_Graph`` of the same pickle holds, as flat
    records in topological order: ``(data, grad, op, a[, b[, k, label]])``, where an operand
    is a position in this graph or ``(graph, position)`` in an earlier one."""

    __slots__ = ("values", "position", "records")

    def __init__(self, root: Value, graph_of: dict[Value, _Graph]) -> None:
        position: dict[Value, int] = {}  # also keeps the values alive while they are pickled
        records: list[tuple[Any, ...]] = []
        expanded: set[Value] = set()
        stack = [root]
        push = stack.append
        while stack:  # depth-first post-order, as topological_order, stopping at placed values
            v = stack[-1]
            if v in expanded:
                stack.pop()
                if v in position:  # pushed by two parents before its first expansion
                    continue
                position[v] = len(records)
                a, b, op, label = v._a, v._b, v._op, v._label
                if label is not None and label.__class__ is not str:
                    label = v.label  # a pickle keeps the name, not the group (see group())
                if a is not None:
                    i = position.get(a)
                    a = (graph_of[a], graph_of[a].position[a]) if i is None else i
                if b is not None:
                    i = position.get(b)
                    b = (graph_of[b], graph_of[b].position[b]) if i is None else i
                if label is not None or op == "**":
                    k = v._k if op == "**" else None
                    records.append((v.data, v.grad, op, a, b, k, label))
                elif b is not None:
                    records.append((v.data, v.grad, op, a, b))
                else:
                    records.append((v.data, v.grad, op, a))
                continue
            expanded.add(v)
            b = v._b
            if b is not None and b not in expanded and b not in graph_of:
                push(b)
            a = v._a
            if a is not None and a not in expanded and a not in graph_of:
                push(a)
        graph_of.update(dict.fromkeys(position, self))
        self.position = position
        self.records = records
        self.values: list[Value] = []  # filled when unpickled

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return _graph_from_records, (self.records,)


def _graph_from_records(records: list[tuple[Any, ...]]) -> _Graph:
    """The values of a pickled ``_Graph``, rebuilt in one loop."""
    graph = _new(_Graph)
    graph.values = values = []
    graph.position = graph.records = None
    with collector_paused():  # many allocations, no cycles (see the module notes)
        for record in records:
            n = len(record)
            v = _new(Value)
            v.data = record[0]
            v.grad = record[1]
            v._op = record[2]
            a = record[3]
            if a is not None:
                a = values[a] if a.__class__ is int else a[0].values[a[1]]
            v._a = a
            b = record[4] if n > 4 else None
            if b is not None:
                b = values[b] if b.__class__ is int else b[0].values[b[1]]
            v._b = b
            v._pending = 0
            v._label = None
            if n > 5:
                if record[5] is not None:
                    v._k = record[5]
                v._label = record[6]
            values.append(v)
    return graph


def _from_graph(graph: _Graph, i: int, _session: object = None) -> Value:
    """A pickled value: its place in an unpickled ``_Graph``."""
    return graph.values[i]


def weighted_sum(bias: Value, weights: Sequence[Value], inputs: Sequence[Value | float]) -> Value:
    """``bias + w0*x0 + w1*x1 + ...``: the very nodes the operators build, built faster.

    A neuron's forward pass is this sum, and it is most of an MLP's graph, so the nodes are made
    inline here rather than through ``_node``: a call per node was a large share of the sum's time.
    The whole sum runs with the collector paused, as ``_node`` does for each allocation.
    """
    act = bias
    current = _current
    with collector_paused():
        for w, x in zip(weights, inputs, strict=True):
            if x.__class__ is not Value:
                x = _constant(x)
            term = _new(Value)
            term.data = w.data * x.data
            term.grad = 0.0
            term._a = w
            term._b = x
            term._op = "*"
            term._pending = 0
            term._label = current
            total = _new(Value)
            total.data = act.data + term.data
            total.grad = 0.0
            total._a = act
            total._b = term
            total._op = "+"
            total._pending = 0
            total._label = current
            act = total
    return act


def _constant(x: object) -> Value:
    """A plain number operand as a leaf Value; anything else is a TypeError naming it."""
    if x.__class__ is Value:
        return x
    if x.__class__ is float:
        return _node(x, "", None)
    if x.__class__ is not int and not isinstance(x, Real):  # ints skip the slow Real check
        raise TypeError(
            f"cannot combine a Value with {type(x).__name__} {x!r}: use a number or a Value"
        )
    return _node(float(x), "", None)


def topological_order(root: Value) -> list[Value]:
    """Every value ``root`` depends on, children before parents, ``root`` last.

    Iterative depth-first post-order in operand order, so the order is deterministic and reads
    like the code that built the graph (``x, y, x*y, ...``); no recursion limit applies.
    """
    order: list[Value] = []
    finished: set[Value] = set()
    expanded: set[Value] = set()
    stack: list[Value] = [root]
    push = stack.append
    while stack:
        v = stack[-1]
        if v in expanded:
            stack.pop()
            # A node pushed by two parents before its first expansion comes up twice.
            if v not in finished:
                finished.add(v)
                order.append(v)
            continue
        expanded.add(v)
        b = v._b  # pushed first, so that the first operand comes first
        if b is not None and b not in expanded:
            push(b)
        a = v._a
        if a is not None and a not in expanded:
            push(a)
    return order
