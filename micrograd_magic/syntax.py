"""Reading a ``%%micrograd`` cell: the whitelist check and the translation into a small tree.

The cell goes through :func:`ast.parse` only; a translator walks Python's syntax tree,
rejects everything outside the language with a located :class:`MicrogradSyntaxError`, and
translates the rest into this module's own expression nodes (:class:`Const`, :class:`Ref`,
:class:`Binary`, :class:`Negate`, :class:`Power`, :class:`Apply`). :func:`apply_node` performs one
node's operation with the engine's ``Value`` arithmetic; it computes number-only parts while
translating (constant folding) and every node when :class:`~micrograd_magic.language.Program`
runs. Nothing is compiled to code or executed, and no name outside the cell is looked up.
This module is the machinery behind :mod:`micrograd_magic.language`, which is the public API.
"""

from __future__ import annotations

import ast
import io
import keyword
import math
import operator
import re
import tokenize
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .engine import Value
from .engine import short_number as _fmt
from .errors import (
    MicrogradDomainError,
    MicrogradError,
    MicrogradSyntaxError,
    clip,
    closest_name,
    name_list,
)
from .inputs import InputSpec, check_range, default_input, default_step
from .ops import functions

__all__ = [
    "FUNCTIONS",
    "OUTPUT_NAME",
    "Apply",
    "Binary",
    "Const",
    "Expr",
    "Negate",
    "Power",
    "Ref",
    "Span",
    "Statement",
    "Translation",
    "apply_node",
    "operands",
    "split_lines",
    "too_deep",
    "translate",
]

#: The functions a cell may call, as ``tanh(z)`` or as methods ``z.tanh()``.
FUNCTIONS: tuple[str, ...] = functions()

#: The name a last line without ``=`` is given (unless it is a bare name).
OUTPUT_NAME = "out"

_EXAMPLE = "x = 2.0, then y = 3.0, then z = x*y + x**2 (one per line)"
_ALLOWED = (
    "allowed are numbers, names defined above, + - * / ** (with a constant exponent), "
    f"unary -, parentheses and the functions {' '.join(FUNCTIONS)} (also as z.tanh())"
)
_ONE_PER_LINE = "a cell is a list of assignments, one per line: name = expression"
_IMPLICIT = "implicit multiplication is not part of the %%micrograd language"
_PUT_STAR = "put * between the factors, as in Python"
_FLOAT_RANGE = "about ±1.8e308"


# -- the translated program: a tiny expression tree of this module's own ----------------------
@dataclass(frozen=True)
class Span:
    """Where a piece of the cell is: 1-based lines of the text, 0-based character columns."""

    lineno: int
    col: int
    end_lineno: int
    end_col: int


@dataclass(frozen=True)
class Const:
    """A number."""

    value: float
    span: Span


@dataclass(frozen=True)
class Ref:
    """A name defined earlier in the cell."""

    name: str
    span: Span


@dataclass(frozen=True)
class Binary:
    """``left op right`` for op in ``+ - * /``."""

    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True)
class Negate:
    """``-operand``."""

    operand: Expr
    span: Span


@dataclass(frozen=True)
class Power:
    """``base ** k`` with a constant exponent ``k``."""

    base: Expr
    k: float
    span: Span


@dataclass(frozen=True)
class Apply:
    """``fn(arg)`` for fn in :data:`FUNCTIONS`."""

    fn: str
    arg: Expr
    span: Span


Expr = Const | Ref | Binary | Negate | Power | Apply


@dataclass(frozen=True)
class Statement:
    """``name = expr`` (a formula) or, with ``spec`` set, the input ``name``."""

    name: str
    span: Span
    expr: Expr | None = None
    spec: InputSpec | None = None
    trainable: bool = False


#: The annotation that marks an input as trainable: ``w: trainable(-3, 3) = 0.5``.
TRAINABLE = "trainable"

