"""The graph widget's Python side: traits, inputs, and updates arriving from a front end.

Front-end updates are driven through the real ipywidgets path: a comm message dict as a page
sends it goes into the widget's comm, which hands it to ``Widget._handle_msg`` and ``set_state``.
The comm transport is the `comm` package's documented replacement point (``comm.create_comm``),
here a comm that records what the kernel would send to the page.
"""

from __future__ import annotations

import logging
import math
import random
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import anywidget
import comm
import numpy
import pytest
import traitlets
from comm.base_comm import BaseComm

from micrograd_magic import Value, nn
from micrograd_magic.graph import Graph
from micrograd_magic.inputs import InputSpec, default_input
from micrograd_magic.state import KEYS, MAX_SLIDERS, PAGE_KEYS
from micrograd_magic.widget import GraphWidget, show

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "micrograd_magic" / "static" / "widget.js"
HOST_BUNDLE = REPO / "micrograd_magic" / "static" / "host.js"


class RecordingComm(BaseComm):
    """A kernel-side comm whose messages to the page are kept in a list instead of sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        super().__init__(*args, **kwargs)

    def publish_msg(
        self,
        msg_type: str,
        data: Any = None,
        metadata: Any = None,
        buffers: Any = None,
        **keys: Any,
    ) -> None:
        self.sent.append((msg_type, data or {}))

    def updates(self) -> list[dict[str, Any]]:
        """The ``update`` states sent to the page (not echoes of what the page sent)."""
        return [d["state"] for t, d in self.sent if t == "comm_msg" and d.get("method") == "update"]


@pytest.fixture(autouse=True)
def recording_comm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comm, "create_comm", RecordingComm)


def from_page(w: GraphWidget, state: dict[str, Any]) -> None:
    """Deliver an ``update`` message as a front end sends it, through the widget's comm."""
    w.comm.handle_msg(
        {
            "content": {
                "comm_id": w.comm.comm_id,
                "data": {"method": "update", "state": state, "buffer_paths": []},
            },
            "buffers": [],
        }
    )


def xyz() -> tuple[Value, Value, Value]:
    x = Value(2.0, label="x")
    y = Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    return x, y, z


def test_graph_trait_is_the_graph_json_with_gradients_computed() -> None:
    x, y, z = xyz()
    w = show(z)
    assert w.graph == w.model_graph.to_json()
    assert w.graph["schema"] == 1
    nodes = w.graph["nodes"]
    assert [n["label"] for n in nodes] == ["x", "y", None, None, "z"]
    assert nodes[w.graph["output"]]["label"] == "z"
    # Showing computes the gradients, in the picture and in the Values alike.
    assert (x.grad, y.grad, z.grad) == (7.0, 2.0, 1.0)
    assert [n["grad"] for n in nodes] == [7.0, 2.0, 1.0, 1.0, 1.0]
    assert [n["data"] for n in nodes] == [2.0, 3.0, 6.0, 4.0, 10.0]


def test_default_inputs_are_the_labelled_leaves_in_graph_order() -> None:
    _x, _y, z = xyz()
    w = show(z * 2.0)  # the constant 2.0 is an unlabelled leaf: no slider
    assert w.inputs == [
        {"name": "x", "id": 0, "value": 2.0, "min": -5.0, "max": 5.0, "step": 0.05},
        {"name": "y", "id": 1, "value": 3.0, "min": -10.0, "max": 10.0, "step": 0.1},
    ]
    assert [list(d) for d in w.inputs] == [["name", "id", "value", "min", "max", "step"]] * 2
    assert w.input_values == {"x": 2.0, "y": 3.0}
    assert w.selected is None


def test_leaves_sharing_a_label_or_holding_nan_get_no_default_slider() -> None:
    a1, a2 = Value(1.0, label="w"), Value(2.0, label="w")
    n = Value(math.nan, label="n")
    b = Value(0.5, label="b")
    w = show(a1 * a2 + b + n)
    assert w.input_values == {"b": 0.5}
    with pytest.raises(ValueError, match="'w' is ambiguous: 2 leaves"):
        show(a1 * a2 + b, inputs=[InputSpec("w", 1.0, -2.0, 2.0, 0.5)])


