"""Oráculo contra PyTorch de la familia indice (issue #16): gather/scatter, index_*, máscaras,
take/put, nonzero, tril/triu, diag, flip/roll/rot90, tile, repeat_interleave, unir
(hstack...), meshgrid, movedim, broadcast, atleast_*, unfold, new_* y métodos pequeños.

Cada caso corre la misma función ``f(m, ...)`` con ``m = torch`` y ``m = tinygrad_es`` sobre
los mismos datos y compara valores, dtype, forma, si la salida comparte memoria con la entrada
(vista) y los gradientes tras propagar un gradiente de salida aleatorio. Los errores deben ser
de la misma clase que en PyTorch.
"""
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_es as tg

pytestmark = pytest.mark.usefixtures("requiere_torch")


def ajustes(n):
    """``max_examples=n``; la fixture de torch no cambia entre ejemplos."""
    return settings(max_examples=n, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _es_torch(m):
    return m is not tg


def _comparte(m, a, b):
    if _es_torch(m):
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
    return bool(np.shares_memory(a._data, b._data))


def _correr(m, f, arrays, dtype, grad, semilla):
    dt = getattr(m, dtype)
    xs = [m.tensor(a.copy(), dtype=dt, requires_grad=grad) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = f(m, *xs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    rng = np.random.default_rng(semilla)
    perdida = None
    for s in outs:
        if grad and s.requires_grad:
            w = m.tensor(rng.standard_normal(tuple(s.shape)), dtype=s.dtype)
            t = (s * w).sum()
            perdida = t if perdida is None else perdida + t
    if perdida is not None:
        perdida.backward()
    vistas = [None if s.numel() == 0 else any(_comparte(m, s, x) for x in xs) for s in outs]
    valores = [(s.detach().numpy().copy(), str(s.dtype).replace("torch.", ""), tuple(s.shape))
               for s in outs]
    grads = [None if x.grad is None else x.grad.numpy().copy() for x in xs]
    return valores, vistas, grads


def comparar(torch, f, arrays, dtype="float64", grad=True, semilla=0):
    """Misma función en los dos módulos: salidas, vistas y gradientes iguales."""
    suyos = _correr(torch, f, arrays, dtype, grad, semilla)
    nuestros = _correr(tg, f, arrays, dtype, grad, semilla)
    # float32: los gradientes suman decenas de términos en otro orden que PyTorch
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)
    (v1, vi1, g1), (v0, vi0, g0) = suyos, nuestros
    assert len(v0) == len(v1)
    for k, ((a0, d0, s0), (a1, d1, s1)) in enumerate(zip(v0, v1)):
        assert s0 == s1, f"salida {k}: forma {s0} y torch {s1}"
        assert d0 == d1, f"salida {k}: dtype {d0} y torch {d1}"
        np.testing.assert_allclose(a0, a1, err_msg=f"salida {k}", **tol)
    assert vi0 == vi1, f"comparte memoria (vista): {vi0} y torch {vi1}"
    for i, (a, b) in enumerate(zip(g0, g1)):
        if b is None:
            assert a is None or not np.any(a), f"entrada {i}: torch no tiene gradiente"
            continue
        assert a is not None, f"entrada {i}: sin gradiente y torch sí"
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, err_msg=f"gradiente {i}", **tol)


def mismo_error(torch, f):
    """Los dos módulos lanzan la misma clase de excepción."""
    clases = []
    for m in (torch, tg):
        with pytest.raises(Exception) as info:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f(m)
        clases.append(type(info.value))
    assert clases[1] is clases[0] or issubclass(clases[1], clases[0]), clases


# --- estrategias ------------------------------------------------------------------------------
def forma(min_dims=1, max_dims=3, max_side=4):
    return st.lists(st.integers(1, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


@st.composite
def datos_con_indice(draw, min_dims=1, max_dims=3):
    """(x, dim, index) para gather: index cabe en x salvo en dim, con repetidos."""
    shape = draw(forma(min_dims, max_dims))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    d = dim % len(shape)
    ishape = tuple(draw(st.integers(1, 5)) if i == d else draw(st.integers(1, n))
                   for i, n in enumerate(shape))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
    index = rng.integers(0, shape[d], ishape)
    return rng.standard_normal(shape), dim, index


DTYPES = st.sampled_from(["float32", "float64"])


# --- gather / scatter ------------------------------------------------------------------------
@ajustes(25)
@given(datos_con_indice(), DTYPES)
def test_gather(requiere_torch, caso, dtype):
    x, dim, index = caso
    comparar(requiere_torch, lambda m, x: (m.gather(x, dim, m.tensor(index)),
                                           x.gather(dim, m.tensor(index)) * 2), [x], dtype)


@ajustes(25)
@given(datos_con_indice(), DTYPES, st.booleans())
def test_scatter_y_scatter_add(requiere_torch, caso, dtype, src_mayor):
    x, dim, index = caso
    d = dim % x.ndim
    # índices únicos a lo largo de dim para scatter (con repetidos el resultado es arbitrario)
    if index.shape[d] <= x.shape[d]:
        perm = np.argsort(np.random.default_rng(1).random(x.shape), axis=d)
        uniq = np.take(perm, np.arange(index.shape[d]), axis=d)[
            tuple(slice(0, n) for n in index.shape)]
    else:
        uniq = None
    src = np.random.default_rng(2).standard_normal(
        tuple(n + (1 if src_mayor else 0) for n in index.shape))

    def f(m, x, s):
        idx = m.tensor(index)
        outs = [m.scatter_add(x, dim, idx, s), x.scatter_add(dim, idx, s) * 3]
        if uniq is not None:
            u = m.tensor(uniq)
            s_justo = s[tuple(slice(0, n) for n in uniq.shape)]   # torch falla con src mayor
            outs += [m.scatter(x, dim, u, s_justo), x.scatter(dim, u, 1.5),
                     x.scatter(dim, u, value=2.0)]
        return outs
    # con src mayor que index, el backward de torch falla (no de tinygrad_es): solo valores
    comparar(requiere_torch, f, [x, src], dtype, grad=not src_mayor)


def test_scatter_reduce_sin_grad(requiere_torch):
    x = np.arange(6.0).reshape(2, 3)
    idx = np.array([[0, 0, 2]])
    comparar(requiere_torch, lambda m, x: (x.scatter(1, m.tensor(idx), 2.0, reduce="multiply"),
                                           x.scatter(1, m.tensor(idx), 2.0, reduce="add")),
             [x], grad=False)


@ajustes(20)
@given(datos_con_indice(), st.booleans())
def test_scatter_in_situ(requiere_torch, caso, add):
    x, dim, index = caso
    src = np.random.default_rng(3).standard_normal(index.shape)

    def f(m, x, s):
        y = x * 1
        if add:
            y.scatter_add_(dim, m.tensor(index), s)
        else:
            y.scatter_(dim, m.tensor(index), 0.5)
        return y
    comparar(requiere_torch, f, [x, src])


def test_errores_gather_scatter(requiere_torch):
    x = lambda m: m.arange(6.0).reshape(2, 3)  # noqa: E731
    mismo_error(requiere_torch, lambda m: x(m).gather(1, m.tensor([[0, 3]])))
    mismo_error(requiere_torch, lambda m: x(m).gather(1, m.tensor([[0, -1]])))
    mismo_error(requiere_torch, lambda m: x(m).gather(1, m.tensor([0, 1])))
    mismo_error(requiere_torch, lambda m: x(m).gather(1, m.tensor([[0.0, 1.0]])))
    mismo_error(requiere_torch, lambda m: x(m).gather(1, m.tensor([[0], [1], [1]])))
    mismo_error(requiere_torch, lambda m: x(m).scatter(1, m.tensor([[0, 5]]), 1.0))
    mismo_error(requiere_torch, lambda m: x(m).scatter_add(1, m.tensor([[0, 1]]), m.ones(1, 1)))
    mismo_error(requiere_torch, lambda m: x(m).scatter(1, m.tensor([[0, 1]]),
                                                       m.ones(1, 2, dtype=m.float64)))
    mismo_error(requiere_torch, lambda m: m.ones(3, requires_grad=True).scatter_(
        0, m.tensor([0]), 1.0))


# --- index_* ---------------------------------------------------------------------------------
@ajustes(25)
@given(forma(), st.data(), DTYPES)
def test_index_select_add_copy_fill(requiere_torch, shape, data, dtype):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    rep = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=5))
    uniq = data.draw(st.permutations(range(n)))[:data.draw(st.integers(1, n))]
    x = np.random.default_rng(n).standard_normal(shape)
    src_shape = list(shape)
    src_shape[dim] = len(rep)
    src = np.random.default_rng(7).standard_normal(src_shape)
    cshape = list(shape)
    cshape[dim] = len(uniq)
    csrc = np.random.default_rng(8).standard_normal(cshape)

    def f(m, x, s, c):
        r, u = m.tensor(rep), m.tensor(uniq)
        outs = [m.index_select(x, dim, r), x.index_select(dim, m.tensor(rep[0])),
                x.index_add(dim, r, s), m.index_add(x, dim, r, s, alpha=2.5),
                x.index_copy(dim, u, c), x.index_fill(dim, r, -1.5),
                x.index_fill(dim, r, c.sum())]
        y = x * 1
        y.index_add_(dim, r, s, alpha=-1)
        y.index_copy_(dim, u, c)
        y.index_fill_(dim, u[:1], 0.25)
        return outs + [y]
    comparar(requiere_torch, f, [x, src, csrc], dtype)


def test_errores_index(requiere_torch):
    x = lambda m: m.arange(6.0).reshape(2, 3)  # noqa: E731
    mismo_error(requiere_torch, lambda m: x(m).index_select(1, m.tensor([0, 3])))
    mismo_error(requiere_torch, lambda m: x(m).index_select(1, m.tensor([0, -1])))
    mismo_error(requiere_torch, lambda m: x(m).index_select(1, m.tensor([[0, 1]])))
    mismo_error(requiere_torch, lambda m: x(m).index_select(1, m.tensor([0.0])))
    mismo_error(requiere_torch, lambda m: x(m).index_add(1, m.tensor([0, 5]), m.ones(2, 2)))
    mismo_error(requiere_torch, lambda m: x(m).index_copy(1, m.tensor([0, 5]), m.ones(2, 2)))
    mismo_error(requiere_torch, lambda m: x(m).index_fill(1, m.tensor([0, 5]), 1.0))
    mismo_error(requiere_torch, lambda m: x(m).take(m.tensor([6])))
    mismo_error(requiere_torch, lambda m: x(m).put_(m.tensor([7]), m.ones(1)))


# --- máscaras, take, put -----------------------------------------------------------------------
@ajustes(25)
@given(forma(), st.data(), DTYPES)
def test_mascaras(requiere_torch, shape, data, dtype):
    rng = np.random.default_rng(data.draw(st.integers(0, 1000)))
    mshape = tuple(1 if data.draw(st.booleans()) else n for n in shape)
    mask = rng.random(mshape) > 0.5
    x = rng.standard_normal(shape)
    v = rng.standard_normal(())
    src = rng.standard_normal(int(np.prod(shape)) + 1)

    def f(m, x, v, s):
        mk = m.tensor(mask)
        y = x * 1
        y.masked_fill_(mk, v)
        z = x * 1
        z.masked_scatter_(mk, s)
        return (x.masked_fill(mk, -2.0), m.masked_fill(x, mk, v), x.masked_select(mk),
                m.masked_select(x, mk), x.masked_scatter(mk, s), y, z)
    comparar(requiere_torch, f, [x, v, src], dtype)


def test_masked_fill_enteros_y_errores(requiere_torch):
    comparar(requiere_torch, lambda m: m.tensor([1, 2, 3]).masked_fill(
        m.tensor([True, False, True]), 1.5), [], grad=False)
    mismo_error(requiere_torch, lambda m: m.ones(2).masked_fill(m.tensor([1, 0]), 1.0))
    mismo_error(requiere_torch, lambda m: m.ones(2).masked_fill(m.tensor([True, False]),
                                                                 m.ones(2)))
    mismo_error(requiere_torch, lambda m: m.ones(2).masked_fill_(m.tensor([[True, False]]), 1.0))
    mismo_error(requiere_torch, lambda m: m.ones(2, requires_grad=True).masked_fill_(
        m.tensor([True, False]), 1.0))


@ajustes(25)
@given(forma(), st.data())
def test_take_put_take_along_dim(requiere_torch, shape, data):
    rng = np.random.default_rng(data.draw(st.integers(0, 1000)))
    x = rng.standard_normal(shape)
    n = x.size
    idx = rng.integers(-n, n, data.draw(forma(0, 2)))
    uniq = rng.permutation(n)[:data.draw(st.integers(1, n))]
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    ishape = list(shape)
    ishape[dim] = data.draw(st.integers(1, 4))
    along = rng.integers(0, shape[dim], ishape)
    src = rng.standard_normal(uniq.size)

    def f(m, x, s):
        y = x * 1
        y.put_(m.tensor(uniq), s)
        w = x * 1
        w.put_(m.tensor(uniq[:1].repeat(3)), s[:1].repeat(3), accumulate=True)
        return (x.take(m.tensor(idx)), m.take(x, m.tensor(idx)),
                m.take_along_dim(x, m.tensor(along), dim), x.take_along_dim(m.tensor(idx % n)),
                x.put(m.tensor(uniq), s), y, w)
    comparar(requiere_torch, f, [x, src])


def test_nonzero_argwhere(requiere_torch):
    for a in (np.array([[1, 0, 2], [0, 0, 3]]), np.array(3), np.array(0.0), np.zeros((2, 0))):
        comparar(requiere_torch, lambda m: (m.nonzero(m.tensor(a)), m.tensor(a).nonzero(),
                                            m.argwhere(m.tensor(a)),
                                            *m.nonzero(m.tensor(a), as_tuple=True)), [],
                 grad=False)


# --- tril / triu / diag --------------------------------------------------------------------
@ajustes(8)   # el backward de tril_ en torch tarda ~50 ms
@given(forma(2, 4), st.integers(-3, 3), DTYPES)
def test_tril_triu(requiere_torch, shape, k, dtype):
    x = np.random.default_rng(k + 5).standard_normal(shape)

    def f(m, x):
        y = x * 1
        y.tril_(k)
        z = x * 1
        z.triu_(k)
        return m.tril(x, k), x.triu(k), m.triu(x, diagonal=k), y, z
    comparar(requiere_torch, f, [x], dtype)
    mismo_error(requiere_torch, lambda m: m.tril(m.ones(3)))


@ajustes(25)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(-3, 3), st.integers(-3, 2),
       st.integers(-3, 2))
