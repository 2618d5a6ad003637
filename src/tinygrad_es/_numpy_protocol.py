"""NumPy habla con ``Tensor``: ``np.exp(t)``, ``a * t``, ``np.where(m, t, 0)``... siguen en el grafo.

Es lo que permite escribir el ``backward`` de cada operación **una sola vez**, con NumPy:

- en el camino rápido recibe ndarrays y NumPy calcula como siempre, sin coste añadido;
- con ``create_graph=True`` recibe Tensores (el gradiente y los valores guardados, unidos al
  grafo), y cada llamada de NumPy llega aquí (``__array_ufunc__`` y ``__array_function__``, los
  protocolos de NumPy que usa MyGrad) y se convierte en la operación diferenciable de
  tinygrad_es: así el backward queda registrado y se puede derivar otra vez.

Las funciones de NumPy que no están en las tablas reciben los datos como arrays, como antes
(p. ej. ``np.allclose(t, x)``): su resultado no entra en el grafo.

Este módulo está por debajo de ``tensor.py`` en las capas (no lo importa): la clase ``Tensor``
se la da ``tensor.py`` al definirla.
"""
import numpy as np

from . import _dtypes
from ._math import where
from ._shape import cat, stack
from .ops import reduce as red

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _const(x):
    """Un ndarray pasa a Tensor constante (sin copiar); escalares y Tensores tal cual."""
    return Tensor._wrap(x) if type(x) is np.ndarray else x


def _binary(name, reflected):
    def call(a, b):
        if isinstance(a, Tensor):
            return getattr(a, name)(_const(b))
        return getattr(b, reflected)(_const(a))
    return call


UFUNCS = {
    np.add: _binary("__add__", "__radd__"),
    np.subtract: _binary("__sub__", "__rsub__"),
    np.multiply: _binary("__mul__", "__rmul__"),
    np.true_divide: _binary("__truediv__", "__rtruediv__"),
    np.power: _binary("__pow__", "__rpow__"),
    np.matmul: _binary("__matmul__", "__rmatmul__"),
    np.greater: _binary("__gt__", "__lt__"),
    np.greater_equal: _binary("__ge__", "__le__"),
    np.less: _binary("__lt__", "__gt__"),
    np.less_equal: _binary("__le__", "__ge__"),
    np.equal: _binary("__eq__", "__eq__"),
    np.not_equal: _binary("__ne__", "__ne__"),
    np.maximum: _binary("maximum", "maximum"),   # simétricas (los empates se reparten igual)
    np.minimum: _binary("minimum", "minimum"),
    np.negative: lambda a: -a,
    np.positive: lambda a: a,
    np.exp: lambda a: a.exp(),
    np.log: lambda a: a.log(),
    np.log1p: lambda a: a.log1p(),
    np.sqrt: lambda a: a.sqrt(),
    np.absolute: lambda a: a.abs(),
    np.sin: lambda a: a.sin(),
    np.cos: lambda a: a.cos(),
    np.tanh: lambda a: a.tanh(),
    np.square: lambda a: a * a,
    np.reciprocal: lambda a: 1 / a,
    np.sign: lambda a: a.sign(),
}

# --- familia puntual: las que usan los backward de ops/unary_extra.py y binary_extra.py
UFUNCS.update({
    np.sinh: lambda a: a.sinh(),
    np.cosh: lambda a: a.cosh(),
    np.tan: lambda a: a.tan(),
    np.arctan: lambda a: a.atan(),
    np.arcsin: lambda a: a.asin(),
    np.arccos: lambda a: a.acos(),
    np.arcsinh: lambda a: a.asinh(),
    np.arccosh: lambda a: a.acosh(),
    np.arctanh: lambda a: a.atanh(),
    np.expm1: lambda a: a.expm1(),
    np.exp2: lambda a: a.exp2(),
    np.log2: lambda a: a.log2(),
    np.log10: lambda a: a.log10(),
    np.arctan2: lambda a, b: _as_tensor(a).atan2(_as_tensor(b)),
    np.hypot: lambda a, b: _as_tensor(a).hypot(_as_tensor(b)),
    np.fmax: lambda a, b: _as_tensor(a).fmax(_as_tensor(b)),
    np.fmin: lambda a, b: _as_tensor(a).fmin(_as_tensor(b)),
})

REDUCTIONS = {
    np.add: lambda a, axis, keepdims: a.sum(dim=axis, keepdim=keepdims),
    np.maximum: lambda a, axis, keepdims: a.amax(dim=axis, keepdim=keepdims),
    np.minimum: lambda a, axis, keepdims: a.amin(dim=axis, keepdim=keepdims),
}