def test_an_input_spec_sets_the_starting_value_range_and_step() -> None:
    x, y, z = xyz()
    w = GraphWidget(z, inputs=[InputSpec("y", 1.0, 0.0, 4.0, 0.25)])
    assert w.inputs == [{"name": "y", "id": 1, "value": 1.0, "min": 0.0, "max": 4.0, "step": 0.25}]
    # The Values start at the spec's value: z = 2*1 + 4, dz/dx = y + 2x.
    assert (y.data, z.data, x.grad, y.grad) == (1.0, 6.0, 5.0, 2.0)
    assert w.graph["nodes"][4]["data"] == 6.0


@pytest.mark.parametrize(
    ("inputs", "error", "message"),
    [
        (
            [InputSpec("nope", 1.0, 0.0, 2.0, 0.5)],
            ValueError,
            "'nope' is not a labelled leaf of the graph; its labelled leaves are x, y",
        ),
        ([default_input("x", 2.0), default_input("x", 2.0)], ValueError, "'x' is given twice"),
        (["x"], TypeError, "InputSpecs or Values, got str"),
    ],
)
def test_bad_input_specs_are_refused_clearly(inputs: list[Any], error: type, message: str) -> None:
    *_, z = xyz()
    with pytest.raises(error, match=message):
        GraphWidget(z, inputs=inputs)


def test_show_takes_leaf_values_and_specs_as_inputs() -> None:
    _x, y, z = xyz()
    w = show(z, inputs=[y, InputSpec("x", 1.0, -1.0, 1.0, 0.5)])
    assert w.inputs == [
        {"name": "y", "id": 1, "value": 3.0, "min": -10.0, "max": 10.0, "step": 0.1},
        {"name": "x", "id": 0, "value": 1.0, "min": -1.0, "max": 1.0, "step": 0.5},
    ]
    assert w.input_values == {"y": 3.0, "x": 1.0}
    assert show(z, inputs=[]).inputs == []


@pytest.mark.parametrize(
    ("make_input", "message"),
    [
        (lambda x, y, z: Value(1.0, label="stranger"), "is not part of the graph being shown"),
        (lambda x, y, z: z, "is computed \\(op '\\+'\\); only leaves can be inputs"),
        (lambda x, y, z: x, "has no label; give it one"),
    ],
)
def test_show_refuses_values_that_cannot_be_sliders(make_input: Any, message: str) -> None:
    x, y, z = xyz()
    x.label = None
    with pytest.raises(ValueError, match=message):
        show(z, inputs=[make_input(x, y, z)])


def test_show_needs_a_value() -> None:
    with pytest.raises(TypeError, match="show\\(\\) draws a Value, got float"):
        show(3.0)  # type: ignore[arg-type]


def test_extra_values_are_drawn_with_zero_grad() -> None:
    x, _y, z = xyz()
    side = x + 100.0
    side.label = "side"
    w = show(z, extra=[side])
    labels = [n["label"] for n in w.graph["nodes"]]
    assert labels[-1] == "side"
    assert w.graph["nodes"][-1]["data"] == 102.0
    w.set_input("x", 1.0)
    assert (side.data, side.grad) == (101.0, 0.0)


def test_a_large_mlp_graph_is_shown_with_its_two_inputs() -> None:
    random.seed(1)
    a, b = Value(1.0, label="a"), Value(-2.0, label="b")
    out = nn.MLP(2, [16, 16, 1])([a, b])
    w = show(out)
    assert len(w.graph["nodes"]) == len(Graph.from_value(out).nodes) > 900
    assert [d["name"] for d in w.inputs] == ["a", "b"]
    a_id = w.inputs[0]["id"]
    data, grad = Graph.from_value(out).evaluate({a_id: -1.0})
    w.set_input("a", -1.0)
    assert (a.data, out.data, a.grad) == (-1.0, data[w.model_graph.output], grad[a_id])
    assert w.model_graph.data == data


