"""Métodos aritméticos, elemento a elemento, reducciones y comparaciones de ``Tensor``.

Cada método es una línea que llama a una operación de ``ops/``; la promoción de tipos
(las reglas de PyTorch, no las de NumPy) se decide en ``_binary``.
"""
import warnings

import numpy as np

from . import _dtypes
from . import _tensor_checks as _checks
from .errors import ShapeError, shape_text
from .ops import elementwise as ew
from .ops import linalg, nnops, norms
from .ops import reduce as red
from .ops.base import normalize_axis

_SCALARS = (int, float, bool, np.number, np.bool_)
_INF = float("inf")


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


def _binary(op, x, y, true_div=False, **options):
    """Aplica un operador binario con la promoción de tipos de PyTorch."""
    a, b = promote_pair(x, y, true_div)
    return (a if isinstance(a, MathMixin) else b)._apply(op, a, b, **options)


def _plain(x):
    return x.detach() if isinstance(x, MathMixin) else x


def _divide_no_grad(func, x, y, name):
    """``//`` y ``%`` (sin gradiente) con la promoción de PyTorch; entero entre 0: error."""
    a, b = promote_pair(_plain(x), _plain(y))
    raw = [v._data if isinstance(v, MathMixin) else v for v in (a, b)]
    out = ew.divide_checked(func, raw[0], raw[1], name)
    return (a if isinstance(a, MathMixin) else b)._wrap(np.asarray(out))


def _is_bool(x):
    return isinstance(x, (bool, np.bool_)) or (
        isinstance(x, MathMixin) and x._data.dtype.kind == "b")


