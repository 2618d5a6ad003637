"""Casos de gradiente de reducciones, matmul y operaciones de redes (los ejecuta
test_ops_gradients.py).

sum/mean/amax/amin con dim None/int/tupla/negativo y keepdim, max()/min(), max(dim)/min(dim),
std/var/norm, softmax/log_softmax en cada dimensión, matmul en todos los casos de PyTorch y
la operación fusionada Linear. Cada caso devuelve ``(fn, entradas)``.
"""
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.ops import nnops
from tinygrad_es.testing import shapes, tensors

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def dims(draw, nd):
    """``dim`` como lo escribe un estudiante: None, un entero (también negativo) o una tupla."""
    if nd == 0:
        return draw(st.sampled_from([None, 0, -1]))
    una = st.integers(-nd, nd - 1)
    tupla = st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True).flatmap(
        lambda ds: st.tuples(*[st.sampled_from([d, d - nd]) for d in ds]))
    return draw(st.one_of(st.none(), una, tupla))


def _x(draw, min_dims=0, max_dims=3, **kw):
    return draw(tensors(shape=shapes(min_dims, max_dims), **kw))


# --- sum, mean, amax, amin -------------------------------------------------------------
@caso
def sum_(draw):
    x = _x(draw)
    d, k = dims(draw, x.ndim), draw(st.booleans())
    return (lambda x: (x.sum(d, keepdim=k), tg.sum(x, dim=d, keepdim=k), x.sum())), (x,)


@caso
def mean(draw):
    x = _x(draw)
    d, k = dims(draw, x.ndim), draw(st.booleans())
    return (lambda x: (x.mean(d, keepdim=k), tg.mean(x, dim=d, keepdim=k), x.mean())), (x,)


@caso
def amax_amin(draw):
    x = _x(draw, distinct=True)
    d, k = dims(draw, x.ndim), draw(st.booleans())
    return (lambda x: (x.amax(d, keepdim=k), x.amin(d, keepdim=k), tg.amax(x, d))), (x,)


@caso
def max_min_total(draw):
    x = _x(draw, distinct=True)
    return (lambda x: (x.max(), x.min(), tg.max(x), tg.min(x))), (x,)


# --- max(dim)/min(dim): valores -------------------------------------------------------
@caso
def max_min_dim(draw):
    x = _x(draw, distinct=True)
    d = draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    k = draw(st.booleans())
    return (lambda x: (x.max(d, keepdim=k)[0], x.min(d, keepdim=k).values,
                       tg.max(x, d).values, x.max(dim=d).values)), (x,)


# --- std, var, norm --------------------------------------------------------------------
@caso
def std_var(draw):
    x = draw(tensors(shape=shapes(1, 3, min_side=2, max_side=3), distinct=True))
    d, k = dims(draw, x.ndim), draw(st.booleans())
    insesgado = draw(st.booleans())
    return (lambda x: (x.var(d, unbiased=insesgado, keepdim=k), x.std(d, keepdim=k),
                       x.var(), tg.std(x), x.var(d, correction=0))), (x,)


@caso
def norm(draw):
    x = _x(draw, min_dims=1, away_from=0)
    d, k = dims(draw, x.ndim), draw(st.booleans())
    # p=2 explícito: con el 'fro' por defecto y tres dimensiones en dim PyTorch da error
    return (lambda x: (x.norm(), x.norm(2, dim=d, keepdim=k), x.norm(p=1, dim=d),
                       tg.norm(x))), (x,)


# --- softmax y log_softmax en cada dimensión -------------------------------------------
@caso
def softmax(draw):
    x = _x(draw, high=3.0)
    d = draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    return (lambda x: (x.softmax(d), tg.softmax(x, dim=d))), (x,)


@caso
def log_softmax(draw):
    x = _x(draw, high=3.0)
    d = draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    return (lambda x: (x.log_softmax(d), tg.log_softmax(x, d))), (x,)


# --- matmul: todos los casos de torch.matmul -------------------------------------------
def _formas_matmul(draw):
    b, m, n, p = (draw(st.integers(1, 4)) for _ in range(4))
    c = draw(st.integers(1, 3))
    return draw(st.sampled_from([
        ((n,), (n,)),                     # producto escalar
        ((m, n), (n,)),                   # matriz · vector
        ((n,), (n, p)),                   # vector · matriz
        ((m, n), (n, p)),                 # 2-D · 2-D
        ((b, m, n), (b, n, p)),           # lotes
        ((2, 1, m, n), (c, n, p)),        # difusión de las dimensiones de lote
        ((1, m, n), (b, n, p)),
        ((n,), (b, n, p)),                # 1-D @ lotes
        ((b, m, n), (n,)),                # lotes @ 1-D
        ((b, m, n), (n, p)),              # lotes @ 2-D
    ]))


@caso
def matmul(draw):
    sa, sb = _formas_matmul(draw)
    a, b = draw(tensors(shape=sa)), draw(tensors(shape=sb))
    return (lambda a, b: (a @ b, a.matmul(b), tg.matmul(a, b))), (a, b)


@caso
def mm_bmm_dot(draw):
    m, n, p, b = (draw(st.integers(1, 3)) for _ in range(4))
    a3, b3 = draw(tensors(shape=(b, m, n))), draw(tensors(shape=(b, n, p)))
    return (lambda a3, b3: (a3[0].mm(b3[0]), tg.mm(a3[-1], b3[-1]), a3.bmm(b3),
                            a3[0, 0].dot(b3[0, :, 0]))), (a3, b3)


@caso
def matmul_una_sola_entrada_con_grad(draw):
    """Solo una de las dos entradas pide gradiente (ctx.needs_input_grad)."""
    sa, sb = _formas_matmul(draw)
    a = draw(tensors(shape=sa))
    b = draw(tensors(shape=sb, requires_grad=False))
    return (lambda a: (a @ b, b.T @ a.T if a.ndim == 2 and b.ndim == 2 else a @ b)), (a,)


# --- Linear fusionada: x @ W.T + b -----------------------------------------------------
@caso
def linear(draw):
    entrada, salida = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    lote = draw(st.sampled_from([(), (3,), (2, 3)]))
    x = draw(tensors(shape=lote + (entrada,), requires_grad=draw(st.booleans())))
    w = draw(tensors(shape=(salida, entrada)))
    if draw(st.booleans()):
        b = draw(tensors(shape=(salida,), requires_grad=draw(st.booleans())))
        return (lambda x, w, b: tg.Tensor._apply(nnops.Linear, x, w, b)), (x, w, b)
    return (lambda x, w: tg.Tensor._apply(nnops.Linear, x, w)), (x, w)
