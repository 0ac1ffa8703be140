"""explain.py: backprop in words, checked against the engine; and the panel's DOM in Chromium."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import math
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from chromium import CHROMIUM, FLAGS
from hypothesis import example, given, settings
from hypothesis import strategies as st

from micrograd_magic import Value
from micrograd_magic.explain import (
    explain,
    format_number,
    grads_after_step,
    node_name,
    path_to_output,
    step_description,
    step_sequence,
)
from micrograd_magic.graph import Graph
from micrograd_magic.ops import OPS

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "generate_explain", VECTORS / "generate_explain.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _load_generator()
# graphs whose Values hold ordinary numbers (the domain ones were moved to nan/inf by update())
DOMAIN_GRAPHS = {"zero_over_zero", "exp_overflow", "negative_log"}
ENGINE_GRAPHS = [name for name in generator.GRAPHS if name not in DOMAIN_GRAPHS]


def close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)


def built(name: str) -> Graph:
    """A vectors graph with data and grads from Graph.update(), as the widget shows it."""
    g = generator.GRAPHS[name]()
    g.update()
    return g


def bits(xs) -> list[str]:
    """Floats compared to the last bit (and nan equal to nan)."""
    return [repr(x) for x in xs]


def engine_grads(g: Graph) -> list[float]:
    """The grads Value.backward() computes for the graph's output (extras stay 0)."""
    for v in g.values:
        v.grad = 0.0
    g.values[g.output].backward()
    return [v.grad for v in g.values]


# -- (a) the vectors file is current -------------------------------------------------------------
def test_checked_in_vectors_are_what_the_generator_writes_now():
    assert (VECTORS / "explain.json").read_text(encoding="utf-8") == generator.render(), (
        "tests/vectors/explain.json is stale: run tests/vectors/generate_explain.py"
    )


def test_vectors_cover_what_js_must_reproduce():
    vectors = json.loads((VECTORS / "explain.json").read_text(encoding="utf-8"))
    ops = {n["op"] for v in vectors["graphs"] for n in v["graph"]["nodes"]}
    assert ops == {op.name for op in OPS}
    kinds = {e["chain"]["kind"] for v in vectors["graphs"] for e in v["explanations"]}
    assert kinds == {"output", "sum", "unused"}
    assert len(vectors["format"]) == 300


# -- (b) chain-rule sums agree with the engine ---------------------------------------------------
@pytest.mark.parametrize("name", ENGINE_GRAPHS)
def test_chain_rule_sums_equal_the_grads_of_value_backward(name):
    g = generator.GRAPHS[name]()
    grads = engine_grads(g)
    for i in range(len(g.nodes)):
        e = explain(g, i, grad=grads)
        assert close(e.chain.sum, grads[i]), (name, i, e.chain.text)
        for t in e.chain.terms:
            parent = g.nodes[t.parent]
            if parent.op == "/" and t.arg == 0:  # g/b, as Value.backward divides
                assert t.product == t.parent_grad / g.data[parent.args[1]], e.chain.text
            else:
                assert close(t.product, t.parent_grad * t.local), e.chain.text


@pytest.mark.parametrize("name", list(generator.GRAPHS))
def test_chain_rule_sums_equal_graph_evaluate_to_the_last_bit(name):
    g = generator.GRAPHS[name]()
    _, grad = g.evaluate()
    sums = [explain(g, i, grad=grad).chain.sum for i in range(len(g.nodes))]
    assert bits(sums) == bits(grad)


def test_the_brief_example_reads_as_in_the_readme():
    g = built("product_and_square")
    assert explain(g, 0).chain.text == "∂z/∂x = ∂z/∂(x**2)·2·x + ∂z/∂(x*y)·y = 1·4 + 1·3 = 7"
    assert [d.text for d in explain(g, 2).local_derivatives] == [
        "∂(x*y)/∂x = y = 3",
        "∂(x*y)/∂y = x = 2",
    ]
    assert explain(g, 4).definition == "z = x*y + x**2"


