"""Gradient descent on a model and a labelled data set: micrograd's demo loop, as a function.

``train(model, X, y)`` runs, per step, exactly the loop of micrograd's demo notebook: a forward
pass over the batch building one Value graph, the loss averaged over the batch plus
``alpha·Σp²``, ``backward()``, and ``p.data -= lr·p.grad`` for every parameter. Built from the
same Value operations in the same order, it gives micrograd's numbers step for step
(``tests/test_training.py`` runs both side by side).

The page trains the same way without a kernel (``js/core/training.js``): :func:`trainer_spec`
sends it the graph of the model's output for one sample, with the ids of its input and parameter
leaves, and the page evaluates that graph once per sample, combining the per-sample gradients with
the loss's slope. Both sides pick minibatches with the same tiny counter-based generator
(:func:`batch_indices`), so a seed names the same batches in Python and in the page, at any step,
without replaying the steps before it. ``tests/vectors/training.json`` pins the two together.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

from .datasets import check_data
from .engine import Value, collector_paused
from .graph import Graph

__all__ = [
    "LOSSES",
    "DivergedError",
    "History",
    "batch_indices",
    "lr_at",
    "mulberry32",
    "train",
    "trainer_spec",
]

#: The loss names ``train()`` and the page know, each averaged over the batch.
LOSSES = ("svm", "mse", "logistic")

#: Parameter values a History keeps, at most, so a long run of a big model stays small in memory:
#: beyond it, every s-th step is kept.
WEIGHT_BUDGET = 250_000

_MASK = 0xFFFFFFFF
_STREAM_STEP = 0x6D2B79F5  # mulberry32's increment


@dataclass
class History:
    """What ``train()`` saw, step by step: ``len(history) == steps``.

    ``loss[k]`` is the total loss (data loss + ``alpha·Σp²``) computed before update k,
    ``accuracy[k]`` the fraction (0-1) of the batch on the right side of 0 in that same forward
    pass, ``lr[k]`` the learning rate of update k. ``weights`` maps a step k (after k updates:
    0 is the start, ``steps`` the end) to the parameter values then, in ``model.parameters()``
    order: every step while that fits in :data:`WEIGHT_BUDGET` numbers, else every
    ``weights_every``-th step, and always the first and the last. The remaining fields record
    the settings the run used.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    weights: dict[int, list[float]] = field(default_factory=dict)
    weights_every: int = 1
    loss_name: str = "svm"
    alpha: float = 1e-4
    steps: int = 0
    batch_size: int | None = None
    seed: int = 0

    def __len__(self) -> int:
        return len(self.loss)

    def weights_at(self, step: int) -> list[float]:
        """The parameter values after ``step`` updates; KeyError naming the kept steps if that
        step was not kept."""
        if step not in self.weights:
            kept = sorted(self.weights)
            raise KeyError(
                f"the weights after {step} updates were not kept: this history keeps every "
                f"{self.weights_every}. step of 0..{self.steps} (kept: {_ranges(kept)})"
            )
        return self.weights[step]


class DivergedError(ValueError):
    """Training stopped because a loss, score or gradient was no longer finite.

    ``history`` holds the steps completed before it (``len(history) == step``): the model holds
    the weights after those ``step`` updates.
    """

    def __init__(self, msg: str, history: History, step: int) -> None:
        super().__init__(msg)
        self.history = history
        self.step = step


