"""Casos de gradiente de la familia «puntual» (los ejecuta test_ops_gradients.py: gradcheck y
gradgradcheck en float64 con gradiente de salida aleatorio).

Cada caso usa valores dentro del dominio de la función y lejos de sus puntos no derivables;
los puntos de quiebre y los empates tienen casos propios con el subgradiente de PyTorch
(fmax/fmin con empates y nan, xlogy con x = 0, logit con eps, trunc/frac cerca de enteros).
"""
import numpy as np
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.ops import binary_extra as bx
from tinygrad_es.ops import trig as tr
from tinygrad_es.ops import unary_extra as ux
from tinygrad_es.testing import broadcastable_shapes, shapes, tensors

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _par(draw, izq=None, der=None):
    base = draw(shapes(min_dims=0, max_dims=3))
    sa, sb = draw(broadcastable_shapes(base)), draw(broadcastable_shapes(base))
    return draw(tensors(shape=sa, **(izq or {}))), draw(tensors(shape=sb, **(der or {})))


def _en(draw, lo, hi, shape=None):
    """Tensor float64 con valores en [lo, hi]."""
    return draw(tensors(shape=shape, elements=st.floats(lo, hi)))


# --- una entrada ---------------------------------------------------------------------------
@caso
def tan(draw):
    return (lambda x: (x.tan(), tg.tan(x))), (_en(draw, -1.3, 1.3),)


@caso
def asin_acos(draw):
    return (lambda x: (x.asin(), tg.arccos(x), tg.arcsin(x))), (_en(draw, -0.9, 0.9),)


@caso
def atan(draw):
    return (lambda x: (x.atan(), tg.arctan(x))), (_en(draw, -4, 4),)


@caso
def sinh_cosh(draw):
    return (lambda x: (x.sinh(), tg.cosh(x))), (_en(draw, -3, 3),)


@caso
def asinh(draw):
    return (lambda x: (x.asinh(), tg.arcsinh(x))), (_en(draw, -4, 4),)


@caso
def acosh(draw):
    return (lambda x: x.acosh()), (_en(draw, 1.1, 5),)


@caso
def atanh(draw):
    return (lambda x: (x.atanh(), tg.arctanh(x))), (_en(draw, -0.9, 0.9),)


@caso
def expm1_exp2(draw):
    return (lambda x: (x.expm1(), tg.exp2(x))), (_en(draw, -3, 3),)


@caso
def log2_log10(draw):
    return (lambda x: (x.log2(), tg.log10(x))), (_en(draw, 0.1, 5),)


@caso
def rsqrt_reciprocal(draw):
    return (lambda x: (x.rsqrt(), tg.reciprocal(x))), (_en(draw, 0.2, 5),)


@caso
def reciprocal_negativos(draw):
    return (lambda x: x.reciprocal()), (draw(tensors(away_from=0, low=0.3)),)


@caso
def deg2rad_rad2deg(draw):
    return (lambda x: (x.deg2rad(), tg.rad2deg(x))), (_en(draw, -4, 4),)


@caso
def trunc_frac(draw):
    """trunc: gradiente 0; frac: 1 (valores lejos de los enteros, donde salta)."""
    x = draw(tensors(elements=st.integers(-3, 3).flatmap(
        lambda k: st.floats(k + 0.1, k + 0.9))))
    return (lambda x: (x.trunc(), tg.fix(x), x.frac() * 2)), (x,)


@caso
def logit(draw):
    return (lambda x: (x.logit(), tg.logit(x))), (_en(draw, 0.05, 0.95),)


@caso
def logit_eps(draw):
    """Con eps: gradiente 0 fuera de [eps, 1 - eps] (valores a ambos lados, lejos del borde)."""
    x = draw(tensors(elements=st.one_of(st.floats(0.02, 0.15), st.floats(0.25, 0.75),
                                        st.floats(0.85, 0.98))))
    return (lambda x: tg.logit(x, eps=0.2)), (x,)


@caso
def nan_to_num(draw):
    """Gradiente 1 en los valores finitos y 0 en los nan e inf (constantes aquí)."""
    x = _en(draw, -3, 3)
    especiales = tg.tensor([np.nan, np.inf, -np.inf], dtype=tg.float64)
    return (lambda x: (x.nan_to_num(), tg.nan_to_num(
        tg.cat([x.reshape(-1), especiales]), nan=1.0, posinf=2.0, neginf=-2.0))), (x,)


# --- dos entradas ----------------------------------------------------------------------------
@caso
def atan2(draw):
    a, b = _par(draw)
    return (lambda a, b: (tg.atan2(a, b), a.arctan2(b))), (a, b)


@caso
def hypot(draw):
    return (lambda a, b: tg.hypot(a, b)), _par(draw)


