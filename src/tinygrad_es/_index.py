"""Indexado por tensores de índices: gather, scatter, index_select, index_add, masked_fill,
take, put, nonzero... (funciones de ``torch`` y métodos de ``Tensor``, con sus variantes in situ).

Las primitivas son ``Gather``/``ScatterAdd``/``Scatter`` (``ops/scatter.py``); lo demás se
compone con el indexado que ya existe (``x[índices]``, cuyo backward es ``Embed``, y
``IndexPut``) y con ``where``. Las variantes in situ (``scatter_``, ``index_add_``...) pasan por
``_views.modify``: siguen las reglas de PyTorch para hojas que requieren gradiente y vistas.

Comprobación de índices como en PyTorch: fuera de rango (también los negativos en gather,
scatter e index_select) es un error con la misma clase que PyTorch.
"""
import numpy as np

from . import _dtypes, _views
from ._math import SCALARS, where
from ._shape import _dim
from .ops import movement as mv
from .ops import scatter as sc
from .ops.inplace import IndexPut

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


# --- comprobaciones -----------------------------------------------------------------------------
def _indices(index, fn, kinds="iu"):
    """El ndarray de enteros de ``index`` (Tensor, lista o ndarray), o un error como PyTorch."""
    data = index._data if isinstance(index, Tensor) else np.asarray(index)
    if data.dtype.kind not in kinds:
        raise RuntimeError(
            f"{fn}(): los índices deben ser un tensor de enteros (int64 o int32), pero son de "
            f"tipo {_dtypes.dtype_name(data.dtype)}. Conviértelos con .long().")
    return data.astype(np.int64, copy=False)


def _check_bounds(index, size, dim, fn, negatives=False, error=RuntimeError):
    """Índices en [0, size) (o en [-size, size) con ``negatives``); devuelve los no negativos."""
    if index.size:
        low, high = index.min(), index.max()
        bad = high if high >= size else low if low < (-size if negatives else 0) else None
        if bad is not None:
            valid = f"de {-size if negatives else 0} a {size - 1}"
            raise error(
                f"{fn}(): el índice {int(bad)} se sale de la dimensión {dim}, de tamaño {size} "
                f"(los válidos van {valid}).")
        if negatives and low < 0:
            index = np.where(index < 0, index + size, index)
    return index


def _value(t, fn):
    if not isinstance(t, Tensor):
        raise TypeError(f"{fn}() espera un Tensor, pero recibió {type(t).__name__}.")
    return t


def _along(self, dim, index, fn, src=None):
    """Comprueba ``index`` para gather/scatter a lo largo de ``dim``; devuelve (dim, index)."""
    ndim = self._data.ndim
    index = _indices(index, fn)
    if index.ndim != ndim and not (max(ndim, 1) == 1 and index.ndim <= 1):
        raise RuntimeError(
            f"{fn}(): index debe tener el mismo número de dimensiones que la entrada ({ndim}), "
            f"pero tiene {index.ndim} (forma {tuple(index.shape)}).")
    dim = _dim(dim, ndim)
    shape = self._data.shape if ndim else (1,)
    index = index.reshape(index.shape if ndim else (-1,))
    src_shape = None if src is None else (src.shape if src.ndim else (1,) * index.ndim)
    for d, (n, m) in enumerate(zip(index.shape, shape)):
        if (d != dim and n > m) or (src_shape is not None and n > src_shape[d]):
            extra = "" if src is None else f" ni que src {tuple(src.shape)}"
            raise RuntimeError(
                f"{fn}(): index de forma {tuple(index.shape)} no puede ser más grande que la "
                f"entrada {tuple(self._data.shape)} (salvo en la dimensión {dim}){extra}.")
    return dim, _check_bounds(index, shape[dim], dim, fn)


def _src_like(src, index):
    """``src`` recortado a la forma de ``index`` (PyTorch solo usa esas posiciones)."""
    if src.shape == index.shape:
        return src
    if src.ndim == 0:
        return src.reshape(index.shape)
    return src[tuple(slice(0, n) for n in index.shape)]


def _flat(t):
    return t.reshape(-1) if t._data.ndim == 0 else t


def _unflat(out, like):
    return out.reshape(()) if like._data.ndim == 0 else out


