"""Operaciones in situ de ``Tensor`` (``add_``, ``+=``, ``zero_``, ``copy_``...) con las reglas de PyTorch.

- En una hoja que requiere gradiente son un error, salvo dentro de ``no_grad()``
  (así funciona la actualización manual ``w -= lr * w.grad``).
- En un tensor intermedio se registran en el grafo: el resultado se escribe en la misma
  memoria y su nodo pasa a ser el ``grad_fn`` del tensor; el contador de versión sube, y
  un backward que necesite el valor anterior da el error "modificado in situ".
"""
import numpy as np

from . import _dtypes
from ._tensor_math import _SCALARS, MathMixin, _binary
from .errors import inplace_leaf_error
from .ops import elementwise as ew

_UFUNCS = {ew.Add: np.add, ew.Sub: np.subtract, ew.Mul: np.multiply, ew.Div: np.true_divide}


class InplaceMixin:
    __slots__ = ()

    def _inplace(self, op, other, true_div=False):
        """``a.op_(b)``: modifica los datos de ``a`` en su memoria."""
        if self._tracked_inplace(other):
            # Si ``other`` requiere gradiente la operación podría guardar el valor actual de
            # ``self``: se le pasa una copia para que no se pise al escribir el resultado.
            src = self._snapshot() if getattr(other, "_requires_grad", False) else self
            return self._rebind(_binary(op, src, other, true_div), op)
        value = other._data if isinstance(other, MathMixin) else other
        try:
            _UFUNCS[op](self._data, value, out=self._data, casting="same_kind")
        except (TypeError, ValueError):   # se explica con el camino general
            result = _binary(op, self._wrap(self._data.copy()), value if isinstance(
                value, _SCALARS) else self._wrap(np.asarray(value)), true_div)
            self._store_inplace(result._data, op)
        self._bump_version()
        return self

    def _store_inplace(self, values, op):
        if values.shape != self._data.shape:
            raise RuntimeError(
                f"La operación in situ {op.__name__.lower()}_ daría un resultado de forma "
                f"{tuple(values.shape)}, que no cabe en el tensor de forma "
                f"{tuple(self._data.shape)}. Usa la versión sin _ (a = a + b).")
        try:
            np.copyto(self._data, values, casting="same_kind")
        except TypeError as exc:
            raise RuntimeError(
                f"El resultado es de tipo {_dtypes.dtype_name(values.dtype)} y no se puede "
                f"guardar in situ en un tensor {_dtypes.dtype_name(self._data.dtype)}. "
                "Usa la versión sin _ o convierte el tensor con .float().") from exc

    def add_(self, other, alpha=1):
        return self._inplace(ew.Add, other if alpha == 1 else other * alpha)

    def sub_(self, other, alpha=1):
        return self._inplace(ew.Sub, other if alpha == 1 else other * alpha)

    def mul_(self, other):
        return self._inplace(ew.Mul, other)

    def div_(self, other):
        return self._inplace(ew.Div, other, true_div=True)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        if self._tracked_inplace(value):   # el valor nuevo no depende del anterior
            return self._rebind(self._replaced_by(value), ew.Where)
        self._data[...] = value._data if hasattr(value, "_data") else value
        self._bump_version()
        return self

    def copy_(self, src):
        if self._tracked_inplace(src):     # el gradiente pasa a ``src``, no al valor anterior
            return self._rebind(self._replaced_by(src), ew.Clone)
        value = src._data if hasattr(src, "_data") else np.asarray(src)
        self._store_inplace(np.broadcast_to(value, self._data.shape), ew.Clone)
        self._bump_version()
        return self

    def clamp_(self, min=None, max=None):
        if self._tracked_inplace():
            return self._rebind(self._snapshot().clamp(min, max), ew.Clamp)
        np.clip(self._data, min, max, out=self._data)
        self._bump_version()
        return self

    def _tracked_inplace(self, other=None):
        """¿Hay que registrar la operación in situ en el grafo? (error si es una hoja con grad)"""
        from .autograd.graph import grad_mode
        other_grad = isinstance(other, MathMixin) and other._requires_grad
        if not (grad_mode.enabled and (self._requires_grad or other_grad)):
            return False
        if self._requires_grad and self.grad_fn is None:
            raise inplace_leaf_error(self)
        return True

    def _snapshot(self):
        """Copia de los datos con el mismo nodo: lo que guarde la operación no se pisará."""
        src = self._wrap(self._data.copy())
        src._requires_grad, src.grad_fn = self._requires_grad, self.grad_fn
        return src

    def _replaced_by(self, value):
        """``value`` difundido a la forma de ``self``, con gradiente 0 hacia el valor anterior."""
        from .functions import where
        return where(np.zeros(self._data.shape, dtype=bool), self, value)

    def _rebind(self, result, op):
        """Guarda ``result`` en la memoria de ``self`` y hace de su nodo el ``grad_fn``."""
        self._store_inplace(result._data, op)
        node = result.grad_fn
        node.shape, node.dtype = self._data.shape, self._data.dtype
        self.grad_fn, self._requires_grad = node, True
        self._bump_version()
        return self