def _bool_sub_error(x, y):
    """Como PyTorch: restar con tensores bool es un error (dos bool: usa ^; uno: usa ~)."""
    raise RuntimeError(ew.BOOL_SUB_BOTH if _is_bool(x) and _is_bool(y) else ew.BOOL_SUB_ONE)


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
        if self._data.dtype.kind == "b" or _is_bool(other):
            _bool_sub_error(self, other)
        return _binary(ew.Sub, self, other)

    def __rsub__(self, other):
        if self._data.dtype.kind == "b" or _is_bool(other):
            _bool_sub_error(self, other)
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
        return _divide_no_grad(np.floor_divide, self, other, "la división entera //")

    def __rfloordiv__(self, other):
        return _divide_no_grad(np.floor_divide, other, self, "la división entera //")

    def __mod__(self, other):
        return _divide_no_grad(np.remainder, self, other, "el resto %")

    def __rmod__(self, other):
        return _divide_no_grad(np.remainder, other, self, "el resto %")

    def floor_divide(self, other):
        return _divide_no_grad(np.floor_divide, self, other, "floor_divide")

    def remainder(self, other):
        return _divide_no_grad(np.remainder, self, other, "remainder")

    def div(self, other, *, rounding_mode=None):
        """``a / b``; con ``rounding_mode='floor'`` o ``'trunc'``, el cociente redondeado."""
        if rounding_mode is None:
            return _binary(ew.Div, self, other, true_div=True)
        if rounding_mode not in ("floor", "trunc"):
            raise RuntimeError(
                f"div: rounding_mode debe ser None, 'trunc' o 'floor', y es {rounding_mode!r}.")
        return _binary(ew.DivRounding, self, other, rounding_mode=rounding_mode)

    add, sub, mul, pow = __add__, __sub__, __mul__, __pow__
    multiply, subtract, divide, true_divide = mul, sub, div, __truediv__

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

    def log1p(self):
        return self._apply(ew.Log1p, _float_input(self))

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
    def sum(self, dim=None, keepdim=False, dtype=None, axis=None, keepdims=None):
        keepdim = keepdim if keepdims is None else keepdims
        src = self if dtype is None else self.type(dtype)
        if dtype is None and src._data.dtype.kind in "biu" and src._data.dtype != np.int64:
            src = src.long()   # como PyTorch: bool y enteros se suman en int64
        return self._apply(red.Sum, src, axis=axis if dim is None else dim, keepdim=keepdim)

    def prod(self, dim=None, keepdim=False, dtype=None):
        """Producto de los elementos (todos, o a lo largo de ``dim``, un entero)."""
        if dim is not None and not isinstance(dim, (int, np.integer)):
            raise TypeError(
                f"prod(): dim debe ser un entero (una sola dimensión), no {dim!r}. Para varias, "
                "encadena llamadas: x.prod(0).prod(0).")
        src = self if dtype is None else self.type(dtype)
        if dtype is None and src._data.dtype.kind in "biu" and src._data.dtype != np.int64:
            src = src.long()   # como PyTorch: bool y enteros se multiplican en int64
        return self._apply(red.Prod, src, axis=dim, keepdim=keepdim)

    def mean(self, dim=None, keepdim=False, dtype=None, axis=None):
        src = self if dtype is None else self.type(dtype)
        if src._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean() necesita un tensor de punto flotante, pero este es "
                f"{_dtypes.dtype_name(src.dtype)}. Conviértelo antes con .float().")
        return self._apply(red.Mean, src, axis=axis if dim is None else dim, keepdim=keepdim)

    def var(self, dim=None, unbiased=True, keepdim=False, correction=None):
        return self._var_std(red.Var, "var", dim, unbiased, keepdim, correction)

    def std(self, dim=None, unbiased=True, keepdim=False, correction=None):
        return self._var_std(red.Std, "std", dim, unbiased, keepdim, correction)

    def _var_std(self, op, name, dim, unbiased, keepdim, correction):
        data = self._data
        if data.dtype.kind != "f":
            raise RuntimeError(
                f"{name}() solo admite tensores de punto flotante, y este es "
                f"{_dtypes.dtype_name(data.dtype)}. Conviértelo antes con .float().")
        correction = (1 if unbiased else 0) if correction is None else correction
        if dim is None or not data.ndim:
            count = data.size
        elif isinstance(dim, (tuple, list)):
            count = data.size if not dim else int(np.prod(
                [data.shape[d] for d in normalize_axis(dim, data.ndim)]))
        else:
            count = data.shape[normalize_axis(dim, data.ndim)[0]]
        if (count if data.size else 0) - correction <= 0:
            warnings.warn(
                f"{name}(): los grados de libertad son <= 0 (elementos que se reducen por "
                f"resultado: {count if data.size else 0}; correction={correction}), así que el "
                "resultado es nan o inf. La corrección debe ser estrictamente menor que el "
                "número de elementos que se reducen (p. ej. usa correction=0 o unbiased=False "
                "con un solo elemento).",
                UserWarning, stacklevel=3)
        return self._apply(op, self, axis=dim, correction=correction, keepdim=keepdim)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        """Como ``torch.norm``: p numérico (0, 1, 2, inf, -inf, 0.5, -1...), 'fro' o 'nuc'."""
        src = _checks.norm_input(self, "norm", dtype)
        if isinstance(p, str):
            if p != "fro" or not (dim is None or isinstance(dim, (int, np.integer))
                                  or len(dim) <= 2):
                return _checks.matrix_norm(src, p, dim, keepdim)
            p = 2.0
        ord = 2.0 if p is None else float(p)
        axes = _checks.norm_axes(src, dim)
        if src._data.size == 0 and (ord < 0 or ord == _INF):
            _checks.empty_norm_check(src._data.shape, ord, axes)
        return self._apply(norms.VectorNorm, src, ord=ord, axis=axes, keepdim=keepdim)

    def dist(self, other, p=2):
        """``torch.dist``: norma p de ``self - other`` (con difusión)."""
        if not isinstance(other, MathMixin):
            raise TypeError(
                f"dist(): el argumento 'other' debe ser un Tensor, no {type(other).__name__}.")
        if isinstance(p, str) or not isinstance(p, _SCALARS):
            raise TypeError(f"dist(): el argumento 'p' debe ser un número, no {p!r}.")
        a, b = promote_pair(self, other)
        if a._data.dtype.kind != "f":
            raise RuntimeError(
                f"dist() necesita tensores de punto flotante, y recibió "
                f"{_dtypes.dtype_name(self.dtype)} y {_dtypes.dtype_name(other.dtype)}. "
                "Conviértelos con .float().")
        ord = float(p)
        if (ord < 0 or ord == _INF) and (a._data.size == 0 or b._data.size == 0):
            _checks.empty_norm_check(np.broadcast_shapes(a._data.shape, b._data.shape), ord, None)
        return self._apply(norms.Dist, a, b, ord=ord)

    def amax(self, dim=None, keepdim=False):
        if self._data.size == 0:
            _checks.empty_reduction_check(self, "amax", dim)
        return self._apply(red.Amax, self, axis=dim, keepdim=keepdim)

    def amin(self, dim=None, keepdim=False):
        if self._data.size == 0:
            _checks.empty_reduction_check(self, "amin", dim)
        return self._apply(red.Amin, self, axis=dim, keepdim=keepdim)

    def max(self, dim=None, keepdim=False):
        if dim is None:
            if self._data.size == 0:
                _checks.empty_reduction_check(self, "max", None)
            return self._apply(red.Amax, self, label="MaxBackward1")
        if not isinstance(dim, (int, np.integer)):
            return self.maximum(dim)   # torch.max(a, b): máximo elemento a elemento
        return self._extreme_along(np.argmax, dim, keepdim, "max")

    def min(self, dim=None, keepdim=False):
        if dim is None:
            if self._data.size == 0:
                _checks.empty_reduction_check(self, "min", None)
            return self._apply(red.Amin, self, label="MinBackward1")
        if not isinstance(dim, (int, np.integer)):
            return self.minimum(dim)
        return self._extreme_along(np.argmin, dim, keepdim, "min")

    def _extreme_along(self, arg, dim, keepdim, name):
        normalize_axis(dim, self._data.ndim)   # IndexError en español si dim no existe
        if self._data.ndim == 0 and dim in (0, -1):   # como PyTorch: un tensor 0-d admite dim 0
            return self.reshape(1)._extreme_along(arg, 0, False, name)
        if self._data.size == 0:
            _checks.empty_reduction_check(self, name, dim)
        indices = np.expand_dims(arg(self._data, axis=dim), dim)
        values = self._apply(red.TakeAlongDim, self, indices=indices, axis=dim, keepdim=keepdim,
                             label=name.capitalize() + "Backward0")
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
        values = self._apply(red.TakeAlongDim, src, indices=order, axis=axis, keepdim=True,
                             label="SortBackward0" if k is None else "TopkBackward0")
        return MaxResult((values, self._wrap(order.astype(np.int64, copy=False))))

    def argmax(self, dim=None, keepdim=False):
        return self._arg_extreme(np.argmax, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return self._arg_extreme(np.argmin, dim, keepdim)

    def _arg_extreme(self, arg, dim, keepdim):
        if dim is not None:
            normalize_axis(dim, self._data.ndim)
        if self._data.size == 0:
            _checks.empty_reduction_check(self, arg.__name__, dim, IndexError)
        out = arg(self._data, axis=dim, keepdims=keepdim)
        return self._wrap(np.asarray(out, dtype=np.int64))

    def all(self, dim=None, keepdim=False):
        return self._wrap(np.asarray(np.all(self._data, axis=dim, keepdims=keepdim)))

    def any(self, dim=None, keepdim=False):
        return self._wrap(np.asarray(np.any(self._data, axis=dim, keepdims=keepdim)))
