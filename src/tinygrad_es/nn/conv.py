"""Capas de convolución: ``Conv1d``, ``Conv2d``, ``ConvTranspose1d`` y ``ConvTranspose2d``.

Pesos, sesgo, inicialización (kaiming_uniform_ con a=√5 y sesgo U(±1/√fan_in), con el mismo
generador: con ``manual_seed`` salen los mismos números que en PyTorch), atributos,
``state_dict`` y ``repr`` como PyTorch.
"""
from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING

import numpy as np

from .. import _dtypes
from ..tensor import _check_device, _make
from . import _functional_conv as FC
from . import init
from .module import Module
from .parameter import Parameter

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .._typing import Device, DType

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _tuple(value, n):
    if isinstance(value, numbers.Integral):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    return value * n if len(value) == 1 else value


class _ConvNd(Module):
    _nd = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 transposed, output_padding, groups, bias, padding_mode, device, dtype):
        super().__init__()
        _check_device(device)
        nd, name = self._nd, type(self).__name__
        if not isinstance(groups, numbers.Integral) or groups <= 0:
            raise ValueError(f"{name}: groups debe ser un entero positivo, pero es {groups!r}.")
        if in_channels % groups:
            raise ValueError(f"{name}: in_channels ({in_channels}) debe ser divisible por "
                             f"groups ({groups}).")
        if out_channels % groups:
            raise ValueError(f"{name}: out_channels ({out_channels}) debe ser divisible por "
                             f"groups ({groups}).")
        stride, dilation = _tuple(stride, nd), _tuple(dilation, nd)
        kernel_size = _tuple(kernel_size, nd)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: padding={padding!r} no es válido: usa 'same', "
                                 "'valid', un entero o una tupla.")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError(f"{name}: padding='same' no funciona con stride > 1 (el "
                                 "tamaño de salida no puede ser el de la entrada).")
        else:
            padding = _tuple(padding, nd)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"{name}: padding_mode debe ser uno de {set(_PADDING_MODES)}, "
                             f"pero es padding_mode={padding_mode!r}.")
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.transposed = dilation, transposed
        self.output_padding, self.groups = _tuple(output_padding, nd), int(groups)
        self.padding_mode = padding_mode
        if padding == "same":   # antes, después por dimensión, empezando por la última
            pairs = FC.same_pads(kernel_size, dilation)
        elif padding == "valid":
            pairs = ((0, 0),) * nd
        else:
            pairs = tuple((p, p) for p in padding)
        self._reversed_padding_repeated_twice = [v for lo_hi in reversed(pairs) for v in lo_hi]
        dtype = np.dtype(dtype or _dtypes.default_float)
        if transposed:
            shape = (in_channels, out_channels // groups) + kernel_size
        else:
            shape = (out_channels, in_channels // groups) + kernel_size
        self.weight = Parameter(_make(np.empty(shape, dtype)))
        if bias:
            self.bias = Parameter(_make(np.empty((out_channels,), dtype)))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        nd = self._nd
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * nd:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * nd:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * nd:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, ...],
                 stride: int | tuple[int, ...] = 1, padding: str | int | tuple[int, ...] = 0,
                 dilation: int | tuple[int, ...] = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Device = None,
                 dtype: DType | None = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         False, 0, groups, bias, padding_mode, device, dtype)

    def _conv_forward(self, input, weight, bias):
        fn = FC.conv1d if self._nd == 1 else FC.conv2d
        if self.padding_mode != "zeros":
            padded = FC.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return fn(padded, weight, bias, self.stride, 0, self.dilation, self.groups)
        return fn(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """Convolución 1-D: (N, C_in, L) -> (N, C_out, L_out)."""

    _nd = 1


class Conv2d(_Conv):
    """Convolución 2-D: (N, C_in, H, W) -> (N, C_out, H_out, W_out)."""

    _nd = 2


class _ConvTranspose(_ConvNd):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'{type(self).__name__}: solo admite padding_mode="zeros", '
                             f"pero se recibió {padding_mode!r}.")
        if isinstance(padding, str):
            raise TypeError(f"{type(self).__name__}: padding debe ser un entero o una tupla, "
                            f"no {padding!r}.")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         True, output_padding, groups, bias, padding_mode, device, dtype)

    def forward(self, input, output_size=None):
        nd = self._nd
        return FC.conv_transposend(
            nd, f"conv_transpose{nd}d", input, self.weight, self.bias, self.stride,
            self.padding, self.output_padding, self.groups, self.dilation, output_size)


class ConvTranspose1d(_ConvTranspose):
    """Convolución traspuesta 1-D; el peso tiene forma (C_in, C_out/groups, k)."""

    _nd = 1


class ConvTranspose2d(_ConvTranspose):
    """Convolución traspuesta 2-D (la «deconvolución» que agranda la imagen); el peso tiene
    forma (C_in, C_out/groups, kH, kW)."""

    _nd = 2


class Unfold(Module):
    """Ventanas deslizantes como columnas: (N, C, H, W) -> (N, C·kH·kW, L) (``F.unfold``)."""

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, input):
        return FC.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


class Fold(Module):
    """Suma columnas (N, C·kH·kW, L) en una imagen (N, C, *output_size) (``F.fold``)."""

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input):
        return FC.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                       self.stride)

    def extra_repr(self):
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}")
