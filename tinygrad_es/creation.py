"""Funciones de creación de tensores con los nombres y los dtypes de PyTorch."""
import numpy as np

from . import _dtypes
from ._random import rng
from .tensor import Tensor, _check_device, _make


def _finish(array, requires_grad, device=None):
    _check_device(device)
    t = _make(array)
    if requires_grad:
        t.requires_grad = True   # valida que sea de punto flotante
    return t


def _sizes(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    return tuple(int(s) for s in size)


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
        raise TypeError(
            f"No se puede crear un tensor a partir de datos de tipo {type(data).__name__} "
            f"({array.dtype}): deben ser números o booleanos, en listas rectangulares.")
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if kind == "f" and array.dtype != _dtypes.default_float and not _has_numpy_leaf(data):
        return array.astype(_dtypes.default_float)
    if kind in "iu" and array.dtype != _dtypes.int64 and not _has_numpy_leaf(data):
        return array.astype(_dtypes.int64)
    return array


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
    else:
        array = _infer(_unwrap_scalar_tensors(data), dtype)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return _finish(array, requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and (dtype is None or data.dtype == dtype):
        return data
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == dtype):
        return _finish(data, False, device)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    """Comparte la memoria con el ndarray (como ``torch.from_numpy``)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy espera un numpy.ndarray, pero recibió {type(array).__name__}.")
    return _make(array)


def _filled(value, size, dtype, requires_grad, device):
    return _finish(np.full(_sizes(size), value, dtype=dtype or _dtypes.default_float),
                   requires_grad, device)


def zeros(*size, dtype=None, requires_grad=False, device=None):
    return _filled(0, size, dtype, requires_grad, device)


def ones(*size, dtype=None, requires_grad=False, device=None):
    return _filled(1, size, dtype, requires_grad, device)


def empty(*size, dtype=None, requires_grad=False, device=None):
    return _filled(0, size, dtype, requires_grad, device)


def full(size, fill_value, dtype=None, requires_grad=False, device=None):
    if dtype is None:
        dtype = _dtypes.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor)
                                     else fill_value)
    return _filled(fill_value, (size,), dtype, requires_grad, device)


def eye(n, m=None, dtype=None, requires_grad=False, device=None):
    return _finish(np.eye(n, m, dtype=dtype or _dtypes.default_float), requires_grad, device)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start, end=None, step=1, dtype=None, requires_grad=False, device=None):
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if dtype is None:
        floats = any(isinstance(v, (float, np.floating)) for v in (start, end, step))
        dtype = _dtypes.default_float if floats else _dtypes.int64
    return _finish(np.arange(start, end, step).astype(dtype), requires_grad, device)


def linspace(start, end, steps, dtype=None, requires_grad=False, device=None):
    values = np.linspace(_number(start), _number(end), int(steps))
    return _finish(values.astype(dtype or _dtypes.default_float), requires_grad, device)


def rand(*size, generator=None, dtype=None, requires_grad=False, device=None):
    dtype = np.dtype(dtype or _dtypes.default_float)
    return _finish(rng(generator).random(_sizes(size), dtype=dtype), requires_grad, device)


def randn(*size, generator=None, dtype=None, requires_grad=False, device=None):
    dtype = np.dtype(dtype or _dtypes.default_float)
    return _finish(rng(generator).standard_normal(_sizes(size), dtype=dtype), requires_grad,
                   device)


def randint(low, high=None, size=(), generator=None, dtype=None, requires_grad=False,
            device=None):
    if high is None or isinstance(high, (tuple, list)):   # randint(high, size)
        low, high, size = 0, low, (size if high is None else high)
    values = rng(generator).integers(low, high, size=_sizes((size,)))
    return _finish(np.asarray(values, dtype=dtype or _dtypes.int64), requires_grad, device)


def randperm(n, generator=None, dtype=None, requires_grad=False, device=None):
    values = rng(generator).permutation(int(n))
    return _finish(values.astype(dtype or _dtypes.int64), requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, generator=None, requires_grad=False, device=None):
    """``normal(media, desv, size)`` o ``normal(tensor_medias, tensor_desvs)``."""
    mean_a = mean._data if isinstance(mean, Tensor) else mean
    std_a = std._data if isinstance(std, Tensor) else std
    shape = _sizes((size,)) if size is not None else np.broadcast_shapes(
        np.shape(mean_a), np.shape(std_a))
    dtype = next((x.dtype for x in (mean, std) if isinstance(x, Tensor)), _dtypes.default_float)
    noise = rng(generator).standard_normal(shape, dtype=np.float64)
    return _finish((mean_a + std_a * noise).astype(dtype), requires_grad, device)


def _like(factory):
    def like(input, dtype=None, requires_grad=False, device=None, **kwargs):
        return factory(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                       device=device, **kwargs)
    like.__name__ = factory.__name__ + "_like"
    like.__doc__ = f"Como ``{factory.__name__}`` con la forma y el dtype de ``input``."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)
rand_like, randn_like = _like(rand), _like(randn)


def full_like(input, fill_value, dtype=None, requires_grad=False, device=None):
    return full(input.shape, fill_value, dtype=dtype or input.dtype,
                requires_grad=requires_grad, device=device)


def randint_like(input, low, high=None, dtype=None, requires_grad=False, device=None):
    return randint(low, high, input.shape, dtype=dtype or input.dtype)
