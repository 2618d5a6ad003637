"""``F.interpolate`` (y ``upsample``, ``upsample_nearest``, ``upsample_bilinear``) por
composición: se reexportan en ``nn.functional``.

Modos ``nearest``, ``nearest-exact`` (3-D, 4-D y 5-D) y ``linear`` / ``bilinear`` /
``trilinear`` (3-D / 4-D / 5-D, con ``align_corners``). Los índices y pesos de cada eje se
calculan con las fórmulas de PyTorch y en su mismo tipo (float32 para nearest; el de la entrada
para los lineales), así que dan sus mismos números. La interpolación lineal es separable: se
interpola eje a eje, del último al primero, como el kernel de PyTorch; los gradientes salen de
la composición (indexado, producto y suma).
"""
import math
import warnings

import numpy as np

from ..tensor import Tensor
from ._functional_pool import adaptive_avg_pool1d, adaptive_avg_pool2d
from ..errors import user_stacklevel

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]

_LINEAR = {"linear": 3, "bilinear": 4, "trilinear": 5, "bicubic": 4}
_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear", "bicubic", "area")
_CUBIC_A = -0.75   # el parámetro de la convolución cúbica de PyTorch (y de OpenCV)
_AREA = {3: adaptive_avg_pool1d, 4: adaptive_avg_pool2d}   # mode="area", como PyTorch


def _spatial(value, dims, what, input):
    if isinstance(value, (list, tuple)):
        if len(value) != dims:
            raise ValueError(
                f"interpolate: la entrada tiene {dims} dimensiones espaciales "
                f"{list(input.shape[2:])} pero {what} tiene {len(value)} valores ({tuple(value)}"
                "). La entrada debe ser (N, C, d1, ..., dK) y el tamaño (o1, ..., oK).")
        return list(value)
    return [value] * dims


def _nearest_index(in_size, out_size, scale, exact):
    if out_size == in_size and not exact:
        return np.arange(out_size)
    if out_size == 2 * in_size and not exact:
        return np.arange(out_size) >> 1
    ratio = np.float32(1.0 / scale) if scale is not None and scale > 0 else \
        np.float32(in_size) / np.float32(out_size)
    dst = np.arange(out_size)
    if exact:
        src = np.floor(((dst + 0.5) * np.float64(ratio)).astype(np.float32))
    else:
        src = np.floor(dst.astype(np.float32) * ratio)
    return np.minimum(src.astype(np.int64), in_size - 1)


def _linear_weights(in_size, out_size, scale, align_corners, dtype):
    """Índices (i0, i1) y pesos (l0, l1) de cada posición de salida, como PyTorch."""
    t = dtype.type
    dst = np.arange(out_size)
    if out_size == in_size:
        return dst, dst, np.ones(out_size, dtype), np.zeros(out_size, dtype)
    if align_corners:
        ratio = t(in_size - 1) / t(out_size - 1) if out_size > 1 else t(0)
        real = ratio * dst.astype(dtype)
    else:
        ratio = t(1.0 / scale) if scale is not None and scale > 0 else t(in_size) / t(out_size)
        real = np.maximum(ratio * (dst.astype(dtype) + t(0.5)) - t(0.5), t(0))
    i0 = np.minimum(np.floor(real).astype(np.int64), in_size - 1)
    l1 = np.clip(real - i0.astype(dtype), t(0), t(1)).astype(dtype)
    i1 = i0 + (i0 < in_size - 1)
    return (i0, (t(1) - l1).astype(dtype)), (i1, l1)


