"""L-BFGS contra PyTorch (oráculo): ``step(closure)`` con paso fijo y con ``'strong_wolfe'``, en
una regresión pequeña y en la función de Rosenbrock, en float32 y en float64.

Se compara tras cada ``step`` (cada uno con hasta ``max_iter`` iteraciones internas). Precisión
medida y sus causas (ver ``optim/lbfgs.py``):

- ``add_(x, alpha=t)`` de PyTorch es una FMA (un solo redondeo); aquí también
  (``_opciones.add_scaled_``). Con eso, Rosenbrock en float32 con paso fijo da los mismos bits.
- La búsqueda de Wolfe usa ``sqrt`` (interpolación cúbica) y PyTorch la calcula con MKL, que
  no siempre redondea al float más cercano (un 18 % de los float32 difiere en el último bit de
  ``numpy.sqrt``, medido); y el producto escalar de PyTorch (MKL) suma en otro orden que el de
  NumPy (OpenBLAS). Rosenbrock amplifica esas diferencias de un bit: por eso, en los casos
  caóticos, menos pasos o una tolerancia medida (anotada en cada caso).
"""
import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.optim as optim

_rng = np.random.default_rng(3)
X = _rng.standard_normal((16, 3))
W = _rng.standard_normal(3)
Y = X @ W + 0.1 * _rng.standard_normal(16)
SW = {"line_search_fn": "strong_wolfe"}
CORTO = {"lr": 0.5, "max_iter": 5, "history_size": 3}


def _problema(lib, problema, dtype):
    if problema == "regresion":
        w = lib.tensor(np.zeros(3, dtype), requires_grad=True)
        b = lib.tensor(np.zeros((), dtype), requires_grad=True)
        x, y = lib.tensor(X.astype(dtype)), lib.tensor(Y.astype(dtype))
        return [w, b], lambda: ((x @ w + b - y) ** 2).mean()
    p = lib.tensor(np.array([-1.5, 2.0], dtype), requires_grad=True)
    return [p], lambda: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def _ejecutar(lib, problema, dtype, kwargs, pasos):
    params, f = _problema(lib, problema, dtype)
    opt = (optim if lib is tg else lib.optim).LBFGS(params, **kwargs)

    def closure():
        opt.zero_grad()
        loss = f()
        loss.backward()
        return loss

    trayectoria, perdidas = [], []
    for _ in range(pasos):
        perdidas.append(float(opt.step(closure)))
        trayectoria.append(np.concatenate([p.detach().numpy().ravel() for p in params]))
    estado = opt.state[params[0]]
    return trayectoria, perdidas, (estado["func_evals"], estado["n_iter"]), opt, params


# (problema, opciones, dtype, pasos, rtol, ¿mismas evaluaciones e iteraciones?), rtol medido
CASOS = [
    ("regresion", {}, np.float32, 5, 1e-6, True),            # medido 1.9e-7
    ("regresion", {}, np.float64, 5, 1e-13, True),           # 5.8e-16
    ("regresion", SW, np.float32, 5, 1e-6, True),            # 1.9e-7
    ("regresion", SW, np.float64, 5, 1e-13, True),           # 5.8e-16
    ("regresion", CORTO, np.float32, 5, 1e-5, True),         # 8.1e-7
    ("regresion", CORTO, np.float64, 5, 1e-13, True),        # 1.7e-15
    ("rosenbrock", {}, np.float32, 5, 1e-6, True),           # bits idénticos
    ("rosenbrock", {}, np.float64, 2, 1e-8, True),           # 8.3e-11 (caótico: 1e-5 al 4.º)
    ("rosenbrock", CORTO, np.float32, 5, 1e-6, True),        # bits idénticos
    ("rosenbrock", CORTO, np.float64, 5, 1e-9, True),        # 3.0e-12
    ("rosenbrock", SW, np.float32, 5, 2e-4, False),          # 6.6e-5 (sqrt de MKL)
    ("rosenbrock", SW, np.float64, 5, 1e-11, True),          # 2.3e-13
]
IDS = [f"{p}-{'sw' if o.get('line_search_fn') else 'corto' if o else 'fijo'}-"
       f"{np.dtype(d).name}" for p, o, d, *_ in CASOS]


