"""Pooling de ``nn.functional``: max/avg 1-D y 2-D y los adaptativos, como PyTorch.

Los argumentos se comprueban aquí; las operaciones diferenciables están en ``ops/pool.py``.
El máximo se busca con un bucle sobre las posiciones del kernel (cada paso compara una vista con
saltos de la entrada entera, sin bucles sobre píxeles) y sus índices son los de PyTorch: la
posición plana en el plano de cada canal (h·W + w).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtypes
from .._capture import array_step, constant
from ..ops import pool as pl
from ..tensor import Tensor
from ._functional_conv import _check_tensor, ntuple

_apply = Tensor._apply


def _batched(input, nd, fn):
    if input.ndim == nd + 1:
        return input.unsqueeze(0), True
    if input.ndim != nd + 2 or any(s == 0 for s in input.shape[1:]):
        raise RuntimeError(
            f"{fn} espera un tensor no vacío de {nd + 1} dimensiones (sin lote) o {nd + 2} "
            f"(con lote), pero recibió uno de forma {list(input.shape)}.")
    return input, False


def _unbatch(out, unbatched):
    return out.squeeze(0) if unbatched else out


def pool_geometry(fn, spatial, kernel, stride, padding, dilation, ceil_mode):
    """(kernel, stride, pares de relleno, dilatación, salida) como calcula PyTorch la salida."""
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"{fn}: kernel_size debe ser positivo, pero es {kernel}.")
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"{fn}: stride debe ser positivo, pero es {stride}.")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"{fn}: dilation debe ser positiva, pero es {dilation}.")
    if any(p < 0 or p > (d * (k - 1) + 1) // 2 for p, k, d in zip(padding, kernel, dilation)):
        raise RuntimeError(
            f"{fn}: el relleno debe estar entre 0 y la mitad del kernel efectivo, pero se "
            f"recibió padding={padding} con kernel_size={kernel} y dilation={dilation}.")
    out, pads = [], []
    for n, k, s, p, d in zip(spatial, kernel, stride, padding, dilation):
        o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (o - 1) * s >= n + p:   # la última ventana empezaría en el relleno
            o -= 1
        out.append(o)
        pads.append((p, max(0, (o - 1) * s + d * (k - 1) + 1 - n - p)))
    if any(o <= 0 for o in out):
        raise RuntimeError(
            f"{fn}: con la entrada de tamaño {tuple(spatial)}, kernel_size={kernel}, "
            f"stride={stride}, padding={padding} y dilation={dilation} la salida sería "
            f"{tuple(out)}: demasiado pequeña. Usa un kernel menor o una entrada mayor.")
    return tuple(kernel), tuple(stride), tuple(pads), tuple(dilation), tuple(out)


def _pool_args(nd, fn, kernel_size, stride, padding, dilation=1):
    kernel = ntuple(kernel_size, nd, "kernel_size", fn)
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) \
        else ntuple(stride, nd, "stride", fn)
    return kernel, stride, ntuple(padding, nd, "padding", fn), ntuple(dilation, nd, "dilation", fn)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


# --- máximo -------------------------------------------------------------------------------------
@array_step   # con tinygrad_es.compile se recalcula en cada llamada (depende de los valores)
def _window_max(data, geo, spatial):
    """El máximo de cada ventana y su posición (con el relleno de -inf si lo hay)."""
    pads = geo[2]
    if any(lo or hi for lo, hi in pads):
        xp = np.full(pl.padded_shape(data.shape, geo), _lowest(data.dtype), dtype=data.dtype)
        xp[pl.inner(data.shape, geo)] = data
    else:
        xp = data
    values, arg = pl.window_argmax(xp, geo)
    if xp is not data and values.dtype.kind == "f" and np.isneginf(values).any():
        arg = _first_inside(arg, geo, spatial)   # ventanas todo -inf: la primera posición dentro
    return values, arg


def max_pool_nd(nd, fn, input, kernel_size, stride, padding, dilation, ceil_mode,
                return_indices):
    _check_tensor(input, fn)
    x, unbatched = _batched(input, nd, fn)
    kernel, stride, padding, dilation = _pool_args(nd, fn, kernel_size, stride, padding,
                                                   dilation)
    spatial = tuple(x.shape[2:])
    geo = pool_geometry(fn, spatial, kernel, stride, padding, dilation, ceil_mode)
    values, arg = _window_max(x._data, geo, spatial)
    result = _apply(pl.WindowSelect, x, arg=arg, geometry=geo, values=values,
                    label=f"MaxPool{nd}DWithIndicesBackward0")
    result = _unbatch(result, unbatched)
    if return_indices:
        flat = _flat_indices(arg, geo, spatial)
        return result, Tensor._wrap(flat[0] if unbatched else flat)
    return result


def _kernel_offsets(arg, kernel):
    """La posición en cada dimensión del kernel de la posición plana ``arg``."""
    offsets, rest = [], arg
    for k in reversed(kernel[1:]):
        rest, ki = np.divmod(rest, k)
        offsets.insert(0, ki)
    return [rest] + offsets


def _starts(geo, i):
    kernel, stride, pads, _, out = geo
    shape = [1] * len(kernel)
    shape[i] = out[i]
    return (np.arange(out[i]) * stride[i] - pads[i][0]).reshape(shape)


def _first_inside(arg, geo, spatial):
    """Como PyTorch, una ventana cuyo máximo cae en el relleno (todo -inf dentro) elige su
    primer elemento dentro de la entrada."""
    kernel, _, _, dilation, _ = geo
    offsets = _kernel_offsets(arg, kernel)
    invalid = np.zeros(arg.shape, dtype=bool)
    firsts = []
    for i, ki in enumerate(offsets):
        start = _starts(geo, i)
        pos = start + ki * dilation[i]
        invalid |= (pos < 0) | (pos >= spatial[i])
        firsts.append(np.maximum(-start + dilation[i] - 1, 0) // dilation[i])
    fixed = np.zeros(arg.shape, dtype=arg.dtype)
    for i, first in enumerate(firsts):
        fixed = fixed * kernel[i] + first
    return np.where(invalid, fixed, arg).astype(arg.dtype)


def _flat_indices(arg, geo, spatial):
    """Los índices de PyTorch: la posición plana (h·W + w) del máximo en su plano."""
    kernel, _, _, dilation, _ = geo
    flat = np.zeros(arg.shape, dtype=np.int64)
    for i, ki in enumerate(_kernel_offsets(arg.astype(np.int64), kernel)):
        flat += (_starts(geo, i) + ki * dilation[i]) * int(math.prod(spatial[i + 1:]))
    return flat


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Máximo de cada ventana de (N, C, L)."""
    return max_pool_nd(1, "max_pool1d", input, kernel_size, stride, padding, dilation,
                       ceil_mode, return_indices)


