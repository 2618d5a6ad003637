"""Trigonométricas (tan, asin, acos, atan) e hiperbólicas (sinh, cosh, asinh, acosh, atanh):
forward y backward juntos, con su regla.

Las derivadas en los bordes del dominio son las de PyTorch: infinitas donde la fórmula lo es
(asin en ±1, acosh en 1...), nunca un nan inventado.
"""
import numpy as np

from .base import Op, quiet


class Tan(Op):
    rule = "∂/∂a = 1 + tan²(a)"
    rule_latex = r"\frac{\partial}{\partial a} = 1 + \tan^2(a)"
    local = ("1 + {c}²",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (out * out + 1)


class Asin(Op):
    """Derivada infinita en a = ±1, como PyTorch."""

    rule = "∂/∂a = 1/√(1 - a²)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{\sqrt{1 - a^2}}"
    local = ("1/√(1 - {a}²)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore"):
            return np.arcsin(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad / np.sqrt(1 - a * a)


class Acos(Op):
    rule = "∂/∂a = -1/√(1 - a²)"
    rule_latex = r"\frac{\partial}{\partial a} = -\frac{1}{\sqrt{1 - a^2}}"
    local = ("-1/√(1 - {a}²)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore"):
            return np.arccos(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return -grad / np.sqrt(1 - a * a)


class Atan(Op):
    rule = "∂/∂a = 1/(1 + a²)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{1 + a^2}"
    local = ("1/(1 + {a}²)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arctan(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad / (a * a + 1)


class Sinh(Op):
    rule = "∂/∂a = cosh(a)"
    rule_latex = r"\frac{\partial}{\partial a} = \cosh(a)"
    local = ("cosh({a})",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(over="ignore"):
            return np.sinh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        with np.errstate(over="ignore"):
            return grad * np.cosh(ctx.saved[0])


class Cosh(Op):
    rule = "∂/∂a = sinh(a)"
    rule_latex = r"\frac{\partial}{\partial a} = \sinh(a)"
    local = ("sinh({a})",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(over="ignore"):
            return np.cosh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        with np.errstate(over="ignore"):
            return grad * np.sinh(ctx.saved[0])


class Asinh(Op):
    rule = "∂/∂a = 1/√(a² + 1)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{\sqrt{a^2 + 1}}"
    local = ("1/√({a}² + 1)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arcsinh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad / np.sqrt(a * a + 1)


class Acosh(Op):
    """Derivada infinita en a = 1, como PyTorch."""

    rule = "∂/∂a = 1/√(a² - 1)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{\sqrt{a^2 - 1}}"
    local = ("1/√({a}² - 1)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore"):
            return np.arccosh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad / np.sqrt(a * a - 1)


class Atanh(Op):
    rule = "∂/∂a = 1/(1 - a²)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{1 - a^2}"
    local = ("1/(1 - {a}²)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.arctanh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        with np.errstate(divide="ignore"):
            return grad / (1 - a * a)
