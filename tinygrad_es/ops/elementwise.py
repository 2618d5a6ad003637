"""Operaciones elemento a elemento: forward y backward juntos.

Las entradas pueden tener formas difundibles; los gradientes se devuelven con la
forma difundida y el motor los reduce a la de cada entrada.
"""
import numpy as np

from .base import Op


class Add(Op):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Op):
    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        return grad, (-grad if need_b else None)


class Mul(Op):
    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(b if need_a else None, a if need_b else None)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved
        return (grad * b if b is not None else None), (grad * a if a is not None else None)


class Div(Op):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        ga = grad / b if need_a else None
        gb = -grad * a / (b * b) if need_b else None
        return ga, gb


class Neg(Op):
    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Pow(Op):
    """``a ** b``. Con exponente 0 el gradiente es 0 en todas partes (también en a=0)."""

    @staticmethod
    def forward(ctx, a, b):
        out = a ** b
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1] else None)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        ga = gb = None
        if need_a:
            with np.errstate(divide="ignore", invalid="ignore"):   # 0 ** -0.5 = inf, como torch
                if np.ndim(b) == 0:
                    ga = np.zeros_like(a * grad) if b == 0 else grad * (b * a ** (b - 1))
                else:
                    ga = np.where(b == 0, 0, grad * (b * a ** (b - 1)))
        if need_b:
            with np.errstate(divide="ignore", invalid="ignore"):
                local = np.where((a == 0) & (b >= 0), 0, out * np.log(a))
            gb = grad * local
        return ga, gb


class Exp(Op):
    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Log(Op):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, grad):
        return grad / ctx.saved[0]


class Sqrt(Op):
    """En 0 el gradiente es inf, como en PyTorch."""

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

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * np.sign(ctx.saved[0])


class Sin(Op):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * np.cos(ctx.saved[0])


class Cos(Op):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad):
        return -grad * np.sin(ctx.saved[0])


class Tanh(Op):
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

    @staticmethod
    def forward(ctx, a):
        out = np.negative(a, out=np.empty_like(a))
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1
        np.reciprocal(out, out=out)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (out * (1 - out))


class ReLU(Op):
    """Gradiente 0 en x = 0, como PyTorch."""

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

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _split_tie(grad, a > b, a == b)


class Minimum(Op):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _split_tie(grad, a < b, a == b)


def _split_tie(grad, a_wins, tie):
    share_a = a_wins + 0.5 * tie
    share_a = share_a.astype(grad.dtype, copy=False)
    return grad * share_a, grad * (1 - share_a)


class Where(Op):
    """``where(cond, a, b)``: ``cond`` no es diferenciable."""

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


class Cast(Op):
    """Cambio de dtype: el motor devuelve el gradiente al dtype de la entrada."""

    @staticmethod
    def forward(ctx, a, dtype=None):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Clone(Op):
    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad
