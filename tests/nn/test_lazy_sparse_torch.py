"""``nn.LazyLinear`` / ``nn.UninitializedParameter`` y ``nn.init.sparse_`` contra PyTorch."""
import copy
import pickle

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn


def _np(t):
    return t.detach().numpy()


def test_lazylinear_como_pytorch(requiere_torch):
    """Mismos pesos con la misma semilla, mismo repr antes y después, y se convierte en Linear."""
    torch = requiere_torch
    suyo, nuestro = torch.nn.LazyLinear(3), nn.LazyLinear(3)
    assert repr(nuestro) == repr(suyo) == "LazyLinear(in_features=0, out_features=3, bias=True)"
    assert repr(nuestro.weight) == repr(suyo.weight) == "<UninitializedParameter>"
    assert isinstance(nuestro.weight, nn.UninitializedParameter)
    assert list(nuestro.state_dict()) == list(suyo.state_dict()) == ["weight", "bias"]
    assert isinstance(nuestro.state_dict()["weight"], nn.UninitializedParameter)
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
    torch.manual_seed(0)
    tg.manual_seed(0)
    ya, yb = suyo(torch.tensor(x)), nuestro(tg.tensor(x))
    assert type(nuestro) is nn.Linear and type(nuestro.weight) is nn.Parameter
    assert repr(nuestro) == repr(suyo) == "Linear(in_features=4, out_features=3, bias=True)"
    np.testing.assert_array_equal(_np(nuestro.weight), _np(suyo.weight))
    np.testing.assert_array_equal(_np(nuestro.bias), _np(suyo.bias))
    np.testing.assert_allclose(_np(yb), _np(ya), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("optimizador", ["SGD", "Adam"])
def test_optimizador_creado_antes_de_la_primera_llamada(requiere_torch, optimizador):
    """Como en PyTorch: el parámetro es el mismo objeto antes y después de tomar forma, así
    que el optimizador creado antes lo actualiza (los mismos números que PyTorch)."""
    torch = requiere_torch
    torch.manual_seed(1)
    tg.manual_seed(1)
    suyo = torch.nn.Sequential(torch.nn.LazyLinear(5), torch.nn.Tanh(), torch.nn.LazyLinear(2))
    nuestro = nn.Sequential(nn.LazyLinear(5), nn.Tanh(), nn.LazyLinear(2))
    antes = list(nuestro.parameters())
    opt_a = getattr(torch.optim, optimizador)(suyo.parameters(), lr=0.1)
    opt_b = getattr(tg.optim, optimizador)(nuestro.parameters(), lr=0.1)
    x = np.random.default_rng(2).standard_normal((3, 6)).astype("float32")
    for _ in range(2):
        for modelo, opt, lib in ((suyo, opt_a, torch), (nuestro, opt_b, tg)):
            opt.zero_grad()
            (modelo(lib.tensor(x)) ** 2).sum().backward()
            opt.step()
    assert [id(p) for p in nuestro.parameters()] == [id(p) for p in antes]
    for p, q in zip(suyo.parameters(), nuestro.parameters()):
        np.testing.assert_allclose(_np(q), _np(p), rtol=1e-5, atol=1e-6)


def test_parametro_sin_inicializar_no_se_deja_usar(requiere_torch):
    torch = requiere_torch
    suyo, nuestro = torch.nn.LazyLinear(3).weight, nn.LazyLinear(3).weight
    for uso in (lambda p: p + 1, lambda p: p.sum(), lambda p: p.numel()):
        with pytest.raises(ValueError):
            uso(suyo)
        with pytest.raises(ValueError, match="sin inicializar"):
            uso(nuestro)
    with pytest.raises(RuntimeError):
        suyo.shape
    with pytest.raises(RuntimeError, match="forma"):
        nuestro.shape
    assert nuestro.dtype == tg.float32 and nuestro.requires_grad
    assert nn.LazyLinear(2, dtype=tg.float64).weight.dtype == tg.float64


def test_lazylinear_sin_lote_sin_sesgo_y_double():
    capa = nn.LazyLinear(3, bias=False)
    assert [n for n, _ in capa.named_parameters()] == ["weight"] and capa.bias is None
    assert tuple(capa(tg.randn(4)).shape) == (3,)
    assert repr(capa) == "Linear(in_features=4, out_features=3, bias=False)"
    red = nn.Sequential(nn.LazyLinear(5), nn.ReLU(), nn.LazyLinear(2)).double()
    assert red(tg.randn(3, 7, dtype=tg.float64)).dtype == tg.float64
    assert red[2].weight.dtype == tg.float64 and tuple(red[2].weight.shape) == (2, 5)


def test_cargar_pesos_en_un_modulo_sin_inicializar(requiere_torch):
    torch = requiere_torch
    origen = nn.Linear(5, 3)
    destino = nn.Sequential(nn.LazyLinear(3))
    destino.load_state_dict({"0." + k: v for k, v in origen.state_dict().items()})
    np.testing.assert_array_equal(_np(destino[0].weight), _np(origen.weight))
    x = tg.randn(2, 5)
    np.testing.assert_array_equal(_np(destino(x)), _np(origen(x)))
    # PyTorch deja in_features=0 tras cargar; aquí se deduce de los pesos
    assert repr(destino[0]) == "Linear(in_features=5, out_features=3, bias=True)"
    suyo = torch.nn.LazyLinear(3)
    suyo.load_state_dict(torch.nn.Linear(5, 3).state_dict())
    assert tuple(suyo.weight.shape) == (3, 5)


def test_copia_y_pickle_sin_inicializar():
    capa = nn.LazyLinear(3)
    for otra in (copy.deepcopy(capa), pickle.loads(pickle.dumps(capa))):
        assert isinstance(otra.weight, nn.UninitializedParameter)
        assert tuple(otra(tg.randn(2, 6)).shape) == (2, 3)
        assert type(otra) is nn.Linear
    assert isinstance(capa.weight, nn.UninitializedParameter)


# --- nn.init.sparse_ ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("sparsity,forma", [(0.4, (5, 3)), (0.1, (10, 4)), (0.9, (7, 6)),
                                            (0.0, (3, 3)), (1.0, (2, 5))])
