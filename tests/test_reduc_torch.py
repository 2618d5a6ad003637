"""Reducciones, acumuladas, estadísticos de orden, recuentos, comparaciones y hechos de
tipos contra PyTorch (el oráculo): valores, dtypes, formas, tuplas con nombre, gradientes y
clases de error."""
import numpy as np
import pytest

import tinygrad_es as tg

from _oraculo_reduc import comparar, mismo_error

R = np.random.default_rng(0)
X = R.standard_normal((3, 4)).astype(np.float32)
X64 = R.standard_normal((2, 3, 4))
EMPATES = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [0.0, 0.0, 5.0, 5.0, -1.0]])
CEROS = np.array([[2.0, 0.0, 3.0, 0.0, 4.0], [1.5, 2.0, 0.0, -1.0, 3.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
NAN = np.array([[1.0, np.nan, 3.0, 2.0], [np.nan, np.nan, np.nan, np.nan], [4.0, 1.0, 0.5, 2.0]])
ENTEROS = np.array([[1, 0, 3], [2, 2, -1]])


@pytest.fixture
def torch(requiere_torch):
    return requiere_torch


# --- nansum, nanmean, std_mean, var_mean, aminmax, logsumexp, count_nonzero -----------------
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1), -1])
def test_nansum_nanmean(torch, dim):
    kw = {} if dim is None else {"dim": dim}
    comparar(torch, lambda m, x: (m.nansum(x, **kw), x.nansum(**kw, keepdim=True)), NAN)
    comparar(torch, lambda m, x: (m.nanmean(x, **kw), x.nanmean(**kw, keepdim=True)), NAN,
             grad=False)
    # con una fila entera de NaN, PyTorch da gradiente nan (0·inf); sin ella, el mismo
    comparar(torch, lambda m, x: (m.nanmean(x, **kw), x.nanmean(**kw, keepdim=True)), NAN[[0, 2]])
    comparar(torch, lambda m, x: m.nansum(x, **kw), ENTEROS)


def test_nansum_dtype(torch):
    comparar(torch, lambda m, x: m.nansum(x, dtype=m.float64), NAN.astype(np.float32))


@pytest.mark.parametrize("x", [X, X64])
def test_std_mean_var_mean(torch, x):
    comparar(torch, lambda m, x: (m.std_mean(x), m.var_mean(x, 1), m.std_mean(x, 0, True),
                                  m.var_mean(x, dim=(0, 1), correction=0, keepdim=True),
                                  m.std_mean(x, unbiased=False), m.var_mean(x, False)), x)


def test_aminmax_empates(torch):
    r = comparar(torch, lambda m, x: (m.aminmax(x), x.aminmax(dim=1), m.aminmax(x, dim=0,
                                                                                keepdim=True)),
                 EMPATES)
    assert r[1]._fields == ("min", "max") and r[1].max is r[1][1]


@pytest.mark.parametrize("x", [X, X64, np.array([[-np.inf, -np.inf], [1e4, 1e4]])])
def test_logsumexp(torch, x):
    comparar(torch, lambda m, x: (m.logsumexp(x, 1), x.logsumexp(dim=(0, -1), keepdim=True),
                                  m.logsumexp(x, dim=0)), x)


def test_logsumexp_enteros_y_errores(torch):
    comparar(torch, lambda m, x: m.logsumexp(x, 0), ENTEROS)
    with pytest.raises(TypeError):
        tg.logsumexp(tg.tensor(X))


def test_count_nonzero(torch):
    comparar(torch, lambda m, x: (m.count_nonzero(x), x.count_nonzero(1),
                                  m.count_nonzero(x, dim=(0, 1))), CEROS)


# --- acumuladas --------------------------------------------------------------------------
@pytest.mark.parametrize("x", [X, X64, CEROS])
@pytest.mark.parametrize("dim", [0, -1, 1])
def test_cumsum_cumprod(torch, x, dim):
    comparar(torch, lambda m, x: (m.cumsum(x, dim), x.cumsum(dim=dim), m.cumprod(x, dim),
                                  x.cumprod(dim)), x)