@pytest.mark.parametrize("problema,kwargs,dtype,pasos,rtol,cuentas", CASOS, ids=IDS)
def test_mismos_parametros_que_pytorch(requiere_torch, problema, kwargs, dtype, pasos, rtol,
                                       cuentas):
    torch = requiere_torch
    nuestra, perdidas, cuenta, _, params = _ejecutar(tg, problema, dtype, kwargs, pasos)
    suya, perdidas_t, cuenta_t, _, _ = _ejecutar(torch, problema, dtype, kwargs, pasos)
    assert params[0].dtype == (tg.float32 if dtype == np.float32 else tg.float64)
    for paso, (a, b) in enumerate(zip(nuestra, suya)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * 1e-3, err_msg=f"paso {paso}")
    np.testing.assert_allclose(perdidas, perdidas_t, rtol=max(rtol, 1e-6) * 10, atol=rtol)
    if cuentas:
        assert cuenta == cuenta_t            # (func_evals, n_iter): el mismo camino
    if problema == "rosenbrock" and kwargs is not CORTO and pasos == 5:
        np.testing.assert_allclose(nuestra[-1], [1.0, 1.0], atol=1e-4)   # llega al mínimo


def test_ajusta_una_regresion_lineal_por_minimos_cuadrados():
    """nn.Linear + LBFGS con búsqueda de Wolfe: un solo ``step`` llega a la solución exacta."""
    x, y = tg.tensor(X), tg.tensor(Y[:, None])
    modelo = tg.nn.Linear(3, 1).double()
    opt = optim.LBFGS(modelo.parameters(), line_search_fn="strong_wolfe", tolerance_grad=1e-12,
                      tolerance_change=1e-14)
    mse = tg.nn.MSELoss()

    def closure():
        opt.zero_grad()
        loss = mse(modelo(x), y)
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    A = np.hstack([X, np.ones((16, 1))])
    solucion = np.linalg.lstsq(A, Y, rcond=None)[0]
    np.testing.assert_allclose(modelo.weight.detach().numpy().ravel(), solucion[:3], rtol=1e-6)
    np.testing.assert_allclose(modelo.bias.item(), solucion[3], rtol=1e-6)


def test_state_dict_con_las_claves_y_tipos_de_pytorch(requiere_torch):
    torch = requiere_torch
    _, _, _, opt, _ = _ejecutar(tg, "regresion", np.float32, SW, 2)
    _, _, _, opt_t, _ = _ejecutar(torch, "regresion", np.float32, SW, 2)
    sd, sd_t = opt.state_dict(), opt_t.state_dict()
    assert list(sd["state"]) == list(sd_t["state"]) == [0]
    assert sorted(sd["state"][0]) == sorted(sd_t["state"][0])
    for clave, valor in sd_t["state"][0].items():
        nuestro = sd["state"][0][clave]
        if isinstance(valor, list):
            assert len(nuestro) == len(valor), clave
        elif isinstance(valor, torch.Tensor):
            assert nuestro.shape == tuple(valor.shape) and str(nuestro.dtype)[-7:] == \
                str(valor.dtype)[-7:], clave
        else:
            assert type(nuestro) is type(valor) and nuestro == pytest.approx(valor, rel=1e-6), clave
    assert sd["param_groups"] == [{k: v for k, v in g.items()} for g in sd_t["param_groups"]]


def _a_numpy(valor):
    if isinstance(valor, list):
        return [_a_numpy(v) for v in valor]
    return valor.detach().numpy().copy() if hasattr(valor, "detach") else valor


def _a_torch(torch, valor):
    if isinstance(valor, list):
        return [_a_torch(torch, v) for v in valor]
    return torch.tensor(valor.numpy()) if hasattr(valor, "_data") else valor


