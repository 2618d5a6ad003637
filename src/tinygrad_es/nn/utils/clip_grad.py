"""Recorte de gradientes (``clip_grad_norm_``, ``clip_grad_value_``) como en PyTorch.

Trabajan sobre ``p.grad`` de cada parámetro, en su sitio y fuera del grafo (como bajo
``no_grad``). La norma total es la norma de las normas de cada gradiente (en el dtype de los
gradientes) y se devuelve como Tensor de 0 dimensiones.
"""
import math
import warnings

import numpy as np

from ...autograd.grad_mode import no_grad
from ...tensor import Tensor
from ...errors import user_stacklevel
from ..._capture import macro

_EPS = 1e-6   # el de PyTorch en max_norm / (norma + 1e-6)


def _as_list(tensors, fn):
    if isinstance(tensors, Tensor):
        return [tensors]
    try:
        return list(tensors)
    except TypeError:
        raise TypeError(
            f"{fn} espera un tensor o un iterable de tensores (p. ej. modelo.parameters()), "
            f"pero recibió {type(tensors).__name__}.") from None


def _grads(parameters, fn):
    grads = []
    for p in _as_list(parameters, fn):
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{fn} espera tensores (parámetros), pero recibió un {type(p).__name__}.")
        if p.grad is not None:
            grads.append(p.grad)
    return grads


def _vector_norm(data, p):
    """La ``vector_norm`` de PyTorch sobre todos los elementos, en el dtype de ``data``."""
    a = np.abs(data)
    if p == math.inf:
        return a.max() if a.size else data.dtype.type(0)
    if p == -math.inf:
        return a.min() if a.size else data.dtype.type(math.inf)
    if p == 0:
        return data.dtype.type(np.count_nonzero(data))
    if p == 1:
        return a.sum(dtype=data.dtype)
    if p == 2:
        return np.sqrt(np.vdot(a.ravel(), a.ravel()))
    return (a ** data.dtype.type(p)).sum(dtype=data.dtype) ** data.dtype.type(1.0 / p)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Norma ``norm_type`` de todos los tensores juntos (la norma de sus normas)."""
    tensors = _as_list(tensors, "get_total_norm")
    norm_type = float(norm_type)
    if not tensors:
        return Tensor._wrap(np.array(0.0, dtype=np.float32))
    norms = [_vector_norm(t._data, norm_type) for t in tensors]
    dtype = np.result_type(*[t._data.dtype for t in tensors])
    total = _vector_norm(np.array(norms, dtype=dtype), norm_type)
    total = np.asarray(total, dtype=dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"La norma total de orden {norm_type} de los gradientes es {float(total)} (no "
            "finita), así que no se pueden recortar: hay gradientes inf o nan (revisa la tasa "
            "de aprendizaje, la pérdida o los datos). Para recortar igualmente, usa "
            "error_if_nonfinite=False.")
    return Tensor._wrap(total)


@macro
def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Multiplica cada gradiente por ``min(1, max_norm / (total_norm + 1e-6))``."""
    grads = _grads(parameters, "clip_grads_with_norm_")
    if not grads:
        return
    total = total_norm._data if isinstance(total_norm, Tensor) else np.asarray(total_norm)
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.minimum(max_norm / (total + total.dtype.type(_EPS)), total.dtype.type(1.0))
    with no_grad():
        for g in grads:
            data = g._data
            np.multiply(data, coef.astype(data.dtype), out=data)
            g._bump_version()


@macro
def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Recorta los gradientes para que su norma total no pase de ``max_norm``.

    Devuelve la norma total **antes** de recortar (un Tensor de 0 dimensiones). ``norm_type``
    puede ser ``float('inf')`` (el máximo valor absoluto). ``foreach`` se acepta y no cambia
    el resultado.
    """
    parameters = _as_list(parameters, "clip_grad_norm_")
    grads = _grads(parameters, "clip_grad_norm_")
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, float(max_norm), total, foreach)
    return total


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Nombre antiguo de ``clip_grad_norm_`` (avisa y hace lo mismo)."""
    warnings.warn(
        "torch.nn.utils.clip_grad_norm está obsoleto: usa torch.nn.utils.clip_grad_norm_ "
        "(con guion bajo al final, porque modifica los gradientes en su sitio).",
        FutureWarning, stacklevel=user_stacklevel())
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@macro
def clip_grad_value_(parameters, clip_value, foreach=None):
    """Recorta cada elemento de cada gradiente al intervalo ``[-clip_value, clip_value]``."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters, "clip_grad_value_"):
            data = g._data
            np.clip(data, -clip_value, clip_value, out=data)
            g._bump_version()
