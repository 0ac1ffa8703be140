"""The training view's Python side: train_view(), its state's keys, the page's ``progress``
reports (checked, then the weights go into the model and the numbers into ``tv.history``) and
its export. The training itself runs in the page (js/trainview/view.test.js,
tests/e2e/test_trainview_lab.py); training.js is pinned to train() by tests/vectors."""

from __future__ import annotations

import json
import random
from typing import Any

import comm
import pytest
from comm.base_comm import BaseComm

from micrograd_magic import Value, datasets, nn, show, train
from micrograd_magic.export import page_html, widget_state
from micrograd_magic.trainstate import TRAIN_KEYS, TrainViewState
from micrograd_magic.trainview import TrainView, train_view


class RecordingComm(BaseComm):
    """A kernel-side comm that keeps the messages it would send."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        super().__init__(*args, **kwargs)

    def publish_msg(self, msg_type: str, data: Any = None, *args: Any, **keys: Any) -> None:
        self.sent.append((msg_type, data or {}))


@pytest.fixture(autouse=True)
def recording_comm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comm, "create_comm", RecordingComm)


def small() -> tuple[nn.MLP, list[list[float]], list[int]]:
    xs, ys = datasets.moons(12, noise=0.1, seed=3)
    random.seed(1)
    return nn.MLP(2, [4, 4, 1]), xs, ys


def progress_after_5() -> tuple[dict[str, Any], nn.MLP]:
    """What the page reports after 5 updates (train()'s numbers), and the model train() left."""
    model, xs, ys = small()
    history = train(model, xs, ys, steps=5, progress=False)
    report = {
        "step": 5,
        "loss": history.loss,
        "accuracy": history.accuracy,
        "lr": history.lr,
        "weights": history.weights_at(5),
    }
    return report, model


def test_the_state_holds_the_trainer_spec_and_the_mlp_s_sizes() -> None:
    model, xs, ys = small()
    state = TrainViewState(model, xs, ys, steps=5)
    page = state.to_json()
    assert list(page) == list(TRAIN_KEYS) == ["kind", "trainer", "sizes", "progress"]
    assert page["kind"] == "trainview"
    assert page["sizes"] == [2, 4, 4, 1]
    assert page["trainer"]["steps"] == 5 and len(page["trainer"]["params"]) == 37
    assert page["progress"] is None
    assert len(state.history) == 0

    class Line(nn.Module):
        def __init__(self) -> None:
            self.w = [Value(0.5), Value(-0.5)]

        def forward(self, x: Any) -> Value:
            return self.w[0] * x[0] + self.w[1] * x[1]

        def parameters(self) -> list[Value]:
            return self.w

    assert TrainViewState(Line(), xs, ys).get("sizes") == []


def test_a_progress_report_puts_the_page_s_weights_into_the_model() -> None:
    report, trained = progress_after_5()
    model, xs, ys = small()
    state = TrainViewState(model, xs, ys, steps=5)
    start = [p.data for p in model.parameters()]
    assert state.set("progress", json.loads(json.dumps(report))) == {"progress": report}
    assert [p.data for p in model.parameters()] == [p.data for p in trained.parameters()]
    assert state.history.loss == report["loss"] and state.history.accuracy == report["accuracy"]
    assert state.history.weights_at(0) == start
    assert state.history.weights_at(5) == report["weights"]
    assert state.history.steps == 5 and state.history.loss_name == "svm"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"step": 6}, "progress: step must be a whole number from 0 to 5"),
        ({"step": True}, "progress: step must be a whole number from 0 to 5"),
        ({"loss": [1.0]}, "progress: loss must be a list of 5 numbers"),
        ({"weights": [0.0] * 36}, "progress: weights must be a list of 37 numbers"),
        ({"weights": [float("nan")] * 37}, "progress: weights must hold finite numbers only"),
        ({"extra": 1}, "progress must have exactly the keys accuracy, loss, lr, step, weights"),
    ],
)
def test_a_bad_progress_report_is_refused_and_changes_nothing(
    change: dict[str, Any], message: str
) -> None:
    report, _ = progress_after_5()
    model, xs, ys = small()
    state = TrainViewState(model, xs, ys, steps=5)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError) as err:
        state.set("progress", {**report, **change})
    assert str(err.value) == message
    assert [p.data for p in model.parameters()] == before
    assert state.get("progress") is None


def test_the_widget_takes_progress_from_the_page_and_refuses_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    report, trained = progress_after_5()
    model, xs, ys = small()
    tv = train_view(model, xs, ys, steps=5)
    assert isinstance(tv, TrainView) and tv.model is model
    tv.set_state({"progress": report, "sizes": [1, 1]})
    assert [p.data for p in tv.model.parameters()] == [p.data for p in trained.parameters()]
    assert tv.history.loss == report["loss"]
    assert tv.sizes == [2, 4, 4, 1]
    assert "TrainView refused 'sizes'" in caplog.text
    tv.set_state({"progress": {**report, "step": -1}})
    assert tv.history.loss == report["loss"], "a bad report leaves the last good one"
    assert "5 of 5 steps done" in repr(tv)


def test_train_view_checks_its_arguments_as_train_does() -> None:
    model, xs, ys = small()
    with pytest.raises(ValueError, match="loss must be one of"):
        train_view(model, xs, ys, loss="hinge")
    with pytest.raises(ValueError, match="labels must be -1 or \\+1"):
        train_view(model, xs, [0] * len(xs))


def test_the_view_exports_beside_a_graph_widget(tmp_path: Any) -> None:
    model, xs, ys = small()
    tv = train_view(model, xs, ys, steps=5)
    x = Value(2.0, label="x")
    page = page_html([tv, show(x * x)])
    assert page.count('data-mgm-widget="mgm-state-') == 2
    assert widget_state(tv)["kind"] == "trainview"
    path = tv.save_html(tmp_path / "tv.html")
    assert '"kind": "trainview"' in path.read_text(encoding="utf-8")