def test_set_input_updates_values_in_place_and_tells_the_page() -> None:
    x, y, z = xyz()
    w = show(z)
    w.comm.sent.clear()
    w.set_input("x", 1.5)
    assert (x.data, z.data, x.grad, y.grad) == (1.5, 1.5 * 3.0 + 2.25, 3.0 + 3.0, 1.5)
    assert w.input_values == {"x": 1.5, "y": 3.0}
    assert w.comm.updates() == [{"inputs": w.inputs}]
    assert w.model_graph.data[4] == z.data


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("q", 1.0, "no input named 'q'; this widget's inputs are x, y"),
        ("x", math.nan, "expected a finite number, got nan"),
        ("x", math.inf, "expected a finite number, got inf"),
        ("x", "1", "expected a number, got '1'"),
        ("x", True, "expected a number, got True"),
        ("x", 5.5, "5.5 is outside its slider's range \\[-5.0, 5.0\\]"),
    ],
)
def test_set_input_refuses_bad_values(name: str, value: Any, message: str) -> None:
    x, _y, z = xyz()
    w = show(z)
    with pytest.raises(ValueError, match=message):
        w.set_input(name, value)
    assert (x.data, w.input_values) == (2.0, {"x": 2.0, "y": 3.0})


def test_assigning_bad_inputs_from_python_raises_trait_error() -> None:
    *_, z = xyz()
    w = show(z)
    bad = [dict(d) for d in w.inputs]
    bad[0]["min"] = -50.0
    with pytest.raises(traitlets.TraitError, match=re.escape("input 'x': min is -5.0, got -50.0")):
        w.inputs = bad


def test_selecting_a_node_from_python_is_checked() -> None:
    *_, z = xyz()
    w = show(z)
    w.selected = 4
    assert w.comm.updates()[-1] == {"selected": 4}
    with pytest.raises(traitlets.TraitError, match="node id from 0 to 4 or null, got 7"):
        w.selected = 7
    assert w.selected == 4


def test_a_domain_error_while_sliding_gives_nan_not_an_exception() -> None:
    x = Value(2.0, label="x")
    y = x.log()
    w = show(y)
    w.set_input("x", -1.0)
    assert math.isnan(y.data)
    w.set_input("x", 0.0)
    assert y.data == -math.inf


def test_a_valid_update_from_the_page_updates_the_values() -> None:
    x, y, z = xyz()
    w = show(z)
    w.comm.sent.clear()
    sent = [dict(d) for d in w.inputs]
    sent[0]["value"] = -1  # JSON from a page: whole numbers arrive as ints
    from_page(w, {"inputs": sent})
    assert (x.data, z.data, x.grad, y.grad) == (-1.0, -3.0 + 1.0, 3.0 - 2.0, -1.0)
    assert w.inputs[0] == {
        "name": "x",
        "id": 0,
        "value": -1.0,
        "min": -5.0,
        "max": 5.0,
        "step": 0.05,
    }
    assert isinstance(w.inputs[0]["value"], float)
    # The page hears its own update echoed, and nothing else: no snap-back.
    assert w.comm.updates() == []
    assert [d["method"] for _, d in w.comm.sent] == ["echo_update"]


def _change(key: str, value: Any) -> Any:
    def change(inputs: list[dict[str, Any]]) -> Any:
        inputs[0][key] = value
        return inputs

    return change


