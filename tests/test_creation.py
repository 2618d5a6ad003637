"""API de creación de tensores, semillas y dispositivo (como PyTorch)."""
import numpy as np
import pytest

import tinygrad_es as tg


# --- tensor() -----------------------------------------------------------------------
def test_tensor_con_dtype_y_requires_grad():
    x = tg.tensor([1, 2, 3], dtype=tg.float64, requires_grad=True)
    assert x.dtype == tg.float64 and x.requires_grad and x.is_leaf
    np.testing.assert_array_equal(x.detach().numpy(), [1.0, 2.0, 3.0])
    y = tg.tensor([[1.5, 2.5]], dtype=tg.int64)
    assert y.dtype == tg.int64 and y.tolist() == [[1, 2]]
    assert tg.tensor(3).shape == () and tg.tensor(3).item() == 3


def test_tensor_con_dtype_float64_no_pasa_por_float32():
    assert tg.tensor([0.1, 0.6], dtype=tg.float64).tolist() == [0.1, 0.6]
    assert tg.tensor(0.1, dtype=tg.float64).item() == 0.1
    assert tg.tensor([[1.0 / 3]], dtype=tg.float64).item() == 1.0 / 3
    assert tg.tensor([2 ** 40 + 1], dtype=tg.int64).item() == 2 ** 40 + 1


def test_tensor_copia_los_datos():
    lista = [1.0, 2.0]
    arr = np.array([1.0, 2.0], dtype=np.float32)
    original = tg.tensor([5.0, 6.0], requires_grad=True)
    de_lista, de_array, de_tensor = tg.tensor(lista), tg.tensor(arr), tg.tensor(original)
    arr[0] = 100.0
    with tg.no_grad():
        original[1] = -1.0
    assert de_array.tolist() == [1.0, 2.0]
    assert de_tensor.tolist() == [5.0, 6.0] and not de_tensor.requires_grad
    de_lista.add_(1)
    assert lista == [1.0, 2.0]


def test_tensor_desde_lista_de_tensores_de_un_elemento():
    t = tg.tensor([tg.tensor(1.5), tg.tensor(2.5)])
    assert t.dtype == tg.float32 and t.tolist() == [1.5, 2.5]


def test_tensor_respeta_el_dtype_de_los_escalares_de_numpy(requiere_torch):
    torch = requiere_torch
    for datos in ([np.float64(1.0), 2.0], [np.int32(1)], [np.float32(1.0)], np.float64(2.5),
                  [[1, 2], [3, 4]], [1, 2.5], [True, False]):
        assert str(tg.tensor(datos).dtype) == str(torch.tensor(datos).dtype).replace("torch.", "")


def test_tensor_con_listas_irregulares_o_texto_da_error_en_espanol():
    with pytest.raises(ValueError, match="rectangulares"):
        tg.tensor([[1, 2], [3]])
    with pytest.raises(TypeError, match="números"):
        tg.tensor("abc")


def test_from_numpy_comparte_memoria():
    arr = np.arange(4, dtype=np.float32)
    t = tg.from_numpy(arr)
    assert t.dtype == tg.float32
    arr[0] = 10.0
    assert t[0].item() == 10.0
    t.mul_(2)
    np.testing.assert_array_equal(arr, [20.0, 2.0, 4.0, 6.0])
    assert t.numpy() is arr or np.shares_memory(t.numpy(), arr)
    with pytest.raises(TypeError):
        tg.from_numpy([1, 2])


def test_as_tensor_no_copia_un_ndarray_del_mismo_dtype():
    arr = np.ones(3)
    t = tg.as_tensor(arr)
    arr[1] = 7.0
    assert t.dtype == tg.float64 and t.tolist() == [1.0, 7.0, 1.0]
    assert tg.as_tensor([1, 2]).dtype == tg.int64


