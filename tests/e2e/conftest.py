"""Harness for the browser tests: one headless Chromium per session, one Jupyter server per module.

Every server runs on 127.0.0.1 with a free port, a known token and its own temporary root,
config, data, settings, workspaces, runtime and IPython directories, so that nothing of the
developer's own Jupyter setup leaks in. Its kernel is this interpreter (``sys.executable``) with
the checkout first on ``PYTHONPATH``, so the tests exercise the code in this repository; given
another ``python`` (a virtual environment the wheel was installed into), server and kernel both
run that interpreter, with no ``PYTHONPATH`` at all.

The page is driven the way a person would drive it where it matters (mouse and keyboard on the
sliders); cells are added and run through the app's own command registry, which the server
exposes as ``window.jupyterapp`` (``--expose-app-in-browser``, as JupyterLab's Galata does).
The time each phase takes is printed at the end of the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from chromium import CHROMIUM
from chromium import FLAGS as CHROMIUM_FLAGS

from micrograd_magic import Value, nn
from micrograd_magic.graph import Graph

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "micrograd_magic" / "static" / "widget.js"
KERNEL_NAME = "micrograd-magic-test"
SERVER_START_TIMEOUT = 60.0
PAGE_TIMEOUT_MS = 90_000

TIMINGS: dict[str, list[float]] = defaultdict(list)


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """Record how long the block takes under ``name`` (printed in the terminal summary)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMINGS[name].append(time.perf_counter() - start)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("browser test phases (seconds)")
    for name, runs in TIMINGS.items():
        shown = ", ".join(f"{t:.1f}" for t in runs)
        terminalreporter.write_line(f"{name:<40} {shown}")


# -- the graphs the tests draw, rebuilt here to compute what a page must show ------------------
def xyz(x: float = 2.0, y: float = 3.0) -> Value:
    """z = x*y + x**2, the seed's first example, as the %%micrograd test cells build it."""
    xv, yv = Value(x, label="x"), Value(y, label="y")
    z = xv * yv + xv**2
    z.label = "z"
    return z


def xyz_graph(x: float = 2.0, y: float = 3.0) -> Graph:
    """The Python graph of z = x*y + x**2."""
    return Graph.from_value(xyz(x, y))


def mlp_graph() -> Graph:
    """The graph of ``MLP(2, [16, 16, 1])`` on inputs a = 1, b = -2 after ``random.seed(1)``,
    as the test notebooks build it (the caller's random state is left alone)."""
    state = random.getstate()
    try:
        random.seed(1)
        out = nn.MLP(2, [16, 16, 1])([Value(1.0, label="a"), Value(-2.0, label="b")])
    finally:
        random.setstate(state)
    return Graph.from_value(out)


