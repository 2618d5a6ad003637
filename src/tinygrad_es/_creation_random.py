"""Creación de tensores aleatorios (``rand``, ``randn``, ``randint``, ``randperm``, ``normal`` y
sus ``*_like``) con los mismos números que PyTorch para la misma semilla.

Como en PyTorch, cada función es «crear el tensor y rellenarlo»: ``rand`` es ``uniform_(0, 1)``,
``randn`` es ``normal_(0, 1)``, ``randint`` es ``random_(low, high)``. Los muestreadores están en
``_random/distributions.py``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import _dtypes
from ._capture import macro
from ._creation_base import explain_value_error as _explain_value_error
from ._creation_base import finish as _finish
from ._creation_base import sizes as _sizes
from ._creation_errors import negative_size_error
from ._random import distributions as dist
from ._random import get_generator
from .tensor import Tensor

if TYPE_CHECKING:
    from ._random import Generator
    from ._typing import Device, DType, Number, ShapeLike, SizeLike

_MISSING = object()


def _shape_and_count(size, fn):
    shape = _sizes(size, fn)
    if any(s < 0 for s in shape):
        _explain_value_error(shape, fn)
    return shape, int(np.prod(shape, dtype=np.int64))


def _float_dtype(dtype, fn):
    dtype = np.dtype(dtype or _dtypes.default_float)
    if dtype.kind != "f":
        raise NotImplementedError(
            f"{fn} solo crea tensores de punto flotante, pero se pidió "
            f"{_dtypes.dtype_name(dtype)}. Para enteros al azar usa torch.randint.")
    return dtype


@macro   # dentro de tinygrad_es.compile, números nuevos en cada llamada
def rand(*size: ShapeLike, generator: Generator | None = None, dtype: DType | None = None,
         requires_grad: bool = False, device: Device = None,
         out: Tensor | None = None) -> Tensor:
    """Uniformes en [0, 1): ``rand(2, 3)`` o ``rand((2, 3))``."""
    shape, n = _shape_and_count(size, "rand")
    dtype = _float_dtype(dtype, "rand")
    gen = get_generator(generator)
    with gen._lock:
        values = dist.uniform_values(gen, n, dtype)
    return _finish(values.reshape(shape), requires_grad, device)


@macro
def randn(*size: ShapeLike, generator: Generator | None = None, dtype: DType | None = None,
          requires_grad: bool = False, device: Device = None,
          out: Tensor | None = None) -> Tensor:
    """Normales estándar N(0, 1): ``randn(2, 3)`` o ``randn((2, 3))``."""
    shape, n = _shape_and_count(size, "randn")
    dtype = _float_dtype(dtype, "randn")
    gen = get_generator(generator)
    with gen._lock:
        values = dist.normal_values(gen, n, dtype)
    return _finish(values.reshape(shape), requires_grad, device)


@macro
def randint(low: int = 0, high: Any = _MISSING, size: Any = _MISSING, *,
            generator: Generator | None = None, dtype: DType | None = None,
            requires_grad: bool = False, device: Device = None,
            out: Tensor | None = None) -> Tensor:
    """Enteros uniformes en [low, high): ``randint(10, (3,))`` o ``randint(2, 10, (3,))``."""
    if size is _MISSING:
        if isinstance(high, (tuple, list)):      # randint(high, size)
            low, high, size = 0, low, high
        else:
            raise TypeError(
                "randint necesita el tamaño: randint(high, size) o randint(low, high, size), "
                "por ejemplo torch.randint(0, 10, (3,)).")
    if high is _MISSING:
        raise TypeError("randint necesita el límite superior high: randint(low, high, size).")
    shape, n = _shape_and_count((size,), "randint")
    low, high = _int_bound(low, "low"), _int_bound(high, "high")
    if low >= high:
        raise RuntimeError(
            f"randint necesita low < high, pero recibió low={low} y high={high} (el intervalo "
            "es [low, high), sin incluir high).")
    dtype = np.dtype(dtype or _dtypes.int64)
    out_array = np.empty(shape, dtype=dtype)
    gen = get_generator(generator)
    with gen._lock:
        dist.random_(gen, out_array, low, high)
    return _finish(out_array, requires_grad, device)


def _int_bound(value, name):
    if isinstance(value, Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"randint: {name} debe ser un entero, pero se recibió {value!r}.")
    return int(value)


@macro
def randperm(n: int, *, generator: Generator | None = None, dtype: DType | None = None,
             requires_grad: bool = False, device: Device = None,
             out: Tensor | None = None) -> Tensor:
    """Una permutación al azar de 0, 1, ..., n-1 (int64 por defecto)."""
    n = _sizes((n,), "randperm")[0]
    if n < 0:
        raise negative_size_error((n,), "randperm")
    gen = get_generator(generator)
    with gen._lock:
        values = dist.randperm(gen, n)
    return _finish(values.astype(dtype or _dtypes.int64, copy=False), requires_grad, device)


@macro
def normal(mean: Number | Tensor = 0.0, std: Number | Tensor = 1.0, size: SizeLike | None = None,
           *, generator: Generator | None = None, dtype: DType | None = None,
           requires_grad: bool = False, device: Device = None,
           out: Tensor | None = None) -> Tensor:
    """``normal(media, desv, size)`` con números, o con tensores de medias y/o desviaciones
    (una normal por elemento, con la forma de su difusión), como ``torch.normal``."""
    gen = get_generator(generator)
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not (mean_t or std_t):
        if size is None:
            raise TypeError(
                "normal con media y desviación numéricas necesita el tamaño: "
                "torch.normal(0.0, 1.0, size=(2, 3)). Con tensores de medias o desviaciones "
                "el tamaño sale de ellos.")
        _check_std(std)
        shape, n = _shape_and_count((size,), "normal")
        with gen._lock:
            values = dist.normal_values(gen, n, _float_dtype(dtype, "normal"), mean, std)
        return _finish(values.reshape(shape), requires_grad, device)
    return _normal_tensors(gen, mean, std, requires_grad, device)


def _check_std(std):
    if isinstance(std, Tensor):
        if std._data.size and not np.all(std._data >= 0):
            raise RuntimeError("normal necesita desviaciones típicas >= 0, pero hay alguna "
                               "negativa (o nan) en el tensor std.")
    elif not std >= 0:
        raise RuntimeError(f"normal necesita una desviación típica std >= 0, pero recibió "
                           f"std={std}.")


def _normal_tensors(gen, mean, std, requires_grad, device):
    """Las sobrecargas con tensores: N(0, 1) (o N(0, std)) y luego ``* std + mean`` como PyTorch."""
    _check_std(std)
    mean_a = mean._data if isinstance(mean, Tensor) else None
    std_a = std._data if isinstance(std, Tensor) else None
    base = mean_a if mean_a is not None else std_a
    if base.dtype.kind != "f":
        raise RuntimeError(
            f"normal: las medias y desviaciones deben ser de punto flotante, pero son "
            f"{_dtypes.dtype_name(base.dtype)}. Conviértelas con .float().")
    shape = np.broadcast_shapes(np.shape(mean_a) if mean_a is not None else (),
                                np.shape(std_a) if std_a is not None else ())
    n = int(np.prod(shape, dtype=np.int64))
    with gen._lock:
        if std_a is None:                          # normal(Tensor media, float std)
            out = dist.normal_values(gen, n, base.dtype, 0.0, std).reshape(shape)
            out = (out + mean_a).astype(base.dtype, copy=False)
        else:                                      # normal(media, Tensor std)
            out = dist.normal_values(gen, n, base.dtype).reshape(shape)
            out = (out * std_a).astype(base.dtype, copy=False)
            mean_v = mean_a if mean_a is not None else base.dtype.type(mean)
            out = (out + mean_v).astype(base.dtype, copy=False)
    return _finish(np.asarray(out, dtype=base.dtype), requires_grad, device)


def rand_like(input: Tensor, *, generator: Generator | None = None, dtype: DType | None = None,
              requires_grad: bool = False, device: Device = None,
              memory_format: Any = None) -> Tensor:
    """Como ``rand`` con la forma (y el dtype, salvo que se dé otro) de ``input``."""
    return rand(input.shape, generator=generator, dtype=dtype or input.dtype,
                requires_grad=requires_grad, device=device)


def randn_like(input: Tensor, *, generator: Generator | None = None, dtype: DType | None = None,
               requires_grad: bool = False, device: Device = None,
               memory_format: Any = None) -> Tensor:
    """Como ``randn`` con la forma (y el dtype, salvo que se dé otro) de ``input``."""
    return randn(input.shape, generator=generator, dtype=dtype or input.dtype,
                 requires_grad=requires_grad, device=device)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *,
                 generator: Generator | None = None, dtype: DType | None = None,
                 requires_grad: bool = False, device: Device = None,
                 memory_format: Any = None) -> Tensor:
    """Como ``randint`` con la forma y el dtype de ``input``: ``randint_like(x, 10)`` o
    ``randint_like(x, 2, 10)``."""
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, generator=generator, dtype=dtype or input.dtype,
                   requires_grad=requires_grad, device=device)
