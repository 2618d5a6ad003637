"""Oráculo contra PyTorch de ``F.rrelu``/``nn.RReLU`` (los mismos sorteos con la misma semilla,
el mismo gradiente) y de ``F.pixel_shuffle``/``F.pixel_unshuffle`` y sus módulos."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F
from tinygrad_es.testing import assert_gradients_match


def _np(t):
    return t.detach().numpy()


def _datos(forma, dtype, semilla=0):
    x = np.random.default_rng(semilla).standard_normal(forma).astype(dtype)
    x.reshape(-1)[:3] = 0.0   # ceros: PyTorch también sortea para ellos (x <= 0)
    return x


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("limites", [(1 / 8, 1 / 3), (0.1, 0.4), (0.3, 0.3)])
def test_rrelu_en_entrenamiento_como_pytorch(requiere_torch, dtype, limites):
    torch = requiere_torch
    x = _datos((6, 7, 5), dtype)
    a, b = torch.tensor(x, requires_grad=True), tg.tensor(x, requires_grad=True)
    torch.manual_seed(11)
    tg.manual_seed(11)
    ya = torch.nn.functional.rrelu(a, *limites, training=True)
    yb = F.rrelu(b, *limites, training=True)
    np.testing.assert_array_equal(_np(yb), _np(ya))   # bit a bit
    (ya * ya).sum().backward()
    (yb * yb).sum().backward()
    np.testing.assert_array_equal(_np(b.grad), _np(a.grad))
    # el generador avanza lo mismo: el siguiente sorteo coincide
    np.testing.assert_array_equal(tg.rand(4).numpy(), torch.rand(4).numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rrelu_en_evaluacion_como_pytorch(requiere_torch, dtype):
    torch = requiere_torch
    x = _datos((4, 5), dtype, 1)
    a, b = torch.tensor(x, requires_grad=True), tg.tensor(x, requires_grad=True)
    ya = torch.nn.functional.rrelu(a, 0.1, 0.3)
    yb = F.rrelu(b, 0.1, 0.3)
    np.testing.assert_array_equal(_np(yb), _np(ya))
    ya.sum().backward()
    yb.sum().backward()
    np.testing.assert_array_equal(_np(b.grad), _np(a.grad))   # en 0: la pendiente, como torch


def test_rrelu_en_su_sitio_y_modulo(requiere_torch):
    torch = requiere_torch
    x = _datos((3, 4), "float32", 2)
    torch.manual_seed(5)
    tg.manual_seed(5)
    a = torch.tensor(x, requires_grad=True)
    b = tg.tensor(x, requires_grad=True)
    ca, cb = a * 1, b * 1
    ra = torch.nn.functional.rrelu_(ca, training=True)
    rb = F.rrelu_(cb, training=True)
    assert rb is cb
    np.testing.assert_array_equal(_np(rb), _np(ra))
    ra.sum().backward()
    rb.sum().backward()
    np.testing.assert_array_equal(_np(b.grad), _np(a.grad))
    suyo, nuestro = torch.nn.RReLU(0.2, 0.5), nn.RReLU(0.2, 0.5)
    assert repr(nuestro) == repr(suyo)
    assert repr(nn.RReLU(inplace=True)) == repr(torch.nn.RReLU(inplace=True))
    torch.manual_seed(6)
    tg.manual_seed(6)
    np.testing.assert_array_equal(_np(nuestro(tg.tensor(x))), _np(suyo(torch.tensor(x))))
    nuestro.eval()
    suyo.eval()
    np.testing.assert_array_equal(_np(nuestro(tg.tensor(x))), _np(suyo(torch.tensor(x))))


def test_rrelu_errores(requiere_torch):
    torch = requiere_torch
    with pytest.raises(RuntimeError):
        torch.nn.functional.rrelu(torch.ones(2), 0.5, 0.1)
    with pytest.raises(RuntimeError, match="lower"):
        F.rrelu(tg.ones(2), 0.5, 0.1)
    with pytest.raises(NotImplementedError):
        torch.nn.functional.rrelu(torch.arange(3), training=True)
    with pytest.raises(NotImplementedError, match="float"):
        F.rrelu(tg.arange(3), training=True)


@settings(max_examples=10, deadline=None)
@given(semilla=st.integers(0, 2**16))
def test_rrelu_gradiente_frente_a_diferencias_finitas(semilla):
    x = tg.tensor(_datos((3, 4), "float64", semilla) + 0.05, requires_grad=True)

    def f(x):   # la misma semilla en cada evaluación: el mismo ruido
        tg.manual_seed(semilla)
        return F.rrelu(x, training=True)

    assert_gradients_match(f, x)


@pytest.mark.parametrize("forma,r", [((8, 2, 3), 2), ((2, 9, 2, 2), 3), ((2, 3, 4, 2, 1), 2)])
def test_pixel_shuffle_como_pytorch(requiere_torch, forma, r):
    torch = requiere_torch
    x = np.random.default_rng(3).standard_normal(forma)
    a, b = torch.tensor(x, requires_grad=True), tg.tensor(x, requires_grad=True)
    ya = torch.nn.functional.pixel_shuffle(a, r)
    yb = F.pixel_shuffle(b, r)
    assert tuple(yb.shape) == tuple(ya.shape)
    np.testing.assert_array_equal(_np(yb), _np(ya))
    w = np.random.default_rng(4).standard_normal(tuple(ya.shape))
    (ya * torch.tensor(w)).sum().backward()
    (yb * tg.tensor(w)).sum().backward()
    np.testing.assert_array_equal(_np(b.grad), _np(a.grad))
    # y de vuelta
    za = torch.nn.functional.pixel_unshuffle(ya, r)
    zb = F.pixel_unshuffle(yb, r)
    np.testing.assert_array_equal(_np(zb), _np(za))
    np.testing.assert_array_equal(_np(zb), x)
    capa_a, capa_b = torch.nn.PixelUnshuffle(r), nn.PixelUnshuffle(r)
    assert repr(capa_b) == repr(capa_a)
    assert repr(nn.PixelShuffle(r)) == repr(torch.nn.PixelShuffle(r))
    np.testing.assert_array_equal(_np(nn.PixelShuffle(r)(b)), _np(ya))
    np.testing.assert_array_equal(_np(capa_b(yb)), x)


@pytest.mark.parametrize("caso", [
    ("pixel_shuffle", (2, 5, 2, 2), 2), ("pixel_shuffle", (4, 2), 2),
    ("pixel_unshuffle", (1, 1, 3, 4), 2), ("pixel_unshuffle", (1, 1, 4, 3), 2),
    ("pixel_shuffle", (4, 2, 2), -1), ("pixel_shuffle", (4, 2, 2), 0),
    ("pixel_shuffle", (4, 2, 2), 2.0),
])
def test_pixel_shuffle_errores_como_pytorch(requiere_torch, caso):
    torch = requiere_torch
    nombre, forma, r = caso
    with pytest.raises(Exception) as suyo:
        getattr(torch.nn.functional, nombre)(torch.zeros(forma), r)
    with pytest.raises(Exception) as nuestro:
        getattr(F, nombre)(tg.zeros(forma), r)
    assert type(nuestro.value) is type(suyo.value)
    assert nombre in str(nuestro.value) and "expects" not in str(nuestro.value)


def test_pixel_shuffle_gradiente_frente_a_diferencias_finitas():
    x = tg.randn(1, 4, 2, 4, dtype=tg.float64, requires_grad=True)
    assert_gradients_match(lambda x: F.pixel_shuffle(x, 2).pow(2), x)
    assert_gradients_match(lambda x: F.pixel_unshuffle(x, 2).sin(), x)