# -- the browser -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from /usr/bin/chromium, driven by the one Playwright driver allowed."""
    if not CHROMIUM.is_file():
        pytest.skip(
            f"{CHROMIUM} is missing: install Chromium with scripts/install-system-packages.sh "
            "(apt-get install chromium) to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    # Two sync Playwright drivers in one process clash, so this one serves the whole session.
    with phase("browser launch"):
        driver = sync_playwright().start()
        chromium = driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
    yield chromium
    chromium.close()
    driver.stop()


@pytest.fixture
def offline(browser: Any) -> Iterator[Any]:
    """A fresh offline browser context and its page (test_export_page.OfflinePage), closed after."""
    from test_export_page import OfflinePage  # a test module: imported once a test asks for it

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield OfflinePage(context)
    finally:
        context.close()


# -- the Jupyter server ----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=1))


class JupyterServer:
    """A JupyterLab (``app="lab"``) or Notebook 7 (``app="notebook"``) server for one module,
    run by ``python`` if given (see the module notes)."""

    def __init__(self, app: str, base: Path, python: Path | None = None) -> None:
        self.app = app
        self.python = str(python or sys.executable)
        self.checkout_on_path = python is None
        self.root = base / "root"
        self.root.mkdir()
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.log_path = base / "server.log"
        self.env = self._isolated_env(base)
        self._proc: subprocess.Popen[bytes] | None = None

    def _isolated_env(self, base: Path) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")
        }
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "IPYTHONDIR": "ipython",
        }
        for var, name in dirs.items():
            (base / name).mkdir()
            env[var] = str(base / name)
        settings = base / "settings"
        # No news or update checks (no network here), and every cell kept in the DOM.
        _write_json(
            settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        )
        _write_json(
            settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
            {"windowingMode": "none"},
        )
        # The kernel is this interpreter, importing micrograd_magic from this checkout (or the
        # given interpreter, importing what is installed in its environment).
        kernel_env = {}
        if self.checkout_on_path:
            pythonpath = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
            kernel_env["PYTHONPATH"] = pythonpath
        else:
            env.pop("PYTHONPATH", None)
        _write_json(
            base / "data" / "kernels" / KERNEL_NAME / "kernel.json",
            {
                "argv": [self.python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python (micrograd_magic tests)",
                "language": "python",
                "env": kernel_env,
            },
        )
        return env

    def start(self) -> None:
        """Start the server and wait until its REST API answers."""
        module = {"lab": "jupyterlab", "notebook": "notebook"}[self.app]
        args = [
            self.python,
            "-m",
            module,
            "--no-browser",
            "--expose-app-in-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
        ]
        if self.app == "lab":
            args += [
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
            ]
        if os.geteuid() == 0:
            args.append("--allow-root")
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                args, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"jupyter {self.app} exited early:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                if self.api("/api/status") is not None:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"jupyter {self.app} did not answer in time:\n{self.log_tail()}")

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API with the token; the decoded JSON reply (None if empty)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def write_notebook(self, name: str, cells: list[str]) -> str:
        """Write a notebook of code cells into the root, using the test kernel; returns ``name``."""
        nb = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(source) for source in cells],
            metadata={
                "kernelspec": {
                    "name": KERNEL_NAME,
                    "display_name": "Python (micrograd_magic tests)",
                    "language": "python",
                }
            },
        )
        nbformat.write(nb, self.root / name)
        return name

    def url(self, path: str) -> str:
        """A page address with the token, so the browser is logged in."""
        return f"http://127.0.0.1:{self.port}{path}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for error messages."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Shut the kernels down through the API, then the server itself."""
        if self._proc is None:
            return
        with contextlib.suppress(OSError, urllib.error.URLError):
            for kernel in self.api("/api/kernels"):
                self.api(f"/api/kernels/{kernel['id']}", method="DELETE")
        self._proc.send_signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None


def _server(app: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    if not BUNDLE.is_file():
        pytest.fail(f"{BUNDLE} is missing: build it first with `cd js && npm ci && npm run build`")
    server = JupyterServer(app, tmp_path_factory.mktemp(f"jupyter-{app}"))
    with phase(f"{app}: server start"):
        server.start()
    try:
        yield server
    finally:
        with phase(f"{app}: server stop"):
            server.stop()


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    """A JupyterLab server for the tests of one module."""
    yield from _server("lab", tmp_path_factory)


@pytest.fixture(scope="module")
def notebook_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    """A Jupyter Notebook 7 server for the tests of one module."""
    yield from _server("notebook", tmp_path_factory)


# -- notebooks and pages ---------------------------------------------------------------------
_NOTEBOOK_READY = """() => {
    const panel = window.jupyterapp?.shell?.currentWidget;
    const kernel = panel?.sessionContext?.session?.kernel;
    return Boolean(panel?.context?.isReady && panel.content?.widgets?.length
        && kernel?.connectionStatus === 'connected' && kernel.status === 'idle');
}"""

_RUN_ALL = """async () => {
    const app = window.jupyterapp;
    const ok = await app.commands.execute('notebook:run-all-cells');
    const cells = app.shell.currentWidget.content.widgets;
    return {ok, outputs: cells.map(c => c.model.type === 'code' ? c.model.outputs.toJSON() : [])};
}"""

_RUN_CODE = """async (code) => {
    const app = window.jupyterapp;
    const notebook = app.shell.currentWidget.content;
    const index = notebook.model.sharedModel.cells.length;
    notebook.model.sharedModel.insertCell(index, {cell_type: 'code', source: code});
    notebook.activeCellIndex = index;
    await app.commands.execute('notebook:run-cell');
    return notebook.widgets[index].model.outputs.toJSON();
}"""

READ_NODES = """(root) => Array.from(root.querySelectorAll('[data-node-id]')).map(n => {
    const field = f => n.querySelector(`[data-field="${f}"]`);
    return {
        id: Number(n.dataset.nodeId),
        label: n.dataset.label,
        output: n.dataset.output === 'true',
        data: field('data')?.dataset.value ?? null,
        grad: field('grad')?.dataset.value ?? null,
        dataText: field('data')?.textContent ?? null,
        gradText: field('grad')?.textContent ?? null,
    };
})"""


def output_text(outputs: list[dict[str, Any]]) -> str:
    """The text of a cell's outputs (streams and plain-text results); an error output raises."""
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "error":
            raise AssertionError(
                f"the cell raised {out['ename']}: {out['evalue']}\n" + "\n".join(out["traceback"])
            )
        if kind == "stream":
            text = out["text"]
        elif "text/plain" in out.get("data", {}):
            text = out["data"]["text/plain"]
        else:
            continue
        parts.append("".join(text) if isinstance(text, list) else text)
    return "".join(parts)


