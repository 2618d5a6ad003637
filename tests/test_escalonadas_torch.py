"""Funciones escalonadas (sign, sgn, floor, ceil, round, trunc): en el grafo con gradiente 0 y
el nombre de nodo de PyTorch (oráculo), también con enteros y bool."""
import numpy as np
import pytest

import tinygrad_es as tg

FUNCIONES = ["sign", "sgn", "floor", "ceil", "round", "trunc"]
VALORES = [1.5, -2.5, 0.0, 0.5, -0.5, 2.5, 3.7]


@pytest.mark.parametrize("nombre", FUNCIONES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_valor_nodo_y_gradiente_cero(nombre, dtype, requiere_torch):
    torch = requiere_torch
    resultados = []
    for lib in (torch, tg):
        x = lib.tensor(VALORES, dtype=getattr(lib, dtype), requires_grad=True)
        y = getattr(x, nombre)()
        (y * lib.arange(len(VALORES), dtype=getattr(lib, dtype))).sum().backward()
        forzar = {"force": True} if lib is torch else {}   # el gradiente 0 de torch es perezoso
        resultados.append((y.detach().numpy(), y.grad_fn.name(), x.grad.numpy(**forzar),
                           y.requires_grad))
    (vt, nt, gt, rt), (v, n, g, r) = resultados
    np.testing.assert_array_equal(v, vt)
    assert (n, r) == (nt, rt)
    np.testing.assert_array_equal(g, gt)
    assert not g.any()


def test_round_con_decimales(requiere_torch):
    torch = requiere_torch
    a, b = (lib.tensor([1.25, -2.35, 0.05], requires_grad=True).round(decimals=1)
            for lib in (torch, tg))
    np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy())
    assert b.grad_fn.name() == a.grad_fn.name() == "RoundBackward1"


@pytest.mark.parametrize("nombre", FUNCIONES)
def test_enteros_y_bool(nombre, requiere_torch):
    torch = requiere_torch
    for datos in ([-3, 0, 2], [True, False]):
        if nombre != "sgn" and nombre != "sign" and isinstance(datos[0], bool):
            continue   # floor/ceil/round/trunc de bool: error en los dos (otro test)
        esperado = getattr(torch.tensor(datos), nombre)()
        obtenido = getattr(tg.tensor(datos), nombre)()
        assert obtenido.tolist() == esperado.tolist()
        assert str(obtenido.dtype) == str(esperado.dtype).replace("torch.", "")
