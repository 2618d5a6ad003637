"""Conjuntos de datos (``Dataset``) con los nombres de ``torch.utils.data``.

Un Dataset es cualquier objeto con ``__getitem__(i)`` (la muestra ``i``) y ``__len__``.

Camino rápido: un Dataset puede definir además ``_get_batch(indices)``, que recibe los índices
de un lote como ``ndarray`` de int64 y devuelve **el lote ya juntado** (lo mismo que daría
``default_collate`` con las muestras una a una) o ``None`` si no puede. ``TensorDataset`` lo
define indexando cada tensor una sola vez por lote, y ``Subset`` lo traslada a su Dataset.
El DataLoader solo lo usa con el ``collate_fn`` por defecto y si la subclase no redefine
``__getitem__`` (así se respeta el ``__getitem__`` propio de quien hereda).
"""
from __future__ import annotations

import bisect
import math
import operator
import warnings
from typing import Any

import numpy as np

from ..._random import default_generator, get_generator
from ..._random import distributions as _dist
from ...errors import ShapeError
from ...tensor import Tensor, _make
from ...errors import user_stacklevel


class Dataset:
    """Clase base: hereda de ella y define ``__getitem__`` y ``__len__``."""

    def __getitem__(self, index: Any) -> Any:
        raise TypeError(
            f"{type(self).__name__} debe definir __getitem__(self, index) que devuelva la "
            "muestra número index (y __len__ con el número de muestras).")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


def index_error(dataset, index, n, cause=None):
    """IndexError en español que nombra el índice y el número de muestras del Dataset.

    Se construye solo en el camino del fallo (después de que indexar haya fallado). ``cause``
    es el error original: si el índice sí estaba en rango, el problema es otro y se conserva.
    """
    name = type(dataset).__name__
    try:
        i = operator.index(index)
    except TypeError:
        if isinstance(index, (slice, list, tuple, np.ndarray, Tensor)) and cause is not None:
            return cause    # índices múltiples: el error de indexar ya es específico
        cls = TypeError if isinstance(cause, TypeError) else IndexError
        return cls(
            f"{name}: los índices deben ser enteros (de 0 a {n - 1}), pero se pidió "
            f"{index!r} (de tipo {type(index).__name__}). Usa int(...) si es un número.")
    if -n <= i < n and cause is not None:
        return cause
    valid = f"de 0 a {n - 1} (o de -{n} a -1 contando desde el final)" if n else "ninguno"
    return IndexError(
        f"{name}: el índice {i} está fuera de rango: el conjunto de datos tiene {n} muestras, "
        f"así que los índices válidos son {valid}. Usa len(dataset) para recorrerlo "
        "(o un DataLoader).")


def fast_batch(dataset):
    """El ``_get_batch`` del Dataset si se puede usar sin saltarse un ``__getitem__`` propio."""
    if isinstance(dataset, Tensor):
        return lambda idx: _make(dataset._data[idx]) if not dataset._requires_grad else None
    getter = getattr(dataset, "_get_batch", None)
    if getter is None:
        return None
    mro = type(dataset).__mro__
    owner_batch = next(k for k in mro if "_get_batch" in vars(k))
    owner_item = next((k for k in mro if "__getitem__" in vars(k)), object)
    if mro.index(owner_item) < mro.index(owner_batch):
        return None     # una subclase cambió __getitem__: se usa muestra a muestra
    return getter