def train(
    model: Any,
    X: Any,  # noqa: N803 - the usual name for a data matrix
    y: Any,
    loss: str = "svm",
    alpha: float = 1e-4,
    lr: float | tuple[float, float] = (1.0, 0.1),
    steps: int = 100,
    batch_size: int | None = None,
    seed: int | None = None,
    progress: bool | None = None,
) -> History:
    """Train ``model`` on ``(X, y)`` by gradient descent; returns the :class:`History`.

    ``model``: anything with ``parameters()`` (a list of Values) that maps one row of inputs
    (a list of Values) to one Value, such as ``nn.MLP(2, [16, 16, 1])``. ``X``, ``y``: rows and
    -1/+1 labels, as lists or NumPy arrays (see :func:`~micrograd_magic.datasets.check_data`).
    ``loss``: ``"svm"`` (``relu(1 - y·score)``, micrograd's), ``"mse"`` (``(score - y)²``) or
    ``"logistic"`` (``log(1 + exp(-y·score))``, computed without overflow), averaged over the
    batch, plus ``alpha·Σp²``. ``lr``: a number, or ``(start, end)``: update k uses
    ``start + (end - start)·k/steps``. ``batch_size``: None for the whole data set in its order
    each step, else that many distinct rows per step, drawn by :func:`batch_indices` from
    ``seed`` (None means 0, so a run repeats). ``progress``: None shows progress once the run
    takes over a second, True from the start, False never.

    The trained weights stay in the model (and the last step's grads in their ``grad``). A bad
    argument raises before anything changes. If a step's loss, a score or a gradient is not
    finite, training stops before that update with a :class:`DivergedError` (a ValueError holding
    the history so far); on that, on a KeyboardInterrupt or on any error from the model, the model
    keeps the weights of the last completed update.
    """
    plan = _plan(model, X, y, loss, alpha, lr, steps, batch_size, seed, progress)
    history = History(
        weights_every=plan.weights_every,
        loss_name=plan.loss,
        alpha=plan.alpha,
        steps=plan.steps,
        batch_size=plan.batch_size,
        seed=plan.seed,
    )
    params = plan.params
    history.weights[0] = [p.data for p in params]
    meter = _Progress(plan.steps, plan.progress)
    done = 0
    before: list[float] | None = None
    try:
        for k in range(plan.steps):
            rate = lr_at(plan.lr, k, plan.steps)
            with collector_paused():
                total, accuracy = _forward_backward(plan, k, history)
            history.loss.append(total)
            history.accuracy.append(accuracy)
            history.lr.append(rate)
            before = [p.data for p in params]
            for p in params:
                p.data -= rate * p.grad
            done, before = k + 1, None  # together: no interrupt is taken between two stores
            if done % plan.weights_every == 0 or done == plan.steps:
                history.weights[done] = [p.data for p in params]
            meter.update(done, total, accuracy)
    except BaseException as error:
        if before is not None:  # stopped inside an update: put its first half back
            for p, value in zip(params, before, strict=True):
                p.data = value
        history.weights.setdefault(done, [p.data for p in params])
        meter.close(done, interrupted=True)
        if isinstance(error, KeyboardInterrupt):
            sys.stderr.write(
                f"train() interrupted during step {done + 1} of {plan.steps}: the model holds "
                f"the weights after {done} update{'' if done == 1 else 's'}\n"
            )
        raise
    meter.close(done)
    return history


def lr_at(lr: tuple[float, float], k: int, steps: int) -> float:
    """The learning rate of update k: ``start + (end - start)·k/steps``, in this exact order of
    operations (it is micrograd's ``1.0 - 0.9*k/100`` for ``(1.0, 0.1)``, to the last bit)."""
    start, end = lr
    return start + (end - start) * k / steps


def batch_indices(n: int, batch_size: int, seed: int, step: int) -> list[int]:
    """The rows of step ``step``'s minibatch: ``batch_size`` distinct indices of ``range(n)``.

    A partial Fisher-Yates shuffle of ``0..n-1`` whose i-th swap uses draw ``step·batch_size + i``
    of the mulberry32 stream started at ``seed``. That generator is a hash of a counter, so any
    step's batch is computed directly, and its 32-bit integer arithmetic is reproduced exactly by
    ``js/core/training.js``.
    """
    order = list(range(n))
    first = step * batch_size
    for i in range(batch_size):
        r = mulberry32(seed, first + i)
        j = i + ((r * (n - i)) >> 32)
        order[i], order[j] = order[j], order[i]
    return order[:batch_size]


