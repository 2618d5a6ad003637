"""Activaciones de ``nn.functional`` (relu6, elu, gelu, softplus, glu, prelu...), sus variantes in
situ (``inplace=True`` y ``F.elu_``...) y ``normalize``, ``cosine_similarity`` y
``pairwise_distance``. ``functional.py`` las reexporta; las derivadas están en
``ops/activations.py``.
"""
import builtins

import numpy as np

from .. import _dtypes, _special, _torch_functions
from ..autograd.grad_mode import no_grad
from ..ops import activations as act
from ..ops import selection as sel
from ..ops.base import normalize_axis
from ..tensor import Tensor

_apply = Tensor._apply

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _check_tensor(x, fn, name="input"):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{fn}(): el argumento '{name}' debe ser un Tensor, no {type(x).__name__}. "
            "Conviértelo con torch.tensor(...).")


def _floating(input, fn):
    """Como PyTorch: estas activaciones no están implementadas para enteros ni bool."""
    _check_tensor(input, fn)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"{fn} no está implementada para tensores de tipo "
            f"{_dtypes.dtype_name(input._data.dtype)}: conviértelo antes con .float().")


def _run(input, op, inplace, **options):
    """``op`` sobre ``input``; con ``inplace=True``, escrita en la memoria de ``input``."""
    if inplace:
        return _special.unary_(input, op, **options)
    return _apply(op, input, **options)


# --- a trozos ----------------------------------------------------------------------------------
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """clamp(x, min_val, max_val); gradiente 0 en los bordes (como PyTorch)."""
    _check_tensor(input, "hardtanh")
    if min_val > max_val:
        raise ValueError(
            f"hardtanh: min_val ({min_val}) no puede ser mayor que max_val ({max_val}).")
    return _run(input, act.Hardtanh, inplace, min_val=min_val, max_val=max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh entre 0 y 6."""
    _check_tensor(input, "relu6")
    return _run(input, act.Hardtanh, inplace, min_val=0.0, max_val=6.0)


def hardsigmoid(input, inplace=False):
    """0 si x <= -3, 1 si x >= 3, x/6 + 1/2 en medio."""
    _floating(input, "hardsigmoid")
    return _run(input, act.Hardsigmoid, inplace)


def hardswish(input, inplace=False):
    """x · hardsigmoid(x)."""
    _floating(input, "hardswish")
    return _run(input, act.Hardswish, inplace)


def _check_lambd(lambd, fn):
    if not lambd >= 0:
        raise RuntimeError(f"{fn}: lambd debe ser >= 0, pero es {lambd}.")


def softshrink(input, lambd=0.5):
    """x - λ si x > λ, x + λ si x < -λ, 0 en medio."""
    _floating(input, "softshrink")
    _check_lambd(lambd, "softshrink")
    return _apply(act.Softshrink, input, lambd=builtins.float(lambd))


def hardshrink(input, lambd=0.5):
    """x si |x| > λ, 0 si no."""
    _floating(input, "hardshrink")
    return _apply(act.Hardshrink, input, lambd=builtins.float(lambd))


def threshold(input, threshold, value, inplace=False):
    """``value`` donde x <= threshold; x en el resto."""
    _check_tensor(input, "threshold")
    return _run(input, act.Threshold, inplace, threshold=threshold, value=value)


_threshold = threshold


def threshold_(input, threshold, value):
    return _threshold(input, threshold, value, inplace=True)


def relu_(input):
    """relu in situ."""
    _check_tensor(input, "relu_")
    return _special.unary_(input, sel.ReLU)


def leaky_relu_(input, negative_slope=0.01):
    """leaky_relu in situ."""
    _check_tensor(input, "leaky_relu_")
    return _special.unary_(input, sel.LeakyReLU, negative_slope=builtins.float(negative_slope))


def prelu(input, weight):
    """x si x > 0; ``weight[c] * x`` si no, con un peso por canal (dimensión 1) o uno común."""
    _check_tensor(input, "prelu")
    _check_tensor(weight, "prelu", "weight")
    w = weight._data
    if w.ndim > 1:
        raise RuntimeError(
            f"prelu: weight debe ser un escalar o un tensor 1-D, pero tiene forma "
            f"{tuple(w.shape)}.")
    if input._data.dtype != w.dtype:
        raise RuntimeError(
            f"prelu: la entrada es {_dtypes.dtype_name(input._data.dtype)} y el peso "
            f"{_dtypes.dtype_name(w.dtype)}; deben ser del mismo tipo (convierte la entrada con "
            ".float() o .double()).")
    ndim = input._data.ndim
    channels = input._data.shape[1] if ndim >= 2 else 1
    if w.size == 1:
        weight = weight.reshape(())
    elif w.size != channels:
        raise RuntimeError(
            f"prelu: hay {w.size} parámetros pero la entrada tiene {channels} canales (su "
            f"dimensión 1, forma {tuple(input._data.shape)}): usa nn.PReLU({channels}) o "
            "nn.PReLU() (un parámetro común).")
    else:
        weight = weight.reshape((channels,) + (1,) * (ndim - 2))
    return _apply(act.Prelu, input, weight)


# --- suaves ------------------------------------------------------------------------------------
def _elu(input, fn, inplace, alpha, scale, input_scale, celu=False):
    _floating(input, fn)
    return _run(input, act.Elu, inplace, alpha=builtins.float(alpha), scale=scale,
                input_scale=input_scale, celu=celu)


def elu(input, alpha=1.0, inplace=False):
    """x si x > 0; alpha·(exp(x) - 1) si no."""
    return _elu(input, "elu", inplace, alpha, 1.0, 1.0)


def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """scale·elu(x, alpha) con las constantes autonormalizantes de Klambauer et al. (2017)."""
    return _elu(input, "selu", inplace, SELU_ALPHA, SELU_SCALE, 1.0)


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """x si x > 0; alpha·(exp(x/alpha) - 1) si no."""
    if alpha == 0:
        raise RuntimeError("celu: alpha no puede ser 0 (se divide por alpha).")
    return _elu(input, "celu", inplace, alpha, 1.0, 1.0 / alpha, celu=True)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def gelu(input, approximate="none"):
    """x·Φ(x), con Φ la distribución normal; ``approximate='tanh'`` usa la aproximación con tanh."""
    _floating(input, "gelu")
    if approximate not in ("none", "tanh"):
        raise RuntimeError(
            f"gelu: approximate debe ser 'none' o 'tanh', pero es {approximate!r}.")
    return _apply(act.Gelu, input, approximate=approximate)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(β·x))/β; x tal cual donde β·x > threshold."""
    _floating(input, "softplus")
    return _apply(act.Softplus, input, beta=builtins.float(beta),
                  threshold=builtins.float(threshold))


def logsigmoid(input):
    """log(sigmoid(x)), estable para |x| grande."""
    _floating(input, "logsigmoid")
    return _apply(act.LogSigmoid, input)


def silu(input, inplace=False):
    """x · sigmoid(x) (también llamada swish)."""
    _floating(input, "silu")
    return _run(input, act.Silu, inplace)


def mish(input, inplace=False):
    """x · tanh(softplus(x))."""
    _floating(input, "mish")
    return _run(input, act.Mish, inplace)


def softsign(input):
    """x / (1 + |x|) (como PyTorch, una composición)."""
    _check_tensor(input, "softsign")
    return input / (input.abs() + 1)


def tanhshrink(input):
    """x - tanh(x) (como PyTorch, una composición)."""
    _check_tensor(input, "tanhshrink")
    return input - input.tanh()


def glu(input, dim=-1):
    """a · sigmoid(b), con a y b las dos mitades de la entrada a lo largo de ``dim``."""
    _check_tensor(input, "glu")
    shape = input._data.shape
    if not shape:
        raise RuntimeError(
            "glu no admite tensores 0-d (escalares): necesita una dimensión de tamaño par que "
            "partir en dos mitades.")
    (axis,) = normalize_axis(dim, len(shape))
    if shape[axis] % 2:
        raise RuntimeError(
            f"glu parte la dimensión {dim} en dos mitades, así que su tamaño debe ser par, pero "
            f"es {shape[axis]} (forma {tuple(shape)}).")
    _floating(input, "glu")
    return _apply(act.Glu, input, axis=axis)


# --- distancias y normalización -----------------------------------------------------------------
def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """x / max(‖x‖_p, eps) a lo largo de ``dim`` (por defecto, cada fila de un lote)."""
    _check_tensor(input, "normalize")
    if input._data.dtype.kind != "f":
        raise RuntimeError(
            f"normalize necesita un tensor de punto flotante, y la entrada es "
            f"{_dtypes.dtype_name(input._data.dtype)}. Conviértela con .float().")
    denom = input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)
    if out is None:
        return input / denom
    return _write_out(input / denom, out, "normalize", input)


