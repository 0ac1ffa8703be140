"""A small PyTorch-like neural-network library on top of :class:`~micrograd_magic.engine.Value`.

Same API and behaviour as micrograd's ``nn``: ReLU hidden layers, a linear last layer, weights
drawn uniformly from [-1, 1] with Python's ``random`` (seed it for repeatable models), biases 0.
As in PyTorch, calling a module runs its ``forward``; the call pauses Python's cyclic garbage
collector while ``forward`` builds the graph (see the engine's notes).
"""

from __future__ import annotations

import gc
import random
from collections.abc import Sequence

from . import engine as _engine
from .engine import Value, next_call, weighted_sum

__all__ = ["MLP", "Layer", "Module", "Neuron"]

Inputs = Sequence[Value | float]

# The engine's globals, where its node makers read the current group: a store into this dict is
# cheaper than a module attribute assignment, and Module.__call__ makes two per call.
_engine_globals = vars(_engine)


class Module:
    """Base class: something with trainable parameters, whose ``forward`` runs when it is called."""

    def __call__(self, x: Inputs | Value) -> Value | list[Value]:
        """``forward(x)`` as a group of the graph, with the collector paused while it builds.

        The nodes ``forward`` makes record this call as their group, whose path the widget reads
        from attribute names (``layers.0.neurons.3``): no ``super().__init__()`` is needed.
        A try/finally rather than ``with collector_paused()``: a ``with`` statement allocates, and
        the pass that allocation could start would walk the previous call's nodes for nothing.
        Pausing inside the ``try`` means a KeyboardInterrupt cannot leave the collector off.
        """
        # The group is engine.open_scope(self) inline, opened inside the try (no interrupt can
        # leave it open) and once the collector is paused (its tuple is an allocation too).
        enclosing = _engine_globals["_current"]
        try:
            if not gc.isenabled():  # already off: the user's choice, or an outer module's call
                _engine_globals["_current"] = (self, enclosing, next_call())
                return self.forward(x)
            try:
                gc.disable()
                _engine_globals["_current"] = (self, enclosing, next_call())
                return self.forward(x)
            finally:
                gc.enable()
        finally:
            _engine_globals["_current"] = enclosing

    def forward(self, x: Inputs | Value) -> Value | list[Value]:
        """The module's output for input ``x``; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def parameters(self) -> list[Value]:
        """Every trainable Value of the module, in a fixed order."""
        return []

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``(path, parameter)`` for every Value the module holds, found through its attributes
        and lists, named as Python code reads them: ``layers[0].neurons[3].w[1]``."""
        found: list[tuple[str, Value]] = []
        _collect(self, "", found, set())
        return found

    def zero_grad(self) -> None:
        """Reset every parameter's grad to 0; call it before each ``backward()``, since leaves
        accumulate gradients across backward passes."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """``relu(w . x + b)`` (or just ``w . x + b`` with ``nonlin=False``) over ``nin`` inputs."""

    def __init__(self, nin: int, nonlin: bool = True) -> None:
        _check_size(nin, "nin")
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def forward(self, x: Inputs | Value) -> Value:
        """The neuron's output for inputs ``x`` (one per weight)."""
        if isinstance(x, Value):
            x = [x]  # the single output of a one-neuron layer before this one
        if len(x) != len(self.w):
            raise ValueError(f"{self!r} takes {len(self.w)} inputs, got {len(x)}")
        act = weighted_sum(self.b, self.w, x)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        """The weights, then the bias."""
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons over the same ``nin`` inputs; keyword arguments go to each Neuron."""

    def __init__(self, nin: int, nout: int, **kwargs: bool) -> None:
        _check_size(nout, "nout")
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def forward(self, x: Inputs | Value) -> Value | list[Value]:
        """The neurons' outputs: a list, or a single Value when the layer has one neuron."""
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        """Every neuron's parameters, neuron by neuron."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ``nin`` inputs, then one layer per entry of ``nouts``.

    Hidden layers use ReLU, the last layer is linear; a one-neuron last layer returns a Value.
    """

    def __init__(self, nin: int, nouts: Sequence[int]) -> None:
        if isinstance(nouts, int) or not nouts:
            raise TypeError(
                f"nouts must be a non-empty list of layer sizes, e.g. [16, 1], not {nouts!r}"
            )
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))
        ]

    def forward(self, x: Inputs | Value) -> Value | list[Value]:
        """The network's output: a Value when the last layer has one neuron, else a list."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        """Every layer's parameters, layer by layer."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _collect(owner: Module, prefix: str, found: list[tuple[str, Value]], seen: set[int]) -> None:
    if id(owner) in seen:  # a module reachable twice is listed once
        return
    seen.add(id(owner))
    for name, value in getattr(owner, "__dict__", {}).items():
        items = list(enumerate(value)) if isinstance(value, (list, tuple)) else [(None, value)]
        for i, item in items:
            path = f"{prefix}{name}" if i is None else f"{prefix}{name}[{i}]"
            if isinstance(item, Value):
                found.append((path, item))
            elif isinstance(item, Module):
                _collect(item, f"{path}.", found, seen)


def _check_size(n: object, name: str) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{name} must be a positive whole number, not {n!r}")