class GraphView:
    """One graph widget drawn in a page: its nodes' numbers and its sliders."""

    def __init__(self, page: Any, output: Any) -> None:
        self.page = page
        self.output = output

    def nodes(self) -> list[dict[str, Any]]:
        """Every drawn node: id, label, output flag, data and grad (floats from ``data-value``)
        and the text shown for them."""
        nodes = self.output.evaluate(READ_NODES)
        for n in nodes:
            for key in ("data", "grad"):
                n[key] = None if n[key] is None else float(n[key])
        return nodes

    def by_label(self) -> dict[str, dict[str, Any]]:
        """The labelled nodes, by label."""
        return {n["label"]: n for n in self.nodes() if n["label"]}

    def slider(self, name: str) -> Any:
        """The locator of input ``name``'s slider."""
        return self.output.locator(f'input[type="range"][data-input="{name}"]')

    def slider_state(self, name: str) -> tuple[float, float, float, float]:
        """(value, min, max, step) of a slider as the page has it."""
        return tuple(
            self.slider(name).evaluate(
                "s => [s.valueAsNumber, Number(s.min), Number(s.max), Number(s.step)]"
            )
        )

    def drag(self, name: str, fraction: float) -> None:
        """Press the mouse on the slider's thumb and drag it to ``fraction`` of the track."""
        self.slider(name).scroll_into_view_if_needed()
        box = self.slider(name).bounding_box()
        value, lo, hi, _ = self.slider_state(name)
        # Chromium's default thumb is about 16 px wide; its centre runs from thumb/2 to
        # width - thumb/2. Pressing a little off the thumb still grabs it (it jumps there).
        thumb = 16.0
        y = box["y"] + box["height"] / 2
        start = box["x"] + thumb / 2 + (value - lo) / (hi - lo) * (box["width"] - thumb)
        target = box["x"] + thumb / 2 + fraction * (box["width"] - thumb)
        self.page.mouse.move(start, y)
        self.page.mouse.down()
        for i in range(1, 11):
            self.page.mouse.move(start + (target - start) * i / 10, y)
        self.page.mouse.up()

    def wait_until(self, check: Callable[[], bool], timeout: float = 10.0) -> None:
        """Poll ``check`` (reading the page) until it holds or time is up."""
        deadline = time.monotonic() + timeout
        while not check() and time.monotonic() < deadline:
            time.sleep(0.1)

    def press(self, name: str, key: str, times: int) -> None:
        """Focus a slider and press ``key`` on it ``times`` times."""
        self.slider(name).focus()
        for _ in range(times):
            self.page.keyboard.press(key)


