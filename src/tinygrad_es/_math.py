"""Aritmética de ``Tensor``: la promoción de tipos de PyTorch, los operadores y ``matmul``.

``tensor.py`` enlaza estas funciones como métodos (``__add__`` llama a ``binary(ew.Add, ...)``;
``sub``, ``matmul``, ``clamp``... son métodos tal cual): reciben el tensor como primer argumento.
La promoción de tipos (las reglas de PyTorch, no las de NumPy) se decide en ``promote_pair``.

Este módulo está por debajo de ``tensor.py`` en las capas (no lo importa): la clase ``Tensor``
se la da ``tensor.py`` al definirla.
"""
import numpy as np

from . import _dtypes
from ._creation_base import to_array
from .errors import ShapeError, shape_text
from .ops import elementwise as ew
from .ops import selection as sel
from .ops import linalg

Tensor = None   # la clase Tensor: la pone tensor.py al definirla

SCALARS = (int, float, bool, np.number, np.bool_)


def _kind(x):
    return 0 if x._data.ndim else 1


def as_tensor(value):
    """Convierte listas o ndarrays en tensores constantes (sin gradiente), como ``torch.tensor``."""
    return Tensor._wrap(to_array(value))


def cast(t, dtype):
    return t if t._data.dtype == dtype else t._apply(ew.Cast, t, dtype=dtype)


def float_input(t):
    """Las funciones como exp o sigmoid devuelven float32 para entradas enteras (PyTorch)."""
    return t if t._data.dtype.kind == "f" else cast(t, _dtypes.default_float)


def promote_pair(x, y, true_div=False):
    """Lleva dos operandos al dtype común según PyTorch.

    Uno de ``x``/``y`` es un Tensor; el otro puede ser Tensor, escalar, lista o ndarray.
    Devuelve dos Tensores, o un Tensor y una constante escalar de NumPy del dtype común.
    """
    x_is, y_is = isinstance(x, Tensor), isinstance(y, Tensor)
    if x_is and y_is:
        dx, dy = x._data.dtype, y._data.dtype
        if dx == dy and (dx.kind == "f" or not true_div):   # lo habitual: nada que convertir
            return x, y
        dtype = dx if dx == dy else _dtypes.result_type([(dx, _kind(x)), (dy, _kind(y))])
        if true_div and dtype.kind != "f":
            dtype = _dtypes.default_float
        return cast(x, dtype), cast(y, dtype)
    t, other = (x, y) if x_is else (y, x)
    if not isinstance(other, SCALARS):
        other = as_tensor(other)
        return promote_pair(x if x_is else other, y if y_is else other, true_div)
    dt = t._data.dtype
    if dt.kind == "f":
        dtype = dt
    else:
        dtype = _dtypes.result_type([(dt, _kind(t)), (_dtypes.scalar_dtype(other), 2)])
        if true_div and dtype.kind != "f":
            dtype = _dtypes.default_float
    const = dtype.type(other)
    t = cast(t, dtype)
    return (t, const) if x_is else (const, t)


def binary(op, x, y, true_div=False, **options):
    """Aplica un operador binario con la promoción de tipos de PyTorch."""
    a, b = promote_pair(x, y, true_div)
    return (a if isinstance(a, Tensor) else b)._apply(op, a, b, **options)


def _plain(x):
    return x.detach() if isinstance(x, Tensor) else x


def divide_no_grad(func, x, y, name):
    """``//`` y ``%`` (sin gradiente) con la promoción de PyTorch; entero entre 0: error."""
    a, b = promote_pair(_plain(x), _plain(y))
    raw = [v._data if isinstance(v, Tensor) else v for v in (a, b)]
    out = ew.divide_checked(func, raw[0], raw[1], name)
    return (a if isinstance(a, Tensor) else b)._wrap(np.asarray(out))


def _is_bool(x):
    return isinstance(x, (bool, np.bool_)) or (
        isinstance(x, Tensor) and x._data.dtype.kind == "b")


def _bool_sub_error(x, y):
    """Como PyTorch: restar con tensores bool es un error (dos bool: usa ^; uno: usa ~)."""
    raise RuntimeError(ew.BOOL_SUB_BOTH if _is_bool(x) and _is_bool(y) else ew.BOOL_SUB_ONE)


# --- métodos ------------------------------------------------------------------------------
def sub(self, other):
    if self._data.dtype.kind == "b" or _is_bool(other):
        _bool_sub_error(self, other)
    return binary(ew.Sub, self, other)


def rsub(self, other):
    if self._data.dtype.kind == "b" or _is_bool(other):
        _bool_sub_error(self, other)
    return binary(ew.Sub, other, self)


def div(self, other, *, rounding_mode=None):
    """``a / b``; con ``rounding_mode='floor'`` o ``'trunc'``, el cociente redondeado."""
    if rounding_mode is None:
        return binary(ew.Div, self, other, true_div=True)
    if rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(
            f"div: rounding_mode debe ser None, 'trunc' o 'floor', y es {rounding_mode!r}.")
    return binary(ew.DivRounding, self, other, rounding_mode=rounding_mode)


def matmul(self, other):
    other = other if isinstance(other, Tensor) else as_tensor(other)
    if self._data.dtype != other._data.dtype:
        raise RuntimeError(
            f"matmul necesita dos tensores del mismo tipo, pero recibió "
            f"{_dtypes.dtype_name(self.dtype)} y {_dtypes.dtype_name(other.dtype)}. "
            "Convierte uno de los dos con .float() o .double().")
    if self._data.ndim == 0 or other._data.ndim == 0:
        raise RuntimeError(
            "matmul no admite tensores de 0 dimensiones (escalares): usa * para "
            f"multiplicar por un escalar. Formas recibidas: {shape_text(self)} y "
            f"{shape_text(other)}.")
    return self._apply(linalg.MatMul, self, other)


def rmatmul(self, other):
    return matmul(as_tensor(other), self)


def mm(self, mat2):
    """Producto de dos matrices (solo 2-D, como ``torch.mm``)."""
    other = mat2
    if self._data.ndim != 2 or np.ndim(other) != 2:
        raise ShapeError(
            f"mm multiplica dos matrices (2-D), pero recibió formas {shape_text(self)} y "
            f"{shape_text(other)}. Para lotes usa bmm o matmul (@).")
    return matmul(self, other)


def bmm(self, mat2):
    """Producto por lotes: (b, n, m) @ (b, m, p), como ``torch.bmm`` (sin difusión)."""
    other = mat2
    if (self._data.ndim != 3 or np.ndim(other) != 3
            or self._data.shape[0] != np.shape(other)[0]):
        raise ShapeError(
            f"bmm necesita dos tensores 3-D con el mismo tamaño de lote (b, n, m) y "
            f"(b, m, p), pero recibió formas {shape_text(self)} y {shape_text(other)}. "
            "Para matrices usa mm o @.")
    return matmul(self, other)


def clamp(self, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("clamp necesita al menos uno de los límites min o max.")
    unwrap = (lambda v: v.item() if hasattr(v, "item") and not isinstance(v, SCALARS) else v)
    return self._apply(sel.Clamp, self, min=unwrap(min), max=unwrap(max))


def where(condition, input, other):
    """Elige ``input`` donde ``condition`` es verdadera y ``other`` donde no."""
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype.kind != "b":
        raise TypeError(
            f"where espera una condición de tipo bool, pero recibió "
            f"{_dtypes.dtype_name(cond.dtype)}. Usa una comparación (x > 0) o .bool().")
    a, b = promote_pair(input, other)
    return Tensor._apply(sel.Where, cond, a, b)
