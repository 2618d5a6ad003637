"""nn.Buffer, register_buffer, ParameterList, ParameterDict, interpolate/Upsample y Bilinear
contra PyTorch (oráculo)."""
import copy
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F

_rng = np.random.default_rng(21)


def _np(t):
    return t.detach().numpy()


# --- Buffer y register_buffer ---------------------------------------------------------------
def _modelo(lib):
    class M(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.nn.Linear(2, 2)
            self.a = lib.nn.Buffer(lib.zeros(3))
            self.b = lib.nn.Buffer(lib.ones(2), persistent=False)
            self.register_buffer("c", lib.ones(1), persistent=False)
            self.register_buffer("d", lib.full((2,), 3.0))
            self.register_buffer("e", None)
    return M()


def test_buffer_entra_en_state_dict_como_pytorch(requiere_torch):
    torch = requiere_torch
    ours, ref = _modelo(tg), _modelo(torch)
    assert list(ours.state_dict()) == list(ref.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in ref.named_buffers()]
    assert len(list(ours.parameters())) == len(list(ref.parameters()))
    assert isinstance(ours.a, tg.Tensor) and isinstance(ours.a, nn.Buffer)
    assert not ours.a.requires_grad
    # persistent se conserva al reasignar un tensor a un buffer ya registrado
    ours.b = tg.zeros(2)
    ref.b = torch.zeros(2)
    assert list(ours.state_dict()) == list(ref.state_dict())
    # y un Buffer nuevo con otro persistent lo cambia
    ours.b = nn.Buffer(tg.zeros(2))
    ref.b = torch.nn.Buffer(torch.zeros(2))
    assert list(ours.state_dict()) == list(ref.state_dict())
    copia = copy.deepcopy(ours)
    assert list(copia.state_dict()) == list(ours.state_dict())


def test_buffer_comparte_memoria_y_requires_grad(requiere_torch):
    t = tg.ones(3)
    b = nn.Buffer(t)
    b.data.mul_(2)
    assert t.numpy().tolist() == [2, 2, 2]
    assert nn.Buffer(tg.ones(2, requires_grad=True)).requires_grad
    assert tuple(nn.Buffer().shape) == (0,)
    with pytest.raises(TypeError):
        nn.Buffer([1, 2])


def test_buffer_en_un_nombre_ocupado_da_keyerror(requiere_torch):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.x = 1
            self.x = nn.Buffer(tg.ones(1))
    with pytest.raises(KeyError):
        M()


# --- ParameterList y ParameterDict --------------------------------------------------------------
def test_parameter_list_como_pytorch(requiere_torch):
    torch = requiere_torch
    datos = [np.ones((2, 3), np.float32), np.zeros(2, np.float32)]
    ours = nn.ParameterList([tg.tensor(datos[0]), nn.Parameter(tg.tensor(datos[1])), "x"])
    ref = torch.nn.ParameterList([torch.tensor(datos[0]),
                                  torch.nn.Parameter(torch.tensor(datos[1])), "x"])
    assert len(ours) == len(ref) == 3
    assert [type(p).__name__ for p in ours] == [type(p).__name__ for p in ref]
    assert list(ours.state_dict()) == list(ref.state_dict()) == ["0", "1"]
    assert repr(ours).replace("tinygrad_es", "torch") == repr(ref)
    ours.append(tg.zeros(4))
    ref.append(torch.zeros(4))
    ours += [tg.ones(1)]
    ref += [torch.ones(1)]
    assert list(ours.state_dict()) == list(ref.state_dict())
    assert ours[-1].requires_grad and isinstance(ours[3], nn.Parameter)
    assert len(ours[1:4]) == len(ref[1:4]) == 3
    ours[0] = tg.zeros(5)
    assert tuple(ours[0].shape) == (5,) and isinstance(ours[0], nn.Parameter)
    with pytest.raises(IndexError):
        ours[7]
    with pytest.raises(TypeError):
        ours.extend(tg.ones(2))
    with pytest.raises(RuntimeError):
        ours(1)


def test_parameter_list_en_un_modelo_se_entrena():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.ps = nn.ParameterList([nn.Parameter(tg.ones(2)) for _ in range(3)])

        def forward(self, x):
            for p in self.ps:
                x = x * p
            return x.sum()
    m = M()
    assert [n for n, _ in m.named_parameters()] == ["ps.0", "ps.1", "ps.2"]
    m(tg.tensor([1.0, 2.0])).backward()
    assert all(p.grad is not None for p in m.parameters())


def test_parameter_dict_como_pytorch(requiere_torch):
    torch = requiere_torch
    ours = nn.ParameterDict({"b": tg.ones(2), "a": nn.Parameter(tg.zeros(3))})
    ref = torch.nn.ParameterDict({"b": torch.ones(2), "a": torch.nn.Parameter(torch.zeros(3))})
    assert list(ours) == list(ref) == ["a", "b"]   # un dict se ordena por clave
    assert list(ours.state_dict()) == list(ref.state_dict())
    assert repr(ours).replace("tinygrad_es", "torch") == repr(ref)
    ours.update(OrderedDict([("z", tg.ones(1)), ("c", tg.ones(1))]))
    ref.update(OrderedDict([("z", torch.ones(1)), ("c", torch.ones(1))]))
    assert list(ours) == list(ref)
    ours.update([("y", tg.ones(1))])
    ref.update([("y", torch.ones(1))])
    assert list(ours.keys()) == list(ref.keys())
    assert "a" in ours and len(ours) == len(ref)
    assert isinstance(ours["z"], nn.Parameter)
    assert ours.pop("z").shape == (1,) and "z" not in ours
    del ours["c"]
    assert list(ours.state_dict()) == ["a", "b", "y"]
    assert ours.get("nada") is None and ours.setdefault("w", tg.ones(2)) is ours["w"]
    union = ours | {"q": tg.ones(1)}
    assert list(union)[-1] == "q" and "q" not in ours
    assert ours.popitem()[0] == "w"
    with pytest.raises(TypeError):
        ours[1] = tg.ones(1)
    with pytest.raises(ValueError):
        ours.update([("a", tg.ones(1), 3)])
    ours.clear()
    assert len(ours) == 0 and list(ours.state_dict()) == []


def test_state_dict_de_contenedores_se_carga_en_torch(requiere_torch):
    torch = requiere_torch
    ours = nn.ParameterDict({"w": tg.tensor(_rng.standard_normal(3).astype(np.float32))})
    ref = torch.nn.ParameterDict({"w": torch.zeros(3)})
    ref.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    np.testing.assert_array_equal(_np(ref["w"]), _np(ours["w"]))


# --- interpolate / Upsample ---------------------------------------------------------------
CASOS_INTERP = [
    ("nearest", (2, 3, 5), {"scale_factor": 2}),
    ("nearest", (2, 3, 5), {"scale_factor": 1.7}),
    ("nearest", (2, 3, 4, 5), {"size": (7, 3)}),
    ("nearest", (2, 3, 4, 5), {"scale_factor": (0.6, 2.5)}),
    ("nearest", (1, 2, 3, 4, 5), {"scale_factor": 2}),
    ("nearest-exact", (2, 3, 4, 5), {"scale_factor": 1.7}),
    ("linear", (2, 3, 5), {"scale_factor": 2}),
    ("linear", (2, 3, 5), {"size": 7, "align_corners": True}),
    ("bilinear", (2, 3, 4, 5), {"scale_factor": 2}),
    ("bilinear", (2, 3, 4, 5), {"scale_factor": 1.7}),
    ("bilinear", (2, 3, 4, 5), {"size": (7, 3), "align_corners": True}),
    ("bilinear", (2, 3, 4, 5), {"scale_factor": 0.6}),
    ("bilinear", (2, 3, 4, 5), {"scale_factor": 2.3, "recompute_scale_factor": True}),
    ("trilinear", (1, 2, 3, 4, 5), {"scale_factor": 1.5}),
]


@pytest.mark.parametrize("modo,forma,opciones", CASOS_INTERP)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_interpolate_igual_que_pytorch(requiere_torch, modo, forma, opciones, dtype):
    torch = requiere_torch
    x = _rng.standard_normal(forma).astype(dtype)
    xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya = F.interpolate(xa, mode=modo, **opciones)
    yt = torch.nn.functional.interpolate(xt, mode=modo, **opciones)
    assert tuple(ya.shape) == tuple(yt.shape)
    g = _rng.standard_normal(tuple(yt.shape)).astype(dtype)
    ya.backward(tg.tensor(g))
    yt.backward(torch.tensor(g))
    tol = 2e-6 if dtype == np.float32 else 1e-14
    if modo.startswith("nearest"):   # mismos índices que PyTorch: exactamente iguales
        np.testing.assert_array_equal(_np(ya), _np(yt))
    np.testing.assert_allclose(_np(ya), _np(yt), rtol=tol, atol=tol)
    np.testing.assert_allclose(_np(xa.grad), _np(xt.grad), rtol=tol, atol=tol)


def test_upsample_modulos_como_pytorch(requiere_torch):
    torch = requiere_torch
    x = _rng.standard_normal((1, 2, 3, 4)).astype(np.float32)
    for args in [{"scale_factor": 2, "mode": "bilinear"}, {"size": 3},
                 {"size": (3, 4), "mode": "nearest"},
                 {"scale_factor": (2, 1.5), "mode": "bilinear", "align_corners": True}]:
        ours, ref = nn.Upsample(**args), torch.nn.Upsample(**args)
        assert repr(ours) == repr(ref)
        np.testing.assert_allclose(_np(ours(tg.tensor(x))), _np(ref(torch.tensor(x))),
                                   atol=1e-6)
    for clase in ("UpsamplingNearest2d", "UpsamplingBilinear2d"):
        ours, ref = getattr(nn, clase)(scale_factor=2), getattr(torch.nn, clase)(scale_factor=2)
        assert repr(ours) == repr(ref)
        np.testing.assert_allclose(_np(ours(tg.tensor(x))), _np(ref(torch.tensor(x))),
                                   atol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(_np(F.upsample_bilinear(tg.tensor(x), scale_factor=2)),
                                   _np(torch.nn.functional.upsample_bilinear(
                                       torch.tensor(x), scale_factor=2)), atol=1e-6)


@pytest.mark.parametrize("llamada,error", [
    (lambda x: F.interpolate(tg.randn(1, 2, 3), scale_factor=2, mode="bilinear"),
     NotImplementedError),
    (lambda x: F.interpolate(x, scale_factor=2, mode="linear"), NotImplementedError),
    (lambda x: F.interpolate(x, size=(5, 6), scale_factor=2), ValueError),
    (lambda x: F.interpolate(x), ValueError),
    (lambda x: F.interpolate(x, size=(5,)), ValueError),
    (lambda x: F.interpolate(x, scale_factor=(2,)), ValueError),
    (lambda x: F.interpolate(x, scale_factor=2, align_corners=True), ValueError),
    (lambda x: F.interpolate(x, size=(5, 6), mode="foo"), NotImplementedError),
    (lambda x: F.interpolate(x, size=(0, 6)), RuntimeError),
    (lambda x: F.interpolate(x.long(), size=(5, 6)), NotImplementedError),
])
def test_errores_de_interpolate(llamada, error):
    with pytest.raises(error):
        llamada(tg.randn(1, 2, 3, 4))


# --- Bilinear ---------------------------------------------------------------------------------
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_igual_que_pytorch(requiere_torch, bias):
    torch = requiere_torch
    torch.manual_seed(4)
    tg.manual_seed(4)
    ours, ref = nn.Bilinear(3, 4, 5, bias=bias), torch.nn.Bilinear(3, 4, 5, bias=bias)
    assert repr(ours) == repr(ref)
    np.testing.assert_array_equal(_np(ours.weight), _np(ref.weight))   # misma inicialización
    if bias:
        np.testing.assert_array_equal(_np(ours.bias), _np(ref.bias))
    x1 = _rng.standard_normal((7, 2, 3)).astype(np.float32)
    x2 = _rng.standard_normal((7, 2, 4)).astype(np.float32)
    a = [tg.tensor(x, requires_grad=True) for x in (x1, x2)]
    t = [torch.tensor(x, requires_grad=True) for x in (x1, x2)]
    ya, yt = ours(*a), ref(*t)
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(_np(ya), _np(yt), rtol=1e-5, atol=1e-5)
    for p, q in zip(a, t):
        np.testing.assert_allclose(_np(p.grad), _np(q.grad), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(ours.weight.grad), _np(ref.weight.grad), rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("formas", [[(2, 3), (2, 4), (5, 3, 3)], [(2, 3), (3, 4), (5, 3, 4)],
                                    [(2, 4), (2, 4), (5, 3, 4)]])
def test_errores_de_bilinear(formas):
    with pytest.raises(RuntimeError):
        F.bilinear(*(tg.randn(*f) for f in formas))
    with pytest.raises(RuntimeError):
        F.bilinear(tg.randn(2, 3), tg.randn(2, 4), tg.randn(5, 3, 4), tg.randn(4))


def _interpolar_en_los_dos(torch, forma, dtype, semilla, **opciones):
    """La misma interpolación en torch y aquí, con un gradiente de salida al azar: devuelve
    (entrada, gradiente, x, salida, t, salida de torch), con el backward ya hecho."""
    rng = np.random.default_rng(semilla)
    a = rng.standard_normal(forma).astype(dtype)
    t = torch.tensor(a, requires_grad=True)
    salida_t = torch.nn.functional.interpolate(t, **opciones)
    g = rng.standard_normal(tuple(salida_t.shape)).astype(dtype)
    salida_t.backward(torch.tensor(g))
    x = tg.tensor(a, requires_grad=True)
    salida = F.interpolate(x, **opciones)
    salida.backward(tg.tensor(g))
    return a, g, x, salida, t, salida_t


@pytest.mark.parametrize("forma, opciones", [
    ((2, 3, 7, 9), {"size": (3, 4)}), ((2, 3, 8, 8), {"scale_factor": 0.5}),
    ((1, 2, 10), {"size": 4}), ((1, 2, 10), {"scale_factor": 0.37}),
    ((1, 1, 5, 5), {"size": (7, 8)}),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_interpolate_area_como_pytorch(requiere_torch, forma, opciones, dtype):
    """``mode="area"``: la media de cada región (adaptive_avg_pool), valores y gradientes."""
    a, g, x, salida, t, salida_t = _interpolar_en_los_dos(requiere_torch, forma, dtype, 0,
                                                          mode="area", **opciones)
    tol = 1e-6 if dtype == "float32" else 1e-12
    assert salida.shape == tuple(salida_t.shape) and salida.dtype == np.dtype(dtype)
    np.testing.assert_allclose(salida.detach().numpy(), salida_t.detach().numpy(), atol=tol)
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), atol=tol)
    with pytest.raises(ValueError, match="align_corners"):
        F.interpolate(x, mode="area", align_corners=True, **opciones)


@pytest.mark.parametrize("forma, opciones", [
    ((2, 3, 7, 9), {"size": (13, 5)}), ((2, 3, 8, 8), {"scale_factor": 2}),
    ((1, 2, 10, 6), {"scale_factor": (0.5, 1.7)}),
    ((1, 1, 5, 5), {"size": (7, 8), "align_corners": True}),
    ((1, 1, 2, 5), {"scale_factor": 1.05}),   # mismo tamaño, pero el factor cuenta
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_interpolate_bicubic_como_pytorch(requiere_torch, forma, opciones, dtype):
    """``mode="bicubic"`` (A = -0.75, bordes repetidos): valores y gradientes."""
    a, g, x, salida, t, salida_t = _interpolar_en_los_dos(requiere_torch, forma, dtype, 1,
                                                          mode="bicubic", **opciones)
    tol = 1e-5 if dtype == "float32" else 1e-12
    assert salida.shape == tuple(salida_t.shape) and salida.dtype == np.dtype(dtype)
    np.testing.assert_allclose(salida.detach().numpy(), salida_t.detach().numpy(), atol=tol)
    if forma[2:] == tuple(salida_t.shape[2:]):
        # Mismo tamaño con otro factor: el forward de PyTorch usa el factor, pero su backward
        # copia el gradiente (no es la derivada de su forward). El nuestro sí lo es: se
        # comprueba contra el producto escalar <salida, g> (la definición del adjunto).
        np.testing.assert_allclose(t.grad.numpy(), g)
        assert np.vdot(x.grad.numpy(), a) == pytest.approx(np.vdot(salida.detach().numpy(), g),
                                                           rel=1e-5)
    else:
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), atol=tol)
    assert nn.Upsample(mode="bicubic", **opciones)(x).shape == salida.shape


@pytest.mark.parametrize("forma, opciones", [
    ((2, 3, 17, 23), {"size": (5, 9)}), ((1, 2, 10, 6), {"scale_factor": (0.5, 0.6)}),
    ((1, 1, 13, 9), {"size": (5, 4), "align_corners": True}), ((1, 1, 6, 5), {"size": (12, 3)}),
])
@pytest.mark.parametrize("modo", ["bilinear", "bicubic"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_interpolate_antialias_como_pytorch(requiere_torch, forma, opciones, modo, dtype):
    """``antialias=True`` (el filtro de PIL que usa torchvision al reducir): valores y
    gradientes. (Con una salida de 1 columna y los dos ejes escalados PyTorch 2.13 repite la
    primera fila: no se compara ese caso.)"""
    a, g, x, salida, t, salida_t = _interpolar_en_los_dos(requiere_torch, forma, dtype, 2,
                                                          mode=modo, antialias=True, **opciones)
    tol = 2e-6 if dtype == "float32" else 1e-12
    assert salida.shape == tuple(salida_t.shape) and salida.dtype == np.dtype(dtype)
    np.testing.assert_allclose(salida.detach().numpy(), salida_t.detach().numpy(), atol=tol)
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), atol=tol)


def test_antialias_solo_con_bilinear_y_bicubic_en_4d():
    with pytest.raises(ValueError, match="antialias=True solo vale"):
        F.interpolate(tg.ones(1, 1, 4, 4), size=2, mode="nearest", antialias=True)
    with pytest.raises(ValueError, match="antialias=True solo vale"):
        F.interpolate(tg.ones(1, 1, 4), size=2, mode="linear", antialias=True)