def test_checkpoint_cruzado_con_pytorch(requiere_torch):
    """Dos pasos en PyTorch; su estado se carga aquí (y el nuestro en otro de PyTorch) y los tres
    siguen igual: la memoria de L-BFGS (direcciones, pasos, ro, H_diag...) pasa entera."""
    torch = requiere_torch
    kwargs = {"history_size": 4, "max_iter": 4}
    _, _, _, opt_t, theirs = _ejecutar(torch, "regresion", np.float64, kwargs, 2)
    sd_t = opt_t.state_dict()
    ours, f = _problema(tg, "regresion", np.float64)
    for p, q in zip(ours, theirs):
        p.data.copy_(tg.tensor(q.detach().numpy()))
    opt = optim.LBFGS(ours, **kwargs)
    opt.load_state_dict({"state": {0: {k: _a_numpy(v) for k, v in sd_t["state"][0].items()}},
                         "param_groups": sd_t["param_groups"]})
    theirs2 = [q.detach().clone().requires_grad_() for q in theirs]
    opt_t2 = torch.optim.LBFGS(theirs2, **kwargs)
    sd = opt.state_dict()
    estado = {k: _a_torch(torch, v) for k, v in sd["state"][0].items()}
    opt_t2.load_state_dict({"state": {0: estado}, "param_groups": sd["param_groups"]})
    x, y = torch.tensor(X), torch.tensor(Y)

    def closure_de(o, ps, lib, f):
        def closure():
            o.zero_grad()
            loss = f(ps)
            loss.backward()
            return loss
        return closure

    def f_t(ps):
        return ((x @ ps[0] + ps[1] - y) ** 2).mean()

    for _ in range(2):
        opt.step(closure_de(opt, ours, tg, lambda ps: f()))
        opt_t.step(closure_de(opt_t, theirs, torch, f_t))
        opt_t2.step(closure_de(opt_t2, theirs2, torch, f_t))
        for a, b, c in zip(ours, theirs, theirs2):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-13)
            np.testing.assert_allclose(c.detach().numpy(), b.detach().numpy(), rtol=1e-13)
    assert opt.state[ours[0]]["n_iter"] == opt_t.state[theirs[0]]["n_iter"] \
        == opt_t2.state[theirs2[0]]["n_iter"] > 8


def test_guardar_y_reanudar_da_lo_mismo(tmp_path):
    seguido, pe, _, _, params = _ejecutar(tg, "rosenbrock", np.float32, CORTO, 4)
    params, f = _problema(tg, "rosenbrock", np.float32)
    opt = optim.LBFGS(params, **CORTO)

    def closure():
        opt.zero_grad()
        loss = f()
        loss.backward()
        return loss

    for _ in range(2):
        opt.step(closure)
    tg.save({"optim": opt.state_dict(), "p": params[0].detach()}, tmp_path / "ckpt.pt")
    ckpt = tg.load(tmp_path / "ckpt.pt")
    with tg.no_grad():
        params[0].zero_()
    opt = optim.LBFGS(params, **CORTO)
    opt.load_state_dict(ckpt["optim"])
    with tg.no_grad():
        params[0].copy_(ckpt["p"])
    for _ in range(2):
        opt.step(closure)
    np.testing.assert_array_equal(params[0].detach().numpy(), seguido[-1])


def test_en_el_optimo_no_se_mueve_y_devuelve_la_perdida():
    p = tg.tensor([1.0, 1.0], requires_grad=True)
    opt = optim.LBFGS([p])

    def closure():
        opt.zero_grad()
        loss = ((p - 1) ** 2).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 0.0
    assert p.tolist() == [1.0, 1.0]
    assert opt.state[p] == {"func_evals": 1, "n_iter": 0}


def test_errores_en_espanol():
    p = tg.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match="closure"):
        optim.LBFGS([p]).step()
    with pytest.raises(ValueError, match="un único grupo"):
        optim.LBFGS([{"params": [p]}, {"params": [tg.ones(1, requires_grad=True)]}])
    with pytest.raises(ValueError, match="strong_wolfe"):
        optim.LBFGS([p], line_search_fn="armijo")
    with pytest.raises(ValueError, match="no válido"):
        optim.LBFGS([p], lr=-1)
    opt = optim.LBFGS([p])
    with pytest.raises(ValueError, match="un único grupo"):
        opt.add_param_group({"params": [tg.ones(1, requires_grad=True)]})
