"""Errores de forma y de índice: la clase de excepción de PyTorch y un mensaje en español
que nombra las formas del usuario (nunca el error de NumPy como única explicación)."""
import re

import numpy as np
import pytest

import tinygrad_es as tg

# (nombre, expresión con el módulo m, clase que lanza torch, textos que debe tener nuestro mensaje)
CASOS = [
    # difusión (broadcast)
    ("suma_difusion", lambda m: m.ones(2, 3) + m.ones(4), RuntimeError,
     ["formas", "(2, 3)", "(4,)"]),
    ("producto_difusion", lambda m: m.ones(2, 3) * m.ones(3, 2), RuntimeError,
     ["formas", "(2, 3)", "(3, 2)"]),
    ("resta_con_grad", lambda m: m.ones(2, 3, requires_grad=True) - m.ones(4, 1, 2), RuntimeError,
     ["formas", "(2, 3)", "(4, 1, 2)"]),
    ("division_difusion", lambda m: m.ones(2, 3) / m.ones(2), RuntimeError,
     ["formas", "(2, 3)", "(2,)"]),
    ("maximum_difusion", lambda m: m.maximum(m.ones(2), m.ones(3)), RuntimeError,
     ["formas", "(2,)", "(3,)"]),
    ("where_difusion", lambda m: m.where(m.ones(2) > 0, m.ones(3), m.ones(2)), RuntimeError,
     ["formas", "(3,)", "(2,)"]),
    # matmul
    ("matmul_2d", lambda m: m.ones(2, 3) @ m.ones(4, 5), RuntimeError,
     ["formas", "(2, 3)", "(4, 5)", "3", "4"]),
    ("matmul_2d_con_grad", lambda m: m.ones(2, 3, requires_grad=True) @ m.ones(4, 5),
     RuntimeError, ["formas", "(2, 3)", "(4, 5)"]),
    ("matmul_1d_1d", lambda m: m.ones(3) @ m.ones(4), RuntimeError, ["formas", "(3,)", "(4,)"]),
    ("matmul_1d_2d", lambda m: m.ones(3) @ m.ones(2, 3), RuntimeError,
     ["formas", "(3,)", "(2, 3)"]),
    ("matmul_2d_1d", lambda m: m.ones(2, 3) @ m.ones(2), RuntimeError,
     ["formas", "(2, 3)", "(2,)"]),
    ("matmul_lotes", lambda m: m.ones(2, 3, 4) @ m.ones(3, 4, 5), RuntimeError,
     ["formas", "(2, 3, 4)", "(3, 4, 5)", "lote"]),
    ("matmul_0d", lambda m: m.matmul(m.ones(2, 3), m.tensor(2.0)), RuntimeError,
     ["Formas", "(2, 3)", "()"]),
    ("mm_3d", lambda m: m.ones(2, 3, 4).mm(m.ones(4, 2)), RuntimeError,
     ["formas", "(2, 3, 4)", "(4, 2)"]),
    ("mm_incompatibles", lambda m: m.mm(m.ones(2, 3), m.ones(2, 3)), RuntimeError,
     ["formas", "(2, 3)"]),
    ("bmm_2d", lambda m: m.ones(2, 3).bmm(m.ones(3, 2)), RuntimeError,
     ["formas", "(2, 3)", "(3, 2)"]),
    # cat y stack
    ("cat_tamanos", lambda m: m.cat([m.ones(2, 3), m.ones(2, 4)]), RuntimeError,
     ["formas", "(2, 3)", "(2, 4)"]),
    ("cat_dimensiones", lambda m: m.cat([m.ones(2, 3), m.ones(3)]), RuntimeError,
     ["formas", "(2, 3)", "(3,)"]),
    ("cat_dim_fuera_de_rango", lambda m: m.cat([m.ones(2, 3), m.ones(2, 3)], dim=2), IndexError,
     ["dim=2", "2 dimensiones"]),
    ("cat_vacia", lambda m: m.cat([]), ValueError, ["vacía"]),
    ("stack_formas", lambda m: m.stack([m.ones(2, 3), m.ones(2, 4)]), RuntimeError,
     ["formas", "(2, 3)", "(2, 4)"]),
    ("stack_dim1", lambda m: m.stack([m.ones(2), m.ones(3)], dim=1), RuntimeError,
     ["formas", "(2,)", "(3,)"]),
    ("stack_dim_fuera_de_rango", lambda m: m.stack([m.ones(2), m.ones(2)], dim=3), IndexError,
     ["dim=3"]),
    # reshape / view
    ("reshape", lambda m: m.ones(2, 3).reshape(4, 4), RuntimeError,
     ["forma", "(2, 3)", "(4, 4)", "6 elementos"]),
    ("view_menos_uno", lambda m: m.ones(2, 3).view(4, -1), RuntimeError,
     ["forma", "(2, 3)", "(4, -1)"]),
    ("view_dos_menos_uno", lambda m: m.ones(2, 3).view(-1, -1), RuntimeError,
     ["forma", "(2, 3)", "-1"]),
    ("reshape_1d", lambda m: m.ones(6).reshape(2, -1, 4), RuntimeError,
     ["forma", "(6,)", "(2, -1, 4)"]),
    # expand
    ("expand_no_singleton", lambda m: m.ones(2, 3).expand(4, 3), RuntimeError,
     ["forma", "(2, 3)", "(4, 3)"]),
    ("expand_menos_dims", lambda m: m.ones(2, 3).expand(3), RuntimeError,
     ["forma", "(2, 3)", "(3,)"]),
    ("expand_3d", lambda m: m.ones(2, 1).expand(2, 5, 3), RuntimeError,
     ["forma", "(2, 1)", "(2, 5, 3)"]),
    # permute / transpose / dims
    ("permute_corto", lambda m: m.ones(2, 3).permute(0), RuntimeError, ["forma", "(2, 3)"]),
    ("permute_repetido", lambda m: m.ones(2, 3).permute(0, 0), RuntimeError,
     ["forma", "(2, 3)", "(0, 0)"]),
    ("permute_fuera_de_rango", lambda m: m.ones(2, 3).permute(0, 2), IndexError,
     ["dim=2", "2 dimensiones"]),
    ("transpose_fuera_de_rango", lambda m: m.ones(2, 3).transpose(0, 2), IndexError,
     ["dim=2", "entre -2 y 1"]),
    ("t_3d", lambda m: m.ones(2, 3, 4).t(), RuntimeError, ["forma", "(2, 3, 4)"]),
    ("sum_dim", lambda m: m.ones(2, 3).sum(dim=3), IndexError, ["dim=3", "2 dimensiones"]),
    ("mean_dim_negativa", lambda m: m.ones(2, 3).mean(-3), IndexError, ["dim=-3"]),
    ("max_dim", lambda m: m.ones(2, 3).max(dim=2), IndexError, ["dim=2"]),
    ("argmax_dim", lambda m: m.ones(2, 3).argmax(dim=2), IndexError, ["dim=2"]),
    ("softmax_dim", lambda m: m.ones(2, 3).softmax(dim=2), IndexError, ["dim=2"]),
    ("log_softmax_dim", lambda m: m.ones(2, 3).log_softmax(5), IndexError, ["dim=5"]),
    ("unsqueeze_dim", lambda m: m.ones(2, 3).unsqueeze(4), IndexError, ["dim=4"]),
    ("squeeze_dim", lambda m: m.ones(2, 3).squeeze(5), IndexError, ["dim=5"]),
    ("flatten_dim", lambda m: m.ones(2, 3).flatten(1, 3), IndexError, ["dim=3"]),
    # indexado
    ("indice_entero", lambda m: m.ones(3)[5], IndexError, ["forma", "(3,)", "5", "tamaño 3"]),
    ("indice_2d", lambda m: m.ones(2, 3)[1, 7], IndexError,
     ["forma", "(2, 3)", "7", "dimensión 1"]),
    ("indice_negativo", lambda m: m.ones(2, 3)[-3], IndexError, ["forma", "(2, 3)", "-3"]),
    ("indice_tensor", lambda m: m.ones(3)[m.tensor([0, 5])], IndexError,
     ["forma", "(3,)", "5"]),
    ("indice_tensor_columna", lambda m: m.ones(2, 3)[:, m.tensor([0, 3])], IndexError,
     ["forma", "(2, 3)", "3"]),
    ("mascara", lambda m: m.ones(3)[m.tensor([True, False])], IndexError,
     ["forma", "(3,)", "máscara"]),
    ("demasiados_indices", lambda m: m.ones(3)[1, 2], IndexError,
     ["forma", "(3,)", "Demasiados"]),
    ("indice_float", lambda m: m.ones(3)[m.tensor([0.0, 1.0])], IndexError, ["long"]),
    # in situ
    ("in_situ_no_cabe", lambda m: m.ones(2, 1).add_(m.ones(2, 3)), RuntimeError,
     ["forma", "(2, 1)", "(2, 3)"]),
    ("in_situ_difusion", lambda m: m.ones(2).add_(m.ones(3)), RuntimeError,
     ["formas", "(2,)", "(3,)"]),
    # backward
    ("backward_no_escalar", lambda m: (m.ones(2, 3, requires_grad=True) * 2).backward(),
     RuntimeError, ["forma", "(2, 3)", "sum()"]),
    ("backward_gradiente_de_otra_forma",
     lambda m: (m.ones(2, 3, requires_grad=True) * 2).backward(m.ones(3, 2)), RuntimeError,
     ["forma", "(3, 2)", "(2, 3)"]),
    ("backward_sin_grad", lambda m: m.ones(2).sum().backward(), RuntimeError, ["requires_grad"]),
]