def array_ufunc(ufunc, method, inputs, kwargs):
    """``Tensor.__array_ufunc__``: la operación de tinygrad_es que corresponde a ``ufunc``."""
    if method == "__call__" and ufunc in UFUNCS and not kwargs:
        return UFUNCS[ufunc](*inputs)
    if method == "reduce" and ufunc in REDUCTIONS and set(kwargs) <= {"axis", "keepdims"}:
        (a,) = inputs
        a = _const(a)
        return REDUCTIONS[ufunc](a, kwargs.get("axis", 0), kwargs.get("keepdims", False))
    return _on_arrays(getattr(ufunc, method), inputs, kwargs)


def _on_arrays(func, args, kwargs):
    """Sin versión diferenciable: NumPy calcula con los datos (el resultado no entra en el grafo)."""
    def unwrap(x):
        if isinstance(x, Tensor):
            return x.__array__()
        if isinstance(x, (list, tuple)):
            return type(x)(unwrap(v) for v in x)
        return x
    kwargs = {k: unwrap(v) for k, v in kwargs.items()}
    return func(*unwrap(args), **kwargs)


# --- funciones de NumPy (``__array_function__``) ------------------------------------------
def _moveaxis(a, source, destination):
    n = a.ndim
    src = [int(v) % n for v in np.atleast_1d(source)]
    dst = [int(v) % n for v in np.atleast_1d(destination)]
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return a.permute(*order)


def _expand_dims(a, axis):
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    ndim = a.ndim + len(axes)
    for d in sorted(int(x) % ndim for x in axes):
        a = a.unsqueeze(d)
    return a


def _take_along_axis(a, indices, axis):
    return a._apply(red.TakeAlongDim, a, indices=np.asarray(indices), axis=axis, keepdim=True)


def _split(a, indices_or_sections, axis=0):
    size = a.shape[axis]
    if np.ndim(indices_or_sections) == 0:
        step = size // int(indices_or_sections)
        cuts = list(range(step, size, step))
    else:
        cuts = [int(c) for c in indices_or_sections]
    bounds = [0] + cuts + [size]
    lead = (slice(None),) * (axis % a.ndim)
    return [a[lead + (slice(lo, hi),)] for lo, hi in zip(bounds[:-1], bounds[1:])]


def _constant_like(fill):
    def call(a, dtype=None, *args, **kwargs):
        return np.full(tuple(a.shape), fill, dtype=dtype or a.dtype)
    return call


def _cat(arrays, axis=0):
    return cat([_as_tensor(x) for x in arrays], axis)


def _stack(arrays, axis=0):
    return stack([_as_tensor(x) for x in arrays], axis)


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor._wrap(np.asarray(x))


def _where(condition, x, y):
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        dtype = _dtypes.promote_types(np.asarray(x).dtype, np.asarray(y).dtype)
        x = Tensor._wrap(np.asarray(x, dtype=dtype))
    return where(condition, _const(x), _const(y))


FUNCTIONS = {
    np.where: _where,
    np.broadcast_to: lambda a, shape, subok=False: a.expand(*shape),
    np.sum: lambda a, axis=None, dtype=None, out=None, keepdims=False: a.sum(
        dim=axis, keepdim=keepdims, dtype=dtype),
    np.mean: lambda a, axis=None, dtype=None, out=None, keepdims=False: a.mean(
        dim=axis, keepdim=keepdims, dtype=dtype),
    np.swapaxes: lambda a, axis1, axis2: a.transpose(axis1, axis2),
    np.transpose: lambda a, axes=None: a.permute(
        *(reversed(range(a.ndim)) if axes is None else axes)),
    np.moveaxis: _moveaxis,
    np.expand_dims: _expand_dims,
    np.squeeze: lambda a, axis=None: a.squeeze(axis),
    np.reshape: lambda a, shape=None, order="C", newshape=None: a.reshape(
        shape if shape is not None else newshape),
    np.take_along_axis: _take_along_axis,
    np.concatenate: _cat,
    np.stack: _stack,
    np.split: _split,
    np.diagonal: lambda a, offset=0, axis1=0, axis2=1: a.diagonal(offset, axis1, axis2),
    np.clip: lambda a, a_min=None, a_max=None: a.clamp(a_min, a_max),
    np.zeros_like: _constant_like(0),
    np.ones_like: _constant_like(1),
    np.ndim: lambda a: a.ndim,
    np.shape: lambda a: tuple(a.shape),
}


def array_function(func, args, kwargs):
    """``Tensor.__array_function__``: versión diferenciable si la hay; si no, con los datos."""
    impl = FUNCTIONS.get(func)
    if impl is None:
        return _on_arrays(func, args, kwargs)
    first = args[0] if args else None
    if func in (np.concatenate, np.stack, np.where) or isinstance(first, Tensor):
        return impl(*args, **kwargs)
    return _on_arrays(func, args, kwargs)
