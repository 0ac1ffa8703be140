"""Fault injection: hostile text at every public entry point of the language and the magic.

``parse``, ``compile``, ``Program.run``/``build``, the ``%%micrograd`` magic (through a real
IPython shell), ``InputSpec`` and ``default_input`` get hand-picked and hypothesis-generated
hostile text: NULs, byte-order marks, lone surrogates, control and format characters, line
separators Python does not break at, huge and tiny numbers, deep nesting, 100 KB lines,
thousands of names. Each case must answer with the package's own error types only
(MicrogradError for a cell, IPython's UsageError for the magic's options, and the ValueError or
TypeError an API documents), with a report made of short lines a terminal can print, and
within DEADLINE seconds: a per-case limit, so that a hang or a blow-up fails the case.
"""

from __future__ import annotations

import contextlib
import math
import signal
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.terminal.interactiveshell import TerminalInteractiveShell
from IPython.testing import globalipapp
from IPython.utils.capture import capture_output

from micrograd_magic import Value
from micrograd_magic.errors import MicrogradError
from micrograd_magic.inputs import InputSpec, default_input
from micrograd_magic.language import compile, parse

#: Seconds one case may take. Generous on a busy machine; a hang or a quadratic blow-up on
#: 100 KB of text takes far longer.
DEADLINE = 30.0
#: The longest line a report may have (a message and a hint are clipped well below this).
LONGEST_LINE = 600
KB100 = 100_000

if not hasattr(signal, "setitimer"):
    pytest.skip("the per-case deadline needs signal.setitimer", allow_module_level=True)


class DeadlineExceeded(BaseException):
    """Raised in the test's own thread when a case runs past its deadline (a BaseException,
    so that no ``except Exception`` in the code under test can swallow it)."""


