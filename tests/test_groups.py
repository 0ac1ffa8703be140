"""Groups: nn modules and ``group()`` blocks record which call built each node (issue 12)."""

from __future__ import annotations

import copy
import json
import pickle
import random

import pytest

import micrograd_magic
from micrograd_magic import Value, nn
from micrograd_magic.graph import Graph
from micrograd_magic.groups import kernel_path, short_path
from micrograd_magic.state import WidgetState


def _mlp_graph(sizes: list[int]) -> tuple[nn.MLP, Graph]:
    random.seed(3)
    model = nn.MLP(2, sizes)
    return model, Graph.from_value(model([Value(1.0, label="x1"), Value(-2.0, label="x2")]))


def test_mlp_groups_follow_attribute_names() -> None:
    _, g = _mlp_graph([4, 4, 1])
    paths = g.group_paths()
    assert paths[0] == ""
    assert "layers.0" in paths and "layers.2" in paths
    assert "layers.0.neurons.3" in paths and "layers.1.neurons.3" in paths
    assert len(paths) == 1 + 3 + 9
    kinds = {grp.path: grp.kind for grp in g.groups}
    assert kinds[""] == "MLP" and kinds["layers.1"] == "Layer"
    assert kinds["layers.1.neurons.0"] == "Neuron"
    parent = {grp.path: g.groups[grp.parent].path for grp in g.groups if grp.parent is not None}
    assert parent["layers.0.neurons.3"] == "layers.0" and parent["layers.0"] == ""


def test_parameters_and_outputs_carry_their_paths() -> None:
    model, g = _mlp_graph([4, 4, 1])
    by_value = {id(v): n for v, n in zip(g.values or (), g.nodes, strict=True)}
    w = model.layers[0].neurons[3].w[1]
    node = by_value[id(w)]
    assert node.path == "layers.0.neurons.3.w.1"
    assert g.groups[node.group].path == "layers.0.neurons.3"
    assert node.label is None  # a parameter is no slider: its label stays unset
    assert by_value[id(model.layers[2].neurons[0].b)].path == "layers.2.neurons.0.b"
    out = by_value[id(g.values[g.output])]
    assert out.path == "layers.2.neurons.0"
    hidden = g.groups[g.group_paths().index("layers.1.neurons.2")]
    assert len(hidden.outputs) == 1
    assert g.nodes[hidden.outputs[0]].op == "relu"
    assert g.nodes[hidden.outputs[0]].path == "layers.1.neurons.2"
    layer = g.groups[g.group_paths().index("layers.0")]
    assert len(layer.outputs) == 4


def test_short_and_kernel_forms() -> None:
    assert short_path("layers.0.neurons.3.w.1", parameter=True) == "L1.N4.w2"
    assert short_path("layers.0.neurons.3") == "L1.N4"
    assert short_path("#2.layers.1.neurons.0.b", parameter=True) == "#2.L2.N1.b"
    assert kernel_path("layers.0.neurons.3.w.1") == "layers[0].neurons[3].w[1]"
    model = nn.MLP(2, [3, 1])
    names = dict(model.named_parameters())
    assert names["layers[0].neurons[2].w[1]"] is model.layers[0].neurons[2].w[1]
    assert names["layers[1].neurons[0].b"] is model.layers[1].neurons[0].b
    assert list(names.values()) == model.parameters()


def test_node_json_carries_path_group_and_short_form() -> None:
    _, g = _mlp_graph([2, 1])
    obj = json.loads(json.dumps(g.to_json()))
    assert obj["schema"] == 2
    params = [n for n in obj["nodes"] if n.get("path", "").endswith(".w.1")]
    assert {n["short"] for n in params} == {"L1.N1.w2", "L1.N2.w2", "L2.N1.w2"}
    assert Graph.from_json(obj).to_json() == obj


def test_several_calls_of_one_model_get_call_prefixes() -> None:
    random.seed(1)
    model = nn.MLP(2, [2, 1])
    loss = sum((model([Value(float(i)), Value(1.0)]) - 1.0) ** 2 for i in range(3))
    g = Graph.from_value(loss)
    paths = g.group_paths()
    assert {"#1", "#2", "#3"} <= set(paths)
    assert "#3.layers.0.neurons.1" in paths
    assert "" not in paths and "layers.0" not in paths
    # parameters are shared: they sit in the first call that used them
    by_value = {id(v): n for v, n in zip(g.values or (), g.nodes, strict=True)}
    assert by_value[id(model.layers[0].neurons[1].b)].path == "#1.layers.0.neurons.1.b"


