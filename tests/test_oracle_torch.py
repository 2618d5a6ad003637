"""Oráculo: la misma expresión en torch y en tinygrad_es, con las mismas entradas float64.

Cada caso es ``(nombre, f(m, *entradas), formas, dominio)``: ``m`` es el módulo ``torch`` o
``tinygrad_es`` y la misma lambda corre en los dos. Se comparan las salidas (valores, forma,
dtype; también las salidas enteras como los índices de ``max(dim)``) y los gradientes de
todas las entradas tras propagar un gradiente de salida aleatorio (el mismo en los dos).

Este archivo tiene el comparador y los casos aritméticos, de matmul y de reducciones;
``test_oracle_compuestas.py`` usa el mismo comparador con indexado, cat/stack, softmax y
expresiones compuestas.
"""
import numpy as np
import pytest

import tinygrad_es as tg

RTOL, ATOL = 1e-9, 1e-11


def _entradas(formas, dominio, semilla):
    """Arrays float64 de las formas pedidas. Dominios: normal, positivo, lejos (|x| >= 0.1)."""
    rng = np.random.default_rng(semilla)
    valores = []
    for forma in formas:
        if dominio == "positivo":
            valores.append(rng.uniform(0.5, 2.0, forma))
        elif dominio == "lejos":
            valores.append(rng.choice([-1.0, 1.0], forma) * rng.uniform(0.1, 2.0, forma))
        else:
            valores.append(rng.standard_normal(forma))
    return valores


def _correr(m, f, arrays, semilla):
    xs = [m.tensor(a.copy(), requires_grad=True) for a in arrays]
    salida = f(m, *xs)
    salidas = list(salida) if isinstance(salida, (tuple, list)) else [salida]
    rng = np.random.default_rng(semilla + 1000)
    perdida = None
    for s in salidas:
        if s.dtype.is_floating_point if hasattr(s.dtype, "is_floating_point") \
                else s.dtype.kind == "f":
            if not s.requires_grad:
                continue
            arriba = m.tensor(rng.standard_normal(tuple(s.shape)), dtype=s.dtype)
            termino = (s * arriba).sum()
            perdida = termino if perdida is None else perdida + termino
    if perdida is not None:
        perdida.backward()
    valores = [(s.detach().numpy().copy(), str(s.dtype).replace("torch.", ""), tuple(s.shape))
               for s in salidas]
    grads = [None if x.grad is None else x.grad.numpy().copy() for x in xs]
    return valores, grads


def comparar(torch, f, formas, dominio="normal", semilla=0):
    """Corre ``f`` en los dos módulos y compara salidas y gradientes."""
    arrays = _entradas(formas, dominio, semilla)
    originales = [a.copy() for a in arrays]
    nuestros, nuestros_grads = _correr(tg, f, arrays, semilla)
    suyos, suyos_grads = _correr(torch, f, arrays, semilla)
    for a, b in zip(arrays, originales):
        np.testing.assert_array_equal(a, b)   # nadie modificó las entradas
    assert len(nuestros) == len(suyos)
    for k, ((v0, d0, s0), (v1, d1, s1)) in enumerate(zip(nuestros, suyos)):
        assert s0 == s1, f"salida {k}: forma {s0} y torch {s1}"
        assert d0 == d1, f"salida {k}: dtype {d0} y torch {d1}"
        np.testing.assert_allclose(v0, v1, rtol=RTOL, atol=ATOL, err_msg=f"salida {k}")
    for i, (g0, g1) in enumerate(zip(nuestros_grads, suyos_grads)):
        if g1 is None:
            assert g0 is None or not np.any(g0), f"entrada {i}: torch no tiene gradiente"
            continue
        assert g0 is not None, f"entrada {i}: sin gradiente y torch sí tiene"
        assert g0.shape == g1.shape and g0.dtype == g1.dtype
        np.testing.assert_allclose(g0, g1, rtol=RTOL, atol=ATOL, err_msg=f"gradiente {i}")