MALFORMED = {
    "NaN value": (_change("value", math.nan), "expected a finite number, got nan"),
    "infinite value": (_change("value", -math.inf), "expected a finite number, got -inf"),
    "null value": (_change("value", None), "expected a number, got None"),
    "text value": (_change("value", "2.5"), "expected a number, got '2.5'"),
    "NaN as text": (_change("value", "NaN"), "expected a number, got 'NaN'"),
    "boolean value": (_change("value", True), "expected a number, got True"),
    "value above max": (_change("value", 5.05), "5.05 is outside \\[-5.0, 5.0\\]"),
    "value below min": (_change("value", -7), "-7.0 is outside \\[-5.0, 5.0\\]"),
    "unknown input name": (_change("name", "q"), "input 'x': name is 'x', got 'q'"),
    "wrong id": (_change("id", 2), "input 'x': id is 0, got 2"),
    "changed range": (_change("max", 50.0), "input 'x': max is 5.0, got 50.0"),
    "changed step": (_change("step", 0.5), "input 'x': step is 0.05, got 0.5"),
    "missing key": (
        lambda i: [{k: v for k, v in i[0].items() if k != "step"}, i[1]],
        "exactly the keys",
    ),
    "extra key": (lambda i: [{**i[0], "extra": 1}, i[1]], "exactly the keys"),
    "not an object": (lambda i: [2.5, i[1]], "exactly the keys"),
    "too few inputs": (lambda i: i[:1], "expected 2 inputs, got 1"),
    "too many inputs": (lambda i: [*i, i[0]], "expected 2 inputs, got 3"),
    "not a list": (lambda i: {"x": 2.5}, "inputs must be a list, got dict"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_inputs_from_the_page_are_refused_logged_and_undone(
    case: str, caplog: pytest.LogCaptureFixture
) -> None:
    x, y, z = xyz()
    w = show(z)
    w.set_input("x", 1.5)
    before = [dict(d) for d in w.inputs]
    w.comm.sent.clear()
    make, reason = MALFORMED[case]
    with caplog.at_level(logging.WARNING):
        from_page(w, {"inputs": make([dict(d) for d in w.inputs])})
    assert w.inputs == before
    assert (x.data, y.data, z.data, x.grad) == (1.5, 3.0, 6.75, 6.0)
    assert w.model_graph.data[0] == 1.5
    # The kernel's state goes back so that the page snaps back to it.
    assert w.comm.updates() == [{"inputs": before}]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "GraphWidget refused 'inputs' from the front end" in warnings[0]
    assert re.search(reason, warnings[0])


def test_selection_from_the_page_is_kept_and_bad_ids_are_refused(
    caplog: pytest.LogCaptureFixture,
) -> None:
    *_, z = xyz()
    w = show(z)
    from_page(w, {"selected": 3})
    assert w.selected == 3
    for bad in (5, -1, True, "2", 1.5):
        w.comm.sent.clear()
        with caplog.at_level(logging.WARNING):
            from_page(w, {"selected": bad})
        assert w.selected == 3
        assert w.comm.updates() == [{"selected": 3}]
        assert f"selected must be a node id from 0 to 4 or null, got {bad!r}" in caplog.text
    from_page(w, {"selected": None})
    assert w.selected is None


def test_the_page_cannot_replace_the_graph(caplog: pytest.LogCaptureFixture) -> None:
    *_, z = xyz()
    w = show(z)
    original = w.graph
    w.comm.sent.clear()
    with caplog.at_level(logging.WARNING):
        from_page(w, {"graph": {"schema": 1, "output": 0, "nodes": []}})
    assert w.graph == original
    assert w.comm.updates() == [{"graph": original}]
    assert "the graph is set by the kernel" in caplog.text


def test_one_message_can_carry_a_good_selection_and_bad_inputs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _x, y, z = xyz()
    w = show(z)
    bad = [dict(d) for d in w.inputs]
    bad[1]["value"] = math.nan
    w.comm.sent.clear()
    with caplog.at_level(logging.WARNING):
        from_page(w, {"selected": 2, "inputs": bad})
    assert w.selected == 2
    assert y.data == 3.0
    assert w.comm.updates() == [{"inputs": w.inputs}]
    assert "input 'y': expected a finite number, got nan" in caplog.text


def test_repr_and_display_data() -> None:
    *_, z = xyz()
    w = show(z)
    assert repr(w) == "<GraphWidget z = 10 (5 nodes); inputs: x=2, y=3>"
    data, _metadata = w._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    assert data["text/plain"] == repr(w)
    unlabelled = show(Value(1.0) * 2.0)
    assert repr(unlabelled) == "<GraphWidget output (*) = 2 (3 nodes); inputs: none>"


def test_the_front_end_module_is_the_built_bundle() -> None:
    *_, z = xyz()
    w = show(z)
    assert w._esm == BUNDLE.read_text()
    assert "render" in w._esm


@pytest.mark.slow
def test_the_wheel_ships_the_bundle(tmp_path: Path) -> None:
    # Without build isolation: the build backend (hatchling, hatch-jupyter-builder) comes from
    # this environment, so the test needs no package index.
    command = ["pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(REPO)]
    result = subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True)
    assert result.returncode == 0, f"building the wheel failed:\n{result.stdout}{result.stderr}"
    (wheel,) = tmp_path.glob("micrograd_magic-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "micrograd_magic/static/widget.js" in names
        assert zf.read("micrograd_magic/static/widget.js") == BUNDLE.read_bytes()
        assert zf.read("micrograd_magic/static/host.js") == HOST_BUNDLE.read_bytes()
        assert "micrograd_magic/widget.py" in names


def test_step_through_position_is_checked_both_ways(caplog: pytest.LogCaptureFixture) -> None:
    _, _, z = xyz()
    w = show(z)
    n_steps = 4  # seed z, then +, *, **2 pass their grads down
    w.step = n_steps
    assert w.step == n_steps
    with pytest.raises(traitlets.TraitError, match="step must be from 0 to 4"):
        w.step = n_steps + 1
    from_page(w, {"step": 0})
    assert w.step == 0
    with caplog.at_level(logging.WARNING):
        from_page(w, {"step": -1})
        from_page(w, {"step": "2"})
    assert w.step == 0
    assert caplog.text.count("refused 'step'") == 2
    from_page(w, {"step": None})
    assert w.step is None


def test_nodes_are_named_by_id_label_or_value_and_explained() -> None:
    x, _, z = xyz()
    w = show(z)
    assert w.node_id(x) == w.node_id("x") == w.node_id(0) == 0
    w.select("z")
    assert w.selected == w.model_graph.output
    w.select(None)
    assert w.selected is None
    e = w.explain(x)
    assert e.grad == 7.0
    assert [t.product for t in e.chain.terms] == [4.0, 3.0]
    with pytest.raises(ValueError, match="no node of this graph carries the label 'q'"):
        w.node_id("q")
    with pytest.raises(ValueError, match="not part of the graph"):
        w.node_id(Value(1.0))


def test_weights_trained_after_showing_are_kept_when_a_slider_moves() -> None:
    random.seed(4)
    model = nn.MLP(2, [3, 1])
    a, b = Value(1.0, label="a"), Value(-2.0, label="b")
    out = model([a, b])
    w = show(out)
    for p in model.parameters():  # a training step after the picture was made
        p.data += 0.25
    w.set_input("a", 0.5)
    fresh = model([Value(0.5), Value(-2.0)])
    assert out.data == pytest.approx(fresh.data, rel=1e-12)
    weight = model.parameters()[0]
    sent = w.comm.updates()[-1]
    assert sent["graph"]["nodes"][w.node_id(weight)]["data"] == weight.data  # the page follows


# -- numbers of every real type, and numbers too large for a float ------------------------------
@pytest.mark.parametrize(
    "value",
    [
        pytest.param(Fraction(3, 2), id="Fraction"),
        pytest.param(Decimal("1.5"), id="Decimal"),
        pytest.param(numpy.float32(1.5), id="numpy.float32"),
        pytest.param(numpy.float64(1.5), id="numpy.float64"),
        pytest.param(numpy.int64(1), id="numpy.int64"),
        pytest.param(numpy.int8(-2), id="numpy.int8"),
    ],
)
def test_set_input_takes_any_real_number(value: Any) -> None:
    x, _y, z = xyz()
    w = show(z)
    w.set_input("x", value)
    assert x.data == float(value)
    assert type(w.inputs[0]["value"]) is float
    assert w.comm.updates()[-1] == {"inputs": w.inputs}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(10**400, "is too large for a float", id="10**400"),
        pytest.param(-(10**400), "is too large for a float", id="-10**400"),
        pytest.param(Fraction(10**400, 3), "is too large for a float", id="Fraction"),
        pytest.param(Decimal("1e400"), "is too large for a float", id="Decimal 1e400"),
        pytest.param(Decimal("NaN"), "expected a finite number", id="Decimal NaN"),
        pytest.param(numpy.float64("inf"), "expected a finite number", id="numpy inf"),
        pytest.param(numpy.bool_(True), "expected a number", id="numpy.bool_"),
        pytest.param(1 + 2j, "expected a number", id="complex"),
    ],
)
def test_set_input_refuses_what_is_not_a_finite_float_with_a_value_error(
    value: Any, message: str
) -> None:
    x, _y, z = xyz()
    w = show(z)
    w.comm.sent.clear()
    with pytest.raises(ValueError, match=message) as info:
        w.set_input("x", value)
    assert len(str(info.value)) < 200  # a 401-digit number is not repeated in full
    assert (x.data, w.input_values) == (2.0, {"x": 2.0, "y": 3.0})
    assert w.comm.updates() == []


def test_a_huge_number_from_the_page_is_refused_and_the_rest_of_the_message_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    x, _y, z = xyz()
    w = show(z)
    before = [dict(d) for d in w.inputs]
    sent = [dict(d) for d in w.inputs]
    sent[0]["value"] = 10**400
    w.comm.sent.clear()
    with caplog.at_level(logging.WARNING):
        from_page(w, {"inputs": sent, "selected": 2, "step": 1})
    assert (w.selected, w.step) == (2, 1)
    assert w.inputs == before and x.data == 2.0
    assert w.comm.updates() == [{"inputs": before}]  # the page snaps back
    assert "input 'x': 1000000" in caplog.text and "is too large for a float" in caplog.text


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("_esm", "export default { render() { alert(1) } }"),
        ("_model_name", "SomethingElse"),
        ("_anywidget_id", "evil.Widget"),
        ("_view_module", "elsewhere"),
        ("_dom_classes", ["injected"]),
        ("tooltip", "hello"),
        ("tabbable", True),
        ("layout", "IPY_MODEL_0123456789abcdef"),
    ],
)
def test_the_page_may_not_change_the_framework_s_traits(
    key: str, value: Any, caplog: pytest.LogCaptureFixture
) -> None:
    *_, z = xyz()
    w = show(z)
    before = w.get_state(key)
    w.comm.sent.clear()
    with caplog.at_level(logging.WARNING):
        from_page(w, {key: value, "selected": 3})
    assert w.get_state(key) == before
    assert w.selected == 3  # judged on its own: the good key of the message is kept
    assert w.comm.updates() == [before]  # and the page gets the kernel's value back
    assert f"GraphWidget refused {key!r} from the front end" in caplog.text
    allowed = "inputs, selected, step, lr, text, quiz_progress, open_groups"
    assert f"only {allowed} may change from the page" in caplog.text


