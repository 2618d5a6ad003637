"""Activaciones de ``nn`` como operaciones: las de a trozos y las suaves que necesitan cuidado.

- A trozos (hardtanh/relu6, hardsigmoid, hardswish, softshrink, hardshrink, threshold, prelu):
  el forward guarda la máscara de cada tramo (no derivable) y el backward la usa; en cada punto
  de quiebre el subgradiente es el de PyTorch 2.13 (medido: el punto de quiebre va siempre con
  el tramo de fuera: hardtanh(-1) y hardsigmoid(3) tienen gradiente 0, hardswish(3) 1,
  softshrink(±λ) 0, threshold(umbral) 0, elu y prelu en 0 toman la rama negativa).
- Suaves (elu/selu/celu, softplus, logsigmoid, mish, gelu, glu): estables para |x| grande
  (sin exp que desborde), como PyTorch en float32.

Con ``create_graph=True`` el backward recibe Tensores: lo que no es un ufunc de NumPy
(sigmoid, softplus, erfc) se calcula con la operación diferenciable (``_sigmoid``...).
"""
import functools

import numpy as np

from . import special
from .base import Op, inplace_suffix, value

_SQRT_HALF = 0.7071067811865476        # 1/√2
_INV_SQRT_2PI = 0.3989422804014327     # 1/√(2π)
_GELU_BETA = 0.7978845608028654        # √(2/π)
_GELU_KAPPA = 0.044715


