"""Muestreadores (``Sampler``): deciden en qué orden se recorren los índices del Dataset.

Los nombres y argumentos son los de ``torch.utils.data``. Los aleatorios usan el generador
global (``tinygrad_es.manual_seed``) o el ``generator`` que se les pase, con el mismo
algoritmo que PyTorch: con la misma semilla dan el mismo orden que PyTorch, y cada época (cada
``iter``) da un orden nuevo.

Internamente cada muestreador puede dar su orden completo como ``ndarray`` (``_order``), lo que
permite al DataLoader cortar los lotes sin recorrer índice a índice en Python.
"""
import numpy as np

from ..._random import Generator, get_generator
from ..._random import distributions as dist


class Sampler:
    """Clase base: define ``__iter__`` (índices) y, si se puede, ``__len__``."""

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise TypeError(f"{type(self).__name__} debe definir __iter__ para dar los índices.")


class SequentialSampler(Sampler):
    """Índices 0, 1, ..., n-1 en orden."""

    def __init__(self, data_source):
        self.data_source = data_source

    def _order(self):
        return np.arange(len(self.data_source), dtype=np.int64)

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """Índices en orden aleatorio: una permutación nueva en cada época.

    Con ``replacement=True`` se sacan ``num_samples`` índices con reemplazo; sin reemplazo y
    con ``num_samples`` mayor que el Dataset, se encadenan permutaciones (como en PyTorch).
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement debe ser True o False, pero se recibió {replacement!r}.")
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(
                "num_samples debe ser un entero positivo, pero vale "
                f"{self.num_samples!r}.")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _order(self):
        """Como PyTorch: sin ``generator`` se siembra uno nuevo con un entero del global."""
        n, k = len(self.data_source), self.num_samples
        gen = self.generator
        if gen is None:
            gen = Generator().manual_seed(_seed_from(None))
        with gen._lock:
            if self.replacement:
                # PyTorch los saca de 32 en 32 (randint(high=n, size=(32,))): el mismo flujo
                return dist.integers(gen, k, 0, n)
            parts = [dist.randperm(gen, n) for _ in range(k // n)]
            # PyTorch sortea siempre una permutación más y se queda con k % n índices (a
            # veces ninguno): también consume el generador, así que se sortea igual.
            parts.append(dist.randperm(gen, n)[:k % n])
        return np.concatenate(parts)

    def __iter__(self):   # perezoso, como en PyTorch: se sortea al pedir el primer índice
        yield from self._order().tolist()

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """Los ``indices`` dados, en orden aleatorio (sin reemplazo)."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def _order(self):
        gen = get_generator(self.generator)
        with gen._lock:
            perm = dist.randperm(gen, len(self.indices))
        return np.asarray(self.indices, dtype=np.int64)[perm]

    def __iter__(self):   # perezoso, como en PyTorch: se sortea al pedir el primer índice
        yield from self._order().tolist()

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` índices de 0..len(weights)-1 con probabilidad proporcional al peso."""

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(f"num_samples debe ser un entero positivo, pero vale {num_samples!r}.")
        w = np.asarray(getattr(weights, "_data", weights), dtype=np.float64)
        if w.ndim != 1 or (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise ValueError(
                "weights debe ser una secuencia 1-D de pesos no negativos y finitos con suma "
                f"positiva; se recibió forma {w.shape}.")
        self.weights = w
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def _order(self):
        gen = get_generator(self.generator)
        with gen._lock:   # como torch.multinomial(pesos_float64, num_samples, replacement)
            return dist.multinomial(gen, self.weights, self.num_samples, self.replacement)

    def __iter__(self):   # perezoso, como en PyTorch: se sortea al pedir el primer índice
        yield from self._order().tolist()

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Agrupa los índices de otro muestreador en listas de ``batch_size``.

    Con ``drop_last=True`` se descarta el último lote si queda incompleto.
    """

    def __init__(self, sampler, batch_size, drop_last):
        if (not isinstance(batch_size, int) or isinstance(batch_size, bool)
                or batch_size <= 0):
            raise ValueError(
                f"batch_size debe ser un entero positivo, pero vale {batch_size!r}.")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last debe ser True o False, pero vale {drop_last!r}.")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def _index_batches(self):
        """Lotes de índices como ``ndarray`` (rápido) o listas si el muestreador es propio."""
        if type(self.sampler) not in _WITH_ORDER:   # muestreador propio: se respeta su __iter__
            yield from iter(self)
            return
        indices = self.sampler._order()
        stop = len(indices)
        if self.drop_last:
            stop -= stop % self.batch_size
        for start in range(0, stop, self.batch_size):
            yield indices[start:start + self.batch_size]

    def __iter__(self):
        batch = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size


_WITH_ORDER = (SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler)


def _seed_from(generator):
    """Un entero de 64 bits del generador: ``torch.empty((), dtype=torch.int64).random_()``."""
    gen = get_generator(generator)
    with gen._lock:
        return int(dist.random_default(gen, 1, np.int64)[0])
