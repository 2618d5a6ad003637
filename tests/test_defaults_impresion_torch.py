"""Valores por defecto (dtype, dispositivo), opciones de impresión y modos, contra PyTorch.

Cada test deja el estado global como estaba (fixture ``restaura``): el tipo por defecto y las
opciones de impresión son globales en los dos paquetes.
"""
import numpy as np
import pytest

import tinygrad_es as tg


@pytest.fixture
def restaura(requiere_torch):
    torch = requiere_torch
    yield torch
    torch.set_default_dtype(torch.float32)
    torch.set_printoptions(profile="default")
    tg.set_default_dtype(tg.float32)
    tg.set_printoptions(profile="default")


def _mismo_repr(a, b):
    """El mismo texto; los dtypes se nombran como en PyTorch para que los cortes de línea (que
    dependen de la longitud de ``dtype=...``) sean comparables."""
    original = tg._dtypes.dtype_name
    tg._dtypes.dtype_name = lambda dt: original(dt).replace("tinygrad_es.", "torch.")
    try:
        texto = repr(a)
    finally:
        tg._dtypes.dtype_name = original
    assert texto == repr(b), (texto, repr(b))


# --- set_default_dtype ------------------------------------------------------------------
CREADORES = [
    ("tensor_float", lambda m: m.tensor([1.5, 2.0])),
    ("tensor_escalar", lambda m: m.tensor(1.5)),
    ("tensor_int", lambda m: m.tensor([1, 2])),
    ("tensor_np_f32", lambda m: m.tensor(np.array([1.5], dtype=np.float32))),
    ("tensor_np_f64", lambda m: m.tensor(np.array([1.5]))),
    ("tensor_lista_np_f32", lambda m: m.tensor([np.float32(1.5)])),
    ("from_numpy", lambda m: m.from_numpy(np.zeros(2, dtype=np.float32))),
    ("zeros", lambda m: m.zeros(2, 3)),
    ("ones", lambda m: m.ones(2)),
    ("empty", lambda m: m.empty(2)),
    ("full_float", lambda m: m.full((2,), 1.5)),
    ("full_int", lambda m: m.full((2,), 1)),
    ("eye", lambda m: m.eye(2)),
    ("arange_float", lambda m: m.arange(0.0, 1.0, 0.25)),
    ("arange_int", lambda m: m.arange(3)),
    ("linspace", lambda m: m.linspace(0, 1, 5)),
    ("rand", lambda m: m.rand(3)),
    ("randn", lambda m: m.randn(3)),
    ("randint", lambda m: m.randint(0, 5, (3,))),
    ("Tensor_heredado", lambda m: m.Tensor([1, 2])),
    ("division_entera", lambda m: m.tensor([1, 2]) / 2),
    ("entero_por_float", lambda m: m.tensor([1, 2]) * 1.5),
    ("exp_de_enteros", lambda m: m.tensor([1, 2]).exp()),
    ("float32_explicito", lambda m: m.tensor([1.0], dtype=m.float32)),
    ("float_metodo", lambda m: m.tensor([1, 2]).float()),
    ("media", lambda m: m.ones(4).mean()),
    ("linear", lambda m: m.nn.Linear(2, 3).weight),
    ("vacio", lambda m: m.tensor([])),
]


@pytest.mark.parametrize("defecto", ["float32", "float64"])
@pytest.mark.parametrize("nombre,crear", CREADORES, ids=[c[0] for c in CREADORES])
def test_dtype_por_defecto_como_pytorch(restaura, defecto, nombre, crear):
    torch = restaura
    torch.set_default_dtype(getattr(torch, defecto))
    tg.set_default_dtype(getattr(tg, defecto))
    assert tg.get_default_dtype() == getattr(tg, defecto)
    esperado = crear(torch)
    obtenido = crear(tg)
    assert str(obtenido.dtype).split(".")[-1] == str(esperado.dtype).split(".")[-1]
    assert tuple(obtenido.shape) == tuple(esperado.shape)


