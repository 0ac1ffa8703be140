"""train(): micrograd's demo reproduced step for step, the losses against torch, the schedule,
minibatches, history, errors, interruption, progress, the page's spec and the shared vectors."""

from __future__ import annotations

import gc
import importlib.util
import inspect
import io
import json
import math
import os
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from torch_reference import needs_torch

from micrograd_magic import Value, datasets, nn, train
from micrograd_magic import training as training_module
from micrograd_magic.graph import Graph
from micrograd_magic.training import (
    DivergedError,
    History,
    batch_indices,
    lr_at,
    mulberry32,
    trainer_spec,
)

VECTORS = Path(__file__).with_name("vectors")


def _mlp(seed: int, nin: int, nouts: list[int]) -> nn.MLP:
    state = random.getstate()
    random.seed(seed)
    model = nn.MLP(nin, nouts)
    random.setstate(state)
    return model


def _weights(model) -> list[float]:
    return [p.data for p in model.parameters()]


def _close(a: float, b: float) -> bool:
    """1e-9 relative, or 1e-12 absolute where sums cancel to about 0 (see training.test.js)."""
    return abs(a - b) <= 1e-9 * abs(b) + 1e-12


# -- micrograd's demo ----------------------------------------------------------------------------


#: Steps of micrograd's own loop the parity test runs. Its step costs about 0.7 s of CPU even
#: with its garbage freed between steps (2 s as a plain loop), so all 100 would add over a minute
#: to the suite; MICROGRAD_PARITY_STEPS=100 runs them all. The first 20 include the large early
#: steps where the loss jumps, and the torch replica of the same loop covers all 100 in any case.
PARITY_STEPS = int(os.environ.get("MICROGRAD_PARITY_STEPS", "20"))


def _micrograd_demo(xs, y, model, steps: int) -> tuple[list[float], list[float]]:
    """micrograd's demo loop, from its package: (losses, accuracies) of its first ``steps`` steps.

    The collector is paused during each step and the step's graph freed right after it (the
    closures make every node a cycle): several times faster, and none of its arithmetic changes.
    """
    mg_engine = pytest.importorskip("micrograd.engine")
    expected_loss, expected_accuracy = [], []
    was_enabled = gc.isenabled()
    try:
        for k in range(steps):
            gc.disable()
            # micrograd's demo notebook, verbatim apart from its names for the data
            inputs = [list(map(mg_engine.Value, xrow)) for xrow in xs]
            scores = list(map(model, inputs))
            losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
            data_loss = sum(losses) * (1.0 / len(losses))
            alpha = 1e-4
            reg_loss = alpha * sum(p * p for p in model.parameters())
            total_loss = data_loss + reg_loss
            accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores, strict=True)]
            model.zero_grad()
            total_loss.backward()
            learning_rate = 1.0 - 0.9 * k / 100
            for p in model.parameters():
                p.data -= learning_rate * p.grad
            expected_loss.append(total_loss.data)
            expected_accuracy.append(sum(accuracy) / len(accuracy))
            del inputs, scores, losses, data_loss, reg_loss, total_loss
            gc.collect(0)
            if was_enabled:
                gc.enable()
    finally:
        if was_enabled:
            gc.enable()
    return expected_loss, expected_accuracy


