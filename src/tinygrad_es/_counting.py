"""Recuentos sin gradiente: unique, unique_consecutive, bincount, histc y histogram.

Devuelven tensores nuevos fuera del grafo (PyTorch tampoco los deriva). Este módulo no
importa ``tensor.py``.
"""
import builtins

import numpy as np

from . import _dtypes
from ._return_types import result, write_out
from .ops.base import normalize_axis

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _check(input, name):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): el argumento 'input' debe ser un Tensor, no "
                        f"{type(input).__name__}.")


def _pack(input, values, inverse, counts, return_inverse, return_counts):
    out = [input._wrap(np.ascontiguousarray(values))]
    if return_inverse:
        out.append(input._wrap(np.asarray(inverse, dtype=np.int64)))
    if return_counts:
        out.append(input._wrap(np.asarray(counts, dtype=np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """Elementos distintos (ordenados), y si se piden el índice inverso y los recuentos.

    Con ``dim``, las rebanadas distintas a lo largo de esa dimensión.
    """
    _check(input, "unique")
    data = input._data
    if dim is None:
        values, inverse, counts = np.unique(data.reshape(-1), return_inverse=True,
                                            return_counts=True, equal_nan=False)
        inverse = inverse.reshape(data.shape)
    else:
        axis = normalize_axis(dim, data.ndim)[0] if data.ndim else 0
        if data.shape[axis] == 0 or data.size == 0:
            values = data
            inverse = np.zeros(data.shape[axis] if data.ndim else 0, np.int64)
            counts = np.zeros(0, np.int64)
        else:
            values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True,
                                                axis=axis)
            inverse = inverse.reshape(-1)
    return _pack(input, values, inverse, counts, return_inverse, return_counts)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Quita los repetidos seguidos (como ``uniq`` de Unix); sin ordenar."""
    _check(input, "unique_consecutive")
    data = input._data
    if dim is None:
        flat = data.reshape(-1)
        change = np.concatenate([[True], flat[1:] != flat[:-1]]) if flat.size else \
            np.zeros(0, bool)
        values = flat[change]
        group = np.cumsum(change) - 1
        inverse = group.reshape(data.shape)
    else:
        axis = normalize_axis(dim, data.ndim)[0] if data.ndim else 0
        moved = np.moveaxis(data, axis, 0).reshape(data.shape[axis], -1)
        change = np.concatenate([[True], (moved[1:] != moved[:-1]).any(axis=1)]) \
            if moved.shape[0] else np.zeros(0, bool)
        values = np.compress(change, data, axis=axis)
        group = np.cumsum(change) - 1
        inverse = group
    starts = np.flatnonzero(change)
    counts = np.diff(np.append(starts, change.size))
    return _pack(input, values, inverse, counts, return_inverse, return_counts)


def bincount(input, weights=None, minlength=0):
    """Cuántas veces aparece cada entero no negativo (o la suma de sus ``weights``)."""
    _check(input, "bincount")
    data = input._data
    if data.ndim != 1 or data.dtype.kind not in "iub" or (data.size and data.min() < 0):
        raise RuntimeError(
            "bincount() solo admite tensores 1-D de enteros no negativos, y recibió uno "
            f"{_dtypes.dtype_name(data.dtype)} de forma {tuple(data.shape)}"
            + (" con valores negativos." if data.ndim == 1 and data.dtype.kind in "iu" else "."))
    if not isinstance(minlength, (int, np.integer)) or minlength < 0:
        raise RuntimeError(f"bincount(): minlength debe ser un entero no negativo, y es "
                           f"{minlength!r}.")
    if weights is None:
        return input._wrap(np.bincount(data, minlength=minlength).astype(np.int64))
    if not isinstance(weights, Tensor):
        raise TypeError(f"bincount(): weights debe ser un Tensor, no {type(weights).__name__}.")
    w = weights._data
    if w.shape != data.shape:
        raise RuntimeError(
            f"bincount(): weights debe tener la misma forma que input {tuple(data.shape)}, y "
            f"tiene {tuple(w.shape)}.")
    dtype = w.dtype if w.dtype in (np.float32, np.float64) else np.float64
    return input._wrap(np.bincount(data, weights=w.astype(np.float64),
                                   minlength=minlength).astype(dtype))


def histc(input, bins=100, min=0, max=0, *, out=None):
    """Histograma de ``bins`` cajas iguales entre min y max (los de los datos si son 0 y 0)."""
    _check(input, "histc")
    data = input._data
    if data.dtype.kind != "f":
        raise NotImplementedError(
            f"histc() no admite tensores {_dtypes.dtype_name(data.dtype)}: conviértelo antes "
            "con .float().")
    if not isinstance(bins, (int, np.integer)) or bins <= 0:
        raise RuntimeError(f"histc(): bins debe ser un entero positivo, y es {bins!r}.")
    lo, hi = builtins.float(min), builtins.float(max)
    if lo > hi:
        raise RuntimeError(f"histc(): max ({hi:g}) debe ser mayor o igual que min ({lo:g}).")
    if lo == hi and data.size:
        lo, hi = builtins.float(data.min()), builtins.float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"histc(): el rango [{lo}, {hi}] no es finito.")
    flat = data.reshape(-1)
    inside = flat[(flat >= lo) & (flat <= hi)]
    pos = ((inside.astype(np.float64) - lo) * bins / (hi - lo)).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    counts = np.bincount(pos, minlength=bins).astype(data.dtype)
    return write_out(input._wrap(counts), out, "histc")


def histogram(input, bins, *, range=None, weight=None, density=False, out=None):
    """(hist, bin_edges): ``bins`` cajas iguales (un entero) o los bordes dados (un tensor)."""
    _check(input, "histogram")
    data = input._data
    if data.dtype.kind != "f":
        raise RuntimeError(
            f"histogram() necesita un tensor de punto flotante, y este es "
            f"{_dtypes.dtype_name(data.dtype)}. Conviértelo antes con .float().")
    if isinstance(bins, Tensor):
        if bins._data.ndim != 1 or bins._data.size < 1:
            raise RuntimeError("histogram(): bins debe ser un tensor 1-D con los bordes de las "
                               "cajas (al menos uno).")
        edges = bins._data.astype(np.float64)
        if (np.diff(edges) < 0).any():
            raise RuntimeError("histogram(): los bordes de bins deben ser crecientes.")
    elif isinstance(bins, (int, np.integer)) and not isinstance(bins, bool) and bins > 0:
        if range is None:
            lo, hi = (builtins.float(data.min()), builtins.float(data.max())) if data.size \
                else (0.0, 0.0)
        else:
            lo, hi = (builtins.float(v) for v in range)
            if lo > hi:
                raise RuntimeError(f"histogram(): en range, el mínimo ({lo:g}) debe ser menor "
                                   f"o igual que el máximo ({hi:g}).")
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, bins + 1)
    else:
        raise TypeError(f"histogram(): bins debe ser un entero positivo o un tensor 1-D de "
                        f"bordes, no {bins!r}.")
    w = None
    if weight is not None:
        if not isinstance(weight, Tensor) or weight._data.shape != data.shape:
            raise RuntimeError("histogram(): weight debe ser un tensor con la misma forma que "
                               "input.")
        w = weight._data.reshape(-1).astype(np.float64)
    hist, edges = np.histogram(data.reshape(-1).astype(np.float64), bins=edges, weights=w,
                               density=density)
    pair = (input._wrap(hist.astype(data.dtype)), input._wrap(edges.astype(data.dtype)))
    return write_out(result("histogram", pair, ("hist", "bin_edges")), out, "histogram")
