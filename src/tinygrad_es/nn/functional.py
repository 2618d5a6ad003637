"""``nn.functional``: las funciones de las capas sin estado (``F.relu``, ``F.cross_entropy``...).

Los módulos de ``nn`` llaman a estas funciones y estas a las operaciones de ``ops/``:
ninguna derivada se escribe dos veces. Las pérdidas están en ``_functional_losses.py``
y se reexportan aquí.
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import _dtypes
from .._capture import array_step
from .._random import default_generator
from .._random import distributions as _dist
from ..ops import elementwise as ew
from ..ops import selection as sel
from ..ops import nnops
from ..tensor import Tensor
from ._functional_losses import (binary_cross_entropy, binary_cross_entropy_with_logits,
                                 cross_entropy, l1_loss, mse_loss, nll_loss)
from ._functional_activations import (celu, celu_, cosine_similarity, elu, elu_,  # h_activ
                                      gelu, glu, hardshrink, hardsigmoid, hardswish, hardtanh,
                                      hardtanh_, leaky_relu_, logsigmoid, mish, normalize,
                                      pairwise_distance, prelu, relu6, relu_, selu, selu_,
                                      silu, softplus, softshrink, softsign, tanhshrink,
                                      threshold, threshold_)
from ..errors import user_stacklevel

__all__ = [
    "relu", "leaky_relu", "sigmoid", "tanh", "silu", "softmax", "softmin", "log_softmax",
    "linear", "dropout", "one_hot", "mse_loss", "l1_loss", "nll_loss", "cross_entropy",
    "binary_cross_entropy", "binary_cross_entropy_with_logits",
]
# --- familia activ ---
__all__ += ["relu6", "elu", "selu", "celu", "gelu", "mish", "hardtanh", "hardsigmoid", "hardswish",
            "softplus", "softsign", "threshold", "logsigmoid", "tanhshrink", "softshrink",
            "hardshrink", "glu", "prelu", "normalize", "cosine_similarity", "pairwise_distance",
            "relu_", "leaky_relu_", "elu_", "selu_", "celu_", "hardtanh_", "threshold_"]

_apply = Tensor._apply


def _check_tensor(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{fn} espera un tensor, pero recibió {type(x).__name__}. Conviértelo con "
            "torch.tensor(...).")


# --- activaciones -------------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0); su gradiente en 0 es 0, como en PyTorch."""
    return input.relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x si x > 0; ``negative_slope * x`` si no."""
    _check_tensor(input, "leaky_relu")
    return _apply(sel.LeakyReLU, input, negative_slope=float(negative_slope))


def sigmoid(input: Tensor) -> Tensor:
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def _softmax_dim(name, ndim, stacklevel):   # stacklevel (_stacklevel de PyTorch): no hace falta
    warnings.warn(
        f"No indicar la dimensión de {name} está obsoleto: añade dim=... a la llamada "
        "(normalmente dim=1 para un lote de forma (N, C)).", UserWarning,
        stacklevel=user_stacklevel())
    return 0 if ndim in (0, 1, 3) else 1


def _prepare_softmax(input, dim, dtype, name, stacklevel):
    _check_tensor(input, name)
    if dim is None:
        dim = _softmax_dim(name, input.ndim, stacklevel + 1)
    if dtype is not None:
        input = input.type(dtype)
    return input, dim


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: np.dtype | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) a lo largo de ``dim`` (estable: resta el máximo)."""
    if dim is None or dtype is not None or not isinstance(input, Tensor):
        input, dim = _prepare_softmax(input, dim, dtype, "softmax", _stacklevel)
    return input.softmax(dim)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    input, dim = _prepare_softmax(input, dim, dtype, "softmin", _stacklevel)
    return (-input).softmax(dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: np.dtype | None = None) -> Tensor:
    """log(softmax(x)) calculado de forma estable (más preciso que softmax(x).log())."""
    if dim is None or dtype is not None or not isinstance(input, Tensor):
        input, dim = _prepare_softmax(input, dim, dtype, "log_softmax", _stacklevel)
    return input.log_softmax(dim)


# --- capas ---------------------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias`` en un solo nodo del grafo."""
    if not isinstance(input, Tensor):
        _check_tensor(input, "linear")
    dtype = weight._data.dtype
    if input._data.dtype != dtype or (bias is not None and bias._data.dtype != dtype):
        raise _linear_dtype_error(input, weight, bias)
    if bias is None:
        return _apply(nnops.Linear, input, weight)
    return _apply(nnops.Linear, input, weight, bias)


