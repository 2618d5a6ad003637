"""Más funciones de dos entradas: atan2, hypot, fmod, fmax/fmin, xlogy, lerp y poisson (que
solo necesita un gradiente nulo).

Los casos especiales son los de PyTorch:

- ``atan2`` en el origen: gradiente 0 (no nan) para las dos entradas.
- ``hypot`` en el origen: gradiente nan (0/0), como PyTorch.
- ``fmax``/``fmin``: si una entrada es nan se elige la otra; el gradiente va entero a ``a``
  cuando ``a`` gana o empata (o ``b`` es nan), y a ``b`` en el resto.
- ``xlogy(0, y) = 0`` (salvo y = nan); su gradiente respecto de x es ``xlogy(x != 0, y)`` (0 donde
  x = 0) y respecto de y es ``x/y`` (nan en x = y = 0).
"""
import numpy as np

from .base import Op, value
from .elementwise import divide_checked
from .base import quiet


class Atan2(Op):
    rule = "∂/∂a = b/(a² + b²), ∂/∂b = -a/(a² + b²)"
    rule_latex = (r"\frac{\partial}{\partial a} = \frac{b}{a^2 + b^2},\quad "
                  r"\frac{\partial}{\partial b} = -\frac{a}{a^2 + b^2}")
    local = ("{b}/({a}² + {b}²)", "-{a}/({a}² + {b}²)")

    @staticmethod
    @quiet
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        with np.errstate(over="ignore", invalid="ignore"):   # inf y nan, en silencio
            r = a * a + b * b
            origin = value(r) == 0
            if origin.any():   # en el origen PyTorch da 0 (no 0/0 = nan)
                recip = np.where(origin, 0.0, 1 / np.where(origin, 1.0, r))
            else:
                recip = 1 / r
            return (grad * (b * recip) if need_a else None,
                    -grad * (a * recip) if need_b else None)


class Hypot(Op):
    rule = "∂/∂a = a/√(a² + b²), ∂/∂b = b/√(a² + b²)"
    rule_latex = (r"\frac{\partial}{\partial a} = \frac{a}{\sqrt{a^2 + b^2}},\quad "
                  r"\frac{\partial}{\partial b} = \frac{b}{\sqrt{a^2 + b^2}}")
    local = ("{a}/{c}", "{b}/{c}")

    @staticmethod
    @quiet
    def forward(ctx, a, b):
        out = np.hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b, out = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        with np.errstate(divide="ignore", invalid="ignore"):
            return (grad * a / out if need_a else None), (grad * b / out if need_b else None)


class Fmod(Op):
    """Resto con el signo del dividendo (``math.fmod``); como PyTorch, ∂/∂b = -trunc(a/b)."""

    rule = "∂/∂a = 1, ∂/∂b = -trunc(a/b)"
    rule_latex = (r"\frac{\partial}{\partial a} = 1,\quad \frac{\partial}{\partial b} = "
                  r"-\operatorname{trunc}(a/b)")
    local = ("1", "-trunc({a}/{b})")

    @staticmethod
    def torch_name(node):
        return "FmodBackward" + ("1" if node.kind else "0")

    @staticmethod
    @quiet
    def forward(ctx, a, b):
        ctx.kind = isinstance(b, np.ndarray)
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return np.asarray(divide_checked(np.fmod, a, b, "fmod"))

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        gb = None
        if need_b:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = -grad * np.trunc(value(a) / value(b)).astype(value(grad).dtype, copy=False)
        return (grad if need_a else None), gb


def _fmax_mask(a, b, better):
    """Dónde gana ``a`` en fmax/fmin: gana o empata, o ``b`` es nan."""
    return better(a, b) | np.isnan(b) if b.dtype.kind == "f" else better(a, b)


class Fmax(Op):
    rule = "∂ = 1 para la entrada elegida (a si empatan o si b es nan), 0 para la otra"
    rule_latex = (r"\partial = 1 \text{ para la entrada elegida (a si empatan o si b es nan)},\ 0 "
                  r"\text{ para la otra}")
    local = ("1 si {a} ≥ {b} o {b} es nan, si no 0", "1 si {b} > {a} o {a} es nan, si no 0")

    @staticmethod
    @quiet
    def forward(ctx, a, b):
        ctx.save_for_backward(_fmax_mask(a, b, np.greater_equal))
        return np.fmax(a, b)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        mask = ctx.saved[0]
        need_a, need_b = ctx.needs_input_grad
        return (grad * mask if need_a else None), (grad * ~mask if need_b else None)