def test_local_derivative_formulas_of_every_op():
    a, b = Value(1.5, label="a"), Value(-0.5, label="b")
    cases = {
        a * b: ["b", "a"],
        a / b: ["1/b", "−a/b²"],
        a - b: ["1", "−1"],
        a + b: ["1", "1"],
        a**2: ["2·a"],
        a**3: ["3·a²"],
        a**-1: ["−a⁻²"],
        a**0.5: ["0.5·a^(−0.5)"],
        a**0: ["0"],
        -a: ["−1"],
        a.tanh(): ["1 − tanh(a)²"],
        a.exp(): ["exp(a)"],
        a.log(): ["1/a"],
        a.sigmoid(): ["σ(a)·(1 − σ(a))"],
        a.relu(): ["1 if a > 0 else 0"],
        a.sin(): ["cos(a)"],
        a.cos(): ["−sin(a)"],
        abs(a): ["sign(a)"],
    }
    for v, formulas in cases.items():
        g = Graph.from_value(v)
        derivatives = explain(g, g.output).local_derivatives
        assert [d.formula for d in derivatives] == formulas
        assert [d.value for d in derivatives] == list(g.local_derivatives(g.output))


def test_substituted_numbers_get_parentheses_where_needed():
    a, b = Value(-2.0, label="a"), Value(3.0, label="b")
    g = Graph.from_value(a / b)
    assert [d.text for d in explain(g, 2).local_derivatives] == [
        "∂L/∂a = 1/b = 1/3 = 0.3333",
        "∂L/∂b = −a/b² = −(−2)/3² = 0.2222",
    ]


# -- (c) step-through ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(generator.GRAPHS))
def test_after_the_last_step_the_grads_are_the_full_backward_pass(name):
    g = generator.GRAPHS[name]()
    _, grad = g.evaluate()
    last = len(step_sequence(g))
    assert bits(grads_after_step(g, last)) == bits(grad)
    if name in ENGINE_GRAPHS:
        assert all(map(close, grads_after_step(g, last), engine_grads(g)))


def test_steps_seed_then_walk_back_skipping_leaves():
    g = built("product_and_square")  # x, y, x*y, x**2, z
    assert [(s.kind, s.node) for s in step_sequence(g)] == [
        ("seed", 4),
        ("propagate", 4),
        ("propagate", 3),
        ("propagate", 2),
    ]
    assert grads_after_step(g, 0) == [0.0] * 5
    assert grads_after_step(g, 1) == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert grads_after_step(g, 3) == [4.0, 0.0, 1.0, 1.0, 1.0]
    step = step_description(g, 3)
    assert (step.kind, step.node, step.total) == ("propagate", 3, 4)
    assert [(c.source, c.target, c.amount) for c in step.contributions] == [(3, 0, 4.0)]
    assert step.contributions[0].text == "∂z/∂x += ∂z/∂(x**2)·2·x = 1·4 = 4"
    assert step_description(g, 0).kind == "start"
    assert step_description(g, 1).text == "The output gets grad 1: ∂z/∂z = 1 by definition."


def test_each_step_adds_exactly_its_contributions():
    g = built("neuron")
    for k in range(1, len(step_sequence(g)) + 1):
        before, after = grads_after_step(g, k - 1), grads_after_step(g, k)
        expected = list(before)
        for c in step_description(g, k).contributions:
            expected[c.target] = 1.0 if c.source is None else expected[c.target] + c.amount
        assert after == expected


def test_step_positions_outside_the_sequence_are_errors():
    g = built("product_and_square")
    with pytest.raises(ValueError, match=r"step 5 is outside 0\.\.4"):
        grads_after_step(g, 5)
    with pytest.raises(ValueError, match="outside"):
        step_description(g, -1)
    with pytest.raises(TypeError, match="step must be an int"):
        grads_after_step(g, 1.0)


