"""Métodos de forma e indexado de ``Tensor``: reshape, permute, expand, getitem...

Los que en PyTorch devuelven una vista la devuelven también aquí (``_views.make_view``):
comparten memoria y contador de versión con su base.
"""
import operator

import numpy as np

from . import _views
from .errors import index_error, reshape_error
from .ops import movement as mv
from .ops.inplace import IndexPut


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


class ShapeMixin:
    __slots__ = ()

    def reshape(self, *shape):
        return self._reshape(_sizes(shape))

    def _reshape(self, shape, label=None):
        """reshape con el nombre de PyTorch del nodo (``label``) de squeeze/unsqueeze."""
        try:
            return _views.make_view(mv.Reshape, self, shape=shape, label=label)
        except ValueError as exc:
            raise reshape_error(self, shape) from exc

    view = reshape

    def view_as(self, other):
        return self.reshape(other.shape)

    reshape_as = view_as

    def flatten(self, start_dim=0, end_dim=-1):
        shape = self._data.shape
        if not shape:
            return self.reshape(1)
        start, end = _dim(start_dim, len(shape)), _dim(end_dim, len(shape))
        new = shape[:start] + (int(np.prod(shape[start:end + 1])),) + shape[end + 1:]
        return self.reshape(new)

    def unflatten(self, dim, sizes):
        shape = self._data.shape
        dim = _dim(dim, len(shape))
        return self.reshape(shape[:dim] + tuple(sizes) + shape[dim + 1:])

    def squeeze(self, dim=None):
        shape = self._data.shape
        if dim is None:
            return self._reshape(tuple(d for d in shape if d != 1), label="SqueezeBackward0")
        many = isinstance(dim, (tuple, list))
        dims = {_dim(d, len(shape)) for d in (dim if many else (dim,))}
        return self._reshape(tuple(d for i, d in enumerate(shape) if not (i in dims and d == 1)),
                             label="SqueezeBackward2" if many else "SqueezeBackward1")

    def unsqueeze(self, dim):
        shape = self._data.shape
        dim = _dim(dim, len(shape) + 1)
        return self._reshape(shape[:dim] + (1,) + shape[dim:], label="UnsqueezeBackward0")

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

    swapaxes = transpose

    def t(self):
        if self._data.ndim > 2:
            raise RuntimeError(
                f"t() espera un tensor de como mucho 2 dimensiones, pero este tiene forma "
                f"{tuple(self._data.shape)}. Usa transpose(dim0, dim1) o permute().")
        axes = (1, 0) if self._data.ndim == 2 else tuple(range(self._data.ndim))
        return _views.make_view(mv.Permute, self, axes=axes, label="TBackward0")

    @property
    def T(self):
        return _views.make_view(mv.Permute, self, axes=tuple(reversed(range(self._data.ndim))))

    @property
    def mT(self):
        return self.transpose(-2, -1)

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
        return self.expand(other.shape)

    def repeat(self, *sizes):
        sizes = _sizes(sizes)
        shape = (1,) * (len(sizes) - self._data.ndim) + self._data.shape
        x = self.reshape(tuple(v for d in shape for v in (1, d)))
        x = x.expand(tuple(v for r, d in zip(sizes, shape) for v in (r, d)))
        return x.reshape(tuple(r * d for r, d in zip(sizes, shape)))

    def __getitem__(self, index):
        index, advanced = _index_parts(index)
        try:
            if advanced:   # arrays de índices o máscaras: una copia, como en PyTorch
                return self._apply(mv.GetItem, self, index=index, advanced=True)
            return _views.make_view(mv.GetItem, self, index=index, advanced=False)
        except IndexError as exc:
            raise index_error(self, index, exc) from exc

    def __setitem__(self, index, value):
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
        return self.split(-(-size // chunks), dim)

    def unbind(self, dim=0):
        dim = _dim(dim, self._data.ndim)
        return _views.split_pieces(tuple(self[(slice(None),) * dim + (i,)]
                                         for i in range(self._data.shape[dim])))
