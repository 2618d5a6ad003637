"""Optimizadores contra PyTorch (oráculo): mismo modelo, mismos pesos, mismos datos, float64."""
import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.optim as optim
from tinygrad_es.serialization import load, save

_rng = np.random.default_rng(7)
INIT = [_rng.standard_normal(s) * 0.5 for s in [(5, 3), (5,), (2, 5), (2,)]]
X = _rng.standard_normal((8, 3))
Y = _rng.standard_normal((8, 2))

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.4}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.02, "betas": (0.3, 0.6), "eps": 1e-4}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.2, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.005, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
]


def _loss(lib, params, x, y):
    w1, b1, w2, b2 = params
    h = (x @ w1.t() + b1).tanh()
    return ((h @ w2.t() + b2 - y) ** 2).mean()


def _train(lib, opt_cls, params, kwargs, steps, groups=False):
    x, y = lib.tensor(X), lib.tensor(Y)
    spec = ([{"params": params[:2]}, {"params": params[2:], "lr": kwargs["lr"] / 2}]
            if groups else params)
    opt = opt_cls(spec, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        _loss(lib, params, x, y).backward()
        opt.step()
    return opt


def _params(lib):
    return [lib.tensor(a.copy(), requires_grad=True) for a in INIT]


@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_veinte_pasos_igual_que_pytorch(requiere_torch, name, kwargs):
    torch = requiere_torch
    ours, theirs = _params(tg), _params(torch)
    opt = _train(tg, getattr(optim, name), ours, kwargs, 20)
    topt = _train(torch, getattr(torch.optim, name), theirs, kwargs, 20)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=1e-9)
    ours_sd, theirs_sd = opt.state_dict(), topt.state_dict()
    assert ours_sd["state"].keys() == theirs_sd["state"].keys()
    for i, state in theirs_sd["state"].items():
        assert ours_sd["state"][i].keys() == state.keys()
        for key, value in state.items():
            np.testing.assert_allclose(ours_sd["state"][i][key].numpy(), value.numpy(),
                                       rtol=1e-6, atol=1e-9)
            assert ours_sd["state"][i][key].dtype.name == str(value.dtype).split(".")[1]
    for ours_g, theirs_g in zip(ours_sd["param_groups"], theirs_sd["param_groups"]):
        for key, value in ours_g.items():
            assert theirs_g[key] == value, key


@pytest.mark.parametrize("name, kwargs", [("SGD", {"lr": 0.1, "momentum": 0.9}),
                                          ("Adam", {"lr": 0.01})])
def test_grupos_con_lr_distinta_igual_que_pytorch(requiere_torch, name, kwargs):
    torch = requiere_torch
    ours, theirs = _params(tg), _params(torch)
    _train(tg, getattr(optim, name), ours, kwargs, 10, groups=True)
    _train(torch, getattr(torch.optim, name), theirs, kwargs, 10, groups=True)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=1e-9)


def test_float32_cerca_de_pytorch(requiere_torch):
    torch = requiere_torch
    ours = [tg.tensor(a.astype(np.float32), requires_grad=True) for a in INIT]
    theirs = [torch.tensor(a.astype(np.float32), requires_grad=True) for a in INIT]
    x32, y32 = X.astype(np.float32), Y.astype(np.float32)
    for lib, params in ((tg, ours), (torch, theirs)):
        opt = lib.optim.Adam(params, lr=0.01) if lib is torch else optim.Adam(params, lr=0.01)
        for _ in range(20):
            opt.zero_grad()
            _loss(lib, params, lib.tensor(x32), lib.tensor(y32)).backward()
            opt.step()
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name, kwargs", [("SGD", {"lr": 0.1, "momentum": 0.9}),
                                          ("Adam", {"lr": 0.01, "amsgrad": True}),
                                          ("AdamW", {"lr": 0.01}),
                                          ("RMSprop", {"lr": 0.01, "centered": True,
                                                       "momentum": 0.5})])
def test_guardar_y_reanudar_da_lo_mismo(tmp_path, name, kwargs):
    full = _params(tg)
    _train(tg, getattr(optim, name), full, kwargs, 10)

    first = _params(tg)
    opt = _train(tg, getattr(optim, name), first, kwargs, 5)
    save({"params": [p.detach() for p in first], "optim": opt.state_dict(), "epoca": 5},
         tmp_path / "punto.pt")
    checkpoint = load(tmp_path / "punto.pt")
    assert checkpoint["epoca"] == 5
    resumed = [p.clone().detach().requires_grad_() for p in checkpoint["params"]]
    opt2 = getattr(optim, name)(resumed, **kwargs)
    opt2.load_state_dict(checkpoint["optim"])
    x, y = tg.tensor(X), tg.tensor(Y)
    for _ in range(5):
        opt2.zero_grad()
        _loss(tg, resumed, x, y).backward()
        opt2.step()
    for a, b in zip(full, resumed):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_parametro_sin_gradiente_como_pytorch(requiere_torch):
    torch = requiere_torch
    for lib, module in ((tg, optim), (torch, torch.optim)):
        used = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        unused = lib.tensor([3.0], dtype=lib.float64, requires_grad=True)
        opt = module.Adam([used, unused], lr=0.1, weight_decay=0.1)
        (used * used).sum().backward()
        opt.step()
        assert unused.tolist() == [3.0]
        assert list(opt.state_dict()["state"]) == [0]


@pytest.mark.parametrize("name, kwargs", [("SGD", {"lr": 0.05, "momentum": 0.9}),
                                          ("AdamW", {"lr": 0.01}),
                                          ("RMSprop", {"lr": 0.01, "centered": True})])
def test_modelo_nn_con_generador_de_parametros(requiere_torch, name, kwargs):
    torch = requiere_torch
    nn = pytest.importorskip("tinygrad_es.nn")
    ours = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).double()
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(),
                                 torch.nn.Linear(5, 2)).double()
    with torch.no_grad():
        for (key, p) in theirs.state_dict().items():
            p.copy_(torch.tensor(ours.state_dict()[key].numpy()))
    for lib, model, module in ((tg, ours, optim), (torch, theirs, torch.optim)):
        opt = getattr(module, name)(model.parameters(), **kwargs)
        loss_fn = (nn if lib is tg else torch.nn).MSELoss()
        for _ in range(20):
            opt.zero_grad()
            loss_fn(model(lib.tensor(X)), lib.tensor(Y)).backward()
            opt.step()
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key].numpy(), value.numpy(), rtol=1e-6,
                                   atol=1e-9)
