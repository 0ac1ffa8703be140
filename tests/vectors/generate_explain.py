"""Write tests/vectors/explain.json: what explain.py says, which js/core/explain.js must repeat.

For each graph below: its schema-1 JSON (data and grads from Graph.update, i.e. the IEEE
re-evaluation both front ends share), the explanation and path to the output of every node, the
backprop steps with the grads after each and each step's description. Plus numbers formatted by
format_number, the mirror of js/core/format.js. Run it from the repository root after changing
explain.py or the graphs: ``.venv/bin/python tests/vectors/generate_explain.py``.

tests/test_explain.py fails while the checked-in file differs from what this writes.
"""

from __future__ import annotations

import json
import math
import random
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import micrograd_magic  # noqa: E402
from micrograd_magic import Value, nn  # noqa: E402
from micrograd_magic.explain import (  # noqa: E402
    explain,
    format_formula_number,
    format_number,
    grad_through_nonfinite,
    grads_after_step,
    path_to_output,
    step_description,
    step_sequence,
)
from micrograd_magic.files import write_text  # noqa: E402
from micrograd_magic.graph import Graph, encode_number  # noqa: E402
from micrograd_magic.ops import OPS  # noqa: E402

PATH = Path(__file__).with_name("explain.json")


def _labelled(value: Value, label: str) -> Value:
    value.label = label
    return value


def product_and_square() -> Graph:
    """The README's example: x used by two parents."""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    return Graph.from_value(_labelled(x * y + x**2, "z"))


def every_op() -> Graph:
    """Each op once (and ** with the exponents that read differently), summed into one output."""
    a, b = Value(1.5, label="a"), Value(-0.5, label="b")
    terms = [
        a - b,
        a / b,
        a**3,
        a**0.5,
        b**-1,
        b**-2,
        a**0,
        a**1,
        a**2.5,
        -b,
        (a / b).relu(),
        a.relu(),
        (a * b).tanh(),
        b.exp(),
        a.log(),
        b.sigmoid(),
    ]
    # every other function of the op table, once on each leaf
    for op in OPS:
        if op.method is not None and op.name not in ("relu", "tanh", "exp", "log", "sigmoid"):
            terms += [getattr(a, op.method)(), getattr(b, op.method)()]
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return Graph.from_value(_labelled(out, "f"))


def reuse() -> Graph:
    """a*a (one parent using a node twice) and a third use of a by another parent."""
    a = Value(-3.0, label="a")
    square = a * a
    return Graph.from_value(_labelled(square + a, "c"))


def summation_order() -> Graph:
    """x's grad is 0.3 + 0.2 + 0.1 in backprop's order, which is not 0.1 + 0.2 + 0.3 in floats."""
    x = Value(1.0, label="x")
    return Graph.from_value(_labelled(x * 0.1 + x * 0.2 + x * 0.3, "s"))


def subnormal_divisor() -> Graph:
    """(a/a)*a for a subnormal a: the local derivative 1/a overflows, the share g/a does not."""
    a = Value(2.225e-309, label="a")
    return Graph.from_value(_labelled((a / a) * a, "p"))


def constants() -> Graph:
    """Number operands on either side, in exponent form too; the output has no label."""
    x = Value(2.0, label="x")
    return Graph.from_value((x * 2 + 1) / 4 - 0.5 * x + 1e-5 * x - 12345.678 + (2 - x) + 3 / x)


def reassigned_labels() -> Graph:
    """Two nodes named x, as `x = 2; x = x * 3` in a %%micrograd cell leaves them."""
    x = Value(2.0, label="x")
    x2 = _labelled(x * 3, "x")
    h = _labelled(x2 + x, "h")
    return Graph.from_value(_labelled(h.tanh(), "y"))


def neuron() -> Graph:
    """The neuron of the micrograd lecture: o = tanh(x1*w1 + x2*w2 + b), every node labelled."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1, x2w2 = _labelled(x1 * w1, "x1*w1"), _labelled(x2 * w2, "x2*w2")
    total = _labelled(x1w1 + x2w2, "x1*w1 + x2*w2")
    n = _labelled(total + b, "n")
    return Graph.from_value(_labelled(n.tanh(), "o"))


def unlabelled_neuron() -> Graph:
    """The same neuron with only the leaves named: names become expressions."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    return Graph.from_value((w1 * x1 + w2 * x2 + b).tanh())


