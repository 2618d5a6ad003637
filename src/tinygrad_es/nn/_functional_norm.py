"""``F.batch_norm``, ``F.layer_norm`` y ``F.group_norm`` (los reexporta ``nn.functional``).

Las tres llaman a una operación fusionada de ``ops/normalization.py`` (un nodo, backward
cerrado). ``batch_norm`` en entrenamiento actualiza además la estadística móvil en su sitio,
como PyTorch: la media y la varianza **insesgada** del lote (la sesgada es la que normaliza).
"""
import math
import numbers

import numpy as np

from ..ops import normalization as nz
from ..tensor import Tensor
from .._capture import array_step

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm"]


def _check_tensor(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{fn} espera un tensor, pero recibió {type(x).__name__}. Conviértelo con "
            "torch.tensor(...).")


def _check_size(param, name, size, fn):
    if param is not None and param._data.size != size:
        raise RuntimeError(
            f"{fn}: {name} debe tener {size} elementos (uno por canal) pero tiene "
            f"{param._data.size}.")


def _float_dtype_check(input, fn, *params):
    dtype = input._data.dtype
    if dtype.kind != "f":
        raise RuntimeError(
            f"{fn} necesita una entrada de punto flotante, pero recibió "
            f"{input.dtype}. Conviértela con .float().")
    for name, p in params:
        if p is not None and p._data.dtype != dtype:
            raise RuntimeError(
                f"{fn}: la entrada es {input.dtype} pero {name} es {p.dtype}; deben ser del "
                "mismo tipo (convierte el módulo con .float() o .double()).")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """Normaliza cada canal (eje 1) con la media y la varianza del lote (``training=True``)
    o con ``running_mean``/``running_var`` (``training=False``).

    En entrenamiento, si se pasan ``running_mean`` y ``running_var`` se actualizan en su sitio:
    ``r = (1 - momentum)·r + momentum·estadística`` (varianza insesgada).
    """
    _check_tensor(input, "batch_norm")
    x = input._data
    if x.ndim < 2:
        raise IndexError(
            f"batch_norm espera una entrada de al menos 2 dimensiones (N, C, ...), pero recibió "
            f"una de forma {tuple(x.shape)}.")
    _float_dtype_check(input, "batch_norm", ("weight", weight), ("bias", bias))
    channels = x.shape[1]
    for name, p in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        _check_size(p, name, channels, "batch_norm")
    axes = (0,) + tuple(range(2, x.ndim))
    pshape = (channels,) + (1,) * (x.ndim - 2)
    count = x.size // channels if channels else 0
    options = dict(gshape=x.shape, axes=axes, pshape=pshape, paxes=axes, eps=float(eps))
    if training:
        if count == 1:
            raise ValueError(
                "Se esperaba más de un valor por canal en entrenamiento, pero la entrada tiene "
                f"forma {tuple(x.shape)} (un solo valor por canal). Usa un lote mayor o pon el "
                "modelo en eval().")
        mean, var = _batch_stats(x, axes)
        options["stats"] = (mean, var)
        _update_running(running_mean, running_var, mean, var, count, momentum)
    else:
        if running_mean is None:
            raise RuntimeError(
                "batch_norm: en modo evaluación (training=False) hace falta running_mean "
                "(la estadística móvil); pásala o usa training=True.")
        if running_var is None:
            raise RuntimeError(
                "batch_norm: en modo evaluación (training=False) hace falta running_var "
                "(la estadística móvil); pásala o usa training=True.")
        options["stats"] = _running_stats(running_mean, running_var, x.ndim, x.dtype)
        options["fixed"] = True
    return Tensor._apply(nz.BatchNorm, input, weight, bias, **options)


@array_step   # con tinygrad_es.compile se recalculan en cada llamada
def _batch_stats(x, axes):
    """Media y varianza sesgada del lote por canal (forma (1, C, 1, ...))."""
    mean = np.mean(x, axis=axes, keepdims=True)
    centered = x - mean
    return mean, np.mean(centered * centered, axis=axes, keepdims=True)


@array_step
def _running_stats(running_mean, running_var, ndim, dtype):
    """Las estadísticas móviles con la forma (1, C, 1, ...) y el dtype de la entrada."""
    shape = (1, running_mean._data.shape[0]) + (1,) * (ndim - 2)
    return (running_mean._data.reshape(shape).astype(dtype, copy=False),
            running_var._data.reshape(shape).astype(dtype, copy=False))


@array_step
def _update_running(running_mean, running_var, mean, var, count, momentum):
    """La actualización de PyTorch, en su sitio y fuera del grafo."""
    momentum = float(momentum)
    if running_mean is not None:
        data = running_mean._data
        data *= data.dtype.type(1 - momentum)
        data += (mean.reshape(-1) * momentum).astype(data.dtype, copy=False)
        running_mean._bump_version()
    if running_var is not None:
        data = running_var._data
        unbiased = var.reshape(-1) * (count / (count - 1))
        data *= data.dtype.type(1 - momentum)
        data += (unbiased * momentum).astype(data.dtype, copy=False)
        running_var._bump_version()