# --- gather / scatter ---------------------------------------------------------------------------
def gather(input, dim, index, *, sparse_grad=False, out=None):
    """``out[i][j][k] = input[i][index[i][j][k]][k]`` (con ``dim=1``)."""
    _value(input, "gather")
    dim, idx = _along(input, dim, index, "gather")
    result = Tensor._apply(sc.Gather, _flat(input), index=idx, dim=dim)
    return _out(_unflat(result, input) if np.ndim(index) == 0 else result, out)


def _scatter_src(self, src, value, fn):
    if src is None:
        src = value
    if isinstance(src, Tensor):
        if src._data.dtype != self._data.dtype:
            raise RuntimeError(
                f"{fn}(): src debe tener el mismo tipo que el tensor "
                f"({_dtypes.dtype_name(self._data.dtype)}), pero es "
                f"{_dtypes.dtype_name(src._data.dtype)}. Conviértelo con .to(x.dtype).")
        return src
    if isinstance(src, SCALARS):
        return self._data.dtype.type(src)
    raise TypeError(f"{fn}(): src debe ser un Tensor o un número, no {type(src).__name__}.")


def _scatter(self, dim, index, src, value, reduce, fn):
    _value(self, fn)
    src = _scatter_src(self, src, value, fn)
    tensor_src = isinstance(src, Tensor)
    dim, idx = _along(self, dim, index, fn, src._data.reshape(src._data.shape or (1,))
                      if tensor_src else None)
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError(f"{fn}(): reduce debe ser 'add' o 'multiply', no {reduce!r}.")
    if tensor_src:
        src = _src_like(_flat(src), idx)
    return dim, idx, src


def scatter(input, dim, index, src=None, value=None, *, reduce=None, out=None):
    """Copia de ``input`` con ``src`` (tensor o número) escrito en los índices de ``dim``."""
    dim, idx, src = _scatter(input, dim, index, src, value, reduce, "scatter")
    result = Tensor._apply(sc.Scatter, _flat(input), src, index=idx, dim=dim, reduce=reduce)
    return _out(_unflat(result, input), out)


def scatter_add(input, dim, index, src, *, out=None):
    """Copia de ``input`` con ``src`` sumado en los índices de ``dim`` (los repetidos suman)."""
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_add(): src debe ser un Tensor, no {type(src).__name__}.")
    dim, idx, src = _scatter(input, dim, index, src, None, None, "scatter_add")
    result = Tensor._apply(sc.ScatterAdd, _flat(input), src, index=idx, dim=dim)
    return _out(_unflat(result, input), out)


def inplace(self, compute, *operands):
    """``compute(x)`` (fuera de sitio) escrito en la memoria de ``self``, con las reglas de
    PyTorch (hojas que requieren gradiente, vistas, versiones). ``operands``: los demás
    tensores de la operación (si alguno requiere gradiente, se registra en el grafo)."""
    other = next((o for o in operands if getattr(o, "_requires_grad", False)), None)
    if _views.is_tracked(self, other):
        return _views.modify(self, compute)
    _views.check_writable(self)
    result = compute(self._wrap(self._data))   # sin nada que registrar: no crea grafo
    _views.store(self, result._data)
    self._bump_version()
    return self


def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    return inplace(self, lambda x: scatter(x, dim, index, src, value, reduce=reduce), src)


def scatter_add_(self, dim, index, src):
    return inplace(self, lambda x: scatter_add(x, dim, index, src), src)


# --- index_* (a lo largo de una dimensión, con un vector de índices) ----------------------------
def _vector(index, fn, size, dim, negatives=False, error=RuntimeError):
    index = _indices(index, fn)
    if index.ndim > 1:
        raise IndexError(f"{fn}(): index debe ser un vector (1-D), pero tiene forma "
                         f"{tuple(index.shape)}.")
    return _check_bounds(index.reshape(-1), size, dim, fn, negatives, error)


def _where_along(dim, index):
    return (slice(None),) * dim + (index,)


def index_select(input, dim, index, *, out=None):
    """Las posiciones ``index`` (un vector) de la dimensión ``dim``."""
    _value(input, "index_select")
    x = _flat(input)
    dim = _dim(dim, input._data.ndim)
    idx = _vector(index, "index_select", x._data.shape[dim], dim)
    result = x._apply(sc.IndexSelect, x, index=idx, dim=dim)
    return _out(_unflat(result, input), out)


