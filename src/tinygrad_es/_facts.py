"""Comparaciones con nombre largo (greater, less...), isclose y hechos de tensores y tipos:
is_floating_point, is_nonzero, finfo, iinfo, result_type, promote_types y can_cast.

Nada de esto tiene gradiente. Este módulo no importa ``tensor.py``.
"""
import builtins

import numpy as np

from . import _dtypes
from ._math import where
from ._return_types import inplace, write_out

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


# --- comparaciones ---------------------------------------------------------------------------
def _comparison(method, name):
    def compare(input, other, *, out=None):
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): el argumento 'input' debe ser un Tensor, no "
                            f"{type(input).__name__}.")
        return write_out(getattr(input, method)(other), out, name)

    def compute(src, other):
        values = src._wrap(getattr(src, method)(other)._data.astype(src._data.dtype))
        if not src.requires_grad:
            return values
        # en el grafo (gradiente 0 hacia src, como PyTorch): todo se toma de values
        return where(src._wrap(np.ones(src._data.shape, dtype=bool)), values, src)

    def compare_(self, other):
        return inplace(self, lambda src: compute(src, other), name + "_")

    compare.__name__, compare_.__name__ = name, name + "_"
    compare.__doc__ = f"Como ``torch.{name}``: alias de ``{method.strip('_')}`` (sin gradiente)."
    return compare, compare_


greater, greater_ = _comparison("__gt__", "greater")
greater_equal, greater_equal_ = _comparison("__ge__", "greater_equal")
less, less_ = _comparison("__lt__", "less")
less_equal, less_equal_ = _comparison("__le__", "less_equal")
not_equal, not_equal_ = _comparison("__ne__", "not_equal")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|input - other| <= atol + rtol·|other| elemento a elemento (tensor bool)."""
    for arg, x in (("input", input), ("other", other)):
        if not isinstance(x, Tensor):
            raise TypeError(f"isclose(): el argumento '{arg}' debe ser un Tensor, no "
                            f"{type(x).__name__}.")
    a, b = input._data, other._data
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"isclose() necesita dos tensores del mismo dtype, y recibió "
            f"{_dtypes.dtype_name(a.dtype)} y {_dtypes.dtype_name(b.dtype)}. Convierte uno con "
            ".to(otro.dtype).")
    if rtol < 0 or atol < 0:
        raise RuntimeError(f"isclose(): rtol y atol deben ser >= 0 (rtol={rtol}, atol={atol}).")
    if a.dtype.kind in "biu":
        if a.dtype.kind == "b":
            return input._wrap(np.asarray(a == b))
        with np.errstate(over="ignore"):
            close = np.abs(a.astype(np.float64) - b) <= atol + rtol * np.abs(b.astype(np.float64))
        return input._wrap(np.asarray(close | (a == b)))
    return input._wrap(np.asarray(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


# --- hechos de tensores ----------------------------------------------------------------------
def is_floating_point(input):
    if not isinstance(input, Tensor):
        raise TypeError(f"is_floating_point(): el argumento debe ser un Tensor, no "
                        f"{type(input).__name__}.")
    return input._data.dtype.kind == "f"


def is_nonzero(input):
    """¿Es distinto de cero el único elemento del tensor?"""
    if not isinstance(input, Tensor):
        raise TypeError(f"is_nonzero(): el argumento debe ser un Tensor, no "
                        f"{type(input).__name__}.")
    if input._data.size == 0:
        raise RuntimeError("is_nonzero(): el tensor no tiene elementos (su valor de verdad es "
                           "ambiguo).")
    if input._data.size > 1:
        raise RuntimeError(
            f"is_nonzero(): el tensor tiene {input._data.size} elementos y su valor de verdad "
            "es ambiguo; solo admite tensores de un elemento. Usa .any() o .all().")
    return builtins.bool(input._data.reshape(-1)[0] != 0)


def _dtype_arg(dtype, name):
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name}(): {dtype!r} no es un dtype (p. ej. torch.float32).") from None


def _short(value):
    return f"{value:.6g}"


class finfo:
    """Límites de un dtype de punto flotante, como ``torch.finfo``."""

    def __init__(self, type=None):
        dt = _dtypes.default_float if type is None else _dtype_arg(type, "finfo")
        if dt.kind != "f":
            raise TypeError(
                f"finfo() necesita un dtype de punto flotante, y recibió "
                f"{_dtypes.dtype_name(dt)}. Para enteros usa torch.iinfo.")
        info = np.finfo(dt)
        self.bits = info.bits
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision   # como PyTorch: 10^-(dígitos decimales)
        self.dtype = _dtypes._NAMES[dt]

    def __repr__(self):
        return (f"finfo(resolution={_short(self.resolution)}, min={_short(self.min)}, "
                f"max={_short(self.max)}, eps={_short(self.eps)}, smallest_normal="
                f"{_short(self.smallest_normal)}, tiny={_short(self.tiny)}, dtype={self.dtype})")

    def __eq__(self, other):
        return isinstance(other, finfo) and self.dtype == other.dtype

    def __hash__(self):
        return hash(("finfo", self.dtype))


class iinfo:
    """Límites de un dtype entero, como ``torch.iinfo``."""

    def __init__(self, type):
        dt = _dtype_arg(type, "iinfo")
        if dt.kind == "b":
            raise TypeError("iinfo() no admite torch.bool (solo dtypes enteros).")
        if dt.kind not in "iu":
            raise TypeError(
                f"iinfo() necesita un dtype entero, y recibió {_dtypes.dtype_name(dt)}. Para "
                "punto flotante usa torch.finfo.")
        info = np.iinfo(dt)
        self.bits, self.max, self.min = info.bits, builtins.int(info.max), builtins.int(info.min)
        self.dtype = _dtypes._NAMES[dt]

    def __repr__(self):
        return f"iinfo(min={_short(self.min)}, max={_short(self.max)}, dtype={self.dtype})"

    def __eq__(self, other):
        return isinstance(other, iinfo) and self.dtype == other.dtype

    def __hash__(self):
        return hash(("iinfo", self.dtype))


def _operand(x, name):
    if isinstance(x, Tensor):
        return x._data.dtype, (0 if x._data.ndim else 1)
    if isinstance(x, (builtins.bool, builtins.int, builtins.float, np.number, np.bool_)):
        return _dtypes.scalar_dtype(x), 2
    raise TypeError(f"result_type(): {name} debe ser un Tensor o un número, no "
                    f"{type(x).__name__}.")


def result_type(tensor, other):
    """dtype del resultado de una operación aritmética entre los dos (reglas de PyTorch)."""
    return _dtypes.result_type([_operand(tensor, "tensor"), _operand(other, "other")])


def promote_types(type1, type2):
    """El dtype más pequeño al que se pueden convertir los dos sin perder su categoría."""
    return _dtypes.promote_types(_dtype_arg(type1, "promote_types"),
                                 _dtype_arg(type2, "promote_types"))


def can_cast(from_, to):
    """¿Permite PyTorch esta conversión? (no se baja de categoría: float -> int no)."""
    a, b = _dtype_arg(from_, "can_cast"), _dtype_arg(to, "can_cast")
    return _dtypes.category(a) <= _dtypes.category(b)