def test_diag_diag_embed_diagonal(requiere_torch, a, b, k, d1, d2):
    v = np.random.default_rng(a).standard_normal(a)
    mat = np.random.default_rng(b).standard_normal((a, b))
    comparar(requiere_torch, lambda m, v, x: (m.diag(v, k), m.diag(x, k), x.diag(),
                                              m.diagonal(x, k), m.diag_embed(x, k)), [v, mat])
    if d1 % 3 != d2 % 3:
        comparar(requiere_torch, lambda m, x: m.diag_embed(x, k, d1, d2), [mat])
    mismo_error(requiere_torch, lambda m: m.diag(m.ones(2, 2, 2)))


# --- flip / roll / rot90 / tile / repeat_interleave ------------------------------------------
@ajustes(25)
@given(forma(1, 4), st.data(), DTYPES)
def test_flip_roll_rot90_tile(requiere_torch, shape, data, dtype):
    nd = len(shape)
    dims = data.draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd))
    shifts = data.draw(st.lists(st.integers(-5, 5), min_size=len(dims), max_size=len(dims)))
    k = data.draw(st.integers(-5, 5))
    reps = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=nd + 1))
    x = np.random.default_rng(nd).standard_normal(shape)

    def f(m, x):
        outs = [m.flip(x, dims), x.flip(dims), m.roll(x, 3), x.roll(-2),
                m.tile(x, reps), x.tile(*reps), m.flipud(x)]
        if dims:
            outs.append(m.roll(x, shifts, dims))
        if nd >= 2:
            outs += [m.rot90(x, k), x.rot90(k, [nd - 1, 0]), m.fliplr(x)]
        return outs
    comparar(requiere_torch, f, [x], dtype)
    mismo_error(requiere_torch, lambda m: m.ones(2, 2).flip(0, 0))
    mismo_error(requiere_torch, lambda m: m.ones(2, 2).rot90(1, (0, 0)))
    mismo_error(requiere_torch, lambda m: m.ones(2).fliplr())


