"""Gradientes (gradcheck y gradgradcheck en float64, con gradiente de salida aleatorio) de las
pérdidas compuestas de la familia «perdidas» (``nn/_functional_losses_extra.py``).

Son composiciones de operaciones que ya existen (no hay Op nueva, así que no van en la TABLA de
test_ops_gradients.py), pero tienen lógica propia (ramas, márgenes, máscaras). Los márgenes y umbrales son valores
«raros» (0.37, 1.3...) para que las diferencias finitas no caigan justo en un quiebre; los
quiebres exactos se comprueban contra PyTorch en tests/nn/test_perdidas_torch.py.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.autograd import gradgradcheck
from tinygrad_es.testing import assert_gradients_match, shapes, tensors

CASOS = {}
REDUCCIONES = st.sampled_from(["mean", "sum", "none"])


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _signos(draw, forma):
    n = int(np.prod(forma)) if forma else 1
    valores = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n))
    return tg.tensor(np.array(valores).reshape(forma))


@caso
def smooth_l1_loss(draw):
    forma = draw(shapes(0, 3))
    a, b = draw(tensors(shape=forma, high=3.0)), draw(tensors(shape=forma, high=0.05, low=0.01))
    beta, r = draw(st.sampled_from([0.0, 0.63, 1.37])), draw(REDUCCIONES)
    # a lejos de ±beta y de 0 (b es pequeño), para no cruzar un quiebre
    return (lambda a, b: F.smooth_l1_loss(a, b, reduction=r, beta=beta)), (a, b)


@caso
def huber_loss(draw):
    forma = draw(shapes(0, 3))
    a, b = draw(tensors(shape=forma, high=3.0)), draw(tensors(shape=forma, high=0.05, low=0.01))
    pesos = draw(st.one_of(st.none(), tensors(shape=forma, positive=True, requires_grad=False)))
    delta, r = draw(st.sampled_from([0.63, 1.37])), draw(REDUCCIONES)
    return (lambda a, b: F.huber_loss(a, b, reduction=r, delta=delta, weight=pesos)), (a, b)


@caso
def kl_div(draw):
    forma = draw(shapes(1, 3))
    x = draw(tensors(shape=forma))
    log_target = draw(st.booleans())
    t = draw(tensors(shape=forma, positive=not log_target))
    r = draw(st.sampled_from(["batchmean", "sum", "none"]))
    return (lambda x, t: F.kl_div(x, t, reduction=r, log_target=log_target)), (x, t)


@caso
def hinge_embedding_loss(draw):
    forma = draw(shapes(0, 3))
    x, y = draw(tensors(shape=forma)), _signos(draw, forma)
    r = draw(REDUCCIONES)
    return (lambda x: F.hinge_embedding_loss(x, y, margin=1.37, reduction=r)), (x,)


@caso
def margin_ranking_loss(draw):
    n = draw(st.integers(1, 4))
    a, b = draw(tensors(shape=(n,))), draw(tensors(shape=(n,)))
    y, r = _signos(draw, (n,)), draw(REDUCCIONES)
    return (lambda a, b: F.margin_ranking_loss(a, b, y, margin=0.0371, reduction=r)), (a, b)


@caso
def cosine_embedding_loss(draw):
    lote = draw(st.booleans())
    n, d = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    forma, forma_t = ((n, d), (n,)) if lote else ((d,), ())
    a, b = draw(tensors(shape=forma)), draw(tensors(shape=forma))
    y, r = _signos(draw, forma_t), draw(REDUCCIONES)
    return (lambda a, b: F.cosine_embedding_loss(a, b, y, margin=-0.9137, reduction=r)), (a, b)


@caso
def triplet_margin_loss(draw):
    n, d = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    xs = tuple(draw(tensors(shape=(n, d))) for _ in range(3))
    p, swap, r = draw(st.sampled_from([1, 2, 3.0])), draw(st.booleans()), draw(REDUCCIONES)
    return (lambda a, pos, neg: F.triplet_margin_loss(a, pos, neg, margin=50.37, p=p, eps=0.0137,
                                                      swap=swap, reduction=r)), xs


@caso
def poisson_nll_loss(draw):
    forma = draw(shapes(0, 3))
    log_input, full = draw(st.booleans()), draw(st.booleans())
    x = draw(tensors(shape=forma, positive=not log_input))
    y = draw(tensors(shape=forma, positive=True))
    y_mas = tg.tensor(y.detach().numpy() + 1.5, requires_grad=True)   # Stirling (y > 1)
    r = draw(REDUCCIONES)
    return (lambda x, y: F.poisson_nll_loss(x, y, log_input=log_input, full=full,
                                            reduction=r)), (x, y_mas)


@caso
def gaussian_nll_loss(draw):
    n, d = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    a, b = draw(tensors(shape=(n, d))), draw(tensors(shape=(n, d)))
    forma_v = draw(st.sampled_from([(n, d), (n,), (n, 1)]))
    v = draw(tensors(shape=forma_v, positive=True))
    full, r = draw(st.booleans()), draw(REDUCCIONES)
    return (lambda a, b, v: F.gaussian_nll_loss(a, b, v, full=full, reduction=r)), (a, b, v)


@caso
def multi_margin_loss(draw):
    n, c = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    x = draw(tensors(shape=(n, c)))
    y = tg.tensor(np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n))))
    pesos = draw(st.one_of(st.none(), tensors(shape=(c,), positive=True, requires_grad=False)))
    p, r = draw(st.sampled_from([1, 2])), draw(REDUCCIONES)
    return (lambda x: F.multi_margin_loss(x, y, p=p, margin=0.0137, weight=pesos,
                                          reduction=r)), (x,)


@caso
def soft_margin_loss(draw):
    forma = draw(shapes(0, 3))
    x, y, r = draw(tensors(shape=forma)), _signos(draw, forma), draw(REDUCCIONES)
    return (lambda x: F.soft_margin_loss(x, y, reduction=r)), (x,)


@caso
def multilabel_soft_margin_loss(draw):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    x = draw(tensors(shape=(n, c), high=4.0))
    t = draw(tensors(shape=(n, c), elements=st.floats(0.0, 1.0)))
    pesos = draw(st.one_of(st.none(), tensors(shape=(c,), positive=True, requires_grad=False)))
    r = draw(REDUCCIONES)
    return (lambda x, t: F.multilabel_soft_margin_loss(x, t, weight=pesos, reduction=r)), (x, t)


@pytest.mark.parametrize("nombre", sorted(CASOS))
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_gradiente(nombre, data):
    fn, entradas = data.draw(CASOS[nombre], label=nombre)
    assert_gradients_match(fn, *entradas)


@pytest.mark.parametrize("nombre", sorted(CASOS))
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_segunda_derivada(nombre, data):
    fn, entradas = data.draw(CASOS[nombre], label=nombre)
    gradgradcheck(fn, entradas)
