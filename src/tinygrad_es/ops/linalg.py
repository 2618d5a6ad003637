"""Producto matricial con todos los casos de ``torch.matmul``."""
import numpy as np

from .. import _threads as blas
from .base import Op, sum_to_shape


class MatMul(Op):
    """1-D·1-D (producto escalar), 2-D, 1-D promovido, lotes con difusión de dimensiones."""

    rule = "∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G"
    rule_latex = (r"\frac{\partial}{\partial A} = G\,B^\top,\quad \frac{\partial}{\partial B} = "
                  r"A^\top G")

    @staticmethod
    def shape_hint(a, b):
        """El mensaje de error cuando las formas no se pueden multiplicar."""
        inner_a = a.shape[-1]
        inner_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if inner_a != inner_b:
            detail = (f"la última dimensión del primero ({inner_a}) debe coincidir con la "
                      f"{'penúltima' if b.ndim > 1 else 'única'} del segundo ({inner_b})")
        else:
            detail = "las dimensiones de lote (las de delante) no se pueden difundir"
        return (f"matmul: no se pueden multiplicar tensores de formas {tuple(a.shape)} y "
                f"{tuple(b.shape)}: {detail}.")

    @staticmethod
    def torch_name(node):   # el nombre de PyTorch depende de las dimensiones
        a, b = (len(s) for s in node.shapes)
        names = {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (1, 2): "SqueezeBackward4",
                 (2, 2): "MmBackward0"}
        return names.get((a, b), "UnsafeViewBackward0")

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.shapes = (a.shape, b.shape)
        return np.asarray(blas.matmul(a, b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        a_shape, b_shape = ctx.shapes
        need_a, need_b = ctx.needs_input_grad
        if len(a_shape) == 2 and len(b_shape) == 2:   # caso habitual: sin promociones
            return ((blas.matmul(grad, b.T) if need_a else None),
                    (blas.matmul(a.T, grad) if need_b else None))
        # Promueve vectores a matrices como hace matmul y reinserta los ejes en el gradiente.
        a2_shape = (1,) + a_shape if len(a_shape) == 1 else a_shape
        b2_shape = b_shape + (1,) if len(b_shape) == 1 else b_shape
        a2 = a.reshape(a2_shape) if a is not None else None
        b2 = b.reshape(b2_shape) if b is not None else None
        g2 = grad.reshape(np.broadcast_shapes(a2_shape[:-2], b2_shape[:-2])
                          + (a2_shape[-2], b2_shape[-1]))
        ga = gb = None
        if need_a:
            ga = blas.matmul(g2, np.swapaxes(b2, -1, -2))
            ga = sum_to_shape(ga, a2_shape).reshape(a_shape)
        if need_b:
            gb = blas.matmul(np.swapaxes(a2, -1, -2), g2)
            gb = sum_to_shape(gb, b2_shape).reshape(b_shape)
        return ga, gb