@ajustes(15)
@given(forma(1, 3), st.data())
def test_repeat_interleave(requiere_torch, shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    reps = data.draw(st.lists(st.integers(0, 3), min_size=shape[dim], max_size=shape[dim]))
    r = data.draw(st.integers(0, 3))
    x = np.random.default_rng(1).standard_normal(shape)

    def f(m, x):
        t = m.tensor(reps)
        return (m.repeat_interleave(x, r), x.repeat_interleave(r, dim),
                x.repeat_interleave(t, dim=dim), m.repeat_interleave(x, t, dim,
                                                                     output_size=sum(reps)),
                m.repeat_interleave(t), x.repeat_interleave(m.tensor([r]), dim))
    comparar(requiere_torch, f, [x])
    mismo_error(requiere_torch, lambda m: m.ones(2).repeat_interleave(m.tensor([1, -1])))
    mismo_error(requiere_torch, lambda m: m.ones(2).repeat_interleave(m.tensor([1, 2, 3]), 0))


# --- unir -------------------------------------------------------------------------------------
@ajustes(20)
@given(st.integers(0, 3), st.integers(1, 3), DTYPES)
def test_hstack_vstack_dstack_column_stack(requiere_torch, nd, n, dtype):
    shape = (n,) * nd
    a = np.random.default_rng(nd).standard_normal(shape)
    b = np.random.default_rng(n).standard_normal(shape)

    def f(m, a, b):
        outs = [m.hstack([a, b]), m.vstack((a, b)), m.dstack([a, b])]
        if nd <= 2:
            outs.append(m.column_stack([a, b]))
        return outs
    comparar(requiere_torch, f, [a, b], dtype)
    comparar(requiere_torch, lambda m, a, b, c: (m.hstack([a, c]), m.column_stack([a, b]),
                                                 m.vstack([c, b])),
             [np.arange(2.0), np.ones((2, 3)), np.arange(3.0)])


def test_hstack_tipos_mezclados(requiere_torch):
    comparar(requiere_torch, lambda m: (m.hstack([m.tensor([1, 2]), m.tensor([0.5])]),
                                        m.vstack([m.tensor([1]), m.tensor([True])])), [],
             grad=False)


# --- vistas: meshgrid, movedim, broadcast, atleast, unflatten, narrow, unfold ---------------
@ajustes(20)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=3), st.sampled_from(["ij", "xy"]))
def test_meshgrid(requiere_torch, sizes, indexing):
    arrays = [np.random.default_rng(n).standard_normal(n) for n in sizes]
    comparar(requiere_torch, lambda m, *xs: m.meshgrid(*xs, indexing=indexing), arrays)
    comparar(requiere_torch, lambda m, *xs: m.meshgrid(list(xs), indexing=indexing), arrays)
    comparar(requiere_torch, lambda m, *xs: m.meshgrid(*xs), arrays)


