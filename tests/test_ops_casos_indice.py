"""Casos de gradiente de la familia indice (los ejecuta test_ops_gradients.py, con gradcheck y
gradgradcheck en float64): gather, scatter, scatter_add (índices repetidos incluidos), flip,
rot90, roll, tril/triu, unfold, y las composiciones (index_select, index_add, index_copy,
index_fill, masked_fill, masked_scatter, take, put, take_along_dim, repeat_interleave) y sus
variantes in situ. Cada caso devuelve ``(fn, entradas)``.
"""
import numpy as np
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.ops import reorder as ro
from tinygrad_es.ops import scatter as sc
from tinygrad_es.testing import shapes, tensors

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _x(draw, min_dims=1, max_dims=3, min_side=1, max_side=4):
    return draw(tensors(shape=shapes(min_dims, max_dims, min_side, max_side)))


def _indices(draw, shape, dim, extra=3):
    """Índices para gather/scatter_add a lo largo de ``dim`` (con repetidos), que caben en
    ``shape`` en las demás dimensiones."""
    d = dim % len(shape)
    ishape = tuple(draw(st.integers(1, shape[d] + extra)) if i == d else
                   draw(st.integers(1, n)) for i, n in enumerate(shape))
    valores = draw(st.lists(st.integers(0, shape[d] - 1), min_size=int(np.prod(ishape)),
                            max_size=int(np.prod(ishape))))
    return np.array(valores).reshape(ishape)


@caso
def gather_indices_repetidos(draw):
    x = _x(draw)
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    idx = tg.tensor(_indices(draw, x.shape, dim))
    return (lambda x: (x.gather(dim, idx), tg.gather(x, dim, idx) ** 2)), (x,)


@caso
def scatter_add_indices_repetidos(draw):
    x = _x(draw)
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    idx = _indices(draw, x.shape, dim)
    s = draw(tensors(shape=st.just(idx.shape)))
    idx = tg.tensor(idx)
    return (lambda x, s: (x.scatter_add(dim, idx, s), tg.scatter_add(x * 2, dim, idx, s * s))), \
        (x, s)


@caso
def index_select_add_repetidos(draw):
    x = _x(draw)
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    idx = draw(st.lists(st.integers(0, x.shape[dim] - 1), min_size=1, max_size=5))
    forma = list(x.shape)
    forma[dim] = len(idx)
    s = draw(tensors(shape=st.just(tuple(forma))))
    idx = tg.tensor(idx)
    return (lambda x, s: (x.index_select(dim, idx), tg.index_select(x, dim, idx) ** 2,
                          x.index_add(dim, idx, s, alpha=-2), x.repeat_interleave(2, dim))), \
        (x, s)


@caso
def scatter_src_y_valor(draw):
    x = _x(draw, min_dims=2, max_dims=2)
    dim = draw(st.integers(0, 1))
    n = x.shape[dim]
    k = draw(st.integers(1, n))
    otro = x.shape[1 - dim]
    # índices distintos a lo largo de dim (con repetidos el resultado de scatter es arbitrario)
    cols = [draw(st.permutations(range(n)))[:k] for _ in range(otro)]
    idx = np.array(cols).T if dim == 0 else np.array(cols)
    s = draw(tensors(shape=st.just(idx.shape)))
    rep = tg.tensor(_indices(draw, x.shape, dim))
    idx = tg.tensor(idx)
    return (lambda x, s: (x.scatter(dim, idx, s), tg.scatter(x, dim, rep, 1.5),
                          x.scatter(dim, rep, value=-0.5) * x)), (x, s)


@caso
def flip_rot90(draw):
    x = _x(draw, min_dims=2, max_dims=3)
    dims = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), unique_by=lambda d: d % x.ndim,
                         max_size=x.ndim))
    k = draw(st.integers(-4, 4))
    return (lambda x: (x.flip(dims), tg.fliplr(x), tg.flipud(x) ** 2, x.rot90(k),
                       tg.rot90(x, k, (1, 0)))), (x,)


@caso
def roll(draw):
    x = _x(draw)
    dims = draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim))
    shifts = draw(st.lists(st.integers(-5, 5), min_size=len(dims), max_size=len(dims)))
    return (lambda x: (x.roll(shifts, dims), tg.roll(x, shifts[0]) ** 2)), (x,)


@caso
def tril_triu(draw):
    x = _x(draw, min_dims=2, max_dims=3)
    k = draw(st.integers(-3, 3))

    def fn(x):
        y = x * 1
        y.tril_(k)
        return x.tril(k), tg.triu(x, k) ** 2, y
    return fn, (x,)


@caso
def unfold(draw):
    x = _x(draw, max_side=6)
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    size = draw(st.integers(1, x.shape[dim]))
    step = draw(st.integers(1, 3))
    return (lambda x: (x.unfold(dim, size, step), x.unfold(dim, size, step) ** 2)), (x,)