def test_aleatorios_float64_mismos_valores(restaura):
    torch = restaura
    torch.set_default_dtype(torch.float64)
    tg.set_default_dtype(tg.float64)
    torch.manual_seed(3)
    tg.manual_seed(3)
    np.testing.assert_array_equal(tg.rand(5).numpy(), torch.rand(5).numpy())
    np.testing.assert_allclose(tg.randn(20).numpy(), torch.randn(20).numpy(), rtol=1e-12)


def test_repr_con_float64_por_defecto(restaura):
    torch = restaura
    torch.set_default_dtype(torch.float64)
    tg.set_default_dtype(tg.float64)
    for m in (torch, tg):
        m.x64 = m.tensor([1.5, 2.0])
        m.x32 = m.tensor([1.5, 2.0], dtype=m.float32)
        m.vacio = m.zeros(0, dtype=m.float32)
    _mismo_repr(tg.x64, torch.x64)
    _mismo_repr(tg.x32, torch.x32)
    _mismo_repr(tg.vacio, torch.vacio)
    _mismo_repr(tg.zeros(0), torch.zeros(0))


@pytest.mark.parametrize("malo", ["float32", "int64", "complex"])
def test_set_default_dtype_errores(restaura, malo):
    torch = restaura
    valores = {"float32": ("float32", "float32"), "int64": (torch.int64, tg.int64),
               "complex": (torch.complex64, complex)}
    t_val, g_val = valores[malo]
    with pytest.raises(TypeError):
        torch.set_default_dtype(t_val)
    with pytest.raises(TypeError, match="tipo por defecto|set_default_dtype"):
        tg.set_default_dtype(g_val)
    assert tg.get_default_dtype() == tg.float32


def test_float16_por_defecto_no_admitido():
    with pytest.raises(TypeError, match="float32 y float64"):
        tg.set_default_dtype(tg.float16)
    assert tg.get_default_dtype() == tg.float32


# --- dispositivo por defecto ------------------------------------------------------------
def test_dispositivo_por_defecto(requiere_torch):
    torch = requiere_torch
    assert str(tg.get_default_device()) == str(torch.get_default_device()) == "cpu"
    assert tg.set_default_device("cpu") is None
    tg.set_default_device(tg.device("cpu"))
    tg.set_default_device(None)
    assert repr(tg.get_default_device()) == repr(torch.get_default_device())
    for malo in ("cuda", "cuda:0", "mps"):
        with pytest.raises(RuntimeError, match="solo en la CPU"):
            tg.set_default_device(malo)
    assert str(tg.get_default_device()) == "cpu"


def test_aceleradores(requiere_torch):
    torch = requiere_torch
    assert tg.accelerator.is_available() is torch.accelerator.is_available() is False
    assert tg.accelerator.device_count() == 0
    assert tg.accelerator.current_accelerator() is None
    assert tg.backends.mps.is_available() is torch.backends.mps.is_available() is False
    assert tg.backends.mps.is_built() is False
    assert tg.backends.cuda.is_built() is False
    assert tg.backends.cudnn.is_available() is False
    tg.backends.cudnn.deterministic = True
    tg.backends.cudnn.benchmark = False
    assert tg.backends.cudnn.deterministic is True
    tg.backends.cudnn.deterministic = False
    with pytest.raises(AttributeError, match="no está disponible en tinygrad_es"):
        tg.backends.xnnpack
    with pytest.raises(AttributeError, match="no está disponible en tinygrad_es"):
        tg.accelerator.synchronize


# --- is_inference_mode_enabled ----------------------------------------------------------
def test_is_inference_mode_enabled(requiere_torch):
    torch = requiere_torch
    for m in (torch, tg):
        vistos = [m.is_inference_mode_enabled()]
        with m.inference_mode():
            vistos.append(m.is_inference_mode_enabled())
            vistos.append(m.is_grad_enabled())
            with m.inference_mode(False):
                vistos.append(m.is_inference_mode_enabled())
            vistos.append(m.is_inference_mode_enabled())
        with m.no_grad():
            vistos.append(m.is_inference_mode_enabled())

        @m.inference_mode()
        def f():
            return m.is_inference_mode_enabled()

        @m.inference_mode
        def g():
            return m.is_inference_mode_enabled()

        vistos += [f(), g(), m.is_inference_mode_enabled()]
        m.vistos = vistos
    assert tg.vistos == torch.vistos == [False, True, False, False, True, False, True, True,
                                         False]


