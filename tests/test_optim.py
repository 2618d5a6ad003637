"""Optimizadores contra referencias en NumPy (sin PyTorch) y comportamiento de la clase base."""
import math
import warnings

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.optim as optim

C = np.array([[0.5, 1.5, -0.7], [2.0, -1.2, 0.3]])
D = np.array([[0.1, -0.4, 0.9], [-0.6, 0.2, 0.05]])
P0 = np.array([[0.3, -1.1, 0.8], [1.7, 0.4, -0.25]])


def _grad(p):
    """Gradiente de la pérdida sum(C * p**2 + D * p) usada en estas pruebas."""
    return 2 * C * p + D


def _run(opt_cls, dtype=np.float64, steps=3, **kwargs):
    p = tg.tensor(P0.astype(dtype), requires_grad=True)
    opt = opt_cls([p], **kwargs)
    c, d = tg.tensor(C.astype(dtype)), tg.tensor(D.astype(dtype))
    for _ in range(steps):
        opt.zero_grad()
        (c * p * p + d * p).sum().backward()
        opt.step()
    return p, opt


def ref_sgd(lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
    p, buf = P0.copy(), None
    for _ in range(3):
        g = _grad(p) * (-1 if maximize else 1) + weight_decay * p
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
    return p


def ref_adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
             maximize=False, decoupled=False):
    p, m, v, vmax = P0.copy(), 0 * P0, 0 * P0, 0 * P0
    b1, b2 = betas
    for t in range(1, 4):
        g = _grad(p) * (-1 if maximize else 1)
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = np.maximum(vmax, v)
        denom = np.sqrt(vmax if amsgrad else v) / math.sqrt(1 - b2 ** t) + eps
        p = p - lr / (1 - b1 ** t) * m / denom
    return p


def ref_rmsprop(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                maximize=False):
    p, v, gavg, buf = P0.copy(), 0 * P0, 0 * P0, 0 * P0
    for _ in range(3):
        g = _grad(p) * (-1 if maximize else 1) + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        if centered:
            gavg = alpha * gavg + (1 - alpha) * g
            avg = np.sqrt(v - gavg * gavg) + eps
        else:
            avg = np.sqrt(v) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg
            p = p - lr * buf
        else:
            p = p - lr * g / avg
    return p


SGD_CASES = [{}, {"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9,
             "dampening": 0.3}, {"lr": 0.1, "momentum": 0.8, "nesterov": True},
             {"lr": 0.1, "weight_decay": 0.2}, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1,
             "nesterov": True}, {"lr": 0.05, "maximize": True, "weight_decay": 0.1}]
ADAM_CASES = [{}, {"lr": 0.1}, {"lr": 0.1, "amsgrad": True}, {"lr": 0.1, "weight_decay": 0.3},
              {"lr": 0.1, "betas": (0.3, 0.5), "eps": 1e-3}, {"lr": 0.1, "maximize": True}]
RMSPROP_CASES = [{}, {"lr": 0.05, "momentum": 0.9}, {"lr": 0.05, "centered": True},
                 {"lr": 0.05, "centered": True, "momentum": 0.5, "weight_decay": 0.1},
                 {"lr": 0.01, "alpha": 0.3, "centered": True, "maximize": True}]


