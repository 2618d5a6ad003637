"""Métodos aritméticos, elemento a elemento, reducciones y comparaciones de ``Tensor``.

Cada método es una línea que llama a una operación de ``ops/``; la promoción de tipos
(las reglas de PyTorch, no las de NumPy) se decide en ``_binary``.
"""
import numpy as np

from . import _dtypes
from .errors import ShapeError, shape_text
from .ops import elementwise as ew
from .ops import linalg, nnops
from .ops import reduce as red
from .ops.base import normalize_axis

_SCALARS = (int, float, bool, np.number, np.bool_)


def _kind(x):
    return 0 if x._data.ndim else 1


def _as_tensor(value, like):
    """Convierte listas o ndarrays en tensores constantes (sin gradiente)."""
    from .creation import tensor
    return tensor(value)


def _cast(t, dtype):
    return t if t._data.dtype == dtype else t._apply(ew.Cast, t, dtype=dtype)


def promote_pair(x, y, true_div=False):
    """Lleva dos operandos al dtype común según PyTorch.

    Uno de ``x``/``y`` es un Tensor; el otro puede ser Tensor, escalar, lista o ndarray.
    Devuelve dos Tensores, o un Tensor y una constante escalar de NumPy del dtype común.
    """
    x_is, y_is = isinstance(x, MathMixin), isinstance(y, MathMixin)
    if x_is and y_is:
        dx, dy = x._data.dtype, y._data.dtype
        dtype = dx if dx == dy else _dtypes.result_type([(dx, _kind(x)), (dy, _kind(y))])
        if true_div and dtype.kind != "f":
            dtype = _dtypes.default_float
        return _cast(x, dtype), _cast(y, dtype)
    t, other = (x, y) if x_is else (y, x)
    if not isinstance(other, _SCALARS):
        other = _as_tensor(other, t)
        return promote_pair(x if x_is else other, y if y_is else other, true_div)
    dt = t._data.dtype
    if dt.kind == "f":
        dtype = dt
    else:
        dtype = _dtypes.result_type([(dt, _kind(t)), (_dtypes.scalar_dtype(other), 2)])
        if true_div and dtype.kind != "f":
            dtype = _dtypes.default_float
    const = dtype.type(other)
    t = _cast(t, dtype)
    return (t, const) if x_is else (const, t)


def _binary(op, x, y, true_div=False):
    """Aplica un operador binario con la promoción de tipos de PyTorch."""
    a, b = promote_pair(x, y, true_div)
    return (a if isinstance(a, MathMixin) else b)._apply(op, a, b)


def _float_input(t):
    """Las funciones como exp o sigmoid devuelven float32 para entradas enteras (PyTorch)."""
    return t if t._data.dtype.kind == "f" else _cast(t, _dtypes.default_float)


class MaxResult(tuple):
    """Resultado de ``max(dim)``/``min(dim)``: se desempaqueta y tiene ``.values``/``.indices``."""

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]


