"""Descomposiciones de ``torch.linalg`` contra PyTorch (el oráculo): svd, svdvals, la antigua
torch.svd, qr, eigh, eigvalsh, matrix_norm/norm con ord=±2 y cond.

Las SVD y eigh no son únicas (el signo de cada vector singular o propio; con
``full_matrices=True``, la base de las columnas de más), así que se compara lo que no depende de
esa elección: los valores, la matriz reconstruida, |U|, |Vh|, los proyectores U·Uᵀ y los
gradientes de funciones invariantes, con un gradiente de salida aleatorio (``comparar``).
Los gradcheck/gradgradcheck con hypothesis están en test_ops_casos_decomp.py.
"""
import numpy as np
import pytest

import tinygrad_es as tg

from _oraculo_reduc import comparar, mismo_error

R = np.random.default_rng(16)
FORMAS = [(3, 3), (4, 3), (3, 5), (2, 4, 3), (2, 1, 3, 4), (1, 1)]


def m(*shape, dtype=np.float64):
    return R.standard_normal(shape).astype(dtype)


def sim(*shape, dtype=np.float64):
    a = m(*shape)
    return (a + np.swapaxes(a, -1, -2)).astype(dtype)


@pytest.fixture
def torch(requiere_torch):
    return requiere_torch


def _tol(dt):
    return {"rtol": 2e-4, "atol": 2e-5} if dt == np.float32 else {"rtol": 1e-7, "atol": 1e-9}


def _k(x):
    return min(x.shape[-2:])


def _invariantes_svd(t, a, full):
    """Lo que no depende del signo de cada vector singular ni de la base de lo que sobra."""
    U, S, Vh = t.linalg.svd(a, full_matrices=full)
    k = _k(a)
    Uk, Vk = U[..., :k], Vh[..., :k, :]
    salidas = [S, Uk.abs(), Vk.abs(), (Uk * S.unsqueeze(-2)) @ Vk, Uk[..., :1] @ Uk[..., :1].mT]
    if full:   # las columnas de más: solo su proyector (su gradiente se ignora, como en PyTorch)
        salidas += [U[..., k:] @ U[..., k:].mT, Vh[..., k:, :].mT @ Vh[..., k:, :]]
    return tuple(salidas)


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("forma", FORMAS)
@pytest.mark.parametrize("full", [False, True])
def test_svd_contra_torch(torch, dt, forma, full):
    a = m(*forma, dtype=dt)
    comparar(torch, lambda t, a: _invariantes_svd(t, a, full), a, **_tol(dt))
    # U y Vh completas son ortogonales (el gradiente de U·Uᵀ no se compara: PyTorch ignora el
    # de las columnas de más, y lo que queda depende de la base que elige LAPACK)
    comparar(torch, lambda t, a: (lambda r: (r.U.mT @ r.U, r.Vh @ r.Vh.mT))(
        t.linalg.svd(a, full_matrices=full)), a, grad=False, **_tol(dt))
    r1, r2 = tg.linalg.svd(tg.tensor(a), full_matrices=full), torch.linalg.svd(
        torch.tensor(a), full_matrices=full)
    assert type(r1).__name__ == type(r2).__name__ == "linalg_svd" and r1._fields == ("U", "S", "Vh")
    for x, y in zip(r1, r2):
        assert tuple(x.shape) == tuple(y.shape) and x.dtype == y.detach().numpy().dtype


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_svdvals_normas_y_cond(torch, dt):
    tol = _tol(dt)
    comparar(torch, lambda t, a: (t.linalg.svdvals(a), t.linalg.matrix_norm(a, 2),
                                  t.linalg.matrix_norm(a, -2), t.linalg.norm(a[0], 2),
                                  t.linalg.norm(a[1], -2), t.linalg.cond(a), t.linalg.cond(a, 2),
                                  t.linalg.cond(a, -2),
                                  t.linalg.matrix_norm(a, 2, dim=(0, 2), keepdim=True),
                                  t.linalg.matrix_norm(a, -2, dim=(2, 1))),
             m(2, 3, 4, dtype=dt), **tol)
    cuadrada = m(2, 3, 3, dtype=dt)
    # PyTorch 2.13 no sabe derivar estas (modifica in situ la inversa que guardó): aquí los
    # valores, y el gradiente nuestro con gradcheck
    normas = ("fro", "nuc", 1, -1, float("inf"), -float("inf"))
    comparar(torch, lambda t, a: tuple(t.linalg.cond(a, p) for p in normas), cuadrada,
             grad=False, **tol)
    if dt == np.float64:
        from tinygrad_es.autograd import gradcheck
        x = tg.tensor(cuadrada, requires_grad=True)
        assert gradcheck(lambda x: tuple(tg.linalg.cond(x, p) for p in ("fro", "nuc")), (x,))