ARITMETICA = [
    ("suma", lambda m, x, y: x + y, [(3, 4), (3, 4)], "normal"),
    ("suma_difusion_fila", lambda m, x, y: x + y, [(3, 4), (4,)], "normal"),
    ("resta_difusion_cruzada", lambda m, x, y: x - y, [(3, 1), (1, 4)], "normal"),
    ("producto_difusion_3d", lambda m, x, y: x * y, [(2, 3, 4), (3, 1)], "normal"),
    ("producto_0d", lambda m, x, y: x * y, [(3, 4), ()], "normal"),
    ("division_difusion", lambda m, x, y: x / y, [(3, 4), (4,)], "positivo"),
    ("division_0d_por_tensor", lambda m, x, y: x / y, [(), (2, 3)], "positivo"),
    ("escalar_mas", lambda m, x: x + 2.5, [(3,)], "normal"),
    ("escalar_menos", lambda m, x: 2.5 - x, [(3,)], "normal"),
    ("entero_menos", lambda m, x: 1 - x, [(2, 2)], "normal"),
    ("escalar_por", lambda m, x: 3 * x * 0.5, [(3,)], "normal"),
    ("escalar_entre", lambda m, x: x / 3, [(3,)], "normal"),
    ("escalar_sobre", lambda m, x: 3 / x, [(3,)], "positivo"),
    ("negacion", lambda m, x: -x, [(2, 3)], "normal"),
    ("reutilizar", lambda m, x: x * x + x, [(4,)], "normal"),
    ("pow_2", lambda m, x: x ** 2, [(3, 2)], "normal"),
    ("pow_3", lambda m, x: x.pow(3), [(3, 2)], "normal"),
    ("pow_medio", lambda m, x: x ** 0.5, [(4,)], "positivo"),
    ("pow_menos_uno", lambda m, x: x ** -1, [(4,)], "positivo"),
    ("pow_cero", lambda m, x: x ** 0, [(4,)], "normal"),
    ("pow_tensor", lambda m, x, y: x ** y, [(3,), (3,)], "positivo"),
    ("pow_difusion", lambda m, x, y: x ** y, [(2, 3), (3,)], "positivo"),
    ("escalar_a_la_x", lambda m, x: 2 ** x, [(3,)], "normal"),
    ("exp", lambda m, x: x.exp(), [(2, 3)], "normal"),
    ("log", lambda m, x: m.log(x), [(2, 3)], "positivo"),
    ("sqrt", lambda m, x: x.sqrt(), [(5,)], "positivo"),
    ("abs", lambda m, x: x.abs(), [(5,)], "lejos"),
    ("sin_cos", lambda m, x: x.sin() * m.cos(x), [(5,)], "normal"),
    ("tanh", lambda m, x: x.tanh(), [(5,)], "normal"),
    ("sigmoid", lambda m, x: m.sigmoid(x), [(5,)], "normal"),
    ("relu", lambda m, x: x.relu(), [(3, 3)], "lejos"),
    ("clamp", lambda m, x: x.clamp(-0.5, 0.5), [(3, 4)], "lejos"),
    ("clamp_min", lambda m, x: x.clamp(min=0.2), [(3, 4)], "normal"),
    ("clamp_max", lambda m, x: m.clamp(x, max=-0.1), [(3, 4)], "normal"),
    ("clamp_en_los_bordes", lambda m, x: (m.cat([x, x * 0 + 1, x * 0 - 1])).clamp(-1, 1),
     [(3,)], "normal"),
    ("maximum", lambda m, x, y: m.maximum(x, y), [(3, 4), (3, 4)], "normal"),
    ("minimum_difusion", lambda m, x, y: m.minimum(x, y), [(3, 4), (4,)], "normal"),
    ("maximum_empates", lambda m, x: m.maximum(x, x * 1), [(4,)], "normal"),
    ("where", lambda m, x, y: m.where(x > 0, x, y), [(3, 4), (3, 4)], "normal"),
    ("where_escalar", lambda m, x: m.where(x > 0, x, 0.0), [(3, 4)], "normal"),
    ("where_difusion", lambda m, x, y: m.where(y > 0, x, y * 2), [(3, 4), (4,)], "normal"),
    ("comparaciones", lambda m, x, y: ((x > y).float() * x, x >= y, x == x), [(4,), (4,)],
     "normal"),
]

MATMUL = [
    ("1d_1d", lambda m, a, b: a @ b, [(4,), (4,)]),
    ("2d_1d", lambda m, a, b: a @ b, [(3, 4), (4,)]),
    ("1d_2d", lambda m, a, b: a @ b, [(3,), (3, 5)]),
    ("2d_2d", lambda m, a, b: a @ b, [(3, 4), (4, 2)]),
    ("3d_2d", lambda m, a, b: a @ b, [(2, 3, 4), (4, 5)]),
    ("2d_3d", lambda m, a, b: m.matmul(a, b), [(3, 4), (2, 4, 5)]),
    ("3d_3d", lambda m, a, b: a @ b, [(2, 3, 4), (2, 4, 5)]),
    ("3d_1d", lambda m, a, b: a @ b, [(2, 3, 4), (4,)]),
    ("1d_3d", lambda m, a, b: a @ b, [(4,), (2, 4, 3)]),
    ("lotes_difundidos", lambda m, a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)]),
    ("lote_1_difundido", lambda m, a, b: a @ b, [(1, 3, 4), (6, 4, 2)]),
    ("mm", lambda m, a, b: a.mm(b), [(3, 4), (4, 2)]),
    ("bmm", lambda m, a, b: m.bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    ("transpuesta", lambda m, a, b: a @ b.t(), [(3, 4), (5, 4)]),
    ("lineal", lambda m, x, w, b: x @ w.T + b, [(6, 4), (3, 4), (3,)]),
    ("cuadratica", lambda m, a, b: a @ b @ a.T, [(3, 4), (4, 4)]),
]

