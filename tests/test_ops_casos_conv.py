"""Casos de gradiente de la familia conv (los ejecuta test_ops_gradients.py, con gradcheck y
gradgradcheck en float64): convolución y traspuesta 1-D/2-D con todos sus argumentos,
unfold/fold, max/avg pool (con ceil_mode, relleno, dilatación) y relleno constante.

Las formas y los argumentos los sortea hypothesis. Los máximos usan valores distintos (sin
empates: ahí la derivada numérica no existe; los empates se comparan con PyTorch en
test_pool_torch.py). Cada caso devuelve ``(fn, entradas)``.
"""
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.ops import conv as cv
from tinygrad_es.ops import padding as pd
from tinygrad_es.ops import pool as pl
from tinygrad_es.testing import tensors

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _conv_geometria(draw, nd):
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    return kernel, dilation, stride


@caso
def conv_nd(draw):
    nd = draw(st.sampled_from([1, 2]))
    n, groups = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel, dilation, stride = _conv_geometria(draw, nd)
    opciones = ["valid", 0, 1, 2] + (["same"] if stride == (1,) * nd else [])
    padding = draw(st.sampled_from(opciones))
    if isinstance(padding, int):
        padding = tuple(min(padding, d * (k - 1)) for k, d in zip(kernel, dilation))
    espacio = tuple(d * (k - 1) + 1 + draw(st.integers(0, 2)) for k, d in zip(kernel, dilation))
    x = draw(tensors(shape=(n, cg * groups) + espacio))
    w = draw(tensors(shape=(og * groups, cg) + kernel))
    conv = F.conv1d if nd == 1 else F.conv2d
    if draw(st.booleans()):
        b = draw(tensors(shape=(og * groups,)))
        return (lambda x, w, b: conv(x, w, b, stride, padding, dilation, groups)), (x, w, b)
    return (lambda x, w: conv(x, w, None, stride, padding, dilation, groups)), (x, w)


