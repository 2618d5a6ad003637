"""Más reducciones de ``Tensor``: nansum, nanmean, std_mean/var_mean, aminmax, logsumexp,
count_nonzero, las acumuladas (cumsum, cumprod, cummax, cummin, logcumsumexp) y diff.

Casi todas son composiciones de operaciones diferenciables (ganan las segundas derivadas);
las acumuladas usan las operaciones de ``ops/scan.py``. ``tensor.py`` las enlaza como
métodos y ``functions.py`` como funciones de ``torch``. Este módulo no importa ``tensor.py``.
"""
import numpy as np

from . import _dtypes
from ._math import where
from ._return_types import inplace, result, write_out
from ._shape import cat
from .ops import scan
from .ops.base import normalize_axis

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _check_tensor(x, name, arg="input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): el argumento '{arg}' debe ser un Tensor, no "
                        f"{type(x).__name__}.")


def _float_only(x, name):
    if x._data.dtype.kind != "f":
        raise RuntimeError(
            f"{name}() necesita un tensor de punto flotante, y este es "
            f"{_dtypes.dtype_name(x._data.dtype)}. Conviértelo antes con .float().")


def _one_dim(x, dim, name):
    """``dim`` (un entero) como eje no negativo; un tensor 0-d admite 0 y -1."""
    if dim is None or isinstance(dim, (tuple, list)) or isinstance(dim, bool):
        raise TypeError(f"{name}(): dim debe ser un entero (una sola dimensión), no {dim!r}.")
    axes = normalize_axis(int(dim), x._data.ndim)
    return axes[0] if axes else 0


def _const(x, array):
    return x._wrap(np.asarray(array))


# --- nansum, nanmean, std_mean, var_mean, aminmax -------------------------------------------
def nansum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None, out=None):
    """Suma tratando los NaN como 0 (su gradiente es 0)."""
    _check_tensor(input, "nansum")
    dim = axis if dim is None else dim
    keepdim = keepdim if keepdims is None else keepdims
    src = input
    if src._data.dtype.kind == "f":
        nan = np.isnan(src._data)
        if nan.any():
            src = where(_const(src, nan), 0.0, src)
    return write_out(src.sum(dim, keepdim=keepdim, dtype=dtype), out, "nansum")


def nanmean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None, out=None):
    """Media de los elementos que no son NaN."""
    _check_tensor(input, "nanmean")
    src = input if dtype is None else input.type(dtype)
    _float_only(src, "nanmean")
    dim = axis if dim is None else dim
    keepdim = keepdim if keepdims is None else keepdims
    count = np.sum(~np.isnan(src._data), axis=normalize_axis(dim, src._data.ndim),
                   keepdims=keepdim).astype(src._data.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        return write_out(nansum(src, dim, keepdim) / _const(src, count), out, "nanmean")


def _moments(name, input, dim, unbiased, keepdim, correction, out):
    _check_tensor(input, name)
    if isinstance(dim, bool):   # std_mean(x, True): la sobrecarga (input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}(): usa unbiased o correction, no los dos.")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    spread = (input.std if name == "std_mean" else input.var)(
        dim, keepdim=keepdim, correction=correction)
    return write_out((spread, input.mean(dim, keepdim=keepdim)), out, name)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """(desviación típica, media) a la vez, como ``torch.std_mean``."""
    return _moments("std_mean", input, dim, unbiased, keepdim, correction, out)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """(varianza, media) a la vez, como ``torch.var_mean``."""
    return _moments("var_mean", input, dim, unbiased, keepdim, correction, out)


def aminmax(input, *, dim=None, keepdim=False, out=None):
    """(min, max): con empates el gradiente se reparte a partes iguales (como amin/amax)."""
    _check_tensor(input, "aminmax")
    if dim is not None and isinstance(dim, (tuple, list)):
        raise TypeError(f"aminmax(): dim debe ser un entero, no {dim!r}.")
    pair = (input.amin(dim, keepdim=keepdim), input.amax(dim, keepdim=keepdim))
    return write_out(result("aminmax", pair, ("min", "max")), out, "aminmax")


# --- logsumexp, count_nonzero ----------------------------------------------------------------
def logsumexp(input, dim=None, keepdim=False, *, out=None):
    """log(Σ exp(x)) estable: se resta el máximo (constante) antes de exponenciar."""
    _check_tensor(input, "logsumexp")
    if dim is None:
        raise TypeError(
            "logsumexp() necesita el argumento dim (la dimensión o dimensiones que se reducen); "
            "para todas usa dim=tuple(range(x.ndim)).")
    x = input if input._data.dtype.kind == "f" else input.float()
    axes = normalize_axis(dim, x._data.ndim)
    if x._data.size == 0:
        shift = np.zeros([1 if i in axes else d for i, d in enumerate(x._data.shape)],
                         x._data.dtype)
    else:
        shift = np.max(x._data, axis=axes, keepdims=True)
        shift = np.where(np.isfinite(shift), shift, 0).astype(x._data.dtype)
    with np.errstate(divide="ignore"):
        total = (x - _const(x, shift)).exp().sum(axes, keepdim=True).log() + _const(x, shift)
    if not keepdim and x._data.ndim:
        total = total.reshape(tuple(d for i, d in enumerate(x._data.shape) if i not in axes))
    return write_out(total, out, "logsumexp")