def _quiet(fn):
    """``staticmethod`` de un forward/backward sin avisos de NumPy: con inf o nan en la entrada
    salen los mismos inf y nan que en PyTorch, que no avisa (-inf·0, log de nan...)."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            return fn(*args, **kwargs)
    return staticmethod(call)


def _t(x):
    """El constructor de escalares del tipo de ``x`` (ndarray o Tensor)."""
    return value(x).dtype.type


def _sigmoid(z):
    if hasattr(z, "_data"):
        return z.sigmoid()
    return 1 / (1 + np.exp(-z))   # exp(-z) = inf da 0 (sin aviso: _quiet)


def _softplus(z):
    """log(1 + exp(z)) sin desbordar (diferenciable si ``z`` es un Tensor)."""
    if hasattr(z, "_data"):
        return z._apply(Softplus, z, beta=1.0, threshold=np.inf)
    out = np.abs(z, out=np.empty_like(z))   # max(z, 0) + log(1 + exp(-|z|)), en su sitio
    np.negative(out, out=out)   # (np.logaddexp es 10 veces más lento)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += np.maximum(z, 0)
    return out


# --- a trozos --------------------------------------------------------------------------------
class Hardtanh(Op):
    """clamp(x, min_val, max_val) con gradiente 0 en los bordes (clamp da 1: PyTorch difiere)."""

    torch_name = "HardtanhBackward0"
    rule = "∂/∂a = 1 donde min_val < a < max_val, 0 en el resto (bordes incluidos)"
    rule_latex = (r"\frac{\partial}{\partial a} = 1 \text{ donde } \mathrm{min} < a < \mathrm{max},"
                  r"\ 0 \text{ en el resto}")
    local = ("1 si min_val < {a} < max_val, si no 0",)

    @_quiet
    def forward(ctx, a, min_val=-1.0, max_val=1.0):
        if a.dtype.kind == "f":
            lo, hi = a.dtype.type(min_val), a.dtype.type(max_val)
        else:   # enteros: los límites se truncan al tipo, como PyTorch
            lo, hi = a.dtype.type(int(min_val)), a.dtype.type(int(max_val))
        ctx.save_for_backward(~((a <= lo) | (a >= hi)))   # nan: gradiente 1, como PyTorch
        return np.minimum(np.maximum(a, lo), hi)

    @_quiet
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Hardsigmoid(Op):
    torch_name = "HardsigmoidBackward0"
    rule = "∂/∂a = 1/6 donde -3 < a < 3, 0 en el resto"
    rule_latex = (r"\frac{\partial}{\partial a} = \frac{1}{6} \text{ donde } -3 < a < 3,\ 0 "
                  r"\text{ en el resto}")
    local = ("1/6 si -3 < {a} < 3, si no 0",)

    @_quiet
    def forward(ctx, a):
        ctx.save_for_backward((a > -3) & (a < 3))
        return np.minimum(np.maximum(a + 3, 0), 6) / a.dtype.type(6)

    @_quiet
    def backward(ctx, grad):
        return grad * ctx.saved[0] / _t(grad)(6)


class Hardswish(Op):
    torch_name = "HardswishBackward0"
    rule = "∂/∂a = 0 si a <= -3, a/3 + 1/2 si -3 < a < 3, 1 si a >= 3"
    rule_latex = (r"\frac{\partial}{\partial a} = 0 \text{ si } a \leq -3,\ \frac{a}{3} + "
                  r"\frac{1}{2} \text{ si } -3 < a < 3,\ 1 \text{ si } a \geq 3")
    local = ("0 si {a} <= -3, {a}/3 + 1/2 si -3 < {a} < 3, 1 si {a} >= 3",)

    @_quiet
    def forward(ctx, a):
        outside = a <= -3
        below = a < 3
        middle, right = ~outside & below, ~outside & ~below   # nan: pendiente 1 (PyTorch)
        ctx.save_for_backward(a, middle, right)
        return a * np.minimum(np.maximum(a + 3, 0), 6) / a.dtype.type(6)

    @_quiet
    def backward(ctx, grad):
        a, middle, right = ctx.saved
        t = _t(grad)
        slope = np.where(middle, a / t(3) + t(0.5), right.astype(t))
        return grad * slope


class Softshrink(Op):
    torch_name = "SoftshrinkBackward0"
    rule = "∂/∂a = 1 donde |a| > λ, 0 en el resto (también en ±λ)"
    rule_latex = (r"\frac{\partial}{\partial a} = 1 \text{ donde } |a| > \lambda,\ 0 \text{ en el "
                  r"resto}")
    local = ("1 si |{a}| > λ, si no 0",)

    @_quiet
    def forward(ctx, a, lambd=0.5):
        lam = a.dtype.type(lambd)
        ctx.save_for_backward(~((a >= -lam) & (a <= lam)))   # nan: pasa (como PyTorch)
        return np.where(a > lam, a - lam, np.where(a < -lam, a + lam, a * 0))

    @_quiet
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Hardshrink(Op):
    torch_name = "HardshrinkBackward0"
    rule = "∂/∂a = 1 donde |a| > λ, 0 en el resto (también en ±λ)"
    rule_latex = (r"\frac{\partial}{\partial a} = 1 \text{ donde } |a| > \lambda,\ 0 \text{ en el "
                  r"resto}")
    local = ("1 si |{a}| > λ, si no 0",)

    @_quiet
    def forward(ctx, a, lambd=0.5):
        lam = a.dtype.type(lambd)
        keep = ~((a >= -lam) & (a <= lam))
        ctx.save_for_backward(keep)
        return np.where(keep, a, a.dtype.type(0))

    @_quiet
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Threshold(Op):
    """``value`` donde x <= threshold; x en el resto."""

    @staticmethod
    def torch_name(node):   # ThresholdBackward1 in situ, como PyTorch
        return "ThresholdBackward" + inplace_suffix(node)
    rule = "∂/∂a = 1 donde a > umbral, 0 en el resto (también en el umbral)"
    rule_latex = (r"\frac{\partial}{\partial a} = 1 \text{ donde } a > \text{umbral},\ 0 \text{ en "
                  r"el resto}")
    local = ("1 si {a} > umbral, si no 0",)

    @_quiet
    def forward(ctx, a, threshold=0.0, value=0.0):
        t = a.dtype.type   # en enteros, umbral y valor se truncan al tipo (PyTorch)
        below = a <= t(threshold)
        ctx.save_for_backward(~below)
        return np.where(below, t(value), a)

    @_quiet
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Prelu(Op):
    """x si x > 0; ``weight * x`` si no (en 0 también). ``weight`` llega ya difundible."""

    torch_name = "PreluKernelBackward0"
    rule = "∂/∂a = 1 donde a > 0, w en el resto;  ∂/∂w = 0 donde a > 0, a en el resto"
    rule_latex = (r"\frac{\partial}{\partial a} = 1 \text{ donde } a > 0,\ w \text{ en el resto};"
                  r"\quad \frac{\partial}{\partial w} = 0 \text{ donde } a > 0,\ a \text{ en el "
                  r"resto}")
    local = ("1 si {a} > 0, si no {b}", "0 si {a} > 0, si no {a}")

    @_quiet
    def forward(ctx, a, weight):
        positive = a > 0
        ctx.save_for_backward(a, weight, positive)
        return np.where(positive, a, weight * a)

    @_quiet
    def backward(ctx, grad):
        a, weight, positive = ctx.saved
        need_a, need_w = ctx.needs_input_grad
        zero, one = _t(grad)(0), _t(grad)(1)
        return (grad * np.where(positive, one, weight) if need_a else None,
                grad * np.where(positive, zero, a) if need_w else None)


# --- suaves ----------------------------------------------------------------------------------
class Elu(Op):
    """scale·x si x > 0; scale·alpha·(exp(input_scale·x) - 1) si no. ELU, SELU y CELU."""

    rule = "∂/∂a = scale donde a > 0; scale·α·s·exp(s·a) en el resto"
    rule_latex = (r"\frac{\partial}{\partial a} = \mathrm{scale} \text{ donde } a > 0;\ "
                  r"\mathrm{scale}\,\alpha\, s\, e^{s a} \text{ en el resto}")
    local = ("scale si {a} > 0, si no scale·α·s·exp(s·{a})",)

    @staticmethod
    def torch_name(node):   # F.celu da CeluBackward0; F.elu y F.selu, EluBackward0 (...1 in situ)
        return ("CeluBackward" if node.celu else "EluBackward") + inplace_suffix(node)

    @_quiet
    def forward(ctx, a, alpha=1.0, scale=1.0, input_scale=1.0, celu=False):
        t = a.dtype.type
        positive = ~(a <= 0)   # nan va con la rama positiva, como en PyTorch
        ctx.save_for_backward(a, positive)
        ctx.coefs, ctx.celu = (alpha, scale, input_scale), celu
        negative = np.expm1(np.where(positive, t(0), a) * t(input_scale)) * t(alpha * scale)
        return np.where(positive, a * t(scale), negative)

    @_quiet
    def backward(ctx, grad):
        a, positive = ctx.saved
        alpha, scale, input_scale = ctx.coefs
        t = _t(grad)
        left = np.exp(np.where(positive, t(0), a) * t(input_scale)) * t(alpha * scale * input_scale)
        return grad * np.where(positive, t(scale), left)


class Softplus(Op):
    """log(1 + exp(β·x))/β, y x donde β·x > threshold (como PyTorch); sin desbordar."""

    torch_name = "SoftplusBackward0"
    rule = "∂/∂a = σ(β·a) (1 donde β·a > umbral)"
    rule_latex = (r"\frac{\partial}{\partial a} = \sigma(\beta a) \text{ (1 donde } \beta a > "
                  r"\text{umbral)}")
    local = ("σ(β·{a}), o 1 si β·{a} > umbral",)

    @_quiet
    def forward(ctx, a, beta=1.0, threshold=20.0):
        t = a.dtype.type
        z = a * t(beta)
        linear = z > threshold
        ctx.save_for_backward(a, linear)
        ctx.beta = beta
        return np.where(linear, a, _softplus(z) / t(beta))

    @_quiet
    def backward(ctx, grad):
        a, linear = ctx.saved
        t = _t(grad)
        return grad * np.where(linear, t(1), _sigmoid(a * t(ctx.beta)))


class LogSigmoid(Op):
    """log σ(x) = min(x, 0) - log(1 + exp(-|x|)): finito para x = -1e4."""

    torch_name = "LogSigmoidBackward0"
    rule = "∂/∂a = 1 - σ(a) = σ(-a)"
    rule_latex = r"\frac{\partial}{\partial a} = 1 - \sigma(a) = \sigma(-a)"
    local = ("σ(-{a})",)

    @_quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))

    @_quiet
    def backward(ctx, grad):
        return grad * _sigmoid(-ctx.saved[0])


class Silu(Op):
    """x · σ(x) (swish), calculada como PyTorch: x / (1 + exp(-x)); su backward,
    σ(x)·(1 + x·(1 - σ(x)))."""

    torch_name = "SiluBackward0"
    rule = "∂/∂a = σ(a)·(1 + a·(1 - σ(a)))"
    rule_latex = r"\frac{\partial}{\partial a} = \sigma(a)\,(1 + a\,(1 - \sigma(a)))"
    local = ("σ({a})·(1 + {a}·(1 - σ({a})))",)

    @_quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a / (1 + np.exp(-a))

    @_quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        s = _sigmoid(a)
        return grad * (s * (1 + a * (1 - s)))


class Mish(Op):
    """x · tanh(softplus(x))."""

    torch_name = "MishBackward0"
    rule = "∂/∂a = tanh(sp(a)) + a·σ(a)·(1 - tanh²(sp(a))),  sp = softplus"
    rule_latex = (r"\frac{\partial}{\partial a} = \tanh(\mathrm{sp}(a)) + a\,\sigma(a)\,(1 - "
                  r"\tanh^2(\mathrm{sp}(a)))")
    local = ("tanh(sp({a})) + {a}·σ({a})·(1 - tanh²(sp({a})))",)

    @_quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * np.tanh(_softplus(a))

    @_quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        tsp = np.tanh(_softplus(a))
        return grad * (tsp + a * _sigmoid(a) * (1 - tsp * tsp))


class Gelu(Op):
    """x·Φ(x) (``approximate='none'``) o su aproximación con tanh (``'tanh'``)."""

    torch_name = "GeluBackward0"
    rule = "∂/∂a = Φ(a) + a·φ(a)  (Φ, φ: distribución y densidad normales)"
    rule_latex = r"\frac{\partial}{\partial a} = \Phi(a) + a\,\varphi(a)"
    local = ("Φ({a}) + {a}·φ({a})",)

    @_quiet
    def forward(ctx, a, approximate="none"):
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        t = a.dtype.type
        if approximate == "tanh":
            inner = t(_GELU_BETA) * (a + t(_GELU_KAPPA) * (a * a * a))
            return t(0.5) * a * (1 + np.tanh(inner))
        # Φ(x) = erfc(-x/√2)/2: sin la cancelación de 1 + erf(x/√2) para x muy negativo
        cdf = special.erfc(a * t(-_SQRT_HALF))
        cdf *= t(0.5)
        ctx.cdf = cdf   # para el backward sin create_graph (no es un tensor guardado: es interno)
        return a * cdf   # -inf·0 = nan, como PyTorch

    @_quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        t = _t(grad)
        if ctx.approximate == "tanh":
            square = a * a
            inner = t(_GELU_BETA) * (a + t(_GELU_KAPPA) * (square * a))
            th = np.tanh(inner)
            left = t(0.5) * (1 + th)
            right = t(0.5) * a * (1 - th * th) * (
                t(_GELU_BETA) * (1 + t(3 * _GELU_KAPPA) * square))
            return grad * (left + right)
        cdf = getattr(ctx, "cdf", None)
        if cdf is None or hasattr(grad, "_data"):   # create_graph: Φ(a) también en el grafo
            cdf = special._apply(special.Erfc, a * t(-_SQRT_HALF)) * t(0.5)
        pdf = np.exp(a * a * t(-0.5)) * t(_INV_SQRT_2PI)
        return grad * (cdf + a * pdf)


class Glu(Op):
    """a ⊗ σ(b), con a y b las dos mitades de la entrada a lo largo de ``dim``."""

    torch_name = "GluBackward0"
    rule = "∂/∂a = σ(b);  ∂/∂b = a·σ(b)·(1 - σ(b))  (a, b: las dos mitades)"
    rule_latex = (r"\frac{\partial}{\partial a} = \sigma(b);\quad \frac{\partial}{\partial b} = "
                  r"a\,\sigma(b)\,(1 - \sigma(b))")

    @_quiet
    def forward(ctx, x, axis=-1):
        ctx.save_for_backward(x)
        ctx.axis = axis
        first, second = np.split(x, 2, axis=axis)
        return first * _sigmoid(second)

    @_quiet
    def backward(ctx, grad):
        x = ctx.saved[0]
        first, second = np.split(x, 2, axis=ctx.axis)
        gate = _sigmoid(second)
        return np.concatenate([grad * gate, grad * first * gate * (1 - gate)], axis=ctx.axis)
