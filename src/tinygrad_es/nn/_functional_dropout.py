"""Dropout por canal (``dropout1d/2d/3d``) y alpha dropout (los reexporta ``nn.functional``).

Con la misma semilla dan los mismos números que PyTorch: el ruido se sortea como en
``_dropout_impl`` de PyTorch (``bernoulli_(1 - p)`` sobre un tensor de forma (N, C, 1, ...)
por canal o de la forma de la entrada), y se transforma con las mismas operaciones en el
mismo tipo (``/ (1 - p)`` o las constantes de alpha dropout).
"""
import math
import warnings

import numpy as np

from .. import _dtypes
from .._random import default_generator
from .._random import distributions as _dist
from ..ops import elementwise as ew
from ..tensor import Tensor
from ..errors import user_stacklevel
from .._capture import array_step

__all__ = ["dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]

_ALPHA = 1.7580993408473766   # -selu_scale · selu_alpha, la constante de PyTorch


def _check(input, p, fn):
    if p < 0.0 or p > 1.0:
        raise ValueError(
            f"{fn}: la probabilidad de dropout debe estar entre 0 y 1, pero se recibió p={p}.")
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{fn} espera un tensor, pero recibió {type(input).__name__}. Conviértelo con "
            "torch.tensor(...).")


def _bernoulli(shape, keep, dtype):
    """``empty(shape).bernoulli_(keep)`` con el generador global: 0/1 en ``dtype``."""
    with default_generator._lock:
        drawn = _dist.bernoulli_scalar(default_generator, math.prod(shape), keep)
    return drawn.astype(dtype).reshape(shape)


def _dropout_impl(input, p, training, inplace, feature, alpha):
    """El ``_dropout_impl`` de PyTorch: dropout, por canal (``feature``) y/o alpha."""
    data = input._data
    if p == 0 or not training or data.size == 0:
        return input
    dtype = data.dtype if data.dtype.kind == "f" else _dtypes.default_float
    if p == 1:
        zero = Tensor._wrap(np.zeros((), dtype))
        return input.mul_(zero) if inplace else Tensor._apply(ew.Mul, input, zero)
    shape = (data.shape[:2] + (1,) * (data.ndim - 2)) if feature else data.shape
    if alpha:
        noise, shift = _alpha_noise(shape, p, dtype)
        shift = Tensor._wrap(shift)
        if inplace:
            return input.mul_(Tensor._wrap(noise)).add_(shift)
        return Tensor._apply(ew.Mul, input, noise) + shift
    noise = dropout_noise(shape, p, dtype)   # como F.dropout
    if inplace:
        return input.mul_(Tensor._wrap(noise))
    return Tensor._apply(ew.Mul, input, noise)


def _unbatched(input, batched, inplace, run):
    if batched:
        return run(input)
    x = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    out = run(x)
    return out.squeeze_(0) if inplace else out.squeeze(0)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Pone a cero canales enteros (entrada (N, C, L) o (C, L)) con probabilidad ``p`` y
    escala el resto por 1/(1-p)."""
    _check(input, p, "dropout1d")
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d espera una entrada de 2 o 3 dimensiones, (C, L) o (N, C, L), pero "
            f"recibió una de {input.dim()} (forma {tuple(input.shape)}).")
    return _unbatched(input, input.dim() == 3, inplace,
                      lambda x: _dropout_impl(x, p, training, inplace, True, False))


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Pone a cero canales enteros de una imagen (N, C, H, W) con probabilidad ``p``."""
    _check(input, p, "dropout2d")
    ndim = input.dim()
    if ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: recibió una entrada de {ndim} dimensiones; está obsoleto y dará error "
            "en el futuro. dropout2d es para entradas (N, C, H, W) o (C, H, W); para otras usa "
            "dropout.", UserWarning, stacklevel=user_stacklevel())
    if ndim == 3:
        warnings.warn(
            "dropout2d: con una entrada de 3 dimensiones se interpreta como (N, C, L) y hace "
            "el dropout por canal de dropout1d (PyTorch lo cambiará para leerla como "
            "(C, H, W)). Usa dropout1d para mantener este comportamiento.", UserWarning,
            stacklevel=user_stacklevel())
    return _dropout_impl(input, p, training, inplace, True, False)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Pone a cero canales enteros de un volumen (N, C, D, H, W) con probabilidad ``p``."""
    _check(input, p, "dropout3d")
    ndim = input.dim()
    if ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: recibió una entrada de {ndim} dimensiones; está obsoleto y dará error "
            "en el futuro. dropout3d es para entradas (N, C, D, H, W) o (C, D, H, W); para "
            "otras usa dropout.", UserWarning, stacklevel=user_stacklevel())
    return _unbatched(input, ndim != 4, inplace,
                      lambda x: _dropout_impl(x, p, training, inplace, True, False))


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout para redes SELU: mantiene la media y la varianza de la entrada (los ceros se
    cambian por el valor de saturación de SELU y se corrige con una transformación afín)."""
    _check(input, p, "alpha_dropout")
    return _dropout_impl(input, p, training, inplace, False, True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout por canales enteros."""
    _check(input, p, "feature_alpha_dropout")
    return _dropout_impl(input, p, training, inplace, True, True)


@array_step   # con tinygrad_es.compile, una máscara nueva en cada llamada
def _alpha_noise(shape, p, dtype):
    """Factor y desplazamiento de alpha dropout (los de PyTorch) para una máscara nueva."""
    t = dtype.type
    noise = _bernoulli(shape, 1.0 - p, dtype)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    shift = (noise - t(1)) * t(_ALPHA * a) + t(_ALPHA * a * p)
    noise *= t(a)
    return noise, shift


@array_step   # con tinygrad_es.compile, una máscara nueva en cada llamada
def dropout_noise(shape, p, dtype):
    """Máscara de ``F.dropout`` ya escalada (la usa la atención sobre sus pesos)."""
    keep = 1.0 - p
    if p == 1:
        return np.zeros(shape, dtype)
    t = dtype.type
    return np.multiply(_bernoulli(shape, keep, dtype), t(1.0) / t(keep), dtype=dtype)
