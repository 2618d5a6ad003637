"""``DataLoader``: recorre un Dataset por lotes, con los argumentos de PyTorch.

Todo ocurre en el proceso principal: ``num_workers``, ``pin_memory``, ``timeout``,
``prefetch_factor``... se aceptan (para que el código del curso funcione sin cambios) y no
cambian nada. Con el ``collate_fn`` por defecto y un Dataset que ofrece el camino rápido
(``TensorDataset``, ``Subset`` de uno, ``MNIST``...), cada lote se obtiene indexando los datos
una sola vez, sin bucle de Python por muestra.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._collate import default_collate, default_convert
from .dataset import fast_batch
from .sampler import BatchSampler, RandomSampler, SequentialSampler, _seed_from

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from .dataset import Dataset


class DataLoader:
    """Iterable de lotes sobre ``dataset``.

    ``DataLoader(ds, batch_size=64, shuffle=True)``: en cada época (cada ``for``) baraja de
    nuevo con el generador global (``tinygrad_es.manual_seed``) o con ``generator``, en el
    mismo orden que PyTorch con la misma semilla; cada
    muestra aparece exactamente una vez por época; ``drop_last=True`` descarta el último lote
    incompleto. ``len(loader)`` es el número de lotes por época.
    """

    def __init__(self, dataset: Dataset | Any, batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Iterable[Any] | None = None,
                 batch_sampler: Iterable[Any] | None = None, num_workers: int = 0,
                 collate_fn: Callable[[list[Any]], Any] | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(f"num_workers debe ser un entero >= 0, pero vale {num_workers!r}.")
        if timeout < 0:
            raise ValueError(f"timeout debe ser >= 0, pero vale {timeout!r}.")
        if sampler is not None and shuffle:
            raise ValueError(
                "DataLoader: sampler y shuffle=True son incompatibles (el sampler ya decide el "
                "orden). Quita shuffle o usa un RandomSampler.")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "DataLoader: batch_sampler es incompatible con batch_size, shuffle, sampler "
                    "y drop_last (el batch_sampler ya los decide).")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError(
                "DataLoader: batch_size=None desactiva los lotes y es incompatible con "
                "drop_last=True.")
        if sampler is None:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.num_workers = num_workers
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = persistent_workers
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if batch_sampler is not None else default_convert)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    def __len__(self):
        if self._auto_collation:
            return len(self.batch_sampler)
        return len(self.sampler)

    def __iter__(self) -> Iterator[Any]:
        return _LoaderIter(self)


class _LoaderIter:
    """Iterador de una época (lo que devuelve ``iter(loader)``)."""

    def __init__(self, loader):
        self._loader = loader
        self._len = len(loader) if hasattr(loader.sampler, "__len__") else None
        if loader._auto_collation:
            bs = loader.batch_sampler
            self._batches = bs._index_batches() if type(bs) is BatchSampler else iter(bs)
            self._fetch = _batch_fetcher(loader)
        else:
            self._batches = iter(loader.sampler)
            self._fetch = lambda idx: loader.collate_fn(loader.dataset[idx])
        # PyTorch saca aquí la semilla base de los workers (aunque no haya workers): un entero
        # del generador del DataLoader o del global. Se saca igual para seguir su mismo flujo.
        self._base_seed = _seed_from(loader.generator)

    def __iter__(self):
        return self

    def __next__(self):
        return self._fetch(next(self._batches))

    def __len__(self):
        return self._len


def _batch_fetcher(loader):
    dataset, collate = loader.dataset, loader.collate_fn
    fast = fast_batch(dataset) if collate is default_collate else None
    getitems = getattr(dataset, "__getitems__", None)

    def fetch(indices):
        if fast is not None:
            idx = np.asarray(indices)
            if idx.dtype.kind in "iu":
                batch = fast(idx.astype(np.int64, copy=False))
                if batch is not None:
                    return batch
        if isinstance(indices, np.ndarray):
            indices = indices.tolist()      # __getitem__ recibe int de Python, como en torch
        if callable(getitems):
            data = getitems(indices)
        else:
            data = [dataset[i] for i in indices]
        return collate(data)

    return fetch