REDUCCIONES = [
    ("sum", lambda m, x: x.sum(), [(3, 4)], "normal"),
    ("sum_dim0", lambda m, x: x.sum(dim=0), [(3, 4)], "normal"),
    ("sum_dim_keepdim", lambda m, x: x.sum(dim=1, keepdim=True), [(3, 4)], "normal"),
    ("sum_dims", lambda m, x: x.sum(dim=(0, 2)), [(2, 3, 4)], "normal"),
    ("sum_dim_negativa", lambda m, x: m.sum(x, -1), [(2, 3, 4)], "normal"),
    ("mean", lambda m, x: x.mean(), [(3, 4)], "normal"),
    ("mean_dim", lambda m, x: x.mean(dim=-1), [(3, 4)], "normal"),
    ("mean_dims_keepdim", lambda m, x: x.mean(dim=(0, 1), keepdim=True), [(2, 3, 4)], "normal"),
    ("var", lambda m, x: x.var(), [(3, 4)], "normal"),
    ("var_dim", lambda m, x: x.var(dim=0), [(3, 4)], "normal"),
    ("var_sesgada_keepdim", lambda m, x: x.var(1, unbiased=False, keepdim=True), [(3, 4)],
     "normal"),
    ("std", lambda m, x: x.std(), [(3, 4)], "normal"),
    ("std_dim", lambda m, x: x.std(dim=1), [(3, 4)], "normal"),
    ("max_todo", lambda m, x: x.max(), [(3, 4)], "normal"),
    ("min_todo", lambda m, x: m.min(x), [(3, 4)], "normal"),
    ("max_con_empates", lambda m, x: m.cat([x, x]).max(), [(3,)], "normal"),
    ("max_dim", lambda m, x: x.max(dim=1), [(3, 4)], "normal"),
    ("max_dim_keepdim", lambda m, x: x.max(dim=0, keepdim=True), [(3, 4)], "normal"),
    ("min_dim", lambda m, x: m.min(x, dim=-1), [(2, 3, 4)], "normal"),
    ("max_dim_empates", lambda m, x: m.stack([x, x], dim=1).max(dim=1), [(4,)], "normal"),
    ("max_dim_values", lambda m, x: x.max(dim=1).values * 2, [(3, 4)], "normal"),
    ("amax", lambda m, x: x.amax(dim=1), [(3, 4)], "normal"),
    ("amax_dims", lambda m, x: m.amax(x, dim=(0, 1)), [(2, 3, 4)], "normal"),
    ("amin_empates", lambda m, x: m.cat([x, x], dim=1).amin(dim=1), [(3, 2)], "normal"),
    ("argmax_argmin", lambda m, x: (x.argmax(), x.argmin(dim=1), x.argmax(0, keepdim=True)),
     [(3, 4)], "normal"),
    ("norm", lambda m, x: x.norm(), [(3, 4)], "normal"),
]


@pytest.mark.parametrize("nombre,f,formas,dominio", ARITMETICA, ids=[c[0] for c in ARITMETICA])
def test_aritmetica(requiere_torch, nombre, f, formas, dominio):
    comparar(requiere_torch, f, formas, dominio)


@pytest.mark.parametrize("nombre,f,formas", MATMUL, ids=[c[0] for c in MATMUL])
def test_matmul(requiere_torch, nombre, f, formas):
    comparar(requiere_torch, f, formas)


@pytest.mark.parametrize("nombre,f,formas,dominio", REDUCCIONES,
                         ids=[c[0] for c in REDUCCIONES])
def test_reducciones(requiere_torch, nombre, f, formas, dominio):
    comparar(requiere_torch, f, formas, dominio)


def test_el_comparador_detecta_diferencias(requiere_torch):
    """Un caso que difiere a propósito (sum contra mean) debe hacer fallar la comparación."""
    def distinta(m, x):
        return x.sum() if m is tg else x.mean()

    with pytest.raises(AssertionError):
        comparar(requiere_torch, distinta, [(3, 4)])

    def gradiente_distinto(m, x):
        return x * 2 if m is tg else x + x.detach()

    with pytest.raises(AssertionError):
        comparar(requiere_torch, gradiente_distinto, [(3,)])
