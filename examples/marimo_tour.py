"""micrograd_magic in marimo: the %%micrograd language through micrograd_magic.cell().

Run it with `marimo edit examples/marimo_tour.py` (or `marimo run` for the app view). marimo has
no cell magics, so micrograd_magic.cell() takes the cell's text and returns the widget;
mo.ui.anywidget() makes it a marimo UI element whose value is the widget's synced state, so a
cell that reads it runs again each time a slider is released.
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def _():
    import marimo as mo

    import micrograd_magic

    return micrograd_magic, mo


@app.cell
def _(micrograd_magic, mo):
    neuron = mo.ui.anywidget(
        micrograd_magic.cell(
            """
x1: (-2, 2, 0.1) = 2.0
x2: (-2, 2, 0.1) = 0.0
w1: (-3, 3, 0.1) = -3.0
w2: (-3, 3, 0.1) = 1.0
b: (-8, 8, 0.01) = 6.88
n = x1*w1 + x2*w2 + b
o = tanh(n)
"""
        )
    )
    neuron
    return (neuron,)


@app.cell
def _(mo, neuron):
    # Runs again whenever a slider of the widget above is released.
    sliders = {i["name"]: i["value"] for i in neuron.value["inputs"]}
    o = neuron.widget.values["o"]
    mo.md(
        "Inputs: "
        + ", ".join(f"{name} = {value:g}" for name, value in sliders.items())
        + f"; the neuron's output o = {o.data:.4f}, and do/dw1 = "
        f"{neuron.widget.values['w1'].grad:.4f}"
    )
    return


@app.cell
def _(micrograd_magic, mo):
    # show() works the same way for graphs built in Python.
    from micrograd_magic import Value

    x = Value(2.0, label="x")
    y = Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    mo.ui.anywidget(micrograd_magic.show(z))
    return


if __name__ == "__main__":
    app.run()
