"""Funciones de una entrada (exp, log, sqrt, abs, sin, cos, tanh, sigmoid...): forward y backward
juntos, con la regla de cada una.
"""
import numpy as np

from .base import Op


class Exp(Op):
    rule = "∂/∂a = exp(a) (la propia salida)"
    rule_latex = r"\frac{\partial}{\partial a} = e^{a} \text{ (la propia salida)}"
    local = ("exp({a}) = {c}",)

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Log(Op):
    rule = "∂/∂a = 1/a"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{a}"
    local = ("1/{a}",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, grad):
        return grad / ctx.saved[0]


class Sqrt(Op):
    """En 0 el gradiente es inf, como en PyTorch."""

    rule = "∂/∂a = 1/(2·√a)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{2\sqrt{a}}"
    local = ("1/(2·{c})",)

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        with np.errstate(divide="ignore"):
            return grad / (2 * ctx.saved[0])


class Abs(Op):
    """Gradiente sign(x): 0 en x = 0."""

    rule = "∂/∂a = signo(a)"
    rule_latex = r"\frac{\partial}{\partial a} = \mathrm{signo}(a)"
    local = ("signo({a})",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * np.sign(ctx.saved[0])


class Log1p(Op):
    """log(1 + x), preciso para x pequeño."""

    torch_name = "Log1PBackward0"   # el nombre de PyTorch

    rule = "∂/∂a = 1/(1 + a)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{1 + a}"
    local = ("1/(1 + {a})",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log1p(a)

    @staticmethod
    def backward(ctx, grad):
        return grad / (1 + ctx.saved[0])


class Sin(Op):
    rule = "∂/∂a = cos(a)"
    rule_latex = r"\frac{\partial}{\partial a} = \cos(a)"
    local = ("cos({a})",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * np.cos(ctx.saved[0])


class Cos(Op):
    rule = "∂/∂a = -sin(a)"
    rule_latex = r"\frac{\partial}{\partial a} = -\sin(a)"
    local = ("-sin({a})",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad):
        return -grad * np.sin(ctx.saved[0])


class Tanh(Op):
    rule = "∂/∂a = 1 - tanh²(a)"
    rule_latex = r"\frac{\partial}{\partial a} = 1 - \tanh^2(a)"
    local = ("1 - {c}²",)

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (1 - out * out)


class Sigmoid(Op):
    """1 / (1 + exp(-x)), como PyTorch: exp(-x) = inf da 0 sin nan, y los valores pequeños
    (x = -50 -> 1.9e-22) conservan su precisión relativa (con tanh saldrían 0)."""

    rule = "∂/∂a = σ(a)·(1 - σ(a))"
    rule_latex = r"\frac{\partial}{\partial a} = \sigma(a)\,(1 - \sigma(a))"
    local = ("{c}·(1 - {c})",)

    @staticmethod
    def forward(ctx, a):
        out = np.negative(a, out=np.empty_like(a))
        np.exp(out, out=out)   # exp(1000) = inf -> 0, sin aviso (ver _fp_warnings.py)
        out += 1
        np.reciprocal(out, out=out)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (out * (1 - out))