def test_cond_singular_y_errores(torch):
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    lote = np.stack([singular, np.eye(2)])
    comparar(torch, lambda t, a: (t.linalg.cond(a, 1), t.linalg.cond(a, "fro")), lote,
             grad=False)
    comparar(torch, lambda t, a: t.linalg.cond(a), np.zeros((3, 3)), grad=False)   # 0/0 = nan
    mismo_error(torch, lambda t, a: t.linalg.cond(a, 3), m(3, 3))
    mismo_error(torch, lambda t, a: t.linalg.cond(a), m(3))
    mismo_error(torch, lambda t, a: t.linalg.cond(a, 1), m(3, 4))


@pytest.mark.parametrize("some", [True, False])
def test_torch_svd_antigua(torch, some):
    a = m(4, 3)
    comparar(torch, lambda t, a: (lambda r: (r.S, r.U[..., :3].abs(), r.V[..., :3].abs(),
                                            (r.U[:, :3] * r.S) @ r.V[:, :3].mT))(
        t.svd(a, some=some)), a)
    comparar(torch, lambda t, a: tuple(a.svd(compute_uv=False)), a)   # U y V: ceros
    r1, r2 = tg.svd(tg.tensor(a), some=some), torch.svd(torch.tensor(a), some=some)
    assert type(r1).__name__ == type(r2).__name__ == "svd" and r1._fields == ("U", "S", "V")
    assert [tuple(x.shape) for x in r1] == [tuple(x.shape) for x in r2]


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("forma", [(3, 3), (2, 4, 4), (1, 1), (2, 1, 2, 2)])
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_contra_torch(torch, dt, forma, uplo):
    tol = _tol(dt)
    comparar(torch, lambda t, a: (lambda r: (
        r.eigenvalues, r.eigenvectors.abs(), r.eigenvectors[..., :1] @ r.eigenvectors[..., :1].mT,
        (r.eigenvectors * r.eigenvalues.unsqueeze(-2)) @ r.eigenvectors.mT,
        t.linalg.eigvalsh(a, UPLO=uplo)))(t.linalg.eigh(a, UPLO=uplo)), sim(*forma, dtype=dt),
        **tol)
    # no simétrica: solo se lee el triángulo UPLO (los valores, como PyTorch)
    comparar(torch, lambda t, a: t.linalg.eigvalsh(a, uplo), m(*forma, dtype=dt), grad=False,
             **tol)
    r1, r2 = tg.linalg.eigh(tg.tensor(sim(3, 3))), torch.linalg.eigh(torch.tensor(sim(3, 3)))
    assert type(r1).__name__ == type(r2).__name__ == "linalg_eigh"
    assert r1._fields == ("eigenvalues", "eigenvectors")


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("forma", FORMAS)
@pytest.mark.parametrize("modo", ["reduced", "complete", "r"])
def test_qr_contra_torch(torch, dt, forma, modo):
    a = m(*forma, dtype=dt)
    derivable = modo == "reduced" or (modo == "complete" and forma[-2] <= forma[-1])
    if modo == "r":
        fn = (lambda t, a: t.linalg.qr(a, mode="r").R.abs())
    else:   # Q y R son únicas salvo el signo de cada fila de R (y columna de Q)
        fn = (lambda t, a: (lambda r: (r.Q.abs(), r.R.abs(), r.Q @ r.R, r.Q.mT @ r.Q,
                                       (r.R * r.R).sum(-1)))(t.linalg.qr(a, mode=modo)))
    comparar(torch, fn, a, grad=derivable, **_tol(dt))
    r1, r2 = tg.linalg.qr(tg.tensor(a), mode=modo), torch.linalg.qr(torch.tensor(a), mode=modo)
    assert type(r1).__name__ == type(r2).__name__ == "linalg_qr" and r1._fields == ("Q", "R")
    assert [tuple(x.shape) for x in r1] == [tuple(x.shape) for x in r2]


