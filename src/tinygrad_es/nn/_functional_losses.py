"""Funciones de pérdida de ``nn.functional`` (``F.mse_loss``, ``F.cross_entropy``...).

Aquí se validan las entradas (con mensajes en español que nombran formas y valores) y se
llama a las operaciones fusionadas de ``ops/losses.py``. Los argumentos y su orden son los
de PyTorch, incluidos los antiguos ``size_average`` y ``reduce``.
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import _dtypes
from .._math import promote_pair
from ..functions import where
from ..ops import losses as L
from ..tensor import Tensor
from ..errors import user_stacklevel

_REDUCTIONS = ("none", "mean", "sum")
_apply = Tensor._apply


def legacy_reduction(size_average, reduce):
    """Traduce los argumentos antiguos ``size_average``/``reduce`` a ``reduction``."""
    warnings.warn(
        "Los argumentos size_average y reduce están obsoletos: usa reduction='mean', "
        "'sum' o 'none'.", UserWarning, stacklevel=user_stacklevel())
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


def check_reduction(reduction, size_average=None, reduce=None):
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"{reduction!r} no es un valor válido para reduction: usa 'mean' (media), "
            "'sum' (suma) o 'none' (sin reducir).")
    return reduction


def _tensor(x, fn, what):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{fn} espera que {what} sea un tensor, pero es {type(x).__name__}. Conviértelo "
            "con torch.tensor(...).")
    return x


def _shape(x):
    return tuple(x._data.shape)


def _array_like(value, dtype):
    """Pesos constantes (Tensor o None) como ndarray del dtype de la entrada."""
    if value is None:
        return None
    data = value._data if isinstance(value, Tensor) else np.asarray(value)
    return data.astype(dtype, copy=False)


# --- regresión ---------------------------------------------------------------------------
def _warn_sizes(input, target):
    if input._data.shape != target._data.shape:
        warnings.warn(
            f"Se está usando un objetivo (target) de forma {_shape(target)} distinta de la de "
            f"la entrada {_shape(input)}. Por la difusión (broadcasting) el resultado será "
            "probablemente incorrecto: asegúrate de que tengan la misma forma (p. ej. "
            "target.view(-1, 1) o salida.squeeze(1)).", UserWarning, stacklevel=user_stacklevel())


def _weighted(errors, weight, input, reduction):
    """Pérdida con pesos por elemento (``weight`` de la forma de la entrada), como PyTorch."""
    if weight._data.shape != input._data.shape:
        raise ValueError(
            f"Los pesos (weight) deben tener la misma forma que la entrada: la entrada es "
            f"{_shape(input)} y los pesos {_shape(weight)}.")
    weighted = errors * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / weight.sum()


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Error cuadrático medio ``(input - target)²`` (reducido con ``reduction``)."""
    _tensor(input, "mse_loss", "input")
    _tensor(target, "mse_loss", "target")
    _warn_sizes(input, target)
    reduction = check_reduction(reduction, size_average, reduce)
    a, b = promote_pair(input, target)
    if weight is not None:
        diff = a - b
        return _weighted(diff * diff, weight, input, reduction)
    return _apply(L.MseLoss, a, b, reduction=reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Error absoluto ``|input - target|`` (reducido con ``reduction``)."""
    _tensor(input, "l1_loss", "input")
    _tensor(target, "l1_loss", "target")
    _warn_sizes(input, target)
    reduction = check_reduction(reduction, size_average, reduce)
    a, b = promote_pair(input, target)
    errors = (a - b).abs()
    if weight is not None:
        return _weighted(errors, weight, input, reduction)
    if reduction == "none":
        return errors
    return errors.sum() if reduction == "sum" else errors.mean()


# --- clasificación --------------------------------------------------------------------------
def _class_targets(input, target, fn):
    """Valida ``target`` (índices de clase) frente a ``input`` y devuelve su ndarray int64."""
    x, t = input._data, target._data
    if t.dtype.kind == "f":
        raise RuntimeError(
            f"{fn} espera que el objetivo (target) sea un tensor de enteros int64 con el índice "
            f"de la clase de cada ejemplo, pero recibió {_dtypes.dtype_name(t.dtype)}. "
            "Conviértelo con target.long(). (Para probabilidades por clase usa cross_entropy "
            "con un target de la misma forma que la entrada.)")
    if t.dtype not in (_dtypes.int64, _dtypes.uint8):
        raise RuntimeError(
            f"{fn} espera un objetivo (target) int64 (o uint8), pero recibió "
            f"{_dtypes.dtype_name(t.dtype)}. Conviértelo con target.long().")
    if x.ndim == 0:
        raise ValueError(f"{fn} espera una entrada con 1 o más dimensiones, pero tiene 0.")
    if x.ndim == 1:
        if t.ndim != 0:
            raise RuntimeError(
                f"{fn}: con una entrada sin lote de forma {_shape(input)} el objetivo debe ser "
                f"un escalar (0 dimensiones), pero tiene forma {_shape(target)}.")
    elif t.ndim != x.ndim - 1 or t.shape[1:] != x.shape[2:]:
        if x.ndim == 2 and t.ndim != 1:
            raise RuntimeError(
                f"{fn} espera un objetivo de 1 dimensión (una clase por ejemplo) para una "
                f"entrada de forma {_shape(input)}, pero el objetivo tiene forma "
                f"{_shape(target)}. Si es one-hot, usa target.argmax(dim=1).")
        if t.ndim >= 1 and t.shape[0] != x.shape[0] and t.ndim == x.ndim - 1:
            raise _batch_error(input, target)
        raise RuntimeError(
            f"{fn}: se esperaba un objetivo de forma {(x.shape[0],) + x.shape[2:]} para una "
            f"entrada de forma {_shape(input)}, pero tiene forma {_shape(target)}.")
    if x.ndim > 1 and t.shape[0] != x.shape[0]:
        raise _batch_error(input, target)
    return t.astype(np.int64) if t.dtype != np.int64 else t


def _batch_error(input, target):
    n_in, n_t = input._data.shape[0], target._data.shape[0]
    return ValueError(
        f"El tamaño de lote de la entrada ({n_in}) no coincide con el del objetivo ({n_t}): "
        f"la entrada tiene forma {_shape(input)} y el objetivo {_shape(target)}. Cada "
        "ejemplo necesita su etiqueta.")


def _check_range(t, n_classes, ignore_index):
    if t.size == 0:
        return
    # vistos como enteros sin signo, los negativos son enormes: una sola reducción basta
    if np.maximum.reduce(t.view(np.uint64), axis=None) < n_classes:
        return True
    bad = t[((t < 0) | (t >= n_classes)) & (t != ignore_index)]
    if bad.size:
        raise IndexError(
            f"El objetivo {int(bad.flat[0])} está fuera de rango: con {n_classes} clases las "
            f"etiquetas deben ir de 0 a {n_classes - 1}. ¿Tiene la última capa tantas salidas "
            "como clases? ¿Empiezan las etiquetas en 0?")


def _class_weight(weight, input, n_classes, fn):
    if weight is None:
        return None
    _tensor(weight, fn, "weight")
    if weight._data.shape != (n_classes,):
        raise RuntimeError(
            f"{fn}: weight debe tener un valor por clase ({n_classes}), pero tiene forma "
            f"{_shape(weight)}.")
    if weight._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"{fn}: weight es {_dtypes.dtype_name(weight.dtype)} y la entrada "
            f"{_dtypes.dtype_name(input.dtype)}: deben ser del mismo tipo.")
    return weight._data


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Log-verosimilitud negativa: ``input`` son log-probabilidades (p. ej. de log_softmax)."""
    _tensor(input, "nll_loss", "input")
    _tensor(target, "nll_loss", "target")
    if reduction not in _REDUCTIONS or size_average is not None or reduce is not None:
        reduction = check_reduction(reduction, size_average, reduce)
    t = _class_targets(input, target, "nll_loss")
    unbatched = input._data.ndim == 1
    n_classes = input._data.shape[0 if unbatched else 1]
    if _check_range(t, n_classes, ignore_index) and not 0 <= ignore_index < n_classes:
        # ninguna etiqueta puede coincidir: la operación no lo busca (None solo aquí dentro)
        ignore_index = None  # type: ignore[assignment]
    w = _class_weight(weight, input, n_classes, "nll_loss")
    if unbatched:
        out = _apply(L.NllLoss, input.reshape(1, n_classes), t.reshape(1), w,
                     ignore_index=ignore_index, reduction=reduction)
        return out.reshape(()) if reduction == "none" else out
    target_in = target if t is target._data else t
    return _apply(L.NllLoss, input, target_in, w, ignore_index=ignore_index,
                  reduction=reduction)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """log_softmax + nll_loss sobre logits; acepta también probabilidades como objetivo."""
    _tensor(input, "cross_entropy", "input")
    _tensor(target, "cross_entropy", "target")
    reduction = check_reduction(reduction, size_average, reduce)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(
            f"label_smoothing debe estar entre 0.0 y 1.0, pero vale {label_smoothing}.")
    class_dim = 0 if input._data.ndim == 1 else 1
    if target._data.dtype.kind == "f" and target._data.shape == input._data.shape:
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing,
                                    class_dim)
    _class_targets(input, target, "cross_entropy")   # valida antes de calcular nada
    logp = input.log_softmax(class_dim)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing <= 0:
        return nll
    return _label_smoothing(logp, target, weight, ignore_index, reduction, label_smoothing,
                            class_dim, nll)


