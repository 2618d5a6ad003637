"""Comparaciones, operaciones lógicas y funciones sin gradiente de ``Tensor`` (tensores nuevos).

``__eq__`` devuelve un tensor (como PyTorch), así que ``Tensor.__hash__`` es por identidad.
``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento).
"""
import numpy as np


def no_grad_binary(self, ufunc, other):
    """``ufunc(self, other)`` con NumPy, fuera del grafo (``==``, ``<``, ``&``...)."""
    other = other._data if hasattr(other, "_data") else other
    return self._wrap(np.asarray(ufunc(self._data, other)))


def no_grad_unary(self, ufunc):
    """``ufunc(self)`` con NumPy, fuera del grafo (``sign``, ``isnan``, ``floor``...)."""
    return self._wrap(ufunc(self._data))


def and_(self, other):
    return no_grad_binary(self, np.logical_and if self.dtype.kind == "b" else np.bitwise_and, other)


def or_(self, other):
    return no_grad_binary(self, np.logical_or if self.dtype.kind == "b" else np.bitwise_or, other)


def invert(self):
    return no_grad_unary(self, np.logical_not if self.dtype.kind == "b" else np.invert)


def equal(self, other):
    return self._data.shape == other._data.shape and bool(np.all(self._data == other._data))


def allclose(self, other, rtol=1e-5, atol=1e-8, equal_nan=False):
    return bool(np.allclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))
