"""Álgebra lineal contra PyTorch (el oráculo): mv, vdot, inner, outer/ger, einsum, tensordot,
addmm/addmv/baddbmm, kron, cross, trace, det, inverse y torch.linalg (norm, vector_norm,
matrix_norm, inv, det, solve): valores, dtypes, formas, gradientes y clases de error."""
import numpy as np
import pytest

import tinygrad_es as tg

from _oraculo_reduc import comparar, mismo_error

R = np.random.default_rng(1)


def m(*shape, dtype=np.float64):
    return R.standard_normal(shape).astype(dtype)


@pytest.fixture
def torch(requiere_torch):
    return requiere_torch


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_productos(torch, dt):
    tol = {"rtol": 1e-5, "atol": 1e-5} if dt == np.float32 else {}
    comparar(torch, lambda t, a, v, w: (t.mv(a, v), a.mv(v), t.vdot(v, w), v.vdot(w),
                                        t.outer(v, w), v.ger(w), t.ger(v, w), t.inner(v, w),
                                        t.inner(a, a), a.inner(v)),
             m(3, 3, dtype=dt), m(3, dtype=dt), m(3, dtype=dt), **tol)
    comparar(torch, lambda t, a: t.inner(a, a[0, 0]), m(2, 3, dtype=dt), **tol)


def test_outer_enteros_y_errores(torch):
    comparar(torch, lambda t, a, b: (t.outer(a, b), t.outer(a, b.float())), np.arange(3),
             np.arange(4))
    mismo_error(torch, lambda t, a: t.outer(a, a.reshape(1, 3)), m(3))
    mismo_error(torch, lambda t, a, v: t.mv(a, v), m(2, 3), m(2))
    mismo_error(torch, lambda t, a, v: t.vdot(a, v), m(3), m(2))


