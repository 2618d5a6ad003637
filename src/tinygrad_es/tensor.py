"""``Tensor``: un ndarray de NumPy más lo necesario para el grafo de autograd.

Este archivo tiene cuatro partes:

1. ``_apply`` (en ``_op_path.py``): ejecuta el forward de una operación de ``ops/`` y, si alguna
   entrada requiere gradiente, enlaza su nodo. Es el camino de cada operación.
2. ``class Tensor``: una tabla de métodos. Cada uno es una línea que aplica una operación
   (``__mul__`` es ``_binary(ew.Mul, self, other)``) o es directamente una función de un módulo
   de lógica, que recibe el tensor como primer argumento (``sum = _reduce.sum``):

   ==========================  ================================================================
   ``_math.py``                promoción de tipos de PyTorch, operadores, matmul, clamp, where
   ``_reduce.py``              sum, mean, var/std, normas, max/min, sort/topk, argmax, all/any
   ``_shape.py``               reshape, permute, expand, indexado, split... y cat/stack
   ``_inplace.py``             add_, mul_, copy_, fill_, +=... (con ``_views.py``: vistas)
   ``_compare.py``             ==, <, &, ~, equal, allclose (sin gradiente)
   ``_convert.py``             to, type, float(), item, numpy, bool(t), f"{t:.4f}"
   ``_autograd_methods.py``    backward, requires_grad, register_hook, detach, nodo hoja
   ``_random_methods.py``      uniform_, normal_, bernoulli... (los números de PyTorch)
   ``_numpy_protocol.py``      np.exp(t), array * t: NumPy le pasa la operación a Tensor
   ``_creation_base.py``       de datos de Python a ndarray: ``Tensor(datos)``, ``x + [1, 2]``
   ==========================  ================================================================

3. Al final, la clase se da a los módulos de lógica que la necesitan (``_math.Tensor = Tensor``).
4. Y cada método público se envuelve para que unos argumentos que no encajan den el
   ``TypeError`` en español (``_arguments.py``); un atributo que no existe lo explica
   ``__getattr__`` (``_missing.py``).

Capas (sin círculos de importación, ni siquiera dentro de funciones; lo comprueba
``tests/test_sin_ciclos_de_importacion.py``): los módulos de lógica están por debajo de este
archivo y nunca lo importan; reciben la clase en el paso 3. El motor (``autograd/engine.py``)
está por encima: ``backward`` lo encuentra porque el paquete ``autograd`` se lo da a
``_autograd_methods`` al cargarse.
"""
from types import FunctionType as _FunctionType

import numpy as np

from . import _autograd_methods as _autograd
from . import _capture
from ._arguments import spanish_arguments
from ._missing import missing as _missing_attribute
from . import _compare, _convert, _creation_base, _dtypes, _inplace, _math, _numpy_protocol
from . import _random_methods, _reduce, _shape
from . import _special  # familia activ
from ._compare import no_grad_binary as _no_grad_binary
from ._compare import no_grad_unary as _no_grad_unary
from ._device import Size, _check_device, device  # noqa: F401 (reexportados)
from ._format import format_tensor
from ._math import binary as _binary
from ._math import divide_no_grad as _divide_no_grad
from ._math import float_input as _float_input
from ._random import generator as _generator
from .ops import elementwise as ew
from .ops import unary as un
from .ops import unary_extra as ux
from .ops import selection as sel
from .ops import nnops
# --- familia indice ---
from . import _index, _join, _tensor_misc
from . import _pointwise as _pw   # familia puntual
from . import _counting, _einsum, _facts, _linalg_extra, _order_stats, _reduce_extra   # familia reduc
from . import _torch_functions   # familia firmas
from . import _linalg_decomp   # descomposiciones (svd, qr, eigh)
from . import _tensor_extra   # tamaños, signos y trozos
from . import _op_path   # _apply y _make

# --- 1. el camino de cada operación (_op_path.py) ------------------------------------------------
_apply, _init, _make = _op_path.apply, _op_path.init, _op_path.make


def _rebuild(array, requires_grad):
    """``pickle``: el tensor hoja con sus datos (ver ``Tensor.__reduce_ex__``)."""
    t = _make(array)
    t._requires_grad = requires_grad
    return t


