"""Unir, reordenar y ver de otra forma: hstack/vstack/dstack/column_stack, meshgrid,
movedim, broadcast_to/broadcast_tensors, atleast_*, flip/roll/rot90, tile,
repeat_interleave, tril/triu, diag/diag_embed y unfold.

Devuelven una vista donde PyTorch la devuelve (``movedim``, ``broadcast_to``, ``meshgrid``,
``atleast_*``, ``unfold``) y una copia donde PyTorch copia (``flip``, ``roll``, ``rot90``,
``tril``, ``diag``). Las primitivas nuevas están en ``ops/reorder.py``; lo demás se compone con
reshape, permute, expand, cat e index_select.
"""
import operator
import warnings

import numpy as np

from . import _index, _views
from ._device import Size
from ._shape import _dim, _sizes, cat
from .ops import movement as mv
from .ops import reorder as ro
from .ops import scatter as sc
from .errors import user_stacklevel

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _dims(dims, ndim, fn):
    """Lista de dimensiones (int, tupla o lista) normalizadas y sin repetir."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    out = tuple(_dim(operator.index(d), ndim) for d in dims)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{fn}(): la dimensión {out} aparece repetida en dims={dims}.")
    return out


def _tensor_list(tensors, fn):
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tuple(tensors[0])
    if not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError(f"{fn}() espera tensores.")
    return tensors


def _joined(tensors, fn):
    """La lista de tensores de hstack/vstack...: no vacía, como PyTorch."""
    tensors = _tensor_list((tensors,), fn)
    if not tensors:
        raise RuntimeError(f"{fn}() necesita una lista con al menos un tensor, y recibió una "
                           "vacía.")
    return tensors


def _keyword_dims(dims, kwargs, fn):
    """``f(x, 0, 1)``, ``f(x, (0, 1))`` o ``f(x, dims=(0, 1))``, como PyTorch."""
    if set(kwargs) - {"dims"}:
        raise TypeError(f"{fn}() recibió un argumento inesperado: {', '.join(kwargs)}.")
    if "dims" in kwargs:
        if dims:
            raise TypeError(f"{fn}() recibió dims dos veces (por posición y por nombre).")
        return (kwargs["dims"],)
    if not dims:
        raise TypeError(f"{fn}() necesita el argumento dims.")
    return dims


# --- vistas ---------------------------------------------------------------------------------
def movedim(input, source, destination):
    """Mueve las dimensiones ``source`` a las posiciones ``destination`` (una vista)."""
    ndim = input._data.ndim
    src = _dims(source, ndim, "movedim")
    dst = _dims(destination, ndim, "movedim")
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim(): source y destination deben tener el mismo número de dimensiones, "
            f"pero tienen {len(src)} y {len(dst)}.")
    if ndim == 0:
        return input.permute(())
    order = [None] * ndim
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in src)
    order = tuple(o if o is not None else next(rest) for o in order)
    return input.permute(order)


def swapaxes(input, axis0, axis1):
    """Intercambia dos dimensiones (una vista): lo mismo que ``transpose``."""
    return input.transpose(axis0, axis1)


def broadcast_to(input, size):
    return input.expand(_sizes((size,)))


def broadcast_shapes(*shapes):
    """La forma a la que se difunden todas (``torch.Size``), sin crear tensores."""
    try:
        return Size(np.broadcast_shapes(*(tuple(s) if isinstance(s, (tuple, list)) else (s,)
                                     for s in shapes)))
    except ValueError:
        raise RuntimeError(f"broadcast_shapes(): las formas {shapes} no se pueden difundir "
                           "juntas.") from None


def broadcast_tensors(*tensors):
    """Los tensores difundidos a una forma común (vistas, como ``expand``)."""
    tensors = _tensor_list(tensors, "broadcast_tensors")
    try:
        shape = np.broadcast_shapes(*(t._data.shape for t in tensors))
    except ValueError:
        shapes = ", ".join(str(tuple(t._data.shape)) for t in tensors)
        raise RuntimeError(f"broadcast_tensors(): las formas {shapes} no se pueden difundir "
                           "juntas.") from None
    return tuple(t.expand(shape) for t in tensors)


def _atleast(tensors, fn, make):
    many = len(tensors) != 1 or isinstance(tensors[0], (tuple, list))
    out = tuple(make(t) for t in _tensor_list(tensors, fn))
    return out if many else out[0]


def _at1(t):
    return t.reshape(1) if t._data.ndim == 0 else t


def _at2(t):
    return t.reshape(1, 1) if t._data.ndim == 0 else t.unsqueeze(0) if t._data.ndim == 1 else t


def _at3(t):
    nd = t._data.ndim
    if nd == 0:
        return t.reshape(1, 1, 1)
    if nd == 1:
        return t.reshape(1, -1, 1)
    return t.unsqueeze(-1) if nd == 2 else t


def atleast_1d(*tensors):
    return _atleast(tensors, "atleast_1d", _at1)


def atleast_2d(*tensors):
    return _atleast(tensors, "atleast_2d", _at2)


def atleast_3d(*tensors):
    return _atleast(tensors, "atleast_3d", _at3)


# --- unir ----------------------------------------------------------------------------------------
def hstack(tensors, *, out=None):
    """Concatena en horizontal: la dimensión 0 si todos son 1-D, si no la 1."""
    tensors = [_at1(t) for t in _joined(tensors, "hstack")]
    return _index._out(cat(tensors, 0 if all(t._data.ndim == 1 for t in tensors) else 1), out)


def vstack(tensors, *, out=None):
    """Apila por filas (los 1-D pasan a ser filas (1, n))."""
    return _index._out(cat([_at2(t) for t in _joined(tensors, "vstack")], 0), out)


def dstack(tensors, *, out=None):
    """Apila en profundidad (la tercera dimensión)."""
    return _index._out(cat([_at3(t) for t in _joined(tensors, "dstack")], 2), out)


def column_stack(tensors, *, out=None):
    """Apila como columnas (los 0-D y 1-D pasan a ser columnas (n, 1))."""
    tensors = [t.reshape(t.numel(), 1) if t._data.ndim <= 1 else t
               for t in _joined(tensors, "column_stack")]
    return _index._out(cat(tensors, 1), out)


def meshgrid(*tensors, indexing=None):
    """Rejillas de coordenadas: con ``indexing='ij'`` la salida tiene forma (n1, n2, ...), con
    ``'xy'`` (la de NumPy) se cambian las dos primeras. Cada rejilla es una vista (expand)."""
    tensors = _tensor_list(tensors, "meshgrid")
    if indexing is None:
        warnings.warn("torch.meshgrid: en una versión próxima será obligatorio pasar indexing "
                      "('ij' o 'xy'); sin él se usa 'ij'.", UserWarning, stacklevel=user_stacklevel())
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"meshgrid(): indexing debe ser 'ij' o 'xy', no {indexing!r}.")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError(
                f"meshgrid() espera tensores de 0 o 1 dimensiones, pero recibió uno de forma "
                f"{tuple(t._data.shape)}.")
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        tensors = (tensors[1], tensors[0]) + tuple(tensors[2:])
    shape = tuple(t.numel() for t in tensors)
    grids = []
    for i, t in enumerate(tensors):
        view = [1] * len(shape)
        view[i] = -1
        grids.append(t.reshape(view).expand(shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


# --- reordenar (copias) ---------------------------------------------------------------------
def flip(input, *dims, **kwargs):
    """Invierte el orden en las dimensiones ``dims`` (una copia, como PyTorch)."""
    dims = _keyword_dims(dims, kwargs, "flip")
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = dims[0]
    dims = _dims(dims, input._data.ndim, "flip")
    if input._data.ndim == 0:
        dims = ()
    return input._apply(ro.Flip, input, dims=dims)


def fliplr(input):
    if input._data.ndim < 2:
        raise RuntimeError("fliplr() necesita un tensor de al menos 2 dimensiones.")
    return flip(input, 1)


def flipud(input):
    if input._data.ndim < 1:
        raise RuntimeError("flipud() necesita un tensor de al menos 1 dimensión.")
    return flip(input, 0)


def roll(input, shifts, dims=None):
    """Desplaza los elementos en círculo ``shifts`` posiciones en ``dims`` (sin ``dims``: el
    tensor aplanado, con la forma original)."""
    shifts = (shifts,) if not isinstance(shifts, (tuple, list)) else tuple(shifts)
    shifts = tuple(operator.index(s) for s in shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"roll(): sin dims, shifts debe ser un solo número, no {shifts}.")
    else:
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        if len(dims) != len(shifts):
            raise RuntimeError(
                f"roll(): shifts y dims deben tener la misma longitud, pero son {shifts} y "
                f"{dims}.")
        dims = tuple(_dim(d, input._data.ndim) for d in dims)
    return input._apply(ro.Roll, input, shifts=shifts, dims=dims)


def rot90(input, k=1, dims=(0, 1)):
    """Gira 90° ``k`` veces en el plano ``dims`` (de la primera dimensión hacia la segunda)."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"rot90(): dims debe tener dos dimensiones, pero tiene {len(dims)}.")
    ndim = input._data.ndim
    if ndim < 2:
        raise RuntimeError(f"rot90() necesita un tensor de al menos 2 dimensiones, y este tiene "
                           f"{ndim}.")
    d0, d1 = _dim(dims[0], ndim), _dim(dims[1], ndim)
    if d0 == d1:
        raise RuntimeError(f"rot90(): las dos dimensiones deben ser distintas, pero son {dims}.")
    k %= 4
    if k == 1:
        return flip(input, d1).transpose(d0, d1)
    if k == 2:
        return flip(input, (d0, d1))
    if k == 3:
        return flip(input, d0).transpose(d0, d1)
    return input.clone()


