"""The ``%%micrograd`` language: a cell of scalar formulas, parsed safely into a reusable Program.

A cell is a list of assignments, one per line::

    x: (-3, 3) = 2.0        # an input (a slider) with its range; (-3, 3, 0.1) adds a step
    y = 3.0                 # an input with a default range
    w: trainable(-3, 3) = 0 # an input that gradient descent moves (also: w: trainable = 0)
    z = x*y + x**2          # a formula: numbers, earlier names, + - * / **, unary -, ( )
    out = tanh(z)           # relu tanh exp log sigmoid sin cos abs, also as z.tanh()

The last assignment is the output (the root of ``backward()``); a last line without ``=`` is the
output too: a bare name names it, any other expression is computed as ``out``. ``+= -= *= /=
**=`` rebind a name to a new node. Every node made by an assignment is labelled with its name.

Safety: the text goes through :func:`ast.parse` only. The syntax tree is checked against the
whitelist above and translated into a small tree of the package's own
(:mod:`micrograd_magic.syntax`), which :class:`Program` evaluates with
:class:`~micrograd_magic.engine.Value` operations. Nothing is ever compiled to code or executed,
and no name outside the cell is looked up.

Semantics follow Python with ``Value`` objects exactly: a sub-expression made of numbers only is
computed as a number (``x * (1/2)`` multiplies by the constant 0.5, as Python would), and an
assignment whose right side is such a constant expression defines an input.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real

from .engine import Value, topological_order
from .engine import short_number as _fmt
from .errors import (
    MicrogradDomainError,
    MicrogradError,
    MicrogradSyntaxError,
    clip,
    closest_name,
    name_list,
)
from .graph import Graph
from .inputs import InputSpec, check_span
from .syntax import (
    FUNCTIONS,
    OUTPUT_NAME,
    Const,
    Expr,
    Ref,
    Statement,
    apply_node,
    operands,
    split_lines,
    translate,
)

__all__ = [
    "FUNCTIONS",
    "OUTPUT_NAME",
    "Computation",
    "MicrogradDomainError",
    "MicrogradError",
    "MicrogradSyntaxError",
    "Program",
    "compile",
    "parse",
]


class Program:
    """A parsed ``%%micrograd`` cell, ready to be built into Values as often as needed.

    ``inputs`` are the sliders (in the order of the cell), ``output`` the name of the root of
    ``backward()``, ``names`` every variable of the cell in order of first assignment, ``text``
    the cell. Build it with :meth:`run` (a :class:`Computation`) or :meth:`build` (just the
    Values by name). Made by :func:`parse`.
    """

    def __init__(
        self,
        text: str,
        statements: tuple[Statement, ...],
        output: str,
        line_offset: int = 0,
    ) -> None:
        self.text = text
        self.line_offset = line_offset
        self._statements = statements
        self._lines = split_lines(text)
        self.inputs: tuple[InputSpec, ...] = tuple(s.spec for s in statements if s.spec)
        #: The inputs marked ``trainable`` (``w: trainable = 0.5``), in the order of the cell.
        self.trainable: tuple[str, ...] = tuple(s.name for s in statements if s.trainable)
        self.names: tuple[str, ...] = tuple(dict.fromkeys(s.name for s in statements))
        if output not in self.names:
            raise MicrogradError(
                f"unknown output '{output}'",
                hint=_choices_hint(output, self.names, "the cell's variables"),
            )
        self.output = output

    def __repr__(self) -> str:
        inputs = ", ".join(s.name for s in self.inputs)
        return f"<Program inputs=[{inputs}] output={self.output!r} names={list(self.names)}>"

    def with_output(self, name: str) -> Program:
        """The same program with another variable as its output (the root of ``backward()``)."""
        return Program(self.text, self._statements, name, self.line_offset)

    def run(self, values: Mapping[str, float] | None = None) -> Computation:
        """Build every Value of the cell (inputs overridden by ``values``) and run backward().

        ``values`` maps input names to numbers inside their ranges. Raises
        :class:`MicrogradError` for an unknown name or a bad number and
        :class:`MicrogradDomainError` when an operation has no finite result at these numbers.
        """
        specs = self._override(values or {})
        current = {s.name: s.value for s in specs}
        env: dict[str, Value] = {}
        leaves: dict[str, Value] = {}
        for stmt in self._statements:
            if stmt.spec is not None:
                v = Value(current[stmt.name], label=stmt.name)
                leaves[stmt.name] = v
            else:
                v = self._evaluate(stmt.expr, env, current)
                if v.label is None:  # a new node; `y = x` only gives x a second name
                    v.label = stmt.name
            env[stmt.name] = v
        try:
            env[self.output].backward()
        except (ArithmeticError, ValueError) as exc:
            # e.g. x ** -1.5 at x = 1e-200: a finite value whose derivative is out of range
            raise MicrogradDomainError(
                f"backward() cannot compute the gradients at these numbers: {exc}",
                hint="a derivative is beyond the float range (about ±1.8e308) here; "
                "move the inputs away from where it is",
            ) from None
        ordered = {name: env[name] for name in self.names}
        return Computation(self, ordered, tuple(specs), leaves)

    def build(self, values: Mapping[str, float] | None = None) -> dict[str, Value]:
        """Every variable of the cell as a Value, by name, after backward() from the output."""
        return self.run(values).values

    def _override(self, values: Mapping[str, float]) -> list[InputSpec]:
        if not isinstance(values, Mapping):
            raise TypeError(
                f"values must be a mapping of input names to numbers, not {type(values).__name__}"
            )
        specs = {s.name: s for s in self.inputs}
        for name, x in values.items():
            if name not in specs:
                if name in self.names:
                    raise MicrogradError(
                        f"'{name}' is computed by the cell, not an input",
                        hint=_choices_hint(name, list(specs), "the inputs"),
                    )
                raise MicrogradError(
                    f"unknown input '{name}'", hint=_choices_hint(name, list(specs), "the inputs")
                )
            spec = specs[name]
            number = _finite_float(x)
            if number is None:
                raise MicrogradError(
                    f"input '{name}' must be a finite number, got {clip(repr(x), 60)}"
                )
            x = number
            if not spec.min <= x <= spec.max:
                raise MicrogradError(
                    f"input '{name}' = {_fmt(x)} lies outside its range "
                    f"[{_fmt(spec.min)}, {_fmt(spec.max)}]",
                    hint=f"give it a wider range in the cell: {name}: (min, max) = ...",
                )
            specs[name] = dataclasses.replace(spec, value=float(x))
        return list(specs.values())

    def _evaluate(
        self, node: Expr | None, env: Mapping[str, Value], inputs: Mapping[str, float]
    ) -> Value | float:
        # Post-order with an explicit stack, not recursion: every formula the translator
        # accepted can be computed, however deeply it nests.
        todo: list[tuple[Expr, bool]] = [(node, False)] if node is not None else []
        done: list[Value | float] = []
        while todo:
            expr, ready = todo.pop()
            if isinstance(expr, Const):
                done.append(expr.value)
            elif isinstance(expr, Ref):
                done.append(env[expr.name])
            elif ready:
                k = len(operands(expr))
                args = done[-k:]
                del done[-k:]
                done.append(apply_node(expr, args, self._lines, self.line_offset, inputs))
            else:
                todo.append((expr, True))
                todo.extend((o, False) for o in reversed(operands(expr)))
        (value,) = done
        return value


@dataclass(frozen=True)
class Computation:
    """A built program: its Values by name, the input specs at their current values, the output.

    ``leaves`` maps each input name to its leaf Value, also when the name was later reassigned
    (``x = 2.0`` then ``x = x * 2``); ``extra`` are the Values the output does not depend on.
    """

    program: Program
    values: dict[str, Value]
    inputs: tuple[InputSpec, ...]
    leaves: dict[str, Value]

    @property
    def output(self) -> str:
        """The name of the output variable (the root of ``backward()``)."""
        return self.program.output

    @property
    def root(self) -> Value:
        """The output Value."""
        return self.values[self.output]

    @property
    def extra(self) -> tuple[Value, ...]:
        """Variables and inputs the output does not depend on (to be drawn all the same)."""
        reachable = set(topological_order(self.root))
        extra: list[Value] = []
        for v in (*self.values.values(), *self.leaves.values()):
            if v not in reachable:
                reachable.add(v)
                extra.append(v)
        return tuple(extra)

    def graph(self) -> Graph:
        """The :class:`~micrograd_magic.graph.Graph` of the output, with every other variable."""
        return Graph.from_value(self.root, self.extra)


def _finite_float(x: object) -> float | None:
    """``x`` as a finite float if it is a real number (not a bool) with one, else None."""
    if isinstance(x, bool) or not isinstance(x, Real):
        return None
    try:
        number = float(x)
    except (OverflowError, ValueError, TypeError):  # 10**400, or a Real that is no float
        return None
    return number if math.isfinite(number) else None


def _choices_hint(name: str, choices: list[str] | tuple[str, ...], what: str) -> str:
    if not choices:
        return f"there are no {what.removeprefix('the ')}"
    hint = f"{what} are " + name_list(choices)
    close = closest_name(name, choices)
    return f"did you mean '{close}'? ({hint})" if close is not None else hint


def parse(
    text: str,
    output: str | None = None,
    *,
    default_span: float | None = None,
    line_offset: int = 0,
) -> Program:
    """Check and translate a cell into a :class:`Program` (nothing is computed but constants).

    ``output`` names the root of ``backward()`` (default: the last assignment);
    ``default_span`` is the half-width of the default slider range ``[-span, span]`` for inputs
    given without one (when it holds the value); ``line_offset`` is added to the line numbers of
    errors (1 in a notebook, where line 1 holds ``%%micrograd``). Raises
    :class:`MicrogradSyntaxError` (or :class:`MicrogradDomainError` for a bad constant), and
    ValueError for a ``default_span`` no slider range fits (see
    :func:`~micrograd_magic.inputs.check_span`).
    """
    if not isinstance(text, str):
        raise TypeError(f"a %%micrograd program is a str, not {type(text).__name__}")
    translation = translate(text, line_offset, check_span(default_span))
    program = Program(text, translation.statements, translation.output, line_offset)
    return program if output is None else program.with_output(output)


def compile(  # shadows the builtin on purpose: the package's API is micrograd_magic.compile
    text: str,
    output: str | None = None,
    *,
    values: Mapping[str, float] | None = None,
    default_span: float | None = None,
) -> Computation:
    """Parse and build a ``%%micrograd`` program in one step, outside a notebook.

    >>> c = compile("x = 2.0\\ny = 3.0\\nz = x*y + x**2")
    >>> c.values["x"].grad, c.root.data
    (7.0, 10.0)
    """
    return parse(text, output, default_span=default_span).run(values)