def _cubic_weights(in_size, out_size, scale, align_corners, dtype):
    """Los 4 vecinos (índices recortados al borde) y sus pesos de la convolución cúbica de
    PyTorch (``upsample_bicubic2d``: A = -0.75, sin recortar la posición de origen a 0)."""
    t = dtype.type
    dst = np.arange(out_size).astype(dtype)
    if align_corners:
        ratio = t(in_size - 1) / t(out_size - 1) if out_size > 1 else t(0)
        real = ratio * dst
    else:
        ratio = t(1.0 / scale) if scale is not None and scale > 0 else t(in_size) / t(out_size)
        real = ratio * (dst + t(0.5)) - t(0.5)
    base = np.floor(real)
    frac = (real - base).astype(dtype)
    a = t(_CUBIC_A)

    def near(x):    # |x| <= 1
        return ((a + t(2)) * x - (a + t(3))) * x * x + t(1)

    def far(x):     # 1 < |x| < 2
        return ((a * x - t(5) * a) * x + t(8) * a) * x - t(4) * a
    weights = (far(frac + t(1)), near(frac), near(t(1) - frac), far(t(1) - frac + t(1)))
    base = base.astype(np.int64)
    return tuple((np.clip(base + k - 1, 0, in_size - 1), w.astype(dtype))
                 for k, w in enumerate(weights))


