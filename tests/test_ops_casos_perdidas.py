"""Casos de gradiente de las pérdidas fusionadas de ``ops/losses.py`` (los ejecuta
test_ops_gradients.py), a través de ``nn.functional`` como las usa un estudiante.

Objetivos enteros y pesos son constantes; los objetivos float (mse, BCE) también reciben
gradiente. Cada caso devuelve ``(fn, entradas)``.
"""
import numpy as np
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.testing import shapes, tensors

CASOS = {}
REDUCCIONES = st.sampled_from(["mean", "sum", "none"])
PROBABILIDADES = st.floats(0.05, 0.95)


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


@caso
def mse_loss(draw):
    forma = draw(shapes(0, 3))
    a, b = draw(tensors(shape=forma)), draw(tensors(shape=forma))
    r = draw(REDUCCIONES)
    return (lambda a, b: F.mse_loss(a, b, reduction=r)), (a, b)


def _clasificacion(draw):
    """Entrada (N, C) o (N, C, d), objetivos enteros (alguno ignorado) y pesos opcionales."""
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    extra = draw(st.sampled_from([(), (2,)]))
    forma_t = (n,) + extra
    total = int(np.prod(forma_t))
    t = np.array(draw(st.lists(st.integers(0, c - 1), min_size=total, max_size=total)))
    if total > 1 and draw(st.booleans()):
        t[draw(st.integers(0, total - 2))] = -100      # ignore_index por defecto
    objetivo = tg.tensor(t.reshape(forma_t))
    pesos = None
    if draw(st.booleans()):
        pesos = tg.tensor(np.array(draw(st.lists(st.floats(0.2, 2.0), min_size=c, max_size=c))))
    x = draw(tensors(shape=(n, c) + extra, high=3.0))
    return x, objetivo, pesos


@caso
def nll_loss(draw):
    x, objetivo, pesos = _clasificacion(draw)
    r = draw(REDUCCIONES)
    return (lambda x: F.nll_loss(x, objetivo, weight=pesos, reduction=r)), (x,)


@caso
def cross_entropy_clases(draw):
    x, objetivo, pesos = _clasificacion(draw)
    r = draw(REDUCCIONES)
    suavizado = draw(st.sampled_from([0.0, 0.0, 0.1, 0.5]))
    return (lambda x: F.cross_entropy(x, objetivo, weight=pesos, reduction=r,
                                      label_smoothing=suavizado)), (x,)


@caso
def cross_entropy_probabilidades(draw):
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    x = draw(tensors(shape=(n, c), high=3.0))
    p = draw(tensors(shape=(n, c), elements=PROBABILIDADES))
    r = draw(REDUCCIONES)
    return (lambda x, p: F.cross_entropy(x, p / p.sum(1, keepdim=True), reduction=r)), (x, p)


@caso
def binary_cross_entropy(draw):
    forma = draw(shapes(0, 3))
    p = draw(tensors(shape=forma, elements=PROBABILIDADES))
    y = draw(tensors(shape=forma, elements=PROBABILIDADES, requires_grad=draw(st.booleans())))
    pesos = draw(st.one_of(st.none(), tensors(shape=forma, positive=True, requires_grad=False)))
    r = draw(REDUCCIONES)
    return (lambda p, y: F.binary_cross_entropy(p, y, weight=pesos, reduction=r)), (p, y)


@caso
def binary_cross_entropy_with_logits(draw):
    forma = draw(shapes(1, 3))
    x = draw(tensors(shape=forma, high=4.0))
    y = draw(tensors(shape=forma, elements=PROBABILIDADES, requires_grad=draw(st.booleans())))
    pesos = draw(st.one_of(st.none(), tensors(shape=forma, positive=True, requires_grad=False)))
    pos = draw(st.one_of(st.none(), tensors(shape=forma[-1:], positive=True,
                                            requires_grad=False)))
    r = draw(REDUCCIONES)
    return (lambda x, y: F.binary_cross_entropy_with_logits(
        x, y, weight=pesos, pos_weight=pos, reduction=r)), (x, y)
