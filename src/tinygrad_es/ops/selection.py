"""Operaciones que eligen por máscara: relu, leaky_relu, clamp, maximum/minimum y where.

Su derivada es 1 o 0 (o una pendiente) según qué entrada se eligió; en los empates y en los
bordes, el valor de PyTorch (ver docs/semantica_pytorch.md).
"""
import numpy as np

from .base import Op, inplace_suffix, value


class ReLU(Op):
    """Gradiente 0 en x = 0, como PyTorch."""

    torch_name = "ReluBackward0"
    rule = "∂/∂a = 1 donde a > 0, 0 en el resto"
    rule_latex = r"\frac{\partial}{\partial a} = 1 \text{ donde } a > 0,\ 0 \text{ en el resto}"
    local = ("1 si {a} > 0, si no 0",)

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * (ctx.saved[0] > 0)


class LeakyReLU(Op):
    """Pendiente ``negative_slope`` para x <= 0 (en x = 0 también, como PyTorch)."""

    @staticmethod
    def torch_name(node):   # LeakyReluBackward1 in situ, como PyTorch
        return "LeakyReluBackward" + inplace_suffix(node)
    rule = "∂/∂a = 1 donde a > 0, la pendiente negativa en el resto"
    rule_latex = (r"\frac{\partial}{\partial a} = 1 \text{ donde } a > 0,\ \text{la pendiente "
                  r"negativa en el resto}")
    local = ("1 si {a} > 0, si no la pendiente negativa",)

    @staticmethod
    def forward(ctx, a, negative_slope=0.01):
        ctx.save_for_backward(a)
        ctx.negative_slope = negative_slope
        return np.where(a > 0, a, a * a.dtype.type(negative_slope))

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return np.where(a > 0, grad, grad * grad.dtype.type(ctx.negative_slope))


class Clamp(Op):
    """Gradiente 1 dentro de [min, max], bordes incluidos (como PyTorch)."""

    torch_name = "ClampBackward1"
    rule = "∂/∂a = 1 dentro del intervalo, 0 fuera"
    rule_latex = r"\frac{\partial}{\partial a} = 1 \text{ dentro del intervalo},\ 0 \text{ fuera}"
    local = ("1 si {a} está en [min, max], si no 0",)

    @staticmethod
    def forward(ctx, a, min=None, max=None):
        ctx.save_for_backward(a)
        ctx.bounds = (min, max)
        return np.clip(a, min, max).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        lo, hi = ctx.bounds
        inside = np.ones(a.shape, dtype=bool)
        if lo is not None:
            inside &= a >= lo
        if hi is not None:
            inside &= a <= hi
        return grad * inside


class Maximum(Op):
    """En empates el gradiente se reparte a partes iguales, como PyTorch."""

    rule = "∂ = 1 para la entrada mayor, 0 para la otra (la mitad si empatan)"
    rule_latex = (r"\partial = 1 \text{ para la entrada mayor},\ 0 \text{ para la otra (la mitad "
                  r"si empatan)}")
    local = ("1 si {a} > {b}, 1/2 si empatan, si no 0", "1 si {b} > {a}, 1/2 si empatan, si no 0")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _split_tie(grad, a > b, a == b)


class Minimum(Op):
    rule = "∂ = 1 para la entrada menor, 0 para la otra (la mitad si empatan)"
    rule_latex = (r"\partial = 1 \text{ para la entrada menor},\ 0 \text{ para la otra (la mitad "
                  r"si empatan)}")
    local = ("1 si {a} < {b}, 1/2 si empatan, si no 0", "1 si {b} < {a}, 1/2 si empatan, si no 0")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _split_tie(grad, a < b, a == b)


def _split_tie(grad, a_wins, tie):
    share_a = (value(a_wins) + 0.5 * value(tie)).astype(grad.dtype, copy=False)
    return grad * share_a, grad * (1 - share_a)


class Where(Op):
    """``where(cond, a, b)``: ``cond`` no es diferenciable."""

    rule = "∂ = 1 donde se eligió esa entrada, 0 en el resto"
    rule_latex = r"\partial = 1 \text{ donde se eligió esa entrada},\ 0 \text{ en el resto}"
    local = (None, "1 si la condición se cumple, si no 0", "0 si la condición se cumple, si no 1")

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.save_for_backward(cond)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx, grad):
        cond = ctx.saved[0]
        _, need_a, need_b = ctx.needs_input_grad
        zero = grad.dtype.type(0)
        return (None,
                np.where(cond, grad, zero) if need_a else None,
                np.where(cond, zero, grad) if need_b else None)
