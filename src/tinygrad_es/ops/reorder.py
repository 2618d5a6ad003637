"""Operaciones que reordenan o enmascaran elementos sin aritmética: flip, roll, tril/triu y
unfold (ventanas deslizantes, con su adjunta).

El backward de ``flip`` es ``flip``, el de ``roll`` es ``roll`` en sentido contrario y el de
``tril`` es ``tril``: con ``create_graph=True`` se aplica la misma operación a un Tensor. El de
``unfold`` suma cada ventana en su sitio (``UnfoldBackward``), cuyo backward es ``unfold``.
"""
import numpy as np

from .base import Op


class Flip(Op):
    """``flip(dims)``: invierte el orden en las dimensiones dadas (una copia, como PyTorch)."""

    rule = "invierte el gradiente en las mismas dimensiones"
    rule_latex = r"\text{invierte el gradiente en las mismas dimensiones}"

    @staticmethod
    def forward(ctx, a, dims=()):
        if ctx is not None:
            ctx.dims = dims
        return np.flip(a, dims).copy()

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(Flip, grad, dims=ctx.dims)
        return Flip.forward(None, grad, ctx.dims)


class Roll(Op):
    """``roll(shifts, dims)``: desplaza los elementos en círculo (sin ``dims``: sobre el tensor
    aplanado)."""

    rule = "desplaza el gradiente en sentido contrario"
    rule_latex = r"\text{desplaza el gradiente en sentido contrario}"

    @staticmethod
    def forward(ctx, a, shifts=(), dims=None):
        if ctx is not None:
            ctx.shifts, ctx.dims = shifts, dims
        return np.roll(a, shifts[0] if dims is None else shifts, dims)

    @staticmethod
    def backward(ctx, grad):
        back = tuple(-s for s in ctx.shifts)
        if hasattr(grad, "_data"):
            return grad._apply(Roll, grad, shifts=back, dims=ctx.dims)
        return Roll.forward(None, grad, back, ctx.dims)


class Tril(Op):
    """``tril(diagonal)`` y ``triu(diagonal)`` (``upper=True``): ceros por encima (o por debajo)
    de la diagonal en las dos últimas dimensiones."""

    rule = "deja pasar el gradiente en el mismo triángulo (ceros en el resto)"
    rule_latex = r"\text{deja pasar el gradiente en el mismo triángulo (ceros en el resto)}"

    @staticmethod
    def torch_name(node):
        return "TriuBackward0" if node.upper else "TrilBackward0"

    @staticmethod
    def forward(ctx, a, diagonal=0, upper=False):
        ctx.diagonal, ctx.upper = diagonal, upper
        return np.triu(a, diagonal) if upper else np.tril(a, diagonal)

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(Tril, grad, diagonal=ctx.diagonal, upper=ctx.upper)
        return np.triu(grad, ctx.diagonal) if ctx.upper else np.tril(grad, ctx.diagonal)


def windows(a, dimension, size, step):
    """Vista de ``a`` con las ventanas ``[i*step, i*step + size)`` de ``dimension`` (una
    dimensión nueva al final, de tamaño ``size``), sin copiar la memoria."""
    count = (a.shape[dimension] - size) // step + 1
    shape = a.shape[:dimension] + (count,) + a.shape[dimension + 1:] + (size,)
    stride = a.strides[dimension]
    strides = a.strides[:dimension] + (stride * step,) + a.strides[dimension + 1:] + (stride,)
    writeable = a.flags.writeable and (step >= size or count <= 1)
    root = a if a.base is None else a.base
    if type(root) is np.ndarray and root.base is None and (root.flags.c_contiguous
                                                           or root.flags.f_contiguous):
        offset = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        out = np.ndarray(shape, a.dtype, buffer=root.reshape(-1, order="A"), offset=offset,
                         strides=strides)   # base: la memoria de ``a`` (así es una vista)
        out.flags.writeable = writeable
        return out
    out = np.lib.stride_tricks.as_strided(a, shape, strides, writeable=False)
    return out.copy()   # memoria ajena: una copia (no se puede anotar como vista)


class Unfold(Op):
    """``x.unfold(dimension, size, step)``: las ventanas deslizantes, como una vista."""

    rule = "suma el gradiente de cada ventana en su sitio"
    rule_latex = r"\text{suma el gradiente de cada ventana en su sitio}"

    @staticmethod
    def forward(ctx, a, dimension=0, size=1, step=1):
        if ctx is not None:
            ctx.in_shape, ctx.args = a.shape, (dimension, size, step)
        return windows(a, dimension, size, step)

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(UnfoldBackward, grad, shape=ctx.in_shape, args=ctx.args)
        return UnfoldBackward.forward(None, grad, ctx.in_shape, ctx.args)


class UnfoldBackward(Op):
    """Ceros de la forma de la entrada con cada ventana sumada en su sitio (backward de
    ``unfold``; las ventanas que se solapan se acumulan)."""

    rule = "toma las mismas ventanas del gradiente (unfold)"
    rule_latex = r"\text{toma las mismas ventanas del gradiente (unfold)}"

    @staticmethod
    def forward(ctx, grad, shape=None, args=(0, 1, 1)):
        if ctx is not None:
            ctx.args = args
        dimension, size, step = args
        out = np.zeros(shape, dtype=grad.dtype)
        count = grad.shape[dimension]
        lead = (slice(None),) * dimension
        for k in range(size):   # un bucle sobre las posiciones de la ventana
            where = lead + (slice(k, k + step * (count - 1) + 1, step),)
            out[where] += grad[..., k]
        return out

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(Unfold, grad, dimension=ctx.args[0], size=ctx.args[1],
                               step=ctx.args[2])
        return Unfold.forward(None, grad, *ctx.args)
