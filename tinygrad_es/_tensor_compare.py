"""Comparaciones y operaciones lógicas de ``Tensor``: sin gradiente, devuelven tensores bool.

``__eq__`` devuelve un tensor (como PyTorch), así que ``Tensor.__hash__`` es por identidad.
"""
import numpy as np


class CompareMixin:
    __slots__ = ()

    def _no_grad_binary(self, ufunc, other):
        other = other._data if hasattr(other, "_data") else other
        return self._wrap(np.asarray(ufunc(self._data, other)))

    def _no_grad_unary(self, ufunc):
        return self._wrap(ufunc(self._data))

    def __eq__(self, other):
        return self._no_grad_binary(np.equal, other)

    def __ne__(self, other):
        return self._no_grad_binary(np.not_equal, other)

    def __lt__(self, other):
        return self._no_grad_binary(np.less, other)

    def __le__(self, other):
        return self._no_grad_binary(np.less_equal, other)

    def __gt__(self, other):
        return self._no_grad_binary(np.greater, other)

    def __ge__(self, other):
        return self._no_grad_binary(np.greater_equal, other)

    def __and__(self, other):
        return self._no_grad_binary(np.logical_and if self.dtype.kind == "b" else np.bitwise_and, other)

    def __or__(self, other):
        return self._no_grad_binary(np.logical_or if self.dtype.kind == "b" else np.bitwise_or, other)

    def __invert__(self):
        return self._no_grad_unary(np.logical_not if self.dtype.kind == "b" else np.invert)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def equal(self, other):
        return self._data.shape == other._data.shape and bool(np.all(self._data == other._data))

    def allclose(self, other, rtol=1e-5, atol=1e-8):
        return bool(np.allclose(self._data, other._data, rtol=rtol, atol=atol))
