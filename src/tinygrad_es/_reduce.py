"""Reducciones de ``Tensor``: sum, mean, var/std, normas, max/min, sort/topk, argmax...

``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento) y
``functions.py`` las reexporta como funciones de ``torch`` (``torch.sum(x)`` = ``x.sum()``).
Al final, las comprobaciones de las normas y de las reducciones de tensores vacíos, con errores
en español que nombran la forma y el argumento del usuario.

Este módulo está por debajo de ``tensor.py`` en las capas (no lo importa): la clase ``Tensor``
se la da ``tensor.py`` al definirla.
"""
import warnings

import numpy as np

from . import _dtypes
from ._math import SCALARS, promote_pair
from .ops import elementwise as ew
from .ops import norms
from .ops import reduce as red
from .ops.base import normalize_axis
from ._return_types import result
from .errors import user_stacklevel

Tensor = None   # la clase Tensor: la pone tensor.py al definirla

# Ojo: este módulo define sum, max, min, all y any (los métodos de Tensor). Aquí dentro esos
# nombres no son los de Python; si hacen falta, usa builtins.max, etc.

_INF = float("inf")


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
    return _var_std(self, red.Var, "var", dim, unbiased, keepdim, correction)


def std(self, dim=None, unbiased=True, keepdim=False, correction=None):
    return _var_std(self, red.Std, "std", dim, unbiased, keepdim, correction)


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
            UserWarning, stacklevel=user_stacklevel())
    return self._apply(op, self, axis=dim, correction=correction, keepdim=keepdim)


def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    """Como ``torch.norm``: p numérico (0, 1, 2, inf, -inf, 0.5, -1...), 'fro' o 'nuc'."""
    src = norm_input(self, "norm", dtype)
    if isinstance(p, str):
        if p != "fro" or not (dim is None or isinstance(dim, (int, np.integer))
                              or len(dim) <= 2):
            return matrix_norm(src, p, dim, keepdim)
        p = 2.0
    ord = 2.0 if p is None else float(p)
    axes = norm_axes(src, dim)
    if src._data.size == 0 and (ord < 0 or ord == _INF):
        empty_norm_check(src._data.shape, ord, axes)
    return self._apply(norms.VectorNorm, src, ord=ord, axis=axes, keepdim=keepdim)


def dist(self, other, p=2):
    """``torch.dist``: norma p de ``self - other`` (con difusión)."""
    if not isinstance(other, Tensor):
        raise TypeError(
            f"dist(): el argumento 'other' debe ser un Tensor, no {type(other).__name__}.")
    if isinstance(p, str) or not isinstance(p, SCALARS):
        raise TypeError(f"dist(): el argumento 'p' debe ser un número, no {p!r}.")
    a, b = promote_pair(self, other)
    if a._data.dtype.kind != "f":
        raise RuntimeError(
            f"dist() necesita tensores de punto flotante, y recibió "
            f"{_dtypes.dtype_name(self.dtype)} y {_dtypes.dtype_name(other.dtype)}. "
            "Conviértelos con .float().")
    ord = float(p)
    if (ord < 0 or ord == _INF) and (a._data.size == 0 or b._data.size == 0):
        empty_norm_check(np.broadcast_shapes(a._data.shape, b._data.shape), ord, None)
    return self._apply(norms.Dist, a, b, ord=ord)


def amax(self, dim=None, keepdim=False):
    if self._data.size == 0:
        empty_reduction_check(self, "amax", dim)
    return self._apply(red.Amax, self, axis=dim, keepdim=keepdim)


def amin(self, dim=None, keepdim=False):
    if self._data.size == 0:
        empty_reduction_check(self, "amin", dim)
    return self._apply(red.Amin, self, axis=dim, keepdim=keepdim)


def max(self, dim=None, keepdim=False, other=None):
    if other is not None:   # torch.max(input=a, other=b): máximo elemento a elemento
        return self.maximum(other)
    if dim is None:
        if self._data.size == 0:
            empty_reduction_check(self, "max", None)
        return self._apply(red.Amax, self, label="MaxBackward1")
    if not isinstance(dim, (int, np.integer)):
        return self.maximum(dim)   # torch.max(a, b): máximo elemento a elemento
    return _extreme_along(self, np.argmax, dim, keepdim, "max")


