"""Estadísticos de orden de ``Tensor``: median, nanmedian, mode, kthvalue, quantile,
nanquantile y msort.

El valor elegido se toma con ``TakeAlongDim`` (el gradiente va entero a su índice, como
PyTorch); ``median()`` sin dim reparte el gradiente entre los empatados (como PyTorch), y
quantile interpola entre dos valores ordenados con pesos constantes. Con empates, el índice
que devuelven median(dim) y kthvalue es el de la ordenación estable (el valor coincide con
PyTorch; su índice entre empatados depende de su algoritmo de selección). Este módulo no
importa ``tensor.py``.
"""
import numpy as np

from . import _dtypes
from ._math import where
from ._return_types import result, write_out
from .ops import reduce as red
from .ops import scan
from .ops.base import normalize_axis

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _check(input, name):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): el argumento 'input' debe ser un Tensor, no "
                        f"{type(input).__name__}.")


def _axis(input, dim, name):
    if isinstance(dim, (tuple, list, bool)) or dim is None:
        raise TypeError(f"{name}(): dim debe ser un entero (una sola dimensión), no {dim!r}.")
    axes = normalize_axis(int(dim), input._data.ndim)
    return axes[0] if axes else 0


def _empty_check(input, axis, name):
    if input._data.size == 0:
        raise IndexError(
            f"{name}(): no se puede elegir un valor de un tensor vacío (forma "
            f"{tuple(input._data.shape)}) a lo largo de la dimensión {axis}.")


def _select(input, axis, index, keepdim, name, fields=("values", "indices")):
    """(valores, índices) con ``index`` (forma de keepdim) a lo largo de ``axis``."""
    x = input if input._data.ndim else input.reshape(1)
    values = x._apply(red.TakeAlongDim, x, indices=index, axis=axis, keepdim=keepdim,
                      label=name.capitalize() + "Backward" + ("1" if name == "median" else "0"))
    idx = index if keepdim else np.squeeze(index, axis=axis)
    if not input._data.ndim:
        values, idx = values.reshape(()), idx.reshape(())
    return result(name, (values, input._wrap(np.asarray(idx, dtype=np.int64))), fields)


def _sorted_position(data, axis, position):
    """Índice (con keepdim) del elemento que queda en ``position`` al ordenar (NaN al final)."""
    order = np.argsort(data, axis=axis, kind="stable")
    return np.take_along_axis(order, position, axis=axis)


