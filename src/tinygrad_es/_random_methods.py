"""Métodos aleatorios de ``Tensor`` (``uniform_``, ``normal_``, ``bernoulli_``, ``exponential_``,
``random_``, ``bernoulli``, ``multinomial``): los mismos números que PyTorch con la misma semilla.

Son funciones sueltas que ``tensor.py`` enlaza como métodos. Las que terminan en ``_``
rellenan el tensor en su sitio con las reglas de PyTorch: suben el contador de versión; sobre
una hoja que requiere gradiente son un error fuera de ``no_grad()`` (``nn.init`` las llama
dentro); sobre un tensor intermedio quedan en el grafo (su gradiente hacia el valor anterior
es cero, como en PyTorch).
"""
import numbers

import numpy as np

from . import _dtypes, _views
from ._random import distributions as dist
from ._random import get_generator
from .ops.inplace import CopyInto

_MISSING = object()


def _fill(t, draw):
    """Rellena ``t`` con ``draw(array)`` (que escribe en el array) respetando grafo y versiones."""
    if _views.is_tracked(t):
        def compute(src):   # se llama después de comprobar la regla de las hojas
            draw(t._data)
            return src._apply(CopyInto, src, t._data.copy())
        return _views.modify(t, compute)
    _views.check_writable(t)
    draw(t._data)
    t._bump_version()
    return t


def _number(value, name, fn):
    if hasattr(value, "_data") and value._data.size == 1:
        value = value._data.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} debe ser un número, pero se recibió {value!r}.")
    return value


def _need_float(t, fn):
    if t._data.dtype.kind != "f":
        raise NotImplementedError(
            f"{fn} solo rellena tensores de punto flotante y este es "
            f"{_dtypes.dtype_name(t._data.dtype)}. Crea el tensor con dtype=torch.float32 "
            "(o conviértelo con .float()).")