class TensorDataset(Dataset):
    """Envuelve tensores con la misma primera dimensión: la muestra ``i`` es ``(t[i] for t)``.

    ``TensorDataset(X, y)[3]`` es ``(X[3], y[3])``. En el DataLoader cada lote se obtiene
    indexando cada tensor una vez (sin bucle de Python por muestra).
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset necesita al menos un tensor, p. ej. TensorDataset(X, y).")
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"TensorDataset espera tensores, pero el argumento {i} es "
                    f"{type(t).__name__}. Conviértelo antes: torch.tensor(x) o "
                    "torch.from_numpy(x) para un array de NumPy.")
            if t._data.ndim == 0:
                raise ShapeError(
                    f"TensorDataset: el tensor {i} es un escalar (0 dimensiones); cada tensor "
                    "debe tener una primera dimensión con una fila por muestra.")
        n = tensors[0]._data.shape[0]
        if any(t._data.shape[0] != n for t in tensors):
            formas = ", ".join(str(tuple(t._data.shape)) for t in tensors)
            raise ShapeError(
                f"TensorDataset: todos los tensores deben tener el mismo tamaño en la primera "
                f"dimensión (una fila por muestra), pero las formas son {formas}. Revisa que X "
                "e y tengan el mismo número de muestras.")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        try:
            return tuple(t[index] for t in self.tensors)
        except IndexError as exc:
            raise index_error(self, index, len(self), exc) from None

    def __len__(self) -> int:
        return self.tensors[0]._data.shape[0]

    def _get_batch(self, indices):
        if any(t._requires_grad for t in self.tensors):
            return None     # con gradiente: muestra a muestra y stack, con su grafo
        return tuple(_make(t._data[indices]) for t in self.tensors)


class Subset(Dataset):
    """Las muestras de ``dataset`` en las posiciones ``indices`` (en ese orden)."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    @property
    def indices(self):
        return self._indices

    @indices.setter
    def indices(self, value):
        self._indices = value
        self._index_array = None

    def __getitem__(self, idx):
        try:
            if isinstance(idx, list):
                return self.dataset[[self.indices[i] for i in idx]]
            position = self.indices[idx]
        except (IndexError, TypeError) as exc:
            raise index_error(self, idx, len(self), exc) from None
        return self.dataset[position]

    def __getitems__(self, indices):
        getitems = getattr(self.dataset, "__getitems__", None)
        if callable(getitems):
            return getitems([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self):
        return len(self.indices)

    def _get_batch(self, indices):
        inner = fast_batch(self.dataset)
        if inner is None:
            return None
        if self._index_array is None:
            source = self._indices
            source = source._data if isinstance(source, Tensor) else source
            self._index_array = np.asarray(source, dtype=np.int64)
        return inner(self._index_array[indices])


class ConcatDataset(Dataset):
    """Varios Datasets uno detrás de otro (``ds1 + ds2`` da uno de estos)."""

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset necesita al menos un Dataset y recibió una lista vacía.")
        self.cumulative_sizes = []
        total = 0
        for d in self.datasets:
            total += len(d)
            self.cumulative_sizes.append(total)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError(
                    f"El índice {idx} está fuera de rango para un ConcatDataset de {len(self)} "
                    "muestras.")
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        if which == len(self.datasets):
            raise IndexError(
                f"El índice {idx} está fuera de rango para un ConcatDataset de {len(self)} "
                "muestras.")
        start = self.cumulative_sizes[which - 1] if which > 0 else 0
        return self.datasets[which][idx - start]


def _lengths_from_fractions(fractions, n):
    lengths = [int(math.floor(n * f)) for f in fractions]
    for i in range(n - sum(lengths)):
        lengths[i % len(lengths)] += 1
    for i, length in enumerate(lengths):
        if length == 0:
            warnings.warn(f"La partición {i} de random_split ha quedado vacía (0 muestras).",
                          stacklevel=user_stacklevel())
    return lengths


def random_split(dataset, lengths, generator=default_generator):
    """Reparte ``dataset`` al azar en ``Subset`` disjuntos de los tamaños dados.

    ``lengths`` son tamaños (``[50000, 10000]``, que deben sumar ``len(dataset)``) o
    fracciones que suman 1 (``[0.8, 0.2]``); con fracciones, lo que sobra al redondear hacia
    abajo se reparte de una en una empezando por la primera partición (como PyTorch).
    Reproducible con ``manual_seed`` o con un ``generator`` propio (el mismo reparto que PyTorch).
    """
    lengths = list(lengths)
    n = len(dataset)
    if lengths and math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"La fracción {i} de random_split vale {frac}: debe estar "
                                 "entre 0 y 1.")
        lengths = _lengths_from_fractions(lengths, n)
    if any(int(x) != x or x < 0 for x in lengths) or sum(lengths) != n:
        raise ValueError(
            f"random_split: los tamaños {lengths} suman {sum(lengths)}, pero el Dataset tiene "
            f"{n} muestras. Usa tamaños enteros que sumen {n} o fracciones que sumen 1 "
            "(p. ej. [0.8, 0.2]).")
    gen = get_generator(generator)
    with gen._lock:   # como PyTorch: randperm(sum(lengths), generator=generator)
        order = _dist.randperm(gen, n).tolist()
    subsets, start = [], 0
    for length in lengths:
        length = int(length)
        subsets.append(Subset(dataset, order[start:start + length]))
        start += length
    return subsets
