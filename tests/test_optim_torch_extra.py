"""Adagrad, Adadelta, Adamax, NAdam, RAdam, Rprop y ASGD contra PyTorch (oráculo).

Mismo modelo, mismos pesos y datos: los parámetros y el estado (con las mismas claves) deben
coincidir en cada uno de 20 pasos, en float32 (rtol 1e-5) y en float64; un ``state_dict`` de
uno se carga en el otro y el entrenamiento sigue igual.
"""
import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.optim as optim

_rng = np.random.default_rng(11)
INIT = [_rng.standard_normal(s) * 0.5 for s in [(5, 3), (5,), (2, 5), (2,)]]
X = _rng.standard_normal((8, 3))
Y = _rng.standard_normal((8, 2))

CASOS = [
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05}),
    ("Adagrad", {"lr": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.3}),
    ("Adagrad", {"lr": 0.05, "eps": 1e-3, "maximize": True}),
    ("Adagrad", {"lr": 0.05, "weight_decay": 0.2, "maximize": True, "lr_decay": 0.01}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-4}),
    ("Adadelta", {"lr": 0.8, "weight_decay": 0.1}),
    ("Adadelta", {"weight_decay": 0.1, "maximize": True}),
    ("Adamax", {}),
    ("Adamax", {"lr": 0.01, "betas": (0.5, 0.8), "eps": 1e-3}),
    ("Adamax", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adamax", {"lr": 0.01, "weight_decay": 0.1, "maximize": True}),
    ("NAdam", {}),
    ("NAdam", {"lr": 0.01, "momentum_decay": 0.05}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("NAdam", {"lr": 0.02, "betas": (0.6, 0.9), "eps": 1e-4, "maximize": True}),
    ("RAdam", {}),
    ("RAdam", {"lr": 0.01, "betas": (0.9, 0.9)}),    # rho_t > 5 desde el paso 6
    ("RAdam", {"lr": 0.01, "betas": (0.8, 0.7), "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "betas": (0.9, 0.8), "weight_decay": 0.1,
               "decoupled_weight_decay": True}),
    ("RAdam", {"lr": 0.01, "betas": (0.9, 0.8), "maximize": True, "eps": 1e-3}),
    ("Rprop", {}),
    ("Rprop", {"lr": 0.05, "etas": (0.3, 1.5)}),
    ("Rprop", {"lr": 0.05, "step_sizes": (1e-3, 0.08)}),
    ("Rprop", {"lr": 0.01, "maximize": True}),
    ("ASGD", {}),
    ("ASGD", {"lr": 0.1, "t0": 5, "lambd": 0.01}),         # promedia desde el paso 6
    ("ASGD", {"lr": 0.05, "weight_decay": 0.1, "alpha": 0.5, "t0": 3}),
    ("ASGD", {"lr": 0.05, "maximize": True, "t0": 2}),
    ("ASGD", {"lr": 0.05, "alpha": -0.5, "t0": 4}),        # alpha < 0: PyTorch lo admite
]
IDS = [f"{n}-{k}" for n, k in CASOS]


def _loss(params, x, y):
    w1, b1, w2, b2 = params
    h = (x @ w1.t() + b1).tanh()
    return ((h @ w2.t() + b2 - y) ** 2).mean()


def _params(lib, dtype):
    return [lib.tensor(a.astype(dtype), requires_grad=True) for a in INIT]


def _spec(params, kwargs, grupos):
    if not grupos:
        return params
    lr = kwargs.get("lr", 0.01)
    return [{"params": params[:2]}, {"params": params[2:], "lr": lr / 2}]


def _np(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t)


def _paso(lib, opt, params, x, y):
    opt.zero_grad()
    loss = _loss(params, x, y)
    loss.backward()
    opt.step()


def _compara_estado(ours_opt, theirs_opt, ours, theirs, rtol):
    for p, q in zip(ours, theirs):
        s, t = ours_opt.state[p], theirs_opt.state[q]
        assert sorted(s) == sorted(t)
        for key in t:
            a, b = _np(s[key]), _np(t[key])
            assert a.dtype == b.dtype, (key, a.dtype, b.dtype)
            # atol a la escala del array: los gradientes de float32 ya difieren en el último
            # bit entre los dos paquetes, y un elemento cerca de 0 lo amplifica en relativo
            np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * float(np.abs(b).max()),
                                       err_msg=key)


@pytest.mark.parametrize("dtype,rtol", [(np.float32, 1e-5), (np.float64, 1e-11)],
                         ids=["float32", "float64"])