@pytest.mark.slow
@needs_torch
def test_train_reproduces_micrograds_demo_at_every_step():
    mg_nn = pytest.importorskip("micrograd.nn")
    xs, y = datasets.moons(100, noise=0.1, seed=0)
    random.seed(1337)
    ours = nn.MLP(2, [16, 16, 1])
    model = mg_nn.MLP(2, [16, 16, 1])
    for mine, theirs in zip(ours.parameters(), model.parameters(), strict=True):
        theirs.data = mine.data
    steps = min(PARITY_STEPS, 100)
    expected_loss, expected_accuracy = _micrograd_demo(xs, y, model, steps)
    replica = _torch_run(ours, xs, y, "svm", 1e-4, (1.0, 0.1), 100)

    history = train(ours, xs, y, loss="svm", alpha=1e-4, lr=(1.0, 0.1), steps=100, progress=False)
    assert len(history) == 100
    for k in range(steps):
        assert math.isclose(history.loss[k], expected_loss[k], rel_tol=1e-9), k
        assert history.accuracy[k] == expected_accuracy[k], k
    if steps == 100:
        for mine, theirs in zip(ours.parameters(), model.parameters(), strict=True):
            assert _close(mine.data, theirs.data)
    losses, accuracies, weights = replica
    for k in range(100):
        assert math.isclose(history.loss[k], losses[k], rel_tol=1e-9), k
        assert history.accuracy[k] == accuracies[k], k
    assert all(_close(a, b) for a, b in zip(_weights(ours), weights, strict=True))
    assert history.accuracy[-1] >= 0.95
    final = sum((yi > 0) == (ours(row).data > 0) for row, yi in zip(xs, y, strict=True)) / 100
    assert final >= 0.95


# -- the losses, against torch --------------------------------------------------------------------


