"""Casos de gradiente de las descomposiciones (SVD, eigh, QR; los ejecuta test_ops_gradients.py
con gradcheck y gradgradcheck en float64 y un gradiente de salida aleatorio).

Las matrices se construyen con valores singulares (o propios) separados: con valores repetidos
el gradiente de U, Vh o de los vectores propios no está definido (ni en PyTorch). Y como cada
vector singular o propio puede cambiar de signo, los casos derivan funciones que no dependen de
esa elección: S, U², la matriz reconstruida, proyectores u·uᵀ. QR sí es única con la convención
de LAPACK (Householder), así que Q y R se derivan tal cual.
"""
import numpy as np
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.ops import decomp

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _ortogonal(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _separados(draw, k, low=0.5):
    """k valores crecientes separados al menos 0.4 entre sí, a partir de ``low``."""
    base = draw(st.floats(low, low + 1.0))
    saltos = draw(st.lists(st.floats(0.4, 1.2), min_size=k, max_size=k))
    return base + np.cumsum(saltos) - saltos[0]


def matriz_separada(draw, m, n, lote=()):
    """A = U₀·diag(s)·V₀ᵀ con valores singulares s separados (un lote de ellas si ``lote``)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    k = min(m, n)
    mats = []
    for _ in range(int(np.prod(lote, dtype=int))):
        s = _separados(draw, k)[::-1]
        u, v = _ortogonal(rng, m)[:, :k], _ortogonal(rng, n)[:, :k]
        mats.append((u * s) @ v.T)
    return tg.tensor(np.array(mats).reshape(tuple(lote) + (m, n)), requires_grad=True)


def simetrica_separada(draw, n, lote=()):
    """Q·diag(λ)·Qᵀ con valores propios separados (también negativos)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    mats = []
    for _ in range(int(np.prod(lote, dtype=int))):
        lam = _separados(draw, n, low=draw(st.floats(-3.0, 1.0)))
        q = _ortogonal(rng, n)
        mats.append((q * lam) @ q.T)
    return tg.tensor(np.array(mats).reshape(tuple(lote) + (n, n)), requires_grad=True)


def _formas(draw):
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return m, n, draw(st.sampled_from([(), (2,)]))


@caso
def svd_(draw):
    """U, S y Vh (reducida y completa) a través de funciones invariantes al signo."""
    a = matriz_separada(draw, *_formas(draw))
    full = draw(st.booleans())

    def fn(a):
        U, S, Vh = tg.linalg.svd(a, full_matrices=full)
        k = S.shape[-1]
        U, Vh = U[..., :k], Vh[..., :k, :]
        # pocas salidas pequeñas: gradgradcheck deriva también respecto a cada una
        return (S, U[..., :2, :].pow(2), Vh[..., :, -2:].pow(2),
                ((U * S.unsqueeze(-2)) @ Vh).sum(-1), (U[..., :1] @ U[..., :1].mT).sum(-2))
    return fn, (a,)


@caso
def svdvals_normas_cond(draw):
    """svdvals, matrix_norm(ord=±2), norm(ord=2), cond y la antigua torch.svd."""
    a = matriz_separada(draw, *_formas(draw))
    return (lambda a: (tg.linalg.svdvals(a), tg.linalg.matrix_norm(a, 2),
                       tg.linalg.matrix_norm(a, -2, keepdim=True), tg.linalg.cond(a, -2),
                       tg.svd(a).V[..., :1, :].pow(2))), (a,)


@caso
def eigh_(draw):
    """Valores y vectores propios (funciones invariantes al signo) de una matriz simétrica.

    Como en los tests de PyTorch, se deriva respecto a la matriz antes de simetrizarla: el
    gradiente de eigh supone que A es simétrica."""
    a = simetrica_separada(draw, draw(st.integers(1, 4)), draw(st.sampled_from([(), (2,)])))
    uplo = draw(st.sampled_from(["L", "U"]))

    def fn(a):
        L, V = tg.linalg.eigh((a + a.mT) / 2, UPLO=uplo)
        return L, V[..., :2, :].pow(2), (V[..., :1] @ V[..., :1].mT).sum(-1), tg.linalg.eigvalsh(
            (a + a.mT) / 2)
    return fn, (a,)


@caso
def qr_(draw):
    """Q y R (únicas con la convención de LAPACK), reducida y completa (m ≤ n)."""
    m, n, lote = _formas(draw)
    a = matriz_separada(draw, m, n, lote)
    modo = draw(st.sampled_from(["reduced", "complete"])) if m <= n else "reduced"
    return (lambda a: tuple(tg.linalg.qr(a, mode=modo))), (a,)


TABLA = {
    decomp.Svd: ["svd_", "svdvals_normas_cond"],
    decomp.Eigh: ["eigh_"],
    decomp.Qr: ["qr_"],
    decomp.Piece: ["svd_", "svdvals_normas_cond", "eigh_", "qr_"],
}
