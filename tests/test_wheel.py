"""Installing like any other package: ``python -m build`` gives an sdist and a wheel that carry the
built JS bundle, and the wheel installed into a fresh virtual environment on a machine without
Node works: the tour runs with nbclient there and the command line renders a page.

The build and the scratch environment are made once per session (tests/wheel_install.py);
tests/e2e/test_wheel_lab.py draws the widget in a JupyterLab served from the same environment.
"""

from __future__ import annotations

import json
import re
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import wheel_install
from test_tour import cell_with, copy_of_examples, display_of, text_of
from wheel_install import BUNDLE, Installed

from micrograd_magic.picture import dot_available

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
KERNEL_NAME = "micrograd-magic-wheel"
SUPPORTED_PYTHONS = ("3.10", "3.11", "3.12", "3.13")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not BUNDLE.is_file(), reason="the JS bundle is not built"),
]


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The sdist and wheel built from this checkout, the wheel installed in a scratch venv."""
    base = tmp_path_factory.getbasetemp()
    yield wheel_install.installed_wheel(base)
    wheel_install.remove(base)


def test_the_sdist_carries_the_bundle_and_what_rebuilds_it(installed: Installed) -> None:
    root = installed.sdist.name.removesuffix(".tar.gz")
    with tarfile.open(installed.sdist) as sdist:
        names = set(sdist.getnames())
        bundle = sdist.extractfile(f"{root}/micrograd_magic/static/widget.js")
        assert bundle is not None
        assert bundle.read() == BUNDLE.read_bytes()
    for source in ("pyproject.toml", "PKG-INFO", "js/package.json", "js/package-lock.json"):
        assert f"{root}/{source}" in names
    assert f"{root}/js/build.mjs" in names and f"{root}/js/core/engine.js" in names
    assert not [n for n in names if "/node_modules/" in n or "/.venv/" in n or "/out/" in n]


def test_the_wheel_carries_the_bundle_and_only_the_package(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        assert wheel.read("micrograd_magic/static/widget.js") == BUNDLE.read_bytes()
        (info,) = {n.split("/")[0] for n in names if ".dist-info/" in n}
        metadata = wheel.read(f"{info}/METADATA").decode("utf-8")
        entry_points = wheel.read(f"{info}/entry_points.txt").decode("utf-8")
    assert all(n.startswith(("micrograd_magic/", f"{info}/")) for n in names), names
    assert "micrograd_magic/engine.py" in names and "micrograd_magic/widget.py" in names
    assert "Requires-Python: >=3.10" in metadata
    for version in SUPPORTED_PYTHONS:
        assert f"Classifier: Programming Language :: Python :: {version}\n" in metadata
    assert "micrograd-magic = micrograd_magic.__main__:main" in entry_points


# Run inside the scratch venv: the tour, executed by that venv's nbclient in a kernel that is
# that venv's Python, saved to a second file for the test to read.
_RUN_NOTEBOOK = """
import os, sys
import nbformat
from nbclient import NotebookClient
source, target, kernel = sys.argv[1:]
nb = nbformat.read(source, as_version=4)
resources = {"metadata": {"path": os.path.dirname(source)}}
NotebookClient(nb, kernel_name=kernel, timeout=300, resources=resources).execute()
nbformat.write(nb, target)
"""

_WHERE_FROM = """import shutil, sys
import micrograd_magic
print(micrograd_magic.__file__)
print(sys.prefix)
print(shutil.which("node"))"""


def _jupyter_env(installed: Installed, base: Path) -> dict[str, str]:
    """The scratch venv's environment, with a kernel spec of its own and no user configuration."""
    spec = base / "data" / "kernels" / KERNEL_NAME / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = [str(installed.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": KERNEL_NAME, "language": "python"}))
    env = {**installed.env, "JUPYTER_PATH": str(base / "data")}
    for var, name in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ):
        (base / name).mkdir(exist_ok=True)
        env[var] = str(base / name)
    return env


@pytest.mark.skipif(not dot_available(), reason="the tour draws Graphviz pictures")
def test_the_tour_runs_from_the_installed_wheel_without_node(
    installed: Installed, tmp_path: Path
) -> None:
    notebook = copy_of_examples(tmp_path / "run")
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_WHERE_FROM))
    nbformat.write(nb, notebook)
    executed = tmp_path / "executed.ipynb"
    wheel_install.run_checked(
        [str(installed.python), "-c", _RUN_NOTEBOOK, str(notebook), str(executed), KERNEL_NAME],
        "the tour in the scratch venv",
        600,
        env=_jupyter_env(installed, tmp_path / "jupyter"),
        cwd=notebook.parent,
    )
    nb = nbformat.read(executed, as_version=4)

    module, prefix, node = text_of(nb.cells[-1]).splitlines()
    venv = installed.venv.resolve()
    assert Path(prefix).resolve() == venv
    assert Path(module).resolve().is_relative_to(venv / "lib")  # the wheel, not the checkout
    assert node == "None"

    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source
    assert text_of(cell_with(nb, "z.backward()")) == "z = 10.0, dz/dx = 7.0, dz/dy = 2.0\n"
    data = display_of(cell_with(nb, "show(z)"))
    state = nb.metadata.widgets[WIDGET_STATE]["state"][data[WIDGET_VIEW]["model_id"]]["state"]
    assert state["graph"]["schema"] == 1
    assert state["_esm"] == BUNDLE.read_text(encoding="utf-8")  # the wheel's bundle, sent
    assert ">data 10<" in data["image/svg+xml"]


def test_the_command_line_runs_from_the_installed_wheel(
    installed: Installed, tmp_path: Path
) -> None:
    page = tmp_path / "neuron.html"
    source = Path(wheel_install.REPO / "examples" / "neuron.mg")
    wheel_install.run_checked(
        [str(installed.venv / "bin" / "micrograd-magic"), "render", str(source), "-o", str(page)],
        "micrograd-magic render",
        120,
        env=installed.env,
        cwd=tmp_path,
    )
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    (bundle,) = re.findall(r'<script type="application/json" id="mgm-bundle">(.*?)</script>', html)
    assert json.loads(bundle) == BUNDLE.read_text(encoding="utf-8")  # the wheel's bundle