def _check_normalized_shape(input, normalized_shape, fn, params):
    if isinstance(normalized_shape, numbers.Integral):
        raise TypeError(
            f"{fn}: normalized_shape debe ser una tupla o lista de enteros, no un int "
            f"({normalized_shape}); escribe ({normalized_shape},).")
    shape = tuple(int(s) for s in normalized_shape)
    x = input._data
    k = len(shape)
    if k == 0 or x.ndim < k or tuple(x.shape[x.ndim - k:]) != shape:
        raise RuntimeError(
            f"{fn}: con normalized_shape={list(shape)} la entrada debe tener forma "
            f"[*, {', '.join(map(str, shape))}], pero tiene forma {list(x.shape)}.")
    _float_dtype_check(input, fn, *params)
    for name, p in params:
        if p is not None and tuple(p._data.shape) != shape:
            raise RuntimeError(
                f"{fn}: {name} debe tener forma {list(shape)} (normalized_shape), pero "
                f"tiene forma {list(p._data.shape)}.")
    return shape


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Normaliza cada muestra sobre sus últimas dimensiones (las de ``normalized_shape``)."""
    _check_tensor(input, "layer_norm")
    shape = _check_normalized_shape(input, normalized_shape, "layer_norm",
                                    (("weight", weight), ("bias", bias)))
    x = input._data
    k = len(shape)
    lead = x.ndim - k
    axes = tuple(range(lead, x.ndim))
    return Tensor._apply(nz.LayerNorm, input, weight, bias, gshape=x.shape, axes=axes,
                         pshape=shape, paxes=tuple(range(lead)), eps=float(eps))


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """Normaliza cada muestra por grupos de canales: los C canales se parten en
    ``num_groups`` grupos consecutivos."""
    _check_tensor(input, "group_norm")
    x = input._data
    if x.ndim < 2:
        raise RuntimeError(
            f"group_norm espera una entrada de al menos 2 dimensiones (N, C, ...), pero recibió "
            f"una de forma {list(x.shape)}.")
    n, channels = x.shape[0], x.shape[1]
    if num_groups <= 0 or channels % num_groups:
        raise RuntimeError(
            f"group_norm: el número de canales ({channels}, forma {list(x.shape)}) debe ser "
            f"divisible por num_groups={num_groups}.")
    _float_dtype_check(input, "group_norm", ("weight", weight), ("bias", bias))
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and (p._data.ndim != 1 or p._data.size != channels):
            raise RuntimeError(
                f"group_norm: {name} debe ser un vector de {channels} elementos (uno por canal), "
                f"pero tiene forma {list(p._data.shape)}.")
    rest = math.prod(x.shape[1:]) // num_groups if num_groups else 0
    paxes = (0,) + tuple(range(2, x.ndim))
    return Tensor._apply(nz.GroupNorm, input, weight, bias, gshape=(n, num_groups, rest),
                         axes=(2,), pshape=(channels,) + (1,) * (x.ndim - 2), paxes=paxes,
                         eps=float(eps))


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Divide cada muestra entre su raíz cuadrática media sobre las últimas dimensiones:
    ``x / sqrt(media(x²) + eps) · weight``. ``eps=None`` es el épsilon del tipo (como
    PyTorch). Es una composición, como en PyTorch (su grad_fn es ``MulBackward0``)."""
    _check_tensor(input, "rms_norm")
    shape = _check_normalized_shape(input, normalized_shape, "rms_norm", (("weight", weight),))
    dtype = input._data.dtype
    eps = float(np.finfo(dtype).eps) if eps is None else float(eps)
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    out = input * (1 / ((input * input).mean(dim=dims, keepdim=True) + eps).sqrt())
    return out if weight is None else out * weight


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05):
    """Normaliza cada canal de cada muestra por separado (sobre sus ejes espaciales).

    Como PyTorch: es ``batch_norm`` sobre la entrada vista como (1, N·C, ...), con el peso, el
    sesgo y la estadística móvil repetidos N veces; la estadística móvil nueva es la media de
    las N copias actualizadas.
    """
    _check_tensor(input, "instance_norm")
    shape = tuple(input.shape)
    if len(shape) < 2:
        raise RuntimeError(
            f"instance_norm espera una entrada (N, C, ...) de al menos 2 dimensiones, pero "
            f"recibió una de forma {list(shape)}.")
    if use_input_stats and math.prod(shape[2:]) == 1:
        raise ValueError(
            "instance_norm: se esperaba más de un elemento espacial por canal al usar la "
            f"estadística de la entrada, pero la entrada tiene forma {list(shape)}.")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError(
            "instance_norm: con use_input_stats=False hacen falta running_mean y running_var.")
    n, c = shape[0], shape[1]
    for name, p in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        _check_size(p, name, c, "instance_norm")

    def repeated(t):
        return None if t is None else t.repeat(n)

    def running(t):
        return None if t is None else Tensor._wrap(np.tile(t._data, n))

    mean_n, var_n = running(running_mean), running(running_var)
    out = batch_norm(input.reshape(1, n * c, *shape[2:]), mean_n, var_n, repeated(weight),
                     repeated(bias), use_input_stats, momentum, eps)
    for target, copies in ((running_mean, mean_n), (running_var, var_n)):
        if target is not None:
            target._data[...] = copies._data.reshape(n, c).mean(axis=0)
            target._bump_version()
    return out.reshape(shape)