def uniform_(self, from_=0.0, to=1.0, *, generator=None):
    """Rellena con valores uniformes en [from_, to) (los de PyTorch con la misma semilla)."""
    from_, to = _number(from_, "from", "uniform_"), _number(to, "to", "uniform_")
    _need_float(self, "uniform_")
    if from_ > to:
        raise RuntimeError(
            f"uniform_ devuelve valores en [from, to), pero from={from_} es mayor que "
            f"to={to}. Intercámbialos: uniform_({to}, {from_}).")
    gen = get_generator(generator)
    with gen._lock:
        return _fill(self, lambda out: dist.uniform_(gen, out, from_, to))


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Rellena con valores de la normal N(mean, std²) (los de PyTorch con la misma semilla)."""
    mean, std = _number(mean, "mean", "normal_"), _number(std, "std", "normal_")
    _need_float(self, "normal_")
    if not std >= 0:
        raise RuntimeError(
            f"normal_ necesita una desviación típica std >= 0, pero recibió std={std}.")
    gen = get_generator(generator)
    with gen._lock:
        return _fill(self, lambda out: dist.normal_(gen, out, mean, std))


def exponential_(self, lambd=1.0, *, generator=None):
    """Rellena con valores de la exponencial de parámetro ``lambd`` (media 1/lambd)."""
    lambd = _number(lambd, "lambd", "exponential_")
    _need_float(self, "exponential_")
    if not lambd > 0:
        raise RuntimeError(
            f"exponential_ necesita lambd > 0 (la media es 1/lambd), pero recibió "
            f"lambd={lambd}.")

    def draw(out):
        dist._store(out, dist.exponential_values(gen, out.size, float(lambd)).astype(out.dtype))

    gen = get_generator(generator)
    with gen._lock:
        return _fill(self, draw)


def random_(self, from_=_MISSING, to=_MISSING, *, generator=None):
    """Enteros uniformes: ``random_()`` (todo el rango del dtype), ``random_(to)`` en [0, to)
    y ``random_(from, to)`` en [from, to) (``to=None``: hasta el máximo del dtype)."""
    if from_ is _MISSING and to is _MISSING:
        low = high = None
    elif to is _MISSING or from_ is _MISSING:
        low, high = 0, (to if from_ is _MISSING else from_)
    else:
        low, high = from_, to
    if low is not None:
        low = _integer(low, "from")
        high = None if high is None else _integer(high, "to")
        if high is not None and low >= high:
            raise RuntimeError(
                f"random_ necesita from < to, pero recibió from={low} y to={high} (el "
                "intervalo es [from, to), sin incluir to).")
    gen = get_generator(generator)
    with gen._lock:
        return _fill(self, lambda out: dist.random_(gen, out, low, high))


def _integer(value, name):
    if hasattr(value, "_data") and value._data.size == 1:
        value = value._data.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"random_: {name} debe ser un entero, pero se recibió {value!r}.")
    return int(value)


def bernoulli_(self, p=0.5, *, generator=None):
    """Pone 1 con probabilidad ``p`` (número o tensor que se expande a la forma) y 0 si no."""
    gen = get_generator(generator)
    if hasattr(p, "_data"):
        probs = p._data
        if probs.dtype.kind != "f":
            raise RuntimeError(
                f"bernoulli_: las probabilidades deben ser de punto flotante, pero son "
                f"{_dtypes.dtype_name(probs.dtype)}.")
        _check_probabilities(probs, "bernoulli_")
        try:
            np.broadcast_to(probs, self._data.shape)
        except ValueError:
            raise RuntimeError(
                f"bernoulli_: las probabilidades de forma {tuple(probs.shape)} no se pueden "
                f"expandir a la forma del tensor {tuple(self._data.shape)}.") from None
        with gen._lock:
            return _fill(self, lambda out: dist.bernoulli_tensor_(gen, out, probs))
    p = _number(p, "p", "bernoulli_")
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ necesita una probabilidad p en [0, 1], pero recibió "
                           f"p={p}.")

    def draw(out):
        dist._store(out, dist.bernoulli_scalar(gen, out.size, p))

    with gen._lock:
        return _fill(self, draw)


def _check_probabilities(probs, fn):
    if probs.size and not (np.all(probs >= 0) and np.all(probs <= 1)):
        bad = probs[~((probs >= 0) & (probs <= 1))].reshape(-1)[0]
        raise RuntimeError(
            f"{fn}: todas las probabilidades deben estar en [0, 1], pero hay un {bad}.")


def bernoulli(self, p=None, *, generator=None):
    """Tensor nuevo de 0 y 1: cada elemento vale 1 con la probabilidad del elemento de
    ``self`` (o con ``p`` si se da un número), con la forma y el dtype de ``self``."""
    out = self._wrap(np.empty_like(self._data))
    if p is None:
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"bernoulli: las probabilidades deben ser de punto flotante, pero el tensor es "
                f"{_dtypes.dtype_name(self._data.dtype)}. Conviértelo con .float().")
        return bernoulli_(out, self.detach(), generator=generator)
    return bernoulli_(out, p, generator=generator)


def multinomial(self, num_samples, replacement=False, *, generator=None):
    """Índices sorteados con probabilidad proporcional a los pesos de ``self`` (1-D o 2-D,
    una distribución por fila). Sin reemplazo, cada índice sale a lo sumo una vez por fila."""
    probs = self._data
    if probs.ndim not in (1, 2):
        raise RuntimeError(
            f"multinomial espera pesos de 1 o 2 dimensiones (una distribución por fila), pero "
            f"recibió forma {tuple(probs.shape)}.")
    if probs.dtype.kind != "f":
        raise RuntimeError(
            f"multinomial solo admite pesos de punto flotante, pero recibió "
            f"{_dtypes.dtype_name(probs.dtype)}. Conviértelos con .float().")
    num_samples = _integer(num_samples, "num_samples")
    categories = probs.shape[-1]
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: num_samples debe ser positivo, pero vale "
                           f"{num_samples}.")
    if not replacement and num_samples > categories:
        raise RuntimeError(
            f"multinomial: no se pueden sacar {num_samples} muestras sin reemplazo de "
            f"{categories} categorías. Usa replacement=True o pide como mucho {categories}.")
    if probs.size and (not np.all(np.isfinite(probs)) or np.any(probs < 0)):
        raise RuntimeError(
            "multinomial: los pesos deben ser finitos y no negativos (hay inf, nan o un "
            "número negativo).")
    sums = probs.reshape(-1, categories).sum(axis=1)
    if categories == 0 or np.any(sums <= 0):
        raise RuntimeError(
            "multinomial: la suma de los pesos de cada distribución debe ser positiva, pero "
            "hay una fila cuyos pesos suman 0.")
    gen = get_generator(generator)
    with gen._lock:
        picked = dist.multinomial(gen, probs, num_samples, replacement)
    return self._wrap(picked)
