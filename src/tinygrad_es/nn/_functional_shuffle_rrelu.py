"""``F.rrelu``/``F.rrelu_`` (ReLU con pendiente aleatoria) y ``F.pixel_shuffle``/
``F.pixel_unshuffle`` (reordenar canales en píxeles), como PyTorch (``functional.py`` las
reexporta).

``rrelu`` en entrenamiento sortea, con el generador global y en el orden de los elementos, una
pendiente ``U(lower, upper)`` para cada elemento ``<= 0`` (y solo para esos), con la uniforme
float64 de PyTorch (``random64()``): con la misma semilla, los mismos números que PyTorch. La
salida es ``x · ruido`` (ruido 1 en los positivos), así que el gradiente es ``grad · ruido``,
como el de PyTorch. En evaluación es ``leaky_relu`` con pendiente ``(lower + upper) / 2``.

``pixel_shuffle`` y ``pixel_unshuffle`` son ``reshape`` + ``permute`` + ``reshape``.
"""
import operator

import numpy as np

from .. import _dtypes
from .._random import default_generator
from ..ops import elementwise as ew
from .._capture import array_step
from ..ops import selection as sel
from ..tensor import Tensor
from ._functional_activations import _check_tensor, leaky_relu_

__all__ = ["rrelu", "rrelu_", "pixel_shuffle", "pixel_unshuffle"]


@array_step   # con tinygrad_es.compile, un sorteo nuevo en cada llamada
def _rrelu_noise(input, lower, upper):
    """El ruido de PyTorch: una pendiente sorteada por elemento <= 0, 1 en los demás."""
    data = np.ascontiguousarray(input._data)
    negative = data <= 0   # NaN no: PyTorch no sortea para él (ruido 1)
    count = int(np.count_nonzero(negative))
    noise = np.ones(data.shape, dtype=data.dtype)
    if count:
        with default_generator._lock:
            u = default_generator._uniform64(count)
        # PyTorch pasa lower y upper al tipo de la entrada y sortea en float64 entre ellos
        low, high = float(data.dtype.type(lower)), float(data.dtype.type(upper))
        noise[negative] = (u * (high - low) + low).astype(data.dtype)
    return noise


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """ReLU con pendiente aleatoria: en entrenamiento, ``x`` si ``x > 0`` y ``a · x`` si no,
    con ``a ~ U(lower, upper)`` por elemento; en evaluación, pendiente ``(lower + upper) / 2``.

    Ejemplo::

        >>> _ = torch.manual_seed(0)
        >>> F.rrelu(torch.tensor([-1.0, 2.0]), training=True)   # lo mismo que PyTorch
        tensor([-0.3271,  2.0000])
    """
    _check_tensor(input, "rrelu")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"rrelu no está implementada para tensores de tipo "
            f"{_dtypes.dtype_name(input._data.dtype)}: conviértelo antes con .float().")
    if float(lower) > float(upper):
        raise RuntimeError(
            f"rrelu: lower ({lower}) debe ser menor o igual que upper ({upper}).")
    if not training:
        slope = (float(lower) + float(upper)) / 2
        if inplace:
            return leaky_relu_(input, slope)
        return Tensor._apply(sel.LeakyReLU, input, negative_slope=slope)   # F.leaky_relu
    noise = _rrelu_noise(input, lower, upper)
    if inplace:
        return input.mul_(Tensor._wrap(noise))
    return Tensor._apply(ew.Mul, input, noise)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """``rrelu`` escrita en la memoria de ``input``."""
    return rrelu(input, lower, upper, training, inplace=True)


def _factor(value, fn, label):
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(
            f"{fn}: {label} debe ser un entero, pero es {value!r} (de tipo "
            f"{type(value).__name__}).") from None
    if value <= 0:
        raise RuntimeError(f"{fn}: {label} debe ser positivo, pero es {value}.")
    return value


def _shuffle_input(input, factor, fn, label):
    """Lo que comprueban pixel_shuffle y pixel_unshuffle: el factor (entero positivo) y una
    entrada de al menos 3 dimensiones. Da el factor, las dimensiones de lote y (C, H, W)."""
    _check_tensor(input, fn)
    r = _factor(factor, fn, label)
    shape = tuple(input.shape)
    if len(shape) < 3:
        raise RuntimeError(
            f"{fn}: la entrada debe tener al menos 3 dimensiones (*, C, H, W), pero "
            f"tiene forma {shape}.")
    return r, shape[:-3], shape[-3:]


def pixel_shuffle(input, upscale_factor):
    """Reordena (*, C·r², H, W) en (*, C, H·r, W·r) (r = ``upscale_factor``): cada grupo de
    r² canales pasa a ser un bloque r×r de píxeles (la «sub-pixel convolution»).

    Ejemplo::

        >>> F.pixel_shuffle(torch.randn(1, 8, 3, 3), 2).shape
        torch.Size([1, 2, 6, 6])
    """
    r, batch, (channels, height, width) = _shuffle_input(input, upscale_factor, "pixel_shuffle",
                                                        "upscale_factor")
    if channels % (r * r):
        raise RuntimeError(
            f"pixel_shuffle: los canales de la entrada ({channels}, dimensión -3) deben ser "
            f"divisibles entre upscale_factor² = {r * r}.")
    n = len(batch)
    out = input.reshape(batch + (channels // (r * r), r, r, height, width))
    out = out.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return out.reshape(batch + (channels // (r * r), height * r, width * r))


def pixel_unshuffle(input, downscale_factor):
    """Lo contrario de ``pixel_shuffle``: (*, C, H·r, W·r) -> (*, C·r², H, W).

    Ejemplo::

        >>> F.pixel_unshuffle(torch.randn(1, 2, 6, 6), 2).shape
        torch.Size([1, 8, 3, 3])
    """
    r, batch, (channels, height, width) = _shuffle_input(input, downscale_factor,
                                                        "pixel_unshuffle", "downscale_factor")
    for label, size in (("alto", height), ("ancho", width)):
        if size % r:
            raise RuntimeError(
                f"pixel_unshuffle: el {label} de la entrada ({size}) debe ser divisible entre "
                f"downscale_factor ({r}).")
    n = len(batch)
    out = input.reshape(batch + (channels, height // r, r, width // r, r))
    out = out.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return out.reshape(batch + (channels * r * r, height // r, width // r))
