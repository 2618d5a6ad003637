"""Capas básicas: ``Linear``, ``Identity``, ``Flatten``, ``Unflatten`` y ``Dropout``."""
from __future__ import annotations

import math
import operator
from typing import TYPE_CHECKING

import numpy as np

from .. import _dtypes
from ..tensor import _check_device, _make
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .._typing import Device, DType

# la capa pone los argumentos: sin la envoltura que traduce los errores de llamada (_arguments.py)
_linear = getattr(F.linear, "__wrapped__", F.linear)


class Identity(Module):
    """Devuelve la entrada sin cambios (acepta y descarta cualquier argumento)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """Capa densa: ``y = x @ W.T + b``, con ``W`` de forma (out_features, in_features).

    Inicialización de PyTorch: ``W`` y ``b`` uniformes en ±1/sqrt(in_features) (float32).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Device = None, dtype: DType | None = None) -> None:
        super().__init__()
        _check_device(device)
        dtype = np.dtype(dtype or _dtypes.default_float)
        try:
            self.in_features = operator.index(in_features)
            self.out_features = operator.index(out_features)
            weight = np.empty((self.out_features, self.in_features), dtype)
        except (TypeError, ValueError):
            raise _linear_size_error(in_features, out_features) from None
        self.weight = Parameter(_make(weight))
        if bias:
            self.bias = Parameter(_make(np.empty((self.out_features,), dtype)))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        # kaiming_uniform_(a=sqrt(5)) da exactamente U(-1/sqrt(in), 1/sqrt(in)).
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:   # como PyTorch, también con 0 entradas (sortea ceros)
            bound = 1.0 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        params = self._parameters   # sin pasar por Module.__getattr__ (el camino lento)
        if "weight" in params and "bias" in params:   # F.linear sin la envoltura de argumentos
            return _linear(input, params["weight"], params["bias"])
        return F.linear(input, self.weight, self.bias)   # p. ej. un peso calculado por un hook

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


def _linear_size_error(in_features, out_features):
    """TypeError (tamaño que no es entero) o RuntimeError (negativo), como PyTorch."""
    for name, value in (("in_features", in_features), ("out_features", out_features)):
        try:
            operator.index(value)
        except TypeError:
            tip = (" Si sale de una división, usa la división entera (//) o int(...)."
                   if isinstance(value, (float, np.floating)) else "")
            return TypeError(
                f"nn.Linear({in_features!r}, {out_features!r}): {name} debe ser un entero (el "
                f"número de características), pero es {value!r} (de tipo "
                f"{type(value).__name__}).{tip}")
    for name, value in (("in_features", in_features), ("out_features", out_features)):
        if operator.index(value) < 0:
            return RuntimeError(
                f"nn.Linear({in_features!r}, {out_features!r}): {name} no puede ser negativo "
                f"({value}). Es el número de características: 0 o mayor.")
    return TypeError(f"nn.Linear({in_features!r}, {out_features!r}): tamaños no válidos.")


class Flatten(Module):
    """Aplana las dimensiones de ``start_dim`` a ``end_dim``: (N, 1, 28, 28) -> (N, 784)."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Lo contrario de Flatten: la dimensión ``dim`` pasa a tener forma ``unflattened_size``."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        self.dim = dim
        self.unflattened_size = tuple(int(s) for s in unflattened_size)

    def forward(self, input):
        shape = tuple(input.shape)
        dim = self.dim % len(shape)
        return input.reshape(shape[:dim] + self.unflattened_size + shape[dim + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Dropout(Module):
    """En entrenamiento pone a cero cada elemento con probabilidad ``p`` y escala el resto por
    1/(1-p); en ``eval()`` deja pasar la entrada sin cambios."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(
                f"La probabilidad de dropout debe estar entre 0 y 1, pero se recibió p={p}.")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
