"""Operaciones de redes neuronales fusionadas en un solo nodo."""
import numpy as np

from .. import _threads as blas
from .base import Op


class LogSoftmax(Op):
    """log_softmax estable: x - max - log(sum(exp(x - max))). Finito para logits de ±1e3."""

    rule = "∂/∂x = G - softmax(x)·ΣG (por fila)"
    rule_latex = r"\frac{\partial}{\partial x} = G - \mathrm{softmax}(x) \sum G \text{ (por fila)}"

    @staticmethod
    def forward(ctx, a, axis=-1):
        # np.maximum.reduce / np.add.reduce: lo mismo que a.max() / .sum(), sin la capa de Python
        shifted = a - np.maximum.reduce(a, axis=axis, keepdims=True)
        out = shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad - np.exp(out) * np.add.reduce(grad, axis=ctx.axis, keepdims=True)


class Softmax(Op):
    rule = "∂/∂x = s ⊙ (G - Σ(G ⊙ s)) (por fila)"
    rule_latex = r"\frac{\partial}{\partial x} = s \odot (G - \sum (G \odot s)) \text{ (por fila)}"

    @staticmethod
    def forward(ctx, a, axis=-1):
        e = np.exp(a - a.max(axis=axis, keepdims=True))
        e /= e.sum(axis=axis, keepdims=True)
        ctx.save_for_backward(e)
        ctx.axis = axis
        return e

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return out * (grad - (grad * out).sum(axis=ctx.axis, keepdims=True))


class Linear(Op):
    """``x @ W.T + b`` en un nodo (lo usa ``nn.Linear``). ``bias`` puede faltar."""

    rule = "∂/∂x = G·W, ∂/∂W = Gᵀ·x, ∂/∂b = Σ filas de G"
    rule_latex = (r"\frac{\partial}{\partial x} = G\,W,\quad \frac{\partial}{\partial W} = G^\top "
                  r"x,\quad \frac{\partial}{\partial b} = \sum_{\text{filas}} G")

    @staticmethod
    def shape_hint(x, weight, bias=None):
        """El mensaje de error cuando la entrada no tiene las características del peso."""
        return (f"Linear espera {weight.shape[1]} características de entrada pero recibió un "
                f"tensor de forma {tuple(x.shape)}. ¿Olvidaste nn.Flatten()? (el peso tiene "
                f"forma {tuple(weight.shape)})")

    @staticmethod
    def torch_name(node):   # AddmmBackward0 con sesgo y entrada 2-D, como PyTorch
        if node.input_ndim != 2:
            return "ViewBackward0"
        return "AddmmBackward0" if node.with_bias else "MmBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.input_ndim, ctx.with_bias = x.ndim, bias is not None
        needs = ctx.needs_input_grad
        ctx.save_for_backward(x if needs[1] else None, weight if needs[0] else None)
        out = blas.matmul(x, weight.T)
        if bias is not None:
            out += bias
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved
        needs = ctx.needs_input_grad
        gx = blas.matmul(grad, weight) if needs[0] else None
        gw = gb = None
        g2 = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])   # lote aplanado
        if needs[1]:
            gw = blas.matmul(g2.T, x if x.ndim == 2 else x.reshape(-1, x.shape[-1]))
        if len(needs) > 2 and needs[2]:
            gb = np.add.reduce(g2, axis=0)
        return (gx, gw, gb) if len(needs) > 2 else (gx, gw)
