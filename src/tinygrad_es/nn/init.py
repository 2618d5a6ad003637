"""``nn.init``: inicializaciones de pesos con las fórmulas y los valores por defecto de PyTorch.

Todas escriben en el tensor que reciben (en su sitio, fuera del grafo, como bajo
``no_grad``), conservan su dtype (float32 por defecto) y lo devuelven. Las aleatorias llaman,
como PyTorch, a ``tensor.uniform_``/``tensor.normal_`` dentro de ``no_grad()`` con el generador
global (``torch.manual_seed``) o el ``generator`` dado: tras la misma semilla dan los mismos
pesos que PyTorch (``nn.Linear`` incluido).
"""
import math
import warnings

import numpy as np

from ..autograd.grad_mode import no_grad
from ..errors import user_stacklevel

__all__ = [
    "calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_", "eye_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "trunc_normal_",
]

_LINEAR_FNS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
               "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity, param=None):
    """Ganancia recomendada para una no linealidad (la de PyTorch).

    linear/conv/sigmoid: 1; tanh: 5/3; relu: sqrt(2); leaky_relu: sqrt(2 / (1 + pendiente²))
    (pendiente 0.01 por defecto); selu: 3/4.
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            slope = param
        else:
            raise ValueError(f"La pendiente negativa {param!r} no es un número válido.")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"No linealidad no admitida: {nonlinearity!r}. Usa una de: linear, conv1d, conv2d, "
        "sigmoid, tanh, relu, leaky_relu, selu.")


def _fill(tensor, values):
    """Escribe ``values`` en los datos del tensor (sin grafo) y devuelve el tensor."""
    data = tensor._data
    if data.size == 0:
        warnings.warn("Inicializar un tensor sin elementos no hace nada.", UserWarning,
                      stacklevel=user_stacklevel())
        return tensor
    data[...] = values
    tensor._bump_version()
    return tensor


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Valores de la distribución uniforme en [a, b)."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Valores de la normal N(mean, std²)."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Normal N(mean, std²) truncada a [a, b], con el algoritmo de PyTorch 2.13.

    Si [a, b] recoge más del 30 % de la probabilidad, se sortea la normal y se vuelven a
    sortear (con un tensor entero nuevo, como PyTorch) los valores que caen fuera. Si no, se
    sortean uniformes en [a, b] y se aceptan con probabilidad proporcional a la densidad.
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("trunc_normal_: la media está a más de 2 desviaciones de [a, b]; la "
                      "distribución de los valores puede no ser la esperada.", stacklevel=user_stacklevel())
    data = tensor._data
    with no_grad():
        if _norm_cdf((b - mean) / std) - _norm_cdf((a - mean) / std) > 0.3:
            lo, hi = data.dtype.type(a), data.dtype.type(b)
            tensor.normal_(mean, std, generator=generator)
            outside = (data < lo) | (data > hi)
            while outside.any():
                fresh = type(tensor)._wrap(np.empty_like(data))
                fresh.normal_(mean, std, generator=generator)
                data[outside] = fresh._data[outside]
                outside = (data < lo) | (data > hi)
            tensor._bump_version()
            return tensor
        return _trunc_by_rejection(tensor, mean, std, a, b, generator)


def _norm_cdf(x):
    return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0


def _trunc_by_rejection(tensor, mean, std, a, b, generator):
    """Rama de intervalos estrechos: uniformes en [a, b] aceptadas con log(u) <= log densidad.
    (Usa el log float32 de NumPy: puede diferir de PyTorch en algún empate rarísimo.)"""
    data = tensor._data
    mode = max(a, min(mean, b))
    log_peak = -0.5 * ((mode - mean) / std) ** 2
    wrap = type(tensor)._wrap

    def log_density(values):
        out = (values - data.dtype.type(mean)) / data.dtype.type(std)
        return (out ** 2 * data.dtype.type(-0.5)) - data.dtype.type(log_peak)

    tensor.uniform_(a, b, generator=generator)
    pending = np.log(wrap(np.empty_like(data)).uniform_(generator=generator)._data) > \
        log_density(data)
    while pending.any():
        candidates = wrap(np.empty_like(data)).uniform_(a, b, generator=generator)._data
        data[pending] = candidates[pending]
        accept = np.log(wrap(np.empty_like(data)).uniform_(generator=generator)._data)
        pending &= accept > log_density(candidates)
    tensor._bump_version()
    return tensor


def constant_(tensor, val):
    return _fill(tensor, val)


def ones_(tensor):
    return _fill(tensor, 1)


def zeros_(tensor):
    return _fill(tensor, 0)


def eye_(tensor):
    """Matriz identidad en un tensor de 2 dimensiones."""
    if tensor._data.ndim != 2:
        raise ValueError(
            f"eye_ solo admite tensores de 2 dimensiones, pero este tiene forma "
            f"{tuple(tensor._data.shape)}.")
    return _fill(tensor, np.eye(*tensor._data.shape))


def _calculate_fan_in_and_fan_out(tensor):
    shape = tensor._data.shape
    if len(shape) < 2:
        raise ValueError(
            f"No se pueden calcular fan_in y fan_out de un tensor con menos de 2 dimensiones "
            f"(forma {tuple(shape)}): estas inicializaciones son para pesos, no para sesgos.")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Modo {mode!r} no admitido: usa 'fan_in' o 'fan_out'.")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot uniforme: U(-a, a) con a = gain · sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std      # en este orden, como PyTorch (mismo redondeo)
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot normal: N(0, std²) con std = gain · sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        raise ValueError("kaiming: fan_in/fan_out es 0 (el tensor tiene una dimensión vacía).")
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def _empty_noop(tensor):
    """PyTorch no toca (y avisa) un tensor sin elementos en kaiming_*: no sortea nada."""
    if tensor._data.size == 0:
        warnings.warn("Inicializar un tensor sin elementos no hace nada.", UserWarning,
                      stacklevel=user_stacklevel())
        return True
    return False


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He uniforme: U(-b, b) con b = gain · sqrt(3 / fan). Con a=0, b = sqrt(6 / fan_in)."""
    if _empty_noop(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He normal: N(0, std²) con std = gain / sqrt(fan). Con a=0, std = sqrt(2 / fan_in)."""
    if _empty_noop(tensor):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


# --- familia perdidas: dirac_ y orthogonal_ ------------------------------------
from ._init_extra import dirac_, orthogonal_, sparse_  # noqa: E402

__all__ += ["dirac_", "orthogonal_", "sparse_"]


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from .._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.nn.init.")
