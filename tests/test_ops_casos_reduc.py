"""Casos de gradiente de la familia reduc (los ejecuta test_ops_gradients.py con gradcheck y
gradgradcheck en float64): acumuladas (también con ceros y empates), logsumexp, nansum,
estadísticos de orden (con empates), quantile y diff. Cada caso devuelve ``(fn, entradas)``.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.ops import linalg_extra as la
from tinygrad_es.ops import scan
from tinygrad_es.autograd import gradgradcheck
from tinygrad_es.testing import assert_gradients_match, shapes, tensors

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _dim(draw, x):
    return draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))


# valores con ceros (y ceros repetidos) para cumprod: su gradiente es exacto también ahí
_CON_CEROS = st.sampled_from([0.0, 0.0, 0.5, -1.5, 2.0, -0.75, 1.25])


@caso
def cumsum_(draw):
    x = draw(tensors(shape=shapes(0, 3)))
    d = _dim(draw, x)
    return (lambda x: (x.cumsum(d), tg.cumsum(x, dim=d))), (x,)


@caso
def cumprod_sin_ceros(draw):
    x = draw(tensors(shape=shapes(0, 3), low=0.5, high=1.5))
    d = _dim(draw, x)
    return (lambda x: (x.cumprod(d), tg.cumprod(x, d))), (x,)


@caso
def cumprod_con_ceros(draw):
    x = draw(tensors(shape=shapes(1, 2, max_side=4), elements=_CON_CEROS))
    d = _dim(draw, x)
    return (lambda x: x.cumprod(d)), (x,)


@caso
def logcumsumexp_(draw):
    x = draw(tensors(shape=shapes(0, 3)))
    d = _dim(draw, x)
    return (lambda x: (x.logcumsumexp(d), tg.logcumsumexp(x, d))), (x,)


@caso
def cummax_cummin(draw):
    """Sin empates (en un empate no hay derivada: lo que hace PyTorch ahí, dar todo el
    gradiente al último de los iguales, se comprueba contra PyTorch en test_reduc_torch.py)."""
    x = draw(tensors(shape=shapes(0, 3), distinct=True))
    d = _dim(draw, x)
    return (lambda x: (x.cummax(d).values, tg.cummin(x, d)[0])), (x,)


@caso
def logsumexp_(draw):
    x = draw(tensors(shape=shapes(1, 3)))
    d = draw(st.one_of(st.integers(-x.ndim, x.ndim - 1), st.just(tuple(range(x.ndim)))))
    k = draw(st.booleans())
    return (lambda x: (x.logsumexp(d, keepdim=k), tg.logsumexp(x, dim=d))), (x,)


@caso
def nansum_nanmean(draw):
    x = draw(tensors(shape=shapes(1, 3, min_side=2)))
    mask = np.zeros(x.shape, bool)
    mask.reshape(-1)[0] = True
    return (lambda x: (tg.where(tg.tensor(mask), float("nan"), x).nansum(),
                       tg.where(tg.tensor(mask), float("nan"), x).nanmean(-1))), (x,)


@caso
def std_mean_var_mean(draw):
    x = draw(tensors(shape=shapes(1, 3, min_side=2), distinct=True))   # std > 0, sin empates
    return (lambda x: tg.std_mean(x, -1) + tg.var_mean(x, correction=0) + tg.aminmax(x)), (x,)


@caso
def median_(draw):
    """Sin empates (median() con empates reparte el gradiente como PyTorch: se comprueba
    contra PyTorch en test_reduc_torch.py)."""
    x = draw(tensors(shape=shapes(1, 3), distinct=True))
    d = _dim(draw, x)
    return (lambda x: (x.median(), tg.median(x, d).values, x.nanmedian(d, keepdim=True)[0])), (x,)


@caso
def kthvalue_mode(draw):
    x = draw(tensors(shape=shapes(1, 3), distinct=True))
    d = _dim(draw, x)
    k = draw(st.integers(1, x.shape[d]))
    return (lambda x: (x.kthvalue(k, d).values, x.mode(d).values, tg.msort(x))), (x,)


@caso
def quantile_(draw):
    x = draw(tensors(shape=shapes(1, 3), distinct=True))
    d = draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
    n = x.numel() if d is None else x.shape[d]
    # lejos de los rangos enteros q·(n - 1), donde el cuantil lineal tiene un quiebre en q
    qs = [q for q in draw(st.lists(st.floats(0.05, 0.95), min_size=1, max_size=3))
          if 0.05 < (q * (n - 1)) % 1 < 0.95] or [0.5 / max(n - 1, 1)]
    interp = draw(st.sampled_from(["linear", "midpoint", "lower", "higher", "nearest"]))
    # solo la interpolación lineal depende de q de forma continua (PyTorch la deriva)
    q = tg.tensor(qs, dtype=tg.float64, requires_grad=interp == "linear")
    return (lambda x, q: (x.quantile(q, d, interpolation=interp),
                          tg.quantile(x, 0.3, dim=d, keepdim=True))), (x, q)


@caso
def diff_(draw):
    x = draw(tensors(shape=shapes(1, 3, min_side=2)))
    d = _dim(draw, x)
    n = draw(st.integers(0, 2))
    p = draw(tensors(shape=tuple(1 if i == d % x.ndim else s for i, s in enumerate(x.shape))))
    return (lambda x, p: (x.diff(n, d), tg.diff(x, dim=d, prepend=p, append=p))), (x, p)


@caso
def gather_scatter_add(draw):
    """La pareja de cummax: gather con índices repetidos y su adjunta, que suma."""
    x = draw(tensors(shape=(3, 4)))
    idx = np.array([[0, 0, 2, 2], [1, 1, 1, 3], [0, 2, 2, 2]])
    return (lambda x: x._apply(scan.ScatterAddAlong, x._apply(scan.GatherAlong, x, indices=idx,
                                                              axis=1),
                               indices=idx, axis=1, shape=(3, 4))), (x,)


# --- álgebra lineal --------------------------------------------------------------------------
_ECUACIONES = [
    ("ij,jk->ik", [(2, 3), (3, 2)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("i,i->", [(3,), (3,)]), ("i,j->ij", [(2,), (3,)]), ("ii->i", [(3, 3)]), ("ii", [(2, 2)]),
    ("iji->j", [(2, 3, 2)]), ("ij->", [(2, 3)]), ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]),
    ("b...,b...->b", [(2, 3), (2, 3)]), ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    ("ij,kj->ikj", [(2, 3), (1, 3)]), ("ijk->kj", [(2, 3, 2)]),
]


@caso
def einsum_(draw):
    ecuacion, formas = draw(st.sampled_from(_ECUACIONES))
    ops = [draw(tensors(shape=f)) for f in formas]
    return (lambda *ops: tg.einsum(ecuacion, *ops)), tuple(ops)


@caso
def tensordot_inner(draw):
    a, b = draw(tensors(shape=(1, 2, 2))), draw(tensors(shape=(2, 2, 1)))
    return (lambda a, b: (tg.tensordot(a, b, dims=([1, 0], [0, 2])),
                          tg.tensordot(a, b.permute(1, 0, 2), 1),
                          tg.inner(a, a))), (a, b)


def _bien_condicionada(draw, *lote):
    n = draw(st.integers(1, 3))
    a = draw(tensors(shape=lote + (n, n), low=0.0, high=0.5))
    return tg.tensor(a.detach().numpy() + 2 * np.eye(n), requires_grad=True), n


@caso
def det_inverse(draw):
    a, _ = _bien_condicionada(draw, *draw(st.sampled_from([(), (2,)])))
    return (lambda a: (tg.det(a), a.inverse(), tg.linalg.det(a), tg.linalg.inv(a))), (a,)


@caso
def det_singular(draw):
    """Matriz de rango n - 1: el gradiente de det es la matriz de cofactores (no 0 ni nan)."""
    n = draw(st.integers(2, 3))
    b = draw(tensors(shape=(n, n - 1)))
    c = draw(tensors(shape=(n - 1, n)))
    a = tg.tensor(b.detach().numpy() @ c.detach().numpy(), requires_grad=True)
    return (lambda a: tg.det(a)), (a,)


@caso
def solve_(draw):
    a, n = _bien_condicionada(draw, *draw(st.sampled_from([(), (2,)])))
    vector = draw(st.booleans())
    b = draw(tensors(shape=a.shape[:-1] if vector else a.shape[:-1] + (2,)))
    return (lambda a, b: (tg.linalg.solve(a, b),
                          tg.linalg.solve(a, b.unsqueeze(-1) if vector else b.mT.mT))), (a, b)


@caso
def addmm_addmv_baddbmm(draw):
    """beta·C + alpha·(A @ B) en un nodo, con C difundida y beta = 0 (C no cuenta)."""
    beta, alpha = draw(st.sampled_from([1, 0, 0.5])), draw(st.sampled_from([1, -2.0]))
    c, a, b = (draw(tensors(shape=(2, 2))) for _ in range(3))
    return (lambda c, a, b: (tg.addmm(c, a, b, beta=beta, alpha=alpha),
                             tg.addmm(c[0], a, b, beta=beta), c.addmm(a, b, alpha=alpha),
                             tg.addmv(c[0, :2], b[:2], a[0], beta=beta, alpha=alpha),
                             tg.baddbmm(c.unsqueeze(0), a.unsqueeze(0), b.unsqueeze(0),
                                        beta=beta, alpha=alpha))), (c, a, b)


@caso
def productos_lineales(draw):
    """outer, kron, cross, trace, mv (composiciones)."""
    a, b = draw(tensors(shape=(2, 3))), draw(tensors(shape=(3, 3)))
    return (lambda a, b: (tg.outer(a[0], a[1, :2]), tg.kron(a[:, :2], a[0, :2]),
                          tg.cross(a, b[:2], dim=1), tg.linalg.cross(b, a[:1]), b.trace(),
                          b.mv(a[1]))), (a, b)


@caso
def normas_linalg(draw):
    x = draw(tensors(shape=shapes(2, 3, min_side=2, max_side=3), distinct=True))
    # ±1 y ±inf (máximo de sumas, con empates posibles) se comparan con PyTorch en
    # test_linalg_torch.py; aquí, las derivables
    ord_m = "fro"
    ord_v = draw(st.sampled_from([2, 1, 3, float("inf"), 0.5]))
    return (lambda x: (tg.linalg.matrix_norm(x, ord_m), tg.linalg.vector_norm(x, ord_v, dim=-1),
                       tg.linalg.norm(x), tg.linalg.norm(x, dim=(-2, -1)))), (x,)


TABLA = {
    scan.Cumsum: ["cumsum_"],
    scan.Cumprod: ["cumprod_sin_ceros", "cumprod_con_ceros"],
    scan.LogCumSumExp: ["logcumsumexp_"],
    scan.GatherAlong: ["cummax_cummin", "quantile_", "gather_scatter_add"],
    scan.ScatterAddAlong: ["gather_scatter_add"],
    la.Einsum: ["einsum_", "tensordot_inner"],
    la.Det: ["det_inverse", "det_singular"],
    la.Inverse: ["det_inverse"],
    la.Solve: ["solve_"],
    la.AddMatmul: ["addmm_addmv_baddbmm"],
}

# Las composiciones (logsumexp, nansum, median...) solo usan operaciones del núcleo, que ya
# tienen sus casos en la TABLA común: sus gradientes se comprueban aquí mismo, igual
# (gradcheck y gradgradcheck en float64 con gradiente de salida aleatorio).
COMPOSICIONES = {n: CASOS.pop(n) for n in ["logsumexp_", "nansum_nanmean", "std_mean_var_mean",
                                            "median_", "kthvalue_mode", "diff_",
                                            "productos_lineales", "normas_linalg"]}


@pytest.mark.parametrize("nombre", sorted(COMPOSICIONES))
@settings(max_examples=6)
@given(data=st.data())
def test_gradiente_composicion(nombre, data):
    fn, entradas = data.draw(COMPOSICIONES[nombre], label=nombre)
    assert_gradients_match(fn, *entradas)
    gradgradcheck(fn, entradas)