def _write_out(result, out, fn, *inputs):
    """``out=``: la regla única del paquete (``_torch_functions.write_out``)."""
    _check_tensor(out, fn, "out")
    return _torch_functions.write_out(result, out, fn, inputs)
    with no_grad():
        out.copy_(result)
    return out


def _check_float_pair(x1, x2, fn):
    _check_tensor(x1, fn, "x1")
    _check_tensor(x2, fn, "x2")
    if x1._data.dtype.kind != "f" and x2._data.dtype.kind != "f":
        raise RuntimeError(
            f"{fn} necesita tensores de punto flotante, pero x1 es "
            f"{_dtypes.dtype_name(x1._data.dtype)} y x2 {_dtypes.dtype_name(x2._data.dtype)}. "
            "Conviértelos con .float().")


def _broadcast_pair(x1, x2, fn):
    try:
        shape = np.broadcast_shapes(x1._data.shape, x2._data.shape)
    except ValueError:
        raise RuntimeError(
            f"{fn}: las formas de x1 {tuple(x1._data.shape)} y x2 {tuple(x2._data.shape)} no se "
            "pueden difundir (cada dimensión debe coincidir o ser 1).") from None
    return x1.expand(*shape), x2.expand(*shape)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Σ (x1/max(‖x1‖, eps)) · (x2/max(‖x2‖, eps)) a lo largo de ``dim``: la fórmula de PyTorch
    2.13, que normaliza antes de multiplicar (el resultado queda en [-1, 1]). Como allí, el límite
    ``eps`` se aplica sin gradiente: la derivada pasa por ‖x‖ aunque sea menor que ``eps``."""
    _check_float_pair(x1, x2, "cosine_similarity")
    common = _dtypes.promote_types(x1._data.dtype, x2._data.dtype)
    if x1._data.dtype.kind != "f":
        x1 = x1.type(common)
    if x2._data.dtype.kind != "f":
        x2 = x2.type(common)
    x1, x2 = _broadcast_pair(x1, x2, "cosine_similarity")
    n1 = x1.norm(2, dim, keepdim=True).clone()
    n2 = x2.norm(2, dim, keepdim=True).clone()
    with no_grad():
        n1.clamp_(min=eps)
        n2.clamp_(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """‖x1 - x2 + eps‖_p a lo largo de la última dimensión (la de más dimensiones de las dos)."""
    _check_tensor(x1, "pairwise_distance", "x1")
    _check_tensor(x2, "pairwise_distance", "x2")
    x1b, x2b = _broadcast_pair(x1, x2, "pairwise_distance")
    diff = x1b - x2b + eps
    return diff.norm(p, -1, keepdim=keepdim)
