"""WidgetState, the widget's state without a kernel: what a page reads, what it may write back,
and the re-evaluation behind it, with no widget framework in sight."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_magic import Value
from micrograd_magic.graph import Graph
from micrograd_magic.inputs import InputSpec
from micrograd_magic.state import KEYS, PAGE_KEYS, WidgetState, finite_number

REPO = Path(__file__).resolve().parents[1]


def xyz() -> tuple[Value, Value, Value]:
    x = Value(2.0, label="x")
    y = Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    return x, y, z


def test_the_state_a_page_reads() -> None:
    x, y, z = xyz()
    state = WidgetState(z)
    page = state.to_json()
    keys = ["graph", "inputs", "selected", "step", "train_inputs", "lr", "text"]
    keys += ["quiz", "lesson", "quiz_progress", "open_groups"]
    assert list(page) == keys == list(KEYS)
    assert page["open_groups"] == []  # no groups: nothing to open
    assert page["graph"] == Graph.from_value(z).to_json()
    assert [(s["name"], s["id"], s["value"]) for s in page["inputs"]] == [
        ("x", 0, 2.0),
        ("y", 1, 3.0),
    ]
    assert (page["selected"], page["step"], state.steps) == (None, None, 4)
    assert (page["quiz"], page["lesson"], page["quiz_progress"]) == (None, None, [])
    assert (x.grad, y.grad, z.grad) == (7.0, 2.0, 1.0)  # evaluated, as backward() would
    json.dumps(page, allow_nan=False)


def test_a_state_from_graph_json_alone_moves_its_sliders() -> None:
    *_, z = xyz()
    graph = Graph.from_json(Graph.from_value(z).to_json())  # no Values behind it
    state = WidgetState(graph, inputs=[InputSpec("x", 2.0, -5.0, 5.0, 0.5)])
    changes = state.set_input("x", 1)
    assert list(changes) == ["inputs"]
    assert state.input_values == {"x": 1.0}
    assert state.model_graph.data[4] == 1 * 3 + 1
    assert state.model_graph.grad[0] == 3 + 2


def test_each_key_of_a_message_is_judged_on_its_own_and_judging_changes_nothing() -> None:
    x, _y, z = xyz()
    state = WidgetState(z)
    inputs = [dict(d) for d in state.get("inputs")]
    inputs[0]["value"] = 10**400
    message = {
        "inputs": inputs,
        "selected": 3,
        "step": "2",
        "graph": state.get("graph"),
        "_esm": "",
    }
    verdict = state.judge(message)
    assert verdict.accepted == {"selected": 3, "graph": state.get("graph")}
    assert set(verdict.refused) == {"inputs", "step", "_esm"}
    assert "is too large for a float" in verdict.refused["inputs"]
    assert verdict.refused["_esm"] == "'_esm' is not part of the widget's state"
    assert verdict.snap_back == ["inputs", "step"]
    assert state.get("selected") is None and x.data == 2.0
    applied = state.apply(message)
    assert applied.accepted == verdict.accepted
    assert state.get("selected") == 3 and x.data == 2.0


def test_the_kernel_s_keys_come_back_only_unchanged() -> None:
    *_, z = xyz()
    state = WidgetState(z)
    assert state.check("graph", json.loads(json.dumps(state.get("graph")))) is state.get("graph")
    with pytest.raises(ValueError, match="the graph is set by the kernel"):
        state.check("graph", {"schema": 1, "output": 0, "nodes": []})
    assert [k for k in KEYS if k not in PAGE_KEYS] == ["graph", "train_inputs", "quiz", "lesson"]


def test_setting_inputs_reports_a_new_graph_when_the_kernel_moved_a_leaf() -> None:
    x = Value(1.0, label="x")
    weight = Value(0.5)
    out = x * weight
    state = WidgetState(out)
    weight.data = 2.0  # a training step after the state was made
    changes = state.set_input("x", 3.0)
    assert set(changes) == {"inputs", "graph"}
    assert changes["graph"]["nodes"][1]["data"] == 2.0
    assert out.data == 6.0
    assert state.set_input("x", 3.0) == {}  # nothing changed: nothing to send


def test_nodes_are_named_selected_and_explained() -> None:
    x, _, z = xyz()
    state = WidgetState(z)
    assert state.node_id(x) == state.node_id("x") == state.node_id(0) == 0
    assert state.select("z") == {"selected": 4}
    assert state.select(None) == {"selected": None}
    assert state.explain(x).grad == 7.0
    with pytest.raises(ValueError, match="selected must be a node id from 0 to 4"):
        state.node_id(9)


@pytest.mark.parametrize(
    ("root", "extra", "error"),
    [(3.0, (), TypeError), ("graph", (Value(1.0),), ValueError)],
)
def test_a_state_needs_a_value_or_a_graph(root: object, extra: tuple, error: type) -> None:
    if root == "graph":
        root = Graph.from_value(Value(1.0))
    with pytest.raises(error):
        WidgetState(root, extra=extra)


def test_finite_number_names_the_role_and_keeps_messages_short() -> None:
    assert finite_number(3, "input 'x'") == 3.0
    with pytest.raises(ValueError, match=r"^input 'x': expected a number, got True$"):
        finite_number(True, "input 'x'")
    with pytest.raises(ValueError) as info:
        finite_number(10**5000, "input 'x'")  # its repr alone is refused by Python
    assert "too large" in str(info.value) and len(str(info.value)) < 120


def test_the_kernel_free_modules_load_no_widget_framework_when_run() -> None:
    code = (
        "import sys\n"
        "import micrograd_magic.state, micrograd_magic.export, micrograd_magic.__main__\n"
        "from micrograd_magic import Value\n"
        "from micrograd_magic.export import page_html\n"
        "from micrograd_magic.state import WidgetState\n"
        "x = Value(1.0, label='x')\n"
        "page_html(WidgetState(x * 2))\n"
        "print(sorted(m for m in ('ipywidgets', 'anywidget', 'traitlets', 'comm')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
