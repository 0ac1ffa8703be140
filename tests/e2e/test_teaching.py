"""Teaching modes in headless Chromium: the exported page (offline), JupyterLab and Notebook 7.

The numerical gradient check in the details panel (a leaf, an inner node, relu at its kink; in
the page and in JupyterLab), checked against micrograd_magic.numeric's verdicts on the same
graph. Quiz mode: typing a wrong and a right answer, reveal, reveal all, the asked grads absent
from the page's HTML, the progress remembered across a reload of the exported page, and in
JupyterLab reaching the kernel's ``w.quiz_progress``. A lesson's hidden and locked parts, a URL
fragment restoring a state, and printing: the page's storyboard and w.storyboard()'s page give
a PDF page per frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PAGE_TIMEOUT_MS, xyz
from test_export_page import OfflinePage

from micrograd_magic import Value, show
from micrograd_magic.explain import step_sequence
from micrograd_magic.graph import Graph
from micrograd_magic.numeric import check_node

pytestmark = pytest.mark.browser


def lesson_graph() -> Value:
    """o = tanh(x*w + b) + relu(x - 1): at x = 1 the relu sits on its kink."""
    x, w, b = Value(1.0, label="x"), Value(-0.5, label="w"), Value(0.25, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh() + (x - 1).relu()
    o.label = "o"
    return o


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh context that may load only file: and blob: URLs."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        offline = OfflinePage(context)
        yield offline.page
        assert offline.blocked == []
        assert offline.errors == []
    finally:
        context.close()


def open_page(page: Any, path: Path) -> Any:
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-mgm-ready]", state="attached")
    return page.locator('[data-mgm-widget="mgm-state-0"]')


def numeric_of(widget: Any, node: int) -> dict[str, str]:
    widget.locator(f'[data-node-id="{node}"]').first.click()
    box = widget.locator(f'[data-panel][data-panel-node="{node}"] [data-numeric]')
    box.wait_for(state="attached")
    return box.evaluate(
        "e => ({status: e.dataset.numeric, estimate: e.dataset.estimate, grad: e.dataset.grad,"
        " relerr: e.dataset.relerr, h: e.dataset.h, text: e.textContent})"
    )


def test_numeric_check_in_the_exported_page(page: Any, tmp_path: Path) -> None:
    out = lesson_graph()
    graph = Graph.from_value(out)
    ids = {v.label: i for i, v in enumerate(graph.values) if v.label}
    path = show(out).save_html(tmp_path / "lesson.html")
    widget = open_page(page, path)
    data, grad = graph.evaluate()
    for name in ("w", "n"):  # a leaf and an inner node
        want = check_node(graph, data, grad, ids[name])
        got = numeric_of(widget, ids[name])
        assert got["status"] == want.status == "agree"
        assert float(got["estimate"]) == pytest.approx(want.estimate, rel=1e-9)
        assert float(got["grad"]) == pytest.approx(want.grad, rel=1e-12)
        assert float(got["relerr"]) < 1e-6
        assert float(got["h"]) == want.h
        assert "agrees with the grad" in got["text"]
    kink = numeric_of(widget, ids["x"])  # x - 1 = 0 feeds a relu
    assert kink["status"] == "kink"
    assert "not differentiable here: relu" in kink["text"]
    assert "NOT agree" not in kink["text"]


# -- quiz mode ---------------------------------------------------------------------------------
def answer(widget: Any, node: int, text: str) -> str:
    """Type ``text`` into node ``node``'s answer box, press Enter; the card's verdict."""
    box = widget.locator(f'input[data-guess="{node}"]')
    box.fill(text)
    box.press("Enter")
    return widget.locator(f'[data-node-id="{node}"] [data-verdict]').get_attribute("data-verdict")


def solved(widget: Any) -> tuple[str, str]:
    metric = widget.locator('[data-metric="solved"]')
    return metric.get_attribute("data-value"), metric.get_attribute("data-total")


def grad_text(widget: Any, node: int) -> str:
    return widget.locator(f'[data-node-id="{node}"] [data-field="grad"]').text_content()


def test_quiz_in_the_exported_page(page: Any, tmp_path: Path) -> None:
    # z = x*y + x**2 at x = 2, y = 3: ids x 0, y 1, x*y 2, x**2 3; x.grad = 7, y.grad = 2
    path = show(xyz(), quiz=True).save_html(tmp_path / "quiz.html")
    html = path.read_text(encoding="utf-8")
    assert '"grad"' not in html.split('id="mgm-bundle"')[0], "a grad is in the page's state"
    widget = open_page(page, path)
    assert [grad_text(widget, i) for i in range(4)] == ["?"] * 4
    live = page.content()
    assert 'data-field="grad" data-value="7"' not in live
    assert solved(widget) == ("0", "4")
    widget.locator('[data-node-id="0"]').first.click()
    assert answer(widget, 0, "6") == "wrong"
    hint = widget.locator("[data-hint]").text_content()
    assert "▢·3" in hint and "▢·4" in hint
    assert "7" not in hint
    assert grad_text(widget, 0) == "?"
    assert answer(widget, 2, "1") == "correct"
    assert answer(widget, 0, "7") == "correct"
    assert grad_text(widget, 0) == "7"
    assert solved(widget) == ("2", "4")
    widget.locator('[data-node-id="1"]').first.click()
    widget.locator('[data-action="reveal"]').click()
    assert grad_text(widget, 1) == "2"
    # the browser remembers this page's progress
    page.reload()
    widget = open_page(page, path)
    assert solved(widget) == ("2", "4")
    assert (grad_text(widget, 0), grad_text(widget, 1), grad_text(widget, 3)) == ("7", "2", "?")
    widget.locator('[data-action="reveal-all"]').click()
    assert grad_text(widget, 3) == "1"
    assert widget.locator('input[data-guess="3"]').is_hidden()


def test_quiz_and_numeric_check_in_jupyterlab(lab_server: Any, new_page: Any) -> None:
    lab = new_page(lab_server)
    lab.open_and_run(
        "teaching.ipynb",
        [
            "%load_ext micrograd_magic",
            "%%micrograd --quiz x --bind w\nx = 2.0\ny = 3.0\nz = x*y",
            "%%micrograd\na = 1.5\nb = (a*a).tanh()",
        ],
    )
    widget = lab.graph(1).output
    assert grad_text(widget, 0) == "?"
    assert grad_text(widget, 1) == "2"  # y is not asked
    assert answer(widget, 0, "2") == "wrong"
    assert answer(widget, 0, "3") == "correct"
    text = lab.poll_kernel(
        "print(w.quiz_progress)", until=lambda out: "'solved': True" in out, timeout=20
    )
    assert text == "[{'id': 0, 'solved': True, 'revealed': False, 'attempts': 2, 'answer': 3.0}]"
    # the numerical check on a leaf and an inner node of the second cell's graph
    a = Value(1.5, label="a")
    aa = a * a
    graph = Graph.from_value(aa.tanh())
    data, grad = graph.evaluate()
    second = lab.graph(2).output
    for node in (0, 1):
        want = check_node(graph, data, grad, node)
        got = numeric_of(second, node)
        assert got["status"] == want.status == "agree"
        assert float(got["estimate"]) == pytest.approx(want.estimate, rel=1e-9)
        assert float(got["relerr"]) < 1e-6


# -- a lesson's set-up and a shared state ------------------------------------------------------
def test_lesson_setup_is_kept_by_the_exported_page(page: Any, tmp_path: Path) -> None:
    out = lesson_graph()
    w = show(out, hide=["grad", "panel", "step"], lock=["w"], compact=True, caption="One neuron")
    widget = open_page(page, w.save_html(tmp_path / "lesson.html"))
    assert widget.locator("[data-caption]").text_content() == "One neuron"
    assert widget.locator(".mgm-side").is_hidden()
    assert widget.locator(".mgm-step-group").is_hidden()
    assert widget.locator('input[data-input="x"]').is_visible()
    locked = widget.locator('input[data-input="w"]')
    assert locked.is_visible() and locked.is_disabled()
    before = locked.input_value()
    locked.focus()
    page.keyboard.press("ArrowRight")
    assert locked.input_value() == before
    grads = widget.locator('[data-field="grad"]')
    assert set(grads.all_text_contents()) == {"?"}
    assert widget.locator('[data-field="grad"][data-value]').count() == 0
    widget.locator('[data-action="show-grads"]').click()
    assert "?" not in grads.all_text_contents()
    assert widget.locator('[data-action="show-grads"]').is_hidden()


def test_a_url_fragment_restores_and_follows_the_state(page: Any, tmp_path: Path) -> None:
    path = show(xyz()).save_html(tmp_path / "shared.html")
    page.goto(f"{path.as_uri()}#x=1.5&y=-2&select=x")
    page.wait_for_selector("html[data-mgm-ready]", state="attached")
    widget = page.locator('[data-mgm-widget="mgm-state-0"]')
    assert widget.locator('input[data-input="x"]').input_value() == "1.5"
    assert widget.locator('input[data-input="y"]').input_value() == "-2"
    # z = x*y + x**2 at x = 1.5, y = -2: dz/dx = y + 2x = 1
    panel = widget.locator('[data-panel][data-panel-node="0"]')
    assert panel.locator('[data-panel-field="grad"]').get_attribute("data-value") == "1"
    widget.locator('[data-node-id="1"]').first.click()
    page.wait_for_function("() => location.hash.includes('select=y')")
    assert page.evaluate("location.hash") == "#x=1.5&y=-2&select=y"


# -- printing ----------------------------------------------------------------------------------
def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_the_page_storyboard_prints_a_page_per_frame(page: Any, tmp_path: Path) -> None:
    out = lesson_graph()
    steps = len(step_sequence(Graph.from_value(out)))
    widget = open_page(page, show(out).save_html(tmp_path / "print.html"))
    widget.locator('[data-action="storyboard"]').click()
    frames = widget.locator("[data-frame]")
    assert frames.count() == steps + 1
    assert [frames.nth(k).get_attribute("data-frame") for k in range(steps + 1)] == [
        str(k) for k in range(steps + 1)
    ]
    page.emulate_media(media="print")
    assert widget.locator(".mgm-toolbar").is_hidden()
    assert widget.locator(".mgm-sliders").is_hidden()
    assert pdf_pages(page.pdf(format="A4")) == steps + 1


def test_printing_the_page_hides_the_controls_and_fits_the_graph(page: Any, tmp_path: Path) -> None:
    widget = open_page(page, show(lesson_graph()).save_html(tmp_path / "plain.html"))
    page.emulate_media(media="print")
    assert widget.locator(".mgm-toolbar").is_hidden()
    assert widget.locator(".mgm-sliders").is_hidden()
    assert widget.locator('[data-field="grad"]').first.is_visible()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    width = widget.locator(".mgm-frame").first.evaluate("e => e.getBoundingClientRect().width")
    assert width <= 680 + 1
    assert pdf_pages(page.pdf(format="A4")) == 1


def test_python_storyboard_page_and_svgs(page: Any, tmp_path: Path) -> None:
    out = lesson_graph()
    w = show(out)
    steps = len(step_sequence(w.model_graph))
    path = w.storyboard(tmp_path / "story.html")
    page.goto(path.as_uri())
    assert page.locator("[data-frame]").count() == steps + 1
    assert pdf_pages(page.pdf(format="A4")) == steps + 1
    folder = w.storyboard(tmp_path / "slides", format="svg")
    assert sorted(p.name for p in folder.iterdir()) == [
        f"step-{k:02d}.svg" for k in range(steps + 1)
    ]


def test_quiz_in_notebook7(notebook_server: Any, new_page: Any) -> None:
    nb = new_page(notebook_server)
    nb.open_and_run(
        "quiz7.ipynb",
        ["%load_ext micrograd_magic", "%%micrograd --quiz --bind w\nx = 2.0\ny = 3.0\nz = x*y"],
    )
    widget = nb.graph(1).output
    assert (grad_text(widget, 0), grad_text(widget, 1)) == ("?", "?")
    assert answer(widget, 1, "2") == "correct"
    widget.locator('[data-action="reveal-all"]').click()
    assert grad_text(widget, 0) == "3"
    text = nb.poll_kernel(
        "print([(p['solved'], p['revealed']) for p in w.quiz_progress])",
        until=lambda out: "(False, True)" in out,
        timeout=20,
    )
    assert text == "[(False, True), (True, False)]"
