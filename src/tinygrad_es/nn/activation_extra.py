"""Más activaciones como módulos (``ReLU6``, ``ELU``, ``GELU``, ``PReLU``, ``Softplus``...).

Cada una llama a su función de ``nn.functional``; ``extra_repr`` es el de PyTorch (lo que se ve
al imprimir el modelo).
"""
import operator
import warnings

import numpy as np

from .. import _dtypes
from ..tensor import _check_device, _make
from . import _functional_activations as F
from ._functional_shuffle_rrelu import rrelu
from . import init
from .module import Module
from .parameter import Parameter
from ..errors import user_stacklevel


def _inplace_repr(module, first=False):
    if not module.inplace:
        return ""
    return "inplace=True" if first else ", inplace=True"


class Threshold(Module):
    """``value`` donde x <= threshold; x en el resto."""

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}" + _inplace_repr(self)


class Hardtanh(Module):
    """clamp(x, min_val, max_val) con gradiente 0 en los bordes."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
        super().__init__()
        if min_value is not None:
            warnings.warn("El argumento min_value está obsoleto: usa min_val.", FutureWarning,
                          stacklevel=user_stacklevel())
            min_val = min_value
        if max_value is not None:
            warnings.warn("El argumento max_value está obsoleto: usa max_val.", FutureWarning,
                          stacklevel=user_stacklevel())
            max_val = max_value
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace
        if self.max_val <= self.min_val:
            raise AssertionError(
                f"Hardtanh: max_val ({self.max_val}) debe ser mayor que min_val "
                f"({self.min_val}).")

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}" + _inplace_repr(self)


class ReLU6(Hardtanh):
    """min(max(x, 0), 6)."""

    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return _inplace_repr(self, first=True)


class _InplaceModule(Module):
    """Activación sin parámetros con ``inplace`` (``_function`` la calcula)."""

    _function = None
    _show_inplace = True   # Hardsigmoid y Hardswish no lo muestran (como PyTorch)

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return type(self)._function(input, inplace=self.inplace)

    def extra_repr(self):
        return _inplace_repr(self, first=True) if self._show_inplace else ""


class SELU(_InplaceModule):
    """scale·elu(x, alpha) con las constantes autonormalizantes."""

    _function = staticmethod(F.selu)


class Mish(_InplaceModule):
    """x · tanh(softplus(x))."""

    _function = staticmethod(F.mish)


class Hardsigmoid(_InplaceModule):
    """0 si x <= -3, 1 si x >= 3, x/6 + 1/2 en medio."""

    _function = staticmethod(F.hardsigmoid)
    _show_inplace = False


class Hardswish(_InplaceModule):
    """x · hardsigmoid(x)."""

    _function = staticmethod(F.hardswish)
    _show_inplace = False


class _AlphaModule(Module):
    _function = None

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input):
        return type(self)._function(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + _inplace_repr(self)


class ELU(_AlphaModule):
    """x si x > 0; alpha·(exp(x) - 1) si no."""

    _function = staticmethod(F.elu)


class CELU(_AlphaModule):
    """x si x > 0; alpha·(exp(x/alpha) - 1) si no."""

    _function = staticmethod(F.celu)


class GELU(Module):
    """x·Φ(x); ``approximate='tanh'`` usa la aproximación con tanh."""

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + exp(β·x))/β; x tal cual donde β·x > threshold."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class _LambdModule(Module):
    _function = None

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return type(self)._function(input, self.lambd)

    def extra_repr(self):
        return f"{self.lambd}"


class Softshrink(_LambdModule):
    """x - λ si x > λ, x + λ si x < -λ, 0 en medio."""

    _function = staticmethod(F.softshrink)


class Hardshrink(_LambdModule):
    """x si |x| > λ, 0 si no."""

    _function = staticmethod(F.hardshrink)


class LogSigmoid(Module):
    """log(sigmoid(x)), estable para |x| grande."""

    def forward(self, input):
        return F.logsigmoid(input)


class Softsign(Module):
    """x / (1 + |x|)."""

    def forward(self, input):
        return F.softsign(input)


class Tanhshrink(Module):
    """x - tanh(x)."""

    def forward(self, input):
        return F.tanhshrink(input)


class GLU(Module):
    """a · sigmoid(b), con a y b las dos mitades de la entrada a lo largo de ``dim``."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class PReLU(Module):
    """x si x > 0; ``weight * x`` si no, con ``weight`` aprendido: uno común
    (``num_parameters=1``) o uno por canal (la dimensión 1 de la entrada)."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        _check_device(device)
        try:
            self.num_parameters = operator.index(num_parameters)
        except TypeError:
            raise TypeError(
                f"nn.PReLU: num_parameters debe ser un entero (el número de canales), pero es "
                f"{num_parameters!r}.") from None
        if self.num_parameters < 0:
            raise RuntimeError(
                f"nn.PReLU: num_parameters no puede ser negativo, y es {self.num_parameters}.")
        self.init = init
        dtype = np.dtype(dtype or _dtypes.default_float)
        self.weight = Parameter(_make(np.empty((self.num_parameters,), dtype)))
        self.reset_parameters()

    def reset_parameters(self):
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """ReLU con pendiente aleatoria (``F.rrelu``): en entrenamiento, cada elemento negativo se
    multiplica por una pendiente sorteada en ``U(lower, upper)``; en ``eval()``, por
    ``(lower + upper) / 2``.

    Ejemplo::

        >>> capa = nn.RReLU(0.1, 0.3)
        >>> capa.eval()(torch.tensor([-1.0, 2.0]))
        tensor([-0.2000,  2.0000])
    """

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input):
        return rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        inplace = ", inplace=True" if self.inplace else ""
        return f"lower={self.lower}, upper={self.upper}{inplace}"
