"""Capas de normalización: ``BatchNorm1d/2d/3d``, ``InstanceNorm1d/2d/3d``, ``LayerNorm``,
``RMSNorm`` y ``GroupNorm`` (como PyTorch).

BatchNorm guarda como buffers (entran en ``state_dict``) ``running_mean``, ``running_var`` y
``num_batches_tracked``. En ``train()`` normaliza con la estadística del lote y actualiza la
móvil; en ``eval()`` normaliza con la móvil.
"""
import numbers
import warnings

import numpy as np

from .. import _dtypes
from ..tensor import Tensor, _check_device, _make
from . import _functional_norm as FN
from . import init
from .module import Module
from .parameter import Parameter
from ..errors import user_stacklevel
from .._capture import macro


def _param(shape, dtype, fill):
    return Parameter(_make(np.full(shape, fill, dtype=dtype)))


class _BatchNorm(Module):
    _expected = ""

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        _check_device(device)
        dtype = np.dtype(dtype or _dtypes.default_float)
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = _param((num_features,), dtype, 1)
            if bias:
                self.bias = _param((num_features,), dtype, 0)
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", _make(np.zeros((num_features,), dtype)))
            self.register_buffer("running_var", _make(np.ones((num_features,), dtype)))
            self.register_buffer("num_batches_tracked", _make(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self):
        """Estadística móvil a su valor inicial: media 0, varianza 1, ningún lote visto."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input):
        if input.dim() not in self._dims:
            raise ValueError(
                f"{type(self).__name__} espera una entrada {self._expected} (recibió una de "
                f"{input.dim()} dimensiones, forma {tuple(input.shape)}).")

    def forward(self, input):
        if not isinstance(input, Tensor):
            FN._check_tensor(input, type(self).__name__)
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            _count_batch(self.num_batches_tracked)
            if self.momentum is None:   # media acumulada (compile no puede repetir esta lectura)
                factor = 1.0 / float(self.num_batches_tracked)
        if self.training:
            use_batch = True
        else:
            use_batch = self.running_mean is None and self.running_var is None
        track = not self.training or self.track_running_stats
        return FN.batch_norm(input, self.running_mean if track else None,
                             self.running_var if track else None, self.weight, self.bias,
                             use_batch, factor, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """BatchNorm sobre entradas (N, C) o (N, C, L): una media y una varianza por canal."""

    _dims, _expected = (2, 3), "de 2 o 3 dimensiones, (N, C) o (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """BatchNorm sobre imágenes (N, C, H, W): una media y una varianza por canal."""

    _dims, _expected = (4,), "de 4 dimensiones (N, C, H, W)"


class BatchNorm3d(_BatchNorm):
    """BatchNorm sobre volúmenes (N, C, D, H, W)."""

    _dims, _expected = (5,), "de 5 dimensiones (N, C, D, H, W)"


class _InstanceNorm(_BatchNorm):
    """Base de InstanceNorm1d/2d/3d: la estadística de cada canal de cada muestra."""

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype, bias=bias)

    def _apply_instance_norm(self, input):
        return FN.instance_norm(input, self.running_mean, self.running_var, self.weight,
                                self.bias, self.training or not self.track_running_stats,
                                self.momentum if self.momentum is not None else 0.0, self.eps)

    def forward(self, input):
        if not isinstance(input, Tensor):
            FN._check_tensor(input, type(self).__name__)
        self._check_input_dim(input)
        unbatched = self._dims[0]
        feature_dim = input.dim() - unbatched
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"{type(self).__name__}: la entrada tiene {input.shape[feature_dim]} canales "
                    f"(dimensión {feature_dim}) pero num_features es {self.num_features}.")
            warnings.warn(
                f"{type(self).__name__}: la entrada tiene {input.shape[feature_dim]} canales "
                f"(dimensión {feature_dim}), distinto de num_features={self.num_features}; "
                "con affine=False num_features no se usa.", UserWarning, stacklevel=user_stacklevel())
        if input.dim() == unbatched:
            return self._apply_instance_norm(input.unsqueeze(0)).squeeze(0)
        return self._apply_instance_norm(input)


class InstanceNorm1d(_InstanceNorm):
    """InstanceNorm sobre (N, C, L) o (C, L)."""

    _dims, _expected = (2, 3), "de 2 o 3 dimensiones, (C, L) o (N, C, L)"


class InstanceNorm2d(_InstanceNorm):
    """InstanceNorm sobre imágenes (N, C, H, W) o (C, H, W)."""

    _dims, _expected = (3, 4), "de 3 o 4 dimensiones, (C, H, W) o (N, C, H, W)"


class InstanceNorm3d(_InstanceNorm):
    """InstanceNorm sobre volúmenes (N, C, D, H, W) o (C, D, H, W)."""

    _dims, _expected = (4, 5), "de 4 o 5 dimensiones, (C, D, H, W) o (N, C, D, H, W)"


class LayerNorm(Module):
    """Normaliza cada muestra sobre sus últimas dimensiones (``normalized_shape``); peso 1
    y sesgo 0 con la forma de ``normalized_shape`` si ``elementwise_affine``."""

    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        _check_device(device)
        dtype = np.dtype(dtype or _dtypes.default_float)
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(int(s) for s in normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = _param(self.normalized_shape, dtype, 1)
            if bias:
                self.bias = _param(self.normalized_shape, dtype, 0)
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def reset_parameters(self):
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input):
        return FN.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class RMSNorm(Module):
    """Normaliza cada muestra por su raíz cuadrática media sobre ``normalized_shape``; peso 1
    con esa forma si ``elementwise_affine``. ``eps=None``: el épsilon del tipo."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        _check_device(device)
        dtype = np.dtype(dtype or _dtypes.default_float)
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(int(s) for s in normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = _param(self.normalized_shape, dtype, 1)
        else:
            self.register_parameter("weight", None)

    def reset_parameters(self):
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x):
        return FN.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class GroupNorm(Module):
    """Normaliza cada muestra por grupos de canales (``num_channels`` divisible por
    ``num_groups``); peso y sesgo por canal."""

    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, device=None,
                 dtype=None, *, bias=True):
        super().__init__()
        _check_device(device)
        if num_channels % num_groups != 0:
            raise ValueError(
                f"GroupNorm: num_channels ({num_channels}) debe ser divisible por num_groups "
                f"({num_groups}).")
        dtype = np.dtype(dtype or _dtypes.default_float)
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        if affine:
            self.weight = _param((num_channels,), dtype, 1)
            if bias:
                self.bias = _param((num_channels,), dtype, 0)
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def reset_parameters(self):
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input):
        return FN.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, "
                f"affine={self.affine}, bias={self.bias is not None}")


@macro   # con tinygrad_es.compile se repite en cada llamada
def _count_batch(num_batches_tracked):
    num_batches_tracked._data += 1
    num_batches_tracked._bump_version()