def filter_weights(in_size, out_size, scale, align_corners, mode, widen=True):
    """La matriz (salida × entrada) del filtro con antialias de PyTorch (el de PIL): al
    reducir, cada salida promedia todas las entradas bajo su filtro (triángulo en bilinear,
    cúbico con a = -0.5 en bicubic, ensanchado por el factor) y los pesos suman 1. Con
    ``widen=False``, sin ensanchar (la bilineal sin antialias de ``vision.transforms``)."""
    if align_corners:
        ratio = (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    else:
        ratio = 1.0 / scale if scale is not None and scale > 0 else in_size / out_size
    half = 1.0 if mode == "bilinear" else 2.0           # media anchura del filtro
    stretch = ratio if ratio >= 1.0 and widen else 1.0
    support, inverse = half * stretch, 1.0 / stretch
    weights = np.zeros((out_size, in_size))
    for i in range(out_size):
        center = ratio * (i + 0.5)
        first = max(int(center - support + 0.5), 0)
        last = min(int(center + support + 0.5), in_size)
        x = np.abs((np.arange(first, last) - center + 0.5) * inverse)
        if mode == "bilinear":
            w = np.maximum(1.0 - x, 0.0)
        else:
            w = np.where(x < 1, (1.5 * x - 2.5) * x * x + 1,
                         np.where(x < 2, (((x - 5) * x + 8) * x - 4) * -0.5, 0.0))
        total = w.sum()
        weights[i, first:last] = w / total if total != 0 else w
    return weights


def _antialiased(input, in_sizes, out_sizes, scales, align, mode):
    """``antialias=True``: cada eje, del último al primero, multiplicado por su matriz."""
    dtype = input._data.dtype
    out = input
    for axis in reversed(range(2)):
        n, m = in_sizes[axis], out_sizes[axis]
        if n == m and scales[axis] in (None, 1.0):
            continue
        weights = Tensor._wrap(filter_weights(n, m, scales[axis], align, mode).astype(dtype))
        out = out @ weights.T if axis == 1 else weights @ out
    return out if out is not input else input.clone()


def _take(x, axis, index):
    return x[(slice(None),) * axis + (index,)]


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Cambia el tamaño espacial de ``input`` (N, C, d1, ..., dK) a ``size`` o multiplicándolo
    por ``scale_factor`` (uno de los dos), con interpolación ``mode``."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"interpolate espera un tensor, pero recibió {type(input).__name__}.")
    dims = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("interpolate: da solo uno de size o scale_factor, no los dos.")
    if size is not None:
        out_sizes, scales = [int(s) for s in _spatial(size, dims, "size", input)], None
    elif scale_factor is not None:
        scales = [float(s) for s in _spatial(scale_factor, dims, "scale_factor", input)]
        out_sizes = None
    else:
        raise ValueError("interpolate: hace falta size o scale_factor (uno de los dos).")
    if recompute_scale_factor and size is not None:
        raise ValueError("interpolate: recompute_scale_factor no tiene sentido con un size "
                         "explícito; quítalo o usa scale_factor.")
    if mode not in _MODES:
        raise NotImplementedError(   # la misma clase de error que PyTorch
            f"interpolate: modo {mode!r} no disponible. Modos: {', '.join(_MODES)}.")
    if mode.startswith("nearest") or mode == "area":
        if align_corners is not None:
            raise ValueError(
                "interpolate: align_corners solo se puede dar con los modos que interpolan: "
                "linear | bilinear | bicubic | trilinear.")
        if mode == "area" and input.dim() not in _AREA:
            raise NotImplementedError(
                f"interpolate: el modo area necesita una entrada de 3 o 4 dimensiones "
                f"(recibió {input.dim()}; la de 5, con adaptive_avg_pool3d, no está).")
        if dims not in (1, 2, 3):
            raise NotImplementedError(
                f"interpolate: el modo {mode} necesita una entrada de 3, 4 o 5 dimensiones "
                f"(recibió {input.dim()}).")
    elif input.dim() != _LINEAR[mode]:
        raise NotImplementedError(
            f"interpolate: el modo {mode} necesita una entrada de {_LINEAR[mode]} dimensiones "
            f"(recibió una de {input.dim()}, forma {tuple(input.shape)}).")
    if antialias and (mode not in ("bilinear", "bicubic") or input.dim() != 4):
        raise ValueError("interpolate: antialias=True solo vale con los modos bilinear y "
                         f"bicubic y una entrada de 4 dimensiones (modo {mode!r}, "
                         f"{input.dim()} dimensiones).")
    dtype = input._data.dtype
    if dtype.kind != "f":
        raise NotImplementedError(
            f"interpolate necesita una entrada de punto flotante (recibió {input.dtype}); "
            "conviértela con .float().")
    in_sizes = list(input.shape[2:])
    if out_sizes is None:
        out_sizes = [int(math.floor(n * s)) for n, s in zip(in_sizes, scales)]
        if recompute_scale_factor:
            scales = None
    if scales is None:
        scales = [None] * dims
    if any(n <= 0 for n in in_sizes + out_sizes):
        raise RuntimeError(
            f"interpolate: los tamaños de entrada y de salida deben ser mayores que 0, pero la "
            f"entrada tiene {in_sizes} y la salida sería {out_sizes}.")
    if mode == "area":   # la media de cada región: adaptive_avg_pool con el tamaño de salida
        return _AREA[input.dim()](input, out_sizes if dims > 1 else out_sizes[0])
    if mode.startswith("nearest"):
        exact = mode == "nearest-exact"
        index = [_nearest_index(i, o, s, exact) for i, o, s in zip(in_sizes, out_sizes, scales)]
        grids = np.ix_(*index)
        return input[(slice(None), slice(None)) + grids]
    align = bool(align_corners)
    if antialias:
        return _antialiased(input, in_sizes, out_sizes, scales, align, mode)
    out = input
    for axis in reversed(range(dims)):   # del último eje al primero, como PyTorch
        n, m = in_sizes[axis], out_sizes[axis]
        if n == m and mode != "bicubic":   # PyTorch copia; en bicúbico, el scale_factor cuenta
            continue
        taps = (_cubic_weights if mode == "bicubic" else _linear_weights)(
            n, m, scales[axis], align, dtype)
        shape = (m,) + (1,) * (dims - 1 - axis)
        terms = [_take(out, axis + 2, index) * Tensor._wrap(weight.reshape(shape))
                 for index, weight in taps]
        out = terms[0]
        for term in terms[1:]:   # x0·w0 + x1·w1 (+ x2·w2 + x3·w3), en ese orden
            out = out + term
    return out if out is not input else input.clone()


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Obsoleta (como en PyTorch): usa ``interpolate``."""
    warnings.warn("F.upsample está obsoleta: usa F.interpolate.", UserWarning, stacklevel=user_stacklevel())
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    warnings.warn("F.upsample_nearest está obsoleta: usa F.interpolate.", UserWarning,
                  stacklevel=user_stacklevel())
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    warnings.warn("F.upsample_bilinear está obsoleta: usa F.interpolate(..., "
                  "mode='bilinear', align_corners=True).", UserWarning, stacklevel=user_stacklevel())
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