def _deepcopy(t, memo):
    """``copy.deepcopy`` de una hoja (también de una subclase, como ``nn.Parameter``)."""
    if t.grad_fn is not None:
        raise RuntimeError("Solo se pueden copiar con deepcopy tensores hoja (usa .detach()).")
    out = type(t).__new__(type(t))
    _init(out, t._data.copy(), t._requires_grad, None)
    if t._grad is not None:
        out._grad = _make(t._grad._data.copy())
    memo[id(t)] = out
    return out


# --- 2. la clase: una tabla de métodos -----------------------------------------------------------
class Tensor:
    """Tensor N-dimensional con diferenciación automática en modo inverso."""

    __slots__ = ("_data", "_grad", "_requires_grad", "grad_fn", "_version", "_accumulator",
                 "_view", "_hooks", "__weakref__")
    __array_priority__ = 1000   # ndarray * Tensor llama a Tensor.__rmul__

    _apply = staticmethod(_apply)   # t._apply(op, ...): el mismo _apply de arriba
    _wrap = staticmethod(_make)     # Tensor nuevo sobre un array (sin copiarlo)

    def __init__(self, *args, dtype=None, requires_grad=False, device=None):
        """Constructor heredado ``torch.Tensor(datos)`` o ``torch.Tensor(2, 3)`` (float32)."""
        _check_device(device)
        _init(self, _creation_base.legacy_array(args, dtype), False, None)
        if requires_grad:
            self.requires_grad = True

    # --- datos, gradiente y grafo (_autograd_methods.py) -----------------------------------------
    @property
    def data(self):
        """Tensor separado del grafo que comparte memoria (``w.data -= lr * w.grad``)."""
        return _capture.alias(_make(self._data), self)

    @data.setter
    def data(self, value):
        array = value._data if isinstance(value, Tensor) else np.asarray(value)
        _capture.rebind(self, array)
        self._data = array

    @property
    def grad(self):
        return self._grad

    grad = grad.setter(_autograd.set_grad)

    @property
    def requires_grad(self):
        return self._requires_grad

    requires_grad = requires_grad.setter(_autograd.set_requires_grad)
    requires_grad_ = _autograd.requires_grad_

    @property
    def is_leaf(self):
        return self.grad_fn is None

    backward = _autograd.backward
    register_hook = _autograd.register_hook
    retain_grad = _autograd.retain_grad
    retains_grad = property(_autograd.retains_grad)
    detach = _autograd.detach
    detach_ = _autograd.detach_
    _graph_root = _autograd.graph_root
    _grad_accumulator = _autograd.grad_accumulator
    _version_counter = _autograd.version_counter
    _bump_version = _autograd.bump_version

    def clone(self):
        return _apply(ew.Clone, self)

    def contiguous(self, memory_format=None):
        """El mismo tensor si ya es contiguo; si no (p. ej. ``x.t()``), una copia contigua."""
        return self if self._data.flags.c_contiguous else _apply(ew.Clone, self)

    # --- vistas (ver _views.py) ------------------------------------------------------------------
    @property
    def _base(self):
        """El tensor base (raíz) cuya memoria comparte esta vista, o None si no es una vista."""
        return None if self._view is None else self._view.base

    def _is_view(self):
        return self._view is not None

    # --- forma y tipo ----------------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        return Size(self._data.shape) if dim is None else self._data.shape[dim]

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def device(self):
        return device("cpu")

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    def nelement(self):
        return self._data.size

    def element_size(self):
        return self._data.itemsize

    ndimension = dim

    @property
    def nbytes(self):
        return self._data.nbytes

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def is_cpu(self):
        return True

    is_signed, is_complex, get_device = (_tensor_extra.is_signed, _tensor_extra.is_complex,
                                         _tensor_extra.get_device)
    is_same_size, positive, signbit = (_tensor_extra.is_same_size, _tensor_extra.positive,
                                       _tensor_extra.signbit)
    ravel, diagflat, matrix_power = (_tensor_extra.ravel, _tensor_extra.diagflat,
                                     _tensor_extra.matrix_power)
    tensor_split, hsplit = _tensor_extra.tensor_split, _tensor_extra.hsplit
    vsplit, dsplit = _tensor_extra.vsplit, _tensor_extra.dsplit

    @property
    def is_cuda(self):
        return False

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    # --- aritmética (_math.py) -------------------------------------------------------------------
    def __add__(self, other):
        return _binary(ew.Add, self, other)

    def __radd__(self, other):
        return _binary(ew.Add, other, self)

    def __mul__(self, other):
        return _binary(ew.Mul, self, other)

    def __rmul__(self, other):
        return _binary(ew.Mul, other, self)

    def __truediv__(self, other):
        return _binary(ew.Div, self, other, true_div=True)

    def __rtruediv__(self, other):
        return _binary(ew.Div, other, self, true_div=True)

    def __pow__(self, other):
        return _binary(ew.Pow, self, other)

    def __rpow__(self, other):
        return _binary(ew.Pow, other, self)

    def __neg__(self):
        return _apply(ew.Neg, self)

    def __pos__(self):
        return self

    def __floordiv__(self, other):
        return _divide_no_grad(np.floor_divide, self, other, "la división entera //")

    def __rfloordiv__(self, other):
        return _divide_no_grad(np.floor_divide, other, self, "la división entera //")

    def __mod__(self, other):
        return _divide_no_grad(np.remainder, self, other, "el resto %")

    def __rmod__(self, other):
        return _divide_no_grad(np.remainder, other, self, "el resto %")

    def floor_divide(self, other):
        return _divide_no_grad(np.floor_divide, self, other, "floor_divide")

    def remainder(self, other):
        return _divide_no_grad(np.remainder, self, other, "remainder")

    __sub__ = sub = subtract = _math.sub
    __rsub__ = _math.rsub
    div = divide = _math.div
    __matmul__ = matmul = _math.matmul

    def dot(self, tensor):
        return _math.matmul(self, tensor)

    __rmatmul__ = _math.rmatmul
    mm = _math.mm
    bmm = _math.bmm
    clamp = clip = _math.clamp
    add, mul, true_divide = __add__, __mul__, __truediv__

    def pow(self, exponent):
        return _binary(ew.Pow, self, exponent)

    multiply = mul

    def maximum(self, other):
        return _binary(sel.Maximum, self, other)

    def minimum(self, other):
        return _binary(sel.Minimum, self, other)

    def where(self, condition, other):
        return _math.where(condition, self, other)

    # --- elemento a elemento (ops/elementwise.py, unary.py, selection.py, nnops.py) ---------
    def exp(self):
        return _apply(un.Exp, _float_input(self))

    def log(self):
        return _apply(un.Log, _float_input(self))

    def sqrt(self):
        return _apply(un.Sqrt, _float_input(self))

    def abs(self):
        return _apply(un.Abs, self)

    __abs__ = abs   # abs(t), como en PyTorch

    def log1p(self):
        return _apply(un.Log1p, _float_input(self))

    def sin(self):
        return _apply(un.Sin, _float_input(self))

    def cos(self):
        return _apply(un.Cos, _float_input(self))

    def tanh(self):
        return _apply(un.Tanh, _float_input(self))

    def sigmoid(self):
        return _apply(un.Sigmoid, _float_input(self))

    def relu(self):
        return _apply(sel.ReLU, self)

    def neg(self):
        return _apply(ew.Neg, self)

    def square(self):
        return self * self

    def softmax(self, dim=-1, dtype=None):
        return _apply(nnops.Softmax, _float_input(self if dtype is None else self.to(dtype)), axis=dim)

    def log_softmax(self, dim=-1, dtype=None):
        x = self if dtype is None else self.to(dtype)
        return _apply(nnops.LogSoftmax, _float_input(x), axis=dim)

    # --- familia activ: funciones de error (_special.py) -------------------------------
    erf = _special.erf
    erfc = _special.erfc
    erfinv = _special.erfinv
    erf_ = _special.erf_
    erfc_ = _special.erfc_
    erfinv_ = _special.erfinv_

    # --- sin gradiente (_compare.py) -------------------------------------------------------------
    def sign(self):   # escalonadas: en el grafo con gradiente 0, como PyTorch
        return _apply(ux.Step, self, fn="sign")

    def isnan(self):
        return _no_grad_unary(self, np.isnan)

    def isinf(self):
        return _no_grad_unary(self, np.isinf)

    def isfinite(self):
        return _no_grad_unary(self, np.isfinite)

    def floor(self):
        return _apply(ux.Step, self, fn="floor")

    def ceil(self):
        return _apply(ux.Step, self, fn="ceil")

    def round(self, *, decimals=0):
        return _apply(ux.Step, self, fn="round", decimals=decimals)

    def __eq__(self, other):
        return _no_grad_binary(self, np.equal, other)

    def __ne__(self, other):
        return _no_grad_binary(self, np.not_equal, other)

    def __lt__(self, other):
        return _no_grad_binary(self, np.less, other)

    def __le__(self, other):
        return _no_grad_binary(self, np.less_equal, other)

    def __gt__(self, other):
        return _no_grad_binary(self, np.greater, other)

    def __ge__(self, other):
        return _no_grad_binary(self, np.greater_equal, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    __and__ = _compare.and_
    __or__ = _compare.or_
    __invert__ = _compare.invert
    equal = _compare.equal
    allclose = _compare.allclose

    def __hash__(self):
        return id(self)

    # --- familia puntual: _pointwise.py, ops/unary_extra.py, ops/binary_extra.py ---
    absolute = _pw.absolute
    negative = neg
    sgn = _pw.sgn
    tan, sinh, cosh = _pw.tan, _pw.sinh, _pw.cosh
    asin = arcsin = _pw.asin
    acos = arccos = _pw.acos
    atan = arctan = _pw.atan
    asinh = arcsinh = _pw.asinh
    acosh = arccosh = _pw.acosh
    atanh = arctanh = _pw.atanh
    expm1, exp2, log2, log10 = _pw.expm1, _pw.exp2, _pw.log2, _pw.log10
    rsqrt, reciprocal = _pw.rsqrt, _pw.reciprocal
    deg2rad, rad2deg = _pw.deg2rad, _pw.rad2deg
    trunc = fix = _pw.trunc
    frac, logit, nan_to_num = _pw.frac, _pw.logit, _pw.nan_to_num
    isposinf, isneginf = _pw.isposinf, _pw.isneginf
    atan2 = arctan2 = _pw.atan2
    hypot, fmod, fmax, fmin = _pw.hypot, _pw.fmod, _pw.fmax, _pw.fmin
    xlogy, heaviside, lerp, float_power = _pw.xlogy, _pw.heaviside, _pw.lerp, _pw.float_power
    logical_and, logical_or, logical_xor = _pw.logical_and, _pw.logical_or, _pw.logical_xor
    logical_not = _pw.logical_not
    add = _pw.add   # con alpha=, como PyTorch
    sub = subtract = _pw.sub
    absolute_ = _pw.inplace_of(_pw.absolute, "absolute")
    abs_ = _pw.inplace_of(abs, "abs")
    negative_ = neg_ = _pw.inplace_of(neg, "neg")
    sgn_ = _pw.inplace_of(_pw.sgn, "sgn")
    sign_ = _pw.inplace_of(sign, "sign")
    exp_ = _pw.inplace_of(exp, "exp")
    log_ = _pw.inplace_of(log, "log")
    log1p_ = _pw.inplace_of(log1p, "log1p")
    sqrt_ = _pw.inplace_of(sqrt, "sqrt")
    sin_ = _pw.inplace_of(sin, "sin")
    cos_ = _pw.inplace_of(cos, "cos")
    tan_ = _pw.inplace_of(_pw.tan, "tan")
    asin_ = arcsin_ = _pw.inplace_of(_pw.asin, "asin")
    acos_ = arccos_ = _pw.inplace_of(_pw.acos, "acos")
    atan_ = arctan_ = _pw.inplace_of(_pw.atan, "atan")
    sinh_ = _pw.inplace_of(_pw.sinh, "sinh")
    cosh_ = _pw.inplace_of(_pw.cosh, "cosh")
    asinh_ = arcsinh_ = _pw.inplace_of(_pw.asinh, "asinh")
    acosh_ = arccosh_ = _pw.inplace_of(_pw.acosh, "acosh")
    atanh_ = arctanh_ = _pw.inplace_of(_pw.atanh, "atanh")
    expm1_ = _pw.inplace_of(_pw.expm1, "expm1")
    exp2_ = _pw.inplace_of(_pw.exp2, "exp2")
    log2_ = _pw.inplace_of(_pw.log2, "log2")
    log10_ = _pw.inplace_of(_pw.log10, "log10")
    rsqrt_ = _pw.inplace_of(_pw.rsqrt, "rsqrt")
    reciprocal_ = _pw.inplace_of(_pw.reciprocal, "reciprocal")
    deg2rad_ = _pw.inplace_of(_pw.deg2rad, "deg2rad")
    rad2deg_ = _pw.inplace_of(_pw.rad2deg, "rad2deg")
    trunc_ = fix_ = _pw.inplace_of(_pw.trunc, "trunc")
    frac_ = _pw.inplace_of(_pw.frac, "frac")
    logit_, nan_to_num_, lerp_ = _pw.logit_, _pw.nan_to_num_, _pw.lerp_
    atan2_ = arctan2_ = _pw.inplace_of(_pw.atan2, "atan2")
    hypot_ = _pw.inplace_of(_pw.hypot, "hypot")
    fmod_ = _pw.inplace_of(_pw.fmod, "fmod")
    xlogy_ = _pw.inplace_of(_pw.xlogy, "xlogy")
    heaviside_ = _pw.inplace_of(_pw.heaviside, "heaviside")
    float_power_ = _pw.float_power_
    logical_and_ = _pw.inplace_of(_pw.logical_and, "logical_and")
    logical_or_ = _pw.inplace_of(_pw.logical_or, "logical_or")
    logical_xor_ = _pw.inplace_of(_pw.logical_xor, "logical_xor")
    logical_not_ = _pw.inplace_of(_pw.logical_not, "logical_not")
    multiply_ = _pw.inplace_of(__mul__, "multiply")
    true_divide_ = _pw.inplace_of(__truediv__, "true_divide")
    divide_ = _pw.div_
    subtract_ = _pw.subtract_
    addcmul, addcdiv, addcmul_, addcdiv_ = _pw.addcmul, _pw.addcdiv, _pw.addcmul_, _pw.addcdiv_
    relu_ = _pw.inplace_of(relu, "relu")
    sigmoid_ = _pw.inplace_of(sigmoid, "sigmoid")
    tanh_ = _pw.inplace_of(tanh, "tanh")
    square_ = _pw.inplace_of(square, "square")
    pow_ = _pw.inplace_of(pow, "pow")
    floor_ = _pw.inplace_of(floor, "floor")
    ceil_ = _pw.inplace_of(ceil, "ceil")
    round_ = _pw.inplace_of(round, "round")
    floor_divide_ = _pw.inplace_of(floor_divide, "floor_divide")
    remainder_ = _pw.inplace_of(remainder, "remainder")
    eq_, ne_ = _pw.inplace_of(__eq__, "eq"), _pw.inplace_of(__ne__, "ne")
    lt_, le_ = _pw.inplace_of(__lt__, "lt"), _pw.inplace_of(__le__, "le")
    gt_, ge_ = _pw.inplace_of(__gt__, "gt"), _pw.inplace_of(__ge__, "ge")

    # --- reducciones (_reduce.py) ----------------------------------------------------------------
    sum = _reduce.sum
    prod = _reduce.prod
    mean = _reduce.mean
    var = _reduce.var
    std = _reduce.std
    norm = _reduce.norm
    dist = _reduce.dist
    amax = _reduce.amax
    amin = _reduce.amin
    max = _reduce.max
    min = _reduce.min
    sort = _reduce.sort
    topk = _reduce.topk
    argsort = _reduce.argsort
    argmax = _reduce.argmax
    argmin = _reduce.argmin
    all = _reduce.all
    any = _reduce.any

    # --- familia reduc: _reduce_extra.py, _order_stats.py, _counting.py, _facts.py ---
    nansum = _reduce_extra.nansum
    nanmean = _reduce_extra.nanmean
    aminmax = _reduce_extra.aminmax
    logsumexp = _reduce_extra.logsumexp
    count_nonzero = _reduce_extra.count_nonzero
    cumsum = _reduce_extra.cumsum
    cumprod = _reduce_extra.cumprod
    cumsum_ = _reduce_extra.cumsum_
    cumprod_ = _reduce_extra.cumprod_
    cummax = _reduce_extra.cummax
    cummin = _reduce_extra.cummin
    logcumsumexp = _reduce_extra.logcumsumexp
    diff = _reduce_extra.diff
    median = _order_stats.median
    nanmedian = _order_stats.nanmedian
    mode = _order_stats.mode
    kthvalue = _order_stats.kthvalue
    msort = _order_stats.msort
    quantile = _order_stats.quantile
    nanquantile = _order_stats.nanquantile
    unique = _counting.unique
    unique_consecutive = _counting.unique_consecutive
    bincount = _counting.bincount
    histc = _counting.histc
    histogram = _counting.histogram
    greater, greater_ = _facts.greater, _facts.greater_
    greater_equal, greater_equal_ = _facts.greater_equal, _facts.greater_equal_
    less, less_ = _facts.less, _facts.less_
    less_equal, less_equal_ = _facts.less_equal, _facts.less_equal_
    not_equal, not_equal_ = _facts.not_equal, _facts.not_equal_
    isclose = _facts.isclose
    is_nonzero = _facts.is_nonzero
    mv = _linalg_extra.mv
    vdot = _linalg_extra.vdot
    inner = _linalg_extra.inner
    outer = ger = _linalg_extra.outer
    addmm = _linalg_extra.addmm
    addmv = _linalg_extra.addmv
    baddbmm = _linalg_extra.baddbmm
    addmm_ = _linalg_extra.addmm_
    addmv_ = _linalg_extra.addmv_
    baddbmm_ = _linalg_extra.baddbmm_
    kron = _linalg_extra.kron
    cross = _linalg_extra.cross
    trace = _linalg_extra.trace
    det = _linalg_extra.det
    inverse = _linalg_extra.inverse
    svd = _linalg_decomp.svd_torch   # la antigua torch.svd: (U, S, V)

    # --- forma e indexado (_shape.py) ------------------------------------------------------------
    reshape = view = _shape.reshape
    view_as = reshape_as = _shape.view_as
    flatten = _shape.flatten
    unflatten = _shape.unflatten
    squeeze = _shape.squeeze
    unsqueeze = _shape.unsqueeze
    permute = _shape.permute
    transpose = swapaxes = _shape.transpose
    t = _shape.t
    T = property(_shape.reversed_dims)
    mT = property(_shape.matrix_transpose)
    expand = _shape.expand
    expand_as = _shape.expand_as
    repeat = _shape.repeat
    __getitem__ = _shape.getitem
    __setitem__ = _shape.setitem
    narrow = _shape.narrow
    select = _shape.select
    diagonal = _shape.diagonal
    split = _shape.split
    chunk = _shape.chunk
    unbind = _shape.unbind
    __len__ = _shape.length
    __iter__ = _shape.iterate

    # --- in situ (_inplace.py) -------------------------------------------------------------------
    add_ = __iadd__ = _inplace.add_
    sub_ = __isub__ = _inplace.sub_
    mul_ = __imul__ = _inplace.mul_
    div_ = __itruediv__ = _inplace.div_
    zero_ = _inplace.zero_
    fill_ = _inplace.fill_
    copy_ = _inplace.copy_
    clamp_ = clip_ = _inplace.clamp_

    # --- aleatorios in situ: los números de PyTorch (_random_methods.py) -------------------------
    uniform_ = _random_methods.uniform_
    normal_ = _random_methods.normal_
    exponential_ = _random_methods.exponential_
    random_ = _random_methods.random_
    bernoulli_ = _random_methods.bernoulli_
    bernoulli = _random_methods.bernoulli
    multinomial = _random_methods.multinomial

    # --- NumPy y Python (_numpy_protocol.py, _convert.py) ----------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """``np.exp(t)``, ``array * t``: la operación de tinygrad_es (ver _numpy_protocol.py)."""
        return _numpy_protocol.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _numpy_protocol.array_function(func, args, kwargs)

    __array__ = _convert.array
    item = _convert.item
    numpy = _convert.numpy

    def tolist(self):
        _capture.read(self, ".tolist()")
        return self._data.tolist()

    __float__ = _convert.to_float
    __int__ = _convert.to_int
    __index__ = _convert.index
    __bool__ = _convert.to_bool
    __format__ = _convert.format_spec

    def __getattr__(self, name):   # solo si el nombre no existe: t.sumx -> error en español
        raise _missing_attribute("tinygrad_es.Tensor", name, dir(type(self)))

    def __repr__(self):
        _capture.read(self, "print(t)")
        return format_tensor(self)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        return _deepcopy(self, memo)

    # --- familia indice: indexado, unir/reordenar y métodos pequeños --------------
    gather = _index.gather
    scatter = _index.scatter
    scatter_ = _index.scatter_
    scatter_add = _index.scatter_add
    scatter_add_ = _index.scatter_add_
    index_select = _index.index_select
    index_add = _index.index_add
    index_add_ = _index.index_add_
    index_copy = _index.index_copy
    index_copy_ = _index.index_copy_
    index_fill = _index.index_fill
    index_fill_ = _index.index_fill_
    masked_fill = _index.masked_fill
    masked_fill_ = _index.masked_fill_
    masked_select = _index.masked_select
    masked_scatter = _index.masked_scatter
    masked_scatter_ = _index.masked_scatter_
    take = _index.take
    take_along_dim = _index.take_along_dim
    put = _index.put
    put_ = _index.put_
    nonzero = _index.nonzero
    argwhere = _index.argwhere
    tril = _join.tril
    triu = _join.triu
    tril_ = _join.tril_
    triu_ = _join.triu_
    diag = _join.diag
    diag_embed = _join.diag_embed
    flip = _join.flip
    fliplr = _join.fliplr
    flipud = _join.flipud
    roll = _join.roll
    rot90 = _join.rot90
    tile = _join.tile
    repeat_interleave = _join.repeat_interleave
    movedim = moveaxis = _join.movedim
    swapdims = _shape.transpose
    swapaxes = _join.swapaxes   # con los nombres de PyTorch (axis0, axis1)
    broadcast_to = _join.broadcast_to
    unfold = _join.unfold
    new_tensor = _tensor_misc.new_tensor
    new_zeros = _tensor_misc.new_zeros
    new_ones = _tensor_misc.new_ones
    new_full = _tensor_misc.new_full
    new_empty = _tensor_misc.new_empty
    type_as = _tensor_misc.type_as
    is_contiguous = _tensor_misc.is_contiguous
    clamp_min = _tensor_misc.clamp_min
    clamp_max = _tensor_misc.clamp_max
    clamp_min_ = _tensor_misc.clamp_min_
    clamp_max_ = _tensor_misc.clamp_max_
    H = property(_tensor_misc.conj_transpose)
    stride = _tensor_misc.stride
    storage_offset = _tensor_misc.storage_offset
    data_ptr = _tensor_misc.data_ptr
    apply_ = _tensor_misc.apply_
    map_ = _tensor_misc.map_
    sum_to_size = _tensor_misc.sum_to_size

    # --- familia firmas: los nombres de parámetros de PyTorch -------------------------
    div_ = _pw.div_   # con rounding_mode=, como PyTorch (el operador /= no cambia)

    # --- dtype y dispositivo (_convert.py); al final: float, int y bool tapan a los de Python ----
    to = _convert.to
    type = _convert.to_type
    cuda = _convert.cuda

    def cpu(self):
        return self

    def float(self):
        return _convert.to_type(self, _dtypes.float32)

    def double(self):
        return _convert.to_type(self, _dtypes.float64)

    def long(self):
        return _convert.to_type(self, _dtypes.int64)

    def int(self):
        return _convert.to_type(self, _dtypes.int32)

    def bool(self):
        return _convert.to_type(self, _dtypes.bool)

    def half(self):
        return _convert.to_type(self, _dtypes.float16)

    # --- familia indice ---
    def short(self):
        return _convert.to_type(self, _dtypes.int16)

    def byte(self):
        return _convert.to_type(self, _dtypes.uint8)

    def char(self):
        return _convert.to_type(self, _dtypes.int8)


# --- 3. la clase, para los módulos de lógica (que no importan este archivo) ----------------------
for _module in (_autograd, _creation_base, _generator, _inplace, _math, _numpy_protocol,
                _reduce, _shape, _index, _join, _tensor_misc, _pw, _torch_functions, _counting,
                _facts, _linalg_extra, _einsum, _order_stats, _reduce_extra, _linalg_decomp,
                _tensor_extra, _op_path):
    _module.Tensor = Tensor
del _module


# --- 4. un método con argumentos que no encajan: TypeError en español (_arguments.py) ------------
# (una envoltura fina: +1 % de instrucciones por operación diminuta, 0 % en el paso del MLP)
for _name, _method in list(vars(Tensor).items()):
    if not _name.startswith("_") and isinstance(_method, _FunctionType):
        setattr(Tensor, _name, spanish_arguments(_method, f"torch.Tensor.{_name}()"))
del _name, _method
