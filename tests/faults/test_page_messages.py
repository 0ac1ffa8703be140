"""Hypothesis-generated page messages never leave Python and the page disagreeing.

Each example makes a widget and sends it a sequence of ``update`` messages as a front end does,
through the real comm path (as tests/test_widget.py does): good, bad, huge, oddly typed and
half-right values for the state's keys, the framework's own traits and keys that are no trait
at all; between messages the kernel may move a weight, as a training step does. After every
message the page's model is rebuilt as a front end holds it (what it sent, then every update
the kernel sent back) and must equal the kernel's state, which must equal the kernel-free
WidgetState's and the numbers in the Values themselves. No exception may escape.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import comm
import pytest
from comm.base_comm import BaseComm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_magic import Value
from micrograd_magic.bundle import BUNDLE
from micrograd_magic.state import KEYS
from micrograd_magic.widget import GraphWidget, show

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="the JS bundle is not built")

FRAMEWORK_KEYS = ["_esm", "_model_name", "_anywidget_id", "tooltip", "layout", "tabbable"]


class RecordingComm(BaseComm):
    """A kernel-side comm whose messages to the page are kept in a list instead of sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        super().__init__(*args, **kwargs)

    def publish_msg(self, msg_type: str, data: Any = None, *args: Any, **kwargs: Any) -> None:
        self.sent.append((msg_type, data or {}))


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([10**400, -(10**400), 2**1024]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
slider_value = st.one_of(st.floats(min_value=-12, max_value=12), json_leaf)
input_key = st.sampled_from(["name", "id", "value", "min", "max", "step", "extra"])

# What to do to the current inputs list, decided here and applied to the live list later.
inputs_recipe = st.one_of(
    st.tuples(st.just("value"), st.integers(0, 1), slider_value),
    st.tuples(st.just("both"), slider_value, slider_value),
    st.tuples(st.just("key"), st.integers(0, 1), input_key, json_leaf),
    st.tuples(st.just("drop"), st.integers(0, 1), input_key),
    st.tuples(st.just("length"), st.integers(0, 3)),
    st.tuples(st.just("raw"), json_value),
    st.tuples(st.just("echo")),
)
position = st.one_of(st.integers(-2, 12), json_leaf)
framework_recipe = st.one_of(st.tuples(st.just("echo")), st.tuples(st.just("raw"), json_value))

message_recipe = st.fixed_dictionaries(
    {},
    optional={
        "inputs": inputs_recipe,
        "selected": position,
        "step": position,
        "graph": st.one_of(st.tuples(st.just("echo")), st.tuples(st.just("raw"), json_value)),
        **dict.fromkeys(FRAMEWORK_KEYS, framework_recipe),
        "not_a_trait": json_value,
    },
)
event = st.one_of(
    st.tuples(st.just("page"), message_recipe),
    st.tuples(st.just("train"), st.floats(min_value=-1, max_value=1)),
)


def inputs_from(recipe: tuple[Any, ...], current: list[dict[str, Any]]) -> Any:
    inputs = copy.deepcopy(current)
    what = recipe[0]
    if what == "value":
        inputs[recipe[1]]["value"] = recipe[2]
    elif what == "both":
        inputs[0]["value"], inputs[1]["value"] = recipe[1], recipe[2]
    elif what == "key":
        inputs[recipe[1]][recipe[2]] = recipe[3]
    elif what == "drop":
        inputs[recipe[1]].pop(recipe[2], None)
    elif what == "length":
        inputs = (inputs * 2)[: recipe[1]]
    elif what == "raw":
        return recipe[1]
    return inputs


def message_from(recipe: dict[str, Any], w: GraphWidget) -> dict[str, Any]:
    message = {}
    for key, part in recipe.items():
        if key == "inputs":
            message[key] = inputs_from(part, w.get_state("inputs")["inputs"])
        elif key in ("selected", "step", "not_a_trait"):
            message[key] = part
        else:  # the graph or a framework trait: an unchanged echo, or anything at all
            message[key] = copy.deepcopy(w.get_state(key)[key]) if part[0] == "echo" else part[1]
    return message


def same(a: Any, b: Any) -> bool:
    """Equal as a page and the kernel compare JSON values (nan never reaches either side)."""
    return a == b


def page_after(before: dict[str, Any], message: dict[str, Any], sent: list) -> dict[str, Any]:
    """The page's model after it sent ``message``: its own values, then the kernel's updates."""
    page = {**before, **{k: v for k, v in message.items() if k in before}}
    for msg_type, data in sent:
        if msg_type == "comm_msg" and data.get("method") == "update":
            page.update(data["state"])
    return page


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(events=st.lists(event, min_size=1, max_size=6))
def test_page_messages_never_leave_python_and_the_page_disagreeing(
    events: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    x, y, w_leaf = Value(2.0, label="x"), Value(3.0, label="y"), Value(0.5)
    z = x * y + w_leaf * x**2
    z.label = "z"
    w = show(z)
    watched = [*KEYS, *FRAMEWORK_KEYS]
    for kind, what in events:
        if kind == "train":
            w_leaf.data += what  # a training step in the kernel, between two page messages
            continue
        before = w.get_state(watched)
        message = message_from(what, w)
        w.comm.sent.clear()
        w.comm.handle_msg(
            {
                "content": {
                    "comm_id": w.comm.comm_id,
                    "data": {"method": "update", "state": message, "buffer_paths": []},
                },
                "buffers": [],
            }
        )
        kernel = w.get_state(watched)
        page = page_after(before, message, w.comm.sent)
        for key in watched:
            assert same(page[key], kernel[key]), (key, message.get(key), page[key], kernel[key])
        # The traits mirror the kernel-free state, and the Values hold what the page shows.
        assert w.get_state(list(KEYS)) == w.state.to_json()
        values = {d["name"]: d["value"] for d in kernel["inputs"]}
        assert (x.data, y.data) == (values["x"], values["y"])
        assert all(math.isfinite(v) for v in values.values())
        assert w.model_graph.data[w.node_id(z)] == z.data
