"""python -m micrograd_magic render, always through a real child process: files written (and
never the source), errors located in one line, exit codes, Graphviz bounded and interruptible,
and no widget framework imported."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from micrograd_magic.picture import dot_available

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(__file__).resolve().parent / "subprocess_site"
NEURON = """\
# a neuron
x1: (-2, 2) = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
o = tanh(n)
"""

needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed")


def cli(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "micrograd_magic", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str], status: int = 2) -> str:
    """The single stderr line of a failed run (besides a deprecation warning), after checking
    the status and that no traceback escaped."""
    assert result.returncode == status, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [s for s in result.stderr.strip().splitlines() if not s.startswith("warning: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def state_of(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="mgm-state-0">(.*?)</script>', text)
    assert match, "the page holds no widget state"
    return json.loads(match.group(1))


def output_label(page: Path) -> str:
    graph = state_of(page)["graph"]
    return graph["nodes"][graph["output"]]["label"]


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    path = tmp_path / "lesson.mg"
    path.write_text(NEURON, encoding="utf-8")
    return path


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- writing --------------------------------------------------------------------------------------
def test_render_writes_a_standalone_page_and_says_where(lesson: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = cli("render", lesson, "--html", out, "--title", "Neuron")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    page = out.read_text(encoding="utf-8")
    assert "<title>Neuron</title>" in page
    assert output_label(out) == "o"
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing to fetch


def test_a_relative_output_is_reported_with_its_full_path(lesson: Path, tmp_path: Path) -> None:
    result = cli("render", lesson, "--html", "page.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {tmp_path / 'page.html'}"


def test_without_an_output_the_page_goes_to_the_current_folder(tmp_path: Path) -> None:
    source = tmp_path / "examples" / "neuron.mg"
    source.parent.mkdir()
    source.write_text(NEURON, encoding="utf-8")
    here = tmp_path / "work"
    here.mkdir()
    result = cli("render", source, cwd=here)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {here / 'neuron.html'}"
    assert files_in(here) == ["neuron.html"]
    assert files_in(source.parent) == ["neuron.mg"]  # nothing beside the source


def test_dash_o_names_the_output_variable_as_in_the_magic(lesson: Path, tmp_path: Path) -> None:
    for option in ("-o", "--output"):
        page = tmp_path / f"n{option}.html"
        result = cli("render", lesson, option, "n", "--html", page, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert output_label(page) == "n"
    assert not (tmp_path / "n").exists()  # `-o n` once wrote a page called n


def test_dash_o_with_a_file_name_still_writes_the_page_with_a_deprecation_note(
    lesson: Path, tmp_path: Path
) -> None:
    page = tmp_path / "out" / "neuron.html"
    page.parent.mkdir()
    result = cli("render", lesson, "-o", page)
    assert result.returncode == 0, result.stderr
    assert output_label(page) == "o"
    assert result.stdout.strip() == f"wrote {page}"
    (note,) = result.stderr.strip().splitlines()
    assert "deprecated" in note and "--html" in note


@pytest.mark.parametrize("option", ["-o", "--output"])
def test_an_output_naming_no_variable_is_a_usage_error(
    option: str, lesson: Path, tmp_path: Path
) -> None:
    line = one_line_error(cli("render", lesson, option, "nope", cwd=tmp_path))
    assert "no variable 'nope'" in line and "x1, x2, w1, w2, b, n, o" in line
    assert files_in(tmp_path) == ["lesson.mg"]


def test_output_with_a_file_name_is_a_usage_error(lesson: Path, tmp_path: Path) -> None:
    line = one_line_error(cli("render", lesson, "--output", "page.html", cwd=tmp_path))
    assert "--html" in line
    assert files_in(tmp_path) == ["lesson.mg"]


@needs_dot
def test_render_writes_svg_and_png(lesson: Path, tmp_path: Path) -> None:
    svg, png = tmp_path / "n.svg", tmp_path / "n.png"
    result = cli("render", lesson, "--svg", svg, "--png", png)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote {svg}", f"wrote {png}"]
    assert "<svg" in svg.read_text(encoding="utf-8")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_dot
def test_a_label_of_200000_characters_is_drawn_cut_short(tmp_path: Path) -> None:
    name = "x" * 200_000
    source = tmp_path / "long.mg"
    source.write_text(f"{name} = 2.0\ny = {name} * 3\n", encoding="utf-8")
    svg = tmp_path / "long.svg"
    result = cli("render", source, "--svg", svg, "--html", tmp_path / "long.html")
    assert result.returncode == 0, result.stderr
    picture = svg.read_text(encoding="utf-8")
    assert "x" * 39 + "…" in picture and "x" * 41 not in picture
    assert state_of(tmp_path / "long.html")["graph"]["nodes"][0]["label"] == name  # whole


def test_the_command_line_needs_no_widget_framework(lesson: Path, tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(SITE), "MGM_TEST_BLOCK": "ipywidgets,anywidget,comm,traitlets"}
    check = subprocess.run(
        [sys.executable, "-c", "import ipywidgets"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert "ipywidgets is blocked for this test" in check.stderr  # the blocker works
    page = tmp_path / "page.html"
    result = cli("render", lesson, "--html", page, env=env)
    assert result.returncode == 0, result.stderr
    assert output_label(page) == "o"


# -- never the source -----------------------------------------------------------------------------
def same_file_spellings(lesson: Path) -> dict[str, Path]:
    folder = lesson.parent
    (folder / "sub").mkdir()
    (folder / "link.mg").symlink_to(lesson)
    os.link(lesson, folder / "hard.mg")
    return {
        "itself": lesson,
        "another spelling": folder / "sub" / ".." / "lesson.mg",
        "a symlink": folder / "link.mg",
        "a hard link": folder / "hard.mg",
    }


@pytest.mark.parametrize("spelling", ["itself", "another spelling", "a symlink", "a hard link"])
@pytest.mark.parametrize("option", ["--html", "--svg", "--png", "-o"])
def test_no_output_may_be_the_source(option: str, spelling: str, lesson: Path) -> None:
    target = same_file_spellings(lesson)[spelling]
    line = one_line_error(cli("render", lesson, option, target))
    assert "is the source file" in line
    assert lesson.read_text(encoding="utf-8") == NEURON


def test_an_html_source_is_not_overwritten_by_the_default_output(tmp_path: Path) -> None:
    source = tmp_path / "prog.html"
    source.write_text(NEURON, encoding="utf-8")
    line = one_line_error(cli("render", "prog.html", cwd=tmp_path))
    assert "is the source file" in line
    assert source.read_text(encoding="utf-8") == NEURON


def test_two_outputs_may_not_be_one_file(lesson: Path, tmp_path: Path) -> None:
    out = tmp_path / "same"
    line = one_line_error(cli("render", lesson, "--svg", out, "--png", out))
    assert "--svg and --png name the same file" in line
    assert not out.exists()


# -- files that cannot be read or written: one line, exit 2 ---------------------------------------
def test_a_file_that_is_not_utf8_is_named_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "latin1.mg"
    source.write_bytes("x = 1.0\n# café\ny = x * 2\n".encode("latin-1"))
    line = one_line_error(cli("render", source, cwd=tmp_path))
    assert line.startswith(f"{source}:2: not UTF-8 text (byte 0xe9)")
    assert files_in(tmp_path) == ["latin1.mg"]


def test_a_byte_order_mark_is_read_as_utf8(tmp_path: Path) -> None:
    source = tmp_path / "bom.mg"
    source.write_bytes(b"\xef\xbb\xbf" + NEURON.encode("utf-8"))
    result = cli("render", source, "--html", tmp_path / "bom.html")
    assert result.returncode == 0, result.stderr
    assert output_label(tmp_path / "bom.html") == "o"


@pytest.mark.parametrize("option", ["--html", "--svg", "--png"])
@pytest.mark.parametrize(
    ("make_target", "problem"),
    [
        pytest.param(lambda tmp: tmp / "missing" / "out", "does not exist", id="missing folder"),
        pytest.param(lambda tmp: tmp / "folder", "it is a folder", id="a folder"),
        pytest.param(
            lambda tmp: tmp / "lesson.mg" / "out", "is a file, not a folder", id="under a file"
        ),
        pytest.param(
            lambda tmp: tmp / "plain.txt" / "deeper" / "out",
            "is a file, not a folder",
            id="deeper under a file",
        ),
        pytest.param(lambda tmp: Path("/dev/full"), "No space left on device", id="full disk"),
    ],
)
def test_an_output_that_cannot_be_written_is_named_in_one_line(
    option: str, make_target, problem: str, lesson: Path, tmp_path: Path
) -> None:
    if option != "--html" and not dot_available():
        pytest.skip("Graphviz's dot is not installed")
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain.txt").write_text("plain")
    target = make_target(tmp_path)
    if not target.parent.exists() and str(target).startswith("/dev/"):
        pytest.skip(f"no {target} here")
    before = files_in(tmp_path)
    line = one_line_error(cli("render", lesson, option, target))
    assert str(target) in line and problem in line
    assert files_in(tmp_path) == before


def test_a_missing_file_and_bad_usage(tmp_path: Path) -> None:
    line = one_line_error(cli("render", tmp_path / "nope.mg", cwd=tmp_path))
    assert "nope.mg: cannot read: No such file or directory" in line
    line = one_line_error(cli("render", tmp_path, cwd=tmp_path))
    assert "cannot read: Is a directory" in line
    assert cli("paint").returncode == 2
    assert cli().returncode == 2
    assert files_in(tmp_path) == []


# -- mistakes in the program: exit 1, located -----------------------------------------------------
def test_a_mistake_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mg"
    bad.write_text("x = 1.0\ny = x + foo\n", encoding="utf-8")
    result = cli("render", bad, cwd=tmp_path)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{bad}:2:9: ")
    assert "foo" in first
    assert "Traceback" not in result.stderr
    assert files_in(tmp_path) == ["bad.mg"]


def test_a_domain_error_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "log.mg"
    bad.write_text("x = 0.0\ny = log(x)\n", encoding="utf-8")
    result = cli("render", bad, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}:2:")
    assert "log(0)" in result.stderr


# -- Graphviz -------------------------------------------------------------------------------------
@pytest.mark.parametrize("option", ["--svg", "--png"])
def test_missing_dot_exits_3_with_one_clear_line(option: str, lesson: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    target = tmp_path / "x.out"
    line = one_line_error(cli("render", lesson, option, target, env={"PATH": str(empty)}), 3)
    assert line.startswith("Graphviz's `dot` program is not installed")
    assert "apt-get install graphviz" in line
    assert not target.exists()


SLOW_DOT = """#!/bin/sh
# A dot that never finishes, with a child of its own (so the whole process group must go).
sleep 1000 &
echo $$ $! > "{pids}"
wait
"""


def slow_dot(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose `dot` never finishes, and the file where it writes its pids."""
    folder = tmp_path / "slowbin"
    folder.mkdir()
    pids = tmp_path / "dot.pids"
    dot = folder / "dot"
    dot.write_text(SLOW_DOT.format(pids=pids))
    dot.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}, pids


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie waiting for its reaper counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