def _error_en_backward(torch, fn, a):
    """Las dos bibliotecas lanzan RuntimeError al derivar (no al calcular)."""
    mensajes = []
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        salida = fn(lib, x)
        with pytest.raises(RuntimeError) as info:
            salida.sum().backward()
        mensajes.append(str(info.value))
    return mensajes[0]


def test_qr_errores_al_derivar(torch):
    assert "mode='r'" in _error_en_backward(torch, lambda t, x: t.linalg.qr(x, mode="r").R,
                                            m(3, 3))
    assert "más filas" in _error_en_backward(
        torch, lambda t, x: t.linalg.qr(x, mode="complete").R, m(4, 3))


def test_qr_de_rango_incompleto_como_torch(torch):
    """R singular: el gradiente no está definido; inf y nan en los mismos sitios que PyTorch."""
    comparar(torch, lambda t, a: tuple(t.linalg.qr(a)), np.zeros((3, 2)))
    r = np.triu(m(2, 4, 4)) + 3 * np.eye(4)
    b = m(2, 4, 3)
    np.testing.assert_allclose(tg.ops.decomp.back_substitution(r, b), np.linalg.solve(r, b),
                               rtol=1e-12, atol=1e-12)


def test_errores_de_entrada(torch):
    for fn in (lambda t, a: t.linalg.svd(a), lambda t, a: t.linalg.svdvals(a),
               lambda t, a: t.linalg.qr(a), lambda t, a: t.linalg.eigh(a),
               lambda t, a: t.linalg.eigvalsh(a), lambda t, a: t.svd(a)):
        assert "al menos 2 dimensiones" in mismo_error(torch, fn, m(3))
    assert "cuadrada" in mismo_error(torch, lambda t, a: t.linalg.eigh(a), m(4, 3))
    mismo_error(torch, lambda t, a: t.linalg.eigvalsh(a), m(2, 3, 4))
    for fn in (lambda t, a: t.linalg.svd(a), lambda t, a: t.linalg.qr(a),
               lambda t, a: t.linalg.eigh(a)):
        assert "punto flotante" in mismo_error(torch, fn, np.arange(9).reshape(3, 3))
    mismo_error(torch, lambda t, a: t.linalg.qr(a, mode="x"), m(3, 3))
    mismo_error(torch, lambda t, a: t.linalg.eigh(a, UPLO="X"), m(3, 3))
    mismo_error(torch, lambda t, a: t.linalg.svd(a, driver="gesvd"), m(3, 3))
    assert "no finitos" in mismo_error(torch, lambda t, a: t.linalg.svd(a),
                                       np.array([[np.nan, 1.0], [1.0, 1.0]]))
    with pytest.raises(tg.linalg.LinAlgError):
        tg.linalg.svd(tg.tensor([[np.nan, 1.0], [1.0, 1.0]]))
    with pytest.raises(TypeError, match="Tensor"):
        tg.linalg.svd(np.eye(2))


def test_full_matrices_ignora_las_columnas_de_mas(torch):
    """Como PyTorch 2.13: con full_matrices=True el gradiente de U[..., k:] y Vh[..., k:, :] se
    ignora (son una base cualquiera del complemento), no es un error."""
    a, w = m(4, 2), m(4, 2)
    grads = []
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        U, S, Vh = lib.linalg.svd(x)
        ((U[:, 2:] * lib.tensor(w)).sum() + S.sum()).backward()
        grads.append(x.grad.detach().numpy() if lib is torch else x.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10, atol=1e-12)