def _class_shape(ndim, class_dim, n_classes):
    shape = [1] * ndim
    shape[class_dim] = n_classes
    return tuple(shape)


def _label_smoothing(logp, target, weight, ignore_index, reduction, eps, class_dim, nll):
    """Parte uniforme del suavizado de etiquetas, con la misma normalización que PyTorch."""
    n_classes = logp._data.shape[class_dim]
    if weight is not None:
        smooth = -(logp * weight.reshape(_class_shape(logp.ndim, class_dim, n_classes))
                   ).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    t = target._data
    ignored = t == ignore_index
    if ignored.any():
        smooth = where(Tensor._wrap(np.asarray(ignored)), 0.0, smooth)
    if reduction == "mean":
        kept = t[~ignored].astype(np.int64)
        denom = weight._data[kept].sum() if weight is not None else kept.size
        smooth = smooth.sum() / float(denom)
    elif reduction == "sum":
        smooth = smooth.sum()
    return nll * (1.0 - eps) + smooth * (eps / n_classes)


def _cross_entropy_probs(input, target, weight, reduction, eps, class_dim):
    """Objetivos como probabilidades por clase (misma forma que la entrada)."""
    n_classes = input._data.shape[class_dim]
    logp = input.log_softmax(class_dim)
    if eps > 0:
        target = target * (1.0 - eps) + eps / n_classes
    prod = logp * target
    if weight is not None:
        _class_weight(weight, input, n_classes, "cross_entropy")
        prod = prod * weight.reshape(_class_shape(input.ndim, class_dim, n_classes))
    if reduction == "none":
        return -prod.sum(class_dim)
    if reduction == "sum":
        return -prod.sum()
    return -prod.sum() / (input._data.size / n_classes)


