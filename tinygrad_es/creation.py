"""Funciones de creación de tensores con los nombres y los dtypes de PyTorch.

Los errores de entrada (tamaños que no son enteros, dimensiones negativas, enteros que no caben
en int64, textos u objetos de Python sueltos) se explican en el camino del fallo: una llamada
correcta no paga ninguna comprobación de más.
"""
import operator

import numpy as np

from . import _dtypes
from ._creation_errors import (arange_error, check_int_leaves, check_ndarray, eye_error,
                              from_python_objects, negative_size_error, overflow_error,
                              size_type_error)
from .tensor import Tensor, _check_device, _make


def _finish(array, requires_grad, device=None):
    _check_device(device)
    t = _make(array)
    if requires_grad:
        t.requires_grad = True   # valida que sea de punto flotante
    return t


def _sizes(size, fn="zeros"):
    """``f(2, 3)`` o ``f((2, 3))`` -> ``(2, 3)``; solo enteros (2.7 no se trunca en silencio)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    try:
        return tuple(map(operator.index, size))
    except TypeError:
        raise size_type_error(size, fn) from None


def _explain_value_error(shape, fn):
    """Tras un ``ValueError`` de NumPy al crear la forma ``shape``: ¿dimensión negativa?"""
    if any(s < 0 for s in shape):
        raise negative_size_error(shape, fn) from None


def _infer(data, dtype=None):
    """dtype de PyTorch para datos de Python: float -> float32, int -> int64, bool -> bool.

    Con ``dtype`` explícito se convierte directamente (sin pasar por float32).
    """
    try:
        array = np.array(data)
    except ValueError as exc:
        raise ValueError(
            "No se pudo crear un tensor a partir de esas listas: las listas anidadas deben ser "
            "rectangulares (todas las filas del mismo largo), por ejemplo [[1, 2], [3, 4]].") from exc
    kind = array.dtype.kind
    if kind not in "biuf":
        return from_python_objects(data, array, dtype)
    if dtype is not None:
        if array.dtype == np.uint64 and np.dtype(dtype).kind in "iu" \
                and not _has_numpy_leaf(data):
            raise overflow_error(array)
        if kind == "f" and np.dtype(dtype).kind in "iu":
            check_int_leaves(data, _leaf_types(data))
        return array.astype(dtype, copy=False)
    if kind == "f" and array.dtype != _dtypes.default_float:
        leaves = _leaf_types(data)
        if leaves <= _PY_NUMBERS and float in leaves:   # lo normal: números de Python
            return array.astype(_dtypes.default_float)
        if not any(issubclass(k, (np.ndarray, np.generic)) for k in leaves):
            check_int_leaves(data, leaves)
            return array.astype(_dtypes.default_float)
    if kind in "iu" and array.dtype != _dtypes.int64 and not _has_numpy_leaf(data):
        if array.dtype == np.uint64:   # solo un entero de Python > 2**63 - 1 da uint64
            raise overflow_error(array)
        return array.astype(_dtypes.int64)
    return array


_PY_NUMBERS = frozenset((int, float, bool))


def _leaf_types(data):
    """Tipos de los elementos (no listas) de ``data``: un ``set(map(type, ...))`` por fila."""
    if not isinstance(data, (list, tuple)):
        return {type(data)}
    kinds = set(map(type, data))
    if not any(issubclass(k, (list, tuple)) for k in kinds):
        return kinds
    leaves = {k for k in kinds if not issubclass(k, (list, tuple))}
    for x in data:
        if isinstance(x, (list, tuple)):
            leaves |= _leaf_types(x)
    return leaves


def _has_numpy_leaf(data):
    """¿Hay algún escalar o array de NumPy en los datos? Entonces su dtype cuenta (PyTorch)."""
    if isinstance(data, (np.ndarray, np.generic)):
        return True
    if not isinstance(data, (list, tuple)):
        return False
    kinds = set(map(type, data))   # rápido: un solo recorrido en C por nivel
    if any(issubclass(k, (np.ndarray, np.generic)) for k in kinds):
        return True
    if any(issubclass(k, (list, tuple)) for k in kinds):
        return any(_has_numpy_leaf(x) for x in data if isinstance(x, (list, tuple)))
    return False


def _unwrap_scalar_tensors(data):
    """``[t1, t2]`` con tensores de un elemento -> sus números (``tensor([a.item(), ...])``)."""
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        return [x.item() if isinstance(x, Tensor) and x.numel() == 1 else x for x in data]
    return data


def tensor(data, dtype=None, requires_grad=False, device=None):
    """Crea un tensor copiando ``data`` (lista, número, ndarray o tensor)."""
    if isinstance(data, Tensor):
        array = data._data.copy()
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data)
        if array.dtype.kind not in "biufc":
            check_ndarray(array, "tensor")
    else:
        array = _infer(_unwrap_scalar_tensors(data), dtype)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return _finish(array, requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and (dtype is None or data.dtype == dtype):
        return data
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == dtype):
        if data.dtype.kind not in "biufc":
            check_ndarray(data, "as_tensor")
        return _finish(data, False, device)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    """Comparte la memoria con el ndarray (como ``torch.from_numpy``)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy espera un numpy.ndarray, pero recibió {type(array).__name__}.")
    if array.dtype.kind not in "biufc":
        check_ndarray(array, "from_numpy")
    return _make(array)


