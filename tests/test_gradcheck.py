"""``autograd.gradcheck`` detecta backwards incorrectos; ``autograd.grad`` como en PyTorch."""
import numpy as np
import pytest

import tinygrad_es as torch
from tinygrad_es.autograd import Function, GradcheckError, gradcheck


def _doble(valores, grad=True):
    return torch.tensor(valores, dtype=torch.float64, requires_grad=grad)


class PorDosMal(Function):
    """forward x * 2, pero backward multiplica por 3."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 3


class IgnoraGradiente(Function):
    """forward x * 2; backward devuelve 2 sin multiplicar por el gradiente que recibe."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return torch.ones_like(grad) * 2


class MalEnUnElemento(Function):
    """x * 2 con el gradiente equivocado solo en la posición (1, 0)."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        marca = torch.zeros_like(grad)
        marca[1, 0] = 1.0
        return grad * 2 + marca * grad


class Producto(Function):
    """a * b con el gradiente de b equivocado (usa b en vez de a)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * b


def test_backward_equivocado_lanza_con_informe():
    x = _doble([0.5, -1.0, 2.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(PorDosMal.apply, (x,))
    mensaje = str(info.value)
    assert "entrada 0" in mensaje and "salida 0" in mensaje
    assert "numérico:  2" in mensaje and "analítico: 3" in mensaje
    assert isinstance(info.value, RuntimeError)


def test_raise_exception_false_devuelve_false():
    x = _doble([0.5, -1.0, 2.0])
    assert gradcheck(PorDosMal.apply, (x,), raise_exception=False) is False
    assert gradcheck(lambda t: t * 2, (x,), raise_exception=False) is True


def test_el_informe_senala_la_posicion_del_peor_elemento():
    x = _doble([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(GradcheckError) as info:
        gradcheck(MalEnUnElemento.apply, (x,))
    mensaje = str(info.value)
    assert "salida(1, 0) respecto de entrada(1, 0)" in mensaje
    assert "numérico:  2" in mensaje and "analítico: 3" in mensaje


def test_el_informe_nombra_la_entrada_equivocada():
    a, b = _doble([1.0, 2.0]), _doble([3.0, 5.0])
    with pytest.raises(GradcheckError, match="respecto de la entrada 1"):
        gradcheck(Producto.apply, (a, b))
    # con b constante solo se comprueba a, que está bien
    assert gradcheck(Producto.apply, (a, _doble([3.0, 5.0], grad=False)))


def test_backward_que_ignora_el_gradiente_de_salida():
    # Con un solo elemento el jacobiano (2) coincide: solo el gradiente aleatorio lo detecta.
    x = _doble([0.7])
    with pytest.raises(GradcheckError, match="gradiente de salida aleatorio"):
        gradcheck(IgnoraGradiente.apply, (x,))
    assert gradcheck(IgnoraGradiente.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError):
        gradcheck(IgnoraGradiente.apply, (_doble([0.7, 1.0]),))


def test_gradiente_no_finito_falla():
    class Infinita(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * float("inf")

    with pytest.raises(GradcheckError, match="analítico: inf"), np.errstate(invalid="ignore"):
        gradcheck(Infinita.apply, (_doble([0.5, 1.0]),))


def test_float32_avisa_en_espanol():
    x = torch.tensor([0.5, 1.5], requires_grad=True)
    with pytest.warns(UserWarning, match=r"float32 y no float64.*\.double\(\)"):
        gradcheck(lambda t: t * 2, (x,), raise_exception=False)


def test_sin_entradas_que_requieran_gradiente():
    with pytest.raises(ValueError, match="requires_grad=True"):
        gradcheck(lambda t: t * 2, (_doble([1.0], grad=False),))


def test_operaciones_internas_correctas_pasan_sin_tocar_entradas_ni_grad():
    torch.manual_seed(0)
    a = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    b = torch.randn(4, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
    copia_a = a.detach().numpy().copy()
    assert gradcheck(lambda a, b, w: ((a * b).tanh() @ w).sum(dim=0), (a, b, w))
    assert gradcheck(lambda a: (a.exp() / a.exp().sum(dim=1, keepdim=True)), (a,))
    np.testing.assert_array_equal(a.detach().numpy(), copia_a)
    assert a.grad is None and b.grad is None and w.grad is None


def test_argumentos_que_no_son_tensores_y_salidas_multiples():
    x = _doble([0.3, 1.1])
    assert gradcheck(lambda t, k: (t * k, t.sin()), (x, 3.0))


# --- autograd.grad ------------------------------------------------------------------------
def test_grad_no_toca_punto_grad():
    x = _doble([1.0, 2.0, 3.0])
    y = (x ** 2).sum()
    (gx,) = torch.autograd.grad(y, x)
    np.testing.assert_array_equal(gx.numpy(), [2.0, 4.0, 6.0])
    assert x.grad is None
    assert not gx.requires_grad and gx.dtype == torch.float64


def test_grad_con_grad_outputs_y_varias_entradas():
    a, b = _doble([1.0, 2.0]), _doble([3.0, 4.0])
    y = a * b
    ga, gb = torch.autograd.grad(y, [a, b], grad_outputs=torch.tensor([1.0, 10.0],
                                                                      dtype=torch.float64))
    np.testing.assert_array_equal(ga.numpy(), [3.0, 40.0])
    np.testing.assert_array_equal(gb.numpy(), [1.0, 20.0])
    with pytest.raises(RuntimeError, match="grad_outputs"):
        torch.autograd.grad(a * b, a)


def test_grad_varias_salidas_se_suman():
    x = _doble([1.0, 2.0])
    (g,) = torch.autograd.grad([(x * 2).sum(), (x ** 2).sum()], [x])
    np.testing.assert_array_equal(g.numpy(), [4.0, 6.0])


def test_grad_retain_graph():
    x = _doble([1.0, 2.0])
    y = (x.exp()).sum()
    torch.autograd.grad(y, x, retain_graph=True)
    (g,) = torch.autograd.grad(y, x)
    np.testing.assert_allclose(g.numpy(), np.exp([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        torch.autograd.grad(y, x)


def test_grad_allow_unused():
    x, z = _doble([1.0]), _doble([5.0])
    y = (x * 3).sum()
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        torch.autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = torch.autograd.grad(y, [x, z], allow_unused=True)
    np.testing.assert_array_equal(gx.numpy(), [3.0])
    assert gz is None


def test_grad_de_un_intermedio_y_entrada_sin_gradiente():
    x = _doble([1.0, 2.0])
    h = x * 3
    y = (h ** 2).sum()
    (gh,) = torch.autograd.grad(y, h)
    np.testing.assert_array_equal(gh.numpy(), [6.0, 12.0])
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        torch.autograd.grad(y, _doble([1.0], grad=False))
