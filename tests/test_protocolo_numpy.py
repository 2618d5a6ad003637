"""NumPy habla con Tensor (``__array_ufunc__``/``__array_function__``): lo que el backward de cada
operación necesita para servir también con create_graph=True, y lo que ve un usuario."""
import numpy as np
import pytest

import tinygrad_es as tg


def _x():
    return tg.tensor([0.5, -1.0, 2.0], dtype=tg.float64, requires_grad=True)


@pytest.mark.parametrize("expresion, derivada", [
    (lambda x: np.exp(x), lambda v: np.exp(v)),
    (lambda x: np.ones(3) * x * x, lambda v: 2 * v),
    (lambda x: np.maximum(0.0, x), lambda v: (v > 0).astype(float)),
    (lambda x: np.minimum(x, np.zeros(3)), lambda v: (v < 0).astype(float)),
    (lambda x: np.where(np.array([True, False, True]), x, 0.0), lambda v: np.array([1., 0, 1])),
    (lambda x: np.add.reduce(np.square(x), axis=0), lambda v: 2 * v),
    (lambda x: np.sum(np.broadcast_to(x, (2, 3)), axis=0, keepdims=True), lambda v: 2 + 0 * v),
    (lambda x: np.log1p(np.absolute(x)), lambda v: np.sign(v) / (1 + np.abs(v))),
])
def test_numpy_sobre_tensores_queda_en_el_grafo(expresion, derivada):
    x = _x()
    y = expresion(x)
    assert isinstance(y, tg.Tensor) and y.grad_fn is not None
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), derivada(x.detach().numpy()))


def test_funciones_sin_version_diferenciable_usan_los_datos():
    x = _x()
    assert np.allclose(x.detach(), [0.5, -1.0, 2.0])
    assert isinstance(np.argsort(x.detach()), np.ndarray)


def test_en_create_graph_convertir_un_tensor_del_grafo_en_array_es_un_error():
    class Tramposa(tg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * tg.tensor(2 * np.asarray(x))   # pierde el grafo de x
    x = _x()
    with pytest.raises(RuntimeError, match="create_graph"):
        tg.autograd.grad(Tramposa.apply(x).sum(), x, create_graph=True)
    (g,) = tg.autograd.grad(Tramposa.apply(x).sum(), x)   # en primer orden funciona
    np.testing.assert_allclose(g.numpy(), 2 * x.detach().numpy())