_IDS = [c[0] for c in CASOS]


def _error(expr, module):
    with pytest.raises(Exception) as info:
        expr(module)
    return info.value


@pytest.mark.parametrize("nombre,expr,clase,textos", CASOS, ids=_IDS)
def test_mensaje_en_espanol_con_las_formas(nombre, expr, clase, textos):
    exc = _error(expr, tg)
    assert isinstance(exc, clase), f"{type(exc).__name__}: {exc}"
    mensaje = str(exc)
    for texto in textos:
        assert texto in mensaje, f"falta {texto!r} en: {mensaje}"
    # nunca el mensaje de NumPy solo: las primeras palabras son nuestras
    assert not re.match(r"(operands could not|index \d|axis \d|too many|cannot reshape|"
                        r"all the input|boolean index)", mensaje), mensaje
    assert re.search(r"[áéíóúñ]|forma|dimensi|índice|Índice|lista|tensor", mensaje)


@pytest.mark.parametrize("nombre,expr,clase,textos", CASOS, ids=_IDS)
def test_misma_clase_de_excepcion_que_torch(requiere_torch, nombre, expr, clase, textos):
    torch = requiere_torch
    exc = _error(expr, torch)
    assert isinstance(exc, clase), f"torch lanzó {type(exc).__name__}: {exc}"


def test_los_errores_de_forma_tambien_son_valueerror():
    """ShapeError es RuntimeError (como torch) y ValueError (para código que espera NumPy)."""
    with pytest.raises(ValueError):
        tg.ones(2, 3) + tg.ones(4)
    with pytest.raises(ValueError):
        tg.ones(2, 3).reshape(5)


def test_la_causa_de_numpy_queda_encadenada():
    with pytest.raises(RuntimeError) as info:
        tg.ones(2, 3) @ tg.ones(4, 5)
    assert info.value.__cause__ is not None
    with pytest.raises(IndexError) as info:
        tg.ones(3)[5]
    assert isinstance(info.value.__cause__, IndexError)


def test_un_error_no_deja_el_grafo_a_medias():
    x = tg.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError):
        x @ tg.ones(4, 5)
    y = (x * 2).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 3), 2.0))


def test_backward_dos_veces_menciona_retain_graph():
    x = tg.ones(2, requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