class Fmin(Op):
    rule = "∂ = 1 para la entrada elegida (a si empatan o si b es nan), 0 para la otra"
    rule_latex = (r"\partial = 1 \text{ para la entrada elegida (a si empatan o si b es nan)},\ 0 "
                  r"\text{ para la otra}")
    local = ("1 si {a} ≤ {b} o {b} es nan, si no 0", "1 si {b} < {a} o {a} es nan, si no 0")

    @staticmethod
    @quiet
    def forward(ctx, a, b):
        ctx.save_for_backward(_fmax_mask(a, b, np.less_equal))
        return np.fmin(a, b)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        mask = ctx.saved[0]
        need_a, need_b = ctx.needs_input_grad
        return (grad * mask if need_a else None), (grad * ~mask if need_b else None)


def _xlogy(x, y):
    """x·log(y), con 0 donde x = 0 (salvo y = nan). Funciona con arrays y con Tensores."""
    zero = (value(x) == 0) & ~np.isnan(value(y))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log(y)
    if zero.any():
        out = np.where(zero, value(out).dtype.type(0), out)
    return out


class Xlogy(Op):
    rule = "∂/∂x = log(y) (0 donde x = 0), ∂/∂y = x/y"
    rule_latex = (r"\frac{\partial}{\partial x} = \log y \ (0 \text{ donde } x = 0),\quad "
                  r"\frac{\partial}{\partial y} = \frac{x}{y}")
    local = ("ln({b}) (0 si {a} = 0)", "{a}/{b}")

    @staticmethod
    @quiet
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.asarray(_xlogy(a, b))

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        ga = gb = None
        if need_a:
            nonzero = (value(a) != 0).astype(value(grad).dtype)
            ga = grad * _xlogy(nonzero, b)
        if need_b:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = grad * a / b
        return ga, gb


def _lerp(start, end, w):
    """La fórmula de PyTorch: ``start + w·(end - start)`` si |w| < 0.5 y, si no,
    ``end - (end - start)·(1 - w)`` (exacta en w = 1)."""
    with np.errstate(invalid="ignore", over="ignore"):   # inf - inf = nan, como PyTorch
        diff = end - start
        return np.where(np.abs(w) < 0.5, start + w * diff, end - diff * (1 - w))


class Lerp(Op):
    """``lerp(start, end, weight)`` con ``weight`` tensor (derivable)."""

    torch_name = "LerpBackward1"
    rule = "∂/∂start = 1 - peso, ∂/∂end = peso, ∂/∂peso = end - start"
    rule_latex = (r"\frac{\partial}{\partial \mathrm{start}} = 1 - w,\quad "
                  r"\frac{\partial}{\partial \mathrm{end}} = w,\quad "
                  r"\frac{\partial}{\partial w} = \mathrm{end} - \mathrm{start}")
    local = ("1 - peso", "peso", "{b} - {a}")

    @staticmethod
    @quiet
    def forward(ctx, start, end, weight):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(start if needs[2] else None, end if needs[2] else None,
                              weight if needs[0] or needs[1] else None)
        return _lerp(start, end, weight)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        start, end, weight = ctx.saved
        needs = ctx.needs_input_grad
        with np.errstate(invalid="ignore", over="ignore"):
            return (grad * (1 - weight) if needs[0] else None,
                    grad * weight if needs[1] else None,
                    grad * (end - start) if needs[2] else None)


class LerpScalar(Op):
    """``lerp(start, end, weight)`` con ``weight`` número."""

    torch_name = "LerpBackward0"
    rule = "∂/∂start = 1 - peso, ∂/∂end = peso"
    rule_latex = (r"\frac{\partial}{\partial \mathrm{start}} = 1 - w,\quad "
                  r"\frac{\partial}{\partial \mathrm{end}} = w")
    local = ("1 - peso", "peso")

    @staticmethod
    @quiet
    def forward(ctx, start, end, weight=0.5):
        ctx.weight = weight
        return _lerp(start, end, start.dtype.type(weight))

    @staticmethod
    @quiet
    def backward(ctx, grad):
        w = value(grad).dtype.type(ctx.weight)
        needs = ctx.needs_input_grad
        return (grad * (1 - w) if needs[0] else None), (grad * w if needs[1] else None)


class Poisson(Op):
    """Muestras de Poisson ya sorteadas (``samples``): el gradiente respecto de las tasas es 0,
    como en PyTorch."""

    rule = "∂/∂λ = 0 (el muestreo no es derivable)"
    rule_latex = r"\frac{\partial}{\partial \lambda} = 0 \text{ (el muestreo no es derivable)}"
    local = ("0",)

    @staticmethod
    @quiet
    def forward(ctx, rates, samples=None):
        return samples

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * 0
