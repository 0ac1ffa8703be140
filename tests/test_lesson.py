"""A lesson's set-up from Python: show()'s hide, lock, compact and caption, the state's
``lesson`` key, the magic's --hide, --lock, --compact, --caption and the %config defaults.
The page's side is in js/features/lesson.test.js and tests/e2e/test_teaching.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.terminal.interactiveshell import TerminalInteractiveShell
from IPython.testing import globalipapp
from traitlets import TraitError

from micrograd_magic import Value, show
from micrograd_magic.export import widget_state
from micrograd_magic.state import HIDEABLE, WidgetState


def xyz() -> Value:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    return z


def test_the_options_become_the_lesson_key_and_the_exported_state() -> None:
    w = show(xyz(), hide=["grad", "panel", "grad"], lock=["y"], compact=True, caption="Lesson 1")
    want = {"hide": ["grad", "panel"], "lock": ["y"], "compact": True, "caption": "Lesson 1"}
    assert w.lesson == want
    assert widget_state(w)["lesson"] == want
    assert show(xyz()).lesson is None
    assert HIDEABLE == ("grad", "panel", "step", "sliders")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"hide": ["legend"]}, ValueError, "hide: 'legend' is not a part; choose from grad, panel"),
        ({"hide": "grad"}, TypeError, "hide must be a list of names"),
        ({"lock": ["q"]}, ValueError, "lock: 'q' is not an input with a slider; the inputs are x"),
        ({"compact": 1}, TypeError, "compact must be True or False"),
        ({"caption": 3}, TypeError, "caption must be text"),
        ({"caption": "x" * 301}, ValueError, "caption: 301 characters; at most 300"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        show(xyz(), **options)


def test_the_page_cannot_change_the_lesson() -> None:
    state = WidgetState(xyz(), hide=["panel"])
    assert "lesson" in state.apply({"lesson": None}).refused
    assert state.get("lesson")["hide"] == ["panel"]


@pytest.fixture
def ip() -> Iterator[InteractiveShell]:
    globalipapp.start_ipython()
    shell = TerminalInteractiveShell.instance()
    shell.run_line_magic("load_ext", "micrograd_magic")
    magics = shell.magics_manager.registry["MicrogradMagics"]
    # the magic's defaults, whatever an earlier test of the session configured
    magics.widget, magics.quiz, magics.hide, magics.compact = True, False, [], False
    yield shell
    magics.hide = []
    magics.compact = False
    shell.run_line_magic("unload_ext", "micrograd_magic")


CELL = "x = 2.0\nw = -0.5\nz = x*w"


def test_the_magic_options_and_config_defaults(ip: InteractiveShell) -> None:
    ip.run_cell_magic(
        "micrograd", '--bind g --hide grad,step --lock w --compact --caption "A product"', CELL
    )
    assert ip.user_ns["g"].lesson == {
        "hide": ["grad", "step"],
        "lock": ["w"],
        "compact": True,
        "caption": "A product",
    }
    ip.run_line_magic("config", 'MicrogradMagics.hide = ["panel"]')
    ip.run_line_magic("config", "MicrogradMagics.compact = True")
    ip.run_cell_magic("micrograd", "--bind g", CELL)
    assert ip.user_ns["g"].lesson == {
        "hide": ["panel"],
        "lock": [],
        "compact": True,
        "caption": None,
    }
    magics = ip.magics_manager.registry["MicrogradMagics"]
    with pytest.raises(TraitError, match="hide: 'nope' is not a part"):
        magics.hide = ["nope"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--hide legend", "--hide legend: 'legend' is not a part"),
        ("--lock q", "lock: 'q' is not an input with a slider"),
        ("--compact --no-widget", "need the widget"),
        ("--lock ,", "--lock ,: give comma-separated names"),
    ],
)
def test_the_magic_refuses_bad_lesson_options(
    ip: InteractiveShell, line: str, message: str
) -> None:
    ip.user_ns.pop("z", None)
    with pytest.raises(UsageError, match=message):
        ip.run_cell_magic("micrograd", line, CELL)
    assert "z" not in ip.user_ns
