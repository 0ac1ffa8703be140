"""The installed wheel in JupyterLab: a server and kernel run from the scratch virtual environment
that tests/wheel_install.py made (the wheel, JupyterLab and nothing from the checkout), with Node
hidden from PATH. The widget draws from the installed bundle and its sliders recompute.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import wheel_install
from conftest import JupyterServer, phase
from wheel_install import Installed

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WHERE_FROM = (
    "import shutil, sys\n"
    "import micrograd_magic\n"
    "print(micrograd_magic.__file__)\n"
    "print(sys.prefix)\n"
    "print(shutil.which('node'))"
)
CELLS = [WHERE_FROM, "%load_ext micrograd_magic", "%%micrograd\nx = 2.0\ny = 3.0\nz = x*y + x**2"]
GRAPH_CELL = 2


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The wheel built from this checkout, installed in a scratch venv (shared with test_wheel)."""
    base = tmp_path_factory.getbasetemp()
    with phase("wheel: build + scratch venv"):
        done = wheel_install.installed_wheel(base)
    yield done
    wheel_install.remove(base)


@pytest.fixture(scope="module")
def wheel_lab(
    installed: Installed, tmp_path_factory: pytest.TempPathFactory, new_page: Any
) -> Iterator[Any]:
    """The test notebook in a JupyterLab served from the scratch venv, and the text output of
    each of its cells (all run)."""
    server = JupyterServer("lab", tmp_path_factory.mktemp("jupyter-wheel"), python=installed.python)
    server.env["PATH"] = installed.env["PATH"]
    server.env["VIRTUAL_ENV"] = installed.env["VIRTUAL_ENV"]
    try:
        with phase("wheel lab: server start"):
            server.start()
        page = new_page(server)
        yield page, page.open_and_run("wheel.ipynb", CELLS)
    finally:
        with phase("wheel lab: server stop"):
            server.stop()


def test_the_kernel_imports_the_installed_wheel_and_sees_no_node(
    wheel_lab: Any, installed: Installed
) -> None:
    _, outputs = wheel_lab
    module, prefix, node = outputs[0].splitlines()
    venv = installed.venv.resolve()
    assert Path(prefix).resolve() == venv
    assert Path(module).resolve().is_relative_to(venv / "lib")  # the wheel, not the checkout
    assert node == "None"


def test_the_widget_draws_and_recomputes_from_the_installed_bundle(wheel_lab: Any) -> None:
    page, _ = wheel_lab
    view = page.graph(GRAPH_CELL)
    nodes = view.by_label()
    assert {label: (n["data"], n["grad"]) for label, n in nodes.items()} == {
        "x": (2.0, 7.0),
        "y": (3.0, 2.0),
        "z": (10.0, 1.0),
    }
    before, _, _, step = view.slider_state("x")
    view.press("x", "ArrowRight", 2)
    x = view.slider_state("x")[0]
    assert x == pytest.approx(before + 2 * step, abs=1e-9)
    nodes = view.by_label()
    assert nodes["z"]["data"] == pytest.approx(x * 3.0 + x**2, rel=1e-12)
    assert nodes["x"]["grad"] == pytest.approx(3.0 + 2 * x, rel=1e-12)
    assert page.errors == []