def _linear_dtype_error(input, weight, bias):
    got = _dtypes.dtype_name(input._data.dtype)
    want = _dtypes.dtype_name(weight._data.dtype)
    if bias is not None and bias._data.dtype != weight._data.dtype and input.dtype == weight.dtype:
        return RuntimeError(
            f"Linear: el peso es {want} pero el sesgo es {_dtypes.dtype_name(bias.dtype)}; "
            "deben ser del mismo tipo.")
    hint = (".float()" if weight._data.dtype == _dtypes.float32 else
            ".double()" if weight._data.dtype == _dtypes.float64 else f".to({want})")
    return RuntimeError(
        f"Linear recibió una entrada de tipo {got}, pero sus pesos son {want}: deben ser del "
        f"mismo tipo. Convierte la entrada con x{hint} (o el modelo entero con "
        f"model.{'double' if input._data.dtype == _dtypes.float64 else 'float'}()).")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Dropout invertido: pone a cero cada elemento con probabilidad ``p`` y escala el
    resto por 1/(1-p). Con ``training=False`` devuelve la entrada tal cual."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(
            f"La probabilidad de dropout debe estar entre 0 y 1, pero se recibió p={p}.")
    _check_tensor(input, "dropout")
    if not training or p == 0:
        return input
    return _apply(ew.Mul, input, _dropout_mask(input._data, p))


@array_step   # con tinygrad_es.compile, una máscara nueva en cada llamada
def _dropout_mask(data, p):
    """La máscara ya escalada de ``F.dropout`` para un array como ``data``."""
    dtype = data.dtype if data.dtype.kind == "f" else _dtypes.default_float
    if p == 1:
        return np.zeros(data.shape, dtype=dtype)
    # Como PyTorch: ruido = empty_like(x).bernoulli_(1 - p), ruido /= (1 - p), x * ruido
    # (mismos números que PyTorch con la misma semilla).
    keep = 1.0 - p
    with default_generator._lock:
        drawn = _dist.bernoulli_scalar(default_generator, data.size, keep)
    values = np.multiply(drawn, dtype.type(1.0) / dtype.type(keep), dtype=dtype)
    if data.flags.c_contiguous:
        return values.reshape(data.shape)
    # empty_like conserva la disposición en memoria: mismo orden de sorteo
    return _dist._store(np.empty_like(data, dtype=dtype), values)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Codificación one-hot: un tensor int64 con una dimensión más de tamaño ``num_classes``."""
    _check_tensor(tensor, "one_hot")
    data = tensor._data
    if data.dtype != _dtypes.int64:
        raise RuntimeError(
            f"one_hot solo se aplica a tensores de índices int64, pero recibió "
            f"{_dtypes.dtype_name(data.dtype)}. Conviértelo con .long().")
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError(
                "one_hot no puede deducir el número de clases de un tensor vacío: pasa "
                "num_classes.")
        num_classes = int(data.max()) + 1
    if data.size and data.min() < 0:
        raise RuntimeError(
            f"one_hot: los valores de clase no pueden ser negativos (hay un {int(data.min())}).")
    if data.size and data.max() >= num_classes:
        raise RuntimeError(
            f"one_hot: los valores de clase deben ser menores que num_classes={num_classes}, "
            f"pero hay un {int(data.max())}.")
    out = np.zeros(data.shape + (num_classes,), dtype=_dtypes.int64)
    np.put_along_axis(out, data[..., None], 1, axis=-1)
    return Tensor._wrap(out)

# --- familia perdidas --------------------------------------------------------
from ._functional_losses_extra import (cosine_embedding_loss, gaussian_nll_loss,  # noqa: E402
                                       hinge_embedding_loss, huber_loss, kl_div,
                                       margin_ranking_loss, multi_margin_loss,
                                       multilabel_soft_margin_loss, poisson_nll_loss,
                                       smooth_l1_loss, soft_margin_loss, triplet_margin_loss)

__all__ += [
    "smooth_l1_loss", "huber_loss", "kl_div", "hinge_embedding_loss", "margin_ranking_loss",
    "cosine_embedding_loss", "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "multi_margin_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
]



# --- familia conv ---
from ._functional_conv import (conv1d, conv2d, conv_transpose1d, conv_transpose2d,  # noqa: E402
                               fold, pad, unfold)
from ._functional_pool import (adaptive_avg_pool1d, adaptive_avg_pool2d,  # noqa: E402
                               adaptive_max_pool1d, adaptive_max_pool2d, avg_pool1d, avg_pool2d,
                               max_pool1d, max_pool2d)

__all__ += [
    "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "pad", "unfold", "fold",
    "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d",
    "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d",
]


# --- familia norm -------------------------------------------------------------------
from ._functional_attention import scaled_dot_product_attention  # noqa: E402
from ._functional_dropout import (alpha_dropout, dropout1d, dropout2d, dropout3d,  # noqa: E402
                                  feature_alpha_dropout)
from ._functional_embedding import embedding, embedding_bag  # noqa: E402
from ._functional_norm import (batch_norm, group_norm, instance_norm, layer_norm,  # noqa: E402
                               rms_norm)
from ._functional_upsampling import (interpolate, upsample, upsample_bilinear,  # noqa: E402
                                     upsample_nearest)
from .upsampling import bilinear  # noqa: E402

__all__ += [
    "batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm",
    "embedding", "embedding_bag",
    "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
    "scaled_dot_product_attention",
    "interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "bilinear",
]

# --- familia rnn (h_rnn): rrelu y pixel_shuffle ---
from ._functional_shuffle_rrelu import (pixel_shuffle, pixel_unshuffle, rrelu,  # noqa: E402
                                        rrelu_)

__all__ += ["rrelu", "rrelu_", "pixel_shuffle", "pixel_unshuffle"]


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from .._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.nn.functional.")