# --- constructores heredados --------------------------------------------------------
def test_constructores_heredados_tensor_floattensor_longtensor():
    assert tg.Tensor([1, 2]).dtype == tg.float32 and tg.Tensor([1, 2]).tolist() == [1.0, 2.0]
    vacio = tg.Tensor(2, 3)
    assert vacio.shape == (2, 3) and vacio.dtype == tg.float32
    assert tg.Tensor().shape == (0,)
    assert tg.FloatTensor([[1, 2]]).dtype == tg.float32
    largo = tg.LongTensor([1, 2])
    assert largo.dtype == tg.int64 and largo.tolist() == [1, 2]
    assert tg.LongTensor(3).shape == (3,)
    assert tg.DoubleTensor([1]).dtype == tg.float64
    assert isinstance(tg.tensor([1.0]), tg.Tensor)


def test_constructores_heredados_como_torch(requiere_torch):
    torch = requiere_torch
    for nombre, args in (("Tensor", ([1, 2],)), ("Tensor", (2, 3)), ("Tensor", ()),
                         ("FloatTensor", ([1.5],)), ("LongTensor", ([1, 2],))):
        ours, theirs = getattr(tg, nombre)(*args), getattr(torch, nombre)(*args)
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")


# --- formas llenas -------------------------------------------------------------------
@pytest.mark.parametrize("fabrica,valor", [(tg.zeros, 0.0), (tg.ones, 1.0)])
def test_zeros_ones_aceptan_varias_formas(fabrica, valor):
    for forma in ((2, 3), [(2, 3)], [[2, 3]]):
        t = fabrica(*forma)
        assert t.shape == (2, 3) and t.dtype == tg.float32
        np.testing.assert_array_equal(t.numpy(), np.full((2, 3), valor))
    assert fabrica(()).shape == ()
    assert fabrica(2, dtype=tg.int64).dtype == tg.int64
    assert fabrica(3, requires_grad=True).requires_grad


def test_full_infiere_el_dtype_del_valor():
    entero, real, logico = tg.full((2,), 3), tg.full((2, 2), 1.5), tg.full((1,), True)
    assert entero.dtype == tg.int64 and entero.tolist() == [3, 3]
    assert real.dtype == tg.float32 and real.tolist() == [[1.5, 1.5], [1.5, 1.5]]
    assert logico.dtype == tg.bool
    assert tg.full((2,), 7, dtype=tg.float64).dtype == tg.float64
    assert tg.full((2,), tg.tensor(2.0)).tolist() == [2.0, 2.0]


def test_empty_y_eye():
    assert tg.empty(3, 4).shape == (3, 4) and tg.empty(3, 4).dtype == tg.float32
    assert tg.empty(0).shape == (0,)
    np.testing.assert_array_equal(tg.eye(3).numpy(), np.eye(3))
    np.testing.assert_array_equal(tg.eye(2, 3).numpy(), np.eye(2, 3))
    assert tg.eye(2).dtype == tg.float32 and tg.eye(2, dtype=tg.int64).dtype == tg.int64


def test_arange():
    assert tg.arange(4).tolist() == [0, 1, 2, 3]
    assert tg.arange(2, 5).tolist() == [2, 3, 4]
    assert tg.arange(10, 0, -3).tolist() == [10, 7, 4, 1]
    medio = tg.arange(1, 2.5, 0.5)
    assert medio.dtype == tg.float32 and medio.tolist() == [1.0, 1.5, 2.0]
    assert tg.arange(0.0, 1.0, 0.1).shape == (10,)
    assert tg.arange(5, dtype=tg.float32).dtype == tg.float32
    assert tg.arange(tg.tensor(3)).tolist() == [0, 1, 2]


def test_linspace_con_numeros_y_con_tensores_0d():
    np.testing.assert_allclose(tg.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1])
    assert tg.linspace(0, 1, 5).dtype == tg.float32
    t = tg.linspace(tg.tensor(-2.0), tg.tensor(2.0), 3)
    assert t.dtype == tg.float32 and t.tolist() == [-2.0, 0.0, 2.0]
    t64 = tg.linspace(tg.tensor(0.0, dtype=tg.float64), tg.tensor(1.0, dtype=tg.float64), 3)
    assert t64.dtype == tg.float32   # como PyTorch: el dtype por defecto
    assert tg.linspace(0, 10, 5, dtype=tg.int64).tolist() == [0, 2, 5, 7, 10]
    assert tg.linspace(0, 1, steps=1).tolist() == [0.0]


