"""Operaciones in situ de ``Tensor`` (``add_``, ``+=``, ``zero_``, ``copy_``...) con las reglas de PyTorch.

- En una hoja que requiere gradiente (o en una vista suya) son un error, salvo dentro de
  ``no_grad()`` (así funciona la actualización manual ``w -= lr * w.grad``).
- En un tensor intermedio se registran en el grafo: el resultado se escribe en la misma
  memoria y su nodo pasa a ser el ``grad_fn`` del tensor; si el tensor es una vista, la que
  cambia es la historia de su base (ver ``_views.py``). El contador de versión (compartido
  con la base y sus vistas) sube, y un backward que necesite el valor anterior da el error
  "modificado in situ".
- Sin nada que registrar escriben directamente en la memoria con NumPy (el camino de los
  optimizadores).

``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento).
Este módulo está por debajo de ``tensor.py`` en las capas (no lo importa): la clase ``Tensor``
se la da ``tensor.py`` al definirla.
"""
import numpy as np

from . import _capture, _views
from ._math import SCALARS, binary
from .ops import elementwise as ew
from .ops.inplace import CopyInto

Tensor = None   # la clase Tensor: la pone tensor.py al definirla

_UFUNCS = {ew.Add: np.add, ew.Sub: np.subtract, ew.Mul: np.multiply, ew.Div: np.true_divide}


def binary_(self, op, other, true_div=False):
    """``a.op_(b)``: modifica los datos de ``a`` en su memoria."""
    if _views.is_tracked(self, other):
        return _views.modify(self, lambda src: binary(op, src, other, true_div))
    value = other._data if isinstance(other, Tensor) else other
    try:
        _UFUNCS[op](self._data, value, out=self._data, casting="same_kind")
    except (TypeError, ValueError):   # se explica con el camino general
        _views.check_writable(self)
        result = binary(op, self._wrap(self._data.copy()), value if isinstance(
            value, SCALARS) else self._wrap(np.asarray(value)), true_div)
        _views.store(self, result._data)
    else:
        _capture.inplace(self, _UFUNCS[op], other)   # tinygrad_es.compile lo repite
    self._bump_version()
    return self


def add_(self, other, alpha=1):
    return binary_(self, ew.Add, other if alpha == 1 else other * alpha)


def sub_(self, other, alpha=1):
    return binary_(self, ew.Sub, other if alpha == 1 else other * alpha)


def mul_(self, other):
    return binary_(self, ew.Mul, other)


def div_(self, other):
    return binary_(self, ew.Div, other, true_div=True)


def zero_(self):
    return fill_(self, 0)


def fill_(self, value):
    if _views.is_tracked(self, value):   # el valor nuevo no depende del anterior
        return _views.modify(self, lambda src: src._apply(CopyInto, src, value))
    _views.check_writable(self)
    self._data[...] = value._data if hasattr(value, "_data") else value
    _capture.inplace(self, None, value)   # tinygrad_es.compile lo repite
    self._bump_version()
    return self


def copy_(self, other, non_blocking=False):
    src = other   # non_blocking: sin dispositivos asíncronos no cambia nada
    if _views.is_tracked(self, src):     # el gradiente pasa a ``src``, no al valor anterior
        return _views.modify(self, lambda old: old._apply(CopyInto, old, src))
    value = src._data if hasattr(src, "_data") else np.asarray(src)
    _views.check_writable(self)
    _views.store(self, np.broadcast_to(value, self._data.shape))
    self._bump_version()
    return self


def clamp_(self, min=None, max=None):
    if _views.is_tracked(self):
        return _views.modify(self, lambda src: src.clamp(min, max))
    _views.check_writable(self)
    np.clip(self._data, min, max, out=self._data)
    self._bump_version()
    return self
