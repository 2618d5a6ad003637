"""``nn.utils`` (recorte de gradientes, parámetros <-> vector) y ``nn.init.dirac_``/``orthogonal_``
contra PyTorch (oráculo)."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn as nn


def _params(lib, arrays, grads):
    ps = []
    for a, g in zip(arrays, grads):
        p = lib.nn.Parameter(lib.tensor(a))
        if g is not None:
            p.grad = lib.tensor(g)
        ps.append(p)
    return ps


@st.composite
def _gradientes(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 31)))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    formas = draw(st.lists(st.sampled_from([(3,), (2, 3), (4, 1, 2), ()]), min_size=1, max_size=4))
    arrays = [rng.normal(size=f).astype(dtype) for f in formas]
    grads = [None if draw(st.integers(0, 4)) == 0 else (rng.normal(size=f) * 3).astype(dtype)
             for f in formas]
    return arrays, grads


def test_clip_grad_norm_como_torch(requiere_torch):
    torch = requiere_torch

    @settings(max_examples=40, deadline=None)
    @given(_gradientes(), st.sampled_from([2.0, 1, 3, 0.5, math.inf, "inf", 0, -math.inf]),
           st.sampled_from([0.1, 1.0, 100.0]), st.sampled_from([None, False, True]))
    def comprobar(datos, norm_type, max_norm, foreach):
        _comparar_clip(torch, datos, norm_type, max_norm, foreach)

    comprobar()


def _comparar_clip(torch, datos, norm_type, max_norm, foreach):
    arrays, grads = datos
    salida = []
    for lib in (torch, tg):
        ps = _params(lib, arrays, grads)
        total = lib.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type, foreach=foreach
                                             if lib is tg or foreach is not True else None)
        salida.append((total, [None if p.grad is None else p.grad.numpy() for p in ps]))
    (t_ref, g_ref), (t_got, g_got) = salida
    assert isinstance(t_got, tg.Tensor) and t_got.shape == ()
    assert str(t_got.dtype).split(".")[-1] == str(t_ref.dtype).split(".")[-1]
    np.testing.assert_allclose(t_got.numpy(), t_ref.numpy(), rtol=1e-5)
    for a, b in zip(g_got, g_ref):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.dtype == b.dtype
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_clip_grad_norm_casos_limite(requiere_torch):
    torch = requiere_torch
    for lib in (torch, tg):   # sin gradientes: norma 0 (float32), nada cambia
        p = lib.nn.Parameter(lib.ones(2))
        total = lib.nn.utils.clip_grad_norm_(p, 1.0)
        assert total.item() == 0.0 and str(total.dtype).endswith("float32")
        assert lib.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
    p = nn.Parameter(tg.ones(3))
    p.grad = tg.tensor([1.0, math.inf, 2.0])
    with pytest.raises(RuntimeError, match="error_if_nonfinite=False"):
        nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        total = nn.utils.clip_grad_norm_([p], 1.0)
    assert math.isinf(total.item())
    tp = torch.nn.Parameter(torch.ones(3))
    tp.grad = torch.tensor([1.0, math.inf, 2.0])
    torch.nn.utils.clip_grad_norm_([tp], 1.0)
    np.testing.assert_array_equal(p.grad.numpy(), tp.grad.numpy())   # 0, nan, 0


def test_clip_grad_norm_modifica_en_su_sitio_y_acepta_generadores():
    modelo = nn.Linear(3, 2)
    modelo(tg.ones(4, 3) * 10).sum().backward()
    g = modelo.weight.grad
    total = nn.utils.clip_grad_norm_(modelo.parameters(), max_norm=0.5)
    assert modelo.weight.grad is g   # el mismo tensor, recortado en su sitio
    assert total.item() > 0.5
    nuevo = nn.utils.get_total_norm([p.grad for p in modelo.parameters()])
    assert nuevo.item() == pytest.approx(0.5, rel=1e-5)
    with pytest.warns(FutureWarning, match="clip_grad_norm_"):
        nn.utils.clip_grad_norm(modelo.parameters(), 1.0)


def test_clip_grad_value_como_torch(requiere_torch):
    torch = requiere_torch
    rng = np.random.default_rng(1)
    arrays = [rng.normal(size=(3, 2)), rng.normal(size=4).astype(np.float32)]
    grads = [rng.normal(size=(3, 2)) * 2, None]
    res = []
    for lib in (torch, tg):
        ps = _params(lib, arrays, grads)
        assert lib.nn.utils.clip_grad_value_(ps, 0.7, foreach=None) is None
        res.append(ps[0].grad.numpy())
    np.testing.assert_array_equal(res[1], res[0])
    assert np.abs(res[1]).max() == pytest.approx(0.7)


def test_parameters_to_vector_y_vuelta(requiere_torch):
    torch = requiere_torch
    rng = np.random.default_rng(2)
    arrays = [rng.normal(size=(2, 3)), rng.normal(size=(4,)), rng.normal(size=())]
    vecs, grads = [], []
    for lib in (torch, tg):
        ps = _params(lib, arrays, [None] * 3)
        v = lib.nn.utils.parameters_to_vector(ps)
        assert type(v.grad_fn).__name__ == "CatBackward0" or v.grad_fn.name() == "CatBackward0"
        (v * lib.arange(11.0, dtype=lib.float64)).sum().backward()
        vecs.append(v.detach().numpy())
        grads.append([p.grad.numpy() for p in ps])
        nuevo = lib.arange(11.0, dtype=lib.float64) * 2
        lib.nn.utils.vector_to_parameters(nuevo, ps)
        assert ps[0].shape == (2, 3) and ps[2].shape == ()
        np.testing.assert_array_equal(ps[1].detach().numpy(), [12.0, 14.0, 16.0, 18.0])
        with lib.no_grad():
            nuevo[0] = -1.0   # los parámetros comparten la memoria del vector, como en PyTorch
        assert ps[0].detach().numpy()[0, 0] == -1.0
    np.testing.assert_array_equal(vecs[1], vecs[0])
    for a, b in zip(grads[1], grads[0]):
        np.testing.assert_array_equal(a, b)


def test_vector_to_parameters_errores(requiere_torch):
    torch = requiere_torch
    ps = [nn.Parameter(tg.ones(3)), nn.Parameter(tg.ones(2))]
    with pytest.raises(TypeError, match="tensor"):
        nn.utils.vector_to_parameters([1.0, 2.0], ps)
    with pytest.raises(RuntimeError, match="5"):
        nn.utils.vector_to_parameters(tg.zeros(2), ps)
    with pytest.raises(TypeError):
        torch.nn.utils.vector_to_parameters([1.0, 2.0], [torch.nn.Parameter(torch.ones(3))])
    with pytest.raises(RuntimeError):
        torch.nn.utils.vector_to_parameters(torch.zeros(2), [torch.nn.Parameter(torch.ones(3))])


def test_nn_utils_nombres_que_faltan_dan_error_en_espanol():
    with pytest.raises(AttributeError, match="no está disponible en tinygrad_es"):
        nn.utils.weight_norm   # noqa: B018


# --- nn.init ----------------------------------------------------------------------------------
@pytest.mark.parametrize("forma,gain,dtype", [
    ((3, 5), 1, "float32"), ((5, 3), 2.0, "float64"), ((4, 2, 3), 1.5, "float32"),
    ((6, 6), 1, "float64"), ((1, 4), 1, "float32"), ((64, 32), 0.5, "float32"),
    ((20, 40), 1, "float32"), ((2, 3, 2, 2), 1, "float64")])
def test_orthogonal_como_torch_bajo_manual_seed(requiere_torch, forma, gain, dtype):
    torch = requiere_torch
    torch.manual_seed(7)
    tg.manual_seed(7)
    a = torch.nn.init.orthogonal_(torch.empty(forma, dtype=getattr(torch, dtype)), gain)
    b = tg.nn.init.orthogonal_(tg.empty(*forma, dtype=getattr(tg, dtype)), gain)
    assert str(b.dtype).endswith(dtype)
    tol = 2e-6 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=tol * 10, atol=tol)
    # el generador queda en el mismo estado: lo siguiente que se sortea coincide
    np.testing.assert_array_equal(tg.randn(5).numpy(), torch.randn(5).numpy())
    m = b.numpy().reshape(forma[0], -1).astype(np.float64) / gain
    filas, cols = m.shape
    ident = m @ m.T if filas <= cols else m.T @ m
    np.testing.assert_allclose(ident, np.eye(min(filas, cols)), atol=1e-5)


def test_orthogonal_con_generator_y_errores(requiere_torch):
    torch = requiere_torch
    gt, gg = torch.Generator().manual_seed(3), tg.Generator().manual_seed(3)
    a = torch.nn.init.orthogonal_(torch.empty(4, 6), generator=gt)
    b = tg.nn.init.orthogonal_(tg.empty(4, 6), generator=gg)
    np.testing.assert_allclose(b.numpy(), a.numpy(), atol=2e-6)
    with pytest.raises(ValueError, match="2 o más dimensiones"):
        nn.init.orthogonal_(tg.empty(3))
    vacio = tg.empty(0, 3)
    assert nn.init.orthogonal_(vacio) is vacio
    p = nn.Parameter(tg.ones(3, 3))
    assert nn.init.orthogonal_(p) is p and p.requires_grad and p.grad_fn is None


@pytest.mark.parametrize("forma,grupos", [
    ((4, 2, 3), 1), ((6, 2, 3, 3), 2), ((4, 4, 3, 3, 3), 2), ((2, 4, 5), 1), ((6, 1, 4, 4), 3),
    ((3, 5, 2), 3)])
def test_dirac_como_torch(requiere_torch, forma, grupos):
    torch = requiere_torch
    a = torch.nn.init.dirac_(torch.randn(forma), grupos)
    b = tg.nn.init.dirac_(tg.randn(*forma), grupos)
    np.testing.assert_array_equal(b.numpy(), a.numpy())


def test_dirac_errores_y_conv_identidad(requiere_torch):
    torch = requiere_torch
    for forma, grupos in (((3, 3), 1), ((4, 2, 3), 3)):
        with pytest.raises(ValueError):
            torch.nn.init.dirac_(torch.empty(forma), grupos)
        with pytest.raises(ValueError, match="dirac_"):
            nn.init.dirac_(tg.empty(*forma), grupos)
    p = nn.Parameter(tg.ones(2, 2, 3))
    assert nn.init.dirac_(p) is p and p.requires_grad and p.is_leaf
