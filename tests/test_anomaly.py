"""``autograd.detect_anomaly``: nombra la operación y la línea del usuario que produjo el nan."""
import inspect
import os

import numpy as np
import pytest

import tinygrad_es as torch
from tinygrad_es.autograd import Function, detect_anomaly
from tinygrad_es.autograd.graph import grad_mode

ARCHIVO = os.path.basename(__file__)

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")   # log(0) de NumPy


def _linea_siguiente():
    return inspect.currentframe().f_back.f_lineno + 1


def test_log_de_cero_nombra_log_y_la_linea_de_este_archivo():
    x = torch.tensor([0.0, 1.0, 4.0], requires_grad=True)
    with detect_anomaly():
        linea = _linea_siguiente()
        y = torch.where(x > 0, torch.log(x), 0.0)
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
    mensaje = str(info.value)
    assert "La función Log" in mensaje and "nan" in mensaje
    assert f"{ARCHIVO}:{linea}" in mensaje
    assert "torch.where(x > 0, torch.log(x), 0.0)" in mensaje   # la línea de código
    assert x.grad is None


def test_fuera_del_modo_no_hay_error_y_el_gradiente_es_nan():
    x = torch.tensor([0.0, 1.0, 4.0], requires_grad=True)
    y = torch.where(x > 0, torch.log(x), 0.0)
    assert y.grad_fn.trace is None            # fuera del modo no se anota nada
    y.sum().backward()
    g = x.grad.numpy()
    assert np.isnan(g[0])
    np.testing.assert_allclose(g[1:], [1.0, 0.25])


def test_un_inf_tambien_se_detiene():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly():
        linea = _linea_siguiente()
        y = x.sqrt().sum()
        with pytest.raises(RuntimeError, match=rf"Sqrt.*1 inf.*\n.*{ARCHIVO}:{linea}"):
            y.backward()


def test_como_decorador_y_el_modo_se_restaura():
    @detect_anomaly()
    def paso(x):
        assert grad_mode.anomaly
        return torch.log(x).sum().backward()

    assert not grad_mode.anomaly
    with pytest.raises(RuntimeError, match="Log"):
        paso(torch.tensor([0.0], requires_grad=True))
    assert not grad_mode.anomaly
    with pytest.raises(ZeroDivisionError):
        with detect_anomaly():
            1 / 0
    assert not grad_mode.anomaly and not torch.autograd.is_anomaly_enabled()


def test_check_nan_false_anota_sin_detenerse():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly(check_nan=False):
        linea = _linea_siguiente()
        y = torch.log(x)
        y.sum().backward()
    assert y.grad_fn.trace[1] == linea and y.grad_fn.trace[0] == __file__
    assert np.isinf(x.grad.numpy()[0])


def test_set_detect_anomaly():
    with torch.autograd.set_detect_anomaly(True):
        assert torch.autograd.is_anomaly_enabled()
        with torch.autograd.set_detect_anomaly(False):
            assert not grad_mode.anomaly
        assert grad_mode.anomaly
    assert not grad_mode.anomaly


def test_la_traza_es_la_del_usuario_tambien_en_funciones_propias_y_metodos():
    class Doble(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = torch.ones(2, requires_grad=True)
    with detect_anomaly():
        linea = _linea_siguiente()
        y = Doble.apply(x).mean()          # Mean puede pasar por varias capas internas
    assert y.grad_fn.trace[:2] == (__file__, linea)
    assert y.grad_fn.parents[0].trace[:2] == (__file__, linea)
    assert y.grad_fn.parents[0].op_name == "Doble"


def test_error_dentro_de_backward_anade_la_linea():
    class Rota(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            raise ValueError("fallo de prueba")

    x = torch.ones(2, requires_grad=True)
    with detect_anomaly():
        linea = _linea_siguiente()
        y = Rota.apply(x)
        with pytest.raises(ValueError) as info:
            y.sum().backward()
    notas = "\n".join(getattr(info.value, "__notes__", []))
    if hasattr(info.value, "add_note"):
        assert "Rota" in notas and f"{ARCHIVO}:{linea}" in notas


def test_modificacion_in_situ_dice_donde_se_creo():
    x = torch.randn(3, requires_grad=True)
    with detect_anomaly():
        linea = _linea_siguiente()
        y = x.sigmoid()
        y.mul_(2)
        with pytest.raises(RuntimeError, match=rf"in situ.*\n?.*{ARCHIVO}:{linea}"):
            y.sum().backward()
    z = x.sigmoid()
    z.mul_(2)
    with pytest.raises(RuntimeError, match="detect_anomaly"):   # fuera del modo: la pista
        z.sum().backward()


def test_grafo_creado_fuera_del_modo_explica_como_ver_la_linea():
    x = torch.tensor([0.0], requires_grad=True)
    y = torch.log(x).sum()
    with detect_anomaly():
        with pytest.raises(RuntimeError, match="Log.*\n.*repite el cálculo"):
            y.backward()


def test_gradientes_finitos_pasan_igual_que_fuera_del_modo():
    torch.manual_seed(0)
    x = torch.randn(4, 3, requires_grad=True)
    w = torch.randn(3, 2, requires_grad=True)
    (x @ w).tanh().sum().backward()
    esperado = w.grad.numpy().copy()
    w.grad = None
    with detect_anomaly():
        (x @ w).tanh().sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), esperado)