def test_valores_repetidos(torch):
    """Con valores singulares repetidos el gradiente de S sigue definido (U·diag(G)·Vh) y el de
    U no (se divide por s_i² - s_j² = 0: sale inf o nan), igual que en PyTorch."""
    a = 2 * np.eye(3)
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        lib.linalg.svdvals(x).sum().backward()
        np.testing.assert_allclose(np.asarray(x.grad.tolist()), np.eye(3), atol=1e-12)
        x = lib.tensor(a, requires_grad=True)
        U, S, Vh = lib.linalg.svd(x)
        (U.pow(2) * lib.tensor(m(3, 3))).sum().backward()
        assert not np.isfinite(np.asarray(x.grad.tolist())).all()


def test_grafo_nombres_y_sin_gradiente(torch):
    x = tg.tensor(m(3, 2), requires_grad=True)
    y = torch.tensor(x.detach().numpy(), requires_grad=True)
    pares = [(tg.linalg.svd(x), torch.linalg.svd(y)), (tg.linalg.qr(x), torch.linalg.qr(y)),
             (tg.linalg.eigh(x[:2]), torch.linalg.eigh(y[:2])),
             ((tg.linalg.svdvals(x),), (torch.linalg.svdvals(y),))]
    for ours, theirs in pares:
        for a, b in zip(ours, theirs):
            assert a.grad_fn.name() == type(b.grad_fn).__name__
    with tg.no_grad():
        assert not any(t.requires_grad for t in tg.linalg.svd(x))
    sin = tg.tensor(m(3, 2))
    antes = sin.numpy().copy()
    U, S, Vh = tg.linalg.svd(sin)
    U.add_(1)   # las salidas son arrays propios: modificarlas no toca la entrada
    assert (sin.numpy() == antes).all() and not S.requires_grad
    assert "U·" in tg.ops.decomp.Svd.rule and tg.ops.decomp.Svd.rule_latex


def test_out_y_matrices_vacias(torch):
    a = tg.tensor(m(3, 2))
    outs = (tg.empty(0), tg.empty(0), tg.empty(0))
    with pytest.warns(UserWarning):   # outs vacíos sin forma: no hay aviso; con otra forma sí
        r = tg.linalg.svd(a, full_matrices=False, out=(tg.empty(1), tg.empty(1), tg.empty(1)))
    r = tg.linalg.svd(a, full_matrices=False, out=outs)
    assert r.U is outs[0] and tuple(r.S.shape) == (2,)
    for forma in [(0, 3), (3, 0), (2, 0, 3)]:
        comparar(torch, lambda t, a: tuple(t.linalg.svd(a)) + tuple(t.linalg.qr(a)), m(*forma),
                 grad=False)
    comparar(torch, lambda t, a: tuple(t.linalg.eigh(a)), m(2, 0, 0), grad=False)


def test_segundas_derivadas_contra_torch(torch):
    """Hessiano por vector de funciones invariantes de la SVD, eigh y QR: el backward, escrito
    con operaciones diferenciables, se deriva otra vez (create_graph=True) como en PyTorch."""
    a, v, w = m(4, 3), m(4, 3), m(4, 3)
    s = sim(3, 3)

    def f(t, x):
        U, S, Vh = t.linalg.svd(x, full_matrices=False)
        L, V = t.linalg.eigh(x[:3] + x[:3].mT)
        Q, Rr = t.linalg.qr(x)
        return (S.pow(3).sum() + (U.pow(2) * t.tensor(w)).sum() + t.linalg.matrix_norm(x, 2)
                + L.pow(2).sum() + (V[:, :1] @ V[:, :1].mT).sum() + (Q * t.tensor(w)).sum()
                + Rr.pow(2).sum() + t.linalg.svdvals(x).sum() + t.linalg.matrix_norm(x, "nuc")
                + x.norm(p="nuc"))

    res = []
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        (g,) = lib.autograd.grad(f(lib, x), x, create_graph=True)
        (h,) = lib.autograd.grad((g * lib.tensor(v)).sum(), x)
        res.append(np.asarray(h.tolist()))
        y = lib.tensor(s, requires_grad=True)   # la suma de los valores singulares
        (g,) = lib.autograd.grad(lib.linalg.svdvals(y).sum(), y, create_graph=True)
        (h,) = lib.autograd.grad((g * lib.tensor(s)).sum(), y)
        res.append(np.asarray(h.tolist()))
    np.testing.assert_allclose(res[0], res[2], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(res[1], res[3], rtol=1e-8, atol=1e-10)
