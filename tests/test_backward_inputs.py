"""``backward(inputs=...)`` y ``create_graph``: lo que hace PyTorch, o un error claro."""
import numpy as np
import pytest

import tinygrad_es as tg

# PyTorch avisa de un ciclo parámetro-gradiente con backward(create_graph=True): aquí es a propósito
pytestmark = pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph")


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


def test_create_graph_con_inputs_acumula_un_gradiente_derivable(requiere_torch):
    torch = requiere_torch
    resultados = []
    for lib in (tg, torch):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        y = (a * a * b).sum()
        y.backward(create_graph=True, inputs=[a])
        assert b.grad is None and a.grad.requires_grad
        (h,) = lib.autograd.grad(a.grad.sum(), [b])   # d/db de 2ab = 2a
        resultados.append((a.grad.detach().numpy().copy(), h.detach().numpy().copy()))
    for nuestro, suyo in zip(*resultados):
        np.testing.assert_allclose(nuestro, suyo)