@caso
def fmod(draw):
    """Cociente a/b lejos de los enteros (donde fmod salta)."""
    forma = draw(shapes(min_dims=0, max_dims=2))
    b = draw(tensors(shape=forma, low=0.5))
    n = int(np.prod(forma)) if forma else 1
    q = np.array(draw(st.lists(st.integers(-3, 3).flatmap(lambda k: st.floats(k + 0.1, k + 0.9)),
                               min_size=n, max_size=n))).reshape(forma)
    a = tg.tensor(q * b.detach().numpy(), dtype=tg.float64, requires_grad=True)
    return (lambda a, b: (tg.fmod(a, b), a.fmod(b))), (a, b)


@caso
def fmod_escalar(draw):
    x = draw(tensors(elements=st.integers(-4, 4).flatmap(lambda k: st.floats(k * 0.7 + 0.05,
                                                                             k * 0.7 + 0.65))))
    return (lambda x: x.fmod(0.7)), (x,)


@caso
def fmax_fmin(draw):
    return (lambda a, b: (tg.fmax(a, b), tg.fmin(a, b), a.fmax(b))), _par(
        draw, izq={"distinct": True, "high": 1.9}, der={"elements": st.floats(-2.05, -2.0)})


@caso
def fmax_fmin_con_nan(draw):
    """Si una entrada es nan se elige la otra, y el gradiente va a ella (como PyTorch)."""
    a = draw(tensors(shape=(4,)))
    otra = tg.tensor([np.nan, -5.0, 5.0, np.nan], dtype=tg.float64)
    return (lambda a: (tg.fmax(a, otra), tg.fmin(otra, a), tg.fmax(otra, a))), (a,)


@caso
def xlogy(draw):
    x, y = _par(draw, der={"positive": True})
    return (lambda x, y: (tg.xlogy(x, y), x.xlogy(y))), (x, y)


@caso
def xlogy_x_cero(draw):
    """xlogy(0, y) = 0 y su gradiente respecto de x es 0 donde x = 0."""
    y = draw(tensors(shape=(3,), positive=True))
    x = draw(tensors(shape=(3,)))
    ceros = tg.tensor([0.0, 1.0, 0.0], dtype=tg.float64)
    return (lambda x, y: tg.xlogy(x * ceros, y) + tg.xlogy(2.0, y) + tg.xlogy(x, 3.0)), (x, y)


@caso
def lerp_tensor(draw):
    a, b = _par(draw)
    w = draw(tensors(shape=a.shape, elements=st.floats(-1, 2)))
    return (lambda a, b, w: (tg.lerp(a, b, w), a.lerp(b, w))), (a, b, w)


@caso
def lerp_escalar(draw):
    a, b = _par(draw)
    w = draw(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, -0.5, 1.5]))
    return (lambda a, b: tg.lerp(a, b, w)), (a, b)


@caso
def poisson(draw):
    """El gradiente de poisson respecto de las tasas es 0 (con muestras fijas, que no cambian
    al perturbar la entrada)."""
    x = draw(tensors(positive=True))
    muestras = np.round(x.detach().numpy() * 3)
    return (lambda x: x._apply(bx.Poisson, x, samples=muestras) * x), (x,)


@caso
def in_situ(draw):
    """Variantes in situ sobre un tensor intermedio (se registran en el grafo)."""
    x = _en(draw, 0.2, 0.8)

    def f(x):
        y = x * 1.0
        y.tan_()
        z = x * 1.0
        z.atan2_(x + 1)
        w = x * 1.0
        w.lerp_(x * x, 0.3)
        return y, z, w
    return f, (x,)


TABLA = {
    tr.Tan: ["tan", "in_situ"],
    tr.Asin: ["asin_acos"],
    tr.Acos: ["asin_acos"],
    tr.Atan: ["atan"],
    tr.Sinh: ["sinh_cosh"],
    tr.Cosh: ["sinh_cosh"],
    tr.Asinh: ["asinh"],
    tr.Acosh: ["acosh"],
    tr.Atanh: ["atanh"],
    ux.Expm1: ["expm1_exp2"],
    ux.Exp2: ["expm1_exp2"],
    ux.Log2: ["log2_log10"],
    ux.Log10: ["log2_log10"],
    ux.Rsqrt: ["rsqrt_reciprocal"],
    ux.Reciprocal: ["rsqrt_reciprocal", "reciprocal_negativos"],
    ux.Deg2Rad: ["deg2rad_rad2deg"],
    ux.Rad2Deg: ["deg2rad_rad2deg"],
    ux.Step: ["trunc_frac"],
    ux.Frac: ["trunc_frac"],
    ux.Logit: ["logit", "logit_eps"],
    ux.NanToNum: ["nan_to_num"],
    bx.Atan2: ["atan2", "in_situ"],
    bx.Hypot: ["hypot"],
    bx.Fmod: ["fmod", "fmod_escalar"],
    bx.Fmax: ["fmax_fmin", "fmax_fmin_con_nan"],
    bx.Fmin: ["fmax_fmin", "fmax_fmin_con_nan"],
    bx.Xlogy: ["xlogy", "xlogy_x_cero"],
    bx.Lerp: ["lerp_tensor"],
    bx.LerpScalar: ["lerp_escalar", "in_situ"],
    bx.Poisson: ["poisson"],
}