@caso
def segundo_orden_indice(draw):
    """Gradientes con create_graph de gather, unfold, index_select, flip, roll y tril: sus
    backward son ScatterAdd, UnfoldBackward, IndexAdd, Flip, Roll y Tril, que aquí se derivan
    otra vez."""
    x = _x(draw, min_dims=2, max_dims=2, min_side=2)
    idx = _indices(draw, x.shape, 1)
    idx = tg.tensor(idx % min(x.shape))

    def fn(x):
        with tg.enable_grad():   # gradcheck evalúa fn dentro de no_grad
            y = ((x.gather(1, idx) ** 3).sum() + (x.unfold(1, 2, 1) ** 3).sum()
                 + (x.index_select(0, idx[0]) ** 3).sum()
                 + (x.flip(0).roll(1, 1).tril() ** 3).sum())
            (g,) = tg.autograd.grad(y, x, create_graph=True)
        return g
    return fn, (x,)


@caso
def indexado_compuesto(draw):
    """index_select, take, take_along_dim, masked_select, repeat_interleave e index_* fuera de
    sitio, con índices repetidos."""
    x = _x(draw, min_dims=2, max_dims=2, max_side=3)
    n0, n1 = x.shape
    filas = draw(st.lists(st.integers(0, n0 - 1), min_size=1, max_size=5))
    planos = draw(st.lists(st.integers(-x.numel(), x.numel() - 1), min_size=1, max_size=6))
    k = draw(st.integers(1, 4))
    along = np.array(draw(st.lists(st.integers(0, n1 - 1), min_size=n0 * k,
                                   max_size=n0 * k))).reshape(n0, k)
    reps = draw(st.lists(st.integers(0, 3), min_size=n0, max_size=n0))
    mask = np.array(draw(st.lists(st.booleans(), min_size=n1, max_size=n1)))
    s = draw(tensors(shape=st.just((len(filas), n1))))
    uno = draw(tensors(shape=st.just(())))
    fuente = draw(tensors(shape=st.just((x.numel(),))))
    f_t, m_t = tg.tensor(filas), tg.tensor(mask)

    def fn(x, s, uno, fuente):
        return (x.index_select(0, f_t), x.take(tg.tensor(planos)),
                tg.take_along_dim(x, tg.tensor(along), 1), x.masked_select(m_t),
                x.repeat_interleave(tg.tensor(reps), 0), x.index_add(0, f_t, s, alpha=2),
                x.index_fill(0, f_t, uno), x.masked_fill(m_t, uno) * x,
                x.masked_scatter(m_t, fuente), x.index_copy(0, f_t[:1], s[:1]),
                x.put(tg.tensor(planos[:1]), uno.reshape(1)))
    return fn, (x, s, uno, fuente)


@caso
def in_situ_indice(draw):
    """Las variantes in situ sobre un intermedio y sobre una vista suya."""
    x = _x(draw, min_dims=2, max_dims=2, min_side=2, max_side=3)
    n0, n1 = x.shape
    idx = _indices(draw, x.shape, 1)
    s = draw(tensors(shape=st.just(idx.shape)))
    filas = draw(st.lists(st.integers(0, n0 - 1), min_size=1, max_size=3))
    r = draw(tensors(shape=st.just((len(filas), n1))))
    idx, f_t = tg.tensor(idx), tg.tensor(filas)

    def fn(x, s, r):
        y = x * 1
        y.scatter_add_(1, idx, s)
        y.index_add_(0, f_t, r)
        y[:, :1].masked_fill_(tg.tensor([[True]] * n0), 0.5)
        y.t().index_fill_(0, tg.tensor([0]), -1.0)
        z = x * 1
        z.put_(tg.tensor([0, 0]), s.reshape(-1)[:1].repeat(2), accumulate=True)
        z.index_copy_(0, f_t[:1], r[:1])
        z.scatter_(1, idx[:, :1] * 0, s[:, :1])
        return y, z
    return fn, (x, s, r)


TABLA = {
    sc.Gather: ["gather_indices_repetidos", "segundo_orden_indice", "indexado_compuesto"],
    sc.ScatterAdd: ["scatter_add_indices_repetidos", "segundo_orden_indice", "in_situ_indice"],
    sc.Scatter: ["scatter_src_y_valor", "in_situ_indice"],
    sc.IndexSelect: ["index_select_add_repetidos", "indexado_compuesto", "segundo_orden_indice"],
    sc.IndexAdd: ["index_select_add_repetidos", "in_situ_indice", "segundo_orden_indice"],
    ro.Flip: ["flip_rot90", "segundo_orden_indice"],
    ro.Roll: ["roll", "segundo_orden_indice"],
    ro.Tril: ["tril_triu", "segundo_orden_indice"],
    ro.Unfold: ["unfold", "segundo_orden_indice"],
    ro.UnfoldBackward: ["segundo_orden_indice"],
}