@ajustes(25)
@given(forma(1, 4), st.data())
def test_movedim_swap_broadcast(requiere_torch, shape, data):
    nd = len(shape)
    k = data.draw(st.integers(1, nd))
    src = data.draw(st.lists(st.integers(-nd, nd - 1), min_size=k, max_size=k,
                             unique_by=lambda d: d % nd))
    dst = data.draw(st.lists(st.integers(-nd, nd - 1), min_size=k, max_size=k,
                             unique_by=lambda d: d % nd))
    d0, d1 = data.draw(st.integers(-nd, nd - 1)), data.draw(st.integers(-nd, nd - 1))
    x = np.random.default_rng(nd).standard_normal(shape)
    grande = (2,) + tuple(data.draw(st.integers(1, 3)) if n == 1 else n for n in shape)

    def f(m, x):
        return (m.movedim(x, src, dst), x.movedim(src[0], dst[0]), m.moveaxis(x, src, dst),
                m.swapaxes(x, d0, d1), x.swapdims(d0, d1), m.swapdims(x, d0, d1),
                m.broadcast_to(x, grande), x.broadcast_to(grande),
                *m.broadcast_tensors(x, m.ones(grande, dtype=x.dtype)))
    comparar(requiere_torch, f, [x])
    mismo_error(requiere_torch, lambda m: m.ones(2, 3).movedim((0, 0), (0, 1)))
    mismo_error(requiere_torch, lambda m: m.broadcast_tensors(m.ones(2), m.ones(3)))