_BINOPS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}
_ARITHMETIC: dict[str, Callable[[object, object], Value]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_OTHER_BINOPS: dict[type[ast.operator], tuple[str, str]] = {
    ast.BitXor: ("^", "for a power write x ** 2 (in Python ^ is bitwise xor)"),
    ast.FloorDiv: ("//", "use / (there is no floor division of Values)"),
    ast.Mod: ("%", "there is no remainder of Values"),
    ast.MatMult: ("@", "Values are scalars: use * to multiply"),
    ast.LShift: ("<<", "there are no bit shifts of Values"),
    ast.RShift: (">>", "there are no bit shifts of Values"),
    ast.BitOr: ("|", "there is no bitwise or of Values"),
    ast.BitAnd: ("&", "there is no bitwise and of Values"),
}
_FOUND: dict[type[ast.AST], str] = {
    ast.Lambda: "a lambda",
    ast.IfExp: "a conditional expression (... if ... else ...)",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.Subscript: "indexing (x[...])",
    ast.Starred: "a starred expression (*x)",
    ast.Slice: "a slice",
    ast.NamedExpr: "the walrus operator (:=)",
}
_STATEMENT_KEYWORDS: dict[str, str] = {
    "If": "if",
    "For": "for",
    "AsyncFor": "async for",
    "While": "while",
    "With": "with",
    "AsyncWith": "async with",
    "Try": "try",
    "TryStar": "try",
    "FunctionDef": "def",
    "AsyncFunctionDef": "async def",
    "ClassDef": "class",
    "Return": "return",
    "Delete": "del",
    "Pass": "pass",
    "Break": "break",
    "Continue": "continue",
    "Import": "import",
    "ImportFrom": "import",
    "Global": "global",
    "Nonlocal": "nonlocal",
    "Assert": "assert",
    "Raise": "raise",
    "Match": "match",
    "TypeAlias": "type",
}


def _is_reserved(name: str) -> bool:
    return name.startswith("__")


# -- parsing -----------------------------------------------------------------------------------
class _Translator:
    """Checks a cell's syntax tree against the whitelist and translates it into statements."""

    def __init__(self, text: str, line_offset: int, default_span: float | None) -> None:
        # Python's parser breaks lines only at \n, \r\n and \r (str.splitlines knows more).
        self.lines = split_lines(text)
        self.line_offset = line_offset
        self.default_span = default_span
        self.statements: list[Statement] = []
        self.defined: dict[str, int] = {}  # name -> line of its latest definition
        self.inputs: dict[str, int] = {}  # input name -> its line
        self.assigned_on: dict[str, int] = {}  # every assigned name -> its first line
        self.output = ""
        self.current: ast.stmt | None = None  # the statement being translated

    # -- errors ------------------------------------------------------------------------------
    def span(self, node: ast.AST) -> Span:
        return Span(
            node.lineno,
            self._char_col(node.lineno, node.col_offset),
            node.end_lineno or node.lineno,
            self._char_col(node.end_lineno or node.lineno, node.end_col_offset or 0),
        )

    def _char_col(self, lineno: int, byte_col: int) -> int:
        # ast counts columns in UTF-8 bytes; people (and carets) count characters.
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        return len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))

    def error(
        self,
        msg: str,
        where: ast.AST | Span | None,
        hint: str | None = None,
        cls: type[MicrogradError] = MicrogradSyntaxError,
    ) -> MicrogradError:
        if where is None:
            return cls(msg, hint=hint)
        span = where if isinstance(where, Span) else self.span(where)
        return _located_error(cls, msg, self.lines, self.line_offset, span, hint)

    def source(self, span: Span) -> str:
        return _source_of(self.lines, span)

    # -- statements --------------------------------------------------------------------------
    def translate(self, tree: ast.Module) -> None:
        body = tree.body
        if not body:
            raise MicrogradSyntaxError(
                "the cell is empty: there is nothing to compute",
                hint=f"write inputs and formulas, e.g. {_EXAMPLE}",
            )
        for stmt in body:
            for target in _assigned_names(stmt):
                self.assigned_on.setdefault(target, stmt.lineno)
        for i, stmt in enumerate(body):
            self.current = stmt
            if isinstance(stmt, ast.Assign):
                self.assign(stmt)
            elif isinstance(stmt, ast.AnnAssign):
                self.annotated_assign(stmt)
            elif isinstance(stmt, ast.AugAssign):
                self.augmented_assign(stmt)
            elif isinstance(stmt, ast.Expr):
                self.bare_expression(stmt, is_last=i == len(body) - 1)
            else:
                raise self.statement_error(stmt)

    def statement_error(self, stmt: ast.stmt) -> MicrogradError:
        keyword = _STATEMENT_KEYWORDS.get(type(stmt).__name__, type(stmt).__name__)
        if keyword == "import":
            hint = "nothing can be imported: a cell only computes with its own numbers and names"
        elif keyword in ("def", "async def", "class"):
            hint = f"the functions are {', '.join(FUNCTIONS)}; {_ONE_PER_LINE}"
        else:
            hint = _ONE_PER_LINE + " (there are no statements like if, for or while)"
        return self.error(
            f"`{keyword}` statements are not part of the %%micrograd language", stmt, hint
        )

    def target_name(self, target: ast.expr) -> str:
        if isinstance(target, ast.Name):
            self.check_name(target.id, target)
            if target.id in FUNCTIONS:
                raise self.error(
                    f"'{target.id}' is the name of a function and cannot be assigned",
                    target,
                    f"choose another name, e.g. {target.id}_out",
                )
            return target.id
        if isinstance(target, (ast.Tuple, ast.List)):
            msg, hint = "unpacking several names at once is not supported", _ONE_PER_LINE
        elif isinstance(target, ast.Attribute):
            msg, hint = "assigning to an attribute is not supported", _ONE_PER_LINE
        elif isinstance(target, ast.Subscript):
            msg, hint = "assigning to an item (x[...]) is not supported", _ONE_PER_LINE
        else:
            msg, hint = "only a plain name can be assigned", _ONE_PER_LINE
        raise self.error(msg, target, hint)

    def assign(self, stmt: ast.Assign) -> None:
        if len(stmt.targets) > 1:
            raise self.error(
                "chained assignment (a = b = ...) is not supported",
                stmt.targets[1],
                "assign one name per line; the second name can copy the first: b = a",
            )
        name = self.target_name(stmt.targets[0])
        self.define(name, self.expr(stmt.value), stmt, annotation=None)

    def annotated_assign(self, stmt: ast.AnnAssign) -> None:
        name = self.target_name(stmt.target)
        if stmt.value is None:
            raise self.error(
                f"the input '{name}' has a range but no value",
                stmt,
                f"give it a value inside the range: {self.source(self.span(stmt))} = 0.0",
            )
        self.define(name, self.expr(stmt.value), stmt, annotation=stmt.annotation)

    def augmented_assign(self, stmt: ast.AugAssign) -> None:
        name = self.target_name(stmt.target)
        current = self.name(ast.Name(name, ast.Load(), **_position(stmt.target)))
        op = self.binary_operator(stmt.op, stmt)
        value = self.expr(stmt.value)
        span = self.span(stmt)
        if op == "**":
            expr: Expr = Power(current, self.exponent(current, value, stmt.value), span)
        else:
            expr = Binary(op, current, value, span)
        self.define(name, expr, stmt, annotation=None)

    def bare_expression(self, stmt: ast.Expr, is_last: bool) -> None:
        if not is_last:
            raise self.error(
                "an expression without '=' is only allowed on the last line (as the output)",
                stmt,
                f"give it a name: name = {self.source(self.span(stmt))}",
            )
        if isinstance(stmt.value, ast.Name):
            self.name(stmt.value)  # must be defined already
            self.output = stmt.value.id
            return
        self.define(OUTPUT_NAME, self.expr(stmt.value), stmt, annotation=None)

    def define(self, name: str, expr: Expr, stmt: ast.stmt, annotation: ast.expr | None) -> None:
        span = self.span(stmt)
        trainable, annotation = self.trainable_annotation(annotation)
        if trainable and not isinstance(expr, Const):
            raise self.error(
                f"only inputs can be trainable, but '{name}' is computed from other names",
                stmt,
                f"give '{name}' a number: {name}: trainable = 0.0",
            )
        if isinstance(expr, Const):
            if name in self.inputs:
                raise self.error(
                    f"the input '{name}' is already defined on line "
                    f"{self.inputs[name] + self.line_offset}",
                    stmt,
                    "each input is defined once; to compute from it, use a new name",
                )
            spec = self.input_spec(name, expr.value, annotation, stmt)
            self.statements.append(Statement(name, span, spec=spec, trainable=trainable))
            self.inputs[name] = stmt.lineno
        else:
            if annotation is not None:
                raise self.error(
                    f"a range is only for inputs, but '{name}' is computed from other names",
                    annotation,
                    f"write {name} = {self.source(expr.span)} without the range, or give "
                    f"{name} a number to make it an input",
                )
            self.statements.append(Statement(name, span, expr=expr))
        self.defined[name] = stmt.lineno
        self.output = name

    # -- inputs ------------------------------------------------------------------------------
    def trainable_annotation(self, annotation: ast.expr | None) -> tuple[bool, ast.expr | None]:
        """``w: trainable = v`` and ``w: trainable(min, max[, step]) = v`` mark an input that
        gradient descent moves; returns (trainable?, the range annotation that remains)."""
        if isinstance(annotation, ast.Name) and annotation.id == TRAINABLE:
            return True, None
        if (
            isinstance(annotation, ast.Call)
            and isinstance(annotation.func, ast.Name)
            and annotation.func.id == TRAINABLE
        ):
            if annotation.keywords:
                raise self.error(
                    f"{TRAINABLE}(...) takes only its range's numbers",
                    annotation.keywords[0].value,
                    f"write {TRAINABLE}(min, max) or {TRAINABLE}(min, max, step)",
                )
            return True, ast.Tuple(annotation.args, ast.Load(), **_position(annotation))
        return False, annotation

    def input_spec(
        self, name: str, value: float, annotation: ast.expr | None, stmt: ast.stmt
    ) -> InputSpec:
        if annotation is None:
            try:
                return default_input(name, value, self.default_span)
            except (ValueError, OverflowError):
                raise self.error(
                    f"no default slider range fits the value {_fmt(value)} of '{name}'",
                    stmt,
                    f"give it a range: {name}: (min, max) = {_fmt(value)}",
                ) from None
        usage = f"write {name}: (min, max) = value or {name}: (min, max, step) = value"
        if not isinstance(annotation, ast.Tuple):
            raise self.error(
                f"the annotation of '{name}' must be its slider range, a tuple of numbers",
                annotation,
                usage,
            )
        if len(annotation.elts) not in (2, 3):
            raise self.error(
                f"a range has 2 or 3 numbers (min, max[, step]), found {len(annotation.elts)}",
                annotation,
                usage,
            )
        bounds = []
        for element in annotation.elts:
            bound = self.expr(element)
            if not isinstance(bound, Const):
                raise self.error(
                    "a range must be made of numbers", element, usage + " with numbers"
                )
            bounds.append(bound.value)
        low, high = bounds[0], bounds[1]
        if not low < high:
            raise self.error(
                f"the range's min ({_fmt(low)}) must be below its max ({_fmt(high)})",
                annotation,
                f"write the smaller number first: "
                f"{name}: ({_fmt(high)}, {_fmt(low)}) = {_fmt(value)}",
            )
        if not math.isfinite(high - low):
            raise self.error("the range is too wide for a float", annotation, usage)
        if not low <= value <= high:
            raise self.error(
                f"the value {_fmt(value)} of '{name}' lies outside its range "
                f"({_fmt(low)}, {_fmt(high)})",
                annotation,
                "widen the range or choose a value inside it",
            )
        if len(bounds) == 3:
            step = bounds[2]
            if not step > 0:
                raise self.error(
                    f"the step of a range must be positive, found {_fmt(step)}",
                    annotation.elts[2],
                    f"write {name}: ({_fmt(low)}, {_fmt(high)}, 0.1) = {_fmt(value)}",
                )
            if step > high - low:
                raise self.error(
                    f"the step {_fmt(step)} is larger than the range ({_fmt(low)}, {_fmt(high)})",
                    annotation.elts[2],
                    "choose a step smaller than max - min",
                )
            try:
                check_range(low, high, step)
            except ValueError as exc:
                raise self.error(str(exc), annotation.elts[2], "choose a coarser step") from None
        else:
            try:
                step = default_step(low, high, value)
            except ValueError as exc:
                raise self.error(
                    str(exc),
                    annotation,
                    f"widen the range, or give a step: {name}: (min, max, step) = value",
                ) from None
        return InputSpec(name=name, value=value, min=low, max=high, step=step)

    # -- expressions -------------------------------------------------------------------------
    def expr(self, node: ast.expr) -> Expr:
        """Translate an expression, computing number-only parts at once (as Python would)."""
        span = self.span(node)
        if isinstance(node, ast.Constant):
            return Const(self.number(node), span)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            op = self.binary_operator(node.op, node)
            left = self.expr(node.left)
            right = self.expr(node.right)
            if op == "**":
                k = self.exponent(left, right, node.right)
                return self.fold(Power(left, k, span))
            return self.fold(Binary(op, left, right, span))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return self.expr(node.operand)
            if isinstance(node.op, ast.USub):
                return self.fold(Negate(self.expr(node.operand), span))
            word = "not" if isinstance(node.op, ast.Not) else "~"
            raise self.error(f"`{word}` is not part of the %%micrograd language", node, _ALLOWED)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            raise self.attribute_error(node)
        found = _FOUND.get(type(node), type(node).__name__)
        raise self.error(f"{found} is not part of the %%micrograd language", node, _ALLOWED)

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise self.error(
                f"{value!r} is not a number", node, "write a number such as 1.0 or 0.0"
            )
        if isinstance(value, (str, bytes)):
            raise self.error(
                "strings are not part of the %%micrograd language", node, "write a number"
            )
        if isinstance(value, complex):
            raise self.error("complex numbers are not supported", node, "Values are real numbers")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(
                f"the number is too large for a float (beyond {_FLOAT_RANGE})",
                node,
                "write a smaller number",
            )
        return number

    def check_name(self, name: str, node: ast.AST) -> None:
        if _is_reserved(name):
            raise self.error(
                f"names starting with __ are not allowed (found {name})",
                node,
                "choose a plain name such as x or w1",
            )

    def name(self, node: ast.Name) -> Ref:
        name = node.id
        self.check_name(name, node)
        if name in self.defined:
            return Ref(name, self.span(node))
        if name in FUNCTIONS:
            raise self.error(
                f"'{name}' is a function: call it",
                node,
                f"write {name}(x) or x.{name}()",
            )
        if self.assigned_on.get(name, 0) > node.lineno:
            raise self.error(
                f"'{name}' is used before it is defined (on line "
                f"{self.assigned_on[name] + self.line_offset})",
                node,
                "move that definition above this line",
            )
        raise self.error(f"unknown name '{name}'", node, self.unknown_name_hint(name))

    def unknown_name_hint(self, name: str) -> str:
        known = list(self.defined)
        if not known:
            return f"nothing is defined yet: define inputs first, e.g. {name} = 2.0"
        hint = "defined so far: " + name_list(known)
        close = closest_name(name, known)
        if close is not None:
            hint = f"did you mean '{close}'? ({hint})"
        return hint

    def binary_operator(self, op: ast.operator, node: ast.AST) -> str:
        if type(op) in _BINOPS:
            return _BINOPS[type(op)]
        symbol, hint = _OTHER_BINOPS.get(type(op), (type(op).__name__, _ALLOWED))
        raise self.error(
            f"the operator {symbol} is not part of the %%micrograd language", node, hint
        )

    def exponent(self, base: Expr, k: Expr, node: ast.AST) -> float:
        if isinstance(k, Const):
            return k.value
        base_text = self.source(base.span)
        if not isinstance(base, (Const, Ref)):
            base_text = f"({base_text})"
        raise self.error(
            "the exponent of ** must be a constant number, not a Value",
            node,
            f"for a variable exponent write exp({self.source(k.span)} * log({base_text}))"
            " (the base must be positive)",
        )

    def call(self, node: ast.Call) -> Expr:
        func = node.func
        if isinstance(func, ast.Name):
            fn = func.id
            self.check_name(fn, func)
            if fn not in FUNCTIONS:
                raise self.error(*self.unknown_function(fn, func, node))
            self.check_arguments(node, fn, expected=1)
            return self.fold(Apply(fn, self.expr(node.args[0]), self.span(node)))
        if isinstance(func, ast.Attribute):
            fn = func.attr
            if _is_reserved(fn) or fn not in FUNCTIONS:
                raise self.attribute_error(func)
            self.check_arguments(node, fn, expected=0)
            return self.fold(Apply(fn, self.expr(func.value), self.span(node)))
        if _is_factor(func):
            # 2(x + 1), (a + b)(a - b), tanh(x)(y): a product written without its *
            raise self.error(f"{_IMPLICIT}: write {self.product(node)}", node, _PUT_STAR)
        raise self.error(f"only the functions {' '.join(FUNCTIONS)} can be called", node, _ALLOWED)

    def product(self, call: ast.Call) -> str:
        """A call-shaped product (``2(x + 1)``, ``x(y)``) as it is written with its ``*``."""
        span, func = self.span(call), self.span(call.func)
        if not span.lineno == span.end_lineno == func.end_lineno:
            return f"{clip(self.source(self.span(call.func)), 60)} * (...)"
        line = self.lines[span.lineno - 1]
        paren = line.find("(", func.end_col, span.end_col)  # only ) and spaces come before it
        return clip(f"{line[span.col : paren].rstrip()}*{line[paren : span.end_col]}", 80)

    def unknown_function(self, fn: str, node: ast.Name, call: ast.Call) -> tuple[str, ast.AST, str]:
        if fn in self.defined:
            return (
                f"'{fn}' is a variable, not a function",
                node,
                f"to multiply, write {self.product(call)}",
            )
        hint = f"the functions are {', '.join(FUNCTIONS)}; nothing else can be called"
        close = closest_name(fn, FUNCTIONS)
        if close is not None:
            hint = f"did you mean {close}? ({hint})"
        return f"'{fn}' is not a function of the %%micrograd language", node, hint

    def check_arguments(self, node: ast.Call, fn: str, expected: int) -> None:
        if node.keywords:
            raise self.error(f"{fn} takes no keyword arguments", node.keywords[0], f"write {fn}(x)")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error(
                    f"{fn} takes a single value, not *arguments", arg, f"write {fn}(x)"
                )
        if len(node.args) != expected:
            if expected == 0:
                raise self.error(
                    f"the method {fn}() takes no arguments (found {len(node.args)})",
                    node,
                    f"write x.{fn}() or {fn}(x)",
                )
            raise self.error(
                f"{fn} takes exactly one argument (found {len(node.args)})",
                node,
                f"write {fn}(x) or x.{fn}()",
            )

    def attribute_error(self, node: ast.Attribute) -> MicrogradError:
        owner = self.source(self.span(node.value))
        if _is_reserved(node.attr):
            return self.error(
                f"names starting with __ are not allowed (found {owner}.{node.attr})",
                node,
                _ALLOWED,
            )
        if node.attr in FUNCTIONS:
            return self.error(
                f"{owner}.{node.attr} is a method: call it", node, f"write {owner}.{node.attr}()"
            )
        return self.error(
            f"attribute access ({owner}.{node.attr}) is not part of the %%micrograd language",
            node,
            f"the only methods are {', '.join('.' + f + '()' for f in FUNCTIONS)}; read .data "
            "and .grad in the notebook after the cell has run",
        )

    def fold(self, node: Expr) -> Expr:
        """A node whose operands are all numbers, computed now (errors point at it)."""
        args = operands(node)
        if not all(isinstance(o, Const) for o in args):
            return node
        value = apply_node(node, [o.value for o in args], self.lines, self.line_offset)
        return Const(value, node.span)