@pytest.mark.parametrize("grupos", [False, True], ids=["un_grupo", "dos_grupos"])
@pytest.mark.parametrize("name,kwargs", CASOS, ids=IDS)
def test_veinte_pasos_igual_que_pytorch(requiere_torch, name, kwargs, grupos, dtype, rtol):
    torch = requiere_torch
    ours, theirs = _params(tg, dtype), _params(torch, dtype)
    opt = getattr(optim, name)(_spec(ours, kwargs, grupos), **kwargs)
    opt_t = getattr(torch.optim, name)(_spec(theirs, kwargs, grupos), **kwargs)
    x, y = tg.tensor(X.astype(dtype)), tg.tensor(Y.astype(dtype))
    xt, yt = torch.tensor(X.astype(dtype)), torch.tensor(Y.astype(dtype))
    for paso in range(20):
        _paso(tg, opt, ours, x, y)
        _paso(torch, opt_t, theirs, xt, yt)
        for a, b in zip(ours, theirs):
            assert a.dtype == tg.float32 if dtype == np.float32 else a.dtype == tg.float64
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol,
                                       atol=rtol * 1e-2, err_msg=f"paso {paso}")
    _compara_estado(opt, opt_t, ours, theirs, rtol)


@pytest.mark.parametrize("name,kwargs", CASOS, ids=IDS)
def test_state_dict_con_las_claves_de_pytorch(requiere_torch, name, kwargs):
    torch = requiere_torch
    ours, theirs = _params(tg, np.float32), _params(torch, np.float32)
    opt = getattr(optim, name)(ours, **kwargs)
    opt_t = getattr(torch.optim, name)(theirs, **kwargs)
    # Adagrad crea su estado al construirse: ya antes del primer paso
    assert sorted(opt.state_dict()["state"]) == sorted(opt_t.state_dict()["state"])
    _paso(tg, opt, ours, tg.tensor(X.astype(np.float32)), tg.tensor(Y.astype(np.float32)))
    _paso(torch, opt_t, theirs, torch.tensor(X.astype(np.float32)),
          torch.tensor(Y.astype(np.float32)))
    sd, sd_t = opt.state_dict(), opt_t.state_dict()
    assert sorted(sd) == sorted(sd_t)
    assert sorted(sd["state"]) == sorted(sd_t["state"])
    for i in sd_t["state"]:
        assert sorted(sd["state"][i]) == sorted(sd_t["state"][i])
    for g, h in zip(sd["param_groups"], sd_t["param_groups"]):
        assert sorted(g) == sorted(h)
        for key in h:
            assert g[key] == h[key] or (isinstance(h[key], tuple) and list(g[key]) == list(h[key])), key


def _a_numpy(state_dict):
    return {"state": {i: {k: v.detach().numpy().copy() for k, v in s.items()}
                      for i, s in state_dict["state"].items()},
            "param_groups": [dict(g) for g in state_dict["param_groups"]]}


def _a_torch(torch, state_dict):
    return {"state": {i: {k: torch.tensor(v.numpy()) for k, v in s.items()}
                      for i, s in state_dict["state"].items()},
            "param_groups": [dict(g) for g in state_dict["param_groups"]]}


@pytest.mark.parametrize("name,kwargs", CASOS, ids=IDS)
def test_checkpoint_cruzado_con_pytorch(requiere_torch, name, kwargs):
    """Cinco pasos en PyTorch, su estado se carga aquí (y el nuestro allí) y se sigue igual."""
    torch = requiere_torch
    theirs = _params(torch, np.float64)
    opt_t = getattr(torch.optim, name)(theirs, **kwargs)
    xt, yt = torch.tensor(X), torch.tensor(Y)
    for _ in range(5):
        _paso(torch, opt_t, theirs, xt, yt)
    ours = [tg.tensor(p.detach().numpy().copy(), requires_grad=True) for p in theirs]
    opt = getattr(optim, name)(ours, **kwargs)
    opt.load_state_dict(_a_numpy(opt_t.state_dict()))
    # y al revés: nuestro estado en un optimizador nuevo de PyTorch
    theirs2 = [torch.tensor(p.detach().numpy().copy(), requires_grad=True) for p in theirs]
    opt_t2 = getattr(torch.optim, name)(theirs2, **kwargs)
    opt_t2.load_state_dict(_a_torch(torch, opt.state_dict()))
    x, y = tg.tensor(X), tg.tensor(Y)
    for _ in range(5):
        _paso(tg, opt, ours, x, y)
        _paso(torch, opt_t, theirs, xt, yt)
        _paso(torch, opt_t2, theirs2, xt, yt)
    # Al cargar, PyTorch pasa mu_product (NAdam) al dtype del parámetro: los dos cargados son
    # idénticos entre sí y se separan del original solo por ese redondeo de float32
    for a, b, c in zip(ours, theirs, theirs2):
        np.testing.assert_allclose(a.detach().numpy(), c.detach().numpy(), rtol=1e-11)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-7)


