"""Más pérdidas de ``nn.functional``: Smooth L1, Huber, KL, de margen, de tripletes, Poisson...

Son composiciones de operaciones de Tensor (ganan segundas derivadas y la viz sin escribir
ninguna derivada), con las mismas fórmulas que PyTorch, también en los quiebres: donde PyTorch
usa ``clamp_min`` (subgradiente 1 en el margen exacto) aquí se usa ``clamp(min=0)`` y donde usa
una comparación estricta (``multi_margin_loss``) se usa ``relu`` (subgradiente 0). Los argumentos
y su orden son los de PyTorch, incluidos los antiguos ``size_average`` y ``reduce``.
"""
import math
import warnings

import numpy as np

from .. import _dtypes
from .._math import promote_pair
from ..autograd.grad_mode import no_grad
from ..functions import where
from ..tensor import Tensor
from ._functional_losses import _tensor, _warn_sizes, check_reduction, legacy_reduction
from ..errors import user_stacklevel

_EPSILON = 1e-12   # el de cosine_embedding_loss de PyTorch


def _reduce(loss, reduction):
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def _const(mask):
    """Una máscara o un índice de NumPy como tensor constante (sin gradiente)."""
    return Tensor._wrap(np.asarray(mask))


def _shape(x):
    return tuple(x._data.shape)