class MathMixin:
    __slots__ = ()

    # --- operadores aritméticos -----------------------------------------------
    def __add__(self, other):
        return _binary(ew.Add, self, other)

    def __radd__(self, other):
        return _binary(ew.Add, other, self)

    def __sub__(self, other):
        return _binary(ew.Sub, self, other)

    def __rsub__(self, other):
        return _binary(ew.Sub, other, self)

    def __mul__(self, other):
        return _binary(ew.Mul, self, other)

    def __rmul__(self, other):
        return _binary(ew.Mul, other, self)

    def __truediv__(self, other):
        return _binary(ew.Div, self, other, true_div=True)

    def __rtruediv__(self, other):
        return _binary(ew.Div, other, self, true_div=True)

    def __pow__(self, other):
        return _binary(ew.Pow, self, other)

    def __rpow__(self, other):
        return _binary(ew.Pow, other, self)

    def __neg__(self):
        return self._apply(ew.Neg, self)

    def __pos__(self):
        return self

    def __matmul__(self, other):
        return self.matmul(other)

    def __rmatmul__(self, other):
        return _as_tensor(other, self).matmul(self)

    def __floordiv__(self, other):
        return self._no_grad_binary(np.floor_divide, other)

    def __rfloordiv__(self, other):
        return _as_tensor(other, self)._no_grad_binary(np.floor_divide, self)

    def __mod__(self, other):
        return self._no_grad_binary(np.remainder, other)

    add, sub, mul, div, pow = __add__, __sub__, __mul__, __truediv__, __pow__
    multiply, subtract, divide, true_divide = mul, sub, div, div

    def matmul(self, other):
        other = other if isinstance(other, MathMixin) else _as_tensor(other, self)
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

    def mm(self, other):
        """Producto de dos matrices (solo 2-D, como ``torch.mm``)."""
        if self._data.ndim != 2 or np.ndim(other) != 2:
            raise ShapeError(
                f"mm multiplica dos matrices (2-D), pero recibió formas {shape_text(self)} y "
                f"{shape_text(other)}. Para lotes usa bmm o matmul (@).")
        return self.matmul(other)

    def bmm(self, other):
        """Producto por lotes: (b, n, m) @ (b, m, p), como ``torch.bmm`` (sin difusión)."""
        if (self._data.ndim != 3 or np.ndim(other) != 3
                or self._data.shape[0] != np.shape(other)[0]):
            raise ShapeError(
                f"bmm necesita dos tensores 3-D con el mismo tamaño de lote (b, n, m) y "
                f"(b, m, p), pero recibió formas {shape_text(self)} y {shape_text(other)}. "
                "Para matrices usa mm o @.")
        return self.matmul(other)

    def dot(self, other):
        return self.matmul(other)

    # --- elemento a elemento ----------------------------------------------------
    def exp(self):
        return self._apply(ew.Exp, _float_input(self))

    def log(self):
        return self._apply(ew.Log, _float_input(self))

    def sqrt(self):
        return self._apply(ew.Sqrt, _float_input(self))

    def abs(self):
        return self._apply(ew.Abs, self)

    __abs__ = abs   # abs(t), como en PyTorch

    def sin(self):
        return self._apply(ew.Sin, _float_input(self))

    def cos(self):
        return self._apply(ew.Cos, _float_input(self))

    def tanh(self):
        return self._apply(ew.Tanh, _float_input(self))

    def sigmoid(self):
        return self._apply(ew.Sigmoid, _float_input(self))

    def relu(self):
        return self._apply(ew.ReLU, self)

    def neg(self):
        return self._apply(ew.Neg, self)

    def square(self):
        return self * self

    def clamp(self, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("clamp necesita al menos uno de los límites min o max.")
        unwrap = (lambda v: v.item() if hasattr(v, "item") and not isinstance(v, _SCALARS) else v)
        return self._apply(ew.Clamp, self, min=unwrap(min), max=unwrap(max))

    clip = clamp

    def maximum(self, other):
        return _binary(ew.Maximum, self, other)

    def minimum(self, other):
        return _binary(ew.Minimum, self, other)

    def softmax(self, dim=-1):
        return self._apply(nnops.Softmax, _float_input(self), axis=dim)

    def log_softmax(self, dim=-1):
        return self._apply(nnops.LogSoftmax, _float_input(self), axis=dim)

    def where(self, condition, other):
        from .functions import where
        return where(condition, self, other)

    def sign(self):
        return self._no_grad_unary(np.sign)

    def isnan(self):
        return self._no_grad_unary(np.isnan)

    def isinf(self):
        return self._no_grad_unary(np.isinf)

    def isfinite(self):
        return self._no_grad_unary(np.isfinite)

    def floor(self):
        return self._no_grad_unary(np.floor)

    def ceil(self):
        return self._no_grad_unary(np.ceil)

    def round(self):
        return self._no_grad_unary(np.round)

    # --- reducciones --------------------------------------------------------------
    def sum(self, dim=None, keepdim=False, dtype=None, axis=None):
        src = self if dtype is None else self.type(dtype)
        if dtype is None and src._data.dtype.kind in "biu" and src._data.dtype != np.int64:
            src = src.long()   # como PyTorch: bool y enteros se suman en int64
        return self._apply(red.Sum, src, axis=axis if dim is None else dim, keepdim=keepdim)

    def mean(self, dim=None, keepdim=False, dtype=None, axis=None):
        src = self if dtype is None else self.type(dtype)
        if src._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean() necesita un tensor de punto flotante, pero este es "
                f"{_dtypes.dtype_name(src.dtype)}. Conviértelo antes con .float().")
        return self._apply(red.Mean, src, axis=axis if dim is None else dim, keepdim=keepdim)

    def var(self, dim=None, unbiased=True, keepdim=False, correction=None):
        correction = (1 if unbiased else 0) if correction is None else correction
        centered = self - self.mean(dim, keepdim=True)
        count = self.numel() if dim is None else int(np.prod(
            [self._data.shape[d] for d in np.atleast_1d(dim)]))
        return (centered * centered).sum(dim, keepdim=keepdim) / max(count - correction, 0)

    def std(self, dim=None, unbiased=True, keepdim=False, correction=None):
        return self.var(dim, unbiased, keepdim, correction).sqrt()

    def norm(self, p=2, dim=None, keepdim=False):
        if p == 1:
            return self.abs().sum(dim, keepdim)
        return (self * self).sum(dim, keepdim).sqrt()

    def amax(self, dim=None, keepdim=False):
        return self._apply(red.Amax, self, axis=dim, keepdim=keepdim)

    def amin(self, dim=None, keepdim=False):
        return self._apply(red.Amin, self, axis=dim, keepdim=keepdim)

    def max(self, dim=None, keepdim=False):
        if dim is None:
            return self.amax()
        if not isinstance(dim, (int, np.integer)):
            return self.maximum(dim)   # torch.max(a, b): máximo elemento a elemento
        return self._extreme_along(np.argmax, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        if dim is None:
            return self.amin()
        if not isinstance(dim, (int, np.integer)):
            return self.minimum(dim)
        return self._extreme_along(np.argmin, dim, keepdim)

    def _extreme_along(self, arg, dim, keepdim):
        normalize_axis(dim, self._data.ndim)   # IndexError en español si dim no existe
        if self._data.ndim == 0 and dim in (0, -1):   # como PyTorch: un tensor 0-d admite dim 0
            return self.reshape(1)._extreme_along(arg, 0, False)
        indices = np.expand_dims(arg(self._data, axis=dim), dim)
        values = self._apply(red.TakeAlongDim, self, indices=indices, axis=dim, keepdim=keepdim)
        idx = indices if keepdim else np.squeeze(indices, axis=dim)
        return MaxResult((values, self._wrap(idx.astype(np.int64, copy=False))))

    def sort(self, dim=-1, descending=False, stable=False):
        """(valores, índices) ordenados a lo largo de ``dim``; el gradiente vuelve a su sitio."""
        return self._sorted_along(dim, descending, None)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        """Los ``k`` mayores (o menores) a lo largo de ``dim``: (valores, índices)."""
        size = self._data.shape[dim] if self._data.ndim else 1
        if not 0 <= k <= size:
            raise RuntimeError(
                f"topk: k={k} está fuera de rango; la dimensión {dim} tiene {size} elementos.")
        return self._sorted_along(dim, largest, k)

    def argsort(self, dim=-1, descending=False):
        return self.sort(dim, descending).indices

    def _sorted_along(self, dim, descending, k):
        axis = normalize_axis(dim, self._data.ndim)[0] if self._data.ndim else 0
        data = self._data if self._data.ndim else self._data.reshape(1)
        order = np.argsort(-data if descending else data, axis=axis, kind="stable")
        if k is not None:
            order = np.take(order, np.arange(k), axis=axis)
        src = self if self._data.ndim else self.reshape(1)
        values = self._apply(red.TakeAlongDim, src, indices=order, axis=axis, keepdim=True)
        return MaxResult((values, self._wrap(order.astype(np.int64, copy=False))))

    def argmax(self, dim=None, keepdim=False):
        return self._arg_extreme(np.argmax, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return self._arg_extreme(np.argmin, dim, keepdim)

    def _arg_extreme(self, arg, dim, keepdim):
        if dim is not None:
            normalize_axis(dim, self._data.ndim)
        out = arg(self._data, axis=dim, keepdims=keepdim)
        return self._wrap(np.asarray(out, dtype=np.int64))

    def all(self, dim=None, keepdim=False):
        return self._wrap(np.asarray(np.all(self._data, axis=dim, keepdims=keepdim)))

    def any(self, dim=None, keepdim=False):
        return self._wrap(np.asarray(np.any(self._data, axis=dim, keepdims=keepdim)))