def _is_factor(node: ast.expr) -> bool:
    """Whether ``node`` reads as a number or a formula (so ``node(...)`` is a product)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    return isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call))


def _position(node: ast.AST) -> dict[str, int | None]:
    return {
        "lineno": node.lineno,
        "col_offset": node.col_offset,
        "end_lineno": node.end_lineno,
        "end_col_offset": node.end_col_offset,
    }


def _assigned_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def operands(node: Expr) -> tuple[Expr, ...]:
    """The sub-expressions a node computes from, in order."""
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Power):
        return (node.base,)
    if isinstance(node, Negate):
        return (node.operand,)
    if isinstance(node, Apply):
        return (node.arg,)
    return ()


# -- errors pointing into the cell ---------------------------------------------------------------
def _source_of(lines: list[str], span: Span) -> str:
    """The text of ``span`` (its lines joined with spaces when it covers several)."""
    if span.lineno == span.end_lineno:
        return lines[span.lineno - 1][span.col : span.end_col]
    parts = [lines[span.lineno - 1][span.col :]]
    parts += lines[span.lineno : span.end_lineno - 1]
    parts.append(lines[span.end_lineno - 1][: span.end_col])
    return " ".join(p.strip() for p in parts)


def _located_error(
    cls: type[MicrogradError],
    msg: str,
    lines: list[str],
    line_offset: int,
    span: Span,
    hint: str | None,
) -> MicrogradError:
    line = lines[span.lineno - 1]
    end = span.end_col if span.end_lineno == span.lineno else len(line.rstrip())
    return cls(
        msg,
        lineno=span.lineno + line_offset,
        col_offset=span.col,
        end_col_offset=end,
        line=line,
        hint=hint,
    )


# -- evaluation ---------------------------------------------------------------------------------
def apply_node(
    node: Expr,
    args: list[Value | float],
    lines: list[str],
    line_offset: int,
    inputs: Mapping[str, float] | None = None,
) -> Value | float:
    """One operation of the tree, as the engine does it; a domain error points at ``node``.

    All-number operands are computed through ``Value`` too (then unwrapped), so that constants
    follow the engine's rules: ``(-8) ** (1/3)`` is an error, not a complex number.
    """
    folding = not any(isinstance(a, Value) for a in args)
    values = [Value(a) for a in args] if folding else args
    try:
        if isinstance(node, Binary):
            out = _ARITHMETIC[node.op](values[0], values[1])
        elif isinstance(node, Power):
            out = values[0] ** node.k
        elif isinstance(node, Negate):
            out = -values[0]
        else:
            out = getattr(values[0], node.fn)()
    except (ArithmeticError, ValueError) as exc:
        raise _domain_error(node, args, lines, line_offset, inputs, exc) from None
    if not math.isfinite(out.data):
        raise _domain_error(node, args, lines, line_offset, inputs, None, out.data)
    return out.data if folding else out


def _domain_error(
    node: Expr,
    args: list[Value | float],
    lines: list[str],
    line_offset: int,
    inputs: Mapping[str, float] | None,
    exc: Exception | None,
    result: float = math.nan,
) -> MicrogradError:
    """The engine's complaint (or an overflow to inf), with the operands' values at the time."""
    text = _source_of(lines, node.span)
    if exc is not None:
        reason = str(exc)
    elif math.isnan(result):
        reason = f"{text} is not a number (nan)"
    else:
        reason = f"{text} overflows to {result}: beyond the float range ({_FLOAT_RANGE})"
    context = [
        f"{_source_of(lines, o.span)} = {_fmt(a.data if isinstance(a, Value) else a)}"
        for o, a in zip(operands(node), args, strict=True)
        if not isinstance(o, Const)
    ]
    hint = ""
    if context:
        hint = "here " + ", ".join(context)
        if inputs:
            hint += " (inputs: " + name_list([f"{n} = {_fmt(v)}" for n, v in inputs.items()]) + ")"
        hint += "; "
    hint += _advice(node, exc)
    return _located_error(MicrogradDomainError, reason, lines, line_offset, node.span, hint)


def _advice(node: Expr, exc: Exception | None) -> str:
    if isinstance(exc, ZeroDivisionError):
        if isinstance(node, Power):
            return "keep the base away from 0, or use a positive exponent"
        return "keep the divisor away from 0"
    if isinstance(exc, ValueError):
        if isinstance(node, Power):
            return "keep the base non-negative, or use a whole-number exponent"
        return "keep the argument of log positive"
    if isinstance(node, Apply) and node.fn == "exp":
        return "keep the argument of exp below about 709.78"
    return f"use smaller numbers: results must stay within {_FLOAT_RANGE}"


def too_deep(lines: list[str], line_offset: int, span: Span | None) -> MicrogradSyntaxError:
    """The error for a statement nested beyond Python's (or this module's) recursion limits,
    pointing at the statement (``span``; None only when it cannot be found: then line 1)."""
    if span is None:
        span = Span(1, 0, 1, len(lines[0]))
    return _located_error(
        MicrogradSyntaxError,
        "the cell is nested too deeply to be read",
        lines,
        line_offset,
        Span(span.lineno, span.col, span.lineno, len(lines[span.lineno - 1].rstrip())),
        "split long formulas over several lines with intermediate names",
    )


def _too_deep_statement(text: str, lines: list[str]) -> Span | None:
    """Where in a cell too deep for Python's parser the deep statement is.

    The parser says only that it gave up; each logical line (as :mod:`tokenize` finds them,
    iteratively) is parsed alone until one fails the same way. None if none does.
    """
    try:
        ends = [
            t.end
            # newline=None: a lone \r ends a line here too, as it does for the parser
            for t in tokenize.generate_tokens(io.StringIO(text, newline=None).readline)
            if t.type in (tokenize.NEWLINE, tokenize.ENDMARKER)
        ]
    except (SyntaxError, tokenize.TokenError, RecursionError, MemoryError):
        ends = [(i + 1, len(line)) for i, line in enumerate(lines)]
    first = 1
    for last, _ in ends:
        chunk = "\n".join(lines[first - 1 : last])
        if chunk.strip():
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ast.parse(chunk)
            except (RecursionError, MemoryError):
                for lineno in range(first, min(last, len(lines)) + 1):
                    text_of_line = lines[lineno - 1]
                    if text_of_line.strip() and not text_of_line.lstrip().startswith("#"):
                        col = len(text_of_line) - len(text_of_line.lstrip())
                        return Span(lineno, col, lineno, len(text_of_line))
            except (SyntaxError, ValueError):
                pass
        first = last + 1
    return None


def _unreadable_character(text: str, translator: _Translator) -> MicrogradSyntaxError | None:
    """A located error for the first character Python's parser cannot take at all: a NUL
    (which it reports without a place) or a lone surrogate (which no encoding can hold)."""
    found = _UNREADABLE.search(text)
    if found is None:
        return None
    before = split_lines(text[: found.start()])
    lineno, col = len(before), len(before[-1])
    char = found.group()
    if char == "\x00":
        msg = "the cell contains a null byte (U+0000): null bytes cannot be read"
        hint = "delete it: it is invisible in most editors (shown here as ␀)"
    else:
        msg = f"the cell contains a lone surrogate (U+{ord(char):04X}), which is not a character"
        hint = "delete it, or retype the character it was meant to be"
    return _located_error(
        MicrogradSyntaxError,
        msg,
        translator.lines,
        translator.line_offset,
        Span(lineno, col, lineno, col + 1),
        hint,
    )


_UNREADABLE = re.compile("[\x00\ud800-\udfff]")
_NUMBER = r"(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?"
_NAME = r"[^\W\d]\w*"
# two factors side by side: 3x (a number and a letter: 3_ is a bad literal), x y, 3 x, (a + b) x
_JUXTAPOSED = re.compile(
    rf"(?P<left>(?<![\w.]){_NUMBER}(?=[^\W\d_])|(?<![\w.])(?:{_NUMBER}|{_NAME})(?=[ \t])|\))"
    rf"[ \t]*(?P<right>{_NAME}|{_NUMBER})"
)


def _implicit_product(line: str, col: int) -> tuple[int, int, str] | None:
    """``(start, end, product with *)`` if two factors side by side (``3x``, ``x y``) are what
    Python's parser stumbled on at column ``col`` of ``line``; else None."""
    for m in _JUXTAPOSED.finditer(line):
        if not m.start() <= col <= m.end():
            continue
        left, right = m.group("left"), m.group("right")
        if keyword.iskeyword(left) or keyword.iskeyword(right):
            return None
        if left[:1] == "0" and right[:1] in "xXoObB":  # 0x1g: a bad hexadecimal literal
            return None
        start = m.start()
        if left == ")":
            start = _opening_paren(line, m.start())
            if start is None:
                return None
        written = f"{line[start : m.start('left') + len(left)]}*{right}"
        return start, m.end(), clip(written, 80)
    return None