class Square(nn.Module):
    """A user's module without super().__init__(), with a module attribute and a list."""

    def __init__(self) -> None:
        self.scale = Value(2.0)
        self.inner = nn.Neuron(1, nonlin=False)
        self.extra = [nn.Neuron(1), nn.Neuron(1)]

    def forward(self, x):  # type: ignore[no-untyped-def]
        h = self.inner(x)
        return self.extra[1](h * self.scale) ** 2

    def parameters(self) -> list[Value]:
        return [self.scale, *self.inner.parameters(), *self.extra[1].parameters()]


def test_a_users_module_gets_its_names() -> None:
    random.seed(2)
    model = Square()
    g = Graph.from_value(model([Value(0.5, label="x")]))
    paths = g.group_paths()
    assert paths == ["", "inner", "extra.1"]
    by_value = {id(v): n for v, n in zip(g.values or (), g.nodes, strict=True)}
    assert by_value[id(model.scale)].path == "scale"
    assert by_value[id(model.inner.w[0])].path == "inner.w.0"
    assert by_value[id(model.extra[1].b)].path == "extra.1.b"
    assert g.nodes[g.output].path == "" and g.nodes[g.output].op == "**"
    assert list(g.labelled_leaves()) == ["x"]


def test_group_block_for_hand_built_expressions() -> None:
    x = Value(3.0, label="x")
    with micrograd_magic.group("loss"):
        d = x - 1.0
        d.label = "d"
        sq = d * d
    out = sq + 0.5
    g = Graph.from_value(out)
    assert g.group_paths() == ["loss"]
    by_value = {id(v): n for v, n in zip(g.values or (), g.nodes, strict=True)}
    assert by_value[id(d)].group == 0 and by_value[id(d)].label == "d"
    assert d.label == "d"
    assert by_value[id(x)].group is None and by_value[id(out)].group is None
    assert by_value[id(sq)].path == "loss"
    assert g.groups[0].outputs == (by_value[id(sq)].id,)
    d.label = None  # clearing the name keeps the group
    assert Graph.from_value(out).nodes[by_value[id(d)].id].group == 0


def test_module_called_inside_a_group_is_named_by_its_class() -> None:
    random.seed(4)
    model = nn.MLP(1, [1])
    with micrograd_magic.group("loss"):
        total = model([Value(1.0)]) + model([Value(2.0)])
    paths = Graph.from_value(total).group_paths()
    assert paths[:2] == ["loss", "loss.MLP#1"]
    assert "loss.MLP#2.layers.0.neurons.0" in paths


@pytest.mark.parametrize("name", ["", "a.b", "#1", 3])
def test_bad_group_names_are_refused(name: object) -> None:
    with pytest.raises(ValueError, match="group name"):
        micrograd_magic.group(name)  # type: ignore[arg-type]


def test_graph_without_groups_keeps_schema_1_byte_for_byte() -> None:
    x = Value(2.0, label="x")
    y = Value(-1.0, label="y")
    z = (x * y + x**2).tanh()
    z.label = "z"
    z.backward()
    text = json.dumps(Graph.from_value(z).to_json())
    assert text.startswith('{"schema": 1, "output": 5, "nodes": [{"id": 0, "label": "x", "op": ""')
    assert '"group"' not in text and '"path"' not in text and '"groups"' not in text
    assert Graph.from_value(z).groups == ()


def test_group_scope_ends_even_when_forward_raises() -> None:
    model = nn.Neuron(2)
    with pytest.raises(ValueError):
        model([Value(1.0)])
    assert Graph.from_value(Value(1.0) * 2).groups == ()


def test_copies_keep_groups_and_pickles_keep_labels() -> None:
    _, g = _mlp_graph([2, 1])
    root = g.values[g.output]
    assert len(Graph.from_value(copy.deepcopy(root)).groups) == len(g.groups)
    with micrograd_magic.group("loss"):
        named = Value(1.0) * 2
        named.label = "n"
    back = pickle.loads(pickle.dumps(named))
    assert back.label == "n" and Graph.from_value(back).groups == ()


def test_schema_1_json_still_reads() -> None:
    obj = {
        "schema": 1,
        "output": 1,
        "nodes": [
            {"id": 0, "label": "x", "op": "", "args": [], "data": 1.0, "grad": 0.0},
            {"id": 1, "label": None, "op": "relu", "args": [0], "data": 1.0, "grad": 1.0},
        ],
    }
    g = Graph.from_json(obj)
    assert g.groups == () and g.to_json() == obj


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda o: o["groups"][1].update(parent=5), "parent"),
        (lambda o: o["groups"][1].update(path=""), "unique"),
        (lambda o: o["nodes"][0].update(group=99), "not a group id"),
        (lambda o: o["groups"][0].update(outputs=[10_000]), "node ids"),
    ],
)
def test_malformed_group_json_is_refused(change, message: str) -> None:  # type: ignore[no-untyped-def]
    _, g = _mlp_graph([2, 1])
    obj = json.loads(json.dumps(g.to_json()))
    change(obj)
    with pytest.raises(ValueError, match=message):
        Graph.from_json(obj)