def count_nonzero(input, dim=None):
    """Número de elementos distintos de cero (int64), en total o a lo largo de ``dim``."""
    _check_tensor(input, "count_nonzero")
    axes = None if dim is None else normalize_axis(dim, input._data.ndim)
    return input._wrap(np.asarray(np.count_nonzero(input._data, axis=axes), dtype=np.int64))


# --- acumuladas ------------------------------------------------------------------------------
def _scan_input(input, dim, dtype, name):
    _check_tensor(input, name)
    axis = _one_dim(input, dim, name)
    src = input if dtype is None else input.type(dtype)
    if dtype is None and src._data.dtype.kind in "biu" and src._data.dtype != np.int64:
        src = src.long()   # como PyTorch: bool y enteros se acumulan en int64
    return src, axis


def cumsum(input, dim=None, *, dtype=None, out=None, axis=None):
    """Suma acumulada a lo largo de ``dim``."""
    src, axis = _scan_input(input, axis if dim is None else dim, dtype, "cumsum")
    return write_out(src._apply(scan.Cumsum, src, axis=axis), out, "cumsum")


def cumprod(input, dim=None, *, dtype=None, out=None, axis=None):
    """Producto acumulado a lo largo de ``dim`` (gradiente correcto también con ceros)."""
    src, axis = _scan_input(input, axis if dim is None else dim, dtype, "cumprod")
    return write_out(src._apply(scan.Cumprod, src, axis=axis), out, "cumprod")


def cumsum_(self, dim, *, dtype=None):
    return inplace(self, lambda src: cumsum(src, dim, dtype=dtype), "cumsum_")


def cumprod_(self, dim, *, dtype=None):
    return inplace(self, lambda src: cumprod(src, dim, dtype=dtype), "cumprod_")


def _cum_extreme(input, dim, out, name, ufunc):
    _check_tensor(input, name)
    axis = _one_dim(input, dim, name)
    x = input if input._data.ndim else input.reshape(1)
    data = x._data
    if data.size == 0:
        indices = np.zeros(data.shape, np.int64)
    else:
        running = ufunc.accumulate(data, axis=axis)
        shape = [1] * data.ndim
        shape[axis] = data.shape[axis]
        positions = np.arange(data.shape[axis]).reshape(shape)
        update = data == running   # con empates gana el último, como PyTorch
        if data.dtype.kind == "f":
            update |= np.isnan(data)
        indices = np.maximum.accumulate(np.where(update, positions, 0), axis=axis)
    values = x._apply(scan.GatherAlong, x, indices=indices, axis=axis,
                      label=name.capitalize() + "Backward0")
    if not input._data.ndim:
        values, indices = values.reshape(()), indices.reshape(())
    pair = result(name, (values, input._wrap(indices.astype(np.int64, copy=False))))
    return write_out(pair, out, name)


def cummax(input, dim=None, *, out=None, axis=None):
    """(valores, índices) del máximo acumulado; el gradiente va al índice de cada uno."""
    return _cum_extreme(input, axis if dim is None else dim, out, "cummax", np.maximum)


def cummin(input, dim=None, *, out=None, axis=None):
    """(valores, índices) del mínimo acumulado; el gradiente va al índice de cada uno."""
    return _cum_extreme(input, axis if dim is None else dim, out, "cummin", np.minimum)


def logcumsumexp(input, dim=None, *, out=None, axis=None):
    """log(Σ_{j ≤ i} exp(x_j)) a lo largo de ``dim``, sin desbordarse."""
    _check_tensor(input, "logcumsumexp")
    axis = _one_dim(input, axis if dim is None else dim, "logcumsumexp")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"logcumsumexp() no admite tensores {_dtypes.dtype_name(input._data.dtype)}: "
            "conviértelo antes con .float().")
    return write_out(input._apply(scan.LogCumSumExp, input, axis=axis), out, "logcumsumexp")


# --- diff ------------------------------------------------------------------------------------
def diff(input, n=1, dim=-1, prepend=None, append=None, *, out=None):
    """Diferencia n-ésima hacia delante a lo largo de ``dim`` (con ``prepend``/``append``)."""
    _check_tensor(input, "diff")
    if input._data.ndim == 0:
        raise RuntimeError("diff() necesita un tensor de al menos 1 dimensión, y este es 0-d.")
    axis = _one_dim(input, dim, "diff")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise RuntimeError(f"diff(): n debe ser un entero no negativo, y es {n!r}.")
    pieces = []
    for name, extra in (("prepend", prepend), ("input", input), ("append", append)):
        if extra is None:
            continue
        if not isinstance(extra, Tensor):
            raise TypeError(f"diff(): {name} debe ser un Tensor, no {type(extra).__name__}.")
        if extra._data.ndim != input._data.ndim:
            raise RuntimeError(
                f"diff(): {name} debe tener las mismas dimensiones que input "
                f"({input._data.ndim}), y tiene {extra._data.ndim}.")
        pieces.append(extra)
    x = cat(pieces, axis) if len(pieces) > 1 else input
    lead = (slice(None),) * axis
    for _ in range(n):
        size = x._data.shape[axis]
        if size == 0:
            break
        hi, lo = x[lead + (slice(1, None),)], x[lead + (slice(0, size - 1),)]
        if x._data.dtype.kind == "b":
            x = x._wrap(np.logical_xor(hi._data, lo._data))
        else:
            x = hi - lo
    return write_out(x, out, "diff")
