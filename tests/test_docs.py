"""The docs: the site builds without a warning and a broken link fails it; the front page embeds
the live widget page; the README stays a front door whose links resolve; the Python examples in
the README and the docs run and print what their comments say; the version is written once.

The browser side of the front page (the embedded widget draws and recomputes) is in
tests/e2e/test_docs_site.py.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import shutil
import subprocess
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docs_build import DOCS, REPO, build_site

import micrograd_magic

README = REPO / "README.md"
SCREENSHOT = DOCS / "images" / "widget.png"
README_MAX_LINES = 250  # the hard limit; aim for about 200
SCREENSHOT_MAX_BYTES = 150 * 1024
PAGES = sorted(p.stem for p in DOCS.glob("*.md"))


# -- the site ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """The site built once for this module, with the Makefile's command; (folder, process)."""
    out = tmp_path_factory.mktemp("site")
    return out, build_site(out)


@pytest.fixture
def built(site: tuple[Path, subprocess.CompletedProcess]) -> Path:
    """The built site's folder, once the build has succeeded."""
    out, result = site
    assert result.returncode == 0, result.stderr
    return out


def test_the_site_builds_without_a_warning(site: tuple[Path, Any]) -> None:
    out, result = site
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    assert PAGES  # docs/*.md, each a page of the site
    for page in PAGES:
        assert (out / f"{page}.html").is_file(), page


def test_a_broken_link_or_heading_anchor_fails_the_build(tmp_path: Path) -> None:
    # A copy of docs/ beside a link to examples/ (the build renders examples/neuron.mg), with
    # one link to a page that does not exist and one to a heading that does not.
    source = tmp_path / "docs"
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("_build"))
    (tmp_path / "examples").symlink_to(REPO / "examples")
    guide = source / "user-guide.md"
    guide.write_text(
        guide.read_text(encoding="utf-8")
        + "\n[gone](no-such-page.md) and [missing](performance.md#no-such-heading)\n",
        encoding="utf-8",
    )
    result = build_site(tmp_path / "out", source)
    assert result.returncode != 0
    # --keep-going: one build reports both, so a writer sees every broken link at once
    assert "no-such-page" in result.stderr, result.stderr
    assert "no-such-heading" in result.stderr, result.stderr


def test_the_front_page_embeds_the_live_widget_page(built: Path) -> None:
    index = (built / "index.html").read_text(encoding="utf-8")
    frames = re.findall(r"<iframe\b[^>]*\bsrc=\"([^\"]+)\"", index)
    assert frames == ["live/neuron.html"]
    page = (built / frames[0]).read_text(encoding="utf-8")
    # the exported page of examples/neuron.mg: its state names the file's five inputs
    state = re.search(r'<script type="application/json" id="mgm-state-0">(.*?)</script>', page)
    assert state is not None and 'id="mgm-bundle"' in page
    names = [s["name"] for s in json.loads(state.group(1))["inputs"]]
    assert names == ["x1", "x2", "w1", "w2", "b"]


def test_the_site_shows_the_package_version(built: Path) -> None:
    index = (built / "index.html").read_text(encoding="utf-8")
    assert f"micrograd_magic {micrograd_magic.__version__}" in index


# -- the README --------------------------------------------------------------------------------
def _fenced_blocks(text: str) -> Iterator[tuple[str, str]]:
    """(info string, body) of every fenced code block of a Markdown text."""
    for m in re.finditer(r"^(`{3,})([^\n`]*)\n(.*?)^\1[ \t]*$", text, re.M | re.S):
        yield m.group(2).strip(), m.group(3)


