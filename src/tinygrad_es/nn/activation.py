"""Activaciones como módulos: ``ReLU``, ``Sigmoid``, ``Tanh``, ``LeakyReLU``, ``Softmax``..."""
from . import functional as F
from .module import Module


class ReLU(Module):
    """max(x, 0). ``inplace`` se acepta por compatibilidad (el cálculo no es in situ)."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return input.relu()   # lo mismo que F.relu(input), una llamada menos por capa

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x si x > 0; ``negative_slope * x`` si no."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Sigmoid(Module):
    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    def forward(self, input):
        return F.tanh(input)


class SiLU(Module):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.silu(input, self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class _DimModule(Module):
    _function = None

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def __setstate__(self, state):
        super().__setstate__(state)
        if "dim" not in self.__dict__:
            self.dim = None

    def forward(self, input):
        return type(self)._function(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_DimModule):
    """exp(x) / sum(exp(x)) a lo largo de ``dim`` (usa dim=1 para un lote (N, C))."""

    _function = staticmethod(F.softmax)


class Softmin(_DimModule):
    _function = staticmethod(F.softmin)


class LogSoftmax(_DimModule):
    """log(softmax(x)) estable; con ``NLLLoss`` equivale a ``CrossEntropyLoss``."""

    _function = staticmethod(F.log_softmax)
