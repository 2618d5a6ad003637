"""``nn.init``: inicializaciones de pesos con las fórmulas y los valores por defecto de PyTorch.

Todas escriben en el tensor que reciben (en su sitio, fuera del grafo, como bajo
``no_grad``), conservan su dtype (float32 por defecto) y lo devuelven. Usan el generador
global (``torch.manual_seed``) salvo que se pase ``generator``.
"""
import math
import warnings

import numpy as np

from .._random import rng

__all__ = [
    "calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_", "eye_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "trunc_normal_",
]

_LINEAR_FNS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
               "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity, param=None):
    """Ganancia recomendada para una no linealidad (la de PyTorch).

    linear/conv/sigmoid: 1; tanh: 5/3; relu: sqrt(2); leaky_relu: sqrt(2 / (1 + pendiente²))
    (pendiente 0.01 por defecto); selu: 3/4.
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            slope = param
        else:
            raise ValueError(f"La pendiente negativa {param!r} no es un número válido.")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"No linealidad no admitida: {nonlinearity!r}. Usa una de: linear, conv1d, conv2d, "
        "sigmoid, tanh, relu, leaky_relu, selu.")


def _fill(tensor, values):
    """Escribe ``values`` en los datos del tensor (sin grafo) y devuelve el tensor."""
    data = tensor._data
    if data.size == 0:
        warnings.warn("Inicializar un tensor sin elementos no hace nada.", UserWarning,
                      stacklevel=3)
        return tensor
    data[...] = values
    tensor._bump_version()
    return tensor


def _draw_dtype(tensor):
    dtype = tensor._data.dtype
    return dtype if dtype in (np.float32, np.float64) else np.float64


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Valores de la distribución uniforme en [a, b)."""
    dtype = _draw_dtype(tensor)
    u = rng(generator).random(tensor._data.shape, dtype=dtype)
    return _fill(tensor, u * dtype.type(b - a) + dtype.type(a))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Valores de la normal N(mean, std²)."""
    dtype = _draw_dtype(tensor)
    z = rng(generator).standard_normal(tensor._data.shape, dtype=dtype)
    return _fill(tensor, z * dtype.type(std) + dtype.type(mean))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Normal N(mean, std²) truncada a [a, b] (se vuelven a sortear los valores de fuera)."""
    gen = rng(generator)
    shape = tensor._data.shape
    values = gen.standard_normal(shape) * std + mean
    outside = (values < a) | (values > b)
    while outside.any():
        values[outside] = gen.standard_normal(int(outside.sum())) * std + mean
        outside = (values < a) | (values > b)
    return _fill(tensor, values)


def constant_(tensor, val):
    return _fill(tensor, val)


def ones_(tensor):
    return _fill(tensor, 1)


def zeros_(tensor):
    return _fill(tensor, 0)


def eye_(tensor):
    """Matriz identidad en un tensor de 2 dimensiones."""
    if tensor._data.ndim != 2:
        raise ValueError(
            f"eye_ solo admite tensores de 2 dimensiones, pero este tiene forma "
            f"{tuple(tensor._data.shape)}.")
    return _fill(tensor, np.eye(*tensor._data.shape))


def _calculate_fan_in_and_fan_out(tensor):
    shape = tensor._data.shape
    if len(shape) < 2:
        raise ValueError(
            f"No se pueden calcular fan_in y fan_out de un tensor con menos de 2 dimensiones "
            f"(forma {tuple(shape)}): estas inicializaciones son para pesos, no para sesgos.")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Modo {mode!r} no admitido: usa 'fan_in' o 'fan_out'.")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot uniforme: U(-a, a) con a = gain · sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot normal: N(0, std²) con std = gain · sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        raise ValueError("kaiming: fan_in/fan_out es 0 (el tensor tiene una dimensión vacía).")
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He uniforme: U(-b, b) con b = gain · sqrt(3 / fan). Con a=0, b = sqrt(6 / fan_in)."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He normal: N(0, std²) con std = gain / sqrt(fan). Con a=0, std = sqrt(2 / fan_in)."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)