def _opening_paren(line: str, close: int) -> int | None:
    """The index of the ``(`` that the ``)`` at ``close`` closes, if it is on the same line."""
    depth = 0
    for i in range(close, -1, -1):
        depth += {")": 1, "(": -1}.get(line[i], 0)
        if depth == 0:
            return i
    return None


def _from_python_syntax_error(exc: SyntaxError, translator: _Translator) -> MicrogradSyntaxError:
    lines = translator.lines
    lineno = exc.lineno or len(lines)
    lineno = min(max(lineno, 1), len(lines))
    col = (exc.offset or 1) - 1
    end = (exc.end_offset or 0) - 1 if exc.end_lineno in (None, exc.lineno) else None
    product = None
    if exc.msg == "invalid decimal literal" or exc.msg.startswith("invalid syntax"):
        product = _implicit_product(lines[lineno - 1], max(col, 0))
    if product is not None:
        start, stop, written = product
        return _located_error(
            MicrogradSyntaxError,
            f"{_IMPLICIT}: write {written}",
            lines,
            translator.line_offset,
            Span(lineno, start, lineno, stop),
            _PUT_STAR,
        )
    hint = f"{_ONE_PER_LINE}, e.g. {_EXAMPLE}"
    invisible = _INVISIBLE.match(exc.msg)
    if invisible is not None:
        code = int(invisible.group(1), 16)
        hint = _INVISIBLE_HINTS.get(code, "delete it: it does not show in most editors")
    return MicrogradSyntaxError(
        f"not valid syntax: {exc.msg}",
        lineno=lineno + translator.line_offset,
        col_offset=max(col, 0),
        end_col_offset=end if end is not None and end > col else max(col, 0) + 1,
        line=lines[lineno - 1],
        hint=hint,
    )


