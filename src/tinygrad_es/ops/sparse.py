"""``Embedding``: tomar filas de una tabla de pesos por índice (la operación de ``nn.Embedding``).

Su backward suma el gradiente de cada posición en la fila de su índice (con índices repetidos
se acumula), salvo en la fila ``padding_idx``, que no recibe gradiente, y dividido entre la
frecuencia de cada índice en el lote con ``scale_grad_by_freq``. La suma por índice es la
operación adjunta ``Embed`` de ``movement.py`` (su backward vuelve a tomar filas): así el
backward también se deriva con ``create_graph=True``.
"""
import numpy as np

from .base import Op
from .movement import embed


class Embedding(Op):
    rule = "∂/∂W[i] = Σ de G en las posiciones con índice i (0 en padding_idx)"
    rule_latex = (r"\frac{\partial}{\partial W_i} = \sum_{k:\ \mathrm{idx}_k = i} G_k "
                  r"\text{ (0 en padding\_idx)}")

    @staticmethod
    def forward(ctx, weight, indices=None, padding_idx=-1, scale_grad_by_freq=False):
        ctx.indices, ctx.table_shape = indices, weight.shape
        ctx.padding_idx, ctx.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        return np.take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, grad):
        idx = ctx.indices
        if ctx.padding_idx >= 0 or ctx.scale_grad_by_freq:
            dtype = grad.dtype if isinstance(grad, np.ndarray) else np.dtype(grad._data.dtype)
            factor = np.ones(idx.shape, dtype=dtype)
            if ctx.scale_grad_by_freq:
                counts = np.bincount(idx.ravel(), minlength=ctx.table_shape[0])
                factor /= counts[idx].astype(dtype)
            if ctx.padding_idx >= 0:
                factor[idx == ctx.padding_idx] = 0
            grad = grad * factor[..., None]
        return embed(grad, ctx.table_shape, (idx,), True)