def test_atleast_unflatten_narrow(requiere_torch):
    for shape in [(), (3,), (2, 3), (2, 1, 3)]:
        x = np.random.default_rng(len(shape)).standard_normal(shape)
        comparar(requiere_torch, lambda m, x: (m.atleast_1d(x), m.atleast_2d(x),
                                               *m.atleast_1d(x, x), *m.atleast_2d([x, x])), [x])
    x = np.random.default_rng(0).standard_normal((6, 4))
    comparar(requiere_torch, lambda m, x: (m.unflatten(x, 0, (2, 3)), m.unflatten(x, 1, (2, -1)),
                                           m.narrow(x, 1, 1, 2), m.narrow(x, 0, -2, 2),
                                           m.narrow(x, 0, m.tensor(1), 3)), [x])


@ajustes(25)
@given(forma(1, 3, 6), st.data(), DTYPES)
def test_unfold(requiere_torch, shape, data, dtype):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    size = data.draw(st.integers(1, shape[dim]))
    step = data.draw(st.integers(1, 3))
    x = np.random.default_rng(1).standard_normal(shape)
    comparar(requiere_torch, lambda m, x: (x.unfold(dim, size, step),
                                           x.unfold(dim, size, step).sum(-1)), [x], dtype)
    mismo_error(requiere_torch, lambda m: m.ones(2, 3).unfold(1, 4, 1))
    mismo_error(requiere_torch, lambda m: m.ones(2, 3).unfold(1, 2, 0))