@pytest.mark.parametrize("kwargs", SGD_CASES)
def test_sgd_tres_pasos_como_la_formula(kwargs):
    p, _ = _run(optim.SGD, **kwargs)
    np.testing.assert_allclose(p.detach().numpy(), ref_sgd(**kwargs), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kwargs", ADAM_CASES)
def test_adam_tres_pasos_como_la_formula(kwargs):
    p, opt = _run(optim.Adam, **kwargs)
    np.testing.assert_allclose(p.detach().numpy(), ref_adam(**kwargs), rtol=1e-10, atol=1e-12)
    assert opt.state[p]["step"].item() == 3.0


@pytest.mark.parametrize("kwargs", [{}, {"lr": 0.1, "weight_decay": 0.5},
                                    {"lr": 0.1, "weight_decay": 0.2, "amsgrad": True}])
def test_adamw_decaimiento_desacoplado(kwargs):
    p, opt = _run(optim.AdamW, **kwargs)
    expected = ref_adam(decoupled=True, **{"weight_decay": 0.01, **kwargs})
    np.testing.assert_allclose(p.detach().numpy(), expected, rtol=1e-10, atol=1e-12)
    assert opt.param_groups[0]["weight_decay"] == kwargs.get("weight_decay", 0.01)


@pytest.mark.parametrize("kwargs", RMSPROP_CASES)
def test_rmsprop_tres_pasos_como_la_formula(kwargs):
    p, _ = _run(optim.RMSprop, **kwargs)
    np.testing.assert_allclose(p.detach().numpy(), ref_rmsprop(**kwargs), rtol=1e-10,
                               atol=1e-12)


def test_valores_por_defecto_como_pytorch():
    p = tg.zeros(2, requires_grad=True)
    assert optim.SGD([p]).defaults == {"lr": 1e-3, "momentum": 0, "dampening": 0,
                                       "weight_decay": 0, "nesterov": False, "maximize": False}
    adam = optim.Adam([p]).param_groups[0]
    assert (adam["lr"], adam["betas"], adam["eps"], adam["weight_decay"], adam["amsgrad"]) == \
        (1e-3, (0.9, 0.999), 1e-8, 0, False)
    assert optim.AdamW([p]).param_groups[0]["weight_decay"] == 0.01
    rms = optim.RMSprop([p]).param_groups[0]
    assert (rms["lr"], rms["alpha"], rms["eps"], rms["momentum"], rms["centered"]) == \
        (1e-2, 0.99, 1e-8, 0, False)


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop])
def test_float32_todo_en_el_sitio_sin_crecer_a_float64(cls):
    kwargs = {"momentum": 0.9} if cls in (optim.SGD, optim.RMSprop) else {"amsgrad": True}
    p, opt = _run(cls, dtype=np.float32, steps=1, lr=0.1, weight_decay=0.1, **kwargs)
    data = p._data
    arrays = {k: v._data for k, v in opt.state[p].items()}
    c, d = tg.tensor(C.astype(np.float32)), tg.tensor(D.astype(np.float32))
    for _ in range(2):
        opt.zero_grad()
        (c * p * p + d * p).sum().backward()
        opt.step()
    assert p._data is data and p.dtype == np.float32
    for key, value in opt.state[p].items():
        expected = np.float32
        assert value._data.dtype == expected, key
        assert value._data is arrays[key], f"{key} se volvió a crear en vez de actualizarse"
    expected = {optim.SGD: ref_sgd, optim.RMSprop: ref_rmsprop}.get(cls)
    if expected is not None:
        ref = expected(lr=0.1, weight_decay=0.1, **kwargs)
        np.testing.assert_allclose(p.detach().numpy(), ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{}, {"momentum": 0.9}, {"maximize": True}])
def test_sgd_en_el_sitio_sin_tocar_el_gradiente(kwargs):
    w = tg.tensor(np.array([1.0, -2.0, 0.5], dtype=np.float32), requires_grad=True)
    data = w._data
    opt = optim.SGD([w], lr=0.25, **kwargs)
    (w * w).sum().backward()
    grad = w.grad.numpy().copy()
    opt.step()
    signo = 1 if kwargs.get("maximize") else -1
    np.testing.assert_array_equal(w.grad.numpy(), grad)   # el paso no modifica .grad
    np.testing.assert_array_equal(w.detach().numpy(),
                                  (np.array([1.0, -2.0, 0.5]) + signo * 0.25 * grad)
                                  .astype(np.float32))
    assert w._data is data and w.dtype == np.float32
    assert w.grad_fn is None and w.requires_grad   # la actualización no crea nodos