def _index_source(self, dim, index, source, fn, error=RuntimeError):
    dim = _dim(dim, self._data.ndim)
    x_shape = self._data.shape or (1,)
    idx = _vector(index, fn, x_shape[dim], dim, error=error)
    if not isinstance(source, Tensor):
        raise TypeError(f"{fn}(): source debe ser un Tensor, no {type(source).__name__}.")
    expected = x_shape[:dim] + (idx.size,) + x_shape[dim + 1:]
    if tuple(source._data.shape or (1,)) != expected:
        raise RuntimeError(
            f"{fn}(): source debe tener forma {expected} (la del tensor con {idx.size} en la "
            f"dimensión {dim}, una por índice), pero tiene {tuple(source._data.shape)}.")
    if source._data.dtype != self._data.dtype:
        raise RuntimeError(
            f"{fn}(): source debe tener el mismo tipo que el tensor "
            f"({_dtypes.dtype_name(self._data.dtype)}), pero es "
            f"{_dtypes.dtype_name(source._data.dtype)}.")
    return dim, idx, source.reshape(expected)


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """Copia de ``input`` con ``alpha * source`` sumado en las posiciones ``index`` de ``dim``."""
    dim, idx, source = _index_source(input, dim, index, source, "index_add")
    if alpha != 1:
        source = source * alpha
    x = _flat(input)
    result = Tensor._apply(sc.IndexAdd, x, source, index=idx, dim=dim)
    return _out(_unflat(result, input), out)


def index_copy(input, dim, index, source, *, out=None):
    """Copia de ``input`` con ``source`` escrito en las posiciones ``index`` de ``dim``."""
    dim, idx, source = _index_source(input, dim, index, source, "index_copy", IndexError)
    x = _flat(input)
    result = Tensor._apply(IndexPut, x, source, index=_where_along(dim, idx))
    return _out(_unflat(result, input), out)


def index_fill(input, dim, index, value):
    """Copia de ``input`` con ``value`` (número o tensor 0-d) en las posiciones ``index``."""
    x = _flat(input)
    dim = _dim(dim, input._data.ndim)
    idx = _vector(index, "index_fill", x._data.shape[dim], dim, negatives=True, error=IndexError)
    idx = np.unique(idx)   # rellenar dos veces es rellenar una (y el gradiente de value, igual)
    value = _fill_value(input, value, "index_fill")
    result = Tensor._apply(IndexPut, x, value, index=_where_along(dim, idx))
    return _unflat(result, input)


def index_add_(self, dim, index, source, *, alpha=1):
    return inplace(self, lambda x: index_add(x, dim, index, source, alpha=alpha), source)


def index_copy_(self, dim, index, source):
    return inplace(self, lambda x: index_copy(x, dim, index, source), source)


def index_fill_(self, dim, index, value):
    return inplace(self, lambda x: index_fill(x, dim, index, value), value)


# --- máscaras ------------------------------------------------------------------------------------
def _mask(mask, fn):
    data = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if data.dtype.kind != "b":
        raise RuntimeError(
            f"{fn}(): la máscara debe ser de tipo bool, pero es "
            f"{_dtypes.dtype_name(data.dtype)}. Usa una comparación (x > 0) o .bool().")
    return data