def tile(input, *dims, **kwargs):
    """Repite el tensor ``dims`` veces en cada dimensión (con menos dims, se rellena con 1)."""
    dims = _sizes(_keyword_dims(dims, kwargs, "tile"))
    dims = (1,) * (input._data.ndim - len(dims)) + dims
    out = input.repeat(dims)
    return out.clone() if out._view is not None else out   # sin repetir, repeat da una vista


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repite cada elemento ``repeats`` veces (un número o un tensor, uno por elemento)."""
    if repeats is None:   # torch.repeat_interleave(repeats): los índices repetidos
        counts = _counts(input, None)
        return Tensor._wrap(np.repeat(np.arange(counts.size), counts))
    if dim is None:
        input, dim = input.reshape(-1), 0
    dim = _dim(dim, input._data.ndim)
    x = input.reshape(1) if input._data.ndim == 0 else input
    if not isinstance(repeats, Tensor):   # un número: expand y una copia, como PyTorch
        r = operator.index(repeats)
        if r < 0:
            raise RuntimeError("repeat_interleave(): repeats no puede ser negativo.")
        shape = x._data.shape
        if output_size is not None and output_size != r * shape[dim]:
            raise RuntimeError(f"repeat_interleave(): output_size={output_size} no coincide "
                               f"con repeats * tamaño ({r * shape[dim]}).")
        wide = x.unsqueeze(dim + 1).expand(shape[:dim + 1] + (r,) + shape[dim + 1:])
        return wide.clone().reshape(shape[:dim] + (r * shape[dim],) + shape[dim + 1:])
    counts = _counts(repeats, x._data.shape[dim])
    total = int(counts.sum())
    if output_size is not None and output_size != total:
        raise RuntimeError(f"repeat_interleave(): output_size={output_size} no coincide con la "
                           f"suma de repeats ({total}).")
    index = np.repeat(np.arange(x._data.shape[dim]), counts)
    return x._apply(sc.IndexSelect, x, index=index, dim=dim)


def _counts(repeats, size):
    data = repeats._data if isinstance(repeats, Tensor) else np.asarray(repeats)
    if data.dtype.kind not in "iu":
        raise RuntimeError("repeat_interleave(): repeats debe ser un entero o un tensor de "
                           "enteros.")
    if data.ndim > 1:
        raise RuntimeError("repeat_interleave(): repeats debe ser 0-D o 1-D.")
    if (data < 0).any():
        raise RuntimeError("repeat_interleave(): repeats no puede ser negativo.")
    if size is None:
        return data.reshape(-1)
    if data.size == 1:
        return np.full(size, int(data.reshape(-1)[0]))
    if data.size != size:
        raise RuntimeError(
            f"repeat_interleave(): repeats debe tener un valor por elemento de la dimensión "
            f"({size}), pero tiene {data.size}.")
    return data


# --- triángulos y diagonales ----------------------------------------------------------------
def _triangle(input, diagonal, upper):
    if input._data.ndim < 2:
        name = "triu" if upper else "tril"
        raise RuntimeError(f"{name}() necesita un tensor de al menos 2 dimensiones, y este tiene "
                           f"forma {tuple(input._data.shape)}.")
    return input._apply(ro.Tril, input, diagonal=operator.index(diagonal), upper=upper)


def tril(input, diagonal=0, *, out=None):
    """Copia con ceros por encima de la diagonal ``diagonal`` (en las dos últimas dimensiones)."""
    return _index._out(_triangle(input, diagonal, False), out)


def triu(input, diagonal=0, *, out=None):
    """Copia con ceros por debajo de la diagonal ``diagonal``."""
    return _index._out(_triangle(input, diagonal, True), out)


def tril_(self, diagonal=0):
    return _index.inplace(self, lambda x: tril(x, diagonal))


def triu_(self, diagonal=0):
    return _index.inplace(self, lambda x: triu(x, diagonal))


def diag(input, diagonal=0, *, out=None):
    """1-D: la matriz con ``input`` en la diagonal ``diagonal``; 2-D: esa diagonal (una copia)."""
    nd = input._data.ndim
    k = operator.index(diagonal)
    if nd == 1:
        n = input._data.shape[0] + abs(k)
        result = input._apply(mv.DiagonalEmbed, input, shape=(n, n), args=(k, 0, 1))
    elif nd == 2:
        result = input.diagonal(k).clone()
    else:
        raise RuntimeError(f"diag() admite tensores de 1 o 2 dimensiones, y este tiene {nd}.")
    return _index._out(result, out)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Tensor con las últimas dimensiones de ``input`` en las diagonales de (dim1, dim2)."""
    ndim = input._data.ndim + 1
    d1, d2 = _dim(dim1, ndim), _dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diag_embed(): dim1 y dim2 deben ser distintas, pero son {dim1} y "
                           f"{dim2}.")
    x = input.reshape(1) if input._data.ndim == 0 else input
    n = x._data.shape[-1] + abs(int(offset))
    shape = list(x._data.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    return x._apply(mv.DiagonalEmbed, x, shape=tuple(shape), args=(int(offset), d1, d2))


def unfold(self, dimension, size, step):
    """Ventanas de ``size`` elementos cada ``step`` en ``dimension`` (una vista), en una
    dimensión nueva al final."""
    x = self.reshape(1) if self._data.ndim == 0 else self
    dimension = _dim(dimension, x._data.ndim)
    n = x._data.shape[dimension]
    if size > n:
        raise RuntimeError(f"unfold(): size={size} es mayor que la dimensión {dimension}, de "
                           f"tamaño {n}.")
    if step <= 0:
        raise RuntimeError(f"unfold(): step debe ser > 0, y es {step}.")
    out = _views.make_view(ro.Unfold, x, dimension=dimension, size=int(size), step=int(step))
    return out.reshape(size) if self._data.ndim == 0 else out
