"""Gradientes exactamente en las esquinas y en los empates (tabla de PYTORCH_SEMANTICS.md).

Cada fila da la expresión, los valores de entrada y el gradiente esperado (con gradiente de
salida 1). Se comprueba con números exactos, en float32 y float64, sin avisos de NumPy, y
la misma expresión se ejecuta en PyTorch para compararla (fixture ``requiere_torch``).
"""
import warnings

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn.functional as F_tg

T = 1 / 3

# (nombre, expresión(m, F, *xs) con m = tinygrad_es o torch, entradas, gradientes esperados)
FILAS = [
    ("relu_en_0", lambda m, F, x: x.relu(), [[0., 1., -1.]], [[0., 1., 0.]]),
    ("F_relu_en_0", lambda m, F, x: F.relu(x), [[0., -0., 2.]], [[0., 0., 1.]]),
    ("abs_en_0", lambda m, F, x: x.abs(), [[0., 1., -1.]], [[0., 1., -1.]]),
    ("clamp_en_lo_y_hi", lambda m, F, x: x.clamp(-1, 1), [[-1., 1., 0., 2., -2.]],
     [[1., 1., 1., 0., 0.]]),
    ("clamp_solo_min_en_lo", lambda m, F, x: x.clamp(min=-1.), [[-1., 1., -3.]], [[1., 1., 0.]]),
    ("clamp_solo_max_en_hi", lambda m, F, x: x.clamp(max=1.), [[1., -1., 3.]], [[1., 1., 0.]]),
    ("max_total_empate", lambda m, F, x: x.max(), [[1., 3., 3., 2., 3.]], [[0., T, T, 0., T]]),
    ("min_total_empate", lambda m, F, x: x.min(), [[[1., 3.], [1., 1.]]], [[[T, 0.], [T, T]]]),
    ("amax_dim_empate", lambda m, F, x: x.amax(1), [[[1., 3., 3.], [2., 2., 2.]]],
     [[[0., .5, .5], [T, T, T]]]),
    ("amax_tupla_empate", lambda m, F, x: x.amax((0, 1)), [[[1., 3., 3.], [3., 2., 2.]]],
     [[[0., T, T], [T, 0., 0.]]]),
    ("amax_keepdim_empate", lambda m, F, x: x.amax(-1, keepdim=True) * 2,
     [[[4., 4.], [1., 0.]]], [[[1., 1.], [2., 0.]]]),
    ("amin_dim_empate", lambda m, F, x: x.amin(0), [[[1., 3., 3.], [1., 2., 2.]]],
     [[[.5, 0., 0.], [.5, 1., 1.]]]),
    ("max_dim_empate", lambda m, F, x: x.max(1).values, [[[1., 3., 3.], [2., 2., 2.]]],
     [[[0., 1., 0.], [1., 0., 0.]]]),
    ("min_dim_empate", lambda m, F, x: x.min(0).values, [[[1., 3., 3.], [1., 2., 2.]]],
     [[[1., 0., 0.], [0., 1., 1.]]]),
    ("max_dim_keepdim_empate", lambda m, F, x: x.max(dim=-1, keepdim=True)[0],
     [[[5., 5., 5.]]], [[[1., 0., 0.]]]),
    ("pow_0", lambda m, F, x: x ** 0, [[0., 1., -2.]], [[0., 0., 0.]]),
    ("pow_exponente_tensor_0", lambda m, F, x, e: x ** e, [[0., 1., 2.], [0., 0., 0.]],
     [[0., 0., 0.], [0., 0., np.log(2.)]]),
    ("sqrt_en_0", lambda m, F, x: x.sqrt(), [[0., 4.]], [[np.inf, .25]]),
    ("pow_0_5_en_0", lambda m, F, x: x ** 0.5, [[0., 4.]], [[np.inf, .25]]),
    ("getitem_indices_repetidos", lambda m, F, x: x[[0, 0, 2, 0]], [[1., 2., 3.]],
     [[3., 0., 1.]]),
    ("getitem_indices_tensor_repetidos", lambda m, F, x: x[m.tensor([[1, 1], [1, 0]])],
     [[1., 2.]], [[1., 3.]]),
    ("leaky_relu_en_0", lambda m, F, x: F.leaky_relu(x, 0.1), [[0., 1., -1.]], [[.1, 1., .1]]),
    ("leaky_relu_por_defecto_en_0", lambda m, F, x: F.leaky_relu(x), [[0., 2.]], [[.01, 1.]]),
    ("maximum_empates", lambda m, F, a, b: m.maximum(a, b), [[1., 2., 3.], [1., 1., 3.]],
     [[.5, 1., .5], [.5, 0., .5]]),
    ("minimum_empates", lambda m, F, a, b: m.minimum(a, b), [[1., 2., 3.], [1., 1., 3.]],
     [[.5, 0., .5], [.5, 1., .5]]),
    ("max_de_dos_tensores_empate", lambda m, F, a, b: m.max(a, b), [[1., 2.], [1., 1.]],
     [[.5, 1.], [.5, 0.]]),
]
IDS = [f[0] for f in FILAS]