# -- (d) edge cases ------------------------------------------------------------------------------
def test_output_leaf_and_unused_nodes():
    g = built("unused_nodes")  # z = x*y; extras x + 3 and v = u*x
    z = explain(g, g.output)
    assert (z.chain.kind, z.chain.sum, z.chain.terms) == ("output", 1.0, ())
    assert z.chain.text == "∂z/∂z = 1 by definition: backprop starts here"
    x = explain(g, 0)
    assert x.is_leaf and x.local_derivatives == () and x.chain.kind == "sum"
    for i in (3, 4, 5, 6):
        e = explain(g, i)
        assert (e.affects_output, e.grad, e.chain.kind, e.chain.sum) == (False, 0.0, "unused", 0.0)
        assert path_to_output(g, i).nodes == ()
    assert explain(g, 6).chain.text == "∂z/∂v = 0: z does not depend on v"
    assert len(step_sequence(g)) == 2  # seed z, propagate z: the extras take no steps


def test_a_single_leaf_graph():
    g = built("single_leaf")
    e = explain(g, 0)
    assert e.is_output and e.is_leaf and e.chain.kind == "output"
    assert [s.kind for s in step_sequence(g)] == ["seed"]
    assert grads_after_step(g, 1) == [1.0]


def test_nan_and_inf_are_explained_not_raised():
    g = built("zero_over_zero")  # x = y = 0
    division = explain(g, 2)
    assert division.data_text == "NaN"
    assert [d.text for d in division.local_derivatives] == [
        "∂(x/y)/∂x = 1/y = 1/0 = ∞",
        "∂(x/y)/∂y = −x/y² = −0/0² = NaN",
    ]
    assert explain(g, 3).data_text == "−∞"  # log(0)
    assert math.isnan(explain(g, 0).chain.sum)


def test_a_node_used_twice_by_one_parent_gets_two_terms():
    g = built("reuse")  # c = a*a + a
    terms = explain(g, 0).chain.terms
    assert [(t.parent, t.arg) for t in terms] == [(2, 1), (1, 0), (1, 1)]  # backprop's order
    assert explain(g, 0).chain.sum == -5.0 == engine_grads(g)[0]


def test_paths_to_the_output_cover_every_route():
    g = built("product_and_square")
    path = path_to_output(g, 0)
    assert path.nodes == (0, 2, 3, 4)
    assert path.edges == ((0, 2, 0), (0, 3, 0), (2, 4, 0), (3, 4, 1))
    assert path_to_output(g, 4).nodes == (4,)


def test_names():
    g = built("constants")
    assert node_name(g, g.output) == "L"
    assert node_name(g, 10) == "1e−5"
    assert node_name(built("long_names"), 2) == "#2"
    assert node_name(built("neuron"), 6) == "x1*w1 + x2*w2"
    assert explain(built("neuron"), 8).local_derivatives[0].text == "∂n/∂(x1*w1 + x2*w2) = 1"
    with pytest.raises(ValueError, match=r"node 99 is not in the graph \(ids 0\.\.4\)"):
        node_name(built("product_and_square"), 99)


def test_a_network_is_explained_in_its_parameters_and_neurons_names():
    g = built("named_network")
    by_short = {n.short: n.id for n in g.nodes if n.short}
    weight = explain(g, by_short["loss.MLP#1.L1.N1.w1"])
    assert weight.name == "loss.MLP#1.L1.N1.w1"
    assert not weight.is_constant  # a parameter, not a number written in the code
    w = "loss.MLP#1.L1.N1.w1"
    assert weight.chain.text.startswith(f"∂loss/∂{w} = ∂loss/∂({w}*x")
    neuron = explain(g, by_short["loss.MLP#2.L1.N1"])
    assert neuron.definition == "loss.MLP#2.L1.N1 = relu(… + …)"
    (one,) = [n.id for n in g.nodes if not n.args and n.short is None and n.label is None]
    assert explain(g, one).is_constant  # the literal 1.0 of the loss
    assert explain(g, one).name == "1"


def test_format_number_mirrors_format_js():
    cases = [
        (0.0, "0"),
        (-0.0, "0"),
        (2.0, "2"),
        (-3.14159, "-3.142"),
        (0.001234567, "0.001235"),
        (0.0009999, "9.999e-4"),
        (9999.5, "1e+4"),
        (1234567.0, "1.235e+6"),
        (1.2e-5, "1.2e-5"),
        (1.0625, "1.063"),  # an exact tie rounds away from zero, as toFixed does
        (math.nan, "NaN"),
        (-math.inf, "-∞"),
    ]
    assert [(x, format_number(x)) for x, _ in cases] == cases