def test_paso_incrementa_la_version_del_parametro():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    y = w * w                       # Mul guarda w para el backward
    y.sum().backward(retain_graph=True)
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), [0.8, 1.6])
    with pytest.raises(RuntimeError):
        y.sum().backward()


def test_parametros_sin_gradiente_no_cambian():
    a = tg.tensor([1.0, -2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0], requires_grad=True)
    for cls in (optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop):
        opt = cls([a, b], lr=0.1, weight_decay=0.1)
        opt.zero_grad()
        (a * a).sum().backward()
        opt.step()
        assert b.tolist() == [3.0, 4.0]
        assert b not in opt.state or opt.state[b] == {}
    assert a.tolist() != [1.0, -2.0]


def test_generador_de_parametros_y_grupos():
    ws = [tg.ones(2, requires_grad=True), tg.ones(3, requires_grad=True)]
    opt = optim.SGD((w for w in ws), lr=0.5)
    assert opt.param_groups[0]["params"] == ws or all(
        x is y for x, y in zip(opt.param_groups[0]["params"], ws))
    opt = optim.SGD([{"params": [ws[0]]}, {"params": ws[1], "lr": 0.1, "momentum": 0.5}], lr=0.5)
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.1]
    assert opt.param_groups[0]["momentum"] == 0 and opt.param_groups[1]["momentum"] == 0.5
    for w in ws:
        w.grad = tg.ones_like(w)
    opt.step()
    assert ws[0].tolist() == [0.5, 0.5] and ws[1].tolist() == pytest.approx([0.9] * 3)
    extra = tg.zeros(1, requires_grad=True)
    opt.add_param_group({"params": [extra], "lr": 1.0})
    assert opt.param_groups[2]["momentum"] == 0 and opt.param_groups[2]["lr"] == 1.0
    with pytest.raises(ValueError, match="más de un grupo"):
        opt.add_param_group({"params": [extra]})
    named = optim.Adam([("w", ws[0]), ("v", ws[1])])
    assert named.param_groups[0]["param_names"] == ["w", "v"]


@pytest.mark.parametrize("make, match", [
    (lambda p: optim.SGD([], lr=0.1), "vacía"),
    (lambda p: optim.SGD(iter([]), lr=0.1), "vacía"),
    (lambda p: optim.SGD([p], lr=-0.1), "lr"),
    (lambda p: optim.SGD([p], momentum=-0.5), "momentum"),
    (lambda p: optim.SGD([p], weight_decay=-1), "weight_decay"),
    (lambda p: optim.SGD([p], nesterov=True), "Nesterov"),
    (lambda p: optim.SGD([p], momentum=0.9, dampening=0.1, nesterov=True), "Nesterov"),
    (lambda p: optim.Adam([p], eps=-1e-8), "eps"),
    (lambda p: optim.Adam([p], betas=(1.0, 0.999)), r"betas\[0\]"),
    (lambda p: optim.Adam([p], betas=(0.9, -0.1)), r"betas\[1\]"),
    (lambda p: optim.AdamW([p], lr=-1), "lr"),
    (lambda p: optim.RMSprop([p], alpha=-0.5), "alpha"),
    (lambda p: optim.RMSprop([p], momentum=-0.5), "momentum"),
    (lambda p: optim.SGD([{"params": [p], "lr": -2.0}], lr=0.1), "-2.0"),
])
def test_hiperparametros_invalidos_valueerror_en_espanol(make, match):
    p = tg.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match=match):
        make(p)


def test_errores_de_tipo_de_parametros():
    p = tg.zeros(2, requires_grad=True)
    with pytest.raises(TypeError, match="lista"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="conjunto"):
        optim.SGD({p}, lr=0.1)
    with pytest.raises(TypeError, match="tensores"):
        optim.SGD([p, 3.0], lr=0.1)
    with pytest.raises(ValueError, match="no es hoja"):
        optim.SGD([p * 2], lr=0.1)
    with pytest.warns(UserWarning, match="repetidos"):
        optim.SGD([p, p], lr=0.1)