_INVISIBLE = re.compile(r"invalid non-printable character U\+([0-9A-F]{4,6})")
_LINE_BREAK_HINT = (
    "Python does not read it as a line break: replace it with a plain newline "
    "(it comes with text pasted from web pages or word processors)"
)
_INVISIBLE_HINTS = {
    **dict.fromkeys((0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029), _LINE_BREAK_HINT),
    0xA0: "a no-break space: replace it with a plain space",
    0xFEFF: "a byte-order mark (an invisible mark some editors put first): delete it",
}


@dataclass(frozen=True)
class Translation:
    """A checked cell: its statements in order and the name of its output."""

    statements: tuple[Statement, ...]
    output: str


def split_lines(text: str) -> list[str]:
    """The cell's lines as Python's parser counts them (only \\n, \\r\\n and \\r end a line)."""
    return re.split(r"\r\n|\r|\n", text)


def translate(text: str, line_offset: int = 0, default_span: float | None = None) -> Translation:
    """Check a cell against the whitelist and translate it; MicrogradSyntaxError if it fails.

    Constant parts are computed at once, so a constant domain error (``1/0``) raises
    MicrogradDomainError here. ``line_offset`` is added to the line numbers of errors.
    """
    translator = _Translator(text, line_offset, default_span)
    unreadable = _unreadable_character(text, translator)
    if unreadable is not None:
        raise unreadable
    try:
        with warnings.catch_warnings():
            # e.g. "'int' object is not callable" for 2(x): the whitelist reports it better
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename="<%%micrograd>")
    except SyntaxError as exc:
        raise _from_python_syntax_error(exc, translator) from None
    except ValueError as exc:
        raise MicrogradSyntaxError(f"the cell cannot be read: {exc}", hint=_ONE_PER_LINE) from None
    except (RecursionError, MemoryError):  # the parser's own nesting limits
        span = _too_deep_statement(text, translator.lines)
        raise too_deep(translator.lines, line_offset, span) from None
    try:
        translator.translate(tree)
    except RecursionError:
        span = translator.current and translator.span(translator.current)
        raise too_deep(translator.lines, line_offset, span) from None
    return Translation(tuple(translator.statements), translator.output)
