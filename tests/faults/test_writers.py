"""Every writer, failing part-way through, leaves the old file as it was and no temporary file.

The Python writers (``save_html``, ``write_page``, ``write_myst_assets``, ``files.write_*``)
run in this process with ``os.write`` wrapped to fail after some bytes; the command line's
outputs are covered in ``test_cli_faults.py`` through a real child process.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from faults.inject import failing_write

from micrograd_magic import Value, files
from micrograd_magic.bundle import BUNDLE
from micrograd_magic.export import write_myst_assets, write_page
from micrograd_magic.state import WidgetState

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="the JS bundle is not built")

OLD = "yesterday's good page\n"


def state(label: str = "z") -> WidgetState:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = label
    return WidgetState(z)


def save_html(path: Path, label: str = "z") -> Any:
    from micrograd_magic.widget import show

    x = Value(2.0, label="x")
    z = x * 3.0
    z.label = label
    return show(z).save_html(path)


WRITERS: dict[str, Callable[..., Any]] = {
    "save_html": save_html,
    "write_page": lambda path, label="z": write_page([state(label), state()], path),
    "write_myst_assets": lambda path, label="z": write_myst_assets(
        state(label), path.parent, esm_name=path.name
    ),
    "files.write_text": lambda path, label="z": files.write_text(path, "new text " * 50_000),
    "files.write_bytes": lambda path, label="z": files.write_bytes(path, b"\x00\xff" * 100_000),
}


def leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    target = tmp_path / "page.html"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    return target


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("error", ["ENOSPC", "EIO", "KeyboardInterrupt"])
@pytest.mark.parametrize("after", [0, 1, 40_000])
def test_a_write_failing_part_way_leaves_the_old_file(
    writer: str, error: str, after: int, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "write", failing_write(os.write, old_file.parent, after, error))
    expected = KeyboardInterrupt if error == "KeyboardInterrupt" else OSError
    with pytest.raises(expected) as info:
        WRITERS[writer](old_file)
    monkeypatch.undo()
    assert old_file.read_text(encoding="utf-8") == OLD
    assert leftovers(old_file.parent, old_file) == []
    if expected is OSError:
        assert info.value.filename == str(old_file)  # the target, not a temporary name


@pytest.mark.parametrize("writer", ["save_html", "write_page"])
def test_a_label_that_cannot_be_encoded_leaves_the_old_page(writer: str, old_file: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        WRITERS[writer](old_file, label="x\ud800")
    assert old_file.read_text(encoding="utf-8") == OLD
    assert leftovers(old_file.parent, old_file) == []


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_successful_write_replaces_the_file_and_keeps_its_permissions(
    writer: str, old_file: Path
) -> None:
    WRITERS[writer](old_file)
    assert old_file.read_bytes() != OLD.encode()
    assert old_file.stat().st_mode & 0o777 == 0o640
    assert leftovers(old_file.parent, old_file) == []


def test_a_new_file_gets_the_permissions_of_a_plain_open(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        files.write_text(tmp_path / "new.txt", "hello")
        (tmp_path / "plain.txt").write_text("hello")
    finally:
        os.umask(previous)
    assert (tmp_path / "new.txt").stat().st_mode == (tmp_path / "plain.txt").stat().st_mode


def test_a_symlink_keeps_pointing_at_the_file_it_names(tmp_path: Path) -> None:
    real = tmp_path / "real" / "page.html"
    real.parent.mkdir()
    real.write_text(OLD)
    link = tmp_path / "link.html"
    link.symlink_to(real)
    files.write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["page.html"]


@pytest.mark.parametrize(
    ("make_target", "error"),
    [
        (lambda tmp: tmp / "missing" / "page.html", FileNotFoundError),
        (lambda tmp: tmp, IsADirectoryError),
        (lambda tmp: tmp / "old.html" / "page.html", NotADirectoryError),
    ],
)
def test_a_target_that_cannot_be_written_is_named_in_the_error(
    make_target: Callable[[Path], Path], error: type, tmp_path: Path
) -> None:
    (tmp_path / "old.html").write_text(OLD)
    target = make_target(tmp_path)
    with pytest.raises(error) as info:
        files.write_text(target, "new")
    assert info.value.filename == str(target)
    assert (tmp_path / "old.html").read_text() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html"]


def test_a_device_is_written_in_place_and_a_full_one_fails_cleanly() -> None:
    files.write_text("/dev/null", "nothing")
    assert Path("/dev/null").exists() and not Path("/dev/null").is_file()
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with pytest.raises(OSError) as info:
        files.write_text("/dev/full", "x" * 10)
    assert info.value.filename == "/dev/full"
    assert not Path("/dev/full").is_file()  # still the device, not a file renamed over it