# --- binarias ------------------------------------------------------------------------------
def _check_binary(input, target, fn):
    if input._data.shape != target._data.shape:
        raise ValueError(
            f"{fn}: el objetivo (target) tiene forma {_shape(target)} y la entrada "
            f"{_shape(input)}; deben tener la misma forma (p. ej. target.view(-1, 1) o "
            "salida.squeeze(1)).")


def _in_unit_interval(data):
    return data.size == 0 or (data.min() >= 0 and data.max() <= 1)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """Entropía cruzada binaria sobre probabilidades en [0, 1] (p. ej. salida de sigmoid)."""
    _tensor(input, "binary_cross_entropy", "input")
    _tensor(target, "binary_cross_entropy", "target")
    reduction = check_reduction(reduction, size_average, reduce)
    _check_binary(input, target, "binary_cross_entropy")
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"binary_cross_entropy: el objetivo es {_dtypes.dtype_name(target.dtype)} y la "
            f"entrada {_dtypes.dtype_name(input.dtype)}; deben ser del mismo tipo. Convierte "
            "el objetivo con target.float().")
    if not _in_unit_interval(input._data):
        raise RuntimeError(
            "binary_cross_entropy: todos los elementos de la entrada deben estar entre 0 y 1 "
            f"(hay valores entre {input._data.min():.4g} y {input._data.max():.4g}). ¿Falta "
            "aplicar sigmoid? Con logits usa binary_cross_entropy_with_logits (BCEWithLogitsLoss).")
    if not _in_unit_interval(target._data):
        raise RuntimeError(
            "binary_cross_entropy: todos los elementos del objetivo deben estar entre 0 y 1.")
    w = _array_like(weight, input._data.dtype)
    if w is not None:
        _check_broadcast(w, input, "binary_cross_entropy")
    return _apply(L.BinaryCrossEntropy, input, target, w, reduction=reduction)


def _check_broadcast(w, input, fn, what="weight"):
    try:
        shape = np.broadcast_shapes(w.shape, input._data.shape)
    except ValueError:
        shape = None
    if shape != input._data.shape:
        raise RuntimeError(
            f"{fn}: {what} de forma {tuple(w.shape)} no se puede difundir a la forma de la "
            f"entrada {_shape(input)}.")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """BCE sobre logits (sin sigmoid previa), estable numéricamente; admite ``pos_weight``."""
    fn = "binary_cross_entropy_with_logits"
    _tensor(input, fn, "input")
    _tensor(target, fn, "target")
    reduction = check_reduction(reduction, size_average, reduce)
    _check_binary(input, target, fn)
    x, y = promote_pair(input, target)
    dtype = x._data.dtype
    w, pw = _array_like(weight, dtype), _array_like(pos_weight, dtype)
    for arr, what in ((w, "weight"), (pw, "pos_weight")):
        if arr is not None:
            _check_broadcast(arr, x, fn, what)
    return _apply(L.BinaryCrossEntropyWithLogits, x, y, w, pw, reduction=reduction)
