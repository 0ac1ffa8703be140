# One artificial neuron: two inputs, two weights, a bias, and tanh squashing the sum.
#
#   python -m micrograd_magic render examples/neuron.mg --html neuron.html
#
# Each input line is `name: (min, max, step) = start`; every input becomes a slider.
x1: (-2, 2, 0.1) = 2.0
x2: (-2, 2, 0.1) = 0.0
w1: (-3, 3, 0.1) = -3.0
w2: (-3, 3, 0.1) = 1.0
b: (-8, 8, 0.01) = 6.88
n = x1*w1 + x2*w2 + b
o = tanh(n)
