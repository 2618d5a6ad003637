"""``torch.asarray``, ``torch.logspace`` y ``torch.poisson`` (familia «puntual»).

``poisson`` da los mismos números que PyTorch en CPU con la misma semilla: el mismo algoritmo
(producto de uniformes para tasas < 10 y el rechazo transformado de Hörmann para tasas ≥ 10),
las mismas uniformes float64 del generador, consumidas en el mismo orden (elemento a elemento,
en el orden de la memoria) y el mismo ``lgamma`` de la biblioteca C.
"""
import ctypes
import ctypes.util
import math
import operator
import warnings

import numpy as np

from . import _dtypes
from ._creation_base import finish, to_array
from ._device import _check_device
from ._pointwise import write_out
from ._random import get_generator
from .ops import binary_extra as bx
from .tensor import Tensor
from .errors import user_stacklevel


# --- asarray -----------------------------------------------------------------------------
def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=None):
    """Convierte ``obj`` en tensor compartiendo memoria cuando se puede (tensores y ndarrays).

    ``copy=True`` copia siempre; ``copy=False`` es un error si hay que copiar (p. ej. para
    cambiar el dtype); ``copy=None`` copia solo si hace falta. Con un tensor y ``requires_grad``
    sin dar, el resultado requiere gradiente si ``obj`` lo requiere (PyTorch 2.13).
    """
    _check_device(device)
    if isinstance(obj, Tensor):
        out = obj
        if dtype is not None and np.dtype(dtype) != obj._data.dtype:
            if copy is False:
                raise ValueError(
                    f"asarray(copy=False): no se puede ver un tensor "
                    f"{_dtypes.dtype_name(obj._data.dtype)} como "
                    f"{_dtypes.dtype_name(np.dtype(dtype))} sin copiarlo. Quita copy=False o no cambies el dtype.")
            out = out.to(np.dtype(dtype))
        elif copy:
            out = out.clone()
        if requires_grad is None:
            if obj._requires_grad:
                warnings.warn(
                    "torch.asarray: sin requires_grad, el resultado requiere gradiente si obj lo "
                    "requiere. Pasa requires_grad=False para obtener un tensor separado del grafo.",
                    UserWarning, stacklevel=user_stacklevel())
            return out
        if bool(requires_grad) == out._requires_grad:
            return out
        out = Tensor._wrap(out._data)
        if requires_grad:
            out.requires_grad = True
        return out
    if isinstance(obj, np.ndarray) and dtype is not None and np.dtype(dtype) != obj.dtype \
            and copy is False:
        raise ValueError(
            f"asarray(copy=False): no se puede ver un ndarray {obj.dtype} como "
            f"{_dtypes.dtype_name(np.dtype(dtype))} sin copiarlo. Quita copy=False.")
    if isinstance(obj, np.ndarray) and not copy and (dtype is None or np.dtype(dtype) == obj.dtype):
        array = obj
    else:
        if copy is False and not isinstance(obj, np.ndarray):
            raise ValueError("asarray(copy=False): los datos de Python no tienen memoria que "
                             "compartir; quita copy=False.")
        array = to_array(obj, None if dtype is None else np.dtype(dtype))
    return finish(array, bool(requires_grad))


