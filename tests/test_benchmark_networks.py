"""The graphs of the widget benchmark's network table (benchmarks/network_graphs.py): the
network states and their flat twins, which the table compares in one run."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from network_graphs import (
    GROUP_FIELDS,
    NEURON,
    ROWS,
    flat_graph,
    flat_state,
    mlp_output,
    network_state,
)

from micrograd_magic.graph import SCHEMA, SCHEMA_GROUPS, Graph


@pytest.fixture(scope="module")
def out():
    return mlp_output((4, 4, 1))


def test_the_table_has_the_issues_four_rows():
    assert [r.name for r in ROWS] == [
        "MLP(2,[16,16,1]), closed",
        "MLP(2,[16,16,1]), all open",
        "MLP(2,[64,64,1]), closed",
        "MLP(2,[64,64,1]), all open",
    ]
    # open one neuron is timed on the closed rows only
    assert [r.open_ms is not None for r in ROWS] == [True, False, True, False]


def test_closed_network_opens_model_and_layers_but_no_neuron(out):
    state = network_state(out, all_open=False)
    assert state["graph"]["schema"] == SCHEMA_GROUPS
    paths = [g["path"] for g in state["graph"]["groups"]]
    assert state["open_groups"] == ["", "layers.0", "layers.1", "layers.2"]
    assert NEURON in paths and NEURON not in state["open_groups"]
    assert [i["name"] for i in state["inputs"]] == ["x1", "x2"]


def test_all_open_lists_every_path(out):
    state = network_state(out, all_open=True)
    paths = [g["path"] for g in state["graph"]["groups"]]
    assert state["open_groups"] == paths
    # model, 3 layers, 4 + 4 + 1 neurons
    assert len(paths) == 1 + 3 + 9


def test_flat_twin_has_no_groups_and_the_same_nodes_and_numbers(out):
    network = network_state(out, all_open=False)
    flat = flat_state(network)
    graph = flat["graph"]
    assert graph["schema"] == SCHEMA and "groups" not in graph
    assert not any(field in n for n in graph["nodes"] for field in GROUP_FIELDS)
    assert len(graph["nodes"]) == len(network["graph"]["nodes"])
    for mine, theirs in zip(graph["nodes"], network["graph"]["nodes"], strict=True):
        assert mine == {k: theirs[k] for k in mine}
        assert set(theirs) - set(mine) <= set(GROUP_FIELDS)
    assert graph["output"] == network["graph"]["output"]
    assert flat["open_groups"] == [] and flat["inputs"] == network["inputs"]
    # it reads as a graph without groups, with the same numbers as the network's
    flat_read, network_read = Graph.from_json(graph), Graph.from_json(network["graph"])
    assert flat_read.groups == () and len(network_read.groups) == 13
    assert flat_read.data == network_read.data and flat_read.grad == network_read.grad
    # the network's state is left as it was
    assert network["graph"]["schema"] == SCHEMA_GROUPS
    assert any("path" in n for n in network["graph"]["nodes"])


def test_flat_graph_of_a_graph_without_groups_is_itself():
    from micrograd_magic import Value

    plain = Graph.from_value(Value(2.0, label="x") * 3).to_json()
    assert flat_graph(plain) == plain
