"""Operaciones de movimiento: cambian la forma o seleccionan elementos, sin aritmética."""
import numpy as np

from .base import Op


class Reshape(Op):
    """reshape, view, flatten, squeeze y unsqueeze."""

    @staticmethod
    def forward(ctx, a, shape=None):
        ctx.in_shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape)


class Permute(Op):
    """permute, transpose, t() y .T."""

    @staticmethod
    def forward(ctx, a, axes=None):
        ctx.axes = axes
        return a.transpose(axes)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(np.argsort(ctx.axes))


class Expand(Op):
    """El gradiente vuelve con la forma expandida; el motor lo suma a la forma original."""

    @staticmethod
    def forward(ctx, a, shape=None):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad


class GetItem(Op):
    """Indexado: enteros, cortes, None, máscaras y arrays de índices (repetidos se suman)."""

    @staticmethod
    def forward(ctx, a, index=None, advanced=False):
        ctx.index, ctx.advanced = index, advanced
        ctx.in_shape, ctx.in_dtype = a.shape, a.dtype
        return a[index]

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        if ctx.advanced:
            np.add.at(out, ctx.index, grad)
        else:
            out[ctx.index] = grad
        return out


class Cat(Op):
    @staticmethod
    def forward(ctx, *arrays, axis=0):
        ctx.axis = axis
        ctx.splits = np.cumsum([x.shape[axis] for x in arrays])[:-1]
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.split(grad, ctx.splits, axis=ctx.axis))


class Stack(Op):
    @staticmethod
    def forward(ctx, *arrays, axis=0):
        ctx.axis = axis
        return np.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.moveaxis(grad, ctx.axis, 0))
