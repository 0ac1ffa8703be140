"""The package as a user gets it: built with ``python -m build``, its wheel installed into a fresh
virtual environment, on a machine without Node.

Shared by tests/test_wheel.py and tests/e2e/test_wheel_lab.py, which both call
:func:`installed_wheel`; the build and the install happen once per test session.

* ``python -m build`` makes the sdist from the checkout, then the wheel *from that sdist* (its
  default), with Node hidden from ``PATH``: so the sdist must carry the built bundle, and the
  jupyter-builder hook must skip npm when the bundle is there.
* The wheel goes into a new virtual environment without system site-packages, with what the
  checks need beside it (nbclient, ipykernel, JupyterLab), at the versions this environment has
  (``pip freeze``), from a wheelhouse kept under the user's cache folder
  (``~/.cache/micrograd_magic``): the first run downloads it, later ones install offline.
* Every check runs with the environment's ``bin`` first on a ``PATH`` without Node, and no
  ``PYTHONPATH``: nothing from the checkout is importable there.
"""

from __future__ import annotations

import contextlib
import email.parser
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "micrograd_magic" / "static" / "widget.js"
NODE_PROGRAMS = ("node", "nodejs", "npm", "npx", "corepack", "yarn")
# What the checks run beside the package: the tour through nbclient, and a JupyterLab server.
CHECK_TOOLS = ("nbclient", "ipykernel", "jupyterlab")
BUILD_TIMEOUT = 600
PIP = (sys.executable, "-m", "pip")
PIP_TIMEOUT = 900


@dataclass(frozen=True)
class Installed:
    """A wheel installed into a scratch virtual environment."""

    sdist: Path
    wheel: Path
    venv: Path
    python: Path
    env: dict[str, str]  # for processes that must see only the installed package and no Node


def node_free_path(path: str, shadows: Path) -> str:
    """``path`` without Node: each folder on it that holds a Node program is replaced by a folder
    (made under ``shadows``) of links to everything else in it.

    Dropping such folders outright is not enough: on Debian ``/usr/bin`` (and ``/bin``, its
    link) holds node beside Python, Graphviz and the shell.
    """
    folders = []
    for i, entry in enumerate(path.split(os.pathsep)):
        folder = Path(entry)
        if entry and any((folder / name).exists() for name in NODE_PROGRAMS):
            shadow = shadows / str(i)
            shadow.mkdir(parents=True)
            for item in folder.iterdir():
                if item.name not in NODE_PROGRAMS:
                    (shadow / item.name).symlink_to(item)
            folders.append(str(shadow))
        elif entry:
            folders.append(entry)
    return os.pathsep.join(folders)


def run_checked(command: list[str], what: str, timeout: float, **kwargs: object) -> str:
    """Run ``command``; its standard output, or an AssertionError naming ``what`` with the end of
    everything it printed."""
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,  # type: ignore[arg-type]
        )
    except subprocess.TimeoutExpired as err:
        raise AssertionError(f"{what} took more than {timeout:.0f} s: {command}") from err
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise AssertionError(f"{what} failed (exit {result.returncode}): {command}\n{tail}")
    return result.stdout


def wheel_requirements(wheel: Path) -> list[str]:
    """The wheel's own dependencies (``Requires-Dist`` without extras), from its metadata."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return [r for r in metadata.get_all("Requires-Dist", []) if "extra ==" not in r]


def _wheelhouse(requirements: list[str], constraints: Path, env: dict[str, str]) -> Path:
    """A folder of wheels for ``requirements`` at the pinned versions, downloaded on first use
    and kept, by content, under the user's cache folder; one unused for a month is removed."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "micrograd_magic"
    key = hashlib.sha256(
        "\n".join([sys.version, *requirements, constraints.read_text()]).encode()
    ).hexdigest()[:16]
    house = cache / f"test-wheelhouse-{key}"
    if not house.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".wheelhouse-", dir=cache))
        try:
            run_checked(
                [*PIP, "download", "-q", "-d", str(partial), "-c", str(constraints), *requirements],
                "downloading the wheels for the scratch environment",
                PIP_TIMEOUT,
                env=env,
            )
            with contextlib.suppress(OSError):  # another session may have made it meanwhile
                partial.rename(house)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    house.touch()
    month_ago = time.time() - 30 * 24 * 3600
    for old in cache.glob("test-wheelhouse-*"):
        if old != house and old.stat().st_mtime < month_ago:
            shutil.rmtree(old, ignore_errors=True)
    return house


def build_and_install(base: Path) -> Installed:
    """Build the sdist and wheel into ``base/dist`` and install the wheel into ``base/venv``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = node_free_path(env.get("PATH", os.defpath), base / "path")
    assert shutil.which("node", path=env["PATH"]) is None
    assert shutil.which("npm", path=env["PATH"]) is None

    dist = base / "dist"
    run_checked(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(REPO)],
        "python -m build (Node hidden)",
        BUILD_TIMEOUT,
        env=env,
        cwd=base,
    )
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")

    constraints = base / "constraints.txt"
    constraints.write_text(
        run_checked(
            [*PIP, "freeze", "--exclude-editable"],
            "pip freeze",
            PIP_TIMEOUT,
            env=env,
        )
    )
    requirements = [*wheel_requirements(wheel), *CHECK_TOOLS]
    house = _wheelhouse(requirements, constraints, env)

    venv = base / "venv"
    run_checked(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)],
        "making the venv",
        PIP_TIMEOUT,
        env=env,
    )
    python = venv / "bin" / "python"
    run_checked(
        [
            *PIP,
            *("--python", str(python), "install", "-q", "--no-index", "--no-compile"),
            *("--find-links", str(house), "-c", str(constraints), str(wheel), *CHECK_TOOLS),
        ],
        "installing the wheel (Node hidden)",
        PIP_TIMEOUT,
        env=env,
    )
    check_env = {**env, "PATH": os.pathsep.join([str(venv / "bin"), env["PATH"]])}
    check_env["VIRTUAL_ENV"] = str(venv)
    return Installed(sdist=sdist, wheel=wheel, venv=venv, python=python, env=check_env)


_INSTALLED: dict[Path, Installed | AssertionError] = {}


def installed_wheel(base: Path) -> Installed:
    """:func:`build_and_install` into ``base``, once per ``base`` (the session's temporary root);
    a failure is raised again to every later caller instead of being retried."""
    if base not in _INSTALLED:
        folder = base / "wheel"
        folder.mkdir()
        try:
            _INSTALLED[base] = build_and_install(folder)
        except AssertionError as err:
            _INSTALLED[base] = err
    done = _INSTALLED[base]
    if isinstance(done, AssertionError):
        raise done
    return done


def remove(base: Path) -> None:
    """Delete the session's build and scratch environment (a few hundred MB)."""
    if _INSTALLED.pop(base, None) is not None:
        shutil.rmtree(base / "wheel", ignore_errors=True)
