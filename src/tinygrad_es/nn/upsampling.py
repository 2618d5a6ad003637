"""``nn.Upsample``, ``nn.UpsamplingNearest2d``, ``nn.UpsamplingBilinear2d`` y ``nn.Bilinear``
(con ``F.bilinear``), como PyTorch."""
import math
import operator

import numpy as np

from .. import _dtypes
from ..tensor import Tensor, _check_device, _make
from . import _functional_upsampling as FU
from . import init
from .module import Module
from .parameter import Parameter

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "Bilinear", "bilinear"]


class Upsample(Module):
    """Módulo de ``F.interpolate``: ``Upsample(scale_factor=2, mode="bilinear")``."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return FU.interpolate(input, self.size, self.scale_factor, self.mode,
                              self.align_corners, recompute_scale_factor=
                              self.recompute_scale_factor)

    def extra_repr(self):
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        return info + ", mode=" + repr(self.mode)


class UpsamplingNearest2d(Upsample):
    """``Upsample(mode="nearest")`` para imágenes (N, C, H, W)."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(mode="bilinear", align_corners=True)`` para imágenes (N, C, H, W)."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


def bilinear(input1, input2, weight, bias=None):
    """``y[..., o] = Σ_ij input1[..., i] · weight[o, i, j] · input2[..., j] + bias[o]``."""
    for name, t in (("input1", input1), ("input2", input2), ("weight", weight)):
        if not isinstance(t, Tensor):
            raise TypeError(f"bilinear: {name} debe ser un tensor, no {type(t).__name__}.")
    if weight.dim() != 3:
        raise RuntimeError(
            f"bilinear: weight debe tener 3 dimensiones (out, in1, in2), pero tiene forma "
            f"{tuple(weight.shape)}.")
    out_f, in1, in2 = weight.shape
    if input1.dim() == 0 or input1.shape[-1] != in1:
        raise RuntimeError(
            f"bilinear: la última dimensión de input1 ({tuple(input1.shape)}) debe ser {in1}, "
            f"la del peso.")
    if input2.dim() == 0 or input2.shape[-1] != in2:
        raise RuntimeError(
            f"bilinear: la última dimensión de input2 ({tuple(input2.shape)}) debe ser {in2}, "
            f"la del peso.")
    lead = tuple(input1.shape[:-1])
    if lead != tuple(input2.shape[:-1]):
        raise RuntimeError(
            f"bilinear: las dimensiones de lote de input1 {tuple(input1.shape)} e input2 "
            f"{tuple(input2.shape)} deben coincidir.")
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != out_f):
        raise RuntimeError(
            f"bilinear: bias debe tener {out_f} elementos (out_features), pero tiene forma "
            f"{tuple(bias.shape)}.")
    rows = math.prod(lead)
    x1 = input1.reshape(rows, in1)
    x2 = input2.reshape(rows, 1, in2)
    # (rows, in1) @ (in1, out·in2) -> (rows, out, in2), por input2 y suma sobre in2
    w = weight.permute(1, 0, 2).reshape(in1, out_f * in2)
    out = ((x1 @ w).reshape(rows, out_f, in2) * x2).sum(-1)
    if bias is not None:
        out = out + bias
    return out.reshape(*lead, out_f)


class Bilinear(Module):
    """Capa bilineal: ``y = x1ᵀ A x2 + b``; peso (out, in1, in2) y sesgo (out,) uniformes en
    ±1/sqrt(in1_features), como PyTorch."""

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        _check_device(device)
        dtype = np.dtype(dtype or _dtypes.default_float)
        self.in1_features = operator.index(in1_features)
        self.in2_features = operator.index(in2_features)
        self.out_features = operator.index(out_features)
        self.weight = Parameter(_make(np.empty(
            (self.out_features, self.in1_features, self.in2_features), dtype)))
        if bias:
            self.bias = Parameter(_make(np.empty((self.out_features,), dtype)))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.in1_features <= 0:
            raise ValueError(
                f"Bilinear: in1_features debe ser mayor que 0, pero es {self.in1_features}.")
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
