"""A quiz on a network drawn as boxes in JupyterLab with a real kernel (issue 12): the teacher's
``show(out, quiz=True)`` on ``MLP(2, [4, 4, 1])`` opens with its neurons closed; an answer typed
in an opened neuron reaches the kernel's ``quiz_progress``, and survives the page closing the box
and the kernel opening it again (``open_group``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.browser

NEURON = "layers.0.neurons.3"
CELLS = [
    "import random\n"
    "from micrograd_magic import Value, nn, show\n"
    "random.seed(7)\n"
    "model = nn.MLP(2, [4, 4, 1])\n"
    "x = [Value(1.0, label='a'), Value(-2.0, label='b')]\n"
    "out = model(x)\n"
    "out.backward()\n"
    "q = show(out, quiz=True)\n"
    "q"
]


def test_a_quiz_on_closed_neurons_with_the_kernel(lab_server: Any, new_page: Any) -> None:
    lab = new_page(lab_server)
    lab.open_and_run("quiznet.ipynb", CELLS)
    view = lab.graph(0)
    root = view.output
    box = root.locator(f'[data-group="{NEURON}"]')
    assert box.get_attribute("data-group-state") == "closed"
    assert box.get_attribute("data-quiz-inside") == "8"
    # the kernel's ids and grads of the neuron's first weight
    w0, grad = json.loads(
        lab.run(
            "import json\n"
            "w0 = model.layers[0].neurons[3].w[0]\n"
            "print(json.dumps([q.node_id(w0), w0.grad]))"
        )
    )
    box.click()
    guess = root.locator(f'input[data-guess="{w0}"]')
    guess.fill(repr(grad))
    guess.press("Enter")
    verdict = root.locator(f'[data-node-id="{w0}"] [data-verdict]')
    assert verdict.get_attribute("data-verdict") == "correct"

    def solved(text: str) -> bool:
        return any(e["id"] == w0 and e["solved"] for e in json.loads(text))

    progress = "print(json.dumps(q.quiz_progress))"
    assert solved(lab.poll_kernel(progress, until=solved))
    # the page closes the box: the count goes down by the one found
    box.locator('[data-action="toggle-group"]').click()
    view.wait_until(lambda: box.get_attribute("data-quiz-inside") == "7")
    # the kernel opens it again: the answer and its mark are still there
    lab.run(f"q.open_group({NEURON!r})")
    view.wait_until(lambda: box.get_attribute("data-group-state") == "open")
    assert verdict.get_attribute("data-verdict") == "correct"
    assert float(
        root.locator(f'[data-node-id="{w0}"] [data-field="grad"]').get_attribute("data-value")
    ) == pytest.approx(grad, rel=1e-12, abs=1e-12)
    assert solved(lab.run(progress))
    total = root.locator('[data-metric="solved"]')
    assert (total.get_attribute("data-value"), total.get_attribute("data-total")) == (
        "1",
        str(json.loads(lab.run("print(json.dumps(len(q.quiz['asked'])))"))),
    )