@caso
def conv_transpose_nd(draw):
    nd = draw(st.sampled_from([1, 2]))
    n, groups = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel, dilation, stride = _conv_geometria(draw, nd)
    padding = tuple(draw(st.integers(0, d * (k - 1) // 2)) for k, d in zip(kernel, dilation))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1))
                           for s, d in zip(stride, dilation))
    espacio = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    x = draw(tensors(shape=(n, cg * groups) + espacio))
    w = draw(tensors(shape=(cg * groups, og) + kernel))
    conv = F.conv_transpose1d if nd == 1 else F.conv_transpose2d
    b = draw(tensors(shape=(og * groups,), requires_grad=draw(st.booleans())))
    return (lambda x, w, b: conv(x, w, b, stride, padding, output_padding, groups,
                                 dilation)), (x, w, b)


@caso
def unfold_fold(draw):
    kernel, dilation, stride = _conv_geometria(draw, 2)
    padding = draw(st.integers(0, 1))
    espacio = tuple(d * (k - 1) + 1 + draw(st.integers(0, 2)) for k, d in zip(kernel, dilation))
    x = draw(tensors(shape=(draw(st.integers(1, 2)), draw(st.integers(1, 2))) + espacio))

    def fn(x):
        cols = F.unfold(x, kernel, dilation, padding, stride)
        return F.fold(cols * cols, espacio, kernel, dilation, padding, stride)
    return fn, (x,)


def _pool_geometria(draw, nd, con_dilatacion=True):
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) if con_dilatacion else 1 for _ in range(nd))
    stride = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 2)] * nd)))
    padding = tuple(draw(st.integers(0, (d * (k - 1) + 1) // 2))
                    for k, d in zip(kernel, dilation))
    espacio = tuple(d * (k - 1) + 1 + draw(st.integers(0, 3)) for k, d in zip(kernel, dilation))
    return kernel, dilation, stride, padding, espacio


@caso
def max_pool_nd(draw):
    nd = draw(st.sampled_from([1, 2]))
    kernel, dilation, stride, padding, espacio = _pool_geometria(draw, nd)
    ceil_mode = draw(st.booleans())
    x = draw(tensors(shape=(draw(st.integers(1, 2)), draw(st.integers(1, 2))) + espacio,
                     distinct=True))
    pool = F.max_pool1d if nd == 1 else F.max_pool2d
    return (lambda x: pool(x, kernel, stride, padding, dilation, ceil_mode)), (x,)


@caso
def adaptive_max_pool(draw):
    nd = draw(st.sampled_from([1, 2]))
    espacio = tuple(draw(st.integers(1, 6)) for _ in range(nd))
    salida = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    x = draw(tensors(shape=(draw(st.integers(1, 2)), 2) + espacio, distinct=True))
    pool = F.adaptive_max_pool1d if nd == 1 else F.adaptive_max_pool2d
    return (lambda x: pool(x, salida)), (x,)


@caso
def avg_pool_nd(draw):
    nd = draw(st.sampled_from([1, 2]))
    kernel, _, stride, padding, espacio = _pool_geometria(draw, nd, con_dilatacion=False)
    ceil_mode, incluye = draw(st.booleans()), draw(st.booleans())
    x = draw(tensors(shape=(draw(st.integers(1, 2)), draw(st.integers(1, 2))) + espacio))
    if nd == 1:
        return (lambda x: F.avg_pool1d(x, kernel, stride, padding, ceil_mode, incluye)), (x,)
    divisor = draw(st.sampled_from([None, None, 2, 5]))
    return (lambda x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode, incluye,
                                   divisor)), (x,)


@caso
def segundo_orden_pool(draw):
    """Gradientes con create_graph de max/avg pool y del máximo adaptativo: sus backward
    (WindowPut, WindowSpread, PlaneScatter) quedan en el grafo y se derivan otra vez."""
    x = draw(tensors(shape=(1, 1, 4, 4), distinct=True))
    ceil_mode = draw(st.booleans())

    def fn(x):
        with tg.enable_grad():   # gradcheck evalúa fn dentro de no_grad
            y = (F.max_pool2d(x, 2, 1, ceil_mode=ceil_mode) ** 3).sum() \
                + (F.avg_pool2d(x * x, 3, 2, 1, ceil_mode) ** 2).sum() \
                + (F.adaptive_max_pool2d(x, (3, 2)) ** 3).sum()
            (g,) = tg.autograd.grad(y, x, create_graph=True)
        return g
    return fn, (x,)


@caso
def pad_constante(draw):
    forma = tuple(draw(st.integers(2, 4)) for _ in range(draw(st.integers(1, 4))))
    k = draw(st.integers(1, len(forma)))
    relleno = []
    for i in range(k):
        n = forma[-1 - i]
        relleno += [draw(st.integers(-(n // 2), 2)), draw(st.integers(-(n // 2), 2))]
    valor = draw(st.sampled_from([0.0, 1.5]))
    x = draw(tensors(shape=forma))
    return (lambda x: F.pad(x * x, relleno, value=valor)), (x,)


TABLA = {
    cv.Conv: ["conv_nd"],
    cv.ConvTranspose: ["conv_transpose_nd"],
    cv.Im2Col: ["unfold_fold"],
    cv.Col2Im: ["unfold_fold"],
    pl.WindowSelect: ["max_pool_nd", "segundo_orden_pool"],
    pl.WindowPut: ["segundo_orden_pool"],
    pl.PlaneGather: ["adaptive_max_pool", "segundo_orden_pool"],
    pl.PlaneScatter: ["segundo_orden_pool"],
    pl.WindowSum: ["avg_pool_nd", "segundo_orden_pool"],
    pl.WindowSpread: ["segundo_orden_pool"],
    pd.ConstantPad: ["pad_constante"],
}