def test_zero_grad_a_none_o_a_cero():
    p = tg.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    grad = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is grad and p.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None
    opt.step()                    # sin gradientes: no hace nada
    assert p.tolist() == [1.0, 2.0]


def test_closure_devuelve_la_perdida_con_gradiente_activo():
    p = tg.tensor([3.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with tg.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0 and p.item() == pytest.approx(1.5)


def test_state_dict_formato_de_pytorch_y_carga():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([[0.5, -0.5]], requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.01}], lr=0.1, momentum=0.9)
    (a * a).sum().backward()
    opt.step()
    sd = opt.state_dict()
    assert list(sd["state"]) == [0]                       # b no tenía gradiente
    assert set(sd["state"][0]) == {"momentum_buffer"}
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]]
    assert sd["param_groups"][1]["lr"] == 0.01 and sd["param_groups"][0]["momentum"] == 0.9

    a2 = tg.tensor([1.0, 2.0], requires_grad=True)
    b2 = tg.tensor([[0.5, -0.5]], requires_grad=True)
    opt2 = optim.SGD([{"params": [a2]}, {"params": [b2]}], lr=0.5)
    opt2.load_state_dict(sd)
    assert opt2.param_groups[1]["lr"] == 0.01 and opt2.param_groups[0]["params"][0] is a2
    buf = opt2.state[a2]["momentum_buffer"]
    assert buf.tolist() == opt.state[a]["momentum_buffer"].tolist()
    assert buf._data is not opt.state[a]["momentum_buffer"]._data     # copia propia
    assert "Grupo de parámetros 1" in repr(opt2) and "lr: 0.01" in repr(opt2)


def _snapshot(opt):
    return repr(opt), {id(k): {n: v.tolist() for n, v in s.items()} for k, s in opt.state.items()}


@pytest.mark.parametrize("mutate, match", [
    (lambda sd: sd["param_groups"].append(dict(sd["param_groups"][0])), "grupos"),
    (lambda sd: sd["param_groups"][0]["params"].append(7), "parámetros"),
    (lambda sd: sd["state"][0].__setitem__("exp_avg", tg.zeros(5)), "forma"),
    (lambda sd: sd["param_groups"][0].pop("betas"), "betas"),
    (lambda sd: sd["param_groups"][0].__setitem__("lr", -1.0), "lr"),
    (lambda sd: sd.pop("state"), "state"),
])
def test_carga_fallida_deja_el_optimizador_igual(mutate, match):
    p = tg.tensor([1.0, -1.0], requires_grad=True)
    q = tg.tensor([2.0], requires_grad=True)
    opt = optim.Adam([p, q], lr=0.1)
    (p * p).sum().backward()
    opt.step()
    before = _snapshot(opt)
    sd = opt.state_dict()
    sd = {"state": {k: dict(v) for k, v in sd["state"].items()},
          "param_groups": [dict(g, params=list(g["params"])) for g in sd["param_groups"]]}
    mutate(sd)
    with pytest.raises(ValueError, match=match):
        opt.load_state_dict(sd)
    assert _snapshot(opt) == before
    opt.step()                              # sigue funcionando


def test_cargar_el_estado_de_otro_optimizador_falla_claro():
    p = tg.tensor([1.0], requires_grad=True)
    sgd = optim.SGD([p], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="otro optimizador"):
        optim.Adam([p]).load_state_dict(sgd.state_dict())


def test_subclase_de_usuario_con_su_propio_step():
    class MiSGD(optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        @tg.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p -= group["lr"] * p.grad

    p = tg.tensor([1.0, 2.0], requires_grad=True)
    opt = MiSGD([p])
    (p * p).sum().backward()
    opt.step()
    assert p.tolist() == pytest.approx([0.8, 1.6])
    with pytest.raises(TypeError, match="clase base"):
        optim.Optimizer([p], {"lr": 0.1}).step()


def test_sin_avisos_en_un_paso_normal():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _run(optim.Adam, dtype=np.float32, lr=0.1)
