"""Funciones elemento a elemento de la familia «puntual» (tan, atan2, hypot, fmod, lerp, xlogy,
logical_and...): como métodos de ``Tensor``, como funciones de ``torch`` (con ``out=``) y en su
variante in situ (``x.tan_()``), con la promoción de tipos de PyTorch.

- Las funciones «de punto flotante» (tan, exp2, atan2, xlogy...) devuelven float32 si las
  entradas son enteras o bool, como PyTorch.
- ``out=``: el resultado se copia en ``out`` (que cambia de forma si hace falta); es un error si
  algo requiere gradiente con el gradiente activado, o si el tipo del resultado no cabe en el de
  ``out`` (float en un tensor entero).
- In situ: el resultado se escribe en la memoria del tensor (ver ``_views.py``); si no cabe en su
  tipo (``tan_`` de un tensor entero) es un RuntimeError, como en PyTorch.

Este módulo está por debajo de ``tensor.py`` (no lo importa): la clase ``Tensor`` se la da
``tensor.py`` al definirla.
"""

import numpy as np

from . import _dtypes, _math, _views
from ._math import SCALARS, cast, float_input, promote_pair
from ._torch_functions import write_out  # noqa: F401 (la única regla de out=)
from .autograd.graph import grad_mode
from .ops import binary_extra as bx
from .ops import trig as tr
from .ops import unary_extra as ux

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


# --- comprobaciones y out= ---------------------------------------------------------------
def need_tensor(x, name, arg="input", position=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): el argumento '{arg}' (posición {position}) debe ser un "
                        f"Tensor, no {type(x).__name__}. Conviértelo con torch.tensor(...).")


def _not_for(t, kinds, name, what="tensores de punto flotante"):
    if t._data.dtype.kind in kinds:
        raise NotImplementedError(
            f"{name} no está implementada para tensores {_dtypes.dtype_name(t._data.dtype)} "
            f"(solo para {what}), como en PyTorch. Convierte antes con .float().")


def inplace(self, compute, *others):
    """``self.f_(...)``: escribe ``compute(self)`` en la memoria de ``self``."""
    tracked = _views.is_tracked(self) or any(
        grad_mode.enabled and getattr(o, "_requires_grad", False) for o in others)
    if tracked:
        return _views.modify(self, compute)
    _views.check_writable(self)
    result = compute(self)
    _views.store(self, np.broadcast_to(result._data, self._data.shape)
                 if result._data.shape != self._data.shape and result._data.ndim <= self._data.ndim
                 else result._data)
    self._bump_version()
    return self


def _inplace_of(method, name):
    def method_(self, *args, **kwargs):
        return inplace(self, lambda src: method(src, *args, **kwargs),
                       *[a for a in args if isinstance(a, Tensor)])
    method_.__name__ = method_.__qualname__ = name + "_"
    return method_


# --- funciones de una entrada ------------------------------------------------------------
def _float_unary(op, name):
    def method(self):
        return self._apply(op, float_input(self))
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``{name}`` elemento a elemento (enteros y bool dan float32, como PyTorch)."
    return method


tan = _float_unary(tr.Tan, "tan")
asin = arcsin = _float_unary(tr.Asin, "asin")
acos = arccos = _float_unary(tr.Acos, "acos")
atan = arctan = _float_unary(tr.Atan, "atan")
sinh = _float_unary(tr.Sinh, "sinh")
cosh = _float_unary(tr.Cosh, "cosh")
asinh = arcsinh = _float_unary(tr.Asinh, "asinh")
acosh = arccosh = _float_unary(tr.Acosh, "acosh")
atanh = arctanh = _float_unary(tr.Atanh, "atanh")
expm1 = _float_unary(ux.Expm1, "expm1")
exp2 = _float_unary(ux.Exp2, "exp2")
log2 = _float_unary(ux.Log2, "log2")
log10 = _float_unary(ux.Log10, "log10")
rsqrt = _float_unary(ux.Rsqrt, "rsqrt")
reciprocal = _float_unary(ux.Reciprocal, "reciprocal")
deg2rad = _float_unary(ux.Deg2Rad, "deg2rad")
rad2deg = _float_unary(ux.Rad2Deg, "rad2deg")


def trunc(self):
    """Redondea hacia 0 (los enteros quedan igual; gradiente 0)."""
    _not_for(self, "b", "trunc", "tensores numéricos")
    return self._apply(ux.Step, self, fn="trunc")


fix = trunc


def frac(self):
    """Parte fraccionaria ``x - trunc(x)`` (con el signo de x)."""
    _not_for(self, "biu", "frac")
    return self._apply(ux.Frac, self)


def logit(self, eps=None):
    """log(p / (1 - p)); con ``eps``, p se recorta antes a [eps, 1 - eps]."""
    if eps is not None and not isinstance(eps, SCALARS):
        raise TypeError(f"logit(): eps debe ser un número o None, no {type(eps).__name__}.")
    return self._apply(ux.Logit, float_input(self), eps=None if eps is None else float(eps))


