"""Casos de gradiente de las operaciones de forma e indexado (los ejecuta test_ops_gradients.py).

reshape/view con -1, flatten, squeeze/unsqueeze, transpose, permute, .T, t(), expand,
repeat, getitem (enteros, cortes, None, arrays de índices repetidos, máscaras), cat, stack,
split/chunk/unbind. Cada caso devuelve ``(fn, entradas)``.
"""
import numpy as np
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.testing import shapes, tensors

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _x(draw, min_dims=1, max_dims=3, min_side=1, max_side=4):
    return draw(tensors(shape=shapes(min_dims, max_dims, min_side, max_side)))


@caso
def reshape_con_menos_uno(draw):
    x = _x(draw, min_dims=0)
    n = x.numel()
    k = draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]))
    forma = draw(st.sampled_from([(-1,), (k, -1), (-1, k), (k, 1, -1), (n,)]))
    return (lambda x: (x.reshape(-1, *x.shape), x.reshape(forma), x.view(*forma),
                       tg.reshape(x, forma))), (x,)


@caso
def flatten(draw):
    nd = draw(st.sampled_from([0, 2, 3]))   # con 1-D flatten devuelve el mismo tensor
    x = _x(draw, min_dims=nd, max_dims=nd)
    nd = max(x.ndim, 1)
    ini = draw(st.integers(-nd, nd - 1))
    fin = draw(st.integers(ini % nd, nd - 1))
    return (lambda x: (x.flatten(), x.flatten(ini, fin), tg.flatten(x))), (x,)


@caso
def squeeze_unsqueeze(draw):
    x = _x(draw, min_dims=0, max_side=2)
    nd = x.ndim
    d = draw(st.integers(-nd - 1, nd))
    fns = [lambda x: x.squeeze(), lambda x: x.unsqueeze(d), lambda x: tg.unsqueeze(x, d)]
    if nd:
        s = draw(st.integers(-nd, nd - 1))
        fns += [lambda x: x.squeeze(s), lambda x: x.unsqueeze(d).squeeze(d)]
    return (lambda x: tuple(f(x) for f in fns)), (x,)


@caso
def transpose_permute(draw):
    x = _x(draw, min_dims=2, max_dims=4, max_side=3)
    nd = x.ndim
    d0, d1 = draw(st.integers(-nd, nd - 1)), draw(st.integers(-nd, nd - 1))
    perm = draw(st.permutations(range(nd)))
    return (lambda x: (x.transpose(d0, d1), x.permute(*perm), x.permute(perm), x.T,
                       tg.transpose(x, d0, d1))), (x,)


@caso
def t_y_T(draw):
    x = _x(draw, min_dims=0, max_dims=2)
    return (lambda x: (x.t(), x.T, tg.t(x))), (x,)


@caso
def expand(draw):
    x = _x(draw, min_dims=0, max_dims=2, max_side=2)
    nuevas = draw(st.lists(st.integers(1, 3), min_size=1, max_size=2))
    destino = tuple(nuevas) + tuple(draw(st.integers(1, 3)) if d == 1 else d for d in x.shape)
    con_menos_uno = tuple(nuevas) + (-1,) * x.ndim
    return (lambda x: (x.expand(destino), x.expand(*con_menos_uno) * 2,
                       x.expand_as(tg.zeros(destino)))), (x,)


@caso
def repeat(draw):
    x = _x(draw, min_dims=0, max_dims=2, max_side=3)
    extra = draw(st.integers(0, 1))
    veces = tuple(draw(st.lists(st.integers(1, 2), min_size=x.ndim + extra,
                                max_size=x.ndim + extra)))
    if all(v == 1 for v in veces):
        veces = veces[:-1] + (2,) if veces else (2,)
    return (lambda x: x.repeat(*veces)), (x,)


@caso
def getitem_enteros(draw):
    x = _x(draw, min_dims=2, max_dims=3)
    i, j = draw(st.integers(-x.shape[0], x.shape[0] - 1)), draw(st.integers(0, x.shape[1] - 1))
    return (lambda x: (x[i], x[i, j], x[-1], x[..., 0], x[i][j])), (x,)


@caso
def getitem_cortes(draw):
    x = _x(draw, min_dims=1, max_dims=2, min_side=2, max_side=5)
    n = x.shape[0]
    ini = draw(st.integers(-n, n - 1))
    fin = draw(st.one_of(st.none(), st.integers(-n, n)))
    paso = draw(st.integers(1, 3))
    return (lambda x: (x[ini:fin:paso], x[::2], x[-2:], x[:-1], x[..., 1:],
                       x[:, ::paso] if x.ndim > 1 else x[1:])), (x,)


@caso
def getitem_none(draw):
    x = _x(draw, min_dims=1, max_dims=2)
    return (lambda x: (x[None], x[:, None], x[None, ..., None], x[0, None])), (x,)


@caso
def getitem_indices_repetidos(draw):
    x = _x(draw, min_dims=1, max_dims=2)
    n = x.shape[0]
    idx = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=6))
    return (lambda x: (x[idx], x[tg.tensor(idx)], x[np.array(idx)] * 2,
                       x[[0, 0, 0]])), (x,)