def test_linspace_como_torch(requiere_torch):
    torch = requiere_torch
    for m_args in ((0, 1, 5), (-3.5, 7.25, 11), (2, 2, 3)):
        np.testing.assert_allclose(tg.linspace(*m_args).numpy(), torch.linspace(*m_args).numpy(),
                                   rtol=1e-6, atol=1e-7)
    ours = tg.linspace(tg.tensor(0.5), tg.tensor(3.0), 6)
    theirs = torch.linspace(torch.tensor(0.5), torch.tensor(3.0), 6)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# --- aleatorios ----------------------------------------------------------------------
def test_rand_y_randn():
    tg.manual_seed(0)
    u, z = tg.rand(2000), tg.randn(50, 40)
    assert u.dtype == tg.float32 and z.dtype == tg.float32
    assert 0.0 <= u.numpy().min() and u.numpy().max() < 1.0
    assert abs(u.numpy().mean() - 0.5) < 0.03
    assert abs(z.numpy().mean()) < 0.06 and abs(z.numpy().std() - 1.0) < 0.06
    assert tg.rand(2, 3).shape == (2, 3) and tg.randn((4, 1)).shape == (4, 1)
    assert tg.randn(3, dtype=tg.float64).dtype == tg.float64


def test_randint_y_randperm():
    tg.manual_seed(1)
    r = tg.randint(2, 5, (1000,))
    assert r.dtype == tg.int64 and set(r.tolist()) == {2, 3, 4}
    solo_alto = tg.randint(3, (2, 50))
    assert solo_alto.shape == (2, 50) and set(solo_alto.flatten().tolist()) <= {0, 1, 2}
    assert tg.randint(0, 10, size=(2, 2)).shape == (2, 2)
    p = tg.randperm(10)
    assert p.dtype == tg.int64 and sorted(p.tolist()) == list(range(10))


def test_normal_con_numeros_y_con_tensores():
    tg.manual_seed(2)
    x = tg.normal(3.0, 0.5, size=(4000,))
    assert x.dtype == tg.float32 and x.shape == (4000,)
    assert abs(x.numpy().mean() - 3.0) < 0.05 and abs(x.numpy().std() - 0.5) < 0.05
    medias = tg.tensor([0.0, 100.0, -100.0])
    y = tg.normal(medias, tg.tensor([1e-3, 1e-3, 1e-3]))
    assert y.shape == (3,) and y.dtype == tg.float32
    np.testing.assert_allclose(y.numpy(), [0.0, 100.0, -100.0], atol=0.01)
    assert tg.normal(tg.zeros(2, 3), 1.0).shape == (2, 3)
    assert tg.normal(2.0, tg.ones(5)).shape == (5,)
    assert tg.normal(tg.zeros(2, dtype=tg.float64), tg.ones(2, dtype=tg.float64)).dtype == \
        tg.float64


def test_manual_seed_reproduce_los_numeros():
    def muestra():
        return (tg.randn(5).tolist(), tg.rand(3).tolist(), tg.randint(0, 100, (4,)).tolist(),
                tg.randperm(6).tolist(), tg.normal(0.0, 1.0, size=(2,)).tolist())

    tg.manual_seed(123)
    a = muestra()
    tg.manual_seed(123)
    b = muestra()
    tg.manual_seed(124)
    c = muestra()
    assert a == b
    assert a[0] != c[0] and a[1] != c[1]
    assert tg.initial_seed() == 124


