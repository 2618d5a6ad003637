"""Errores en español de autograd.Function: número y forma de gradientes, in situ, memoria."""
import numpy as np
import pytest

import tinygrad_es as torch
from tinygrad_es.autograd import Function

from test_autograd_function import MiReLU, MiSigmoide


# --- errores en español -------------------------------------------------------------------
def test_numero_de_gradientes_incorrecto():
    class Falta(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad

    a, b = torch.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Falta\.backward devolvió 1 gradiente.*recibió 2"):
        Falta.apply(a, b).sum().backward()


def test_nones_de_sobra_al_final_se_admiten():
    class Sobra(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2, None, None

    x = torch.ones(2, requires_grad=True)
    Sobra.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_forma_de_gradiente_incorrecta():
    class Corta(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad[:2] * 2

    x = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        Corta.apply(x).sum().backward()
    mensaje = str(info.value)
    assert "Corta" in mensaje and "entrada 0" in mensaje
    assert "(2,)" in mensaje and "(3,)" in mensaje


def test_gradiente_difundido_se_reduce_como_en_pytorch():
    class Expande(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad.expand(4, 3)

    x = torch.ones(3, requires_grad=True)
    Expande.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 4.0, 4.0])


def test_gradiente_para_un_argumento_que_no_es_tensor():
    class Mal(Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad * 2, grad

    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Mal\.backward.*entrada 1.*no era un tensor"):
        Mal.apply(x, 2.0).sum().backward()


def test_gradiente_que_no_es_tensor():
    class Texto(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return "hola"

    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="Tensor o None"):
        Texto.apply(x).sum().backward()


def test_modificar_in_situ_un_tensor_guardado():
    x = torch.randn(3, requires_grad=True)
    y = MiSigmoide.apply(x)        # guarda su salida
    y.mul_(2)
    with pytest.raises(RuntimeError, match=r"MiSigmoide.*in situ"):
        y.sum().backward()
    a = x * 1
    z = MiReLU.apply(a)            # guarda su entrada
    a.add_(1)
    with pytest.raises(RuntimeError, match=r"MiReLU.*in situ"):
        z.sum().backward()


def test_modificar_el_gradiente_recibido_explica_que_hay_que_clonar():
    class Sucia(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            grad[0] = 100.0
            return grad

    x = torch.ones(3, requires_grad=True)
    a = x * 1
    with pytest.raises(RuntimeError, match=r"Sucia\.backward.*clone\(\)"):
        (Sucia.apply(a) + a).sum().backward()


def test_el_motor_no_escribe_en_arrays_del_usuario():
    class Constante(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.derivada = torch.full_like(x, 3.0)
            return x * 3

        @staticmethod
        def backward(ctx, grad):
            return ctx.derivada

    class Pasa(Function):
        @staticmethod
        def forward(ctx, x):
            return x.round()

        @staticmethod
        def backward(ctx, grad):
            return grad   # estimador "straight-through"

    x = torch.ones(2, requires_grad=True)
    y = Constante.apply(x)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 6.0])
    np.testing.assert_array_equal(y.grad_fn.derivada.numpy(), [3.0, 3.0])
    w = torch.tensor([0.4, 1.6], requires_grad=True)
    (Pasa.apply(w) + Pasa.apply(w)).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0])


def test_segundo_backward_sin_retain_graph():
    x = torch.ones(2, requires_grad=True)
    y = MiSigmoide.apply(x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    x.grad = None
    z = MiSigmoide.apply(x).sum()
    z.backward(retain_graph=True)
    z.backward()
    s = 1 / (1 + np.exp(-1.0))
    np.testing.assert_allclose(x.grad.numpy(), [2 * s * (1 - s)] * 2, rtol=1e-6)


def test_no_se_instancia():
    with pytest.raises(RuntimeError, match=r"MiSigmoide\.apply"):
        MiSigmoide(torch.ones(2))


def test_save_for_backward_solo_tensores():
    class Guarda(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.raises(TypeError, match="ctx.mi_valor"):
        Guarda.apply(torch.ones(2, requires_grad=True))
