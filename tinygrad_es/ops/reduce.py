"""Reducciones: sum, mean, amax/amin (con empates repartidos) y el gather de max(dim)."""
import numpy as np

from .base import Op, expand_reduced, normalize_axis


class Sum(Op):
    @staticmethod
    def forward(ctx, a, axis=None, keepdim=False):
        ctx.in_shape = a.shape
        ctx.axes = normalize_axis(axis, a.ndim)
        ctx.keepdim = keepdim
        return np.asarray(a.sum(axis=ctx.axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        grad = expand_reduced(grad, ctx.in_shape, ctx.axes, ctx.keepdim)
        return np.broadcast_to(grad, ctx.in_shape)


class Mean(Op):
    @staticmethod
    def forward(ctx, a, axis=None, keepdim=False):
        ctx.in_shape = a.shape
        ctx.axes = normalize_axis(axis, a.ndim)
        ctx.keepdim = keepdim
        ctx.count = int(np.prod([a.shape[i] for i in ctx.axes])) if a.ndim else 1
        return np.asarray(a.mean(axis=ctx.axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        grad = expand_reduced(grad, ctx.in_shape, ctx.axes, ctx.keepdim)
        return np.broadcast_to(grad / grad.dtype.type(ctx.count), ctx.in_shape)


class _Extreme(Op):
    """amax/amin y max()/min() sin dim: con empates, el gradiente se reparte a partes iguales."""

    reducer = None

    @classmethod
    def forward(cls, ctx, a, axis=None, keepdim=False):
        axes = normalize_axis(axis, a.ndim)
        out_keep = cls.reducer(a, axis=axes, keepdims=True)
        ctx.save_for_backward(a == out_keep)
        ctx.axes, ctx.keepdim, ctx.in_shape = axes, keepdim, a.shape
        return out_keep if keepdim else out_keep.reshape(
            tuple(d for i, d in enumerate(a.shape) if i not in axes))

    @staticmethod
    def backward(ctx, grad):
        mask = ctx.saved[0]
        grad = expand_reduced(grad, ctx.in_shape, ctx.axes, ctx.keepdim)
        count = mask.sum(axis=ctx.axes, keepdims=True).astype(grad.dtype)
        return mask * (grad / count)


class Amax(_Extreme):
    reducer = staticmethod(np.max)


class Amin(_Extreme):
    reducer = staticmethod(np.min)


class TakeAlongDim(Op):
    """Valores en los índices dados a lo largo de ``axis`` (max(dim)/min(dim), gather).

    Todo el gradiente va al índice elegido, también con empates (como PyTorch).
    """

    @staticmethod
    def forward(ctx, a, indices=None, axis=0, keepdim=True):
        ctx.save_for_backward(indices)
        ctx.axis, ctx.keepdim, ctx.in_shape = axis, keepdim, a.shape
        out = np.take_along_axis(a, indices, axis=axis)
        return out if keepdim else np.squeeze(out, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        indices = ctx.saved[0]
        if not ctx.keepdim:
            grad = np.expand_dims(grad, ctx.axis)
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        np.put_along_axis(out, indices, grad, axis=ctx.axis)
        return out