# -- a property: any graph ------------------------------------------------------------------------
_OPS = {
    "tanh": lambda x, _: x.tanh(),
    "sigmoid": lambda x, _: x.sigmoid(),
    "relu": lambda x, _: x.relu(),
    "neg": lambda x, _: -x,
    "sq": lambda x, _: x**2,
    "cube": lambda x, _: x**3,
    "exp": lambda x, _: x.exp(),
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
    **{
        op.name: (lambda name: lambda x, _: getattr(x, name)())(op.method)
        for op in OPS
        if op.method is not None
    },
}


@st.composite
def graphs(draw):
    """Random graphs over three leaves: any op, any reuse; the last node is the output and the
    others extras, so unused nodes occur too."""
    leaves = st.floats(-2, 2, allow_nan=False)
    values = [Value(draw(leaves), label=name) for name in ("a", "b", "c")]
    for _ in range(draw(st.integers(1, 12))):
        x = values[draw(st.integers(0, len(values) - 1))]
        y = values[draw(st.integers(0, len(values) - 1))]
        try:
            values.append(_OPS[draw(st.sampled_from(sorted(_OPS)))](x, y))
        except (ZeroDivisionError, OverflowError, ValueError):  # the engine's domain errors
            continue
    return Graph.from_value(values[-1], extra=values[:-1])


def _subnormal_quotient() -> Graph:
    """(a/a)*a for a subnormal a, once found by the search: 1/a overflows, a's share of the
    quotient's grad, g/a, does not, so the engine's a.grad is -inf, not nan."""
    a = Value(2.225e-309, label="a")
    return Graph.from_value((a / a) * a)


@settings(max_examples=150, deadline=None)
@given(graphs())
@example(_subnormal_quotient())
def test_any_graph_sums_and_steps_agree_with_the_engine(g):
    _, grad = g.evaluate()
    last = len(step_sequence(g))
    assert bits(grads_after_step(g, last)) == bits(grad)
    engine = engine_grads(g)
    explanations = [explain(g, i, grad=grad) for i in range(len(g.nodes))]
    # Value.backward() adds in another order, so sums that cancel differ by rounding: measure
    # the difference against the largest contribution anywhere in the graph
    products = [abs(t.product) for e in explanations for t in e.chain.terms]
    scale = max([1.0, *(p for p in products if math.isfinite(p))])
    for i, e in enumerate(explanations):
        assert repr(e.chain.sum) == repr(grad[i])
        if math.isfinite(e.chain.sum) and math.isfinite(engine[i]):
            assert abs(e.chain.sum - engine[i]) <= 1e-9 * scale, (i, e.chain.text)
        else:
            assert repr(e.chain.sum) == repr(engine[i]), (i, e.chain.text)
        assert bool(path_to_output(g, i).nodes) == e.affects_output


