"""Subgradientes como PyTorch en los puntos no diferenciables, y errores numéricos (issue #14).

- ``FILAS``: cada expresión se evalúa exactamente en su esquina, empate o borde, aquí y en
  PyTorch 2.13 (fixture ``requiere_torch``): mismos valores, mismos gradientes (con sus nan,
  inf y ceros en los mismos sitios) y los mismos avisos. Las filas con ``esperado`` dejan
  escrito el gradiente de PyTorch (con gradiente de salida 1) y se comprueban también sin
  torch, en float32 y float64 (ver docs/semantica_pytorch.md).
- ``CASOS``: gradcheck en float64 con hypothesis lejos de las esquinas (y un gradiente de
  salida aleatorio) para norm (todo p), la norma nuclear, dist, cdist, prod y div con
  redondeo.
  test_ops_gradients.py los cuenta en su tabla de operaciones.
- Errores como PyTorch: división entera entre 0, resta de bool, reducciones vacías,
  grados de libertad <= 0; y gradcheck falla con un jacobiano no finito.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.autograd import Function, GradcheckError, gradcheck, gradgradcheck
from tinygrad_es.testing import assert_gradients_match, shapes, tensors

INF = math.inf
R2 = math.sqrt(2)

# (nombre, expresión(m, *xs) con m = tinygrad_es o torch, valores de las entradas,
#  gradientes de PyTorch con gradiente de salida 1 (None: solo se compara con torch),
#  y si PyTorch avisa (UserWarning))
FILAS = [
    # --- norm: p = 2 en el cero (PyTorch: 0, no nan) -------------------------------------
    ("norma_2_vector_cero", lambda m, x: x.norm(), [[0., 0.]], [[0., 0.]]),
    ("norma_2_fila_cero", lambda m, x: x.norm(dim=1), [[[0., 0.], [3., 4.]]],
     [[[0., 0.], [.6, .8]]]),
    ("norma_fro_matriz_cero", lambda m, x: m.norm(x, p="fro"), [[[0., 0.], [0., 0.]]],
     [[[0., 0.], [0., 0.]]]),
    ("norma_2_keepdim_cero", lambda m, x: x.norm(2, -1, True), [[[0., 0.], [0., 1.]]],
     [[[0., 0.], [0., 1.]]]),
    ("perdida_con_sesgo_cero", lambda m, w, b: (w * w).sum() + 0.01 * b.norm(),
     [[1., -2.], [0., 0., 0.]], [[2., -4.], [0., 0., 0.]]),
    ("norma_2_y_0d", lambda m, x: x.norm(dim=0), [0.], [0.]),
    # --- norm: p = 1, inf, -inf, 0 ----------------------------------------------------------
    ("norma_1_en_0", lambda m, x: x.norm(p=1), [[0., 1., -2.]], [[0., 1., -1.]]),
    ("norma_inf_empate", lambda m, x: x.norm(p=INF), [[3., -3., 1.]], [[.5, -.5, 0.]]),
    ("norma_inf_cero", lambda m, x: x.norm(p=INF), [[0., 0.]], [[0., 0.]]),
    ("norma_inf_dim_empates", lambda m, x: x.norm(p=INF, dim=1), [[[3., -3., 1.], [1., 2., 2.]]],
     [[[.5, -.5, 0.], [0., .5, .5]]]),
    ("norma_menos_inf_empate", lambda m, x: x.norm(p=-INF), [[1., -1., 3.]], [[.5, -.5, 0.]]),
    ("norma_menos_inf_con_ceros", lambda m, x: x.norm(p=-INF), [[0., 0., 2.]], [[0., 0., 0.]]),
    ("norma_0_sin_gradiente", lambda m, x: x.norm(p=0), [[0., 1., -2.]], [None]),
    ("norma_0_mas_otra_rama", lambda m, x: x.norm(p=0) + x.sum(), [[0., 1.]], [[1., 1.]]),
    # --- norm: p fraccionario o negativo (ceros: gradiente 0) -----------------------------
    ("norma_0_5_con_cero", lambda m, x: x.norm(p=0.5), [[0., 1., -2.]],
     [[0., 1 + R2, -(1 + R2) / R2]]),
    ("norma_0_5_cero", lambda m, x: x.norm(p=0.5), [[0., 0.]], [[0., 0.]]),
    ("norma_1_5_con_cero", lambda m, x: x.norm(p=1.5), [[0., 1., -2.]], None),
    ("norma_1_5_cero", lambda m, x: x.norm(p=1.5), [[0., 0.]], [[0., 0.]]),
    ("norma_3_cero", lambda m, x: x.norm(p=3), [[0., 0.]], [[0., 0.]]),
    ("norma_3_con_cero", lambda m, x: x.norm(p=3, dim=0), [[[0., 1.], [0., -2.]]], None),
    ("norma_menos_1", lambda m, x: x.norm(p=-1), [[1., -2.]], [[4 / 9, -1 / 9]]),
    ("norma_menos_1_con_cero", lambda m, x: x.norm(p=-1), [[0., 2.]], [[0., 0.]]),
    ("norma_menos_0_5_con_cero", lambda m, x: x.norm(p=-0.5), [[0., 2.]], [[0., 0.]]),
    ("norma_menos_2_dim", lambda m, x: x.norm(p=-2, dim=1), [[[0., 2.], [1., -1.]]], None),
    # --- norm: nuclear ('nuc'): U @ Vh -------------------------------------------------------
    ("norma_nuclear", lambda m, x: x.norm(p="nuc"), [[[1., 2.], [3., 4.]]], None),
    ("norma_nuclear_cero", lambda m, x: m.norm(x, p="nuc"), [[[0., 0.], [0., 0.]]],
     [[[1., 0.], [0., 1.]]]),
    ("norma_nuclear_rectangular", lambda m, x: x.norm(p="nuc"), [[[1., 2., 3.], [4., 5., 6.]]],
     None),
    ("norma_nuclear_dims_keepdim", lambda m, x: x.norm(p="nuc", dim=(2, 0), keepdim=True),
     [[[[1., 2.], [3., 4.]], [[1., 0.], [0., 2.]]]], None),
    ("norma_fro_dim_par", lambda m, x: x.norm(p="fro", dim=(0, 1)), [[[0., 0.], [3., 4.]]], None),
    # --- std / var ---------------------------------------------------------------------------
    ("std_constante", lambda m, x: x.std(), [[2., 2., 2.]], [[0., 0., 0.]]),
    ("var_constante", lambda m, x: x.var(), [[2., 2., 2.]], [[0., 0., 0.]]),
    ("std_constante_dim", lambda m, x: x.std(dim=1), [[[2., 2., 2.], [1., 2., 3.]]],
     [[[0., 0., 0.], [-.5, 0., .5]]]),
    ("std_constante_correction_0", lambda m, x: x.std(correction=0), [[2., 2.]], [[0., 0.]]),
    ("std_un_elemento", lambda m, x: x.std(), [[2.]], [[np.nan]], True),
    ("var_un_elemento", lambda m, x: x.var(), [[2.]], [[np.nan]], True),
    ("var_un_elemento_correction_0", lambda m, x: x.var(correction=0), [[2.]], [[0.]]),
    ("std_0d", lambda m, x: m.std(x), [2.], [np.nan], True),
    ("std_dim_de_tamano_1", lambda m, x: x.std(dim=1), [[[2.], [3.]]], [[[np.nan], [np.nan]]],
     True),
    ("var_correction_igual_a_n", lambda m, x: x.var(correction=2), [[1., 2.]], [[INF, INF]],
     True),
    ("var_correction_mayor_que_n_constante", lambda m, x: x.var(correction=3), [[1., 1.]],
     [[np.nan, np.nan]], True),
    ("std_correction_mayor_que_n", lambda m, x: x.std(correction=3), [[1., 2.]],
     [[np.nan, np.nan]], True),
    ("var_dim_correction_igual_a_n", lambda m, x: x.var(0, correction=2), [[1., 2.]],
     [[-INF, INF]], True),
    ("var_dim_correction_mayor_que_n", lambda m, x: x.var(0, correction=3), [[1., 2.]],
     [[1., -1.]], True),
    ("std_dim_correction_mayor_que_n", lambda m, x: x.std(0, correction=3), [[1., 2.]],
     [[0., 0.]], True),
    ("var_correction_fraccionaria", lambda m, x: x.var(0, correction=1.5), [[1., 2., 4.]], None),
    # --- prod: con ceros, el producto de los demás -------------------------------------------
    ("prod_sin_ceros", lambda m, x: x.prod(), [[2., 3., 4.]], [[12., 8., 6.]]),
    ("prod_un_cero", lambda m, x: x.prod(), [[2., 0., 4.]], [[0., 8., 0.]]),
    ("prod_dos_ceros", lambda m, x: m.prod(x), [[0., 0., 4.]], [[0., 0., 0.]]),
    ("prod_dim_con_ceros", lambda m, x: x.prod(1), [[[2., 0., 4.], [0., 0., 1.], [1., 2., 3.]]],
     [[[0., 8., 0.], [0., 0., 0.], [6., 3., 2.]]]),
    ("prod_dim_keepdim_con_ceros", lambda m, x: x.prod(0, keepdim=True),
     [[[2., 0., 4.], [0., 0., 1.], [1., 2., 3.]]], [[[0., 0., 3.], [2., 0., 12.], [0., 0., 4.]]]),
    ("prod_0d_en_0", lambda m, x: x.prod(0), [0.], [1.]),
    ("prod_vacio", lambda m, x: x.prod(), [[]], [[]]),
    # --- dist -----------------------------------------------------------------------------
    ("dist_iguales", lambda m, a, b: m.dist(a, b), [[1., 2.], [1., 2.]], [[0., 0.], [0., 0.]]),
    ("dist", lambda m, a, b: a.dist(b), [[1., 2.], [4., 6.]], [[-.6, -.8], [.6, .8]]),
    ("dist_p1_coordenada_igual", lambda m, a, b: a.dist(b, p=1), [[1., 2.], [1., 6.]],
     [[0., -1.], [0., 1.]]),
    ("dist_inf_empate", lambda m, a, b: a.dist(b, p=INF), [[1., 2.], [4., 5.]],
     [[-.5, -.5], [.5, .5]]),
    ("dist_inf_iguales", lambda m, a, b: a.dist(b, p=INF), [[1., 2.], [1., 2.]],
     [[0., 0.], [0., 0.]]),
    ("dist_p3_iguales", lambda m, a, b: a.dist(b, p=3), [[1., 2.], [1., 2.]],
     [[0., 0.], [0., 0.]]),
    ("dist_p0_5_coordenada_igual", lambda m, a, b: a.dist(b, p=0.5), [[1., 2.], [1., 3.]],
     [[0., -1.], [0., 1.]]),
    ("dist_p_menos_1", lambda m, a, b: a.dist(b, p=-1), [[1., 2.], [2., 4.]], None),
    ("dist_difusion", lambda m, a, b: m.dist(a, b), [[[1., 2.], [0., 0.]], [1., 2.]], None),
    # --- cdist ----------------------------------------------------------------------------
    ("cdist_puntos_iguales", lambda m, a, b: m.cdist(a, b), [[[1., 2.], [0., 0.]], [[1., 2.]]],
     None),
    ("cdist", lambda m, a, b: m.cdist(a, b), [[[1., 2.], [0., 0.]], [[1., 3.], [2., 2.], [0., 0.]]],
     None),
    ("cdist_p1", lambda m, a, b: m.cdist(a, b, p=1), [[[1., 2.], [0., 0.]], [[1., 3.], [0., 0.]]],
     [[[1., 0.], [-1., -1.]], [[1., 2.], [-1., -1.]]]),
    ("cdist_p0", lambda m, a, b: m.cdist(a, b, p=0), [[[1., 2.], [0., 0.]], [[1., 3.], [0., 0.]]],
     [[[0., 0.], [0., 0.]], [[0., 0.], [0., 0.]]]),
    ("cdist_inf_empate_sin_reparto", lambda m, a, b: m.cdist(a, b, p=INF),
     [[[1., 2.]], [[2., 3.]]], [[[-1., -1.]], [[1., 1.]]]),
    ("cdist_inf", lambda m, a, b: m.cdist(a, b, p=INF),
     [[[1., 2.], [0., 0.]], [[2., 3.], [1., 1.], [0., 0.]]], None),
    ("cdist_p0_5", lambda m, a, b: m.cdist(a, b, p=0.5),
     [[[1., 2.], [0., 0.]], [[1., 3.], [2., 2.], [0., 0.]]], None),
    ("cdist_p1_5", lambda m, a, b: m.cdist(a, b, p=1.5),
     [[[1., 2.], [0., 0.]], [[1., 3.], [2., 2.], [0., 0.]]], None),
    ("cdist_p3", lambda m, a, b: m.cdist(a, b, p=3),
     [[[1., 2.], [0., 0.]], [[1., 3.], [2., 2.], [0., 0.]]], None),
    ("cdist_lotes_difundidos", lambda m, a, b: m.cdist(a, b), [[[[1., 2.]], [[3., 4.]]],
                                                              [[1., 3.], [3., 4.]]], None),
    ("cdist_mm_puntos_iguales",
     lambda m, a, b: m.cdist(a, b, compute_mode="use_mm_for_euclid_dist"),
     [[[1., 2.], [0., 0.]], [[1., 2.], [2., 2.], [0., 0.]]], None),
    ("cdist_mm_por_defecto_26_filas", lambda m, a, b: m.cdist(a, b),
     [[[1., 2.]] * 26, [[1., 2.]] * 3 + [[0., 0.]]], None),
    ("cdist_sin_mm_26_filas", lambda m, a, b: m.cdist(a, b, 2., "donot_use_mm_for_euclid_dist"),
     [[[1., 2.]] * 26, [[1., 2.]] * 3 + [[0., 0.]]], None),
    # --- abs, max/min, clamp, sqrt -----------------------------------------------------------
    ("abs_en_0_y_menos_0", lambda m, x: x.abs(), [[0., -0., -1.]], [[0., 0., -1.]]),
    ("max_total_empate", lambda m, x: x.max(), [[1., 3., 3.]], [[0., .5, .5]]),
    ("min_total_empate", lambda m, x: m.min(x), [[1., 1., 3.]], [[.5, .5, 0.]]),
    ("amax_todos_iguales", lambda m, x: x.amax(), [[3., 3., 3.]], [[1 / 3, 1 / 3, 1 / 3]]),
    ("amin_dim_empate", lambda m, x: x.amin(dim=1), [[[1., 1.], [2., 0.]]], [[[.5, .5], [0., 1.]]]),
    ("max_dim_empate_al_indice", lambda m, x: x.max(dim=0).values, [[1., 3., 3.]], [[0., 1., 0.]]),
    ("min_dim_empate_al_indice", lambda m, x: x.min(1)[0], [[[2., 2.], [1., 1.]]],
     [[[1., 0.], [1., 0.]]]),
    ("maximum_iguales", lambda m, a, b: m.maximum(a, b), [[1., 2.], [1., 3.]],
     [[.5, 0.], [.5, 1.]]),
    ("minimum_iguales", lambda m, a, b: m.minimum(a, b), [[1., 2.], [1., 3.]],
     [[.5, 1.], [.5, 0.]]),
    ("clamp_en_los_bordes", lambda m, x: x.clamp(0, 1), [[0., 1., -1., .5, 2.]],
     [[1., 1., 0., 1., 0.]]),
    ("clamp_min_mayor_que_max", lambda m, x: x.clamp(2, 1), [[0., 1., 1.5, 2., 3.]],
     [[0., 0., 0., 0., 0.]]),
    ("sqrt_en_0_y_menos_0", lambda m, x: x.sqrt(), [[0., -0., 4.]], [[INF, -INF, .25]]),
    # --- pow -------------------------------------------------------------------------------
    ("pow_0_en_0", lambda m, x: x ** 0, [[0., 1., -2.]], [[0., 0., 0.]]),
    ("pow_1_en_0", lambda m, x: x ** 1, [[0., -0.]], [[1., 1.]]),
    ("pow_2_en_0", lambda m, x: x ** 2, [[0., -0., -2.]], [[0., 0., -4.]]),
    ("pow_3_base_negativa", lambda m, x: x.pow(3), [[-2., 0.]], [[12., 0.]]),
    ("pow_0_5_en_0", lambda m, x: x ** 0.5, [[0., -0., -2., 2.]],
     [[INF, -INF, np.nan, .5 / R2]]),
    ("pow_1_5_en_0", lambda m, x: x ** 1.5, [[0., -0., -2.]], [[0., 0., np.nan]]),
    ("pow_2_5_en_0", lambda m, x: x ** 2.5, [[0., -0.]], [[0., 0.]]),
    ("pow_menos_1_en_0", lambda m, x: x ** -1, [[0., -0., -2.]], [[-INF, -INF, -.25]]),
    ("pow_menos_0_5_en_0", lambda m, x: x ** -0.5, [[0., -0., -2.]], [[-INF, -INF, np.nan]]),
    ("pow_menos_1_5_en_0", lambda m, x: x ** -1.5, [[0., -0.]], [[-INF, -INF]]),
    ("pow_menos_2_en_0", lambda m, x: x ** -2, [[0., -0., -2.]], [[-INF, INF, .25]]),
    ("pow_tensor_base_0", lambda m, x, e: x ** e, [[0.] * 5, [2., .5, 0., -1., -.5]],
     [[0., INF, 0., -INF, -INF], [0., 0., 0., -INF, -INF]]),
    ("pow_tensor_base_negativa", lambda m, x, e: m.pow(x, e), [[-2.] * 4, [2., 3., .5, -1.]],
     [[-4., 12., np.nan, -.25], [np.nan] * 4]),
    ("pow_base_escalar_0", lambda m, e: 0.0 ** e, [[2., 0., -1.]], [[0., 0., -INF]]),
    ("pow_base_escalar_negativa", lambda m, e: (-2.0) ** e, [[2., .5]], [[np.nan, np.nan]]),
]
FILAS = [f + (False,) * (5 - len(f)) for f in FILAS]
IDS = [f[0] for f in FILAS]
_REF = {f[0]: f for f in FILAS}


def _correr(m, expr, valores, dtype="float64", arriba=None):
    """Valor, gradientes (None si no hay) y avisos de ``expr`` en el módulo ``m``."""
    xs = [m.tensor(np.array(v, dtype=dtype), requires_grad=True) for v in valores]
    with warnings.catch_warnings(record=True) as avisos:
        warnings.simplefilter("always")
        y = expr(m, *xs)
        g = np.ones(tuple(y.shape), dtype) if arriba is None else arriba(tuple(y.shape), dtype)
        y.backward(m.tensor(g))
    grads = [None if x.grad is None else x.grad.detach().numpy().copy() for x in xs]
    return y.detach().numpy().copy(), grads, avisos


def _aleatorio(forma, dtype):
    return np.random.default_rng(7).standard_normal(forma).astype(dtype)


def _iguales(nuestro, suyo, que):
    """Mismos valores, y nan/inf (con su signo) en los mismos sitios."""
    if suyo is None or nuestro is None:
        assert nuestro is None and suyo is None, f"{que}: {nuestro} y torch {suyo}"
        return
    nuestro, suyo = np.asarray(nuestro), np.asarray(suyo)
    assert nuestro.shape == suyo.shape, f"{que}: forma {nuestro.shape} y torch {suyo.shape}"
    np.testing.assert_array_equal(np.isnan(nuestro), np.isnan(suyo), err_msg=f"{que}: nan")
    np.testing.assert_array_equal(np.isposinf(nuestro), np.isposinf(suyo), err_msg=f"{que}: inf")
    np.testing.assert_array_equal(np.isneginf(nuestro), np.isneginf(suyo), err_msg=f"{que}: -inf")
    np.testing.assert_allclose(nuestro, suyo, rtol=1e-12, atol=1e-15, err_msg=que)


def _avisa(avisos):
    return any(issubclass(a.category, UserWarning) for a in avisos)


def _numpy_avisa(avisos):
    return [str(a.message) for a in avisos if issubclass(a.category, RuntimeWarning)]


@pytest.mark.parametrize("nombre, expr, valores, esperado, aviso", FILAS, ids=IDS)
def test_igual_que_torch_en_la_esquina(nombre, expr, valores, esperado, aviso, requiere_torch):
    torch = requiere_torch
    for arriba in (None, _aleatorio):
        v0, g0, a0 = _correr(tg, expr, valores, arriba=arriba)
        v1, g1, a1 = _correr(torch, expr, valores, arriba=arriba)
        assert not _numpy_avisa(a0), _numpy_avisa(a0)
        _iguales(v0, v1, "valor")
        for i, (g, s) in enumerate(zip(g0, g1)):
            _iguales(g, s, f"gradiente {i}")
            if arriba is None and esperado is not None:   # la tabla describe a PyTorch
                _iguales(s, esperado[i], f"gradiente {i} de torch frente a la tabla")
        assert _avisa(a0) == _avisa(a1) == aviso


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("nombre", [f[0] for f in FILAS if f[3] is not None])
def test_gradiente_de_la_tabla_sin_torch(nombre, dtype):
    _, expr, valores, esperado, aviso = _REF[nombre][:5]
    valor, grads, avisos = _correr(tg, expr, valores, dtype)
    assert not _numpy_avisa(avisos), _numpy_avisa(avisos)
    assert _avisa(avisos) == aviso
    assert valor.dtype == np.dtype(dtype)
    for g, e in zip(grads, esperado):
        if e is None:
            assert g is None
            continue
        assert g.dtype == np.dtype(dtype)
        e = np.array(e, dtype=dtype)
        np.testing.assert_array_equal(np.isnan(g), np.isnan(e))
        np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-7)


# --- norm para todo p: valores, dim, keepdim y dtype ---------------------------------------
ORDENES = [2, 1, 0, INF, -INF, 0.5, 1.5, 3, -1, -0.5, "fro", None]


@pytest.mark.parametrize("p", ORDENES, ids=[str(p) for p in ORDENES])
@pytest.mark.parametrize("dim, keepdim", [(None, False), (1, False), (-1, True), ((0, 2), False),
                                          ((2, 0), True)])
def test_norm_todo_p_como_torch(p, dim, keepdim, requiere_torch):
    torch = requiere_torch
    valores = np.random.default_rng(3).standard_normal((2, 3, 4))
    valores[0, 1] = 0.0   # una fila de ceros: esquina de todas las normas
    valores[1, 2, :2] = 5.0   # un empate en el máximo
    def expr(m, x):
        return x.norm(p=p, dim=dim, keepdim=keepdim)
    for arriba in (None, _aleatorio):
        v0, g0, _ = _correr(tg, expr, [valores], arriba=arriba)
        v1, g1, _ = _correr(torch, expr, [valores], arriba=arriba)
        _iguales(v0, v1, "valor")
        _iguales(g0[0], g1[0], "gradiente")


def test_norm_dtype_y_float32():
    x = tg.tensor([3.0, 4.0], requires_grad=True)
    y = x.norm(dtype=tg.float64)
    assert y.dtype == tg.float64 and y.item() == 5.0
    y.backward()
    assert x.grad.dtype == tg.float32
    for p in [2, 1, INF, 0.5, 3, "fro"]:
        assert x.norm(p).dtype == tg.float32
    assert tg.tensor([[1.0, 2.0], [3.0, 4.0]]).norm("nuc").dtype == tg.float32


@pytest.mark.parametrize("llamada", [
    lambda m: m.tensor([3, 4]).norm(),
    lambda m: m.tensor([3.0, 4.0], dtype=m.float64).norm(dtype=m.float32),
    lambda m: m.tensor([1.0, 2.0]).norm(p="nuc"),
    lambda m: m.ones(2, 3, 4).norm(p="nuc"),
    lambda m: m.ones(2, 2).norm(p="nuc", dim=(1, 1)),
    lambda m: m.ones(2, 2).norm(p="bla"),
    lambda m: m.ones(2, 2, 2).norm(p="fro", dim=(0, 1, 2)),
    lambda m: m.ones(2, 2).norm(dim=(0, 0)),
    lambda m: m.ones(2, 2).norm(dim=5),
    lambda m: m.tensor([]).norm(p=INF),
    lambda m: m.tensor([]).norm(p=-1),
    lambda m: m.zeros(0, 3).norm(p=-INF, dim=0),
], ids=["entero", "estrecha_dtype", "nuc_1d", "nuc_3d_sin_dim", "nuc_dims_iguales",
        "orden_desconocido", "fro_tres_dims", "dim_repetida", "dim_fuera", "inf_vacio",
        "negativa_vacio", "menos_inf_dim_vacia"])
def test_errores_de_norm_como_torch(llamada, requiere_torch):
    with pytest.raises(Exception) as suyo:
        llamada(requiere_torch)
    with pytest.raises(type(suyo.value)) as nuestro:
        llamada(tg)
    assert not any(palabra in str(nuestro.value) for palabra in ("Expected", "must be", "Got"))


def test_normas_de_tensores_vacios_como_torch(requiere_torch):
    torch = requiere_torch
    for p in [2, 1, 0, 0.5, 3, "fro"]:
        assert tg.tensor([]).norm(p=p).item() == torch.tensor([]).norm(p=p).item() == 0.0
    assert tg.zeros(0, 3).norm(p=INF, dim=1).shape == (0,)
    assert tg.zeros(0, 3).norm(p="nuc").item() == torch.zeros(0, 3).norm(p="nuc").item() == 0.0


def test_float32_de_punta_a_punta(monkeypatch):
    """Las operaciones nuevas no calculan en float64 por dentro (ni en las esquinas)."""
    from tinygrad_es.ops import elementwise as ew
    from tinygrad_es.ops import norms
    from tinygrad_es.ops import reduce as red
    vistos = []
    for op in (norms.VectorNorm, norms.NuclearNorm, norms.Dist, norms.Cdist, red.Var, red.Std,
               red.Prod, ew.Pow, ew.DivRounding):
        def envoltura(ctx, grad, _original=op.backward, _op=op):
            salida = _original(ctx, grad)
            for g in salida if isinstance(salida, tuple) else (salida,):
                if g is not None:
                    vistos.append((_op.__name__, np.asarray(g).dtype))
            return salida
        monkeypatch.setattr(op, "backward", staticmethod(envoltura))
    rng = np.random.default_rng(0)
    otro = tg.tensor(rng.standard_normal((5, 4)).astype(np.float32))
    for valores in (rng.standard_normal((3, 4)), np.zeros((3, 4))):
        x = tg.tensor(valores.astype(np.float32), requires_grad=True)
        salidas = [x.norm(p, dim=d) for p in (2, 1, INF, -INF, 0.5, 1.5, 3, -1, "fro")
                   for d in (None, 1)]
        salidas += [x.norm("nuc"), x.var(), x.std(1), x.prod(), x.prod(0), x.dist(otro[:3], 3),
                    x ** 0.5, x ** -1.5, 2 ** x, tg.div(x, 3.0, rounding_mode="floor")]
        salidas += [tg.cdist(x, otro, p) for p in (0, 1, 2, 0.5, 1.5, 3, INF)]
        salidas.append(tg.cdist(x, otro, compute_mode="use_mm_for_euclid_dist"))
        for y in salidas:
            assert y.dtype == tg.float32
            y.backward(tg.ones_like(y))
            assert x.grad.dtype == tg.float32
            x.grad = None   # sin sumar inf + (-inf) de una salida a otra
    assert {dtype for _, dtype in vistos} == {np.dtype(np.float32)}
    assert len({nombre for nombre, _ in vistos}) == 9


# --- dist y cdist: API ----------------------------------------------------------------------
def test_dist_y_cdist_existen_como_en_torch():
    a = tg.tensor([[1.0, 2.0]])
    assert tg.dist(input=a, other=a).item() == 0.0 and callable(tg.cdist)
    assert a.dist(a, 1).item() == 0.0
    assert tg.cdist(a, a, p=2.0, compute_mode="use_mm_for_euclid_dist").shape == (1, 1)
    assert tg.dist(tg.tensor([1.0, 2.0]), tg.tensor([1, 2])).dtype == tg.float32
    assert tg.dist(tg.tensor([1.0]), tg.tensor([1.0], dtype=tg.float64)).dtype == tg.float64


@pytest.mark.parametrize("llamada", [
    lambda m: m.dist(m.tensor([1, 2]), m.tensor([1, 2])),
    lambda m: m.dist(m.tensor([1.0, 2.0]), 2.0),
    lambda m: m.dist(m.ones(2), m.ones(2), p="fro"),
    lambda m: m.dist(m.ones(2), m.ones(3)),
    lambda m: m.cdist(m.ones(2, 2), m.ones(3, 2), p=-1),
    lambda m: m.cdist(m.ones(2), m.ones(2)),
    lambda m: m.cdist(m.ones(1, 2), m.ones(1, 3)),
    lambda m: m.cdist(m.ones(1, 2), m.ones(1, 2), compute_mode="x"),
    lambda m: m.cdist(m.tensor([[1, 2]]), m.tensor([[1, 2]])),
    lambda m: m.cdist(m.ones(1, 2), m.ones(1, 2, dtype=m.float64)),
    lambda m: m.cdist(m.ones(2, 1, 2), m.ones(3, 1, 2)),
], ids=["dist_enteros", "dist_escalar", "dist_p_texto", "dist_formas", "cdist_p_negativo",
        "cdist_1d", "cdist_columnas", "cdist_modo", "cdist_enteros", "cdist_dtypes",
        "cdist_lotes"])
def test_errores_de_dist_y_cdist_como_torch(llamada, requiere_torch):
    with pytest.raises(Exception) as suyo:
        llamada(requiere_torch)
    with pytest.raises(type(suyo.value)):
        llamada(tg)


def test_cdist_vacio_y_sin_columnas_como_torch(requiere_torch):
    torch = requiere_torch
    for s1, s2, p in [((0, 2), (3, 2), 2.0), ((2, 0), (3, 0), 2.0), ((2, 0), (3, 0), INF),
                      ((2, 0), (3, 0), 0.0)]:
        nuestro = tg.cdist(tg.ones(*s1), tg.ones(*s2), p=p).numpy()
        suyo = torch.cdist(torch.ones(*s1), torch.ones(*s2), p=p).numpy()
        assert nuestro.shape == suyo.shape and nuestro.dtype == suyo.dtype
        np.testing.assert_array_equal(nuestro, suyo)


def test_dist_p0_sin_gradiente_como_torch(requiere_torch):
    """dist(p=0): sin gradiente para el primero; si el segundo lo pide, RuntimeError en backward."""
    torch = requiere_torch
    for m in (tg, torch):
        a = m.tensor([1.0, 2.0], requires_grad=True)
        y = m.dist(a, m.tensor([1.0, 5.0]), p=0)
        assert y.item() == 1.0
        y.backward()
        assert a.grad is None
        b = m.tensor([1.0, 5.0], requires_grad=True)
        with pytest.raises(RuntimeError):
            m.dist(a, b, p=0).backward()


def test_cdist_grande_usa_mm_y_coincide_con_el_directo():
    rng = np.random.default_rng(0)
    x1 = tg.tensor(rng.standard_normal((30, 5)), requires_grad=True)
    x2 = tg.tensor(rng.standard_normal((40, 5)), requires_grad=True)
    arriba = tg.tensor(rng.standard_normal((30, 40)))
    resultados = []
    for modo in ("use_mm_for_euclid_dist_if_necessary", "donot_use_mm_for_euclid_dist"):
        x1.grad = x2.grad = None
        y = tg.cdist(x1, x2, compute_mode=modo)
        (y * arriba).sum().backward()
        resultados.append((y.detach().numpy(), x1.grad.numpy(), x2.grad.numpy()))
    for con_mm, directo in zip(*resultados):
        np.testing.assert_allclose(con_mm, directo, rtol=1e-9, atol=1e-9)


# --- errores como PyTorch -------------------------------------------------------------------
ERRORES = [
    ("entero_floordiv_0", lambda m: m.tensor([1, 2]) // 0),
    ("entero_floordiv_tensor_con_0", lambda m: m.tensor([1, 2]) // m.tensor([1, 0])),
    ("entero_mod_0", lambda m: m.tensor([1, 2]) % 0),
    ("entero_mod_tensor_con_0", lambda m: m.tensor([1, 2]) % m.tensor([0, 1])),
    ("escalar_floordiv_tensor_con_0", lambda m: 5 // m.tensor([1, 0])),
    ("escalar_mod_tensor_con_0", lambda m: 5 % m.tensor([1, 0])),
    ("div_floor_entero_0", lambda m: m.div(m.tensor([1, 2]), 0, rounding_mode="floor")),
    ("div_trunc_entero_0", lambda m: m.tensor([1, 2]).div(0, rounding_mode="trunc")),
    ("floor_divide_0", lambda m: m.floor_divide(m.tensor([3]), 0)),
    ("remainder_0", lambda m: m.remainder(m.tensor([3]), 0)),
    ("uint8_floordiv_0", lambda m: m.tensor([1], dtype=m.uint8) // 0),
    ("div_modo_desconocido", lambda m: m.div(m.tensor([1.0]), 2, rounding_mode="x")),
    ("bool_menos_bool", lambda m: m.tensor([True]) - m.tensor([False])),
    ("bool_menos_python_bool", lambda m: m.tensor([True]) - False),
    ("python_bool_menos_bool", lambda m: True - m.tensor([True])),
    ("bool_menos_bool_0d", lambda m: m.tensor([True]) - m.tensor(True)),
    ("bool_sub_metodo", lambda m: m.tensor([True]).sub(m.tensor([False]))),
    ("bool_sub_funcion", lambda m: m.sub(m.tensor([True]), m.tensor([False]))),
    ("bool_menos_entero", lambda m: m.tensor([True]) - 1),
    ("entero_menos_bool", lambda m: 1 - m.tensor([True])),
    ("float_menos_bool", lambda m: m.tensor([1.0]) - m.tensor([True])),
    ("entero_menos_python_bool", lambda m: m.tensor([1]) - True),
    ("negar_bool", lambda m: -m.tensor([True])),
    ("bool_sub_in_situ", lambda m: m.tensor([True]).sub_(m.tensor([False]))),
    ("entero_pow_negativo", lambda m: m.tensor([2]) ** -1),
    ("max_vacio", lambda m: m.tensor([]).max()),
    ("min_vacio", lambda m: m.tensor([]).min()),
    ("amax_vacio", lambda m: m.tensor([]).amax()),
    ("amin_vacio", lambda m: m.zeros(0, 3).amin()),
    ("argmax_vacio", lambda m: m.tensor([]).argmax()),
    ("argmin_vacio", lambda m: m.tensor([]).argmin()),
    ("max_dim_vacia", lambda m: m.zeros(0, 3).max(0)),
    ("min_dim_vacia", lambda m: m.tensor([]).min(dim=0)),
    ("amax_dim_vacia", lambda m: m.zeros(0, 3).amax(0)),
    ("argmax_dim_vacia", lambda m: m.zeros(0, 3).argmax(0)),
]


@pytest.mark.parametrize("nombre, llamada", ERRORES, ids=[e[0] for e in ERRORES])
def test_errores_como_torch(nombre, llamada, requiere_torch):
    with pytest.raises(Exception) as suyo:
        llamada(requiere_torch)
    with pytest.raises(type(suyo.value)) as nuestro:
        llamada(tg)
    mensaje = str(nuestro.value)
    assert not any(ingles in mensaje for ingles in ("Expected", "not supported", "encountered"))


@pytest.mark.parametrize("nombre, llamada", ERRORES[:11], ids=[e[0] for e in ERRORES[:11]])
def test_division_entera_entre_cero_nombra_la_operacion(nombre, llamada):
    with pytest.raises(RuntimeError, match="División entera entre cero en"):
        llamada(tg)


def test_mensajes_de_resta_bool():
    with pytest.raises(RuntimeError, match=r"dos tensores bool.*\^ o logical_xor"):
        tg.tensor([True]) - tg.tensor([False])
    with pytest.raises(RuntimeError, match=r"con un tensor bool.*~ o logical_not"):
        tg.tensor([True]) - 1
    with pytest.raises(RuntimeError, match=r"negación.*~ o logical_not"):
        -tg.tensor([True])


SIN_ERROR = [
    ("float_floordiv_0", lambda m: m.tensor([1.0, -1.0, 0.0]) // 0),
    ("float_mod_0", lambda m: m.tensor([1.0, -1.0, 0.0]) % 0),
    ("entero_floordiv_0_0", lambda m: m.tensor([1, 2]) // 0.0),
    ("entero_mod_0_0", lambda m: m.tensor([1, 2]) % 0.0),
    ("vacio_floordiv_0", lambda m: m.tensor([], dtype=m.int64) // 0),
    ("div_floor_negativos", lambda m: m.div(m.tensor([7, -7, 7, -7]), m.tensor([2, 2, -2, -2]),
                                            rounding_mode="floor")),
    ("div_trunc_negativos", lambda m: m.div(m.tensor([7, -7, 7, -7]), m.tensor([2, 2, -2, -2]),
                                            rounding_mode="trunc")),
    ("div_trunc_float", lambda m: m.tensor([7.5, -7.5]).div(2, rounding_mode="trunc")),
    ("div_floor_float_0", lambda m: m.tensor([1.0, -1.0, 0.0]).div(0, rounding_mode="floor")),
    ("floordiv_entero_por_float", lambda m: m.tensor([7, -7]) // 2.5),
    ("rfloordiv", lambda m: 7 // m.tensor([2, -2])),
    ("rmod", lambda m: 7 % m.tensor([2, -2])),
    ("bool_mas_bool", lambda m: m.tensor([True]) + m.tensor([True])),
    ("suma_vacio", lambda m: m.tensor([]).sum()),
    ("suma_vacio_entero", lambda m: m.tensor([], dtype=m.int64).sum()),
    ("suma_vacio_dim", lambda m: m.zeros(0, 3).sum(0)),
    ("media_vacio", lambda m: m.tensor([]).mean()),
    ("media_vacio_dim", lambda m: m.zeros(0, 3).mean(0)),
    ("media_vacio_dim_no_vacia", lambda m: m.zeros(0, 3).mean(1)),
    ("norma_vacio", lambda m: m.tensor([]).norm()),
    ("prod_vacio", lambda m: m.tensor([]).prod()),
    ("prod_vacio_dim", lambda m: m.zeros(0, 3).prod(0)),
    ("prod_enteros", lambda m: m.tensor([2, 3], dtype=m.int32).prod()),
    ("prod_bool", lambda m: m.tensor([True, False]).prod()),
    ("prod_dtype", lambda m: m.ones(2, 3).prod(1, dtype=m.float64)),
    ("max_dim_no_vacia_de_vacio", lambda m: m.zeros(0, 3).max(1).values),
    ("amax_dim_no_vacia_de_vacio", lambda m: m.zeros(0, 3).amax(1)),
    ("argmax_dim_no_vacia_de_vacio", lambda m: m.zeros(0, 3).argmax(1)),
]


@pytest.mark.parametrize("nombre, llamada", SIN_ERROR, ids=[e[0] for e in SIN_ERROR])
def test_mismo_resultado_que_torch(nombre, llamada, requiere_torch):
    with warnings.catch_warnings(record=True) as avisos:
        warnings.simplefilter("always")
        nuestro = llamada(tg)
    assert not avisos, [str(a.message) for a in avisos]
    suyo = llamada(requiere_torch)
    assert str(nuestro.dtype).split(".")[-1] == str(suyo.dtype).split(".")[-1]
    _iguales(nuestro.numpy(), suyo.numpy(), nombre)


@pytest.mark.parametrize("llamada", [
    lambda m: m.tensor([]).std(), lambda m: m.tensor([]).var(),
    lambda m: m.zeros(0, 3).std(0), lambda m: m.zeros(0, 3).var(1),
    lambda m: m.tensor([1.0]).std(), lambda m: m.tensor([[1.0], [2.0]]).var(dim=1),
], ids=["std_vacio", "var_vacio", "std_vacio_dim", "var_vacio_dim_no_vacia", "std_un_elemento",
        "var_dim_de_uno"])
def test_std_var_sin_grados_de_libertad_avisan_como_torch(llamada, requiere_torch):
    with pytest.warns(UserWarning) as suyos:
        suyo = llamada(requiere_torch)
    with pytest.warns(UserWarning, match="grados de libertad son <= 0") as nuestros:
        nuestro = llamada(tg)
    assert not [a for a in nuestros if issubclass(a.category, RuntimeWarning)]
    assert suyos and nuestro.dtype == tg.float32
    _iguales(nuestro.numpy(), suyo.numpy(), "valor")


def test_std_var_de_enteros_es_error_como_torch(requiere_torch):
    for nombre in ("std", "var"):
        with pytest.raises(RuntimeError):
            getattr(requiere_torch.tensor([1, 2]), nombre)()
        with pytest.raises(RuntimeError, match="punto flotante"):
            getattr(tg.tensor([1, 2]), nombre)()


# --- gradcheck con un jacobiano no finito ------------------------------------------------------
class NanFuera(Function):
    """y = x para x >= 0 y nan para x < 0 (sqrt(x)²); backward dice 1 en todas partes.

    En x = 0 la diferencia central (f(eps) - f(-eps)) / 2eps es nan: el jacobiano numérico
    no es finito y gradcheck debe fallar (antes pasaba: nan > tolerancia es False).
    """

    @staticmethod
    def forward(ctx, x):
        return x.sqrt() * x.sqrt()

    @staticmethod
    def backward(ctx, grad):
        return grad * 1


def _entrada_en_el_borde():
    return tg.tensor([1.0, 0.0, 2.0], dtype=tg.float64, requires_grad=True)


def test_gradcheck_falla_con_jacobiano_numerico_nan():
    with np.errstate(invalid="ignore"), pytest.raises(GradcheckError) as info:
        gradcheck(NanFuera.apply, (_entrada_en_el_borde(),))
    mensaje = str(info.value)
    assert "jacobiano numérico de la salida 0 respecto de la entrada 0" in mensaje
    assert "no finito (nan)" in mensaje
    assert "Elemento: salida(1,) respecto de entrada(1,)" in mensaje
    assert "numérico:  nan" in mensaje and "analítico: 1" in mensaje
    assert isinstance(info.value, RuntimeError)
    with np.errstate(invalid="ignore"):
        assert gradcheck(NanFuera.apply, (_entrada_en_el_borde(),), raise_exception=False) is False
    with np.errstate(invalid="ignore"), pytest.raises(AssertionError, match="no finito"):
        assert_gradients_match(NanFuera.apply, _entrada_en_el_borde())


def test_gradcheck_de_torch_tambien_falla_con_nan(requiere_torch):
    torch = requiere_torch

    class NanFueraTorch(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sqrt() * x.sqrt()

        @staticmethod
        def backward(ctx, grad):
            return grad * 1

    x = torch.tensor([1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError):
        torch.autograd.gradcheck(NanFueraTorch.apply, (x,))
    assert torch.autograd.gradcheck(NanFueraTorch.apply, (x,), raise_exception=False) is False


def test_gradcheck_falla_con_la_norma_en_su_esquina():
    """En el vector cero la norma 2 no es diferenciable: el numérico es 0/0 = nan... o no."""
    x = tg.tensor([0.0, 0.0], dtype=tg.float64, requires_grad=True)
    # (|eps| - |-eps|) / 2eps = 0 coincide con el subgradiente 0: gradcheck pasa, sin nan
    assert gradcheck(lambda t: t.norm(), (x,))
    # sqrt en 0: analítico inf, numérico nan (sqrt(-eps)): falla nombrando el no finito
    with np.errstate(invalid="ignore"), pytest.raises(GradcheckError, match="no finito"):
        gradcheck(lambda t: t.sqrt(), (x,))


# --- gradcheck con hypothesis, lejos de las esquinas ---------------------------------------------
CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _dims(draw, nd):
    una = st.integers(-nd, nd - 1)
    tupla = st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True).map(tuple)
    return draw(st.one_of(st.none(), una, tupla))


@caso
def norma_p(draw):
    """Valores con |x| distintos y >= 0.1: sin ceros (p < 1) ni empates (inf)."""
    x = draw(tensors(shape=shapes(1, 3), distinct=True))
    p = draw(st.sampled_from([2, 1, 3, 0.5, 1.5, -1, -0.5, INF, -INF, 0, "fro", None]))
    d, k = _dims(draw, x.ndim), draw(st.booleans())
    if p == "fro" and isinstance(d, tuple) and len(d) > 2:   # 'fro' con 3 dims: error (torch)
        d = None
    return (lambda x: (x.norm(p, d, k), tg.norm(x, p=p))), (x,)


@caso
def norma_nuclear(draw):
    """x + 4·I tiene valores singulares >= 1 (|x| <= 1, lados <= 3): la norma es suave."""
    lote = draw(st.sampled_from([(), (2,)]))
    filas, columnas = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x = draw(tensors(shape=lote + (filas, columnas), high=1.0))
    identidad = tg.tensor(4 * np.eye(filas, columnas), dtype=tg.float64)
    k = draw(st.booleans())
    if lote:
        return (lambda x: (x + identidad).norm("nuc", dim=(2, 1), keepdim=k)), (x,)
    return (lambda x: ((x + identidad).norm("nuc"), tg.norm(x + identidad, "nuc", keepdim=k))), (x,)


@caso
def dist_(draw):
    """a - b con |a - b| distintos y >= 0.1, b de una forma que se difunde."""
    forma = draw(shapes(0, 3))
    quitar = draw(st.integers(0, len(forma)))   # b pierde dimensiones por delante y tiene unos
    forma_b = tuple(1 if draw(st.booleans()) else s for s in forma)[quitar:]
    b = draw(tensors(shape=forma_b))
    diferencia = draw(tensors(shape=forma, distinct=True, requires_grad=False))
    a = tg.tensor(np.broadcast_to(b.detach().numpy(), forma) + diferencia.numpy(),
                  requires_grad=True)
    p = draw(st.sampled_from([2, 1, 3, 0.5, 1.5, -1, INF, -INF]))
    return (lambda a, b: (a.dist(b, p), tg.dist(b, a, p=p))), (a, b)


@caso
def cdist_(draw):
    """|x1 - x2| >= 0.5 en cada columna (rangos separados) con valores continuos (sin empates)."""
    lote = draw(st.sampled_from([((), ()), ((2,), (2,)), ((2, 1), (3,)), ((), (2,))]))
    filas1, filas2, columnas = (draw(st.integers(1, 3)) for _ in range(3))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    signos = rng.choice([-1.0, 1.0], columnas)
    x1 = tg.tensor(signos * rng.uniform(1.5, 2.5, lote[0] + (filas1, columnas)), requires_grad=True)
    x2 = tg.tensor(signos * rng.uniform(-1.0, 1.0, lote[1] + (filas2, columnas)),
                   requires_grad=True)
    p = draw(st.sampled_from([2, 1, 3, 0.5, 1.5, INF, 0]))
    modo = draw(st.sampled_from(["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                                 "donot_use_mm_for_euclid_dist"]))
    return (lambda x1, x2: tg.cdist(x1, x2, p, modo)), (x1, x2)


@caso
def div_redondeo(draw):
    """a / b a 0.5 de un entero como poco: el cociente redondeado no salta con eps."""
    b = draw(tensors(shape=shapes(0, 2), positive=True, low=0.5))
    cocientes = draw(tensors(shape=st.just(tuple(b.shape)), high=3.0, requires_grad=False))
    q = np.floor(cocientes.numpy()) + 0.5 + 0.3 * (cocientes.numpy() - np.floor(cocientes.numpy()))
    a = tg.tensor(q * b.detach().numpy(), requires_grad=True)
    modo = draw(st.sampled_from(["floor", "trunc"]))
    return (lambda a, b: tg.div(a, b, rounding_mode=modo) * a), (a, b)


@pytest.fixture(scope="module")
def tabla():
    """TABLA y ops_del_grafo de test_ops_gradients.py (se importa aquí: él importa este)."""
    import test_ops_gradients
    return test_ops_gradients.TABLA, test_ops_gradients.ops_del_grafo


@caso
def prod_(draw):
    """|x| >= 0.1 (sin ceros): el gradiente es prod / x."""
    x = draw(tensors(shape=shapes(0, 3)))
    d = draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    k = draw(st.booleans())
    return (lambda x: (x.prod(), x.prod(d, keepdim=k), tg.prod(x))), (x,)


@pytest.mark.parametrize("nombre", sorted(CASOS))
@given(data=st.data())
def test_gradcheck_lejos_de_las_esquinas(tabla, nombre, data):
    TABLA, ops_del_grafo = tabla
    fn, entradas = data.draw(CASOS[nombre], label=nombre)
    originales = [t.detach().numpy().copy() for t in entradas]
    assert_gradients_match(fn, *entradas)
    reclamadas = {op for op, casos in TABLA.items() if nombre in casos}
    assert reclamadas, f"{nombre} no figura en TABLA de test_ops_gradients.py"
    faltan = reclamadas - ops_del_grafo(fn(*entradas))
    assert not faltan, f"{nombre} no usa {sorted(op.__name__ for op in faltan)}"
    for t, antes in zip(entradas, originales):
        assert (t.detach().numpy() == antes).all()


@pytest.mark.parametrize("nombre", sorted(CASOS))
@settings(max_examples=8)
@given(data=st.data())
def test_segunda_derivada_lejos_de_las_esquinas(nombre, data):
    """gradgradcheck: el backward de cada operación, registrado con create_graph=True, se
    deriva bien (normas, también la nuclear, dist, cdist, var/std, prod, div con redondeo)."""
    fn, entradas = data.draw(CASOS[nombre], label=nombre)
    gradgradcheck(fn, entradas)   # la norma nuclear también: con la SVD derivable