@contextlib.contextmanager
def deadline(seconds: float = DEADLINE) -> Iterator[None]:
    """Fail the case if its body has not finished after ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise DeadlineExceeded(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def printable_lines(text: str) -> None:
    """``text`` is short lines a terminal can print: encodable, nothing that moves the cursor
    or reverses the line, no line beyond LONGEST_LINE."""
    text.encode("utf-8")
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]
    assert set(bad) <= {"\n", "\t"}, f"unprintable characters in a report: {bad[:5]!r}"
    assert all(len(line) <= LONGEST_LINE for line in text.splitlines())


def answers_with_our_errors(text: str) -> None:
    """parse, run, build and compile ``text`` within the deadline: a result or a MicrogradError."""
    with deadline():
        try:
            program = parse(text)
            program.run()
            program.build()
            compile(text)
        except MicrogradError as err:
            printable_lines(str(err))
            assert err.lineno is None or err.lineno >= 1


# -- hand-picked hostile cells -----------------------------------------------------------------
VALID = "x: (-3, 3) = 2.0\ny = 3.0\nz = tanh(x*y + 1)"
HOSTILE_CELLS: dict[str, str] = {
    "NUL at the start": "\x00" + VALID,
    "NUL in a name": "x\x00y = 1.0",
    "NUL in a comment": VALID + "  # \x00",
    "NUL after CRLF lines": VALID.replace("\n", "\r\n") + "\r\n\x00",
    "BOM first": "\ufeff" + VALID,
    "BOM inside": "x = 1.0\ny = \ufeffx",
    "lone high surrogate": "x = 1.0\ny = x\ud800",
    "lone low surrogate in a comment": VALID + " # \udc80",
    "half an emoji": "x\ud83d = 1.0",
    "control characters": "x = 1.0\ny = x\x01\x02\x1b[31m",
    "escape sequence in a name position": "\x1b[2J = 1.0",
    "DEL": "x = 1.0\x7f",
    "C1 control": "x = 1.0\x85y = x",
    "line separator": "x = 1.0\u2028y = x",
    "paragraph separator": "x = 1.0\u2029y = x",
    "vertical tab and form feed": "x = 1.0\x0b\x0cy = x",
    "bidi override": "x = 1.0\ny = x \u202e+ 1",
    "zero width joiner": "x\u200d = 1.0",
    "no-break space": "x =\xa01.0",
    "fullwidth name (NFKC)": "ｘ = 1.0\ny = x * 2",
    "lone CR line ends": "x = 1.0\ry = x\rz = q",
    "tabs and spaces": "x = 1.0\n\t y = x",
    "backslash continuations": "x = 1.0\ny = x" + " \\\n" * 5_000 + "+ x",
    "unclosed string": "x = 'abc",
    "unclosed triple string": 'x = """' + "a\n" * 5_000,
    "f-string with code": "x = f'{__import__(\"os\")}'",
    "IPython syntax": "!ls\n%time x = 1\nx?",
    "a magic inside": "x = 1.0\n%%micrograd\ny = x",
    "huge int literal": "x = " + "9" * 5_000,
    "huge float literal": "x = 1" + "0" * 400 + ".0",
    "tiny float literal": "x = 0." + "0" * KB100 + "1",
    "overflow by folding": "x = 10.0 ** 400",
    "int power": "x = 10 ** 400",
    "huge exponent": "x = 1.0\ny = x ** 1e308",
    "subnormal range": "x: (0, 5e-324) = 0",
    "narrow range near 1": "x: (1, 1.0000000000000002) = 1",
    "range beyond floats": "x: (-1e308, 1e308) = 0",
    "subnormal step": "x: (0, 1, 5e-324) = 0",
    "huge value": "x = 1e308\ny = x * x",
    "a gradient beyond floats": "x: (0, 1) = 1e-200\ny = x ** -1.5",
    "deep unary minus": "x = 1.0\ny = " + "-" * KB100 + "x",
    "deep sum on one line": "x = 1.0\ny = x" + " + x" * (KB100 // 4),
    "deep sum over lines": "x = 1.0\ny = (x" + "\n + x" * (KB100 // 4) + ")",
    "deep parentheses": "x = 1.0\ny = " + "(" * 5_000 + "x" + ")" * 5_000,
    "deep calls": "x = 1.0\ny = " + "tanh(" * 5_000 + "x" + ")" * 5_000,
    "deep methods": "x = 1.0\ny = x" + ".tanh()" * 20_000,
    "power tower": "x = 1.0\ny = x" + " ** 1" * 20_000,
    "100 KB comment": "x = 1.0  # " + "a" * KB100,
    "100 KB name": "a" * KB100 + " = 1.0\ny = " + "a" * (KB100 - 1) + "b",
    "100 KB of spaces around an error": "x = 1.0\ny = x" + " " * KB100 + "+ q" + " " * KB100,
    "100 KB of side by side names": "x = 1.0\ny = " + "x " * (KB100 // 2),
    "100 KB of implicit products": "x = 1.0\ny = " + "3x" * (KB100 // 2),
    "100 KB of open brackets": "x = " + "(" * KB100,
    "100 KB of operators": "x = 1.0\ny = x " + "+" * KB100,
    "many definitions then an unknown name": "\n".join(f"v{i} = 1.0" for i in range(20_000))
    + "\ny = nope",
    "many inputs then a domain error": "\n".join(f"v{i} = 1.0" for i in range(5_000))
    + "\ny = log(v0 - 1)",
    "the same input many times": "x = 1.0\n" * 12_500,
    "statements": "import os\nfor i in x: pass\ndef f(): pass\nclass C: pass",
    "dunder access": "x = 1.0\ny = x.__class__.__mro__",
    "lambda call": "x = (lambda: __import__('os'))()",
}


@pytest.mark.parametrize("text", HOSTILE_CELLS.values(), ids=HOSTILE_CELLS.keys())
def test_hostile_cells_get_our_errors_in_time(text: str) -> None:
    answers_with_our_errors(text)


# -- generated hostile cells ---------------------------------------------------------------------
ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates and unassigned ones too
HOSTILE_CHARACTERS = st.sampled_from(
    list("\x00\ufeff\ud800\udfff\x01\x1b\x7f\x85\u2028\u2029\x0b\x0c\u202e\u200d\xa0\t\r\\")
)
FRAGMENTS = st.sampled_from(
    ["x", "y", "3", "3x", "(", ")", "**", "*", "+", "-", " ", "\n", "=", ":", ",", "#", "'",
     "1e308", "5e-324", "tanh(", ".tanh()", "log", "(0, 1)", "__", "q", "lambda", "if", "9" * 50]
)  # fmt: skip


@st.composite
def spliced(draw: st.DrawFn) -> str:
    """A valid cell with hostile characters and fragments spliced in at random places."""
    text = draw(st.sampled_from([VALID, "x = 2.0\ny = 3.0\nz = x*y + x**2", "x = 1.0"]))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.one_of(HOSTILE_CHARACTERS, FRAGMENTS))
        text = text[:at] + piece * draw(st.integers(1, 3)) + text[at:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(ANY_CHARACTER, max_size=200), spliced()))
def test_fuzz_hostile_cells_get_our_errors_in_time(text: str) -> None:
    answers_with_our_errors(text)


HOSTILE_NUMBERS = st.one_of(
    st.floats(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.fractions(),
    st.decimals(),
    st.complex_numbers(),
    st.booleans(),
    st.none(),
    st.text(max_size=20),
    st.sampled_from([5e-324, 1e308, -1e308, math.inf, -math.inf, math.nan, 10**400]),
)


@settings(max_examples=200, deadline=None)
@given(
    values=st.one_of(
        st.dictionaries(st.one_of(st.sampled_from(["x", "y", "z"]), st.text()), HOSTILE_NUMBERS),
        st.lists(HOSTILE_NUMBERS),
        st.text(max_size=10),
    )
)
def test_fuzz_run_and_build_with_hostile_values(values: Any) -> None:
    program = parse(VALID)
    for build in (program.run, program.build):
        with deadline():
            try:
                build(values)
            except MicrogradError as err:
                printable_lines(str(err))
            except TypeError as exc:  # documented: values must be a mapping
                assert "values must be a mapping" in str(exc)


@settings(max_examples=200, deadline=None)
@given(
    output=st.one_of(st.none(), st.text(ANY_CHARACTER, max_size=30)),
    span=st.one_of(HOSTILE_NUMBERS, st.just(None)),
)
def test_fuzz_parse_and_compile_with_hostile_arguments(output: str | None, span: Any) -> None:
    for entry in (parse, compile):
        with deadline():
            try:
                entry(VALID, output, default_span=span)
            except MicrogradError as err:  # an unknown output
                printable_lines(str(err))
                assert "unknown output" in err.msg
            except ValueError as exc:  # documented: a default_span no slider range fits
                assert str(exc).startswith("default_span")


# -- sliders ---------------------------------------------------------------------------------
def check_spec(spec: InputSpec) -> None:
    """What every InputSpec promises: finite floats, value in range, a step floats resolve."""
    numbers = (spec.value, spec.min, spec.max, spec.step)
    assert all(type(n) is float and math.isfinite(n) for n in numbers)
    assert spec.min <= spec.value <= spec.max
    assert math.ulp(max(abs(spec.min), abs(spec.max))) <= spec.step <= spec.max - spec.min


@settings(max_examples=300, deadline=None)
@given(
    name=st.one_of(st.text(ANY_CHARACTER, max_size=20), HOSTILE_NUMBERS),
    value=HOSTILE_NUMBERS,
    low=HOSTILE_NUMBERS,
    high=HOSTILE_NUMBERS,
    step=HOSTILE_NUMBERS,
)
def test_fuzz_input_specs_are_valid_or_refused(
    name: Any, value: Any, low: Any, high: Any, step: Any
) -> None:
    with deadline():
        try:
            spec = InputSpec(name, value, low, high, step)
        except (ValueError, TypeError) as exc:
            printable_lines(str(exc))
        else:
            check_spec(spec)


@settings(max_examples=300, deadline=None)
@given(name=st.text(max_size=20), value=HOSTILE_NUMBERS, span=HOSTILE_NUMBERS)
def test_fuzz_default_inputs_are_valid_or_refused(name: str, value: Any, span: Any) -> None:
    with deadline():
        try:
            spec = default_input(name, value, span)
        except (ValueError, TypeError) as exc:
            printable_lines(str(exc))
            return
    check_spec(spec)


# -- the magic, through a real IPython shell ------------------------------------------------
@pytest.fixture(scope="module")
def ip() -> Iterator[InteractiveShell]:
    globalipapp.start_ipython()
    shell = TerminalInteractiveShell.instance()
    shell.run_line_magic("load_ext", "micrograd_magic")
    yield shell
    shell.run_line_magic("unload_ext", "micrograd_magic")


@pytest.fixture
def shell(
    ip: InteractiveShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[InteractiveShell]:
    """The shell in an empty folder (where any page an option asks for is written)."""
    monkeypatch.chdir(tmp_path)
    ip.reset(new_session=False)
    yield ip
    ip.reset(new_session=False)


def run_magic(shell: InteractiveShell, line: str, cell: str) -> None:
    """Run ``%%micrograd line`` + cell as a user would, within the deadline: it succeeds, or
    fails with our error types only, shown as short printable lines, binding nothing."""
    keep = Value(1.0)
    shell.user_ns["keep"] = keep
    before = set(shell.user_ns)
    with deadline(), capture_output() as cap:
        result = shell.run_cell(f"%%micrograd {line}\n{cell}")
    assert result.error_before_exec is None
    assert not isinstance(result.error_in_exec, DeadlineExceeded), "no answer in time"
    if result.success:
        return
    assert isinstance(result.error_in_exec, (MicrogradError, UsageError)), result.error_in_exec
    assert "Traceback" not in cap.stdout + cap.stderr
    printable_lines(cap.stdout + cap.stderr)
    if isinstance(result.error_in_exec, UsageError):
        assert len(cap.stderr.splitlines()) == 1
    assert set(shell.user_ns) == before
    assert shell.user_ns["keep"] is keep


HOSTILE_LINES: dict[str, str] = {
    "unclosed double quote": '-o "y',
    "unclosed single quote": "--html 'a.html",
    "trailing backslash": "-o y\\",
    "NUL in a path": "--html a\x00b.html",
    "NUL in a name": "-o y\x00",
    "lone surrogate in a path": "--html \ud800.html",
    "lone surrogate in a name": "--bind \udc80",
    "an expression to expand": "-o {__import__('os').getcwd()}",
    "a name to expand": "-o $keep",
    "quoted quotes": "-o '\"y\"'",
    "empty path": "--html ''",
    "a path that is a folder": "--html .",
    "100 KB option": "-o " + "y" * KB100,
    "100 KB of options": "--no-widget " * (KB100 // 12),
    "control characters": "-o \x1b[2Jy",
    "bidi override": "--bind \u202ew",
    "unknown options": "--bogus -x --html",
    "an option without its value": "--output",
}


@pytest.mark.parametrize("line", HOSTILE_LINES.values(), ids=HOSTILE_LINES.keys())
def test_hostile_option_lines_get_our_errors_in_time(shell: InteractiveShell, line: str) -> None:
    run_magic(shell, line, VALID)


@pytest.mark.parametrize(
    "cell",
    [HOSTILE_CELLS[k] for k in HOSTILE_CELLS if "many" not in k],  # big cells: see above
    ids=[k for k in HOSTILE_CELLS if "many" not in k],
)
def test_hostile_cells_through_the_magic(shell: InteractiveShell, cell: str) -> None:
    run_magic(shell, "--no-widget", cell)


OPTION_PIECES = st.sampled_from(
    [
        "-o",
        "--output",
        "-b",
        "--bind",
        "--html",
        "--no-widget",
        "--widget",
        " ",
        "y",
        "z",
        "w",
        "'",
        '"',
        "\\",
        "$keep",
        "{keep}",
        "{",
        "}",
        "=",
        "\x00",
        "\ud800",
        "-",
        "x.html",
        "..",
        "a b",
        "\t",
    ]
)  # fmt: skip: no "/" or "~", so that any path is inside the test's folder


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    line=st.lists(OPTION_PIECES, max_size=8).map("".join),
    cell=st.one_of(st.just(VALID), spliced()),
)
def test_fuzz_the_magic_with_hostile_lines_and_cells(
    shell: InteractiveShell, line: str, cell: str
) -> None:
    run_magic(shell, line, cell)