def test_unfold_es_vista_y_stride(requiere_torch):
    torch = requiere_torch
    for m in (torch, tg):
        x = m.arange(12.0).reshape(3, 4)
        u = x.unfold(1, 2, 2)
        u[0, 0, 0] = 100.0   # sin solapes: se puede escribir, y cambia x
        assert x[0, 0].item() == 100.0
    assert tg.arange(12.0).reshape(3, 4).unfold(1, 2, 1).stride() == \
        torch.arange(12.0).reshape(3, 4).unfold(1, 2, 1).stride()


# --- métodos pequeños ----------------------------------------------------------------------
def test_new_y_tipos(requiere_torch):
    for dtype in ("float32", "float64", "int64"):
        def f(m):
            x = m.ones(2, dtype=getattr(m, dtype))
            return (x.new_tensor([1, 2]), x.new_tensor([[1.5]]), x.new_zeros(2, 3),
                    x.new_zeros((1, 2)), x.new_ones(3), x.new_full((2,), 7),
                    x.new_empty(2, 2).zero_(), x.new_zeros(2, dtype=m.int32),
                    x.type_as(m.ones(1, dtype=m.float64)), x.short(), x.byte(), x.char())
        comparar(requiere_torch, f, [], grad=False)
    torch = requiere_torch
    for m in (torch, tg):
        assert m.ones(2).new_zeros(2, requires_grad=True).requires_grad
        assert not m.ones(2, requires_grad=True).new_ones(2).requires_grad