# -- the panel's DOM, in Chromium ----------------------------------------------------------------
PANEL_PAGE = """<!doctype html><meta charset="utf-8"><body><div id="c"></div><pre id="out"></pre>
<script type="module">
import { parseGraph } from "/js/core/engine.js";
import { explainNode } from "/js/core/explain.js";
import { createPanel } from "/js/view/panel.js";
const label = "<img src=q onerror=alert(1)>";
const graph = parseGraph({schema: 1, output: 4, nodes: [
  {id: 0, label: "x", op: "", args: [], data: 2, grad: 7},
  {id: 1, label, op: "", args: [], data: 3, grad: 2},
  {id: 2, label: null, op: "*", args: [0, 1], data: 6, grad: 1},
  {id: 3, label: null, op: "**", args: [0], k: 2, data: 4, grad: 1},
  {id: 4, label: "z", op: "+", args: [2, 3], data: 10, grad: 1}]});
const out = {};
const c = document.getElementById("c");
const panel = createPanel(c);
out.hint = c.querySelector("[data-panel]").textContent;
panel.show(explainNode(graph, [2, 3, 6, 4, 10], [7, 2, 1, 1, 1], 0));
const root = c.querySelector("[data-panel]");
out.region = [root.getAttribute("role"), root.getAttribute("aria-live")];
out.terms = [...root.querySelectorAll("[data-term]")].map(
  (t) => [t.dataset.termValue, t.textContent]);
// backprop's order: x**2 (node 3) adds first, then x*label (node 2)
const [first, second] = root.querySelectorAll("[data-term]");
const touched = new Set();
new MutationObserver((records) => records.forEach((r) => touched.add(
  r.target.nodeType === 1 ? r.target : r.target.parentElement))).observe(root,
  {subtree: true, childList: true, characterData: true, attributes: true});
// a slider moved x to 2.5: only the numbers that depend on x change
panel.show(explainNode(graph, [2.5, 3, 7.5, 6.25, 13.75], [8, 2.5, 1, 1, 1], 0));
await Promise.resolve();
out.sameElements = c.querySelector("[data-panel]") === root
  && root.querySelector("[data-term]") === first;
out.busy = root.getAttribute("aria-busy");
out.touchedFirstTerm = touched.has(first);
out.untouchedSecondTerm = !touched.has(second);
const grad = root.querySelector('[data-panel-field="grad"]');
out.grad = [grad.dataset.value, grad.textContent];
out.firstTerm = first.textContent;
panel.show(explainNode(graph, [2, 3, 6, 4, 10], [7, 2, 1, 1, 1], 1));
const labelled = c.querySelector("[data-panel]");
out.title = labelled.querySelector(".mgm-panel-title").textContent;
out.images = c.querySelectorAll("img").length;
out.busyOnNewNode = labelled.getAttribute("aria-busy");
panel.show(explainNode(graph, [2, 3, 6, 4, 10], [7, 2, 1, 1, 1], 2));
out.locals = [...c.querySelectorAll("[data-local]")].map((l) => l.textContent);
panel.show(explainNode(graph, [2, 3, 6, 4, 10], [7, 2, 1, 1, 1], 2));
setTimeout(() => {
  out.busyAfterRest = c.querySelector("[data-panel]").getAttribute("aria-busy");
  panel.clear();
  out.cleared = c.querySelector("[data-panel]").textContent;
  panel.destroy();
  out.afterDestroy = c.children.length;
  document.getElementById("out").textContent = JSON.stringify(out);
}, 800);
</script>"""


@pytest.fixture(scope="module")
def page_server():
    """Serve js/ and the test page on a free local port."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/panel.html":
                body = PANEL_PAGE.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                super().do_GET()

        def log_message(self, *args):
            pass

    handler = functools.partial(Handler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_panel_in_chromium_patches_in_place_and_never_parses_labels(page_server):
    profile = tempfile.mkdtemp(prefix="mgm-chromium-")
    try:
        dom = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                *FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=5000",
                "--dump-dom",
                f"{page_server}/panel.html",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    text = dom.split('<pre id="out">', 1)[1].split("</pre>", 1)[0]
    assert text, "the page's script did not finish"
    out = json.loads(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    label = "<img src=q onerror=alert(1)>"
    assert out["hint"] == "Click a node to see how its grad was computed."
    assert out["region"] == ["region", "polite"]
    assert out["terms"] == [
        ["4", "∂z/∂(x**2)·2·x = 1·4 = 4"],
        ["3", f"∂z/∂(x*({label}))·({label}) = 1·3 = 3"],
    ]
    assert out["sameElements"] and out["touchedFirstTerm"] and out["untouchedSecondTerm"]
    assert out["busy"] == "true"
    assert out["grad"] == ["8", "8"]
    assert out["firstTerm"] == "∂z/∂(x**2)·2·x = 1·5 = 5"
    assert out["title"] == label and out["images"] == 0
    assert out["busyOnNewNode"] is None
    assert out["locals"] == [
        f"∂(x*({label}))/∂x = {label} = 3",
        f"∂(x*({label}))/∂({label}) = x = 2",
    ]
    assert out["busyAfterRest"] is None
    assert out["cleared"] == out["hint"]
    assert out["afterDestroy"] == 0
