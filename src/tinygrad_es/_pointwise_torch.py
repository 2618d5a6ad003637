"""Las funciones de ``torch`` de la familia «puntual» con ``out=`` (``torch.tan(x, out=y)``,
``torch.add(2, x, alpha=3)``, ``torch.xlogy(2.0, y)``...): llaman a los métodos de
``_pointwise.py`` y copian el resultado en ``out`` con las reglas de PyTorch (``write_out``).
"""
import numpy as np

from . import _dtypes, _math
from ._math import SCALARS, cast, promote_pair
from ._torch_functions import from_method
from ._pointwise import (add, alpha_other, fmod, float_power, lerp, logit, nan_to_num,
                         need_tensor, sub, write_out, xlogy)
from .ops import binary_extra as bx
from .ops import elementwise as ew
from .tensor import Tensor


# --- funciones de torch con out= a partir de los métodos --------------------------------
def function(method, name, strict=False):
    """``torch.f(input, *, out=None)`` a partir del método ``Tensor.f`` (la fábrica común)."""
    return from_method(method, name, "input", out=True, strict=strict)


def xlogy_function(input, other, *, out=None):
    """``torch.xlogy``: ``input`` u ``other`` pueden ser un número (no los dos)."""
    if isinstance(input, Tensor):
        result = xlogy(input, other)
    elif isinstance(input, SCALARS) and isinstance(other, Tensor):
        result = _xlogy_scalar(input, other)
    else:
        raise TypeError("xlogy(): input y other deben ser tensores (o uno de ellos un número), "
                        f"no {type(input).__name__} y {type(other).__name__}.")
    return write_out(result, out, "xlogy", (input, other))


def _xlogy_scalar(x, other):
    a, b = promote_pair(x, other)
    if b._data.dtype.kind != "f":
        b = cast(b, _dtypes.default_float)
        a = _dtypes.default_float.type(x)
    return b._apply(bx.Xlogy, a, b)


def float_power_function(input, exponent, *, out=None):
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError("float_power(): input o exponent debe ser un Tensor, y se recibieron "
                        f"{type(input).__name__} y {type(exponent).__name__}.")
    return write_out(float_power(input, exponent), out, "float_power", (input, exponent), True)


# --- aritmética: add/sub/mul/div admiten un número como primer operando -----------------
def _first(input, other, name):
    """``torch.add(2, x)``: un número como primer operando (si los dos son números, un 0-d)."""
    if isinstance(input, Tensor):
        return input
    if isinstance(input, SCALARS):
        if isinstance(other, Tensor):
            return None
        return Tensor._wrap(np.asarray(input, _dtypes.scalar_dtype(input)))
    need_tensor(input, name)


def add_function(input, other, *, alpha=1, out=None):
    first = _first(input, other, "add")
    if first is None:
        result = _math.binary(ew.Add, input, alpha_other(other, other, alpha, "add"))
    else:
        result = add(first, other, alpha=alpha)
    return write_out(result, out, "add", (input, other))


def sub_function(input, other, *, alpha=1, out=None):
    first = _first(input, other, "sub")
    if first is None:
        result = _math.rsub(alpha_other(other, other, alpha, "sub"), input)
    else:
        result = sub(first, other, alpha=alpha)
    return write_out(result, out, "sub", (input, other))


def mul_function(input, other, *, out=None):
    first = _first(input, other, "mul")
    result = _math.binary(ew.Mul, input if first is None else first, other)
    return write_out(result, out, "mul", (input, other))


def div_function(input, other, *, rounding_mode=None, out=None):
    first = _first(input, other, "div")
    if first is None:
        result = _math.binary(ew.Div, input, other, true_div=True) if rounding_mode is None \
            else _math.div(Tensor._wrap(np.asarray(input, _dtypes.scalar_dtype(input))), other,
                           rounding_mode=rounding_mode)
    else:
        result = first.div(other, rounding_mode=rounding_mode)
    return write_out(result, out, "div", (input, other))


def true_divide_function(input, other, *, out=None):
    first = _first(input, other, "true_divide")
    result = _math.binary(ew.Div, input if first is None else first, other, true_div=True)
    return write_out(result, out, "true_divide", (input, other))


# --- las demás ----------------------------------------------------------------------------
def binary_function(method, name, arg="other", strict=False):
    """``torch.f(input, other, *, out=None)`` (``heaviside(input, values)``)."""
    return from_method(method, name, f"input, {arg}", out=True, strict=strict)


def logit_function(input, eps=None, *, out=None):
    need_tensor(input, "logit")
    return write_out(logit(input, eps), out, "logit", (input,))


def nan_to_num_function(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    need_tensor(input, "nan_to_num")
    return write_out(nan_to_num(input, nan, posinf, neginf), out, "nan_to_num", (input,), True)


def lerp_function(input, end, weight, *, out=None):
    need_tensor(input, "lerp")
    strict = isinstance(weight, Tensor) and weight.ndim > 0
    return write_out(lerp(input, end, weight), out, "lerp", (input, end, weight), strict)


def fmod_function(input, other, *, out=None):
    need_tensor(input, "fmod")
    return write_out(fmod(input, other), out, "fmod", (input, other))