def test_memoria_stride_offset_contiguo(requiere_torch):
    torch = requiere_torch
    vistas = [lambda x: x, lambda x: x.t(), lambda x: x[1:], lambda x: x[:, 1:3],
              lambda x: x[1], lambda x: x.unfold(1, 2, 1), lambda x: x.expand(2, 3, 4),
              lambda x: x[::2, 1::2], lambda x: x.movedim(0, 1)]
    for v in vistas:
        a, b = v(torch.arange(12.0).reshape(3, 4)), v(tg.arange(12.0).reshape(3, 4))
        assert a.stride() == b.stride()
        assert a.storage_offset() == b.storage_offset()
        assert a.is_contiguous() == b.is_contiguous()
        if a.dim():
            assert a.stride(0) == b.stride(0) and a.stride(-1) == b.stride(-1)
    x = tg.arange(12.0).reshape(3, 4)
    assert x[1].data_ptr() - x.data_ptr() == 4 * x.element_size()


def test_H_clamp_min_max_sum_to_size(requiere_torch):
    x = np.random.default_rng(0).standard_normal((2, 3))

    def f(m, x):
        y = x * 1
        y.clamp_min_(-0.5)
        z = x * 1
        z.clamp_max_(0.3)
        return (x.H, x.clamp_min(0.1), x.clamp_max(-0.2), m.clamp_min(x, 0.0),
                m.clamp_max(x, m.tensor(0.5, dtype=x.dtype)), y, z, x.sum_to_size(1, 3),
                x.sum_to_size(3), x.sum_to_size(2, 1), x.sum_to_size((2, 3)))
    comparar(requiere_torch, f, [x])
    mismo_error(requiere_torch, lambda m: m.ones(3).H)
    mismo_error(requiere_torch, lambda m: m.ones(2, 3).sum_to_size(2, 2))
    comparar(requiere_torch, lambda m, x: (x.H,), [np.array(2.0)])


def test_apply_map(requiere_torch):
    def f(m):
        x = m.arange(6.0).reshape(2, 3)
        x.apply_(lambda v: v * v + 1)
        y = m.arange(6).reshape(2, 3)
        y.map_(m.tensor([10, 20, 30]), lambda a, b: a * b)
        return x, y
    comparar(requiere_torch, f, [], grad=False)
    mismo_error(requiere_torch, lambda m: m.ones(2, requires_grad=True).apply_(lambda v: v))