@pytest.mark.parametrize("ecuacion,formas", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("iji->j", [(3, 2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("...ij->...ji", [(2, 3, 4)]),
    ("b...,b...->b", [(2, 3, 4), (2, 3, 4)]),
    ("i...->...", [(3, 2, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("bA,aB", [(2, 3), (3, 4)]),
    ("i j , j k -> i k", [(2, 3), (3, 4)]),
    ("ij,kj->ikj", [(2, 3), (1, 3)]),
])
def test_einsum(torch, ecuacion, formas):
    comparar(torch, lambda t, *ops: (t.einsum(ecuacion, *ops), t.einsum(ecuacion, list(ops))),
             *[m(*f) for f in formas])


def test_einsum_errores(torch):
    mismo_error(torch, lambda t, a, b: t.einsum("ij,jk", a, b), m(2, 3), m(4, 5))
    mismo_error(torch, lambda t, a: t.einsum("ii->i", a), m(2, 3))
    mismo_error(torch, lambda t, a, b: t.einsum("i,i", a, b), m(3, dtype=np.float32), m(3))
    comparar(torch, lambda t, a, b: t.einsum("ij,jk->ik", a, b), np.arange(6).reshape(2, 3),
             np.arange(6).reshape(3, 2))


@pytest.mark.parametrize("dims", [2, 1, 0, ([1, 0], [0, 1]), ([2], [0]), [[0], [1]]])
def test_tensordot(torch, dims):
    comparar(torch, lambda t, a, b: t.tensordot(a, b, dims=dims), m(3, 2, 4), m(2, 3, 4)
             if dims == ([1, 0], [0, 1]) else m(4, 3, 4) if dims in (([2], [0]), [[0], [1]])
             else m(2, 4, 3) if dims == 2 else m(4, 3))


@pytest.mark.parametrize("beta,alpha", [(1, 1), (0.5, 2.0), (0, 1), (0, -1.5), (2, 0)])
def test_addmm_addmv_baddbmm(torch, beta, alpha):
    kw = {"beta": beta, "alpha": alpha}
    comparar(torch, lambda t, c, a, b, v, c3, b1, b2: (
        t.addmm(c, a, b, **kw), c.addmm(a, b, **kw), t.addmm(c[0], a, b, **kw),
        t.addmv(c[:, 0], a, v, **kw), c[:, 1].addmv(a, v, **kw),
        t.baddbmm(c3, b1, b2, **kw), c3.baddbmm(b1, b2, **kw)),
        m(2, 4), m(2, 3), m(3, 4), m(3), m(5, 2, 4), m(5, 2, 3), m(5, 3, 4))


def test_addmm_beta_cero_ignora_nan(torch):
    c = np.full((2, 2), np.nan)
    comparar(torch, lambda t, c, a, b: t.addmm(c, a, b, beta=0), c, m(2, 3), m(3, 2))


def test_addmm_in_situ(torch):
    c, a, b = m(2, 4), m(2, 3), m(3, 4)
    x, y = tg.tensor(c), torch.tensor(c)
    x.addmm_(tg.tensor(a), tg.tensor(b), beta=0.5, alpha=2)
    y.addmm_(torch.tensor(a), torch.tensor(b), beta=0.5, alpha=2)
    np.testing.assert_allclose(x._data, y.numpy(), rtol=1e-12)


def test_kron_cross_trace(torch):
    comparar(torch, lambda t, a, b, v: (t.kron(a, b), a.kron(v), t.kron(v, a), t.trace(a),
                                        a.trace()), m(2, 3), m(3, 2), m(4))
    comparar(torch, lambda t, a, b: (t.cross(a, b, dim=0), a.cross(b, 0), t.cross(a.T, b.T,
                                                                                  dim=-1),
                                     t.linalg.cross(a.T, b.T), t.linalg.cross(a, b, dim=0)),
             m(3, 4), m(3, 4))
    comparar(torch, lambda t, a, b: t.linalg.cross(a, b), m(2, 3), m(1, 3))   # con difusión
    mismo_error(torch, lambda t, a, b: t.linalg.cross(a, b), m(2, 3), m(3))
    comparar(torch, lambda t, a: t.trace(a), np.arange(6).reshape(2, 3).astype(np.int32))
    mismo_error(torch, lambda t, a: t.linalg.cross(a, a), m(3, 4))
    mismo_error(torch, lambda t, a: t.trace(a), m(3))


def test_cross_sin_dim_avisa(torch):
    with pytest.warns(UserWarning):
        r = tg.cross(tg.tensor(m(3, 4)), tg.tensor(m(3, 4)))
    assert r.shape == (3, 4)


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_det_inversa_solve(torch, dt):
    tol = {"rtol": 1e-4, "atol": 1e-4} if dt == np.float32 else {}
    a = (m(3, 3) + 3 * np.eye(3)).astype(dt)
    lote = (m(2, 3, 3) + 3 * np.eye(3)).astype(dt)
    comparar(torch, lambda t, a, lote, b, bm: (
        t.det(a), a.det(), t.linalg.det(lote), t.inverse(a), a.inverse(), t.linalg.inv(lote),
        t.linalg.solve(a, b), t.linalg.solve(lote, bm), t.linalg.solve(lote, b),
        t.linalg.solve(a, bm[0]), t.linalg.solve(a, bm[0].T, left=False)),
        a, lote, m(3, dtype=dt), m(2, 3, 2, dtype=dt), **tol)


def test_det_singular_gradiente(torch):
    """En una matriz singular el gradiente de det es la matriz de cofactores (det es un
    polinomio: derivable en todas partes). PyTorch 2.13 da ahí 0, que es falso (p. ej. en
    diag(1, 0) la derivada respecto al 0 es 1): aquí se da el valor exacto, comprobado con
    diferencias finitas."""
    from tinygrad_es.testing import assert_gradients_match
    for a in ([[1.0, 0.0], [0.0, 0.0]], [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 1.0, 2.0]],
              np.zeros((3, 3))):
        x = tg.tensor(np.array(a), requires_grad=True)
        assert_gradients_match(lambda x: tg.det(x), x)
    x = tg.tensor([[1.0, 0.0], [0.0, 0.0]], dtype=tg.float64, requires_grad=True)
    tg.det(x).backward()
    np.testing.assert_allclose(x.grad._data, [[0.0, 0.0], [0.0, 1.0]], atol=1e-12)
    comparar(torch, lambda t, a: t.det(a), m(2, 3, 3))   # no singulares: lo mismo que PyTorch


def test_linalg_errores(torch):
    mismo_error(torch, lambda t, a: t.linalg.inv(a), np.zeros((2, 2)))
    mismo_error(torch, lambda t, a, b: t.linalg.solve(a, b), np.zeros((2, 2)), m(2))
    mismo_error(torch, lambda t, a: t.inverse(a), m(2, 3))
    mismo_error(torch, lambda t, a: t.det(a), m(3))
    with pytest.raises(tg.linalg.LinAlgError):
        tg.linalg.inv(tg.zeros(2, 2))
    assert issubclass(tg.linalg.LinAlgError, RuntimeError)
    with pytest.raises(AttributeError, match="no está disponible"):
        tg.linalg.cholesky   # noqa: B018


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_normas(torch, dt):
    tol = {"rtol": 1e-5, "atol": 1e-5}
    x = m(3, 4, dtype=dt)
    comparar(torch, lambda t, x: (
        t.linalg.norm(x), t.linalg.norm(x, dim=1), t.linalg.norm(x, 1, dim=0),
        t.linalg.norm(x, "fro"), t.linalg.norm(x, "nuc"), t.linalg.norm(x, float("inf")),
        t.linalg.norm(x, -1), t.linalg.norm(x[0], 3), t.linalg.norm(x, dim=(0, 1), keepdim=True),
        t.linalg.vector_norm(x), t.linalg.vector_norm(x, 1, dim=(0, 1)),
        t.linalg.vector_norm(x, float("inf"), dim=-1, keepdim=True),
        t.linalg.vector_norm(x, 0.5), t.linalg.vector_norm(x, -2, dim=0),
        t.linalg.matrix_norm(x), t.linalg.matrix_norm(x, "nuc"), t.linalg.matrix_norm(x, 1),
        t.linalg.matrix_norm(x, -1), t.linalg.matrix_norm(x, float("inf"), keepdim=True),
        t.linalg.matrix_norm(x, -float("inf"), dim=(1, 0))), x, **tol)
    lote = m(2, 3, 4, dtype=dt)
    comparar(torch, lambda t, x: (t.linalg.matrix_norm(x), t.linalg.matrix_norm(x, 1),
                                  t.linalg.norm(x, dim=(1, 2)), t.linalg.norm(x)), lote, **tol)


def test_normas_dtype_y_errores(torch):
    x = m(3, 4, dtype=np.float32)
    comparar(torch, lambda t, x: (t.linalg.vector_norm(x, dtype=t.float64),
                                  t.linalg.matrix_norm(x, dtype=t.float64)), x)
    mismo_error(torch, lambda t, x: t.linalg.norm(x, 1), m(2, 3, 4))
    mismo_error(torch, lambda t, x: t.linalg.matrix_norm(x), m(3))
    mismo_error(torch, lambda t, x: t.linalg.vector_norm(x), np.arange(3))