# --- regresión ---------------------------------------------------------------------------
def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Smooth L1: ``0.5·d²/beta`` si ``|d| < beta`` y ``|d| - 0.5·beta`` si no (``d = x - y``).

    Con ``beta=0`` es ``l1_loss``. En ``|d| = beta`` las dos ramas tienen la misma derivada.
    """
    _tensor(input, "smooth_l1_loss", "input")
    _tensor(target, "smooth_l1_loss", "target")
    _warn_sizes(input, target)
    reduction = check_reduction(reduction, size_average, reduce)
    if beta < 0:
        raise RuntimeError(
            f"smooth_l1_loss no admite valores negativos de beta (recibió beta={beta}): usa "
            "beta >= 0 (beta=0 equivale a l1_loss).")
    a, b = promote_pair(input, target)
    diff = a - b
    z = diff.abs()
    if beta == 0:
        return _reduce(z, reduction)
    loss = where(z < beta, diff * diff * (0.5 / beta), z - 0.5 * beta)
    return _reduce(loss, reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber: ``0.5·d²`` si ``|d| < delta`` y ``delta·(|d| - 0.5·delta)`` si no.

    Con ``weight`` (de la forma de la entrada) multiplica cada término; la media es la media
    simple de los términos pesados, como en PyTorch.
    """
    _tensor(input, "huber_loss", "input")
    _tensor(target, "huber_loss", "target")
    _warn_sizes(input, target)
    reduction = check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError(
            f"huber_loss no admite valores de delta menores o iguales que 0 (recibió "
            f"delta={delta}): usa un delta positivo.")
    a, b = promote_pair(input, target)
    diff = a - b
    z = diff.abs()
    loss = where(z < delta, diff * diff * 0.5, (z - 0.5 * delta) * delta)
    if weight is not None:
        _tensor(weight, "huber_loss", "weight")
        if _shape(weight) != _shape(input):
            raise ValueError(
                f"Los pesos (weight) deben tener la misma forma que la entrada: la entrada es "
                f"{_shape(input)} y los pesos {_shape(weight)}.")
        loss = loss * weight
    return _reduce(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Divergencia KL ``target · (log target - input)``; ``input`` son log-probabilidades.

    ``log_target=True``: el objetivo también viene en logaritmos. ``reduction='batchmean'``
    divide la suma entre el tamaño del lote (la definición matemática de la KL);
    ``'mean'`` divide entre el número de elementos (y avisa, como PyTorch).
    """
    _tensor(input, "kl_div", "input")
    _tensor(target, "kl_div", "target")
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    elif reduction == "mean":
        warnings.warn(
            "kl_div con reduction='mean' divide la pérdida total entre el tamaño del lote y "
            "el número de clases a la vez; 'batchmean' divide solo entre el tamaño del lote y "
            "coincide con la definición matemática de la KL. Usa reduction='batchmean'.",
            UserWarning, stacklevel=user_stacklevel())
    elif reduction not in ("batchmean", "none", "sum"):
        raise ValueError(
            f"{reduction!r} no es un valor válido para reduction: usa 'batchmean' (suma entre "
            "el tamaño del lote), 'mean', 'sum' o 'none'.")
    x, t = promote_pair(input, target)
    if log_target:
        loss = t.exp() * (t - x)
    else:
        # xlogy(t, t): 0 donde t = 0 (el logaritmo se calcula sobre un 1 en esas posiciones)
        zero = t._data == 0
        safe = where(_const(zero), 1.0, t) if zero.any() else t
        loss = t * safe.log() - t * x
    if reduction == "batchmean":
        total = loss.sum()
        return total / input._data.shape[0] if input._data.ndim else total
    return _reduce(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """NLL de Poisson: ``exp(x) - y·x`` (``log_input=True``) o ``x - y·log(x + eps)``.

    ``full=True`` suma la aproximación de Stirling ``y·log y - y + 0.5·log(2πy)`` donde
    ``y > 1``.
    """
    _tensor(input, "poisson_nll_loss", "input")
    _tensor(target, "poisson_nll_loss", "target")
    reduction = check_reduction(reduction, size_average, reduce)
    x, y = promote_pair(input, target)
    if log_input:
        loss = x.exp() - y * x
    else:
        loss = x - y * (x + eps).log()
    if full:
        small = y._data <= 1
        safe = where(_const(small), 2.0, y) if small.any() else y   # sin log(0) ni nan
        stirling = safe * safe.log() - safe + (safe * (2 * math.pi)).log() * 0.5
        loss = loss + (where(_const(small), 0.0, stirling) if small.any() else stirling)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """NLL gaussiana ``0.5·(log var + (x - y)²/var)`` (+ ``0.5·log 2π`` con ``full``).

    ``var`` es un tensor de la forma de la entrada, con una dimensión menos al final, o con
    una sola dimensión de tamaño 1 (varianza compartida), o un número. Se acota por debajo en
    ``eps`` sin cortar el gradiente (como el ``clamp_`` bajo ``no_grad`` de PyTorch).
    """
    _tensor(input, "gaussian_nll_loss", "input")
    _tensor(target, "gaussian_nll_loss", "target")
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(
                f"gaussian_nll_loss: la varianza (var) no puede ser negativa, pero vale {var}.")
        var = Tensor._wrap(np.full(input._data.shape, var, dtype=input._data.dtype))
    else:
        _tensor(var, "gaussian_nll_loss", "var")
        if var._data.size and (var._data < 0).any():
            raise ValueError(
                "gaussian_nll_loss: la varianza (var) tiene elementos negativos; debe ser >= 0 "
                "(p. ej. sácala de softplus o de exp).")
    in_shape, var_shape = _shape(input), _shape(var)
    if var_shape != in_shape:
        if in_shape[:-1] == var_shape:
            var = var.unsqueeze(-1)
        elif not (len(in_shape) == len(var_shape) and
                  sum(v for i, v in zip(in_shape, var_shape) if i != v) == 1):
            raise ValueError(
                f"gaussian_nll_loss: la varianza (var) tiene una forma incorrecta "
                f"{var_shape} para una entrada de forma {in_shape}: debe tener la forma de la "
                "entrada, esa forma sin la última dimensión o una sola dimensión de tamaño 1.")
    reduction = check_reduction(reduction)
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = (var.log() + (input - target) ** 2 / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


# --- de margen -------------------------------------------------------------------------------
def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """``x`` donde ``y = 1`` y ``max(0, margin - x)`` donde ``y = -1`` (``x`` suele ser una
    distancia)."""
    _tensor(input, "hinge_embedding_loss", "input")
    _tensor(target, "hinge_embedding_loss", "target")
    reduction = check_reduction(reduction, size_average, reduce)
    t = target._data
    output_margin = where(_const(t != 1), (margin - input).clamp(min=0), 0.0)
    output_self = where(_const(t != -1), input, 0.0)
    return _reduce(output_margin + output_self, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """``max(0, -y·(x1 - x2) + margin)``: ``y = 1`` pide ``x1 > x2`` y ``y = -1`` lo contrario."""
    fn = "margin_ranking_loss"
    for x, what in ((input1, "input1"), (input2, "input2"), (target, "target")):
        _tensor(x, fn, what)
    reduction = check_reduction(reduction, size_average, reduce)
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(
            f"margin_ranking_loss: las tres entradas deben tener el mismo número de dimensiones, "
            f"pero input1 tiene forma {_shape(input1)}, input2 {_shape(input2)} y target "
            f"{_shape(target)}.")
    loss = (-target * (input1 - input2) + margin).clamp(min=0)
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """``1 - cos(x1, x2)`` donde ``y = 1`` y ``max(0, cos(x1, x2) - margin)`` donde ``y = -1``."""
    fn = "cosine_embedding_loss"
    for x, what in ((input1, "input1"), (input2, "input2"), (target, "target")):
        _tensor(x, fn, what)
    reduction = check_reduction(reduction, size_average, reduce)
    dim = target.ndim
    if dim not in (0, 1):
        raise RuntimeError(
            f"cosine_embedding_loss espera un objetivo (target) de 0 o 1 dimensiones (un 1 o -1 "
            f"por pareja), pero tiene forma {_shape(target)}.")
    want = dim + 1
    if input1.ndim != want or input2.ndim != want:
        raise RuntimeError(
            f"cosine_embedding_loss: un objetivo de {dim} dimensión(es) necesita entradas de "
            f"{want} dimensiones, pero tienen formas {_shape(input1)} y {_shape(input2)}.")
    prod_sum = (input1 * input2).sum(dim)
    mag_square1 = (input1 * input1).sum(dim) + _EPSILON
    mag_square2 = (input2 * input2).sum(dim) + _EPSILON
    cos = prod_sum / (mag_square1 * mag_square2).sqrt()
    t = target._data
    pos = where(_const(t == 1), 1 - cos, 0.0)
    neg = where(_const(t == -1), (cos - margin).clamp(min=0), 0.0)
    return _reduce(pos + neg, reduction)


def _pairwise_distance(x1, x2, p, eps):
    """``norm(x1 - x2 + eps, p)`` sobre la última dimensión (el ``pairwise_distance`` de PyTorch)."""
    return (x1 - x2 + eps).norm(p, dim=max(x1.ndim, x2.ndim) - 1)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """``max(0, d(a, p) - d(a, n) + margin)`` con la distancia ``p`` (``swap=True`` usa también
    ``d(p, n)`` si es menor que ``d(a, n)``)."""
    fn = "triplet_margin_loss"
    for x, what in ((anchor, "anchor"), (positive, "positive"), (negative, "negative")):
        _tensor(x, fn, what)
    reduction = check_reduction(reduction, size_average, reduce)
    if margin <= 0:
        raise ValueError(f"triplet_margin_loss: margin debe ser mayor que 0, pero vale {margin}.")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(
            f"triplet_margin_loss: anchor, positive y negative deben tener el mismo número de "
            f"dimensiones, pero tienen formas {_shape(anchor)}, {_shape(positive)} y "
            f"{_shape(negative)}.")
    dist_pos = _pairwise_distance(anchor, positive, p, eps)
    dist_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = dist_neg.minimum(_pairwise_distance(positive, negative, p, eps))
    loss = (dist_pos - dist_neg + margin).clamp(min=0)
    return _reduce(loss, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Logística de dos clases ``log(1 + exp(-y·x))`` con ``y`` en {1, -1}."""
    _tensor(input, "soft_margin_loss", "input")
    _tensor(target, "soft_margin_loss", "target")
    reduction = check_reduction(reduction, size_average, reduce)
    loss = (-(input * target)).exp().log1p()
    return _reduce(loss, reduction)


def _log_sigmoid(x):
    """log(sigmoid(x)) estable: ``(x - |x|)/2 - log1p(exp(-|x|))`` (derivada 1/2 en 0)."""
    a = x.abs()
    return (x - a) * 0.5 - (-a).exp().log1p()


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """BCE sobre logits en cada clase, promediada sobre las clases (una pérdida por ejemplo)."""
    _tensor(input, "multilabel_soft_margin_loss", "input")
    _tensor(target, "multilabel_soft_margin_loss", "target")
    reduction = check_reduction(reduction, size_average, reduce)
    loss = -(target * _log_sigmoid(input) + (1 - target) * _log_sigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    loss = loss.sum(class_dim) / input._data.shape[class_dim]
    return _reduce(loss, reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """Hinge multiclase: ``Σ_{j≠y} max(0, margin - x[y] + x[j])^p / C`` por ejemplo.

    ``weight`` (uno por clase) pesa cada ejemplo por su clase correcta. En el margen exacto el
    subgradiente es 0, como en PyTorch.
    """
    fn = "multi_margin_loss"
    _tensor(input, fn, "input")
    _tensor(target, fn, "target")
    reduction = check_reduction(reduction, size_average, reduce)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss solo admite p=1 o p=2, pero recibió p={p}.")
    x, t = input._data, target._data
    if weight is not None:
        _tensor(weight, fn, "weight")
        if weight.ndim != 1:
            raise ValueError(
                f"multi_margin_loss: weight debe tener una dimensión (un peso por clase), pero "
                f"tiene forma {_shape(weight)}.")
    if not ((x.size > 0 and x.ndim <= 1) or (x.ndim == 2 and x.shape[1] > 0)):
        raise RuntimeError(
            f"multi_margin_loss espera una entrada no vacía de forma (C,) o (N, C), pero tiene "
            f"forma {_shape(input)}.")
    n, c = (1, (x.shape[0] if x.ndim else 1)) if x.ndim <= 1 else x.shape
    if t.dtype != _dtypes.int64:
        raise RuntimeError(
            f"multi_margin_loss espera un objetivo (target) int64 con el índice de la clase de "
            f"cada ejemplo, pero es {_dtypes.dtype_name(t.dtype)}. Conviértelo con target.long().")
    if t.ndim > 1 or t.size != n:
        raise RuntimeError(
            f"multi_margin_loss: el objetivo (target) debe tener una clase por ejemplo ({n}), "
            f"pero tiene forma {_shape(target)} para una entrada de forma {_shape(input)}.")
    if weight is not None and weight._data.size != c:
        raise RuntimeError(
            f"multi_margin_loss: weight debe tener un valor por clase ({c}), pero tiene forma "
            f"{_shape(weight)}.")
    labels = t.reshape(n)
    if labels.size and (labels.min() < 0 or labels.max() >= c):
        raise RuntimeError(
            f"multi_margin_loss: el objetivo está fuera de rango: con {c} clases las etiquetas "
            f"deben ir de 0 a {c - 1}.")
    rows = np.arange(n)
    xs = input.reshape(n, c)
    z = (margin - xs[rows, labels].unsqueeze(1) + xs).relu()
    if p == 2:
        z = z * z
    others = np.ones((n, c), dtype=x.dtype)
    others[rows, labels] = 0
    if weight is not None:
        others = others * weight._data.astype(x.dtype, copy=False)[labels][:, None]
    loss = (z * _const(others)).sum(1) / c
    if reduction == "none":
        return loss if t.ndim > 0 else loss.reshape(())
    return _reduce(loss, reduction)
