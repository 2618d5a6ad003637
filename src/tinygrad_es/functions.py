"""Funciones del espacio de nombres ``torch`` que no son métodos: cat, stack, where, cdist...

Las que también son métodos (``torch.exp(x)`` = ``x.exp()``) se toman de ``Tensor``; cat y
stack viven en ``_shape.py`` y where en ``_math.py`` (también los usa ``Tensor``).
"""
import builtins

import numpy as np

from . import _dtypes
from ._math import where  # noqa: F401 (reexportada)
from ._shape import cat
from .errors import ShapeError
from .ops import norms
from .tensor import Tensor

concat = concatenate = cat

_CDIST_MODES = {"use_mm_for_euclid_dist_if_necessary": None, "use_mm_for_euclid_dist": True,
                "donot_use_mm_for_euclid_dist": False}


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Distancia p entre cada fila de ``x1`` (…, P, M) y cada fila de ``x2`` (…, R, M).

    Devuelve (…, P, R); las dimensiones de lote se difunden. Con p = 2 y más de 25 filas en
    alguno de los dos (o ``compute_mode='use_mm_for_euclid_dist'``) se calcula con un producto
    de matrices, como PyTorch: más rápido y sin un array (…, P, R, M), con algo de error de
    redondeo cerca de 0.
    """
    if compute_mode not in _CDIST_MODES:
        raise ValueError(
            f"{compute_mode!r} no es un valor válido de compute_mode: usa "
            + ", ".join(repr(m) for m in _CDIST_MODES) + ".")
    for name, x in (("x1", x1), ("x2", x2)):
        if not isinstance(x, Tensor):
            raise TypeError(f"cdist(): {name} debe ser un Tensor, no {type(x).__name__}.")
        if x._data.dtype.kind != "f":
            raise RuntimeError(
                f"cdist solo admite tensores de punto flotante, y {name} es "
                f"{_dtypes.dtype_name(x._data.dtype)}. Conviértelo con .float().")
        if x._data.ndim < 2:
            raise RuntimeError(
                f"cdist necesita tensores de al menos 2 dimensiones (…, filas, columnas), y "
                f"{name} tiene forma {tuple(x._data.shape)}. Para un solo punto usa "
                "x.unsqueeze(0).")
    s1, s2 = x1._data.shape, x2._data.shape
    if s1[-1] != s2[-1]:
        raise ShapeError(
            f"cdist: x1 y x2 deben tener el mismo número de columnas (la última dimensión), "
            f"pero tienen formas {tuple(s1)} y {tuple(s2)}.")
    if x1._data.dtype != x2._data.dtype:
        raise RuntimeError(
            f"cdist necesita dos tensores del mismo tipo, pero recibió "
            f"{_dtypes.dtype_name(x1.dtype)} y {_dtypes.dtype_name(x2.dtype)}. Convierte uno de "
            "los dos con .float() o .double().")
    try:
        np.broadcast_shapes(s1[:-2], s2[:-2])
    except ValueError:
        raise ShapeError(
            f"cdist: las dimensiones de lote de x1 {tuple(s1)} y x2 {tuple(s2)} (todas menos "
            "las dos últimas) no se pueden difundir.") from None
    p = builtins.float(p)
    if not p >= 0:
        raise RuntimeError(f"cdist solo admite p >= 0, y recibió p={p:g}.")
    use_mm_mode = _CDIST_MODES[compute_mode]
    use_mm = (p == 2 and x1._data.size > 0 and x2._data.size > 0
              and (use_mm_mode or (use_mm_mode is None and (s1[-2] > 25 or s2[-2] > 25))))
    return Tensor._apply(norms.Cdist, x1, x2, p=p, use_mm=builtins.bool(use_mm))


def numel(input):
    return input.numel()


def is_tensor(obj):
    return isinstance(obj, Tensor)


exp, log, sqrt, abs, sin, cos = Tensor.exp, Tensor.log, Tensor.sqrt, Tensor.abs, Tensor.sin, Tensor.cos
tanh, sigmoid, relu, neg, square = Tensor.tanh, Tensor.sigmoid, Tensor.relu, Tensor.neg, Tensor.square
clamp = clip = Tensor.clamp
add, sub, mul, div, pow = Tensor.add, Tensor.sub, Tensor.mul, Tensor.div, Tensor.pow
maximum, minimum = Tensor.maximum, Tensor.minimum
matmul, mm, bmm, dot = Tensor.matmul, Tensor.mm, Tensor.bmm, Tensor.dot
sum, mean, std, var, norm = Tensor.sum, Tensor.mean, Tensor.std, Tensor.var, Tensor.norm
dist, prod = Tensor.dist, Tensor.prod
floor_divide, remainder = Tensor.floor_divide, Tensor.remainder
max, min, amax, amin = Tensor.max, Tensor.min, Tensor.amax, Tensor.amin
argmax, argmin, all, any = Tensor.argmax, Tensor.argmin, Tensor.all, Tensor.any
softmax, log_softmax = Tensor.softmax, Tensor.log_softmax
reshape, flatten, squeeze, unsqueeze = Tensor.reshape, Tensor.flatten, Tensor.squeeze, Tensor.unsqueeze
transpose, permute, t = Tensor.transpose, Tensor.permute, Tensor.t
split, chunk, unbind = Tensor.split, Tensor.chunk, Tensor.unbind
sign, floor, ceil, round = Tensor.sign, Tensor.floor, Tensor.ceil, Tensor.round
isnan, isinf, isfinite = Tensor.isnan, Tensor.isinf, Tensor.isfinite
sort, topk, argsort = Tensor.sort, Tensor.topk, Tensor.argsort
eq, ne, lt, le, gt, ge = Tensor.eq, Tensor.ne, Tensor.lt, Tensor.le, Tensor.gt, Tensor.ge
allclose, equal, clone, detach = Tensor.allclose, Tensor.equal, Tensor.clone, Tensor.detach

# --- familia indice ---
from ._index import gather, scatter, scatter_add, index_select, index_add, index_copy  # noqa: E402
from ._index import index_fill, masked_fill, masked_select, masked_scatter, take  # noqa: E402
from ._index import take_along_dim, nonzero, argwhere  # noqa: E402
from ._join import hstack, vstack, dstack, column_stack, meshgrid, movedim, broadcast_to  # noqa
from ._join import broadcast_tensors, broadcast_shapes, atleast_1d, atleast_2d  # noqa: E402
from ._join import atleast_3d, flip, fliplr, flipud, roll, rot90, tile  # noqa: E402
from ._join import repeat_interleave, tril, triu, diag, diag_embed  # noqa: E402
moveaxis = movedim
narrow, unflatten, diagonal = Tensor.narrow, Tensor.unflatten, Tensor.diagonal
swapaxes, swapdims = Tensor.swapaxes, Tensor.swapdims
clamp_min, clamp_max = Tensor.clamp_min, Tensor.clamp_max
# --- familia activ ---
erf, erfc, erfinv, erf_, erfc_ = Tensor.erf, Tensor.erfc, Tensor.erfinv, Tensor.erf_, Tensor.erfc_
# --- familia puntual: funciones de torch con out= (lógica en _pointwise.py) ---
from . import _pointwise_torch as _pw  # noqa: E402
from ._creation_puntual import asarray, logspace, poisson  # noqa: E402,F401

absolute = _pw.function(Tensor.absolute, "absolute", strict=True)
negative = _pw.function(Tensor.neg, "negative", strict=True)
sgn = _pw.function(Tensor.sgn, "sgn", strict=True)
log1p = _pw.function(Tensor.log1p, "log1p")
tan, sinh, cosh = (_pw.function(m, n) for m, n in ((Tensor.tan, "tan"), (Tensor.sinh, "sinh"),
                                                    (Tensor.cosh, "cosh")))
asin = arcsin = _pw.function(Tensor.asin, "asin")
acos = arccos = _pw.function(Tensor.acos, "acos")
atan = arctan = _pw.function(Tensor.atan, "atan")
asinh = arcsinh = _pw.function(Tensor.asinh, "asinh")
acosh = arccosh = _pw.function(Tensor.acosh, "acosh")
atanh = arctanh = _pw.function(Tensor.atanh, "atanh")
expm1 = _pw.function(Tensor.expm1, "expm1")
exp2 = _pw.function(Tensor.exp2, "exp2")
log2 = _pw.function(Tensor.log2, "log2")
log10 = _pw.function(Tensor.log10, "log10")
rsqrt = _pw.function(Tensor.rsqrt, "rsqrt")
reciprocal = _pw.function(Tensor.reciprocal, "reciprocal")
deg2rad = _pw.function(Tensor.deg2rad, "deg2rad")
rad2deg = _pw.function(Tensor.rad2deg, "rad2deg")
trunc = _pw.function(Tensor.trunc, "trunc", strict=True)
fix = _pw.function(Tensor.trunc, "fix", strict=True)
frac = _pw.function(Tensor.frac, "frac", strict=True)
isposinf = _pw.function(Tensor.isposinf, "isposinf", strict=True)
isneginf = _pw.function(Tensor.isneginf, "isneginf", strict=True)
logical_not = _pw.function(Tensor.logical_not, "logical_not")
logit, nan_to_num, lerp = _pw.logit_function, _pw.nan_to_num_function, _pw.lerp_function
atan2 = arctan2 = _pw.binary_function(Tensor.atan2, "atan2")
hypot = _pw.binary_function(Tensor.hypot, "hypot")
fmod = _pw.fmod_function
fmax = _pw.binary_function(Tensor.fmax, "fmax")
fmin = _pw.binary_function(Tensor.fmin, "fmin")
heaviside = _pw.binary_function(Tensor.heaviside, "heaviside", arg="values", strict=True)
xlogy = _pw.xlogy_function
float_power = _pw.float_power_function
logical_and = _pw.binary_function(Tensor.logical_and, "logical_and")
logical_or = _pw.binary_function(Tensor.logical_or, "logical_or")
logical_xor = _pw.binary_function(Tensor.logical_xor, "logical_xor")
add = _pw.add_function   # con alpha= y out=, como PyTorch
sub = subtract = _pw.sub_function
mul = multiply = _pw.mul_function
div = divide = _pw.div_function
true_divide = _pw.true_divide_function
# --- familia reduc ---
from ._reduce_extra import (aminmax, count_nonzero, cummax, cummin, cumprod, cumsum,  # noqa: E402
                            diff, logcumsumexp, logsumexp, nanmean, nansum, std_mean, var_mean)
from ._order_stats import (kthvalue, median, mode, msort, nanmedian, nanquantile,  # noqa: E402
                           quantile)
from ._counting import bincount, histc, histogram, unique, unique_consecutive  # noqa: E402
from ._facts import (can_cast, finfo, greater, greater_equal, iinfo, is_floating_point,  # noqa: E402
                     is_nonzero, isclose, less, less_equal, not_equal, promote_types,
                     result_type)
from ._einsum import einsum  # noqa: E402
from ._linalg_extra import (addmm, addmv, baddbmm, cross, det, ger, inner,  # noqa: E402
                            inverse, kron, mv, outer, tensordot, trace, vdot)
from ._linalg_decomp import svd_torch as svd  # noqa: E402 (la antigua torch.svd: U, S, V)
# --- familia firmas: las funciones de torch que son métodos, con la firma de PyTorch
# (input como primer parámetro y out= donde PyTorch lo tiene; lógica en _torch_functions.py) ---
from . import _torch_functions as _tf  # noqa: E402
from . import _shape as _sh  # noqa: E402

_f = _tf.from_method
exp, log, sqrt, abs, sin, cos = (_f(getattr(Tensor, n), n, out=True)
                                 for n in ("exp", "log", "sqrt", "abs", "sin", "cos"))
tanh, sigmoid, neg, square, sign = (_f(getattr(Tensor, n), n, out=True)
                                    for n in ("tanh", "sigmoid", "neg", "square", "sign"))
floor, ceil, erf, erfc, erfinv = (_f(getattr(Tensor, n), n, out=True)
                                  for n in ("floor", "ceil", "erf", "erfc", "erfinv"))
round = _f(Tensor.round, "round", "input, *, decimals=0", out=True)
relu, isnan, isinf, isfinite = (_f(getattr(Tensor, n), n)
                                for n in ("relu", "isnan", "isinf", "isfinite"))
clone, detach, t, erf_, erfc_ = (_f(getattr(Tensor, n), n)
                                 for n in ("clone", "detach", "t", "erf_", "erfc_"))
ravel, positive = _f(Tensor.ravel, "ravel"), _f(Tensor.positive, "positive")
signbit = _f(Tensor.signbit, "signbit", out=True)
diagflat = _f(Tensor.diagflat, "diagflat", "input, offset=0")
matrix_power = _f(Tensor.matrix_power, "matrix_power", "input, n", out=True)
tensor_split = _f(Tensor.tensor_split, "tensor_split", "input, sections=None, dim=0, *, "
                  "indices=None, tensor_indices_or_sections=None")
hsplit, vsplit, dsplit = (_f(getattr(Tensor, n), n, "input, sections=None, *, indices=None")
                          for n in ("hsplit", "vsplit", "dsplit"))
is_same_size = _f(Tensor.is_same_size, "is_same_size", "input, other")
addcmul = _f(Tensor.addcmul, "addcmul", "input, tensor1, tensor2, *, value=1", out=True)
addcdiv = _f(Tensor.addcdiv, "addcdiv", "input, tensor1, tensor2, *, value=1", out=True)
clamp = _f(Tensor.clamp, "clamp", out=True)
clip = _f(Tensor.clamp, "clip", out=True)
clamp_min, clamp_max = _f(Tensor.clamp_min, "clamp_min", out=True), _f(Tensor.clamp_max, "clamp_max", out=True)
eq, ne, lt, le, gt, ge = (_f(getattr(Tensor, n), n, "input, other", out=True)
                          for n in ("eq", "ne", "lt", "le", "gt", "ge"))
maximum, minimum, floor_divide, remainder, matmul = (
    _f(getattr(Tensor, n), n, "input, other", out=True)
    for n in ("maximum", "minimum", "floor_divide", "remainder", "matmul"))
mm = _f(Tensor.mm, "mm", "input, mat2", out=True)
bmm = _f(Tensor.bmm, "bmm", "input, mat2", out=True)
dot = _f(Tensor.dot, "dot", "input, tensor", out=True)
pow = _tf.pow
sum, mean, prod, std, var = (_f(getattr(Tensor, n), n, out=True)
                             for n in ("sum", "mean", "prod", "std", "var"))
max, min, amax, amin = (_f(getattr(Tensor, n), n, out=True) for n in ("max", "min", "amax", "amin"))
argmax, argmin, all, any = (_f(getattr(Tensor, n), n, out=True)
                            for n in ("argmax", "argmin", "all", "any"))
norm, dist = _f(Tensor.norm, "norm", out=True), _f(Tensor.dist, "dist")
softmax, log_softmax = (_f(getattr(Tensor, n), n, out=True) for n in ("softmax", "log_softmax"))
sort, topk, argsort = _f(Tensor.sort, "sort", out=True), _f(Tensor.topk, "topk", out=True), \
    _f(Tensor.argsort, "argsort")
multinomial, bernoulli = _f(Tensor.multinomial, "multinomial", out=True), \
    _f(Tensor.bernoulli, "bernoulli", out=True)
allclose, equal = _f(Tensor.allclose, "allclose"), _f(Tensor.equal, "equal")
reshape = _f(Tensor.reshape, "reshape", "input, shape")
permute = _f(Tensor.permute, "permute", "input, dims")
flatten, squeeze, unsqueeze, transpose = (_f(getattr(Tensor, n), n) for n in (
    "flatten", "squeeze", "unsqueeze", "transpose"))
chunk, unbind, narrow, unflatten, diagonal = (_f(getattr(Tensor, n), n) for n in (
    "chunk", "unbind", "narrow", "unflatten", "diagonal"))
swapaxes, swapdims = _f(Tensor.swapaxes, "swapaxes"), _f(Tensor.swapdims, "swapdims")
split = _f(Tensor.split, "split", "tensor, split_size_or_sections, dim=0")
det, inverse = _f(det, "det"), _f(inverse, "inverse")
take = _f(take, "take", out=True)
cat = _f(_sh.cat, "cat", "tensors, dim=0", out=True, check=False)
concat = _f(_sh.cat, "concat", "tensors, dim=0", out=True, check=False)
concatenate = _tf.concatenate
stack = _f(_sh.stack, "stack", "tensors, dim=0", out=True, check=False)
del _f