def test_generator_propio_no_toca_el_global():
    g = tg.Generator().manual_seed(7)
    tg.manual_seed(0)
    a = tg.randn(3, generator=g).tolist()
    despues = tg.randn(2).tolist()
    tg.manual_seed(0)
    assert tg.randn(2).tolist() == despues
    assert tg.randn(3, generator=tg.Generator().manual_seed(7)).tolist() == a


# --- *_like --------------------------------------------------------------------------
def test_funciones_like_copian_forma_y_dtype():
    base = tg.ones(2, 3, dtype=tg.float64)
    enteros = tg.tensor([[1, 2]])
    for f in (tg.zeros_like, tg.ones_like, tg.empty_like, tg.rand_like, tg.randn_like):
        t = f(base)
        assert t.shape == (2, 3) and t.dtype == tg.float64 and not t.requires_grad
    assert tg.zeros_like(base).numpy().sum() == 0 and tg.ones_like(base).numpy().sum() == 6
    assert tg.zeros_like(enteros).dtype == tg.int64
    assert tg.full_like(enteros, 2.7).tolist() == [[2, 2]]          # se trunca como en torch
    assert tg.full_like(base, 0.5).numpy().tolist() == [[0.5] * 3] * 2
    assert tg.randint_like(base, 10).dtype == tg.float64
    assert tg.zeros_like(base, dtype=tg.float32).dtype == tg.float32
    assert tg.ones_like(tg.ones(2), requires_grad=True).requires_grad


def test_like_como_torch(requiere_torch):
    torch = requiere_torch
    for nombre in ("zeros_like", "ones_like", "rand_like", "randn_like", "empty_like"):
        for base in (lambda m: m.ones(2, 3), lambda m: m.ones(4, dtype=m.float64)):
            ours, theirs = getattr(tg, nombre)(base(tg)), getattr(torch, nombre)(base(torch))
            assert tuple(ours.shape) == tuple(theirs.shape)
            assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    assert tg.full_like(tg.tensor([1, 2]), 2.7).tolist() == \
        torch.full_like(torch.tensor([1, 2]), 2.7).tolist()


# --- dtypes exportados -----------------------------------------------------------------
def test_dtypes_exportados():
    for nombre in ("float32", "float64", "int64", "bool", "float", "double", "long", "int32",
                   "uint8", "float16"):
        assert isinstance(getattr(tg, nombre), np.dtype)
    assert tg.get_default_dtype() == tg.float32
    assert tg.zeros(1, dtype=tg.bool).dtype == tg.bool


# --- dispositivo -------------------------------------------------------------------------
def test_cuda_no_esta_disponible():
    assert tg.cuda.is_available() is False
    assert tg.cuda.device_count() == 0


def test_cpu_se_acepta_en_todas_partes():
    x = tg.ones(2, device="cpu")
    y = tg.tensor([1.0], device=tg.device("cpu"))
    z = tg.zeros(2, device=tg.device("cpu"))
    assert x.to("cpu") is x and x.cpu() is x
    assert x.to(tg.device("cpu")) is x and x.to("cpu:0") is x
    assert x.to("cpu", tg.float64).dtype == tg.float64
    assert x.to(device="cpu", dtype=tg.float64).dtype == tg.float64
    assert x.to(tg.zeros(1, dtype=tg.float64)).dtype == tg.float64
    assert x.device == tg.device("cpu") and x.device == "cpu" and str(y.device) == "cpu"
    assert z.device.type == "cpu" and not x.is_cuda
    disp = tg.device("cuda" if tg.cuda.is_available() else "cpu")
    assert tg.randn(2, device=disp).shape == (2,)


@pytest.mark.parametrize("accion", [
    lambda: tg.ones(2).cuda(),
    lambda: tg.ones(2).to("cuda"),
    lambda: tg.ones(2).to("cuda:0"),
    lambda: tg.ones(2, device="cuda"),
    lambda: tg.tensor([1.0], device="cuda"),
    lambda: tg.device("cuda"),
])
def test_cuda_da_runtimeerror_en_espanol(accion):
    with pytest.raises(RuntimeError, match="CPU"):
        accion()