def test_cumprod_gradiente_con_varios_ceros(torch):
    x = np.array([[0.0, 2.0, 0.0, 3.0], [2.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    comparar(torch, lambda m, x: m.cumprod(x, 1), x)
    comparar(torch, lambda m, x: m.cumprod(x, 0), x.T.copy())


def test_cumsum_dtypes(torch):
    comparar(torch, lambda m, x: (m.cumsum(x, 0), m.cumprod(x, 1), m.cumsum(x, 1, dtype=m.float32),
                                  m.cumsum(x > 0, 0)), ENTEROS.astype(np.int32))
    comparar(torch, lambda m, x: (m.cumsum(x, 0), x.cumprod(-1)), np.array(2.5))


def test_cumsum_in_situ(torch):
    a, b = tg.tensor(X.copy()), torch.tensor(X.copy())
    a.cumsum_(1)
    b.cumsum_(1)
    np.testing.assert_allclose(a._data, b.numpy(), rtol=1e-6)
    w = tg.tensor(X, requires_grad=True)
    y = w * 1
    y.cumprod_(0)
    y.sum().backward()
    wt = torch.tensor(X, requires_grad=True)
    yt = wt * 1
    yt.cumprod_(0)
    yt.sum().backward()
    np.testing.assert_allclose(w.grad._data, wt.grad.numpy(), rtol=1e-5)


def test_cumsum_errores(torch):
    mismo_error(torch, lambda m, x: m.cumsum(x, 2), X)
    with pytest.raises(TypeError):
        tg.cumsum(tg.tensor(X))


@pytest.mark.parametrize("x", [EMPATES, X64, np.array([1.0, np.nan, 3.0, np.nan, 0.0])])
def test_cummax_cummin(torch, x):
    for dim in (0, -1):
        r = comparar(torch, lambda m, x: m.cummax(x, dim), x, campos=("values", "indices"))
        assert type(r).__name__ == "cummax"
        comparar(torch, lambda m, x: x.cummin(dim=dim), x, campos=("values", "indices"))


@pytest.mark.parametrize("x", [X, X64, np.array([[-1e4, 0.0, 1e4, 3.0]])])
def test_logcumsumexp(torch, x):
    comparar(torch, lambda m, x: (m.logcumsumexp(x, 0), x.logcumsumexp(-1)), x)
    mismo_error(torch, lambda m, x: m.logcumsumexp(x, 0), ENTEROS)


def test_diff(torch):
    comparar(torch, lambda m, x: (m.diff(x), x.diff(n=2, dim=0), m.diff(x, 3), x.diff(dim=0)),
             X64[0])
    p, a = R.standard_normal((3, 2)), R.standard_normal((3, 1))
    comparar(torch, lambda m, x, p, a: (m.diff(x, prepend=p, append=a),
                                        m.diff(x, n=2, dim=-1, append=a)), X64[0], p, a)
    comparar(torch, lambda m, x: (m.diff(x), m.diff(x > 0, dim=0)), ENTEROS)


# --- median, nanmedian, mode, kthvalue, quantile ------------------------------------------
@pytest.mark.parametrize("x", [X, X64, CEROS])
def test_median_valores_indices(torch, x):
    comparar(torch, lambda m, x: (m.median(x), x.nanmedian()), x)
    for dim in range(-x.ndim, x.ndim):
        comparar(torch, lambda m, x: (m.median(x, dim), x.nanmedian(dim, keepdim=True)), x,
                 campos=("values", "indices"))


def test_median_empates_reparte_el_gradiente(torch):
    x = np.array([3.0, 1.0, 2.0, 2.0, 5.0, 2.0])
    comparar(torch, lambda m, x: m.median(x), x)
    v = comparar(torch, lambda m, x: m.median(x, 1).values, EMPATES)
    assert v.shape == (2,)


def test_median_con_nan(torch):
    comparar(torch, lambda m, x: (m.median(x, 1).values, m.nanmedian(x, 1).values,
                                  m.nanmedian(x)), NAN, grad=False)
    comparar(torch, lambda m, x: m.median(x), NAN, grad=False)


def test_kthvalue_mode(torch):
    for k in (1, 2, 3):
        comparar(torch, lambda m, x: (m.kthvalue(x, k), x.kthvalue(k, 0, keepdim=True)), X,
                 campos=("values", "indices"))
    comparar(torch, lambda m, x: (m.mode(x), x.mode(0)), EMPATES)
    r = comparar(torch, lambda m, x: m.mode(x, 1), np.array([[1.0, 1, 1, 4, 3, 3],
                                                              [2, 9, 9, 2, 7, 7]]))
    assert r._fields == ("values", "indices")
    mismo_error(torch, lambda m, x: m.kthvalue(x, 5, 0), X)


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile(torch, interpolation):
    kw = {"interpolation": interpolation}
    comparar(torch, lambda m, x: (m.quantile(x, 0.3, **kw), x.quantile(0.5, dim=1, **kw),
                                  m.quantile(x, 0.75, 0, True, **kw)), X64[0])
    comparar(torch, lambda m, x, q: (m.quantile(x, q, dim=1, **kw),
                                     m.quantile(x, q, dim=-1, keepdim=True, **kw),
                                     x.quantile(q, **kw), x.quantile(q, keepdim=True, **kw)),
             X64, np.array([0.1, 0.5, 0.9]), grad=True)


def test_nanquantile(torch):
    comparar(torch, lambda m, x: (m.quantile(x, 0.4, 1), m.nanquantile(x, 0.4, 1),
                                  x.nanquantile(0.5)), NAN, grad=False)


def test_quantile_errores(torch):
    mismo_error(torch, lambda m, x: m.quantile(x, 1.5), X)
    mismo_error(torch, lambda m, x: m.quantile(x, 0.5), ENTEROS)


def test_msort(torch):
    comparar(torch, lambda m, x: (m.msort(x), x.msort()), X64)


# --- unique, bincount, histc, histogram ------------------------------------------------------
def test_unique(torch):
    v = np.array([[3, 1, 2], [1, 3, 3]])
    comparar(torch, lambda m, x: (m.unique(x), x.unique(return_inverse=True),
                                  m.unique(x, return_counts=True, return_inverse=True),
                                  m.unique(x, dim=1, return_inverse=True, return_counts=True),
                                  m.unique(x.float(), sorted=True)), v)
    w = np.array([[1, 2], [1, 2], [0, 5]])
    comparar(torch, lambda m, x: m.unique(x, dim=0, return_counts=True), w)


def test_unique_consecutive(torch):
    v = np.array([1, 1, 2, 2, 3, 1, 1, 2])
    comparar(torch, lambda m, x: (m.unique_consecutive(x),
                                  x.unique_consecutive(return_inverse=True, return_counts=True)),
             v)
    w = np.array([[1, 1, 2, 2], [0, 0, 3, 4]])
    comparar(torch, lambda m, x: m.unique_consecutive(x, return_counts=True, dim=1), w)


def test_bincount(torch):
    v = np.array([1, 3, 3, 0, 7])
    comparar(torch, lambda m, x: (m.bincount(x), x.bincount(minlength=10)), v)
    for w in (np.array([0.5, 1, 2, 3, 4], np.float32), np.arange(5.0), np.arange(5)):
        comparar(torch, lambda m, x, w: m.bincount(x, w), v, w, grad=False)
    mismo_error(torch, lambda m, x: m.bincount(x), np.array([1, -1]))


def test_histc_histogram(torch):
    x = R.standard_normal(50).astype(np.float32)
    comparar(torch, lambda m, x: (m.histc(x), x.histc(5, -1, 1), m.histc(x, bins=7)), x)
    comparar(torch, lambda m, x: (m.histogram(x, 5), x.histogram(4, range=(-1.0, 1.0),
                                                                 density=True)), x, atol=1e-5,
             grad=False)   # PyTorch no sabe derivar histogram (su backward da error)
    comparar(torch, lambda m, x, b: m.histogram(x, b), x, np.array([-2.0, 0, 0.5, 3],
                                                                    np.float32), grad=False)
    r = tg.histogram(tg.tensor(x), 3)
    assert r._fields == ("hist", "bin_edges")


# --- comparaciones y hechos de tipos -------------------------------------------------------
def test_comparaciones(torch):
    y = R.standard_normal((3, 4)).astype(np.float32)
    comparar(torch, lambda m, a, b: (m.greater(a, b), m.less(a, b), m.greater_equal(a, 0.1),
                                     a.less_equal(b), m.not_equal(a, a), a.greater(b),
                                     m.isclose(a, b + 1e-7), a.isclose(b, atol=1.0),
                                     m.greater(input=a, other=b)), X, y)
    comparar(torch, lambda m, a: m.isclose(a, a * 1, equal_nan=True), NAN)
    comparar(torch, lambda m, a: (m.isclose(a, a + 1, atol=1), m.isclose(a, a + 1)), ENTEROS)
    mismo_error(torch, lambda m, a: m.isclose(a, a.float()), ENTEROS)


def test_comparaciones_in_situ(torch):
    a, b = tg.tensor(X.copy()), torch.tensor(X.copy())
    a.greater_(0.0)
    b.greater_(0.0)
    np.testing.assert_array_equal(a._data, b.numpy())
    assert a.dtype == tg.float32
    for m in (tg, torch):   # en un tensor del grafo: el gradiente que llega a w es 0
        w = m.tensor([1.0, -2.0, 3.0], requires_grad=True)
        x = w * 1
        x.less_equal_(0.5)
        x.sum().backward()
        assert w.grad.tolist() == [0.0, 0.0, 0.0] and x.tolist() == [0.0, 1.0, 0.0]


def test_finfo_iinfo(torch):
    for dt in ("float16", "float32", "float64"):
        a, b = tg.finfo(getattr(tg, dt)), torch.finfo(getattr(torch, dt))
        for campo in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution",
                      "dtype"):
            assert getattr(a, campo) == getattr(b, campo), campo
    assert repr(tg.finfo()) == repr(torch.finfo())
    for dt in ("uint8", "int8", "int16", "int32", "int64"):
        a, b = tg.iinfo(getattr(tg, dt)), torch.iinfo(getattr(torch, dt))
        assert (a.bits, a.max, a.min, a.dtype) == (b.bits, b.max, b.min, b.dtype)
    with pytest.raises(TypeError):
        tg.finfo(tg.int32)
    with pytest.raises(TypeError):
        tg.iinfo(tg.float32)
    with pytest.raises(TypeError):
        tg.iinfo(tg.bool)
    assert tg.finfo(tg.float32).eps == np.finfo(np.float32).eps


def test_tipos_y_hechos(torch):
    nombres = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
               "float64"]
    for a in nombres:
        for b in nombres:
            ta, tb = getattr(torch, a), getattr(torch, b)
            assert str(tg.promote_types(getattr(tg, a), getattr(tg, b))) == \
                str(torch.promote_types(ta, tb)).replace("torch.", "")
            assert tg.can_cast(getattr(tg, a), getattr(tg, b)) == torch.can_cast(ta, tb), (a, b)
    casos = [(X, 1.0), (ENTEROS, 1.0), (ENTEROS, 2), (ENTEROS.astype(np.int8), np.array(1000))]
    for a, b in casos:
        oa = tg.tensor(a)
        ob = tg.tensor(b) if isinstance(b, np.ndarray) else b
        ta = torch.tensor(a)
        tb = torch.tensor(b) if isinstance(b, np.ndarray) else b
        assert str(tg.result_type(oa, ob)) == str(torch.result_type(ta, tb)).replace("torch.", "")
    assert tg.is_floating_point(tg.tensor(X)) and not tg.tensor(ENTEROS).is_floating_point()
    assert tg.is_nonzero(tg.tensor([2.0])) and not tg.tensor(0).is_nonzero()
    mismo_error(torch, lambda m, x: m.is_nonzero(x), np.array([1, 2]))
    mismo_error(torch, lambda m, x: m.is_nonzero(x), np.zeros(0))


def test_out(torch):
    o = tg.zeros(3, 4)
    r = tg.cumsum(tg.tensor(X), 1, out=o)
    assert r is o
    np.testing.assert_allclose(o._data, np.cumsum(X, 1), rtol=1e-6)
    v, i = tg.zeros(3), tg.zeros(3, dtype=tg.int64)
    r = tg.median(tg.tensor(X), 1, out=(v, i))
    assert r.values is v and r.indices is i
    with pytest.raises(RuntimeError):
        tg.cumsum(tg.tensor(X, requires_grad=True), 1, out=tg.zeros(3, 4))