def max_pool2d(input: Tensor, kernel_size: int | tuple[int, int],
               stride: int | tuple[int, int] | None = None, padding: int | tuple[int, int] = 0,
               dilation: int | tuple[int, int] = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Any:
    """Máximo de cada ventana de (N, C, H, W); ``stride`` por defecto es ``kernel_size``."""
    return max_pool_nd(2, "max_pool2d", input, kernel_size, stride, padding, dilation,
                       ceil_mode, return_indices)


# --- media --------------------------------------------------------------------------------------
def _avg_divisor(geo, spatial, count_include_pad, divisor_override, dtype):
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError("avg_pool2d: divisor_override no puede ser 0.")
        return dtype.type(divisor_override)
    kernel, stride, pads, _, out = geo
    nd = len(kernel)
    divisor = np.ones((1,) * nd, dtype=dtype)
    for i, (n, k, s, (p, _), o) in enumerate(zip(spatial, kernel, stride, pads, out)):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        if count_include_pad:
            count = end - start
        else:
            count = np.minimum(end, n) - np.maximum(start, 0)
        shape = [1] * nd
        shape[i] = o
        divisor = divisor * count.astype(dtype).reshape(shape)
    return divisor


def avg_pool_nd(nd, fn, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                divisor_override):
    _check_tensor(input, fn)
    x, unbatched = _batched(input, nd, fn)
    kernel, stride, padding, dilation = _pool_args(nd, fn, kernel_size, stride, padding)
    if x.dtype.kind not in "fiu":
        raise RuntimeError(
            f"{fn}: la media necesita un tensor numérico, pero recibió "
            f"{_dtypes.dtype_name(x.dtype)}. Conviértelo con .float().")
    spatial = tuple(x.shape[2:])
    geo = pool_geometry(fn, spatial, kernel, stride, padding, dilation, ceil_mode)
    divisor = constant(_avg_divisor(geo, spatial, count_include_pad, divisor_override,
                                    x.dtype))
    out = _apply(pl.WindowSum, x, geometry=geo, divisor=divisor,
                 label=f"AvgPool{nd}DBackward0")
    return _unbatch(out, unbatched)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """Media de cada ventana de (N, C, L)."""
    return avg_pool_nd(1, "avg_pool1d", input, kernel_size, stride, padding, ceil_mode,
                       count_include_pad, None)


def avg_pool2d(input: Tensor, kernel_size: int | tuple[int, int],
               stride: int | tuple[int, int] | None = None, padding: int | tuple[int, int] = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """Media de cada ventana de (N, C, H, W); ``count_include_pad`` cuenta el relleno en el
    divisor y ``divisor_override`` fija el divisor."""
    return avg_pool_nd(2, "avg_pool2d", input, kernel_size, stride, padding, ceil_mode,
                       count_include_pad, divisor_override)


# --- adaptativos --------------------------------------------------------------------------------
def _adaptive_sizes(nd, fn, input, output_size):
    _check_tensor(input, fn)
    x, unbatched = _batched(input, nd, fn)
    spatial = tuple(x.shape[2:])
    sizes = (output_size,) * nd if output_size is None or isinstance(output_size, int) \
        else tuple(output_size)
    if len(sizes) != nd:
        raise ValueError(f"{fn}: output_size debe tener {nd} elementos, pero es {output_size}.")
    sizes = tuple(n if o is None else int(o) for o, n in zip(sizes, spatial))
    if any(o < 0 for o in sizes):
        raise RuntimeError(f"{fn}: output_size no puede ser negativo, pero es {sizes}.")
    return x, unbatched, spatial, sizes


def _bounds(n, o):
    i = np.arange(o)
    return (i * n) // o, -((-(i + 1) * n) // o)   # floor(i·n/o), ceil((i+1)·n/o)


def _adaptive_avg(nd, fn, input, output_size):
    x, unbatched, spatial, sizes = _adaptive_sizes(nd, fn, input, output_size)
    out = x
    for i, (n, o) in enumerate(zip(spatial, sizes)):
        if n == o:
            continue
        start, end = _bounds(n, o)
        cols = np.arange(n)
        inside = (cols >= start[:, None]) & (cols < end[:, None])
        weights = (inside / np.maximum(end - start, 1)[:, None]).astype(x.dtype)   # (o, n)
        dim = 2 + i
        moved = out.transpose(dim, -1) if dim != out.ndim - 1 else out
        moved = moved @ Tensor._wrap(constant(np.ascontiguousarray(weights.T)))
        out = moved.transpose(dim, -1) if dim != out.ndim - 1 else moved
    if out is x:
        out = x.clone()
    return _unbatch(out, unbatched)


def adaptive_avg_pool1d(input, output_size):
    """Media en ``output_size`` ventanas casi iguales de (N, C, L) (las de PyTorch)."""
    return _adaptive_avg(1, "adaptive_avg_pool1d", input, output_size)


def adaptive_avg_pool2d(input, output_size):
    """Media en ventanas casi iguales hasta una salida (oH, oW); None deja la dimensión igual."""
    return _adaptive_avg(2, "adaptive_avg_pool2d", input, output_size)


def _adaptive_max(nd, fn, input, output_size, return_indices):
    x, unbatched, spatial, sizes = _adaptive_sizes(nd, fn, input, output_size)
    if any(o == 0 for o in sizes):
        raise RuntimeError(f"{fn}: output_size debe ser positivo, pero es {sizes}.")
    index, lengths, starts = [], [], []
    for i, (n, o) in enumerate(zip(spatial, sizes)):
        start, end = _bounds(n, o)
        k = int((end - start).max())
        idx = np.minimum(start[:, None] + np.arange(k), end[:, None] - 1)   # (o, k)
        shape = [1] * (2 * nd)
        shape[i], shape[nd + i] = o, k
        index.append(idx.reshape(shape))
        lengths.append(k)
        starts.append(idx)
    data = x._data
    windows = data[(Ellipsis,) + tuple(index)]          # (N, C, *salida, *kernel)
    windows = windows.reshape(windows.shape[:2 + nd] + (-1,))
    arg = pl.torch_argmax(windows)
    values = np.take_along_axis(windows, arg[..., None], axis=-1)[..., 0]
    flat = np.zeros(arg.shape, dtype=np.int64)
    rest = arg
    for i in reversed(range(nd)):
        rest, ki = np.divmod(rest, lengths[i]) if i else (None, rest)
        shape = [1] * nd
        shape[i] = sizes[i]
        rows = np.arange(sizes[i]).reshape(shape)
        flat += starts[i][rows, ki] * int(math.prod(spatial[i + 1:]))
    unique = all(n % o == 0 for n, o in zip(spatial, sizes))
    result = _apply(pl.PlaneGather, x, indices=flat, nd=nd, unique=unique, values=values,
                    label=f"AdaptiveMaxPool{nd}DBackward0")
    result = _unbatch(result, unbatched)
    if return_indices:
        return result, Tensor._wrap(flat[0] if unbatched else flat)
    return result


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Máximo en ``output_size`` ventanas casi iguales de (N, C, L)."""
    return _adaptive_max(1, "adaptive_max_pool1d", input, output_size, return_indices)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Máximo en ventanas casi iguales hasta una salida (oH, oW)."""
    return _adaptive_max(2, "adaptive_max_pool2d", input, output_size, return_indices)