def two_layers() -> Graph:
    """A 2-2-1 network with constant weights: deep unlabelled names get shortened."""
    x1, x2 = Value(0.5, label="x1"), Value(-1.0, label="x2")
    h1 = (0.3 * x1 - 0.8 * x2 + 0.1).tanh()
    h2 = (-0.6 * x1 + 0.2 * x2).sigmoid()
    return Graph.from_value(_labelled((1.5 * h1 + -2.0 * h2).relu(), "loss"))


def named_network() -> Graph:
    """An nn.MLP(2, [2, 1]) called twice in a user's group: parameters and module outputs are
    named by their paths' short forms (L1.N2.w1, #2.L1.N1), the model's own output stays
    unnamed."""
    state = random.getstate()
    random.seed(7)
    model = nn.MLP(2, [2, 1])
    random.setstate(state)
    x1, x2 = Value(0.5, label="x1"), Value(-1.0, label="x2")
    with micrograd_magic.group("loss"):
        loss = (model([x1, x2]) - 1.0) ** 2 + model([x2, x1]) ** 2
    return Graph.from_value(_labelled(loss, "loss"))


def long_names() -> Graph:
    """Labels so long that even a one-level name exceeds 40 characters: the name is #id."""
    a = Value(1.0, label="a_rather_long_parameter_name")
    b = Value(2.0, label="another_long_parameter_name")
    x = Value(0.5, label="x")
    chain = x
    for _ in range(5):
        chain = chain.tanh()
    return Graph.from_value(a * b + chain)


def unused_nodes() -> Graph:
    """Extras the output does not depend on: a computed node, and a leaf only they use."""
    x, y, u = Value(2.0, label="x"), Value(3.0, label="y"), Value(4.0, label="u")
    z = _labelled(x * y, "z")
    return Graph.from_value(z, extra=[x + 3, _labelled(u * x, "v")])


def single_leaf() -> Graph:
    """The output is a leaf: one step (the seed), no local derivatives."""
    return Graph.from_value(Value(3.0, label="x"))


def saturated() -> Graph:
    """The tour's neuron dragged to x1 = -1.2 (tanh at 10.48: slope 3.2e-9), beside a saturated
    sigmoid and a tanh near -1: formulas need more digits, and the panel names the vanishing
    gradient."""
    x1, w1 = Value(-1.2, label="x1"), Value(-3.0, label="w1")
    n = _labelled(x1 * w1 + 6.88, "n")
    o = _labelled(n.tanh(), "o")
    s = _labelled((x1 * 20).sigmoid(), "s")
    t = _labelled((w1 * 3).tanh(), "t")
    return Graph.from_value(_labelled(o + s + t, "L"))


def log_of_negative() -> Graph:
    """y = log(c)*w + x + u*3 with the constant c at -0.5: the log is NaN, and so is every sum
    after it, y too; the grads beneath (c's -4, w's NaN) all flowed through a NaN."""
    x, w = Value(-0.5, label="x"), Value(2.0, label="w")
    u = _labelled(Value(1.0, label="u") * 3, "v")
    with_nan = _labelled(Value(0.5).log() * w, "lw")  # a real log, so that building succeeds
    return Graph.from_value(_labelled(with_nan + x + u, "y"))


def _log_of_negative_at() -> Graph:
    g = log_of_negative()
    g.update({0: -0.5})  # the log's operand, the unlabelled 0.5, goes negative
    return g


def _domain_graph() -> Graph:
    x, y = Value(1.0, label="x"), Value(1.0, label="y")
    terms = [x / y, x.log(), (x * 100).exp(), y**-1, x**0.5, (x / y).relu(), (x - y).sigmoid()]
    for op in OPS:  # every other function of the op table, of a value that goes nan/inf/0
        if op.method is not None and op.name not in ("relu", "tanh", "exp", "log", "sigmoid"):
            terms.append(getattr(x / y, op.method)())
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return Graph.from_value(_labelled(out, "f"))


