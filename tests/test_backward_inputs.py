"""``backward(inputs=...)`` y ``create_graph``: lo que hace PyTorch, o un error claro."""
import numpy as np
import pytest

import tinygrad_es as tg


def _datos(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(4), rng.standard_normal(4)


def test_inputs_solo_acumula_en_los_tensores_pedidos_como_pytorch(requiere_torch):
    torch = requiere_torch
    va, vb = _datos()
    resultados = []
    for lib in (tg, torch):
        a = lib.tensor(va, requires_grad=True)
        b = lib.tensor(vb, requires_grad=True)
        h = a * 2
        y = (h * b).sin().sum()
        y.backward(inputs=[h, b])
        assert a.grad is None
        resultados.append((h.grad.detach().numpy(), b.grad.detach().numpy()))
    for nuestro, suyo in zip(*resultados):
        np.testing.assert_allclose(nuestro, suyo, rtol=1e-12)


def test_inputs_acepta_un_tensor_suelto_y_acumula_sobre_grad_existente():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0], requires_grad=True)
    (a * b).sum().backward(inputs=a)
    (a * b).sum().backward(inputs=a)
    np.testing.assert_array_equal(a.grad.numpy(), [6.0, 8.0])
    assert b.grad is None


def test_inputs_vacio_o_sin_gradiente_da_error_en_espanol():
    a = tg.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="no puede estar vacío"):
        (a * 2).sum().backward(inputs=[])
    with pytest.raises(RuntimeError, match="no requiere gradiente"):
        (a * 2).sum().backward(inputs=[tg.tensor([1.0])])


def test_create_graph_no_se_ignora_en_silencio():
    a = tg.tensor([1.0], requires_grad=True)
    y = (a * a).sum()
    with pytest.raises(NotImplementedError, match="orden superior"):
        y.backward(create_graph=True)
    with pytest.raises(NotImplementedError, match="orden superior"):
        tg.autograd.grad(y, a, create_graph=True)
    y.backward()   # el grafo sigue intacto tras el error
    np.testing.assert_array_equal(a.grad.numpy(), [2.0])