def wait_until_gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if all(gone(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("option", ["--svg", "--png"])
def test_a_slow_dot_shows_progress_and_is_stopped_at_its_time_limit(
    option: str, lesson: Path, tmp_path: Path
) -> None:
    env, pids = slow_dot(tmp_path)
    target = tmp_path / "picture"
    result = cli("render", lesson, option, target, "--dot-timeout", "4.5", env=env)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 2, result.stderr
    assert all("still laying out" in line and "Ctrl-C stops it" in line for line in lines[:-1])
    assert "took longer than 4.5 s" in lines[-1] and str(target) in lines[-1]
    assert not target.exists()
    assert files_in(tmp_path) == ["dot.pids", "lesson.mg", "slowbin"]
    assert wait_until_gone([int(p) for p in pids.read_text().split()])


@pytest.mark.parametrize("option", ["--svg", "--png"])
def test_ctrl_c_stops_dot_and_leaves_no_file(option: str, lesson: Path, tmp_path: Path) -> None:
    env, pids = slow_dot(tmp_path)
    target = tmp_path / "picture"
    target.write_text("the old picture")
    child = subprocess.Popen(
        [sys.executable, "-m", "micrograd_magic", "render", str(lesson), option, str(target)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (pids.exists() and len(pids.read_text().split()) == 2):
            assert time.monotonic() < deadline, "dot never started"
            assert child.poll() is None, child.communicate()
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted: no file was left half-written"
    assert "Traceback" not in err
    assert target.read_text() == "the old picture"
    assert files_in(tmp_path) == ["dot.pids", "lesson.mg", "picture", "slowbin"]
    assert wait_until_gone([int(p) for p in pids.read_text().split()])