def _torch_run(model: nn.MLP, xs, y, loss, alpha, lr, steps, batch_size=None, seed=0):
    """The same training written with torch tensors: (losses, accuracies, final weights)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # these tensors are tiny: more threads only spin
    try:
        return _torch_steps(torch, model, xs, y, loss, alpha, lr, steps, batch_size, seed)
    finally:
        torch.set_num_threads(threads)


def _torch_steps(torch, model, xs, y, loss, alpha, lr, steps, batch_size, seed):

    params = []
    layers = []
    for layer in model.layers:
        w = torch.tensor([[p.data for p in n.w] for n in layer.neurons], dtype=torch.float64)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64)
        w.requires_grad_(True)
        b.requires_grad_(True)
        layers.append((w, b))
        params += [w, b]
    data = torch.tensor(xs, dtype=torch.float64)
    labels = torch.tensor(y, dtype=torch.float64)
    losses, accuracies = [], []
    for k in range(steps):
        rows = (
            list(range(len(xs)))
            if batch_size is None
            else batch_indices(len(xs), batch_size, seed, k)
        )
        h = data[rows]
        for i, (w, b) in enumerate(layers):
            h = h @ w.T + b
            if i < len(layers) - 1:
                h = torch.relu(h)
        score = h[:, 0]
        t = labels[rows]
        if loss == "svm":
            per = torch.relu(1 - t * score)
        elif loss == "mse":
            per = (score - t) ** 2
        else:
            per = torch.logaddexp(torch.zeros_like(score), -t * score)
        total = per.mean() + alpha * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        total.backward()
        losses.append(total.item())
        accuracies.append(((t > 0) == (score > 0)).double().mean().item())
        rate = lr_at(lr, k, steps)
        with torch.no_grad():
            for p in params:
                p -= rate * p.grad
    weights = []
    for w, b in layers:
        for row, bias in zip(w.tolist(), b.tolist(), strict=True):
            weights += [*row, bias]
    return losses, accuracies, weights


@needs_torch
@pytest.mark.parametrize("loss", ["svm", "mse", "logistic"])
@pytest.mark.parametrize("batch_size", [None, 7])
def test_every_loss_matches_the_same_training_written_in_torch(loss, batch_size):
    xs, y = datasets.moons(30, noise=0.15, seed=2)
    settings = {"loss": loss, "alpha": 1e-3, "lr": (0.5, 0.05), "steps": 15}
    model = _mlp(4, 2, [8, 8, 1])
    expected = _torch_run(model, xs, y, batch_size=batch_size, **settings)
    history = train(model, xs, y, batch_size=batch_size, progress=False, **settings)
    losses, accuracies, weights = expected
    for k in range(15):
        assert _close(history.loss[k], losses[k]), (k, history.loss[k], losses[k])
        assert history.accuracy[k] == accuracies[k], k
    assert all(_close(a, b) for a, b in zip(_weights(model), weights, strict=True))
    assert history.loss[-1] < history.loss[0]


def test_logistic_loss_is_finite_at_huge_margins():
    model = _mlp(1, 1, [1])
    model.layers[0].neurons[0].w[0].data = 1000.0
    xs, y = [[1.0], [-1.0], [2.0]], [-1, -1, 1]  # margins -1000, +1000, +2000
    history = train(model, xs, y, loss="logistic", alpha=0.0, lr=1e-6, steps=1, progress=False)
    assert history.loss[0] == pytest.approx(1000.0 / 3)
    grad = model.layers[0].neurons[0].w[0].grad
    assert grad == pytest.approx((1.0 + 0.0 + 0.0) / 3)  # only the wrong point pulls


# -- schedule, minibatches, history -----------------------------------------------------------


def test_lr_schedule_is_micrograds_to_the_bit():
    model = _mlp(1, 2, [3, 1])
    xs, y = datasets.blobs(6)
    history = train(model, xs, y, steps=100, progress=False)
    assert history.lr == [1.0 - 0.9 * k / 100 for k in range(100)]
    assert train(model, xs, y, lr=0.25, steps=3, progress=False).lr == [0.25] * 3
    assert train(model, xs, y, lr=(1.0, 0.0), steps=4, progress=False).lr == [1.0, 0.75, 0.5, 0.25]


def test_history_keeps_the_weights_at_every_step_and_the_trained_weights_stay():
    model = _mlp(2, 2, [4, 1])
    start = _weights(model)
    xs, y = datasets.xor(20)
    history = train(model, xs, y, lr=0.1, steps=5, progress=False)
    assert isinstance(history, History) and len(history) == 5
    assert len(history.accuracy) == len(history.lr) == 5
    assert sorted(history.weights) == [0, 1, 2, 3, 4, 5]
    assert history.weights_at(0) == start
    assert history.weights_at(5) == _weights(model)
    assert history.weights[1] != history.weights[0]
    assert any(p.grad != 0.0 for p in model.parameters())  # the last step's grads stay
    assert (history.loss_name, history.alpha, history.steps) == ("svm", 1e-4, 5)
    assert (history.batch_size, history.seed) == (None, 0)
    assert all(0.0 <= a <= 1.0 for a in history.accuracy)


def test_history_keeps_every_nth_step_beyond_its_budget(monkeypatch):
    monkeypatch.setattr(training_module, "WEIGHT_BUDGET", 3 * 17)  # 17 parameters
    model = _mlp(2, 2, [4, 1])
    xs, y = datasets.xor(8)
    history = train(model, xs, y, steps=7, progress=False)
    assert history.weights_every == 3
    assert sorted(history.weights) == [0, 3, 6, 7]
    assert history.weights_at(7) == _weights(model)
    with pytest.raises(KeyError, match=r"the weights after 4 updates were not kept.*every 3\."):
        history.weights_at(4)


def test_the_same_start_gives_the_same_run_and_seeds_name_batches():
    xs, y = datasets.spiral(40)
    runs = {}
    for name, kwargs in {
        "full": {},
        "full again": {},
        "all rows as a batch": {"batch_size": 40},
        "batch, no seed": {"batch_size": 8},
        "batch, seed 0": {"batch_size": 8, "seed": 0},
        "batch, seed 1": {"batch_size": 8, "seed": 1},
    }.items():
        model = _mlp(6, 2, [6, 1])
        runs[name] = (train(model, xs, y, steps=6, progress=False, **kwargs).loss, _weights(model))
    assert runs["full"] == runs["full again"] == runs["all rows as a batch"]
    assert runs["batch, no seed"] == runs["batch, seed 0"]
    assert runs["batch, seed 1"] != runs["batch, seed 0"]
    assert runs["batch, seed 0"] != runs["full"]


def test_batches_are_distinct_rows_drawn_evenly():
    counts = [0] * 10
    for step in range(3000):
        batch = batch_indices(10, 3, 42, step)
        assert len(set(batch)) == 3 and all(0 <= i < 10 for i in batch)
        for i in batch:
            counts[i] += 1
    assert all(abs(c - 900) < 120 for c in counts), counts
    assert batch_indices(10, 3, 42, 5) == batch_indices(10, 3, 42, 5)
    assert sorted(batch_indices(4, 4, 3, 9)) == [0, 1, 2, 3]


def test_mulberry32_is_the_published_generator():
    # The first output of mulberry32(0) and (1), as the reference C and JS versions give them.
    assert mulberry32(0, 0) / 2**32 == pytest.approx(0.26642920868471265, abs=1e-15)
    assert mulberry32(1, 0) / 2**32 == pytest.approx(0.6270739405881613, abs=1e-15)
    assert all(0 <= mulberry32(s, d) < 2**32 for s in (0, 5, 2**32 - 1) for d in range(100))


def test_numpy_data_trains_like_lists():
    xs, y = datasets.circles(12)
    a, b = _mlp(3, 2, [4, 1]), _mlp(3, 2, [4, 1])
    from_lists = train(a, xs, y, steps=3, progress=False).loss
    from_arrays = train(b, np.array(xs), np.array(y), steps=3, progress=False).loss
    assert from_lists == from_arrays


# -- errors ------------------------------------------------------------------------------------


class _TwoOutputs(nn.Module):
    def __init__(self) -> None:
        self.inner = nn.MLP(2, [2])

    def forward(self, x):
        return self.inner(x)

    def parameters(self):
        return self.inner.parameters()


class _PlainNumbers(nn.Module):
    def forward(self, x):
        return x[0]

    def parameters(self):
        return [0.5]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (
            {"loss": "hinge"},
            ValueError,
            r"^loss must be one of 'svm', 'mse', 'logistic', not 'hinge'$",
        ),
        ({"loss": None}, ValueError, r"loss must be one of"),
        ({"lr": -0.1}, ValueError, r"^lr must be a finite number >= 0, not -0.1$"),
        ({"lr": math.nan}, ValueError, r"^lr must be a finite number >= 0"),
        ({"lr": "fast"}, ValueError, r"^lr must be a finite number >= 0, not 'fast'"),
        ({"lr": (1.0,)}, ValueError, r"^lr must be a number or a pair \(start, end\)"),
        ({"lr": (1.0, 0.5, 0.1)}, ValueError, r"^lr must be a number or a pair"),
        ({"lr": (1.0, -0.1)}, ValueError, r"^lr's end must be a finite number >= 0"),
        ({"alpha": -1e-4}, ValueError, r"^alpha must be a finite number >= 0"),
        ({"alpha": math.inf}, ValueError, r"^alpha must be a finite number >= 0"),
        ({"steps": 0}, ValueError, r"^steps must be a positive whole number, not 0$"),
        ({"steps": 2.5}, ValueError, r"^steps must be a positive whole number"),
        ({"steps": True}, ValueError, r"^steps must be a positive whole number"),
        ({"batch_size": 0}, ValueError, r"^batch_size must be a positive whole number or None"),
        ({"batch_size": 11}, ValueError, r"^batch_size 11 is larger than the data set \(10 rows\)"),
        ({"seed": 1.5}, TypeError, r"^seed must be a whole number or None, not float: 1.5"),
        ({"progress": "yes"}, TypeError, r"^progress must be True, False or None, not 'yes'"),
        ({"y": [0] * 10}, ValueError, r"^y\[0\] is 0: labels must be -1 or \+1"),
        ({"X": [[1.0, 2.0]] * 9}, ValueError, r"^X has 9 rows but y has 10 labels"),
        (
            {"model": nn.MLP(3, [2, 1])},
            ValueError,
            r"^the model cannot take a row of X \(2 numbers\): .*takes 3 inputs, ",
        ),
        (
            {"model": _TwoOutputs()},
            TypeError,
            r"^the model must map one sample to one Value, but row 0 of X gave a list of 2: give ",
        ),
        ({"model": nn.Module()}, ValueError, r"^the model Module has no parameters to train$"),
        (
            {"model": _PlainNumbers()},
            TypeError,
            r"^model.parameters\(\)\[0\] is a float, not a Value",
        ),
        ({"model": object()}, TypeError, r"^model must be a callable with a parameters\(\) method"),
    ],
)
def test_bad_arguments_raise_one_line_and_change_nothing(change, error, message):
    model = _mlp(8, 2, [3, 1])
    start = _weights(model)
    grads = [p.grad for p in model.parameters()]
    xs, y = datasets.moons(10)
    args = {"model": model, "X": xs, "y": y, "progress": False, **change}
    with pytest.raises(error, match=message) as info:
        train(**args)
    assert "\n" not in str(info.value)
    assert _weights(model) == start
    assert [p.grad for p in model.parameters()] == grads


def test_a_model_whose_later_output_is_not_a_value_is_refused():
    class Flaky(nn.Module):
        def __init__(self) -> None:
            self.inner = nn.MLP(2, [1])
            self.calls = 0

        def forward(self, x):
            self.calls += 1
            return self.inner(x) if self.calls < 5 else [self.inner(x)]

        def parameters(self):
            return self.inner.parameters()

    model = Flaky()
    start = _weights(model)
    with pytest.raises(TypeError, match=r"but row \d+ of X gave a list of 1"):
        train(model, *datasets.moons(6), steps=3, progress=False)
    assert _weights(model) == start


def test_divergence_stops_before_the_update_with_the_history_so_far():
    model = _mlp(2, 2, [1])
    xs, y = datasets.linear(6, seed=4)
    with pytest.raises(
        DivergedError, match=r"^train\(\) stopped at step 2 of 4: the loss is not finite"
    ) as info:
        train(model, xs, y, loss="mse", alpha=0.0, lr=1e155, steps=4, progress=False)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.step == 1 and len(error.history) == 1
    assert math.isfinite(error.history.loss[0])
    assert error.history.weights_at(1) == _weights(model)
    assert all(math.isfinite(w) for w in _weights(model))


class _Overflowing(nn.Module):
    """x·w - x·w: inf - inf = nan for a huge x, with a finite weight."""

    def __init__(self) -> None:
        self.w = Value(1e200)

    def forward(self, x):
        return x[0] * self.w - x[0] * self.w

    def parameters(self):
        return [self.w]


@pytest.mark.parametrize("loss", ["svm", "mse", "logistic"])
def test_a_score_that_is_not_finite_stops_training_before_any_loss_op(loss):
    model = _Overflowing()
    message = r"^train\(\) stopped at step 1 of 3: a score is not finite at the starting weights; "
    with pytest.raises(DivergedError, match=message + r"the model is unchanged$"):
        train(model, [[1.0], [1e200]], [1, -1], loss=loss, alpha=0.0, steps=3, progress=False)
    assert model.w.data == 1e200


class _Interrupting(nn.Module):
    """An MLP that raises KeyboardInterrupt on its n-th forward call."""

    def __init__(self, at: int) -> None:
        self.inner = _mlp(9, 2, [4, 1])
        self.at = at
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt
        return self.inner(x)

    def parameters(self):
        return self.inner.parameters()


def test_an_interrupt_in_a_forward_pass_leaves_the_last_completed_update(capsys):
    xs, y = datasets.moons(10)
    reference = train(_mlp(9, 2, [4, 1]), xs, y, steps=6, progress=False)
    model = _Interrupting(at=1 + 3 * 10 + 4)  # the check's call, 3 steps, 4 rows into step 4
    with pytest.raises(KeyboardInterrupt):
        train(model, xs, y, steps=6, progress=False)
    assert _weights(model) == reference.weights_at(3)
    assert capsys.readouterr().err == (
        "train() interrupted during step 4 of 6: the model holds the weights after 3 updates\n"
    )


def test_an_interrupt_inside_an_update_puts_the_half_done_update_back(capsys):
    xs, y = datasets.moons(10)
    reference = train(_mlp(9, 2, [4, 1]), xs, y, steps=6, progress=False)
    model = _mlp(9, 2, [4, 1])
    source, first = inspect.getsourcelines(training_module.train)
    update_line = first + next(i for i, s in enumerate(source) if "p.data -= rate * p.grad" in s)
    hits = 0

    def local(frame, event, arg):
        nonlocal hits
        if event == "line" and frame.f_lineno == update_line:
            hits += 1
            if hits == 17 * 2 + 5:  # 2 whole updates of 17 parameters, then 4 parameters moved
                raise KeyboardInterrupt
        return local

    def trace(frame, event, arg):
        return local if frame.f_code is training_module.train.__code__ else None

    sys.settrace(trace)
    try:
        with pytest.raises(KeyboardInterrupt):
            train(model, xs, y, steps=6, progress=False)
    finally:
        sys.settrace(None)
    assert hits == 17 * 2 + 5
    assert _weights(model) == reference.weights_at(2)
    assert "the model holds the weights after 2 updates" in capsys.readouterr().err


# -- progress ----------------------------------------------------------------------------------


class _Clock:
    def __init__(self, tick: float) -> None:
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def _small_run(**kwargs):
    model = _mlp(3, 2, [3, 1])
    xs, y = datasets.blobs(8)
    return train(model, xs, y, steps=10, **kwargs)


def test_progress_appears_on_stderr_once_a_run_takes_over_a_second(monkeypatch, capsys):
    monkeypatch.setattr(training_module, "_clock", _Clock(tick=0.3))
    monkeypatch.setattr(training_module._Progress, "LOG_EVERY", 0.5)
    _small_run()
    lines = capsys.readouterr().err.splitlines()
    assert lines, "no progress shown"
    assert not lines[0].startswith("train: step 1/")  # not before a second has passed
    assert all(line.startswith("train: step ") for line in lines)
    assert lines[-1].startswith("train: step 10/10  loss ")
    assert "accuracy " in lines[-1] and lines[-1].endswith(" s)")
    assert len(lines) == len(set(lines))  # the last figures are not written twice


def test_no_progress_for_a_quick_run_or_when_turned_off(monkeypatch, capsys):
    monkeypatch.setattr(training_module, "_clock", _Clock(tick=0.01))
    _small_run()
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(training_module, "_clock", _Clock(tick=10.0))
    _small_run(progress=False)
    assert capsys.readouterr().err == ""


def test_progress_true_starts_at_once_and_rewrites_one_line_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(training_module, "_clock", _Clock(tick=0.05))
    _small_run(progress=True)
    text = terminal.getvalue()
    assert text.startswith("\rtrain: step 1/10 ")
    assert text.endswith("\n") and text.count("\n") == 1
    assert "\rtrain: step 10/10 " in text


def test_progress_in_a_notebook_is_one_display_updated_in_place(monkeypatch, capsys):
    shown = []

    class Handle:
        def update(self, obj) -> None:
            shown.append(obj)

    def display(obj, display_id=False):
        assert display_id is True
        shown.append(obj)
        return Handle()

    monkeypatch.setattr(training_module, "_notebook_display", lambda: display)
    monkeypatch.setattr(training_module, "_clock", _Clock(tick=0.3))
    _small_run()
    assert capsys.readouterr().err == ""
    assert len(shown) >= 2
    html = shown[-1]._repr_html_()
    assert '<progress value="10" max="10"' in html
    assert "train: step 10/10" in html and repr(shown[-1]).startswith("train: step 10/10")


def test_an_interrupted_run_says_where_its_progress_stopped(monkeypatch, capsys):
    monkeypatch.setattr(training_module, "_clock", _Clock(tick=0.3))
    xs, y = datasets.moons(10)
    with pytest.raises(KeyboardInterrupt):
        train(_Interrupting(at=1 + 5 * 10 + 1), xs, y, steps=6, progress=True)
    err = capsys.readouterr().err
    assert "train: stopped after 5 of 6 steps\n" in err


def test_notebook_display_is_found_only_in_a_kernel(monkeypatch):
    ipython = pytest.importorskip("IPython")
    monkeypatch.setattr(ipython, "get_ipython", lambda: None)
    assert training_module._notebook_display() is None
    monkeypatch.setattr(ipython, "get_ipython", lambda: type("Shell", (), {"kernel": None})())
    assert training_module._notebook_display() is None
    monkeypatch.setattr(ipython, "get_ipython", lambda: type("Shell", (), {"kernel": object()})())
    from IPython.display import display

    assert training_module._notebook_display() is display
    monkeypatch.delitem(sys.modules, "IPython")
    assert training_module._notebook_display() is None


# -- the page's spec and the shared vectors -----------------------------------------------------


class _Shared(nn.Module):
    def __init__(self) -> None:
        self.w, self.b, self.unused = Value(0.7), Value(-0.2), Value(0.5)

    def forward(self, x):
        return self.w * x[0] + self.w * x[1] * self.w + self.b

    def parameters(self):
        return [self.w, self.b, self.w, self.unused]


@pytest.mark.parametrize("make", [lambda: _mlp(5, 2, [4, 3, 1]), _Shared], ids=["mlp", "shared"])
def test_trainer_spec_is_the_one_sample_graph_with_its_leaves_named(make):
    model = make()
    start = _weights(model)
    xs, y = datasets.moons(9)
    spec = trainer_spec(model, xs, y, loss="logistic", alpha=0.01, lr=0.3, steps=7, batch_size=4)
    assert json.loads(json.dumps(spec, allow_nan=False)) == spec
    assert _weights(model) == start
    assert {k: spec[k] for k in ("loss", "alpha", "lr", "steps", "batch_size", "seed")} == {
        "loss": "logistic",
        "alpha": 0.01,
        "lr": [0.3, 0.3],
        "steps": 7,
        "batch_size": 4,
        "seed": 0,
    }
    assert spec["X"] == xs and spec["y"] == y
    graph = Graph.from_json(spec["graph"])
    assert [graph.data[i] for i in spec["params"]] == start
    assert all(not graph.nodes[i].args for i in spec["inputs"] + spec["params"])
    assert [graph.nodes[i].label for i in spec["inputs"]] == ["x1", "x2"]
    for row in xs:
        data, _ = graph.evaluate(dict(zip(spec["inputs"], row, strict=True)))
        assert data[graph.output] == model(row).data


def test_trainer_spec_checks_its_arguments_like_train():
    with pytest.raises(ValueError, match="loss must be one of"):
        trainer_spec(_mlp(1, 2, [1]), *datasets.moons(4), loss="l1")
    assert trainer_spec(_mlp(1, 2, [1]), *datasets.moons(4), batch_size=4)["batch_size"] is None


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_training", VECTORS / "generate_training.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_vectors_are_what_train_gives_now():
    checked_in = (VECTORS / "training.json").read_text(encoding="utf-8")
    assert checked_in == _generator().render(), (
        "tests/vectors/training.json is stale: run "
        ".venv/bin/python tests/vectors/generate_training.py"
    )


def test_training_vectors_cover_losses_batches_and_a_divergence():
    vectors = json.loads((VECTORS / "training.json").read_text(encoding="utf-8"))
    specs = [case["spec"] for case in vectors["cases"]]
    assert {s["loss"] for s in specs} == {"svm", "mse", "logistic"}
    assert any(s["batch_size"] is None for s in specs)
    assert any(s["batch_size"] is not None for s in specs)
    assert any(len(s["params"]) != len(set(s["params"])) for s in specs)
    cases = vectors["cases"]
    assert any(case["stopped"] is not None and case["stopped"]["step"] > 0 for case in cases)
    met = 0  # SVM rows past the margin, whose backward pass the page skips
    for case in vectors["cases"]:
        spec = case["spec"]
        if spec["loss"] != "svm":
            continue
        graph = Graph.from_json(spec["graph"])
        weights = [[graph.data[i] for i in spec["params"]]] + [s["weights"] for s in case["steps"]]
        for step, before in zip(case["steps"], weights, strict=False):
            for i in step["batch"]:
                leaves = dict(zip(spec["params"], before, strict=True))
                leaves.update(zip(spec["inputs"], spec["X"][i], strict=True))
                data, _ = graph.evaluate(leaves)
                met += 1 - spec["y"][i] * data[graph.output] <= 0
    assert met > 0
    assert any(case["stopped"] is not None and case["stopped"]["step"] == 0 for case in cases)


def test_package_exports():
    import micrograd_magic

    assert micrograd_magic.train is training_module.train
    assert micrograd_magic.datasets.moons is datasets.moons