class NotebookPage:
    """A notebook open in a browser page of JupyterLab or Notebook 7."""

    def __init__(self, page: Any, server: JupyterServer) -> None:
        self.page = page
        self.server = server
        self.errors: list[str] = []  # uncaught errors in the page's scripts
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, notebook: str) -> None:
        """Load the notebook's page and wait until its kernel is idle."""
        path = f"/lab/tree/{notebook}" if self.server.app == "lab" else f"/notebooks/{notebook}"
        with phase(f"{self.server.app}: page load + kernel ready"):
            self.page.goto(self.server.url(path))
            self.page.wait_for_function(_NOTEBOOK_READY, timeout=PAGE_TIMEOUT_MS, polling=200)

    def open_and_run(self, name: str, cells: list[str]) -> list[str]:
        """Write ``cells`` as notebook ``name``, open it, and run every cell (see run_all)."""
        self.open(self.server.write_notebook(name, cells))
        return self.run_all()

    def run_all(self) -> list[str]:
        """Run every cell; the text output of each. Fails with the error of a failing cell."""
        with phase(f"{self.server.app}: run all"):
            result = self.page.evaluate(_RUN_ALL)
        texts = [output_text(outs) for outs in result["outputs"]]
        assert result["ok"], f"run all stopped early; outputs: {texts}"
        return texts

    def run(self, code: str) -> str:
        """Append a code cell, run it in the page's kernel and return its text output."""
        return output_text(self.page.evaluate(_RUN_CODE, code))

    def poll_kernel(self, code: str, until: Callable[[str], bool], timeout: float = 15.0) -> str:
        """Run ``code`` until its output satisfies ``until`` or time is up; the last output.

        ipywidgets sends one update at a time, so the kernel can be an update behind the page
        for a moment after a slider moves.
        """
        deadline = time.monotonic() + timeout
        while True:
            text = self.run(code).strip()
            if until(text) or time.monotonic() > deadline:
                return text
            time.sleep(0.3)

    def graph(self, cell: int) -> GraphView:
        """The graph widget in the output of cell ``cell`` (0-based), once it is drawn."""
        output = self.page.locator(".jp-Notebook .jp-Cell").nth(cell).locator(".jp-OutputArea")
        with phase(f"{self.server.app}: graph drawn (cell {cell})"):
            output.locator("svg [data-node-id]").first.wait_for(
                state="attached", timeout=PAGE_TIMEOUT_MS
            )
        return GraphView(self.page, output)


_OPEN_PAGES: list[NotebookPage] = []


@pytest.fixture(scope="module")
def new_page(browser: Any) -> Iterator[Any]:
    """A factory: ``new_page(server)`` is a NotebookPage in a fresh browser context."""
    contexts = []

    def make(server: JupyterServer) -> NotebookPage:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        contexts.append(context)
        page = NotebookPage(context.new_page(), server)
        _OPEN_PAGES.append(page)
        return page

    yield make
    _OPEN_PAGES.clear()
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        # What the browser showed and what the server said, for the failure report.
        for i, page in enumerate(_OPEN_PAGES):
            shot = page.server.log_path.with_name(f"{item.name}-{i}.png")
            with contextlib.suppress(Exception):
                page.page.screenshot(path=str(shot), full_page=True)
                report.sections.append(("browser", f"screenshot: {shot}"))
            report.sections.append((f"jupyter {page.server.app} log", page.server.log_tail()))
    return report