def min(self, dim=None, keepdim=False, other=None):
    if other is not None:
        return self.minimum(other)
    if dim is None:
        if self._data.size == 0:
            empty_reduction_check(self, "min", None)
        return self._apply(red.Amin, self, label="MinBackward1")
    if not isinstance(dim, (int, np.integer)):
        return self.minimum(dim)
    return _extreme_along(self, np.argmin, dim, keepdim, "min")


def _extreme_along(self, arg, dim, keepdim, name):
    normalize_axis(dim, self._data.ndim)   # IndexError en español si dim no existe
    if self._data.ndim == 0 and dim in (0, -1):   # como PyTorch: un tensor 0-d admite dim 0
        return _extreme_along(self.reshape(1), arg, 0, False, name)
    if self._data.size == 0:
        empty_reduction_check(self, name, dim)
    indices = np.expand_dims(arg(self._data, axis=dim), dim)
    values = self._apply(red.TakeAlongDim, self, indices=indices, axis=dim, keepdim=keepdim,
                         label=name.capitalize() + "Backward0")
    idx = indices if keepdim else np.squeeze(indices, axis=dim)
    return result(name, (values, self._wrap(idx.astype(np.int64, copy=False))))


def sort(self, dim=-1, descending=False, stable=False):
    """(valores, índices) ordenados a lo largo de ``dim``; el gradiente vuelve a su sitio."""
    return _sorted_along(self, dim, descending, None)


def topk(self, k, dim=-1, largest=True, sorted=True):
    """Los ``k`` mayores (o menores) a lo largo de ``dim``: (valores, índices)."""
    size = self._data.shape[dim] if self._data.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(
            f"topk: k={k} está fuera de rango; la dimensión {dim} tiene {size} elementos.")
    return _sorted_along(self, dim, largest, k)


def argsort(self, dim=-1, descending=False, stable=False):
    return sort(self, dim, descending, stable).indices


def _sorted_along(self, dim, descending, k):
    axis = normalize_axis(dim, self._data.ndim)[0] if self._data.ndim else 0
    data = self._data if self._data.ndim else self._data.reshape(1)
    order = np.argsort(-data if descending else data, axis=axis, kind="stable")
    if k is not None:
        order = np.take(order, np.arange(k), axis=axis)
    src = self if self._data.ndim else self.reshape(1)
    values = self._apply(red.TakeAlongDim, src, indices=order, axis=axis, keepdim=True,
                         label="SortBackward0" if k is None else "TopkBackward0")
    return result("sort" if k is None else "topk",
                  (values, self._wrap(order.astype(np.int64, copy=False))))


def argmax(self, dim=None, keepdim=False):
    return _arg_extreme(self, np.argmax, dim, keepdim)


def argmin(self, dim=None, keepdim=False):
    return _arg_extreme(self, np.argmin, dim, keepdim)


def _arg_extreme(self, arg, dim, keepdim):
    if dim is not None:
        normalize_axis(dim, self._data.ndim)
    if self._data.size == 0:
        empty_reduction_check(self, arg.__name__, dim, IndexError)
    out = arg(self._data, axis=dim, keepdims=keepdim)
    return self._wrap(np.asarray(out, dtype=np.int64))


def all(self, dim=None, keepdim=False):
    return self._wrap(np.asarray(np.all(self._data, axis=dim, keepdims=keepdim)))


def any(self, dim=None, keepdim=False):
    return self._wrap(np.asarray(np.any(self._data, axis=dim, keepdims=keepdim)))


# --- comprobaciones (solo en el camino del fallo) ------------------------------------------