def _at(inputs: dict[int, float]) -> Callable[[], Graph]:
    def build() -> Graph:
        g = _domain_graph()
        g.update(inputs)
        return g

    build.__doc__ = f"Domain edges under IEEE rules (nan/inf), inputs {inputs}."
    return build


GRAPHS: dict[str, Callable[[], Graph]] = {
    "product_and_square": product_and_square,
    "every_op": every_op,
    "reuse": reuse,
    "summation_order": summation_order,
    "subnormal_divisor": subnormal_divisor,
    "constants": constants,
    "reassigned_labels": reassigned_labels,
    "neuron": neuron,
    "unlabelled_neuron": unlabelled_neuron,
    "two_layers": two_layers,
    "named_network": named_network,
    "long_names": long_names,
    "unused_nodes": unused_nodes,
    "single_leaf": single_leaf,
    "zero_over_zero": _at({0: 0.0, 1: 0.0}),
    "exp_overflow": _at({0: 10.0, 1: 0.0}),
    "negative_log": _at({0: -1.0, 1: 2.0}),
    "saturated": saturated,
    "log_of_negative": _log_of_negative_at,
}


def graph_vectors(name: str, g: Graph) -> dict[str, Any]:
    """Everything explain.py says about one graph, as JSON."""
    g.update()  # data and grads from the IEEE re-evaluation, as the widget computes them
    n_steps = len(step_sequence(g))
    return {
        "name": name,
        "graph": g.to_json(),
        "explanations": [explain(g, i).to_json() for i in range(len(g.nodes))],
        "paths": [path_to_output(g, i).to_json() for i in range(len(g.nodes))],
        "steps": [s.to_json() for s in step_sequence(g)],
        "gradsAfterStep": [
            [encode_number(x) for x in grads_after_step(g, k)] for k in range(n_steps + 1)
        ],
        "stepDescriptions": [step_description(g, k).to_json() for k in range(n_steps + 1)],
        "gradThroughNonfinite": grad_through_nonfinite(g),
    }


def formula_numbers() -> list[float]:
    """Numbers that probe format_formula_number: near and at ±1, from either side, and others."""
    numbers = [1.0, -1.0, 0.5, 2.0, math.nan, math.inf, 1.00004, 0.99996, -0.99996, 0.999951]
    numbers += [math.tanh(x) for x in (3.0, 5.0, 8.0, 10.48, 15.0, 19.0, 30.0, -10.48)]
    numbers += [1 / (1 + math.exp(-x)) for x in (10.0, 24.0, 36.0)]
    numbers += [1 + 2.0**-40, 1 - 2.0**-52, -1 - 2.0**-50, math.exp(-1e-9), math.cos(1e-5)]
    return numbers


def format_numbers() -> list[float]:
    """Numbers that probe format_number: edges, ties, every magnitude, random bit patterns."""
    edges = [0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0, 7.0, 10.0, 100.0, 1e4, 9999.4]
    edges += [9999.5, 0.001, 0.00099995, 0.0009999, 1.0625, -1.0625, 0.0625, 1e-5, 1.5e-7]
    edges += [12345.678, -12345.678, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 2.0 / 3.0]
    rng = random.Random(20240605)
    numbers = list(edges)
    while len(numbers) < 300:
        if len(numbers) % 2:
            x = rng.uniform(-10, 10) * 10.0 ** rng.randint(-9, 9)
        else:
            x = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(x):
            numbers.append(x)
    return numbers


def build() -> dict[str, Any]:
    """The whole vectors file as a JSON-ready dict."""
    return {
        "schema": 1,
        "about": "micrograd_magic.explain's answers; js/core/explain.test.js checks explain.js "
        "against them. Written by tests/vectors/generate_explain.py: do not edit.",
        "format": [[encode_number(x), format_number(x)] for x in format_numbers()],
        "formulaFormat": [[encode_number(x), format_formula_number(x)] for x in formula_numbers()],
        "graphs": [graph_vectors(name, make()) for name, make in GRAPHS.items()],
    }


def render() -> str:
    """The file's exact text."""
    return json.dumps(build(), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def main() -> None:
    """Write the file."""
    write_text(PATH, render())
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