def test_sparse_como_pytorch(requiere_torch, dtype, sparsity, forma):
    torch = requiere_torch
    torch.manual_seed(1)
    tg.manual_seed(1)
    a = torch.empty(forma, dtype=getattr(torch, dtype))
    b = tg.empty(forma, dtype=getattr(tg, dtype))
    assert torch.nn.init.sparse_(a, sparsity, std=0.5) is a
    assert nn.init.sparse_(b, sparsity, std=0.5) is b
    np.testing.assert_array_equal(b.numpy(), a.numpy())
    ceros = int(np.ceil(sparsity * forma[0]))
    assert ((b.numpy() == 0).sum(0) == ceros).all()
    np.testing.assert_array_equal(tg.rand(3).numpy(), torch.rand(3).numpy())


def test_sparse_con_generador_como_pytorch(requiere_torch):
    """La normal usa el generador dado; las filas a cero, el global (como PyTorch 2.13)."""
    torch = requiere_torch
    torch.manual_seed(2)
    tg.manual_seed(2)
    a, b = torch.empty(6, 4), tg.empty(6, 4)
    torch.nn.init.sparse_(a, 0.5, generator=torch.Generator().manual_seed(3))
    nn.init.sparse_(b, 0.5, generator=tg.Generator().manual_seed(3))
    np.testing.assert_array_equal(b.numpy(), a.numpy())
    np.testing.assert_array_equal(tg.rand(3).numpy(), torch.rand(3).numpy())


def test_sparse_solo_matrices(requiere_torch):
    torch = requiere_torch
    with pytest.raises(ValueError):
        torch.nn.init.sparse_(torch.empty(3), 0.5)
    with pytest.raises(ValueError, match="2 dimensiones"):
        nn.init.sparse_(tg.empty(3), 0.5)
    w = nn.Parameter(tg.empty(4, 2))
    nn.init.sparse_(w, 0.5)
    assert w.grad_fn is None and w.requires_grad


def test_adagrad_no_admite_parametros_sin_inicializar(requiere_torch):
    """Adagrad crea su estado al construirse: PyTorch da ValueError; aquí, también."""
    torch = requiere_torch
    with pytest.raises(ValueError):
        torch.optim.Adagrad(torch.nn.LazyLinear(3).parameters())
    with pytest.raises(ValueError, match="LazyLinear"):
        tg.optim.Adagrad(nn.LazyLinear(3).parameters())
    for nombre in ("RMSprop", "AdamW", "Rprop", "NAdam", "Adadelta", "Adamax", "RAdam"):
        capa = nn.LazyLinear(3)
        opt = getattr(tg.optim, nombre)(capa.parameters(), lr=0.1)
        capa(tg.ones(2, 4)).sum().backward()
        opt.step()
        assert tuple(capa.weight.shape) == (3, 4)