# --- median, nanmedian -----------------------------------------------------------------------
def _median(input, dim, keepdim, out, ignore_nan):
    name = "nanmedian" if ignore_nan else "median"
    _check(input, name)
    data = input._data
    if dim is None:
        if data.size == 0:
            return input._wrap(np.asarray(np.nan, dtype=data.dtype)) if data.dtype.kind == "f" \
                else _empty_check(input, 0, name)
        flat = np.sort(data.reshape(-1), kind="stable")
        nan = np.isnan(flat) if data.dtype.kind == "f" else np.zeros(flat.shape, bool)
        count = flat.size - int(nan.sum()) if ignore_nan else flat.size
        if nan.any() and (not ignore_nan or count == 0):
            return write_out(_nan_of(input), out, name)
        m = flat[(count - 1) // 2]
        chosen = input._wrap(data == m)
        # el máximo de los iguales a la mediana: mismo valor y gradiente repartido entre ellos
        picked = where(chosen, input, -np.inf if data.dtype.kind == "f" else
                       np.iinfo(data.dtype).min)
        return write_out(picked._apply(red.Amax, picked, label=name.capitalize() + "Backward0"),
                         out, name)
    axis = _axis(input, dim, name)
    _empty_check(input, axis, name)
    x = data if data.ndim else data.reshape(1)
    n = x.shape[axis]
    if data.dtype.kind == "f":
        nans = np.isnan(x).sum(axis=axis, keepdims=True)
        valid = n - nans
        position = np.where(valid > 0, (valid - 1) // 2, 0) if ignore_nan else \
            np.where(nans > 0, valid, (n - 1) // 2)
    else:
        position = np.full([1 if i == axis else d for i, d in enumerate(x.shape)], (n - 1) // 2)
    index = _sorted_position(x, axis, position.astype(np.int64))
    return write_out(_select(input, axis, index, keepdim, name), out, name)


def _nan_of(input):
    """median() de un tensor con NaN: NaN, con el gradiente repartido entre los NaN."""
    mask = input._wrap(np.isnan(input._data))
    picked = where(mask, input, -np.inf)
    return picked._apply(red.Amax, picked, label="MedianBackward0")


def median(input, dim=None, keepdim=False, *, out=None):
    """Mediana (la menor de las dos centrales); con dim, (valores, índices)."""
    return _median(input, dim, keepdim, out, ignore_nan=False)


def nanmedian(input, dim=None, keepdim=False, *, out=None):
    """Como ``median`` ignorando los NaN (NaN solo si todos lo son)."""
    return _median(input, dim, keepdim, out, ignore_nan=True)


# --- kthvalue, mode, msort -------------------------------------------------------------------
def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """El k-ésimo menor (k empieza en 1) a lo largo de ``dim``: (valores, índices)."""
    _check(input, "kthvalue")
    axis = _axis(input, dim, "kthvalue")
    x = input._data if input._data.ndim else input._data.reshape(1)
    size = x.shape[axis]
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 1 <= k <= size:
        raise RuntimeError(
            f"kthvalue(): k={k!r} está fuera de rango: la dimensión {dim} tiene {size} "
            f"elementos (k va de 1 a {size}).")
    position = np.full([1 if i == axis else d for i, d in enumerate(x.shape)], k - 1)
    index = _sorted_position(x, axis, position)
    return write_out(_select(input, axis, index, keepdim, "kthvalue"), out, "kthvalue")


def mode(input, dim=-1, keepdim=False, *, out=None):
    """El valor más frecuente (el menor si hay empate) y el índice de su última aparición."""
    _check(input, "mode")
    axis = _axis(input, dim, "mode")
    _empty_check(input, axis, "mode")
    x = input._data if input._data.ndim else input._data.reshape(1)
    rows = np.moveaxis(x, axis, -1)
    n = rows.shape[-1]
    s = np.sort(rows, axis=-1)
    pos = np.arange(n)
    same = (s[..., 1:] == s[..., :-1]) | (np.isnan(s[..., 1:]) & np.isnan(s[..., :-1]))
    starts = np.concatenate([np.ones(s.shape[:-1] + (1,), bool), ~same], axis=-1)
    ends = np.concatenate([~same, np.ones(s.shape[:-1] + (1,), bool)], axis=-1)
    first = np.maximum.accumulate(np.where(starts, pos, 0), axis=-1)
    last = np.flip(np.minimum.accumulate(np.flip(np.where(ends, pos, n), -1), axis=-1), -1)
    best = np.argmax(last - first, axis=-1)[..., None]
    value = np.take_along_axis(s, best, axis=-1)
    match = (rows == value) | (np.isnan(rows) & np.isnan(value))
    index = n - 1 - np.argmax(np.flip(match, -1), axis=-1)[..., None]
    index = np.moveaxis(index, -1, axis)
    return write_out(_select(input, axis, index, keepdim, "mode"), out, "mode")


def msort(input, *, out=None):
    """Ordena a lo largo de la primera dimensión (``sort(dim=0).values``)."""
    _check(input, "msort")
    return write_out(input.sort(0).values, out, "msort")


# --- quantile, nanquantile -------------------------------------------------------------------
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input, q, dim, keepdim, interpolation, out, ignore_nan):
    name = "nanquantile" if ignore_nan else "quantile"
    _check(input, name)
    data = input._data
    if data.dtype.kind != "f":
        raise RuntimeError(
            f"{name}() necesita un tensor float32 o float64, y este es "
            f"{_dtypes.dtype_name(data.dtype)}. Conviértelo antes con .float().")
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"{name}(): interpolation={interpolation!r} no existe; usa una de "
            + ", ".join(repr(i) for i in _INTERPOLATIONS) + ".")
    if isinstance(q, Tensor):
        if q._data.dtype != data.dtype:
            raise RuntimeError(
                f"{name}(): q debe tener el mismo dtype que input "
                f"({_dtypes.dtype_name(data.dtype)}), y es {_dtypes.dtype_name(q._data.dtype)}.")
        if q._data.ndim > 1:
            raise RuntimeError(f"{name}(): q debe ser un escalar o un tensor 1-D, y tiene forma "
                               f"{tuple(q._data.shape)}.")
        qs, scalar = q._data.astype(np.float64).reshape(-1), q._data.ndim == 0
    elif isinstance(q, (int, float, np.floating, np.integer)) and not isinstance(q, bool):
        qs, scalar = np.array([float(q)]), True
    else:
        raise TypeError(f"{name}(): q debe ser un número o un Tensor, no {type(q).__name__}.")
    if ((qs < 0) | (qs > 1)).any() or np.isnan(qs).any():
        raise RuntimeError(f"{name}(): los valores de q deben estar en el intervalo [0, 1].")
    if data.size == 0:
        raise IndexError(f"{name}(): el tensor está vacío (forma {tuple(data.shape)}).")
    if dim is None:
        x, axis = input.reshape(-1), 0
    else:
        axis = _axis(input, dim, name)
        x = input if data.ndim else input.reshape(1)
    last = x._data.ndim - 1
    order = list(range(x._data.ndim))
    order.append(order.pop(axis))
    sorted_x = x.permute(*order).sort(-1).values   # (…, n), NaN al final
    n = sorted_x._data.shape[-1]
    nans = np.isnan(sorted_x._data).sum(axis=-1, keepdims=True)   # (…, 1)
    scale = np.maximum(n - nans - 1, 0) if ignore_nan else np.full(nans.shape, n - 1)
    rank_of_q = qs * scale   # (…, Q)
    rank = np.where(nans == n if ignore_nan else nans > 0, n - 1, rank_of_q)
    rank = rank.astype(np.float64)
    if interpolation == "nearest":
        rank = np.round(rank)
    lo = np.floor(rank).astype(np.int64)
    hi = np.ceil(rank).astype(np.int64)
    dt = data.dtype
    # varios q pueden caer en el mismo índice: el gradiente se suma (GatherAlong)
    take = (lambda idx: sorted_x._apply(scan.GatherAlong, sorted_x, indices=idx, axis=last))
    if interpolation in ("lower", "nearest"):
        out_t = take(lo)
    elif interpolation == "higher":
        out_t = take(hi)
    else:
        weight = (np.full(rank.shape, 0.5) if interpolation == "midpoint" else rank - lo)
        weight = weight.astype(dt)
        a, b = take(lo), take(hi)
        w = x._wrap(weight)
        if interpolation == "linear" and isinstance(q, Tensor) and q.requires_grad:
            # como PyTorch: el peso q·(n - 1) - ⌊rango⌋ también se deriva respecto a q
            fixed = x._wrap(rank != rank_of_q)
            w = where(fixed, w, q.reshape(-1) * x._wrap(scale.astype(dt)) - x._wrap(lo.astype(dt)))
        small = x._wrap(weight < 0.5)
        out_t = where(small, a + w * (b - a), b - (b - a) * (1 - w))
    # (…, Q) -> (Q, …) con la dimensión reducida en su sitio si keepdim
    if keepdim:
        out_t = out_t.unsqueeze(-2)   # (…, 1, Q): el 1 es la dimensión reducida
        back = list(range(out_t.ndim - 2))
        back.insert(axis, out_t.ndim - 2)
        out_t = out_t.permute(*back, out_t.ndim - 1)
        if dim is None:
            out_t = out_t.reshape((1,) * data.ndim + (len(qs),))
    out_t = out_t.permute(out_t.ndim - 1, *range(out_t.ndim - 1))
    if scalar:
        out_t = out_t.squeeze(0)
    return write_out(out_t, out, name)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """Cuantiles q (número o tensor 1-D en [0, 1]) a lo largo de ``dim`` (o de todo)."""
    return _quantile(input, q, dim, keepdim, interpolation, out, ignore_nan=False)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """Como ``quantile`` ignorando los NaN."""
    return _quantile(input, q, dim, keepdim, interpolation, out, ignore_nan=True)
