"""The %%micrograd cell magic, driven through a real IPython shell (and once through a kernel)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError
from IPython.core.interactiveshell import ExecutionResult, InteractiveShell
from IPython.terminal.interactiveshell import TerminalInteractiveShell
from IPython.testing import globalipapp
from IPython.utils.capture import CapturedIO, capture_output

from micrograd_magic import Value
from micrograd_magic.errors import MicrogradDomainError, MicrogradSyntaxError
from micrograd_magic.graph import Graph
from micrograd_magic.magic import MicrogradMagics, SummaryTable

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "micrograd_magic" / "static" / "widget.js"
CELL = "x = 2.0\ny = 3.0\nz = x*y + x**2"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def widget_status() -> str:
    """'ready' when a GraphWidget can be made here, else why not ('missing' or 'not built')."""
    try:
        from micrograd_magic.widget import BundleMissingError, GraphWidget
    except ImportError:
        return "missing"
    try:
        GraphWidget(Value(1.0, label="x"))
    except BundleMissingError:
        return "not built"
    return "ready"


@pytest.fixture(scope="module")
def ip() -> Iterator[InteractiveShell]:
    globalipapp.start_ipython()
    shell = TerminalInteractiveShell.instance()
    shell.run_line_magic("load_ext", "micrograd_magic")
    yield shell
    shell.run_line_magic("unload_ext", "micrograd_magic")


def magics_of(shell: InteractiveShell) -> MicrogradMagics:
    return shell.magics_manager.registry["MicrogradMagics"]


@pytest.fixture
def shell(
    ip: InteractiveShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[InteractiveShell]:
    """The shell with an empty namespace and the magic's default configuration, working in an
    empty folder (so that a wrongly read path is written there, not into the repository)."""
    monkeypatch.chdir(tmp_path)
    ip.reset(new_session=False)
    magics = magics_of(ip)
    yield ip
    magics.default_span = None
    magics.widget = True
    magics.text = "normal"
    ip.reset(new_session=False)


def run(shell: InteractiveShell, cell: str, line: str = "") -> tuple[ExecutionResult, CapturedIO]:
    """Run ``%%micrograd line`` + cell as a user would, capturing what the shell shows."""
    with capture_output() as cap:
        result = shell.run_cell(f"%%micrograd {line}\n{cell}".replace(" \n", "\n", 1))
    return result, cap


def user_names(shell: InteractiveShell) -> dict[str, Any]:
    """The user's own names (not IPython's In/Out/_i... bookkeeping)."""
    hidden = set(shell.user_ns_hidden)
    return {k: v for k, v in shell.user_ns.items() if k not in hidden and not k.startswith("_")}


# -- the namespace after a cell --------------------------------------------------------------------
def test_every_variable_becomes_a_value_with_data_and_grad(shell: InteractiveShell) -> None:
    result, _ = run(shell, CELL, "--no-widget")
    assert result.success
    ns = shell.user_ns
    x, y, z = ns["x"], ns["y"], ns["z"]
    assert all(isinstance(v, Value) for v in (x, y, z))
    assert (x.data, y.data, z.data) == (2.0, 3.0, 10.0)
    assert (x.grad, y.grad, z.grad) == (7.0, 2.0, 1.0)
    assert set(user_names(shell)) == {"x", "y", "z"}
    # the graph behind z is intact and labelled with the cell's names
    g = Graph.from_value(z)
    assert g.labelled_leaves() == {"x": 0, "y": 1}
    assert [n.op for n in g.nodes] == ["", "", "*", "**", "+"]
    assert g.nodes[g.output].label == "z"
    assert z.children[0].children == (x, y)


def test_the_names_are_visible_to_later_cells(shell: InteractiveShell) -> None:
    run(shell, CELL, "--no-widget")
    with capture_output() as cap:
        shell.run_cell("print(x.grad, y.grad, z.data)")
    assert cap.stdout == "7.0 2.0 10.0\n"


def test_reassignment_augmented_and_bare_output(shell: InteractiveShell) -> None:
    result, _ = run(shell, "x = 2.0\na = x * 3\na += 1\ntanh(a)", "--no-widget")
    assert result.success
    ns = shell.user_ns
    assert set(user_names(shell)) == {"x", "a", "out"}
    assert ns["a"].data == 7.0
    assert ns["out"].op == "tanh"
    assert ns["out"].label == "out"
    assert ns["x"].grad == pytest.approx(3 * (1 - ns["out"].data ** 2))


def test_a_new_cell_replaces_the_values(shell: InteractiveShell) -> None:
    run(shell, CELL, "--no-widget")
    first = shell.user_ns["x"]
    run(shell, "x: (-3, 3) = 1.0\ny = 3.0\nz = x*y + x**2", "--no-widget")
    assert shell.user_ns["x"] is not first
    assert (shell.user_ns["x"].grad, first.grad) == (5.0, 7.0)


# -- what is shown ---------------------------------------------------------------------------------
def test_no_widget_shows_a_text_and_an_html_table(shell: InteractiveShell) -> None:
    result, cap = run(shell, CELL, "--no-widget --bind t")
    assert result.success
    assert len(cap.outputs) == 1
    data = cap.outputs[0].data
    assert data["text/plain"] == (
        "name  op               data  grad\n"
        "x     input [-5, 5]       2     7\n"
        "y     input [-10, 10]     3     2\n"
        "z     +                  10     1  <- output"
    )
    # a terminal shell formats text only; a notebook also gets the HTML (see the kernel test)
    html = shell.user_ns["t"]._repr_html_()
    assert html.startswith('<table class="micrograd-summary">')
    assert "<tr><td><code>x</code></td><td>input [-5, 5]</td><td>2</td><td>7</td></tr>" in html
    assert "<tr><td><code>z</code> (output)</td><td>+</td><td>10</td><td>1</td></tr>" in html
    assert cap.stdout == ""


def test_the_table_reads_the_values_when_shown(shell: InteractiveShell) -> None:
    run(shell, CELL, "--no-widget --bind t")
    table = shell.user_ns["t"]
    shell.user_ns["x"].grad = 0.5
    assert "x     input [-5, 5]       2   0.5" in repr(table)


def test_the_widget_or_a_table_with_the_reason(shell: InteractiveShell) -> None:
    status = widget_status()
    result, cap = run(shell, CELL, "--bind w")
    assert result.success
    (output,) = cap.outputs
    w = shell.user_ns["w"]
    if status == "ready":
        assert WIDGET_MIME in output.data
        assert output.data[WIDGET_MIME]["model_id"] == w.model_id
    else:
        assert isinstance(w, SummaryTable)
        assert output.data["text/plain"].startswith("(the graph widget is not available (")
        assert "showing a table)" in output.data["text/plain"]
        assert "<em>the graph widget is not available" in output.data["text/html"]
    assert shell.user_ns["x"].grad == 7.0


def test_fallback_when_the_widget_cannot_be_imported(
    shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes `from .widget import GraphWidget` raise ImportError
    monkeypatch.setitem(sys.modules, "micrograd_magic.widget", None)
    result, cap = run(shell, CELL, "-b w")
    assert result.success
    w = shell.user_ns["w"]
    assert isinstance(w, SummaryTable)
    assert w.computation.values["x"] is shell.user_ns["x"]
    text = cap.outputs[0].data["text/plain"]
    assert text.splitlines()[0].startswith("(the graph widget is not available (import of ")
    assert "x     input [-5, 5]       2     7" in text


@pytest.fixture
def widget_class(monkeypatch: pytest.MonkeyPatch) -> type:
    """GraphWidget, usable here: with the real bundle when it has been built, else with a
    stand-in front-end module (the Python side, which the magic talks to, is the real one)."""
    status = widget_status()
    if status == "missing":
        pytest.skip("micrograd_magic.widget cannot be imported")
    from micrograd_magic.widget import GraphWidget

    if status == "not built":
        monkeypatch.setattr(GraphWidget, "_esm", "export default { render() {} }", raising=False)
    assert widget_status() == "ready"
    return GraphWidget


def test_the_widget_shows_every_variable_and_the_sliders(
    shell: InteractiveShell, widget_class: type
) -> None:
    cell = "x: (-3, 3) = 2.0\ny = 3.0\nu = y * 2\nx = x * 1\nz = x * 3"
    result, cap = run(shell, cell, "-b w -o z")
    assert result.success
    (output,) = cap.outputs
    w = shell.user_ns["w"]
    assert isinstance(w, widget_class)
    assert output.data[WIDGET_MIME]["model_id"] == w.model_id
    labels = {n["label"] for n in w.graph["nodes"]}
    assert {"x", "y", "u", "z"} <= labels  # u does not feed z, but is drawn as extra
    assert [(d["name"], d["min"], d["max"]) for d in w.inputs] == [
        ("x", -3.0, 3.0),
        ("y", -10.0, 10.0),
    ]
    assert w.graph["nodes"][w.graph["output"]]["label"] == "z"
    # x was reassigned: its slider still moves the input leaf, and the names see the numbers
    w.set_input("x", 1.0)
    ns = shell.user_ns
    assert (ns["x"].data, ns["z"].data, ns["z"].grad, ns["x"].grad) == (1.0, 3.0, 1.0, 3.0)
    assert ns["u"].data == 6.0


def test_html_option_with_the_widget(
    shell: InteractiveShell, widget_class: type, tmp_path: Path
) -> None:
    target = tmp_path / "graph.html"
    result, _ = run(shell, CELL, f"--html {target}")
    if BUNDLE.is_file():
        assert result.success
        assert target.is_file()
        assert shell.user_ns["x"].grad == 7.0
    else:
        pytest.skip("the page export needs the built JS bundle")


# -- options ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("line", ["-o y --no-widget", "--output y --no-widget"])
def test_output_option_picks_the_root(shell: InteractiveShell, line: str) -> None:
    result, cap = run(shell, CELL, line)
    assert result.success
    ns = shell.user_ns
    assert (ns["y"].grad, ns["x"].grad, ns["z"].grad) == (1.0, 0.0, 0.0)
    assert "y     input [-10, 10]     3     1  <- output" in cap.outputs[0].data["text/plain"]


def test_widget_option_overrides_the_configuration(shell: InteractiveShell) -> None:
    shell.run_line_magic("config", "MicrogradMagics.widget = False")
    _, cap = run(shell, CELL)
    assert cap.outputs[0].data["text/plain"].startswith("name  op")
    _, cap = run(shell, CELL, "--widget")
    data = cap.outputs[0].data
    assert WIDGET_MIME in data or data["text/plain"].startswith("(the graph widget is not")


def test_html_option(shell: InteractiveShell, tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    status = widget_status()
    result, cap = run(shell, CELL, f"--no-widget --html {target}")
    if status == "ready":
        assert result.success
        assert target.read_text().lstrip().lower().startswith("<!doctype html")
        assert shell.user_ns["x"].grad == 7.0
    else:
        assert not result.success
        assert isinstance(result.error_in_exec, UsageError)
        assert cap.stderr.startswith("UsageError: --html: export")
        assert "not available" in cap.stderr
        assert not target.exists()
        assert user_names(shell) == {}


def test_html_option_without_the_widget_is_a_usage_error(
    shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "micrograd_magic.widget", None)
    result, cap = run(shell, CELL, f"--html {tmp_path / 'g.html'}")
    assert isinstance(result.error_in_exec, UsageError)
    assert cap.stderr.startswith(
        "UsageError: --html: export is not available: the graph widget cannot be imported"
    )
    assert user_names(shell) == {}


# -- usage errors: one line, no traceback, nothing bound -------------------------------------------
USAGE_ERRORS = [
    ("--bogus", "UsageError: unrecognized arguments: --bogus"),
    ("-o q", "UsageError: --output q: the cell has no variable 'q'; its variables are x, y, z"),
    ("--output", "UsageError: argument -o/--output: expected one argument"),
    ("--bind 1w", "UsageError: --bind 1w: not a valid variable name"),
    ("--bind class", "UsageError: --bind class: not a valid variable name"),
    ("--bind x", "UsageError: --bind x: 'x' is a variable of the cell; choose another name"),
    ("--html", "UsageError: argument --html: expected one argument"),
]


USAGE_ERRORS += [
    # the option line is read like a shell's, and every mistake in it is one line
    ('-o "y', 'UsageError: the options cannot be read: no closing quotation: -o "y'),
    (
        "--html 'a.html",
        "UsageError: the options cannot be read: no closing quotation: --html 'a.html",
    ),
    ("-o y\\", "UsageError: the options cannot be read: no escaped character: -o y\\"),
    ("--html a\x00b.html", "UsageError: --html 'a␀b.html': a path cannot contain a null byte"),
    ("--html ''", "UsageError: --html: the path is empty"),
    ("--html '  '", "UsageError: --html: the path is empty"),
    (
        "-o 'no such'",
        "UsageError: --output 'no such': the cell has no variable 'no such'; "
        "its variables are x, y, z",
    ),
    (
        "-o yy",
        "UsageError: --output yy: the cell has no variable 'yy'; did you mean 'y'? "
        "its variables are x, y, z",
    ),
    ("--bind 'a b'", "UsageError: --bind 'a b': not a valid variable name"),
    (
        "--no-widget " * 5_000,
        "UsageError: the options are 5,000 words; %%micrograd takes at most 20",
    ),
    ("'\x00", "UsageError: the options cannot be read: no closing quotation: '␀"),
    ("\x00", "UsageError: unrecognized arguments: ␀"),
    # what cannot be printed is shown as a symbol (a NUL) or escaped (a lone surrogate)
    (
        "-o a\x00b",
        "UsageError: --output 'a␀b': the cell has no variable 'a\\x00b'; its variables are x, y, z",
    ),
    ("--bind \ud800", "UsageError: --bind '\ufffd': not a valid variable name"),
    (
        "--html \ud800.html",
        "UsageError: --html '\\ud800.html': not a valid file name here (surrogates not allowed)",
    ),
    ("--bind ''", "UsageError: --bind '': not a valid variable name"),
]


@pytest.mark.parametrize(("line", "shown"), USAGE_ERRORS, ids=[ln[:30] for ln, _ in USAGE_ERRORS])
def test_usage_errors_are_one_line(shell: InteractiveShell, line: str, shown: str) -> None:
    shell.user_ns["keep"] = 1
    result, cap = run(shell, CELL, line)
    assert isinstance(result.error_in_exec, UsageError)
    assert cap.stderr == shown + "\n"
    assert cap.stdout == ""
    assert cap.outputs == []
    assert user_names(shell) == {"keep": 1}


@pytest.mark.parametrize("line", ["-o 'y'", '-o "y"', "--output='y'", "-o y"])
def test_quotes_in_options_are_read_like_a_shell(shell: InteractiveShell, line: str) -> None:
    # IPython's own splitting kept the quotes: -o 'y' looked for a variable named 'y'
    result, _ = run(shell, CELL, f"{line} --no-widget")
    assert result.success
    assert shell.user_ns["y"].grad == 1.0


def test_a_quoted_html_path_with_a_space_is_one_file_without_quotes(
    shell: InteractiveShell, widget_class: type, tmp_path: Path
) -> None:
    if not BUNDLE.is_file():
        pytest.skip("the page export needs the built JS bundle")
    folder = tmp_path / "lesson notes"
    folder.mkdir()
    result, cap = run(shell, CELL, f'--no-widget --html "{folder}/lesson one.html"')
    assert result.success, cap.stderr
    assert [p.name for p in folder.iterdir()] == ["lesson one.html"]


def test_an_unwritable_html_path_is_a_usage_error_and_binds_nothing(
    shell: InteractiveShell, widget_class: type, tmp_path: Path
) -> None:
    if not BUNDLE.is_file():
        pytest.skip("the page export needs the built JS bundle")
    shell.user_ns["keep"] = 1
    (tmp_path / "a file").write_text("")
    for target in (tmp_path, tmp_path / "a file" / "g.html"):
        result, cap = run(shell, CELL, f"--no-widget --html '{target}'")
        assert isinstance(result.error_in_exec, UsageError)
        assert cap.stderr.startswith(f"UsageError: --html: could not save '{target}': ")
        assert len(cap.stderr.splitlines()) == 1
        assert user_names(shell) == {"keep": 1}


def test_the_option_line_is_not_expanded(shell: InteractiveShell, tmp_path: Path) -> None:
    # IPython expands {expr} and $name in a magic's line, which ran notebook code (f() here)
    canary = Canary()
    shell.user_ns.update(f=canary, n="y", keep=1)
    for line, shown in [
        ("-o {f()}", "--output '{f()}': the cell has no variable '{f()}'"),
        ("-o $n", "--output '$n': the cell has no variable '$n'"),
        ("-o $n{f()}", "--output '$n{f()}': the cell has no variable '$n{f()}'"),
        ("--bind {f()}", "--bind '{f()}': not a valid variable name"),
        ("--bind $n", "--bind '$n': not a valid variable name"),
    ]:
        result, cap = run(shell, CELL, f"{line} --no-widget")
        assert isinstance(result.error_in_exec, UsageError)
        assert cap.stderr.startswith(f"UsageError: {shown}")
    assert canary.calls == 0
    assert set(user_names(shell)) == {"f", "n", "keep"}


def test_an_output_among_many_variables_gets_a_short_message(shell: InteractiveShell) -> None:
    cell = "\n".join(f"v{i} = 1.0" for i in range(5_000))
    result, cap = run(shell, cell, "-o nope --no-widget")
    assert isinstance(result.error_in_exec, UsageError)
    assert cap.stderr == (
        "UsageError: --output nope: the cell has no variable 'nope'; its variables are "
        + ", ".join(f"v{i}" for i in range(12))
        + " and 4,988 more\n"
    )


def test_run_cell_magic_raises_for_the_caller(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError):
        shell.run_cell_magic("micrograd", "--bogus", CELL)
    with pytest.raises(MicrogradSyntaxError) as info:
        shell.run_cell_magic("micrograd", "", "x = 2.0\ny = x ^ 2")
    assert (info.value.lineno, info.value.col_offset) == (3, 4)
    with pytest.raises(MicrogradDomainError):
        shell.run_cell_magic("micrograd", "", "x = 0.0\ny = log(x)")
    assert user_names(shell) == {}


# -- mistakes in the cell: a short message pointing into the cell ----------------------------------
def test_cell_errors_are_shown_like_a_syntax_error_without_a_traceback(
    shell: InteractiveShell,
) -> None:
    result, cap = run(shell, "x = 2.0\ny = 3.0\nz = x*y + xx**2")
    assert not result.success
    assert isinstance(result.error_in_exec, MicrogradSyntaxError)
    assert cap.stdout.splitlines() == [
        "MicrogradSyntaxError: line 4, column 11: unknown name 'xx'",
        "    z = x*y + xx**2",
        "              ^^",
        "hint: did you mean 'x'? (defined so far: x, y)",
    ]
    assert "Traceback" not in cap.stdout + cap.stderr
    assert "micrograd_magic" not in cap.stdout + cap.stderr
    assert cap.outputs == []


def test_domain_errors_are_shown_tersely_with_the_values(shell: InteractiveShell) -> None:
    result, cap = run(shell, "x: (-3, 3) = 2.0\ny = log(x - 2)")
    assert isinstance(result.error_in_exec, MicrogradDomainError)
    assert cap.stdout.splitlines() == [
        "MicrogradDomainError: line 3, column 5: log: log(0) is undefined "
        "(log needs a positive number)",
        "    y = log(x - 2)",
        "        ^^^^^^^^^^",
        "hint: here x - 2 = 0 (inputs: x = 2); keep the argument of log positive",
    ]


def test_an_empty_cell_says_what_a_cell_looks_like(shell: InteractiveShell) -> None:
    result, cap = run(shell, "# nothing yet\n")
    assert isinstance(result.error_in_exec, MicrogradSyntaxError)
    assert cap.stdout.splitlines() == [
        "MicrogradSyntaxError: the cell is empty: there is nothing to compute",
        "hint: write inputs and formulas, e.g. x = 2.0, then y = 3.0, then z = x*y + x**2 "
        "(one per line)",
    ]


FAILING = [
    ("x = 2.0\ny = 3.0\nz = x*y + q", ""),  # unknown name on the last line
    ("x = 2.0\ny = 3.0\nz = x / (y - 3)", ""),  # a domain error after two good lines
    ("x = 2.0\ny = 3.0\nz = x*y", "-o nope"),
    ("x = 2.0\ny = 3.0\nz = x*y", "--bind y"),
    ("x = 2.0\ny = 3.0\nz = x*y", "--bogus"),
    ("x = 2.0\ny = 3.0\nimport os", ""),
]


@pytest.mark.parametrize(("cell", "line"), FAILING)
def test_a_failed_cell_leaves_the_namespace_as_it_was(
    shell: InteractiveShell, cell: str, line: str
) -> None:
    run(shell, "x = 5.0\nw = x * 2", "--no-widget")
    before = dict(user_names(shell))
    result, _ = run(shell, cell, line)
    assert not result.success
    after = user_names(shell)
    assert after == before
    assert all(after[k] is before[k] for k in before)
    assert after["x"].data == 5.0
    assert after["x"].grad == 2.0


# -- %config ---------------------------------------------------------------------------------------
def test_config_default_span(shell: InteractiveShell) -> None:
    with capture_output() as cap:
        shell.run_cell("%config MicrogradMagics.default_span = 10")
    assert cap.stderr == ""
    assert magics_of(shell).default_span == 10.0
    _, cap = run(shell, CELL, "--no-widget")
    text = cap.outputs[0].data["text/plain"]
    assert "x     input [-10, 10]     2     7" in text


def test_config_rejects_a_bad_default_span(shell: InteractiveShell) -> None:
    shell.run_line_magic("config", "MicrogradMagics.default_span = 10")
    shell.run_line_magic("config", "MicrogradMagics.default_span = -1")
    assert magics_of(shell).default_span == 10.0
    shell.run_line_magic("config", "MicrogradMagics.default_span = None")
    assert magics_of(shell).default_span is None


@pytest.mark.skipif(widget_status() != "ready", reason="the widget cannot be made here")
def test_config_text_large_makes_every_widget_large(
    shell: InteractiveShell, caplog: pytest.LogCaptureFixture
) -> None:
    shell.run_line_magic("config", 'MicrogradMagics.text = "large"')
    result, _ = run(shell, CELL, "--bind w")
    assert result.success and shell.user_ns["w"].text == "large"
    with caplog.at_level("ERROR"):
        shell.run_line_magic("config", 'MicrogradMagics.text = "huge"')
    assert "text must be 'normal' or 'large', got 'huge'" in caplog.text
    assert magics_of(shell).text == "large"
    shell.run_line_magic("config", 'MicrogradMagics.text = "normal"')
    run(shell, CELL, "--bind w")
    assert shell.user_ns["w"].text == "normal"


BAD_SETTINGS = [
    # (setting, what the logged error says): each is refused when it is set
    ("default_span = 1e308", "default_span 1e+308: the range [-1e+308, 1e+308] is too wide"),
    ("default_span = 9e307", "is too wide"),
    ("default_span = 5e-324", "is too narrow for a slider"),
    ("default_span = float('inf')", "default_span must be a positive number or None, got inf"),
    ("default_span = float('nan')", "default_span must be a positive number or None, got nan"),
    ("default_span = 0", "default_span must be a positive number or None, got 0"),
    ("default_span = '3'", "expected a float, not the str '3'"),
    ("widget = 'yes'", "expected a boolean"),
    ("widget = 2", "expected a boolean"),
    ("widget = None", "expected a boolean"),
]


@pytest.mark.parametrize(("setting", "logged"), BAD_SETTINGS)
def test_config_refuses_a_bad_setting_when_it_is_set(
    shell: InteractiveShell, caplog: pytest.LogCaptureFixture, setting: str, logged: str
) -> None:
    # default_span = 1e308 used to be accepted, and then blamed on the next cell's x
    shell.run_line_magic("config", "MicrogradMagics.default_span = 10")
    shell.run_line_magic("config", "MicrogradMagics.widget = False")
    with caplog.at_level("ERROR"):
        shell.run_line_magic("config", f"MicrogradMagics.{setting}")
    assert logged in caplog.text
    assert (magics_of(shell).default_span, magics_of(shell).widget) == (10.0, False)
    result, cap = run(shell, CELL)
    assert result.success
    assert "x     input [-10, 10]     2     7" in cap.outputs[0].data["text/plain"]


def test_a_bad_setting_in_a_config_file_is_refused_at_load(
    ip: InteractiveShell, caplog: pytest.LogCaptureFixture
) -> None:
    ip.run_line_magic("unload_ext", "micrograd_magic")
    ip.config.MicrogradMagics.default_span = 1e308
    ip.config.MicrogradMagics.widget = False
    configurables = list(ip.configurables)
    try:
        with caplog.at_level("ERROR"):
            ip.run_line_magic("load_ext", "micrograd_magic")
        assert "MicrogradMagics: the configuration is not used: default_span 1e+308" in caplog.text
        magics = magics_of(ip)
        assert (magics.default_span, magics.widget) == (None, True)
        assert ip.configurables == [*configurables, magics]  # no half-made magics left behind
    finally:
        del ip.config.MicrogradMagics
        ip.run_line_magic("load_ext", "micrograd_magic")
    assert magics_of(ip).widget is True


def test_config_widget_false_shows_tables(shell: InteractiveShell) -> None:
    shell.run_line_magic("config", "MicrogradMagics.widget = False")
    result, cap = run(shell, CELL, "--bind t")
    assert result.success
    assert isinstance(shell.user_ns["t"], SummaryTable)
    assert shell.user_ns["t"].note is None
    assert cap.outputs[0].data["text/plain"].startswith("name  op")


def test_config_lists_the_traits(shell: InteractiveShell) -> None:
    with capture_output() as cap:
        shell.run_line_magic("config", "MicrogradMagics")
    assert "MicrogradMagics.default_span=<Float>" in cap.stdout
    assert "MicrogradMagics.widget=<Bool>" in cap.stdout


# -- help ------------------------------------------------------------------------------------------
def test_help_has_usage_language_and_examples(shell: InteractiveShell) -> None:
    doc = shell.find_cell_magic("micrograd").__doc__
    for part in (
        "%%micrograd [-o NAME] [--no-widget | --widget] [-b NAME] [--html PATH]",
        "Compute a cell of scalar formulas as micrograd Values",
        "-o NAME, --output NAME",
        "--no-widget",
        "-b NAME, --bind NAME",
        "--html PATH",
        "x: (-3, 3) = 2.0",
        "relu tanh exp log sigmoid",
        "Examples:",
        "%%micrograd --output z --no-widget",
        "%config MicrogradMagics.default_span = 10",
    ):
        assert part in doc
    with capture_output() as cap:
        shell.run_cell("%%micrograd?")
    assert "%%micrograd [-o NAME]" in cap.stdout
    assert "afterwards x.grad == 7.0" in cap.stdout


def test_help_through_ipython_has_no_rest_markup_and_says_what_span_is(
    shell: InteractiveShell,
) -> None:
    with capture_output() as cap:
        shell.run_cell("%%micrograd?")
    shown = cap.stdout.splitlines()
    # the docstring starts with the usage line itself, not a reST "::" and an indented block
    first = shown.index(next(line for line in shown if line.startswith("Docstring:")))
    assert shown[first + 1] == (
        "%%micrograd [-o NAME] [--no-widget | --widget] [-b NAME] [--html PATH] [--lr RATE]"
    )
    assert "::" not in cap.stdout
    # span is named where it is used, and explained
    assert "[-span, span]" not in cap.stdout
    assert (
        "    y = 3.0              an input with a default range (see default_span below)" in shown
    )
    text = " ".join(cap.stdout.split())
    assert (
        "default_span is the half-width of the slider range given to inputs written without one"
        in text
    )
    assert "[-5, 5] for 2.0, [-50, 50] for 12.0" in text
    assert 'quote a path with spaces (--html "lesson one.html")' in text
    assert "{expr} and $name are taken literally" in text


# -- loading ---------------------------------------------------------------------------------------
def test_unload_and_reload(ip: InteractiveShell) -> None:
    ip.run_line_magic("unload_ext", "micrograd_magic")
    try:
        assert ip.find_cell_magic("micrograd") is None
        assert not any(isinstance(c, MicrogradMagics) for c in ip.configurables)
        with capture_output() as cap:
            ip.run_cell("%%micrograd\nx = 1.0")
        assert "Cell magic `%%micrograd` not found" in cap.stderr
    finally:
        ip.run_line_magic("load_ext", "micrograd_magic")
    from micrograd_magic import load_ipython_extension

    load_ipython_extension(ip)  # a second load replaces the first
    assert sum(isinstance(c, MicrogradMagics) for c in ip.configurables) == 1
    assert ip.find_cell_magic("micrograd").__self__ is magics_of(ip)


# -- nothing in the cell is executed, nothing from the notebook is read ---------------------------
class Canary:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object) -> float:
        self.calls += 1
        return 1.0


NASTY = [
    "x = canary()",
    "canary()",
    "x = 2.0\ny = x.__class__.__init__(canary())",
    "x = __import__('builtins')",
    "x = get_ipython().run_cell('canary()')",
    "x = (lambda: canary())()",
    "x = [canary() for _ in (1,)]",
    "x = f'{canary()}'",
    "x: canary() = 1.0",
    "x = 2.0\ny = x ** canary()",
]


@pytest.mark.parametrize("cell", NASTY)
def test_the_cell_never_runs_code(shell: InteractiveShell, cell: str) -> None:
    canary = Canary()
    shell.user_ns["canary"] = canary
    result, cap = run(shell, cell)
    assert isinstance(result.error_in_exec, MicrogradSyntaxError)
    assert cap.stdout.startswith("MicrogradSyntaxError: line ")
    assert canary.calls == 0


def test_notebook_names_are_not_visible_in_a_cell(shell: InteractiveShell) -> None:
    shell.user_ns["q"] = Value(5.0)
    result, cap = run(shell, "z = q * 2")
    assert isinstance(result.error_in_exec, MicrogradSyntaxError)
    assert "unknown name 'q'" in cap.stdout
    assert "nothing is defined yet" in cap.stdout


BAD = ["canary()", "x.__class__", "x[0]", "'s'", "(x ^ 2)", "x.data", "zz", "x ** y", "(q := 2)"]


@settings(max_examples=60, deadline=None)
@given(
    bad=st.sampled_from(BAD),
    formula=st.sampled_from(["x * y", "tanh(x) + y", "(x - y).relu()", "x ** 2 / y"]),
    op=st.sampled_from("+-*/"),
)
def test_fuzz_bad_cells_through_the_shell(
    ip: InteractiveShell, bad: str, formula: str, op: str
) -> None:
    canary = Canary()
    ip.user_ns["canary"] = canary
    before = {k: v for k, v in ip.user_ns.items() if k in ("x", "y", "a")}
    result, cap = run(ip, f"x = 2.0\ny = 3.0\na = {formula} {op} {bad}", "--no-widget")
    assert isinstance(result.error_in_exec, MicrogradSyntaxError)
    first = cap.stdout.splitlines()[0]
    assert first.startswith("MicrogradSyntaxError: line 4, column ")
    assert canary.calls == 0
    assert {k: v for k, v in ip.user_ns.items() if k in ("x", "y", "a")} == before


# -- what a notebook user sees, through a real kernel ----------------------------------------------
@pytest.mark.slow
def test_in_a_kernel_errors_are_terse_and_nothing_is_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    cells = [
        "%load_ext micrograd_magic",
        f"%%micrograd --no-widget\n{CELL}",
        "%%micrograd\nq = 2.0\nw = log(q - 2)",
        "print(x.grad, 'q' in dir(), 'w' in dir())",
        "%%micrograd -o nope\nx = 1.0",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = nbclient.NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [c.outputs for c in nb.cells]
    table = outputs[1][0]["data"]
    assert table["text/plain"].endswith("z     +                  10     1  <- output")
    assert "<table" in table["text/html"]
    (error,) = outputs[2]
    assert error["output_type"] == "error"
    assert error["ename"] == "MicrogradDomainError"
    assert error["traceback"] == [
        "MicrogradDomainError: line 3, column 5: log: log(0) is undefined "
        "(log needs a positive number)",
        "    w = log(q - 2)",
        "        ^^^^^^^^^^",
        "hint: here q - 2 = 0 (inputs: q = 2); keep the argument of log positive",
    ]
    assert outputs[3][0]["text"] == "7.0 False False\n"
    assert outputs[4][0]["name"] == "stderr"
    assert outputs[4][0]["text"] == (
        "UsageError: --output nope: the cell has no variable 'nope'; its variables are x\n"
    )
