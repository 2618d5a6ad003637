"""Funciones de creación de tensores con los nombres y los dtypes de PyTorch.

Los errores de entrada (tamaños que no son enteros, dimensiones negativas, enteros que no caben
en int64, textos u objetos de Python sueltos) se explican en el camino del fallo: una llamada
correcta no paga ninguna comprobación de más. La conversión de los datos a un ndarray está en
``_creation_base.py`` (la comparte ``Tensor(...)``); los aleatorios, en ``_creation_random.py``.
"""
from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _dtypes
from ._capture import macro
from ._creation_base import filled_array, finish as _finish, to_array
from ._creation_errors import arange_error, check_ndarray, eye_error
from ._torch_functions import write_out
from .tensor import Tensor, _make

if TYPE_CHECKING:
    from typing import Callable, Protocol

    from ._typing import Device, DType, Number, ShapeLike, SizeLike

    class _LikeFactory(Protocol):
        def __call__(self, input: Tensor, dtype: DType | None = None,
                     requires_grad: bool = False, device: Device = None,
                     **kwargs: Any) -> Tensor: ...


@macro   # dentro de tinygrad_es.compile se repite en cada llamada
def tensor(data: Any, dtype: DType | None = None, requires_grad: bool = False,
           device: Device = None) -> Tensor:
    """Crea un tensor copiando ``data`` (lista, número, ndarray o tensor)."""
    return _finish(to_array(data, dtype), requires_grad, device)


@macro
def as_tensor(data: Any, dtype: DType | None = None, device: Device = None) -> Tensor:
    if isinstance(data, Tensor) and (dtype is None or data.dtype == dtype):
        return data
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == dtype):
        if data.dtype.kind not in "biufc":
            check_ndarray(data, "as_tensor")
        return _finish(data, False, device)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array: np.ndarray) -> Tensor:
    """Comparte la memoria con el ndarray (como ``torch.from_numpy``)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy espera un numpy.ndarray, pero recibió {type(array).__name__}.")
    if array.dtype.kind not in "biufc":
        check_ndarray(array, "from_numpy")
    return _make(array)


def _filled(value, size, dtype, requires_grad, device, fn):
    return _finish(filled_array(value, size, dtype, fn), requires_grad, device)


def _sizes(sizes, size, name):
    """``torch.zeros(2, 3)``, ``torch.zeros((2, 3))`` o ``torch.zeros(size=(2, 3))``."""
    if size is None:
        return sizes
    if sizes:
        raise TypeError(f"{name}(): da la forma por posición o con size=..., no de las dos formas.")
    return (size,)


def _out_dtype(out, dtype):
    """Con ``out=`` y sin ``dtype``, el resultado se crea con el dtype de ``out`` (PyTorch)."""
    return out.dtype if dtype is None and out is not None else dtype


@macro
def zeros(*sizes: ShapeLike, size: SizeLike | None = None, out: Tensor | None = None,
          dtype: DType | None = None, requires_grad: bool = False,
          device: Device = None) -> Tensor:
    return write_out(_filled(0, _sizes(sizes, size, "zeros"), _out_dtype(out, dtype),
                             requires_grad, device, "zeros"), out, "zeros")


@macro
def ones(*sizes: ShapeLike, size: SizeLike | None = None, out: Tensor | None = None,
          dtype: DType | None = None, requires_grad: bool = False,
          device: Device = None) -> Tensor:
    return write_out(_filled(1, _sizes(sizes, size, "ones"), _out_dtype(out, dtype),
                             requires_grad, device, "ones"), out, "ones")


@macro
def empty(*sizes: ShapeLike, size: SizeLike | None = None, out: Tensor | None = None,
          dtype: DType | None = None, requires_grad: bool = False,
          device: Device = None) -> Tensor:
    return write_out(_filled(0, _sizes(sizes, size, "empty"), _out_dtype(out, dtype),
                             requires_grad, device, "empty"), out, "empty")


@macro
def full(size: SizeLike, fill_value: Number | Tensor, *, out: Tensor | None = None,
         dtype: DType | None = None, requires_grad: bool = False,
         device: Device = None) -> Tensor:
    dtype = _out_dtype(out, dtype)
    if dtype is None:
        dtype = _dtypes.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor)
                                     else fill_value)
    return write_out(_filled(fill_value, (size,), dtype, requires_grad, device, "full"), out,
                     "full")


@macro
def eye(n: int, m: int | None = None, *, out: Tensor | None = None,
        dtype: DType | None = None, requires_grad: bool = False,
        device: Device = None) -> Tensor:
    try:
        array = np.eye(n, m, dtype=_out_dtype(out, dtype) or _dtypes.default_float)
    except (TypeError, ValueError):
        raise eye_error(n, m) from None
    return write_out(_finish(array, requires_grad, device), out, "eye")


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


@macro
def arange(start: Number | Tensor, end: Number | Tensor | None = None,
           step: Number | Tensor = 1, *, out: Tensor | None = None,
           dtype: DType | None = None, requires_grad: bool = False,
           device: Device = None) -> Tensor:
    dtype = _out_dtype(out, dtype)
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if dtype is None:
        floats = any(isinstance(v, (float, np.floating)) for v in (start, end, step))
        dtype = _dtypes.default_float if floats else _dtypes.int64
    try:
        # aquí ya son números (_number quitó los Tensor), pero mypy no puede saberlo
        values = np.arange(start, end, step)  # type: ignore[arg-type]
    except (ZeroDivisionError, ValueError, TypeError) as exc:
        raise arange_error(start, end, step, exc) from None
    if values.size == 0 and start != end and (end - start) * step < 0:
        raise arange_error(start, end, step, None)   # PyTorch no devuelve vacío aquí
    return write_out(_finish(values.astype(dtype), requires_grad, device), out, "arange")


@macro
def linspace(start: Number | Tensor, end: Number | Tensor, steps: int, *,
             out: Tensor | None = None, dtype: DType | None = None,
             requires_grad: bool = False, device: Device = None) -> Tensor:
    try:
        n = operator.index(steps)
    except TypeError:   # PyTorch: TypeError (linspace() received an invalid combination...)
        raise TypeError(f"linspace(): steps (el número de puntos) debe ser un entero, pero "
                        f"recibió {steps!r} (de tipo {type(steps).__name__}).") from None
    if n < 0:   # PyTorch: "number of steps must be non-negative"
        raise RuntimeError(f"linspace(): steps (el número de puntos) debe ser 0 o mayor, pero "
                           f"recibió {n}.")
    values = np.linspace(_number(start), _number(end), n)
    dtype = _out_dtype(out, dtype) or _dtypes.default_float
    return write_out(_finish(values.astype(dtype), requires_grad, device), out, "linspace")


def _like(factory: Callable[..., Tensor]) -> _LikeFactory:
    def like(input: Tensor, dtype: DType | None = None, requires_grad: bool = False,
             device: Device = None, **kwargs: Any) -> Tensor:
        return factory(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                       device=device, **kwargs)
    like.__name__ = factory.__name__ + "_like"
    like.__doc__ = f"Como ``{factory.__name__}`` con la forma y el dtype de ``input``."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input: Tensor, fill_value: Number | Tensor, dtype: DType | None = None,
              requires_grad: bool = False, device: Device = None) -> Tensor:
    return full(input.shape, fill_value, dtype=dtype or input.dtype,
                requires_grad=requires_grad, device=device)


# Los aleatorios viven en su módulo; se reexportan aquí (``creation.rand`` sigue existiendo).
from ._creation_random import (normal, rand, rand_like, randint, randint_like,  # noqa: E402
                               randn, randn_like, randperm)