# --- in situ: vistas, hojas y versiones -------------------------------------------------------
def test_in_situ_en_vista_y_version(requiere_torch):
    x = np.random.default_rng(4).standard_normal((3, 4))
    s = np.random.default_rng(5).standard_normal((3, 2))

    def f(m, x, s):
        y = x * 1
        v = y[:, 1:3]
        v.index_add_(1, m.tensor([0, 0]), s)
        w = y.t()
        w.masked_fill_(w > 1.0, 0.0)
        y[0].scatter_(0, m.tensor([3, 1]), s[0])
        return y, v
    comparar(requiere_torch, f, [x, s])

    def guardado(m, x, s):
        y = x * 1
        z = y.sin()   # guarda y para backward
        y.index_fill_(0, m.tensor([1]), 0.0)
        return z
    torch = requiere_torch
    for m in (torch, tg):
        a = m.tensor(x, requires_grad=True)
        out = guardado(m, a, None)
        with pytest.raises(RuntimeError):
            out.sum().backward()


def test_in_situ_sin_grad_en_hoja(requiere_torch):
    torch = requiere_torch
    for m in (torch, tg):
        w = m.ones(4, requires_grad=True)
        with m.no_grad():
            w.index_fill_(0, m.tensor([1]), 5.0)
            w.masked_fill_(m.tensor([True, False, False, False]), -1.0)
            w.scatter_add_(0, m.tensor([2, 2]), m.ones(2))
        assert w.tolist() == [-1.0, 5.0, 3.0, 1.0]
        assert w.is_leaf and w.requires_grad


def test_clamp_min_max_con_tensor(requiere_torch):
    x = np.random.default_rng(0).standard_normal((2, 3))
    lim = np.random.default_rng(1).standard_normal(3)

    def f(m, x, lim):
        y = x * 1
        y.clamp_min_(lim)
        z = x * 1
        z.clamp_max_(lim)
        return x.clamp_min(lim), m.clamp_max(x, lim), y, z
    comparar(requiere_torch, f, [x, lim])


def test_tensores_0d(requiere_torch):
    x = np.array(1.5)

    def f(m, x):
        return (x.gather(0, m.tensor(0)), x.gather(0, m.tensor([0, 0])),
                x.scatter(0, m.tensor(0), 2.0), x.take(m.tensor([0, -1])), x.flip(0), x.roll(1),
                x.movedim(0, -1), x.repeat_interleave(3), x.tile(2), x.unfold(0, 1, 1),
                x.masked_fill(m.tensor(True), 0.5), m.atleast_2d(x))
    comparar(requiere_torch, f, [x])
    mismo_error(requiere_torch, lambda m: m.hstack([]))


def test_broadcast_shapes(requiere_torch):
    torch = requiere_torch
    for formas in [((2, 1), (3,)), ((1,), (4, 1, 2)), (2, (1,)), ((),)]:
        assert tuple(tg.broadcast_shapes(*formas)) == tuple(torch.broadcast_shapes(*formas))
    mismo_error(torch, lambda m: m.broadcast_shapes((2,), (3,)))


def test_nombres_de_grad_fn(requiere_torch):
    """Los nodos de las operaciones primitivas de la familia se llaman como en PyTorch."""
    casos = [lambda m, x: x.gather(1, m.tensor([[0, 0]])),
             lambda m, x: x.scatter_add(1, m.tensor([[0, 0]]), x[:1, :2]),
             lambda m, x: x.scatter(1, m.tensor([[0, 1]]), x[:1, :2]),
             lambda m, x: x.scatter(1, m.tensor([[0, 1]]), 2.0),
             lambda m, x: x.index_select(0, m.tensor([1, 1])),
             lambda m, x: x.index_add(0, m.tensor([1]), x[:1]),
             lambda m, x: x.repeat_interleave(2, 0),
             lambda m, x: x.flip(0), lambda m, x: x.roll(1, 0), lambda m, x: x.tril(),
             lambda m, x: x.triu(1), lambda m, x: x.unfold(1, 2, 1)]
    for f in casos:
        nombres = [f(m, m.ones(2, 3, requires_grad=True) * 1).grad_fn.name()
                   for m in (requiere_torch, tg)]
        assert nombres[0] == nombres[1], nombres