def mulberry32(seed: int, draw: int) -> int:
    """Draw number ``draw`` (0-based) of mulberry32 seeded with ``seed``: a 32-bit integer."""
    t = (seed + (draw + 1) * _STREAM_STEP) & _MASK
    t = ((t ^ (t >> 15)) * (t | 1)) & _MASK
    t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & _MASK
    return t ^ (t >> 14)


def trainer_spec(
    model: Any,
    X: Any,  # noqa: N803
    y: Any,
    loss: str = "svm",
    alpha: float = 1e-4,
    lr: float | tuple[float, float] = (1.0, 0.1),
    steps: int = 100,
    batch_size: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Everything the page's trainer (``createTrainer`` in ``js/core/training.js``) needs, as JSON.

    ``graph`` is the schema-1 graph of the model's output for one sample (the first row of X);
    ``inputs`` are the ids of its input leaves, one per column of X, and ``params`` the ids of
    the parameter leaves in ``model.parameters()`` order, whose ``data`` are the starting
    weights. Parameters the output does not use are in the graph too, after the output, so that
    the regularisation sees every one. The other keys are the checked arguments of ``train()``.
    """
    plan = _plan(model, X, y, loss, alpha, lr, steps, batch_size, seed, False)
    inputs = [Value(x, label=f"x{j + 1}") for j, x in enumerate(plan.X[0])]
    score = model(inputs)
    graph = Graph.from_value(score, extra=[*inputs, *plan.params])
    index = {v: i for i, v in enumerate(graph.values)}
    return {
        "schema": 1,
        "graph": graph.to_json(),
        "inputs": [index[v] for v in inputs],
        "params": [index[p] for p in plan.params],
        "X": plan.X,
        "y": plan.y,
        "loss": plan.loss,
        "alpha": plan.alpha,
        "lr": list(plan.lr),
        "steps": plan.steps,
        "batch_size": plan.batch_size,
        "seed": plan.seed,
    }


# -- one step ----------------------------------------------------------------------------------


@dataclass
class _Plan:
    """The checked arguments of one training run."""

    model: Any
    params: list[Value]
    X: list[list[float]]
    y: list[int]
    loss: str
    alpha: float
    lr: tuple[float, float]
    steps: int
    batch_size: int | None
    seed: int
    progress: bool | None
    weights_every: int


def _forward_backward(plan: _Plan, k: int, history: History) -> tuple[float, float]:
    """Step k's loss graph, built as micrograd's demo builds it, and its backward pass.

    Returns (total loss, accuracy) and leaves d total / d p in every parameter's grad; raises
    DivergedError, before any weight changes, when the step's numbers are not finite.
    """
    rows, y, model = plan.X, plan.y, plan.model
    if plan.batch_size is None:
        batch: Sequence[int] = range(len(rows))
    else:
        batch = batch_indices(len(rows), plan.batch_size, plan.seed, k)
    scores = []
    for i in batch:
        score = model([Value(x) for x in rows[i]])
        if score.__class__ is not Value:
            raise _not_one_value(score, f"row {i} of X")
        scores.append(score)
    if not all(math.isfinite(s.data) for s in scores):  # before the loss ops could raise on them
        raise _diverged(plan, k, "a score", history)
    labels = [y[i] for i in batch]
    per_sample = _LOSS_GRAPHS[plan.loss]
    losses = [per_sample(s, yi) for s, yi in zip(scores, labels, strict=True)]
    total = sum(losses) * (1.0 / len(losses))
    if plan.alpha:
        total = total + plan.alpha * sum(p * p for p in plan.params)
    right = sum((yi > 0) == (s.data > 0) for yi, s in zip(labels, scores, strict=True))
    accuracy = right / len(scores)
    if not math.isfinite(total.data):
        raise _diverged(plan, k, "the loss", history)
    for p in plan.params:
        p.grad = 0.0
    total.backward()
    if not all(math.isfinite(p.grad) for p in plan.params):
        raise _diverged(plan, k, "a gradient", history)
    return total.data, accuracy


def _svm(score: Value, label: int) -> Value:
    return (1 + -label * score).relu()


def _mse(score: Value, label: int) -> Value:
    # a product rather than ** 2: the page computes d*d, and 2*d comes out exactly on both sides
    diff = score - label
    return diff * diff


def _logistic(score: Value, label: int) -> Value:
    # log(1 + e^z) = z + log(1 + e^-z): whichever form keeps exp()'s argument <= 0
    z = -label * score
    if z.data > 0.0:
        return z + (1 + (-z).exp()).log()
    return (1 + z.exp()).log()


_LOSS_GRAPHS: dict[str, Callable[[Value, int], Value]] = {
    "svm": _svm,
    "mse": _mse,
    "logistic": _logistic,
}


def _diverged(plan: _Plan, k: int, what: str, history: History) -> DivergedError:
    if k == 0:
        where = "at the starting weights; the model is unchanged"
    else:
        where = (
            f"(is the learning rate too large?); the model holds the weights after {k} "
            f"update{'' if k == 1 else 's'}"
        )
    return DivergedError(
        f"train() stopped at step {k + 1} of {plan.steps}: {what} is not finite {where}",
        history,
        k,
    )


def _not_one_value(out: object, where: str) -> TypeError:
    if isinstance(out, (list, tuple)):
        shape = f"a {type(out).__name__} of {len(out)}"
        hint = ": give its last layer one neuron, e.g. nn.MLP(2, [16, 16, 1])"
    else:
        shape = f"a {type(out).__name__}"
        hint = ""
    return TypeError(f"the model must map one sample to one Value, but {where} gave {shape}{hint}")


# -- checking the arguments ----------------------------------------------------------------------


def _plan(
    model: Any,
    X: Any,  # noqa: N803
    y: Any,
    loss: object,
    alpha: object,
    lr: object,
    steps: object,
    batch_size: object,
    seed: object,
    progress: object,
) -> _Plan:
    """Every argument checked (and the model tried on the first row) before anything changes."""
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(map(repr, LOSSES))}, not {loss!r}")
    alpha = _real(alpha, "alpha", minimum=0.0)
    lr = _schedule(lr)
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"steps must be a positive whole number, not {steps!r}")
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, not {progress!r}")
    if seed is None:
        seed = 0
    elif not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be a whole number or None, not {type(seed).__name__}: {seed!r}")
    rows, labels = check_data(X, y)
    if batch_size is not None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(
                f"batch_size must be a positive whole number or None, not {batch_size!r}"
            )
        if batch_size > len(rows):
            raise ValueError(
                f"batch_size {batch_size} is larger than the data set ({len(rows)} rows)"
            )
        if batch_size == len(rows):
            batch_size = None  # every row, in order: the full batch
    params = _parameters(model)
    try:
        out = model([Value(x) for x in rows[0]])
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"the model cannot take a row of X ({len(rows[0])} numbers): {error}"
        ) from error
    if out.__class__ is not Value:
        raise _not_one_value(out, "row 0 of X")
    every = max(1, math.ceil((steps + 1) * len(params) / WEIGHT_BUDGET))
    return _Plan(
        model=model,
        params=params,
        X=rows,
        y=labels,
        loss=loss,
        alpha=alpha,
        lr=lr,
        steps=steps,
        batch_size=batch_size,
        seed=seed & _MASK,
        progress=progress,
        weights_every=every,
    )


def _parameters(model: Any) -> list[Value]:
    parameters = getattr(model, "parameters", None)
    if not callable(parameters) or not callable(model):
        raise TypeError(
            f"model must be a callable with a parameters() method (an nn.Module such as "
            f"nn.MLP(2, [16, 16, 1])), not {type(model).__name__}"
        )
    params = list(parameters())
    if not params:
        raise ValueError(f"the model {type(model).__name__} has no parameters to train")
    for i, p in enumerate(params):
        if p.__class__ is not Value:
            raise TypeError(f"model.parameters()[{i}] is a {type(p).__name__}, not a Value")
        if not math.isfinite(p.data):
            raise ValueError(f"model.parameters()[{i}] is {p.data}: the weights must be finite")
    return params


def _real(x: object, name: str, minimum: float) -> float:
    if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x) or x < minimum:
        raise ValueError(f"{name} must be a finite number >= {minimum:g}, not {x!r}")
    return float(x)


def _schedule(lr: object) -> tuple[float, float]:
    if isinstance(lr, (tuple, list)):
        if len(lr) != 2:
            raise ValueError(f"lr must be a number or a pair (start, end), not {lr!r}")
        return _real(lr[0], "lr's start", 0.0), _real(lr[1], "lr's end", 0.0)
    rate = _real(lr, "lr", 0.0)
    return rate, rate


def _ranges(steps: list[int]) -> str:
    if len(steps) <= 6:
        return ", ".join(map(str, steps))
    return f"{', '.join(map(str, steps[:3]))}, ..., {', '.join(map(str, steps[-2:]))}"


# -- progress ----------------------------------------------------------------------------------

_clock = time.perf_counter


class _Progress:
    """Progress of a run that takes over a second: a bar updated in place in a notebook, a line
    on stderr elsewhere (rewritten in place on a terminal, a new line every few seconds in a log).
    """

    DELAY = 1.0  # seconds before an automatic indicator appears
    TTY_EVERY = 0.1  # seconds between updates of a terminal line or a notebook bar
    LOG_EVERY = 5.0  # seconds between lines in a log

    def __init__(self, steps: int, mode: bool | None) -> None:
        self.steps = steps
        self.mode = mode
        self.start = _clock()
        self.last = -math.inf
        self.shown = False
        self.handle: Any = None
        self.tty = False
        self.text = ""
        self.drawn = ""

    def update(self, done: int, loss: float, accuracy: float) -> None:
        """Record step ``done``'s figures; redraw when it is time to."""
        if self.mode is False:
            return
        now = _clock()
        if not self.shown:
            if self.mode is None and now - self.start < self.DELAY:
                return
            self._open()
        elif now - self.last < (self.TTY_EVERY if self.tty or self.handle else self.LOG_EVERY):
            self.text = self._line(done, loss, accuracy, now)
            return
        self.last = now
        self.text = self._line(done, loss, accuracy, now)
        self._draw(done)

    def close(self, done: int, interrupted: bool = False) -> None:
        """The last figures, and the end of the terminal line."""
        if not self.shown:
            return
        if interrupted:
            self.text = f"train: stopped after {done} of {self.steps} steps"
        if self.text != self.drawn:
            self._draw(done)
        if self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()

    def _line(self, done: int, loss: float, accuracy: float, now: float) -> str:
        return (
            f"train: step {done}/{self.steps}  loss {loss:.6g}  accuracy {accuracy:.1%}"
            f"  ({now - self.start:.1f} s)"
        )

    def _open(self) -> None:
        self.shown = True
        display = _notebook_display()
        if display is not None:
            self.handle = display(_Bar(0, self.steps, "train: starting"), display_id=True)
        else:
            isatty = getattr(sys.stderr, "isatty", None)
            self.tty = bool(isatty and isatty())

    def _draw(self, done: int) -> None:
        self.drawn = self.text
        if self.handle is not None:
            self.handle.update(_Bar(done, self.steps, self.text))
        elif self.tty:
            sys.stderr.write("\r" + self.text)
            sys.stderr.flush()
        else:
            sys.stderr.write(self.text + "\n")
            sys.stderr.flush()


class _Bar:
    """A progress bar for a notebook's display: HTML, with the text for plain front ends."""

    def __init__(self, done: int, steps: int, text: str) -> None:
        self.done, self.steps, self.text = done, steps, text

    def _repr_html_(self) -> str:
        import html

        return (
            f'<div><progress value="{self.done}" max="{self.steps}" style="width: 20em">'
            f"</progress> <code>{html.escape(self.text)}</code></div>"
        )

    def __repr__(self) -> str:
        return self.text


def _notebook_display() -> Callable[..., Any] | None:
    """IPython's ``display`` when running in a kernel with a front end, else None.

    IPython is only consulted when something already imported it: a script never pays for it.
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    from IPython.display import display

    return display