def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
    """Cambia nan por ``nan``, inf por ``posinf`` y -inf por ``neginf`` (por defecto, el
    mayor y el menor número finitos del dtype)."""
    return self._apply(ux.NanToNum, self, nan=nan, posinf=posinf, neginf=neginf)


def isposinf(self):
    return self._wrap(np.isposinf(self._data) if self._data.dtype.kind == "f"
                      else np.zeros(self._data.shape, bool))


def isneginf(self):
    return self._wrap(np.isneginf(self._data) if self._data.dtype.kind == "f"
                      else np.zeros(self._data.shape, bool))


def absolute(self):
    """|x| (como ``abs``; con bool es un error, como en PyTorch)."""
    _not_for(self, "b", "absolute", "tensores numéricos")
    return self.abs()


def sgn(self):
    """Signo (-1, 0 o 1; en tensores reales es ``sign``; con bool, el propio valor)."""
    return self._apply(ux.Step, self, fn="sgn")


def logical_not(self):
    return self._wrap(np.logical_not(self._data))


# --- funciones de dos entradas -----------------------------------------------------------
def _tensors(name, self, other, arg="other"):
    need_tensor(other, name, arg, 2)
    return promote_pair(self, other)


def _to_float(a, b):
    if a._data.dtype.kind != "f":
        a, b = cast(a, _dtypes.default_float), cast(b, _dtypes.default_float)
    return a, b


def atan2(self, other):
    """Ángulo de (other, self) en (-π, π]: ``atan2(y, x)``."""
    a, b = _to_float(*_tensors("atan2", self, other))
    return Tensor._apply(bx.Atan2, a, b)


arctan2 = atan2


def hypot(self, other):
    """√(self² + other²) sin desbordamientos intermedios."""
    a, b = _tensors("hypot", self, other)
    _not_for(a, "biu", "hypot")
    return Tensor._apply(bx.Hypot, a, b)


def fmod(self, other):
    """Resto de la división con el signo del dividendo (C ``fmod``); ver ``remainder``."""
    if not isinstance(other, SCALARS):
        need_tensor(other, "fmod", "other", 2)
    a, b = promote_pair(self, other)
    _not_for(a if isinstance(a, Tensor) else b, "b", "fmod", "tensores numéricos")
    return (a if isinstance(a, Tensor) else b)._apply(bx.Fmod, a, b)


def fmax(self, other):
    """Máximo elemento a elemento que ignora nan (si uno es nan, da el otro)."""
    return Tensor._apply(bx.Fmax, *_tensors("fmax", self, other))


def fmin(self, other):
    """Mínimo elemento a elemento que ignora nan (si uno es nan, da el otro)."""
    return Tensor._apply(bx.Fmin, *_tensors("fmin", self, other))


def xlogy(self, other):
    """``self · log(other)``, con 0 donde self = 0 (aunque other sea 0)."""
    if not isinstance(other, SCALARS):
        need_tensor(other, "xlogy", "other", 2)
    a, b = promote_pair(self, other)
    t = a if isinstance(a, Tensor) else b
    if t._data.dtype.kind != "f":
        a, b = [cast(x, _dtypes.default_float) if isinstance(x, Tensor)
                else _dtypes.default_float.type(x) for x in (a, b)]
    return t._apply(bx.Xlogy, a, b)


def heaviside(self, values):
    """Escalón: 0 si x < 0, 1 si x > 0 y ``values`` donde x = 0 (sin gradiente)."""
    need_tensor(values, "heaviside", "values", 2)
    if self._data.dtype != values._data.dtype:
        raise RuntimeError(
            "heaviside necesita input y values del mismo tipo, pero recibió "
            f"{_dtypes.dtype_name(self._data.dtype)} y {_dtypes.dtype_name(values._data.dtype)}. "
            "Convierte uno de los dos (p. ej. con .float()).")
    x, v = self._data, values._data
    out = np.where(x == 0, v, (x > 0).astype(x.dtype))
    return self._wrap(np.asarray(out, dtype=x.dtype))


def _logical(ufunc, name):
    def method(self, other):
        need_tensor(other, name, "other", 2)
        return self._wrap(np.asarray(ufunc(self._data, other._data)))
    method.__name__ = method.__qualname__ = name
    return method


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def float_power(self, exponent):
    """``self ** exponent`` en float64 (siempre, como PyTorch)."""
    base = cast(self, _dtypes.float64) if isinstance(self, Tensor) else float(self)
    if isinstance(exponent, Tensor):
        exponent = cast(exponent, _dtypes.float64)
    elif isinstance(exponent, SCALARS):
        exponent = float(exponent)
    else:
        need_tensor(exponent, "float_power", "exponent", 2)
    if not isinstance(base, Tensor):
        return exponent.__rpow__(base)
    return base ** exponent