@pytest.mark.parametrize("name,kwargs", CASOS[::3], ids=IDS[::3])
def test_guardar_y_reanudar_da_lo_mismo(tmp_path, name, kwargs):
    seguido = _params(tg, np.float32)
    opt = getattr(optim, name)(seguido, **kwargs)
    x, y = tg.tensor(X.astype(np.float32)), tg.tensor(Y.astype(np.float32))
    for _ in range(8):
        _paso(tg, opt, seguido, x, y)
    cortado = _params(tg, np.float32)
    opt1 = getattr(optim, name)(cortado, **kwargs)
    for _ in range(4):
        _paso(tg, opt1, cortado, x, y)
    tg.save({"optim": opt1.state_dict(), "params": [p.detach() for p in cortado]},
            tmp_path / "ckpt.pt")
    ckpt = tg.load(tmp_path / "ckpt.pt")
    nuevo = [p.clone().requires_grad_() for p in ckpt["params"]]
    opt2 = getattr(optim, name)(nuevo, **kwargs)
    opt2.load_state_dict(ckpt["optim"])
    for _ in range(4):
        _paso(tg, opt2, nuevo, x, y)
    for a, b in zip(nuevo, seguido):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_parametro_sin_gradiente_no_cambia(requiere_torch):
    for name, kwargs in [("Adagrad", {}), ("NAdam", {}), ("Rprop", {})]:
        a = tg.ones(3, requires_grad=True)
        b = tg.ones(3, requires_grad=True)
        opt = getattr(optim, name)([a, b], **kwargs)
        (a * 2).sum().backward()
        opt.step()
        assert b.tolist() == [1.0, 1.0, 1.0]
        assert a.tolist() != [1.0, 1.0, 1.0]


def test_float64_por_defecto_da_step_float64(requiere_torch):
    torch = requiere_torch
    try:
        torch.set_default_dtype(torch.float64)
        tg.set_default_dtype(tg.float64)
        p, q = tg.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
        opt, opt_t = optim.NAdam([p]), torch.optim.NAdam([q])
        for lib, o, t in ((tg, opt, p), (torch, opt_t, q)):
            (t * t).sum().backward()
            o.step()
        for key in ("step", "mu_product", "exp_avg"):
            assert str(opt.state[p][key].dtype).split(".")[-1] == \
                str(opt_t.state[q][key].dtype).split(".")[-1]
    finally:
        torch.set_default_dtype(torch.float32)
        tg.set_default_dtype(tg.float32)


ERRORES = [
    ("Adagrad", {"lr": -1}), ("Adagrad", {"lr_decay": -0.1}),
    ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"eps": -1}),
    ("Adagrad", {"weight_decay": -1}),
    ("Adadelta", {"rho": 1.5}), ("Adadelta", {"eps": -1}), ("Adadelta", {"lr": -1}),
    ("Adamax", {"betas": (1.0, 0.9)}), ("Adamax", {"betas": (0.9, -0.1)}),
    ("NAdam", {"momentum_decay": -1}), ("NAdam", {"betas": (0.9, 1.0)}),
    ("RAdam", {"eps": -1}), ("RAdam", {"weight_decay": -0.5}),
    ("Rprop", {"etas": (1.2, 0.5)}), ("Rprop", {"etas": (0.0, 1.2)}), ("Rprop", {"lr": -1}),
    ("ASGD", {"lr": -1}), ("ASGD", {"weight_decay": -0.1}),
]


@pytest.mark.parametrize("name,kwargs", ERRORES, ids=[f"{n}-{k}" for n, k in ERRORES])
def test_errores_como_pytorch(requiere_torch, name, kwargs):
    torch = requiere_torch
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([torch.ones(2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError, match="no válido|Debe"):
        getattr(optim, name)([tg.ones(2, requires_grad=True)], **kwargs)


def test_opciones_solo_de_gpu():
    with pytest.raises(ValueError, match="no está disponible en tinygrad_es"):
        optim.NAdam([tg.ones(2, requires_grad=True)], capturable=True)
    with pytest.raises(ValueError, match="no está disponible en tinygrad_es"):
        optim.Adagrad([tg.ones(2, requires_grad=True)], fused=True)
    optim.RAdam([tg.ones(2, requires_grad=True)], foreach=False)   # aceptado, sin efecto
