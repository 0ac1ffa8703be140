"""The seed document's examples run against micrograd_magic with only the import path changed.

The seed README (../shared/seed/ beside the repository, where present) is the engine's spec: every
Python block of it runs here with ``grad_code`` replaced by ``micrograd_magic``, and the numbers it
documents are checked.
"""

import contextlib
import io
import random
import re
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "micrograd-seed-README.md"


def run(source: str) -> tuple[str, dict]:
    out = io.StringIO()
    namespace: dict = {}
    random.seed(0)
    with contextlib.redirect_stdout(out):
        exec(
            compile(source, "<seed example>", "exec"), namespace
        )  # our own test code, not user input
    return out.getvalue(), namespace


BASIC = """
from micrograd_magic.engine import Value
x = Value(2.0)
y = Value(3.0)
z = x * y + x**2
z.backward()
print(f"z = {z.data}")
print(f"dz/dx = {x.grad}")
print(f"dz/dy = {y.grad}")
"""


def test_basic_autograd_example_prints_the_documented_numbers():
    printed, _ = run(BASIC)
    assert printed.splitlines() == ["z = 10.0", "dz/dx = 7.0", "dz/dy = 2.0"]


NEURAL = """
from micrograd_magic.nn import MLP
from micrograd_magic.engine import Value
model = MLP(3, [4, 4, 1])
x = [Value(1.0), Value(2.0), Value(-1.0)]
output = model(x)
print(f"Output: {output}")
output.backward()
learning_rate = 0.01
for p in model.parameters():
    p.data -= learning_rate * p.grad
model.zero_grad()
"""


def test_neural_network_example_runs_and_resets_grads():
    printed, ns = run(NEURAL)
    assert re.fullmatch(r"Output: Value\(data=-?[\d.e+-]+, grad=0\.0\)\n", printed)
    assert all(p.grad == 0.0 for p in ns["model"].parameters())


TRAINING = """
from micrograd_magic.nn import MLP
from micrograd_magic.engine import Value
X = [[Value(0.0), Value(0.0)], [Value(0.0), Value(1.0)], [Value(1.0), Value(0.0)],
     [Value(1.0), Value(1.0)]]
y = [Value(0.0), Value(1.0), Value(1.0), Value(0.0)]
model = MLP(2, [4, 1])
learning_rate = 0.1
losses = []
for epoch in range(100):
    predictions = [model(x) for x in X]
    loss = sum((pred - target)**2 for pred, target in zip(predictions, y))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    losses.append(loss.data)
    if epoch % 10 == 0:
        print(f"Epoch {epoch}, Loss: {loss.data}")
"""


def test_training_example_lowers_the_loss():
    printed, ns = run(TRAINING)
    assert len(re.findall(r"^Epoch \d+, Loss: [\d.e+-]+$", printed, re.M)) == 10
    assert ns["losses"][-1] < ns["losses"][0]


def seed_blocks() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    runnable = [b for b in blocks if "grad_code" in b]
    return [b.replace("grad_code", "micrograd_magic") for b in runnable]


@pytest.mark.skipif(not SEED.exists(), reason="the seed document is not beside this checkout")
def test_every_seed_block_runs_unchanged_but_for_the_import():
    blocks = seed_blocks()
    assert len(blocks) >= 3
    for block in blocks:
        printed, _ = run(block)
        if "dz/dx" in block:
            assert "z = 10.0" in printed and "dz/dx = 7.0" in printed and "dz/dy = 2.0" in printed