@caso
def getitem_avanzado_pareado(draw):
    x = _x(draw, min_dims=2, max_dims=3)
    m = draw(st.integers(1, 5))
    filas = draw(st.lists(st.integers(0, x.shape[0] - 1), min_size=m, max_size=m))
    cols = draw(st.lists(st.integers(0, x.shape[1] - 1), min_size=m, max_size=m))
    f_t, c_t = tg.tensor(filas), tg.tensor(cols)
    return (lambda x: (x[filas, cols], x[f_t, c_t], x[:, cols], x[f_t, 0])), (x,)


@caso
def getitem_mascara(draw):
    x = _x(draw, min_dims=1, max_dims=3)
    mascara = np.array(draw(st.lists(st.booleans(), min_size=x.numel(), max_size=x.numel())))
    m = tg.tensor(mascara.reshape(x.shape))
    filas = tg.tensor(mascara[:x.shape[0]])
    return (lambda x: (x[m], x[filas], x[x.detach() > 0])), (x,)


@caso
def cat(draw):
    forma = draw(shapes(1, 3, 1, 2))
    nd = len(forma)
    d = draw(st.integers(-nd, nd - 1))
    piezas = []
    for _ in range(draw(st.integers(1, 3))):
        f = list(forma)
        f[d] = draw(st.integers(1, 3))
        piezas.append(draw(tensors(shape=tuple(f))))
    return (lambda *ts: (tg.cat(list(ts), dim=d), tg.cat(ts, d))), tuple(piezas)


@caso
def stack(draw):
    forma = draw(shapes(0, 3, 1, 2))
    d = draw(st.integers(-len(forma) - 1, len(forma)))
    piezas = tuple(draw(tensors(shape=forma)) for _ in range(draw(st.integers(1, 3))))
    return (lambda *ts: (tg.stack(list(ts), dim=d), tg.stack(ts))), piezas


@caso
def split_chunk_unbind(draw):
    x = _x(draw, min_dims=1, max_dims=3, max_side=3)
    nd = x.ndim
    d = draw(st.integers(-nd, nd - 1))
    tam = draw(st.integers(1, x.shape[d]))
    trozos = draw(st.integers(1, 3))

    def fn(x):
        return (*x.split(tam, d), *x.chunk(trozos, d), *x.unbind(d), *tg.split(x, [x.shape[d]], d))
    return fn, (x,)


@caso
def diagonal_narrow_select(draw):
    x = _x(draw, min_dims=2, max_dims=3, min_side=2, max_side=4)
    k = draw(st.integers(-1, 1))
    inicio = draw(st.integers(0, x.shape[0] - 1))
    largo = draw(st.integers(0, x.shape[0] - inicio))
    return (lambda x: (x.diagonal(k), x.diagonal(0, -1, 0), x.narrow(0, inicio, largo),
                       x.select(1, -1), x.unflatten(0, (1, x.shape[0])))), (x,)


@caso
def inplace_en_vista(draw):
    """Operaciones in situ sobre vistas de un tensor intermedio: la base recibe un CopySlices."""
    x = _x(draw, min_dims=2, max_dims=2, min_side=2, max_side=4)
    y = draw(tensors(shape=st.just(x.shape[1:])))

    def fn(x, y):
        a = x * 1
        a[0].mul_(y)                 # vista por índice entero
        a[1:].add_(a[:1] * 2)        # vista por corte, con otro trozo de la misma base
        a.t()[0].sub_(y[0])          # vista de una vista
        v = a.view(-1)
        v[1:2].div_(3.0)
        return a, v * 1
    return fn, (x, y)


@caso
def asignacion_por_indice(draw):
    """``x[i] = v`` y ``x[i] += v`` (básicos, avanzados y con máscara), diferenciables en x y v."""
    x = _x(draw, min_dims=2, max_dims=2, min_side=2, max_side=4)
    v = draw(tensors(shape=st.just(x.shape[1:])))
    filas = draw(st.lists(st.integers(0, x.shape[0] - 1), min_size=1, max_size=3, unique=True))

    def fn(x, v):
        a = x * 1
        a[0] = v                     # básico: copy_ en la vista a[0]
        a[filas] += v * 2            # avanzado: IndexPut
        a[a > 10] = 0.0              # máscara (normalmente vacía)
        b = x * 0
        b[:, 0] = v[0]
        b.zero_()[1:].fill_(v.sum())
        return a, b
    return fn, (x, v)


@caso
def segundo_orden_indexado(draw):
    """Gradientes con create_graph de indexado, diagonal y max(dim): sus backward son las
    operaciones Embed, DiagonalEmbed y PutAlongDim, que aquí se derivan otra vez."""
    x = draw(tensors(shape=shapes(2, 2, 2, 3), distinct=True))   # max(1) sin empates
    filas = draw(st.lists(st.integers(0, x.shape[0] - 1), min_size=1, max_size=3))

    def fn(x):
        with tg.enable_grad():   # gradcheck evalúa fn dentro de no_grad
            y = (x[filas] ** 3).sum() + (x.diagonal() ** 3).sum() + (x.max(1)[0] ** 3).sum()
            (g,) = tg.autograd.grad(y, x, create_graph=True)
        return g
    return fn, (x,)