def norm_input(t, name, dtype):
    """Entrada de una norma: de punto flotante y, con ``dtype``, convertida sin estrecharla."""
    if t._data.dtype.kind != "f":
        raise RuntimeError(
            f"{name}() necesita un tensor de punto flotante, y este es "
            f"{_dtypes.dtype_name(t._data.dtype)}. Conviértelo antes con .float().")
    if dtype is None:
        return t
    dtype = np.dtype(dtype)
    if dtype.kind != "f" or _dtypes.promote_types(t._data.dtype, dtype) != dtype:
        raise RuntimeError(
            f"{name}(): el tensor es {_dtypes.dtype_name(t._data.dtype)} y no se puede "
            f"convertir sin perder precisión al dtype pedido {_dtypes.dtype_name(dtype)}.")
    return t if t._data.dtype == dtype else t._apply(ew.Cast, t, dtype=dtype)


def norm_axes(t, dim):
    """``dim`` de una norma como tupla de ejes (None: todos); error si se repite un eje."""
    if dim is None:
        return None
    axes = normalize_axis(dim, t._data.ndim)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"norm(): la dimensión {dim} aparece repetida en dim.")
    return axes


def empty_norm_check(shape, ord, axes):
    """Las normas inf, -inf y p < 0 no tienen elemento neutro: error si reducen algo vacío."""
    axes = tuple(range(len(shape))) if axes is None else axes
    p = {_INF: "inf", -_INF: "-inf"}.get(ord, f"{ord:g}")
    if axes == tuple(range(len(shape))):
        if 0 in shape:
            raise RuntimeError(
                f"vector_norm no puede calcular la norma {p} de un tensor vacío (forma "
                f"{tuple(shape)}): esa reducción no tiene elemento neutro.")
        return
    for d in axes:
        if shape[d] == 0:
            raise RuntimeError(
                f"vector_norm no puede calcular la norma {p} sobre la dimensión {d}, que está "
                f"vacía (forma {tuple(shape)}): esa reducción no tiene elemento neutro.")


def matrix_norm(t, p, dim, keepdim):
    """``torch.norm`` con p='nuc' (o 'fro' sobre más de dos dimensiones: error, como PyTorch)."""
    ndim = t._data.ndim
    if ndim < 2:
        raise RuntimeError(
            f"norm(p={p!r}) es una norma de matriz y necesita un tensor de al menos 2 "
            f"dimensiones, pero este tiene forma {tuple(t._data.shape)}.")
    dims = tuple(range(ndim)) if dim is None else (
        (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim))
    if len(dims) != 2:
        raise RuntimeError(
            f"norm(p={p!r}) es una norma de matriz: dim debe ser una pareja de dimensiones, "
            f"pero es {dims} (tensor de forma {tuple(t._data.shape)}).")
    axes = tuple(normalize_axis(d, ndim)[0] for d in dims)
    if axes[0] == axes[1]:
        raise RuntimeError(f"norm(p={p!r}): las dos dimensiones deben ser distintas, y son {dims}.")
    if p != "nuc":
        raise RuntimeError(
            f"norm(): el orden {p!r} no existe. Las normas de matriz son 'fro' (Frobenius) y "
            "'nuc' (nuclear); para vectores, p es un número (2, 1, inf...).")
    return t._apply(norms.NuclearNorm, t, axes=axes, keepdim=keepdim)


def empty_reduction_check(t, name, dim, error=RuntimeError):
    """max/min/argmax... de un tensor vacío: sin dim es un error; con dim, si esa está vacía.

    Como PyTorch: RuntimeError sin dim (IndexError en argmax/argmin), IndexError con dim.
    """
    shape = tuple(t._data.shape)
    what = "máximo" if name.endswith("max") else "mínimo"
    if dim is None:
        raise error(
            f"{name}(): el tensor está vacío (forma {shape}, 0 elementos) y no tiene {what}. "
            "Indica la dimensión que se reduce con el argumento dim (las dimensiones no "
            "vacías dan un resultado vacío).")
    for d in normalize_axis(dim, len(shape)):
        if shape[d] == 0:
            raise IndexError(
                f"{name}(): la dimensión {d} que se reduce tiene tamaño 0 (forma {shape}): no "
                f"hay ningún elemento del que tomar el {what}.")