def test_the_page_may_echo_the_framework_s_traits_unchanged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    *_, z = xyz()
    w = show(z)
    echo = w.get_state(["_esm", "_model_name", "tooltip", "layout", "graph"])
    w.comm.sent.clear()
    with caplog.at_level(logging.WARNING):
        from_page(w, {**echo, "step": 2})
    assert w.step == 2
    assert w.comm.updates() == []
    assert caplog.text == ""


def test_a_key_that_is_no_trait_is_refused_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    *_, z = xyz()
    w = show(z)
    w.comm.sent.clear()
    with caplog.at_level(logging.WARNING):
        from_page(w, {"no_such_trait": 1, "selected": 1})
    assert w.selected == 1
    assert w.comm.updates() == []
    assert "refused 'no_such_trait' from the front end: not a trait of this widget" in caplog.text


def test_every_state_key_is_a_synced_trait_and_only_those_are_page_writable() -> None:
    *_, z = xyz()
    w = show(z)
    framework = set(anywidget.AnyWidget().keys)
    assert set(w.keys) - framework == set(KEYS)
    assert w.get_state(list(KEYS)) == w.state.to_json()
    assert PAGE_KEYS == ("inputs", "selected", "step", "lr", "text", "quiz_progress", "open_groups")


# -- many inputs: linear set-up -----------------------------------------------------------------
class CountingName(str):
    """A label that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountingName.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def comparisons_to_show(n: int, explicit: bool) -> int:
    leaves = [Value(0.5, label=CountingName(f"x{i}")) for i in range(n)]
    total = leaves[0]
    for v in leaves[1:]:
        total = total + v
    CountingName.comparisons = 0
    w = show(total, inputs=leaves if explicit else None)
    assert len(w.inputs) == n
    w.set_input(f"x{n - 1}", 1.0)
    return CountingName.comparisons


@pytest.mark.parametrize("explicit", [False, True], ids=["default inputs", "leaf Values"])
def test_setting_up_sliders_compares_names_a_number_of_times_linear_in_their_count(
    explicit: bool,
) -> None:
    small, large = comparisons_to_show(250, explicit), comparisons_to_show(1000, explicit)
    assert large <= 4 * max(small, 1) + 10, (small, large)  # quadratic would be 16x


def many_leaves(n: int) -> tuple[list[Value], Value]:
    leaves = [Value(0.5, label=f"x{i}") for i in range(n)]
    total = leaves[0]
    for v in leaves[1:]:
        total = total + v
    return leaves, total


@pytest.mark.parametrize("explicit", [False, True], ids=["default inputs", "leaf Values"])
def test_beyond_max_sliders_the_first_get_sliders_and_a_note_says_so(
    explicit: bool, caplog: pytest.LogCaptureFixture
) -> None:
    n = MAX_SLIDERS + 7
    leaves, total = many_leaves(n)
    with caplog.at_level(logging.WARNING):
        w = show(total, inputs=leaves if explicit else None)
    assert [d["name"] for d in w.inputs] == [f"x{i}" for i in range(MAX_SLIDERS)]
    note = f"sliders are drawn for the first 1,000 of {n:,} inputs; the other 7 are drawn as leaves"
    assert w.state.note is not None and w.state.note.startswith(note)
    assert note in caplog.text
    assert len(w.graph["nodes"]) == 2 * n - 1  # every leaf is still drawn
    with pytest.raises(ValueError, match=r"no input named 'x1003'.*sliders are drawn for"):
        w.set_input("x1003", 0.25)
    w.set_input("x999", 0.25)
    assert leaves[999].data == 0.25
    assert len(repr(w)) < 400


def test_inputs_beyond_max_sliders_are_still_checked() -> None:
    leaves, total = many_leaves(MAX_SLIDERS + 2)
    with pytest.raises(ValueError, match="'stranger' is not a labelled leaf"):
        show(total, inputs=[*leaves, InputSpec("stranger", 0.0, -1.0, 1.0, 0.5)])
    with pytest.raises(ValueError, match="'x3' is given twice"):
        show(total, inputs=[*leaves, leaves[3]])


def test_few_inputs_get_no_note() -> None:
    *_, z = xyz()
    assert show(z).state.note is None


# -- text size (issue 16: larger text one option away) ------------------------------------------
def test_large_text_is_one_option_away_and_checked_both_ways(caplog) -> None:
    *_, z = xyz()
    assert show(z).text == "normal"
    w = show(z, text="large")
    assert w.text == "large" == w.state.get("text")
    with pytest.raises(ValueError, match="text must be 'normal' or 'large'"):
        show(z, text="huge")
    with pytest.raises(traitlets.TraitError, match="text must be 'normal' or 'large'"):
        w.text = "big"
    w.set_state({"text": "normal"})  # the page's "Large text" button, pressed again
    assert w.text == "normal" == w.state.get("text")
    w.set_state({"text": 3})
    assert w.text == "normal"
    assert "text must be 'normal' or 'large', got 3" in caplog.text
