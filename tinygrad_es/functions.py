"""Funciones del espacio de nombres ``torch`` que no son métodos: cat, stack, where...

Las que también son métodos (``torch.exp(x)`` = ``x.exp()``) se toman de ``Tensor``.
"""
import builtins

import numpy as np

from . import _dtypes
from ._tensor_math import _cast, promote_pair
from .errors import ShapeError
from .ops import elementwise as ew
from .ops import movement as mv
from .ops.base import normalize_axis
from .tensor import Tensor


def _same_dtype(tensors, name):
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{name} necesita una lista con al menos un tensor, y recibió una vacía.")
    if not builtins.all(isinstance(t, Tensor) for t in tensors):
        raise TypeError(f"{name} espera una lista de tensores.")
    dtype = tensors[0]._data.dtype
    for t in tensors[1:]:
        dtype = _dtypes.promote_types(dtype, t._data.dtype)
    return [_cast(t, dtype) for t in tensors]


def cat(tensors, dim=0):
    """Concatena tensores a lo largo de una dimensión existente."""
    tensors = _same_dtype(tensors, "cat")
    ndim = tensors[0]._data.ndim
    if builtins.any(t._data.ndim != ndim for t in tensors) or ndim == 0:
        shapes = ", ".join(str(tuple(t._data.shape)) for t in tensors)
        raise ShapeError(
            f"cat: todos los tensores deben tener el mismo número de dimensiones (al menos 1), "
            f"pero sus formas son {shapes}.")
    return Tensor._apply(mv.Cat, *tensors, axis=normalize_axis(dim, ndim)[0])


concat = concatenate = cat


def stack(tensors, dim=0):
    """Apila tensores de la misma forma en una dimensión nueva."""
    tensors = _same_dtype(tensors, "stack")
    ndim = tensors[0]._data.ndim + 1
    return Tensor._apply(mv.Stack, *tensors, axis=normalize_axis(dim, ndim)[0])


def where(condition, input, other):
    """Elige ``input`` donde ``condition`` es verdadera y ``other`` donde no."""
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype.kind != "b":
        raise TypeError(
            f"where espera una condición de tipo bool, pero recibió "
            f"{_dtypes.dtype_name(cond.dtype)}. Usa una comparación (x > 0) o .bool().")
    a, b = promote_pair(input, other)
    return Tensor._apply(ew.Where, cond, a, b)


def numel(input):
    return input.numel()


def is_tensor(obj):
    return isinstance(obj, Tensor)


exp, log, sqrt, abs, sin, cos = Tensor.exp, Tensor.log, Tensor.sqrt, Tensor.abs, Tensor.sin, Tensor.cos
tanh, sigmoid, relu, neg, square = Tensor.tanh, Tensor.sigmoid, Tensor.relu, Tensor.neg, Tensor.square
clamp = clip = Tensor.clamp
add, sub, mul, div, pow = Tensor.add, Tensor.sub, Tensor.mul, Tensor.div, Tensor.pow
maximum, minimum = Tensor.maximum, Tensor.minimum
matmul, mm, bmm, dot = Tensor.matmul, Tensor.mm, Tensor.bmm, Tensor.dot
sum, mean, std, var, norm = Tensor.sum, Tensor.mean, Tensor.std, Tensor.var, Tensor.norm
max, min, amax, amin = Tensor.max, Tensor.min, Tensor.amax, Tensor.amin
argmax, argmin, all, any = Tensor.argmax, Tensor.argmin, Tensor.all, Tensor.any
softmax, log_softmax = Tensor.softmax, Tensor.log_softmax
reshape, flatten, squeeze, unsqueeze = Tensor.reshape, Tensor.flatten, Tensor.squeeze, Tensor.unsqueeze
transpose, permute, t = Tensor.transpose, Tensor.permute, Tensor.t
split, chunk, unbind = Tensor.split, Tensor.chunk, Tensor.unbind
sign, floor, ceil, round = Tensor.sign, Tensor.floor, Tensor.ceil, Tensor.round
isnan, isinf, isfinite = Tensor.isnan, Tensor.isinf, Tensor.isfinite
sort, topk, argsort = Tensor.sort, Tensor.topk, Tensor.argsort
eq, ne, lt, le, gt, ge = Tensor.eq, Tensor.ne, Tensor.lt, Tensor.le, Tensor.gt, Tensor.ge
allclose, equal, clone, detach = Tensor.allclose, Tensor.equal, Tensor.clone, Tensor.detach