def gradientes(modulo, F, expr, valores, dtype):
    entradas = [modulo.tensor(np.array(v, dtype=dtype), requires_grad=True) for v in valores]
    expr(modulo, F, *entradas).sum().backward()
    return [t.grad.detach().numpy() for t in entradas]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("nombre, expr, valores, esperado", FILAS, ids=IDS)
def test_gradiente_exacto(nombre, expr, valores, esperado, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)   # ni avisos de NumPy ni nan
        obtenidos = gradientes(tg, F_tg, expr, valores, dtype)
    for g, e in zip(obtenidos, esperado):
        assert g.dtype == np.dtype(dtype)
        assert not np.isnan(g).any()
        np.testing.assert_allclose(g, np.array(e, dtype=dtype), rtol=1e-6, atol=0)


@pytest.mark.parametrize("nombre, expr, valores, esperado", FILAS, ids=IDS)
def test_igual_que_torch(nombre, expr, valores, esperado, requiere_torch):
    torch = requiere_torch
    nuestros = gradientes(tg, F_tg, expr, valores, "float64")
    suyos = gradientes(torch, torch.nn.functional, expr, valores, "float64")
    for g, s, e in zip(nuestros, suyos, esperado):
        np.testing.assert_allclose(s, e, rtol=1e-12)   # la tabla describe a PyTorch
        np.testing.assert_allclose(g, s, rtol=1e-12)


@pytest.mark.parametrize("valores, dim", [([[1., 3., 3.], [2., 2., 2.]], 1),
                                          ([[1., 3., 3.], [1., 2., 2.]], 0),
                                          ([[7., 7.], [7., 7.]], -1),
                                          ([[[0., 0.], [1., 1.]]], 1)])
@pytest.mark.parametrize("cual", ["max", "min"])
def test_indice_de_max_dim_con_empates_como_torch(valores, dim, cual, requiere_torch):
    torch = requiere_torch
    x = tg.tensor(valores, requires_grad=True)
    valores_tg, indices_tg = getattr(x, cual)(dim)
    suyo = getattr(torch.tensor(valores), cual)(dim)
    np.testing.assert_array_equal(indices_tg.numpy(), suyo.indices.numpy())
    assert indices_tg.dtype == np.int64
    valores_tg.sum().backward()
    esperado = np.zeros(x.shape, np.float32)   # todo el gradiente al índice devuelto
    np.put_along_axis(esperado, np.expand_dims(suyo.indices.numpy(), dim), 1.0, axis=dim)
    np.testing.assert_array_equal(x.grad.numpy(), esperado)


def test_empates_reparten_con_gradiente_de_salida_aleatorio():
    """El reparto a partes iguales también escala con el gradiente que llega."""
    x = tg.tensor([[2., 2., 1.], [0., 5., 5.]], requires_grad=True)
    x.amax(1).backward(tg.tensor([3., -4.]))
    np.testing.assert_allclose(x.grad.numpy(), [[1.5, 1.5, 0.], [0., -2., -2.]])