# -- the widget state: which groups are drawn open ------------------------------------------------
def _mlp_state() -> WidgetState:
    random.seed(3)
    model = nn.MLP(2, [3, 1])
    return WidgetState(model([Value(1.0, label="x1"), Value(-2.0, label="x2")]))


def test_a_network_opens_as_neurons_in_layers() -> None:
    state = _mlp_state()
    assert state.get("open_groups") == ["", "layers.0", "layers.1"]
    assert state.to_json()["open_groups"] == ["", "layers.0", "layers.1"]
    assert state.get("graph")["schema"] == 2
    assert [s["name"] for s in state.get("inputs")] == ["x1", "x2"]  # no slider per weight


def test_open_and_close_a_group() -> None:
    state = _mlp_state()
    assert state.open_group("layers.0.neurons.2") == {
        "open_groups": ["", "layers.0", "layers.1", "layers.0.neurons.2"]
    }
    assert state.open_group("layers.0.neurons.2") == {}  # already open
    assert state.close_group("layers.0") == {"open_groups": ["", "layers.1", "layers.0.neurons.2"]}
    assert state.close_group("layers.0") == {}


@pytest.mark.parametrize("path", ["layers.9", "layers[0]", 3, None])
def test_unknown_groups_are_refused_and_nothing_changes(path: object) -> None:
    state = _mlp_state()
    before = list(state.get("open_groups"))
    for change in (state.open_group, state.close_group):
        with pytest.raises(ValueError, match=r"no group .*; this graph's groups are '', 'layers"):
            change(path)  # type: ignore[arg-type]
    assert state.get("open_groups") == before


def test_a_graph_without_groups_has_none_to_open() -> None:
    state = WidgetState(Value(2.0, label="x") * 3)
    with pytest.raises(ValueError, match="no group 'loss': this graph has no groups"):
        state.open_group("loss")


def test_pages_may_write_open_groups_but_only_known_paths_once_each() -> None:
    state = _mlp_state()
    verdict = state.apply({"open_groups": ["layers.1.neurons.0"], "selected": 3})
    assert verdict.refused == {} and state.get("open_groups") == ["layers.1.neurons.0"]
    for bad, why in [
        ("layers.0", "must be a list"),
        (["nope"], "no group 'nope'"),
        (["", ""], "names a group twice"),
        ([1], "no group 1"),
    ]:
        verdict = state.judge({"open_groups": bad})
        assert why in verdict.refused["open_groups"]
        assert verdict.snap_back == ["open_groups"]
    assert state.get("open_groups") == ["layers.1.neurons.0"]


def test_the_widget_syncs_open_groups() -> None:
    import traitlets

    random.seed(3)
    model = nn.MLP(2, [3, 1])
    w = micrograd_magic.show(model([Value(1.0, label="x1"), Value(-2.0, label="x2")]))
    assert w.open_groups == ["", "layers.0", "layers.1"]
    assert w.get_state(["open_groups"]) == {"open_groups": ["", "layers.0", "layers.1"]}
    w.open_group("layers.0.neurons.1")
    assert w.open_groups[-1] == "layers.0.neurons.1"
    assert w.state.get("open_groups") == w.open_groups
    w.close_group("")
    assert w.open_groups == ["layers.0", "layers.1", "layers.0.neurons.1"]
    with pytest.raises(ValueError, match=r"no group 'layers\.7'"):
        w.open_group("layers.7")
    with pytest.raises(traitlets.TraitError, match="no group 'x'"):
        w.open_groups = ["x"]
    assert w.open_groups == ["layers.0", "layers.1", "layers.0.neurons.1"]
    assert w.state.get("open_groups") == w.open_groups


def test_a_name_given_inside_a_group_keeps_both() -> None:
    class Name(str):
        pass

    with micrograd_magic.group("g"):
        v = Value(1.0) * 2
        v.label = Name("a")
        leaf = Value(3.0, label="c")  # a leaf built in the block is in the group too
    assert v.label == "a" and type(v.label) is Name and leaf.label == "c"
    g = Graph.from_value(v + leaf)
    assert [n.group for n in g.nodes if n.label in ("a", "c")] == [0, 0]
