"""De datos de Python o NumPy a un ndarray con las reglas de PyTorch, y de un ndarray a un tensor.

Lo comparten ``Tensor(...)`` (``tensor.py``), ``torch.tensor`` y compañía (``creation.py``,
``_creation_random.py``) y los operadores que reciben listas (``x + [1, 2]``, ``_math.py``):

- ``sizes``: ``f(2, 3)`` o ``f((2, 3))`` -> ``(2, 3)``, solo enteros;
- ``to_array``: los datos de ``torch.tensor(datos)`` como ndarray (float -> float32,
  int -> int64, bool -> bool), con los errores en español en el camino del fallo;
- ``filled_array``: el array de ``zeros``/``ones``/``full``;
- ``finish``: el tensor hoja que devuelven las funciones de creación.

Este módulo está por debajo de ``tensor.py`` en las capas (no lo importa): la clase ``Tensor``
se la da ``tensor.py`` al definirla.
"""
import operator

import numpy as np

from . import _dtypes
from ._creation_errors import (check_int_leaves, check_ndarray, from_python_objects,
                               negative_size_error, overflow_error, size_type_error)
from ._device import _check_device

Tensor = None   # la clase Tensor: la pone tensor.py al definirla

_PY_NUMBERS = frozenset((int, float, bool))


def finish(array, requires_grad, device=None):
    """Tensor hoja sobre ``array`` (sin copiarlo), en la CPU, con ``requires_grad`` validado."""
    _check_device(device)
    t = Tensor._wrap(array)
    if requires_grad:
        t.requires_grad = True   # valida que sea de punto flotante
    return t


def sizes(size, fn="zeros"):
    """``f(2, 3)`` o ``f((2, 3))`` -> ``(2, 3)``; solo enteros (2.7 no se trunca en silencio)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    try:
        return tuple(map(operator.index, size))
    except TypeError:
        raise size_type_error(size, fn) from None


def explain_value_error(shape, fn):
    """Tras un ``ValueError`` de NumPy al crear la forma ``shape``: ¿dimensión negativa?"""
    if any(s < 0 for s in shape):
        raise negative_size_error(shape, fn) from None


def filled_array(value, size, dtype, fn):
    """El array de ``zeros(*size)``, ``ones``, ``full``... (``dtype`` None: float32)."""
    shape = sizes(size, fn)
    try:
        return np.full(shape, value, dtype=dtype or _dtypes.default_float)
    except ValueError:
        explain_value_error(shape, fn)
        raise


def to_array(data, dtype=None):
    """Los datos de ``torch.tensor(data, dtype)`` como ndarray nuevo (siempre una copia)."""
    if isinstance(data, Tensor):
        array = data._data.copy()
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data)
        if array.dtype.kind not in "biufc":
            check_ndarray(array, "tensor")
    else:
        array = infer(_unwrap_scalar_tensors(data), dtype)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return array


def legacy_array(args, dtype):
    """El array del constructor heredado: ``Tensor(datos)``, ``Tensor(2, 3)`` o ``Tensor()``."""
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        data = args[0]._data if isinstance(args[0], Tensor) else args[0]
        return _legacy_data(data, dtype or _dtypes.default_float)
    if not args:   # Tensor() es un tensor vacío, como en PyTorch
        return np.zeros((0,), dtype=dtype or _dtypes.default_float)
    return filled_array(0, args, dtype, "zeros")   # mismos errores que zeros (2.5, -1)


def _legacy_data(data, dtype):
    """Datos de ``Tensor(datos)``: una secuencia o un ndarray de números (como PyTorch)."""
    if isinstance(data, (float, complex, bool, np.number)):
        raise TypeError(
            f"Tensor(datos) espera una secuencia (lista, tupla o ndarray), pero recibió el número "
            f"{data!r}. Para un tensor con ese valor usa torch.tensor({data!r}); Tensor(n) con un "
            "entero crea n ceros.")
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf":
        return data.astype(dtype)
    return to_array(data).astype(dtype)   # textos, objetos, listas irregulares: sus errores


def infer(data, dtype=None):
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
