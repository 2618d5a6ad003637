"""Relleno constante (``F.pad`` con mode='constant', ``nn.ZeroPad2d``, ``nn.ConstantPad2d``).

Los otros modos (reflect, replicate, circular) son indexado con un array de índices y usan
la operación de indexado.
"""
import numpy as np

from .base import Op
from .movement import embed


class _ConstantPadSlices:
    """Cortes de origen y destino de un relleno constante (acepta rellenos negativos)."""

    def __init__(self, shape, pad):
        k = len(pad) // 2
        self.shape = list(shape)
        src, dst = [slice(None)] * len(shape), [slice(None)] * len(shape)
        for i in range(k):
            dim = len(shape) - 1 - i
            lo, hi = pad[2 * i], pad[2 * i + 1]
            n = shape[dim]
            self.shape[dim] = n + lo + hi
            src[dim] = slice(max(-lo, 0), n - max(-hi, 0))
            dst[dim] = slice(max(lo, 0), max(lo, 0) + max(n - max(-lo, 0) - max(-hi, 0), 0))
        self.src, self.dst = tuple(src), tuple(dst)
        self.crops = any(p < 0 for p in pad)


class ConstantPad(Op):
    """Rellena con un valor (o recorta, con rellenos negativos) las últimas dimensiones."""

    torch_name = "ConstantPadNdBackward0"
    rule = "recorta el gradiente a la zona de la entrada"
    rule_latex = r"\text{recorta el gradiente a la zona de la entrada}"

    @staticmethod
    def forward(ctx, x, pad=(), value=0):
        geo = _ConstantPadSlices(x.shape, pad)
        if ctx is not None:
            ctx.geo, ctx.in_shape = geo, x.shape
        out = np.full(geo.shape, value, dtype=x.dtype)
        out[geo.dst] = x[geo.src]
        return out

    @staticmethod
    def backward(ctx, grad):
        geo = ctx.geo
        part = grad[geo.dst]
        if not geo.crops:
            return part
        return embed(part, ctx.in_shape, geo.src)
