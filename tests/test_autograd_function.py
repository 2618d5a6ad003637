"""``autograd.Function``: operaciones propias del usuario con el contrato de PyTorch."""
import gc
import weakref

import numpy as np
import pytest
from hypothesis import given

import tinygrad_es as torch
from tinygrad_es.autograd import Function, gradcheck
from tinygrad_es.testing import assert_gradients_match, shapes, tensors


class MiReLU(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = grad_output.clone()
        grad[x < 0] = 0
        return grad


class MiSigmoide(Function):
    @staticmethod
    def forward(ctx, x):
        y = 1 / (1 + torch.exp(-x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * (1 - y)


class Escala(Function):
    """Argumentos que no son tensores: un número y una opción por nombre."""

    @staticmethod
    def forward(ctx, x, k, potencia=1):
        ctx.k, ctx.potencia = k, potencia
        ctx.vistos = ctx.needs_input_grad
        ctx.save_for_backward(x)
        return k * x ** potencia

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ctx.k * ctx.potencia * x ** (ctx.potencia - 1), None, None


def _doble(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


# --- gradientes correctos -----------------------------------------------------------------
@given(tensors(shape=shapes(max_dims=3), away_from=0, low=1e-3))
def test_mi_relu_pasa_gradcheck(x):
    assert_gradients_match(MiReLU.apply, x)
    np.testing.assert_array_equal(MiReLU.apply(x).detach().numpy(),
                                  np.maximum(x.detach().numpy(), 0))


@given(tensors(shape=shapes(max_dims=3), high=4.0))
def test_mi_sigmoide_pasa_gradcheck_e_iguala_a_la_interna(x):
    assert_gradients_match(MiSigmoide.apply, x)
    np.testing.assert_allclose(MiSigmoide.apply(x).detach().numpy(),
                               x.sigmoid().detach().numpy(), rtol=1e-12)


def test_el_nodo_lleva_el_nombre_de_la_clase_y_un_padre_por_argumento():
    x = torch.randn(3, requires_grad=True)
    y = MiSigmoide.apply(x)
    assert y.grad_fn.op_name == "MiSigmoide"
    assert repr(y.grad_fn) == "<MiSigmoideBackward object>"
    assert "grad_fn=<MiSigmoideBackward" in repr(y)
    assert y.grad_fn.parents == (x._grad_accumulator(),)
    z = Escala.apply(y, 2.0)
    assert z.grad_fn.op_name == "Escala"
    assert z.grad_fn.parents == (y.grad_fn, None)   # x y k (potencia no se pasó)


def test_se_compone_con_operaciones_internas():
    torch.manual_seed(0)
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    w = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    v = torch.randn(4, 2, dtype=torch.float64)

    def propia(x, w):
        return (MiSigmoide.apply(MiReLU.apply(x @ w) * 2 + x.sum(dim=1, keepdim=True)) * v).sum()

    def interna(x, w):
        return (((x @ w).relu() * 2 + x.sum(dim=1, keepdim=True)).sigmoid() * v).sum()

    propia(x, w).backward()
    gx, gw = x.grad.numpy().copy(), w.grad.numpy().copy()
    x.grad = w.grad = None
    interna(x, w).backward()
    np.testing.assert_allclose(gx, x.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(gw, w.grad.numpy(), rtol=1e-12)
    assert gradcheck(propia, (x, w))


def _entrenar(activacion, pasos=30):
    """Regresión logística con tensores sueltos y SGD a mano; devuelve las pérdidas."""
    rng = np.random.default_rng(1)
    datos = torch.tensor(rng.standard_normal((32, 2)).astype(np.float32))
    etiquetas = torch.tensor((datos.numpy().sum(axis=1) > 0).astype(np.float32))
    w = torch.zeros(2, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    perdidas = []
    for _ in range(pasos):
        p = activacion(datos @ w + b)
        perdida = ((p - etiquetas) ** 2).mean()
        perdida.backward()
        with torch.no_grad():
            w -= 0.5 * w.grad
            b -= 0.5 * b.grad
        w.grad = b.grad = None
        perdidas.append(perdida.item())
    return perdidas, w


def test_un_entrenamiento_con_la_funcion_propia_da_los_mismos_numeros():
    propias, w_propia = _entrenar(MiSigmoide.apply)
    internas, w_interna = _entrenar(lambda t: t.sigmoid())
    assert propias[-1] < 0.6 * propias[0]
    np.testing.assert_allclose(propias, internas, rtol=1e-5)
    np.testing.assert_allclose(w_propia.detach().numpy(), w_interna.detach().numpy(), rtol=1e-5)
    assert w_propia.dtype == torch.float32


def test_se_compone_con_nn_linear():
    nn = pytest.importorskip("tinygrad_es.nn")
    if not hasattr(nn, "Linear"):
        pytest.skip("tinygrad_es.nn todavía no tiene Linear")
    torch.manual_seed(0)
    capa = nn.Linear(3, 2)
    x = torch.randn(5, 3)
    MiSigmoide.apply(capa(x)).sum().backward()
    g_propia = capa.weight.grad.numpy().copy()
    capa.weight.grad = None
    capa(x).sigmoid().sum().backward()
    np.testing.assert_allclose(g_propia, capa.weight.grad.numpy(), rtol=1e-5)


# --- argumentos, ctx y needs_input_grad -------------------------------------------------
def test_argumentos_que_no_son_tensores():
    x = _doble([1.0, 2.0, 3.0])
    y = Escala.apply(x, 3.0, 2)
    np.testing.assert_allclose(y.detach().numpy(), [3.0, 12.0, 27.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 12.0, 18.0])
    assert gradcheck(lambda t: Escala.apply(t, 0.5, 3), (x,))


def test_argumentos_por_nombre_se_ligan_a_la_firma_como_en_pytorch():
    x = _doble([1.0, -2.0])
    y = Escala.apply(x, k=2.0)   # potencia toma su valor por defecto y cuenta como entrada
    assert y.grad_fn.needs_input_grad == (True, False, False)
    assert len(y.grad_fn.parents) == 3
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


def test_needs_input_grad_uno_por_argumento():
    vistos = []

    class Tres(Function):
        @staticmethod
        def forward(ctx, a, b, factor):
            vistos.append(ctx.needs_input_grad)
            return a * b * factor

        @staticmethod
        def backward(ctx, grad):
            vistos.append(ctx.needs_input_grad)
            return grad, grad, None

    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2)
    Tres.apply(a, b, 2.0).sum().backward()
    Tres.apply(b, a, 2.0)
    with torch.no_grad():
        Tres.apply(a, b, 2.0)
    assert vistos == [(True, False, False), (True, False, False), (False, True, False),
                      (False, False, False)]


def test_forward_y_backward_se_ejecutan_sin_grafo():
    grafos = []

    class Mira(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            grafos.append((torch.is_grad_enabled(), y.grad_fn))
            return y

        @staticmethod
        def backward(ctx, grad):
            g = grad * 2
            grafos.append((torch.is_grad_enabled(), g.grad_fn))
            return g

    x = torch.ones(3, requires_grad=True)
    Mira.apply(x).sum().backward()
    assert grafos == [(False, None), (False, None)]
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 2.0])


def test_sin_gradiente_devuelve_la_salida_sin_grafo():
    x = torch.ones(3)
    y = MiSigmoide.apply(x)
    assert y.grad_fn is None and not y.requires_grad
    w = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        assert MiSigmoide.apply(w).grad_fn is None


def test_devolver_la_entrada_tal_cual_no_toca_la_hoja():
    class Identidad(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad

    x = torch.ones(3, requires_grad=True)
    y = Identidad.apply(x)
    assert y is not x and x.is_leaf and x.grad_fn is None
    assert y.grad_fn.op_name == "Identidad"
    (y * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0, 3.0])


def test_setup_context_estilo_pytorch_2():
    class Cubo(Function):
        @staticmethod
        def forward(x):
            return x ** 3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x ** 2

    x = _doble([1.0, -2.0, 0.5])
    assert gradcheck(Cubo.apply, (x,))


# --- salidas múltiples -------------------------------------------------------------------
class SenoYCoseno(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        indice = x.argmax()
        ctx.mark_non_differentiable(indice)
        return x.sin(), x.cos(), indice

    @staticmethod
    def backward(ctx, g_sen, g_cos, g_indice):
        (x,) = ctx.saved_tensors
        ctx.recibidos = (g_sen.numpy().copy(), g_cos.numpy().copy(), g_indice.numpy().copy())
        return g_sen * x.cos() - g_cos * x.sin()


def test_salidas_multiples_gradcheck():
    x = _doble([[0.3, -1.2], [2.0, 0.7]])
    assert gradcheck(lambda t: SenoYCoseno.apply(t)[:2], (x,))
    s, c, i = SenoYCoseno.apply(x)
    assert not i.requires_grad and i.grad_fn is None and i.item() == 2
    assert s.grad_fn.op_name == "SenoYCoseno[0]" and c.grad_fn.op_name == "SenoYCoseno[1]"
    assert s.grad_fn.parents[0] is c.grad_fn.parents[0]
    assert s.grad_fn.parents[0].op_name == "SenoYCoseno"


def test_salida_no_usada_recibe_ceros_como_en_pytorch():
    x = _doble([0.5, 1.5])
    s, c, _ = SenoYCoseno.apply(x)
    nodo = s.grad_fn.parents[0]
    (s * 2).sum().backward(retain_graph=True)
    g_sen, g_cos, g_indice = nodo.recibidos
    np.testing.assert_array_equal(g_sen, [2.0, 2.0])
    np.testing.assert_array_equal(g_cos, [0.0, 0.0])
    assert g_indice.shape == () and g_indice == 0 and g_indice.dtype == np.int64
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.cos([0.5, 1.5]))


def test_la_misma_salida_dos_veces():
    class DosVeces(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            return y, y

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 2

    x = _doble([1.0, 2.0])
    a, b = DosVeces.apply(x)
    assert a is not b and a.grad_fn is not b.grad_fn
    (a * 3 + b).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [8.0, 8.0])


# --- memoria: guardar la salida no crea ciclos --------------------------------------------
def test_guardar_la_salida_no_crea_un_ciclo():
    x = torch.randn(1000, requires_grad=True)
    gc.disable()
    try:
        y = MiSigmoide.apply(x)
        ref_salida, ref_nodo = weakref.ref(y), weakref.ref(y.grad_fn)
        del y
        assert ref_salida() is None and ref_nodo() is None
        y = MiSigmoide.apply(x)
        y.sum().backward()
        nodo = weakref.ref(y.grad_fn)
        assert y.grad_fn.saved is None   # liberado tras backward
        del y
        assert nodo() is None
    finally:
        gc.enable()
