"""Gradient descent in any widget, Python side: ``show(z, train=[...], lr=...)``, the cell's
``trainable`` inputs, the ``train_inputs`` and ``lr`` keys, and the kernel catching up with the
page's steps. The steps themselves run in the page (js/features/descent.test.js and
tests/e2e/test_descent_lab.py)."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.testing import globalipapp
from IPython.utils.capture import capture_output

from micrograd_magic import Value
from micrograd_magic.errors import MicrogradSyntaxError
from micrograd_magic.export import widget_state
from micrograd_magic.language import parse
from micrograd_magic.state import WidgetState

LEAST_SQUARES = (
    "w: trainable(-5, 5) = 0.5\nb: trainable = 0.0\nloss = (w*1 + b - 2)**2 + (w*2 + b - 3)**2"
)


def least_squares() -> tuple[Value, Value, Value]:
    w, b = Value(0.5, label="w"), Value(0.0, label="b")
    loss = (w * 1 + b - 2) ** 2 + (w * 2 + b - 3) ** 2
    loss.label = "loss"
    return w, b, loss


def test_show_names_the_trainable_inputs_and_the_learning_rate() -> None:
    from micrograd_magic.widget import show

    _, b, loss = least_squares()
    shown = show(loss, train=["w", b], lr=0.05)
    assert shown.train_inputs == ["w", "b"]
    assert shown.lr == 0.05
    assert shown.state.to_json()["train_inputs"] == ["w", "b"]
    plain = show(loss)
    assert (plain.train_inputs, plain.lr) == ([], 0.1)


@pytest.mark.parametrize(
    ("train", "lr", "message"),
    [
        (["q"], 0.1, "train: 'q' is not a slider of this widget; its sliders are w, b"),
        (["w", "w"], 0.1, "train: 'w' is given twice"),
        (["w"], 0.0, "lr: the learning rate must be above 0, got 0.0"),
        (["w"], float("nan"), "lr: expected a finite number, got nan"),
    ],
)
def test_bad_training_arguments_are_one_clear_line(train: Any, lr: float, message: str) -> None:
    _, _, loss = least_squares()
    with pytest.raises(ValueError) as err:
        WidgetState(loss, train=train, lr=lr)
    assert str(err.value) == message


def test_the_page_may_change_lr_but_not_the_trainable_inputs() -> None:
    _, _, loss = least_squares()
    state = WidgetState(loss, train=["w"], lr=0.1)
    verdict = state.apply({"lr": 0.25, "train_inputs": ["w", "b"]})
    assert verdict.accepted == {"lr": 0.25}
    assert "set by the kernel" in verdict.refused["train_inputs"]
    assert state.get("lr") == 0.25 and state.get("train_inputs") == ["w"]
    assert "lr" in state.apply({"lr": -1}).refused
    assert state.get("lr") == 0.25


def test_the_kernel_catches_up_when_the_page_writes_the_stepped_inputs() -> None:
    """What the page sends after Play stops: the stepped values; the Values follow."""
    w, b, loss = least_squares()
    state = WidgetState(loss, train=["w", "b"], lr=0.1)
    lr = state.get("lr")
    gw, gb = w.grad, b.grad
    stepped = [
        {**d, "value": d["value"] - lr * {"w": gw, "b": gb}[d["name"]]} for d in state.get("inputs")
    ]
    state.apply({"inputs": stepped})
    assert (w.data, b.data) == (0.5 - lr * gw, 0.0 - lr * gb)
    assert loss.data < (0.5 * 1 - 2) ** 2 + (0.5 * 2 - 3) ** 2


def test_the_exported_state_carries_the_training_keys() -> None:
    _, _, loss = least_squares()
    state = widget_state(WidgetState(loss, train=["b"], lr=0.3))
    assert (state["train_inputs"], state["lr"]) == (["b"], 0.3)


def test_the_cell_marks_trainable_inputs_in_valid_python() -> None:
    import ast

    ast.parse(LEAST_SQUARES)  # it stays Python
    program = parse(LEAST_SQUARES)
    assert program.trainable == ("w", "b")
    assert [(s.name, s.min, s.max) for s in program.inputs] == [
        ("w", -5.0, 5.0),
        ("b", -5.0, 5.0),
    ]
    with pytest.raises(MicrogradSyntaxError, match="only inputs can be trainable"):
        parse("x = 1.0\ny: trainable = x * 2")
    with pytest.raises(MicrogradSyntaxError, match="takes only its range's numbers"):
        parse("x: trainable(-1, 1, step=0.1) = 0.0")
    with pytest.raises(MicrogradSyntaxError, match="outside its range"):
        parse("x: trainable(-1, 1) = 3.0")


def test_the_magic_gives_the_widget_its_trainable_inputs_and_lr() -> None:
    from micrograd_magic.widget import GraphWidget

    globalipapp.start_ipython()
    shell = globalipapp.get_ipython()
    shell.run_line_magic("load_ext", "micrograd_magic")
    try:
        with capture_output():
            result = shell.run_cell(f"%%micrograd --lr 0.05 -b view\n{LEAST_SQUARES}")
        assert result.success, result.error_in_exec
        view = shell.user_ns["view"]
        assert isinstance(view, GraphWidget)
        assert (view.train_inputs, view.lr) == (["w", "b"], 0.05)
        with capture_output():
            bad = shell.run_cell(f"%%micrograd --lr 0\n{LEAST_SQUARES}")
        assert isinstance(bad.error_in_exec, UsageError)
        assert "--lr 0.0: the learning rate must be a finite number above 0" in str(
            bad.error_in_exec
        )
    finally:
        shell.run_line_magic("unload_ext", "micrograd_magic")
