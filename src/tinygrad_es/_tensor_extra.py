"""Métodos pequeños de ``torch.Tensor`` que también usa el código de los cursos: tamaños y
signos (``nbytes``, ``is_signed``, ``signbit``...), trozos (``tensor_split``, ``hsplit``...),
``ravel``, ``diagflat`` y ``matrix_power``. Todo con operaciones que ya existen (los trozos son
vistas con su gradiente).

``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento).
"""
import operator

import numpy as np

from . import _dtypes

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def is_signed(self):
    """¿Admite su tipo números negativos? (enteros con signo y coma flotante; bool y uint8,
    no)."""
    return self._data.dtype.kind in "if"


def is_complex(self):
    return self._data.dtype.kind == "c"


def get_device(self):
    """-1: el tensor está en la CPU (como PyTorch con un tensor de CPU)."""
    return -1


def is_same_size(self, other):
    return tuple(self.shape) == tuple(other.shape)


def positive(self):
    """El mismo tensor (``+x``), como PyTorch; con bool es un error."""
    if self._data.dtype == np.bool_:
        raise RuntimeError(
            "positive: el operador + unario no está definido para tensores bool (como en "
            "PyTorch). Conviértelo antes con .int() o .float().")
    return self


def ravel(self):
    """Los elementos en una dimensión (una vista si se puede, como ``reshape(-1)``)."""
    return self.reshape(-1)


def signbit(self):
    """``True`` donde el bit de signo está puesto (también en -0.0 y en -inf)."""
    return Tensor._wrap(np.signbit(self._data))


def diagflat(self, offset=0):
    """La matriz con los elementos de ``self`` (aplanado) en la diagonal ``offset``."""
    return self.flatten().diag(offset)


def _sections(fn, sections, indices, tensor_indices_or_sections=None):
    """El segundo argumento, con cualquiera de los nombres de las sobrecargas de PyTorch."""
    given = [v for v in (sections, indices, tensor_indices_or_sections) if v is not None]
    if len(given) != 1:
        raise TypeError(f"{fn}() necesita el número de trozos o la lista de cortes (una sola "
                        f"vez): {fn}(x, 3) o {fn}(x, [2, 5]).")
    return given[0]


def tensor_split(self, sections=None, dim=0, *, indices=None, tensor_indices_or_sections=None):
    """Trozos de ``dim`` como ``np.array_split``: ``n`` trozos casi iguales (los primeros, uno
    más largos) o cortes en los índices dados. Cada trozo es una vista."""
    indices_or_sections = _sections("tensor_split", sections, indices, tensor_indices_or_sections)
    ndim = self._data.ndim
    if not -max(ndim, 1) <= dim < max(ndim, 1) or ndim == 0:
        raise IndexError(f"tensor_split: dim={dim} no existe en un tensor de {ndim} dimensiones.")
    dim %= ndim
    size = self._data.shape[dim]
    if isinstance(indices_or_sections, Tensor):
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, (list, tuple)):
        cuts = [operator.index(i) for i in indices_or_sections]
        bounds = list(zip([0] + cuts, cuts + [size]))
    else:
        sections = operator.index(indices_or_sections)
        if sections <= 0:
            raise RuntimeError(f"tensor_split: el número de trozos debe ser mayor que 0, pero "
                               f"es {sections}.")
        base, extra = divmod(size, sections)
        lengths = [base + 1] * extra + [base] * (sections - extra)
        starts = np.cumsum([0] + lengths[:-1]).tolist()
        bounds = [(s, s + n) for s, n in zip(starts, lengths)]
    before = (slice(None),) * dim
    return tuple(self[before + (slice(a, b),)] for a, b in bounds)


def _split_along(self, sections, dim, name, need):
    if self._data.ndim < need:
        raise RuntimeError(
            f"torch.{name} necesita un tensor de al menos {need} dimensiones, pero este tiene "
            f"{self._data.ndim} (forma {tuple(self.shape)}).")
    if not isinstance(sections, (list, tuple, Tensor)):
        size = self._data.shape[dim]
        if operator.index(sections) <= 0 or size % sections:
            raise RuntimeError(
                f"torch.{name}: la dimensión {dim} mide {size} y no se puede partir en "
                f"{sections} trozos iguales. Usa tensor_split para trozos casi iguales.")
    return tensor_split(self, sections, dim)


def hsplit(self, sections=None, *, indices=None):
    """Trozos por columnas (dimensión 1; la 0 si el tensor es 1-D)."""
    return _split_along(self, _sections("hsplit", sections, indices),
                        1 if self._data.ndim > 1 else 0, "hsplit", 1)


def vsplit(self, sections=None, *, indices=None):
    """Trozos por filas (dimensión 0) de un tensor de 2 o más dimensiones."""
    return _split_along(self, _sections("vsplit", sections, indices), 0, "vsplit", 2)


def dsplit(self, sections=None, *, indices=None):
    """Trozos por la dimensión 2 de un tensor de 3 o más dimensiones."""
    return _split_along(self, _sections("dsplit", sections, indices), 2, "dsplit", 3)


def matrix_power(self, n):
    """La potencia entera ``n`` de una matriz cuadrada (o de un lote): productos por cuadrados
    sucesivos; ``n = 0`` da la identidad y ``n < 0`` la potencia de la inversa."""
    shape = tuple(self.shape)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise RuntimeError(f"matrix_power necesita matrices cuadradas (forma (*, n, n)), pero "
                           f"recibió un tensor de forma {shape}.")
    n = operator.index(n)
    if n == 1:   # una copia, como PyTorch (no el mismo tensor)
        return self.clone()
    if n == 0:
        eye = np.broadcast_to(np.eye(shape[-1], dtype=self._data.dtype), shape).copy()
        return Tensor._wrap(eye)
    if n < 0:
        if self._data.dtype.kind != "f":
            raise RuntimeError(f"matrix_power con n < 0 necesita un tensor de coma flotante, "
                               f"pero es {_dtypes.dtype_name(self._data.dtype)}: usa .float().")
        base, n = self.inverse(), -n
    else:
        base = self
    result = None
    while n:   # potencias por cuadrados, de la menor a la mayor
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result
