"""Forma e indexado de ``Tensor``: reshape, permute, expand, getitem, split... y cat/stack.

``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento).
Las que en PyTorch devuelven una vista la devuelven también aquí (``_views.make_view``):
comparten memoria y contador de versión con su base.

Este módulo está por debajo de ``tensor.py`` en las capas (no lo importa): la clase ``Tensor``
se la da ``tensor.py`` al definirla.
"""
import operator

import numpy as np

from . import _dtypes, _views
from ._math import cast
from .errors import ShapeError, index_error, reshape_error
from .ops import movement as mv
from .ops.base import normalize_axis
from .ops.inplace import IndexPut

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _sizes(args):
    """Acepta ``f(2, 3)`` y ``f((2, 3))`` como PyTorch; solo enteros (2.5 no se trunca)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    try:
        return tuple(map(operator.index, args))
    except TypeError:
        bad = next(a for a in args if not hasattr(a, "__index__"))
        raise TypeError(
            f"Las dimensiones deben ser enteros, pero se recibió {tuple(args)}: {bad!r} es de "
            f"tipo {type(bad).__name__}. Si sale de una división usa // (p. ej. n // 2) o "
            "int(...).") from None


def _dim(dim, ndim):
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"Dimensión fuera de rango: se pidió dim={dim} en un tensor de {ndim} dimensiones "
            f"(se esperaba un valor entre {-max(ndim, 1)} y {max(ndim, 1) - 1}).")
    return dim % max(ndim, 1)


def _index_parts(index):
    """Convierte tensores y listas del índice en ndarrays; dice si hay indexado avanzado."""
    parts = index if isinstance(index, tuple) else (index,)
    converted, advanced = [], False
    for part in parts:
        if hasattr(part, "_data"):
            part = part._data
        if isinstance(part, list):
            part = np.asarray(part)
        if isinstance(part, np.ndarray):
            if part.dtype.kind == "f":
                raise IndexError(
                    "Los índices deben ser enteros o booleanos, pero se recibió un tensor de "
                    "tipo float. Conviértelo con .long().")
            advanced = True
        converted.append(part)
    return (tuple(converted) if isinstance(index, tuple) or len(converted) != 1
            else converted[0]), advanced


def reshape(self, *shape):
    return _reshape(self, _sizes(shape))


def _reshape(self, shape, label=None):
    """reshape con el nombre de PyTorch del nodo (``label``) de squeeze/unsqueeze."""
    try:
        return _views.make_view(mv.Reshape, self, shape=shape, label=label)
    except ValueError as exc:
        raise reshape_error(self, shape) from exc


def view_as(self, other):
    return reshape(self, other.shape)


def flatten(self, start_dim=0, end_dim=-1):
    shape = self._data.shape
    if not shape:
        return reshape(self, 1)
    start, end = _dim(start_dim, len(shape)), _dim(end_dim, len(shape))
    new = shape[:start] + (int(np.prod(shape[start:end + 1])),) + shape[end + 1:]
    return reshape(self, new)


def unflatten(self, dim, sizes):
    shape = self._data.shape
    dim = _dim(dim, len(shape))
    return reshape(self, shape[:dim] + tuple(sizes) + shape[dim + 1:])


def squeeze(self, dim=None):
    shape = self._data.shape
    if dim is None:
        return _reshape(self, tuple(d for d in shape if d != 1), label="SqueezeBackward0")
    many = isinstance(dim, (tuple, list))
    dims = {_dim(d, len(shape)) for d in (dim if many else (dim,))}
    return _reshape(self, tuple(d for i, d in enumerate(shape) if not (i in dims and d == 1)),
                    label="SqueezeBackward2" if many else "SqueezeBackward1")


def unsqueeze(self, dim):
    shape = self._data.shape
    dim = _dim(dim, len(shape) + 1)
    return _reshape(self, shape[:dim] + (1,) + shape[dim:], label="UnsqueezeBackward0")


def permute(self, *dims):
    dims = _sizes(dims)
    ndim = self._data.ndim
    if len(dims) == ndim:
        dims = tuple(_dim(d, ndim) for d in dims)   # IndexError si alguna no existe
    if sorted(d % max(ndim, 1) for d in dims) != list(range(ndim)):
        raise RuntimeError(
            f"permute necesita una permutación de las {ndim} dimensiones del tensor de "
            f"forma {tuple(self._data.shape)}, pero recibió {dims}.")
    return _views.make_view(mv.Permute, self, axes=tuple(d % ndim for d in dims))


def transpose(self, dim0, dim1):
    ndim = self._data.ndim
    axes = list(range(ndim))
    if ndim:
        d0, d1 = _dim(dim0, ndim), _dim(dim1, ndim)
        axes[d0], axes[d1] = axes[d1], axes[d0]
    return _views.make_view(mv.Permute, self, axes=tuple(axes), label="TransposeBackward0")


def t(self):
    if self._data.ndim > 2:
        raise RuntimeError(
            f"t() espera un tensor de como mucho 2 dimensiones, pero este tiene forma "
            f"{tuple(self._data.shape)}. Usa transpose(dim0, dim1) o permute().")
    axes = (1, 0) if self._data.ndim == 2 else tuple(range(self._data.ndim))
    return _views.make_view(mv.Permute, self, axes=axes, label="TBackward0")


def reversed_dims(self):
    """``x.T``: todas las dimensiones en orden inverso."""
    return _views.make_view(mv.Permute, self, axes=tuple(reversed(range(self._data.ndim))))


def matrix_transpose(self):
    """``x.mT``: traspone las dos últimas dimensiones."""
    return transpose(self, -2, -1)


def expand(self, *sizes):
    sizes = _sizes(sizes)
    shape = self._data.shape
    lead = len(sizes) - len(shape)
    target = tuple(s if s != -1 else shape[i - lead] for i, s in enumerate(sizes))
    bad = lead < 0 or any(d != 1 and d != target[i + lead] for i, d in enumerate(shape))
    if bad:
        raise RuntimeError(
            f"No se puede expandir un tensor de forma {tuple(shape)} a {sizes}: solo las "
            "dimensiones de tamaño 1 se pueden expandir (y se pueden añadir dimensiones "
            "delante).")
    return _views.make_view(mv.Expand, self, shape=target)


def expand_as(self, other):
    return expand(self, other.shape)


def repeat(self, *sizes):
    sizes = _sizes(sizes)
    shape = (1,) * (len(sizes) - self._data.ndim) + self._data.shape
    x = self.reshape(tuple(v for d in shape for v in (1, d)))
    x = x.expand(tuple(v for r, d in zip(sizes, shape) for v in (r, d)))
    return x.reshape(tuple(r * d for r, d in zip(sizes, shape)))


def getitem(self, index):
    index, advanced = _index_parts(index)
    try:
        if advanced:   # arrays de índices o máscaras: una copia, como en PyTorch
            return self._apply(mv.GetItem, self, index=index, advanced=True)
        return _views.make_view(mv.GetItem, self, index=index, advanced=False)
    except IndexError as exc:
        raise index_error(self, index, exc) from exc


def setitem(self, index, value):
    """``x[i] = v``: in situ; con ``v`` o ``x`` que requieren gradiente, entra en el grafo."""
    index, advanced = _index_parts(index)
    if _views.is_tracked(self, value):
        if not advanced:   # copia en la vista x[i] (la base recibe un CopySlices)
            self[index].copy_(value)
        else:
            _views.modify(self, lambda src: src._apply(IndexPut, src, value, index=index))
        return
    _views.check_writable(self)
    try:
        self._data[index] = value._data if hasattr(value, "_data") else value
    except IndexError as exc:
        raise index_error(self, index, exc) from exc
    self._bump_version()


def narrow(self, dim, start, length):
    dim = _dim(dim, self._data.ndim)
    size = self._data.shape[dim]
    start = int(start)
    if start < 0:
        start += size
    if not (0 <= start <= size and 0 <= length and start + length <= size):
        raise IndexError(
            f"narrow(dim={dim}, start={start}, length={length}) se sale de la dimensión "
            f"{dim}, de tamaño {size}: hace falta 0 <= start y start + length <= {size}.")
    return self[(slice(None),) * dim + (slice(start, start + int(length)),)]


def select(self, dim, index):
    dim = _dim(dim, self._data.ndim)
    size = self._data.shape[dim]
    if not -size <= int(index) < size:
        raise IndexError(
            f"select(dim={dim}, index={index}): el índice se sale de la dimensión {dim}, "
            f"de tamaño {size} (válidos de {-size} a {size - 1}).")
    return self[(slice(None),) * dim + (int(index),)]


def diagonal(self, offset=0, dim1=0, dim2=1):
    ndim = self._data.ndim
    d1, d2 = _dim(dim1, ndim), _dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(
            f"diagonal necesita dos dimensiones distintas, pero recibió dim1={dim1} y "
            f"dim2={dim2}.")
    return _views.make_view(mv.Diagonal, self, offset=int(offset), dim1=d1, dim2=d2)


def split(self, split_size, dim=0):
    size = self._data.shape[dim]
    sizes = ([split_size] * (size // split_size) + ([size % split_size] if size % split_size else [])
             if isinstance(split_size, int) else list(split_size))
    starts = np.cumsum([0] + sizes[:-1])
    dim = _dim(dim, self._data.ndim)
    return _views.split_pieces(tuple(self[(slice(None),) * dim + (slice(int(s), int(s) + n),)]
                                     for s, n in zip(starts, sizes)))


def chunk(self, chunks, dim=0):
    size = self._data.shape[dim]
    return split(self, -(-size // chunks), dim)


def unbind(self, dim=0):
    dim = _dim(dim, self._data.ndim)
    return _views.split_pieces(tuple(self[(slice(None),) * dim + (i,)]
                                     for i in range(self._data.shape[dim])))


def length(self):
    """``len(x)``: el tamaño de la primera dimensión."""
    if self._data.ndim == 0:
        raise TypeError("len() de un tensor de 0 dimensiones")
    return self._data.shape[0]


def iterate(self):
    """``for fila in x``: los tensores ``x[0]``, ``x[1]``... (vistas)."""
    if self._data.ndim == 0:
        raise TypeError("no se puede iterar sobre un tensor de 0 dimensiones")
    return (self[i] for i in range(self._data.shape[0]))


# --- cat y stack (funciones de torch) --------------------------------------------------------
def _same_dtype(tensors, name):
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{name} necesita una lista con al menos un tensor, y recibió una vacía.")
    if not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError(f"{name} espera una lista de tensores.")
    dtype = tensors[0]._data.dtype
    for t in tensors[1:]:
        dtype = _dtypes.promote_types(dtype, t._data.dtype)
    return [cast(t, dtype) for t in tensors]


def cat(tensors, dim=0):
    """Concatena tensores a lo largo de una dimensión existente."""
    tensors = _same_dtype(tensors, "cat")
    ndim = tensors[0]._data.ndim
    if any(t._data.ndim != ndim for t in tensors) or ndim == 0:
        shapes = ", ".join(str(tuple(t._data.shape)) for t in tensors)
        raise ShapeError(
            f"cat: todos los tensores deben tener el mismo número de dimensiones (al menos 1), "
            f"pero sus formas son {shapes}.")
    return Tensor._apply(mv.Cat, *tensors, axis=normalize_axis(dim, ndim)[0])


def stack(tensors, dim=0):
    """Apila tensores de la misma forma en una dimensión nueva."""
    tensors = _same_dtype(tensors, "stack")
    ndim = tensors[0]._data.ndim + 1
    return Tensor._apply(mv.Stack, *tensors, axis=normalize_axis(dim, ndim)[0])
