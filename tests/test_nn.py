"""The nn module: the seed's behaviour, shapes, parameter counts, and a deep net against torch."""

import copy
import gc
import random

import pytest
from gc_passes import passes_while
from torch_reference import needs_torch, torch

from micrograd_magic import Value
from micrograd_magic.nn import MLP, Layer, Module, Neuron


def test_parameter_counts_and_shapes():
    model = MLP(3, [4, 4, 1])
    assert len(model.parameters()) == (3 * 4 + 4) + (4 * 4 + 4) + (4 + 1)
    assert [len(layer.neurons) for layer in model.layers] == [4, 4, 1]
    assert all(n.nonlin for n in model.layers[0].neurons)
    assert not model.layers[-1].neurons[0].nonlin
    out = model([1.0, 2.0, -1.0])
    assert isinstance(out, Value)
    assert isinstance(MLP(2, [3])([1.0, 2.0]), list)
    assert len(Layer(2, 5)([1.0, 1.0])) == 5
    assert Neuron(4).parameters()[-1].data == 0.0  # the bias starts at 0


def test_weights_are_uniform_in_minus_one_one_and_seedable():
    random.seed(7)
    a = [p.data for p in MLP(3, [16, 1]).parameters()]
    random.seed(7)
    b = [p.data for p in MLP(3, [16, 1]).parameters()]
    assert a == b
    assert all(-1.0 <= w <= 1.0 for w in a)
    assert max(a) > 0.5 and min(a) < -0.5  # spread over the range, not clustered at 0


def test_repr_names_the_architecture():
    assert repr(Neuron(2)) == "ReLUNeuron(2)"
    assert repr(Neuron(2, nonlin=False)) == "LinearNeuron(2)"
    assert repr(MLP(2, [1])) == "MLP of [Layer of [LinearNeuron(2)]]"


def test_zero_grad_resets_every_parameter():
    model = MLP(2, [3, 1])
    model([1.0, -1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert Module().parameters() == []


def test_one_neuron_layers_chain():
    out = MLP(2, [1, 1])([1.0, 2.0])  # a single Value flows into the next layer
    assert isinstance(out, Value)


def test_forward_restores_the_collector():
    MLP(2, [4, 1])([1.0, 2.0])
    assert gc.isenabled()


def test_forward_runs_paused_and_starts_no_collector_pass():
    model = MLP(3, [32, 32, 1])
    # Made beforehand: a new input list between two calls would be the allocation that starts the
    # pass the previous call's nodes called for (see gc_passes).
    inputs = [[0.1 * i, 0.2, -0.3] for i in range(20)]
    passes, outs = passes_while(lambda: [model(x) for x in inputs])
    assert passes == []  # ~45,000 nodes
    assert gc.isenabled()
    assert len({o.data for o in outs}) > 1


class Doubler(Module):
    def forward(self, x):
        assert not gc.isenabled(), "forward runs with the collector paused"
        return x * 2.0


class Interrupted(Module):
    def forward(self, x):
        raise KeyboardInterrupt


def test_calling_a_module_runs_its_forward():
    assert Doubler()(Value(3.0)).data == 6.0
    assert gc.isenabled()
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        Module()(Value(1.0))
    with pytest.raises(KeyboardInterrupt):
        Interrupted()(Value(1.0))
    assert gc.isenabled()
    gc.disable()
    try:
        assert Doubler()(Value(1.0)).data == 2.0
        assert not gc.isenabled()  # the user's choice stands
    finally:
        gc.enable()


def test_models_deepcopy():
    random.seed(3)
    model = MLP(2, [4, 1])
    twin = copy.deepcopy(model)
    assert twin([1.0, -2.0]).data == model([1.0, -2.0]).data
    twin.parameters()[0].data += 1.0
    assert twin([1.0, -2.0]).data != model([1.0, -2.0]).data


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Neuron(0), "nin must be a positive whole number"),
        (lambda: Layer(2, 0), "nout must be a positive whole number"),
        (lambda: MLP(2, 3), "nouts must be a non-empty list"),
        (lambda: MLP(2, []), "nouts must be a non-empty list"),
        (lambda: MLP(2, [3])([1.0]), r"LinearNeuron\(2\) takes 2 inputs, got 1"),
        (lambda: Layer(2, 3)([1.0]), r"ReLUNeuron\(2\) takes 2 inputs, got 1"),
    ],
)
def test_bad_sizes_are_clear_errors(build, message):
    with pytest.raises((ValueError, TypeError), match=message):
        build()


def _torch_forward(model, xs):
    """The same network in torch float64, with the same weights."""
    params = [
        torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in model.parameters()
    ]
    it = iter(params)
    x = [torch.tensor(v, dtype=torch.float64) for v in xs]
    for layer in model.layers:
        out = []
        for neuron in layer.neurons:
            w = [next(it) for _ in neuron.w]
            b = next(it)
            act = b
            for wi, xi in zip(w, x, strict=True):
                act = act + wi * xi
            out.append(torch.relu(act) if neuron.nonlin else act)
        x = out
    return x[0], params


@needs_torch
def test_hundred_layer_deep_net_matches_torch():
    random.seed(3)
    model = MLP(3, [3] * 100 + [1])
    # weights with a gain near 1 per layer, so that a hundred ReLU layers neither die nor explode
    for layer in model.layers:
        for neuron in layer.neurons:
            for w in neuron.w:
                w.data = random.uniform(0.25, 0.4)
            neuron.b.data = 0.05
    xs = [0.5, -0.2, 0.3]
    out = model(xs)
    out.backward()
    tout, tparams = _torch_forward(model, xs)
    tout.backward()
    assert out.data != 0.0
    assert out.data == pytest.approx(tout.item(), rel=1e-9)
    for p, t in zip(model.parameters(), tparams, strict=True):
        assert p.grad == pytest.approx(t.grad.item(), rel=1e-9, abs=1e-12)