def _prose(text: str) -> str:
    """``text`` without its fenced code blocks and code spans, where links are not links."""
    text = re.sub(r"^(`{3,}).*?^\1[ \t]*$", "", text, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def _github_slug(heading: str) -> str:
    """The anchor GitHub (and myst-parser's heading anchors) give a heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip()
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", _prose(path.read_text(encoding="utf-8")), re.M)
    return {_github_slug(h) for h in headings}


def test_the_readme_is_a_front_door() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    # the project's contract: the two set-up commands, exactly, and the targets behind them
    bash = "\n".join(body for info, body in _fenced_blocks(text) if info == "bash")
    commands = [line.split("#")[0].strip() for line in bash.splitlines()]
    assert "make demo" in commands and "make test" in commands
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "docs"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    # and a way into every page of the docs
    linked = set(re.findall(r"\]\(docs/([\w-]+)\.md[#)]", text))
    assert linked >= set(PAGES) - {"index"}


def test_the_readme_links_and_images_resolve() -> None:
    # Sphinx checks the links between the docs pages; this checks the README's, GitHub's way.
    prose = _prose(README.read_text(encoding="utf-8"))
    targets = re.findall(r"\]\(([^)\s]+)\)", prose)
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert local, "no relative links found: is the pattern still right?"
    broken = []
    for target in local:
        path, _, anchor = target.partition("#")
        file = (README.parent / path) if path else README
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in _anchors(file):
            broken.append(f"{target}: no heading with that anchor in {path or 'README.md'}")
    assert broken == []


def test_the_readme_screenshot_is_a_small_png() -> None:
    data = SCREENSHOT.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) <= SCREENSHOT_MAX_BYTES
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 800 and 200 <= height <= width  # a wide picture of a widget, not a sliver


def test_the_graph_contract_in_the_architecture_is_what_the_code_writes() -> None:
    from micrograd_magic.engine import OPS
    from micrograd_magic.graph import Graph

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    (example,) = [json.loads(body) for info, body in _fenced_blocks(text) if info == "json"]
    x, y = micrograd_magic.Value(2.0, label="x"), micrograd_magic.Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    graph = Graph.from_value(z)
    graph.update()
    assert example == graph.to_json()
    # the table's row for `op` lists every op the JSON may hold
    row = next(line for line in text.splitlines() if line.startswith("| `op` |"))
    listed = re.search(r"\(`([^`]+)`\)", row)
    assert listed is not None and listed.group(1).split() == [op for op in OPS if op]


# -- the examples in the docs ------------------------------------------------------------------
def _comments(code: str) -> dict[int, str]:
    """The trailing comment of each line of ``code``, by line number (1-based)."""
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return {t.start[0]: t.string[1:].strip() for t in tokens if t.type == tokenize.COMMENT}


def _is_print(stmt: ast.stmt) -> bool:
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    return isinstance(call, ast.Call) and getattr(call.func, "id", None) == "print"


def _run_block(code: str, namespace: dict[str, Any], where: str) -> None:
    """Run one Python block statement by statement, checking what its comments promise.

    A comment after an expression that reads as a Python literal is the expression's value
    (``c.root.data  # 10.0``); a comment after ``print(...)`` is what it prints, unless it starts
    with a lowercase letter, which makes it prose (``# writes graph.png``).
    """
    comments = _comments(code)
    for stmt in ast.parse(code).body:
        comment = comments.get(stmt.end_lineno or stmt.lineno)
        place = f"{where}, line {stmt.lineno} of the block: {ast.unparse(stmt)}"
        if _is_print(stmt):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(ast.Module([stmt], []), where, "exec"), namespace)
            if comment and not comment[0].islower():
                assert printed.getvalue().strip() == comment, place
        elif isinstance(stmt, ast.Expr):
            value = eval(compile(ast.Expression(stmt.value), where, "eval"), namespace)
            try:
                expected = ast.literal_eval(comment) if comment else None
            except (ValueError, SyntaxError):
                expected = None  # prose
            if expected is not None:
                assert value == expected, place
        else:
            exec(compile(ast.Module([stmt], []), where, "exec"), namespace)


@pytest.mark.parametrize("doc", ["README.md", "docs/user-guide.md", "docs/embedding.md"])
def test_the_python_examples_run_and_show_what_they_say(
    doc: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every ```python block of the page, top to bottom in one namespace as a reader would run
    # them, in an empty folder (the examples write pages and pictures).
    monkeypatch.chdir(tmp_path)
    text = (REPO / doc).read_text(encoding="utf-8")
    python = [body for info, body in _fenced_blocks(text) if info == "python"]
    assert python, f"{doc} has no Python example"
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for number, code in enumerate(python, 1):
        _run_block(code, namespace, f"{doc}, Python block {number}")


# -- the version -------------------------------------------------------------------------------
def _tracked_files() -> list[Path]:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    if shutil.which("git") is None:  # the Python 3.13 chroot has no git
        pytest.skip("git is not installed: the tracked files are unknown")
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60
    )
    return [REPO / name for name in listing.stdout.decode().split("\0") if name]


def test_the_version_is_written_once() -> None:
    version = micrograd_magic.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", version)
    exact = re.compile(rf"(?<![\w.]){re.escape(version)}(?![\w.])")
    # another package's pin that happens to read the same (micrograd==0.1.0) is not our version
    pin = re.compile(r"(==|>=|<=|~=|!=|\^|@)\s*$")
    places = []
    for path in _tracked_files():
        if path.name == "package-lock.json" or not path.is_file():
            continue  # the lock lists other packages' versions; its root is checked below
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a picture
        for number, line in enumerate(text.splitlines(), 1):
            if any(not pin.search(line[: m.start()]) for m in exact.finditer(line)):
                places.append(f"{path.relative_to(REPO)}:{number}")
    assert [p.split(":")[0] for p in places] == ["micrograd_magic/__init__.py"], places
    lock = json.loads((REPO / "js" / "package-lock.json").read_text(encoding="utf-8"))
    package = json.loads((REPO / "js" / "package.json").read_text(encoding="utf-8"))
    assert "version" not in lock and "version" not in lock["packages"][""]
    assert "version" not in package


def test_the_package_metadata_reads_the_version_from_the_package(tmp_path: Path) -> None:
    # What a wheel would say, computed by hatchling from a copy whose package has another version.
    from hatchling.metadata.core import ProjectMetadata
    from hatchling.plugin.manager import PluginManager

    shutil.copy(REPO / "pyproject.toml", tmp_path)
    (tmp_path / "micrograd_magic").mkdir()
    init = (REPO / "micrograd_magic" / "__init__.py").read_text(encoding="utf-8")
    bumped = init.replace(f'"{micrograd_magic.__version__}"', '"9.8.7"')
    assert bumped != init
    (tmp_path / "micrograd_magic" / "__init__.py").write_text(bumped, encoding="utf-8")
    assert ProjectMetadata(str(tmp_path), PluginManager()).version == "9.8.7"
