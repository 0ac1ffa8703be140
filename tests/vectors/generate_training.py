"""Write tests/vectors/training.json: train()'s numbers, which js/core/training.js must repeat.

Each case is a small model and data set with its settings: the spec the page receives
(``trainer_spec``, taken before training), then for every update k the batch, the learning rate,
the loss and accuracy computed before it and the weights after it, as ``train()`` produces them.
The cases cover the three losses, full batches and minibatches, constant and decaying learning
rates, both branches of the logistic loss at large scores, SVM rows past the margin (whose
backward pass the page skips), a parameter listed twice and one the output does not use, a run
that diverges and one whose score is nan at once (where each stops, and why). Also the first
draws of the minibatch generator for a few seeds.

``js/core/training.test.js`` checks the JS trainer against the file; ``tests/test_training.py``
checks that the file is what this script writes now. Run from the repository root after changing
training.py:
``.venv/bin/python tests/vectors/generate_training.py``.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from micrograd_magic import Value, datasets, nn  # noqa: E402
from micrograd_magic.files import write_text  # noqa: E402
from micrograd_magic.training import (  # noqa: E402
    DivergedError,
    batch_indices,
    mulberry32,
    train,
    trainer_spec,
)

PATH = Path(__file__).with_name("training.json")

#: Seeds and draw numbers of the generator's pinned outputs: 0, the extremes of 32 bits, and draw
#: numbers beyond 2^32 (where the counter wraps).
SEEDS = [0, 1, 1337, 2**32 - 1]
DRAWS = [0, 1, 2, 99, 2**32 - 1, 2**32 + 5]


class Shared(nn.Module):
    """w·x1 + w·x2·w + b, with w listed twice in parameters() and a parameter it never uses."""

    def __init__(self) -> None:
        self.w = Value(0.7)
        self.b = Value(-0.2)
        self.unused = Value(0.5)

    def forward(self, x: list[Value]) -> Value:
        return self.w * x[0] + self.w * x[1] * self.w + self.b

    def parameters(self) -> list[Value]:
        return [self.w, self.b, self.w, self.unused]


class Overflowing(nn.Module):
    """x·w - x·w: inf - inf = nan for a huge x, with a finite weight."""

    def __init__(self) -> None:
        self.w = Value(1e200)

    def forward(self, x: list[Value]) -> Value:
        return x[0] * self.w - x[0] * self.w

    def parameters(self) -> list[Value]:
        return [self.w]


def _mlp(seed: int, nin: int, nouts: list[int], scale: float = 1.0) -> nn.MLP:
    state = random.getstate()
    random.seed(seed)
    model = nn.MLP(nin, nouts)
    random.setstate(state)
    for p in model.parameters():
        p.data *= scale
    return model


def cases() -> list[tuple[str, Callable[[], Any], tuple[Any, Any], dict[str, Any]]]:
    """(name, model maker, data, settings) for every case."""
    return [
        (
            "svm, full batch, micrograd's schedule",
            lambda: _mlp(3, 2, [4, 4, 1]),
            datasets.moons(12, noise=0.1, seed=1),
            {"loss": "svm", "alpha": 1e-4, "lr": (1.0, 0.1), "steps": 6},
        ),
        (
            "mse, minibatches of 4, constant lr, no regularisation",
            lambda: _mlp(5, 2, [3, 1]),
            datasets.circles(10, seed=2),
            {"loss": "mse", "alpha": 0.0, "lr": 0.05, "steps": 6, "batch_size": 4, "seed": 7},
        ),
        (
            "logistic, large scores (both branches), minibatches of 3",
            lambda: _mlp(11, 2, [4, 1], scale=30.0),
            datasets.xor(8, seed=3),
            {"loss": "logistic", "alpha": 1e-3, "lr": (0.02, 0.0), "steps": 5, "batch_size": 3},
        ),
        (
            "svm, a parameter listed twice and one unused",
            Shared,
            ([[0.5, -1.0], [-0.3, 0.8], [1.2, 0.1]], [1, -1, 1]),
            {"loss": "svm", "alpha": 0.01, "lr": 0.3, "steps": 4},
        ),
        (
            "svm, margins met: rows past the margin add nothing, minibatches of 5",
            lambda: _mlp(13, 2, [4, 1], scale=3.0),
            datasets.blobs(12, noise=0.2, seed=5),
            {
                "loss": "svm",
                "alpha": 1e-4,
                "lr": (0.2, 0.05),
                "steps": 6,
                "batch_size": 5,
                "seed": 3,
            },
        ),
        (
            "mse diverges: a huge learning rate",
            lambda: _mlp(2, 2, [1]),
            datasets.linear(6, seed=4),
            {"loss": "mse", "alpha": 0.0, "lr": 1e155, "steps": 4},
        ),
        (
            "logistic stops at once: a score is nan",
            Overflowing,
            ([[1.0], [1e200]], [1, -1]),
            {"loss": "logistic", "alpha": 0.0, "lr": 0.1, "steps": 3},
        ),
    ]


def run_case(
    name: str, make: Callable[[], Any], data: tuple[Any, Any], settings: dict[str, Any]
) -> dict[str, Any]:
    """The spec, then train()'s figures per update (and where it stopped, if it did)."""
    X, y = data  # noqa: N806 - the usual name
    model = make()
    spec = trainer_spec(model, X, y, **settings)
    stopped = None
    try:
        history = train(model, X, y, progress=False, **settings)
    except DivergedError as error:
        history = error.history
        stopped = {"step": error.step, "message": str(error)}
    steps = []
    for k in range(len(history)):
        batch = (
            list(range(len(X)))
            if spec["batch_size"] is None
            else batch_indices(len(X), spec["batch_size"], spec["seed"], k)
        )
        steps.append(
            {
                "batch": batch,
                "lr": history.lr[k],
                "loss": history.loss[k],
                "accuracy": history.accuracy[k],
                "weights": history.weights_at(k + 1),
            }
        )
    return {"name": name, "spec": spec, "steps": steps, "stopped": stopped}


def draws() -> list[dict[str, int]]:
    """The generator's outputs at a few seeds and draw numbers."""
    return [{"seed": s, "draw": d, "value": mulberry32(s, d)} for s in SEEDS for d in DRAWS]


def render() -> str:
    """The exact text of training.json: deterministic, one step per line."""

    def line(obj: Any) -> str:
        return json.dumps(obj, allow_nan=False)

    texts = []
    for case in (run_case(*c) for c in cases()):
        steps = ",\n".join(f"    {line(step)}" for step in case["steps"])
        texts.append(
            f'  {{"name": {line(case["name"])},\n   "spec": {line(case["spec"])},\n'
            f'   "stopped": {line(case["stopped"])},\n   "steps": [\n{steps}\n   ]}}'
        )
    cases_text = ",\n".join(texts)
    draws_text = ",\n".join(f"  {line(d)}" for d in draws())
    about = "Written by tests/vectors/generate_training.py from micrograd_magic/training.py."
    return (
        f'{{"about": {line(about)},\n "draws": [\n{draws_text}\n ],\n'
        f' "cases": [\n{cases_text}\n ]}}\n'
    )


def write(path: Path = PATH) -> None:
    """Write the file through a temporary file in the same folder, renamed into place."""
    write_text(path, render())


if __name__ == "__main__":
    write()
    print(f"wrote {PATH.relative_to(ROOT)}")
