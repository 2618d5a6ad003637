"""Más funciones de una entrada: exponenciales y logaritmos (expm1, exp2, log2, log10), rsqrt,
reciprocal, trunc, frac, logit, nan_to_num y el cambio de grados a radianes (las
trigonométricas e hiperbólicas están en ``trig.py``).

Las derivadas en los bordes del dominio son las de PyTorch: infinitas donde la fórmula lo es
(asin en ±1, acosh en 1, rsqrt y reciprocal en 0...), nunca un nan inventado.
"""
import math

import numpy as np

from .base import Op, const_like as _const, quiet, value  # noqa: F401 (quiet: binary_extra)


_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


class Expm1(Op):
    """exp(x) - 1, preciso para x pequeño."""

    rule = "∂/∂a = exp(a) = salida + 1"
    rule_latex = r"\frac{\partial}{\partial a} = e^{a}"
    local = ("{c} + 1",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        with np.errstate(over="ignore"):
            out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * (ctx.saved[0] + 1)


class Exp2(Op):
    rule = "∂/∂a = 2^a·ln 2"
    rule_latex = r"\frac{\partial}{\partial a} = 2^{a} \ln 2"
    local = ("{c}·ln 2",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        with np.errstate(over="ignore"):
            out = np.exp2(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (out * _const(out, _LN2))


class Log2(Op):
    rule = "∂/∂a = 1/(a·ln 2)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{a \ln 2}"
    local = ("1/({a}·ln 2)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log2(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        with np.errstate(divide="ignore"):
            return grad / (a * _const(a, _LN2))


class Log10(Op):
    rule = "∂/∂a = 1/(a·ln 10)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{a \ln 10}"
    local = ("1/({a}·ln 10)",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        with np.errstate(divide="ignore"):
            return grad / (a * _const(a, _LN10))


class Rsqrt(Op):
    """1/√a; en 0 da inf y su derivada -inf, como PyTorch."""

    rule = "∂/∂a = -1/(2·a^(3/2)) = -salida³/2"
    rule_latex = r"\frac{\partial}{\partial a} = -\frac{1}{2\,a^{3/2}}"
    local = ("-{c}³/2",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.reciprocal(np.sqrt(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (out * out * out * _const(out, -0.5))


class Reciprocal(Op):
    rule = "∂/∂a = -1/a²"
    rule_latex = r"\frac{\partial}{\partial a} = -\frac{1}{a^2}"
    local = ("-{c}²",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        out = ctx.saved[0]
        return -grad * (out * out)


class Step(Op):
    """Funciones escalonadas (``trunc``, ``floor``, ``ceil``, ``round``, ``sign``, ``sgn``):
    gradiente 0 en todas partes, como PyTorch (que las deja en el grafo: ``FloorBackward0``...).
    Con enteros devuelven una copia (``sign``, el signo)."""

    rule = "∂/∂a = 0 (función escalonada)"
    rule_latex = r"\frac{\partial}{\partial a} = 0 \text{ (función escalonada)}"
    local = ("0",)

    @staticmethod
    def torch_name(node):   # RoundBackward1: round con decimals
        return f"{node.fn.capitalize()}Backward{1 if node.decimals else 0}"

    @staticmethod
    @quiet
    def forward(ctx, a, fn="trunc", decimals=0):
        ctx.fn, ctx.decimals = fn, decimals
        if a.dtype.kind == "b" or (a.dtype.kind != "f" and fn not in ("sign", "sgn")):
            return a.copy()
        if decimals:
            return np.round(a, decimals)
        return np.sign(a) if fn == "sgn" else getattr(np, fn)(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * 0


class Frac(Op):
    """Parte fraccionaria a - trunc(a): gradiente 1, como PyTorch."""

    rule = "∂/∂a = 1"
    rule_latex = r"\frac{\partial}{\partial a} = 1"
    local = ("1",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad


class Logit(Op):
    """log(a / (1 - a)); con ``eps`` la entrada se recorta a [eps, 1 - eps] y el gradiente es 0
    fuera de ese intervalo (bordes incluidos dentro). Sin ``eps``, nan fuera de [0, 1]."""

    rule = "∂/∂a = 1/(a·(1 - a))"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{1}{a\,(1 - a)}"
    local = ("1/({a}·(1 - {a}))",)

    @staticmethod
    @quiet
    def forward(ctx, a, eps=None):
        ctx.save_for_backward(a)
        ctx.eps = eps
        x = a if eps is None else np.clip(a, a.dtype.type(eps), a.dtype.type(1 - eps))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x / (1 - x))

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        raw = value(a)
        eps = ctx.eps
        with np.errstate(divide="ignore", invalid="ignore"):
            g = grad / (a * (1 - a))
            if eps is None:
                outside = (raw < 0) | (raw > 1)
                fill = np.nan
            else:
                outside = (raw < raw.dtype.type(eps)) | (raw > raw.dtype.type(1 - eps))
                fill = 0.0
            if outside.any():
                g = np.where(outside, grad.dtype.type(fill), g)
        return g


class NanToNum(Op):
    """nan, inf y -inf pasan a números finitos; el gradiente es 0 en esas posiciones."""

    rule = "∂/∂a = 1 donde a es finito, 0 donde es nan o ±inf"
    rule_latex = (r"\frac{\partial}{\partial a} = 1 \text{ donde } a \text{ es finito},\ 0 "
                  r"\text{ si no}")
    local = ("1 si {a} es finito, si no 0",)

    @staticmethod
    @quiet
    def forward(ctx, a, nan=0.0, posinf=None, neginf=None):
        if a.dtype.kind != "f":
            return a.copy()
        finite = np.isfinite(a)
        ctx.save_for_backward(finite)
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Deg2Rad(Op):
    rule = "∂/∂a = π/180"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{\pi}{180}"
    local = ("π/180",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        return a * a.dtype.type(math.pi / 180)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * _const(grad, math.pi / 180)


class Rad2Deg(Op):
    rule = "∂/∂a = 180/π"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{180}{\pi}"
    local = ("180/π",)

    @staticmethod
    @quiet
    def forward(ctx, a):
        return a * a.dtype.type(180 / math.pi)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * _const(grad, 180 / math.pi)