def _filled(value, size, dtype, requires_grad, device, fn):
    shape = _sizes(size, fn)
    try:
        array = np.full(shape, value, dtype=dtype or _dtypes.default_float)
    except ValueError:
        _explain_value_error(shape, fn)
        raise
    return _finish(array, requires_grad, device)


def zeros(*size, dtype=None, requires_grad=False, device=None):
    return _filled(0, size, dtype, requires_grad, device, "zeros")


def ones(*size, dtype=None, requires_grad=False, device=None):
    return _filled(1, size, dtype, requires_grad, device, "ones")


def empty(*size, dtype=None, requires_grad=False, device=None):
    return _filled(0, size, dtype, requires_grad, device, "empty")


def full(size, fill_value, dtype=None, requires_grad=False, device=None):
    if dtype is None:
        dtype = _dtypes.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor)
                                     else fill_value)
    return _filled(fill_value, (size,), dtype, requires_grad, device, "full")


def eye(n, m=None, dtype=None, requires_grad=False, device=None):
    try:
        array = np.eye(n, m, dtype=dtype or _dtypes.default_float)
    except (TypeError, ValueError):
        raise eye_error(n, m) from None
    return _finish(array, requires_grad, device)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start, end=None, step=1, dtype=None, requires_grad=False, device=None):
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if dtype is None:
        floats = any(isinstance(v, (float, np.floating)) for v in (start, end, step))
        dtype = _dtypes.default_float if floats else _dtypes.int64
    try:
        values = np.arange(start, end, step)
    except (ZeroDivisionError, ValueError, TypeError) as exc:
        raise arange_error(start, end, step, exc) from None
    if values.size == 0 and start != end and (end - start) * step < 0:
        raise arange_error(start, end, step, None)   # PyTorch no devuelve vacío aquí
    return _finish(values.astype(dtype), requires_grad, device)


def linspace(start, end, steps, dtype=None, requires_grad=False, device=None):
    try:
        n = operator.index(steps)
    except TypeError:   # PyTorch: TypeError (linspace() received an invalid combination...)
        raise TypeError(f"linspace(): steps (el número de puntos) debe ser un entero, pero "
                        f"recibió {steps!r} (de tipo {type(steps).__name__}).") from None
    if n < 0:   # PyTorch: "number of steps must be non-negative"
        raise RuntimeError(f"linspace(): steps (el número de puntos) debe ser 0 o mayor, pero "
                           f"recibió {n}.")
    values = np.linspace(_number(start), _number(end), n)
    return _finish(values.astype(dtype or _dtypes.default_float), requires_grad, device)


def _like(factory):
    def like(input, dtype=None, requires_grad=False, device=None, **kwargs):
        return factory(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                       device=device, **kwargs)
    like.__name__ = factory.__name__ + "_like"
    like.__doc__ = f"Como ``{factory.__name__}`` con la forma y el dtype de ``input``."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input, fill_value, dtype=None, requires_grad=False, device=None):
    return full(input.shape, fill_value, dtype=dtype or input.dtype,
                requires_grad=requires_grad, device=device)


# Los aleatorios viven en su módulo; se reexportan aquí (``creation.rand`` sigue existiendo).
from ._creation_random import (normal, rand, rand_like, randint, randint_like,  # noqa: E402
                               randn, randn_like, randperm)
