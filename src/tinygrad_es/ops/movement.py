"""Operaciones de movimiento: cambian la forma o seleccionan elementos, sin aritmética."""
import numpy as np

from .base import Op


class Reshape(Op):
    """reshape, view, flatten, squeeze, unsqueeze y unflatten."""

    rule = "devuelve el gradiente a la forma de la entrada"
    rule_latex = r"\text{devuelve el gradiente a la forma de la entrada}"
    local = ("1",)

    @staticmethod
    def torch_name(node):   # label: el nombre de PyTorch según el método (Squeeze, Unsqueeze...)
        return node.label or "ViewBackward0"

    @staticmethod
    def forward(ctx, a, shape=None, label=None):
        ctx.in_shape, ctx.label = a.shape, label
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape)


class Permute(Op):
    """permute, transpose, t() y .T."""

    rule = "aplica al gradiente la permutación inversa"
    rule_latex = r"\text{aplica al gradiente la permutación inversa}"

    @staticmethod
    def torch_name(node):   # label: TBackward0 o TransposeBackward0 según el método
        return node.label or "PermuteBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, label=None):
        ctx.axes, ctx.label = axes, label
        return a.transpose(axes)

    @staticmethod
    def backward(ctx, grad):
        return np.transpose(grad, np.argsort(ctx.axes))


class Expand(Op):
    """El gradiente vuelve con la forma expandida; el motor lo suma a la forma original.

    Si no repite ningún elemento (solo añade dimensiones de tamaño 1) la vista se puede
    escribir, como en PyTorch; si los repite es de solo lectura.
    """

    torch_name = "ExpandBackward0"
    rule = "suma el gradiente sobre las dimensiones expandidas"
    rule_latex = r"\text{suma el gradiente sobre las dimensiones expandidas}"
    local = ("1",)

    @staticmethod
    def forward(ctx, a, shape=None):
        if int(np.prod(shape)) == a.size:
            return a.reshape(shape)
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad


class GetItem(Op):
    """Indexado: enteros, cortes, None, máscaras y arrays de índices (repetidos se suman).

    Sin arrays de índices el resultado es una vista (también ``x[0]`` de un tensor 1-D, que
    NumPy daría como un escalar suelto); con ellos, una copia.
    """

    rule = "coloca el gradiente en las posiciones elegidas (ceros en el resto)"
    rule_latex = r"\text{coloca el gradiente en las posiciones elegidas (ceros en el resto)}"

    @staticmethod
    def torch_name(node):
        if node.advanced:
            return "IndexBackward0"
        parts = node.index if isinstance(node.index, tuple) else (node.index,)
        if any(isinstance(p, (int, np.integer)) for p in parts):
            return "SelectBackward0"
        return "SliceBackward0"

    @staticmethod
    def forward(ctx, a, index=None, advanced=False):
        ctx.index, ctx.advanced = index, advanced
        ctx.in_shape, ctx.in_dtype = a.shape, a.dtype
        out = a[index]
        if type(out) is not np.ndarray:   # todo enteros: la vista 0-d, no una copia
            out = a[(index if isinstance(index, tuple) else (index,)) + (Ellipsis,)]
        return out

    @staticmethod
    def backward(ctx, grad):
        return embed(grad, ctx.in_shape, ctx.index, ctx.advanced)


def embed(grad, shape, index, advanced=False):
    """Un array de ceros de forma ``shape`` con ``grad`` en las posiciones ``index`` (sumando
    las repetidas): la adjunta del indexado. Con un Tensor, la operación ``Embed``."""
    if hasattr(grad, "_data"):
        return grad._apply(Embed, grad, shape=shape, index=index, advanced=advanced)
    return Embed.forward(None, grad, shape, index, advanced)


class Embed(Op):
    """Coloca el gradiente en las posiciones indexadas (backward de ``x[índice]``)."""

    torch_name = "IndexPutBackward0"
    rule = "toma el gradiente de las posiciones donde se colocó (como x[índice])"
    rule_latex = r"\text{toma el gradiente de las posiciones donde se colocó (como x[índice])}"

    @staticmethod
    def forward(ctx, grad, shape=None, index=None, advanced=False):
        if ctx is not None:
            ctx.index = index
        out = np.zeros(shape, dtype=grad.dtype)
        if advanced:
            np.add.at(out, index, grad)
        else:
            out[index] = grad
        return out

    @staticmethod
    def backward(ctx, grad):   # tomar de nuevo las mismas posiciones
        out = grad[ctx.index]
        return out if hasattr(out, "shape") else np.asarray(out)


class Diagonal(Op):
    """``diagonal(offset, dim1, dim2)``: una vista (que se puede escribir, como en PyTorch)."""

    torch_name = "DiagonalBackward0"
    rule = "coloca el gradiente en la diagonal (ceros en el resto)"
    rule_latex = r"\text{coloca el gradiente en la diagonal (ceros en el resto)}"

    @staticmethod
    def forward(ctx, a, offset=0, dim1=0, dim2=1):
        ctx.in_shape, ctx.args = a.shape, (offset, dim1, dim2)
        out = np.diagonal(a, offset, dim1, dim2)
        if a.flags.writeable:
            out.flags.writeable = True
        return out

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(DiagonalEmbed, grad, shape=ctx.in_shape, args=ctx.args)
        return DiagonalEmbed.forward(None, grad, ctx.in_shape, ctx.args)


class DiagonalEmbed(Op):
    """Una matriz de ceros con ``grad`` en la diagonal (backward de ``diagonal``)."""

    torch_name = "DiagonalBackwardBackward0"
    rule = "toma la diagonal del gradiente"
    rule_latex = r"\text{toma la diagonal del gradiente}"

    @staticmethod
    def forward(ctx, grad, shape=None, args=(0, 0, 1)):
        if ctx is not None:
            ctx.args = args
        out = np.zeros(shape, dtype=grad.dtype)
        view = np.diagonal(out, *args)
        view.flags.writeable = True
        view[...] = grad
        return out

    @staticmethod
    def backward(ctx, grad):
        return np.diagonal(grad, *ctx.args)


class Cat(Op):
    rule = "corta el gradiente en trozos, uno por entrada"
    rule_latex = r"\text{corta el gradiente en trozos, uno por entrada}"

    @staticmethod
    def shape_hint(*arrays):
        """El mensaje de error cuando las formas no encajan."""
        shapes = ", ".join(str(tuple(a.shape)) for a in arrays if hasattr(a, "shape"))
        return (f"cat: los tensores deben coincidir en todas las dimensiones excepto la de "
                f"concatenación, pero sus formas son {shapes}.")

    @staticmethod
    def forward(ctx, *arrays, axis=0):
        ctx.axis = axis
        ctx.splits = np.cumsum([x.shape[axis] for x in arrays])[:-1]
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.split(grad, ctx.splits, axis=ctx.axis))


class Stack(Op):
    rule = "separa el gradiente, un trozo por entrada"
    rule_latex = r"\text{separa el gradiente, un trozo por entrada}"

    @staticmethod
    def shape_hint(*arrays):
        """El mensaje de error cuando las formas no encajan."""
        shapes = ", ".join(str(tuple(a.shape)) for a in arrays if hasattr(a, "shape"))
        return (f"stack: los tensores deben coincidir en todas las dimensiones, pero sus formas "
                f"son {shapes}.")

    @staticmethod
    def forward(ctx, *arrays, axis=0):
        ctx.axis = axis
        return np.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.moveaxis(grad, ctx.axis, 0))