def test_inference_mode_por_hilo():
    import threading
    resultado = []
    with tg.inference_mode():
        hilo = threading.Thread(target=lambda: resultado.append(tg.is_inference_mode_enabled()))
        hilo.start()
        hilo.join()
        assert tg.is_inference_mode_enabled()
    assert resultado == [False]


# --- set_printoptions -------------------------------------------------------------------
TENSORES = [
    ("decimales", lambda m: m.tensor([1.123456789, -2.5, 3.0])),
    ("enteros_float", lambda m: m.tensor([1.0, 20.0, -300.0])),
    ("cientifica", lambda m: m.tensor([1e-6, 1.0, 123.0])),
    ("grandes", lambda m: m.tensor([1e9, 2.5])),
    ("enteros", lambda m: m.arange(30)),
    ("largo", lambda m: m.arange(2000.0) / 7),
    ("largo_int", lambda m: m.arange(50)),
    ("matriz", lambda m: m.arange(120.0).reshape(10, 12) / 3),
    ("tres_dims", lambda m: m.arange(600.0).reshape(6, 10, 10) / 9),
    ("matriz_grande", lambda m: m.arange(10000).reshape(100, 100)),
    ("escalar", lambda m: m.tensor(3.14159265)),
    ("nan_inf", lambda m: m.tensor([float("nan"), float("inf"), 0.5])),
    ("bools", lambda m: m.arange(20) > 9),
    ("f64_grad", lambda m: m.tensor([1.23456789, 2.0], dtype=m.float64, requires_grad=True)),
    ("f32_mul", lambda m: m.tensor([0.5, 0.25], requires_grad=True) * 3),
]

OPCIONES = [
    {"precision": 2},
    {"precision": 8},
    {"precision": 0},
    {"threshold": 5},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
    {"edgeitems": 5, "threshold": 20},
    {"linewidth": 40},
    {"linewidth": 120},
    {"linewidth": 10},
    {"sci_mode": True},
    {"sci_mode": False},
    {"sci_mode": True, "precision": 2},
    {"profile": "short"},
    {"profile": "full"},
    {"profile": "short", "precision": 6},
    {"profile": "full", "linewidth": 50},
]


@pytest.mark.parametrize("opciones", OPCIONES, ids=[str(o) for o in OPCIONES])
@pytest.mark.parametrize("nombre,crear", TENSORES, ids=[t[0] for t in TENSORES])
def test_repr_con_printoptions(restaura, opciones, nombre, crear):
    torch = restaura
    torch.set_printoptions(**opciones)
    tg.set_printoptions(**opciones)
    _mismo_repr(crear(tg), crear(torch))


def test_sci_mode_se_reinicia_al_cambiar_otra_opcion(restaura):
    torch = restaura
    for m in (torch, tg):
        m.set_printoptions(sci_mode=True)
        m.set_printoptions(precision=3)   # sci_mode vuelve a None, como en PyTorch
    _mismo_repr(tg.tensor([1.5, 2.25]), torch.tensor([1.5, 2.25]))


def test_profile_default_restaura(restaura):
    tg.set_printoptions(precision=1, threshold=3, edgeitems=1, linewidth=20, sci_mode=True)
    tg.set_printoptions(profile="default")
    assert repr(tg.tensor([1.12345])) == "tensor([1.1235])"
    assert repr(tg.arange(10)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"


def test_profile_desconocido(restaura):
    with pytest.raises(ValueError, match="perfil"):
        tg.set_printoptions(profile="largo")


def test_parameter_respeta_printoptions(restaura):
    torch = restaura
    torch.set_printoptions(precision=2)
    tg.set_printoptions(precision=2)
    datos = np.array([[0.123456, 1.5], [2.25, -3.75]], dtype=np.float32)
    _mismo_repr(tg.nn.Parameter(tg.tensor(datos)), torch.nn.Parameter(torch.tensor(datos)))