# --- logspace ----------------------------------------------------------------------------
def _scalar(x):
    return x.item() if isinstance(x, Tensor) else x


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``steps`` valores ``base ** t`` con t equiespaciado de ``start`` a ``end``."""
    _check_device(device)
    try:
        n = operator.index(steps)
    except TypeError:
        raise TypeError(f"logspace(): steps (el número de puntos) debe ser un entero, pero "
                        f"recibió {steps!r} (de tipo {type(steps).__name__}).") from None
    if n < 0:
        raise RuntimeError(f"logspace(): steps (el número de puntos) debe ser 0 o mayor, pero "
                           f"recibió {n}.")
    dtype = np.dtype(dtype) if dtype is not None else (
        out.dtype if out is not None else _dtypes.default_float)
    start, end, base = _scalar(start), _scalar(end), float(_scalar(base))
    if dtype.kind == "f":   # como PyTorch: los extremos pasan antes por el dtype
        start, end = float(dtype.type(start)), float(dtype.type(end))
    else:
        start, end = int(start), int(end)
    if n == 1:
        values = np.array([_pow(base, start)], dtype=np.float64)
    else:
        step = (end - start) / (n - 1) if n > 1 else 0.0
        i = np.arange(n, dtype=np.float64)
        half = n // 2
        exps = np.where(i < half, start + step * i, end - step * (n - i - 1))
        # pow de la biblioteca C, como PyTorch (np.power puede diferir en el último bit)
        values = np.array([_pow(base, e) for e in exps.tolist()], dtype=np.float64)
    result = finish(values.astype(dtype), requires_grad)
    if out is not None:
        return write_out(result, out, "logspace")
    return result


def _pow(base, e):
    try:
        return math.pow(base, e)
    except OverflowError:
        return math.inf
    except ValueError:   # base negativa con exponente no entero
        return math.nan


# --- poisson -----------------------------------------------------------------------------
def _libm_lgamma():
    path = ctypes.util.find_library("m")
    try:
        fn = ctypes.CDLL(path).lgamma
    except (OSError, AttributeError, TypeError):
        return math.lgamma
    fn.restype, fn.argtypes = ctypes.c_double, [ctypes.c_double]
    return fn


_lgamma = _libm_lgamma()
_INT64_MIN = -(1 << 63)


def _floor_int64(x):
    """``(int64_t) std::floor(x)`` en x86: fuera de rango (o nan) da INT64_MIN."""
    if not math.isfinite(x) or not -9.2e18 < x < 9.2e18:
        return _INT64_MIN
    return int(math.floor(x))


class _Uniforms:
    """Las uniformes float64 del generador, de una en una pero sacadas por bloques.

    Al terminar (``close``) el generador queda exactamente tras la última consumida: se vuelve
    al estado de antes del último bloque y se sacan solo las usadas.
    """

    def __init__(self, gen, hint):
        self.gen, self.hint = gen, max(16, hint)
        self.block, self.pos, self.state = [], 0, None

    def __call__(self):
        if self.pos == len(self.block):
            self.state = self.gen._bits.state
            self.block = self.gen._uniform64(self.hint).tolist()
            self.pos = 0
            self.hint = 1024
        u = self.block[self.pos]
        self.pos += 1
        return u

    def close(self):
        if self.state is not None and self.pos < len(self.block):
            self.gen._bits.state = self.state
            self.gen._uniform64(self.pos)


def _sample(lam, uniform):
    """``sample_poisson`` de PyTorch (aten/src/ATen/native/Distributions.h) para una tasa."""
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = uniform() - 0.5
            v = uniform()
            us = 0.5 - abs(u)
            k = _floor_int64((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - _lgamma(k + 1.0)):
                return k
    if lam == 0:
        return 0
    enlam = math.exp(-lam)
    x, prod = 0, 1.0
    while True:
        prod *= uniform()
        if prod > enlam:
            x += 1
        else:
            return x


def poisson(input, generator=None):
    """Muestras de Poisson con tasa ``input`` (mismo dtype y forma; gradiente 0 hacia ``input``).

    Los números son los de PyTorch con la misma semilla (mismo algoritmo y mismo orden).
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"poisson(): el argumento 'input' (posición 1) debe ser un Tensor, no "
                        f"{type(input).__name__}.")
    rates = input._data
    if rates.dtype.kind != "f":
        raise NotImplementedError(
            f"poisson solo admite tasas de punto flotante, y recibió "
            f"{_dtypes.dtype_name(rates.dtype)}. Convierte antes con .float().")
    if rates.size and not bool(np.all(rates >= 0)):
        raise RuntimeError("poisson: las tasas deben ser mayores o iguales que 0 (y no nan). "
                           "Revisa los valores de input.")
    gen = get_generator(generator)
    flat = rates.astype(np.float64).ravel().tolist()   # orden C: el de la salida
    r = rates.astype(np.float64).ravel()
    hint = int(np.where(r < 10, r + 1, 2.2).sum() * 1.05) + 16   # uniformes esperadas
    samples = np.empty(len(flat), dtype=np.float64)
    with gen._lock:
        uniform = _Uniforms(gen, hint)
        try:
            for i, lam in enumerate(flat):
                samples[i] = _sample(lam, uniform)
        finally:
            uniform.close()
    out = samples.reshape(rates.shape).astype(rates.dtype)
    return Tensor._apply(bx.Poisson, input, samples=out)
