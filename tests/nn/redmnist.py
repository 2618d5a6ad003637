"""La RedMNIST del curso (784-128-64-10 con LogSoftmax), compartida por los tests de nn.

Es la misma que escribe el estudiante en examples/03_mnist_mlp.py; el ejemplo la define en su
propio archivo para poder leerse solo.
"""
import tinygrad_es.nn as nn


class RedMNIST(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.stack = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                                   nn.Linear(64, 10))
        self.log_softmax = nn.LogSoftmax(dim=1)

    def forward(self, x):
        return self.log_softmax(self.stack(self.flatten(x)))