def float_power_(self, exponent):
    if self._data.dtype != _dtypes.float64:
        raise RuntimeError(
            "float_power_: el resultado de float_power es float64 y no cabe in situ en un "
            f"tensor {_dtypes.dtype_name(self._data.dtype)}. Usa float_power(...) (sin _) o "
            "convierte antes con .double().")
    return inplace(self, lambda src: float_power(src, exponent), exponent)


def lerp(self, end, weight):
    """Interpolación lineal ``self + weight · (end - self)`` (weight número o tensor)."""
    need_tensor(end, "lerp", "end", 2)
    dt = self._data.dtype
    if end._data.dtype != dt:
        raise RuntimeError(
            f"lerp: end debe ser del mismo tipo que input ({_dtypes.dtype_name(dt)}), y es "
            f"{_dtypes.dtype_name(end._data.dtype)}. Conviértelo con .to(input.dtype).")
    if isinstance(weight, Tensor):
        if weight._data.dtype != dt and weight._data.ndim:
            raise RuntimeError(
                f"lerp: weight debe ser del mismo tipo que input ({_dtypes.dtype_name(dt)}), y "
                f"es {_dtypes.dtype_name(weight._data.dtype)}. Conviértelo con .to(input.dtype).")
        common = _dtypes.result_type([(dt, 0), (weight._data.dtype, _math._kind(weight))])
        if common.kind != "f":
            _not_for(self, "biu", "lerp")
        return Tensor._apply(bx.Lerp, cast(self, common), cast(end, common), cast(weight, common))
    if not isinstance(weight, SCALARS):
        raise TypeError(f"lerp(): weight debe ser un número o un Tensor, no "
                        f"{type(weight).__name__}.")
    _not_for(self, "biu", "lerp")
    return Tensor._apply(bx.LerpScalar, self, end, weight=float(weight))


# --- aritmética con out= y alpha= ---------------------------------------------------------
def alpha_other(self, other, alpha, name):
    if alpha == 1 and not isinstance(alpha, bool):
        return other
    a, b = promote_pair(self, other) if isinstance(other, (Tensor,) + SCALARS) else (self, other)
    kind = (a if isinstance(a, Tensor) else b)._data.dtype.kind
    if isinstance(alpha, bool) and kind != "b":
        raise RuntimeError(f"{name}: alpha bool solo vale cuando el resultado es bool; usa un "
                           "número (alpha=1).")
    if kind in "iub" and isinstance(alpha, (float, np.floating)):
        raise RuntimeError(f"{name}: con tensores enteros, alpha no puede ser un número con "
                           f"decimales (recibió alpha={alpha}). Convierte antes con .float().")
    return other * alpha


def add(self, other, *, alpha=1):
    """``self + alpha · other``."""
    return self + alpha_other(self, other, alpha, "add")


def sub(self, other, *, alpha=1):
    """``self - alpha · other``."""
    return _math.sub(self, alpha_other(self, other, alpha, "sub"))


def subtract_(self, other, *, alpha=1):
    return inplace(self, lambda src: sub(src, other, alpha=alpha), other)


def logit_(self, eps=None):
    return inplace(self, lambda src: logit(src, eps))


def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
    return inplace(self, lambda src: nan_to_num(src, nan, posinf, neginf))


def lerp_(self, end, weight):
    return inplace(self, lambda src: lerp(src, end, weight), end, weight)


def div_(self, other, *, rounding_mode=None):
    return inplace(self, lambda src: src.div(other, rounding_mode=rounding_mode), other)


def addcmul(self, tensor1, tensor2, *, value=1):
    """``self + value · tensor1 · tensor2`` (el paso de Adam escrito a mano:
    ``v.mul_(b2).addcmul_(g, g, value=1 - b2)``)."""
    return self + (tensor1 * tensor2 if value == 1 else value * tensor1 * tensor2)


def addcdiv(self, tensor1, tensor2, *, value=1):
    """``self + value · tensor1 / tensor2`` (``p.addcdiv_(m, v.sqrt().add_(eps), value=-lr)``)."""
    for t in (tensor1, tensor2):
        if isinstance(t, Tensor) and t.dtype.kind in "biu":
            raise RuntimeError(
                "addcdiv: la división entera ya no se admite (como en PyTorch): convierte "
                "tensor1 y tensor2 con .float(), o usa torch.floor_divide.")
    return self + (tensor1 / tensor2 if value == 1 else value * tensor1 / tensor2)


def addcmul_(self, tensor1, tensor2, *, value=1):
    return inplace(self, lambda src: addcmul(src, tensor1, tensor2, value=value),
                   tensor1, tensor2)


def addcdiv_(self, tensor1, tensor2, *, value=1):
    return inplace(self, lambda src: addcdiv(src, tensor1, tensor2, value=value),
                   tensor1, tensor2)


inplace_of = _inplace_of
