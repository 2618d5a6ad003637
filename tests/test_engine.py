"""Reglas del motor: orden iterativo, acumulación, liberación del grafo, retain_grad."""
import gc
import weakref

import numpy as np
import pytest

import tinygrad_es as torch
from tinygrad_es.autograd.graph import RELEASED


def test_cadena_de_100000_operaciones_sin_recursion():
    x = torch.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    assert x.grad.tolist() == [1.0]


def test_gradientes_de_hoja_se_acumulan_y_zero_los_reinicia():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3 + 2, 3 + 4])
    x.grad.zero_()
    (x * 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2, 2])


def test_intermedio_sin_grad_salvo_retain_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    g = x * 3
    g.retain_grad()
    (h * g).sum().backward()
    assert h.grad is None
    np.testing.assert_allclose(g.grad.numpy(), h.detach().numpy())
    assert g.retains_grad and not h.retains_grad


def test_segundo_backward_da_error_en_espanol_con_retain_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_permite_segundo_backward_y_acumula():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 8.0])


def test_backward_libera_los_arrays_guardados():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    y = (h * x).sum()
    node = h.grad_fn
    assert node.saved and node.saved is not RELEASED
    y.backward()
    assert node.saved is RELEASED
    assert node.op_name == "Exp" and node.shape == (2,)   # la estructura se conserva


def test_backward_libera_los_atributos_del_ctx_de_una_function():
    """Los de una autograd.Function pueden retener tensores: se liberan con lo guardado.
    Los de las operaciones internas (ejes, formas) se quedan, como en PyTorch."""
    class Doble(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            ctx.extra = torch.ones(1000)
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = Doble.apply(x).log_softmax(0)
    ctx, nodo_interno = h.grad_fn.parents[0], h.grad_fn
    h.sum().backward()
    softmax = np.exp([2.0, 4.0]) / np.exp([2.0, 4.0]).sum()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (1 - 2 * softmax), rtol=1e-5)
    assert ctx.saved is RELEASED and not hasattr(ctx, "extra")
    assert nodo_interno.saved is RELEASED and nodo_interno.axis == 0


def test_intermedio_se_recoge_tras_backward_y_del():
    gc.disable()
    try:
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        h = (x * 2).exp()
        ref = weakref.ref(h)
        loss = h.sum()
        loss.backward()
        del h, loss
        assert ref() is None   # sin ciclos: se libera por conteo de referencias
    finally:
        gc.enable()


def test_el_grafo_no_guarda_vivas_las_entradas():
    gc.disable()
    try:
        a = torch.randn(3, requires_grad=True)
        b = torch.randn(3)
        ref_b = weakref.ref(b)
        y = (a + b).sum()       # Add no guarda nada: b puede morir
        del b
        assert ref_b() is None
        y.backward()
        np.testing.assert_allclose(a.grad.numpy(), np.ones(3))
    finally:
        gc.enable()


def test_backward_implicito_solo_para_un_elemento():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="un elemento"):
        y.backward()
    y.backward(gradient=torch.tensor([1.0, 0.5]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 1.0])


def test_gradiente_de_salida_con_forma_erronea():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"\(3,\)"):
        (x * 2).backward(gradient=torch.ones(3))


def test_gradientes_no_son_vistas_entre_si_ni_del_gradiente_de_salida():
    a = torch.randn(2, 3, requires_grad=True)
    b = torch.randn(2, 3, requires_grad=True)
    upstream = torch.ones(2, 3)
    (a + b).backward(gradient=upstream)
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    assert not np.shares_memory(a.grad.numpy(), upstream.numpy())
    a.grad.add_(1.0)
    np.testing.assert_allclose(upstream.numpy(), 1.0)


def test_sin_trabajo_para_entradas_sin_gradiente():
    x = torch.randn(4, 3)                      # datos: sin gradiente
    w = torch.randn(3, 2, requires_grad=True)
    y = x @ w
    assert y.grad_fn.needs_input_grad == (False, True)
    assert y.grad_fn.parents[0] is None
    assert y.grad_fn.saved[1] is None          # no se guarda w: solo hace falta para dx
    y.sum().backward()
    assert x.grad is None and w.grad is not None


def test_no_grad_no_registra_nodos():
    w = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        y = w * 2
    assert y.grad_fn is None and not y.requires_grad
    assert torch.is_grad_enabled()


def test_hoja_usada_en_dos_ramas_suma_contribuciones():
    a = torch.tensor([2.0], requires_grad=True)
    b = a * a
    c = b + b
    c.backward()
    np.testing.assert_allclose(a.grad.numpy(), [8.0])


def test_backward_sobre_tensor_sin_grafo_explica_el_problema():
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        torch.tensor([1.0]).backward()


def test_gradiente_de_float32_es_float32_aunque_el_otro_sea_float64():
    a = torch.randn(3, requires_grad=True)
    b = torch.randn(3, dtype=torch.float64)
    y = a * b
    assert y.dtype == torch.float64
    y.sum().backward()
    assert a.grad.dtype == torch.float32 and a.grad.shape == a.shape


def test_arista_sin_gradiente_no_bloquea_al_padre():
    """Un backward que devuelve None para una entrada (norm(p=0)) no deja al padre esperando
    para siempre: el otro camino sigue llegando (también en el camino observado)."""
    for observado in (False, True):
        x = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
        h = x * 1
        y = h.norm(p=0) + (h * 3).sum()
        if observado:
            capturado = torch.autograd.grad(y, [x])[0]
            assert capturado.tolist() == [3.0, 3.0]
        else:
            y.backward()
            assert x.grad.tolist() == [3.0, 3.0]


def test_make_e_init_ponen_los_mismos_atributos():
    """``tensor._make`` (la salida de cada operación) escribe a mano los atributos de
    ``tensor._init``: si uno cambia, el otro también debe cambiar."""
    import importlib
    import numpy as np
    modulo = importlib.import_module("tinygrad_es.tensor")   # (tinygrad_es.tensor es la función)
    hecho = modulo._make(np.zeros(2, np.float32))
    nuevo = modulo.Tensor.__new__(modulo.Tensor)
    modulo._init(nuevo, np.zeros(2, np.float32), False, None)
    atributos = [n for n in modulo.Tensor.__slots__ if not n.startswith("__")]
    assert {n: hasattr(hecho, n) for n in atributos} == {n: hasattr(nuevo, n) for n in atributos}
    assert all(hasattr(hecho, n) for n in ("_data", "_grad", "_version", "_view", "_hooks"))
