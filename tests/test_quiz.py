"""Quiz mode from Python: show(quiz=...), the state's quiz keys and their checks, and the
magic's --quiz, --no-quiz and %config MicrogradMagics.quiz. The page's side is in
js/features/quiz.test.js and tests/e2e/test_teaching.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.core.formatters import DisplayFormatter
from IPython.core.interactiveshell import InteractiveShell
from IPython.terminal.interactiveshell import TerminalInteractiveShell
from IPython.testing import globalipapp

from micrograd_magic import Value, show
from micrograd_magic.picture import dot_available
from micrograd_magic.state import WidgetState


def xyz() -> tuple[Value, Value, Value]:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    return x, y, z


def fresh(ids: list[int]) -> list[dict[str, Any]]:
    return [
        {"id": i, "solved": False, "revealed": False, "attempts": 0, "answer": None} for i in ids
    ]


def test_quiz_true_asks_every_node_but_the_output_and_sends_no_grad() -> None:
    *_, z = xyz()
    w = show(z, quiz=True)
    assert w.quiz == {"asked": [0, 1, 2, 3]}
    assert w.quiz_progress == fresh([0, 1, 2, 3])
    assert all("grad" not in n for n in w.graph["nodes"])
    assert "grad" not in json.dumps(w.state.to_json())
    assert w.model_graph.grad[0] == 7.0  # Python keeps them


def test_quiz_names_ask_only_those_and_unknown_names_are_refused() -> None:
    x, _, z = xyz()
    assert show(z, quiz=["y", x]).quiz == {"asked": [1, 0]}
    assert show(z, quiz=False).quiz is None
    with pytest.raises(ValueError, match="no node of this graph carries the label 'q'"):
        show(z, quiz=["q"])
    with pytest.raises(TypeError, match="quiz must be True, False, None or a list"):
        show(z, quiz="x")  # type: ignore[arg-type]


def test_the_page_reports_progress_and_bad_progress_is_refused() -> None:
    *_, z = xyz()
    state = WidgetState(z, quiz=["x", "y"])
    good = fresh([0, 1])
    good[0].update(solved=True, attempts=2, answer=7)
    state.apply({"quiz_progress": good})
    assert state.quiz_progress[0] == {
        "id": 0,
        "solved": True,
        "revealed": False,
        "attempts": 2,
        "answer": 7.0,
    }
    before = state.quiz_progress
    bad_values: list[object] = [
        fresh([0]),  # one entry short
        fresh([1, 0]),  # another order
        [{**fresh([0])[0], "solved": 1}, fresh([1])[0]],
        [{**fresh([0])[0], "attempts": -1}, fresh([1])[0]],
        [{**fresh([0])[0], "answer": "NaN"}, fresh([1])[0]],
        [{**fresh([0])[0], "extra": 1}, fresh([1])[0]],
        "all solved",
    ]
    for bad in bad_values:
        verdict = state.apply({"quiz_progress": bad})
        assert "quiz_progress" in verdict.refused, bad
        assert state.quiz_progress == before
    assert "quiz" in state.apply({"quiz": None}).refused  # the kernel's key


def test_w_quiz_progress_follows_the_page() -> None:
    *_, z = xyz()
    w = show(z, quiz=["x"])
    w.set_state({"quiz_progress": [{**fresh([0])[0], "revealed": True, "attempts": 1}]})
    assert w.quiz_progress == [
        {"id": 0, "solved": False, "revealed": True, "attempts": 1, "answer": None}
    ]


# -- the magic --------------------------------------------------------------------------------
@pytest.fixture
def ip() -> Iterator[InteractiveShell]:
    globalipapp.start_ipython()
    shell = TerminalInteractiveShell.instance()
    shell.run_line_magic("load_ext", "micrograd_magic")
    magics = shell.magics_manager.registry["MicrogradMagics"]
    # the magic's defaults, whatever an earlier test of the session configured
    magics.widget, magics.quiz, magics.hide, magics.compact = True, False, [], False
    yield shell
    magics.quiz = False
    shell.run_line_magic("unload_ext", "micrograd_magic")


CELL = "x = 2.0\ny = 3.0\nz = x*y + x**2"


def run(shell: InteractiveShell, line: str, cell: str = CELL) -> Any:
    shell.run_cell_magic("micrograd", f"--bind w {line}", cell)
    return shell.user_ns["w"]


def test_the_magic_quiz_options(ip: InteractiveShell) -> None:
    assert run(ip, "--quiz").quiz == {"asked": [0, 1, 2, 3]}
    assert run(ip, "--quiz x,y").quiz == {"asked": [0, 1]}
    assert run(ip, "").quiz is None
    ip.run_line_magic("config", "MicrogradMagics.quiz = True")
    assert run(ip, "").quiz == {"asked": [0, 1, 2, 3]}
    assert run(ip, "--no-quiz").quiz is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--quiz q", "--quiz q: the cell has no variable 'q'; its variables are x, y, z"),
        ("--quiz , ", "name the variables to ask"),
        ("--quiz x --no-quiz", "--quiz and --no-quiz contradict each other"),
        ("--quiz --no-widget", "--quiz needs the widget"),
    ],
)
def test_the_magic_refuses_bad_quiz_options(ip: InteractiveShell, line: str, message: str) -> None:
    ip.user_ns.pop("w", None)
    with pytest.raises(UsageError, match=message):
        run(ip, line)
    assert "w" not in ip.user_ns


@pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("options", [{"quiz": True}, {"hide": ["grad"]}])
def test_no_static_picture_tells_the_hidden_grads(options: dict[str, Any]) -> None:
    *_, z = xyz()
    data, _ = DisplayFormatter().format(show(z, **options))
    assert "image/svg+xml" not in data
    assert "text/plain" in data
    shown, _ = DisplayFormatter().format(show(z))
    assert ">grad 7<" in shown["image/svg+xml"]  # the picture a quiz leaves out