def _fill_value(self, value, fn):
    """El valor de relleno, del tipo de ``self`` (un número, o un Tensor 0-d derivable)."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                f"{fn}(): value debe ser un número o un tensor de 0 dimensiones, pero tiene "
                f"forma {tuple(value._data.shape)}.")
        return value if value._data.dtype == self._data.dtype else value.to(self._data.dtype)
    return np.asarray(value).astype(self._data.dtype)


def masked_fill(input, mask, value):
    """Copia de ``input`` con ``value`` donde ``mask`` es verdadera (la máscara se difunde)."""
    cond = _mask(mask, "masked_fill")
    value = _fill_value(input, value, "masked_fill")
    if isinstance(value, Tensor):
        return where(Tensor._wrap(cond), value, input)
    return where(Tensor._wrap(cond), input._wrap(value), input)


def masked_fill_(self, mask, value):
    cond = _mask(mask, "masked_fill_")
    if np.broadcast_shapes(self._data.shape, cond.shape) != self._data.shape:
        raise RuntimeError(
            f"masked_fill_(): la máscara de forma {tuple(cond.shape)} no se puede difundir a la "
            f"forma del tensor {tuple(self._data.shape)}.")
    return inplace(self, lambda x: masked_fill(x, mask, value), value)


def masked_select(input, mask, *, out=None):
    """Los elementos donde ``mask`` es verdadera, en un tensor 1-D (ambos se difunden)."""
    cond = _mask(mask, "masked_select")
    shape = np.broadcast_shapes(input._data.shape, cond.shape)
    x = input if input._data.shape == shape else input.expand(shape)
    cond = np.broadcast_to(cond, shape)
    return _out(x._apply(mv.GetItem, x, index=cond, advanced=True), out)


def masked_scatter(input, mask, source):
    """Copia de ``input`` con los elementos de ``source`` (en orden) donde ``mask`` es verdadera."""
    cond = np.broadcast_to(_mask(mask, "masked_scatter"), input._data.shape)
    n = int(cond.sum())
    if source.numel() < n:
        raise RuntimeError(
            f"masked_scatter(): source tiene {source.numel()} elementos y la máscara marca {n} "
            "posiciones: hace falta al menos uno por posición.")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError("masked_scatter(): source debe tener el mismo tipo que el tensor.")
    return Tensor._apply(IndexPut, input, source.reshape(-1)[:n], index=cond)


def masked_scatter_(self, mask, source):
    return inplace(self, lambda x: masked_scatter(x, mask, source), source)


# --- take / put (sobre el tensor aplanado) -------------------------------------------------------
def take(input, index):
    """``input.flatten()[index]``: el resultado tiene la forma de ``index``."""
    idx = _indices(index, "take")
    idx = _check_bounds(idx, input.numel(), 0, "take", negatives=True, error=IndexError)
    return input.reshape(-1)[Tensor._wrap(idx)] if idx.ndim else input.reshape(-1)[Tensor._wrap(
        idx.reshape(1))].reshape(())


def put(input, index, source, accumulate=False):
    """Copia de ``input`` con ``source`` en las posiciones ``index`` del tensor aplanado."""
    idx = _indices(index, "put").reshape(-1)
    idx = _check_bounds(idx, input.numel(), 0, "put", negatives=True, error=IndexError)
    if not isinstance(source, Tensor) or source.numel() != idx.size:
        raise RuntimeError(
            f"put(): source debe ser un Tensor con tantos elementos como index ({idx.size}).")
    flat, values = input.reshape(-1), source.reshape(-1).to(input.dtype)
    if accumulate:
        return Tensor._apply(sc.IndexAdd, flat, values, index=idx, dim=0).reshape(input.shape)
    return Tensor._apply(IndexPut, flat, values, index=(idx,)).reshape(input.shape)


def put_(self, index, source, accumulate=False):
    return inplace(self, lambda x: put(x, index, source, accumulate), source)


def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` que difunde ``input`` e ``indices`` (sin ``dim``: sobre los aplanados)."""
    idx = _indices(indices, "take_along_dim")
    if dim is None:
        return _out(gather(input.reshape(-1), 0, idx.reshape(-1)), out)
    ndim = input._data.ndim
    dim = _dim(dim, ndim)
    if idx.ndim != ndim:
        raise RuntimeError(
            f"take_along_dim(): indices debe tener tantas dimensiones como la entrada ({ndim}), "
            f"pero tiene {idx.ndim}.")
    shape_x, shape_i = list(input._data.shape), list(idx.shape)
    shape_x[dim] = shape_i[dim] = 1
    common = np.broadcast_shapes(tuple(shape_x), tuple(shape_i))
    target_x = common[:dim] + (input._data.shape[dim],) + common[dim + 1:]
    target_i = common[:dim] + (idx.shape[dim],) + common[dim + 1:]
    x = input if input._data.shape == target_x else input.expand(target_x)
    return _out(gather(x, dim, np.broadcast_to(idx, target_i)), out)


# --- nonzero ------------------------------------------------------------------------------------
def nonzero(input, *, out=None, as_tuple=False):
    """Índices (int64) de los elementos distintos de cero: (n, ndim), o una tupla por dimensión."""
    data = input._data
    if as_tuple:
        if data.ndim == 0:
            return (Tensor._wrap(np.flatnonzero(data.reshape(1)).astype(np.int64)),)
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(data))
    return _out(Tensor._wrap(np.argwhere(data).astype(np.int64)), out)


def argwhere(input):
    return nonzero(input)


def _out(result, out):
    """``out=``: escribe el resultado en ``out`` (cambiándole la forma si hace falta)."""
    if out is None:
        return result
    if out._data.shape != result._data.shape:
        out._data = np.empty(result._data.shape, dtype=out._data.dtype)
    out.copy_(result)
    return out
